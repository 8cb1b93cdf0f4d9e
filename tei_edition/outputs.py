"""Writing a build's files so that a rebuild costs what changed, not the size of the site.

A build writes into a staging folder beside its target (`.site-new-XXXX` beside `site`, see staging.py)
that replaces the target when the build succeeds. Creating, linking and deleting thousands of files is
the slow part of a rebuild, so the staging folder is, when it can be, the output of the build before the
last (the spare tree staging.py keeps after each swap): most of its files are already the right ones,
often the very files of the live output (hard links, shared when unchanged over two builds).

`write_bytes` is how a build writes a file. Into a staging folder `Tree` knows (staging.py registers it):
when the bytes are those the previous build wrote at that path (by the record of what it wrote: each
file's inode and a hash of its bytes), the file already there is kept when it is that same file, else the
previous build's file is hard-linked; only new bytes make a new file. Everything is recorded (`Tree.written`,
the record the next build compares with), and staging removes at the end what the spare held but this
build did not write. Into a folder no `Tree` knows, the previous build's file is compared byte for byte.
The live output is only ever linked or read, never written: a file already in the staging folder (maybe
a link shared with the live output) is unlinked before it is written again (a write through the link would
change the live site before the build has succeeded). Writers that do not use write_bytes (Pagefind, the
ZIPs, copies of assets) find none of their files in a reused tree: staging removes every file the record
does not list before the build starts.
"""

from __future__ import annotations

import hashlib
import os
import re
from array import array
from collections import deque
from collections.abc import Callable
from itertools import repeat
from pathlib import Path
from typing import Any

from .cache import digest

STAGING = re.compile(r"/\.(?P<name>[^/]+)-new-[^/]+/")   # staging.staged(): .<target name>-new-<random>

Record = dict[str, int]     # what a build wrote: path under the tree → its inode and a hash of its bytes, as one
                            # int (`entry`): a 30× site has ~330,000 files, and a tuple of an int and a bytes
                            # per file cost 160 bytes where this costs 44 (an edit holds two or three records)
UNKNOWN = 0                 # the hash part of a file whose bytes were not hashed (linked unread: Stamps)
_MARK = (1 << 64) - 1


def fingerprint(data: bytes) -> int:
    """A 64-bit hash of the bytes, never UNKNOWN (2 GB/s with the CPU's SHA instructions; a memcmp needs a read)."""
    return int.from_bytes(hashlib.sha256(data).digest()[:8], "big") | 1


def entry(ino: int, mark: int) -> int:
    return ino << 64 | mark


def inode_of(value: int) -> int:
    return value >> 64


def mark_of(value: int) -> int:
    return value & _MARK


class Tree:
    """A staging folder being written: what the previous build wrote (`live`: the record of the output this
    folder replaces), the files of the spare tree kept in this folder (`kept`: path → inode; those not
    written again are removed at the end) and what this build wrote (`written`)."""

    def __init__(self, root: str, live: Record, kept: dict[str, int]) -> None:
        self.root = root if root.endswith("/") else root + "/"
        self.live, self.kept = live, kept
        self.written: Record = {}
        self.folders: dict[str, int | None] | None = None   # its folders after the clean-up, and what the live
        self.live_listing: Any = None                       # output held (staging.Listing): set by staging

    def write(self, rel: str, target: str, old: str, data: bytes) -> bool:
        mark = fingerprint(data)
        known = self.live.get(rel)
        if known is not None and mark_of(known) == mark:        # the previous build wrote these bytes here
            if self._adopt(rel, target, old, inode_of(known)):
                self.written[rel] = known
                return False
        elif (known is None or mark_of(known) == UNKNOWN) and _same(old, data):   # no record of its bytes: compare
            try:
                ino = os.stat(old).st_ino
                if self._adopt(rel, target, old, ino):
                    self.written[rel] = entry(ino, mark)
                    return False
            except OSError:
                pass
        self.kept.pop(rel, None)
        self.written[rel] = entry(_again_if_needed(_create, data, target), mark)
        return True

    def place(self, rel: str, target: str, old: str, mark: int) -> bool:
        """`write` of bytes known by their hash alone: True when the previous build wrote bytes of that hash
        here (its file kept or linked, unread), else False (the caller writes the bytes)."""
        known = self.live.get(rel)
        if known is None or mark_of(known) != mark or not self._adopt(rel, target, old, inode_of(known)):
            return False
        self.written[rel] = known
        return True

    def adopt(self, rel: str, target: str, old: str, ino: int) -> bool:
        """The previous build's file `old` (inode ino) at target, unread (Stamps); recorded as written."""
        if not self._adopt(rel, target, old, ino):
            return False
        self.written[rel] = self._as_recorded(self.live.get(rel, 0), ino)
        return True

    def take(self, rel: str, ino: int) -> bool:
        """The spare's file at rel, when it is the file of inode ino (its folder was walked before the build:
        `kept`), recorded as written without a system call; False when the spare holds no such file."""
        if self.kept.get(rel) != ino:
            return False
        del self.kept[rel]
        self.written[rel] = self._as_recorded(self.live.get(rel, 0), ino)
        return True

    def take_all(self, rels: list[str], inodes: Any) -> bool:
        """`take` for many files at once, all or none (a document's export files: hundreds at 10×)."""
        kept = self.kept
        if not all(map(int.__eq__, map(kept.get, rels, repeat(-1)), inodes)):
            return False
        deque(map(kept.__delitem__, rels), maxlen=0)            # (map and deque: no Python loop over 90,000)
        known = list(map(self.live.get, rels, repeat(0)))       # what the live output's build recorded there:
        if all(map(int.__eq__, map(int.__rshift__, known, repeat(64)), inodes)):   # the same file (as a rule)
            self.written.update(zip(rels, known))
        else:
            self.written.update(zip(rels, map(self._as_recorded, known, inodes)))
        return True

    @staticmethod
    def _as_recorded(known: int, ino: int) -> int:
        """The stamp of a kept file of inode ino: the live build's record of it when that names the same
        file (its hash known), else the inode with its hash unknown."""
        return known if inode_of(known) == ino else entry(ino, UNKNOWN)

    def _adopt(self, rel: str, target: str, old: str, ino: int) -> bool:
        if self.kept.pop(rel, None) == ino:                     # the spare's file is that very file: nothing to do
            return True
        try:
            _again_if_needed(os.link, old, target)
        except OSError:                                         # another filesystem, or links not allowed
            return False
        return True


_trees: dict[str, Tree] = {}


def register_tree(tree: Tree) -> None:
    _trees[tree.root] = tree


def unregister_tree(root: str) -> Tree | None:
    return _trees.pop(root if root.endswith("/") else root + "/", None)


def _innermost(text: str) -> re.Match[str] | None:
    m = None
    for m in STAGING.finditer(text):           # the innermost staging folder  # noqa: B007 (the last is kept)
        pass
    return m


def _tree_of(text: str) -> tuple[Tree | None, str]:
    """The Tree a path lies in, and the path under it."""
    m = _innermost(text)
    if m is None:
        return None, text
    return _trees.get(text[:m.end()]), text[m.end():]


def previous_of(path: Path | str) -> str | None:
    """The same file in the output the staging folder will replace, when path is inside one."""
    text = str(path)                           # string work: pathlib costs more than the link it saves
    m = _innermost(text)
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
    """Write data to path; returns True when the bytes were new (False: the previous build's file, kept or
    linked). A file already at path (written earlier in this build, or the spare's, maybe a link) is
    replaced, never written through; the folder is made only when it turns out to be missing (a mkdir per
    file would cost as much as the writes it saves)."""
    target = str(path)
    m = _innermost(target)
    if m is None:
        _again_if_needed(_create, data, target)
        return True
    old = f"{target[:m.start()]}/{m['name']}/{target[m.end():]}"
    tree = _trees.get(target[:m.end()])
    if tree is not None:
        return tree.write(target[m.end():], target, old, data)
    if _same(old, data):
        try:
            _again_if_needed(os.link, old, target)
            return False
        except OSError:                # another filesystem, or links not allowed: write a copy
            pass
    _again_if_needed(_create, data, target)
    return True


def place(path: Path | str, mark: int) -> bool:
    """The previous build's file at path, when its record says it holds bytes of hash `mark` (outputs.
    fingerprint): kept or linked, unread, and True; False when no record says so (the caller writes the
    bytes). A part made on another process sends the hashes of the files its last version had the same."""
    target = str(path)
    m = _innermost(target)
    tree = _trees.get(target[:m.end()]) if m is not None else None
    if m is None or tree is None:
        return False
    return tree.place(target[m.end():], target, f"{target[:m.start()]}/{m['name']}/{target[m.end():]}", mark)


def _create(data: bytes, target: str) -> int:
    with open(target, "xb") as fh:     # exclusive: an existing file is removed first, not written through
        fh.write(data)
        return os.fstat(fh.fileno()).st_ino


def _again_if_needed(make: Callable[[Any, str], Any], source: Any, target: str) -> Any:
    """make(source, target), after making target's folder or removing what is at target if needed."""
    try:
        return make(source, target)
    except FileNotFoundError:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        return make(source, target)
    except FileExistsError:
        os.unlink(target)
        return make(source, target)


def write_text(path: Path | str, text: str) -> bool:
    return write_bytes(path, text.encode("utf-8"))


def _keep(target: str, previous: str, ino: int, size: int, tree: Tree | None = None, rel_in_tree: str = "",
          ) -> bool:
    """Keep target (the spare tree holds it) or link it from the previous build's `previous`, when that is
    still the recorded file (its inode and size); False if not, or if the file system refused. `tree` and
    `rel_in_tree`: where target lies, when the caller knows (else found from the path). A record whose own
    identity was checked (`_Record`) names the files the spare holds: that very inode in the spare is
    trusted without a stat (the build never writes through a file, so an inode keeps its bytes)."""
    if tree is None:
        tree, rel_in_tree = _tree_of(target)
    if tree is not None and tree.take(rel_in_tree, ino):
        return True
    try:
        st = os.stat(previous)
        if (st.st_ino, st.st_size) != (ino, size):
            return False
        if tree is not None:
            return bool(tree.adopt(rel_in_tree, target, previous, st.st_ino))
        _again_if_needed(os.link, previous, target)
        return True
    except OSError:
        return False


class _Record:
    """A record in `store` (cache.Cache) of what made the files of `kind` in the last build of an output,
    named by the output's final folder: `old` as that build left it, `new` as this build makes it. The
    record carries its own identity, the inode of the folder its build wrote into: a staging folder becomes
    the output by a rename, which keeps it, so the record is trusted only while the live output is the
    folder it describes (a failed build's record describes a folder since removed: it is not trusted)."""

    def __init__(self, store: Any, kind: str, out: Path | str) -> None:
        self.store, self.out = store, str(out)
        target = previous_of(f"{out}/") or f"{out}/"
        self.name = f"stamps-{kind}-{digest(target)[:16]}"
        old = store.get(self.name, "stamps")
        trusted = (isinstance(old, tuple) and len(old) == 2 and isinstance(old[1], dict)
                   and old[0] is not None and old[0] == _folder_inode(target))
        self.old: dict[str, Any] = old[1] if trusted else {}
        self.new: dict[str, Any] = {}

    def save(self) -> None:
        self.store.put(self.name, "stamps", (_folder_inode(self.out), self.new))


def _folder_inode(path: str) -> int | None:
    try:
        return os.stat(path).st_ino
    except OSError:
        return None


class Stamps(_Record):
    """What made each file of a kind in the last build of an output (a key: the hash of its inputs), with
    the file's inode and size: a file whose key is unchanged and whose previous copy is still that very
    file is linked at once, without rendering it, loading it from a cache or reading it to compare (a
    rebuild after one edit meets hundreds of register pages that did not change). The record is kept in
    `store` (cache.Cache) under `kind` and the output's final folder; a build that failed left a record
    whose inodes no file of the live output has, so it links nothing. Each record: (key, inode, size)."""

    def link(self, rel: str, key: str) -> bool:
        """Link rel from the previous build when it was made from `key` and is still that file."""
        record = self.old.get(rel)
        target = f"{self.out}/{rel}"
        previous = previous_of(target)
        if record is None or record[0] != key or previous is None:
            return False
        if not _keep(target, previous, record[1], record[2]):
            return False
        self.new[rel] = record
        return True

    def note(self, rel: str, key: str) -> None:
        st = os.stat(f"{self.out}/{rel}")
        self.new[rel] = (key, st.st_ino, st.st_size)


class GroupStamps(_Record):
    """Stamps for groups of files made together from one key (a document's export part: its TEI, texts and
    hundreds of DTS responses): group → the key, the paths of its files and each file's inode and size.
    When a group's key is unchanged and every file of it is still that very file in the previous build's
    output, its files are kept or linked without loading them from the cache or reading them (an edit meets
    fifty unchanged documents at 10×, ~900 MB of DTS responses). Kept compactly (the paths as one string,
    the numbers as one array: a 30× edition has ~300,000 such files); stored as `Stamps` is. Each record:
    (key, the paths joined by newlines, array of inode and size per path)."""

    def link(self, group: str, key: str) -> tuple[int, int] | None:
        """Keep or link every file of `group` from the previous build when the group was made from `key` and
        each file is still the one recorded; the count of its files and their bytes, or None (then some
        files may have been linked: the caller writes the group again, replacing them)."""
        record = self.old.get(group)
        if record is None or record[0] != key or previous_of(f"{self.out}/") is None:
            return None
        rels, numbers = record[1].split("\n"), record[2]
        tree, prefix = _tree_of(f"{self.out}/")      # (found once: a group has hundreds of files)
        if tree is not None and tree.take_all([prefix + rel for rel in rels] if prefix else rels, numbers[0::2]):
            self.new[group] = record                  # every file the spare's own: no system call
            return len(rels), sum(numbers[1::2])
        for i, rel in enumerate(rels):
            target = f"{self.out}/{rel}"
            previous = previous_of(target)
            if previous is None or not _keep(target, previous, numbers[2 * i], numbers[2 * i + 1], tree,
                                             prefix + rel):
                return None
        self.new[group] = record
        return len(rels), sum(numbers[1::2])

    def note(self, group: str, key: str, rels: list[str]) -> None:
        """Record the files of `group` as this build wrote them (after writing)."""
        numbers = array("Q")
        for rel in rels:
            st = os.stat(f"{self.out}/{rel}")
            numbers.extend((st.st_ino, st.st_size))
        self.new[group] = (key, "\n".join(rels), numbers)


def written_now(path: Path | str) -> bool:
    """Whether this build has already written path (into a staging tree that records it)."""
    tree, rel = _tree_of(str(path))
    return tree is not None and rel in tree.written


def marks(paths: list[str]) -> list[int] | None:
    """The hashes of the bytes this build wrote at these paths (from the record of the staging tree they
    lie in), or None when one of them is in no staging tree, not written (yet), or written unread."""
    found = []
    for path in paths:
        tree, rel = _tree_of(path)
        value = tree.written.get(rel) if tree is not None else None
        if value is None or mark_of(value) == UNKNOWN:
            return None
        found.append(mark_of(value))
    return found


def unwritten(path: Path | str) -> bool:
    """Whether path is a file the spare tree left in a staging folder that this build has not written (yet):
    to anyone reading the folder during the build, as if absent (it is removed at the end unless written)."""
    tree, rel = _tree_of(str(path))
    return tree is not None and rel in tree.kept


def discard_unwritten(folders: list[Path]) -> int:
    """Remove now the files the spare tree left in these folders (not below them) that this build has not
    written: a program that reads a folder of the staging tree (Pagefind) must not meet them."""
    by_tree: dict[str, set[str]] = {}
    for folder in folders:
        text = f"{folder}/"
        m = _innermost(text)
        if m is not None and text[:m.end()] in _trees:
            by_tree.setdefault(text[:m.end()], set()).add(text[m.end():])
    removed = 0
    for root, prefixes in by_tree.items():
        tree = _trees[root]
        stale = []
        for prefix in prefixes:           # the folders' own files (not every file the spare holds: ~110,000 at 10×)
            try:
                names = os.listdir(root + prefix)
            except OSError:               # (no such folder: nothing of it kept)
                continue
            stale += [prefix + name for name in names if prefix + name in tree.kept]
        for rel in stale:
            del tree.kept[rel]
            try:
                os.unlink(root + rel)
                removed += 1
            except FileNotFoundError:
                pass
    return removed
