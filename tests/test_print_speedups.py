"""print/speedups.py: WeasyPrint's quadratic spots made linear, and pages laid out once, with the same result."""

from __future__ import annotations

import pydyf
from weasyprint import HTML
from weasyprint.layout import page as page_layout

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
                                "target_counters_apart": True}


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
