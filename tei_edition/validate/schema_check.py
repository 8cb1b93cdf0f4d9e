"""Validation against the project schema: RELAX NG and Schematron compiled from the ODD, plus precise
attribute messages from the same ODD (libxml2 only says "failed to validate attributes")."""

from __future__ import annotations

import copy
import difflib
import re
from dataclasses import dataclass

from lxml import etree

from .. import TEI_NS, XML_NS
from ..diagnostics import Diagnostic
from ..trees import AS_IS, splice
from ..schema.odd import Odd
from ..schema.to_rng import PATTERNS, build_rng, xsd_types
from . import datatypes, schematron
from .locate import Locator
from .tei_elements import tei_elements

GUIDE = "docs/encoding-guidelines.md"
TEI_BRACE = "{%s}" % TEI_NS
XINCLUDE_NS = "http://www.w3.org/2001/XInclude"
DATE_TYPES = {"date", "gYearMonth", "gYear", "dateTime"}


@dataclass
class ProjectSchema:
    odd: Odd
    rng: etree.RelaxNG
    checks: list[schematron.Check]
    allowed: dict[str, dict]        # element → its attribute definitions (classes merged)
    required: dict[str, list]       # element → its required attribute definitions

    def __post_init__(self) -> None:
        # an attribute's verdict depends on its element, name and value only: the same @ref, @when or @rend
        # recurs thousands of times in an edition (52,918 attributes checked, ~8,000 distinct, at 1x)
        self._verdicts: dict[tuple[str, str, str], tuple[str, str, str] | None] = {}

    @classmethod
    def compile(cls, odd: Odd) -> "ProjectSchema":
        allowed = {name: odd.attributes(name) for name in odd.elements}
        return cls(odd, etree.RelaxNG(build_rng(odd)), schematron.compile_checks(odd), allowed,
                   {name: [a for a in atts.values() if a.required] for name, atts in allowed.items()})

    def check(self, tree: etree._ElementTree, path: str, loc: Locator) -> list[Diagnostic]:
        repairs: list[tuple[etree._Element, str | None, str | None]] = []
        present: dict[str, int] = {}       # how many elements of each name (for Schematron's rules)
        diags = self._attributes(tree, path, loc, repairs, present)
        diags += self._grammar(tree, path, loc, repairs)
        diags += schematron.run(self.checks, tree, path, loc, present)
        return diags

    # ---- attributes, from the ODD -------------------------------------------------------------
    def _attributes(self, tree: etree._ElementTree, path: str, loc: Locator,
                    repairs: list[tuple[etree._Element, str | None, str | None]],
                    present: dict[str, int] | None = None) -> list[Diagnostic]:
        """Attribute problems, precisely; `repairs` collects how to neutralise each for the grammar check.
        An element the schema does not know is said here too, at its own position (libxml2 would blame an
        ancestor: "<p> is out of place"), and left out of the grammar check."""
        out = []
        seen = present if present is not None else {}
        for el in tree.iter():
            if not isinstance(el.tag, str):
                continue
            seen[el.tag] = seen.get(el.tag, 0) + 1
            if not el.tag.startswith(TEI_BRACE):
                parent = el.getparent()
                if parent is not None and parent.tag.startswith(TEI_BRACE):   # the outermost one says it
                    out.append(_foreign(el, path, loc))
                    repairs.append((el, None, None))
                continue
            name = el.tag[len(TEI_BRACE):]
            allowed = self.allowed.get(name)
            if allowed is None:
                out.append(self._unknown(el, name, path, loc))
                repairs.append((el, None, None))
                continue
            for qname, value in el.attrib.items():
                att = f"xml:{qname[len(XML_NS) + 2:]}" if qname.startswith("{" + XML_NS) else (
                    qname if qname[0] != "{" else etree.QName(qname).localname)
                memo = (name, att, value)
                try:
                    found = self._verdicts[memo]
                except KeyError:
                    found = self._verdicts[memo] = self._attribute_problem(name, att, value, allowed)
                if found:
                    rule, message, hint = found
                    out.append(Diagnostic(path, *loc.attribute(el, att), "error", message, rule, hint))
                    spec = allowed.get(att)
                    repairs.append((el, qname, _sample(spec) if spec else None))
            for spec in self.required[name]:
                att = spec.name
                if _get(el, att) is None:
                    out.append(Diagnostic(path, *loc.element(el), "error", f"<{name}> needs attribute {att}",
                                          "schema-required", spec.desc))
                    qname = "{%s}%s" % (XML_NS, att[4:]) if att.startswith("xml:") else att
                    repairs.append((el, qname, _sample(spec)))
        return out

    def _unknown(self, el: etree._Element, name: str, path: str, loc: Locator) -> Diagnostic:
        """A TEI-namespace element the edition's schema lacks: one of TEI's (say which), or a misspelling."""
        if name in tei_elements():
            module, gloss = tei_elements()[name]
            return Diagnostic(path, *loc.element(el), "error", f"<{name}>{f' ({gloss})' if gloss else ''} is a TEI "
                              "element that the edition's schema does not include", "schema",
                              f"the edition's elements are listed in {GUIDE}; to encode with <{name}>, add it to "
                              f"tei/schema/edition.odd (TEI module {module}), then run `edition schema`")
        close = difflib.get_close_matches(name, self.allowed, n=2)
        return Diagnostic(path, *loc.element(el), "error", f"<{name}> is not an element of the edition's schema",
                          "schema", f"see {GUIDE} for the elements in use" +
                          ("; did you mean " + " or ".join(f"<{c}>" for c in close) + "?" if close else ""))

    def _attribute_problem(self, name: str, att: str, value: str, allowed: dict) -> tuple[str, str, str] | None:
        spec = allowed.get(att)
        if spec is None:
            return ("schema-attribute", f"attribute {att} is not allowed on <{name}>",
                    f"allowed on <{name}>: {', '.join(sorted(allowed)) or 'none'}")
        if spec.values is not None:
            if value in spec.value_set:
                return None
            return ("schema-value", f"<{name} {att}=\"{value}\">: value not in the edition's list",
                    "allowed: " + ", ".join(v for v, _ in spec.values) +
                    f" (to add one, edit tei/schema/edition.odd; see {GUIDE})")
        types = xsd_types(spec)
        for tok in (value.split() if spec.datatype.repeatable else [value]) or [""]:
            why = None if tok in spec.datatype.values else _value_problem(spec, types, tok)
            if why:
                message = f"<{name} {att}=\"{value}\">: '{tok}' {why}"
                if set(types) <= DATE_TYPES:
                    return ("date-iso", message, datatypes.iso_date_hint(tok))
                return ("schema-datatype", message, spec.desc)
        return None

    # ---- the grammar ----------------------------------------------------------------------------
    def _grammar(self, tree: etree._ElementTree, path: str, loc: Locator,
                 repairs: list[tuple[etree._Element, str | None, str | None]]) -> list[Diagnostic]:
        """Structure only: attribute problems are already reported, so the grammar checks a copy in which
        they are repaired (libxml2 would otherwise report confusing content errors around them)."""
        checked = tree
        if repairs:
            checked = etree.ElementTree(copy.deepcopy(tree.getroot()))
            # the copy in the same document order (a path would need the prefixes of foreign namespaces),
            # every twin found before any is dropped
            wanted = {el for el, _, _ in repairs}
            twin_of = {el: twin for el, twin in zip(tree.getroot().iter(), checked.getroot().iter()) if el in wanted}
            twins = [(twin_of[el], qname, value) for el, qname, value in repairs]
            for twin, qname, value in twins:
                if qname is None:
                    continue
                if value is None:
                    twin.attrib.pop(qname, None)
                else:
                    twin.set(qname, value)
            splice([twin for twin, qname, _ in twins if qname is None], lambda el: AS_IS)   # dropped, text kept
        if self.rng.validate(checked):
            return []
        out: list = []
        for err in self.rng.error_log:
            el = _element_at(tree, err.path)
            line, col = loc.element(el) if el is not None else (err.line or 1, 1)
            if err.type_name == "RELAXNG_ERR_CONTENTVALID" and out:
                continue   # "failed to validate content" repeats the error found inside
            if err.type_name == "RELAXNG_ERR_EXTRACONTENT" and not err.message.endswith(": text"):
                continue   # "has extra content: x" repeats "did not expect element x there"
            message, hint = self._explain(err.message, el)
            out.append(Diagnostic(path, line, col, "error", message, "schema", hint))
        return out

    def _explain(self, message: str, el: etree._Element | None) -> tuple[str, str]:
        """libxml2's message, said in the edition's terms, with the expected content as a hint."""
        name = etree.QName(el).localname if el is not None else ""
        m = re.match(r"Did not expect element (\S+) there", message)
        if m and el is not None:
            parent = el.getparent()
            pname = etree.QName(parent).localname if parent is not None else ""
            child = m.group(1)
            if child == "text" and name != "text":   # libxml2's name for a stray text node
                return f"<{name}> may not contain text", "move the text into a child element (e.g. <p>)"
            if child not in self.odd.elements:
                return (f"<{child}> is not an element of the edition's schema",
                        f"see {GUIDE} for the elements in use; TEI elements must be in the TEI namespace")
            if pname in self.odd.elements:
                where = "out of place" if child in self.odd.children(pname) else "not allowed"
                return (f"<{child}> is {where} here, inside <{pname}>", self._model_hint(pname))
        m = re.match(r"Expecting an element (\S*), got nothing", message)
        if m and name in self.odd.elements:
            missing = f"<{m.group(1)}> is missing" if m.group(1) else "a required element is missing"
            return f"<{name}> is incomplete: {missing} at its end", self._model_hint(name)
        m = re.match(r"Expecting element (\S+), got (\S+)", message)
        if m:
            parent = el.getparent() if el is not None else None
            pname = etree.QName(parent).localname if parent is not None else ""
            hint = self._model_hint(pname) if pname in self.odd.elements else f"see {GUIDE}"
            return f"expected <{m.group(1)}> here, found <{m.group(2)}>", hint
        m = re.match(r"Element (\S+) failed to validate content", message)
        if m and m.group(1) in self.odd.elements:
            return f"the content of <{m.group(1)}> does not match the schema", self._model_hint(m.group(1))
        if message.startswith("Element ") and "has extra content: text" in message:
            return f"<{message.split()[1]}> may not contain text", "move the text into a child element (e.g. <p>)"
        return message, ""

    def _model_hint(self, name: str) -> str:
        return f"<{name}> holds: {self.odd.content_summary(name)} (see {GUIDE})"


def _foreign(el: etree._Element, path: str, loc: Locator) -> Diagnostic:
    """An element of another namespace than TEI's inside a TEI file; XInclude said for what it is."""
    q = etree.QName(el)
    shown = f"<{el.prefix}:{q.localname}>" if el.prefix else f"<{q.localname}>"
    if q.namespace == XINCLUDE_NS:
        return Diagnostic(path, *loc.element(el), "error", f"{shown} is an XInclude: the edition never reads a "
                          "file or URL that a TEI file names", "xinclude",
                          "copy the text into this file (what the edition publishes is what its TEI files hold)")
    where = f"namespace {q.namespace}" if q.namespace else "no namespace"
    return Diagnostic(path, *loc.element(el), "error", f"{shown} is not a TEI element ({where})",
                      "schema-namespace", "the edition's files hold TEI elements only: encode this with TEI "
                      f"elements (see {GUIDE}), or remove it" +
                      ("" if q.namespace else f'; a TEI element is in the TEI namespace (xmlns="{TEI_NS}")'))


_SAMPLES = {"NCName": "x", "language": "en", "anyURI": "#x", "positiveInteger": "1", "nonNegativeInteger": "0",
            "date": "2000-01-01", "gYear": "2000", "gYearMonth": "2000-01", "dateTime": "2000-01-01T00:00:00"}


def _value_problem(spec, types: tuple[str, ...], value: str) -> str | None:
    """Why `value` is none of the datatype's types (each with its pattern facet), or None."""
    first = None
    for name, (_, pattern) in zip(types, spec.datatype.types):
        why = datatypes.problem(name, value) or (PATTERNS[pattern](value) if pattern else None)
        if why is None:
            return None
        first = first or why
    return first


def _sample(spec) -> str:
    """A value the grammar accepts for this attribute (to stand in for a reported bad one)."""
    if spec.values:
        return spec.values[0][0]
    return _SAMPLES.get(xsd_types(spec)[0], "x")




def _get(el: etree._Element, att: str) -> str | None:
    if att.startswith("xml:"):
        return el.get("{%s}%s" % (XML_NS, att[4:]))
    return el.get(att)


def _element_at(tree: etree._ElementTree, xpath: str | None) -> etree._Element | None:
    if not xpath:
        return None
    try:
        hits = tree.xpath(xpath)
    except etree.XPathError:
        return None
    return hits[0] if hits and isinstance(hits[0], etree._Element) else None
