"""Citations: each bibliographic reference the editors listed in tei/register/citations.tsv is wrapped, where it
stands in its note or paragraph, in <bibl corresp="#bib-…">, its cited pages in <citedRange unit="page">.

The row gives the citation exactly as the witness prints it (its line breaks, hyphens, misprints); the TEI holds
the same characters with line breaks as <lb/>, printers' hyphens dropped at <lb break="no" rend="hyphen"/>,
misprints inside <choice><sic>…</sic><corr>…</corr></choice>, and names and dates already tagged. So the
citation is found by its letters and digits alone, read in the witness's reading (sic and orig, not the editors'
corr, reg, supplied or notes), and the wrapper is put around the smallest run of whole nodes that holds it: a
citation may hold names, dates, corrections and line breaks, never cut one in two. Only existing text is
wrapped (fidelity holds), and a citation already wrapped is left as it is, so a second run changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from .. import TEI_NS, XML_NS
from ..citing import Citation
from ..editorial import editors_text
from .stream import piece, wrap_pieces

T = "{%s}" % TEI_NS
XML_ID = "{%s}id" % XML_NS
# Never read as the witness's text: the editors' readings, and notes inside the passage (they are places of
# their own in citations.tsv).
SKIP = {T + "corr", T + "reg", T + "supplied", T + "gap", T + "expan"}


@dataclass
class CitationReport:
    wrapped: int = 0
    kept: int = 0                       # already wrapped by an earlier run
    ranges: int = 0                     # cited pages wrapped in citedRange
    problems: list[str] = field(default_factory=list)   # "d001-p12 (line 40): not found: «…»"


@dataclass(frozen=True)
class Point:
    """A place in the tree: in `parent`, in piece k (0 = its text, k = the tail of child k-1), at offset."""
    parent: etree._Element
    k: int
    offset: int


def _witness_chars(container: etree._Element) -> list[tuple[str, Point]]:
    """Every character of the container in the witness's reading, with the place it stands."""
    out: list[tuple[str, Point]] = []

    def walk(el: etree._Element) -> None:
        for i, ch in enumerate(el.text or ""):
            out.append((ch, Point(el, 0, i)))
        for n, child in enumerate(el, 1):
            if isinstance(child.tag, str) and not (child.tag in SKIP or child.tag == T + "note"
                                                   or (editors_text(child) and child.tag != T + "date")):
                walk(child)
            elif isinstance(child.tag, str) and child.tag == T + "lb" and child.get("break") != "no":
                out.append((" ", Point(el, n, 0)))
            for i, ch in enumerate(child.tail or ""):
                out.append((ch, Point(el, n, i)))
    walk(container)
    return out


def _key(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def _editors(el: etree._Element) -> bool:
    return isinstance(el.tag, str) and (el.tag in SKIP or (editors_text(el) and el.tag != T + "date"))


def _lift_start(p: Point, top: etree._Element) -> Point | None:
    """The same place, raised to a child of `top`'s level: only where nothing of the witness's text in the
    element stands before it (the editors' readings of a <choice> may)."""
    while p.parent is not top:
        before = [p.parent[k] for k in range(p.k)]
        if piece(p.parent, p.k)[:p.offset].strip() or (p.parent.text or "").strip() and p.k \
                or any(not _editors(c) or (c.tail or "").strip() for c in before[:-1]) \
                or before and not _editors(before[-1]):
            return None
        el = p.parent
        parent = el.getparent()
        k = parent.index(el)
        p = Point(parent, k, len(piece(parent, k)))
    return p


def _lift_end(p: Point, top: etree._Element) -> Point | None:
    """The end (exclusive) raised likewise: only where nothing of the element follows it."""
    while p.parent is not top:
        after = [p.parent[k] for k in range(p.k, len(p.parent))]
        if piece(p.parent, p.k)[p.offset:].strip() \
                or any(not _editors(c) or (c.tail or "").strip() for c in after):
            return None
        el = p.parent
        parent = el.getparent()
        p = Point(parent, parent.index(el) + 1, 0)
    return p


def _common(a: etree._Element, b: etree._Element) -> etree._Element:
    chain = {id(x) for x in (a, *a.iterancestors())}
    return next(x for x in (b, *b.iterancestors()) if id(x) in chain)


def _wrap(start: Point, end: Point, new: etree._Element) -> etree._Element:
    """Wrap what lies between two places of one parent in `new` (the nodes between move into it)."""
    return wrap_pieces(start.parent, start.k, start.offset, end.k, end.offset, new)


def _extend(chars: list[tuple[str, Point]], start: int, end: int, citing: str) -> tuple[int, int]:
    """The match widened over the quotation marks, brackets and stops the citation opens or closes with."""
    text = citing.strip()
    lead = len(text) - len(re.sub(r"^[^\w]+", "", text))
    trail = len(text) - len(re.sub(r"[^\w]+$", "", text))
    for ch in reversed(text[:lead].replace(" ", "").replace("\n", "")):
        j = start - 1
        while j >= 0 and chars[j][0].isspace():
            j -= 1
        if j < 0 or chars[j][0] != ch:
            break
        start = j
    for ch in text[len(text) - trail:].replace(" ", "").replace("\n", ""):
        j = end + 1
        while j < len(chars) and chars[j][0].isspace():
            j += 1
        if j >= len(chars) or chars[j][0] != ch:
            break
        end = j
    return start, end


PAGES = re.compile(r"(\d+)\s*(?:[–-]\s*(\d+))?\s*$")


def _cited_range(bibl: etree._Element, cited: str) -> bool:
    """Wrap the pages a citation cites (the last number or range of numbers of its own text, when they are the
    pages of cited_range) in <citedRange unit="page">."""
    wanted = PAGES.search(cited.split(",")[-1].strip()) if cited else None
    if wanted is None:
        return False
    first, last = wanted.group(1), wanted.group(2) or wanted.group(1)
    number = re.compile(rf"(?<!\d){first}(?:\s*[–-]\s*{last})?(?!\d)" if last != first else rf"(?<!\d){first}(?!\d)")
    for k in range(len(bibl), -1, -1):
        run = piece(bibl, k)
        found = list(number.finditer(run))
        if found:
            m = found[-1]
            _wrap(Point(bibl, k, m.start()), Point(bibl, k, m.end()), etree.Element(T + "citedRange", {"unit": "page"}))
            return True
    return False


def _find(flat: str, citing: str, start: int) -> tuple[int, int] | None:
    """Where the citation's letters and digits stand in `flat` (from `start`): (position, length). A citation
    printed across a page, with the text of the page between its parts (as citations.tsv copies the witness),
    is found by its first lines and its last lines standing together in the TEI, where the note is whole."""
    key = _key(citing)
    at = flat.find(key, start) if key else -1
    if at >= 0:
        return at, len(key)
    lines = citing.split("\n")
    for i in range(len(lines) - 1, 0, -1):
        head = _key("\n".join(lines[:i]))
        at = flat.find(head, start) if head else -1
        if at < 0:
            continue
        for j in range(i + 1, len(lines)):
            tail = _key("\n".join(lines[j:]))
            if tail and flat.startswith(tail, at + len(head)):
                return at, len(head) + len(tail)
    return None


# Phrases a citation may hold but never stand inside (a name or date is never part of a citation's wrapper).
PHRASES = {T + t for t in ("persName", "orgName", "placeName", "name", "rs", "date", "title", "sic", "orig", "choice")}


def _inside(el: etree._Element, container: etree._Element) -> bool:
    return el is container or any(a is container for a in el.iterancestors())


def _inside_bibl(p: Point, container: etree._Element) -> bool:
    for el in (p.parent, *p.parent.iterancestors()):
        if el is container:
            return False
        if el.tag == T + "bibl" and el.get("corresp"):
            return True
    return False


def encode(root: etree._Element, rows: list[Citation]) -> CitationReport:
    """Wrap every citation of `rows` (this document's) that names an entry; report what could not be wrapped."""
    report = CitationReport()
    places = {el.get(XML_ID): el for el in root.iter() if isinstance(el.tag, str) and el.get(XML_ID)}
    after: dict[str, int] = {}            # per container: where the next citation is looked for
    for row in rows:
        if not row.entry.startswith("bib-"):
            continue
        container = places.get(row.where)
        where = f"{row.where} (line {row.line})"
        if container is None:
            report.problems.append(f"{where}: no element with this id")
            continue
        chars = _witness_chars(container)
        keyed = [(i, ch.casefold()) for i, (ch, _) in enumerate(chars) if ch.isalnum()]
        flat = "".join(ch for _, ch in keyed)
        found = _find(flat, row.citing, after.get(row.where, 0))
        if found is None:
            report.problems.append(f"{where}: not found: «{' '.join(row.citing.split())[:70]}»")
            continue
        at, length = found
        after[row.where] = at + length
        start, end = _extend(chars, keyed[at][0], keyed[at + length - 1][0], row.citing)
        if _inside_bibl(chars[start][1], container):
            report.kept += 1
            continue
        a, b = chars[start][1], chars[end][1]
        b_end = Point(b.parent, b.k, b.offset + 1)
        top = _common(a.parent, b.parent)
        s, e = _lift_start(a, top), _lift_end(b_end, top)
        while (s is None or e is None or top.tag in PHRASES) and top is not container and top.getparent() is not None:
            top = top.getparent()
            s, e = _lift_start(a, top), _lift_end(b_end, top)
        host = next((el for el in (top, *top.iterancestors()) if el.tag == T + "bibl"), None)
        if host is not None and host.get("corresp") == "#" + row.entry and _inside(host, container):
            report.kept += 1                          # a source line given its corresp by an earlier run
            continue
        if host is not None and not host.get("corresp") and _inside(host, container):
            host.set("corresp", "#" + row.entry)      # a source line that is the citation: it points to the entry
            report.wrapped += 1
            report.ranges += _cited_range(host, row.cited_range)
            continue
        if s is None or e is None or top.tag in PHRASES or host is not None:
            report.problems.append(f"{where}: the citation cuts an element in two: «{' '.join(row.citing.split())[:70]}»")
            continue
        bibl = _wrap(s, e, etree.Element(T + "bibl", {"corresp": "#" + row.entry}))
        report.wrapped += 1
        report.ranges += _cited_range(bibl, row.cited_range)
    return report
