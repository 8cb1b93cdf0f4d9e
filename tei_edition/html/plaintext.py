"""The edited text of a document as plain text: the one plain text of the edition, published twice
(downloads/dNNN.txt beside the reading pages, data/text/dNNN.edited.txt among the exports).

Read from the XSLT's fragment by the view vocabulary (html/fragment.py), so it says what the edited
reading on the page says: one block per paragraph, heading, list item or table cell (and per element that
stands alone between them, such as a figure's caption), with a blank line between; each note call where it stands, in square brackets as the reader sees it ("[13]", "[a]" for an
editors' note; a call the source prints in brackets is not bracketed twice); the notes listed at the end
under a heading, each once, after its call, an editors' note marked as such (the fragment says so: data-apparatus="kind"),
among them the editors' note on every correction (the XSLT writes one where the TEI has none), so the text
download makes no silent correction either.
"""

from __future__ import annotations

import re

from lxml import etree

from .fragment import APPARATUS, EDITED, apparatus, in_reading, reading

ONLY_CALLS = re.compile(r"(?:\[[^\]\s]*\]\s*)+")
BLOCKS = {"p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "td", "div"}
CONTAINERS = {"section", "ul", "ol", "table", "tbody", "tr"}


def bracketed(call: str) -> str:
    """A note call as the plain text writes it: in square brackets, unless the source already brackets it."""
    return call if call[:1] in "[(" and call[-1:] in ")]" else f"[{call}]"


class _Notes:
    """The notes of a text, each listed once in the order of its first call. A call finds its note's body by
    its link (href="#…-body"): an editors' note on a source's note, or one repeating an earlier one word for
    word, stands apart from its call (xslt/modules/notes.xsl)."""

    def __init__(self, bodies: dict[str, etree._Element]) -> None:
        self.bodies = bodies
        self.lines: list[str] = []
        self.listed: set[str] = set()

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
                        self.note(call, child)
                    elif kind is None:
                        walk(child)
                if child.tail:
                    parts.append(child.tail)

        walk(el)
        return " ".join("".join(parts).split())

    def note(self, call: str, link: etree._Element) -> None:
        target = (link.get("href") or "").lstrip("#")
        body = self.bodies.get(target)
        if body is None or target in self.listed:
            return
        self.listed.add(target)
        slot = len(self.lines)       # the note before the notes its own text calls
        self.lines.append("")
        kind = " ".join(reading(k).strip() for k in apparatus(body, "kind"))     # "Editors' note:"
        self.lines[slot] = " ".join(x for x in (call, kind, self.inline(body)) if x)


def plain_text(title: str, text_div: etree._Element, notes_heading: str = "Notes") -> str:
    notes = _Notes({b.get("id", ""): b for b in apparatus(text_div, "note")})
    blocks: list[str] = [title, ""]

    def walk(el: etree._Element) -> None:
        for child in el:
            if not isinstance(child.tag, str) or not in_reading(child, EDITED) or child.get(APPARATUS):
                continue
            if child.tag in CONTAINERS or (child.tag == "div" and any(c.tag in BLOCKS for c in child)):
                walk(child)
            else:            # a block, or what stands alone between blocks (a figure's caption): a block
                line = notes.inline(child)
                if line and ONLY_CALLS.fullmatch(line) and len(blocks) > 2:
                    blocks[-2] += " " + line     # a note between two blocks (no call in the source): no line of its own
                elif line:
                    blocks.extend([line, ""])

    walk(text_div)
    if notes.lines:
        blocks.extend(["", notes_heading, ""])
        blocks.extend(notes.lines)
    return "\n".join(blocks).rstrip() + "\n"
