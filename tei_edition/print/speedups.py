"""Where WeasyPrint 70 (its PDF writer pydyf 0.13, its HTML parser tinyhtml5 2.1) spend time quadratic in the
book's size, lay out pages twice or repeat work, made linear or once here without changing what they compute
(measured on the edition's 595-page book: benchmarks/build_pdf.py, docs/internals.md).

- `pydyf.PDF.page_references` is a property that builds a tuple of every page's reference each time it is
  read; tagging the PDF reads it once per tagged element (96,000 times for the book: 57 million strings, about
  a tenth of the book's time). Here the tuple is kept while the page list is unchanged.
- `TargetCollector.cache_target_page_counters` walks every counter lookup of the document (each
  target-counter: the contents, the chronology's and the bibliography's page references) for every anchor
  whose page becomes known; the lookups are fixed once the boxes are built, so an index of them by the anchor
  they wait for, in their own order, gives the same lookups in the same order. And a reference to a page
  before it ("p. 49" in the chronology) that is not laid out yet is marked pending there, laid out with no
  number, found pending and laid out again with its number (with every page after it whose start moved):
  here its text is made at once, so its page is laid out once (not for content that also wants a counter of
  its own page, counter(page): that waits for its page as before).
- pydyf's `Stream.data` compresses a stream (zlib level 9) every time it is read, and `PDF.write` reads every
  object twice (once for the file identifier, once to write it); the book is written twice (its PDF/A-3a and
  PDF/UA-1 twins, print/book.py write): every page compressed four times. While the twins are written
  (`compressed_once`), a stream's bytes are kept after the first reading (between the two writes nothing
  changes a stream: the attachments' objects are replaced, the new metadata is a new stream).

- WeasyPrint's `compute_content_list` files what a target-counter waits for under no anchor (it names the
  anchor from `attr(href url)` unread: None) and under the box's own missing counters too (one variable for
  two lists), so the lookup is never found by its anchor and every page holding a "p. 49" is taken to show
  a counter of its own page: it is laid out three times (found pending, then again when the total of pages
  joins the page counters after the first round) and the contents' numbers come right only by that. The
  function is recompiled from its own source with the anchor read as `lookup_target` reads it and the two
  lists apart, as print/footnote_fix.py does: each reference is found by its anchor, a page is laid out
  again only when a reference on it was laid out before its target (the contents).

- WeasyPrint's `columns_layout` lays out a page's columns at their full height first, to see whether the
  content fits, and when it does not (every page of a multi-column index but the last of each group), lays
  the same columns out again, from the same place with the same space, to keep them: the index's 21 pages
  were laid out about twice. Here the first run's columns are kept when that second run would get exactly
  what the first was given (the page empty before them, the same space below, nothing on the page that
  floats, no footnote, no positioned box: nothing the first run registered and took back), each moved
  across to its column's place; otherwise WeasyPrint lays them out again as before.

- tinyhtml5 (WeasyPrint's HTML parser) keeps the pattern it makes for each set of characters a token runs
  until, but files it under the pattern instead of the characters (`characters = cache[key] = pattern`
  assigns left to right), so every call makes it again: more than half of parsing (d003's booklet, 489,000
  characters of HTML: 0.43 → 0.15–0.24 s CPU; 8 of d001's reading pages, 1.36 MB: 1.1 → 0.44 s). Here each
  set's pattern is made once and given to the same function, which finds it under that key.

Patched once per process, as print/footnote_fix.py and print/hyphenation.py do; if a version lacks what is
patched, nothing is (the tests say whether each patch took, test_pdf.py).
"""

from __future__ import annotations

import contextlib
import copy
import re
from collections.abc import Iterator

import pydyf
from weasyprint.css import targets
from weasyprint.formatting_structure import build
from weasyprint.layout import block as block_layout, column as column_layout, page as page_layout
from weasyprint.layout.absolute import AbsolutePlaceholder
from weasyprint.urls import get_url_tuple

from .recompile import recompiled

_done: dict[str, bool] = {}
_made: list | None = None   # the references given their text while the current page is made


def _page_references() -> bool:
    original = getattr(pydyf.PDF, "page_references", None)
    if not isinstance(original, property) or original.fget is None:
        return False
    compute = original.fget

    def page_references(self):
        kids = self.pages["Kids"]
        cached = self.__dict__.get("_page_references_cache")
        if cached is None or cached[0] is not kids or cached[1] != len(kids):
            cached = (kids, len(kids), compute(self))
            self.__dict__["_page_references_cache"] = cached
        return cached[2]

    pydyf.PDF.page_references = property(page_references)
    return True


def _target_index() -> bool:
    collector = targets.TargetCollector
    original = getattr(collector, "cache_target_page_counters", None)
    if original is None or "counter_lookup_items" not in original.__code__.co_names:
        return False

    def waiting_for(self, anchor_name: str) -> list:
        """(box, lookup) for the content lookups missing a target counter of this anchor, in the document's order."""
        index = self.__dict__.get("_waiting_index")
        if index is None or index[0] != len(self.counter_lookup_items):
            by_anchor: dict[str, list] = {}
            for (box, css_token), item in self.counter_lookup_items.items():
                if css_token == "content":
                    for name in item.missing_target_counters:
                        by_anchor.setdefault(name, []).append((box, item))
            index = (len(self.counter_lookup_items), by_anchor)
            self.__dict__["_waiting_index"] = index
        return index[1].get(anchor_name, [])

    def cache_target_page_counters(self, anchor_name, page_counter_values, page_maker_index, page_maker):
        # WeasyPrint 70's function, with the walk over every lookup replaced by the anchor's own
        if self.collecting:
            return
        target = self.target_lookup_items.get(anchor_name)
        if not (target and target.state == "up-to-date"):
            return
        target.page_maker_index = page_maker_index
        if target.cached_page_counter_values == page_counter_values:
            return
        target.cached_page_counter_values = copy.deepcopy(page_counter_values)
        for box, item in waiting_for(self, anchor_name):
            missing_counters = item.missing_target_counters.get(anchor_name)
            if missing_counters is None:
                continue
            if item.page_maker_index is None and not item.missing_counters and _made is not None:
                # not laid out yet, and its content wants no counter of its own page: its text is known now,
                # so its page is laid out once, with it (WeasyPrint would lay it out, then again with it)
                item.parse_again(None)
                _made.append(box)
                continue
            if item.page_maker_index is None or item.page_maker_index >= len(page_maker):
                item.pending = True
                continue
            for counter_name in missing_counters:
                if page_counter_values.get(counter_name) is not None:
                    page_maker[item.page_maker_index][-1]["content_changed"] = True
                    item.parse_again(item.cached_page_counter_values)
                    break

    make_page = page_layout.make_page

    def make_page_once(context, root_box, page_type, resume_at, page_number, page_state):
        """WeasyPrint's make_page; a reference given its text while this page was made (its target is on it)
        but standing on this very page too was laid out without it: the page is made again, as WeasyPrint
        would (the references on later pages have their text before they are laid out)."""
        global _made
        outer, _made = _made, []
        try:
            page, resume_at, next_page = make_page(context, root_box, page_type, resume_at, page_number, page_state)
            if _made:
                given = {id(box) for box in _made}
                if any(id(child.missing_link) in given for child in page.descendants(placeholders=True)
                       if getattr(child, "missing_link", None) is not None):
                    context.page_maker[page_number - 1][-1]["content_changed"] = True
        finally:
            _made = outer
        return page, resume_at, next_page

    page_layout.make_page = make_page_once
    collector.cache_target_page_counters = cache_target_page_counters
    return True



TARGET_LIST = """                missing_counters = missing_target_counters.setdefault(
                    anchor_name, [])
                if counter_name not in missing_counters:
                    missing_counters.append(counter_name)"""


ANCHOR_NAME = "anchor_name = targets.anchor_name_from_token(anchor_token)"


def _target_counters_apart() -> bool:
    return recompiled(build, "compute_content_list", {
        TARGET_LIST: TARGET_LIST.replace("missing_counters", "target_missing"),
        ANCHOR_NAME: "anchor_name = _tei_edition_anchor_name(anchor_token, parent_box)"},
        extra={"_tei_edition_anchor_name": _anchor_name})


def _anchor_name(anchor_token, box) -> str | None:
    """The anchor a target-counter points to, its attr() read from the box's element as lookup_target reads it."""
    if anchor_token[0] == "attr()":
        attr_name, kind, fallback = anchor_token[1]
        value = box.element.get(attr_name, fallback)
        anchor_token = ("string", value) if kind == "string" else ("url", get_url_tuple(value, box.style.base_url))
    return targets.anchor_name_from_token(anchor_token)


original_columns_layout = None   # (WeasyPrint's, for the tests to compare against)

COLUMNS_TRY = """        original_page_is_empty = page_is_empty
"""
COLUMNS_TRIED = """                new_boxes.append(new_box)
"""
COLUMNS_OVERFLOW = """                    # let the columns continue on the next page
                    stop_rendering = True
"""
COLUMNS_FINAL = """            new_child, column_skip_stack, column_next_page, _, _, _ = (
                block_box_layout("""


def _columns_once() -> bool:
    """The first run's columns kept (see the module's docstring): five places of `columns_layout` changed."""
    global original_columns_layout
    original_columns_layout = column_layout.columns_layout
    done = recompiled(column_layout, "columns_layout", {
        COLUMNS_TRY: COLUMNS_TRY + "        _kept, _kept_bottom = None, None\n",
        COLUMNS_TRIED: COLUMNS_TRIED + "                _tried.append((new_box, resume_at, next_page))\n",
        "            new_boxes = []\n": "            new_boxes = []\n            _tried = []\n",
        COLUMNS_OVERFLOW: COLUMNS_OVERFLOW + (
            "                    if _tei_edition_reusable(context, _tried, count, original_page_is_empty):\n"
            "                        _kept = _tried\n"
            "                        _kept_bottom = context.page_bottom - current_position_y - height\n"),
        COLUMNS_FINAL: (
            "            if _kept is not None and i < len(_kept) and bottom_space == _kept_bottom:\n"
            "                new_child, column_skip_stack, column_next_page = _kept[i]\n"
            "                new_child.translate(column_box.position_x - new_child.position_x, 0)\n"
            "            else:\n"
            "              " + COLUMNS_FINAL.replace("\n", "\n  ")),
    }, extra={"_tei_edition_reusable": _reusable})
    if done:
        block_layout.columns_layout = column_layout.columns_layout   # (block.py imported it by name)
    return done


def _reusable(context, tried: list, count: int, page_was_empty: bool) -> bool:
    """Whether the columns of a first run that overflowed are what the second would lay out: all `count` laid
    out, from an empty page (the second run's `page_is_empty`, the first's always), nothing floating on the
    page (its position would matter), and nothing in them that the first run registered and then took back
    (footnotes, floats, positioned or running boxes)."""
    if not page_was_empty or len(tried) != count or context.excluded_shapes:
        return False
    for new_box, _, _ in tried:
        for box in new_box.descendants(placeholders=True):
            if (isinstance(box, AbsolutePlaceholder) or not box.is_in_normal_flow() or box.footnote
                    or getattr(box, "note", None) is not None):
                return False
    return True


_streams: dict[int, tuple[pydyf.Stream, bytes]] | None = None


def _stream_memo() -> bool:
    original = getattr(pydyf.Stream, "data", None)
    if not isinstance(original, property) or original.fget is None:
        return False
    compute = original.fget

    def data(self) -> bytes:
        if _streams is None:
            return compute(self)
        kept = _streams.get(id(self))
        if kept is None or kept[0] is not self:
            kept = (self, compute(self))
            _streams[id(self)] = kept
        return kept[1]

    pydyf.Stream.data = property(data)
    return True


@contextlib.contextmanager
def compressed_once() -> Iterator[None]:
    """While PDF files are written from one pydyf PDF: each stream compressed once (nothing may change a
    stream meanwhile; a new stream is compressed when first read)."""
    global _streams
    outer, _streams = _streams, {}
    try:
        yield
    finally:
        _streams = outer


original_chars_until = None   # (tinyhtml5's, for the tests to compare against)


def _html_patterns() -> bool:
    global original_chars_until
    try:
        from tinyhtml5 import inputstream
    except ImportError:
        return False
    cache = getattr(inputstream, "characters_until_regex", None)
    chars_until = original_chars_until = getattr(inputstream.HTMLUnicodeInputStream, "chars_until", None)
    if not isinstance(cache, dict) or chars_until is None:
        return False
    patterns: dict[tuple[object, bool], re.Pattern[str]] = {}

    def until(self, characters, opposite=False):
        pattern = patterns.get((characters, opposite))
        if pattern is None:                       # as tinyhtml5 makes it
            listed = "".join(f"\\x{ord(character):02x}" for character in characters)
            pattern = re.compile(f"[{listed}]+" if opposite else f"[^{listed}]+")
            patterns[(characters, opposite)] = cache[(pattern, opposite)] = pattern
        return chars_until(self, pattern, opposite)

    inputstream.HTMLUnicodeInputStream.chars_until = until
    return True


def apply() -> dict[str, bool]:
    """Patch once per process; which patches took."""
    if not _done:
        _done.update(page_references=_page_references(), target_index=_target_index(), stream_memo=_stream_memo(),
                     target_counters_apart=_target_counters_apart(), columns_once=_columns_once(),
                     html_patterns=_html_patterns())
    return dict(_done)
