"""Checks on a written PDF, by the poppler tools a reader's software would use (pdftotext, pdffonts).

- notes: every note of the print HTML that print shows (the XSLT's note bodies, data-apparatus="note",
  outside the diplomatic reading) is found in the PDF text, as often as it occurs — WeasyPrint can
  silently drop a footnote body;
- fonts: every font is embedded, and every font is one of ours (no fallback to a system font);
- contents and index: the page numbers printed are those of the pages where the anchors landed;
- geometry: where each word stands on its page (pdftotext -bbox), for margins, folios and running heads.
Texts are compared as runs of letters and digits only, so line-end hyphens (U+2010), leader dots,
brackets drawn by CSS and line breaks do not matter.
"""

from __future__ import annotations

import copy
import html
import re
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import lxml.html

from ..diagnostics import EditionError
from ..html.fragment import APPARATUS, EDITED, apparatus, reading, shown

_NOT_WORD = re.compile(r"[\W_]+")


def squash(text: str) -> str:
    """Letters and digits only, case kept: the text as a searchable run."""
    return _NOT_WORD.sub("", text)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise EditionError(f"{name} not found", hint="install the Debian package poppler-utils")
    return path


def pdf_text(pdf: Path, first: int | None = None, last: int | None = None, layout: bool = False,
             bbox: bool = False) -> str:
    args = [_tool("pdftotext"), "-enc", "UTF-8"]
    if layout:
        args.append("-layout")
    if bbox:
        args.append("-bbox")
    if first:
        args += ["-f", str(first)]
    if last:
        args += ["-l", str(last)]
    return subprocess.run(args + [str(pdf), "-"], check=True, capture_output=True, text=True).stdout


def page_texts(pdf: Path) -> list[str]:
    """The text of each page (pdftotext separates pages with a form feed)."""
    pages = pdf_text(pdf).split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


@dataclass(frozen=True)
class Word:
    text: str
    x0: float   # points from the left edge of the page
    y0: float   # points from the top
    x1: float
    y1: float


@dataclass(frozen=True)
class PageWords:
    number: int
    width: float
    height: float
    words: list[Word]


_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')


def page_words(pdf: Path, first: int | None = None, last: int | None = None) -> list[PageWords]:
    """Every word of the pages with its box (pdftotext -bbox), page by page, numbered from `first`."""
    out = pdf_text(pdf, first, last, bbox=True)
    return [PageWords(n, float(w), float(h), [Word(html.unescape(t), float(a), float(b), float(c), float(d))
                                              for a, b, c, d, t in _WORD.findall(body)])
            for n, (w, h, body) in enumerate(_PAGE.findall(out), first or 1)]


@dataclass(frozen=True)
class FontRow:
    name: str
    type: str
    embedded: bool
    subset: bool
    unicode: bool


def pdf_fonts(pdf: Path) -> list[FontRow]:
    out = subprocess.run([_tool("pdffonts"), str(pdf)], check=True, capture_output=True, text=True).stdout
    rows = []
    for line in out.splitlines()[2:]:
        parts = line.split()
        if len(parts) >= 7:
            # name, type (1–2 words), encoding, emb, sub, uni, object id (2)
            emb, sub, uni = parts[-5:-2]
            rows.append(FontRow(parts[0], " ".join(parts[1:-6]), emb == "yes", sub == "yes", uni == "yes"))
    return rows


def note_texts(html: str) -> list[str]:
    """Each note body of the print HTML (our own output, parsed as HTML) that print shows, in document order,
    as the edited reading reads it."""
    tree = lxml.html.document_fromstring(html)
    return [" ".join(reading(x, EDITED) for x in (*apparatus(el, "label"), _calls_read(el)))   # the label too
            for el in tree.iter() if isinstance(el.tag, str) and el.get(APPARATUS) == "note"
            and shown(el, EDITED) and not any(a.get(APPARATUS) == "note" for a in el.iterancestors())]


def _calls_read(body):
    """A note's body with the calls inside it read as printed (an editors' lettered call on a source's note),
    and the editors' marks on inferred dates ("[1917?]") too."""
    printed = ("call", "inference")
    if not any(next(apparatus(body, kind), None) is not None for kind in printed):
        return body
    body = copy.deepcopy(body)
    for kind in printed:
        for mark in list(apparatus(body, kind)):
            del mark.attrib[APPARATUS]
    return body


def missing_notes(html: str, pdf: Path) -> list[str]:
    """Note texts that the PDF holds fewer times than the HTML: should be empty."""
    wanted = Counter(squash(t) for t in note_texts(html))
    found = squash(pdf_text(pdf))
    return [t for t, n in wanted.items() if found.count(t) < n]


def _squash_dashes(text: str) -> str:
    """No space after an en dash: a line may break after one ("(1917–" / "1918)"), where the label has none."""
    return re.sub("\u2013 ", "\u2013", text)


def printed_numbers(text: str, labels: list[str]) -> list[list[int] | None]:
    """For contents or index text: the page numbers printed after each label, in order.

    The labels are searched one after the other (whitespace-insensitive); the numbers are those after
    the label's leader dots or space, up to the next label."""
    flat = _squash_dashes(" ".join(text.replace("\u2010\n", "").split()))
    results: list[list[int] | None] = []
    pos = 0
    for i, label in enumerate(labels):
        want = _squash_dashes(" ".join(label.split()))
        at = flat.find(want, pos)
        if at < 0:
            results.append(None)
            continue
        start = at + len(want)
        nxt = flat.find(_squash_dashes(" ".join(labels[i + 1].split())), start) if i + 1 < len(labels) else -1
        tail = flat[start: nxt if nxt >= 0 else len(flat)]
        m = re.match(r"^[\s.,]*((?:\d+(?:\s*,\s*)?)+)", tail)
        results.append([int(n) for n in re.findall(r"\d+", m.group(1))] if m else [])
        pos = start
    return results


def printed_locators(text: str, labels: list[str]) -> list[list[str]]:
    """For index text: the locators printed after each label, in order, as printed ("12", "12–14", "34n");
    none where the label is followed by something else (an entry divided into sub-entries)."""
    flat = _squash_dashes(" ".join(text.replace("\u2010\n", "").split()))
    results: list[list[str]] = []
    pos = 0
    for i, label in enumerate(labels):
        want = _squash_dashes(" ".join(label.split()))
        at = flat.find(want, pos)
        if at < 0:
            results.append(["<missing>"])
            continue
        start = at + len(want)
        nxt = flat.find(_squash_dashes(" ".join(labels[i + 1].split())), start) if i + 1 < len(labels) else -1
        tail = flat[start: nxt if nxt >= 0 else len(flat)]
        m = re.match(r"^[\s,]*((?:\d+(?:\u2013\d+|n)?(?:\s*,\s*)?)+)", tail)
        results.append(re.findall(r"\d+(?:\u2013\d+|n)?", m.group(1)) if m else [])
        pos = start
    return results


def column_text(pdf: Path, first: int, last: int | None = None) -> str:
    """The text of pages set in two columns (the index), the left column read before the right one, line by
    line, in bands cut at the headings that span both (set larger than the entries); pdftotext's own reading
    order may run across the columns where lines align."""
    lines: list[str] = []
    pages = [p for p in page_words(pdf, first, last) if p.words]
    middles = {}   # the column gap, on rectos and on versos (the margins are mirrored): the middle of the
    for side in (0, 1):   # text's extent over all pages of that side (a last page may fill one column only)
        words = [w for p in pages if p.number % 2 == side for w in p.words]
        middles[side] = (min(w.x0 for w in words) + max(w.x1 for w in words)) / 2 if words else 0.0
    for page in pages:
        middle = middles[page.number % 2]
        heights = sorted(w.y1 - w.y0 for w in page.words)
        usual = heights[len(heights) // 2]
        cuts = sorted({w.y0 for w in page.words if w.y1 - w.y0 > 1.2 * usual}) + [page.height]
        top = 0.0
        for cut in cuts:
            band = [w for w in page.words if top <= w.y0 < cut]
            for column in ([w for w in band if w.x0 < middle], [w for w in band if w.x0 >= middle]):
                rows: dict[int, list[Word]] = {}
                for w in column:
                    rows.setdefault(round(w.y1), []).append(w)
                lines += [" ".join(w.text for w in sorted(rows[y], key=lambda w: w.x0)) for y in sorted(rows)]
            top = cut
    return "\n".join(lines)


@dataclass(frozen=True)
class FootnoteGap:
    page: int          # page number (1-based)
    gap: float         # points of blank between the last line of the text and the footnote area (its rule)
    lines: float       # the same in lines of body text
    notes: int         # footnotes on the page
    cause: str = ""    # why the next line did not come up: see footnote_gaps


BODY_LINE = 10 * 1.32   # pt: the body's font size × line height (print.css html {})
PX = 0.75               # pt per CSS px (WeasyPrint lays out in px)


def _lines(box, chain=()):
    """The line boxes of the text in order, each with its ancestors (floats, the margin's page numbers, left out)."""
    from weasyprint.formatting_structure import boxes
    for child in getattr(box, "children", ()):
        if child.is_floated() or child.is_absolutely_positioned():
            continue
        if isinstance(child, boxes.LineBox):
            yield child, chain
        else:
            yield from _lines(child, (*chain, child))


def _calls(box):
    """The footnotes a line calls (WeasyPrint's call boxes carry their footnote)."""
    for child in getattr(box, "children", ()):
        if getattr(child, "footnote", None) is not None:
            yield child.footnote
        yield from _calls(child)


def footnote_gaps(document) -> list[FootnoteGap]:
    """For every page with footnotes of a laid-out WeasyPrint document: the blank between the bottom of the
    text's last line and the top of the footnote area (its margin: the rule's distance set by print.css), and
    its cause, read from the next page: "note" (the next page's first line calls notes taller than the
    blank: WeasyPrint cannot split a footnote, so the line moves with its note), "heading" (a heading and
    the first lines under it go together), "heading at the foot" (the page ends with a heading whose text
    went over: WeasyPrint did not keep them together), "break" (the next page begins a text or part: the text ended
    here) or "lines" (widows and orphans, or a block kept whole). From the layout (page box → [root,
    footnote area, note area]: weasyprint/layout/page.py), not from the PDF text."""
    from weasyprint.formatting_structure import boxes

    def area_of(page):
        return next((c for c in page._page_box.children if isinstance(c, boxes.FootnoteAreaBox)), None)

    pages = document.pages
    gaps = []
    for number, page in enumerate(pages, 1):
        area = area_of(page)
        if area is None or not area.children:
            continue
        lines = list(_lines(page._page_box.children[0]))
        bottom = max((line.position_y + line.height for line, _ in lines), default=0.0)
        gap = max(0.0, area.position_y - bottom) * PX   # to the area's margin: the rule's distance is by design
        cause = ""
        if gap > BODY_LINE and number < len(pages):
            before = {b.element for b in lines[-1][1]} if lines else set()
            stranded = lines and any(b.element_tag in HEADS for b in lines[-1][1])
            cause = "heading at the foot" if stranded else _cause(gap, before, list(_lines(pages[number]._page_box.children[0])), area_of(pages[number]))
        gaps.append(FootnoteGap(number, round(gap, 1), round(gap / BODY_LINE, 1), len(area.children), cause))
    return gaps


FORCED = ("page", "left", "right", "recto", "verso")
HEADS = ("h1", "h2", "h3", "h4", "h5", "h6")


def _cause(gap: float, before: set, lines: list, area) -> str:
    """Why the next page's first lines did not come up: `before`, the elements the page's last line stands in."""
    if not lines:
        return "break"
    first, chain = lines[0]
    started = [b for b in chain if b.element not in before]      # elements that begin on the next page
    if any(b.style["break_before"] in FORCED for b in started):
        return "break"
    if any(b.element_tag in HEADS for b in chain):
        return "heading"
    for n in (1, 2):   # the first line, or the first two (orphans, widows: two lines go together)
        called = [note for line, _ in lines[:n] for note in _calls(line)]
        if called and area is not None:
            laid = [c for c in area.children if any(c.element is note.element for note in called)]
            height = (sum(c.margin_height() for c in laid) + sum(line.height for line, _ in lines[:n])) * PX
            if height > gap:
                return "note"
    return "lines"


def notes_away_from_their_call(document) -> list[tuple[int, str]]:
    """(page, note id) for every footnote laid out on another page than its call (a call in the text or in
    another footnote): should be empty. From the layout, as footnote_gaps."""
    from weasyprint.formatting_structure import boxes
    away = []
    for number, page in enumerate(document.pages, 1):
        area = next((c for c in page._page_box.children if isinstance(c, boxes.FootnoteAreaBox)), None)
        placed = [c.element for c in (area.children if area is not None else ())]
        called = [n.element for n in _calls(page._page_box.children[0])]
        called += [n.element for c in (area.children if area is not None else ()) for n in _calls(c)]
        away += [(number, e.get("id", "?")) for e in placed if not any(e is c for c in called)]
        away += [(number, e.get("id", "?")) for e in called if not any(e is p for p in placed)]
    return away
