"""Page, column and footnote-block structure of a two-column journal text extracted from a PDF.

What the extraction left of the print layout:
- a line that starts with a space begins a new page (the profile lists exceptions);
- blank lines separate paragraphs, and also mark where a column or a footnote block begins;
- each column's footnotes stand in a block at its foot: a blank line, then lines that start with the
  note's number ("1 Новая жизнь…") or an asterisk, then a blank line or the next page;
- a footnote cut by the column end goes on in the next column's footnote block, without a number.

This module only finds that structure (line numbers); it does not build text. Note calls are found
here too, because a footnote block is recognised by the number of a note that has been called.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from .. import record as r
from ..inline import call_after, sentence_end
from ..languages import LANGUAGES, Language

NOTE_START = re.compile(r"^(\d{1,3}|\*)\s+\S")
# a number standing alone (not part of a longer number, a date like 1917-1920 or "1)"), or an asterisk
# glued to a word: candidates for a note call
NUMBER = re.compile(r"(?<![\w\-])(\d{1,3})(?=\s|$)")
ASTERISK = re.compile(r"(?<=[^\W\d_])\*")


@dataclass
class Call:
    line: int
    start: int          # offset in the line as found in the source (leading whitespace included)
    end: int
    label: str
    key: str = ""       # the note's key: the label, "*#2" for a label printed a second time (asterisks)


@dataclass
class Chunk:
    """Consecutive non-blank lines of the two-column text (no blank line and no page start inside)."""
    lines: list[int]
    page: int
    kind: str = "text"   # text | notes
    column: int = 1
    starts_page: bool = False


@dataclass
class Layout:
    page_starts: list[int]                     # first line of each page, in order
    chunks: list[Chunk]
    calls: dict[int, list[Call]] = field(default_factory=dict)     # line -> calls on it, in order
    note_lines: dict[str, list[int]] = field(default_factory=dict)  # note key (Call.key) -> its body lines
    continued_notes: list[str] = field(default_factory=list)        # notes whose body spans two blocks
    lang: Language = LANGUAGES["en"]                                # the text's (the rules of inline.py)

    def page_of(self, line: int) -> int:
        return bisect_right(self.page_starts, line)


def sentence_ends(text: str, lang: Language) -> bool:
    """Does this text end a sentence (ignoring a trailing note call)?"""
    text = re.sub(r"\s+\d{1,3}$|\*$", "", text.rstrip())
    return bool(sentence_end(lang).search(text))


def continues(prev: str, nxt: str, lang: Language) -> bool:
    """Does the text run on from prev into nxt (a word or sentence interrupted)?"""
    prev, nxt = prev.rstrip(), nxt.strip()
    return prev.endswith("-") or not sentence_ends(prev, lang) or (nxt[:1].islower())


def find_layout(lines: list[str], first: int, not_page_starts: set[int], rec: r.Record, lang: Language) -> Layout:
    """Analyse lines first..end (1-based) of the two-column text."""
    total = len(lines)
    page_starts = [n for n in range(1, total + 1)
                   if lines[n - 1][:1] == " " and lines[n - 1].strip() and n not in not_page_starts]
    if page_starts[:1] != [1]:
        page_starts.insert(0, 1)          # the witness begins with its first page, indented or not
    for n in sorted(not_page_starts):
        rec.decisions.append(r.Decision(n, "page", "the line begins with a space but is not taken as a page start "
                                        "(profile: page_layout.not_page_starts)"))
    layout = Layout(page_starts, [], lang=lang)
    is_start = set(page_starts)
    chunk: list[int] = []

    def close() -> None:
        if chunk:
            layout.chunks.append(Chunk(list(chunk), layout.page_of(chunk[0]),
                                       starts_page=chunk[0] in is_start))
            chunk.clear()

    for n in range(first, total + 1):
        if not lines[n - 1].strip():
            close()
            continue
        if n in is_start:
            close()
        chunk.append(n)
    close()
    _classify(lines, layout, rec)
    _columns(lines, layout, first, rec)
    return layout


def _classify(lines: list[str], layout: Layout, rec: r.Record) -> None:
    """Tell text from footnote blocks, in reading order, finding the calls on the way."""
    expected = 1                 # the next numbered call
    pending: list[str] = []      # called notes whose text has not begun yet
    open_note: str | None = None  # a note whose text was cut at the end of its block
    prev_text = ""
    printed: dict[str, int] = {}  # how often each label was called so far
    for chunk in layout.chunks:
        starts = [NOTE_START.match(lines[n - 1].strip()) for n in chunk.lines]
        labels = _pending_keys(starts, pending)
        is_notes = labels[0] is not None or (open_note is not None and any(labels[1:]))
        if not is_notes:
            for n in chunk.lines:
                text = lines[n - 1]
                found = _calls(text, n, expected, prev_text, rec, layout.lang)
                for call in found:
                    printed[call.label] = printed.get(call.label, 0) + 1
                    call.key = call.label if printed[call.label] == 1 else f"{call.label}#{printed[call.label]}"
                    pending.append(call.key)
                    if call.label != "*":
                        expected += 1
                if found:
                    layout.calls[n] = found
                prev_text = text
            continue
        chunk.kind = "notes"
        current = open_note
        if labels[0] is None:
            assert open_note is not None               # a block without a label is taken as notes only then
            layout.continued_notes.append(open_note)
            rec.decisions.append(r.Decision(chunk.lines[0], "note", f"footnote block begins without a number: "
                                 f"taken as the continuation of note {open_note}, cut at the end of the previous column"))
        for n, label in zip(chunk.lines, labels):
            if label is not None:
                current = label
                pending.remove(label)
            if current is not None:
                layout.note_lines.setdefault(current, []).append(n)
        last = lines[chunk.lines[-1] - 1].rstrip()
        open_note = current if (last.endswith("-") or last[-1:].isalpha() or last.endswith(",")) else None
    for label in pending:
        rec.decisions.append(r.Decision(0, "note", f"note call {label} has no note text in the witness"))
    if open_note is not None:
        last_line = layout.note_lines[open_note][-1]
        rec.decisions.append(r.Decision(last_line, "note", f"note {open_note} seems cut at the end of its block, "
                                        "but no later footnote block continues it"))


def _pending_keys(starts: list[re.Match | None], pending: list[str]) -> list[str | None]:
    """For each line of a block: the key of the called note whose text it begins (None: no note begins).
    Two notes with the same printed label (two asterisks) are taken in the order of their calls."""
    left = list(pending)
    keys: list[str | None] = []
    for m in starts:
        key = next((k for k in left if k.split("#")[0] == m.group(1)), None) if m else None
        if key is not None:
            left.remove(key)
        keys.append(key)
    return keys


def _calls(text: str, n: int, expected: int, prev_text: str, rec: r.Record, lang: Language) -> list[Call]:
    """Note calls on one text line: the next number in sequence, standing after punctuation; asterisks."""
    found: list[Call] = []
    for m in ASTERISK.finditer(text):
        found.append(Call(n, m.start(), m.end(), "*"))
    for m in NUMBER.finditer(text):
        before = text[:m.start()].rstrip() or prev_text.rstrip()
        after_punct = before[-1:] in call_after(lang) and bool(before)
        if m.group(1) == str(expected) and after_punct:
            found.append(Call(n, m.start(), m.end(), m.group(1)))
            expected += 1
        elif after_punct:
            rec.decisions.append(r.Decision(n, "note-call", f"number {m.group(1)!r} after punctuation is text, not "
                                 f"a call (the next call is {expected}): …{text[max(0, m.start() - 25):m.end() + 15].strip()}…"))
    return sorted(found, key=lambda c: c.start)


def _columns(lines: list[str], layout: Layout, first: int, rec: r.Record) -> None:
    """Mark where the second column of each page begins.

    After a footnote block that is not the last block of its page, the next text block opens the second
    column. A first column without footnotes ends at a blank line: the one where the text runs on
    mid-sentence, nearest the middle of the page (columns are balanced).
    """
    by_page: dict[int, list[Chunk]] = {}
    for c in layout.chunks:
        by_page.setdefault(c.page, []).append(c)
    for page, chunks in sorted(by_page.items()):
        col2 = next((b for a, b in zip(chunks, chunks[1:]) if a.kind == "notes" and b.kind == "text"), None)
        if col2 is None:
            begin = max(first, layout.page_starts[page - 1])
            end = chunks[-1].lines[-1]
            middle = (begin + end) / 2
            pairs = [(a, b) for a, b in zip(chunks, chunks[1:]) if a.kind == b.kind == "text"]
            running = [(a, b) for a, b in pairs if continues(lines[a.lines[-1] - 1], lines[b.lines[0] - 1], layout.lang)]
            candidates = running or pairs
            if not candidates:
                rec.decisions.append(r.Decision(chunks[0].lines[0], "column", f"page {page}: no second column found"))
                continue
            a, col2 = min(candidates, key=lambda ab: abs(ab[1].lines[0] - 1 - middle))
            if not running or len(running) > 1:
                others = ", ".join(str(b.lines[0] - 1) for _, b in candidates if b is not col2)
                rec.decisions.append(r.Decision(col2.lines[0], "column", f"page {page}: second column taken to begin "
                                     f"here, at the blank line nearest the middle of the page (other blank lines "
                                     f"where the text runs on: {others or 'none'}; they are not column breaks)"))
        for c in chunks[chunks.index(col2):]:
            c.column = 2
