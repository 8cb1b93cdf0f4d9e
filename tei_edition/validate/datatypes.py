"""Python checks of the XSD datatypes the schema uses, so a bad value gets a message that says why."""

from __future__ import annotations

import datetime as dt
import re

_NCNAME = re.compile(r"^[A-Za-z_][\w.\-]*$")
_LANGUAGE = re.compile(r"^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$")
_ISO = re.compile(r"^(-?\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_TIME = re.compile(r"^(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$")


def iso_date_problem(value: str) -> str | None:
    """None if `value` is YYYY, YYYY-MM, YYYY-MM-DD (a real day of the proleptic Gregorian calendar),
    or such a day with a time (YYYY-MM-DDThh:mm:ss)."""
    day_part, sep, time_part = value.partition("T")
    if sep:
        if not _ISO.match(day_part) or day_part.count("-") != 2:
            return "is not an ISO date-time (YYYY-MM-DDThh:mm:ss)"
        t = _TIME.match(time_part)
        if not t or int(t[1]) > 23 or int(t[2]) > 59 or int(t[3] or 0) > 59:
            return f"has no valid time of day ({time_part})"
        value = day_part
    m = _ISO.match(value)
    if not m:
        return "is not an ISO date (YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm:ss)"
    year, month, day = m.groups()
    if month and not 1 <= int(month) <= 12:
        return f"has no month {month}"
    if day:
        try:
            dt.date(_in_range(int(year)), int(month), int(day))
        except ValueError:
            return f"is not a day of the calendar ({year}-{month} has no day {day})"
    return None


def _in_range(year: int) -> int:
    """A year Python's dates hold with the same Gregorian calendar as `year` (the calendar repeats every 400
    years): ISO dates may name years before 1 (0000 is 1 BCE, -0044 is 45 BCE) or after 9999."""
    return year if 1 <= year <= 9999 else 2000 + year % 400


def iso_date_hint(value: str) -> str:
    """How to write `value` as a date that exists: the days around an impossible one (1917-06-31)."""
    m = _ISO.match(value.partition("T")[0])
    if m and m[3] and 1 <= int(m[2]) <= 12:
        year, month = int(m[1]), int(m[2])
        same = _in_range(year)      # a year before 1 or after 9999 (BCE dates): one with the same calendar
        last = (dt.date(same + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1))
        after = last + dt.timedelta(days=1)
        shown = m[1]
        return (f"{shown}-{month:02d} has {last.day} days: write a day that exists, e.g. {shown}-{month:02d}-"
                f"{last.day:02d} or {shown if after.year == last.year else int(shown) + 1:04}-{after.month:02d}-01; "
                "@when is the proleptic Gregorian date (an Old Style date converted)")
    return "write YYYY, YYYY-MM or YYYY-MM-DD, a day that exists, e.g. 1917-11-07"


def problem(xsd_type: str, value: str) -> str | None:
    """Why `value` is not of `xsd_type`, or None."""
    if xsd_type == "positiveInteger":   # the commonest (every lb/@n): test it first
        return None if value.isdigit() and int(value) > 0 else "is not a positive whole number"
    if xsd_type in ("string",):
        return None
    if xsd_type == "token":
        return None if value == " ".join(value.split()) else "has leading, trailing or double spaces"
    if xsd_type == "NCName":
        return None if _NCNAME.match(value) else "is not a valid name (letters, digits, '-', '_', '.'; no spaces)"
    if xsd_type == "language":
        return None if _LANGUAGE.match(value) else "is not a language code (ru, el, en, ...)"
    if xsd_type == "anyURI":
        return None if value and not re.search(r"\s", value) else "is not a pointer (#id or URL, no spaces)"
    if xsd_type == "nonNegativeInteger":
        return None if value.isdigit() else "is not a whole number"
    if xsd_type in ("date", "gYearMonth", "gYear", "dateTime"):
        return iso_date_problem(value)
    return None


def problem_any(xsd_types: tuple[str, ...], value: str) -> str | None:
    """A value of a union type: fine if any member accepts it; else the first member's complaint."""
    first = None
    for t in xsd_types:
        why = problem(t, value)
        if why is None:
            return None
        first = first or why
    return first
