"""Layout: ragged lines from a PDF made with a word processor (no justification, no hyphenation).

What the layout itself tells:
- a line holding only a space separates paragraphs; a run of empty lines is a page break
  (its length is a profile fact: pages.min_empty_run);
- a paragraph also ends after a line ending in two spaces, and after a line on which the next
  line's first word would still have fitted (ragged right: the word processor wraps a word only
  when it does not fit; the width is a profile fact: paragraphs.fit_width, in characters);
- a line-end hyphen right after a letter or digit splits a word; whether it is the printer's or a
  real one is decided by hyphens.policy ("real": the witness has no printer's hyphens at all;
  "decide": importer/hyphens.py decides) -- every case is listed in the report either way;
- bracketed numbers [4], [6, 7, 9] are reference calls; other brackets are the source's own.
What only the profile can tell: foot lines (text at a page foot with no call), quotations and lists
standing as their own paragraphs, the source's own marks (a bracketed insertion, omission dots),
words in another language, corrections, the section separator, the expected number of pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import record as r
from ...diagnostics import EditionError
from ..hyphens import Lexicon, decide
from ..inline import language, sentence_end
from ..profile import Profile

LAYOUT = "ragged-lines"

# [4] or [6, 7, 9]: a reference call; any other bracketed text is the source's own bracket
BRACKET = re.compile(r"\[([^\[\]]*)\]")
REFERENCE = re.compile(r"\d+(?:,\s*\d+)*")
FIRST_WORD = re.compile(r"\S+")
HYPHENATED = re.compile(r"(\w+)-(\w+)")


@dataclass
class _Para:
    first: int
    last: int = 0
    tokens: list[r.Inline] = field(default_factory=list)


@dataclass
class _Milestones:
    tokens: list[r.Inline]


@dataclass
class _Separator:
    line: int
    text: str


class _Lines:
    """The witness lines with their kinds: text, sep (a single space), empty, foot, separator."""

    def __init__(self, lines: list[str], profile: Profile):
        self.raw = lines
        self.profile = profile
        self.decisions: list[r.Decision] = []
        self.foot = {f["line"]: f for f in profile.entries("foot_notes", {"line": int}, {"comment": str})}
        separator = profile.get("structure.separator", "")
        self.kind: dict[int, str] = {}
        for n, line in enumerate(lines, start=1):
            if line == "":
                kind = "empty"
            elif not line.strip():
                kind = "sep"
            elif n in self.foot:
                kind = "foot"
            elif separator and line.strip() == separator:
                kind = "separator"
            else:
                kind = "text"
            self.kind[n] = kind
        for n in self.foot:
            if self.kind.get(n) != "foot":
                raise EditionError(f"{profile.path}: foot_notes: line {n} holds no text",
                                   hint="list only lines of the witness that hold text")

    def __len__(self) -> int:
        return len(self.raw)

    def text(self, n: int) -> str:
        return self.raw[n - 1]

    def page_starts(self) -> dict[int, int]:
        """First line of each page -> inferred page number. A page ends at a run of empty lines."""
        min_run = int(self.profile.get("pages.min_empty_run", 2))
        number = int(self.profile.get("pages.first", 1))
        starts: dict[int, int] = {}
        run = 0
        gap = (0, 0)
        pending = True                      # the first line with text starts the first page
        for n in range(1, len(self) + 1):
            kind = self.kind[n]
            if kind == "empty":
                run += 1
                if run >= min_run:
                    pending = True
                    gap = (n - run + 1, n)          # the run of empty lines that ends the page
                continue
            run = 0
            if kind in ("text", "separator") and pending:
                if starts:
                    number += 1
                after = f"after the empty lines {gap[0]}–{gap[1]}" if starts else \
                    "at the start of the witness"
                starts[n] = number
                pending = False
                self.decisions.append(r.Decision(n, "page", f"page {number} (number inferred, not printed) "
                                                 f"begins at line {n}, {after}"))
        expected = self.profile.get("pages.expected", 0) or None
        if expected is not None and len(starts) != int(expected):
            raise EditionError(f"{self.profile.path}: pages.expected = {expected}, but the witness has "
                               f"{len(starts)} pages (runs of {min_run} or more empty lines)",
                               hint="check pages.min_empty_run, or correct pages.expected")
        return starts

    def next_content(self, n: int) -> tuple[int | None, bool]:
        """The next line after n holding text, a separator or a sep line; and whether a lone empty
        line (a blank line inside a page, not a page break) stands before it."""
        min_run = int(self.profile.get("pages.min_empty_run", 2))
        run, lone_blank = 0, False
        for m in range(n + 1, len(self) + 1):
            kind = self.kind[m]
            if kind == "empty":
                run += 1
                continue
            if kind == "foot":
                continue
            if 0 < run < min_run:
                lone_blank = True
            return m, lone_blank
        return None, lone_blank


def _first_word(text: str) -> str:
    m = FIRST_WORD.match(text)
    return m.group(0) if m else ""


def _hyphen_split(content: str) -> bool:
    """A line-end hyphen glued to a letter or digit splits a word (a spaced '-' is a dash)."""
    return len(content) >= 2 and content.endswith("-") and (content[-2].isalnum())


class _Parser:
    def __init__(self, lines: list[str], profile: Profile):
        self.profile = profile
        self.lines = _Lines(lines, profile)
        self.rec = r.Record(doc_id=profile.id, lang=profile.lang)
        self.fit = int(profile.get("paragraphs.fit_width", 98))
        self.policy = profile.get("hyphens.policy", "decide")
        if self.policy not in ("real", "decide"):
            raise EditionError(f"{profile.path}: hyphens.policy = {self.policy!r}",
                               hint='use "real" (the witness has no printer\'s hyphens) '
                                    'or "decide" (hyphens.py)')
        if not profile.get("notes.missing", True):
            raise EditionError(f"{profile.path}: notes.missing = false, but the ragged-lines layout "
                               "cannot read a reference list yet",
                               hint="set notes.missing = true, or extend the parser")
        self.lexicon = Lexicon.from_folder(profile.path.parent.parent) if profile.path else None
        self.lang = language(profile)
        self.corrections: dict[int, list[dict]] = {}
        for c in profile.entries("corrections", {"line": int, "sic": str, "corr": str}, {"kind": str, "reason": str},
                                 nonempty=("sic",)):
            self.corrections.setdefault(c["line"], []).append(c)
        self.marks: dict[int, list[dict]] = {}             # the source's own marks ([1923 г.], ...)
        for m in profile.entries("source_editorial", {"line": int, "text": str, "kind": str}, nonempty=("text",)):
            self.marks.setdefault(m["line"], []).append(m)
        self.foreign: dict[int, list[dict]] = {}
        for f in profile.entries("foreign", {"line": int, "text": str, "lang": str}, nonempty=("text",)):
            self.foreign.setdefault(f["line"], []).append(f)
        for key in ("quotes", "lists"):                     # checked here, used in blocks()
            profile.entries(key, {"first": int, "last": int})
        self.count = {"reference calls": 0, "notes without call (page foot)": 0, "line-end hyphens": 0,
                      "paragraph separator lines (a single space)": 0}

    # ---- inline ---------------------------------------------------------------------------------
    def find(self, table: str, n: int, content: str, text: str) -> int:
        start = content.find(text)
        if start < 0:
            raise EditionError(f"{self.profile.path}: {table}: line {n} does not contain {text!r}",
                               hint=f"line {n} reads: {content[:80]!r}")
        return start

    def inline(self, n: int, content: str) -> list[r.Inline]:
        """Tokens for one line's text: reference calls, the source's own marks, corrections, foreign words."""
        spans: list[tuple[int, int, r.Inline]] = []
        for m in self.marks.get(n, []):
            start = self.find("source_editorial", n, content, m["text"])
            spans.append((start, start + len(m["text"]), r.SourceEditorial(m["kind"], [r.Text(m["text"])])))
        for b in BRACKET.finditer(content):
            inner = b.group(1)
            if REFERENCE.fullmatch(inner.strip()):
                spans.append((b.start(), b.end(), r.NoteCall(self.reference(n, inner.strip()))))
            elif not any(s <= b.start() < e for s, e, _ in spans):
                self.rec.decisions.append(r.Decision(
                    n, "bracket", f"{b.group(0)!r} is not a reference call; kept as the source's own "
                    "insertion (not in the profile)"))
                spans.append((b.start(), b.end(), r.SourceEditorial("insertion", [r.Text(b.group(0))])))
        for c in self.corrections.get(n, []):
            start = self.find("corrections", n, content, c["sic"])
            spans.append((start, start + len(c["sic"]), r.Correction(c.get("kind", "sic"), [r.Text(c["sic"])],
                                                                     c["corr"], c.get("reason", ""))))
        for f in self.foreign.get(n, []):
            start = self.find("foreign", n, content, f["text"])
            spans.append((start, start + len(f["text"]), r.Foreign(f["lang"], [r.Text(f["text"])])))
        spans.sort(key=lambda s: s[0])
        tokens: list[r.Inline] = []
        pos = 0
        for start, end, tok in spans:
            if start < pos:
                raise EditionError(f"{self.profile.path}: line {n}: two profile entries overlap at column "
                                   f"{start + 1}", hint="make corrections, marks and foreign words cover "
                                   "separate stretches of the line")
            if start > pos:
                tokens.append(r.Text(content[pos:start]))
            tokens.append(tok)
            pos = end
        if pos < len(content):
            tokens.append(r.Text(content[pos:]))
        return tokens

    def reference(self, n: int, label: str) -> r.Note:
        self.count["reference calls"] += 1
        try:
            comment = self.profile.get("notes.missing_comment", "").format(n=label)
        except (KeyError, IndexError, ValueError):
            raise self.profile.error("notes.missing_comment", "notes.missing_comment has braces other than {n}",
                                     hint="write {n} where the reference's number goes, and {{ }} for a brace") from None
        return r.Note(n=label, place=self.profile.get("notes.place", "end"), call="bracket",
                      missing="text", comment=comment)

    def foot_note(self, n: int) -> r.NoteCall:
        self.count["notes without call (page foot)"] += 1
        fact = self.lines.foot[n]
        body = r.Paragraph([r.LineBreak(n), *self.inline(n, self.lines.text(n).strip())])
        return r.NoteCall(r.Note(n=None, place="foot", call="none", blocks=[body], missing="call",
                                 comment=fact.get("comment", "")))

    # ---- hyphens and paragraph ends -------------------------------------------------------------
    def hyphen(self, n: int, content: str, nxt: int) -> r.Hyphen:
        """'hard' or 'soft' for a word split by a hyphen at the end of line n; logged for the report."""
        self.count["line-end hyphens"] += 1
        right = self.lines.text(nxt).strip()
        evidence = decide(content[:-1], right, self.lexicon, self.lang)
        left_word = re.findall(r"\S+$", content)[0]
        right_word = _first_word(right)
        kind: r.Hyphen
        if self.policy == "real":
            kind = "hard"
            agree = "agrees" if evidence.kind == "hard" else "DISAGREES (overruled by the layout)"
            msg = (f"{left_word}|{right_word}: real hyphen kept (hyphens.policy = real: the witness has no "
                   f"printer's hyphens); hyphens.py {agree}: {evidence.kind}, {evidence.reason}")
        else:
            kind = "soft" if evidence.kind == "soft" else "hard"
            sure = "certain" if evidence.certain else "UNCERTAIN"
            msg = f"{left_word}|{right_word}: {kind} ({sure}): {evidence.reason}"
        msg += "; " + self.attested(left_word[:-1], right_word)
        self.rec.decisions.append(r.Decision(n, "hyphen", msg))
        return kind

    def attested(self, left: str, right: str) -> str:
        """Hyphenated words inside the witness's lines that share the split word's first or last part."""
        lpart = (re.findall(r"\w+$", left) or [""])[0].lower()
        rpart = (re.findall(r"^\w+", right) or [""])[0].lower()     # "" when the next line opens with "[" or "«"
        by_first, by_last = self.hyphenated_words()
        hits = sorted(set(by_first.get(lpart, [])) | set(by_last.get(rpart, [])))
        seen = [self._hyphenated[i] for i in hits]
        if not seen:
            return f"no word '{lpart}-…' or '…-{rpart}' written inside a line of the witness"
        return "written with a hyphen inside a line of the witness: " + ", ".join(seen[:3]) + \
               (f" and {len(seen) - 3} more" if len(seen) > 3 else "")

    def hyphenated_words(self) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
        """Hyphenated words written inside lines, indexed by first and by last part (built once: a witness
        with many line-end hyphens would otherwise be read again for each)."""
        if not hasattr(self, "_by_first"):
            self._hyphenated: list[str] = []
            self._by_first: dict[str, list[int]] = {}
            self._by_last: dict[str, list[int]] = {}
            for n, line in enumerate(self.lines.raw, start=1):
                for m in HYPHENATED.finditer(line.rstrip()):
                    if m.end() == len(line.rstrip()):
                        continue                                # a split at the line end proves nothing
                    i = len(self._hyphenated)
                    self._hyphenated.append(f"{m.group(0)} (line {n})")
                    self._by_first.setdefault(m.group(1).lower(), []).append(i)
                    self._by_last.setdefault(m.group(2).lower(), []).append(i)
        return self._by_first, self._by_last

    def splits_word(self, n: int, content: str) -> bool:
        """A line-end hyphen splits a word only when a line of text follows (not the end of the witness,
        a paragraph separator or the section separator)."""
        if not _hyphen_split(content):
            return False
        nxt, _ = self.lines.next_content(n)
        return nxt is not None and self.lines.kind[nxt] == "text"

    def ends_paragraph(self, n: int, raw: str, content: str) -> bool:
        if self.splits_word(n, content):
            return False
        if raw.endswith("  "):
            return True
        nxt, lone_blank = self.lines.next_content(n)
        if nxt is None or lone_blank or self.lines.kind[nxt] in ("sep", "separator"):
            return True
        first = _first_word(self.lines.text(nxt).strip())
        width = len(raw.rstrip()) + 1 + len(first)
        ends = width <= self.fit
        crosses_page = nxt in self.starts
        # near the fit width character counts cannot settle it (glyphs differ in width): for review,
        # a paragraph end, or a continuation after a sentence end
        near = -5 <= width - self.fit <= (7 if sentence_end(self.lang).search(content) else 0)
        if crosses_page or near:
            where = f"across the page break before line {nxt}" if crosses_page else f"before line {nxt}"
            self.rec.decisions.append(r.Decision(n, "paragraph", (
                f"paragraph {'ends' if ends else 'continues'} {where}: the line with the next word "
                f"'{first}' would be {width} characters, fit width {self.fit}")))
        return ends

    # ---- the walk -------------------------------------------------------------------------------
    def units(self) -> list:
        self.starts = self.lines.page_starts()
        self.rec.decisions.extend(self.lines.decisions)
        units: list = []
        para: _Para | None = None
        pending: list[r.Inline] = []       # milestones waiting for the next block
        hyphen: r.Hyphen | None = None     # how the previous line's word continues on this one

        def close() -> None:
            nonlocal para
            if para is not None:
                units.append(para)
                para = None

        for n in range(1, len(self.lines) + 1):
            kind = self.lines.kind[n]
            if kind == "sep":
                self.count["paragraph separator lines (a single space)"] += 1
                close()
            elif kind == "foot":
                (para.tokens if para is not None else pending).append(self.foot_note(n))
            elif kind == "separator":
                close()
                if n in self.starts:
                    pending.append(r.PageBreak(str(self.starts[n]), inferred=True))
                if pending:
                    units.append(_Milestones(pending))
                    pending = []
                units.append(_Separator(n, self.lines.text(n).strip()))
            elif kind == "text":
                raw = self.lines.text(n)
                content = raw.strip()
                if n in self.starts:
                    (para.tokens if para is not None else pending).append(
                        r.PageBreak(str(self.starts[n]), inferred=True))
                if para is None:
                    if pending:
                        units.append(_Milestones(pending))
                        pending = []
                    para = _Para(first=n)
                    if n == 1 and raw.startswith(" "):
                        self.rec.decisions.append(r.Decision(
                            n, "layout", "the first line starts with a space (a paragraph indent of the "
                            "PDF); not kept"))
                para.tokens.append(r.LineBreak(n, hyphen))
                hyphen = None
                para.last = n
                split = self.splits_word(n, content)
                if content.endswith("-") and not split:
                    self.rec.decisions.append(r.Decision(n, "hyphen", (
                        f"'…{content[-12:]}': a line-end hyphen with no line of text after it; kept as text"
                        if _hyphen_split(content) else
                        f"'…{content[-12:]}': a spaced dash at the line end, not a hyphen; the line break is a space")))
                if split:
                    nxt, _ = self.lines.next_content(n)
                    assert nxt is not None                # a word split at a line end goes on on a line
                    hyphen = self.hyphen(n, content, nxt)
                    if hyphen == "soft":
                        content = content[:-1]
                para.tokens.extend(self.inline(n, content))
                if self.ends_paragraph(n, raw, self.lines.text(n).strip()):
                    close()
        close()
        if pending:
            units.append(_Milestones(pending))
        return units

    # ---- structure ------------------------------------------------------------------------------
    def blocks(self, units: list) -> list[r.Block]:
        """Paragraph units grouped into the quotations and lists the profile names."""
        paras = [u for u in units if isinstance(u, _Para)]
        if not paras:
            return [self.block(u) for u in units]
        span = range(paras[0].first, paras[-1].last + 1)        # this section's lines
        groups = [("quote", q) for q in self.profile.get("quotes", []) if int(q["first"]) in span] + \
                 [("list", q) for q in self.profile.get("lists", []) if int(q["first"]) in span]
        self.placed += len(groups)
        owner: dict[int, tuple[str, int, int]] = {}          # id(unit) -> group
        for kind, g in groups:
            first, last = int(g["first"]), int(g["last"])
            if not any(p.first == first for p in paras) or not any(p.last == last for p in paras):
                starts = ", ".join(str(p.first) for p in paras if first - 20 <= p.first <= last + 20)
                raise EditionError(f"{self.profile.path}: {kind}s: lines {first}-{last} do not begin and end "
                                   "with a paragraph", hint=f"paragraphs near there begin at lines {starts}")
            inside = [u for u in units if (isinstance(u, _Para) and first <= u.first and u.last <= last)]
            for u in inside:
                owner[id(u)] = (kind, first, last)
            # milestones between two paragraphs of the group belong to it
            idx = [i for i, u in enumerate(units) if id(u) in owner and owner[id(u)] == (kind, first, last)]
            for i in range(idx[0], idx[-1] + 1):
                owner.setdefault(id(units[i]), (kind, first, last))
        out: list[r.Block] = []
        current: tuple | None = None
        holder: r.Quote | r.ListBlock | None = None
        for u in units:
            group = owner.get(id(u))
            if group != current:
                current, holder = group, None
                if group is not None:
                    holder = r.Quote([]) if group[0] == "quote" else r.ListBlock([])
                    out.append(holder)
            if isinstance(holder, r.ListBlock):
                if isinstance(u, _Para):
                    holder.items.append(u.tokens)
                else:                                           # a break between two items
                    holder.items[-1].extend(u.tokens)
                continue
            block = self.block(u)
            (holder.blocks if isinstance(holder, r.Quote) else out).append(block)
        return out

    def block(self, u) -> r.Block:
        if isinstance(u, _Para):
            return r.Paragraph(u.tokens)
        if isinstance(u, _Milestones):
            return r.Milestones(u.tokens)
        return r.ResidueBlock(r.Residue("separator", [r.LineBreak(u.line), r.Text(u.text)]))

    def parse(self) -> r.Record:
        units = self.units()
        self.placed = 0
        sections: list[list] = [[]]
        separators: list[_Separator] = []
        for u in units:
            if isinstance(u, _Separator):
                separators.append(u)
                sections.append([])
            else:
                sections[-1].append(u)
        outer = r.Division(type=self.profile.get("structure.div_type", "essay"))
        if len(sections) == 1:
            outer.blocks = self.blocks(sections[0])
        else:
            section_type = self.profile.get("structure.section_type", "section")
            for i, sec in enumerate(sections):
                if i:
                    outer.blocks.append(self.block(separators[i - 1]))
                outer.blocks.append(r.Division(type=section_type, n=str(i + 1), blocks=self.blocks(sec)))
        wanted = len(self.profile.get("quotes", [])) + len(self.profile.get("lists", []))
        if self.placed != wanted:
            raise EditionError(f"{self.profile.path}: {wanted - self.placed} of the quotes/lists lie outside "
                               "the witness's paragraphs", hint="check their first and last lines")
        self.rec.body.append(outer)
        self.rec.counts.update({"pages (page-break runs of empty lines + 1)": len(self.starts), **self.count})
        return self.rec


def parse(lines: list[str], profile: Profile) -> r.Record:
    return _Parser(lines, profile).parse()
