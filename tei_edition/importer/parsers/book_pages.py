"""Book layout, step 1: cut the source lines into printed pages and sort each line into its zone.

A page of a PDF-extracted book reads: body lines; optionally a separator (a line of spaces only)
followed by footnotes; optionally, after a few empty lines, the printed page number alone on a line.
The next page starts with a line beginning with one space (when a page number was printed, that line
holds nothing but the space). Some body lines also begin with a space (a paragraph indent, a
centred heading): the profile lists those as `pages.not_starts`, and pages whose first line lost
the space as `pages.extra_starts`.

Page numbers: the printed ones are kept; the others are inferred from the nearest printed number
(counting pages forward or backward) and marked as inferred.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import record as r
from ..profile import Profile

PAGE_START = re.compile(r"^ (?=\S)")
PAGE_NUMBER = re.compile(r"^\s*(\d{1,3})\s*$")
SEPARATOR = re.compile(r"^ {20,}$")


@dataclass
class Page:
    index: int                      # 0-based order in the source
    first: int                      # first line (1-based) of the page
    last: int                       # last line of the page
    number: str | None = None       # the printed page number, when it survives
    number_line: int | None = None  # the line that holds it
    separator: int | None = None    # the line of spaces that opens the footnote block
    inferred: str | None = None     # inferred number when none is printed

    @property
    def n(self) -> str | None:
        return self.number or self.inferred


@dataclass
class Layout:
    pages: list[Page]
    page_of: list[int]              # line n -> page index (index 0 unused)
    zone: list[str]                 # line n -> "body" | "foot" | "pagenum" | "sep" | "blank"
    conflicts: list[r.Decision] = field(default_factory=list)


def _page_starts(lines: list[str], profile: Profile) -> list[int]:
    not_starts = set(profile.get("pages.not_starts", []))
    starts = {1, *profile.get("pages.extra_starts", [])}
    for i, line in enumerate(lines):
        n = i + 1
        if n in not_starts:
            continue
        if PAGE_START.match(line):
            starts.add(n)
        elif line.strip() == "" and line and i > 0 and PAGE_NUMBER.match(lines[i - 1]):
            starts.add(n)   # the page after a printed number starts with a line holding one space
    return sorted(starts)


def cut_pages(lines: list[str], profile: Profile) -> Layout:
    starts = _page_starts(lines, profile)
    total = len(lines)
    pages: list[Page] = []
    page_of = [0] * (total + 1)
    zone = ["blank"] * (total + 1)
    for idx, first in enumerate(starts):
        last = starts[idx + 1] - 1 if idx + 1 < len(starts) else total
        page = Page(idx, first, last)
        pages.append(page)
        for n in range(first, last + 1):
            page_of[n] = idx
        # the printed number: the last line with text, digits only, after at least one empty line
        tail = [n for n in range(first, last + 1) if lines[n - 1].strip()]
        number = PAGE_NUMBER.match(lines[tail[-1] - 1]) if tail else None
        if number and tail[-1] > first and not lines[tail[-1] - 2].strip():
            page.number_line = tail[-1]
            page.number = number.group(1)
        in_foot = False
        for n in range(first, last + 1):
            line = lines[n - 1]
            if n == page.number_line:
                zone[n] = "pagenum"
            elif SEPARATOR.match(line):
                zone[n] = "sep"
                page.separator = page.separator or n
                in_foot = True
            elif not line.strip():
                zone[n] = "blank"
            else:
                zone[n] = "foot" if in_foot else "body"
    layout = Layout(pages, page_of, zone)
    _infer_numbers(layout, profile.get("pages.lost_before", []))
    return layout


def _infer_numbers(layout: Layout, lost_before: list[int]) -> None:
    """Number unnumbered pages from the nearest printed number; report where printed numbers disagree.

    lost_before: lines before which a printed page is missing from the witness (a part title page):
    the count of pages goes on over it."""
    pos = {p.index: p.index + sum(1 for n in lost_before if n <= p.first) for p in layout.pages}
    printed = [(pos[p.index], int(p.number), p) for p in layout.pages if p.number]
    for a, b in zip(printed, printed[1:]):
        if b[1] - a[1] != b[0] - a[0]:
            layout.conflicts.append(r.Decision(
                b[2].first, "page-number",
                f"printed page {a[1]} (line {a[2].number_line}) and page {b[1]} (line {b[2].number_line}) are "
                f"{b[0] - a[0]} pages apart in the source, {b[1] - a[1]} in print: pages are lost or merged "
                f"between them; inferred numbers follow the nearer printed number"))
    if not printed:
        return
    for page in layout.pages:
        if page.number:
            continue
        here = pos[page.index]
        before = [p for p in printed if p[0] < here]
        after = [p for p in printed if p[0] > here]
        cands = []
        if before:
            cands.append((here - before[-1][0], before[-1][1] + here - before[-1][0]))
        if after:
            cands.append((after[0][0] - here, after[0][1] - (after[0][0] - here)))
        value = min(cands)[1]
        if value >= 1:
            page.inferred = str(value)
