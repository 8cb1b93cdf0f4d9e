"""Writing a build's files so that a rebuild costs what changed, not the size of the site.

A build writes into a fresh staging folder beside its target (`.site-new-XXXX` beside `site`, see
staging.py) that replaces the target when the build succeeds. Creating thousands of files is the
slow part of a rebuild (on ext4 a new file with data costs ~20× a hard link), so `write_bytes` hard-links
the previous build's file when its bytes are exactly the new ones, and writes a new file otherwise.
The previous site is only ever linked or read, never written: a linked file is shared with the live
site, so a file already in the staging folder is unlinked before it is written again (a write through
the link would change the live site before the build has succeeded). Files the build does not write
are simply absent from the staging folder, so a removed document's outputs disappear with the swap.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .cache import digest

STAGING = re.compile(r"/\.(?P<name>[^/]+)-new-[^/]+/")   # staging.staged(): .<target name>-new-<random>



def previous_of(path: Path | str) -> str | None:
    """The same file in the output the staging folder will replace, when path is inside one."""
    text = str(path)                           # string work: pathlib costs more than the link it saves
    m = None
    for m in STAGING.finditer(text):           # the innermost staging folder  # noqa: B007 (the last is kept)
        pass
    if m is None:
        return None
    return f"{text[:m.start()]}/{m['name']}/{text[m.end():]}"


def _same(old: str, data: bytes) -> bool:
    try:
        with open(old, "rb") as fh:            # (a folder raises; a longer file reads one byte more)
            return fh.read(len(data) + 1) == data
    except OSError:
        return False


def write_bytes(path: Path | str, data: bytes) -> bool:
    """Write data to path; returns True when the bytes were new (False: linked from the previous build).
    A file already at path (written earlier in this build, maybe a link) is replaced, never written
    through; the folder is made only when it turns out to be missing (a mkdir per file would cost as
    much as the writes it saves)."""
    target = str(path)
    old = previous_of(target)
    if old is not None and _same(old, data):
        try:
            _again_if_needed(os.link, old, target)
            return False
        except OSError:                # another filesystem, or links not allowed: write a copy
            pass
    _again_if_needed(_create, data, target)
    return True


def _create(data: bytes, target: str) -> None:
    with open(target, "xb") as fh:     # exclusive: an existing file is removed first, not written through
        fh.write(data)


def _again_if_needed(make: Callable[[Any, str], None], source: Any, target: str) -> None:
    """make(source, target), after making target's folder or removing what is at target if needed."""
    try:
        make(source, target)
    except FileNotFoundError:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        make(source, target)
    except FileExistsError:
        os.unlink(target)
        make(source, target)


def write_text(path: Path | str, text: str) -> bool:
    return write_bytes(path, text.encode("utf-8"))


class Stamps:
    """What made each file of a kind in the last build of an output (a key: the hash of its inputs), with
    the file's inode and size: a file whose key is unchanged and whose previous copy is still that very
    file is linked at once, without rendering it, loading it from a cache or reading it to compare (a
    rebuild after one edit meets hundreds of register pages that did not change). The record is kept in
    `store` (cache.Cache) under `kind` and the output's final folder; a build that failed left a record
    whose inodes no file of the live output has, so it links nothing."""

    def __init__(self, store: Any, kind: str, out: Path) -> None:
        self.store, self.out = store, str(out)
        target = previous_of(f"{out}/") or f"{out}/"
        self.name = f"stamps-{kind}-{digest(target)[:16]}"
        old = store.get(self.name, "stamps")
        self.old: dict[str, tuple[str, int, int]] = old if isinstance(old, dict) else {}
        self.new: dict[str, tuple[str, int, int]] = {}

    def link(self, rel: str, key: str) -> bool:
        """Link rel from the previous build when it was made from `key` and is still that file."""
        record = self.old.get(rel)
        target = f"{self.out}/{rel}"
        previous = previous_of(target)
        if record is None or record[0] != key or previous is None:
            return False
        try:
            st = os.stat(previous)
            if (st.st_ino, st.st_size) != record[1:]:
                return False
            _again_if_needed(os.link, previous, target)
        except OSError:
            return False
        self.new[rel] = record
        return True

    def note(self, rel: str, key: str) -> None:
        st = os.stat(f"{self.out}/{rel}")
        self.new[rel] = (key, st.st_ino, st.st_size)

    def save(self) -> None:
        self.store.put(self.name, "stamps", self.new)
