"""One parser per raw layout; each turns a source text and its profile into a Record.

To add a layout: write a module with `parse(lines: list[str], profile: Profile) -> Record`
and register it in LAYOUTS.
"""

from __future__ import annotations

from typing import Callable

from ..profile import Profile
from ..record import Record
from . import paragraph_lines

Parser = Callable[[list[str], Profile], Record]

LAYOUTS: dict[str, Parser] = {
    "paragraph-per-line": paragraph_lines.parse,
}
