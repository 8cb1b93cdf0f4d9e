"""print/speedups.py: WeasyPrint's quadratic spots made linear, and pages laid out once, with the same result."""

from __future__ import annotations

import pydyf
from weasyprint import HTML
from weasyprint.layout import block as block_layout, page as page_layout

from tei_edition.print import speedups

CSS = """@page { size: 100mm 80mm; margin: 10mm; }
section { break-before: page; }
a.ref::after { content: "p. " target-counter(attr(href url), page); }"""


def _book() -> str:
    """A contents page pointing forward, three sections, and a page pointing back at each (as the
    chronology and bibliography point at the text)."""
    contents = "".join(f'<p><a class="ref" href="#s{i}">Section {i}</a></p>' for i in range(1, 4))
    sections = "".join(f'<section id="s{i}"><h1>Section {i}</h1>' + "<p>Text.</p>" * (i * 6) + "</section>"
                       for i in range(1, 4))
    back = "".join(f'<p>Back to {i}: <a class="ref" href="#s{i}"></a>.</p>' for i in range(1, 4))
    return f"<html><head><style>{CSS}</style></head><body>{contents}{sections}<section>{back}</section></body></html>"


def test_every_patch_takes():
    assert speedups.apply() == {"page_references": True, "target_index": True, "stream_memo": True,
                                "target_counters_apart": True, "columns_once": True,
                                "html_patterns": True}


def test_page_references_are_the_pages_in_order_and_follow_new_pages():
    speedups.apply()
    pdf = pydyf.PDF()
    for _ in range(3):
        pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
    first = pdf.page_references
    assert first == tuple(f"{n} 0 R".encode() for n in pdf.pages["Kids"][::3]) and pdf.page_references is first
    pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
    assert len(pdf.page_references) == 4


def test_target_counters_forward_and_back_are_right_and_pages_made_once(monkeypatch):
    speedups.apply()
    made: list[int] = []
    make_page = page_layout.make_page

    def counting(context, root_box, page_type, resume_at, page_number, page_state):
        made.append(page_number)
        return make_page(context, root_box, page_type, resume_at, page_number, page_state)

    monkeypatch.setattr(page_layout, "make_page", counting)
    document = HTML(string=_book()).render()
    anchors: dict[str, int] = {}
    for n, page in enumerate(document.pages, 1):
        for name in page.anchors:
            anchors.setdefault(name, n)
    texts = [" ".join(" ".join(box.text for box in page._page_box.descendants() if hasattr(box, "text")).split())
             for page in document.pages]
    for i in (1, 2, 3):
        assert f"Section {i} p. {anchors[f's{i}']}" in texts[0]
        assert f"Back to {i}: p. {anchors[f's{i}']}" in texts[-1]
    assert len({anchors[f"s{i}"] for i in (1, 2, 3)}) == 3
    # the contents page (forward references) is made again once its targets are known; every other page once
    assert sorted(made) == sorted(list(range(1, len(document.pages) + 1)) + [1])


def test_a_stream_is_compressed_once_while_written():
    speedups.apply()
    stream = pydyf.Stream([b"BT /F1 12 Tf (hello) Tj ET"] * 50, compress=True)
    with speedups.compressed_once():
        assert stream.data is stream.data
    assert stream.data == stream.data and stream.data is not stream.data


def test_html_is_parsed_as_tinyhtml5_parses_it(monkeypatch):
    """Each pattern made once: the same tree from text, attributes of every quoting, entities, comments,
    a script and a table (each a tokenizer state that runs until a set of characters)."""
    import xml.etree.ElementTree as ET

    import tinyhtml5
    from tinyhtml5 import inputstream
    speedups.apply()
    html = ("<!DOCTYPE html><html lang=ru><head><title>Т&amp;К</title><script>if (a < b && c) {}</script></head>"
            "<body><p class='x y' data-a=\"1 &gt; 0\" id=p1 hidden>Текст &nbsp;&#1049;&#x3b1; <!-- a -- note -->"
            "<a href=#s1>ρ</a><br/><img alt=\"\" src=x.png></p><table><tr><td>1<td>2</table>"
            "<pre>\n  kept\r\n</pre><textarea>&lt;b&gt;</textarea><![CDATA[x]]></body></html>")

    def parsed() -> str:
        return ET.tostring(tinyhtml5.parse(html), encoding="unicode")
    ours = parsed()
    monkeypatch.setattr(inputstream.HTMLUnicodeInputStream, "chars_until", speedups.original_chars_until)
    assert ours == parsed() and "Текст &nbsp;Йα" in ours.replace("\xa0", "&nbsp;")


COLUMNS_CSS = """@page { size: 110mm 90mm; margin: 10mm; }
.group { columns: 2; column-gap: 5mm; font-size: 8pt; }
.group h2 { column-span: all; }
ul { list-style: none; padding: 0; }
li { break-inside: avoid; padding-left: 4mm; text-indent: -4mm; }
.side { float: right; width: 20mm; height: 12mm; }
.note { float: footnote; }"""


def _index(extra: str = "") -> str:
    """Two groups of entries in two columns over several pages, as the book's index (print.css)."""
    entries = "".join(f"<li>Name {i}, Given {i} ({1850 + i}–{1900 + i}) {', '.join(str(i * k) for k in range(1, i % 7 + 2))}"
                      f"{extra if i % 40 == 5 else ''}</li>" for i in range(1, 200))
    groups = "".join(f'<section class="group"><h2>Group {g}</h2><ul>{entries}</ul></section>' for g in (1, 2))
    return f"<html><head><style>{COLUMNS_CSS}</style></head><body>{groups}</body></html>"


def _laid_out(html: str, monkeypatch, columns=None) -> tuple[list, int]:
    """Every text box's page, text and place, and how many blocks were laid out."""
    calls = [0]
    block_box_layout = block_layout.block_box_layout

    def counting(*args, **kwargs):
        calls[0] += 1
        return block_box_layout(*args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(block_layout, "block_box_layout", counting)
        if columns is not None:
            patch.setattr(block_layout, "columns_layout", columns)
        document = HTML(string=html).render()
    boxes = [(n, box.text, round(box.position_x, 9), round(box.position_y, 9), round(box.width, 9))
             for n, page in enumerate(document.pages) for box in page._page_box.descendants() if hasattr(box, "text")]
    return boxes, calls[0]


def test_columns_that_overflow_a_page_are_laid_out_once_and_the_same(monkeypatch):
    """The first run's columns kept where WeasyPrint would lay them out again: the same text in the same places
    (to a billionth of a point: moving a column across adds its offset in another order), fewer blocks laid
    out; where a column holds a float or a footnote, laid out again as WeasyPrint does, the same too."""
    speedups.apply()
    for extra, fewer in (("", True), ('<span class="side"></span>', None), ('<span class="note">A note.</span>', None)):
        html = _index(extra)
        ours, ours_calls = _laid_out(html, monkeypatch)
        theirs, their_calls = _laid_out(html, monkeypatch, speedups.original_columns_layout)
        assert len({n for n, *_ in ours}) >= 4 and ours == theirs
        if fewer:
            assert ours_calls < 0.8 * their_calls


def test_the_collector_runs_less_often_only_while_weasyprint_works():
    """print/layout.py collector_spaced: the youngest generation's threshold raised inside (never lowered),
    the thresholds as they were afterwards, also after an error and after a layout."""
    import gc

    import pytest

    from tei_edition.print import layout
    before = gc.get_threshold()
    with layout.collector_spaced():
        assert gc.get_threshold() == (max(before[0], layout.YOUNG), *before[1:])
    assert gc.get_threshold() == before
    with pytest.raises(ValueError), layout.collector_spaced():
        raise ValueError("a layout that failed")
    assert gc.get_threshold() == before
    gc.set_threshold(50_000, before[1], before[2])
    try:
        with layout.collector_spaced():
            assert gc.get_threshold()[0] == 50_000
    finally:
        gc.set_threshold(*before)
    assert len(layout.lay_out("<p>Text.</p>", None).pages) == 1 and gc.get_threshold() == before
