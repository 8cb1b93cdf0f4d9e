"""Changing one line of a WeasyPrint function: the function is recompiled from its own source with the line
replaced, in its own module's namespace (so later patches of that module's functions still reach it). Used
where WeasyPrint offers no hook (print/footnote_fix.py, print/speedups.py)."""

from __future__ import annotations

import inspect
import textwrap
from types import ModuleType


def recompiled(module: ModuleType, name: str, replacements: dict[str, str], extra: dict | None = None) -> bool:
    """Replace `module.name` by its own source with each key replaced by its value; each key must stand in
    the source exactly once, else nothing is changed (another version: the caller's test says so).
    `extra`: names the new lines use, added to the module's namespace."""
    try:
        source = textwrap.dedent(inspect.getsource(getattr(module, name)))
    except (AttributeError, OSError, TypeError):   # renamed, or installed without its sources
        return False
    if any(source.count(old) != 1 for old in replacements):
        return False
    for old, new in replacements.items():
        source = source.replace(old, new)
    namespace: dict = {}
    module.__dict__.update(extra or {})
    exec(compile(source, module.__file__ or name, "exec"), module.__dict__, namespace)
    setattr(module, name, namespace[name])
    return True
