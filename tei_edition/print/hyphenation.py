"""At most two hyphenated lines in a row (the book typographer's "ladder" rule), which WeasyPrint lacks.

CSS names the rule `hyphenate-limit-lines`; WeasyPrint 70 does not implement it, and hyphenates every
line that gains by it (eight hyphenated lines in a row in a justified Russian paragraph). Here the
generator that lays out a paragraph's lines (`layout.inline.iter_line_boxes`) counts the lines of the
paragraph that end with a hyphen, and while LIMIT of them stand in a row, the next line is laid out
without automatic hyphenation (`split_first_line` sees `hyphens: manual` for that line only). Soft
hyphens in the text still apply. Wrapped once per process, as print/footnote_fix.py does; if a
WeasyPrint version lacks either function, nothing is wrapped and the test (test_pdf.py) says so.
"""

from __future__ import annotations

from weasyprint.formatting_structure.boxes import TextBox
from weasyprint.layout import block, inline

LIMIT = 2                     # hyphenated lines in a row at most
HYPHENS = ("\u2010", "-", "\u00ad")   # what a hyphenated line ends with (WeasyPrint's hyphenate-character is U+2010)

_suppress = False             # the line being laid out now may not be hyphenated automatically
_done = False


def ends_hyphenated(line) -> bool:
    """Whether a laid-out line ends with a hyphen (automatic or printed)."""
    last = None
    for box in line.descendants():
        if isinstance(box, TextBox) and box.text.strip():
            last = box
    return last is not None and last.text.rstrip(" ").endswith(HYPHENS)


def apply() -> bool:
    """Wrap once per process; True when both functions were found."""
    global _done
    if _done:
        return True
    lines_of = getattr(inline, "iter_line_boxes", None)
    split = getattr(inline, "split_first_line", None)
    if lines_of is None or split is None or getattr(block, "iter_line_boxes", None) is not lines_of:
        return False

    def limited_lines(*args, **kwargs):
        global _suppress
        lines = lines_of(*args, **kwargs)
        run = 0
        while True:
            outer, _suppress = _suppress, run >= LIMIT
            try:
                item = next(lines)
            except StopIteration:
                return
            finally:
                _suppress = outer
            run = run + 1 if ends_hyphenated(item[0]) else 0
            yield item

    def split_without_auto(text, style, *args, **kwargs):
        if _suppress and style["hyphens"] == "auto":
            style = style.copy()
            style["hyphens"] = "manual"
        return split(text, style, *args, **kwargs)

    inline.iter_line_boxes = block.iter_line_boxes = limited_lines
    inline.split_first_line = split_without_auto
    _done = True
    return True
