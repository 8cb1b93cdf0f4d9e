"""The print edition's index of persons, organisations and places, built in two passes.

Pass 1 lays the book out; every mention the XSLT emitted (an element with data-ref, from
persName/orgName/placeName/rs/name @ref) carries an id (its xml:id, else dNNN-mN: names-dates.xsl), so
WeasyPrint records on which page it landed
(Document.pages[i].anchors). Pass 2 prints the index with those pages, each page once per entry
(three mentions on page 12 give one "12"), each number a link to the first mention on that page.
Names come from the register (tei/register/*.xml) when it knows the id, else from the mentions' text.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from lxml import etree

from ..html.fragment import classes
from ..register import Register

GROUPS = ("persons", "organisations", "places", "other")
CLASS_GROUP = {"tei-persName": "persons", "tei-orgName": "organisations", "tei-placeName": "places",
               "tei-person": "persons", "tei-org": "organisations", "tei-place": "places"}
PREFIX_GROUP = {"pers": "persons", "person": "persons", "org": "organisations", "place": "places",
                "pl": "places"}
REGISTER_GROUP = {"person": "persons", "org": "organisations", "place": "places"}


@dataclass(frozen=True)
class Mention:
    anchor: str   # the id WeasyPrint records the page of
    ref: str      # the register id
    group: str    # persons | organisations | places | other
    text: str     # the name as the text has it


def group_of(el: etree._Element, ref: str) -> str:
    """The index group of a mention: by its element (persName …), else by the prefix of its register id."""
    for cls in classes(el):
        if cls in CLASS_GROUP:
            return CLASS_GROUP[cls]
    return PREFIX_GROUP.get(ref.split("-", 1)[0], "other")


def pages_of(document) -> dict[str, int]:
    """id → page number (1-based; the book's page counter is never reset) for every anchor laid out:
    the first page, where the element begins (an element running over pages is anchored on each)."""
    found: dict[str, int] = {}
    for number, page in enumerate(document.pages, 1):
        for name in page.anchors:
            found.setdefault(name, number)
    return found


def inverted(name: str) -> str:
    """"Vladimir Lenin" → "Lenin, Vladimir", "T. H. Rigby" → "Rigby, T. H.": an index sorts by surname
    (the register's preferred form is the natural order; its last word is the surname)."""
    words = name.split()
    if len(words) < 2 or "," in name:
        return name
    return f"{words[-1]}, {' '.join(words[:-1])}"


def years(dates: str) -> str:
    """"1870-04-22–1924-01-21" → "1870–1924": an index gives years."""
    return re.sub(r"(\d{4})-\d{2}(?:-\d{2})?", r"\1", dates)


@dataclass
class IndexPage:
    number: int
    anchor: str


@dataclass
class IndexEntry:
    ref: str
    name: str
    note: str = ""
    pages: list[IndexPage] = field(default_factory=list)

    @property
    def sort_key(self) -> tuple[str, str]:
        return (self.name.casefold().lstrip("«“\"'([ "), self.ref)


@dataclass
class IndexGroup:
    key: str
    heading: str
    entries: list[IndexEntry]


@dataclass
class Index:
    heading: str
    empty: str
    groups: list[IndexGroup]

    def entries(self) -> list[IndexEntry]:
        return [e for g in self.groups for e in g.entries]


def build_index(mentions: list[Mention], page_of: dict[str, int] | None, register: Register,
                headings: dict[str, str], heading: str, empty: str) -> Index:
    """The index; without page_of (pass 1) entries have no pages yet. `register` may be empty."""
    by_ref: dict[str, list[Mention]] = {}
    for m in mentions:
        by_ref.setdefault(m.ref, []).append(m)
    groups: dict[str, list[IndexEntry]] = {g: [] for g in GROUPS}
    for ref, ms in by_ref.items():
        known = register.get(ref)
        if known is not None:
            group = REGISTER_GROUP.get(known.kind, ms[0].group)
            name, note = (inverted(known.name) if group == "persons" else known.name), years(known.dates)
        else:
            name = Counter(m.text for m in ms if m.text).most_common(1)[0][0] if any(m.text for m in ms) else ref
            note, group = "", ms[0].group
        entry = IndexEntry(ref, name, note)
        if page_of is not None:
            seen: set[int] = set()
            for m in ms:
                number = page_of.get(m.anchor)
                if number is not None and number not in seen:  # a hidden reading has no page
                    seen.add(number)
                    entry.pages.append(IndexPage(number, m.anchor))
            entry.pages.sort(key=lambda p: p.number)
        groups[group].append(entry)
    return Index(heading, empty, [IndexGroup(g, headings.get(g, g), sorted(es, key=lambda e: e.sort_key))
                                  for g, es in groups.items() if es])
