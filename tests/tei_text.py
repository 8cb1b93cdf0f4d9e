"""The edited text of a TEI element, as a reader of the edition sees it (shared by the tests).

- <lb/> is a space, except lb[@break='no'] (the word continues: the layout whitespace around it is dropped);
- corr/reg are read instead of sic/orig; supplied text is read;
- <fw> (page furniture) and, unless notes=True, <note> are left out; a note's call is not text.
Whitespace is normalised to single spaces.
"""

from __future__ import annotations

import re

from lxml import etree

from tei_edition import TEI_NS

T = "{%s}" % TEI_NS
NS = {"t": TEI_NS}


def edited_text(el: etree._Element, notes: bool = False) -> str:
    parts: list[str] = []
    glue = "\x00"  # marks a word that continues over a line break; removed with its surrounding whitespace

    def walk(node: etree._Element) -> None:
        tag = node.tag
        if tag == T + "lb":
            parts.append(" " if node.get("break") != "no" else glue)
        elif tag in (T + "sic", T + "orig", T + "fw") or (tag == T + "note" and not notes):
            pass
        else:
            parts.append(node.text or "")
            for child in node:
                if isinstance(child.tag, str):
                    walk(child)
                parts.append(child.tail or "")

    parts.append(el.text or "")
    for child in el:
        if isinstance(child.tag, str):
            walk(child)
        parts.append(child.tail or "")
    text = re.sub(r"\s*\x00\s*", "", "".join(parts))
    return re.sub(r"\s+", " ", text).strip()
