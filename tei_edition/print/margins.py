"""The source's page numbers on the outer edge of every page, after layout.

A page number of the source (data-apparatus="page", xslt/modules/breaks.xsl) is a float in the margin
(print.css: it takes no room from the text). CSS cannot float an element to the outer side, which is
the right on a recto and the left on a verso, known only once the page is laid out; so every such float
is moved here, on the laid-out pages, beside the text on the outer side. The float has no width (its
text runs over), so it neither takes room from the lines beside it nor gives them any; only the float
moves, along its own line, and the line breaks and page breaks stay those of the layout.
"""

from __future__ import annotations

from weasyprint.formatting_structure.boxes import Box

GAP = 4 * 96 / 25.4   # 4 mm in CSS pixels: between the text and the page number


def _source_pages(box):
    """The floated page numbers of the source in a page's box tree (not those inside a note, which run on)."""
    for child in box.descendants():
        if isinstance(child, Box) and child.is_floated() and child.element is not None \
                and child.element.get("data-apparatus") == "page":
            yield child


def _text_width(box) -> float:
    """How far the float's text runs from its left edge (its own width is nil)."""
    ends = [child.position_x + child.margin_width() for child in box.descendants()
            if isinstance(child, Box) and getattr(child, "text", None)]
    return max(ends, default=box.position_x) - box.border_box_x()


def to_outer_edge(document) -> int:
    """Move every source page number to the outer margin of its page (page 1 is a recto); how many moved."""
    moved = 0
    for number, page in enumerate(document.pages, 1):
        page_box = page._page_box
        left = page_box.content_box_x()
        right = left + page_box.width
        for box in _source_pages(page_box):
            target = right + GAP if number % 2 else left - GAP - _text_width(box)
            box.translate(target - box.border_box_x(), 0)
            moved += 1
    return moved
