"""Tag date expressions: <date when|from|to calendar="#dNNN-julian|#dNNN-gregorian">.

@when/@from/@to are always proleptic Gregorian; @calendar names the calendar of the text as written.
Russian dates before 1 February 1918 are Old Style (Julian) unless the text marks them "н. ст."; the
Greek translation of Douds follows the same convention (26 Οκτωβρίου 1917 for the Second Congress).
Double dates name both sides: "20 (7) января", "3 февраля (21 января) 1918 г.", "24/11.1.1918" — the
first is New Style, @when gives it, and the Old Style reading is checked to be 13 days earlier.
A day and month without a year take the year of the nearest preceding date or year in the same
paragraph or note (cert="medium"). A weaker rule serves a body paragraph that names no year before
the date: it takes the year of the last date (with its month) the body text of the same division named
earlier, year-1/year/year+1 as nearest_year chooses (cert="low", listed for review), only if
 - no bare year other than that year came between ("в 1913 г." leaves nothing to carry, "1917 г."
   after "марта 1917 г." keeps it),
 - the date falls at most CARRY_MONTHS from that last date,
 - and within the period from the earliest to the latest month the division has named so far
   (d003: "17 Νοεμβρίου" after "μέχρι τον Ιούλιο του 1918" would be November 1918, which the
   section never reached; it is 1917, and stays untagged).
Never a year from a note (a note's publication year is no context), never across a division.
Dates in notes, and dates the weaker rule cannot place, are left untagged and reported. A date an
earlier run tagged serves as context just as it did when it was found (`written_year`), so a second
run places the same dates. tests/data/dates_inferred.tsv holds the hand reading of every such date.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from lxml import etree

from .julian import is_old_style, month_span, to_gregorian
from .stream import BARRIER, T, build, can_wrap, streams, wrap
from .text import strip_accents

XID = "{http://www.w3.org/XML/1998/namespace}id"
CARRY_MONTHS = 4   # a year carried from earlier paragraphs: the bare date at most this far from the last date

_MONTHS = [
    # (regex over folded text: lower case, no accents, final sigma as σ; month)
    (r"январ(?:ь|я|е|ю|ем|ём)", 1), (r"феврал(?:ь|я|е|ю|ем|ём)", 2), (r"март(?:а|е|ом)?", 3),
    (r"апрел(?:ь|я|е|ю|ем)", 4), (r"ма(?:й|я|е|ю|ем)", 5), (r"июн(?:ь|я|е|ю|ем)", 6),
    (r"июл(?:ь|я|е|ю|ем)", 7), (r"август(?:а|е|ом)?", 8), (r"сентябр(?:ь|я|е|ю|ем|ём)", 9),
    (r"октябр(?:ь|я|е|ю|ем|ём)", 10), (r"ноябр(?:ь|я|е|ю|ем|ём)", 11), (r"декабр(?:ь|я|е|ю|ем|ём)", 12),
    (r"ιανουαρι(?:ου|οσ|ο)", 1), (r"φεβρουαρι(?:ου|οσ|ο)", 2), (r"μαρτι(?:ου|οσ|ο)", 3),
    (r"απριλι(?:ου|οσ|ο)", 4), (r"μαι(?:ου|οσ|ο)", 5), (r"ιουνι(?:ου|οσ|ο)", 6), (r"ιουλι(?:ου|οσ|ο)", 7),
    (r"αυγουστ(?:ου|οσ|ο)", 8), (r"σεπτεμβρι(?:ου|οσ|ο)", 9), (r"οκτωβρι(?:ου|οσ|ο)", 10),
    (r"νοεμβρι(?:ου|οσ|ο)", 11), (r"δεκεμβρι(?:ου|οσ|ο)", 12),
    (r"january", 1), (r"february", 2), (r"march", 3), (r"april", 4), (r"may", 5), (r"june", 6),
    (r"july", 7), (r"august", 8), (r"september", 9), (r"october", 10), (r"november", 11), (r"december", 12),
]
MONTH = "(?:" + "|".join(p for p, _ in _MONTHS) + r")(?![\w])"
_MONTH_RE = [(re.compile(p + r"$"), n) for p, n in _MONTHS]
DAY = r"(?<![\d.,/])([0-3]?\d)(?:-?(?:го|е|ое|η|ης|th|st|nd|rd))?"
YEAR = r"(1[89]\d\d|20[0-2]\d)(?![\d])(?:\s*(?:г\.|гг\.|года|году|год)(?!\w))?"
YR = r"(?:\s+(?:του|of)|,)?\s+" + YEAR
NS_MARK = re.compile(r"\s*\(?\s*(?:н\.\s?ст\.|по новому стилю|нового стиля)")
OS_MARK = re.compile(r"\s*\(?\s*(?:ст\.\s?ст\.|по старому стилю|старого стиля)")

PATTERNS = [
    # 3 февраля (21 января) 1918 г.
    ("double-full", re.compile(DAY + r"\s+(" + MONTH + r")\s*\(\s*" + DAY + r"\s+(" + MONTH + r")\s*\)" + YR)),
    # 20 (7) января [1918]
    ("double-day", re.compile(DAY + r"\s*\(\s*" + DAY + r"\s*\)\s*(" + MONTH + r")(?:" + YR + ")?")),
    # 24/11.1.1918
    ("double-numeric", re.compile(r"(?<![\d.])([0-3]?\d)/([0-3]?\d)\.([01]?\d)\.(1[89]\d\d)(?!\d|\.\d)")),
    # 12-13 мая (1918 года): the year in brackets after the days
    ("day-range-paren", re.compile(DAY + r"\s*[-–—]\s*" + DAY + r"\s+(" + MONTH + r")\s*\(\s*" + YEAR + r"\s*\)")),
    # 10–15 декабря 1917
    ("day-range", re.compile(DAY + r"\s*[-–—]\s*" + DAY + r"\s+(" + MONTH + r")(?:" + YR + ")?")),
    # 26 октября 1917 г. – 10 января 1918 г. (a range, each end in its own calendar)
    ("full-range", re.compile(DAY + r"\s+(" + MONTH + r")" + YR + r"\s*[-–—]\s*" + DAY + r"\s+(" + MONTH + r")" + YR)),
    # 20 и 22 февраля 1918 / 20 και 22 Φεβρουαρίου 1918: two dates
    ("day-pair", re.compile(DAY + r"\s+(?:и|και|and)\s+" + DAY + r"\s+(" + MONTH + r")(?:" + YR + ")?")),
    # Δεκέμβριος 1917-Μάρτιος 1918
    ("month-range", re.compile(r"(" + MONTH + r")" + YR + r"\s*[-–—]\s*(" + MONTH + r")" + YR)),
    # 1.2(19.1).1918
    ("double-numeric-paren", re.compile(r"(?<![\d.])([0-3]?\d)\.([01]?\d)\s*\(\s*([0-3]?\d)\.([01]?\d)\s*\)\.?\s*(1[89]\d\d)(?!\d|\.\d)")),
    # 24.1.1911
    ("numeric", re.compile(r"(?<![\d./])([0-3]?\d)\.([01]?\d)\.(1[89]\d\d)(?!\d|\.\d)")),
    # Правда. 1917. 27 октября. (a newspaper cited by year, then day and month)
    ("year-day-month", re.compile(r"(?<![\d])(1[89]\d\d)\.\s+" + DAY + r"\s+(" + MONTH + r")")),
    # 25 октября 1917 г. / 25 октября / 26 Οκτωβρίου 1917
    ("day-month", re.compile(DAY + r"\s+(" + MONTH + r")(?:" + YR + ")?")),
    # November 1917 / в ноябре 1917 г. / τον Δεκέμβριο του 1917
    ("month-year", re.compile(r"(?<![\w])(" + MONTH + r")" + YR)),
]
# A year that sets the context for later bare dates: only one the text marks as a year ("1917 г.",
# "το 1917", "in 1917"), not a bare number (publication years in notes are bare numbers).
BARE_YEAR = re.compile(r"(?:(?<![\d])(1[89]\d\d|20[0-2]\d)\s*(?:г\.|год)|(?:\bτο|\bτου|\bτον|\bin|\bв)\s+(1[89]\d\d|20[0-2]\d)(?![\d]))")


def month_number(word: str) -> int:
    for rx, n in _MONTH_RE:
        if rx.match(word):
            return n
    raise ValueError(word)


@dataclass
class Found:
    start: int
    end: int
    attrs: dict[str, str]
    text: str


@dataclass
class DateReport:
    tagged: int = 0
    by_kind: Counter = field(default_factory=Counter)
    julian: int = 0
    inferred: int = 0
    inferred_texts: list[str] = field(default_factory=list)
    carried: int = 0                                                      # cert="low": year from earlier paragraphs
    carried_texts: list[str] = field(default_factory=list)
    carried_before: list[str] = field(default_factory=list)   # cert="low" dates an earlier run tagged
    no_year: list[tuple[int, str]] = field(default_factory=list)
    invalid: list[tuple[int, str, str]] = field(default_factory=list)   # (TEI line, text, element): no such day


def fold(text: str) -> str:
    """Lower case, accents off, same length (so positions stay valid)."""
    return strip_accents(text).lower().replace("ё", "е").replace("ς", "σ")


class Dater:
    def __init__(self, doc_id: str, report: DateReport):
        self.doc = doc_id
        self.year: int | None = None      # the year the text last named
        self.month: int | None = None     # and its month, when a date named one
        self.carry: tuple[int, int] | None = None   # (year, month) of the last date in earlier body paragraphs
        self.known: set[tuple[int, int]] = set()   # (year, month) the earlier body paragraphs named
        self.named: set[tuple[int, int]] = set()   # (year, month) this text names, as written
        self.report = report

    def cal(self, julian: bool) -> str:
        return f"#{self.doc}-{'julian' if julian else 'gregorian'}"

    def single(self, y: int, m: int, d: int, marks: str) -> dict[str, str]:
        julian = self._julian(y, m, d, marks)
        return {"when": to_gregorian(y, m, d, julian).isoformat(), "calendar": self.cal(julian)}

    def _julian(self, y: int, m: int, d: int, marks: str) -> bool:
        if NS_MARK.match(marks):
            return False
        if OS_MARK.match(marks):
            return True
        return is_old_style(y, m, d)

    def interpret(self, kind: str, g: tuple, after: str) -> dict[str, str] | None:
        y: int | None
        if kind == "double-full":
            d1, m1, d2, m2, y = int(g[0]), month_number(g[1]), int(g[2]), month_number(g[3]), int(g[4])
            return self._double(y, m1, d1, m2, d2)
        if kind == "double-day":
            d1, d2, m = int(g[0]), int(g[1]), month_number(g[2])
            y, cert = (int(g[3]), None) if g[3] else self.infer(m)
            if y is None:
                return None
            attrs = self._double(y, m, d1, m if d2 < d1 else (m - 2) % 12 + 1, d2)
            if attrs and cert:
                attrs["cert"] = cert
            return attrs
        if kind == "double-numeric":
            d1, d2, m, y = int(g[0]), int(g[1]), int(g[2]), int(g[3])
            return self._double(y, m, d1, m if d2 < d1 else (m - 2) % 12 + 1, d2)
        if kind == "double-numeric-paren":
            d1, m1, d2, m2, y = (int(x) for x in g)
            return self._double(y, m1, d1, m2, d2)
        if kind in ("day-range", "day-range-paren"):
            d1, d2, m = int(g[0]), int(g[1]), month_number(g[2])
            y, cert = (int(g[3]), None) if g[3] else self.infer(m)
            if y is None or d2 <= d1:
                return None
            julian = self._julian(y, m, d1, after)
            attrs = {"from": to_gregorian(y, m, d1, julian).isoformat(),
                     "to": to_gregorian(y, m, d2, julian).isoformat(), "calendar": self.cal(julian)}
            if cert:
                attrs["cert"] = cert
            return attrs
        if kind == "full-range":
            d1, m1, y1, d2, m2, y2 = int(g[0]), month_number(g[1]), int(g[2]), int(g[3]), month_number(g[4]), int(g[5])
            j1, j2 = self._julian(y1, m1, d1, ""), self._julian(y2, m2, d2, after)
            start, end = to_gregorian(y1, m1, d1, j1), to_gregorian(y2, m2, d2, j2)
            if end <= start:
                return None
            return {"from": start.isoformat(), "to": end.isoformat(), "calendar": self.cal(j1)}
        if kind == "month-range":
            m1, y1, m2, y2 = month_number(g[0]), int(g[1]), month_number(g[2]), int(g[3])
            j1 = self._julian(y1, m1, 1, "")
            j2 = self._julian(y2, m2, 1, after)
            if (y2, m2) <= (y1, m1):
                return None
            return {"from": month_span(y1, m1, j1)[0].isoformat(), "to": month_span(y2, m2, j2)[1].isoformat(),
                    "calendar": self.cal(j1)}
        if kind == "year-day-month":
            return self.single(int(g[0]), month_number(g[2]), int(g[1]), after)
        if kind == "numeric":
            d, m, y = int(g[0]), int(g[1]), int(g[2])
            return self.single(y, m, d, after)
        if kind == "day-month":
            d, m = int(g[0]), month_number(g[1])
            y, cert = (int(g[2]), None) if g[2] else self.infer(m)
            if y is None:
                return None
            attrs = self.single(y, m, d, after)
            if cert:
                attrs["cert"] = cert
            return attrs
        if kind == "month-year":
            m, y = month_number(g[0]), int(g[1])
            julian = self._julian(y, m, 1, after)
            first, last = month_span(y, m, julian)
            if not julian:
                return {"when": f"{y:04d}-{m:02d}", "calendar": self.cal(False)}
            return {"from": first.isoformat(), "to": last.isoformat(), "calendar": self.cal(True)}
        return None

    def infer(self, month: int) -> tuple[int | None, str | None]:
        """The year of a bare day and month and how certain it is: from its own paragraph or note
        ("medium"), else from the last date of earlier body paragraphs of its division ("low"), else none."""
        if self.year is not None:
            return self.nearest_year(month), "medium"
        if self.carry is not None:
            year, last = self.carry
            y = _nearest(year, last, month)
            # near the last date, and within the period the division's dates have covered so far
            if (abs(y * 12 + month - (year * 12 + last)) <= CARRY_MONTHS and self.known
                    and min(self.known) <= (y, month) <= max(self.known)):
                return y, "low"
        return None, None

    def _named(self) -> None:
        if self.month is not None and self.year is not None:
            self.named.add((self.year, self.month))

    def nearest_year(self, month: int) -> int | None:
        """The year that puts a bare day and month nearest to the date the text named last
        ("μεταξύ Δεκεμβρίου 1917 και Μαρτίου 1918 ... Στις 13 Δεκεμβρίου" → December 1917)."""
        if self.year is None:
            return None
        if self.month is None:
            return self.year
        return _nearest(self.year, self.month, month)

    def _double(self, y: int, m_ns: int, d_ns: int, m_os: int, d_os: int) -> dict[str, str] | None:
        """Both sides given: the first is New Style, the second Old Style, 13 days earlier (1900–2099)."""
        ns = date(y, m_ns, d_ns)
        y_os = y - 1 if m_os > m_ns else y
        if to_gregorian(y_os, m_os, d_os, True) != ns:
            return None
        return {"when": ns.isoformat(), "calendar": self.cal(False)}

    @staticmethod
    def _month_as_written(kind: str, groups: tuple) -> int | None:
        """The (last) month named in a date expression, as written."""
        if kind in ("numeric",):
            return int(groups[1])
        if kind in ("double-numeric", "double-numeric-paren"):
            return int(groups[2]) if kind == "double-numeric" else int(groups[1])
        words = [g for g in groups if g and not g.isdigit()]
        for w in reversed(words):
            try:
                return month_number(w)
            except ValueError:
                continue
        return None

    def find(self, text: str, tagged: dict[int, etree._Element] | None = None) -> list[Found]:
        """The dates in `text`; `tagged` (position of a BARRIER -> child) lets a <date> an earlier run
        tagged name its year as context, as it did when it was found."""
        low = fold(text)
        taken = [False] * len(low)
        found: list[tuple[int, int, str, tuple]] = []      # (start, end, kind, groups)
        for kind, rx in PATTERNS:
            for m in rx.finditer(low):
                s, e = m.start(), m.end()
                if any(taken[s:e]) or BARRIER in low[s:e]:
                    continue
                found.append((s, e, kind, m.groups()))
                for i in range(s, e):
                    taken[i] = True
        out: list[Found] = []
        # interpret in reading order, so that a year named earlier serves later bare dates
        events = sorted([(f[0], "date", f) for f in found] +
                        [(y.start(), "year", y) for y in BARE_YEAR.finditer(low) if not taken[y.start()]] +
                        [(i, "tagged", el) for i, el in (tagged or {}).items() if el.tag == T + "date"],
                        key=lambda x: x[0])
        for _, what, item in events:
            if what == "year":
                self.year, self.month = int(item.group(1) or item.group(2)), None
                continue
            if what == "tagged":
                written = written_year(item, self.doc)
                if written is not None:
                    self.year, self.month = written
                    self._named()
                continue
            s, e, kind, groups = item
            if kind == "day-pair":
                first_end = s + len(groups[0]) if low[s:s + len(groups[0])] == groups[0] else None
                m2 = re.search(DAY + r"\s+(" + MONTH + r")", low[s:e][len(groups[0]):])
                if first_end is None or m2 is None:
                    continue
                second = (s + len(groups[0]) + m2.start(), e)
                try:
                    a1 = self.interpret("day-month", (groups[0], groups[2], groups[3]), low[e:e + 24])
                    a2 = self.interpret("day-month", (groups[1], groups[2], groups[3]), low[e:e + 24])
                except ValueError:
                    self.report.invalid.append((0, text[s:e], ""))
                    continue
                if a1 is None or a2 is None:
                    self.report.no_year.append((0, text[s:e]))
                    continue
                out.append(Found(s, first_end, a1, text[s:first_end]))
                out.append(Found(second[0], second[1], a2, text[second[0]:second[1]]))
                self.report.by_kind[kind] += 2
                if groups[3]:
                    self.year, self.month = int(groups[3]), month_number(groups[2])
                    self._named()
                continue
            try:
                attrs = self.interpret(kind, groups, low[e:e + 24])
            except ValueError:
                self.report.invalid.append((0, text[s:e], ""))
                continue
            if attrs is None:
                self.report.no_year.append((0, text[s:e]))
                continue
            out.append(Found(s, e, attrs, text[s:e]))
            self.report.by_kind[kind] += 1
            year = re.findall(r"1[89]\d\d|20[0-2]\d", low[s:e])
            if year:
                self.year = int(year[-1])
                self.month = self._month_as_written(kind, groups)
                self._named()
        return out


def written_year(el: etree._Element, doc_id: str) -> tuple[int, int | None] | None:
    """The year (and month) a tagged <date> names in its text, as reading it untagged would set them;
    None for a date whose year was inferred (it names none)."""
    probe = Dater(doc_id, DateReport())
    probe.find(build(el).text)
    return (probe.year, probe.month) if probe.year is not None else None


def _nearest(year: int, last: int, month: int) -> int:
    """year-1, year or year+1: the one that puts `month` nearest to `last` of `year`."""
    here = year * 12 + last
    return min((year - 1, year, year + 1), key=lambda y: (abs(y * 12 + month - here), y != year))


def tag_dates(root: etree._Element, doc_id: str, lang: str) -> DateReport:
    report = DateReport()
    dater = Dater(doc_id, report)
    text = root.find(T + "text")
    if text is None:
        return report
    for d in text.iter(T + "date"):
        if d.get("cert") == "low":
            report.carried_before.append(f"line {d.sourceline}: {' '.join(build(d).text.split())} → "
                                         f"{d.get('when') or d.get('from')}")
    carry: dict[etree._Element, tuple[int, int] | None] = {}   # division -> (year, month) its body text named last
    months: dict[etree._Element, set[tuple[int, int]]] = {}     # division -> every (year, month) its body named
    for parent in list(streams(text)):
        raw = (parent.text or "") + "".join(c.tail or "" for c in parent)
        if not any(ch.isdigit() for ch in raw) and parent.find(T + "date") is None:
            continue
        st = build(parent)
        in_note = bool(parent.xpath("ancestor-or-self::t:note", namespaces={"t": T[1:-1]}))
        div = next(parent.iterancestors(T + "div"), None) if parent.tag != T + "div" else parent
        dater.year = dater.month = None      # a year named in the paragraph or note is context within it
        body = div is not None and not in_note
        dater.carry = carry.get(div) if body else None
        dater.known = months.setdefault(div, set()) if body else set()
        dater.named = set()
        known, unplaced = len(report.invalid), len(report.no_year)
        found = dater.find(st.text, st.barriers)
        report.no_year[unplaced:] = [(parent.sourceline or 0, t) for _, t in report.no_year[unplaced:]]
        where = f"<{etree.QName(parent).localname}{' xml:id=' + repr(parent.get(XID)) if parent.get(XID) else ''}>"
        report.invalid[known:] = [(parent.sourceline or 0, t, where) for _, t, _ in report.invalid[known:]]
        if body:
            months[div] |= dater.named
        if body and dater.year is not None:
            # the last year the body named, with its month; a bare year ("в 1913 г.") leaves nothing
            # to carry, unless it is the year already carried ("1917 г." after "марта 1917 г.")
            last = carry.get(div)
            if dater.month:
                carry[div] = (dater.year, dater.month)
            elif not (last and last[0] == dater.year):
                carry[div] = None
        for f in reversed(found):
            if not can_wrap(st, f.start, f.end):
                continue
            el = etree.Element(T + "date")
            for k in ("when", "from", "to", "calendar", "cert"):
                if k in f.attrs:
                    el.set(k, f.attrs[k])
            wrap(st, f.start, f.end, el)
            report.tagged += 1
            report.julian += f.attrs["calendar"].endswith("julian")
            if f.attrs.get("cert") == "medium":
                report.inferred += 1
                report.inferred_texts.append(f"{f.text} → {f.attrs.get('when') or f.attrs.get('from')}")
            elif f.attrs.get("cert") == "low":
                report.carried += 1
                report.carried_texts.append(f"line {parent.sourceline}: {f.text} → {f.attrs.get('when') or f.attrs.get('from')}")
    return report
