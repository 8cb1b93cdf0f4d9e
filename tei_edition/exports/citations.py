"""The citation structure of a document: declared in its header (refsDecl/citeStructure, TEI P5 4.x)
and the citable units it yields (divisions and paragraphs), for the DTS API and the stable URLs.

A document that declares no citeStructure gets the edition's default one (`default_refs_decl`, the
same as sources/profiles/encodingDesc.xml gives every imported document): divisions at any depth down
to MAX_DEPTH, and the paragraphs of each division (also those of a block quotation standing in it).
References are the local part of the xml:ids, a division joined to its parent by "." and a paragraph by
"_", so "div40.div59_p512" is paragraph d001-p512 in division d001-div59 in division d001-div40.

Written so that the DTS reference implementation (dapytains) builds the same tree: two branches under
one unit need two delimiters (it tells the branches apart by the delimiter alone), and a union in @match
is bracketed (it appends the @use predicate to the match: `p|quote/p[…]` would test quote/p only).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from .. import TEI_NS, XML_NS
from ..diagnostics import EditionError

T = "{%s}" % TEI_NS
XML_ID = "{%s}id" % XML_NS
NS = {"tei": TEI_NS}
MAX_DEPTH = 6           # deepest division the default declaration reaches (d001 has 5 levels)
USE = "substring-after(@xml:id, '-')"
# A document added from elsewhere has its own ids (or none): its units are counted instead, "div3_p12" being
# the third division and the twelfth paragraph of the text, so every unit has one reference.
POSITION_USE = {u: f"concat('{u}', count(preceding::*[local-name() = '{u}']) + count(ancestor::*[local-name() = '{u}'])"
                   " + 1)" for u in ("div", "p")}
DELIM = "."             # a division under its parent division
P_DELIM = "_"           # a paragraph under its division
P_MATCH = "(p|quote!p)"   # "quote!p" (XPath 3): dapytains splits a path at every "/"


def default_refs_decl(depth: int = MAX_DEPTH, positional: bool = False) -> etree._Element:
    """<refsDecl> with nested <citeStructure>: div (any depth to `depth`) and p under every div; references
    from the xml:ids (the edition's convention), or `positional`ly counted."""
    refs = etree.Element(T + "refsDecl", nsmap={None: TEI_NS})

    def level(parent: etree._Element, match: str, d: int) -> None:
        div = etree.SubElement(parent, T + "citeStructure", unit="div", match=match,
                               use=POSITION_USE["div"] if positional else USE)
        if d > 1:
            div.set("delim", DELIM)
        etree.SubElement(div, T + "citeStructure", unit="p", match=P_MATCH,
                         use=POSITION_USE["p"] if positional else USE, delim=P_DELIM)
        if d < depth:
            level(div, "div", d + 1)

    level(refs, "/TEI/text/*/div", 1)
    return refs


# --- evaluating a citeStructure declaration -----------------------------------------------------

_NAME = re.compile(r"(?<![@\w:.\-$])([A-Za-z_][\w\-]*(?:\.[\w\-]+)*)(?![\w\-]*\s*\()(?![\w\-]*\s*::)")


def tei_xpath(expr: str) -> str:
    """A citeStructure XPath (element names in the TEI namespace by default) for lxml: `div` → `tei:div`.
    Quoted strings, attributes, functions and axes are left alone. XPath 3's simple map between element
    steps (`quote!p`), which lxml's XPath 1.0 lacks, is read as the path it equals (`quote/p`)."""
    parts = re.split(r"('[^']*'|\"[^\"]*\")", expr)
    for i in range(0, len(parts), 2):
        parts[i] = re.sub(r"!(?!=)", "/", parts[i])
        parts[i] = _NAME.sub(lambda m: m.group(1) if m.group(1) in ("and", "or", "mod") else "tei:" + m.group(1),
                             parts[i])
    return "".join(parts)


@dataclass
class CitableUnit:
    ref: str
    level: int
    parent: str | None
    cite_type: str
    element: etree._Element = field(repr=False)
    children: list["CitableUnit"] = field(default_factory=list, repr=False)

    @property
    def xml_id(self) -> str | None:
        return self.element.get(XML_ID)

    def walk(self):
        """This unit and every unit below it, in document order (a stack, not nested generators: a
        unit at depth d cost d generator frames per step, and DTS walks every unit's subtree)."""
        stack = [self]
        while stack:
            unit = stack.pop()
            yield unit
            stack.extend(reversed(unit.children))


def declared_cite_structure(root: etree._Element) -> etree._Element | None:
    """The document's own top-level refsDecl that holds citeStructure, if any."""
    for refs in root.iterfind(f"{T}teiHeader/{T}encodingDesc/{T}refsDecl"):
        if refs.find(T + "citeStructure") is not None:
            return refs
    return None


def citable_units(root: etree._Element, doc_id: str = "") -> list[CitableUnit]:
    """The top-level citable units of a TEI document (each with its children), in document order,
    from its declared citeStructure or the edition's default."""
    refs = declared_cite_structure(root)
    if refs is None:
        refs = default_refs_decl(positional=not follows_id_convention(root))
    top: list[CitableUnit] = []
    seen: dict[str, CitableUnit] = {}

    def evaluate(struct: etree._Element, context: etree._Element, parent: CitableUnit | None,
                 out: list[CitableUnit]) -> None:
        match, use = struct.get("match", ""), struct.get("use", "")
        try:
            nodes = context.xpath(tei_xpath(match), namespaces=NS)
        except etree.XPathError as exc:
            raise EditionError(f"{doc_id}: citeStructure match={match!r} is not a usable XPath ({exc})",
                               hint="fix the refsDecl in the TEI header") from None
        for node in nodes:
            value = node.xpath(f"string({tei_xpath(use)})", namespaces=NS)
            if not value:
                raise EditionError(
                    f"{doc_id}:{node.sourceline}: a <{etree.QName(node).localname}> matched by citeStructure "
                    f"match={match!r} has no value for use={use!r}",
                    hint="give the element an xml:id (dNNN-div4, dNNN-p12) or change the citeStructure")
            ref = (parent.ref + (struct.get("delim") or "") + value) if parent else value
            if ref in seen:
                raise EditionError(f"{doc_id}:{node.sourceline}: citation reference {ref!r} occurs twice",
                                   hint="make the xml:ids unique or change the citeStructure")
            unit = CitableUnit(ref, parent.level + 1 if parent else 1, parent.ref if parent else None,
                               struct.get("unit", "unit"), node)
            seen[ref] = unit
            out.append(unit)
            for child in struct.iterfind(T + "citeStructure"):
                evaluate(child, node, unit, unit.children)

    for struct in refs.iterfind(T + "citeStructure"):
        evaluate(struct, root, None, top)
    # siblings from different citeStructures (p and div under one div) back into document order
    order = {el: i for i, el in enumerate(root.iter())}

    def sort(units: list[CitableUnit]) -> None:
        units.sort(key=lambda u: order[u.element])
        for u in units:
            sort(u.children)

    sort(top)
    if declared_cite_structure(root) is None:
        _check_default_coverage(root, top, doc_id)
    return top


def _check_default_coverage(root: etree._Element, top: list[CitableUnit], doc_id: str) -> None:
    """The default declaration reaches MAX_DEPTH levels of div: a deeper division would silently lose its
    references, so say so."""
    cited = {u.element for u in all_units(top)}
    for div in root.iterfind(f"{T}text//{T}div"):
        if div not in cited:
            raise EditionError(f"{doc_id}:{div.sourceline}: division {div.get(XML_ID)!r} is not reached by the "
                               f"edition's default citation structure ({MAX_DEPTH} levels of div)",
                               hint="raise citations.MAX_DEPTH, or declare a citeStructure in the document's "
                                    "refsDecl")


def all_units(top: list[CitableUnit]) -> list[CitableUnit]:
    return [u for t in top for u in t.walk()]


def follows_id_convention(root: etree._Element) -> bool:
    """The text's divisions and paragraphs carry xml:ids "<document id>-<local part>" (as the edition's importer
    writes them: the default references are read from them, and one without an id is an error to report), or
    the document comes from elsewhere, with ids of its own or none (its units are counted). Told by the first."""
    text = root.find(T + "text")
    prefix = (root.get(XML_ID) or "") + "-"
    units = text.xpath(".//tei:div | .//tei:p", namespaces=NS) if text is not None else []
    return not units or prefix == "-" or any((u.get(XML_ID) or "").startswith(prefix) for u in units)


def ensure_refs_decl(root: etree._Element) -> bool:
    """Add the default refsDecl to a document's encodingDesc when it declares none; True if added."""
    if declared_cite_structure(root) is not None:
        return False
    enc = root.find(f"{T}teiHeader/{T}encodingDesc")
    header = root.find(T + "teiHeader")
    if header is None:
        raise EditionError("a TEI document without teiHeader", hint="every TEI document needs a teiHeader")
    if enc is None:
        enc = etree.Element(T + "encodingDesc")
        file_desc = header.find(T + "fileDesc")
        file_desc.addnext(enc)
    refs = default_refs_decl(positional=not follows_id_convention(root))
    after = enc.find(T + "editorialDecl")
    if after is None:
        after = enc[-1] if len(enc) else None
    if after is not None:
        after.addnext(refs)
        refs.tail, after.tail = after.tail, "\n" + "  " * 3
    else:
        enc.append(refs)
    etree.indent(refs, space="  ", level=3)
    return True
