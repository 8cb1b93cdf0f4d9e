"""Plain text of a document for text-mining, read from the TEI in two readings.

edited:     the reading text, one block (heading, paragraph, list item, verse line) per line with a
            blank line between; words divided at a line end joined; corrections (corr) and
            regularisations (reg) instead of the source readings; no page residue; note calls as [n]
            and the notes listed at the end (the editors' notes, which have no call, as "[ed.]").
diplomatic: the witness line by line (source line breaks, printed hyphens at line ends, sic and orig,
            note calls as printed, note texts on their own source lines); without page residue (fw)
            and without anything the editors added. Read back with the fidelity reader, so the
            diplomatic text is the witness the fidelity check proves, minus its residue.
"""

from __future__ import annotations

import copy

from lxml import etree

from .. import TEI_NS
from ..fidelity import regenerate
from ..trees import splice

T = "{%s}" % TEI_NS
BLOCKS = {T + n for n in ("head", "p", "item", "l", "byline", "bibl", "trailer", "dateline", "salute",
                          "signed", "label")}
JOIN = "\u2060"  # marks a joined line end until the text is assembled (never in the sources)
SKIP = {T + n for n in ("fw", "pb", "cb", "sic", "orig", "teiHeader")}


def _is_editorial(note: etree._Element) -> bool:
    return note.get("type") == "editorial" or (note.get("resp") or "").startswith("#ed")


class _Edited:
    def __init__(self) -> None:
        self.notes: list[str] = []

    def inline(self, el: etree._Element, in_note: bool = False) -> str:
        parts: list[str] = []
        if el.text:
            parts.append(el.text)
        self.children(el, parts, in_note)
        return " ".join("".join(parts).split())

    def children(self, el: etree._Element, parts: list[str], in_note: bool) -> None:
        for child in el:
            if isinstance(child.tag, str):
                self.element(child, parts, in_note)
            if child.tail:
                joined = child.tag == T + "lb" and child.get("break") == "no"
                parts.append(child.tail.lstrip() if joined else child.tail)

    def element(self, el: etree._Element, parts: list[str], in_note: bool) -> None:
        tag = el.tag
        if tag in SKIP:
            return
        if tag == T + "lb":
            if el.get("break") == "no":
                # a divided word: drop the whitespace before the <lb/>; children() drops it after
                while parts and not parts[-1].strip():
                    parts.pop()
                if parts:
                    parts[-1] = parts[-1].rstrip()
                parts.append(JOIN)
            else:
                parts.append(" ")
            return
        if tag == T + "note":
            text = self.inline(el, in_note=True)
            if in_note:                       # an editors' note inside a note: keep it, marked
                parts.append(f" [Editors: {text}]" if text else "")
                return
            call = el.get("n") or "*"
            label = f"[{call}]" if not _is_editorial(el) else "[ed.]"
            prefix = "Editors' note: " if _is_editorial(el) else ""
            if el.get("subtype") != "call-missing" and not _is_editorial(el):
                parts.append(label)           # an editors' note has no call in the source: listed only
            self.notes.append(f"{label} {prefix}{text}".rstrip())
            return
        if tag == T + "label" and in_note and el.getparent().tag == T + "note":
            return                            # the note's printed number: the list gives it as [n]
        if tag == T + "gap":
            parts.append("[…]")
            return
        if el.text:
            parts.append(el.text)
        self.children(el, parts, in_note)


def _fix_joins(line: str) -> str:
    return line.replace(JOIN, "")


def edited_text(root: etree._Element, title: str) -> str:
    """The edited reading of a TEI document as plain text (see the module docstring)."""
    text = copy.deepcopy(root.find(T + "text"))
    reader = _Edited()
    blocks: list[str] = []

    def blocks_of(el: etree._Element) -> None:
        for child in el:
            if not isinstance(child.tag, str) or child.tag in SKIP or child.tag == T + "note":
                continue
            has_block = any(d.tag in BLOCKS for d in child.iterdescendants()
                            if not any(a.tag == T + "note" for a in d.iterancestors() if a is not child))
            if child.tag in BLOCKS and not has_block:
                line = _fix_joins(reader.inline(child))
                if line:
                    blocks.append(line)
            else:
                blocks_of(child)

    if text is not None:
        blocks_of(text)
    out = [title, "", *("\n\n".join(blocks).split("\n"))]
    if reader.notes:
        out += ["", "", "Notes", ""] + [_fix_joins(n) for n in reader.notes]
    return "\n".join(out).rstrip() + "\n"


def diplomatic_text(root: etree._Element) -> str:
    """The witness line by line without page residue (see the module docstring)."""
    tree = copy.deepcopy(root)
    splice(list(tree.iter(T + "fw")), lambda fw: " ")
    regen = regenerate(etree.ElementTree(tree))
    lines = []
    for n in sorted(regen.lines):
        pieces = regen.lines[n]
        hyphen = bool(pieces) and pieces[-1] == "-"      # the printer's hyphen restored at the line end
        line = " ".join("".join(pieces[:-1] if hyphen else pieces).split())
        lines.append(line + "-" if hyphen and line else line)
    return "\n".join(line for line in lines if line) + "\n"
