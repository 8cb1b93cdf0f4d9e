"""ODD → ISO Schematron: one pattern per constraintSpec, its id the rule id that diagnostics report."""

from __future__ import annotations

import copy

from lxml import etree

from .. import TEI_NS
from .odd import SCH_NS, Odd

S = "{%s}" % SCH_NS


def build_sch(odd: Odd) -> etree._Element:
    schema = etree.Element(S + "schema", {"queryBinding": "xslt"}, nsmap={"sch": SCH_NS})
    schema.append(etree.Comment(f" Generated from {odd.path.name} by `edition schema`: do not edit. "))
    etree.SubElement(schema, S + "ns", prefix="tei", uri=TEI_NS)
    for c in odd.constraints():
        pattern = etree.SubElement(schema, S + "pattern", id=c.ident)
        if c.desc:
            etree.SubElement(pattern, S + "title").text = c.desc
        for rule in c.rules:
            pattern.append(copy.deepcopy(rule))
    _clean_namespaces(schema)
    return schema


def _clean_namespaces(schema: etree._Element) -> None:
    """Rules copied from the ODD carry its TEI default namespace; Schematron needs only sch."""
    etree.cleanup_namespaces(schema, top_nsmap={"sch": SCH_NS})


def sch_bytes(odd: Odd) -> bytes:
    schema = build_sch(odd)
    for el in schema.iter():
        if isinstance(el.tag, str) and el.tag in (S + "assert", S + "report"):
            continue
    etree.indent(schema, space="  ")
    return etree.tostring(schema, xml_declaration=True, encoding="UTF-8", pretty_print=True)
