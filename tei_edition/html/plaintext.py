"""The edited text of a document as plain text: the one plain text of the edition, published twice
(downloads/dNNN.txt beside the reading pages, data/text/dNNN.edited.txt among the exports).

Read from the XSLT's fragment by the view vocabulary (html/fragment.py), so it says what the edited
reading on the page says: one block per paragraph, heading, list item or table cell (and per element that
stands alone between them, such as a figure's caption), with a blank line between; each note call where it stands, in square brackets as the reader sees it ("[13]", "[a]" for an
editors' note; a call the source prints in brackets is not bracketed twice); the notes listed at the end
under a heading, each after its call, an editors' note marked as such (the fragment says so: data-apparatus="kind").
"""

from __future__ import annotations

from lxml import etree

from .fragment import APPARATUS, EDITED, apparatus, in_reading, reading

BLOCKS = {"p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "td", "div"}
CONTAINERS = {"section", "ul", "ol", "table", "tbody", "tr"}


def bracketed(call: str) -> str:
    """A note call as the plain text writes it: in square brackets, unless the source already brackets it."""
    return call if call[:1] in "[(" and call[-1:] in ")]" else f"[{call}]"


class _Notes:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def inline(self, el: etree._Element) -> str:
        """A block's text in the edited reading, its note calls as [n] and its notes collected."""
        parts: list[str] = []

        def walk(node: etree._Element) -> None:
            if node.text:
                parts.append(node.text)
            for child in node:
                if isinstance(child.tag, str) and in_reading(child, EDITED):
                    kind = child.get(APPARATUS)
                    if kind == "call":
                        call = bracketed(reading(child) or "*")
                        parts.append(call)
                        self.note(call, child.getparent())
                    elif kind is None:
                        walk(child)
                if child.tail:
                    parts.append(child.tail)

        walk(el)
        return " ".join("".join(parts).split())

    def note(self, call: str, note: etree._Element | None) -> None:
        body = next((c for c in note if c.get(APPARATUS) == "note"), None) if note is not None else None
        if body is None:
            return
        kind = " ".join(reading(k).strip() for k in apparatus(body, "kind"))     # "Editors' note:"
        self.lines.append(" ".join(x for x in (call, kind, self.inline(body)) if x))


def plain_text(title: str, text_div: etree._Element, notes_heading: str = "Notes") -> str:
    notes = _Notes()
    blocks: list[str] = [title, ""]

    def walk(el: etree._Element) -> None:
        for child in el:
            if not isinstance(child.tag, str) or not in_reading(child, EDITED) or child.get(APPARATUS):
                continue
            if child.tag in CONTAINERS or (child.tag == "div" and any(c.tag in BLOCKS for c in child)):
                walk(child)
            else:            # a block, or what stands alone between blocks (a figure's caption): a block
                line = notes.inline(child)
                if line:
                    blocks.extend([line, ""])

    walk(text_div)
    if notes.lines:
        blocks.extend(["", notes_heading, ""])
        blocks.extend(notes.lines)
    return "\n".join(blocks).rstrip() + "\n"
