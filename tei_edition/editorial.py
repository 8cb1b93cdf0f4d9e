"""What the editors wrote, as opposed to the witness: the one rule every reader of the TEI applies.

Two questions, kept apart:
- `editors_text(el)`: is this element's content the editors' and not the witness's? corr, reg, expan,
  supplied and gap always are; so is anything with @resp (the edition marks every intervention with the
  editor responsible, `resp="#ed"`; validation checks that @resp points to an editor of edition.toml), but
  a <date>: its @resp answers for the value (an inferred year, a calendar), its text is the witness's.
  Fidelity skips such content when it reads the witness back; annotation never tags inside it.
- `editors_note(note)`: is this note the editors' (lettered a, b, c; in the apparatus language) rather
  than the source's? type="editorial" or @resp. The XSLT applies the same rule (e:is-editorial, notes.xsl).
"""

from __future__ import annotations

from lxml import etree

from . import TEI_NS

T = "{%s}" % TEI_NS
EDITORS_ELEMENTS = frozenset(T + n for n in ("corr", "reg", "expan", "supplied", "gap"))
VALUE_RESP = frozenset({T + "date"})    # @resp names who answers for the value, not who wrote the text


def editors_text(el: etree._Element) -> bool:
    return el.tag in EDITORS_ELEMENTS or (el.get("resp") is not None and el.tag not in VALUE_RESP)


def editors_note(note: etree._Element) -> bool:
    return note.get("type") == "editorial" or note.get("resp") is not None
