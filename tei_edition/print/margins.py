"""The source's page numbers on the outer edge of every page, after layout; and the folios of pages laid out
before their numbers were known (`set_folios`: print/parts.py lays a part of the book out as if it began on
page 1).

A page number of the source (data-apparatus="page", xslt/modules/breaks.xsl) is a float in the margin
(print.css: it takes no room from the text). CSS cannot float an element to the outer side, which is
the right on a recto and the left on a verso, known only once the page is laid out; so every such float
is moved here, on the laid-out pages, beside the text on the outer side. The float has no width (its
text runs over), so it neither takes room from the lines beside it nor gives them any; only the float
moves, along its own line, and the line breaks and page breaks stay those of the layout.
"""

from __future__ import annotations

import copy
import re

from lxml import etree

from ..diagnostics import EditionError

GAP = 4 * 96 / 25.4   # 4 mm in CSS pixels: between the text and the page number


def _source_pages(box):
    """The floated page numbers of the source in a page's box tree (not those inside a note, which run on)."""
    from weasyprint.formatting_structure.boxes import Box   # (here: the book's joining process never loads it)
    for child in box.descendants():
        if isinstance(child, Box) and child.is_floated() and child.element is not None \
                and child.element.get("data-apparatus") == "page":
            yield child


def _text_width(box) -> float:
    """How far the float's text runs from its left edge (its own width is nil)."""
    from weasyprint.formatting_structure.boxes import Box
    ends = [child.position_x + child.margin_width() for child in box.descendants()
            if isinstance(child, Box) and getattr(child, "text", None)]
    return max(ends, default=box.position_x) - box.border_box_x()


def to_outer_edge(document, first: int = 1) -> int:
    """Move every source page number to the outer margin of its page, the first numbered `first` (an odd
    page is a recto); how many moved."""
    moved = 0
    for number, page in enumerate(document.pages, first):
        page_box = page._page_box
        left = page_box.content_box_x()
        right = left + page_box.width
        below = None                      # the bottom of the page number set last on this page
        for box in sorted(_source_pages(page_box), key=lambda b: b.position_y):
            target = right + GAP if number % 2 else left - GAP - _text_width(box)
            # two pages of the source turning on one line (an empty page, «12» «13»): WeasyPrint sets floats of
            # no width at the same height whatever their `clear`, and the numbers overprinted; they stack
            down = max(0.0, below - box.position_y) if below is not None else 0.0
            box.translate(target - box.border_box_x(), down)
            below = box.position_y + box.margin_height()
            moved += 1
    return moved


def set_folios(document, offset: int) -> None:
    """Number the pages `offset` more than they were laid out with: each page's margin boxes (its folio, its
    running head) made again as WeasyPrint made them after the pages, from the page's state with its page
    counter moved (lay_out with keep_context: the document's layout context). Nothing else of a page's
    layout depends on its number (print/parts.py: a part is laid out before the pages before it are known).
    An odd offset turns every page to its other side first (`_turn`)."""
    from weasyprint.document import Page
    from weasyprint.formatting_structure.boxes import MarginBox
    from weasyprint.layout.background import layout_backgrounds
    from weasyprint.layout.page import make_margin_boxes
    if not offset:
        return
    context = document.layout_context
    for number, page in enumerate(document.pages, 1):
        box = page._page_box
        if offset % 2:
            box = _turn(box, document)
        context.current_page = number            # (as WeasyPrint's layout_document sets it)
        state = copy.deepcopy(context.page_maker[number][3])
        state[1]["page"] = [value + offset for value in state[1]["page"]]
        made = list(make_margin_boxes(context, box, state))
        box.children = tuple([child for child in box.children if not isinstance(child, MarginBox)] + made)
        layout_backgrounds(box, context.get_image_from_uri)
        if box is not page._page_box:
            document.pages[number - 1] = Page(box)     # (its links' and anchors' places, moved)


def _turn(box, document):
    """A laid-out page box on its other side: a verso's margins mirror a recto's (print.css), so the
    content is the same width and only moves across; the page box made as WeasyPrint makes it, from the
    other side's @page rules, the content moved to its content box."""
    from weasyprint.formatting_structure.boxes import MarginBox, PageBox
    from weasyprint.layout.page import page_height, page_width, set_page_type_computed_styles
    from weasyprint.layout.percent import resolve_percentages
    context = document.layout_context
    side = box.page_type._replace(side="left" if box.page_type.side == "right" else "right")
    set_page_type_computed_styles(side, document._html, context.style_for)
    style = context.style_for(side)
    style["overflow"] = box.style["overflow"]
    turned = PageBox(side, style)
    size = turned.style["size"]
    resolve_percentages(turned, size)
    turned.position_x = turned.position_y = 0
    page_width(turned, context, size[0])
    page_height(turned, context, size[1])
    if abs(turned.width - box.width) > 0.01 or abs(turned.content_box_y() - box.content_box_y()) > 0.01:
        raise EditionError("templates/print/print.css: a verso's text area is not a recto's mirrored (@page :left"
                           " and :right), so a part of the book laid out for one side cannot be turned",
                           hint="give @page :left and :right margins that mirror each other (the inner and the "
                                "outer margin swapped)")
    across = turned.content_box_x() - box.content_box_x()
    kept = [child for child in box.children if not isinstance(child, MarginBox)]
    for child in kept:
        child.translate(across, 0)
    turned.children = tuple(kept)
    turned.fixed_boxes = box.fixed_boxes
    return turned


def pages_before_words(text: etree._Element) -> int:
    """A source page number that stands inside a word (<pb break="no"/>: «ge|worden») moved before the word,
    before layout; how many moved. WeasyPrint 70 drops the text before such a float when the word opens a
    line (seen: «reif ge|worden» printed «reif worden», the page number lost too); before the word, the
    float stands where floats between words stand, and the word is whole."""
    moved = 0
    for mark in text.iterfind(".//*[@data-apparatus='page']"):
        if mark.xpath("ancestor::*[@data-apparatus='note']") or not re.match(r"\w", mark.tail or ""):
            continue            # in a note a page number runs on inline; or it stands between words
        before = mark.getprevious()
        head = (before.tail if before is not None else mark.getparent().text) or ""
        piece = re.search(r"\w+$", head)
        if piece is None:
            continue
        if before is not None:
            before.tail = head[:piece.start()]
        else:
            mark.getparent().text = head[:piece.start()]
        mark.tail = piece.group() + (mark.tail or "")
        moved += 1
    return moved


BLOCKS = {"p", "div", "section", "blockquote", "ul", "ol", "li", "table", "h1", "h2", "h3", "h4", "h5", "h6",
          "dl", "figure", "header"}


def pages_into_paragraphs(text: etree._Element) -> int:
    """A source page number standing between two blocks (a <pb/> between a heading and its first paragraph,
    or between two paragraphs), or first in a paragraph, moved after the paragraph's first word, before layout;
    how many moved. A float before any text of its block is set by WeasyPrint (70) as a block of its own, and
    the page may break after it: a heading's `break-after: avoid` then held only against the float, and the
    heading stood alone at a page foot (the book's p. 196, «Позиция Ленина…»; also the paragraph's orphans were
    not counted). After the first word the float is part of the first line, beside which it stands, where the
    new page of the source begins; and `h + p` rules (the first paragraph not indented) match again."""
    moved = 0
    for mark in list(text.iterfind(".//*[@data-apparatus='page']")):
        if mark.xpath("ancestor::*[@data-apparatus='note']"):
            continue                        # in a note a page number runs on inline
        parent = mark.getparent()
        if parent is not None and parent.tag != "p" and parent.tag in BLOCKS and not (mark.tail or "").strip():
            after = mark.getnext()
            while after is not None and after.get("data-view") == "diplomatic":
                after = after.getnext()     # hidden marks of the diplomatic reading
            if after is None or after.tag != "p" or after.get("data-apparatus"):
                continue
            _cut(mark)
            mark.tail = after.text
            after.text = None
            after.insert(0, mark)
        elif parent is None or parent.tag != "p" or not _first_in(mark, parent):
            continue
        moved += _after_first_word(mark)
    return moved


def _cut(el: etree._Element) -> None:
    """Take `el` out of its parent, its tail kept in place."""
    before, parent = el.getprevious(), el.getparent()
    if before is not None:
        before.tail = (before.tail or "") + (el.tail or "")
    else:
        parent.text = (parent.text or "") + (el.tail or "")
    parent.remove(el)
    el.tail = None


def _first_in(mark: etree._Element, p: etree._Element) -> bool:
    """Nothing of the edited reading before `mark` in its paragraph (only spaces and hidden diplomatic marks)."""
    if (p.text or "").strip():
        return False
    for el in p:
        if el is mark:
            return True
        if el.get("data-view") != "diplomatic" or (el.tail or "").strip():
            return False
    return False


def _after_first_word(mark: etree._Element) -> int:
    """Move `mark` after the first word that follows it and the space after that word (past names, hidden
    diplomatic marks): between two words, where floats stand safely (pages_before_words); 1 if moved."""
    def before_mark(piece: str) -> None:
        before = mark.getprevious()
        if before is not None:
            before.tail = (before.tail or "") + piece
        else:
            mark.getparent().text = (mark.getparent().text or "") + piece

    hopped = False
    for _ in range(12):
        tail = mark.tail or ""
        gap = re.match(r"\S*\s+" if hopped else r"\s*\S+\s+", tail)   # (after an element: the word's end)
        if gap is not None:
            before_mark(gap.group())
            mark.tail = tail[gap.end():]
            return 1
        after = mark.getnext()
        if after is None:               # the paragraph's last word: after it
            before_mark(tail)
            mark.tail = None
            return 1
        before_mark(tail)               # a word running into the next element (a name, a hidden line break):
        mark.tail = after.tail          # the mark goes after that element
        after.tail = None
        after.addnext(mark)
        hopped = True
    return 0
