"""Watching the edition's sources for `edition serve`: rebuild when anything the build reads changes."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

WATCHED = ("tei", "templates", "xslt", "edition.toml")


def snapshot(root: Path) -> dict[Path, float]:
    """Modification times of everything the build reads."""
    stamps: dict[Path, float] = {}
    for name in WATCHED:
        path = root / name
        files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()] if path.is_dir() else []
        for f in files:
            try:
                stamps[f] = f.stat().st_mtime
            except FileNotFoundError:  # removed while we looked
                pass
    return stamps


def watch(root: Path, rebuild: Callable[[], None], interval: float, stop: threading.Event) -> None:
    """Call rebuild() after each change, checking every `interval` seconds until `stop` is set."""
    before = snapshot(root)
    while not stop.wait(interval):
        now = snapshot(root)
        if now != before:
            before = now
            rebuild()
