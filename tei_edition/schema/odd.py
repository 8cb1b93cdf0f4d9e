"""Read the edition's ODD into plain objects: elements, attribute classes, macros, constraints, prose.

Only the part of ODD the edition uses is understood (self-contained specs with mode="replace", pure
content models, closed value lists, Schematron constraints); anything else is refused with its line,
so a spec the compiler would silently ignore cannot creep in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from lxml import etree

from .. import TEI_NS
from ..diagnostics import EditionError
from ..xmlsafe import parse_file

T = "{%s}" % TEI_NS
SCH_NS = "http://purl.oclc.org/dsdl/schematron"
EX_NS = "http://www.tei-c.org/ns/Examples"
CONTENT_TAGS = {"sequence", "alternate", "elementRef", "macroRef", "textNode", "empty"}


@dataclass
class Datatype:
    key: str                # a TEI datatype (teidata.pointer) or an XSD type (NCName)
    xsd: bool               # True: `key` names an XML Schema datatype
    repeatable: bool        # maxOccurs="unbounded": a space-separated list


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
    owner: str                      # the element the constraint is documented with


@dataclass
class ElementSpec:
    ident: str
    desc: str
    classes: list[str]
    content: etree._Element | None
    own_attributes: dict[str, AttDef]
    constraints: list[Constraint]
    examples: list[etree._Element]  # egXML elements
    line: int


@dataclass
class ClassSpec:
    ident: str
    desc: str
    attributes: dict[str, AttDef]


@dataclass
class MacroSpec:
    ident: str
    desc: str
    content: etree._Element


@dataclass
class Odd:
    path: Path
    tree: etree._ElementTree
    start: list[str]
    ns: str
    elements: dict[str, ElementSpec] = field(default_factory=dict)
    classes: dict[str, ClassSpec] = field(default_factory=dict)
    macros: dict[str, MacroSpec] = field(default_factory=dict)

    def attributes(self, element: str) -> dict[str, AttDef]:
        """All attributes an element may carry: its classes' first, then its own (which override)."""
        spec = self.elements[element]
        merged: dict[str, AttDef] = {}
        for cls in spec.classes:
            merged.update(self.classes[cls].attributes)
        merged.update(spec.own_attributes)
        return merged

    def constraints(self) -> list[Constraint]:
        return [c for spec in self.elements.values() for c in spec.constraints]

    def children(self, element: str) -> set[str]:
        """Names of the elements allowed anywhere inside `element` (for hints)."""
        spec = self.elements[element]
        return self._refs(spec.content, set()) if spec.content is not None else set()

    def content_summary(self, element: str) -> str:
        """The content model in compact DTD-like notation: titleStmt, publicationStmt, notesStmt?, sourceDesc."""
        spec = self.elements[element]
        if spec.content is None:
            return "empty"
        children = [c for c in spec.content if isinstance(c.tag, str)]
        if len(children) == 1 and etree.QName(children[0]).localname == "macroRef":
            macro = self.macros[children[0].get("key")]
            children = [c for c in macro.content if isinstance(c.tag, str)]   # one level, for readability
        if len(children) == 1 and etree.QName(children[0]).localname in ("sequence", "alternate") and not (
                children[0].get("minOccurs") or children[0].get("maxOccurs")):
            sep = ", " if etree.QName(children[0]).localname == "sequence" else " | "
            return sep.join(_summary(c) for c in children[0] if isinstance(c.tag, str))
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
    children = [_summary(c) for c in node if isinstance(c.tag, str)]
    if len(children) == 1 and children[0][-1] not in "?*+":
        return children[0] + suffix
    joined = (", " if local == "sequence" else " | ").join(children)
    return f"({joined}){suffix}" if suffix or len(children) > 1 else joined


def _text(el: etree._Element | None) -> str:
    """The prose of a desc (whitespace normalised; <gi>x</gi> kept as its text)."""
    return " ".join("".join(el.itertext()).split()) if el is not None else ""


def _refuse(path: Path, el: etree._Element, what: str) -> EditionError:
    return EditionError(f"{path}:{el.sourceline}: {what}",
                        hint="the edition's ODD compiler supports self-contained specs; see tei_edition/schema/odd.py")


def _att_def(path: Path, el: etree._Element) -> AttDef:
    att = AttDef(name=el.get("ident"), usage=el.get("usage", "opt"), desc=_text(el.find(T + "desc")),
                 line=el.sourceline)
    vl = el.find(T + "valList")
    if vl is not None:
        if vl.get("type") != "closed":
            raise _refuse(path, vl, "only closed value lists are used in this edition")
        att.values = [(vi.get("ident"), _text(vi.find(T + "desc"))) for vi in vl.findall(T + "valItem")]
    dt = el.find(T + "datatype")
    if dt is not None:
        ref = dt.find(T + "dataRef")
        if ref is None or not (ref.get("key") or ref.get("name")):
            raise _refuse(path, dt, "datatype must hold a dataRef with key or name")
        att.datatype = Datatype(key=ref.get("key") or ref.get("name"), xsd=ref.get("name") is not None,
                                repeatable=dt.get("maxOccurs") == "unbounded")
    if att.values is None and att.datatype is None:
        raise _refuse(path, el, f"attribute {att.name} needs a closed valList or a datatype")
    return att


def _att_list(path: Path, spec: etree._Element) -> dict[str, AttDef]:
    atts = {}
    for el in spec.findall(f"{T}attList/{T}attDef"):
        att = _att_def(path, el)
        atts[att.name] = att
    return atts


def _check_content(path: Path, content: etree._Element) -> None:
    for el in content.iter():
        if el is content or not isinstance(el.tag, str):
            continue
        local = etree.QName(el).localname
        if etree.QName(el).namespace != TEI_NS or local not in CONTENT_TAGS:
            raise _refuse(path, el, f"content model element <{local}> is not supported")


def load_odd(path: Path) -> Odd:
    tree = parse_file(path)
    spec = tree.find(f".//{T}schemaSpec")
    if spec is None:
        raise EditionError(f"{path}: no schemaSpec", hint="the ODD must hold one schemaSpec")
    odd = Odd(path=path, tree=tree, start=spec.get("start", "TEI").split(), ns=spec.get("ns", TEI_NS))
    for el in spec:
        if not isinstance(el.tag, str):
            continue
        kind = etree.QName(el).localname
        ident = el.get("ident")
        desc = _text(el.find(T + "desc"))
        if el.get("mode", "replace") != "replace":
            raise _refuse(path, el, f"{kind} {ident}: only mode=\"replace\" (self-contained specs) is supported")
        if kind == "classSpec":
            odd.classes[ident] = ClassSpec(ident, desc, _att_list(path, el))
        elif kind == "macroSpec":
            content = el.find(T + "content")
            _check_content(path, content)
            odd.macros[ident] = MacroSpec(ident, desc, content)
        elif kind == "elementSpec":
            content = el.find(T + "content")
            if content is not None:
                _check_content(path, content)
            constraints = [
                Constraint(cs.get("ident"), _text(cs.find(T + "desc")),
                           list(cs.iterfind(f"{T}constraint/{{{SCH_NS}}}rule")), ident)
                for cs in el.findall(T + "constraintSpec")]
            odd.elements[ident] = ElementSpec(
                ident=ident, desc=desc, classes=[m.get("key") for m in el.iterfind(f"{T}classes/{T}memberOf")],
                content=content, own_attributes=_att_list(path, el), constraints=constraints,
                examples=list(el.iterfind(f"{T}exemplum/{{{EX_NS}}}egXML")), line=el.sourceline)
        else:
            raise _refuse(path, el, f"<{kind}> inside schemaSpec is not supported")
    _check_references(odd)
    return odd


def _check_references(odd: Odd) -> None:
    """Every referenced element, macro and class is specified: a typo is an error, not a hole."""
    for spec in odd.elements.values():
        for cls in spec.classes:
            if cls not in odd.classes:
                raise EditionError(f"{odd.path}:{spec.line}: {spec.ident} is member of unknown class {cls}")
    contents = [s.content for s in odd.elements.values() if s.content is not None]
    contents += [m.content for m in odd.macros.values()]
    for content in contents:
        for ref in content.iter(T + "elementRef", T + "macroRef"):
            table = odd.elements if ref.tag == T + "elementRef" else odd.macros
            if ref.get("key") not in table:
                raise EditionError(f"{odd.path}:{ref.sourceline}: reference to unspecified {ref.get('key')}",
                                   hint="add an elementSpec/macroSpec for it or fix the key")
