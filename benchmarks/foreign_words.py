"""How much of a TEI document from another project reaches the reader: for each document, the share of the
words of its <text> (the header left out) that stand in the HTML fragment and in the PDF.

Each document is taken into a new edition by `edition init` + `edition add` and built. A document TEI P5
refuses (tei_all) is refused by the build's gate; as a user would, its entry is then set to
conformance = "as-is" and it is built (any other error: built past the gate, the html and print stages
alone, and marked so). Only the words of <text> count: the header and <facsimile> are left out. Words are \\w+ tokens compared as multisets (a word counts as often as it stands), each
side read as a reader meets it:
- the TEI: its text as written, a word ending only where the text has a space or punctuation, or at an
  element that stands apart: a block (TEI P5's classes, xslt/modules/tei-blocks.xsl), a line, page or column
  break (<lb break="no"/>, <pb break="no"/> join), a note, the readings of an app, choice or subst, a field
  of a bibliographic entry written right after another (<title>…</title><author>…), a superscript (rend="sup");
- the HTML: the fragment's text as written, a word ending at a block element, a <br> (not one breaking a word,
  tei-lb-nobreak), a note's body, one of two readings of a place (data-view, del/ins) or a superscript; the marks beside the text (page and column numbers, line numbers, note
  calls and labels: data-apparatus) left out;
- the PDF: the characters the typesetter drew (pdfminer.six, glyph by glyph): the space glyphs on the page,
  and a space where two glyphs stand more than WORD_GAP (0.2 em) apart, since WeasyPrint draws no glyph for
  a space between two differently styled pieces of text; a glyph drawn left of the one before, or more
  than FLOW_GAP (3 em) right of it, starts another run (a page number in the margin, drawn inside the word
  it breaks, leaves the word whole); a change of type size by more than 15% or of baseline by more than
  0.2 em ends a word (a note's call, a superscript); a line's end ends a word, except after the typesetter's own hyphen (U+2010), which is
  taken out. pdftotext, the figure in brackets, ignores the space glyphs and guesses every word space from
  its own gap rule: letter-spaced words (<hi rend="spaced">,
  0.12 em) fall apart and the spaces between them vanish ("anundfürsich"), and it joins a line ending in
  a hyphen to the next without the hyphen ("schnitzler-|bahr" → "schnitzlerbahr"): it misses words that
  are on the page.
What print leaves out on purpose is named with its count of words: the diplomatic reading's parts (data-view
="diplomatic": del, sic, orig, the source's line-end hyphens, fw…), which the edited reading replaces.
Run: .venv/bin/python benchmarks/foreign_words.py [FILE.xml ...]   (default: ../shared/foreign-tei/*.xml and
the fixtures of tests/fixtures/tei-p5/)
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tei_edition import TEI_NS, build as build_mod, config  # noqa: E402
from tei_edition.diagnostics import EditionError  # noqa: E402
from tei_edition import i18n, register as register_mod  # noqa: E402
from tei_edition.corpus import documents  # noqa: E402
from tei_edition.html.fragment import parse  # noqa: E402
from tei_edition.html.stage import render_documents  # noqa: E402
from tei_edition.start import add, init  # noqa: E402
from tei_edition.validate import validate  # noqa: E402

SHARED = ROOT.parent.parent / "shared" / "foreign-tei"
WORD = re.compile(r"\w+")
APART = "\u2063"   # stands for a word's end where two pieces of text meet at an element that stands apart
# TEI P5's blocks, as the XSLT reads them
BLOCKS = set(re.findall(r"'(\w+)'", re.search(r'name="e:block-elements"[^>]*select="\(([^)]*)\)',
                        (ROOT / "xslt" / "modules" / "tei-blocks.xsl").read_text(encoding="utf-8"))[1]))
BREAKS = {"lb", "pb", "cb", "milestone", "note"}
ENTRY = {"bibl", "biblStruct", "analytic", "monogr", "imprint", "series", "relatedItem"}  # genres.xsl's fields
READINGS = {"app", "rdgGrp", "choice", "subst"}    # their children are readings of one place, each apart
MARKS = {"page", "column", "milestone", "label", "call", "kind"}   # the fragment's marks beside the text
# a gap wider than this (in em of the type) is a word space: above the print stylesheet's letter-spacing of
# spaced text (0.12 em, templates/print/print.css), below the narrowest word space of the book face (~0.25 em)
WORD_GAP = 0.2
FLOW_GAP = 3.0   # farther than this (em) from a line's last glyph is another flow: the margin, a column
HTML_BLOCKS = {"div", "p", "li", "dt", "dd", "td", "th", "tr", "br", "h1", "h2", "h3", "h4", "h5", "h6",
               "section", "header", "figure", "figcaption", "blockquote", "table", "ul", "ol", "dl", "aside"}


def words(text: str) -> Counter[str]:
    return Counter(w.lower() for w in WORD.findall(text))


def share(want: Counter[str], text: str) -> float:
    total = sum(want.values())
    have = words(text)
    return 100.0 * sum(min(n, have[w]) for w, n in want.items()) / total if total else 100.0


def _tei_text(el: etree._Element) -> str:
    """An element's text as written; APART where a word must end (see the module's docstring)."""
    parts = [el.text or ""]
    parent = etree.QName(el).localname
    for child in el:
        if isinstance(child.tag, str):
            name = etree.QName(child).localname
            joins = name in BREAKS and child.get("break") == "no"
            before = child.getprevious()
            field = parent in ENTRY and before is not None and isinstance(before.tag, str) and not before.tail
            raised = "sup" in (child.get("rend") or "")       # superscript: apart, as a note's call in print
            apart = not joins and (name in BLOCKS or name in BREAKS or parent in READINGS or field or raised)
            parts += [APART if apart else "", _tei_text(child), APART if apart else ""]
        parts.append(child.tail or "")
    return "".join(parts)


def body_words(path: Path) -> Counter[str]:
    root = etree.parse(str(path)).getroot()
    text = root.find("{%s}text" % TEI_NS)
    return words(_tei_text(text).replace(APART, " ")) if text is not None else Counter()


def _html_text(el: etree._Element, edited: bool = False) -> str:
    """A fragment element's text as written, a word ending at a block, a <br> or a note's body; `edited`: the
    edited reading, what print shows (without the diplomatic-only parts)."""
    if edited and el.get("data-view") == "diplomatic" or el.get("data-apparatus") in MARKS:
        return ""
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str):
            joins = "tei-lb-nobreak" in (child.get("class") or "")    # a line break inside a word
            apart = not joins and (child.tag in HTML_BLOCKS or child.get("data-apparatus") == "note"
                                   or child.get("data-view") is not None or child.tag in ("del", "ins", "sup"))
            parts += [" " if apart else "", _html_text(child, edited), " " if apart else ""]
        parts.append(child.tail or "")
    return "".join(parts)


def left_out(el: etree._Element, counts: Counter[str] | None = None) -> Counter[str]:
    """The words of the diplomatic-only parts of a fragment, per TEI element (its class tei-<name>)."""
    counts = Counter() if counts is None else counts
    if el.get("data-view") == "diplomatic":
        name = next((c[4:] for c in (el.get("class") or "").split() if c.startswith("tei-")), el.tag)
        n = sum(words(_html_text(el)).values())
        if n:
            counts[name.split("-")[0]] += n
        return counts
    for child in el:
        if isinstance(child.tag, str):
            left_out(child, counts)
    return counts


def pdf_drawn(pdf: Path) -> str:
    """The characters the typesetter drew, glyph by glyph (pdfminer.six), one line of the page a line here: the
    space glyphs on the page, and a space where two glyphs stand more than WORD_GAP em apart (a space between
    two differently styled pieces of text is an advance, not a glyph); a typesetter's hyphen at a line end
    (U+2010) taken out, joining the word it broke."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar, LTTextLine

    lines: list[str] = []

    def walk(item) -> None:
        if isinstance(item, LTTextLine):
            # a line's glyphs in the order drawn, read as runs: a glyph continues the run whose last glyph
            # stands closest left of it (at most FLOW_GAP em); else it starts a run of its own (a page number
            # in the margin, drawn inside the word it breaks, is a run apart and the word stays whole)
            runs: list[list] = []
            for c in item:
                if not isinstance(c, LTChar):
                    continue
                near = [(c.x0 - r[-1].x1, i) for i, r in enumerate(runs)
                        if -0.1 * c.size <= c.x0 - r[-1].x1 <= FLOW_GAP * c.size]
                if near:
                    runs[min(near)[1]].append(c)
                else:
                    runs.append([c])
            for run in runs:
                out = [run[0].get_text()]
                for last, c in zip(run, run[1:]):
                    size = max(c.size, last.size)
                    if c.x0 - last.x1 > WORD_GAP * size or abs(c.size - last.size) > 0.15 * size \
                            or abs(c.y0 - last.y0) > 0.2 * size:     # a superscript (a note's call) stands apart
                        out.append(" ")
                    out.append(c.get_text())
                lines.append("".join(out))
        elif hasattr(item, "__iter__"):
            for child in item:
                walk(child)

    for page in extract_pages(str(pdf)):
        walk(page)
    return re.sub(r"\u2010\n", "", "\n".join(lines))


def pdf_guessed(pdf: Path) -> str:
    """pdftotext's text: word spaces guessed from the gaps between glyphs; the typesetter's hyphens taken out."""
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True).stdout
    return re.sub(r"\u2010\n", "", text)


def measure(path: Path, work: Path) -> str:
    folder = work / path.stem
    init(folder)
    cfg = config.load(folder)
    try:
        [done] = add(cfg, [path])
    except EditionError as exc:
        return f"{path.name}: not added: {str(exc).splitlines()[0]}"
    cfg = config.load(folder)
    report = validate(cfg)
    errors = [d for d in report.diagnostics if d.severity == "error"]
    warnings = [d for d in report.diagnostics if d.severity == "warning"]
    lines = sum(1 + bool(d.hint) for d in report.diagnostics)
    gate = "valid"
    if errors and all(d.rule == "tei-all" for d in errors):   # another project's errors: as a user would, as-is
        toml = folder / "edition.toml"
        toml.write_text(toml.read_text(encoding="utf-8").replace('conformance = "tei" ', 'conformance = "as-is"'),
                        encoding="utf-8")
        cfg = config.load(folder)
        gate = f'refused by the gate ({len(errors)} TEI P5 errors), published with conformance = "as-is"'
    elif errors:
        gate = f"refused by the gate ({len(errors)} errors), built past it"
    if errors and gate.endswith("past it"):
        build_mod._build(cfg, search=False, out=None, log=lambda m: None, jobs=1, cache=False, interface=None,
                         pdf=True)
    else:
        build_mod.build(cfg, search=False, jobs=1, cache=False)
    [b] = render_documents(cfg, documents(cfg), i18n.load("en"), register_mod.load([]), jobs=1, cache=True,
                           log=lambda m: None)
    text_div = parse(b.fragment if isinstance(b.fragment, str) else b.fragment()).find(".//*[@class='edition-text']")
    html_text = _html_text(text_div) if text_div is not None else ""
    edited_text = _html_text(text_div, edited=True) if text_div is not None else ""
    pdf = folder / "build" / "pdf" / f"{done.id}.pdf"
    drawn, guessed = (pdf_drawn(pdf), pdf_guessed(pdf)) if pdf.is_file() else ("", "")
    want = body_words(path)
    omitted = left_out(text_div) if text_div is not None else Counter()
    on_purpose = ", ".join(f"{name} {n}" for name, n in omitted.most_common()) or "nothing"
    missing = " ".join(f"{w}×{n}" if n > 1 else w for w, n in (words(edited_text) - words(drawn)).most_common(12))
    return (f"{path.name}: {sum(want.values())} words; HTML {share(want, html_text):.1f}%, "
            f"PDF {share(want, drawn):.1f}% (pdftotext {share(want, guessed):.1f}%); "
            f"of the edited reading, PDF {share(words(edited_text), drawn):.1f}%; left out of print on purpose "
            f"(diplomatic only, words): {on_purpose}; {gate}; validate: {len(warnings)} warnings in {lines} lines"
            + (f"\n    edited words not in the PDF: {missing}" if missing else ""))


def main() -> None:
    files = [Path(a) for a in sys.argv[1:]] or sorted(SHARED.glob("*.xml")) + sorted(
        (ROOT / "tests" / "fixtures" / "tei-p5").glob("*.xml"))
    with tempfile.TemporaryDirectory(prefix="foreign-words-") as tmp:
        for path in files:
            print(measure(path, Path(tmp)), flush=True)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
