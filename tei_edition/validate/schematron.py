"""The ODD's Schematron rules, evaluated with one XPath per assertion.

lxml's ISO Schematron runs every pattern as an XSLT pass over the whole document (about 1 s for the
edition); asking libxml2 once per assertion for `//context[not(test)]` gives the same failures in a few
milliseconds. The subset the ODD uses is supported — sch:rule with a context, sch:assert / sch:report
with role, sch:value-of and sch:name in messages, XSLT's current() (a rule using it is checked node by
node) — and tests compare the results with lxml.isoschematron and with the TEI's own Schematron.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from .. import TEI_NS
from ..diagnostics import Diagnostic
from ..schema.odd import SCH_NS, Odd
from ..schema.to_sch import checked_rules
from .locate import Locator

S = "{%s}" % SCH_NS
NS = {"tei": TEI_NS, "xml": "http://www.w3.org/XML/1998/namespace"}


@dataclass
class Check:
    rule_id: str                 # the constraintSpec's ident
    query: etree.XPath           # selects the nodes that fail (or, with `per_node`, the rule's context)
    message: etree._Element      # sch:assert / sch:report, for its text and value-of
    severity: str
    per_node: etree.XPath | None = None     # a test using current(): evaluated on each context node
    needs: str | None = None                # an element the context cannot match without ("{ns}name")
    from_needed: etree.XPath | None = None  # `query` from that element (self::…): for a document holding one


_FIRST_STEP = re.compile(r"tei:([A-Za-z][\w.-]*)(?=$|[\[/])")
_POSITIONAL = re.compile(r"\[\s*\d|position\(\)|last\(\)")


def needed_element(context: str) -> str | None:
    """The element a rule's context must find for it to match anything: its first step's name
    (`tei:note[@place]` → tei:note), or None when it has none or more than one path (`tei:*`, `a | b`)."""
    if "|" in context:
        return None
    m = _FIRST_STEP.match(context.strip())
    return "{%s}%s" % (TEI_NS, m.group(1)) if m else None


def compile_checks(odd: Odd) -> list[Check]:
    checks = []
    for constraint in odd.constraints():
        for rule in checked_rules(constraint):
            context = rule.get("context")
            for test in rule:
                if not isinstance(test.tag, str) or test.tag not in (S + "assert", S + "report"):
                    continue
                cond = test.get("test")
                predicate = f"not({cond})" if test.tag == S + "assert" else f"({cond})"
                severity = "warning" if test.get("role") in ("warning", "nonfatal", "info") else "error"
                needs = needed_element(context)
                # from the one element the context needs, when the document has one (its TEI, its text):
                # the same nodes without walking the whole tree; not for a positional step, whose
                # meaning the self axis would change
                local = needs is not None and not _POSITIONAL.search(context)
                if "current()" in cond:
                    checks.append(Check(constraint.ident, etree.XPath(f"//{context}", namespaces=NS), test,
                                        severity, etree.XPath(f"boolean({predicate.replace('current()', '$current')})",
                                                              namespaces=NS), needs,
                                        etree.XPath(f"self::{context}", namespaces=NS) if local else None))
                else:
                    checks.append(Check(constraint.ident, etree.XPath(f"//{context}[{predicate}]", namespaces=NS),
                                        test, severity, needs=needs,
                                        from_needed=etree.XPath(f"self::{context}[{predicate}]", namespaces=NS)
                                        if local else None))
    return checks


def message(test: etree._Element, node: etree._Element) -> str:
    parts = [test.text or ""]
    for child in test:
        if child.tag == S + "value-of":
            value = node.xpath(f"string({child.get('select')})", namespaces=NS)
            parts.append(str(value))
        elif child.tag == S + "name":
            parts.append(etree.QName(node).localname)
        elif isinstance(child.tag, str):
            parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def run(checks: list[Check], tree: etree._ElementTree, path: str, loc: Locator,
        present: dict[str, int] | None = None) -> list[Diagnostic]:
    """The failures of every check; `present`, when given, how many elements of each name the document
    holds (every name): a check whose context needs an element the document lacks is skipped, and one
    whose element occurs once is evaluated from it (each check walks the whole tree, ~14 ms for d001; a
    quarter of them look for elements most documents never use, lg, listEvent, and eight start at TEI)."""
    out = []
    for check in checks:
        count = present.get(check.needs, 0) if present is not None and check.needs is not None else None
        if count == 0:
            continue
        if count == 1 and check.from_needed is not None and check.needs is not None:
            nodes = check.from_needed(next(tree.iter(check.needs)))
        else:
            nodes = check.query(tree)
        if check.per_node is not None:
            nodes = [n for n in nodes if check.per_node(n, current=n)]
        for node in nodes:
            el = node if isinstance(node, etree._Element) else node.getparent()
            line, col = loc.element(el)
            out.append(Diagnostic(path, line, col, check.severity, message(check.message, el), check.rule_id))
    return out
