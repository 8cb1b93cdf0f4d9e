"""Layout: a journal article extracted from a two-column PDF (source 000).

The profile says where the title and the abstracts stand (full-width lines above the columns) and
where the two-column text begins; journal_layout finds pages, columns and footnote blocks, and
journal_text the inline details. Here the pieces are put together in reading order:
- a paragraph runs on across page, column and footnote blocks unless the text before the break ends a
  sentence and the text after it begins a new one;
- a blank line inside a column ends a paragraph, unless the text runs on mid-sentence;
- each footnote becomes one note at its call, even when its text goes on in the next column's block.
Pages carry no printed numbers in the witness: every page break gets an inferred number.
"""

from __future__ import annotations


from .. import record as r
from ...diagnostics import EditionError
from ..hyphens import Lexicon
from ..inline import language, language_of, signed_remark
from ..profile import Profile
from .journal_layout import NOTE_START, Layout, continues, find_layout
from .journal_text import Fix, QuoteDepth, hyphenate, split_text, wrap_remarks

LAYOUT = "journal-columns"


class _Builder:
    def __init__(self, lines: list[str], profile: Profile, rec: r.Record):
        self.lines, self.profile, self.rec = lines, profile, rec
        self.lexicon = Lexicon.from_folder(profile.path.parent.parent)
        self.fixes = [Fix(f["line"], f["sic"], f["corr"], f.get("reason", ""))
                      for f in profile.entries("corrections", {"line": int, "sic": str, "corr": str}, {"reason": str},
                                               nonempty=("sic",))]
        self.no_omission = set(profile.get("page_layout.not_omissions", []))
        self.quotes = QuoteDepth()

    def fixes_on(self, n: int) -> list[Fix]:
        return [f for f in self.fixes if f.line == n]

    def run(self, ns: list[int], lang: str, first_offset: int = 0) -> list[r.Inline]:
        """Consecutive source lines as one run of text: LineBreaks, hyphens decided (no note calls)."""
        out: list[r.Inline] = []
        prev: list[r.Inline] | None = None
        for i, n in enumerate(ns):
            text = self.lines[n - 1][first_offset if i == 0 else 0:].strip()
            hyphen = hyphenate(prev, text, n, self.lexicon, language_of(self.profile, lang), self.rec) if prev else None
            inline = split_text(text, n, self.fixes_on(n), None, True, self.rec)
            out += [r.LineBreak(n, hyphen), *inline]
            prev = inline
        return out

    def line_with_calls(self, n: int, layout: Layout, notes: dict[str, r.Note]) -> list[r.Inline]:
        raw = self.lines[n - 1]
        depth = self.quotes.feed(raw)
        out: list[r.Inline] = []
        pos = 0
        for call in layout.calls.get(n, []):
            out += self._plain(raw, pos, call.start, n, depth)
            out.append(r.NoteCall(notes[call.key]))
            pos = call.end
        out += self._plain(raw, pos, len(raw), n, depth)
        return out

    def _plain(self, raw: str, start: int, end: int, n: int, depth: list[int]) -> list[r.Inline]:
        """Source text raw[start:end] between calls; the space before a call or the line end is dropped."""
        seg = raw[start:end].rstrip()
        lead = len(seg) - len(seg.lstrip()) if start == 0 else 0
        text = seg[lead:]
        if not text:
            return []
        return split_text(text, n, self.fixes_on(n), depth[start + lead:end], n in self.no_omission, self.rec)


REQUIRED = {
    "page_layout.title_lines": "the first and last line of the title, e.g. title_lines = [1, 3]",
    "page_layout.body_first": "the first line of the two-column text, e.g. body_first = 25",
}


def _check(profile: Profile, lines: list[str]) -> None:
    for key, example in REQUIRED.items():
        if profile.get(key) is None:
            raise EditionError(f"{profile.path}: [{key.split('.')[0]}] lacks '{key.split('.')[1]}'",
                               hint=f"give {example}")
    title, first = profile.get("page_layout.title_lines"), profile.get("page_layout.body_first")
    if not (isinstance(title, list) and len(title) == 2 and all(type(n) is int for n in title)):
        raise profile.error("page_layout.title_lines", f"title_lines = {title!r}: not two line numbers",
                            hint=f"give {REQUIRED['page_layout.title_lines']}")
    if type(first) is not int:
        raise profile.error("page_layout.body_first", f"body_first = {first!r}: not a line number",
                            hint=f"give {REQUIRED['page_layout.body_first']}")
    for key in ("not_page_starts", "not_omissions"):
        if not all(type(n) is int for n in profile.get(f"page_layout.{key}", [])):
            raise profile.error(f"page_layout.{key}", f"{key} holds something other than line numbers",
                                hint=f"write {key} = [25, 36]")
    profile.entries("abstracts", {"lang": str, "first": int, "last": int})
    last = max([profile.get("page_layout.body_first"), *profile.get("page_layout.title_lines"),
                *(ab["last"] for ab in profile.get("abstracts", []))])
    if last > len(lines):
        raise EditionError(f"{profile.path}: line {last} is beyond the source ({len(lines)} lines)",
                           hint="check the line numbers in [page_layout] and [[abstracts]]")


def parse(lines: list[str], profile: Profile) -> r.Record:
    _check(profile, lines)
    rec = r.Record(doc_id=profile.id, lang=profile.lang)
    b = _Builder(lines, profile, rec)
    first = profile.get("page_layout.body_first")
    layout = find_layout(lines, first, set(profile.get("page_layout.not_page_starts", [])), rec, language(profile))
    notes = _notes(b, layout)

    t0, t1 = profile.get("page_layout.title_lines")
    # The title block of page 1 (title, abstracts) stands in the body, before the article's text, in the
    # order of the print: the body's head is the article's title (front matter may hold no head).
    rec.body.append(r.Milestones([r.PageBreak("1", inferred=True)]))
    rec.body.append(r.Heading(b.run(list(range(t0, t1 + 1)), profile.lang)))
    for ab in profile.get("abstracts", []):
        ns = [n for n in range(ab["first"], ab["last"] + 1) if lines[n - 1].strip()]
        lang = None if ab["lang"] == profile.lang else ab["lang"]
        rec.body.append(r.Division("abstract", blocks=[r.Paragraph(b.run(ns, ab["lang"]))], lang=lang))

    article = r.Division(profile.get("structure.div_type", "article"))
    article.blocks = _body(b, layout, notes)
    if profile.get("structure.ending_note", ""):
        article.blocks.append(r.Milestones([r.NoteCall(r.Note(
            n=None, place=None, type="editorial", call="sup",
            blocks=[r.Paragraph([r.Text(profile.get("structure.ending_note", ""))])]))]))
    rec.body.append(article)
    for fix in b.fixes:
        if not fix.used:
            raise EditionError(f"{profile.path}: correction {fix.sic!r} -> {fix.corr!r}: line {fix.line} of "
                               f"{profile.source} does not contain {fix.sic!r}",
                               hint="give the source line that holds the misprint, and the misprint exactly as printed")
    rec.counts.update({
        "footnote blocks": sum(1 for c in layout.chunks if c.kind == "notes"),
        "footnotes continued in the next column": len(layout.continued_notes),
    })
    return rec


def _notes(b: _Builder, layout: Layout) -> dict[str, r.Note]:
    sig = b.profile.get("notes.remark_signature", "")
    remark = signed_remark(sig, language(b.profile)) if sig else None
    notes: dict[str, r.Note] = {}
    for key, ns in layout.note_lines.items():
        label = key.split("#")[0]
        m = NOTE_START.match(b.lines[ns[0] - 1].strip())
        lead = len(b.lines[ns[0] - 1]) - len(b.lines[ns[0] - 1].lstrip())
        tokens = b.run(ns, b.profile.lang, first_offset=lead + (len(m.group(1)) if m else 0))
        tokens = tokens[1:]                       # the first LineBreak goes into the label
        if tokens and isinstance(tokens[0], r.Text):
            tokens[0].text = " " + tokens[0].text  # the space between label and note text
        if remark:
            tokens = wrap_remarks(tokens, remark, "editor-remark")
        notes[key] = r.Note(n=label, place="foot", call="sup",
                            label=[r.LineBreak(ns[0]), r.Text(label)], blocks=[r.Paragraph(tokens)])
    for calls in layout.calls.values():      # a call whose note text the witness does not hold
        for call in calls:
            if call.key not in notes:
                notes[call.key] = r.Note(n=call.label, place="foot", call="sup", missing="text",
                                         comment="The note text is not in the witness.")
    return notes


def _body(b: _Builder, layout: Layout, notes: dict[str, r.Note]) -> list[r.Block]:
    lines, rec = b.lines, b.rec
    blocks: list[r.Block] = []
    para: list[r.Inline] = []
    pending: list[r.Inline] = [r.ColumnBreak("1")]
    prev_tokens: list[r.Inline] | None = None
    prev_chunk = None
    for chunk in layout.chunks:
        if chunk.kind != "text":
            continue
        first_raw = lines[chunk.lines[0] - 1]
        if prev_chunk is None:
            new_para = True
        else:
            prev_raw = lines[prev_chunk.lines[-1] - 1]
            if chunk.starts_page:
                pending += [r.PageBreak(str(chunk.page), inferred=True), r.ColumnBreak("1")]
            elif chunk.column != prev_chunk.column:
                pending.append(r.ColumnBreak(str(chunk.column)))
            if pending:     # a page or column break: the paragraph runs on unless a sentence ends here
                new_para = not continues(prev_raw, first_raw, layout.lang)
                if new_para:
                    rec.decisions.append(r.Decision(chunk.lines[0], "paragraph", "a new paragraph taken to begin at "
                                         "the page/column break (the text before it ends a sentence)"))
            else:           # a blank line inside a column: a paragraph ends, unless a word or sentence runs on
                new_para = not (prev_raw.rstrip().endswith("-") or first_raw.strip()[:1].islower())
                if not new_para:
                    rec.decisions.append(r.Decision(chunk.lines[0] - 1, "paragraph", "blank line inside a sentence "
                                         "(not a column break): the paragraph runs on"))
        if new_para:
            if para:
                blocks.append(r.Paragraph(para))
            if pending:
                blocks.append(r.Milestones(pending))
            para, pending, prev_tokens = [], [], None
        else:
            para += pending
            pending = []
        for n in chunk.lines:
            inline = b.line_with_calls(n, layout, notes)
            text = lines[n - 1].strip()
            hyphen = hyphenate(prev_tokens, text, n, b.lexicon, language_of(b.profile, rec.lang), rec) if prev_tokens else None
            para += [r.LineBreak(n, hyphen), *inline]
            prev_tokens = inline
        prev_chunk = chunk
    if para:
        blocks.append(r.Paragraph(para))
    return blocks
