"""Build output that is never half-written: one build at a time per project (a lock), a new build/ (site
and PDFs together) written beside the current one and swapped in whole, in one step, and what a killed
build left behind removed by the next.

The lock is `flock` on `.cache/build.lock`: the kernel releases it when its holder exits, however it
exits (SIGKILL included), so a stale lock cannot block the next build. The holder writes its PID in the
file so that a waiting build can say whom it waits for.

build/ changes at once: site and PDFs were swapped one after the other, and a build killed between the
two left a new site beside the previous PDFs.

Two trees alternate: the output a swap puts aside is kept beside the target as its spare
(`.build-spare`, `.site-spare`), and the next build is written into it, not into an empty folder, so
that a rebuild touches only what changed (outputs.py: most files are already the right ones, often the
live output's own files through hard links). Each build's record of what it wrote (path → inode, hash
of the bytes) is kept beside the target (`.build-written`), keyed by the folder's inode, which a rename
does not change: the record stays true through a swap and through a build killed at any point. Before
a build starts, every file of the spare that its record does not list as that very file is removed
(what other writers made: Pagefind, the ZIPs, copies), and at the end every file it held that this
build did not write; a spare without a record (an older toolkit, a killed build) is deleted, and the
build starts from an empty folder as before. A command that makes only part of the output (`build
--no-pdf`, `edition pdf d002`) carries the rest of the current build/ over unchanged (hard links: no
copy, never written through), so it never replaces what it did not make.
"""

from __future__ import annotations

import ctypes
import fcntl
import os
import pickle
import shutil
import stat
import tempfile
import time
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from pathlib import Path

from . import outputs
from .cache import RACY_NS
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
    """A folder beside `target` (the spare tree, or a fresh one; holding a copy of target's files when
    `keep`: a partial rebuild), swapped into its place when the block succeeds and removed when it fails."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}-new-", dir=target.parent))
    try:
        if keep:
            _drop_spare(target)
            if target.is_dir():
                shutil.copytree(target, tmp, dirs_exist_ok=True)   # copies, not links: files are rewritten in place
        else:
            _take_spare(target, tmp)
        yield tmp
        tree = _finish(tmp)
    except BaseException:
        outputs.unregister_tree(str(tmp))
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    tmp.chmod(0o755)  # mkdtemp made it private; a web server must read it
    _swap_keeping_spare(tmp, target, tree)


@contextmanager
def staged_build(build_dir: Path, *, fresh: Collection[str] = (), copied: Collection[str] = ()) -> Iterator[Path]:
    """A new build/ beside `build_dir`, swapped into its place in one step when the block succeeds and
    removed when it fails. Its parts named in `fresh` ("site", "pdf") start as the spare tree's (what a
    build does not write in them is gone at the swap: as if they started empty), those in `copied` as a
    copy of the current part (a partial run rewrites some of its files); every other entry of the current
    build/ is carried over as hard links. Call under the build lock: it first removes what a killed build
    left."""
    build_dir = build_dir.resolve()        # a build/ that links elsewhere is replaced there, the link kept
    remove_leftovers(build_dir)
    build_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{build_dir.name}-new-", dir=build_dir.parent))
    try:
        carried = [e for e in build_dir.iterdir() if e.name not in fresh and not e.name.startswith(".")
                   ] if build_dir.is_dir() else []             # (dot entries: staging folders of older versions)
        if copied:
            _drop_spare(build_dir)
        else:
            _take_spare(build_dir, tmp, drop={e.name for e in carried} | {".*"})
        for entry in carried:
            if entry.name in copied:
                shutil.copytree(entry, tmp / entry.name, symlinks=True)
            else:
                _link_tree(entry, tmp / entry.name)
        for name in (*fresh, *copied):
            (tmp / name).mkdir(exist_ok=True)
        yield tmp
        tree = _finish(tmp)
    except BaseException:
        outputs.unregister_tree(str(tmp))
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    tmp.chmod(0o755)  # mkdtemp made it private; a web server must read it
    _swap_keeping_spare(tmp, build_dir, tree)


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


def swap(new: Path, target: Path, *, keep_previous: bool = False) -> Path | None:
    """Put `new` in place of `target` in one step where the system allows it (renameat2 RENAME_EXCHANGE,
    Linux), else by two renames; a build killed between those is repaired by `remove_leftovers`. The
    previous output is deleted, or with `keep_previous` returned (a staging folder's name: a leftover,
    should the caller not move it)."""
    if target.exists() and _exchange(new, target):
        if keep_previous:
            return new                                   # `new` now holds the previous output
        shutil.rmtree(new, ignore_errors=True)
        return None
    old = target.parent / f".{target.name}-old-{new.name.rsplit('-', 1)[-1]}"
    had = target.exists()
    if had:
        target.rename(old)
    new.rename(target)
    if had and keep_previous:
        return old
    shutil.rmtree(old, ignore_errors=True)
    return None


def spare_of(target: Path) -> Path:
    return target.parent / f".{target.name}-spare"


def records_path(target: Path) -> Path:
    return target.parent / f".{target.name}-written"


Listing = tuple[dict[str, "int | None"], dict[str, list[str]]]
# What a tree held when its build ended, beside its record of what the build wrote: each folder ("" the tree
# itself, "a/b/") with its ctime then (None: not to be trusted, the folder is listed again), and by folder the
# names of the files other writers made there (Pagefind, the ZIPs, copies). A folder whose ctime is still that
# one has had no entry made, removed or renamed in it since (the kernel sets a folder's ctime on each), so
# the next clean-up of the tree knows its files without listing it.
# (a folder changed within cache.RACY_NS of the moment its ctime was read is not trusted: a change within the
# same tick of the file system's coarse clock would keep that ctime)


def _load(target: Path) -> tuple[dict[int, outputs.Record], dict[int, Listing]]:
    """What the builds of the live output and of the spare wrote, by the inode of their folder, and what
    each tree held when its build ended (`Listing`, by the same inode; none in an older file)."""
    try:
        with records_path(target).open("rb") as fh:
            saved = pickle.load(fh)
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError):
        return {}, {}
    records, listings = saved if isinstance(saved, tuple) and len(saved) == 2 else (saved, {})
    if not isinstance(records, dict) or not isinstance(listings, dict):
        return {}, {}
    for record in records.values():                  # a record of an older layout (path → tuple): none, and the
        first = next(iter(record.values()), 0) if isinstance(record, dict) else None    # next build starts empty
        if not isinstance(first, int):
            return {}, {}
    return records, listings


def _records(target: Path) -> dict[int, outputs.Record]:
    """What the builds of the live output and of the spare wrote, by the inode of their folder."""
    return _load(target)[0]


def _save_records(target: Path, records: dict[int, outputs.Record], listings: dict[int, Listing] | None = None,
                  ) -> None:
    path = records_path(target)
    fresh = path.with_name(path.name + ".new")
    with fresh.open("wb") as fh:
        pickle.dump((records, listings or {}), fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(fresh, path)                          # the old record or the new, never half of one


def _inode(path: Path) -> int | None:
    try:
        return os.stat(path).st_ino
    except OSError:
        return None


def _drop_spare(target: Path) -> None:
    shutil.rmtree(spare_of(target), ignore_errors=True)


def _take_spare(target: Path, tmp: Path, drop: Collection[str] = ()) -> None:
    """Make `tmp` (an empty folder) the spare tree with only the files its record lists (less the
    top-level entries named in `drop`; ".*": those starting with a dot), and register it with outputs:
    the live output's record to compare with, the kept files to remove unless written."""
    records, listings = _load(target)
    live_inode = _inode(target) or -1
    live = records.get(live_inode, {})
    spare = spare_of(target)
    kept: dict[str, int] = {}
    folders: dict[str, int | None] = {"": None}
    spare_inode = _inode(spare) or -1 if spare.is_dir() else -1
    record = records.get(spare_inode) if spare_inode != -1 else None
    if record is not None and live:
        os.rename(spare, tmp)                         # over the empty folder mkdtemp made
        kept, folders = _clean(str(tmp), record, live, drop, listings.get(spare_inode))
    elif spare.exists():
        shutil.rmtree(spare, ignore_errors=True)
    tree = outputs.Tree(str(tmp), live, kept)
    tree.folders = folders
    tree.live_listing = listings.get(live_inode) if live else None
    outputs.register_tree(tree)


def _clean(root: str, record: outputs.Record, live: outputs.Record, drop: Collection[str],
           listing: Listing | None = None) -> tuple[dict[str, int], dict[str, int | None]]:
    """Remove from the folder every file that is not, by inode, one its record lists and the live output's
    build wrote too (the others are unlikely to be written again), and the folders left empty; the files
    kept, path → inode, and the folders left, each with its ctime when the clean-up did not change it (else
    None). With the tree's `listing`, a folder whose ctime is the one listed is not listed again: its files
    are the record's and the other writers' listed there (at 10× an edit met 109,945 entries in 423 folders,
    nearly all unchanged: 0.4 s of Python); every other folder is walked."""
    kept: dict[str, int] = {}
    after: dict[str, int | None] = {}
    dots = ".*" in drop
    root = root if root.endswith("/") else root + "/"

    def dropped(rel: str) -> bool:
        top = rel[:rel.index("/")]
        return top in drop or (dots and top.startswith("."))
    listed, others = listing if listing is not None else ({}, {})
    same: set[str] = set()                            # folders unchanged since the listing
    for folder, ctime in listed.items():
        if folder and ctime is not None and not dropped(folder):
            try:
                st = os.lstat(root + folder)
            except OSError:
                continue
            if stat.S_ISDIR(st.st_mode) and st.st_ctime_ns == ctime:
                same.add(folder)

    def walk(folder: str, prefix: str) -> bool:
        left = False
        after[prefix] = None
        with os.scandir(folder) as entries:
            for entry in entries:
                rel = prefix + entry.name
                if not prefix and (entry.name in drop or (dots and entry.name.startswith("."))):
                    if entry.is_dir(follow_symlinks=False):
                        shutil.rmtree(entry.path)
                    else:
                        os.unlink(entry.path)
                elif entry.is_dir(follow_symlinks=False):
                    if rel + "/" in same or walk(entry.path, rel + "/"):   # (an unchanged one: below)
                        left = True
                    else:
                        os.rmdir(entry.path)
                        del after[rel + "/"]
                else:
                    mine = record.get(rel)
                    if mine is not None and outputs.inode_of(mine) == entry.inode() and rel in live:
                        kept[rel] = outputs.inode_of(mine)
                        left = True
                    else:
                        os.unlink(entry.path)
        return left

    walk(root, "")
    emptied: set[str] = set()
    for folder in sorted(listed):                     # a changed folder in an unchanged one (parents first: the
        if (folder in after or folder in same or not folder or dropped(folder)   # others are walked from theirs)
                or not os.path.isdir(root + folder)):
            continue
        if not walk(root + folder, folder):
            os.rmdir(root + folder)
            del after[folder]
            emptied.add(folder[:folder.rstrip("/").rfind("/") + 1])
    if not same:
        return kept, after
    for rel, value in record.items():                 # the files of the unchanged folders: the record's
        folder = rel[:rel.rfind("/") + 1]
        if folder in same:
            if rel in live:
                kept[rel] = outputs.inode_of(value)
            else:
                os.unlink(root + rel)
                emptied.add(folder)
    for folder in same:                               # and the other writers'
        for name in others.get(folder, ()):
            try:
                os.unlink(root + folder + name)
            except FileNotFoundError:
                pass
            emptied.add(folder)
        after[folder] = None if folder in emptied else listed[folder]
    for folder in sorted(emptied, key=len, reverse=True):   # the folders left empty, and their parents
        while folder:
            try:
                os.rmdir(root + folder)
            except OSError:                           # not empty: nor are its parents
                break
            after.pop(folder, None)
            folder = folder[:folder.rstrip("/").rfind("/") + 1]
            after[folder] = None
    return kept, after


def _listing(root: str, written: outputs.Record, folders: dict[str, int | None]) -> Listing:
    """What the tree holds now that its build has ended: `folders` are those the tree had after its clean-up
    (with their ctime then, None when the clean-up changed them); one still at that ctime holds only files
    this build wrote (a kept file it did not write was removed, which changes the ctime); every other is
    listed, and the folders found in it that were not there."""
    listed: dict[str, int | None] = {}
    others: dict[str, list[str]] = {}
    now = time.time_ns()

    def trusted(ctime: int) -> int | None:
        return ctime if ctime < now - RACY_NS else None

    def scan(folder: str, ctime: int) -> None:        # (ctime read before the folder is listed)
        names, right = [], True
        with os.scandir(root + folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    sub = folder + entry.name + "/"
                    if sub not in folders:
                        scan(sub, entry.stat(follow_symlinks=False).st_ctime_ns)
                    continue
                value = written.get(folder + entry.name)
                if value is None:
                    names.append(entry.name)
                elif outputs.inode_of(value) != entry.inode():   # (another writer replaced it: list it again)
                    right = False
        listed[folder] = trusted(ctime) if right else None
        if names:
            others[folder] = names

    changed = []
    for folder, ctime in folders.items():
        try:
            st = os.lstat(root + folder)
        except OSError:
            continue
        if not stat.S_ISDIR(st.st_mode):
            continue
        if ctime is not None and st.st_ctime_ns == ctime:
            listed[folder] = trusted(ctime)
        else:
            changed.append((folder, st.st_ctime_ns))
    for folder, ctime in changed:
        scan(folder, ctime)
    return listed, others


def _finish(tmp: Path) -> outputs.Tree | None:
    """Remove what the spare tree held that this build did not write (and the folders it leaves empty);
    the tree with what this build wrote, or None when outputs did not follow it (no record: the next build
    starts empty)."""
    tree = outputs.unregister_tree(str(tmp))
    if tree is None:
        return None
    folders: set[str] = set()
    for rel, ino in tree.kept.items():
        path = tree.root + rel
        try:
            if os.lstat(path).st_ino == ino:          # (not a file another writer put there since)
                os.unlink(path)
                folders.add(os.path.dirname(path))
        except OSError:
            pass
    root = tree.root.rstrip("/")
    for folder in sorted(folders, key=len, reverse=True):
        while folder != root and folder.startswith(tree.root):
            try:
                os.rmdir(folder)
            except OSError:                           # not empty: nor are its parents
                break
            folder = os.path.dirname(folder)
    tree.kept = {}
    return tree


def _swap_keeping_spare(tmp: Path, target: Path, tree: outputs.Tree | None) -> None:
    """Swap tmp in; the previous output becomes the spare. The record is saved before the swap: keyed by
    folder inodes, it is true before, during and after it. (The live output's record is the one the tree
    compared with, read by _take_spare under the same lock: not read again, which would hold the spare's
    record too, a third record in memory.)"""
    if tree is None or not tree.written:              # nothing written through outputs: no record, no spare
        records_path(target).unlink(missing_ok=True)
        swap(tmp, target)
        _drop_spare(target)
        return
    live = tree.live if target.exists() and tree.live else None
    keep = {_inode(tmp) or -1: tree.written}
    listings: dict[int, Listing] = {}
    if tree.folders is not None:
        listings[_inode(tmp) or -1] = _listing(tree.root, tree.written, tree.folders)
    if live is not None:
        keep[_inode(target) or -1] = live
        if tree.live_listing is not None:
            listings[_inode(target) or -1] = tree.live_listing
    _save_records(target, keep, listings)
    previous = swap(tmp, target, keep_previous=live is not None)
    if previous is not None:
        _drop_spare(target)
        previous.rename(spare_of(target))


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
