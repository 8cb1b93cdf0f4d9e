"""The editors' dating decisions of a profile (`[[dates]]`), written into the TEI when it is imported.

Where the text alone does not tell a date's year or calendar, the editors decide, and the decision lives in
the TEI: the date is tagged at import with what they decided, and `edition annotate` keeps it as it is.

    [[dates]]
    line = 152                   # the witness line where the date expression begins
    text = "3 ноября"            # as the text reads it (a line-end hyphen dropped); nth = 2: its second one
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

import re

from lxml import etree

from .. import TEI_NS
from ..annotate.dates import DateReport, Dater
from ..annotate.stream import ATOM, build, can_wrap, streams, wrap
from ..diagnostics import EditionError
from .profile import Profile

T = "{%s}" % TEI_NS
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
KEYS = {"line", "text", "year", "calendar", "cert", "source", "nth"}


def apply(root: etree._Element, profile: Profile) -> int:
    """Tag the dates the profile decides; return how many."""
    decisions = profile.get("dates", [])
    if not isinstance(decisions, list) or not all(isinstance(d, dict) for d in decisions):
        raise EditionError(f"{profile.path}: dates: each decision is a [[dates]] table",
                           hint='[[dates]]\nline = 152\ntext = "3 ноября"\nyear = 1917\nsource = "d002-p2"')
    text_el = root.find(T + "text")
    ids = {el.get(XML_ID) for el in root.iter() if el.get(XML_ID)}
    for i, d in enumerate(decisions, start=1):
        _check(d, f"{profile.path}: [[dates]] #{i} (line {d.get('line')!r}, {d.get('text')!r})", ids)
    # from the end of the text backwards, so that a date wrapped across a line break ("25 де-|кабря")
    # never holds the <lb/> of a line still to be read, and an earlier "3 ноября" never hides a later one
    order = sorted(enumerate(decisions, start=1), key=lambda x: (x[1]["line"], x[0]), reverse=True)
    for i, d in order:
        where = f"{profile.path}: [[dates]] #{i} (line {d.get('line')!r}, {d.get('text')!r})"
        lb = next(iter(text_el.iterfind(f".//{T}lb[@n='{d['line']}']")), None)
        if lb is None:
            raise EditionError(f"{where}: the text has no line {d['line']}",
                               hint="give the witness line where the date expression begins")
        anchor = lb
        if lb.getparent().tag == T + "label":   # a note's number owns its first line: the text goes on after it
            anchor = lb.getparent()
        st, m = _locate(anchor, d)
        if m is None:
            raise EditionError(f"{where}: {d['text']!r} does not begin on that line",
                               hint="copy the text as printed, without a line-end hyphen; one space for a "
                                    "line break")
        pos = m.start()
        stop = m.end()
        dater = Dater(profile.id, DateReport())
        # read in its sentence ("в мае" is a date, "мае" alone is not); the decision is for this expression only
        found = [f for f in dater.find(st.text, calendar=d.get("calendar"), year=d.get("year"))
                 if (f.start, f.end) == (pos, stop)]
        if len(found) != 1 or not can_wrap(st, pos, stop):
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
    types = {"line": int, "text": str, "year": int, "calendar": str, "cert": str, "source": str, "nth": int}
    if any(k in d and (not isinstance(d[k], t) or isinstance(d[k], bool)) for k, t in types.items()) or \
            d.get("nth", 1) < 1 or not d.get("text", "x").strip():
        raise EditionError(f"{where}: line, year and nth are numbers (nth 1 or more), text, calendar, cert and "
                           f"source are strings", hint='e.g. line = 152, text = "3 ноября", year = 1917')
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


def _locate(anchor: etree._Element, d: dict):
    """The stream and match of the decision's text on the line `anchor` (its <lb/> or note label) begins:
    in the text around it, or in an element of that line read as a stream of its own (the translator's
    bracket of a note, a quotation)."""
    parent = anchor.getparent()
    while parent.tag in (T + "persName", T + "orgName", T + "placeName"):   # a name run across the line break
        anchor, parent = parent, parent.getparent()                        # holds its <lb/>: read around it
    rx = re.compile(r"\s+".join(re.escape(w) for w in d["text"].split()))
    st = build(parent)
    start, end = _line_span(st, parent.index(anchor))
    m = _nth(rx, st.text, start, d.get("nth", 1))
    if m is not None and m.start() < end:
        return st, m
    nxt = next((e for e in anchor.itersiblings() if e.tag == T + "lb"), None)
    for el in anchor.itersiblings():
        if el is nxt:
            break
        for inner in streams(el):
            st = build(inner)
            m = _nth(rx, st.text, 0, d.get("nth", 1))
            if m is not None:
                return st, m
    return None, None


def _nth(rx: re.Pattern, text: str, start: int, nth: int):
    m = rx.search(text, start)
    for _ in range(nth - 1):      # the second "3 ноября" of the line: nth = 2
        m = rx.search(text, m.end()) if m else None
    return m


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
