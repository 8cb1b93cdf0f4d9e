"""Build output that is never half-written: one build at a time per project (a lock), each output folder
written beside its target and swapped in whole, and what a killed build left behind removed by the next.

The lock is `flock` on `.cache/build.lock`: the kernel releases it when its holder exits, however it
exits (SIGKILL included), so a stale lock cannot block the next build. The holder writes its PID in the
file so that a waiting build can say whom it waits for.
"""

from __future__ import annotations

import ctypes
import fcntl
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .diagnostics import EditionError


def lock_path(root: Path) -> Path:
    return root / ".cache" / "build.lock"


@contextmanager
def build_lock(root: Path, *, wait: bool = True, log: Callable[[str], None] = lambda msg: None) -> Iterator[Path]:
    """Hold the project's build lock for the block; wait for another build (saying so), or fail at once
    when `wait` is false. Not re-entrant: `build()` and `build_print()` take it once, around everything."""
    path = lock_path(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+", encoding="utf-8") as fh:          # never truncated before it is ours
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(path)
            if not wait:
                raise EditionError(f"another build is running: {holder} holds {path}",
                                   hint="wait for it to finish, or leave out --no-wait to wait for it") from None
            log(f"waiting for the build started by {holder} (lock file {path})")
            fcntl.flock(fh, fcntl.LOCK_EX)
        fh.seek(0)
        fh.truncate()
        fh.write(f"{os.getpid()}\n")
        fh.flush()
        yield path
    # closing the file released the lock


def _holder(path: Path) -> str:
    try:
        pid = path.read_text(encoding="utf-8").strip()
    except OSError:
        pid = ""
    return f"PID {pid}" if pid.isdigit() else "another process"


@contextmanager
def staged(target: Path, *, keep: bool = False) -> Iterator[Path]:
    """A fresh folder beside `target` (holding a copy of target's files when `keep`: a partial rebuild),
    swapped into its place when the block succeeds and removed when it fails."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}-new-", dir=target.parent))
    try:
        if keep and target.is_dir():
            shutil.copytree(target, tmp, dirs_exist_ok=True)   # copies, not links: files are rewritten in place
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    tmp.chmod(0o755)  # mkdtemp made it private; a web server must read it
    swap(tmp, target)


def swap(new: Path, target: Path) -> None:
    """Put `new` in place of `target` in one step where the system allows it (renameat2 RENAME_EXCHANGE,
    Linux), else by two renames; a build killed between those is repaired by `remove_leftovers`."""
    if target.exists() and _exchange(new, target):
        shutil.rmtree(new, ignore_errors=True)           # `new` now holds the previous output
        return
    old = target.parent / f".{target.name}-old-{new.name.rsplit('-', 1)[-1]}"
    if target.exists():
        target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def remove_leftovers(target: Path) -> list[Path]:
    """Staging folders a killed build left beside `target` (call under the build lock). If the kill fell
    between the two renames of a swap, the previous output is put back first."""
    parent = target.parent
    if not parent.is_dir():
        return []
    olds = sorted(parent.glob(f".{target.name}-old-*"))
    if not target.exists() and olds:
        olds.pop().rename(target)
    stale = olds + sorted(parent.glob(f".{target.name}-new-*"))
    for path in stale:
        shutil.rmtree(path, ignore_errors=True)
    return stale


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):                     # not glibc ≥ 2.28
        return False
    return renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0
