"""The editors' dating decisions of a profile (`[[dates]]`), written into the TEI when it is imported.

Where the text alone does not tell a date's year or calendar, the editors decide, and the decision lives in
the TEI: the date is tagged at import with what they decided, and `edition annotate` keeps it as it is.

    [[dates]]
    line = 152                   # the witness line where the date expression begins
    text = "3 ноября"            # as the text reads it (a line-end hyphen dropped)
    year = 1917                  # the year the text leaves out ...
    source = "d002-bibl-translation"   # ... and the element whose text gives it (its xml:id)
    cert = "high"                # how sure the editors are (high, medium, low; default high)

    [[dates]]
    line = 12484
    text = "сентябре 1843 г."
    calendar = "gregorian"       # a Western European event: New Style, whatever the language

A year makes <date … cert resp="#ed" evidence="internal" source="#…">; a calendar makes <date … resp="#ed">
(the editors answer for the reading). The values are those `annotate.dates` computes with the decision.
"""

from __future__ import annotations

from lxml import etree

from .. import TEI_NS
from ..annotate.dates import DateReport, Dater
from ..annotate.stream import ATOM, build, can_wrap, wrap
from ..diagnostics import EditionError
from .profile import Profile

T = "{%s}" % TEI_NS
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
KEYS = {"line", "text", "year", "calendar", "cert", "source", "reason"}


def apply(root: etree._Element, profile: Profile) -> int:
    """Tag the dates the profile decides; return how many."""
    decisions = profile.get("dates", [])
    text_el = root.find(T + "text")
    ids = {el.get(XML_ID) for el in root.iter() if el.get(XML_ID)}
    for i, d in enumerate(decisions, start=1):
        where = f"{profile.path}: [[dates]] #{i} (line {d.get('line')!r}, {d.get('text')!r})"
        _check(d, where, ids)
        lb = next(iter(text_el.iterfind(f".//{T}lb[@n='{d['line']}']")), None)
        if lb is None:
            raise EditionError(f"{where}: the text has no line {d['line']}",
                               hint="give the witness line where the date expression begins")
        parent = lb.getparent()
        st = build(parent)
        start, end = _line_span(st, parent.index(lb))
        pos = st.text.find(d["text"], start)
        if pos < 0 or pos >= end:
            raise EditionError(f"{where}: {d['text']!r} does not begin on that line "
                               f"({st.text[start:end].strip()!r})", hint="copy the text as printed, "
                               "without a line-end hyphen; one space for a line break")
        stop = pos + len(d["text"])
        dater = Dater(profile.id, DateReport())
        found = dater.find(st.text[pos:stop], calendar=d.get("calendar"), year=d.get("year"))
        if len(found) != 1 or (found[0].start, found[0].end) != (0, stop - pos) or not can_wrap(st, pos, stop):
            raise EditionError(f"{where}: not one date expression the annotator can read "
                               f"({[f.text for f in found]})", hint="give the whole expression, e.g. "
                               "'3 ноября' or 'сентябре 1843 г.'; a date already inside a name cannot be wrapped")
        attrs = {k: v for k, v in found[0].attrs.items() if k not in ("cert", "resp", "evidence", "source")}
        attrs["resp"] = "#ed"
        if "year" in d:
            attrs.update(cert=d.get("cert", "high"), evidence="internal", source="#" + d["source"])
        el = etree.Element(T + "date", {k: attrs[k] for k in ("when", "from", "to", "notBefore", "notAfter",
                                                             "calendar", "cert", "resp", "evidence", "source")
                                        if k in attrs})
        wrap(st, pos, stop, el)
    return len(decisions)


def _check(d: dict, where: str, ids: set[str]) -> None:
    unknown = set(d) - KEYS
    if unknown or not isinstance(d.get("line"), int) or not isinstance(d.get("text"), str) or not d["text"]:
        raise EditionError(f"{where}: needs line (a number) and text" + (f"; unknown keys: {sorted(unknown)}"
                           if unknown else ""), hint='e.g. line = 152, text = "3 ноября", year = 1917, '
                           'source = "d002-p2"')
    if ("year" in d) == ("calendar" in d) and "year" not in d:
        raise EditionError(f"{where}: give the year the text leaves out or the calendar the context decides",
                           hint='year = 1917 with source = "<xml:id>", or calendar = "gregorian"')
    if "year" in d and (not isinstance(d["year"], int) or not isinstance(d.get("source"), str)):
        raise EditionError(f"{where}: a year needs the xml:id of the element whose text gives it (source)",
                           hint='e.g. year = 1921, source = "d001-div22"')
    if "source" in d and d["source"] not in ids:
        raise EditionError(f"{where}: source {d['source']!r} is no xml:id of this document",
                           hint="name a paragraph, note or division of this document, or a bibl of its header")
    if d.get("calendar", "julian") not in ("julian", "gregorian") or d.get("cert", "high") not in ("high", "medium",
                                                                                                   "low"):
        raise EditionError(f"{where}: calendar is julian or gregorian; cert is high, medium or low",
                           hint='e.g. calendar = "gregorian"')


def _line_span(st, k: int) -> tuple[int, int]:
    """Where the text of the line that child k (an <lb/>) begins starts and ends in the stream."""
    def piece(i: int) -> int | None:
        w = st.where[i]
        if w is None:
            return None
        return w[1] + 1 if w[0] == ATOM else w[0]

    start = next((i for i in range(len(st.text)) if (piece(i) or -1) > k), len(st.text))
    nxt = next((j for j in range(k + 1, len(st.parent)) if st.parent[j].tag == T + "lb"), None)
    end = len(st.text) if nxt is None else next(
        (i for i in range(start, len(st.text)) if (piece(i) or -1) > nxt), len(st.text))
    return start, end
