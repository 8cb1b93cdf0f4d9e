"""Read the edition's ODD into plain objects: elements, attributes, macros, constraints, prose.

tei/schema/edition.odd is a TEI customisation (moduleRef, mode="change"/"delete"/"add"). It is not read
directly: the TEI Consortium's own processor (odd2odd, see tei_processor.py) first merges it with TEI P5
into a compiled ODD, in which every element, class, macro and datatype the edition uses is written out.
This module reads that compiled ODD, resolving what it still leaves to its readers: attributes inherited
from classes, local changes and deletions of inherited attributes, datatypes defined by dataSpecs.

What the project's validator cannot check exactly is refused with its spec's name, so a spec it would
silently ignore cannot creep in: every element's content model uses elementRef, macroRef, textNode,
empty, sequence and alternate only (the ODD states each element's content, it does not take TEI's).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from lxml import etree

from .. import TEI_NS, XML_NS
from ..diagnostics import EditionError

T = "{%s}" % TEI_NS
SCH_NS = "http://purl.oclc.org/dsdl/schematron"
EX_NS = "http://www.tei-c.org/ns/Examples"
CONTENT_TAGS = {"sequence", "alternate", "elementRef", "macroRef", "textNode", "empty"}
HINT = "see docs/encoding-guidelines.md and tei_edition/schema/odd.py for what the edition's ODD may use"


@dataclass(frozen=True)
class Datatype:
    key: str                                    # as the ODD names it: teidata.pointer, edition.date, NCName
    types: tuple[tuple[str, str | None], ...]   # XML Schema types with their pattern facet: any of them
    values: tuple[str, ...] = ()                # literal values also allowed (teidata.language allows "")
    repeatable: bool = False                    # maxOccurs > 1: a space-separated list


@dataclass
class AttDef:
    name: str               # as written in XML: type, xml:id
    usage: str              # req | opt | rec
    desc: str
    values: list[tuple[str, str]] | None = None   # closed value list: (value, description)
    datatype: Datatype | None = None
    line: int = 0

    @property
    def required(self) -> bool:
        return self.usage == "req"

    @cached_property
    def value_set(self) -> frozenset[str]:
        return frozenset(v for v, _ in self.values or ())


@dataclass
class Constraint:
    ident: str
    desc: str
    rules: list[etree._Element]     # sch:rule elements
    owner: str                      # the element or attribute class the constraint is specified with


@dataclass
class ElementSpec:
    ident: str
    desc: str
    classes: list[str]              # the attribute classes it is a member of
    content: etree._Element | None
    own_attributes: dict[str, etree._Element]   # its attList's attDefs, as compiled
    constraints: list[Constraint]
    examples: list[etree._Element]  # the edition's egXML examples (from edition.odd)
    module: str
    line: int


@dataclass
class ClassSpec:
    ident: str
    desc: str
    attributes: dict[str, AttDef]   # its own and those of the classes it is a member of
    constraints: list[Constraint]


@dataclass
class MacroSpec:
    ident: str
    desc: str
    content: etree._Element


@dataclass
class Odd:
    path: Path                      # the source ODD
    tree: etree._ElementTree        # the source ODD (its prose: the guidelines)
    compiled: etree._ElementTree    # what the TEI processor made of it
    start: list[str]
    ns: str
    elements: dict[str, ElementSpec] = field(default_factory=dict)
    classes: dict[str, ClassSpec] = field(default_factory=dict)
    macros: dict[str, MacroSpec] = field(default_factory=dict)
    _attributes: dict[str, dict[str, AttDef]] = field(default_factory=dict)

    def attributes(self, element: str) -> dict[str, AttDef]:
        """All attributes an element may carry: its classes', then its own (which change or delete them)."""
        return self._attributes[element]

    def constraints(self) -> list[Constraint]:
        """Every Schematron constraint once: those of the attribute classes in use, then the elements'."""
        out: dict[str, Constraint] = {}
        for c in [c for spec in self.classes.values() for c in spec.constraints] + \
                 [c for spec in self.elements.values() for c in spec.constraints]:
            if c.ident in out and out[c.ident].owner != c.owner:
                raise EditionError(f"{self.path}: constraint {c.ident} is specified for both "
                                   f"{out[c.ident].owner} and {c.owner}", hint="give each constraintSpec its own ident")
            out.setdefault(c.ident, c)     # TEI specifies a few twice for the same element
        return list(out.values())

    def class_constraints(self) -> list[Constraint]:
        return [c for spec in self.classes.values() for c in spec.constraints]

    def children(self, element: str) -> set[str]:
        """Names of the elements allowed anywhere inside `element` (for hints)."""
        spec = self.elements[element]
        return self._refs(spec.content, set()) if spec.content is not None else set()

    def content_summary(self, element: str) -> str:
        """The content model in compact DTD-like notation: titleStmt, publicationStmt, notesStmt?, sourceDesc."""
        spec = self.elements[element]
        if spec.content is None:
            return "empty"
        children = _children(spec.content)
        if len(children) == 1 and etree.QName(children[0]).localname == "macroRef":
            children = _children(self.macros[children[0].get("key")].content)   # one level, for readability
        if len(children) == 1 and etree.QName(children[0]).localname in ("sequence", "alternate") and (
                children[0].get("minOccurs", "1"), children[0].get("maxOccurs", "1")) == ("1", "1"):
            sep = ", " if etree.QName(children[0]).localname == "sequence" else " | "
            return sep.join(_summary(c) for c in _children(children[0]))
        parts = [_summary(c) for c in children]
        return ", ".join(parts) if parts else "empty"

    def allows_text(self, element: str) -> bool:
        spec = self.elements[element]
        return spec.content is not None and self._has_text(spec.content, set())

    def _refs(self, node: etree._Element, seen: set[str]) -> set[str]:
        names: set[str] = set()
        for el in node.iter(T + "elementRef", T + "macroRef"):
            key = el.get("key")
            if el.tag == T + "elementRef":
                names.add(key)
            elif key not in seen:
                seen.add(key)
                names |= self._refs(self.macros[key].content, seen)
        return names

    def _has_text(self, node: etree._Element, seen: set[str]) -> bool:
        if any(True for _ in node.iter(T + "textNode")):
            return True
        for el in node.iter(T + "macroRef"):
            key = el.get("key")
            if key not in seen:
                seen.add(key)
                if self._has_text(self.macros[key].content, seen):
                    return True
        return False


def _children(node: etree._Element) -> list[etree._Element]:
    return [c for c in node if isinstance(c.tag, str)]


def _summary(node: etree._Element) -> str:
    local = etree.QName(node).localname
    suffix = {("0", "1"): "?", ("0", "unbounded"): "*", ("1", "unbounded"): "+"}.get(
        (node.get("minOccurs", "1"), node.get("maxOccurs", "1")), "")
    if local in ("elementRef", "macroRef"):
        return node.get("key") + suffix
    if local == "textNode":
        return "text"
    if local == "empty":
        return "empty"
    children = [_summary(c) for c in _children(node)]
    if len(children) == 1 and children[0][-1] not in "?*+":
        return children[0] + suffix
    joined = (", " if local == "sequence" else " | ").join(children)
    return f"({joined}){suffix}" if suffix or len(children) > 1 else joined


def _text(el: etree._Element | None) -> str:
    """The prose of a desc (whitespace normalised; <gi>x</gi> kept as its text)."""
    return " ".join("".join(el.itertext()).split()) if el is not None else ""


def _desc(spec: etree._Element) -> str:
    """The English description: the edition's own (no xml:lang) before TEI's (xml:lang="en")."""
    descs = spec.findall(T + "desc")
    for lang in (None, "en"):
        for d in descs:
            if d.get("{%s}lang" % XML_NS) == lang:
                return _text(d)
    return ""


class _Reader:
    """Turns the compiled ODD's specs into the objects above."""

    def __init__(self, source: Path, source_tree: etree._ElementTree, compiled: etree._ElementTree):
        self.source = source
        self.source_tree = source_tree
        spec = compiled.find(f".//{T}schemaSpec")
        if spec is None:
            raise EditionError(f"{source}: the compiled ODD has no schemaSpec", hint=HINT)
        self.spec = spec
        self.data = {d.get("ident"): d for d in spec.iter(T + "dataSpec")}
        self.class_specs = {c.get("ident"): c for c in spec.iter(T + "classSpec") if c.get("type") == "atts"}
        self.macro_specs = {m.get("ident"): m for m in spec.iter(T + "macroSpec")}
        self._class_atts: dict[str, dict[str, AttDef]] = {}

    def refuse(self, where: str, what: str) -> EditionError:
        """An error at the place in edition.odd that `where` names (spec kind and ident, /@attribute)."""
        kind, _, rest = where.partition(" ")
        ident = rest.split("/")[0]
        key = "key" if kind.endswith("Ref") else "ident"
        hits = self.source_tree.xpath(f"//t:{kind}[@{key}=$v]", namespaces={"t": TEI_NS}, v=ident)
        line = f":{hits[0].sourceline}" if hits else ""
        return EditionError(f"{self.source}{line}: {where}: {what}", hint=HINT)

    # ---- datatypes ---------------------------------------------------------------------------
    def datatype(self, where: str, dt: etree._Element) -> Datatype:
        refs = _children(dt)
        if len(refs) != 1 or refs[0].tag != T + "dataRef":
            raise self.refuse(where, "a datatype must hold one dataRef")
        hi = dt.get("maxOccurs", "1")
        key = refs[0].get("key") or refs[0].get("name")
        types, values = self._resolve(where, refs[0], set())
        return Datatype(key=key, types=tuple(types), values=tuple(values),
                        repeatable=hi == "unbounded" or int(hi) > 1)

    def _resolve(self, where: str, node: etree._Element, seen: set[str]) -> tuple[list, list]:
        local = etree.QName(node).localname
        if local == "dataRef" and node.get("name"):
            if _children(node):
                raise self.refuse(where, f"datatype {node.get('name')} with facets is not supported")
            return [(node.get("name"), node.get("restriction"))], []
        if local == "dataRef" and node.get("key"):
            key = node.get("key")
            if key in seen or key not in self.data:
                raise self.refuse(where, f"unknown or circular datatype {key}")
            content = self.data[key].find(T + "content")
            parts = _children(content) if content is not None else []
            if len(parts) != 1:
                raise self.refuse(where, f"datatype {key} must have one content particle")
            return self._resolve(where, parts[0], seen | {key})
        if local == "alternate":
            types, values = [], []
            for child in _children(node):
                t, v = self._resolve(where, child, seen)
                types += t
                values += v
            return types, values
        if local == "valList" and node.get("type", "closed") == "closed":
            return [], [v.get("ident") for v in node.iter(T + "valItem")]
        if local == "textNode":
            return [("string", None)], []
        raise self.refuse(where, f"datatype construct <{local}> is not supported")

    # ---- attributes --------------------------------------------------------------------------
    def att_def(self, where: str, el: etree._Element, base: AttDef | None = None) -> AttDef:
        """An attDef as compiled; with `base`, a mode="change" of an inherited attribute."""
        name = el.get("ident")
        where = f"{where}/@{name}"
        att = copy.copy(base) if base is not None else AttDef(name=name, usage="opt", desc="")
        att.line = el.sourceline or 0
        if el.get("usage") or base is None:
            att.usage = el.get("usage", "opt")
        if el.find(T + "desc") is not None:
            att.desc = _desc(el)
        vl = el.find(T + "valList")
        if vl is not None:
            items = [(vi.get("ident"), _desc(vi)) for vi in vl.findall(T + "valItem")]
            if vl.get("type", "open") == "closed":
                if vl.get("mode") == "add" and att.values is not None:
                    items = att.values + [i for i in items if i[0] not in att.value_set]
                att.values = items
                att.__dict__.pop("value_set", None)
            elif base is None or vl.get("mode") == "replace":
                att.values = None      # an open or semi-open list suggests values; the datatype decides
        dt = el.find(T + "datatype")
        if att.values is not None:
            att.datatype = None     # a closed list decides alone (as in TEI's RELAX NG)
        elif dt is not None:
            att.datatype = self.datatype(where, dt)
        if att.values is None and att.datatype is None:
            raise self.refuse(where, "an attribute needs a closed valList or a datatype")
        return att

    def class_attributes(self, ident: str, chain: tuple[str, ...] = ()) -> dict[str, AttDef]:
        """A class's attributes: those of the classes it is a member of, then its own."""
        if ident in self._class_atts:
            return self._class_atts[ident]
        if ident in chain:
            raise self.refuse(f"classSpec {ident}", "circular class membership")
        spec = self.class_specs[ident]
        atts: dict[str, AttDef] = {}
        for key in _member_of(spec):
            if key in self.class_specs:
                atts.update(self.class_attributes(key, chain + (ident,)))
        self.apply_att_list(f"classSpec {ident}", spec, atts)
        self._class_atts[ident] = atts
        return atts

    def ancestry(self, ident: str) -> list[str]:
        """The class and every class it is (directly or not) a member of."""
        out = [ident]
        for key in _member_of(self.class_specs[ident]):
            if key in self.class_specs:
                out += self.ancestry(key)
        return out

    def apply_att_list(self, where: str, spec: etree._Element, atts: dict[str, AttDef]) -> None:
        for el in spec.iterfind(f"{T}attList/{T}attDef"):
            name, mode = el.get("ident"), el.get("mode", "add")
            if mode == "delete":
                atts.pop(name, None)
            elif mode == "change" and name in atts:
                atts[name] = self.att_def(where, el, atts[name])
            else:
                atts[name] = self.att_def(where, el)
        if spec.find(f"{T}attList/{T}attList") is not None:
            raise self.refuse(where, "nested attList (alternatives of attributes) is not supported")

    def constraints(self, spec: etree._Element, owner: str) -> list[Constraint]:
        """The Schematron constraints of a spec and of its attDefs (TEI puts some there)."""
        out = []
        rule, pattern, ns = f"{{{SCH_NS}}}rule", f"{{{SCH_NS}}}pattern", f"{{{SCH_NS}}}ns"
        for cs in [*spec.findall(T + "constraintSpec"), *spec.findall(f"{T}attList/{T}attDef/{T}constraintSpec")]:
            where = f"{owner}/constraintSpec {cs.get('ident')}"
            if cs.get("scheme") not in ("schematron", "isoschematron"):
                raise self.refuse(where, "only Schematron constraints are supported")
            parts = list(cs.iterfind(f"{T}constraint/*"))
            if parts and all(c.tag == ns for c in parts):
                continue        # TEI's namespace declarations (tei:, xs:, rng:): the checks bind their own
            if not parts or any(c.tag not in (rule, pattern) for c in parts):
                raise self.refuse(where, "a constraint must hold sch:rule elements (or sch:pattern holding them)")
            rules = [r for c in parts for r in ([c] if c.tag == rule else c.iterfind(rule))]
            if all(c.ident != cs.get("ident") for c in out):     # TEI states a few twice
                out.append(Constraint(cs.get("ident"), _desc(cs), rules, owner))
        return out

    # ---- content -----------------------------------------------------------------------------
    def check_content(self, where: str, content: etree._Element) -> None:
        for el in content.iter():
            if el is content or not isinstance(el.tag, str):
                continue
            local = etree.QName(el).localname
            if etree.QName(el).namespace != TEI_NS or local not in CONTENT_TAGS:
                raise self.refuse(where, f"content model element <{local}> is not supported: state the content "
                                         "with elementRef, macroRef, textNode, empty, sequence, alternate")
            lo, hi = el.get("minOccurs", "1"), el.get("maxOccurs", "1")
            if (lo, hi) not in (("1", "1"), ("0", "1"), ("0", "unbounded"), ("1", "unbounded")):
                raise self.refuse(where, f"minOccurs={lo} maxOccurs={hi} is not supported")


def _member_of(spec: etree._Element) -> list[str]:
    return [m.get("key") for m in spec.iterfind(f"{T}classes/{T}memberOf") if m.get("mode") != "delete"]


def read_compiled(source: Path, source_tree: etree._ElementTree, compiled: etree._ElementTree) -> Odd:
    """The Odd objects from a compiled ODD (the output of odd2odd for `source`)."""
    r = _Reader(source, source_tree, compiled)
    own_examples = {spec.get("ident"): list(spec.iterfind(f"{T}exemplum/{{{EX_NS}}}egXML"))
                    for spec in source_tree.iter(T + "elementSpec")}
    odd = Odd(path=source, tree=source_tree, compiled=compiled, start=r.spec.get("start", "TEI").split(),
              ns=r.spec.get("ns", TEI_NS))
    for spec in r.spec.iter(T + "elementSpec"):
        ident = spec.get("ident")
        content = spec.find(T + "content")
        if content is not None:
            r.check_content(f"elementSpec {ident}", content)
        classes = [k for k in _member_of(spec) if k in r.class_specs]
        atts: dict[str, AttDef] = {}
        for cls in classes:
            atts.update(r.class_attributes(cls))
        r.apply_att_list(f"elementSpec {ident}", spec, atts)
        odd._attributes[ident] = atts
        odd.elements[ident] = ElementSpec(
            ident=ident, desc=_desc(spec), classes=classes, content=content,
            own_attributes={a.get("ident"): a for a in spec.iterfind(f"{T}attList/{T}attDef")},
            constraints=r.constraints(spec, ident),
            examples=own_examples.get(ident, []),     # the edition's own (TEI's stay in the compiled ODD)
            module=spec.get("module", ""), line=spec.sourceline or 0)
    used = {c for spec in odd.elements.values() for cls in spec.classes for c in r.ancestry(cls)}
    for ident, spec in r.class_specs.items():       # only the classes in use: TEI's others are not read
        if ident in used:
            odd.classes[ident] = ClassSpec(ident, _desc(spec), r.class_attributes(ident),
                                           r.constraints(spec, ident))
    _add_macros(odd, r)
    _check_references(odd, r)
    return odd


def _add_macros(odd: Odd, r: _Reader) -> None:
    """The macros the elements' content models use (the compiled ODD also holds TEI's, unused here)."""
    todo = [ref.get("key") for spec in odd.elements.values() if spec.content is not None
            for ref in spec.content.iter(T + "macroRef")]
    while todo:
        key = todo.pop()
        if key in odd.macros:
            continue
        if key not in r.macro_specs:
            raise r.refuse(f"macroRef {key}", "reference to a macro that is not specified")
        content = r.macro_specs[key].find(T + "content")
        r.check_content(f"macroSpec {key}", content)
        odd.macros[key] = MacroSpec(key, _desc(r.macro_specs[key]), content)
        todo += [ref.get("key") for ref in content.iter(T + "macroRef")]
    order = [m.get("ident") for m in r.macro_specs.values()]
    odd.macros = {k: odd.macros[k] for k in order if k in odd.macros}


def _check_references(odd: Odd, r: _Reader) -> None:
    """Every referenced element is specified: a typo is an error, not a hole."""
    contents = [s.content for s in odd.elements.values() if s.content is not None]
    contents += [m.content for m in odd.macros.values()]
    for content in contents:
        for ref in content.iter(T + "elementRef"):
            if ref.get("key") not in odd.elements:
                raise r.refuse(f"elementRef {ref.get('key')}",
                               "reference to an element the schema does not include (add it to a moduleRef's "
                               "include, or fix the key)")
