"""Book layout, step 2: find the notes (page footnotes and per-article endnotes) and their calls.

Footnotes stand below the separator of a page and are numbered in arabic figures; their calls are
figures glued to the preceding word or punctuation on the same page (or, when the note was pushed
down, on the page before). A footnote block that does not open with a label continues the last note
of the previous block (a note running onto the next page is one note).

Endnotes are labelled with Roman numerals (i, ii, …) or asterisks; a footnote block that opens with
such a label starts an endnote zone that runs to the next division of the profile. Their calls are
searched in order through the article the zone closes.

A figure at a line start is a note label only if its call is found (dates, vote counts and page
references are text) or if it is the next number in the sequence (then its call is missing: flagged).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import record as r
from ..inline import numbered_call, roman_call, strong_call
from ..languages import Language
from .book_pages import Layout

LABEL = re.compile(r"^\s?(?P<lab>\d{1,3}|[ivxl]{1,6}|[∗*]{1,4})(?=\s?(?:\.\s)?(?:[^\W\d_]|[«“„(]))")
ROMAN = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv", "xv", "xvi",
         "xvii", "xviii", "xix", "xx", "xxi", "xxii", "xxiii", "xxiv", "xxv", "xxvi", "xxvii", "xxviii",
         "xxix", "xxx"]


def call_pattern(label: str, lang: Language) -> re.Pattern[str]:
    if label.isdigit():
        return numbered_call(label, lang)
    if label[0] in "∗*":
        return re.compile(r"(?<=\S)[∗*]+")
    return roman_call(label, lang)


@dataclass
class NoteSpan:
    note: r.Note
    lines: list[int]                          # source lines of the note text, first holds the label
    label_end: int = 0                        # characters of the first line taken by the label


@dataclass
class Notes:
    spans: list[NoteSpan] = field(default_factory=list)
    note_lines: set[int] = field(default_factory=set)            # lines that belong to a note
    calls: dict[int, list[tuple[int, int, r.Note]]] = field(default_factory=dict)   # line -> (start, end, note)
    uncalled: dict[int, list[r.Note]] = field(default_factory=dict)  # line -> notes with no call, placed here
    decisions: list[r.Decision] = field(default_factory=list)
    kinds: dict[str, int] = field(default_factory=dict)


def find_notes(lines: list[str], layout: Layout, marks: list[int], article_start, comments: dict,
               lang: Language) -> Notes:
    """marks: sorted lines where a division begins; article_start(n): first line of the article holding n."""
    out = Notes()
    zone = layout.zone
    total = len(lines)
    used: set[tuple[int, int]] = set()

    def body_lines(first: int, last: int) -> list[int]:
        return [n for n in range(first, last + 1) if zone[n] == "body" and n not in out.note_lines]

    def search(label: str, candidates: list[int], after: tuple[int, int] = (0, -1)) -> tuple[int, int, int] | None:
        pat = call_pattern(label, lang)
        for n in candidates:
            for m in pat.finditer(lines[n - 1]):
                if (n, m.start()) <= after or (n, m.start()) in used:
                    continue
                return n, m.start(), m.end()
        return None

    def add_call(hit: tuple[int, int, int], note: r.Note) -> None:
        n, s, e = hit
        used.add((n, s))
        out.calls.setdefault(n, []).append((s, e, note))

    # 1. endnote zones: a footnote block opening with a Roman numeral or an asterisk
    next_mark = {}
    for page in layout.pages:
        if page.separator is None:
            continue
        first_text = next((n for n in range(page.separator + 1, page.last + 1) if lines[n - 1].strip()), None)
        if first_text is None:
            continue
        m = LABEL.match(lines[first_text - 1])
        if m and not m.group("lab").isdigit():
            end = next((k - 1 for k in marks if k > first_text), total)
            next_mark[first_text] = end
    end_zone_lines: set[int] = set()
    zone_starts = sorted(next_mark)
    for start in zone_starts:
        end = min([next_mark[start]] + [k - 1 for k in zone_starts if k > start])
        zone_lines = [n for n in range(start, end + 1) if lines[n - 1].strip() and zone[n] != "pagenum"]
        end_zone_lines.update(zone_lines)
        _endnotes(lines, zone_lines, article_start(start), start, out, search, add_call, body_lines)
    # 2. page footnotes
    last: NoteSpan | None = None
    last_hit: tuple[int, int, int] | None = None
    expected = 1
    for page in layout.pages:
        if page.separator is None:
            continue
        foot = [n for n in range(page.separator + 1, page.last + 1)
                if zone[n] == "foot" and n not in end_zone_lines]
        if not foot:
            continue
        here = body_lines(page.first, page.last)
        before = body_lines(layout.pages[page.index - 1].first, layout.pages[page.index - 1].last) \
            if page.index else []
        for n in foot:
            m = LABEL.match(lines[n - 1])
            lab = m.group("lab") if m and m.group("lab").isdigit() else None
            hit = search(lab, here) or search(lab, before) if lab else None
            if m and lab and (hit or int(lab) == expected):
                note = r.Note(n=lab, place="foot", label=[r.Text(lab)])
                span = NoteSpan(note, [n], m.end())
                out.spans.append(span)
                out.note_lines.add(n)
                out.kinds["footnote"] = out.kinds.get("footnote", 0) + 1
                if hit:
                    if last_hit and last is not None and last.note.n and last.note.n.isdigit():
                        _lost_texts(int(last.note.n), int(lab), last_hit, hit, lines, body_lines, search,
                                    add_call, out, page)
                    add_call(hit, note)
                    last_hit = hit
                else:
                    note.missing = "call"
                    note.comment = comments.get(str(n), "The note stands at the foot of the page, but no call "
                                                "for it was found in the text of the page or the page before.")
                    out.uncalled.setdefault(n, []).append(note)
                    out.decisions.append(r.Decision(n, "note-call", f"footnote {lab}: no call found"))
                last = span
                expected = int(lab) + 1
                continue
            if last is not None and layout.page_of[last.lines[-1]] < page.index - 1:
                last = None                      # a note runs on onto the next page only
            if last is None:
                out.decisions.append(r.Decision(n, "note", "footnote text without label or previous note"))
                note = r.Note(n=None, place="foot", missing="call",
                              comment="Footnote text without a label; no call found.")
                last = NoteSpan(note, [n])
                out.spans.append(last)
                out.uncalled.setdefault(n, []).append(note)
            else:
                if lab:
                    out.decisions.append(r.Decision(n, "note-call", f"figure {lab} at a footnote line start "
                                                    f"taken as text (no call, out of sequence)"))
                last.lines.append(n)
            out.note_lines.add(n)
        # a new page block that opens without label continues `last`; sequence restarts are allowed
        if last is not None:
            expected = int(last.note.n) + 1 if last.note.n and last.note.n.isdigit() else 1
    _calls_without_text(lines, layout, out, used, body_lines, lang)
    return out


def _calls_without_text(lines, layout: Layout, out: Notes, used, body_lines, lang: Language) -> None:
    """Figures that can only be calls (after », after a word's full stop) but have no note on their page."""
    for page in layout.pages:
        for n in body_lines(page.first, page.last):
            for m in strong_call(lang).finditer(lines[n - 1]):
                if (n, m.start()) in used:
                    continue
                note = r.Note(n=m.group(1), place="foot", missing="text",
                              comment=f"The call {m.group(1)} stands in the text, but no footnote for it is "
                                      f"printed on this page or the next.")
                used.add((n, m.start()))
                out.calls.setdefault(n, []).append((m.start(), m.end(), note))
                out.kinds["footnote, text missing"] = out.kinds.get("footnote, text missing", 0) + 1
                out.decisions.append(r.Decision(n, "note-call", f"call {m.group(1)} without a footnote: "
                                                f"…{lines[n - 1][max(0, m.start() - 25):m.end()].strip()}"))


def _endnotes(lines, zone_lines, article_first, zone_first, out: Notes, search, add_call, body_lines) -> None:
    region = body_lines(article_first, zone_first - 1)
    seq = 0
    after = (0, -1)
    current: NoteSpan | None = None
    for n in zone_lines:
        m = LABEL.match(lines[n - 1])
        lab = m.group("lab") if m else None
        is_label = lab is not None and not lab.isdigit() and (
            lab[0] in "∗*" or (seq < len(ROMAN) and lab == ROMAN[seq]))
        if is_label and m and lab:
            kind = "asterisk" if lab[0] in "∗*" else "roman"
            if kind == "roman":
                seq += 1
            note = r.Note(n=lab, place="end", label=[r.Text(lab)])
            current = NoteSpan(note, [n], m.end())
            out.spans.append(current)
            out.kinds[f"endnote ({kind})"] = out.kinds.get(f"endnote ({kind})", 0) + 1
            hit = search(lab, region, after if kind == "roman" else (0, -1))
            if hit:
                add_call(hit, note)
                note.n = lines[hit[0] - 1][hit[1]:hit[2]]   # the call as printed (∗∗∗∗ for a label ∗)
                if kind == "roman":
                    after = (hit[0], hit[1])
            else:
                note.missing = "call"
                note.comment = (f"Endnote {lab}: no call for it was found in the article.")
                out.uncalled.setdefault(n, []).append(note)
                out.decisions.append(r.Decision(n, "note-call", f"endnote {lab}: no call found in the article"))
        elif current is None:
            note = r.Note(n=None, place="end", missing="call", comment="Endnote text without a label.")
            current = NoteSpan(note, [n])
            out.spans.append(current)
            out.uncalled.setdefault(n, []).append(note)
        else:
            current.lines.append(n)
        out.note_lines.add(n)


def _lost_texts(prev: int, cur: int, prev_hit, hit, lines, body_lines, search, add_call, out: Notes, page) -> None:
    """Footnotes prev and cur are numbered with a gap: the calls in between lost their note text."""
    if not prev + 1 < cur <= prev + 5:
        return
    between = [n for n in body_lines(prev_hit[0], hit[0])]
    after = (prev_hit[0], prev_hit[1])
    for k in range(prev + 1, cur):
        found = search(str(k), between, after)
        if found and (found[0], found[1]) < (hit[0], hit[1]):
            note = r.Note(n=str(k), place="foot", missing="text",
                          comment=f"The call {k} stands in the text, but no footnote {k} is printed.")
            add_call(found, note)
            after = (found[0], found[1])
            out.kinds["footnote, text missing"] = out.kinds.get("footnote, text missing", 0) + 1
            out.decisions.append(r.Decision(found[0], "note-call", f"call {k}: footnote text missing"))
        else:
            out.decisions.append(r.Decision(page.first, "note", f"footnote {k} is missing from the numbering "
                                            f"(between {prev} and {cur}) and no call for it was found"))
