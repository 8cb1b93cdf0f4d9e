"""ODD → RELAX NG (XML syntax): one define per element and macro, attributes written out per element.

Datatypes map TEI's names to XML Schema types. The grammar is standalone (it does not include tei_all),
which keeps it small enough for lxml/libxml2 to compile in milliseconds.
"""

from __future__ import annotations

from lxml import etree

from ..diagnostics import EditionError

from .. import XML_NS
from .odd import AttDef, Odd

RNG_NS = "http://relaxng.org/ns/structure/1.0"
XSD_TYPES = "http://www.w3.org/2001/XMLSchema-datatypes"
A_NS = "http://relaxng.org/ns/compatibility/annotations/1.0"
R = "{%s}" % RNG_NS

# TEI datatype → XSD type(s); more than one means "any of these".
TEI_DATATYPES: dict[str, tuple[str, ...]] = {
    "teidata.pointer": ("anyURI",),
    "teidata.language": ("language",),
    "teidata.temporal.w3c": ("date", "gYearMonth", "gYear", "dateTime"),
    "teidata.text": ("string",),
    "teidata.xpath": ("string",),
    "teidata.word": ("token",),
    "teidata.count": ("nonNegativeInteger",),
}


def xsd_types(att: AttDef) -> tuple[str, ...]:
    dt = att.datatype
    assert dt is not None, f"{att.name}: only attributes with a datatype are typed"
    if dt.xsd:
        return (dt.key,)
    if dt.key not in TEI_DATATYPES:
        raise EditionError(f"edition.odd: attribute {att.name}: datatype {dt.key} is not supported",
                           hint=f"use one of {', '.join(sorted(TEI_DATATYPES))} or an XSD type")
    return TEI_DATATYPES[dt.key]


def _r(tag: str, parent: etree._Element | None = None, **attrib: str) -> etree._Element:
    el = etree.Element(R + tag, attrib) if parent is None else etree.SubElement(parent, R + tag, attrib)
    return el


def _occurs(node: etree._Element, parent: etree._Element) -> etree._Element:
    """Wrap according to minOccurs/maxOccurs; returns the element the pattern goes into."""
    lo, hi = node.get("minOccurs", "1"), node.get("maxOccurs", "1")
    wrapper = {("0", "1"): "optional", ("0", "unbounded"): "zeroOrMore", ("1", "unbounded"): "oneOrMore"}.get((lo, hi))
    if (lo, hi) == ("1", "1"):
        return parent
    if wrapper is None:
        raise ValueError(f"line {node.sourceline}: minOccurs={lo} maxOccurs={hi} is not supported")
    return _r(wrapper, parent)


def _content(node: etree._Element, parent: etree._Element) -> None:
    local = etree.QName(node).localname
    target = _occurs(node, parent)
    if local == "elementRef" or local == "macroRef":
        _r("ref", target, name=node.get("key"))
    elif local == "textNode":
        _r("text", target)
    elif local == "empty":
        _r("empty", target)
    elif local in ("sequence", "alternate"):
        group = _r("group" if local == "sequence" else "choice", target)
        for child in node:
            if isinstance(child.tag, str):
                _content(child, group)


def _content_model(content: etree._Element | None, parent: etree._Element) -> None:
    children = [c for c in content if isinstance(c.tag, str)] if content is not None else []
    if not children:
        _r("empty", parent)
        return
    holder = parent if len(children) == 1 else _r("group", parent)
    for child in children:
        _content(child, holder)


def _value_pattern(att: AttDef, parent: etree._Element) -> None:
    if att.values is not None:
        choice = _r("choice", parent)
        for value, _ in att.values:
            _r("value", choice, type="token").text = value
        return
    types = xsd_types(att)
    holder = parent
    if att.datatype is not None and att.datatype.repeatable:
        holder = _r("oneOrMore", _r("list", parent))
    if len(types) > 1:
        holder = _r("choice", holder)
    for t in types:
        _r("data", holder, type=t)


def _attribute(att: AttDef, parent: etree._Element) -> None:
    holder = parent if att.required else _r("optional", parent)
    if att.name.startswith("xml:"):
        el = _r("attribute", holder, name=att.name.split(":", 1)[1], ns=XML_NS)
    else:
        el = _r("attribute", holder, name=att.name)
    if att.desc:
        etree.SubElement(el, "{%s}documentation" % A_NS).text = att.desc
    _value_pattern(att, el)


def build_rng(odd: Odd) -> etree._Element:
    grammar = etree.Element(R + "grammar", {"ns": odd.ns, "datatypeLibrary": XSD_TYPES},
                            nsmap={None: RNG_NS, "a": A_NS})
    grammar.append(etree.Comment(f" Generated from {odd.path.name} by `edition schema`: do not edit. "))
    start = _r("start", grammar)
    holder = start if len(odd.start) == 1 else _r("choice", start)
    for name in odd.start:
        _r("ref", holder, name=name)
    for name, macro in odd.macros.items():
        define = _r("define", grammar, name=name)
        _content_model(macro.content, define)
    for name, spec in odd.elements.items():
        element = _r("element", _r("define", grammar, name=name), name=name)
        if spec.desc:
            etree.SubElement(element, "{%s}documentation" % A_NS).text = spec.desc
        for att in odd.attributes(name).values():
            _attribute(att, element)
        _content_model(spec.content, element)
    return grammar


def build_rng_for(odd: Odd, start: str) -> etree._Element:
    """The same grammar with another start element (to validate an example fragment)."""
    grammar = build_rng(odd)
    start_el = grammar.find(R + "start")
    for child in list(start_el):
        start_el.remove(child)
    _r("ref", start_el, name=start)
    return grammar


def rng_bytes(odd: Odd) -> bytes:
    grammar = build_rng(odd)
    etree.indent(grammar, space="  ")
    return etree.tostring(grammar, xml_declaration=True, encoding="UTF-8", pretty_print=True)
