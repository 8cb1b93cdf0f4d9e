"""Build output that is never half-written: one build at a time per project (a lock), a new build/ (site
and PDFs together) written beside the current one and swapped in whole, in one step, and what a killed
build left behind removed by the next.

The lock is `flock` on `.cache/build.lock`: the kernel releases it when its holder exits, however it
exits (SIGKILL included), so a stale lock cannot block the next build. The holder writes its PID in the
file so that a waiting build can say whom it waits for.

build/ changes at once: site and PDFs were swapped one after the other, and a build killed between the
two left a new site beside the previous PDFs. A command that makes only part of the output (`build
--no-pdf`, `edition pdf d002`) carries the rest of the current build/ over unchanged (hard links: no
copy, never written through), so it never replaces what it did not make.
"""

from __future__ import annotations

import ctypes
import fcntl
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from pathlib import Path

from .diagnostics import EditionError

_held: dict[Path, tuple[int, int]] = {}   # lock path -> (thread holding it, depth): re-entrant per thread


def lock_path(root: Path) -> Path:
    return root / ".cache" / "build.lock"


@contextmanager
def build_lock(root: Path, *, wait: bool = True, log: Callable[[str], None] = lambda msg: None) -> Iterator[Path]:
    """Hold the project's build lock for the block; wait for another build (saying so), or fail at once
    when `wait` is false. Re-entrant within one thread (`build()` inside a command that holds it)."""
    path = lock_path(root)
    me = threading.get_ident()
    thread, depth = _held.get(path, (None, 0))
    if thread == me:
        _held[path] = (me, depth + 1)
        try:
            yield path
        finally:
            _held[path] = (me, depth)     # the outer block still holds it, and lets it go
        return
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
        _held[path] = (me, 0)
        try:
            yield path
        finally:
            del _held[path]
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


@contextmanager
def staged_build(build_dir: Path, *, fresh: Collection[str] = (), copied: Collection[str] = ()) -> Iterator[Path]:
    """A new build/ beside `build_dir`, swapped into its place in one step when the block succeeds and
    removed when it fails. Its parts named in `fresh` ("site", "pdf") start empty, those in `copied` as a
    copy of the current part (a partial run rewrites some of its files); every other entry of the current
    build/ is carried over as hard links. Call under the build lock: it first removes what a killed build
    left."""
    build_dir = build_dir.resolve()        # a build/ that links elsewhere is replaced there, the link kept
    remove_leftovers(build_dir)
    build_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{build_dir.name}-new-", dir=build_dir.parent))
    try:
        if build_dir.is_dir():
            for entry in build_dir.iterdir():
                if entry.name in fresh or entry.name.startswith("."):   # (staging folders of older versions)
                    continue
                if entry.name in copied:
                    shutil.copytree(entry, tmp / entry.name, symlinks=True)
                else:
                    _link_tree(entry, tmp / entry.name)
        for name in (*fresh, *copied):
            (tmp / name).mkdir(exist_ok=True)
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    tmp.chmod(0o755)  # mkdtemp made it private; a web server must read it
    swap(tmp, build_dir)


@contextmanager
def staged_outputs(build_dir: Path, site: Path | None = None, *, pdf: bool) -> Iterator[tuple[Path, Path]]:
    """(site folder, PDF folder) for a build to write into: a new build/ with a fresh site, and fresh PDFs
    when `pdf` (else the current ones carried over, for the downloads to copy). With `site` (a site built
    elsewhere, no PDFs): that folder staged alone, and build/pdf as it is."""
    if site is not None:
        remove_leftovers(site)
        with staged(site) as tmp:
            yield tmp, build_dir / "pdf"
        return
    with staged_build(build_dir, fresh=("site", "pdf") if pdf else ("site",)) as tmp:
        yield tmp / "site", tmp / "pdf"


@contextmanager
def staged_pdfs(build_dir: Path, out: Path | None = None, *, keep: bool) -> Iterator[Path]:
    """The folder for `edition pdf` to write into: the PDFs of a new build/ (the site carried over), or
    `out` staged alone; starting as a copy of the current PDFs when `keep` (only some are made)."""
    if out is not None and out.resolve() != (build_dir / "pdf").resolve():
        remove_leftovers(out)
        with staged(out, keep=keep) as tmp:
            yield tmp
        return
    with staged_build(build_dir, fresh=() if keep else ("pdf",), copied=("pdf",) if keep else ()) as tmp:
        yield tmp / "pdf"


def _link_tree(source: Path, target: Path) -> None:
    """`source` (a file, a link or a folder) at `target` by hard links, copying only where linking fails."""
    if source.is_symlink():
        os.symlink(os.readlink(source), target)
    elif source.is_dir():
        shutil.copytree(source, target, symlinks=True, copy_function=_link_or_copy)
    else:
        _link_or_copy(source, target)


def _link_or_copy(source: str | Path, target: str | Path) -> None:
    try:
        os.link(source, target)
    except OSError:                   # another filesystem, or links not allowed
        shutil.copy2(source, target)


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
