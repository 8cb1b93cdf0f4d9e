"""The edited text of a TEI element, as a reader of the edition sees it (shared by the tests).

- <lb/> is a space, except lb[@break='no'] (the word continues; a soft hyphen was already dropped);
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

    def walk(node: etree._Element) -> None:
        tag = node.tag
        if tag == T + "lb":
            if node.get("break") != "no":
                parts.append(" ")
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
    return re.sub(r"\s+", " ", "".join(parts)).strip()
