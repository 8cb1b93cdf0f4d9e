"""The print edition's index of persons, organisations and places, built in two passes.

Pass 1 lays the book out; every mention the XSLT emitted (an element with data-ref, from
persName/orgName/placeName/rs/name @ref) carries an id (its xml:id, else dNNN-mN: names-dates.xsl), so
WeasyPrint records on which page it landed
(Document.pages[i].anchors). Pass 2 prints the index with those pages, each page once per entry
(three mentions on page 12 give one "12"), consecutive pages as a range ("12–14"), a page where the
name stands only in a note marked "n" ("34n": a cited author is told from a person of the story), each
a link to the first mention. An entry of more than SUBENTRY_PAGES pages is divided by the part of the
book its mentions stand in (a document, or a division the contents list), so no reader faces a hundred
bare numbers. Names come from the register (tei/register/*.xml) when it knows the id: its index form
(persName type="index", surname first) and its sort key (@sortKey); else from the mentions' text.

The authors the texts cite stand apart, in a group of their own after the names of the story: every citation
pointed to its bibliography entry (<bibl corresp="#bib-x">; the XSLT gives it an id, dNNN-citN) counts for each
author of that entry (its editors or compilers where it has no author), named as the bibliography writes the
name ("Surname, Initials" as printed), on the page where the citation landed. A historical person who is also
cited (Lenin, Trotsky) so has an entry in each group: what happened and who wrote what are told apart.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from lxml import etree

from ..html.fragment import classes
from ..register import Register, life_dates

GROUPS = ("persons", "organisations", "places", "other", "cited")
CITED = "cited:"      # the prefix of a cited author's key (never a register id: the register has no ':')
CLASS_GROUP = {"tei-persName": "persons", "tei-orgName": "organisations", "tei-placeName": "places",
               "tei-person": "persons", "tei-org": "organisations", "tei-place": "places"}
PREFIX_GROUP = {"pers": "persons", "person": "persons", "org": "organisations", "place": "places",
                "pl": "places"}
REGISTER_GROUP = {"person": "persons", "org": "organisations", "place": "places"}


SUBENTRY_PAGES = 15   # an entry with more pages than this is divided by part of the book


@dataclass(frozen=True)
class Mention:
    anchor: str   # the id WeasyPrint records the page of
    ref: str      # the register id
    group: str    # persons | organisations | places | other
    text: str     # the name as the text has it
    where: str = ""        # the part of the book it stands in: a listed division's or the document's short title
    in_note: bool = False  # it stands in a note


@dataclass(frozen=True)
class Citation:
    anchor: str   # the id WeasyPrint records the page of
    entry: str    # the bibliography entry it points to (bib-…)
    where: str = ""
    in_note: bool = False


def cited_authors(citations: list[Citation], authors: dict[str, list[str]]) -> list[Mention]:
    """Each citation as a mention of each author of the entry it points to (`authors`: entry id → names as
    the bibliography writes them), in the group of cited authors. A citation of an entry with no names
    (an anonymous article, a newspaper) names no author."""
    return [Mention(c.anchor, CITED + name, "cited", name, c.where, c.in_note)
            for c in citations for name in authors.get(c.entry, ())]


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


@dataclass
class IndexPage:
    number: int
    anchor: str
    note: bool = False   # the name stands only in notes on this page


@dataclass(frozen=True)
class PageRun:
    """One printed locator: a page, a range of consecutive pages, or a page of notes ("34n")."""
    first: int
    last: int
    anchor: str
    note: bool = False

    @property
    def label(self) -> str:
        if self.note:
            return f"{self.first}n"
        return str(self.first) if self.first == self.last else f"{self.first}\u2013{self.last}"


def runs(pages: list[IndexPage]) -> list[PageRun]:
    """Pages in order as locators: consecutive pages of the text merged into a range; a page of notes alone."""
    out: list[PageRun] = []
    for p in pages:
        last = out[-1] if out else None
        if not p.note and last is not None and not last.note and p.number == last.last + 1:
            out[-1] = PageRun(last.first, p.number, last.anchor)
        else:
            out.append(PageRun(p.number, p.number, p.anchor, p.note))
    return out


@dataclass
class SubEntry:
    label: str
    pages: list[IndexPage]

    @property
    def runs(self) -> list[PageRun]:
        return runs(self.pages)


@dataclass
class IndexEntry:
    ref: str
    name: str
    note: str = ""
    pages: list[IndexPage] = field(default_factory=list)
    sort: str = ""       # the register's sort key, if it has one
    subentries: list[SubEntry] = field(default_factory=list)

    @property
    def sort_key(self) -> tuple[str, str]:
        return (self.sort or self.name.casefold().lstrip("«“\"'([ "), self.ref)

    @property
    def runs(self) -> list[PageRun]:
        return runs(self.pages)


def _pages(mentions: list[Mention], page_of: dict[str, int]) -> list[IndexPage]:
    """Each page once, linked to its first mention; a note page if every mention on it is in a note."""
    by_page: dict[int, IndexPage] = {}
    for m in mentions:
        number = page_of.get(m.anchor)
        if number is None:      # a hidden reading has no page
            continue
        page = by_page.get(number)
        if page is None:
            by_page[number] = IndexPage(number, m.anchor, m.in_note)
        elif not m.in_note:
            page.note = False
    return sorted(by_page.values(), key=lambda p: p.number)


def _subentries(mentions: list[Mention], page_of: dict[str, int]) -> list[SubEntry]:
    """The entry's pages by the part of the book they stand in, parts in the order of their first page."""
    parts: dict[str, list[Mention]] = {}
    for m in mentions:
        parts.setdefault(m.where, []).append(m)
    subs = [SubEntry(where, _pages(ms, page_of)) for where, ms in parts.items()]
    return sorted((s for s in subs if s.pages), key=lambda s: s.pages[0].number)


@dataclass
class IndexGroup:
    key: str
    heading: str
    entries: list[IndexEntry]
    note: str = ""       # a line under the heading saying what the group lists


@dataclass
class Index:
    heading: str
    empty: str
    groups: list[IndexGroup]

    def entries(self) -> list[IndexEntry]:
        return [e for g in self.groups for e in g.entries]


def build_index(mentions: list[Mention], page_of: dict[str, int] | None, register: Register,
                headings: dict[str, str], heading: str, empty: str, notes: dict[str, str] | None = None,
                words: dict[str, str] | None = None) -> Index:
    """The index; without page_of (pass 1) entries have no pages yet. `register` may be empty."""
    by_ref: dict[str, list[Mention]] = {}
    for m in mentions:
        by_ref.setdefault(m.ref, []).append(m)
    groups: dict[str, list[IndexEntry]] = {g: [] for g in GROUPS}
    for ref, ms in by_ref.items():
        known = register.get(ref) if not ref.startswith(CITED) else None
        sort = ""
        if known is not None:
            group = REGISTER_GROUP.get(known.kind, ms[0].group)
            has_index_form = any(n.type == "index" for n in known.names)
            name = known.index_name if has_index_form or group != "persons" else inverted(known.name)
            note, sort = life_dates(known, words), known.sort_key
        else:
            name = Counter(m.text for m in ms if m.text).most_common(1)[0][0] if any(m.text for m in ms) else ref
            note, group = "", ms[0].group
        entry = IndexEntry(ref, name, note, sort=sort)
        if page_of is not None:
            entry.pages = _pages(ms, page_of)
            if len(entry.pages) > SUBENTRY_PAGES and len({m.where for m in ms}) > 1:
                entry.subentries = _subentries(ms, page_of)
        groups[group].append(entry)
    return Index(heading, empty, [IndexGroup(g, headings.get(g, g), sorted(es, key=lambda e: e.sort_key),
                                             (notes or {}).get(g, ""))
                                  for g, es in groups.items() if es])
