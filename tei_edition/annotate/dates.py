"""Tag date expressions: <date when|from|to|notBefore|notAfter calendar="#dNNN-julian|#dNNN-gregorian">.

The values are always proleptic Gregorian (ISO 8601); @calendar names the calendar of the text as written.

Reading a text takes three steps (`Dater.find`):
1. *Atoms*, found by the patterns below over the folded text (lower case, accents off): a day, month and
   year ("25 октября 1917 г.", "30ής Δεκεμβρίου 1917", "30 Dec. 1917", "24.1.1911"), a month and year,
   a year ("в 1903 году", "1917-м"), a decade ("20-х годов", "1930-х гг."), a century ("ХХ века"), a
   double date that names both calendars ("20 (7) января", "18 του Νοέμβρη (1 του Δεκέμβρη)",
   "24/11.1.1918"), and, as the first half of a range or pair only, a bare day, a bare month or a day
   and month in figures ("2-", "с 16 по", "апрель-", "с 26.6. по"). A qualifier before an atom makes it
   approximate ("в начале марта 1918 г.", "στα τέλη Δεκεμβρίου 1917", "the end of November 1917").
2. *Ranges and pairs*: two atoms joined by a dash, "с … по", "от … до", "между … и", "μεταξύ … και",
   "από … έως", "from … to", "between … and" make one range (the first takes the year, and month, it
   lacks from the second: "с 26.6. по 13.7.1930"); "20 и 22 февраля", "в августе и сентябре 1923 г."
   make two dates that share the year.
3. *Values*. The calendar of a date follows the context, not the language: Russian events before
   1 February 1918 (as written) are Old Style unless the text marks them "н. ст."; a year alone is Old
   Style before 1918. Where the context decides otherwise (Western European events: Marx in Paris in
   September 1843, Thermidor), the editors say so in the TEI: a <date> they set with @calendar and
   @resp="#ed" (written by the import from the profile's [[dates]], see `editors.py`) is kept as it is.
   A day-precise date gives @when, a month @when="YYYY-MM" (Gregorian) or @from/@to (Julian, converted
   day by day), a year @when="YYYY", a decade or century @from/@to, a range @from/@to, an approximate
   date @notBefore/@notAfter: the first, middle or last third of its month, year or decade ("начале",
   "середине", "конце"; "первой/второй половине": the halves).

A date without its year takes one, marked as the editors' inference (@cert, @resp="#ed",
@evidence="internal", @source pointing to the element whose text gives the year):
 - from its own paragraph or note: the year the text named last before it, nearest to the last month
   named (cert="medium");
 - in body text only, from the last dated month of earlier body paragraphs of its division (cert="low"),
   year-1/year/year+1 as `_nearest` chooses, only if no bare year other than that year came between,
   the date falls at most CARRY_MONTHS from that last date, and within the period from the earliest to
   the latest month the division has named so far (d003: "17 Νοεμβρίου" after "μέχρι τον Ιούλιο του
   1918" would be November 1918, which the section never reached);
 - else the editors decide (profile [[dates]]: the subject, a heading, the date line of a document), or
   the date is left untagged and listed for review.
Never a year from a note's publication years (a bare number sets no context; "1917 г.", "в 1917" do),
never across a division. A date an earlier run tagged serves as context just as it did when it was
found (`written_year`), so a second run places the same dates. tests/data/dates_inferred.tsv holds the
hand reading of the inferred years.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from lxml import etree

from .julian import is_old_style, month_span, to_gregorian
from .stream import BARRIER, T, build, can_wrap, streams, wrap

XID = "{http://www.w3.org/XML/1998/namespace}id"
CARRY_MONTHS = 4   # a year carried from earlier paragraphs: the bare date at most this far from the last date

_MONTHS = [
    # (regex over folded text: lower case, no accents but й, final sigma as σ; month)
    (r"январ(?:ь|я|е|ю|ем|ём)", 1), (r"феврал(?:ь|я|е|ю|ем|ём)", 2), (r"март(?:а|е|ом)?", 3),
    (r"апрел(?:ь|я|е|ю|ем)", 4), (r"ма(?:й|я|е|ю|ем)", 5), (r"июн(?:ь|я|е|ю|ем)", 6),
    (r"июл(?:ь|я|е|ю|ем)", 7), (r"август(?:а|е|ом)?", 8), (r"сентябр(?:ь|я|е|ю|ем|ём)", 9),
    (r"октябр(?:ь|я|е|ю|ем|ём)", 10), (r"ноябр(?:ь|я|е|ю|ем|ём)", 11), (r"декабр(?:ь|я|е|ю|ем|ём)", 12),
    (r"ιανουαρι(?:ου|οσ|ο)|γεναρη", 1), (r"φεβρουαρι(?:ου|οσ|ο)|φλεβαρη", 2), (r"μαρτι(?:ου|οσ|ο)|μαρτη", 3),
    (r"απριλι(?:ου|οσ|ο)|απριλη", 4), (r"μαι(?:ου|οσ|ο)|μαη", 5), (r"ιουνι(?:ου|οσ|ο)|ιουνη", 6),
    (r"ιουλι(?:ου|οσ|ο)|ιουλη", 7), (r"αυγουστ(?:ου|οσ|ο)", 8), (r"σεπτεμβρι(?:ου|οσ|ο)|σεπτεμβρη", 9),
    (r"οκτωβρι(?:ου|οσ|ο)|οκτωβρη", 10), (r"νοεμβρι(?:ου|οσ|ο)|νοεμβρη", 11),
    (r"δεκεμβρι(?:ου|οσ|ο)|δεκεμβρη", 12),
    (r"january|jan\.", 1), (r"february|feb\.", 2), (r"march|mar\.", 3), (r"april|apr\.", 4), (r"may", 5),
    (r"june|jun\.", 6), (r"july|jul\.", 7), (r"august|aug\.", 8), (r"september|sept?\.", 9),
    (r"october|oct\.", 10), (r"november|nov\.", 11), (r"december|dec\.", 12),
    # Russian in Latin transliteration (titles in the notes of 003: "noiabr’ 1917–mart 1918 gg.")
    (r"ianvar[’']?|ianvaria", 1), (r"fevral[’']?|fevralia", 2), (r"marta?", 3), (r"aprel[’']?|aprelia", 4),
    (r"maia?", 5), (r"iiun[’']?|iiunia", 6), (r"iiul[’']?|iiulia", 7), (r"avgusta?", 8),
    (r"sentiabr[’']?|sentiabria", 9), (r"oktiabr[’']?|oktiabria", 10), (r"noiabr[’']?|noiabria", 11),
    (r"dekabr[’']?|dekabria", 12),
    # French, in titles of the notes of 001 ("avril-mai 1935")
    (r"janvier", 1), (r"fevrier", 2), (r"mars", 3), (r"avril", 4), (r"juin", 6), (r"juillet", 7), (r"aout", 8),
    (r"septembre", 9), (r"octobre", 10), (r"novembre", 11), (r"decembre", 12),
]
_END = r"(?![^\W\d_])"                      # not followed by a letter
MONTH = "(?:" + "|".join(p for p, _ in _MONTHS) + ")" + r"(?:(?<=\.)|" + _END + ")"
_MONTH_RE = [(re.compile("(?:" + p + r")$"), n) for p, n in _MONTHS]
# a month in the locative after в/во ("в сентябре"): a date of its own, whose year the context gives
MONTH_LOC = r"(?:январе|феврале|марте|апреле|мае|июне|июле|августе|сентябре|октябре|ноябре|декабре)" + _END
# a Greek month after its article ("τον Ιούλιο"): a date of its own too
MONTH_ACC = (r"(?:ιανουαριο|φεβρουαριο|μαρτιο|απριλιο|μαιο|ιουνιο|ιουλιο|αυγουστο|σεπτεμβριο|οκτωβριο|νοεμβριο"
             r"|δεκεμβριο)" + _END)

DAY = r"(?<![\d.,/])([0-3]?\d)(?:-?(?:го|ое|е)|η|ησ|ην|th|st|nd|rd)?(?!\d)"
YSUF = (r"(?:\s*(?:гг\.|г\.|gg\.|годов|годах|годам|годы|года|году|годе|годом|год)" + _END +
        r"|\s*г(?=[\s,;)])|-(?:го|м|й|ом)" + _END + ")?")
YEAR = r"(1[789]\d\d|20[0-2]\d)(?!\d)" + YSUF
YR = r"(?:\s*,)?\s*(?:(?:του|of|in)\s+)?" + YEAR          # the year after a month
THE = r"\s*(?:του\s+|of\s+)?"                          # "18 του Νοέμβρη", "30 of December"

APPROX_WORDS = [
    (r"начал[еоау]|αρχεσ|(?:the\s+)?beginning\s+of|early|перв(?:ые|ых)\s+месяц(?:ы|ах)|πρωτουσ\s+μηνεσ"
     r"|(?:the\s+)?first\s+months\s+of", "start"),
    (r"середин[еыау]|μεσα|(?:the\s+)?middle\s+of|mid-?", "middle"),
    (r"конц[еау]|конец|τελη|(?:the\s+)?end\s+of|late", "end"),
    (r"перв(?:ой|ая|ую)\s+половин[еыау]|(?:the\s+)?first\s+half\s+of", "half1"),
    (r"втор(?:ой|ая|ую)\s+половин[еыау]|(?:the\s+)?second\s+half\s+of", "half2"),
    # seasons, of a year only ("летом 1926 г.", "το καλοκαίρι του 1918", "Winter 1998")
    (r"весн(?:а|ой|у|е)|ανοιξη|spring", "spring"), (r"лет(?:о|ом|а|е)|καλοκαιρι|summer", "summer"),
    (r"осен(?:ь|ью|и)|φθινοπωρο|autumn|fall", "autumn"), (r"зим(?:а|ой|у|е)|χειμωνα|winter", "winter"),
]
SEASONS = {"spring", "summer", "autumn", "winter"}
APPROX = re.compile(r"(?<![^\W\d_])(?:" + "|".join(f"(?P<a{i}>{p})" for i, (p, _) in enumerate(APPROX_WORDS))
                    + r")\s+(?:(?:του|the|of)\s+)?$")

NS_MARK = re.compile(r"\s*\(?\s*(?:н\.\s?ст\.|по новому стилю|нового стиля)")
OS_MARK = re.compile(r"\s*\(?\s*(?:ст\.\s?ст\.|по старому стилю|старого стиля)")
# a year set as context for later bare dates: only one the text marks as a year ("1917 г.", "το 1917",
# "in 1917", "в 1917"), not a bare number (the publication years of the notes are bare numbers)
YEAR_WORD = re.compile(r"^\s*(?:гг\.|г\.|года|году|годе|годом|год|-(?:го|м|й|ом))")
YEAR_BEFORE = re.compile(r"(?:^|[^\w])(?:в|во|с|к|до|το|του|τον|στο|in|of|since)\s+$")
ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50}


def fold(text: str) -> str:
    """Lower case, accents off (but й kept), ё as е, final sigma as σ; same length, so positions stay valid."""
    out = []
    for ch in text:
        low = ch.lower()
        if low == "й":
            out.append(low)
            continue
        base = unicodedata.normalize("NFD", low)[0]
        out.append({"ё": "е", "ς": "σ"}.get(low, base if base.isalpha() else low))
    return "".join(out)


def month_number(word: str) -> int:
    for rx, n in _MONTH_RE:
        if rx.match(word):
            return n
    raise ValueError(word)


def roman(word: str) -> int:
    values = [ROMAN[c] for c in word.replace("х", "x").replace("і", "i")]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


@dataclass
class Atom:
    """One date expression as written (before ranges are made): what it names and how precisely."""
    start: int
    end: int
    kind: str                       # dmy | my | y | decade | century | double | day | month | dm-num
    day: int | None = None
    month: int | None = None
    year: int | None = None
    last_year: int | None = None    # decade, century, a range of decades: the last year it covers
    approx: str | None = None       # start | middle | end | half1 | half2
    partial: bool = False           # only the first half of a range or pair (a bare day, month, "26.6.")
    marked: bool = False            # a year the text marks as one ("1917 г.", "в 1917"): context for bare dates
    other: tuple[int, int] | None = None    # a double date: (day, month) of its other side
    century: bool = False           # a decade in two figures ("20-х годов"): the century is the editors' reading


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
    carried_before: list[str] = field(default_factory=list)   # inferred years an earlier run (or the editors) set
    no_year: list[tuple[int, str]] = field(default_factory=list)
    invalid: list[tuple[int, str, str]] = field(default_factory=list)   # (TEI line, text, element): no such day


def _atom_patterns() -> list[tuple[str, re.Pattern]]:
    d2 = DAY.replace("(?<![\\d.,/])", "")
    return [
        # 3 февраля (21 января) 1918 г. / 18 του Νοέμβρη (1 του Δεκέμβρη)
        ("double-dm", DAY + THE + "(" + MONTH + r")\s*\(\s*" + d2 + THE + "(" + MONTH + r")\s*\)(?:" + YR + ")?"),
        # 20 (7) января [1918 г.]
        ("double-d", DAY + r"\s*\(\s*" + d2 + r"\s*\)\s*(" + MONTH + ")(?:" + YR + ")?"),
        # 24/11.1.1918
        ("double-num", r"(?<![\d.])([0-3]?\d)/([0-3]?\d)\.([01]?\d)\.(1[789]\d\d|20[0-2]\d)(?!\d|\.\d)"),
        # 1.2(19.1).1918
        ("double-num-paren", r"(?<![\d.])([0-3]?\d)\.([01]?\d)\s*\(\s*([0-3]?\d)\.([01]?\d)\s*\)\.?\s*"
                             r"(1[789]\d\d|20[0-2]\d)(?!\d|\.\d)"),
        # 24.1.1911, 13.7.1930 г.
        ("num", r"(?<![\d./])([0-3]?\d)\.([01]?\d)\.(1[789]\d\d|20[0-2]\d)(?!\d|\.\d)" + YSUF),
        # Правда. 1917. 27 октября. (a newspaper cited by year, then day and month)
        ("ydm", r"(?<![\d])(1[789]\d\d|20[0-2]\d)\.\s+" + DAY + r"\s+(" + MONTH + ")"),
        # 13 мая (1918 года): the year in brackets after the day and month
        ("dm-paren", DAY + THE + "(" + MONTH + r")\s*\(\s*" + YEAR + r"\s*\)"),
        # 25 октября 1917 г. / 30ής Δεκεμβρίου 1917 / 30 Dec. 1917 / 3 ноября
        ("dm", DAY + THE + "(" + MONTH + ")(?:" + YR + ")?"),
        # ноябре 1917 г. / τον Δεκέμβριο του 1917 / Oct. 1917 / noiabr’ 1917 / сентябре месяце того же 1905 года
        ("my", "(?<![^\\W\\d_])(" + MONTH + r")(?:\s+месяц[еа]\s+того\s+же)?" + YR),
        # 30-40-х гг.: two decades
        ("decades", r"(?<![\d\-–])(1[89]|20)?([1-9]0)\s*[-–]\s*(?:1[89]|20)?([1-9]0)-?(?:х|е|ых|ые)" + _END +
                    r"(?:\s*(?:гг\.|годов|годы|годах|годам))?"),
        # 1930-х гг., 20-х годов, 1920-е годы
        ("decade", r"(?<![\d])(1[89]|20)?([0-9]0)-?(?:х|е|ых|ые)" + _END +
                   r"(?:\s*(?:гг\.|годов|годы|годах|годам|годами))?"),
        # ХХ века, XIX веке
        ("century", r"(?<![^\W\d_])([ixvх]+)(?:-?(?:го|й|м))?\s+(?:(?:век|века|веке|веку|веком)" + _END + r"|в\.)"),
        # 1923-27 гг.: a range of years, the second in two figures
        ("y-y2", r"(?<![\d.,/№])(1[789]\d\d|20[0-2]\d)[-–/](\d{1,2})(?![\d.]|\s*[^\W\d_]+[ая]\b)" + YSUF),
        # в 1903 году, 1917 г., 1917-м, 1918 (a year alone)
        ("y", r"(?<![\d.,/№])(?<!№\s)(?<!с\.\s)(?<!стр\.\s)(?<!σελ\.\s)(?<!σσ\.\s)(?<!p\.\s)(?<!pp\.\s)" + YEAR),
        # в сентябре: a month of a year the context gives
        ("month-loc", r"(?<=\bв\s)(" + MONTH_LOC + r")|(?<=\bво\s)(" + MONTH_LOC + r")|(?<=\bτον\s)(" + MONTH_ACC
                      + r")|(?<=\bστον\s)(" + MONTH_ACC + ")"),
        # the first half of a range or pair: a bare day, a bare month, a day and month in figures
        ("dm-num", r"(?<![\d./])([0-3]?\d)\.([01]?\d)\.(?![\d])"),
        ("month", "(?<![^\\W\\d_])(" + MONTH + ")"),
        ("day", DAY),
    ]


PATTERNS = [(k, re.compile(p)) for k, p in _atom_patterns()]
ANY_MONTH = re.compile(MONTH + r"|(?<![^\W\d_])[ixvх]+(?:-?(?:го|й|м))?\s+(?:век|в\.)")   # or a century


def _int(x: str | None) -> int | None:
    return int(x) if x else None


def _atom(kind: str, m: re.Match, low: str) -> Atom | None:
    g = m.groups()
    s, e = m.start(), m.end()
    marked = False
    if kind == "double-dm":
        return Atom(s, e, "double", int(g[0]), month_number(g[1]), _int(g[4]), other=(int(g[2]), month_number(g[3])))
    if kind == "double-d":
        return Atom(s, e, "double", int(g[0]), month_number(g[2]), _int(g[3]), other=(int(g[1]), month_number(g[2])))
    if kind == "double-num":
        return Atom(s, e, "double", int(g[0]), int(g[2]), int(g[3]), other=(int(g[1]), int(g[2])))
    if kind == "double-num-paren":
        return Atom(s, e, "double", int(g[0]), int(g[1]), int(g[4]), other=(int(g[2]), int(g[3])))
    if kind == "num":
        return Atom(s, e, "dmy", int(g[0]), int(g[1]), int(g[2]), marked=True)
    if kind == "ydm":
        return Atom(s, e, "dmy", int(g[1]), month_number(g[2]), int(g[0]))
    if kind == "dm-paren":
        return Atom(s, e, "dmy", int(g[0]), month_number(g[1]), int(g[2]), marked=True)
    if kind == "dm":
        return Atom(s, e, "dmy", int(g[0]), month_number(g[1]), _int(g[2]), marked=bool(g[2]))
    if kind == "my":
        return Atom(s, e, "my", None, month_number(g[0]), int(g[1]), marked=True)
    if kind == "decades":
        century = int(g[0]) if g[0] else 19
        first, last = century * 100 + int(g[1]), century * 100 + int(g[2])
        if last <= first:
            return None
        return Atom(s, e, "decade", year=first, last_year=last + 9, century=not g[0])
    if kind == "decade":
        year = (int(g[0]) if g[0] else 19) * 100 + int(g[1])
        # "20-х" alone may be days of a month: a decade only with "годов", "гг." (or in a pair with one that has it);
        # two figures leave the century to the editors (marked as inferred, `century`)
        partial = not g[0] and not re.search(r"(?:гг\.|год\w*)$", low[s:e])
        return Atom(s, e, "decade", year=year, last_year=year + 9, partial=partial, century=not g[0])
    if kind == "century":
        c = roman(g[0])
        if not 17 <= c <= 21:
            return None
        return Atom(s, e, "century", year=(c - 1) * 100 + 1, last_year=c * 100)
    if kind == "y-y2":           # 1923-27, 1918–9, 1925/26
        first = int(g[0])
        last = first // 10 ** len(g[1]) * 10 ** len(g[1]) + int(g[1])
        if last <= first:
            return None
        return Atom(s, e, "y", year=first, last_year=last, marked=True)
    if kind == "y":
        marked = bool(YEAR_WORD.match(low[s + 4:])) or bool(YEAR_BEFORE.search(low[:s]))
        return Atom(s, e, "y", year=int(g[0]), marked=marked)
    if kind == "dm-num":
        return Atom(s, e, "dmy", int(g[0]), int(g[1]), None, partial=True)
    if kind == "month":
        return Atom(s, e, "my", None, month_number(g[0]), None, partial=True)
    if kind == "day":
        return Atom(s, e, "dmy", int(g[0]), None, None, partial=True)
    if kind == "month-loc":
        return Atom(s, e, "my", None, month_number(next(x for x in g if x)), None)
    raise ValueError(kind)


URL = re.compile(r"\S*(?:https?:|www\.|\.html?\b|\.org/|\.com/)\S*")


def atoms(low: str, text: str | None = None) -> list[Atom]:
    """The date atoms of a folded text, leftmost-longest, none overlapping, none across a BARRIER, none
    inside a web address; `text`, the text as written, tells the month of a date ("в октябре") from the
    name of the revolution ("в Октябре")."""
    urls = [(m.start(), m.end()) for m in URL.finditer(low)]
    cands: list[tuple[int, int, int, Atom]] = []
    for order, (kind, rx) in enumerate(PATTERNS):
        for m in rx.finditer(low):
            if m.end() == m.start() or BARRIER in low[m.start():m.end()]:
                continue
            if any(s <= m.start() < e for s, e in urls):
                continue
            if kind == "month-loc" and text is not None and "а" <= text[m.start()].lower() <= "я" \
                    and text[m.start()].isupper():
                continue
            try:
                a = _atom(kind, m, low)
            except ValueError:
                continue
            if a is not None:
                cands.append((a.start, -(a.end - a.start), order, a))
    cands.sort(key=lambda c: c[:3])
    out: list[Atom] = []
    taken_to = -1
    for start, _, _, a in cands:
        if start >= taken_to:
            out.append(a)
            taken_to = a.end
    for a in out:              # an approximate qualifier just before the atom
        if a.kind in ("my", "y", "decade") and a.day is None:
            q = APPROX.search(low[max(0, a.start - 40):a.start])
            if q and BARRIER not in q.group(0):
                approx = next(word for i, (_, word) in enumerate(APPROX_WORDS) if q.group(f"a{i}"))
                if approx in SEASONS and a.kind != "y":
                    continue
                a.approx = approx
                a.start = a.start - len(q.group(0))
                a.partial = False
    return out


# ---- ranges and pairs -----------------------------------------------------------------------------------

DASH = re.compile(r"^\s*[-–—]\s*$")
OPENERS = {   # connector between the atoms -> the word that must stand before the first atom
    "по": re.compile(r"(?:^|[^\w])(с|со)\s+$"),
    "до": re.compile(r"(?:^|[^\w])(от|с|со)\s+$"),
    "и": re.compile(r"(?:^|[^\w])(между)\s+$"),
    "και": re.compile(r"(?:^|[^\w])(μεταξυ)\s+$"),
    "and": re.compile(r"(?:^|[^\w])(between)\s+$"),
    "εωσ": re.compile(r"(?:^|[^\w])(απο)\s+$"),
    "μεχρι": re.compile(r"(?:^|[^\w])(απο)\s+$"),
    "to": re.compile(r"(?:^|[^\w])(from)\s+$|"),          # "Feb. to Oct. 1917": a range without "from"
}
PAIR = re.compile(r"^\s*(?:и|και|and)\s*$")
SENTENCE_END = re.compile(r"[.!?…][»”\"]?\s+(?=[«„“\"(]?[A-ZА-ЯЁΑ-ΩΆ-Ώ])")


@dataclass
class Expr:
    """A date expression to tag: one atom, or a range of two."""
    start: int
    end: int
    first: Atom
    last: Atom | None = None


def combine(low: str, found: list[Atom]) -> list[Expr]:
    out: list[Expr] = []
    i = 0
    while i < len(found):
        a = found[i]
        b = found[i + 1] if i + 1 < len(found) else None
        if b is not None and BARRIER not in low[a.end:b.start]:
            gap = low[a.end:b.start]
            word = gap.strip()
            opener = OPENERS.get(word).search(low[:a.start]) if word in OPENERS else None
            if DASH.match(gap) or (opener is not None and re.fullmatch(r"\s+\S+\s+", gap)):
                start = opener.start(1) if opener is not None and opener.group(1) else a.start
                if (not b.partial or a.kind == b.kind == "my") and _inherit(a, b):
                    out.append(Expr(start, b.end, a, b))
                    i += 2
                    continue
            decades = a.kind == b.kind == "decade" and a.partial and not b.partial   # "30-е и 40-е гг."
            if PAIR.match(gap) and (decades or a.kind in ("dmy", "my") and a.year is None and
                                    (b.year is not None and not b.partial or a.kind == b.kind == "my") and
                                    _inherit(a, b)):
                a.partial = False
                out.append(Expr(a.start, a.end, a))
                out.append(Expr(b.start, b.end, b))
                i += 2
                continue
        if not a.partial:
            out.append(Expr(a.start, a.end, a))
        i += 1
    return out


def _inherit(a: Atom, b: Atom) -> bool:
    """Give the first atom of a range or pair what it lacks from the second; False if they do not fit."""
    if a.kind in ("y", "decade", "century") or b.kind in ("y", "decade", "century"):
        return a.kind in ("y", "decade") and b.kind in ("y", "decade") and not a.partial
    if a.kind == "double" or b.kind == "double":
        return False
    if a.kind == "dmy" and a.month is None:          # "2-19.12.1927", "с 16 по 18.1.1924", "20 и 22 февраля"
        if b.kind != "dmy" or b.day is None:
            return False
        a.month = b.month
    if a.kind == "my" and b.kind == "dmy" and b.day is not None:
        return False
    if a.year is None:
        if b.year is None:
            a.partial = b.partial = False
            return True          # both want a year from the context ("сентябрь-октябрь")
        later = (a.month or 0, a.day or 0) > (b.month or 0, b.day or 0)
        a.year = b.year - 1 if later else b.year
    a.partial = False
    return True


# ---- values ---------------------------------------------------------------------------------------------

# approximate parts: days of a month, months of a year, years of a decade (first, last, both counted from 1/0)
PARTS = {
    "day": {"start": (1, 10), "middle": (11, 20), "end": (21, 31), "half1": (1, 15), "half2": (16, 31)},
    "month": {"start": (1, 4), "middle": (5, 8), "end": (9, 12), "half1": (1, 6), "half2": (7, 12),
              "spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "winter": (1, 2)},
    "year": {"start": (0, 3), "middle": (4, 6), "end": (7, 9), "half1": (0, 4), "half2": (5, 9)},
}
FINER = {"day": 0, "month": 1, "year": 2}


def _last_day(y: int, m: int, julian: bool) -> int:
    return (month_span(y, m, False)[1].day if not julian else
            (29 if m == 2 and y % 4 == 0 else month_span(2001, m, False)[1].day))


def fmt(d: date, precision: str) -> str:
    return {"year": f"{d.year:04d}", "month": f"{d.year:04d}-{d.month:02d}"}.get(precision, d.isoformat())


class Dater:
    def __init__(self, doc_id: str, report: DateReport):
        self.doc = doc_id
        self.year: int | None = None      # the year the text last named
        self.month: int | None = None     # and its month, when a date named one
        self.source: str | None = None    # the id of the element whose text named that year
        self.carry: tuple[int, int, str | None] | None = None   # (year, month, id) of the last date of earlier body paragraphs
        self.known: set[tuple[int, int]] = set()   # (year, month) the earlier body paragraphs named
        self.named: set[tuple[int, int]] = set()   # (year, month) this text names, as written
        self.here: str | None = None      # the id of the element being read
        self.blocked = False              # the paragraph named another year after its dated months: no inference
        self.until: int | None = None     # a year named alone is context to the end of its sentence only
        self.report = report

    def cal(self, julian: bool) -> str:
        return f"#{self.doc}-{'julian' if julian else 'gregorian'}"

    def _julian(self, y: int, m: int, d: int, marks: str, calendar: str | None = None) -> bool:
        if calendar is not None:
            return calendar == "julian"
        if NS_MARK.match(marks):
            return False
        if OS_MARK.match(marks):
            return True
        return is_old_style(y, m, d)

    def bounds(self, a: Atom, marks: str, calendar: str | None) -> tuple[date, date, bool, str]:
        """First and last day (Gregorian) an atom with its year covers, whether it is written in the Julian
        calendar, and the precision its values are given in (day, month, year)."""
        if a.kind == "double":
            d = self._double(a)
            return d, d, False, "day"
        if a.kind in ("decade", "century"):
            first, last = a.year, a.last_year
            if a.approx and a.kind == "decade":
                lo, hi = PARTS["year"][a.approx]
                first, last = a.year + lo, a.year + hi
            julian = calendar == "julian" if calendar else last < 1918
            return date(first, 1, 1), date(last, 12, 31), julian, "year"
        y = a.year
        if a.kind == "y":
            julian = calendar == "julian" if calendar else y < 1918
            if not a.approx:
                return date(y, 1, 1), date(a.last_year or y, 12, 31), julian, "year"
            m1, m2 = PARTS["month"][a.approx]
            lo, hi = (y, m1, 1), (y, m2, _last_day(y, m2, julian))
            return to_gregorian(*lo, julian), to_gregorian(*hi, julian), julian, "day" if julian else "month"
        if a.day is None:
            julian = self._julian(y, a.month, 1, marks, calendar)
            last = _last_day(y, a.month, julian)
            d1, d2 = (1, last) if not a.approx else PARTS["day"][a.approx]
            d2 = min(d2, last)
            precision = "day" if julian or a.approx else "month"
            return to_gregorian(y, a.month, d1, julian), to_gregorian(y, a.month, d2, julian), julian, precision
        julian = self._julian(y, a.month, a.day, marks, calendar)
        day = to_gregorian(y, a.month, a.day, julian)
        return day, day, julian, "day"

    def _double(self, a: Atom) -> date:
        """Both sides given: the New Style one is 13 days (12 before 1900) after the Old Style one; @when is it."""
        (d1, m1), (d2, m2), y = (a.day, a.month), a.other, a.year
        for (dn, mn), (do, mo) in (((d1, m1), (d2, m2)), ((d2, m2), (d1, m1))):
            ns = date(y, mn, dn)
            y_os = y - 1 if mo > mn else y
            if to_gregorian(y_os, mo, do, True) == ns:
                return ns
        raise LookupError("the two sides of the double date are not the same day")

    def values(self, e: Expr, marks: str, calendar: str | None = None) -> dict[str, str]:
        """The attributes of a date expression whose atoms all have their year."""
        lo, hi, julian, p = self.bounds(e.first, "" if e.last else marks, calendar)
        attrs = {"calendar": self.cal(julian)}
        if e.last is None:
            if e.first.approx:
                attrs["notBefore"], attrs["notAfter"] = fmt(lo, p), fmt(hi, p)
            elif fmt(lo, p) == fmt(hi, p):
                attrs["when"] = fmt(lo, p)
            else:
                attrs["from"], attrs["to"] = fmt(lo, p), fmt(hi, p)
            return attrs
        lo2, hi2, _, p2 = self.bounds(e.last, marks, calendar)
        if hi2 <= lo:
            raise LookupError("a range that ends before it begins")
        p = min(p, p2, key=FINER.get)
        # both ends approximate ("конце 20-х – начале 30-х"): a time within, not a period from ... to
        names = ("notBefore", "notAfter") if e.first.approx and e.last.approx else ("from", "to")
        attrs[names[0]], attrs[names[1]] = fmt(lo, p), fmt(hi2, p)
        return attrs

    # ---- the year of a date that lacks one -------------------------------------------------------
    def infer(self, month: int, pos: int = 0) -> tuple[int | None, str | None, str | None]:
        """The year of a date without one, how certain it is, and the id of the element that gives it:
        its own paragraph or note ("medium"), else the last date of earlier body paragraphs of its
        division ("low"), else none."""
        if self.blocked:
            return None, None, None
        if self.year is not None and self.month is None and self.until is not None and pos > self.until:
            pass     # "резолюции 1921 г. о запрете фракций. … В декабре": a year in passing, in another sentence
        elif self.year is not None:
            return self.nearest_year(month), "medium", self.source or self.here
        if self.carry is not None:
            year, last, source = self.carry
            y = _nearest(year, last, month)
            # near the last date, and within the period the division's dates have covered so far
            if (abs(y * 12 + month - (year * 12 + last)) <= CARRY_MONTHS and self.known
                    and min(self.known) <= (y, month) <= max(self.known)):
                return y, "low", source
        return None, None, None

    def nearest_year(self, month: int) -> int | None:
        """The year that puts a date without one nearest to the date the text named last
        ("μεταξύ Δεκεμβρίου 1917 και Μαρτίου 1918 ... Στις 13 Δεκεμβρίου" → December 1917)."""
        if self.year is None:
            return None
        if self.month is None:
            return self.year
        return _nearest(self.year, self.month, month)

    def _named(self) -> None:
        if self.month is not None:
            self.named.add((self.year, self.month))

    def _context(self, e: Expr, ends: list[int] | None = None) -> None:
        """What a tagged date sets as the context of the dates after it: its (last) year and month."""
        last = e.last or e.first
        if last.kind in ("decade", "century") or last.year is None:
            return
        if last.kind == "y" and not last.marked and not (e.last and e.first.marked):
            return
        if last.month is None and self.blocked:
            return
        if last.month is None and self.month is not None and (last.last_year or last.year) != self.year:
            # "В марте 1923 года … В начале 1917 года … 5 июня": a year in passing after the dated months of
            # the paragraph leaves its later bare dates to the editors
            self.year = self.month = self.source = None
            self.blocked = True
            return
        self.year, self.month, self.source = last.last_year or last.year, last.month, self.here
        self.blocked = False
        self.until = next((i for i in ends or [] if i >= e.end), None) if last.month is None else None
        if last.kind == "double":
            self.month = last.month
        self._named()

    def find(self, text: str, tagged: dict[int, etree._Element] | None = None,
             calendar: str | None = None, year: int | None = None) -> list[Found]:
        """The dates in `text`; `tagged` (position of a BARRIER -> child) lets a <date> an earlier run
        tagged name its year as context, as it did when it was found. `calendar` and `year` are the
        editors' decisions for one expression (`editors.py`)."""
        low = fold(text)
        exprs = combine(low, atoms(low, text))
        ends = [m.start() for m in SENTENCE_END.finditer(text)]
        out: list[Found] = []
        events = sorted([(x.start, "date", x) for x in exprs] +
                        [(i, "tagged", el) for i, el in (tagged or {}).items() if el.tag == T + "date"],
                        key=lambda x: x[0])
        for _, what, item in events:  # noqa: B007 (the position serves the tagged dates)
            if what == "tagged":
                written = written_year(item, self.doc)
                if written is not None and (written[2] or YEAR_BEFORE.search(low[:_])):
                    seen = Atom(_, _ + 1, "my" if written[1] else "y", month=written[1], year=written[0], marked=True)
                    self._context(Expr(_, _ + 1, seen), ends)
                continue
            e: Expr = item
            attrs: dict[str, str] = {}
            needs_year = [a for a in (e.first, e.last) if a is not None and a.year is None]
            if needs_year:
                a = needs_year[-1]
                if year is not None:
                    y, cert, source = year, None, None
                else:
                    y, cert, source = self.infer(a.month or 1, e.start)
                if y is None:
                    self.report.no_year.append((0, text[e.start:e.end]))
                    continue
                for x in needs_year:
                    x.year = y
                if e.last is not None and e.last.year is not None and (e.first.month or 0, e.first.day or 0) > \
                        (e.last.month or 0, e.last.day or 0) and e.first in needs_year and e.last in needs_year:
                    e.first.year = y - 1
                if cert:
                    attrs.update({"cert": cert, "resp": "#ed", "evidence": "internal"})
                    if source:
                        attrs["source"] = "#" + source
            if not attrs and any(a is not None and a.century for a in (e.first, e.last)):
                # "20-х годов" names no century: the twentieth is the editors' reading of the text
                attrs = {"cert": "high", "resp": "#ed", "evidence": "internal", "source": "#" + (self.here or "")}
                if not self.here:
                    del attrs["source"]
            try:
                attrs = {**self.values(e, low[e.end:e.end + 24], calendar), **attrs}
            except (ValueError, LookupError):
                self.report.invalid.append((0, text[e.start:e.end], ""))
                continue
            out.append(Found(e.start, e.end, attrs, text[e.start:e.end]))
            self.report.by_kind[e.first.kind + ("-range" if e.last else "")] += 1
            if not needs_year:
                self._context(e, ends)
        return out


def written_year(el: etree._Element, doc_id: str) -> tuple[int, int | None, bool] | None:
    """The year and month a tagged <date> names in its text, as reading it untagged would set them, and
    whether its text alone marks a year alone as a year ("1917 г." does, "1917" needs the "в" before it);
    None for a date whose year was inferred (it names none)."""
    text = build(el).text
    probe = Dater(doc_id, DateReport())
    probe.find(text)
    if probe.year is not None:
        return probe.year, probe.month, True
    bare = atoms(fold(text))
    if len(bare) == 1 and bare[0].kind == "y" and bare[0].year is not None:
        return bare[0].year, None, False
    return None


def _nearest(year: int, last: int, month: int) -> int:
    """year-1, year or year+1: the one that puts `month` nearest to `last` of `year`."""
    here = year * 12 + last
    return min((year - 1, year, year + 1), key=lambda y: (abs(y * 12 + month - here), y != year))


def _where(el: etree._Element) -> str | None:
    """The id of an element or of its nearest ancestor with one."""
    for a in (el, *el.iterancestors()):
        if a.get(XID):
            return a.get(XID)
    return None


def describe(d: etree._Element) -> str:
    """A tagged date for the review lists: line, text, value, certainty and evidence."""
    value = d.get("when") or "–".join(x for x in (d.get("from") or d.get("notBefore"),
                                                   d.get("to") or d.get("notAfter")) if x)
    source = d.get("source")
    evidence = ""
    if source:
        target = d.getroottree().getroot().xpath("//*[@xml:id=$i]", i=source[1:])
        if target:
            head = target[0].find(T + "head")
            words = " ".join("".join((head if head is not None else target[0]).itertext()).split())
            evidence = f" — year from {source}: «{words[:90]}{'…' if len(words) > 90 else ''}»"
    return f"line {d.sourceline}: {' '.join(build(d).text.split())} → {value} (cert={d.get('cert')}){evidence}"


def tag_dates(root: etree._Element, doc_id: str, lang: str) -> DateReport:
    report = DateReport()
    dater = Dater(doc_id, report)
    text = root.find(T + "text")
    if text is None:
        return report
    for d in text.iter(T + "date"):
        if d.get("cert") in ("low", "medium", "high"):
            report.carried_before.append(describe(d))
    carry: dict[etree._Element, tuple[int, int, str | None] | None] = {}   # division -> its body's last date
    months: dict[etree._Element, set[tuple[int, int]]] = {}     # division -> every (year, month) its body named
    for parent in list(streams(text)):
        raw = (parent.text or "") + "".join(c.tail or "" for c in parent)
        if not any(ch.isdigit() for ch in raw) and parent.find(T + "date") is None and not ANY_MONTH.search(fold(raw)):
            continue
        st = build(parent)
        in_note = bool(parent.xpath("ancestor-or-self::t:note", namespaces={"t": T[1:-1]}))
        div = next(parent.iterancestors(T + "div"), None) if parent.tag != T + "div" else parent
        dater.year = dater.month = dater.source = None   # a year named in the paragraph or note is context within it
        dater.blocked = False
        dater.here = _where(parent)
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
                carry[div] = (dater.year, dater.month, dater.source)
            elif not (last and last[0] == dater.year):
                carry[div] = None
        for f in reversed(found):
            if not can_wrap(st, f.start, f.end):
                continue
            el = etree.Element(T + "date")
            for k in ("when", "from", "to", "notBefore", "notAfter", "calendar", "cert", "resp", "evidence", "source"):
                if k in f.attrs:
                    el.set(k, f.attrs[k])
            wrap(st, f.start, f.end, el)
            report.tagged += 1
            report.julian += f.attrs["calendar"].endswith("julian")
            line = f"line {parent.sourceline}: {' '.join(f.text.split())} → " + (
                f.attrs.get("when") or f.attrs.get("from") or f.attrs.get("notBefore"))
            if f.attrs.get("cert") == "medium":
                report.inferred += 1
                report.inferred_texts.append(line)
            elif f.attrs.get("cert") == "low":
                report.carried += 1
                report.carried_texts.append(line)
    return report
