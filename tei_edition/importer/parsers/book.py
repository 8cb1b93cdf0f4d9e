"""Layout: a book extracted from PDF, page by page (pages, footnotes, endnotes, printed page numbers).

Steps: cut the lines into pages and zones (book_pages), find notes and their calls (book_notes), then
read the body lines in order into divisions, headings and paragraphs (this module). The structure the
text cannot reveal comes from the profile: `[[marks]]` (where a division begins, its level and type, how
many lines its heading takes, or a supplied heading; author, date and source stated by the text),
`[paragraph_rend]` (single-line blocks such as signatures, datelines and source lines), `verse` (stanzas),
`pages.not_starts` / `pages.extra_starts` / `pages.lost_before`, `[hyphens]` (the editors' decisions on
line-end hyphens) and `[[fixes]]` (corrections of the witness, letter-spaced words).

The source's own editorial brackets ([…], [sic], [… – Ред.], напр[имер]) are recognised by rule; three
or more paragraphs in a row that open with a dash become a list.

Paragraphs: an empty line on the same page ends a paragraph unless the next line goes on with a small
letter or the previous one ends with a word hyphen (the extraction puts an empty line after the first
line of some paragraphs); a short line ending a sentence ends a paragraph too. Paragraphs run on
across page breaks, page numbers and footnote blocks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import hyphens
from ...diagnostics import EditionError
from .. import record as r
from ..profile import Profile
from .book_notes import Notes, find_notes
from .book_pages import Layout, cut_pages

LAYOUT = "book"

SENTENCE_END = re.compile(r"[.!?:;»)…\"”]\s*$")
WORD_HYPHEN = re.compile(r"[^\W_]-\s*$")
PUNCT_HYPHEN = re.compile(r"\S-\s*$")
LOWER_START = re.compile(r"^\s*[a-zа-яё]")
SENTENCE_END_CALL = re.compile(r"[.!?:;»)…\"”*]\s*(\d{1,3}|[ivx]{1,5})?\s*$")   # a note call may follow


@dataclass
class Mark:
    line: int
    level: int
    type: str
    head_lines: int = 1
    supplied_head: str | None = None
    where: str = "body"
    n: str | None = None
    byline: list[int] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)


def _marks(profile: Profile, total: int) -> list[Mark]:
    out = []
    for i, m in enumerate(profile.get("marks", []), start=1):
        if not isinstance(m.get("line"), int) or not 1 <= m["line"] <= total:
            raise EditionError(f"{profile.path}: marks #{i}: line {m.get('line')!r} is not a line of the source "
                               f"(1–{total})", hint="give the line number where the division begins")
        out.append(Mark(line=m["line"], level=m.get("level", 2), type=m.get("type", "section"),
                        head_lines=m.get("head_lines", 0 if m.get("supplied_head") else 1),
                        supplied_head=m.get("supplied_head"), where=m.get("where", "body"), n=m.get("n"),
                        byline=list(m.get("byline", [])), meta=dict(m.get("meta", {}))))
    return sorted(out, key=lambda m: (m.line, m.level))


def _fix_token(fix: dict) -> r.Inline:
    """spaced: letter-spaced print, read without the spaces (only whitespace may differ); sic/orig: a correction."""
    kind = fix.get("kind", "sic")
    if kind == "spaced":
        if re.sub(r"\s", "", fix["source"]) != re.sub(r"\s", "", fix["edited"]):
            raise EditionError(f"[[fixes]] line {fix['line']}: a letter-spaced reading may differ from the source "
                               f"only in spaces: {fix['source']!r} / {fix['edited']!r}", hint="fix 'edited'")
        return r.Highlight("spaced", [r.Text(fix["edited"])])
    return r.Correction(kind, [r.Text(fix["source"])], fix["edited"], fix.get("reason", ""))


BRACKET = re.compile(r"\[[^\[\]]*\]")


def _bracket_kind(text: str, before: str, after: str) -> str:
    inner = text[1:-1].strip()
    if inner in ("…", "...", ". . ."):
        return "omission"
    if inner.lower() == "sic":
        return "sic"
    if re.search(r"[–—-]\s*(Ред\.?|[А-ЯЁ]\.\s?[А-ЯЁ]\.)$", inner):    # "– Ред.", "— Г.М." (signed remark)
        return "editor-remark"
    if re.search(r"[^\W\d_]$", before) or re.match(r"[^\W\d_]", after):
        return "expansion"          # inside a word: напр[имер], [по]вернуть
    return "insertion"


def _source_brackets(toks: list[r.Inline]) -> list[r.Inline]:
    """The source's own editorial brackets ([…], [sic], [… – Ред.], напр[имер]) as what they are."""
    out: list[r.Inline] = []
    for tok in toks:
        if not isinstance(tok, r.Text) or "[" not in tok.text:
            out.append(tok)
            continue
        pos = 0
        for m in BRACKET.finditer(tok.text):
            out.append(r.Text(tok.text[pos:m.start()]))
            kind = _bracket_kind(m.group(), tok.text[:m.start()], tok.text[m.end():])
            out.append(r.SourceEditorial(kind, [r.Text(m.group())]))
            pos = m.end()
        out.append(r.Text(tok.text[pos:]))
    out = [t for t in out if not (isinstance(t, r.Text) and not t.text)]
    return out if out and isinstance(out[-1], r.Text) else out + [r.Text("")]


class _Joiner:
    """Turns consecutive source lines into inline tokens, deciding line-end hyphens."""

    def __init__(self, lines: list[str], notes: Notes, lexicon: hyphens.Lexicon, rec: r.Record, profile: Profile):
        self.lines, self.notes, self.lexicon, self.rec = lines, notes, lexicon, rec
        self.counts = {"joined": 0, "kept": 0}
        self.profile_path = profile.path
        self.keep = {w.lower() for w in profile.get("hyphens.keep", [])}
        self.join = {w.lower() for w in profile.get("hyphens.join", [])}
        self.fixes: dict[int, list[dict]] = {}
        for i, fix in enumerate(profile.get("fixes", []), start=1):
            missing = [k for k in ("line", "source", "edited") if k not in fix]
            if missing or fix.get("kind", "sic") not in ("sic", "orig", "spaced"):
                raise EditionError(f"{profile.path}: [[fixes]] #{i}: needs line, source, edited and a kind of "
                                   f"sic, orig or spaced (missing: {', '.join(missing) or 'none'})",
                                   hint='e.g. line = 7090, source = "освобожде6ния", edited = "освобождения"')
            self.fixes.setdefault(fix["line"], []).append(fix)

    def tokens(self, n: int, prev_text: r.Text | None, skip: int = 0) -> tuple[list[r.Inline], r.Text | None]:
        """Tokens of line n (its text from character `skip`); prev_text is the last Text of the line before."""
        raw = self.lines[n - 1]
        text = raw[skip:]
        hyphen = None
        if prev_text is not None and WORD_HYPHEN.search(prev_text.text) and re.match(r"\s*[^\W_]", text):
            left = prev_text.text.rstrip()[:-1]
            right = text.strip()
            d = self._override(left, right) or hyphens.decide(left, right, self.lexicon)
            if not d.certain:
                lw = re.findall(r"[^\W_]+$", left)
                rw = re.findall(r"^[^\W_]+", right)
                self.rec.decisions.append(r.Decision(
                    n, "hyphen", f"{(lw or [''])[0]}-{(rw or [''])[0]}: {d.kind} ({d.reason})"))
            if d.kind == "soft":
                prev_text.text = prev_text.text.rstrip()[:-1]
                hyphen = "soft"
                self.counts["joined"] += 1
            else:
                prev_text.text = prev_text.text.rstrip()
                hyphen = "hard"
                self.counts["kept"] += 1
        elif prev_text is not None and PUNCT_HYPHEN.search(prev_text.text) and re.match(r"\s*\S", text):
            # a hyphen next to punctuation goes on into the next line: "М.-|Л." (Москва–Ленинград),
            # "по-|«марксистски»"; no printer divides a word there, so the hyphen is real
            prev_text.text = prev_text.text.rstrip()
            hyphen = "hard"
            self.counts["kept"] += 1
        toks: list[r.Inline] = [r.LineBreak(n, hyphen)]
        pos = 0
        calls = sorted((s - skip, e - skip, note) for s, e, note in self.notes.calls.get(n, []) if s >= skip)
        last_text = None
        for s, e, note in calls:
            if s > pos:
                last_text = r.Text(text[pos:s])
                toks.append(last_text)
            toks.append(r.NoteCall(note))
            pos = e
        rest = text[pos:].rstrip()
        if rest.strip() or (pos == 0 and not calls):
            last_text = r.Text(rest.lstrip() if pos == 0 else rest)
            toks.append(last_text)
        elif calls:
            last_text = r.Text("")
            toks.append(last_text)
        if pos == 0 and isinstance(toks[-1], r.Text) and not calls:
            toks[-1].text = toks[-1].text.lstrip()
        if n in self.fixes:
            toks = self._apply_fixes(n, toks)
        if "[" in text:
            toks = _source_brackets(toks)
        if n in self.fixes or "[" in text:
            last_text = toks[-1] if isinstance(toks[-1], r.Text) else None
        return toks, last_text

    def _override(self, left: str, right: str) -> hyphens.Decision | None:
        """The editors' decision for a line-end hyphen the rules get wrong (profile [hyphens] keep/join)."""
        lw, rw = re.findall(r"[^\W_]+$", left), re.findall(r"^[^\W_]+", right)
        pair = f"{(lw or [''])[0]}-{(rw or [''])[0]}".lower()
        if pair in self.keep:
            return hyphens.Decision("hard", True, "editors: a real hyphen")
        if pair in self.join:
            return hyphens.Decision("soft", True, "editors: the printer's hyphen")
        return None

    def _apply_fixes(self, n: int, toks: list[r.Inline]) -> list[r.Inline]:
        """The editors' corrections and letter-spaced words of the profile ([[fixes]]) on line n."""
        out: list[r.Inline] = list(toks)
        for fix in self.fixes[n]:
            for i, tok in enumerate(out):
                if isinstance(tok, r.Text) and fix["source"] in tok.text:
                    before, _, after = tok.text.partition(fix["source"])
                    out[i:i + 1] = [r.Text(before), _fix_token(fix), r.Text(after)]
                    break
            else:
                raise EditionError(f"{self.profile_path}: [[fixes]] line {n}: {fix['source']!r} is not in the "
                                   f"line: {self.lines[n - 1].strip()!r}", hint="copy the source text exactly")
        out = [t for t in out if not (isinstance(t, r.Text) and not t.text)]
        return out if isinstance(out[-1], r.Text) else out + [r.Text("")]


def _note_bodies(notes: Notes, joiner: _Joiner) -> None:
    for span in notes.spans:
        toks: list[r.Inline] = []
        prev = None
        for i, n in enumerate(span.lines):
            t, prev = joiner.tokens(n, prev, span.label_end if i == 0 else 0)
            toks += t
        if span.note.label:
            span.note.label = [r.LineBreak(span.lines[0]), *span.note.label]
            # the label owns the line start: the body goes on without a second <lb/> for the same line
            toks = toks[1:]
            if toks and isinstance(toks[0], r.Text):
                toks[0].text = " " + toks[0].text.lstrip()   # label and text are apart in print
        span.note.blocks = [r.Paragraph(toks)]


def parse(lines: list[str], profile: Profile) -> r.Record:
    rec = r.Record(doc_id=profile.id, lang=profile.lang)
    layout = cut_pages(lines, profile)
    marks = _marks(profile, len(lines))
    mark_lines = sorted({m.line for m in marks})
    article_starts = sorted(m.line for m in marks if m.level <= 2 and not m.supplied_head)

    def article_start(n: int) -> int:
        return max([a for a in article_starts if a <= n], default=1)

    notes = find_notes(lines, layout, mark_lines, article_start, profile.get("notes.comments", {}))
    lexicon = hyphens.Lexicon.from_folder(Path(profile.path).parent.parent)
    joiner = _Joiner(lines, notes, lexicon, rec, profile)
    _note_bodies(notes, joiner)
    _Flow(lines, layout, notes, marks, profile, rec, joiner).run()
    rec.decisions += layout.conflicts + notes.decisions
    rec.counts.update({
        "book: pages": len(layout.pages),
        "book: printed page numbers": sum(1 for p in layout.pages if p.number),
        "book: inferred page numbers": sum(1 for p in layout.pages if not p.number and p.inferred),
        "book: joined words": joiner.counts["joined"],
        "book: kept hyphens": joiner.counts["kept"],
    })
    for kind, value in sorted(notes.kinds.items()):
        rec.counts[f"book: notes, {kind}"] = value
    # the TEI-side note figures above also count the <note> of each division's <bibl>: these do not
    rec.counts["book: notes (all kinds)"] = len(notes.spans) + sum(1 for cs in notes.calls.values()
                                                                   for *_, nt in cs if nt.missing == "text")
    rec.counts["book: note calls"] = sum(len(cs) for cs in notes.calls.values())
    return rec


class _Flow:
    """Reads body lines in source order into divisions and blocks."""

    def __init__(self, lines, layout: Layout, notes: Notes, marks: list[Mark], profile: Profile, rec, joiner):
        self.lines, self.layout, self.notes, self.rec, self.joiner = lines, layout, notes, rec, joiner
        self.marks_at: dict[int, list[Mark]] = {}
        for m in marks:
            self.marks_at.setdefault(m.line, []).append(m)
        # "164" = "dateline" (one line) or "8707-8709" = "epigraph" (the lines form one block)
        self.rend: dict[int, str] = {}
        self.rend_inside: set[int] = set()
        self.rend_last: set[int] = set()
        for key, value in profile.get("paragraph_rend", {}).items():
            m = re.fullmatch(r"(\d+)(?:-(\d+))?", key)
            if not m or (m.group(2) and int(m.group(2)) < int(m.group(1))):
                raise EditionError(f"{profile.path}: [paragraph_rend]: {key!r} is not a line or a range of lines",
                                   hint='keys are line numbers in quotes: "164" = "dateline", "8707-8709" = "epigraph"')
            first, last = int(m.group(1)), int(m.group(2) or m.group(1))
            self.rend[first] = value
            self.rend_inside.update(range(first + 1, last + 1))
            self.rend_last.add(last)
        self.stack: list[tuple[int, r.Division]] = []
        self.top: list[r.Block] = rec.body
        self.para: r.Paragraph | None = None
        self.pending: list[r.Inline] = []
        self.prev_line: int | None = None
        self.prev_text: r.Text | None = None
        self.page_starts = {p.first: p for p in layout.pages}
        self.verse: r.Verse | None = None
        stanzas = profile.get("verse", [])
        if not all(isinstance(v, list) and len(v) == 2 and all(isinstance(x, int) for x in v) and v[0] <= v[1]
                   for v in stanzas):
            raise EditionError(f"{profile.path}: verse: each stanza is [first line, last line]",
                               hint="e.g. verse = [[10291, 10294]]")
        self.verse_first = {a for a, b in stanzas}
        self.verse_lines = {n for a, b in profile.get("verse", []) for n in range(a, b + 1)}
        self.width = self._widths()

    def _widths(self) -> dict[int, int]:
        out = {}
        for p in self.layout.pages:
            lens = sorted(len(self.lines[n - 1].strip()) for n in range(p.first, p.last + 1)
                          if self.layout.zone[n] == "body")
            out[p.index] = lens[int(len(lens) * 0.8)] if len(lens) >= 5 else 70
        return out

    # ---- containers ---------------------------------------------------------------------------
    def container(self) -> list[r.Block]:
        return self.stack[-1][1].blocks if self.stack else self.top

    def close_para(self) -> None:
        self.para = None

    def flush_pending(self) -> None:
        if self.pending:
            self.container().append(r.Milestones(self.pending))
            self.pending = []

    def open_division(self, m: Mark) -> r.Division:
        self.close_para()
        if self.stack:
            self.flush_pending()   # a page break before a heading closes the previous division
        while self.stack and self.stack[-1][0] >= m.level:
            self.stack.pop()
        div = r.Division(type=m.type, n=m.n, meta=m.meta)
        if self.stack:
            self.stack[-1][1].blocks.append(div)
        else:
            {"front": self.rec.front, "back": self.rec.back}.get(m.where, self.rec.body).append(div)
        self.stack.append((m.level, div))
        self.flush_pending()       # only at the very start of front, body or back: into the new division
        if m.supplied_head:
            div.head = r.Heading([r.Text(m.supplied_head)], supplied=True)
        return div

    # ---- lines --------------------------------------------------------------------------------
    def run(self) -> None:
        lines, zone = self.lines, self.layout.zone
        head_left = 0
        head: r.Heading | None = None
        byline_of: dict[int, r.Division] = {}
        pending_marks = sorted(self.marks_at.items())
        for n in range(1, len(lines) + 1):
            if n in self.page_starts:
                p = self.page_starts[n]
                self.pending.append(r.PageBreak(p.n, inferred=not p.number and p.n is not None))
            for note in self.notes.uncalled.get(n, []):
                self.pending.append(r.NoteCall(note))
            z = zone[n]
            if z == "pagenum":
                self.pending.append(r.Residue("pageNum", [r.LineBreak(n), r.Text(lines[n - 1].strip())]))
                continue
            if z != "body" or n in self.notes.note_lines:
                continue
            opening = []
            while pending_marks and pending_marks[0][0] <= n:
                opening += pending_marks.pop(0)[1]
            if opening:
                for m in opening:
                    div = self.open_division(m)
                    if m.head_lines:
                        head = r.Heading([])
                        div.head = head
                        head_left = m.head_lines
                        self.prev_text = None
                    for b in m.byline:
                        byline_of[b] = div
                self.prev_line = None
            if head_left:
                toks, self.prev_text = self.joiner.tokens(n, self.prev_text)
                head.tokens += self.pending + toks
                self.pending = []
                head_left -= 1
                if not head_left:
                    self.prev_text = None
                self.prev_line = None
                continue
            if n in self.verse_first or n in self.verse_lines:
                self.close_para()
                if n in self.verse_first or self.verse is None:
                    self.flush_pending()
                    self.verse = r.Verse([])
                    self.container().append(self.verse)
                toks, _ = self.joiner.tokens(n, None)
                self.verse.lines.append(self.pending + toks)
                self.pending = []
                self.prev_line = None
                continue
            self.verse = None
            if n in byline_of:
                div = byline_of.pop(n)
                toks, _ = self.joiner.tokens(n, None)
                div.byline = (div.byline or []) + self.pending + toks
                self.pending = []
                self.prev_line = None
                continue
            if self.para is not None and self.prev_line is not None and self._continues(self.prev_line, n):
                toks, self.prev_text = self.joiner.tokens(n, self.prev_text)
                if toks[0].hyphen == "soft":
                    self._residue_before_last_line()
                self.para.tokens += self.pending + toks
            else:
                self.close_para()
                self.flush_pending()
                toks, self.prev_text = self.joiner.tokens(n, None)
                self.para = r.Paragraph(toks, rend=self.rend.get(n, ""))
                self.container().append(self.para)
            self.pending = []
            self.prev_line = n
            if n in self.rend_last:
                self.close_para()
                self.prev_line = None
        self.close_para()
        self.flush_pending()
        for blocks in _containers(self.rec.front + self.rec.body + self.rec.back, [self.rec.front, self.rec.body,
                                                                                  self.rec.back]):
            blocks[:] = _quotes(_lists(blocks))

    def _residue_before_last_line(self) -> None:
        """A word split across a page whose number is printed: the dropped hyphen belongs to the last line
        of the page, so the page number (a line of its own) moves before that line; the <pb/> stays in the word."""
        residue = [t for t in self.pending if isinstance(t, r.Residue)]
        if not residue:
            return
        self.pending = [t for t in self.pending if not isinstance(t, r.Residue)]
        toks = self.para.tokens
        # before the last line break that is not itself a dropped hyphen (that one would emit its "-" there)
        at = max((i for i, t in enumerate(toks) if isinstance(t, r.LineBreak) and t.hyphen != "soft"), default=0)
        toks[at:at] = residue

    def _continues(self, p: int, n: int) -> bool:
        if n in self.rend:
            return False
        if n in self.rend_inside:
            return True
        prev, cur = self.lines[p - 1].rstrip(), self.lines[n - 1]
        if WORD_HYPHEN.search(prev) or LOWER_START.match(cur) or not SENTENCE_END_CALL.search(prev):
            return True
        page_p, page_n = self.layout.page_of[p], self.layout.page_of[n]
        if page_p == page_n and any(not self.lines[k - 1].strip() for k in range(p + 1, n)):
            return False
        short = len(prev.strip()) < 0.75 * self.width[page_p]
        return not (SENTENCE_END.search(prev) and short)


LIST_ITEM = re.compile(r"^\s*[-—]\s")


def _containers(blocks: list[r.Block], acc: list[list[r.Block]]) -> list[list[r.Block]]:
    for b in blocks:
        if isinstance(b, r.Division):
            acc.append(b.blocks)
            _containers(b.blocks, acc)
    return acc


def _first_text(p: r.Paragraph) -> str:
    return next((t.text for t in p.tokens if isinstance(t, r.Text)), "")


def _lists(blocks: list[r.Block]) -> list[r.Block]:
    """Three or more paragraphs in a row that open with a dash are the items of a list."""
    out: list[r.Block] = []
    run: list[r.Paragraph] = []

    def close() -> None:
        if len(run) >= 3:
            out.append(r.ListBlock([p.tokens for p in run]))
        else:
            out.extend(run)
        run.clear()

    for b in blocks:
        if isinstance(b, r.Paragraph) and not b.rend and LIST_ITEM.match(_first_text(b)):
            run.append(b)
        elif isinstance(b, r.Milestones) and run:
            run[-1].tokens += b.tokens       # a page break between two items stays inside the list
        else:
            close()
            out.append(b)
    close()
    return out


QUOTE_END = re.compile(r"[»”\"][.…!?]?\s*(\([^()]*(\([^()]*\)[^()]*)*\)[.]?)?\s*$")


def _plain(p: r.Paragraph) -> str:
    def text(toks):
        for t in toks:
            if isinstance(t, r.Text):
                yield t.text
            elif isinstance(t, (r.Highlight, r.SourceEditorial)):
                yield from text(t.tokens)
            elif isinstance(t, r.Correction):
                yield t.edited
    return " ".join("".join(text(p.tokens)).split())


def _quotes(blocks: list[r.Block]) -> list[r.Block]:
    """A paragraph announced by a colon that is one quotation from « to » (and its reference) is a block quote."""
    out: list[r.Block] = []
    prev: r.Paragraph | None = None
    for b in blocks:
        if isinstance(b, r.Paragraph) and prev is not None and not b.rend and _plain(prev).endswith(":"):
            text = _plain(b)
            if text.startswith(("«", "“")) and QUOTE_END.search(text):
                out.append(r.Quote([b]))
                prev = None
                continue
        if isinstance(b, r.Paragraph):
            prev = b
        elif not isinstance(b, r.Milestones):
            prev = None
        out.append(b)
    return out
