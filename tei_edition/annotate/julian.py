"""Julian ↔ proleptic Gregorian by exact day arithmetic (Julian Day Number), and the Russian rule.

Russia used the Julian calendar until 31 January 1918 (Old Style); the next day was 14 February 1918.
"""

from __future__ import annotations

from calendar import monthrange
from datetime import date

CHANGE = date(1918, 2, 1)   # first day (as written) that Russian texts date in the Gregorian calendar


def julian_to_jdn(y: int, m: int, d: int) -> int:
    a = (14 - m) // 12
    yy, mm = y + 4800 - a, m + 12 * a - 3
    return d + (153 * mm + 2) // 5 + 365 * yy + yy // 4 - 32083


def jdn_to_gregorian(j: int) -> date:
    a = j + 32044
    b = (4 * a + 3) // 146097
    c = a - 146097 * b // 4
    d = (4 * c + 3) // 1461
    e = c - 1461 * d // 4
    m = (5 * e + 2) // 153
    day = e - (153 * m + 2) // 5 + 1
    month = m + 3 - 12 * (m // 10)
    year = 100 * b + d - 4800 + m // 10
    return date(year, month, day)


def julian_to_gregorian(y: int, m: int, d: int) -> date:
    """25 October 1917 (Julian) → 1917-11-07."""
    if not 1 <= m <= 12 or not 1 <= d <= (29 if m == 2 and y % 4 == 0 else monthrange(2001, m)[1]):
        raise ValueError(f"no such Julian date: {y}-{m}-{d}")
    return jdn_to_gregorian(julian_to_jdn(y, m, d))


def is_old_style(y: int, m: int, d: int = 1) -> bool:
    """Whether a Russian date, as written, is Old Style by the default rule."""
    return (y, m, d) < (CHANGE.year, CHANGE.month, CHANGE.day)


def month_span(y: int, m: int, julian: bool) -> tuple[date, date]:
    """First and last day of a month as written, in the proleptic Gregorian calendar."""
    last = 29 if (julian and m == 2 and y % 4 == 0) else monthrange(y, m)[1]
    if julian:
        return julian_to_gregorian(y, m, 1), julian_to_gregorian(y, m, last)
    return date(y, m, 1), date(y, m, last)


def to_gregorian(y: int, m: int, d: int, julian: bool) -> date:
    return julian_to_gregorian(y, m, d) if julian else date(y, m, d)
