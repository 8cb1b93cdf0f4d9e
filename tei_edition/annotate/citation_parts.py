"""The parts of a citation: inside each <bibl corresp="#bib-…"> of a document, what the text prints of the work
its entry describes (tei/register/bibliography.xml) is tagged as that part — the author or editor (a name of the
register the entry names as its author or editor), the title (the entry's title, or its first words as a short
title), the place of publication (a place named before the date or publisher), the publisher (the entry's), the
volume (after «Т.», «vol.», «τ.») — in <author>, <editor>, <title level>, <pubPlace>, <publisher>,
<citedRange unit="volume">. The dates are tagged already (<date> is a part of a bibl as it is), the pages by the
citations pass (<citedRange unit="page">).

Only tagging: each part is found by its letters and digits in the witness's words and wrapped around whole nodes
(a name, a date, a correction inside a title move into it whole), so the text is unchanged; a part the text does
not print, or prints otherwise (a title translated), is left untagged. A part already tagged is kept, so a second
run changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .. import TEI_NS, XML_NS
from ..xmlsafe import parse_bytes
from .stream import MILESTONES, piece, reading, wrap_pieces

T = "{%s}" % TEI_NS
XML_ID = "{%s}id" % XML_NS
NAMES = {T + "persName", T + "orgName", T + "name", T + "rs"}
PARTS = ("author", "editor", "title", "pubPlace", "publisher", "volume")
# «Т. 36», «т. 5», «vol. 2», «Vol. II», «τ. 3», «τόμ. 2»: the number after it is the volume cited
VOLUME = re.compile(r"(?:(?<!\w)[Тт]\.|(?<!\w)[Vv]ol\.|(?<!\w)τ\.|(?<!\w)τόμ\.)\s*(\d+|[IVXLC]+)(?![\w])")
MIN_SHORT_TITLE = 12     # letters of a short title at least (a title's first words)


@dataclass(frozen=True)
class Entry:
    id: str
    authors: frozenset[str]                 # register ids (pers-…, org-…)
    editors: frozenset[str]
    titles: tuple[tuple[str, str], ...]     # (level, title), the work's own first
    publishers: tuple[str, ...]
    has_place: bool


@dataclass
class PartsReport:
    tagged: dict[str, int] = field(default_factory=dict)     # part -> count (this run)
    kept: int = 0                                            # bibls holding parts from an earlier run
    bibls: int = 0


def read_entries(path: Path) -> dict[str, Entry]:
    """The bibliography's entries as the parts pass needs them (none when there is no file)."""
    if not path.is_file():
        return {}
    out = {}
    def refs(el: etree._Element, tag: str) -> frozenset[str]:
        return frozenset((a.get("ref") or "").lstrip("#") for a in el.iter(T + tag) if a.get("ref"))
    for el in parse_bytes(path.read_bytes(), str(path)).getroot().iter(T + "biblStruct"):
        titles = [(t.get("level") or "m", " ".join("".join(t.itertext()).split())) for t in el.iter(T + "title")]
        out[el.get(XML_ID, "")] = Entry(
            el.get(XML_ID, ""), refs(el, "author"), refs(el, "editor"), tuple((lv, t) for lv, t in titles if t),
            tuple(" ".join("".join(p.itertext()).split()) for p in el.iter(T + "publisher") if "".join(p.itertext()).strip()),
            any("".join(p.itertext()).strip() for p in el.iter(T + "pubPlace")))
    return out


def _key(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


@dataclass
class _Reading:
    """A bibl's own text, character by character: each character of its text and tails knows its piece and
    offset; each child element is one block (its reading), which a part holds whole or not at all."""
    chars: list[str]
    where: list[tuple[int, int, int]]      # (piece, offset, -1) or (-1, -1, child index)

    def key_index(self) -> tuple[str, list[int]]:
        idx = [i for i, ch in enumerate(self.chars) if ch.isalnum()]
        return "".join(self.chars[i].casefold() for i in idx), idx


def _read(bibl: etree._Element) -> _Reading:
    chars: list[str] = []
    where: list[tuple[int, int, int]] = []

    def add(k: int) -> None:
        for i, ch in enumerate(piece(bibl, k)):
            chars.append(ch)
            where.append((k, i, -1))
    add(0)
    for c, child in enumerate(bibl):
        if isinstance(child.tag, str) and child.tag not in MILESTONES and child.tag != T + "note":
            text = reading(child) if child.tag == T + "choice" else "".join(child.itertext())
            for ch in text:
                chars.append(ch)
                where.append((-1, -1, c))
        add(c + 1)
    return _Reading(chars, where)


def _wrap(bibl: etree._Element, r: _Reading, start: int, end: int, new: etree._Element) -> bool:
    """Wrap characters [start, end) of the reading in `new` if they begin and end on whole blocks or text and
    hold no note; say whether it was done."""
    a, b = r.where[start], r.where[end - 1]
    if a[2] >= 0:
        if start > 0 and r.where[start - 1][2] == a[2]:
            return False
        ps, os_ = a[2], len(piece(bibl, a[2]))
    else:
        ps, os_ = a[0], a[1]
    if b[2] >= 0:
        if end < len(r.where) and r.where[end][2] == b[2]:
            return False
        pe, oe = b[2] + 1, 0
    else:
        pe, oe = b[0], b[1] + 1
    if any(bibl[k].tag == T + "note" for k in range(ps, pe)):
        return False
    wrap_pieces(bibl, ps, os_, pe, oe, new)
    return True


def _find_span(r: _Reading, wanted: str, allow_prefix: bool, bibl: etree._Element) -> tuple[int, int] | None:
    """Characters [start, end) of the reading that hold `wanted` (by letters and digits), or, with allow_prefix,
    its longest run of first words that the text prints (a short title). A date stays outside a part: the
    dates are read in the text, not in a title («Октябрь в Сибири. Хроника событий. Март 1917 – май 1918»)."""
    flat, idx = r.key_index()
    words = wanted.split()
    for n in range(len(words), 0, -1):
        key = _key(" ".join(words[:n]))
        if not key or (n < len(words) and (not allow_prefix or len(key) < MIN_SHORT_TITLE)):
            break
        at = flat.find(key)
        if at >= 0:
            start, end = idx[at], idx[at + len(key) - 1] + 1
            if _balanced("".join(r.chars[start:end])) and _apart(r, start, end) \
                    and not any(w[2] >= 0 and bibl[w[2]].tag == T + "date" for w in r.where[start:end]):
                return start, end
    return None


def _apart(r: _Reading, start: int, end: int) -> bool:
    """A part stands apart from the words around it: not inside a word, nor inside a web address
    («http://iskra-research.org/Trotsky/…»: no publisher there)."""
    before = r.chars[start - 1] if start > 0 else " "
    after = r.chars[end] if end < len(r.chars) else " "
    return not (before.isalnum() or after.isalnum() or "/" in (before, after))


PAIRS = (("(", ")"), ("[", "]"), ("«", "»"), ("“", "”"), ("‘", "’"))


def _balanced(text: str) -> bool:
    """A part never takes in half of a bracket or a quotation («…bezopasnosti), f. 1» is no title)."""
    return all(text.count(a) == text.count(b) for a, b in PAIRS)


def _tag(bibl: etree._Element, entry: Entry, report: PartsReport) -> None:
    def count(part: str) -> None:
        report.tagged[part] = report.tagged.get(part, 0) + 1

    # the author and editors: a name of the register the entry names, standing in the citation itself
    for child in list(bibl):
        ref = (child.get("ref") or "").lstrip("#")
        if child.tag in NAMES and ref and (ref in entry.authors or ref in entry.editors):
            part = "author" if ref in entry.authors else "editor"
            k = bibl.index(child)
            wrap_pieces(bibl, k, len(piece(bibl, k)), k + 1, 0, etree.Element(T + part))
            count(part)
    # the title: the entry's own (its first words at least), else the title of the work that holds it
    for level, title in entry.titles:
        r = _read(bibl)
        span = _find_span(r, title, allow_prefix=True, bibl=bibl)
        if span and _wrap(bibl, r, *span, etree.Element(T + "title", {"level": level})):
            count("title")
            break
    # the publisher as the entry gives it
    for publisher in entry.publishers:
        r = _read(bibl)
        span = _find_span(r, publisher, allow_prefix=False, bibl=bibl)
        if span and _wrap(bibl, r, *span, etree.Element(T + "publisher")):
            count("publisher")
            break
    # the place of publication: a place standing before the date or the publisher («М., 1991», «Л.: Прибой»)
    if entry.has_place:
        for child in list(bibl):
            nxt = child.getnext()
            if child.tag == T + "placeName" and re.match(r"\s*[,:]", child.tail or "") and nxt is not None \
                    and nxt.tag in (T + "date", T + "publisher") and not (child.tail or "").strip(" ,:\n"):
                k = bibl.index(child)
                wrap_pieces(bibl, k, len(piece(bibl, k)), k + 1, 0, etree.Element(T + "pubPlace"))
                count("pubPlace")
    # the volume cited
    for k in range(len(bibl), -1, -1):
        for m in reversed(list(VOLUME.finditer(piece(bibl, k)))):
            wrap_pieces(bibl, k, m.start(1), k, m.end(1), etree.Element(T + "citedRange", {"unit": "volume"}))
            count("volume")


def tag(root: etree._Element, entries: dict[str, Entry]) -> PartsReport:
    """Tag the parts of every citation of the document that points to an entry of the bibliography."""
    report = PartsReport()
    text = root.find(T + "text")
    if text is None or not entries:
        return report
    for bibl in list(text.iter(T + "bibl")):
        entry = entries.get((bibl.get("corresp") or "").lstrip("#"))
        if entry is None:
            continue
        report.bibls += 1
        if any(bibl.find(T + p) is not None for p in ("author", "editor", "title", "pubPlace", "publisher")) \
                or bibl.find(f"{T}citedRange[@unit='volume']") is not None:
            report.kept += 1
            continue
        _tag(bibl, entry, report)
    return report
