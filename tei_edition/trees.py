"""Small edits of lxml trees that more than one stage needs."""

from __future__ import annotations

from lxml import etree


def remove_keeping_tail(el: etree._Element) -> None:
    """Remove an element but not the text that follows it (lxml keeps that text in the element's tail)."""
    parent, prev = el.getparent(), el.getprevious()
    if parent is None:
        return
    if el.tail:
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)
