"""One parser per raw layout; each turns a source text and its profile into a Record.

To add a layout, add a module here that defines `LAYOUT = "name"` and
`parse(lines: list[str], profile: Profile) -> Record`; the profile's `layout` selects it.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Callable

from ..profile import Profile
from ..record import Record

Parser = Callable[[list[str], Profile], Record]


def _discover() -> dict[str, Parser]:
    layouts: dict[str, Parser] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "LAYOUT"):   # helper modules of a parser (book_notes, ...) define no layout
            layouts[module.LAYOUT] = module.parse
    return layouts


LAYOUTS: dict[str, Parser] = _discover()
