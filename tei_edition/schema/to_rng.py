"""ODD → RELAX NG (XML syntax): one define per element and macro, attributes written out per element.

Datatypes are those the compiled ODD's dataSpecs resolve to. The grammar is standalone and flat (one
define per element, no TEI classes), which keeps it small enough for lxml/libxml2 to compile in
milliseconds, where libxml2 never finishes compiling the TEI Stylesheets' own grammar for this ODD.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from lxml import etree

from ..diagnostics import EditionError

from .. import XML_NS
from .odd import T, AttDef, Odd

RNG_NS = "http://relaxng.org/ns/structure/1.0"
XSD_TYPES = "http://www.w3.org/2001/XMLSchema-datatypes"
A_NS = "http://relaxng.org/ns/compatibility/annotations/1.0"
R = "{%s}" % RNG_NS

# XML Schema types the RELAX NG and the Python checks treat as another (xml:id's ID: uniqueness is checked
# across the whole edition by the id-duplicate rule, not per file by the grammar).
XSD_AS = {"ID": "NCName"}
SUPPORTED = {"NCName", "language", "anyURI", "string", "token", "positiveInteger", "nonNegativeInteger",
             "date", "gYearMonth", "gYear", "dateTime"}


def _no_space(value: str) -> str | None:
    return None if value and not re.search(r"\s", value) else "is empty or contains a space"


def _one_word(value: str) -> str | None:
    ok = value and all(unicodedata.category(c)[0] not in "CZ" for c in value)
    return None if ok else "is not one word (no spaces, no control characters)"


# pattern facets of TEI's datatypes, with the Python check that says the same: teidata.pointer, teidata.word
PATTERNS: dict[str, Callable[[str], str | None]] = {"\\S+": _no_space, "[^\\p{C}\\p{Z}]+": _one_word}


def xsd_types(att: AttDef) -> tuple[str, ...]:
    """The XML Schema types an attribute's datatype allows (any of them)."""
    names = tuple(XSD_AS.get(name, name) for name, _ in att.datatype.types)
    for (name, pattern), mapped in zip(att.datatype.types, names):
        if mapped not in SUPPORTED or (pattern is not None and pattern not in PATTERNS):
            facet = f" with pattern {pattern}" if pattern else ""
            raise EditionError(f"edition.odd: attribute {att.name}: XML Schema type {name}{facet} "
                               f"(datatype {att.datatype.key}) is not supported",
                               hint=f"use a datatype made of {', '.join(sorted(SUPPORTED))}, "
                                    "or a closed valList")
    return names


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
    if att.datatype.repeatable:
        holder = _r("oneOrMore", _r("list", parent))
    if len(types) + len(att.datatype.values) > 1:
        holder = _r("choice", holder)
    for name, (_, pattern) in zip(types, att.datatype.types):
        data = _r("data", holder, type=name)
        if pattern is not None:
            _r("param", data, name="pattern").text = pattern
    for value in att.datatype.values:       # literal values the datatype also allows (xml:lang="")
        _r("value", holder, type="token").text = value


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
