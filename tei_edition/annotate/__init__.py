"""Annotation: link names to the register, tag dates, encode corrections — over a parsed TEI tree.

Every step only wraps existing text in new elements (persName, orgName, placeName, date, choice) or adds
editors' text marked resp="#ed", so the fidelity proof keeps holding; and every step skips what an
earlier run encoded, so annotating an annotated document changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from .. import XML_NS
from . import corrections, dates, entities
from .register import Register


@dataclass
class Result:
    doc: str
    entities: entities.EntityReport
    dates: dates.DateReport
    corrections: corrections.CorrectionReport
    interventions: list[tuple[int, str, str, str]] = field(default_factory=list)


def annotate_tree(tree: etree._ElementTree, register: Register, doc_id: str) -> Result:
    root = tree.getroot()
    lang = root.get("{%s}lang" % XML_NS) or "ru"
    ent = entities.link(root, register, lang)
    dat = dates.tag_dates(root, doc_id, lang)
    cor = corrections.encode(root, lang)
    return Result(doc_id, ent, dat, cor, corrections.interventions(root))
