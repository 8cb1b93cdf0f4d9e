"""A content-hash cache for build steps: the result of a step is stored under a key made from the
hashes of everything the step reads (input bytes, stylesheets, strings, the code that computes it).

Only a cache: deleting it (`.cache/build/`) changes nothing but the time a build takes, and the site
folder is never read back. Entries are written atomically (temporary file, then rename), so two builds
running at once, or a build killed half-way, leave either a whole entry or none; an entry that cannot
be read is treated as missing.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
FORMAT = 1   # bump when the layout of stored entries changes


def digest(*parts: bytes | str) -> str:
    """One sha256 over several parts (each length-prefixed, so ("ab", "c") and ("a", "bc") differ)."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


RACY_NS = 100_000_000    # a file changed this close (0.1 s) to its hash is hashed again: a change in the same
                         # tick of the file system's coarse clock would leave its ctime as it was
_known: dict[str, tuple[tuple[int, int, int, int, int], str]] = {}   # path → (its stat then, digest(bytes))


def file_digest(path: Path | str) -> str:
    """`digest(bytes of the file)`, read and hashed once per process while the file stays the same one: kept
    under its device, inode, size, mtime and ctime (an edit that keeps the size and puts the mtime back still
    moves the ctime, which no call can set). A build's stages each hashed every TEI file (six passes over
    27 MB at 10×); they now share one. Where the bytes read must be the bytes hashed (a result stored under
    the key), the caller hashes what it read."""
    name = str(path)
    st = os.stat(name)
    seen = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
    known = _known.get(name)
    if known is not None and known[0] == seen:
        return known[1]
    now = time.time_ns()
    with open(name, "rb") as fh:
        value = digest(fh.read())
    st = os.stat(name)
    if (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns) == seen and st.st_ctime_ns < now - RACY_NS:
        _known[name] = (seen, value)
    else:
        _known.pop(name, None)
    return value


def files_digest(paths: list[Path]) -> str:
    """The hash of several files' names and contents, in a fixed order."""
    parts: list[bytes | str] = []
    for path in sorted(paths):
        parts += [path.name, path.read_bytes()]
    return digest(*parts)


def code_version(*modules: str) -> str:
    """The hash of the Python source of the given modules (paths relative to the package, "html/stage.py")
    and of this one: an edit to the code that computed an entry invalidates it."""
    return files_digest([PACKAGE / m for m in (*modules, "cache.py", "__init__.py")])


@dataclass
class Cache:
    """Entries `<folder>/<name>-<key>.pickle`; one entry per name is kept (the newest key)."""
    folder: Path
    enabled: bool = True
    hits: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)
    _files: dict[str, set[str]] | None = field(default=None, repr=False)   # name → its entry files

    def _entries(self, name: str) -> set[str]:
        """The files of entry `name`, from one listing of the folder (a glob per entry made a register of
        N entries cost N listings of N files)."""
        if self._files is None:
            self._files = {}
            for file in os.listdir(self.folder):
                if file.endswith(".pickle") and not file.startswith("."):
                    self._files.setdefault(file[:-len("-.pickle") - 32], set()).add(file)
        return self._files.setdefault(name, set())

    def _path(self, name: str, key: str) -> Path:
        return self.folder / f"{name}-{key[:32]}.pickle"

    def get(self, name: str, key: str) -> object | None:
        if not self.enabled:
            return None
        path = self._path(name, key)
        try:
            with path.open("rb") as fh:
                stored_format, stored_key, value = pickle.load(fh)
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError):
            self.misses.append(name)
            return None
        if stored_format != FORMAT or stored_key != key:
            self.misses.append(name)
            return None
        self.hits.append(name)
        return value

    def latest(self, name: str) -> tuple[str, object] | None:
        """The entry stored for `name` under whatever key (one is kept per name), with that key: for a result
        that reuses pieces of the last one by their own hashes (exports/dts.py's passages)."""
        if not self.enabled or not self.folder.is_dir():
            return None
        for file in sorted(self._entries(name)):
            try:
                with (self.folder / file).open("rb") as fh:
                    stored_format, stored_key, value = pickle.load(fh)
            except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError):
                continue
            if stored_format == FORMAT:
                return stored_key, value
        return None

    def has(self, name: str, key: str) -> bool:
        """Whether an entry for this key is stored (without reading it; `get` may still find it unreadable)."""
        return self.enabled and self._path(name, key).is_file()

    def put(self, name: str, key: str, value: object) -> None:
        if not self.enabled:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self._path(name, key)
        fd, tmp = tempfile.mkstemp(prefix=f".{name}-", suffix=".tmp", dir=self.folder)
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump((FORMAT, key, value), fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        files = self._entries(name)
        for old in files - {target.name}:                  # the entry it replaces is dead weight
            (self.folder / old).unlink(missing_ok=True)
        files.intersection_update({target.name})
        files.add(target.name)
