"""The register (tei/register/{persons,organisations,places}.xml): the one model of its entries, read once
and used by every stage (annotate links names to it, the site writes its pages and popovers, the print
index names its entries, the exports write it as linked data).

Read generically, so the edition builds with whatever detail an entry holds (or with no register yet):
person, org and place elements with an xml:id; their names (with language, type, subtype and the parts
of a full name), life or existence dates, the identifying note, authority ids, affiliations, sources.
What a stage requires of an entry beyond that (annotate: a preferred name; exports: well-formed
authority ids) that stage checks and reports.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from . import TEI_NS, XML_NS
from .cache import Cache, code_version, digest
from .diagnostics import EditionError
from .text import reading
from .xmlsafe import parse_file

T = "{%s}" % TEI_NS
XML_ID = "{%s}id" % XML_NS
XML_LANG = "{%s}lang" % XML_NS
KINDS = {"person": "persons", "org": "organisations", "place": "places"}        # element → group
NAME_TAGS = {"person": "persName", "org": "orgName", "place": "placeName"}


@dataclass(frozen=True)
class Name:
    text: str
    lang: str                                    # "" when the name has no xml:lang
    type: str                                    # preferred | full | variant | pseudonym | sic | ""
    subtype: str = ""                            # where the form names the entry ("bare", …)
    parts: tuple[tuple[str, str], ...] = ()      # (forename|addName|surname|…, text) of a full name
    period: str = ""                             # "1914-08-31–1924-01-26": when a historical name was in use


@dataclass(frozen=True)
class Idno:
    type: str                                    # wikidata | viaf | gnd | geonames | url | …
    value: str
    line: int = 0                                # where it stands in its file, for messages


@dataclass(frozen=True)
class Event:
    """An organisation's existence (or another dated event of an entry): its dates, the editors' account
    of them (label) and the references that support it."""
    type: str
    start: str
    end: str
    label: str
    sources: tuple[tuple[str, str], ...] = ()   # (title, URL)


@dataclass
class Entry:
    id: str
    kind: str                                    # person | org | place
    names: list[Name]
    dates: str = ""                              # "1870-04-22–1924-01-21": ISO dates as the register gives them
    dates_kind: str = ""                         # what they are: life (birth/death), floruit, existence, event
    birth: str = ""                              # birth/@when, death/@when (persons)
    death: str = ""
    note: str = ""                               # the identification, one line
    parent: str = ""                             # note type="parent": the body an organisation is part of
    subtype: str = ""                            # @type: the kind of organisation or place
    desc: str = ""                               # <desc>: what an organisation or place of type "other" is
    idnos: list[Idno] = field(default_factory=list)
    affiliations: list[tuple[str, str]] = field(default_factory=list)   # (entry id or "", name)
    sources: list[tuple[str, str]] = field(default_factory=list)        # bibl type="reference": (title, URL)
    sex: str = ""                                # ISO 5218 ("1", "2")
    sort_key: str = ""                           # @sortKey: where the entry is filed in lists and indexes
    notes: dict[str, str] = field(default_factory=dict)   # the other notes by type: roles, dates, correction, location
    events: list[Event] = field(default_factory=list)
    geo: str = ""                                # location/geo: "latitude longitude"
    parent_ref: str = ""                         # the register id the parent note points to
    file: str = ""                               # the register file it stands in (its path)
    line: int = 0

    @property
    def group(self) -> str:
        return KINDS[self.kind]

    @property
    def preferred(self) -> Name | None:
        """The name of type="preferred", else the first English name, else the first."""
        return (next((n for n in self.names if n.type == "preferred"), None)
                or next((n for n in self.names if n.lang == "en"), None)
                or (self.names[0] if self.names else None))

    @property
    def index_name(self) -> str:
        """The name as lists file it (persName type="index": "Shteinberg, Isaak Zakharovich"), else the name."""
        return next((n.text for n in self.names if n.type == "index"), "") or self.name

    @property
    def sorting(self) -> str:
        """The key lists sort by: @sortKey, else the index name (without opening quotes or brackets)."""
        return (self.sort_key or self.index_name).casefold().lstrip("«»\"'“„‘([ ")

    @property
    def name(self) -> str:
        pref = self.preferred
        return pref.text if pref is not None else self.id

    @property
    def years(self) -> str:
        """"1870–1924", "born 1958" for lists (English words; pages pass the interface's: life_dates)."""
        return life_dates(self)


Register = dict[str, Entry]     # id → entry, in the order of the files

LIFE_WORDS = {"life.born": "born", "life.died": "died", "life.floruit": "fl."}   # templates/i18n: the [text] strings


def year(iso: str) -> str:
    """"1870-04-22" → "1870" (a year BCE keeps no sign: the register's dates are modern); words unchanged."""
    return iso.lstrip("-")[:4] if re.match(r"-?\d{4}", iso) else iso


def life_dates(entry: Entry, words: Mapping[str, str] | None = None, day: Callable[[str], str] = year) -> str:
    """An entry's dates as a reader is told them, the one rule for the register's lists and entry pages,
    the name popovers and the print index: "1870–1924"; "born 1958" when the register records a birth and
    no death (a living person, or a death the sources leave open, which the entry's note on dates says):
    never "1958–?", which reads as a death not yet found; "died 2010" for a death alone; "fl. 1917–1921"
    where the register gives when a person was active; an organisation's or place's span as it is.
    `words`: the interface's [text] strings (life.born, life.died, life.floruit); `day`: how one ISO date
    is written (a year for lists and the index, "29 August 1958" on pages)."""
    if not entry.dates:
        return ""
    w = {**LIFE_WORDS, **(words or {})}
    start, dash, end = entry.dates.partition("–")
    shown = [day(p) if p not in ("", "?") else "" for p in (start, end)]
    dash = " – " if " " in "".join(shown) else dash           # "22 April 1870 – 21 January 1924", "1870–1924"
    if entry.dates_kind == "life":
        if shown[0] and shown[1]:
            return f"{shown[0]}{dash}{shown[1]}"
        return f"{w['life.born']} {shown[0]}" if shown[0] else f"{w['life.died']} {shown[1]}"
    span = f"{shown[0]}{dash}{shown[1]}" if dash and shown[1] else (shown[0] or entry.dates)
    return f"{w['life.floruit']} {span}" if entry.dates_kind == "floruit" else span


def _dates(el: etree._Element) -> tuple[str, str]:
    """The entry's dates as ISO "start–end" and what they are (life, floruit, existence, event)."""
    def one(tag: str) -> str:
        d = el.find(T + tag)
        if d is None:
            return ""
        return (d.get("when") or d.get("notBefore") or d.get("from") or reading(d))[:10]
    birth, death = one("birth"), one("death")
    if birth or death:
        return f"{birth or '?'}–{death or '?'}", "life"
    for tag in ("floruit", "existence", "event"):
        d = el.find(T + tag)
        if d is not None:
            start = d.get("from") or d.get("notBefore") or d.get("when") or ""
            end = d.get("to") or d.get("notAfter") or ""
            return (f"{start}–{end}" if end else (start or reading(d))), tag
    return "", ""


def _name(el: etree._Element) -> Name:
    start, end = el.get("from") or el.get("notBefore") or "", el.get("to") or el.get("notAfter") or ""
    return Name(reading(el), el.get(XML_LANG) or "", el.get("type") or "", el.get("subtype") or "",
                tuple((etree.QName(c).localname, reading(c)) for c in el if isinstance(c.tag, str)),
                f"{start}–{end}" if start or end else "")


def _sources(el: etree._Element) -> list[tuple[str, str]]:
    return [(_source_label(b), b.find(T + "ref").get("target", "") if b.find(T + "ref") is not None else "")
            for b in el.findall(T + "bibl") if b.get("type") == "reference"]


OTHER_NOTES = ("roles", "dates", "correction", "location")   # shown on the entry page, each under its own label


def read_entry(el: etree._Element, kind: str, file: str = "") -> Entry:
    names = [n for n in map(_name, el.findall(T + NAME_TAGS[kind])) if n.text]
    note = (el.find(f"{T}note[@type='identification']") if el.find(f"{T}note[@type='identification']") is not None
            else next((x for x in (el.find(T + t) for t in ("note", "desc", "occupation")) if x is not None), None))
    birth, death = el.find(T + "birth"), el.find(T + "death")
    dates, dates_kind = _dates(el)
    return Entry(
        id=el.get(XML_ID) or "", kind=kind, names=names, dates=dates, dates_kind=dates_kind,
        birth=birth.get("when", "") if birth is not None else "",
        death=death.get("when", "") if death is not None else "",
        note=reading(note), parent=reading(el.find(f"{T}note[@type='parent']")), subtype=el.get("type", ""), desc=reading(el.find(T + "desc")),
        idnos=[Idno(i.get("type", ""), reading(i), i.sourceline or 0) for i in el.findall(T + "idno")],
        affiliations=[(a.get("ref", "").lstrip("#"), reading(a)) for a in el.findall(T + "affiliation")
                      if a.get("ref") or reading(a)],
        sources=_sources(el),
        sex=el.get("sex") or "", file=file, line=el.sourceline or 0, sort_key=el.get("sortKey") or "",
        notes={t: reading(n) for t in OTHER_NOTES if (n := el.find(f"{T}note[@type='{t}']")) is not None},
        events=[Event(e.get("type", ""), e.get("from") or e.get("when") or e.get("notBefore") or "",
                      e.get("to") or e.get("notAfter") or "",
                      reading(e.find(T + "label")) or reading(e.find(T + "desc")) or "", tuple(_sources(e)))
                for e in el.findall(T + "event")],
        geo=reading(el.find(f"{T}location/{T}geo")),
        parent_ref=next((r.get("ref", "").lstrip("#") for r in el.iterfind(f"{T}note[@type='parent']//*[@ref]")), ""))


def _source_label(bibl: etree._Element) -> str:
    """A reference as a reader sees it: its title, then what the editors cite it for (the bracket after
    "consulted DATE", e.g. "source of the identification"), so a page never presents the lines of a text that
    identify a person as the source of dates it does not give."""
    title = reading(bibl.find(T + "title")) or reading(bibl)
    found = re.search(r"consulted \d{4}-\d{2}-\d{2} \((.*)\)\.?$", " ".join("".join(bibl.itertext()).split()))
    return f"{title} — {found.group(1)}" if found and bibl.find(T + "title") is not None else title


def load(paths: list[Path], *, strict: bool = False) -> Register:
    """Every entry with an xml:id of the register files given (those that exist), by id; `strict`: an entry
    without xml:id is an error (the annotator cannot link to it) instead of being passed over."""
    entries: Register = {}
    for path in paths:
        tree = parse_file(path)
        for kind in KINDS:
            for el in tree.iter(T + kind):
                if el.get(XML_ID):
                    entries[el.get(XML_ID)] = read_entry(el, kind, str(path))
                elif strict:
                    raise EditionError(f"{path}:{el.sourceline}: <{kind}> without xml:id",
                                       hint="every register entry needs an xml:id such as pers-lenin")
    return entries


def load_cached(paths: list[Path], store: Cache) -> Register:
    """`load`, kept in `store` (cache.Cache) under the bytes of the files and the code that reads them: the
    register is read on every build (0.1–0.2 s of a one-document edit), and changes far less often."""
    key = digest(code_version("register.py", "text.py", "xmlsafe.py"),
                 *(f"{p}\0".encode() + (p.read_bytes() if p.is_file() else b"\0absent") for p in paths))
    kept = store.get("register", key)
    if isinstance(kept, dict):
        return kept
    entries = load(paths)
    store.put("register", key, entries)
    return entries


def affiliation_names(entry: Entry, register: Register) -> list[tuple[str, str]]:
    """(entry id, name) of each affiliation: an affiliation pointing to an entry takes that entry's name."""
    return [(ref, register[ref].name) if ref in register else ("", text or ref) for ref, text in entry.affiliations]
