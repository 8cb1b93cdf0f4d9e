"""Split a document's HTML fragment into reading pages of comfortable size.

The XSLT renders a whole document as one <article class="edition">; here its text is cut at divisions
(<section class="tei-div">) into pages: a division that fits stays whole, a larger one is split into
its subdivisions, and a division without subdivisions into runs of paragraphs. Small neighbours are
packed together. Notes travel with their call (they are inline), so every page can list its own notes.

This is the one edit of the fragment the site makes, and only what cutting pages needs: a division split
over pages is re-opened on the next page (without its id), and the heading levels of a page cut from the
middle of a text are made consecutive. Everything else a reading page shows is the fragment as the XSLT
wrote it, in the page shell (templates/document.html) and edition.css.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

from lxml import etree

from ..html.fragment import APPARATUS, classes, drop_empty_divisions, is_division, outline, reading, split, to_html

TARGET = 150_000        # bytes of text HTML per page (see _size), before notes list and page chrome
NEW_PAGE_AT_TOP = 40_000  # a top-level division opens a new page once the current one holds this much

# Not counted in a page's size: the attributes that only say how to read the text (the view vocabulary,
# running heads, the numbered ids of mentions), so that marking the text up more finely never re-cuts pages.
_READING_ATTRIBUTES = re.compile(rb' (?:data-view|data-apparatus|data-running)="[^"]*"| id="[^"]*-m\d+"'
                                 # an abbreviation's link to its entry (apparatus.xsl), which adds no text
                                 rb'|<a class="tei-abbr tei-abbr-link" href="[^"]*" data-abbr="[^"]*"><abbr>|</abbr></a>'
                                 rb'|<abbr class="tei-abbr" data-abbr="[^"]*">|</abbr>')


def _size(el: etree._Element) -> int:
    """Bytes of the element's HTML, without the attributes that only say how to read it."""
    raw = etree.tostring(el, encoding="utf-8")
    return len(raw) - sum(len(m) for m in _READING_ATTRIBUTES.findall(raw))


@dataclass
class Unit:
    """A piece of a page: a division (or part of one) or loose blocks, with its size in bytes."""
    element: etree._Element
    size: int
    top: bool  # begins a top-level division


@dataclass
class Page:
    doc_id: str
    number: int
    slug: str                       # "index" for the first page, else the id of its first division
    units: list[Unit]
    title: str = ""                 # the label of the section the page opens with
    continued: bool = False         # the page opens inside that section, not at its heading
    ids: list[str] = field(default_factory=list)

    @property
    def filename(self) -> str:
        return f"{self.slug}.html"

    def html(self) -> str:
        return "\n".join(to_html(u.element) for u in self.units)

    def elements(self) -> list[etree._Element]:
        return [u.element for u in self.units]


@dataclass
class TocEntry:
    id: str
    depth: int
    label: str
    page: str  # filename


@dataclass
class Paginated:
    doc_id: str
    lang: str
    header: etree._Element | None          # the source description
    principles: etree._Element | None      # the editorial principles
    pages: list[Page]
    toc: list[TocEntry]
    page_of: dict[str, str]          # element id → page filename

    def url_of(self, element_id: str) -> str | None:
        page = self.page_of.get(element_id)
        return f"{page}#{element_id}" if page else None


def _shell(section: etree._Element, first: bool) -> etree._Element:
    """An empty copy of a division, to hold one run of its children; only the first keeps the id."""
    shell = etree.Element(section.tag, {k: v for k, v in section.attrib.items() if first or k != "id"})
    if not first:
        shell.set("class", shell.get("class", "") + " tei-div-continued")
        if section.get("id") or section.get("data-continues"):
            shell.set("data-continues", section.get("id") or section.get("data-continues", ""))
    return shell


def _split_block(block: etree._Element, limit: int) -> list[etree._Element]:
    """A paragraph too large for a page, cut at source line starts (the last resort: the id stays on
    the first part, the others are marked as continued)."""
    parts = [etree.Element(block.tag, block.attrib)]
    parts[0].text = block.text
    size = 0
    for child in list(block):
        if size > limit and child.tag == "br" and "tei-lb" in classes(child):
            parts.append(_shell(block, False))
            parts[-1].set("class", (block.get("class") or "") + " tei-p-continued")
            size = 0
        size += _size(child)
        parts[-1].append(child)
    return parts


def _runs(section: etree._Element, children: list[etree._Element], first: bool, limit: int) -> list[Unit]:
    """Children of one division cut into runs of at most `limit` bytes."""
    units: list[Unit] = []
    shell, size = _shell(section, first), 0
    pieces: list[etree._Element] = []
    for child in children:
        pieces += _split_block(child, limit) if _size(child) > limit and len(child) else [child]
    for child in pieces:
        child_size = _size(child)
        if len(shell) and size + child_size > limit:
            units.append(Unit(shell, size, top=False))
            shell, size = _shell(section, False), 0
        shell.append(child)
        size += child_size
    if len(shell) or first:
        units.append(Unit(shell, size, top=False))
    return units


def _units(section: etree._Element, limit: int) -> list[Unit]:
    size = _size(section)
    if size <= limit:
        return [Unit(section, size, top=False)]
    children = list(section)
    if not any(is_division(c) for c in children):
        return _runs(section, children, True, limit)
    units: list[Unit] = []
    loose: list[etree._Element] = []
    first = True
    for child in children:
        if is_division(child):
            if loose or first:
                units += _runs(section, loose, first, limit)
                loose, first = [], False
            units += _units(child, limit)
        else:
            loose.append(child)
    if loose:
        units += _runs(section, loose, False, limit)
    return units


def _top_units(text: etree._Element, limit: int) -> list[Unit]:
    """The text's top-level divisions (split when large) and loose blocks between them."""
    units: list[Unit] = []
    loose = etree.Element("div", {"class": "edition-loose"})
    for child in list(text):
        if is_division(child):
            if len(loose):
                units.append(Unit(loose, _size(loose), top=True))
                loose = etree.Element("div", {"class": "edition-loose"})
            parts = _units(child, limit)
            parts[0].top = True
            units += parts
        else:
            loose.append(child)
    if len(loose):
        units.append(Unit(loose, _size(loose), top=True))
    return units


def _pack(doc_id: str, units: list[Unit], target: int) -> list[Page]:
    pages: list[Page] = []
    current: list[Unit] = []
    size = 0
    for unit in units:
        if current and (size + unit.size > target or (unit.top and size >= NEW_PAGE_AT_TOP)):
            pages.append(Page(doc_id, len(pages) + 1, "", current))
            current, size = [], 0
        current.append(unit)
        size += unit.size
    if current or not pages:
        pages.append(Page(doc_id, len(pages) + 1, "", current))
    return pages


def _heading(el: etree._Element) -> etree._Element | None:
    for h in el.iter("h2", "h3", "h4", "h5", "h6"):
        return h
    return None


def _opening_words(div: etree._Element, n: int = 8) -> str:
    """A label for a division without a heading: its first words."""
    words = reading(div).split()
    return " ".join(words[:n]) + ("…" if len(words) > n else "")


def _opening(page: Page, labels: dict[str, str], doc_title: str) -> tuple[str, bool]:
    """The label of the innermost division the page opens in, and whether it opens inside it (past its
    heading): a page that goes on with an article is named by the article, not by a later heading."""
    if not page.units:
        return doc_title, False
    first = page.units[0].element
    block = next((el for el in first.iter() if isinstance(el.tag, str) and el is not first
                  and el.tag in ("h2", "h3", "h4", "h5", "h6", "p", "blockquote", "ol", "ul", "table", "figure")
                  and not el.get("data-view")), None)
    if block is None:
        return doc_title, False
    if block.tag.startswith("h") and block.tag[1:].isdigit():
        return reading(block), False
    for el in block.iterancestors():
        key = el.get("id") or el.get("data-continues")
        if el.tag == "section" and key in labels:       # continued: the division began on an earlier page
            return labels[key], "tei-div-continued" in classes(el)
        if el is first:
            break
    return doc_title, page.number > 1


def paginate(fragment: str, doc_title: str, target: int = TARGET) -> Paginated:
    """Cut one document's fragment (the XSLT output) into pages, with a table of contents."""
    parts = split(fragment)
    text = parts.text
    drop_empty_divisions(text)
    for div in text.iter("section"):                    # headings addressable (search results name them)
        head = next((c for c in div if c.tag in ("h2", "h3", "h4", "h5", "h6")), None)
        if head is not None and div.get("id") and not head.get("id"):
            head.set("id", div.get("id", "") + "-head")
    # the table of contents is read before the split (a split division keeps only one heading)
    divisions = [(d, int(d.get("data-depth", "1"))) for d in text.iter("section") if is_division(d)]
    toc_raw = []
    for div, depth in divisions:
        head = next((c for c in div if c.tag in ("h2", "h3", "h4", "h5", "h6")), None)
        if div.get("id"):
            label = reading(head) if head is not None else _opening_words(div)
            toc_raw.append((div.get("id"), depth, label))
    pages = _pack(parts.id, _top_units(text, target), target)
    page_of: dict[str, str] = {}
    for page in pages:
        outline(page.elements())
        first_id = next((el.get("id") for u in page.units for el in u.element.iter()   # a block's, not a name's
                         if isinstance(el.tag, str) and el.get("id") and not el.get("data-ref")), None)
        page.slug = "index" if page.number == 1 else (first_id or f"page-{page.number}")
        page.title, page.continued = _opening(page, {i: label for i, _, label in toc_raw}, doc_title)
        for unit in page.units:
            for el in unit.element.iter():
                if isinstance(el.tag, str) and el.get("id"):
                    page.ids.append(el.get("id"))
                    page_of.setdefault(el.get("id"), page.filename)
    toc = [TocEntry(i, depth, label, page_of.get(i, "index.html")) for i, depth, label in toc_raw]
    return Paginated(parts.id, parts.lang, parts.header, parts.principles, pages, toc, page_of)


@dataclass
class NoteItem:
    id: str
    call: str
    kinds: list[str]
    body_html: str


def page_notes(page: Page) -> list[NoteItem]:
    """The page's notes in order, for the list at its end (ids inside the copies are dropped)."""
    items: list[NoteItem] = []
    # a call finds its body by its link: an editors' note on a source's note, or one repeating an earlier one,
    # stands apart from its call (xslt/modules/notes.xsl); each note is listed once
    bodies = {b.get("id"): b for unit in page.units for b in unit.element.iter()
              if isinstance(b.tag, str) and b.get(APPARATUS) == "note"}
    listed: set[str] = set()
    for unit in page.units:
        for call in unit.element.iter("a"):
            if call.get(APPARATUS) != "call":
                continue
            target = (call.get("href") or "").lstrip("#")
            body = bodies.get(target)
            if body is None or target in listed:
                continue
            listed.add(target)
            note = call.getparent()
            cls = classes(note)
            copy_ = copy.deepcopy(body)
            copy_.tag = "div"
            copy_.tail = None
            for el in copy_.iter():
                if isinstance(el.tag, str):
                    el.attrib.pop("id", None)
            items.append(NoteItem(note.get("id", ""), call.text or "",
                                  sorted(c for c in cls if c.startswith("tei-note-")), to_html(copy_)))
    return items


def _refs(page: Page, tags: tuple[str, ...], attribute: str) -> list[str]:
    """The values of `attribute` on the page's elements `tags`, each once, in order of first appearance."""
    seen: dict[str, None] = {}
    for unit in page.units:
        for el in unit.element.iter(*tags):
            ref = el.get(attribute)
            if ref:
                seen.setdefault(ref, None)
    return list(seen)


def entity_refs(page: Page) -> list[str]:
    """Register ids mentioned on the page, in order of first mention."""
    return _refs(page, ("a", "span"), "data-ref")


def abbreviation_refs(page: Page) -> list[str]:
    """Entries of the list of abbreviations whose forms stand on the page (data-abbr), in order."""
    return _refs(page, ("a", "abbr"), "data-abbr")
