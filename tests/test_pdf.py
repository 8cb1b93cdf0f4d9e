"""The print edition on the real documents: notes, fonts, contents, index, languages, metadata, PDF/A.

One layout serves most tests: the small documents (d002, d000, d003, d004) as one book. The index test
renders d002 with names marked (two passes); the command test makes d002's own booklet. The large d001
is laid out once, as its own booklet, for its notes, contents and index (about a minute).
"""

from __future__ import annotations

import copy
import re
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from tei_edition import TEI_NS, i18n, register as register_mod
from tei_edition.corpus import Document, register_paths
from tei_edition.diagnostics import EditionError
from tei_edition.editorial import editors_note
from tei_edition.html import fragment
from tei_edition.html.stage import render_documents
from tei_edition.print import book as pdf
from tei_edition.print import fonts, join, parts
from tei_edition.print.check import (column_text, footnote_gaps, missing_notes, note_texts, notes_away_from_their_call,
                                     page_texts, page_words, pdf_fonts, pdf_text, printed_locators, printed_numbers,
                                     squash)
from tei_edition.xmlsafe import parse_file

from tests.tei_text import NS, edited_text

pytestmark = pytest.mark.slow   # builds the edition or its exports (left out by `make test-fast`)

SMALL = ["d002", "d000", "d003", "d004"]


def flat(text: str) -> str:
    """PDF text as one line: hyphenated line ends (U+2010) joined, whitespace collapsed."""
    return " ".join(text.replace("\u2010\n", "").split())


@pytest.fixture(scope="session")
def strings():
    return i18n.load("en")


@pytest.fixture(scope="session")
def register(cfg):
    return register_mod.load(register_paths(cfg))


@pytest.fixture(scope="session")
def builds(cfg, docs, strings, register):
    """The html stage's results (from the build cache when the documents are unchanged)."""
    present = [d for d in docs.values() if d.tei_path.exists()]
    return {b.id: b for b in render_documents(cfg, present, strings, register)}


def html_build(cfg, doc, strings, register):
    """A document that is not the edition's own (a changed copy) through the html stage, uncached."""
    return render_documents(cfg, [doc], strings, register, cache=False)[0]


@pytest.fixture(scope="session")
def shell(cfg, strings, register):
    return pdf.Shell(cfg, strings, register, pdf.build_date())


@pytest.fixture(scope="session")
def prepared(cfg, builds, strings):
    return {i: pdf.prepare(builds[i], strings, cfg) for i in SMALL if i in builds}


@pytest.fixture(scope="session")
def book(prepared, shell, tmp_path_factory):
    """The small documents as one book, written as a tagged PDF (PDF/UA-1) and PDF/A-3a."""
    out = tmp_path_factory.mktemp("pdf")
    printed = pdf.typeset("book", [prepared[i] for i in SMALL if i in prepared], shell)
    pdf.write(printed, out / "book.pdf", out / "book.pdfa.pdf", "TEI source")
    return printed, out / "book.pdf", out / "book.pdfa.pdf"


@pytest.fixture(scope="session")
def parted(prepared, shell, tmp_path_factory):
    """The same small book laid out in parts (print/parts.py: each part on a recto, two processes) and joined."""
    out = tmp_path_factory.mktemp("parts")
    printed = parts.typeset([prepared[i] for i in SMALL if i in prepared], shell, jobs=2, attachment_text="TEI source")
    parts.write(printed, out / "book.pdf", out / "book.pdfa.pdf")
    return printed, out / "book.pdf", out / "book.pdfa.pdf"


BLOCKS = ("p", "ab", "item", "cell", "head", "note", "lg")   # where notes.xsl shares a repeated editors' note


def tei_notes(path: Path) -> list:
    """The notes of a document's text (a note inside a note is part of it), except notes on residue
    (<fw>: running heads, captions), which print does not show, like the residue itself."""
    root = parse_file(path).getroot()
    return root.xpath("//t:text//t:note[not(ancestor::t:note)][not(ancestor::t:fw)]", namespaces=NS)


def note_segments(note) -> tuple[list[str], list[str]]:
    """A TEI note's text as print shows it, in runs: its own text, cut where an editors' remark stands
    (print puts the remark's lettered call there) or an inferred date's mark follows, and the text of each
    remark (a footnote of its own), cut the same way."""
    own = copy.deepcopy(note)
    # a correction without a note of its own gets the editors' lettered call after it (or after its name)
    targeted = {t.lstrip("#") for n in note.getroottree().iter("{%s}note" % NS["t"]) for t in (n.get("target") or "").split()}
    for choice in own.xpath(".//t:choice[t:sic or t:orig][not(.//t:note)]", namespaces=NS):
        if choice.get("{http://www.w3.org/XML/1998/namespace}id") in targeted:
            continue
        names = choice.xpath("ancestor::*[self::t:persName or self::t:orgName or self::t:placeName or self::t:rs"
                             " or self::t:name][ancestor::t:note]", namespaces=NS)
        after = names[0] if names else choice
        after.tail = "\ue000" + (after.tail or "")
    # a note printed without a call stands in the text with the editors' word on it after its label
    if note.get("subtype") == "call-missing" and own.find("t:label", NS) is not None:
        own.find("t:label", NS).tail = "\ue000" + (own.find("t:label", NS).tail or "")
    # a date whose year the editors inferred is followed by their mark ("[1917?]", xslt names-dates.xsl)
    for date in own.xpath(".//t:date[@cert][@resp][not(ancestor::t:note[ancestor::t:note])]", namespaces=NS):
        date.tail = "\ue000" + (date.tail or "")
    inner = own.xpath(".//t:note", namespaces=NS)
    for remark in inner:
        marker = etree.Element(remark.tag)  # edited_text skips notes but keeps their tails
        marker.tail = "\ue000" + (remark.tail or "")
        remark.getparent().replace(remark, marker)
    remarks = []
    for remark in note.xpath(".//t:note", namespaces=NS):
        remark = copy.deepcopy(remark)
        for date in remark.xpath(".//t:date[@cert][@resp]", namespaces=NS):
            date.tail = "\ue000" + (date.tail or "")
        remarks += edited_text(remark).split("\ue000")
    return edited_text(own).split("\ue000"), remarks


# ---------------------------------------------------------------- notes

def test_every_note_of_the_tei_is_in_the_pdf_text(book, docs):
    printed, path, _ = book
    expected = sum(len(tei_notes(docs[i].tei_path)) for i in SMALL)
    assert expected > 100
    html_notes = note_texts(printed.html)
    # the TEI's notes, and the editors' series apart (a remark on a source's note, a correction's note)
    assert len(html_notes) == sum(d.notes for d in printed.docs) > expected
    assert missing_notes(printed.html, path) == []
    # independently of the XSLT: each note's text as the TEI has it, as often as the TEI has it; an editors'
    # remark inside a note at least once (one repeated word for word in a short division is printed once)
    text = squash(pdf_text(path))
    wanted: Counter = Counter()
    for i in SMALL:
        printed_once: set = set()
        for note in tei_notes(docs[i].tei_path):
            own, remarks = note_segments(note)
            if editors_note(note):       # repeated word for word in its paragraph: printed once (notes.xsl)
                block = next(a for a in note.iterancestors() if etree.QName(a).localname in BLOCKS)
                own = [t for t in own if (block, squash(t)) not in printed_once]
                printed_once.update((block, squash(t)) for t in own)
            wanted.update(t for t in map(squash, own) if t)
            wanted.update({t: 0 for t in map(squash, remarks) if t})
    short = {t: n for t, n in wanted.items() if text.count(t) < max(n, 1)}
    assert short == {}


def d002_pages(book) -> list[str]:
    printed, path, _ = book
    return page_texts(path)[printed.page_of["doc-d002"] - 1: printed.page_of["doc-d000"] - 1]


def test_notes_keep_the_source_numbering_and_editors_notes_are_lettered(book):
    text = flat("\n".join(d002_pages(book)))
    # d002: the source's calls 13–17 (texts lost), each calling the editors' remark "a", printed once (#16)
    for n in range(13, 18):
        assert re.search(rf"(?<!\d){n} \[The note text is missing in the source\.\] ?a(?![a-z])", text)
    assert len(re.findall(r"(?<![a-z])a The note calls 13–17 survive in the source", text)) == 1
    assert "Editors:" not in text
    assert re.search(r"свертыванию переговоров ?13\.", text)


def test_no_silent_correction_and_no_stray_calls_in_print(book):
    """#12/#16 in the PDF: d003's sixteen «Georgy Chicherin» printed for Steinberg each keep a lettered
    call, and a footnote saying what the source reads once a paragraph (seven); d004's notes without a call in the source make no line of
    asterisks; the source's «***» between two divisions is a section break; supplied titles in brackets."""
    printed, path, _ = book
    pages = page_texts(path)
    d003 = flat("\n".join(pages[printed.page_of["doc-d003"] - 1: printed.page_of["doc-d004"] - 1]))
    assert len(re.findall(r"(?<![a-z])[a-z]{1,2} The source reads: Georgy Chicherin\.", d003)) == 7
    assert len(re.findall(r"Στάινμπεργκ ?[a-z]{1,2}\b", d003)) >= 16
    assert re.search(r"Cinnella ?[a-z]{1,2},", d003) and "The source reads: Cinella." in d003
    d004_pages = pages[printed.page_of["doc-d004"] - 1:]
    d004 = "\n".join(d004_pages)
    # the only line of asterisks is the section break (letter-spaced: «* **» to pdftotext); no «* *» of calls
    starred = ["".join(line.split()) for line in d004.splitlines() if line.strip() and not line.strip(" *∗")]
    assert starred == ["***"]
    assert flat(d004).startswith("[Сталин и судьба революции")
    assert "[Сталин и судьба революции" in flat(pages[printed.page_of["doc-d004"] - 2] + "\n".join(pages[:6]))


def test_inferred_dates_are_marked_in_print_and_linked_to_their_evidence(book, docs):
    """#16: a date whose year the editors inferred carries their mark in the book as on the web ("[1917]",
    "[1917?]" below high certainty), a link to the passage that gives the year (its stable address on the
    edition's website), not an attribute a reader never sees."""
    printed, _, _ = book
    text = flat("\n".join(d002_pages(book)))
    tei = parse_file(docs["d002"].tei_path).getroot()
    inferred = tei.xpath("//t:text//t:date[@cert][@resp]", namespaces=NS)
    assert inferred
    for date in inferred:
        mark = f"[{date.get('when')[:4]}{'' if date.get('cert') == 'high' else '?'}]"
        assert re.search(re.escape(" ".join(edited_text(date).split())) + r" ?" + re.escape(mark), text), mark
    external = {target for page in printed.document.pages for kind, target, *_ in page.links if kind == "external"}
    for date in inferred:
        assert any(t.endswith(f"/id/{date.get('source').lstrip('#')}.html") for t in external), date.get("source")


def test_footnotes_stand_on_the_page_of_their_call(book):
    for number, page in enumerate(d002_pages(book), 1):
        calls = re.findall(r"[а-я»](1[3-7])[.,\s]", page)
        bodies = re.findall(r"(?m)^(1[3-7]) \[The note text is missing", page)
        assert sorted(calls) == sorted(bodies), f"page {number}"


def test_every_footnote_on_the_page_of_its_call(book):
    """From the layout: each note in the footnote area of the page that calls it (in the text or in a note)."""
    assert notes_away_from_their_call(book[0].document) == []


def test_no_blank_of_several_lines_above_the_notes_but_where_a_note_must_move_whole(book):
    """WeasyPrint cannot split a footnote: a line whose note does not fit moves with it to the next page,
    leaving a blank. A blank of more than two lines above the notes is allowed only there (the next page's
    first lines call a note taller than the blank), where the text ends or before a heading kept with its
    text; never from widows and orphans alone; and few (benchmarks/footnote_gaps.py prints them)."""
    gaps = footnote_gaps(book[0].document)
    assert len(gaps) > 40                                   # pages with notes, measured
    big = [g for g in gaps if g.lines > 2]
    assert [g for g in big if g.cause not in ("note", "break", "heading")] == []
    # and rare: on one page of notes in eight at most (the book of the four: 5 of 61 when measured)
    assert len([g for g in big if g.cause == "note"]) <= len(gaps) // 8, (len(gaps), big)


def test_no_empty_heading_in_the_book(prepared):
    """A source's notes section whose notes the edition sets at their calls (d003's «Σημειώσεις») has nothing
    to read under its heading: the book drops it as the reading pages do (html/fragment.drop_empty_divisions),
    from the text and the contents; it stood alone at the end of the text, naming the page's running head."""
    d003 = prepared["d003"]
    assert "Σημειώσεις" not in [c.label for c in d003.contents]
    text = etree.HTML(d003.text_html)
    assert "Σημειώσεις" not in [fragment.reading(h).strip() for h in text.iter("h2", "h3", "h4", "h5", "h6")]


def test_weasyprints_rule_that_parts_a_note_from_its_call_is_off():
    """Without the patch, the edition's book loses d001's note "ix" and d002's note 15 leaves its page."""
    from weasyprint.layout import block
    from tei_edition.print import footnote_fix
    assert footnote_fix.apply()
    assert "in_column" not in block._linebox_layout.__code__.co_names  # the rule's only use of it is gone


# ---------------------------------------------------------------- fonts

def test_fonts_draw_every_character_of_the_edition(cfg):
    chars: Counter = Counter()
    for path in sorted(cfg.tei_dir.glob("d*.xml")):
        for el in parse_file(path).getroot().iter():
            chars.update((el.text or "") + (el.tail or ""))
    assert fonts.missing_glyphs(chars) == {}
    # what the book face lacks comes from the symbol face, declared for exactly those characters
    lacking = sorted(set().union(*fonts.not_covered(chars).values()))
    css = fonts.font_face_css(chars)
    for c in lacking:
        assert f"U+{ord(c):04X}" in css
    assert css.count("unicode-range") == (4 if lacking else 0)


def test_all_fonts_embedded_and_only_ours(book):
    _, path, pdfa = book
    for file in (path, pdfa):
        rows = pdf_fonts(file)
        assert rows
        assert all(r.embedded and r.unicode for r in rows)
        assert {re.sub(r"^[A-Z]{6}\+", "", r.name) for r in rows} <= {
            "Gentium-Book-Plus", "Gentium-Book-Plus-Italic", "Gentium-Book-Plus-Bold", "Gentium-Book-Plus-Bold-Italic",
            "Edition-Symbols", "Edition-Symbols-Italic", "Edition-Symbols-Bold", "Edition-Symbols-Bold-Italic"}


def test_a_missing_font_names_the_package(tmp_path):
    with pytest.raises(EditionError) as err:
        fonts.faces((tmp_path,))
    assert "fonts-sil-gentiumplus" in str(err.value)


# ---------------------------------------------------------------- contents, index, running heads

def test_contents_page_numbers_are_where_the_headings_landed(book):
    printed, path, _ = book
    first = next(n for n, t in enumerate(page_texts(path), 1) if t.lstrip().startswith("Contents"))
    text = pdf_text(path, first, first + 2, layout=True)   # a page number stands at its leader's line end
    numbers = printed_numbers(text, [c.label for c in printed.contents])
    expected = [[printed.page_of[c.id]] for c in printed.contents]
    assert numbers == expected
    # every document opens on a right-hand (odd) page
    assert all(printed.page_of[f"doc-{i}"] % 2 == 1 for i in SMALL)


def test_running_heads_name_document_and_section(book):
    printed, path, _ = book
    pages = page_texts(path)
    d003 = printed.docs[[d.id for d in printed.docs].index("d003")]
    start, end = printed.page_of["doc-d003"], printed.page_of["doc-d004"]
    left = [pages[n - 1] for n in range(start + 1, end) if n % 2 == 0 and pages[n - 1].strip()]  # not blank
    assert left and all(p.lstrip().startswith(d003.running) for p in left)
    assert d003.running.endswith("…") and len(d003.running) <= 55     # xslt: $running-max
    # rectos name the section, or the document where it has none (d004 has no headed division)
    d004 = printed.docs[[d.id for d in printed.docs].index("d004")]
    after = min(printed.page_of[k] for k in ("chronology", "abbreviations", "bibliography", "processing", "index")
                if k in printed.page_of)                                 # the appendices follow the last text
    right = [pages[n - 1] for n in range(printed.page_of["doc-d004"] + 1, after)
             if n % 2 == 1 and pages[n - 1].strip()]
    assert right and all(p.lstrip().startswith(d004.running) for p in right)
    right = [pages[n - 1] for n in range(start + 1, end) if n % 2 == 1 and pages[n - 1].strip()]
    assert right and all(p.lstrip().startswith(d003.running) for p in right)
    # the pages of the editors' About (its editorial principles for readers, #14) are headed by About's
    # sections, not by the introduction before them (the fixture's book may have no front matter)
    if "front-about" in printed.page_of:
        about, first = printed.page_of["front-about"], printed.page_of[printed.docs[0].anchor]
        assert not any(pages[n - 1].lstrip().startswith("Introduction") for n in range(about + 1, first))
    # an opening page has no running head: its first line is the document's title
    for d in printed.docs:
        opening = pages[printed.page_of[d.anchor] - 1].lstrip()      # (a supplied title keeps its bracket)
        assert opening.startswith(d.title[:12]) or opening.startswith(d.title[:12].lstrip("["))


def test_headings_show_document_part_division_section():
    """Sizes follow the division's depth, whatever h-level the fragment gives: the document's title, then a
    part (which opens a page), then the division it holds (an article, a document of part II), then its
    sections, each above the body text."""
    html = """<html><body><article class="print-doc"><h1 class="doc-title" data-running="D">Document</h1>
      <div class="doc-text"><div class="edition-text"><p class="tei-p">Before.</p>
      <section class="tei-div tei-div-part" data-depth="1"><h3 class="tei-head" data-running="P">Part II</h3>
      <section class="tei-div tei-div-document" data-depth="2"><h4 class="tei-head" data-running="A">A document</h4>
      <section class="tei-div tei-div-section" data-depth="3"><h5 class="tei-head" data-running="S">Section</h5>
      <section class="tei-div tei-div-section" data-depth="4"><h6 class="tei-head" data-running="T">Sub</h6>
      <p class="tei-p">Body text.</p></section></section></section></section></div></div></article></body></html>"""
    laid = pdf._layout(html, None)
    size, page = {}, {}
    for number, p in enumerate(laid.pages, 1):
        for box in p._page_box.descendants():
            el = getattr(box, "element", None)
            if el is not None and el.tag in ("h1", "h3", "h4", "h5", "h6", "p") and el.text:
                size.setdefault(el.text.strip(), box.style["font_size"])
                page.setdefault(el.text.strip(), number)
    assert size["Document"] > size["Part II"] > size["A document"] > size["Section"] >= size["Sub"] >= size["Body text."]
    assert page["Part II"] > page["Before."]          # a part opens a page


MM = 72 / 25.4   # PDF points in a millimetre


def test_margins_are_mirrored_and_folios_and_source_pages_stand_outside(book):
    """Inner margin 15 mm, outer 21 mm; the folio at the outer foot; the source's page numbers
    ([p. 3], p. 75) in the outer margin, beside the text and never over it."""
    printed, path, _ = book
    first_text = printed.page_of[printed.docs[0].anchor]
    outside = {"recto": 0, "verso": 0}
    for page in page_words(path, first_text, printed.page_of["index"] - 1):
        if not page.words:
            continue  # a blank page before a document opening
        recto = page.number % 2 == 1
        inner, outer = 15 * MM, 21 * MM
        left_edge = inner if recto else outer
        right_edge = page.width - (outer if recto else inner)
        folio = max(page.words, key=lambda w: w.y0)   # the lowest word
        assert folio.text == str(page.number)
        if recto:
            assert abs(folio.x1 - right_edge) < 1, page.number
        else:
            assert abs(folio.x0 - left_edge) < 1, page.number
        for w in page.words:
            if left_edge - 0.5 <= w.x0 and w.x1 <= right_edge + 0.5:
                continue     # the text keeps to its column; outside it stands only the source's page number,
            assert re.fullmatch(r"\[?p\.|\d+\]?", w.text), (page.number, w)   # wholly in the outer margin
            if recto:
                assert right_edge + 3 * MM < w.x0 and w.x1 < page.width - 3 * MM, (page.number, w)
            else:
                assert 3 * MM < w.x0 and w.x1 < left_edge - 3 * MM, (page.number, w)
            outside["recto" if recto else "verso"] += 1
    assert outside["recto"] and outside["verso"]   # d000's pages of the source stand on both sides


def test_index_lists_merged_pages_where_the_mentions_landed(cfg, docs, shell, strings, register, tmp_path):
    """d002 with some names marked (as the annotator marks them): two passes, pages merged."""
    source = docs["d002"].tei_path.read_text(encoding="utf-8")
    head, text = source.split("<text", 1)
    text = re.sub(r"</?(?:persName|orgName|placeName|rs)\b[^>]*>", "", text)  # our own marks only
    marks = [(r"(Каменев\w*)", "persName", "pers-kamenev"), (r"(Зиновьев\w*)", "persName", "pers-zinoviev"),
             (r"(Викжел\w*)", "orgName", "org-vikzhel"), (r"(Петроград\w*)", "placeName", "place-petrograd")]
    for pattern, tag, ref in marks:
        text = re.sub(pattern, rf'<{tag} ref="#{ref}">\1</{tag}>', text)
    marked = tmp_path / "d002.xml"
    marked.write_text(head + "<text" + text, encoding="utf-8")
    doc = Document("d002", 1, docs["d002"].source_path, marked, docs["d002"].profile_path)
    prepared = pdf.prepare(html_build(cfg, doc, strings, register), strings, cfg)
    assert Counter(m.ref for m in prepared.mentions) == {"pers-kamenev": 4, "pers-zinoviev": 3,
                                                         "org-vikzhel": 3, "place-petrograd": 1}
    printed = pdf.typeset("document", [prepared], shell)
    pdf.write(printed, tmp_path / "d002.pdf", None, "")
    assert printed.passes == 2
    entries = printed.index.entries()
    assert {e.ref for e in entries} == {"pers-kamenev", "pers-zinoviev", "org-vikzhel", "place-petrograd"}
    for e in entries:
        landed = sorted({printed.page_of[m.anchor] for m in prepared.mentions if m.ref == e.ref})
        assert [p.number for p in e.pages] == landed
    kamenev = next(e for e in entries if e.ref == "pers-kamenev")
    assert len(kamenev.pages) < 4  # four mentions on fewer pages: each page printed once
    # the index was laid out alone in pass 2: its folios continue the book's
    for number, page in enumerate(page_texts(tmp_path / "d002.pdf"), 1):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        if number > 2 and lines:  # title page and imprint carry no folio
            assert lines[-1] == str(number)
    first = printed.page_of["index"]
    printed_text = pdf_text(tmp_path / "d002.pdf", first, first + 1)
    locators = printed_locators(printed_text, [e.name + (f" ({e.note})" if e.note else "") for e in entries])
    assert locators == [[r.label for r in e.runs] for e in entries]
    assert any("\u2013" in r.label for e in entries for r in e.runs)   # consecutive pages printed as a range


def tei_citations(path: Path, bibliography: dict[str, list[str]]) -> list[tuple[str, str]]:
    """(anchor, author) for every citation of a document's text pointed to a bibliography entry, read from
    the TEI: its xml:id, else dNNN-citN, N counting the text's citations without one in document order."""
    root = parse_file(path).getroot()
    doc_id = root.get("{http://www.w3.org/XML/1998/namespace}id")
    found, n = [], 0
    for bibl in root.xpath("//t:text//t:bibl[@corresp]", namespaces=NS):
        own = bibl.get("{http://www.w3.org/XML/1998/namespace}id")
        if not own:
            n += 1
        entry = bibl.get("corresp").split()[0].split("#")[-1]
        found += [(own or f"{doc_id}-cit{n}", name) for name in bibliography.get(entry, [])]
    return found


CITING = ["d004", "d000"]   # the documents citing works of the bibliography in the text and in notes


@pytest.fixture(scope="session")
def cited_book(cfg, builds, strings, register, tmp_path_factory):
    """d004 and d000 as a book with the bibliography appendix (its "Cited in") and the index of cited authors."""
    from tei_edition import apparatus
    shell = pdf.Shell(cfg, strings, register, pdf.build_date(),
                      apparatus.PrintApparatus(bibliography=apparatus.bibliography(cfg)))
    # laid out in parts, as the build lays out the edition's book (print/parts.py): the bibliography a part of its own
    printed = parts.typeset([pdf.prepare(builds[i], strings, cfg) for i in CITING], shell, jobs=2)
    assert "bibliography" in [p.name for p in printed.parts]
    out = tmp_path_factory.mktemp("cited") / "book.pdf"
    parts.write(printed, out, None)
    return printed, out, shell


def test_index_lists_cited_authors_apart_with_the_pages_of_their_citations(cfg, docs, cited_book):
    """The authors of the works the texts cite (tei/register/bibliography.xml: authors, else editors or
    compilers), in a group of their own, each with the pages where a citation of one of their works landed:
    every cited author, none missing, none added (d004 and d000: citations in the text and in notes)."""
    from tei_edition.exports.bibliography import read_bibliography
    works = read_bibliography(cfg.tei_dir / "register" / "bibliography.xml")
    names = {w.id: [n.text for n in (w.authors or w.editors or w.compilers)] for w in works}
    printed, book_pdf, _ = cited_book
    ids = CITING
    expected: dict[str, set[int]] = {}
    for i in ids:
        for anchor, name in tei_citations(docs[i].tei_path, names):
            assert anchor in printed.page_of, f"{i}: citation {anchor} of {name} not laid out"
            expected.setdefault(name, set()).add(printed.page_of[anchor])
    assert len(expected) > 5
    cited = next(g for g in printed.index.groups if g.key == "cited")
    assert cited.heading == "Cited authors" and cited.key == printed.index.groups[-1].key
    assert {e.name: {p.number for p in e.pages} for e in cited.entries} == expected
    assert [e.name.casefold() for e in cited.entries] == sorted(e.name.casefold() for e in cited.entries)
    # a person of the story who is also cited stands in both groups, apart (Lenin, Trotsky)
    persons = {e.ref for e in printed.index.groups[0].entries}
    assert any(ref in persons for ref in ("pers-lenin", "pers-trotsky"))
    # printed: the group's heading, then each cited author with its locators
    pages = page_texts(book_pdf)
    index_text = re.sub(r"–\s+", "–", column_text(book_pdf, printed.page_of["index"], len(pages)))
    tail = index_text[index_text.index("Cited authors"):]
    assert printed_locators(tail, [e.name for e in cited.entries]) == [[r.label for r in e.runs] for e in cited.entries]


def test_contents_stay_true_when_the_tails_pass_moves_a_heading(cfg, builds, strings, register, monkeypatch,
                                                                tmp_path):
    """Should the tail's pass move a heading the contents list (here its bibliography made many lines longer
    than pass 1's), the book is laid out again with the bibliography's pages known: the contents' page
    numbers are where the headings landed."""
    from tei_edition import apparatus
    from tei_edition.print.index import PageRun
    real = pdf.cited_pages

    def longer(bibliography, ids, page_of):
        return {k: rs + [PageRun(n, n, rs[0].anchor) for n in range(900, 980, 2)]
                for k, rs in real(bibliography, ids, page_of).items()}

    monkeypatch.setattr(pdf, "cited_pages", longer)
    shell = pdf.Shell(cfg, strings, register, pdf.build_date(),
                      apparatus.PrintApparatus(bibliography=apparatus.bibliography(cfg)))
    printed = pdf.typeset("book", [pdf.prepare(builds[i], strings, cfg) for i in CITING], shell)
    assert printed.passes == 3 and "again" in printed.seconds
    pdf.write(printed, tmp_path / "book.pdf", None, "")
    first = next(n for n, t in enumerate(page_texts(tmp_path / "book.pdf"), 1) if t.lstrip().startswith("Contents"))
    text = pdf_text(tmp_path / "book.pdf", first, first + 2, layout=True)
    assert printed_numbers(text, [c.label for c in printed.contents]) == [[printed.page_of[c.id]]
                                                                          for c in printed.contents]
    assert "pp. 900" not in flat(pdf_text(tmp_path / "book.pdf")) and "p. 900" in flat(pdf_text(tmp_path / "book.pdf"))


def tei_citing_blocks(path: Path) -> list[tuple[str, str]]:
    """(entry id, id of the note, paragraph or division holding the citation) for every citation of a TEI
    text pointed to the bibliography (<bibl corresp="#bib-…">): the passages its "Cited in" lists."""
    root = parse_file(path).getroot()
    found = []
    for bibl in root.xpath("//t:text//t:bibl[@corresp]", namespaces=NS):
        holder = bibl.xpath("ancestor::*[self::t:note or self::t:p or self::t:div][@xml:id][1]", namespaces=NS)
        for entry in bibl.get("corresp").split():
            found.append((entry.split("#")[-1], holder[0].get("{http://www.w3.org/XML/1998/namespace}id")))
    return found


def test_bibliography_cites_each_page_once_and_every_citing_page(docs, cited_book):
    """The bibliography's "Cited in" lists the pages of the passages citing a work, each page once, consecutive
    pages as a range (laid out in the tail's pass with the pages pass 1 found), and every page of the TEI's
    citing passages (recomputed from the TEI and where the passages landed), in the printed text."""
    printed, book_pdf, shell = cited_book
    expected: dict[str, set[int]] = {}
    for i in CITING:
        for entry, block in tei_citing_blocks(docs[i].tei_path):
            assert block in printed.page_of, f"{i}: citing passage {block} not laid out"
            expected.setdefault(entry, set()).add(printed.page_of[block])
    entries = [e for e in shell.apparatus.bibliography if e.id in expected]
    assert len(entries) > 10
    first, last = printed.page_of["bibliography"], printed.page_of["processing"]
    text = re.sub(r"–\s+", "–", flat("\f".join(page_texts(book_pdf)[first - 1:last - 1])))
    printed_lists = [re.findall(r"\d+(?:–\d+)?", m) for m in
                     re.findall(r"Cited in: ((?:pp?\. \d+(?:–\d+)?(?:, )?)+)", text)]
    assert len(printed_lists) == len(entries)   # an entry cited in these texts, and no other, says "Cited in"
    repeated = [labels for labels in printed_lists if len(set(labels)) != len(labels)]
    assert not repeated, f"a page repeated in 'Cited in': {repeated[:3]}"
    for e, labels in zip(entries, printed_lists):
        pages = []
        for label in labels:
            a, _, b = label.partition("–")
            pages += range(int(a), int(b or a) + 1)
        assert pages == sorted(set(pages)), f"{e.id}: pages out of order or repeated: {labels}"
        assert set(pages) == expected[e.id], f"{e.id}: printed {labels}, cited on {sorted(expected[e.id])}"
        assert all("–" not in label or int(label.split("–")[0]) < int(label.split("–")[1]) for label in labels)
    # each locator links to a passage on its page
    runs = pdf.cited_pages(shell.apparatus.bibliography, set(CITING), printed.page_of)
    assert all(printed.page_of[r.anchor] == r.first for rs in runs.values() for r in rs)


def test_index_without_mentions_says_so(cfg, docs, shell, strings, register, tmp_path):
    """A document with no marked names (as every document was before annotation): one pass, and the
    index says there is nothing yet."""
    source = docs["d002"].tei_path.read_text(encoding="utf-8")
    plain = re.sub(r"</?(?:persName|orgName|placeName|rs)\b[^>]*>", "", source)
    (tmp_path / "d002.xml").write_text(plain, encoding="utf-8")
    doc = Document("d002", 1, docs["d002"].source_path, tmp_path / "d002.xml", docs["d002"].profile_path)
    printed = pdf.typeset("document", [pdf.prepare(html_build(cfg, doc, strings, register), strings, cfg)], shell)
    pdf.write(printed, tmp_path / "d002.pdf", None, "")
    assert printed.passes == 1 and printed.index.groups == []
    last = page_texts(tmp_path / "d002.pdf")[printed.page_of["index"] - 1]
    assert last.lstrip().startswith("Index")
    assert "No persons, organisations or places have been marked in the texts yet." in flat(last)


# ---------------------------------------------------------------- languages, metadata, PDF/A

def test_russian_and_greek_text_extractable_and_searchable(book):
    _, path, _ = book
    text = flat(pdf_text(path))
    # (the year of «4 ноября» inferred by the editors: their mark follows the date, #16)
    assert re.search(r"Ленинский ультиматум был официально представлен 4 ноября ?\[1917\]\.", text)
    assert "Великой Российской революции 1917 г. так называемого однородного" in text  # lb break="no" joined
    assert "Οι Μπολσεβίκοι εκτιμούσαν τη νομιμοποίηση και την υποστήριξη" in text


def test_russian_and_greek_are_hyphenated(book):
    printed, path, _ = book
    pages = page_texts(path)
    def hyphens(doc_id: str, following: str) -> int:
        a, b = printed.page_of[f"doc-{doc_id}"], printed.page_of[following]
        return sum(p.count("\u2010\n") for p in pages[a - 1: b - 1])
    assert hyphens("d002", "doc-d000") > 5
    greek = hyphens("d003", "doc-d004")
    assert greek > 20
    assert re.search(r"[α-ωάέήίόύώ]\u2010\n[α-ωάέήίόύώ]", "".join(pages[printed.page_of["doc-d003"]:]))


def hyphen_ladders(pdf: Path, hyphens: tuple[str, ...] = ("\u2010",)) -> list[tuple[int, int]]:
    """(page, lines) for every run of more than two consecutive lines of one block of text (pdftotext's
    blocks: the text above the notes is one, the notes another) that end with a hyphen: by default one
    that hyphenation put there (U+2010; a line may still break after a compound's own hyphen, "-")."""
    out = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    found = []
    for number, page in enumerate(re.findall(r"<page .*?</page>", out, re.S), 1):
        for block in re.findall(r"<block .*?</block>", page, re.S):
            run = 0
            for line in re.findall(r"<line .*?</line>", block, re.S) + [""]:
                words = re.findall(r">([^<]*)</word>", line)
                if words and words[-1].endswith(hyphens):
                    run += 1
                else:
                    if run > 2:
                        found.append((number, run))
                    run = 0
    return found


def test_at_most_two_hyphenated_lines_in_a_row(book):
    from tei_edition.print import hyphenation
    assert hyphenation.apply()       # the rule WeasyPrint lacks is in force
    assert hyphen_ladders(book[1]) == []
    assert sum(line.endswith("\u2010") for t in page_texts(book[1]) for line in t.splitlines()) > 100  # hyphenation on


def test_no_stray_line_of_note_calls_in_the_body(book):
    """A note the source prints without a call in the text (d004's two web addresses) has no call in the
    book either: no line of the text is asterisks alone («* *»). The one such line allowed is the editors'
    section break «* * *» between two divisions (fw type="separator"), at most once per separator."""
    printed, path, _ = book
    lines = [line.strip() for t in page_texts(path) for line in t.splitlines()]
    stars = [line for line in lines if line and set(line) <= {"*", " "}]
    separators = sum(len(parse_file(d.tei_path).getroot().findall(f".//{{{TEI_NS}}}fw[@type='separator']"))
                     for d in printed.docs)
    assert [line for line in stars if line.count("*") != 3] == []
    assert len(stars) <= separators


def test_source_page_numbers_in_the_text(book, docs):
    _, path, _ = book
    text = flat(pdf_text(path))
    root = parse_file(docs["d000"].tei_path).getroot()
    for pb in root.xpath("//t:text//t:pb", namespaces=NS):
        label = f"[p. {pb.get('n')}]" if pb.get("type") == "inferred" else f"p. {pb.get('n')}"
        assert label in text


def test_imprint_says_what_the_licence_covers_in_the_headers_words(book, docs):
    """The imprint prints the headers' licence statement (the encoding and the apparatus under CC BY 4.0, the
    source texts not), no heading that claims the licence for the whole book, and each document's rights
    holders (its header's availability/p) stand with it under Sources (a booklet's imprint: test of the
    pdf command)."""
    printed, path, _ = book
    pages = page_texts(path)
    imprint = flat(pages[1])
    for d in printed.docs:
        avail = parse_file(docs[d.id].tei_path).getroot().find(".//t:publicationStmt/t:availability", NS)
        licence = avail.find("t:licence", NS)
        words = " ".join("".join(licence.find("t:p", NS).itertext()).split())
        assert "Creative Commons Attribution 4.0" in words and "not covered by this licence" in words
        assert words in imprint and licence.get("target") in imprint
        holders = " ".join(" ".join("".join(p.itertext()).split()) for p in avail.findall("t:p", NS))
        sources = flat("\n".join(pages[printed.page_of["sources"] - 1: printed.page_of["sources"] + 1]))
        assert holders and f"Rights: {holders}" in sources, d.id
    assert "Licence: CC-BY-4.0" not in imprint and "Licence and rights" in imprint
    assert re.search(r"stated with it under Sources \(p\. \d+\)", imprint)


def test_metadata_and_bookmarks(book, cfg):
    printed, path, _ = book
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(rf"(?m)^Title:\s+{re.escape(cfg.title)}$", info)
    assert "Edition editorial team" in re.search(r"(?m)^Author:\s+(.*)$", info).group(1)
    assert re.search(r"(?m)^Subject:\s+(.*)$", info).group(1) == cfg.subtitle
    assert re.search(r"(?m)^Keywords:\s+(.*)$", info).group(1).endswith("el, ru")
    assert printed.document.metadata.lang == cfg.apparatus_language
    labels = [b[0] for b in printed.document.make_bookmark_tree()]
    assert labels[0] == "Contents" or printed.docs[0].running in labels
    assert [d.running for d in printed.docs] == [lab for lab in labels if lab in {d.running for d in printed.docs}]
    assert "Index" in labels


def test_pdfa_variant_carries_the_tei(book, docs, tmp_path):
    _, plain, pdfa = book
    # both come from one painting: the plain PDF is the PDF/A without its attachments
    assert subprocess.run(["pdfdetach", "-list", str(plain)], capture_output=True, text=True,
                          check=True).stdout.startswith("0 embedded files")
    assert page_texts(plain) == page_texts(pdfa)
    listing = subprocess.run(["pdfdetach", "-list", str(pdfa)], capture_output=True, text=True, check=True).stdout
    names = re.findall(r"^\d+: (\S+)", listing, re.M)
    assert sorted(names) == sorted(f"{i}.xml" for i in SMALL)
    subprocess.run(["pdfdetach", "-save", str(names.index("d003.xml") + 1), "-o", str(tmp_path / "d003.xml"), str(pdfa)], check=True)
    from tei_edition.exports.parts import offered_tei                # the download: standing on its own (#17)
    from tei_edition.exports.standalone import edition_entries
    from tei_edition.config import load as config_load
    cfg = config_load(docs["d003"].tei_path.parents[1])
    assert (tmp_path / "d003.xml").read_bytes() == offered_tei(cfg, docs["d003"].tei_path.read_bytes(),
                                                               str(docs["d003"].tei_path), edition_entries(cfg))
    xmp = subprocess.run(["pdfinfo", "-meta", str(pdfa)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"pdfaid:part(>|=\")3", xmp) and re.search(r"pdfaid:conformance(>|=\")A", xmp)


def test_pdf_is_tagged_accessible_and_linked(book):
    """The plain PDF claims PDF/UA-1, the twin PDF/A-3a; both are tagged (headings, paragraphs, lists, links)
    and their contents, index locators, note calls and names are links."""
    printed, plain, pdfa = book
    for path in (plain, pdfa):
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
        assert re.search(r"(?m)^Tagged:\s+yes$", info), path
    xmp = subprocess.run(["pdfinfo", "-meta", str(plain)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"pdfuaid:part(>|=\")1", xmp) and "pdfaid:" not in xmp
    tree = subprocess.run(["pdfinfo", "-struct", str(plain)], capture_output=True, text=True, check=True).stdout
    kinds = Counter(line.split()[0] for line in tree.splitlines() if line.strip())
    # headings nested: the first is an H1, and none goes more than one level below the one before it
    levels = [int(k[1]) for k in (line.split()[0] for line in tree.splitlines() if line.strip())
              if re.fullmatch(r"H[1-6]", k)]
    assert levels[0] == 1 and all(b <= a + 1 for a, b in zip(levels, levels[1:])), levels[:20]
    assert kinds["H1"] >= len(printed.docs) + 2 and kinds["P"] > 100 and kinds["L"] and kinds["Link"] > 500
    internal = {target for page in printed.document.pages for kind, target, *_ in page.links if kind == "internal"}
    external = {target for page in printed.document.pages for kind, target, *_ in page.links if kind == "external"}
    assert {c.id for c in printed.contents} <= internal                   # the contents
    assert {r.anchor for e in printed.index.entries() for r in e.runs} <= internal   # the index
    assert any(t.endswith("-body") for t in internal)                      # note calls to their notes
    assert any("/register/pers-" in t for t in external)                   # names to the register


# ---------------------------------------------------------------- preparing the fragment

def test_print_takes_the_fragment_as_the_xslt_wrote_it(builds, prepared):
    """No second rendering: the print shell holds the html stage's text (what print does not show, print.css
    hides by the view vocabulary) with only the layout's edits: empty divisions dropped as on the reading pages,
    the source's page numbers moved within the text (print/margins.py); the reading itself is the same. The
    bibliography is found by data-field."""
    from tei_edition.print import margins
    for i, doc in prepared.items():
        parts = fragment.split(builds[i].fragment)
        text = parts.text
        fragment.drop_empty_divisions(text)
        before = " ".join(fragment.reading(text).split())
        margins.pages_before_words(text)
        margins.pages_into_paragraphs(text)
        assert doc.text_html == fragment.to_html(text), i
        assert " ".join(fragment.reading(text).split()) == before, i
        assert [b.label for b in doc.bibls] == [parts.field_label(dd) for dd in parts.fields("bibl")
                                                if dd.get("data-type") in ("original", "translation", "source")]
    assert [b.label for b in prepared["d002"].bibls] == ["Original", "Translation"]
    assert prepared["d002"].authors == ["Александр Рабинович (Alexander Rabinowitch)"]
    assert prepared["d000"].authors == []      # <name type="unknown">: not an author to print


def test_index_locators_merge_ranges_and_mark_notes():
    from tei_edition.print.index import IndexPage, runs
    pages = [IndexPage(n, f"a{n}", note) for n, note in
             [(1, False), (2, False), (3, False), (5, False), (7, True), (8, False), (9, False), (11, True)]]
    assert [r.label for r in runs(pages)] == ["1\u20133", "5", "7n", "8\u20139", "11n"]
    assert [r.anchor for r in runs(pages)] == ["a1", "a5", "a7", "a8", "a11"]


def test_index_files_persons_by_the_registers_index_form_and_sort_key(book, register):
    printed = book[0]
    persons = next(g for g in printed.index.groups if g.key == "persons").entries
    by_ref = {e.ref: e for e in persons}
    # a Chinese name keeps its order (not «Kai-shek, Chiang»), a Russian one is surname first, romanized
    assert by_ref["pers-chiang"].name == "Chiang Kai-shek"
    assert by_ref["pers-chiang-ching-kuo"].name == "Chiang Ching-kuo"
    assert by_ref["pers-lenin"].name == "Lenin, Vladimir Il'ich"
    assert all(e.name == register[e.ref].index_name for e in persons)
    keys = [register[e.ref].sort_key for e in persons]
    assert keys == sorted(keys) and all(keys)
    # a name met only in a note (a cited author) is marked so on that page
    assert any(r.note for e in persons for r in e.runs) and any(not r.note for e in persons for r in e.runs)
    index_text = flat(pdf_text(book[1], printed.page_of["index"]))
    assert re.search(r"\b\d+n\b", index_text)


def test_index_names_surname_first_with_years():
    from tei_edition.print.index import Mention, build_index, inverted
    from tei_edition.register import Entry, Name
    assert inverted("Vladimir Lenin") == "Lenin, Vladimir" and inverted("T. H. Rigby") == "Rigby, T. H."
    assert inverted("Lenin") == "Lenin" and inverted("Rabinowitch, Alexander") == "Rabinowitch, Alexander"
    # the index gives years by the register's one rule (register.life_dates): a birth alone is "born …"
    register = {"pers-a": Entry("pers-a", "person", [Name("A", "en", "preferred")], dates="1870-04-22–1924-01-21", dates_kind="life"),
                "pers-b": Entry("pers-b", "person", [Name("B", "en", "preferred")], dates="1958-08-29–?", dates_kind="life")}
    index = build_index([Mention("m-" + ref, ref, "persons", "A") for ref in register], None, register,
                        {"persons": "Persons"}, "Index", "", {"life.born": "born"})
    assert sorted(e.note for e in index.entries()) == ["1870–1924", "born 1958"]


def test_running_heads_are_cut_at_a_word(prepared):
    assert prepared["d004"].running.endswith("…]") and len(prepared["d004"].running) <= 56   # a supplied title
    assert prepared["d000"].running == "Попытка создания коалиционной советской власти в 1917…"


# ---------------------------------------------------------------- the command

def test_pdf_command_writes_a_booklet_and_checks_its_notes(cfg, tmp_path):
    """`edition pdf d002` (the book not declined) makes d002's booklet and leaves the whole edition's book as it
    was: a command for some documents never writes a "book" of them over edition.pdf. (On an edition of d002 and
    d004 with a build cache of its own: what the command prints does not depend on what other tests left in the
    project's cache, where a document rendered again adds a line.)"""
    from click.testing import CliRunner
    from tei_edition.cli import cli
    from tei_edition.synthetic import make_synthetic
    project = make_synthetic(cfg, tmp_path / "project", 1, only=["d002", "d004"]).root
    out = tmp_path / "out"
    out.mkdir()
    whole = b"%PDF- the whole edition's book, made earlier"
    (out / "edition.pdf").write_bytes(whole)
    result = CliRunner().invoke(cli, ["--root", str(project), "pdf", "d002", "--no-pdfa", "--out", str(out)])
    assert result.exit_code == 0, result.output
    # five notes of the source and the editors' one remark on them, printed once
    assert re.fullmatch(r"d002\.pdf: \d+ pages, 6 notes, [12] pass(es)?, [\d.]+ s\n", result.output)
    assert sorted(p.name for p in out.iterdir()) == ["d002.pdf", "edition.pdf"]
    assert (out / "edition.pdf").read_bytes() == whole
    text = flat(pdf_text(out / "d002.pdf"))
    assert text.startswith("[Большевики приходят к власти: заключительные абзацы главы]")
    assert "Contents" in text and "Index" in text
    # the imprint: the header's licence statement and its rights holders, in the header's words
    imprint = flat(page_texts(out / "d002.pdf")[1])
    assert "The source texts remain under the rights of their authors" in imprint
    assert "Source text: © Alexander Rabinowitch" in imprint and "Licence: CC-BY-4.0" not in imprint


def test_pdf_command_names_an_unknown_document(tmp_path):
    from click.testing import CliRunner
    from tei_edition.cli import cli
    result = CliRunner().invoke(cli, ["pdf", "d999", "--out", str(tmp_path)])
    assert isinstance(result.exception, EditionError)  # printed by the CLI's main() without a traceback
    assert str(result.exception).startswith("unknown document id(s): d999\n  hint: edition.toml lists d000, d001")


# ---------------------------------------------------------------- the book 001, whole

@pytest.fixture(scope="module")
def book_001(cfg, builds, strings, shell, tmp_path_factory):
    """d001 as its own booklet (377 pages, two passes), as `edition pdf d001 --no-book` makes it; about a
    minute of layout, the price of checking the largest text on the real thing."""
    out = tmp_path_factory.mktemp("pdf001") / "d001.pdf"
    printed = pdf.typeset("document", [pdf.prepare(builds["d001"], strings, cfg)], shell)
    pdf.write(printed, out, None, "TEI source")
    return printed, out


def test_book_001_keeps_every_note_its_contents_and_index_pages(book_001, docs):
    printed, path = book_001
    # every note: as many in the PDF text as in the TEI, each with its text (54 notes, several numberings)
    notes = tei_notes(docs["d001"].tei_path)
    # (and the editors' series apart: the remarks inside notes, the notes on corrections the TEI gives none)
    assert len(note_texts(printed.html)) == printed.docs[0].notes > len(notes) > 50
    assert missing_notes(printed.html, path) == []
    text = squash(pdf_text(path))
    wanted = Counter(t for note in notes for part in note_segments(note) for t in map(squash, part) if t)
    assert {t: n for t, n in wanted.items() if text.count(t) < n} == {}
    # d001 note 4: the editors' remark on «Cf.» is a lettered footnote of its own, not inside the note (#16)
    flat_text = flat(pdf_text(path))
    call = re.search(r"(?<!\d)4 Cf\. ?([a-z]{1,2}) ?: “The Degeneration of the Russian revolution”", flat_text)
    assert call and f"{call.group(1)} Cyrillic С for Latin C." in flat_text and "Editors:" not in flat_text
    # the contents (parts and articles, two levels) print the pages where the headings landed
    pages = page_texts(path)
    first = next(n for n, t in enumerate(pages, 1) if t.lstrip().startswith("Contents"))
    last = printed.page_of[printed.contents[0].id] - 1          # the contents end before the first heading
    numbers = printed_numbers(pdf_text(path, first, last, layout=True), [c.label for c in printed.contents])
    assert len(printed.contents) > 20 and numbers == [[printed.page_of[c.id]] for c in printed.contents]
    # the index, laid out alone in pass 2, prints for each entry the pages where its mentions landed
    assert printed.passes == 2
    entries = printed.index.entries()
    mentions = printed.docs[0].mentions
    assert len(entries) > 150
    for e in entries:
        assert [p.number for p in e.pages] == sorted({printed.page_of[m.anchor] for m in mentions if m.ref == e.ref})
    first_index = printed.page_of["index"]
    index_text = re.sub(r"–\s+", "–", column_text(path, first_index, len(pages)))  # "(1887–⏎1937)"
    # each entry, and each of its sub-entries, in the order printed, with its locators
    labels, expected = [], []
    for e in entries:
        labels.append(e.name + (f" ({e.note})" if e.note else ""))
        expected.append([] if e.subentries else [r.label for r in e.runs])
        for sub in e.subentries:
            labels.append(sub.label)
            expected.append([r.label for r in sub.runs])
    assert printed_locators(index_text, labels) == expected
    # no reader faces a hundred bare numbers: an entry of more than 15 pages is divided by the articles
    # and documents of the book (the contents' divisions), each part once, all its pages kept
    lenin = next(e for e in entries if e.ref == "pers-lenin")
    assert len(lenin.pages) > 60 and len(lenin.subentries) > 5
    for e in entries:
        assert bool(e.subentries) == (len(e.pages) > 15 and len({m.where for m in mentions if m.ref == e.ref}) > 1)
        if e.subentries:
            assert len({s.label for s in e.subentries}) == len(e.subentries)
            assert {p.number for s in e.subentries for p in s.pages} == {p.number for p in e.pages}
    assert hyphen_ladders(path) == []   # eight hyphenated lines in a row on one page before
    # the contents print unbroken leaders: no line holds a leader and a page number alone
    contents = pdf_text(path, first, last, layout=True)
    assert not re.search(r"(?m)^\s*[.\s]*\.{3,}\s*\d+\s*$", contents)


# ---------------------------------------------------------------- the book in parts (print/parts.py, print/join.py)

def _pdf_facts(path: Path) -> dict:
    """What a reader and a screen reader meet in a PDF, page objects replaced by page numbers: the outline
    (depth, title, page, position), every link (page, box, target: an anchor with its page and position, or an
    address), the named destinations, the structure tree (pdfinfo -struct, object numbers masked), the catalog."""
    import pikepdf
    with pikepdf.open(path) as pdf:
        number = {p.obj.objgen: n for n, p in enumerate(pdf.pages, 1)}

        def place(dest) -> tuple:
            return (number[dest[0].objgen], *(round(float(x), 2) for x in dest[2:4]))

        dests = {str(k): place(v) for k, v in pikepdf.NameTree(pdf.Root.Names.Dests).items()}
        outline = []

        def walk(item, depth: int) -> None:
            while item is not None:
                outline.append((depth, str(item.Title), place(item.Dest), int(item.get("/Count", 0))))
                if "/First" in item:
                    walk(item.First, depth + 1)
                item = item.get("/Next")

        walk(pdf.Root.Outlines.First, 0)
        links = [(n, tuple(round(float(x), 2) for x in a.Rect),
                  (str(a.Dest), dests.get(str(a.Dest))) if "/Dest" in a else str(a.A.URI), str(a.get("/Contents")))
                 for n, page in enumerate(pdf.pages, 1) for a in page.obj.get("/Annots", [])]
        catalog = sorted(str(k) for k in pdf.Root.keys())
        xmp = pdf.Root.Metadata.read_bytes()
    tree = subprocess.run(["pdfinfo", "-struct", str(path)], capture_output=True, text=True, check=True).stdout
    return {"outline": outline, "links": links, "dests": dests, "catalog": catalog, "xmp": xmp,
            "struct": re.sub(r"Object \d+ \d+", "Object", tree)}


def test_the_book_in_parts_is_the_book_in_one_piece(book, parted):
    """Laid out in parts and joined, the book is the one-piece book: the same pages with the same text, the
    same outline, links to the same places, the same named destinations and structure tree, the same catalog
    and XMP; its PDF/A twin carries the same TEI files and claim."""
    one, joined = book[0], parted[0]
    assert len(joined.parts) >= 4 and joined.pages == one.pages
    # (word for word: pdftotext may part a note's lines by a blank line more where a glyph's advance differs in
    # the third decimal of a point, each part having its own font subsets)
    assert [flat(t) for t in page_texts(parted[1])] == [flat(t) for t in page_texts(book[1])]
    assert joined.page_of == {k: v for k, v in one.page_of.items() if k in joined.page_of}
    ours, theirs = _pdf_facts(parted[1]), _pdf_facts(book[1])
    for key in ours:
        assert ours[key] == theirs[key], key
    assert page_texts(parted[2]) == page_texts(parted[1])
    pdfa_ours, pdfa_theirs = _pdf_facts(parted[2]), _pdf_facts(book[2])
    assert pdfa_ours["xmp"] == pdfa_theirs["xmp"] and pdfa_ours["catalog"] == pdfa_theirs["catalog"]
    listing = [subprocess.run(["pdfdetach", "-list", str(p)], capture_output=True, text=True, check=True).stdout
               for p in (parted[2], book[2])]
    assert listing[0] == listing[1] and "d003.xml" in listing[0]


def test_the_front_matter_is_a_part_when_the_book_prints_one(prepared, shell, monkeypatch):
    """The front matter (introduction, about, sources) is a part of its own after the front (title page,
    imprint, contents), and none where the book's template prints nothing there (an edition's own book.html
    without the front_matter block): no blank page in its place."""
    docs = [prepared[i] for i in SMALL if i in prepared]
    names = parts.laid_out_names(docs, shell, "book", {})
    assert names[:2] == ["front", "front-matter"] and names[2] == docs[0].anchor
    html = parts._html("book", docs, shell, pdf._index(docs, shell, None), None, "front-matter")
    assert 'id="sources"' in html and 'class="contents"' not in html
    real = parts._html
    monkeypatch.setattr(parts, "_html", lambda kind, docs, shell, index, cited, part=None, *rest: (
        "<html><head></head><body>\n</body></html>" if part == "front-matter" else real(kind, docs, shell, index,
                                                                                          cited, part, *rest)))
    assert parts.laid_out_names(docs, shell, "book", {}) == [n for n in names if n != "front-matter"]
    assert "front-matter" not in parts.laid_out_names(docs, shell, "document", {})


def test_a_first_build_lays_out_each_part_once_but_the_front(parted):
    """With no layout of a previous build to guess from, each part is laid out as if it began on page 1 and
    kept, numbered and written once the pages before it are known (print/parts.py finish_part,
    margins.set_folios): no text nor appendix is laid out twice for a first page guessed wrong; only the
    front, whose contents print the pages of all the others, is laid out again, and written once: its first
    layout, whose contents were printed before any page was known, is let go unwritten. Every part is
    written once."""
    printed = parted[0]
    assert printed.times["front"] == 2
    assert printed.written == {p.name: 1 for p in printed.parts}
    assert {p.name: printed.times[p.name] for p in printed.parts[1:]} == {p.name: 1 for p in printed.parts[1:]}
    opening = [p for p in printed.parts if p.name in printed.page_of]     # (a part's name: its first anchor)
    assert len(opening) >= 4 and all(p.first_page == printed.page_of[p.name] for p in opening)


def test_a_rebuild_from_the_last_layout_is_the_first_build_byte_for_byte(prepared, shell, tmp_path):
    """A part's bytes depend on its HTML and its first page alone, not on whether that page was known when
    it was laid out (a first build numbers each part after its layout; a rebuild, guessing from the last
    build's layout, at once), nor on which worker finished first."""
    docs, known = [prepared["d002"], prepared["d000"]], tmp_path / "layout.json"
    for run in ("first", "again"):
        printed = parts.typeset(docs, shell, jobs=2, attachment_text="TEI", known=known)
        parts.write(printed, tmp_path / f"{run}.pdf", None)
        assert known.is_file() and printed.laid_out == len(printed.parts) + (run == "first")   # (the front twice)
    assert (tmp_path / "first.pdf").read_bytes() == (tmp_path / "again.pdf").read_bytes()


def test_the_join_keeps_every_link_across_parts_and_every_tag(parted):
    """A link from one part to another (the contents and the index to the texts) is an internal link again,
    resolving to the page its anchor landed on; nothing is left pointing at join.CROSS; every page and link
    keeps its entry in the one structure tree (its element holding that very annotation)."""
    import pikepdf
    printed, path, _ = parted
    with pikepdf.open(path) as pdf:
        number = {p.obj.objgen: n for n, p in enumerate(pdf.pages, 1)}
        dests = dict(pikepdf.NameTree(pdf.Root.Names.Dests).items())
        tree = dict(pikepdf.NumberTree(pdf.Root.StructTreeRoot.ParentTree).items())
        crossing = 0
        part_of = {}
        page = 1
        for part, blank in zip(printed.parts, printed.blanks):
            part_of.update({n: part.name for n in range(page, page + part.pages + blank)})
            page += part.pages + blank
        for n, p in enumerate(pdf.pages, 1):
            assert int(p.obj.StructParents) in tree
            for annot in p.obj.get("/Annots", []):
                if "/A" in annot:
                    assert not str(annot.A.URI).startswith(join.CROSS)
                    continue
                target = str(annot.Dest)
                landed = number[dests[target][0].objgen]     # every internal link resolves to a page
                assert landed == printed.page_of[target], target
                crossing += part_of[landed] != part_of[n]
                element = tree[int(annot.StructParent)]
                assert any(isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/OBJR"
                           and k.Obj.objgen == annot.objgen for k in element.K), target   # (a Link or a Span)
    contents_links = {c.id for c in printed.contents}
    assert crossing >= len(contents_links) - 1     # the contents (all but the front's own) and the index


def _short_with_parts(doc: "pdf.PrintDoc", keep: int) -> "pdf.PrintDoc":
    """d001 shortened to a few pages a part: of every element of its text only the first `keep` children
    kept (its parts of depth 1, each opening a page, all kept), the contents and mentions of what is left."""
    import dataclasses

    from lxml import html as lxml_html
    root = lxml_html.fragment_fromstring(doc.text_html)

    def trim(el, top: bool) -> None:
        kids = [k for k in el if isinstance(k.tag, str)]
        for k in kids if top else kids[keep:]:
            if not top:
                el.remove(k)
        for k in kids[:None if top else keep]:
            trim(k, False)

    trim(root, True)
    ids = {el.get("id") for el in root.iter() if isinstance(el.tag, str) and el.get("id")}
    return dataclasses.replace(doc, text_html=fragment.to_html(root), contents=[c for c in doc.contents if c.id in ids],
                               mentions=[m for m in doc.mentions if m.anchor in ids],
                               citations=[c for c in doc.citations if c.anchor in ids], intro_html="")


def test_a_document_in_pieces_keeps_its_pages_running_heads_sides_and_numbers(builds, strings, cfg, shell, monkeypatch,
                                                                              tmp_path):
    """A long document is laid out in pieces cut where a division opens a page (print/parts.py: its parts of
    depth 1, their articles and documents): each piece starts on the page the document in one piece gives
    it, on that page's side (its margins, its running head, its folio) and with its number, the running head
    in force: word for word and place for place the pages of the book in one piece, its outline (an
    article's item under its part's); some piece opens on a verso, some at an article inside a part."""
    d001 = pdf.prepare(builds["d001"], strings, cfg)
    monkeypatch.setattr(parts, "PIECES_ABOVE", 0)
    monkeypatch.setattr(parts, "PIECE_LEAST", 0)
    for keep in (3, 4, 2, 5):
        doc = _short_with_parts(d001, keep)
        one = pdf.typeset("book", [doc], shell)
        pdf.write(one, tmp_path / "one.pdf", None, "TEI")
        pieces = parts.pieces_of(doc)
        assert len(pieces) >= 3 and any(p.inside for p in pieces) and not all(p.inside for p in pieces[1:])
        heads = [re.search(r' id="([^"]+)"', p.html[p.html.index("<section"):]).group(1) for p in pieces[1:]]
        starts = [one.page_of[h] for h in heads]
        if any(n % 2 == 0 for n in starts):
            break
    else:
        pytest.fail("no shortened d001 with a piece opening on a verso")
    printed = parts.typeset([doc], shell, jobs=2, attachment_text="TEI")
    parts.write(printed, tmp_path / "pieces.pdf", None)
    names = [p.name for p in printed.parts]       # (after the front and the front matter)
    assert names[names.index(pieces[0].name):][:len(pieces)] == [p.name for p in pieces]
    assert printed.pages == one.pages and printed.page_of == one.page_of
    words, expected = page_words(tmp_path / "pieces.pdf"), page_words(tmp_path / "one.pdf")
    # the same words at the same places, to a tenth of a point (each part has its own font subsets, whose
    # glyph widths, in thousandths of an em, are rounded from each glyph's first use in the part: over a line
    # of the front matter, laid out apart from the title page, up to 0.08 pt)
    for ours_page, their_page in zip(words, expected):
        assert [w.text for w in ours_page.words] == [w.text for w in their_page.words], ours_page.number
        assert all(abs(a.x0 - b.x0) < 0.1 and abs(a.y0 - b.y0) < 0.1
                   for a, b in zip(ours_page.words, their_page.words)), ours_page.number
    for n in starts:
        page = words[n - 1]
        folio = max(page.words, key=lambda w: w.y0)
        assert folio.text == str(n)                        # the piece's first number, at the outer foot
        if n % 2 == 0:
            assert abs(folio.x0 - 21 * MM) < 1, n
            head = min(page.words, key=lambda w: (w.y0, w.x0))  # a verso's running head: the document
            assert head.text == doc.running.split()[0] and head.x0 < 21 * MM + 1, n
        else:
            assert abs(folio.x1 - (page.width - 21 * MM)) < 1, n
    ours, theirs = _pdf_facts(tmp_path / "pieces.pdf"), _pdf_facts(tmp_path / "one.pdf")
    for key in ("outline", "links", "dests", "struct"):
        assert ours[key] == theirs[key], key


def test_a_long_documents_booklet_in_parts_is_its_booklet_in_one_piece(builds, strings, cfg, shell, monkeypatch,
                                                                        tmp_path):
    """A long document's own PDF is laid out in parts too (print/stage.py run_job: its front, the pieces of its
    text, the encoding, the index, print/parts.py): the same pages, words, outline, links and tags as the
    booklet in one piece (print/book.py typeset "document")."""
    monkeypatch.setattr(parts, "PIECES_ABOVE", 0)
    monkeypatch.setattr(parts, "PIECE_LEAST", 0)
    doc = _short_with_parts(pdf.prepare(builds["d001"], strings, cfg), 3)
    one = pdf.typeset("document", [doc], shell)
    pdf.write(one, tmp_path / "one.pdf", tmp_path / "one.pdfa.pdf", "TEI")
    printed = parts.typeset([doc], shell, jobs=2, attachment_text="TEI", rights=doc.rights, kind="document")
    parts.write(printed, tmp_path / "parts.pdf", tmp_path / "parts.pdfa.pdf")
    assert len(printed.parts) >= 5 and printed.pages == one.pages
    assert [flat(t) for t in page_texts(tmp_path / "parts.pdf")] == [flat(t) for t in page_texts(tmp_path / "one.pdf")]
    ours, theirs = _pdf_facts(tmp_path / "parts.pdf"), _pdf_facts(tmp_path / "one.pdf")
    for key in ("outline", "links", "dests", "struct", "catalog", "xmp"):
        assert ours[key] == theirs[key], key
    assert _pdf_facts(tmp_path / "parts.pdfa.pdf")["xmp"] == _pdf_facts(tmp_path / "one.pdfa.pdf")["xmp"]


def test_a_part_whose_worker_died_is_laid_out_in_the_joining_process(prepared, shell, monkeypatch):
    """A worker that dies while laying out a part (the kernel's OOM killer) does not lose the book: the part is
    laid out in the joining process, with a warning."""
    from concurrent.futures import Future
    from concurrent.futures.process import BrokenProcessPool
    submit = parts._Workers.submit
    died: list[str] = []

    def dying(self, slot, job):
        if not died:
            died.append(job.name)
            future: Future = Future()
            future.set_exception(BrokenProcessPool("killed"))
            return future
        return submit(self, slot, job)

    monkeypatch.setattr(parts._Workers, "submit", dying)
    with pytest.warns(RuntimeWarning, match="died"):
        printed = parts.typeset([prepared["d002"]], shell, jobs=2)
    assert died and all(p.pages for p in printed.parts) and died[0] in [p.name for p in printed.parts]
    printed.workdir.cleanup()
