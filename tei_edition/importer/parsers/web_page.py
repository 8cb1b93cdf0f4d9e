"""Layout: an article saved from a web page, one paragraph per line, with its notes at the end.

The page's furniture (date stamp, repeated title, "add a comment" box) surrounds the article; which line is
what is a fact of the page, so the profile names the lines ([page]): heading, byline, residue lines with their
kind, figures (a caption line, with the editors' description of the picture), the credits, the notes heading. Everything else before the notes
heading is a paragraph of the article (or a block quotation, [quotes]); every line after it is a note,
"[n] text", moved to its call "[n]" in the text.

Square brackets that are not note calls are the source's own: "[...]" an omission, other bracketed
words an insertion by author or translator. Source errors listed in the profile ([[corrections]]) become
sic/corr or orig/reg; Latin letters standing in words of the text's script (Greek here) that the profile does
not list are reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from ...diagnostics import EditionError
from .. import record as r
from ..inline import language, lone_lookalike, script_pattern
from ..languages import Language
from ..profile import Profile

LAYOUT = "web-page"

# a note call "[12]", an omission "[...]", a bracketed insertion "[του Σόβναρκομ]", or a bracket never closed
BRACKET = re.compile(r"\[(\d{1,3})\]|\[(?:\.\.\.|…)\]|\[[^\[\]]*\]|\[")
NOTE_START = re.compile(r"\[(\d{1,3})\]")
LATIN = re.compile(r"[A-Za-z]")
NEXT_WORD = re.compile(r"(?:\s*\S{1,3}\.)*\s*(\S)")     # skip further initials, then the next word's letter


def _error(profile: Profile, message: str, hint: str) -> EditionError:
    return EditionError(f"{profile.path}: {message}", hint=hint)


@dataclass
class _Correction:
    line: int
    sic: str
    corr: str
    kind: Literal["sic", "orig"]
    reason: str
    count: int
    used: int = 0


@dataclass
class _NoteText:
    n: str
    line: int
    label: list[r.Inline]
    blocks: list[r.Block]
    lang: str | None


@dataclass
class _Parser:
    lines: list[str]
    profile: Profile
    rec: r.Record
    corrections: dict[int, list[_Correction]] = field(default_factory=dict)
    unclosed: dict[int, dict] = field(default_factory=dict)
    calls: list[tuple[int, r.Note]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    comments: dict[int, str] = field(default_factory=dict)   # line -> editors' remark from the profile

    @property
    def lang(self) -> Language:
        return language(self.profile)

    # ---- profile -----------------------------------------------------------------------------------
    def load_profile_facts(self) -> None:
        for n, lang in self.profile.get("notes.lang", {}).items():
            if not isinstance(lang, str):
                raise self.profile.error("notes.lang", f"[notes.lang]: note {n} = {lang!r} is not a language code",
                                         hint='write "note number" = "code", e.g. "31" = "ru-Latn"')
        for entry in self.profile.entries("corrections", {"line": int, "sic": str, "corr": str},
                                          {"kind": str, "reason": str, "count": int}, nonempty=("sic",)):
            c = _Correction(entry["line"], entry["sic"], entry["corr"], entry.get("kind", "sic"),
                            entry.get("reason", ""), entry.get("count", 1))
            if c.kind not in ("sic", "orig"):
                raise _error(self.profile, f"correction on line {c.line}: kind {c.kind!r}", 'use "sic" or "orig"')
            self.corrections.setdefault(c.line, []).append(c)
        for entry in self.profile.entries("unclosed_brackets", {"line": int, "ends_after": str},
                                          {"comment": str, "supply": str}, nonempty=("ends_after",)):
            self.unclosed[entry["line"]] = entry

    def check_corrections_used(self) -> None:
        for cs in self.corrections.values():
            for c in cs:
                if c.used != c.count:
                    raise _error(self.profile, f"correction on line {c.line}: {c.sic!r} found {c.used} time(s), "
                                 f"expected {c.count}", "fix `sic` (it must be copied exactly from the source "
                                 "line) or `count`")

    # ---- inline text -------------------------------------------------------------------------------
    def text(self, s: str, n: int) -> list[r.Inline]:
        """Plain text of line n, with the profile's corrections for that line applied."""
        out: list[r.Inline] = []
        pending = self.corrections.get(n, [])
        while s:
            hits = [(s.find(c.sic), c) for c in pending if c.sic in s]
            if not hits:
                out.append(r.Text(s))
                break
            at, c = min(hits, key=lambda h: h[0])
            if at:
                out.append(r.Text(s[:at]))
            out.append(r.Correction(c.kind, [r.Text(c.sic)], c.corr, c.reason))
            c.used += 1
            s = s[at + len(c.sic):]
        return out

    def inline(self, s: str, n: int, calls: bool) -> list[r.Inline]:
        """Text of line n with note calls (when `calls`), the source's brackets and corrections."""
        out: list[r.Inline] = []
        pos = 0
        while True:
            m = BRACKET.search(s, pos)
            if m is None:
                break
            out += self.text(s[pos:m.start()], n)
            pos = m.end()
            if m.group(1) and calls:
                note = r.Note(n=m.group(1), place=self.profile.get("notes.place", "end"),
                              call=self.profile.get("notes.call", "bracket"))
                self.calls.append((n, note))
                out.append(r.NoteCall(note))
            elif m.group(0) in ("[...]", "[…]"):
                out.append(r.SourceEditorial("omission", [r.Text(m.group(0))]))
                self._count("source omissions [...]")
            elif m.group(0) == "[":
                tokens, pos = self.unclosed_bracket(s, m.start(), n)
                out.append(r.SourceEditorial("insertion", tokens))
                self._count("source insertions [words]")
            else:
                if m.group(1):
                    self.decide(n, "note-call", f"bracketed number {m.group(0)} inside a note kept as an "
                                "insertion, not a call")
                out.append(r.SourceEditorial("insertion", self.text(m.group(0), n)))
                self._count("source insertions [words]")
        out += self.text(s[pos:], n)
        return [t for t in out if not (isinstance(t, r.Text) and not t.text)]

    def unclosed_bracket(self, s: str, start: int, n: int) -> tuple[list[r.Inline], int]:
        entry = self.unclosed.pop(n, None)
        end = s.find(entry["ends_after"], start) if entry else -1
        if entry is None or end < 0:
            self.decide(n, "bracket", f"bracket opened and never closed: …{s[start:start + 40]}…; taken as an "
                        "insertion to the end of the line (say where it ends: [[unclosed_brackets]] in the profile)")
            return self.text(s[start:], n), len(s)
        end += len(entry["ends_after"])
        if entry.get("comment"):
            self.comments[n] = entry["comment"]
        self.decide(n, "anomaly", f"unclosed bracket closed by the editors after {entry['ends_after']!r} (profile)")
        return [*self.text(s[start:end], n), r.Supplied(entry.get("supply", "]"), reason="omitted-in-source")], end

    # ---- checks ------------------------------------------------------------------------------------
    def decide(self, line: int, kind: str, message: str) -> None:
        self.rec.decisions.append(r.Decision(line, kind, message))

    def _count(self, key: str, k: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + k

    def look_for_lookalikes(self, s: str, n: int) -> None:
        """Report Latin letters (and other intruders) in words of the text's script that no profile correction
        covers (the language's look-alikes and intruders: importer/languages.py)."""
        for c in self.corrections.get(n, []):
            s = s.replace(c.sic, c.corr)
        own, lookalike, name = script_pattern(self.lang), lone_lookalike(self.lang), self.lang.name
        for word in s.split() if lookalike is not None else ():      # (a text in Latin script has none)
            if own.search(word) and LATIN.search(word):
                self.decide(n, "lookalike", f"Latin letter inside a {name} word: {word!r} (add a correction)")
        for m in lookalike.finditer(s) if lookalike is not None else ():
            nxt = NEXT_WORD.match(s, m.end())
            if nxt and own.match(nxt.group(1)):
                self.decide(n, "lookalike", f"Latin {m.group(0)!r} before a {name} word: "
                            f"…{s[max(0, m.start() - 10):m.end() + 15]}… (add a correction)")
        for ch, what in self.lang.intruders:
            if ch in s:
                self.decide(n, "lookalike", f"{what} in the text (add a correction)")

    # ---- lines -------------------------------------------------------------------------------------
    def line(self, n: int) -> str:
        if not 1 <= n <= len(self.lines) or not self.lines[n - 1].strip():
            raise _error(self.profile, f"line {n} named in the profile is empty or beyond the source "
                         f"({len(self.lines)} lines)", "correct the line number in [page]")
        return self.lines[n - 1].strip()

    def paragraph(self, n: int, calls: bool = True) -> r.Paragraph:
        s = self.line(n)
        self.look_for_lookalikes(s, n)
        return r.Paragraph([r.LineBreak(n), *self.inline(s, n, calls)])

    def residue(self, n: int, kind: str) -> r.ResidueBlock:
        s = self.line(n)
        self.look_for_lookalikes(s, n)
        return r.ResidueBlock(r.Residue(kind, [r.LineBreak(n), *self.text(s, n)]))

    def figure(self, n: int, description: str) -> r.Figure:
        s = self.line(n)
        self.look_for_lookalikes(s, n)
        return r.Figure([r.LineBreak(n), *self.text(s, n)], description)

    def note_text(self, n: int) -> _NoteText | None:
        s = self.line(n)
        m = NOTE_START.match(s)
        if m is None:
            return None
        self.look_for_lookalikes(s, n)
        rest = s[m.end():]
        lang = None
        if not script_pattern(self.lang).search(rest):     # a note without a word of the text's script
            lang = self.profile.get("notes.lang", {}).get(m.group(1), self.profile.get("notes.latin_lang", "") or None)
        elif m.group(1) in self.profile.get("notes.lang", {}):
            self.decide(n, "language", f"note [{m.group(1)}] has {self.lang.name} words but the profile gives it "
                        "a language")
        return _NoteText(m.group(1), n, [r.LineBreak(n), r.Text(m.group(0))],
                         [r.Paragraph(self.inline(rest, n, calls=False))], lang)


def _looks_like_block_quote(lines: list[str], n: int) -> bool:
    """A paragraph that is one quotation, after a sentence that introduces it ("...εξήγησε:", "...όπου")."""
    s = lines[n - 1].strip()
    prev = next((lines[k - 1].strip() for k in range(n - 1, 0, -1) if lines[k - 1].strip()), "")
    return s.startswith("«") and bool(re.search(r"»\.?(\[\d+\])?\.?$", s)) and bool(re.search(r"(:|\w)$", prev))


def _line_number(profile: Profile):
    def num(value) -> int:
        try:
            return int(value)
        except (TypeError, ValueError):
            raise _error(profile, f"{value!r} is not a line number", "write line numbers as integers "
                         "(residue keys as 1 = \"web\")") from None
    return num


def _structure(p: _Parser) -> None:
    prof, lines, rec = p.profile, p.lines, p.rec
    page = prof.get("page", {})
    for key in ("heading", "notes_heading"):
        if key not in page:
            raise _error(prof, f"[page] lacks `{key}`", "name the line number of the heading and of the notes heading")
    num = _line_number(prof)
    heading, notes_heading = num(page["heading"]), num(page["notes_heading"])
    byline = num(page["byline"]) if "byline" in page else None
    credits = [num(k) for k in prof.get("page.credits", [])]
    residue = {num(k): v for k, v in prof.get("page.residue", {}).items()}
    for kind in residue.values():
        if not isinstance(kind, str):
            raise prof.error("page.residue", f"[page.residue]: {kind!r} is not a kind of residue",
                             hint='write line = "kind", e.g. 1 = "web"')
    figures = {num(k): v for k, v in prof.get("page.figures", {}).items()}
    for text in figures.values():
        if not isinstance(text, str):
            raise prof.error("page.figures", f"[page.figures]: {text!r} is not a description",
                             hint='write line = "what the picture shows", e.g. 5 = "A photograph of ..."')
    quotes = {num(k) for k in prof.get("quotes.lines", [])}
    roles = [heading, notes_heading, *credits, *residue, *figures, *([byline] if byline else [])]
    twice = sorted({n for n in roles if roles.count(n) > 1})
    if twice:
        raise _error(prof, f"line(s) {twice} given two roles in [page]", "each line number may appear once")

    article = r.Division(type=prof.get("page.div_type", "article"))
    article.head = r.Heading([r.LineBreak(heading), *p.text(p.line(heading), heading)])
    p.look_for_lookalikes(p.line(heading), heading)
    if byline:
        article.byline = [r.LineBreak(byline), *p.text(p.line(byline), byline)]
    for n, kind in residue.items():
        if kind == "duplicate-title" and p.line(n) != p.line(heading):
            p.decide(n, "structure", "line marked as duplicate title differs from the heading")

    notes: dict[str, _NoteText] = {}
    order: list[_NoteText] = []
    before: list[r.Block] = []
    after: list[r.Block] = []
    for n in range(1, len(lines) + 1):
        s = lines[n - 1]
        if not s.strip():
            if s:
                p._count("web spacer lines (no-break space only)")
            continue
        if n in residue or n in figures:
            block = p.residue(n, residue[n]) if n in residue else p.figure(n, figures[n])
            (before if n < heading else after if n > notes_heading else article.blocks).append(block)
        elif n in (heading, byline, notes_heading) or n in credits:
            continue
        elif n < notes_heading:
            looks = _looks_like_block_quote(lines, n)
            if looks != (n in quotes):
                p.decide(n, "structure", "looks like a block quotation but is not listed in [quotes]" if looks
                         else "listed in [quotes] but does not look like a block quotation")
            para = p.paragraph(n)
            article.blocks.append(r.Quote([para]) if n in quotes else para)
            p._count("block quotations", n in quotes)
        else:
            nt = p.note_text(n)
            if nt is None:
                if not order:
                    raise EditionError(f"{prof.source}:{n}: the line after the notes heading (line {notes_heading}) "
                                       "does not start with a note number [n]",
                                       hint=f"check notes_heading in [page] of {prof.path}")
                order[-1].blocks.append(p.paragraph(n, calls=False))
                p.decide(n, "note", f"line without [n] taken as a further paragraph of note [{order[-1].n}]")
                continue
            if nt.n in notes:
                p.decide(n, "note", f"note [{nt.n}] printed twice; the second is kept as a note without call")
                nt.n = nt.n + "-dup"
            notes[nt.n] = nt
            order.append(nt)

    notes_div = r.Division(type="notes", head=r.Heading([r.LineBreak(notes_heading),
                                                         *p.text(p.line(notes_heading), notes_heading)]))
    _link_notes(p, notes, order, notes_div)
    rec.body = [*before, article]
    if credits:
        rec.back.append(r.Division(type=prof.get("page.credits_div_type", "credits"),
                                   blocks=[p.paragraph(n, calls=False) for n in credits]))
    rec.back += [notes_div, *after]


def _link_notes(p: _Parser, notes: dict[str, _NoteText], order: list[_NoteText], notes_div: r.Division) -> None:
    """Give each call its note text; flag calls twice, without text, out of order, and notes without call."""
    seen: set[str] = set()
    prev = 0
    for line, note in p.calls:
        assert note.n is not None                  # every call of a web page is a number in brackets
        if note.n in seen:
            # not text-missing: the text exists, at the first call; say so instead of repeating it
            note.comment = f"The call [{note.n}] stands a second time here; its note text is given at the first call."
            p.decide(line, "note-call", f"call [{note.n}] appears a second time")
            continue
        seen.add(note.n)
        if int(note.n) != prev + 1:
            p.decide(line, "note-call", f"call [{note.n}] out of order (after [{prev}])")
        prev = int(note.n)
        nt = notes.get(note.n)
        if nt is None:
            note.missing, note.comment = "text", f"The note text for the call [{note.n}] is missing in the source."
            p.decide(line, "note-call", f"call [{note.n}] has no note text")
            continue
        note.label, note.blocks, note.lang = nt.label, nt.blocks, nt.lang
        note.comment = p.comments.pop(nt.line, "")
    for nt in order:
        if nt.n not in seen:
            n = nt.n.removesuffix("-dup")
            note = r.Note(n=n, place=p.profile.get("notes.place", "end"), call=p.profile.get("notes.call", "bracket"),
                          label=nt.label, blocks=nt.blocks, lang=nt.lang, missing="call",
                          comment=f"No call [{n}] in the text refers to this note.")
            notes_div.blocks.append(r.Milestones([r.NoteCall(note)]))
            p.decide(nt.line, "note", f"note [{n}] has no call in the text; kept in the notes section")


def parse(lines: list[str], profile: Profile) -> r.Record:
    rec = r.Record(doc_id=profile.id, lang=profile.lang)
    p = _Parser(lines, profile, rec)
    p.load_profile_facts()
    _structure(p)
    p.check_corrections_used()
    for n in p.unclosed:
        raise _error(profile, f"[[unclosed_brackets]] on line {n}: no unclosed bracket there",
                     "remove the entry or correct its line")
    for n, comment in p.comments.items():   # a remark on a line that is not a note: keep it in the report
        p.decide(n, "anomaly", comment)
    rec.counts.update(p.counts)
    rec.counts["note calls in the text"] = len(p.calls)
    return rec
