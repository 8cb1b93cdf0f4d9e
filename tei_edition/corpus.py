"""The edition's documents: one object knows a document's files and, once the build has read its header,
its facts (title, authors, languages, dates, source, licence). The build reads each header once and passes
the Documents to every stage."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, replace
from pathlib import Path

from lxml import etree

from . import TEI_NS, XML_NS
from .config import ADDED, Config, DocumentEntry
from .text import reading

T = "{%s}" % TEI_NS
XML_LANG = "{%s}lang" % XML_NS


@dataclass(frozen=True)
class Author:
    name: str
    lang: str          # its own xml:lang, else told by its script (headers give authors none)
    known: bool        # False for <name type="unknown">: shown as written, never cited as an author


@dataclass(frozen=True)
class Letter:
    """A letter's correspondence, as its header gives it (profileDesc/correspDesc): for the list of letters."""
    sender: str
    addressee: str
    place: str           # where it was sent from
    date: str            # ISO (@when, else @notBefore), "" when undated
    date_text: str       # the date as the header writes it


@dataclass(frozen=True)
class Facts:
    """What a document's TEI header says about it (and two counts of its text)."""
    title: str                       # the main title, as the edited text reads it (supplied words in [brackets])
    title_lang: str
    title_en: str                    # the title in English, when the header gives one (supplied in [brackets])
    title_supplied: bool             # the source prints no title: the editors supplied it
    authors: tuple[Author, ...]
    lang: str                        # the language of the text
    languages: tuple[str, ...]       # every language the header declares (langUsage), else the text's
    year: str                        # of this publication (publicationStmt/date)
    publication_dates: tuple[str, ...]
    changed: str                     # the latest revisionDesc/change/@when, "" when none
    summary: str                     # the first note of notesStmt
    source: str                      # the printed original (sourceDesc/bibl[@type='original'])
    licence: str                     # availability/licence/@target
    licence_text: str                # what the licence covers, as availability/licence/p says it
    rights: str                      # availability/p beside the licence: whose rights the source text is under
    availability: str                # availability/@status (free, restricted, unknown; "" when none)
    cited_authors: tuple[str, ...]   # as a citation names them ("Last, First"): the original's bibl
    paragraphs: int
    notes: int                       # notes of the text (a note inside a note counted with it)
    letter: Letter | None = None     # the correspondence, for a letter (correspDesc)
    source_entry: str = ""           # the bibliography entry (bib-…) of the work the witness reproduces

    @property
    def known_authors(self) -> list[Author]:
        return [a for a in self.authors if a.known]

    @property
    def author(self) -> str:
        """The first author as the header writes it (also "Unknown"): what a reading page shows."""
        return self.authors[0].name if self.authors else ""

    @property
    def author_lang(self) -> str:
        return self.authors[0].lang if self.authors else ""


@dataclass(frozen=True)
class Document:
    id: str
    number: int         # its place in the edition (1-based, edition.toml order)
    source_path: Path   # the raw witness, byte-identical to what was delivered
    tei_path: Path      # the curated TEI document
    profile_path: Path  # the import profile for this source
    facts: Facts | None = field(default=None, compare=False)
    conformance: str = "edition"   # "edition": made by the edition, its ODD applies; "tei": added from elsewhere
    has_source: bool = True        # a raw witness stands in sources/ (fidelity applies); not for added TEI

    def with_facts(self, facts: Facts) -> Document:
        return replace(self, facts=facts)

    @property
    def short(self) -> str:
        """A name for filters and page titles: the English title when there is one, cut between words."""
        facts = self.facts
        name = (facts.title_en or facts.title) if facts else self.id
        if len(name) <= 70:
            return name
        cut = name[:68].rsplit(" ", 1)[0].rstrip(" ,;:(–-") + "…"
        return cut + "]" if cut.count("[") > cut.count("]") else cut     # a supplied title stays bracketed

    def pdf_path(self, pdf_dir: Path) -> Path:
        return pdf_dir / f"{self.id}.pdf"


def document(config: Config, entry: DocumentEntry, number: int = 0) -> Document:
    stem = Path(entry.source).stem
    return Document(
        id=entry.id,
        number=number,
        source_path=config.sources_dir / entry.source,
        tei_path=config.tei_dir / entry.tei,
        profile_path=config.sources_dir / "profiles" / f"{stem[:3]}.toml",
        conformance=entry.conformance,
        has_source=bool(entry.source),
    )


def documents(config: Config) -> list[Document]:
    """The documents of edition.toml, in its order (their facts not yet read)."""
    return [document(config, e, n) for n, e in enumerate(config.documents, 1)]


def register_paths(config: Config) -> list[Path]:
    """The register files (persons, organisations, places), those that exist."""
    names = ("persons.xml", "organisations.xml", "places.xml")
    return [p for p in (config.tei_dir / "register" / n for n in names) if p.exists()]


REGISTER_LISTS = ("listPerson", "listOrg", "listPlace")


def register_sources(config: Config) -> list[Path]:
    """The files the register is read from: the edition's register files, and the documents added from
    elsewhere that hold their own lists of persons, organisations or places (in their text, back matter,
    standOff or header), so their names link to those entries like the edition's. A register another project
    keeps in a file of its own is added as a document too (`edition add persons.xml`)."""
    added = []
    for doc in documents(config):
        if doc.conformance in ADDED and doc.tei_path.is_file():
            head = doc.tei_path.read_bytes()
            if any(f"<{name}".encode() in head for name in REGISTER_LISTS):
                added.append(doc.tei_path)
    return register_paths(config) + added


def script_lang(text: str, default: str = "en") -> str:
    """The language a name is written in, told by its script: Cyrillic ru, Greek el, else `default`."""
    cyrillic = sum("\u0400" <= c <= "\u04ff" for c in text)
    greek = sum("\u0370" <= c <= "\u03ff" or "\u1f00" <= c <= "\u1fff" for c in text)
    latin = sum(c.isascii() and c.isalpha() for c in text)
    best = max((cyrillic, "ru"), (greek, "el"), (latin, default))
    return best[1] if best[0] else default


def title_reading(title: etree._Element | None) -> str:
    """A title as every output shows it: the edited reading, with the words the editors supplied in square
    brackets (the XSLT writes the same brackets: page <h1>, metadata, PDF, contents; #13)."""
    if title is None or title.find(f".//{T}supplied") is None:
        return reading(title)
    marked = copy.deepcopy(title)
    for supplied in marked.iter(T + "supplied"):
        supplied.text = "[" + (supplied.text or "")
        last = supplied[-1] if len(supplied) else None
        if last is not None:
            last.tail = (last.tail or "") + "]"
        else:
            supplied.text += "]"
    return reading(marked)


def read_facts(root: etree._Element) -> Facts:
    """The facts of a document from its parsed TEI (the header, and the counts of the text)."""
    header = root.find(T + "teiHeader")
    find = (lambda path: header.find(path)) if header is not None else (lambda path: None)
    stmt = find(f"{T}fileDesc/{T}titleStmt")
    titles = stmt.findall(T + "title") if stmt is not None else []
    main = next((t for t in titles if t.get("type") in (None, "main")), titles[0] if titles else None)
    alt = next((t for t in titles if t is not main and t.get(XML_LANG) == "en"), None)
    text = root.find(T + "text")
    lang = (text.get(XML_LANG) if text is not None else None) or root.get(XML_LANG) or "und"
    authors = []
    for a in stmt.findall(T + "author") if stmt is not None else []:
        name = reading(a)
        authors.append(Author(name, a.get(XML_LANG) or script_lang(name), a.find(f"{T}name[@type='unknown']") is None))
    languages = tuple(lg.get("ident") for lg in header.iterfind(f"{T}profileDesc/{T}langUsage/{T}language")
                      if lg.get("ident")) if header is not None else ()
    dates = tuple(d.get("when") for d in header.iterfind(f"{T}fileDesc/{T}publicationStmt/{T}date")
                  if d.get("when")) if header is not None else ()
    changes = [c.get("when") for c in root.iter(T + "change") if c.get("when")]
    original = find(f"{T}fileDesc/{T}sourceDesc/{T}bibl[@type='original']")
    avail = find(f"{T}fileDesc/{T}publicationStmt/{T}availability")
    licence = avail.find(T + "licence") if avail is not None else None
    body = text if text is not None else root
    return Facts(
        title=title_reading(main) or (root.get("{%s}id" % XML_NS) or ""),
        title_lang=(main.get(XML_LANG) if main is not None else None) or lang,
        title_en=title_reading(alt),
        title_supplied=main is not None and not (main.text or "").strip() and len(main) == 1
        and main[0].tag == T + "supplied",
        authors=tuple(authors),
        lang=lang,
        languages=languages or (lang,),
        year=dates[0][:4] if dates else "",
        publication_dates=dates,
        changed=max(changes, default=""),
        summary=reading(find(f"{T}fileDesc/{T}notesStmt/{T}note")),
        source=reading(find(f"{T}fileDesc/{T}sourceDesc/{T}bibl[@type='original']")),
        licence=licence.get("target", "") if licence is not None else "",
        licence_text=reading(licence),
        rights=" ".join(reading(p) for p in avail.findall(T + "p")) if avail is not None else "",
        availability=avail.get("status", "") if avail is not None else "",
        cited_authors=cited_authors(original, [a.name for a in authors if a.known]),
        paragraphs=sum(1 for _ in body.iter(T + "p")),
        notes=sum(1 for n in body.iter(T + "note") if n.getparent().tag != T + "note"),
        letter=read_letter(header) if header is not None else None,
        source_entry=reproduced_entry(find(f"{T}fileDesc/{T}sourceDesc")),
    )


def reproduced_entry(desc: etree._Element | None) -> str:
    """The bibliography entry (@corresp="#bib-…") of the work the witness reproduces: the translation's
    bibl when the witness is a translation, else the original's; "" when the header points to none."""
    if desc is None:
        return ""
    bibl = desc.find(f"{T}bibl[@type='translation']")
    if bibl is None:
        bibl = desc.find(f"{T}bibl[@type='original']")
    return (bibl.get("corresp") or "").removeprefix("#") if bibl is not None else ""


def cited_authors(original: etree._Element | None, fallback: list[str]) -> tuple[str, ...]:
    """The authors of a document as a citation names them, one each, "Last, First" for a person: the
    <author>s of the original's bibl (sourceDesc/bibl[@type='original'] writes them so; a <persName> with
    <surname> and <forename> is turned round), else its <editor>s (a compiled book: the compiler answers
    for it), else the titleStmt's authors as written. An unknown author is no author."""
    def name(el: etree._Element) -> str:
        surname, forename = el.find(f".//{T}surname"), el.find(f".//{T}forename")
        if surname is not None and forename is not None:
            return f"{reading(surname)}, {reading(forename)}"
        return reading(el)
    if original is not None:
        for tag in ("author", "editor"):
            found = [name(a) for a in original.findall(T + tag) if a.find(f"{T}name[@type='unknown']") is None]
            if found:
                return tuple(found)
        if original.find(f"{T}author/{T}name[@type='unknown']") is not None:
            return ()
    return tuple(fallback)


def read_letter(header: etree._Element) -> Letter | None:
    """The correspondence of a letter's header: sender, place and date of its sending, its addressee."""
    desc = header.find(f"{T}profileDesc/{T}correspDesc")
    if desc is None:
        return None

    def action(kind: str) -> etree._Element | None:
        return desc.find(f"{T}correspAction[@type='{kind}']")

    def names(el: etree._Element | None, *tags: str) -> str:
        found = [reading(n) for n in el.iter(*[T + t for t in tags])] if el is not None else []
        return ", ".join(n for n in found if n)

    sent, received = action("sent"), action("received")
    date = sent.find(T + "date") if sent is not None else None
    return Letter(sender=names(sent, "persName", "orgName", "name"),
                  addressee=names(received, "persName", "orgName", "name"),
                  place=names(sent, "placeName", "settlement"),
                  date=(date.get("when") or date.get("notBefore") or date.get("from") or "") if date is not None
                  else "",
                  date_text=reading(date) if date is not None else "")


def general_editors(config: Config) -> list[str]:
    """The names of the edition's editors as the party responsible for it (citations, metadata, title
    pages): those with the role "general editor" in edition.toml, else the first editor listed."""
    chosen = [e.name for e in config.editors if "general editor" in e.roles]
    return chosen or [e.name for e in config.editors[:1]]


# The editors' apparatus: entries other files point to (#bib-…, #abbr-…, #ev-…) and the editors' texts.
APPARATUS_REGISTERS = ("bibliography.xml", "abbreviations.xml", "events.xml")


def apparatus_paths(config: Config) -> list[Path]:
    """The bibliography, abbreviations and events (tei/register/) and the introductions and pages for
    readers (tei/front/*.xml), those that exist."""
    listed = [config.tei_dir / "register" / n for n in APPARATUS_REGISTERS]
    return [p for p in listed if p.exists()] + sorted((config.tei_dir / "front").glob("*.xml"))
