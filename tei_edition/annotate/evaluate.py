"""Score the edition's name and date tags against the hand-read evaluation samples.

The samples (tests/data/names_sample.tsv, dates_sample.tsv) are read from the SOURCES, on lines drawn by
`sample.py`: for every drawn line, every name (with the entity it refers to, whether or not the register has
it) and every date expression (with its normalisation). A row is matched to a TEI tag by document, source line
(where the name or date starts) and surface text (the source reading: sic and orig, not corr and reg; compared
without whitespace, hyphens and Latin look-alike letters, so a line-end hyphen never matters): equal texts
first, then a text that contains the other (a tag that took "В.И. Ленин" for "Ленин" still counts).

Names. A row's ref is a register id; `absent:KIND` (the register lacks the entity: a miss, whatever the TEI
says, until an editor checks the new entry and writes its id into the sample); `?ID|ID` (the reading cannot
decide: right only as a tag with cert="low" and no other link); `none` (looked at, not a name: a tag on it is
false); `-` (the line holds no name). Recall: rows answered right / rows that name something. Precision: tags
answered right / tags on the sampled lines.
Dates. A row's value is when=, from= to=, or notBefore= notAfter= (ISO, Gregorian). Right: the TEI's interval
is the expected one (an approximate one: notBefore/notAfter inside the unit named, covering the expected
days), in the calendar the text writes, and an inferred year is marked (@cert).
"""

from __future__ import annotations

import calendar as _calendar
import csv
import datetime as _dt
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..diagnostics import EditionError
from .stream import MILESTONES, T
from .text import fold_homoglyphs

NAME_TAGS = (T + "persName", T + "orgName", T + "placeName", T + "name", T + "rs")
DATE_TAGS = (T + "date", T + "docDate", T + "origDate")
DATE_ATTRS = ("when", "from", "to", "notBefore", "notAfter")
# Never the source's reading: the editors' side of a choice, additions, and print residue inside a name.
_NOT_SOURCE = {T + "corr", T + "reg", T + "supplied", T + "gap", T + "note", T + "fw"}
NAME_FLAGS = {"plural", "nested", "bibl", "namesake", "sic", "continued"}
DATE_FLAGS = {"bibl", "approx", "range", "heading", "sic"}
REF = re.compile(r"(?:pers|org|place)-[a-z0-9-]+")
ABSENT_KINDS = {"person", "org", "place"}


def norm(text: str) -> str:
    """Surface text for matching: Latin look-alikes read as the script around them (word by word), without
    whitespace or hyphens (so a line-end hyphen, kept or dropped, never matters)."""
    return "".join(fold_homoglyphs(text).split()).replace("-", "").replace("\u00ad", "")


# ---- the samples ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class NameRow:
    doc: str
    line: int
    part: str          # text | note
    mention: str       # as printed, a line-end hyphen dropped; "-" for a line without names
    ref: str           # register id | absent:KIND | ?ID|ID | none | -
    flags: frozenset[str]
    note: str
    row: int           # line of the sample file, for messages

    @property
    def kind(self) -> str:
        if self.mention == "-":
            return "empty"
        if self.ref == "none":
            return "none"
        if "continued" in self.flags:
            return "continued"
        if self.ref.startswith("absent:"):
            return "absent"
        if self.ref.startswith("?"):
            return "undecided"
        return "entry"

    @property
    def candidates(self) -> set[str]:
        return set(self.ref[1:].split("|")) if self.kind == "undecided" else set()


@dataclass(frozen=True)
class DateRow:
    doc: str
    line: int
    part: str
    expression: str    # as printed; "-" for a drawn line without a date expression
    value: dict[str, str]
    calendar: str      # julian | gregorian | mixed | -
    year: str          # stated | inferred | -
    flags: frozenset[str]
    note: str
    row: int


def _rows(path: Path, width: int, columns: str):
    try:
        fh = path.open(encoding="utf-8", newline="")
    except OSError as exc:
        raise EditionError(f"{path}: cannot read the sample ({exc.strerror})",
                           hint="give an existing sample file (docs/internals.md, 'Evaluation')") from None
    with fh:
        for n, row in enumerate(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE), start=1):
            if not row or row[0].startswith("#") or row[0] == "doc":
                continue
            if len(row) != width:
                raise EditionError(f"{path}:{n}: expected {width} tab-separated fields ({columns}), "
                                   f"got {len(row)}", hint="fix the row: a tab in a field, or one missing")
            if not re.fullmatch(r"d\d{3}", row[0]) or not row[1].isdigit() or row[2] not in ("text", "note"):
                raise EditionError(f"{path}:{n}: bad document, line or part: {row[:3]}",
                                   hint="write e.g. d000<TAB>120<TAB>text")
            yield n, row


def _flags(path: Path, n: int, text: str, allowed: set[str]) -> frozenset[str]:
    flags = frozenset(f for f in text.split(",") if f)
    if flags - allowed:
        raise EditionError(f"{path}:{n}: unknown flag(s) {', '.join(sorted(flags - allowed))}",
                           hint=f"use {', '.join(sorted(allowed))}")
    return flags


def load_names(path: Path) -> list[NameRow]:
    out = []
    cols = "doc, line, part, mention, ref, flags, note"
    for n, (doc, line, part, mention, ref, flags, note) in _rows(path, 7, cols):
        ok = (ref == "-" if mention == "-" else
              ref == "none" or REF.fullmatch(ref) or (ref.startswith("absent:") and ref[7:] in ABSENT_KINDS)
              or (ref.startswith("?") and all(REF.fullmatch(r) for r in ref[1:].split("|"))))
        if not ok:
            raise EditionError(f"{path}:{n}: bad ref {ref!r} for {mention!r}",
                               hint="a register id (pers-…, org-…, place-…), absent:person|org|place, "
                                    "?ID|ID (undecidable), none (not a name), or - with mention -")
        if mention == "-" and ref != "-":
            raise EditionError(f"{path}:{n}: a line without names has ref '-'", hint="write - as ref")
        out.append(NameRow(doc, int(line), part, mention, ref, _flags(path, n, flags, NAME_FLAGS), note, n))
    return out


def parse_value(text: str) -> dict[str, str]:
    """'when=1917-11-07' | 'from=… to=…' | 'notBefore=… notAfter=…' [in=FIRST/LAST] → attributes, each an ISO
    date; `in` (approximate dates only) is the unit the text names, when it is not a Gregorian month, year,
    decade or century (a Julian month: «в конце января 1918 г.» lies in 14 January – 13 February)."""
    out = {}
    for item in text.split():
        key, _, val = item.partition("=")
        iso = r"-?\d{4}(-\d\d(-\d\d)?)?"
        if key == "in" and re.fullmatch(f"{iso}/{iso}", val):
            out[key] = val
            continue
        if key not in DATE_ATTRS or not re.fullmatch(iso, val):
            raise ValueError(item)
        out[key] = val
    kinds = set(out) - {"in"}
    if kinds not in ({"when"}, {"from", "to"}, {"notBefore", "notAfter"}, {"notBefore"}, {"notAfter"}):
        raise ValueError(text)
    if "in" in out and kinds & {"when", "from", "to"}:
        raise ValueError("in= belongs to an approximate date (notBefore/notAfter)")
    interval(out)    # the dates exist
    return out


def load_dates(path: Path) -> list[DateRow]:
    out = []
    cols = "doc, line, part, expression, value, calendar, year, flags, note"
    for n, (doc, line, part, expr, value, cal, year, flags, note) in _rows(path, 9, cols):
        if expr == "-":
            if (value, cal, year) != ("-", "-", "-"):
                raise EditionError(f"{path}:{n}: a line without a date has value, calendar and year '-'",
                                   hint="write - in those three fields")
            val: dict[str, str] = {}
        else:
            try:
                val = parse_value(value)
            except ValueError as exc:
                raise EditionError(f"{path}:{n}: bad value {value!r} ({exc})",
                                   hint="write when=YYYY[-MM[-DD]], from=… to=…, "
                                        "or notBefore=… notAfter=… [in=FIRST/LAST]") from None
            if cal not in ("julian", "gregorian", "mixed", "-") or year not in ("stated", "inferred"):
                raise EditionError(f"{path}:{n}: bad calendar {cal!r} or year {year!r}",
                                   hint="calendar: julian, gregorian, mixed or -; year: stated or inferred")
        flagset = _flags(path, n, flags, DATE_FLAGS)
        out.append(DateRow(doc, int(line), part, expr, val, cal, year, flagset, note, n))
    return out


# ---- intervals -----------------------------------------------------------------------------------

def _bounds(iso: str) -> tuple[_dt.date, _dt.date]:
    parts = [int(p) for p in iso.split("-")]
    if len(parts) == 1:
        return _dt.date(parts[0], 1, 1), _dt.date(parts[0], 12, 31)
    if len(parts) == 2:
        last = _calendar.monthrange(parts[0], parts[1])[1]
        return _dt.date(parts[0], parts[1], 1), _dt.date(parts[0], parts[1], last)
    day = _dt.date(*parts)
    return day, day


def interval(attrs: dict[str, str]) -> tuple[_dt.date | None, _dt.date | None, bool]:
    """The days a date's attributes denote: (first, last, approximate). An open end is None."""
    if "when" in attrs:
        a, b = _bounds(attrs["when"])
        return a, b, False
    if "from" in attrs or "to" in attrs:
        return (_bounds(attrs["from"])[0] if "from" in attrs else None,
                _bounds(attrs["to"])[1] if "to" in attrs else None, False)
    return (_bounds(attrs["notBefore"])[0] if "notBefore" in attrs else None,
            _bounds(attrs["notAfter"])[1] if "notAfter" in attrs else None, True)


def _envelope(a: _dt.date, b: _dt.date) -> tuple[_dt.date, _dt.date]:
    """The Gregorian month, else year, decade or century that holds both days: the unit an approximate date
    («в середине марта», «в начале 1918 г.», «в середине 30-х годов») is a part of."""
    if (a.year, a.month) == (b.year, b.month):
        return _bounds(f"{a.year:04d}-{a.month:02d}")
    if a.year == b.year:
        return _bounds(f"{a.year:04d}")
    if a.year // 10 == b.year // 10:
        return _dt.date(a.year // 10 * 10, 1, 1), _dt.date(a.year // 10 * 10 + 9, 12, 31)
    first = (a.year - 1) // 100 * 100 + 1
    return _dt.date(first, 1, 1), _dt.date(first + 99, 12, 31)


# ---- the TEI -------------------------------------------------------------------------------------

def start_line(el: etree._Element) -> int:
    """The source line on which an element's text starts: the last <lb n> before it in reading order.
    A note's lines are its own: the text after a note continues the line of the text before it."""
    for node in el.itersiblings(preceding=True):
        if node.tag == T + "note":
            continue
        lbs = [node] if node.tag == T + "lb" else [x for x in node.iter(T + "lb") if not _in_note(x, node)]
        if lbs and lbs[-1].get("n"):
            return int(lbs[-1].get("n"))
    parent = el.getparent()
    return start_line(parent) if parent is not None else 0


def _in_note(lb: etree._Element, top: etree._Element) -> bool:
    return any(a.tag == T + "note" for a in _ancestors_below(lb, top))


def _ancestors_below(el: etree._Element, top: etree._Element):
    for a in el.iterancestors():
        if a is top:
            return
        yield a


def _source_text(el: etree._Element):
    """The source reading of a tagged name or date (sic, orig; not corr, reg, editors' additions)."""
    if el.text:
        yield el.text
    for child in el:
        editorial = (child.get("resp") or "").startswith("#ed") or isinstance(child, etree._Comment)
        if child.tag not in _NOT_SOURCE and child.tag not in MILESTONES and not editorial:
            yield from _source_text(child)
        if child.tail:
            yield child.tail


@dataclass
class Tag:
    line: int
    text: str          # the source reading, as in the TEI
    attrs: dict[str, str]
    element: str
    nested: bool       # inside another tag of its kind
    doc: str = ""

    @property
    def key(self) -> str:
        return norm(self.text)

    @property
    def ref(self) -> str:
        return (self.attrs.get("ref") or "").lstrip("#")

    def says(self) -> str:
        """What the TEI says, in a few words: element, link or date attributes, certainty."""
        keys = ("ref",) if self.element != "date" else DATE_ATTRS + ("calendar",)
        bits = [f"{k}={self.attrs[k]}" for k in keys + ("cert",) if self.attrs.get(k)]
        return f"<{self.element}{' ' if bits else ''}{' '.join(bits)}> «{' '.join(self.text.split())}»"


def _tags(root: etree._Element, tags: tuple[str, ...], doc: str, keep=lambda el: True) -> list[Tag]:
    out = []
    for el in root.iter(*tags):
        if el.xpath("ancestor::*[local-name()='teiHeader']") or not keep(el):
            continue
        nested = any(a.tag in tags for a in el.iterancestors())
        local = etree.QName(el).localname
        out.append(Tag(start_line(el), "".join(_source_text(el)), dict(el.attrib),
                       "date" if el.tag in DATE_TAGS else local, nested, doc))
    return out


def name_tags(root: etree._Element, doc: str = "") -> list[Tag]:
    return _tags(root, NAME_TAGS, doc)


def date_tags(root: etree._Element, doc: str = "") -> list[Tag]:
    # a docDate or origDate counts when it states the date itself, not through a <date> inside it
    return _tags(root, DATE_TAGS, doc, lambda el: el.tag == T + "date" or (
        any(el.get(a) for a in DATE_ATTRS) and el.find(".//" + T + "date") is None))


# ---- matching ------------------------------------------------------------------------------------

def match(rows: list, tags: list[Tag], text=lambda r: r.mention) -> tuple[dict[int, Tag], list[Tag]]:
    """Pair rows with tags: on the row's source line, equal surface first, then one containing the other;
    last, a tag on the line before or after whose text contains the row's or lies in it (the tag took a word
    of the next or previous line: «в|конце января», «большевистско-|го Совнаркома»).
    Returns {index of row: tag} and the tags left over."""
    by_line: dict[int, list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        by_line[r.line].append(i)
    free: dict[int, list[Tag]] = defaultdict(list)
    for t in tags:
        free[t.line].append(t)
    paired: dict[int, Tag] = {}

    def take(i: int, pool: list[Tag], contains: bool) -> None:
        want = norm(text(rows[i]))
        for t in pool:
            if (t.key and (want in t.key or t.key in want)) if contains else t.key == want:
                paired[i] = t
                pool.remove(t)
                return

    for contains in (False, True):
        for line, idx in by_line.items():
            for i in idx:
                if i not in paired:
                    take(i, free[line], contains)
    for line, idx in by_line.items():
        for i in idx:
            for near in (line - 1, line + 1):
                if i not in paired and near in free:
                    take(i, free[near], True)
    return paired, [t for pool in free.values() for t in pool]


# ---- names ---------------------------------------------------------------------------------------

@dataclass
class NameCase:
    row: NameRow
    tag: Tag | None
    # right | wrong | missed | unlinked (tagged, no ref) | unverified (the register lacked it, linked now) |
    # false (a tag on a non-name) | continued (not judged)
    verdict: str

    def line(self) -> str:
        said = self.tag.says() if self.tag else "untagged"
        want = self.row.ref if self.row.kind != "absent" else f"{self.row.ref} ({self.row.note})"
        where = f"{self.row.doc}:{self.row.line}"
        return f"{where}: «{self.row.mention}» expected {want}; TEI: {said} → {self.verdict}"


@dataclass
class NameScore:
    cases: list[NameCase] = field(default_factory=list)
    extra: list[Tag] = field(default_factory=list)      # tags on sampled lines that match no row
    extra_doc: dict[int, str] = field(default_factory=dict)

    def expected(self, only=lambda c: True) -> list[NameCase]:
        return [c for c in self.cases if c.row.kind in ("entry", "absent", "undecided") and only(c)]

    def recall(self, only=lambda c: True) -> tuple[int, int]:
        exp = self.expected(only)
        return sum(c.verdict == "right" for c in exp), len(exp)

    def precision(self) -> tuple[int, int]:
        tagged = [c for c in self.cases if c.tag is not None and c.verdict != "continued"]
        return sum(c.verdict == "right" for c in tagged), len(tagged) + len(self.extra)


def _judge_name(row: NameRow, tag: Tag | None) -> str:
    if row.kind == "none":
        return "false" if tag else "right"
    if row.kind == "continued":     # the end of a name begun on an unsampled line: judged only if mislinked
        return "wrong" if tag is not None and tag.ref and tag.ref != row.ref else "continued"
    if tag is None:
        return "missed"
    low = tag.attrs.get("cert") == "low"
    if row.kind == "undecided":
        return "right" if low and (not tag.ref or tag.ref in row.candidates) else "wrong"
    if not tag.ref:
        return "unlinked"
    if row.kind == "absent":
        return "unverified"
    return "right" if tag.ref == row.ref else "wrong"


def score_names(rows: list[NameRow], trees: dict[str, etree._Element]) -> dict[str, NameScore]:
    out = {}
    for doc, root in trees.items():
        mine = [r for r in rows if r.doc == doc]
        if not mine:
            continue
        lines = {r.line for r in mine}
        tags = [t for t in name_tags(root, doc) if t.line in lines]
        named = [r for r in mine if r.kind != "empty"]
        paired, extra = match(named, tags)
        s = NameScore(extra=extra)
        for i, r in enumerate(named):
            s.cases.append(NameCase(r, paired.get(i), _judge_name(r, paired.get(i))))
        out[doc] = s
    return out


# ---- dates ---------------------------------------------------------------------------------------

@dataclass
class DateCase:
    row: DateRow
    tag: Tag | None
    verdict: str                  # right | wrong | missed
    why: str = ""

    def line(self) -> str:
        want = " ".join(f"{k}={v}" for k, v in self.row.value.items() if k != "in")
        said = self.tag.says() if self.tag else "untagged"
        extra = f" ({self.why})" if self.why else ""
        inferred = " year inferred" if self.row.year == "inferred" else ""
        return (f"{self.row.doc}:{self.row.line}: «{self.row.expression}» expected {want} {self.row.calendar}"
                f"{inferred}; TEI: {said} → {self.verdict}{extra}")


@dataclass
class DateScore:
    cases: list[DateCase] = field(default_factory=list)
    extra: list[Tag] = field(default_factory=list)

    def accuracy(self, only=lambda c: True) -> tuple[int, int]:
        cases = [c for c in self.cases if only(c)]
        return sum(c.verdict == "right" for c in cases), len(cases)


def _tag_calendar(tag: Tag) -> str:
    cal = tag.attrs.get("calendar", "")
    return "julian" if cal.endswith("julian") else "gregorian" if cal.endswith("gregorian") else cal


def judge_date(row: DateRow, tag: Tag | None) -> tuple[str, str]:
    if tag is None:
        return "missed", ""
    got = {k: tag.attrs[k] for k in DATE_ATTRS if tag.attrs.get(k)}
    try:
        a, b, approx = interval(got)
    except ValueError:
        return "wrong", "not an ISO date"
    if not got:
        return "wrong", "no normalised value"
    ea, eb, eapprox = interval(row.value)
    if eapprox:
        if not approx:
            return "wrong", "an approximate date needs notBefore/notAfter"
        if "in" in row.value:
            lo, hi = (_bounds(x)[i] for i, x in enumerate(row.value["in"].split("/")))
        else:
            lo, hi = _envelope(ea, eb) if ea and eb else (ea, eb)
        inside = (a is None or lo is None or a >= lo) and (b is None or hi is None or b <= hi)
        covers = (a is None or (ea is not None and a <= ea)) and (b is None or (eb is not None and b >= eb))
        if not (inside and covers):
            return "wrong", "interval"
    elif approx or (a, b) != (ea, eb):
        return "wrong", "interval"
    cal = _tag_calendar(tag)
    if row.calendar == "julian" and cal != "julian":
        return "wrong", "calendar: written in the Julian calendar"
    if row.calendar == "gregorian" and cal not in ("", "gregorian"):
        return "wrong", "calendar: written in the Gregorian calendar"
    if row.year == "inferred" and not tag.attrs.get("cert"):
        return "wrong", "the year is the editors' inference: @cert"
    return "right", ""


def score_dates(rows: list[DateRow], trees: dict[str, etree._Element]) -> dict[str, DateScore]:
    out = {}
    for doc, root in trees.items():
        mine = [r for r in rows if r.doc == doc]
        if not mine:
            continue
        lines = {r.line for r in mine}
        tags = [t for t in date_tags(root, doc) if t.line in lines]
        dated = [r for r in mine if r.expression != "-"]
        paired, extra = match(dated, tags, text=lambda r: r.expression)
        s = DateScore(extra=extra)
        for i, r in enumerate(dated):
            verdict, why = judge_date(r, paired.get(i))
            s.cases.append(DateCase(r, paired.get(i), verdict, why))
        out[doc] = s
    return out


# ---- the report ----------------------------------------------------------------------------------

def _pct(hit: int, total: int) -> str:
    return f"{hit}/{total} = {100 * hit / total:.1f}%" if total else "0/0"


def names_report(scores: dict[str, NameScore], detail: bool = True) -> list[str]:
    out = ["names (tests/data/names_sample.tsv):"]
    total = NameScore()
    for doc, s in scores.items():
        total.cases += s.cases
        total.extra += s.extra
        out.append(f"  {doc}: recall {_pct(*s.recall())}, precision {_pct(*s.precision())}")
    out.append(f"  total: recall {_pct(*total.recall())}, precision {_pct(*total.precision())}")
    parts = (("parties named by their members", lambda c: "plural" in c.row.flags),
             ("names inside a longer name", lambda c: "nested" in c.row.flags),
             ("names in bibliographic references", lambda c: "bibl" in c.row.flags),
             ("without nested names", lambda c: "nested" not in c.row.flags),
             ("in notes", lambda c: c.row.part == "note"))
    out += [f"    {what}: recall {_pct(*total.recall(only))}" for what, only in parts]
    verdicts = Counter(c.verdict for c in total.expected())
    out.append("    expected names: " + ", ".join(f"{k} {v}" for k, v in sorted(verdicts.items())))
    if not detail:
        return out
    same = [c for c in total.cases if "namesake" in c.row.flags]
    out.append(f"  same-surname cases: {sum(c.verdict == 'right' for c in same)} of {len(same)} right")
    out += [f"    {c.line()}" for c in same]
    absent = [c for c in total.cases if c.row.kind == "absent"]
    out.append(f"  names the register lacks: {len(absent)}")
    out += [f"    {c.line()}" for c in absent]
    wrong = [c for c in total.cases if c.verdict in ("wrong", "unlinked", "false")]
    out.append(f"  wrong links and tags on non-names: {len(wrong)}")
    out += [f"    {c.line()}" for c in wrong]
    missed = [c for c in total.cases if c.verdict == "missed" and c.row.kind == "entry"]
    out.append(f"  missed names of register entries: {len(missed)}")
    out += [f"    {c.line()}" for c in missed]
    out.append(f"  tags on sampled lines that no sample row names: {len(total.extra)}")
    out += [f"    {t.doc}:{t.line}: {t.says()}" for t in total.extra]
    return out


def dates_report(scores: dict[str, DateScore], detail: bool = True) -> list[str]:
    out = ["dates (tests/data/dates_sample.tsv):"]
    total = DateScore()
    for doc, s in scores.items():
        total.cases += s.cases
        total.extra += s.extra
        v = Counter(c.verdict for c in s.cases)
        out.append(f"  {doc}: right {_pct(*s.accuracy())}; wrong {v['wrong']}, missed {v['missed']}")
    v = Counter(c.verdict for c in total.cases)
    out.append(f"  total: right {_pct(*total.accuracy())}; wrong {v['wrong']}, missed {v['missed']}")
    out.append(f"    without dates in bibliographic references: "
               f"{_pct(*total.accuracy(lambda c: 'bibl' not in c.row.flags))}")
    out.append(f"    Julian (Old Style) dates: {_pct(*total.accuracy(lambda c: c.row.calendar == 'julian'))}")
    out.append(f"    inferred years: {_pct(*total.accuracy(lambda c: c.row.year == 'inferred'))}")
    if detail:
        wrong = [c for c in total.cases if c.verdict == "wrong"]
        out.append(f"  wrong: {len(wrong)}")
        out += [f"    {c.line()}" for c in wrong]
        missed = [c for c in total.cases if c.verdict == "missed"]
        out.append(f"  missed: {len(missed)}")
        out += [f"    {c.line()}" for c in missed]
        out.append(f"  date tags on sampled lines that no sample row names: {len(total.extra)}")
        out += [f"    {t.doc}:{t.line}: {t.says()}" for t in total.extra]
    return out
