"""Annotation: link names to the register, tag dates, encode corrections and citations — over a parsed TEI tree.

Every step only wraps existing text in new elements (persName, orgName, placeName, date, choice, bibl, citedRange,
author, editor, title, pubPlace, publisher, abbr) or adds
editors' text marked resp="#ed", so the fidelity proof keeps holding; and every step skips what an
earlier run encoded, so annotating an annotated document changes nothing.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

from lxml import etree

from .. import XML_NS
from ..citing import Citation
from . import abbreviations as abbr_pass, citation_parts, citations as citing_pass, corrections, dates, entities
from . import events as events_pass
from .register import Register


@dataclass
class Result:
    doc: str
    entities: entities.EntityReport
    dates: dates.DateReport
    corrections: corrections.CorrectionReport
    citations: citing_pass.CitationReport = field(default_factory=citing_pass.CitationReport)
    events: events_pass.EventReport = field(default_factory=events_pass.EventReport)
    abbreviations: abbr_pass.AbbreviationReport = field(default_factory=abbr_pass.AbbreviationReport)
    parts: citation_parts.PartsReport = field(default_factory=citation_parts.PartsReport)
    interventions: list[tuple[int, str, str, str]] = field(default_factory=list)


def annotate_tree(tree: etree._ElementTree, register: Register, doc_id: str,
                  citations: list[Citation] | None = None, events: list[events_pass.Span] | None = None,
                  abbreviations: list[abbr_pass.Form] | None = None,
                  works: dict[str, citation_parts.Entry] | None = None) -> Result:
    """Names, dates, corrections, then the citations of tei/register/citations.tsv (`citations`, this
    document's rows): a citation is wrapped around the names and dates it holds, and what it prints of its
    work's entry (`works`, tei/register/bibliography.xml) is tagged as the parts of the citation; the dates of a
    day point to the events of the chronology on that day (`events`, tei/register/events.xml); and last the
    forms of the list of abbreviations (`abbreviations`, tei/register/abbreviations.xml) are wrapped where they
    stand, inside the names, dates and citations (so that those passes see the text unbroken)."""
    root = tree.getroot()
    lang = root.get("{%s}lang" % XML_NS) or "ru"
    ent = entities.link(root, register, lang, doc_id)
    dat = dates.tag_dates(root, doc_id, lang)
    cor = corrections.encode(root, lang)
    cit = citing_pass.encode(root, citations or [])
    parts = citation_parts.tag(root, works or {})
    evs = events_pass.link(root, events or [])
    abb = abbr_pass.link(root, abbreviations or [])
    return Result(doc_id, ent, dat, cor, cit, evs, abb, parts, corrections.interventions(root))


def annotate_document(data: bytes, register: Register, doc_id: str, path: str,
                      today: str | None = None, citations: list[Citation] | None = None,
                      events: list[events_pass.Span] | None = None,
                      abbreviations: list[abbr_pass.Form] | None = None,
                      works: dict[str, citation_parts.Entry] | None = None) -> tuple[bytes, etree._Element, Result]:
    """Annotate one TEI document given as bytes; return the new bytes, the tree's root and the figures.

    The header's revision history keeps one change for the annotation, with the figures of the whole
    document, dated `today` (default: the date of the run) whenever a run changes them.
    Refuses (EditionError) if the annotation would change the source text the fidelity proof reads.
    """
    from ..diagnostics import EditionError
    from ..fidelity import regenerate
    from ..xmlsafe import parse_bytes

    tree = parse_bytes(data, path)
    before = _source_lines(regenerate(tree))
    result = annotate_tree(tree, register, doc_id, citations, events, abbreviations, works)
    record_change(tree.getroot(), doc_id, today or _dt.date.today().isoformat())
    if _source_lines(regenerate(tree)) != before:
        raise EditionError(f"{path}: annotation would change the source text; nothing written",
                           hint="report this as a bug in tei_edition/annotate")
    out = etree.tostring(tree, xml_declaration=True, encoding="UTF-8")
    if data.endswith(b"\n") and not out.endswith(b"\n"):
        out += b"\n"
    return out, tree.getroot(), result


def _source_lines(regen) -> dict[int, str]:
    return {n: "".join("".join(parts).split()) for n, parts in regen.lines.items()}


def record_change(root: etree._Element, doc_id: str, today: str) -> None:
    """Keep the revision history honest: one <change> for the annotation, stating what the document now
    holds. Its date moves only when the figures do, so a run that adds nothing changes nothing."""
    t = "{http://www.tei-c.org/ns/1.0}"
    text = root.find(t + "text")
    if text is None:
        return
    count = lambda xpath: int(text.xpath(f"count({xpath})", namespaces={"t": t[1:-1]}))
    names = [count(f".//t:{kind}[@ref]") for kind in ("persName", "orgName", "placeName")]
    dated, julian = count(".//t:date"), count(".//t:date[substring(@calendar, string-length(@calendar) - 6) = '-julian']")
    choices = count(".//t:choice")
    if not any(names) and not dated and not choices:
        return
    figures = (f"Annotated with edition annotate, reviewed by the editors: mentions linked to the register "
               f"(persons {names[0]}, organisations {names[1]}, places {names[2]}); dates tagged {dated} "
               f"(written in the Julian calendar {julian}); corrections and regularisations {choices}.")
    header = root.find(t + "teiHeader")
    rev = header.find(t + "revisionDesc")
    if rev is None:
        rev = etree.SubElement(header, t + "revisionDesc")
        rev.text, rev.tail = "\n      ", "\n  "
    change_id = f"{doc_id}-change-annotation"
    change = rev.find(f"{t}change[@{{{XML_NS}}}id='{change_id}']")
    if change is None:
        change = etree.SubElement(rev, t + "change", {"{%s}id" % XML_NS: change_id, "who": "#ed"})
        if len(rev) > 1:   # indent like its siblings
            change.tail, rev[-2].tail = rev[-2].tail, rev.text
    elif change.text == figures:
        return
    change.set("when", today)
    change.text = figures
