"""The edited reading of a TEI element as one line of text: the one reader of TEI text in the toolkit
(titles and authors of a header, register names, headings for the exports, the words around a mention).

What the reader of the edited text sees: notes, page residue (fw), page and column breaks, graphics and
the source's side of a <choice> (sic, orig, abbr) are left out, the editors' side (corr, reg, expan) and
supplied text and a figure's caption are read; a line break is a space, except lb[@break="no"] inside a word, where the layout
whitespace around it is dropped; whitespace is normalised. The HTML fragment has its own reader of the
same reading (html/fragment.py), which follows the view vocabulary of the XSLT's output.
"""

from __future__ import annotations

from collections.abc import Iterable

from lxml import etree

from . import TEI_NS

T = "{%s}" % TEI_NS
LEFT_OUT = frozenset(T + n for n in ("note", "fw", "pb", "cb", "milestone", "graphic", "teiHeader"))
SOURCE_SIDE = frozenset(T + n for n in ("sic", "orig", "abbr"))
# blocks: read with a word space either side (a division's heading and paragraphs are not one word)
BLOCKS = frozenset(T + n for n in ("div", "head", "p", "ab", "figure", "figDesc", "list", "item", "lg", "l",
                                   "table", "row", "cell", "byline", "dateline", "trailer", "opener", "closer",
                                   "salute", "signed", "epigraph", "argument"))
JOIN = "\u2060"     # stands for a line end inside a word until the text is assembled (never in the sources)


def reading(el: etree._Element | None, *, leave_out: Iterable[str] = LEFT_OUT, mark: etree._Element | None = None,
            marker: str = "") -> str:
    """The edited reading of `el` (its own tag is read even when it would be left out inside another).
    With `mark`, `marker` is written just after that descendant (to find it in the text)."""
    if el is None:
        return ""
    if mark is None:
        return _assemble(_parts(el, frozenset(leave_out), None))
    return MarkedReading(el, leave_out=leave_out).with_mark(mark, marker)


class MarkedReading:
    """The reading of one element with a marker after any one of its descendants, the element walked
    once: a paragraph that mentions twenty names is read once, not twenty times (the words around each
    mention, mentions.py). `with_mark(d, m)` is `reading(el, mark=d, marker=m)`."""

    def __init__(self, el: etree._Element, *, leave_out: Iterable[str] = LEFT_OUT) -> None:
        self.at: dict[etree._Element, int] = {}
        self.parts = _parts(el, frozenset(leave_out), self.at)

    def with_mark(self, mark: etree._Element, marker: str) -> str:
        i = self.at.get(mark)
        return _assemble(self.parts if i is None else [*self.parts[:i], marker, *self.parts[i:]])


def _parts(el: etree._Element, skip: frozenset[str], at: dict[etree._Element, int] | None) -> list[str]:
    """The pieces of el's reading in order; with `at`, where each descendant read ends (the index in the
    pieces after it, before its tail)."""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            if isinstance(child.tag, str) and not _left_out(child, skip):
                if child.tag == T + "lb":
                    parts.append(JOIN if child.get("break") == "no" else " ")
                elif child.tag in BLOCKS:
                    parts.append(" ")
                    walk(child)
                    parts.append(" ")
                else:
                    walk(child)
            if at is not None:
                at[child] = len(parts)
            if child.tail:
                parts.append(child.tail)

    walk(el)
    return parts


def _assemble(parts: list[str]) -> str:
    text = " ".join("".join(parts).split())
    if JOIN in text:
        text = text.replace(" " + JOIN, JOIN).replace(JOIN + " ", JOIN).replace(JOIN, "")
    return text


def _left_out(el: etree._Element, skip: frozenset[str]) -> bool:
    if el.tag in skip:
        return True
    parent = el.getparent()
    return el.tag in SOURCE_SIDE and parent is not None and parent.tag == T + "choice"
