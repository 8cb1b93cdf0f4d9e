"""Events: a date of a day that falls on the days of an event of the chronology (tei/register/events.xml) points
to it, <date corresp="#ev-…">, so the chronology lists the passages dated to each event from the TEI.

Only dates of a day are read (a month or a year is no event's date), by their Gregorian value (when, or
from–to within the event's days); a date on the days of two events (a congress and what it decided) points
to both. It is the editors' reading of the date alone, as the ODD says; a date that already points somewhere
is left as it is, so a second run changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .. import TEI_NS, XML_NS
from ..xmlsafe import parse_bytes

T = "{%s}" % TEI_NS
XML_ID = "{%s}id" % XML_NS


@dataclass(frozen=True)
class Span:
    id: str
    start: str     # ISO days, Gregorian
    end: str


@dataclass
class EventReport:
    linked: int = 0
    kept: int = 0
    by_event: dict[str, int] = field(default_factory=dict)


def read_spans(path: Path) -> list[Span]:
    """The events of a chronology file dated to days (none when there is no file)."""
    if not path.is_file():
        return []
    root = parse_bytes(path.read_bytes(), str(path)).getroot()
    spans = []
    for ev in root.iter(T + "event"):
        start = ev.get("when") or ev.get("from") or ""
        end = ev.get("to") or start
        if len(start) == 10 and len(end) == 10 and ev.get(XML_ID):
            spans.append(Span(ev.get(XML_ID), start, end))
    return spans


def link(root: etree._Element, spans: list[Span]) -> EventReport:
    report = EventReport()
    text = root.find(T + "text")
    if text is None or not spans:
        return report
    for date in text.iter(T + "date"):
        start = date.get("when") or date.get("from") or ""
        end = date.get("to") or start
        if len(start) != 10 or len(end) != 10:
            continue
        if date.get("corresp"):
            report.kept += 1
            continue
        events = [s.id for s in spans if s.start <= start and end <= s.end]
        if events:
            date.set("corresp", " ".join("#" + e for e in events))
            report.linked += 1
            for e in events:
                report.by_event[e] = report.by_event.get(e, 0) + 1
    return report
