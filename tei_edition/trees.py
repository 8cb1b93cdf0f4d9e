"""Small edits of lxml trees that more than one stage needs."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from lxml import etree

UNWRAP = "unwrap"       # splice: the element is replaced by its content
AS_IS = "as is"         # splice: the element's tail is joined to the text before it as it stands


def splice(elements: Iterable[etree._Element], action: Callable[[etree._Element], str]) -> None:
    """Remove or unwrap each of `elements`, in one pass over each parent's content. `action(el)` is UNWRAP
    (the element is replaced by its content) or says how its tail joins the text before it: AS_IS (lxml
    keeps the text after an element in its tail, which a plain remove() would lose), " " (a space where
    two words would otherwise touch), "" (a word divided at a line end: the whitespace on both sides
    dropped). The same result as doing so element by element in document order, in time linear in the
    text: element by element, each join copies all the text before it again (a paragraph of a million
    lines never finished)."""
    chosen = {el: action(el) for el in elements}
    parents = dict.fromkeys(el.getparent() for el in chosen)
    for parent in parents:
        if parent is not None and chosen.get(parent) != UNWRAP:   # an unwrapped one is done with its parent
            _rewrite(parent, chosen)


class _Text:
    """The text of parent.text or of a child's tail, as pieces joined once at the end; `touched` when an
    element next to it went (untouched, it stays as it was, None included)."""

    def __init__(self, text: str | None) -> None:
        self.pieces = [text] if text else []       # never an empty piece: the last one ends the text
        self.touched = False


def _rewrite(parent: etree._Element, chosen: dict[etree._Element, str]) -> None:
    head = _Text(parent.text)
    kept: list[tuple[etree._Element, _Text]] = []            # each kept child with its tail
    gone: list[etree._Element] = []                           # removed or unwrapped, outer before inner

    def walk(children: list[etree._Element], current: _Text) -> _Text:
        for child in children:
            action = chosen.get(child)
            if action is None:
                current = _Text(child.tail)
                kept.append((child, current))
                continue
            gone.append(child)
            if action != AS_IS or child.tail:          # (as element by element: "" and None both kept)
                current.touched = True
            if action == UNWRAP:
                if child.text:
                    current.pieces.append(child.text)
                current = walk(list(child), current)
                current.touched = True
                if child.tail:
                    current.pieces.append(child.tail)
            else:
                _join(current.pieces, child.tail or "", action)
        return current

    walk(list(parent), head)
    for el in gone:                                           # the kept content of an unwrapped one moves out
        if chosen[el] == UNWRAP:
            for child in list(el):
                el.addprevious(child)
        el.getparent().remove(el)
    if head.touched:
        parent.text = "".join(head.pieces)
    for child, tail in kept:
        if tail.touched:
            child.tail = "".join(tail.pieces)


def _join(pieces: list[str], tail: str, joiner: str) -> None:
    """Append `tail` to the text in `pieces` as the joiner says."""
    if joiner == AS_IS:
        pass
    elif joiner == "":
        while pieces and not pieces[-1].rstrip():
            pieces.pop()
        if pieces and pieces[-1][-1].isspace():
            pieces[-1] = pieces[-1].rstrip()
        tail = tail.lstrip()
    elif pieces and not pieces[-1][-1].isspace() and tail and not tail[0].isspace():
        pieces.append(" ")
    if tail:
        pieces.append(tail)
