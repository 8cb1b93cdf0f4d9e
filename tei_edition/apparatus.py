"""The editors' apparatus as readers meet it: their texts (tei/front/*.xml: the introduction to the edition,
"About this edition", one introduction per document) and the entries other files point to (the bibliography,
the citing passages of tei/register/citations.tsv, the abbreviations, the events). Read here once, shown by the
site and the print edition alike.

The editors' texts go through the one XSLT (xslt/edition.xsl) like the documents; only the fragment's text part
is used (their TEI headers describe the file, not a witness). Their links to the edition's files become site
addresses relative to $site_root (xslt/modules/apparatus.xsl), so the same fragment serves a page at the site's
root ("") or a reading page and a PDF ("../": a PDF's links resolve against its document's web address).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from . import TEI_NS, XML_NS, citing
from .config import Config
from .exports.bibliography import Work, read_bibliography
from .html.fragment import outline, reading, split, to_html
from .html.transform import RenderOptions, render_file
from .i18n import Strings
from .text import reading as tei_reading
from .xmlsafe import parse_bytes

if TYPE_CHECKING:
    from .mentions import DatedMention

T = "{%s}" % TEI_NS
XML_ID = "{%s}id" % XML_NS
XML_LANG = "{%s}lang" % XML_NS


# ---------------------------------------------------------------- the editors' texts

@dataclass
class EditorsText:
    name: str                     # "introduction", "about", "d002-intro"
    title: str                    # its first heading
    lang: str
    html: str                     # its divisions, as HTML (headings as the XSLT made them)
    citations: list[tuple[str, str]] = field(default_factory=list)   # (entry id, id of the block citing it)


def front_path(config: Config, name: str) -> Path:
    return config.tei_dir / "front" / f"{name}.xml"


def render_front(config: Config, strings: Strings, register_ids: frozenset[str], name: str,
                 site_root: str, first_heading: int | None = None) -> EditorsText | None:
    """One of the editors' texts (tei/front/NAME.xml) through the XSLT; None when the file does not exist.
    first_heading: the level its first heading takes (h2 on a page whose h1 is the page's title)."""
    path = front_path(config, name)
    if not path.is_file():
        return None
    options = RenderOptions(labels=strings.text, register_ids=register_ids, register_url=f"{site_root}register/",
                            site_root=site_root, apparatus_lang=config.apparatus_language)
    text = split(render_file(path, options)).text
    sections = [el for el in text if isinstance(el.tag, str)]
    if first_heading is not None:
        outline(sections, first_heading)
    head = next((h for s in sections for h in s.iter("h1", "h2", "h3", "h4", "h5", "h6")), None)
    citations = []
    for el in text.iter():
        if isinstance(el.tag, str) and el.get("data-bibl"):
            block = next((a.get("id") for a in el.iterancestors() if a.get("id")), "")
            citations.append((el.get("data-bibl"), block))
    return EditorsText(name, reading(head) if head is not None else name, text.get("lang") or "en",
                       "".join(to_html(s) for s in sections), citations)


# ---------------------------------------------------------------- bibliography and its citing passages

@dataclass
class Citing:
    doc_id: str
    anchor: str          # xml:id of the note, paragraph or division holding the citation
    line: int            # witness line where it begins
    text: str            # the citation as printed
    cited_range: str


@dataclass
class BibEntry:
    work: Work
    reference: str                       # the entry as a reader reads it
    citing: list[Citing] = field(default_factory=list)
    editors: list[tuple[str, str]] = field(default_factory=list)   # (editors' text, block id) citing it

    @property
    def id(self) -> str:
        return self.work.id


def reference(w: Work) -> str:
    """'Douds, Lara. ‘The dictatorship …’. Historical Research 90, no. 247 (2017).' — the parts the entry gives."""
    names = lambda ns: "; ".join(n.text for n in ns)  # noqa: E731
    parts: list[str] = []
    if w.authors:
        parts.append(names(w.authors) + ".")
    elif w.editors:
        parts.append(names(w.editors) + (" (eds.)." if len(w.editors) > 1 else " (ed.)."))
    elif w.compilers:
        parts.append(names(w.compilers) + " (comp.).")
    parts.append(w.title.rstrip(".") + "." if w.title else "")
    if w.container:
        holder = "In " + w.container if w.type == "chapter" else w.container
        if w.type == "chapter" and w.editors and w.authors:
            holder += ", ed. " + names(w.editors)
        if w.volume:
            holder += " " + w.volume
        if w.issue:
            holder += ", no. " + w.issue
        parts.append(holder + ("," if w.type == "chapter" else ""))
    if w.translators:
        parts.append("Translated by " + names(w.translators) + ".")
    if w.edition:
        parts.append(w.edition + ".")
    imprint = ": ".join(p for p in (w.place, w.publisher) if p)
    if w.container and w.type != "chapter":
        tail = " ".join(p for p in (imprint, f"({w.date})" if w.date else "") if p)
        tail += (": " if tail else "") + w.pages if w.pages else ""
        if tail:
            parts.append(tail + ".")
        else:
            parts[-1] += "."
    else:
        tail = ", ".join(p for p in (imprint, w.date) if p)
        if w.volumes:
            tail = f"{w.volumes} vols. " + tail if tail else f"{w.volumes} vols"
        if w.volume and not w.container:
            tail += (", " if tail else "") + "vol. " + w.volume
        if w.pages:
            tail += (", " if tail else "") + w.pages
        if tail:
            parts.append(tail + ".")
    if w.url:
        parts.append(w.url + (f" (accessed {w.accessed})" if w.accessed else ""))
    if w.doi:
        parts.append("doi:" + w.doi)
    return re.sub(r"\s+", " ", " ".join(p for p in parts if p)).replace("..", ".").strip()


def _sort_key(w: Work) -> tuple[str, str, str]:
    first = (w.authors or w.editors or w.compilers)
    lead = first[0].family if first else w.title.lstrip("‘“«[(\"'")
    return (lead.casefold(), w.year, w.title.casefold())


def read_citations(path: Path) -> list[tuple[str, Citing]]:
    """(entry id, citing passage) for every row of citations.tsv that names an entry."""
    return [(c.entry, Citing(c.doc_id, c.where, c.line, " ".join(c.citing.split()), c.cited_range))
            for c in citing.read(path) if c.entry and c.entry != "-"]


def bibliography(config: Config, editors_texts: Sequence[EditorsText] = ()) -> list[BibEntry]:
    """The entries in reading order (author or title, year), each with the passages citing it."""
    path = config.tei_dir / "register" / "bibliography.xml"
    if not path.is_file():
        return []
    entries = {w.id: BibEntry(w, reference(w)) for w in read_bibliography(path)}
    for entry_id, passage in read_citations(citing.citations_path(config)):
        if entry_id in entries:
            entries[entry_id].citing.append(passage)
    for t in editors_texts:
        for entry_id, block in t.citations:
            if entry_id in entries and (t.name, block) not in entries[entry_id].editors:
                entries[entry_id].editors.append((t.name, block))
    return sorted(entries.values(), key=lambda e: _sort_key(e.work))


# ---------------------------------------------------------------- abbreviations

@dataclass
class Abbreviation:
    id: str
    forms: list[tuple[str, str]]          # (language, form as it occurs)
    expansions: list[tuple[str, str]]     # (language, expansion)
    register: str                          # the register entry of the body it names, or ""
    sources: list[tuple[str, str]]         # (entry id, the editors' words for it)
    note: str


def _standoff(config: Config, name: str) -> etree._Element | None:
    path = config.tei_dir / "register" / name
    if not path.is_file():
        return None
    return parse_bytes(path.read_bytes(), str(path)).getroot()


def _sources(el: etree._Element) -> list[tuple[str, str]]:
    return [((b.get("corresp") or "").lstrip("#"), tei_reading(b)) for b in el.findall(f"{T}bibl")]


def abbreviations(config: Config) -> list[Abbreviation]:
    root = _standoff(config, "abbreviations.xml")
    if root is None:
        return []
    out = []
    for item in root.iter(f"{T}item"):
        if not (item.get(XML_ID) or "").startswith("abbr-"):
            continue
        ptr = item.find(f"{T}ptr[@type='register']")
        out.append(Abbreviation(
            item.get(XML_ID), [(a.get(XML_LANG, ""), tei_reading(a)) for a in item.findall(f"{T}abbr")],
            [(x.get(XML_LANG, ""), tei_reading(x)) for x in item.findall(f"{T}expan")],
            (ptr.get("target") or "").lstrip("#") if ptr is not None else "", _sources(item),
            " ".join(tei_reading(n) for n in item.findall(f"{T}note"))))
    return sorted(out, key=lambda a: a.forms[0][1].casefold() if a.forms else a.id)


# ---------------------------------------------------------------- events

@dataclass
class Event:
    id: str
    label: str
    start: str             # Gregorian ISO: when, or from
    end: str               # to, or the start
    description: str
    sources: list[tuple[str, str]]
    involved: list[tuple[str, str]]      # (register id, name)
    passages: list = field(default_factory=list)   # anchors of the dates pointing to it (filled for print)

    @property
    def old_style(self) -> str:
        """The Julian (Old Style) start and end, ISO, for an event dated to days before Russia's change of calendar
        (14 February 1918 New Style), else "": thirteen days earlier, the difference from 1 March 1900 to 2100."""
        if len(self.start) != 10 or not ("1900-03-14" <= self.start < "1918-02-14"):
            return ""
        shift = [(date.fromisoformat(d) - timedelta(days=13)).isoformat() for d in (self.start, self.end)]
        return shift[0] if shift[0] == shift[1] else "–".join(shift)


def events(config: Config) -> list[Event]:
    root = _standoff(config, "events.xml")
    if root is None:
        return []
    out = []
    for ev in root.iter(f"{T}event"):
        start = ev.get("when") or ev.get("from") or ev.get("notBefore") or ""
        end = ev.get("to") or ev.get("notAfter") or start
        involved = [((n.get("ref") or "").lstrip("#"), tei_reading(n))
                    for note in ev.findall(f"{T}note[@type='involved']") for n in note
                    if isinstance(n.tag, str) and n.get("ref")]
        out.append(Event(ev.get(XML_ID, ""), tei_reading(ev.find(f"{T}label")), start, end,
                         tei_reading(ev.find(f"{T}desc")), _sources(ev), involved))
    return sorted(out, key=lambda e: (e.start, e.end))



# ---------------------------------------------------------------- for the print edition

@dataclass
class DatedPassage:
    """A dated passage of the texts that belongs to no event, as the chronology appendix prints it: the date
    as written and in the Gregorian calendar, the sentence it stands in, and its place (for its page)."""
    doc_id: str
    anchor: str
    when: str
    to: str
    text: str
    lang: str
    calendar: str
    inferred: bool
    context: str


@dataclass
class PrintApparatus:
    """What the book prints of the apparatus: the introduction and About as front matter, each document's
    introduction before its text, and the chronology, abbreviations and bibliography as appendices. Links
    are relative to a document's web address (the PDF's base), so "../" is the site's root."""
    introduction: EditorsText | None = None
    about: EditorsText | None = None
    intros: dict[str, EditorsText] = field(default_factory=dict)
    bibliography: list[BibEntry] = field(default_factory=list)
    abbreviations: list[Abbreviation] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    years: list[tuple[str, list[DatedPassage]]] = field(default_factory=list)   # the other dated passages


def for_print(config: Config, strings: Strings, register_ids: frozenset[str], doc_ids: list[str],
              dated: Sequence[DatedMention] = ()) -> PrintApparatus:
    """The apparatus for print; `dated`: every dated passage of the texts (in the documents' order), for the
    events' passages and, by year, the passages that belong to no event, each with its sentence (each passage's
    page is known only in the laid-out book: target-counter)."""
    render = lambda name, level: render_front(config, strings, register_ids, name, "../", level)  # noqa: E731
    introduction, about = render("introduction", 1), render("about", 1)
    intros = {d: t for d in doc_ids if (t := render(f"{d}-intro", 2)) is not None}
    evs = events(config)
    for e in evs:
        e.passages = [d.anchor for d in dated if e.id in d.events]
    known = {e.id for e in evs}
    years: dict[str, list[DatedPassage]] = {}
    for d in sorted((d for d in dated if not known & set(d.events)), key=lambda d: d.when):   # (stable: texts' order)
        years.setdefault(d.when[:4], []).append(DatedPassage(d.doc_id, d.anchor, d.when, d.to, d.text, d.lang,
                                                             d.calendar, d.inferred, d.context))
    texts = [t for t in (introduction, about, *intros.values()) if t is not None]
    return PrintApparatus(introduction, about, intros, bibliography(config, texts), abbreviations(config), evs,
                          sorted(years.items()))
