"""ODD → ISO Schematron: one pattern per constraintSpec, its id the rule id that diagnostics report.

The constraints are the edition's and those TEI attaches to the elements and attribute classes the edition
uses. TEI writes some tests in XPath 2 (`string-length(.) gt 0`); the comparisons of that kind are written
here as XPath 1, so the Schematron runs with queryBinding="xslt" (lxml, the validator's fast evaluator);
anything else that XPath 1 lacks is refused with the constraint's name.
"""

from __future__ import annotations

import copy
import re

from lxml import etree

from .. import TEI_NS
from ..diagnostics import EditionError
from .odd import SCH_NS, Constraint, Odd

S = "{%s}" % SCH_NS
NS = {"tei": TEI_NS, "xml": "http://www.w3.org/XML/1998/namespace"}
# XPath 2 value comparisons → XPath 1 general comparisons (the same for the single values TEI compares)
COMPARISONS = {"eq": "=", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}
_QUOTED = re.compile(r"('[^']*'|\"[^\"]*\")")
SUPPORTED = {S + tag for tag in ("rule", "assert", "report", "value-of", "name", "emph")}
_OPERATOR = re.compile(r"(?<=[\s)\]])(eq|ne|lt|le|gt|ge)(?=[\s(])")


def xpath1(expr: str) -> str:
    """`expr` with XPath 2 value comparisons written as XPath 1 (string literals left alone)."""
    parts = _QUOTED.split(expr)
    return "".join(p if i % 2 else _OPERATOR.sub(lambda m: COMPARISONS[m.group(1)], p)
                   for i, p in enumerate(parts))


def checked_rules(c: Constraint) -> list[etree._Element]:
    """The constraint's rules with XPath 1 tests; a test XPath 1 cannot evaluate is an error."""
    rules = []
    for rule in c.rules:
        rule = copy.deepcopy(rule)
        for node in rule.iter():
            if not isinstance(node.tag, str):
                continue
            if node.tag not in SUPPORTED:
                raise EditionError(f"constraint {c.ident} ({c.owner}): <sch:{etree.QName(node).localname}> "
                                   "is not supported by the edition's Schematron evaluator",
                                   hint="write the rule with sch:assert/sch:report only, or delete the "
                                        "constraint in edition.odd (constraintSpec mode=\"delete\")")
            for att in ("context", "test", "select"):
                if node.get(att) is not None:
                    node.set(att, xpath1(node.get(att)))
                    _compile(c, node.get(att).replace("current()", "$current"), att)
        rules.append(rule)
    return rules


def _compile(c: Constraint, expr: str, att: str) -> None:
    try:
        etree.XPath(f"//{expr}" if att == "context" else expr, namespaces=NS)
    except etree.XPathError as exc:
        raise EditionError(f"constraint {c.ident} ({c.owner}): {att}=\"{expr}\" is not XPath 1 ({exc})",
                           hint="rewrite the test in XPath 1, or delete the constraint in edition.odd "
                                "(constraintSpec mode=\"delete\")") from None


def build_sch(odd: Odd) -> etree._Element:
    schema = etree.Element(S + "schema", {"queryBinding": "xslt"}, nsmap={"sch": SCH_NS})
    schema.append(etree.Comment(f" Generated from {odd.path.name} by `edition schema`: do not edit. "))
    etree.SubElement(schema, S + "ns", prefix="tei", uri=TEI_NS)
    for c in odd.constraints():
        pattern = etree.SubElement(schema, S + "pattern", id=c.ident)
        if c.desc:
            etree.SubElement(pattern, S + "title").text = c.desc
        for rule in checked_rules(c):
            pattern.append(rule)
    _clean_namespaces(schema)
    return schema


def _clean_namespaces(schema: etree._Element) -> None:
    """Rules copied from the ODD carry its TEI default namespace; Schematron needs only sch."""
    etree.cleanup_namespaces(schema, top_nsmap={"sch": SCH_NS})


def sch_bytes(odd: Odd) -> bytes:
    schema = build_sch(odd)
    etree.indent(schema, space="  ")
    return etree.tostring(schema, xml_declaration=True, encoding="UTF-8", pretty_print=True)
