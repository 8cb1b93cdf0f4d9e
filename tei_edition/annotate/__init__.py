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


def annotate_document(data: bytes, register: Register, doc_id: str, path: str) -> tuple[bytes, etree._Element, Result]:
    """Annotate one TEI document given as bytes; return the new bytes, the tree's root and the figures.

    Refuses (EditionError) if the annotation would change the source text the fidelity proof reads.
    """
    from ..diagnostics import EditionError
    from ..fidelity import regenerate
    from ..xmlsafe import parse_bytes

    tree = parse_bytes(data, path)
    before = _source_lines(regenerate(tree))
    result = annotate_tree(tree, register, doc_id)
    if _source_lines(regenerate(tree)) != before:
        raise EditionError(f"{path}: annotation would change the source text; nothing written",
                           hint="report this as a bug in tei_edition/annotate")
    out = etree.tostring(tree, xml_declaration=True, encoding="UTF-8")
    if data.endswith(b"\n") and not out.endswith(b"\n"):
        out += b"\n"
    return out, tree.getroot(), result


def _source_lines(regen) -> dict[int, str]:
    return {n: "".join("".join(parts).split()) for n, parts in regen.lines.items()}
