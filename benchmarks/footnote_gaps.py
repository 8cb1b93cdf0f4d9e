"""Blank above the footnotes (issue 16: "no blank gaps of several lines above footnotes"): for each page of
the print edition with footnotes, the space between the text's last line and the footnote area, in points
and in body lines (print/check.py footnote_gaps), and what the page ends with. Figures, not assertions.

    .venv/bin/python benchmarks/footnote_gaps.py             # the whole edition as one book
    .venv/bin/python benchmarks/footnote_gaps.py d001 d003   # documents' booklets
    .venv/bin/python benchmarks/footnote_gaps.py --pdf /tmp/book.pdf   # also write the PDF, to look at the pages
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

LINES = 2.0   # a gap of more than two body lines is what a reader sees as a hole


def measure(case: str, pdf_out: str | None = None) -> None:
    from tei_edition import config as config_mod, i18n, register as register_mod
    from tei_edition import apparatus
    from tei_edition.build import available_documents
    from tei_edition.corpus import register_paths
    from tei_edition.html.stage import render_documents
    from tei_edition.print import book as pdf
    from tei_edition.print.check import footnote_gaps

    cfg = config_mod.load(ROOT)
    present, _ = available_documents(cfg)
    chosen = present if case == "edition" else [d for d in present if d.id == case]
    strings, register = i18n.load(i18n.interface_language(cfg)), register_mod.load(register_paths(cfg))
    builds = render_documents(cfg, chosen, strings, register, jobs=1)
    dated = [d for b in builds for d in b.index.dates]   # as print/stage.py: events and the other dated passages
    shell = pdf.Shell(cfg, strings, register, pdf.build_date(),
                      apparatus.for_print(cfg, strings, frozenset(register), [b.id for b in builds], dated))
    docs = []
    for b in builds:
        d = pdf.prepare(b, strings, cfg)
        intro = shell.apparatus.intros.get(b.id)
        d.intro_html = intro.html if intro is not None else ""
        docs.append(d)
    printed = pdf.typeset("book" if case == "edition" else "document", docs, shell)
    gaps = footnote_gaps(printed.document)
    if pdf_out:
        printed.document.write_pdf(pdf_out)
    big = [g for g in gaps if g.lines > LINES]
    for g in big:
        print(f"  p. {g.page}: {g.gap:.1f} pt = {g.lines:.1f} lines above {g.notes} note(s); cause: {g.cause}")
    total = sum(g.lines for g in big)
    causes = Counter(g.cause for g in big)
    print(f"{case}: {printed.pages} pages, {len(gaps)} with footnotes, {len(big)} with a gap of more than "
          f"{LINES:g} lines ({total:.1f} lines in all); largest {max((g.lines for g in gaps), default=0):.1f} lines; causes: {dict(causes)}")


if __name__ == "__main__":
    args = sys.argv[1:]
    out = args.pop(args.index("--pdf") + 1) if "--pdf" in args else None
    for case in [a for a in args if a != "--pdf"] or ["edition"]:
        measure(case, out)
