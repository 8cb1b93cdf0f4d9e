"""The ODD's Schematron rules, evaluated with one XPath per assertion.

lxml's ISO Schematron runs every pattern as an XSLT pass over the whole document (about 1 s for the
edition); asking libxml2 once per assertion for `//context[not(test)]` gives the same failures in a few
milliseconds. The subset the ODD uses is supported — sch:rule with a context, sch:assert / sch:report
with role, sch:value-of in messages — and a test compares the results with lxml.isoschematron.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from .. import TEI_NS
from ..diagnostics import Diagnostic
from ..schema.odd import SCH_NS, Odd
from .locate import Locator

S = "{%s}" % SCH_NS
NS = {"tei": TEI_NS, "xml": "http://www.w3.org/XML/1998/namespace"}


@dataclass
class Check:
    rule_id: str                 # the constraintSpec's ident
    query: etree.XPath           # selects the nodes that fail
    message: etree._Element      # sch:assert / sch:report, for its text and value-of
    severity: str


def compile_checks(odd: Odd) -> list[Check]:
    checks = []
    for constraint in odd.constraints():
        for rule in constraint.rules:
            context = rule.get("context")
            for test in rule:
                if not isinstance(test.tag, str) or test.tag not in (S + "assert", S + "report"):
                    continue
                cond = test.get("test")
                predicate = f"not({cond})" if test.tag == S + "assert" else f"({cond})"
                severity = "warning" if test.get("role") in ("warning", "nonfatal", "info") else "error"
                checks.append(Check(constraint.ident, etree.XPath(f"//{context}[{predicate}]", namespaces=NS),
                                    test, severity))
    return checks


def message(test: etree._Element, node: etree._Element) -> str:
    parts = [test.text or ""]
    for child in test:
        if child.tag == S + "value-of":
            value = node.xpath(f"string({child.get('select')})", namespaces=NS)
            parts.append(str(value))
        elif isinstance(child.tag, str):
            parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def run(checks: list[Check], tree: etree._ElementTree, path: str, loc: Locator) -> list[Diagnostic]:
    out = []
    for check in checks:
        for node in check.query(tree):
            el = node if isinstance(node, etree._Element) else node.getparent()
            line, col = loc.element(el)
            out.append(Diagnostic(path, line, col, check.severity, message(check.message, el), check.rule_id))
    return out
