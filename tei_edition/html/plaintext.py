"""The edited reading text of a document as plain text (for downloads): one block per paragraph or
heading, note calls as [n] with the notes listed at the end. Read from the XSLT's fragment, so the plain
text and the web page say the same thing."""

from __future__ import annotations

from lxml import etree

from ..site.pages import NOT_PLAIN, classes

BLOCKS = {"p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "td", "div"}


def _inline(el: etree._Element, notes: list[tuple[str, str]]) -> str:
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        cls = classes(node) if node is not el else set()
        if "tei-note" in cls:
            call = node.find("a")
            label = call.text if call is not None else "*"
            body = next((c for c in node if "tei-note-body" in classes(c)), None)
            text = _inline_body(body) if body is not None else ""
            notes.append((label, text))
            parts.append(f"[{label}]")
            return
        if cls & NOT_PLAIN:
            return
        if node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(el)
    return " ".join("".join(parts).split())


def _inline_body(body: etree._Element) -> str:
    copy = etree.fromstring(etree.tostring(body))
    for label in copy.iter():
        if "tei-note-label" in classes(label):
            label.text = ""
    return _inline(copy, [])


def plain_text(title: str, text_div: etree._Element, notes_heading: str = "Notes") -> str:
    notes: list[tuple[str, str]] = []
    blocks: list[str] = [title, ""]

    def walk(el: etree._Element) -> None:
        for child in el:
            if not isinstance(child.tag, str):
                continue
            if child.tag == "section" or (child.tag == "div" and any(c.tag in BLOCKS for c in child)):
                walk(child)
            elif child.tag in BLOCKS or child.tag in ("ul", "ol", "table", "tr"):
                if child.tag in ("ul", "ol", "table", "tr"):
                    walk(child)
                    continue
                line = _inline(child, notes)
                if line:
                    blocks.extend([line, ""])

    walk(text_div)
    if notes:
        blocks.extend(["", notes_heading, ""])
        blocks.extend(f"[{label}] {text}" for label, text in notes)
    return "\n".join(blocks).rstrip() + "\n"


def web_text(fragment: str, title: str, notes_heading: str) -> str:
    """The plain text of a document as the web shows it (downloads/dNNN.txt), from its XSLT fragment."""
    text_div = etree.fromstring(fragment.encode("utf-8")).find("div")
    return plain_text(title, text_div if text_div is not None else etree.Element("div"), notes_heading)
