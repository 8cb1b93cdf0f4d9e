"""Inline text of a journal line: note calls, the source's own omission marks, editors' corrections,
line-end hyphens, and the author's signed remarks ("– А.И.") as source-editorial segments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import record as r
from ..hyphens import Lexicon, decide
from ..languages import Language

OPENING, CLOSING = "«“„", "»”"
ELLIPSIS = re.compile(r"(?<!\S)(…|\.\.\.)(?!\S)")


@dataclass
class Fix:
    """An editors' correction from the profile: on `line`, the source reads `sic`, read `corr`."""
    line: int
    sic: str
    corr: str
    reason: str = ""
    used: bool = False


class QuoteDepth:
    """How deep inside quotation marks the reading text is, carried from line to line."""

    def __init__(self) -> None:
        self.depth = 0

    def feed(self, text: str) -> list[int]:
        """The depth before each character of text; advances over it."""
        out = []
        for ch in text:
            out.append(self.depth)
            if ch in OPENING:
                self.depth += 1
            elif ch in CLOSING and self.depth:
                self.depth -= 1
        return out


def split_text(text: str, line: int, fixes: list[Fix], depth: list[int] | None, no_omission: bool,
               rec: r.Record) -> list[r.Inline]:
    """Plain text of one line (no calls) into Text, Correction and omission segments."""
    marks: list[tuple[int, int, r.Inline]] = []
    for fix in fixes:
        at = text.find(fix.sic)
        if at < 0:
            continue
        fix.used = True
        marks.append((at, at + len(fix.sic), r.Correction("sic", [r.Text(fix.sic)], fix.corr, fix.reason)))
    if depth is not None and not no_omission:
        for m in ELLIPSIS.finditer(text):
            if depth[m.start()] > 0:
                marks.append((m.start(), m.end(), r.SourceEditorial("omission", [r.Text(m.group(1))])))
                rec.decisions.append(r.Decision(line, "omission", f"ellipsis {m.group(1)!r} inside a quotation taken "
                                     f"as the author's omission mark: …{text[max(0, m.start() - 20):m.end() + 20]}…"))
    out: list[r.Inline] = []
    pos = 0
    for start, end, tok in sorted(marks, key=lambda m: m[0]):
        if start < pos:
            continue
        out.append(r.Text(text[pos:start]))
        out.append(tok)
        pos = end
    out.append(r.Text(text[pos:]))
    return [t for t in out if not (isinstance(t, r.Text) and not t.text)]


def hyphenate(prev: list[r.Inline], nxt_text: str, line: int, lexicon: Lexicon, lang: Language,
              rec: r.Record) -> r.Hyphen | None:
    """Decide the break between the line whose tokens are prev and the next line's text.

    Returns the LineBreak.hyphen value for the next line; a soft hyphen is removed from prev.
    """
    last = prev[-1] if prev else None
    if not isinstance(last, r.Text) or not last.text.rstrip().endswith("-"):
        return None
    left = last.text.rstrip()
    if len(left) < 2 or left[-2] in " -":
        return None                      # a dash standing alone, not a word split
    d = decide(left[:-1], nxt_text.strip(), lexicon, lang)
    if not d.certain:
        word = re.findall(r"\S+$", left)[0]
        rec.decisions.append(r.Decision(line, "hyphen", f"{word}|{nxt_text.split()[0] if nxt_text.split() else ''}"
                                        f" -> {'joined' if d.kind == 'soft' else 'hyphen kept'} ({d.reason})"))
    if d.kind == "soft":
        last.text = left[:-1]
        return "soft"
    last.text = left
    return "hard"


def wrap_remarks(tokens: list[r.Inline], pattern: re.Pattern[str], kind: str) -> list[r.Inline]:
    """Wrap every match of pattern (over the edited text, hyphens joined) into a SourceEditorial segment.

    Works on a flat list of Text and LineBreak tokens; a match must begin and end inside Text tokens.
    """
    chars: list[tuple[int, int]] = []   # (token index, offset) for each character of the edited string
    text = []
    for i, tok in enumerate(tokens):
        if isinstance(tok, r.Text):
            for k, ch in enumerate(tok.text):
                chars.append((i, k))
                text.append(ch)
        elif isinstance(tok, r.LineBreak) and tok.hyphen is None:
            chars.append((i, -1))
            text.append(" ")
    joined = "".join(text)
    for m in reversed(list(pattern.finditer(joined))):
        (i0, k0), (i1, k1) = chars[m.start()], chars[m.end() - 1]
        first, last = tokens[i0], tokens[i1]
        if k0 < 0 or k1 < 0 or not isinstance(first, r.Text) or not isinstance(last, r.Text):
            continue                          # (a position k >= 0 is always in a Text)
        head, tail = first.text[:k0], last.text[k1 + 1:]
        if i0 == i1:
            inner: list[r.Inline] = [r.Text(first.text[k0:k1 + 1])]
        else:
            inner = [r.Text(first.text[k0:]), *tokens[i0 + 1:i1], r.Text(last.text[:k1 + 1])]
        new: list[r.Inline] = [r.Text(head)] if head else []
        new.append(r.SourceEditorial(kind, inner))
        if tail:
            new.append(r.Text(tail))
        tokens = tokens[:i0] + new + tokens[i1 + 1:]
    return tokens
