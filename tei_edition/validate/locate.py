"""Columns for diagnostics: lxml knows an element's line, not its column, so find its tag in the line."""

from __future__ import annotations

import re

from lxml import etree


class Locator:
    """Maps elements to (line, column) of their start tag, and attributes to their column."""

    def __init__(self, tree: etree._ElementTree, text: str):
        self.tree = tree
        self.lines = text.split("\n")
        self._cols: dict[etree._Element, int] | None = None

    def _index(self) -> dict[etree._Element, int]:
        """Document order = textual order of start tags, so the k-th <tag on a line is the k-th element.
        Each line is searched once per element name on it (a paragraph on one line may hold a million)."""
        cols: dict[etree._Element, int] = {}
        seen: dict[tuple[int, str], int] = {}
        hits: dict[tuple[int, str], list[int]] = {}
        for el in self.tree.iter():
            if not isinstance(el.tag, str) or not el.sourceline:
                continue
            name = etree.QName(el).localname
            key = (el.sourceline, name)
            k = seen.get(key, 0)
            seen[key] = k + 1
            if key not in hits:
                line = self.lines[el.sourceline - 1] if el.sourceline <= len(self.lines) else ""
                hits[key] = [m.start() for m in re.finditer(r"<(?:[\w.-]+:)?%s(?=[\s/>])" % re.escape(name), line)]
            found = hits[key]
            cols[el] = found[k] + 1 if k < len(found) else 1
        return cols

    def element(self, el: etree._Element) -> tuple[int, int]:
        if self._cols is None:
            self._cols = self._index()
        return el.sourceline or 1, self._cols.get(el, 1)

    def attribute(self, el: etree._Element, name: str) -> tuple[int, int]:
        """Position of `name=` in the start tag (falls back to the tag)."""
        line, col = self.element(el)
        text = self.lines[line - 1] if line <= len(self.lines) else ""
        m = re.compile(r"[\s]%s\s*=" % re.escape(name)).search(text, col - 1)
        end = text.find(">", col - 1)
        if m and (end < 0 or m.start() < end):
            return line, m.start() + 2
        return line, col
