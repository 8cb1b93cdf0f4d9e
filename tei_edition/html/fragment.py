"""Reading the XSLT's fragment: its parts, and its text in a reading, by the view vocabulary.

The fragment (xslt/edition.xsl) is one <article class="edition"> with three parts: the source description
(<header class="edition-source">), the editorial principles (<section class="edition-principles">) and
the text (<div class="edition-text">). What belongs to one reading only is marked data-view="diplomatic"
or data-view="edited"; the editors' apparatus standing in the text (note calls and bodies, their labels,
the source's page numbers) is marked data-apparatus (xslt/modules/emit.xsl lists the values). Every
Python reader of the fragment goes through this module, so they all read the same text: the site's
tables of contents and page titles, the plain text, the print edition's contents, index and checks.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

VIEW = "data-view"
APPARATUS = "data-apparatus"
EDITED, DIPLOMATIC = "edited", "diplomatic"


def parse(fragment: str) -> etree._Element:
    """The fragment as an element tree (it is our own well-formed output)."""
    return etree.fromstring(fragment.encode("utf-8"), etree.XMLParser(resolve_entities=False, no_network=True,
                                                                        huge_tree=True))


def to_html(el: etree._Element) -> str:
    """HTML serialisation (<br>, <span></span>), as the page shells need it."""
    return etree.tostring(el, method="html", encoding="unicode")


def inner_html(el: etree._Element) -> str:
    """The content of an element, without the element itself."""
    html = to_html(el)
    return html[html.index(">") + 1: html.rindex("<")]


def classes(el: etree._Element) -> set[str]:
    return set((el.get("class") or "").split())


def in_reading(el: etree._Element, view: str = EDITED) -> bool:
    """Whether the element itself belongs to the reading `view` (its ancestors are not asked)."""
    own = el.get(VIEW)
    return own is None or own == view


def shown(el: etree._Element, view: str = EDITED) -> bool:
    """Whether the element and all its ancestors belong to the reading `view`."""
    return in_reading(el, view) and all(in_reading(a, view) for a in el.iterancestors())


def reading(el: etree._Element | None, view: str = EDITED) -> str:
    """The text of an element in a reading, as one line: what belongs to the other reading and the
    apparatus standing in the text (note calls and bodies, labels, page numbers) left out."""
    if el is None:
        return ""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            if isinstance(child.tag, str) and in_reading(child, view) and child.get(APPARATUS) is None:
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(el)
    return " ".join("".join(parts).split())


def apparatus(el: etree._Element, kind: str) -> Iterator[etree._Element]:
    """The elements of one kind of apparatus (note, call, label, page…) under el, in document order."""
    return (e for e in el.iter() if isinstance(e.tag, str) and e.get(APPARATUS) == kind)


@dataclass
class Fragment:
    """One document's fragment, split into its parts."""
    article: etree._Element
    header: etree._Element | None         # <header class="edition-source">
    principles: etree._Element | None     # <section class="edition-principles">
    text: etree._Element                  # <div class="edition-text">

    @property
    def id(self) -> str:
        return self.article.get("id", "")

    @property
    def lang(self) -> str:
        return self.article.get("lang", "und")

    def fields(self, name: str, type_: str | None = None) -> list[etree._Element]:
        """The header's dd elements of one field (title, author, bibl, …), optionally of one type."""
        if self.header is None:
            return []
        return [dd for dd in self.header.iter("dd")
                if dd.get("data-field") == name and (type_ is None or dd.get("data-type") == type_)]

    def field_label(self, dd: etree._Element) -> str:
        """The label (the dt) a field's dd stands under."""
        dt = dd.getprevious()
        while dt is not None and dt.tag != "dt":
            dt = dt.getprevious()
        return reading(dt)


def split(fragment: str | etree._Element) -> Fragment:
    article = parse(fragment) if isinstance(fragment, str) else fragment
    text = next((c for c in article if c.tag == "div" and "edition-text" in classes(c)), None)
    return Fragment(article, article.find("header"),
                    next((c for c in article if c.tag == "section" and "edition-principles" in classes(c)), None),
                    text if text is not None else etree.SubElement(article, "div", {"class": "edition-text"}))


def outline(elements: list[etree._Element], first: int = 2) -> None:
    """Heading levels made consecutive, starting at h<first> (then at most one level deeper at a time):
    a page cut from the middle of a book must not jump from the page's h1 to an h5, nor a section placed
    under a page's h2 start at h4."""
    stack: list[tuple[int, int]] = []  # (level in the fragment, level on the page)
    for element in elements:
        for h in element.iter("h2", "h3", "h4", "h5", "h6"):
            level = int(h.tag[1])
            while stack and stack[-1][0] >= level:
                stack.pop()
            new = min(6, stack[-1][1] + 1 if stack else first)
            stack.append((level, new))
            h.tag = f"h{new}"


def is_division(el: etree._Element) -> bool:
    return el.tag == "section" and "tei-div" in classes(el)


def drop_empty_divisions(text: etree._Element) -> None:
    """A division with a heading and nothing to read under it goes (a source's «Σημειώσεις» whose notes
    the edition sets at their calls): no empty heading on a reading page, in the book, or in a contents.
    (The site's reading pages and the print edition both make this edit.)"""
    for div in reversed([d for d in text.iter("section") if is_division(d)]):
        body = [c for c in div if c.tag not in ("h2", "h3", "h4", "h5", "h6")]
        if any(reading(c).strip() for c in body) or any(c.tag in ("img", "figure", "table") for c in div.iter()):
            continue
        parent = div.getparent()
        if parent is None:
            continue
        if div.tail and div.tail.strip():
            continue
        index = parent.index(div)
        if div.get("id"):                          # its address still leads where it stood (id/, DTS)
            parent.insert(index, etree.Element("div", {"id": div.get("id", ""), "class": "tei-div-empty"}))
            index += 1
        for child in body:                         # what only the diplomatic view shows stays, in its place
            parent.insert(index, child)
            index += 1
        parent.remove(div)
