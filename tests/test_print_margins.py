"""The source's page numbers in the book's margins (print/margins.py, xslt/modules/breaks.xsl): two pages of
the source turning on one line stack instead of overprinting; a <pb/> without @n prints the editors' "[p.]",
never a bare "p."; a page number between a heading and its paragraph goes into the paragraph, so the heading
keeps with its text (issue 16)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from tei_edition import config, i18n
from tei_edition.cli import cli
from tei_edition.html.fragment import parse
from tei_edition.html.transform import RenderOptions, render_bytes
from tei_edition.print.check import page_words
from tei_edition.print.margins import pages_into_paragraphs
from tei_edition.start import add, init

FIX = Path(__file__).parent / "fixtures" / "tei-p5"
LABELS = i18n.load("en").text
WORDS = " ".join(f"word{i}" for i in range(60))


def _render(body: str):
    doc = (f'<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="pb" xml:lang="en"><teiHeader/><text><body>{body}'
           '</body></text></TEI>').encode()
    return parse(render_bytes(doc, "pb.xml", RenderOptions(labels=LABELS))).find(".//*[@class='edition-text']")


def test_a_page_break_without_a_number_is_the_editors_bracketed_mark():
    """TEI: a pb marks where a page of the source begins; @n, its number, may be absent (other editions' TEI).
    Then the mark is the editors' "[p.]" with a title saying the number is not given, not "p." and nothing."""
    text = _render('<p>one <pb/>two <pb n="3"/>three <pb n="4" type="inferred"/>four</p>')
    marks = [(m.text, m.get("class"), m.get("title")) for m in text.iterfind(".//*[@data-apparatus='page']")]
    assert [m[0] for m in marks] == ["[p.]", "p. 3", "[p. 4]"]
    assert "tei-pb-unnumbered" in marks[0][1] and "number is not given" in marks[0][2]
    assert marks[1][2] is None


def test_a_page_number_before_a_paragraph_goes_after_its_first_word():
    """Between a heading and its paragraph, or first in a paragraph, the page number's float was set by
    WeasyPrint as a block of its own, and the heading's `break-after: avoid` held only against it: the heading
    stood alone at a page foot (the book's p. 196). After the first word (and its space) it is part of the
    first line; inside a word, or between words, it stays."""
    text = _render('<div><head>Heading</head><pb n="115"/><p>First words.</p><pb n="116"/><p><persName>Lenin'
                   '</persName> said.</p><p><pb n="117"/>Li<lb break="no" n="4"/>ne end.</p>'
                   '<p>Inside <pb n="118"/>a paragraph.</p><p><pb n="119"/>Alone.</p></div>')
    assert pages_into_paragraphs(text) == 4
    marks = {m.get("data-n"): m for m in text.iterfind(".//*[@data-apparatus='page']")}
    assert all(m.getparent().tag == "p" for m in marks.values())
    head = next(text.iter("h2", "h3", "h4"))
    assert head.getnext().text == "First " and marks["115"].tail == "words."
    assert marks["116"].getprevious().tail == " " and marks["116"].tail == "said."
    assert marks["117"].getprevious().tail == "ne " and marks["117"].tail == "end."     # not inside «Line»
    assert marks["118"].getparent().text == "Inside "                                      # where it stood
    assert marks["119"].getparent().text == "Alone." and not marks["119"].tail
    assert pages_into_paragraphs(text) == 0            # nothing more to move


def test_a_long_note_is_marked_for_a_smaller_setting():
    """WeasyPrint cannot split a footnote: a tall one moves with its call's line and leaves a blank above the
    notes. A note of more than 350 characters carries "tei-note-long" (notes.xsl), which print sets smaller."""
    text = _render(f'<p>Short<note n="1">A short note.</note> and long<note n="2">{WORDS} {WORDS}</note>.</p>')
    bodies = [b for b in text.iter("span") if b.get("data-apparatus") == "note"]
    assert ["tei-note-long" in b.get("class").split() for b in bodies] == [False, True]
    css = (Path(__file__).parents[1] / "templates" / "print" / "print.css").read_text(encoding="utf-8")
    assert re.search(r"\.tei-note-long\[data-apparatus=\"note\"\] \{ font-size: 7\.5pt;", css)


@pytest.mark.slow
def test_page_numbers_in_the_margin_never_overprint_and_none_is_bare(tmp_path):
    """A new edition with two pages turning on one line («12», «13»: an empty page of the source), a pb
    without @n and page numbers between paragraphs: in the PDF, no two words of the margin overlap, and every
    «p.» there has its number or is the editors' «[p.]»."""
    init(tmp_path / "e")
    body = (f'<head>Pages</head><p>{WORDS} one<pb n="12"/><pb n="13"/> two {WORDS} three <pb/>four {WORDS}</p>'
            f'<pb n="14"/><p>{WORDS} x <pb n="15"/>y {WORDS} <pb n="16"/> <pb n="17"/> z {WORDS}</p>')
    src = re.sub(r'<div type="letter">.*?</div>', f"<div>{body}</div>",
                 (FIX / "letter.xml").read_text(encoding="utf-8").replace('xml:id="letter"', 'xml:id="pages"'),
                 flags=re.S)
    (tmp_path / "pages.xml").write_text(src, encoding="utf-8")
    [added] = add(config.load(tmp_path / "e"), [tmp_path / "pages.xml"])
    res = CliRunner().invoke(cli, ["--root", str(tmp_path / "e"), "pdf", added.id])
    assert res.exit_code == 0, res.output
    margin = []
    for page in page_words(tmp_path / "e" / "build" / "pdf" / f"{added.id}.pdf"):
        column = [w for w in page.words if w.text.startswith("word")]
        if not column:
            continue
        left, right = min(w.x0 for w in column), max(w.x1 for w in column)
        words = [w for w in page.words if w.x1 < left - 1 or w.x0 > right + 1]
        margin += [(page.number, w.text) for w in words]
        for i, a in enumerate(words):
            for b in words[i + 1:]:
                overlap = (min(a.x1, b.x1) - max(a.x0, b.x0) > 0.5      # (pdftotext's boxes: the font's height)
                           and min(a.y1, b.y1) - max(a.y0, b.y0) > (a.y1 - a.y0) / 2)
                assert not overlap, (page.number, a, b)
        lines = {}
        for w in words:
            lines.setdefault(round(w.y0), []).append(w.text)
        for said in lines.values():
            assert " ".join(said) == "[p.]" or re.fullmatch(r"p\. \d+", " ".join(said)), said
    numbers = [t for _, t in margin if t not in ("p.",)]
    assert numbers == ["12", "13", "[p.]", "14", "15", "16", "17"], margin


def _laid_out(tmp_path: Path, name: str, first: int, numbered_from: int, extra_css: str = "") -> Path:
    """A three-page shell (print.css, a running head) laid out as if it began on page `numbered_from`, then
    numbered from `first` (margins.set_folios) and written."""
    from tei_edition.print import layout, margins
    head = f"<style>@page :first {{ counter-reset: page {numbered_from}; }}</style>" if numbered_from != 1 else ""
    if numbered_from % 2 == 0:
        head += "<style>html { break-before: left; }</style>"
    html = (f'<html lang="en"><head>{head}<style>{extra_css}</style></head><body class="print"><article '
            f'class="print-doc print-piece" data-running="Running"><h2 id="a">A heading</h2>'
            + "".join(f'<p id="p{i}">{WORDS} {WORDS} {WORDS}</p>' for i in range(14)) + '</article></body></html>')
    document = layout.lay_out(html, None, keep_context=True)
    margins.set_folios(document, first - numbered_from)
    margins.to_outer_edge(document, first)
    path = tmp_path / f"{name}.pdf"
    layout.write_tagged(document, path)
    return path


@pytest.mark.parametrize("first", [6, 7])
def test_a_part_numbered_after_its_layout_is_the_part_laid_out_from_its_first_page(tmp_path, first):
    """print/parts.py lays a part of the book out as if it began on page 1 and numbers it once the pages
    before it are known: the folios made again from the page counter, and on an even first page every page
    turned to the other side (the margins mirror). Word for word and place for place, folios included, it is
    the part laid out from that page."""
    direct = page_words(_laid_out(tmp_path, "direct", first, first))
    after = page_words(_laid_out(tmp_path, "after", first, 1))
    assert len(direct) == len(after) >= 3
    for n, (ours, theirs) in enumerate(zip(after, direct), first):
        assert [w.text for w in ours.words] == [w.text for w in theirs.words]
        assert all(abs(a.x0 - b.x0) < 0.01 and abs(a.y0 - b.y0) < 0.01 for a, b in zip(ours.words, theirs.words))
        assert str(n) in [w.text for w in ours.words]           # (the folio)


def test_a_part_cannot_be_turned_when_the_margins_do_not_mirror(tmp_path):
    """A verso whose text area is not the recto's mirrored (print.css changed so) cannot take a part laid out
    for a recto: a clear error naming print.css, not a book with its text in the wrong place."""
    from tei_edition.diagnostics import EditionError
    with pytest.raises(EditionError, match="print.css"):
        _laid_out(tmp_path, "odd", 6, 1, "@page :left { margin-left: 30mm; }")
