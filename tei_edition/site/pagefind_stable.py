"""Pagefind's filter files in a fixed order, so that two builds of the same site are byte-identical.

Pagefind (1.5) writes fragments and word indexes reproducibly, but the filter index and the metadata
file list filters and their values in hash-map order, which changes from run to run
(https://github.com/Pagefind/pagefind/issues/638), and their file names are hashes of that content.
This rewrites them sorted (values by name, filters by name), renamed after their new content, with the
references in the metadata file and pagefind-entry.json updated. Each file is gzip(b"pagefind_dcd" +
CBOR); a file is rewritten only if its CBOR decodes and encodes back to the very same bytes, so a format
this small codec does not know leaves Pagefind's output as it was.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

SIGNATURE = b"pagefind_dcd"


class _Unknown(Exception):
    """A CBOR item this codec does not handle."""


def stabilise(pagefind: Path) -> bool:
    """Sort pagefind/filter/* and the filter list of pagefind/*.pf_meta; True if the output is now canonical."""
    entry_path = pagefind / "pagefind-entry.json"
    try:
        entry = json.loads(entry_path.read_text(encoding="utf-8"))
        read = []     # every file read and checked before any is rewritten: never half an index
        for lang in entry["languages"].values():
            meta_path = pagefind / f"pagefind.{lang['hash']}.pf_meta"
            meta = _read(meta_path)
            filters = meta[3]
            if not (isinstance(filters, list) and all(isinstance(f, list) and len(f) == 2 for f in filters)):
                return False
            read.append((lang, meta_path, meta, filters,
                         {old: _read(pagefind / "filter" / f"{old}.pf_filter") for _, old in filters}))
        for lang, meta_path, meta, filters, contents in read:
            renamed = {}
            for _name, old in filters:
                name_and_values = contents[old]
                name_and_values[1] = sorted(name_and_values[1], key=lambda v: v[0])   # [value, [pages]]
                renamed[old] = _write(pagefind / "filter" / f"{old}.pf_filter", name_and_values, old, 7)
            meta[3] = sorted([[name, renamed[old]] for name, old in filters], key=lambda f: f[0])
            lang["hash"] = _write(meta_path, meta, lang["hash"], 10)
        text = json.dumps(entry, ensure_ascii=False, separators=(",", ":"))
        fresh = entry_path.with_name(entry_path.name + ".tmp")
        fresh.write_text(text, encoding="utf-8")
        fresh.replace(entry_path)              # a new file: never written through a link to the live site
        return True
    except (_Unknown, OSError, KeyError, IndexError, TypeError, ValueError):
        return False


def _read(path: Path) -> list:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise _Unknown(path)
    body = data[len(SIGNATURE):]
    value, end = _decode(body, 0)
    if end != len(body) or _encode(value) != body:        # only what we can write back exactly
        raise _Unknown(path)
    return value


def _write(path: Path, value: list, old_hash: str, digits: int) -> str:
    """Write `value` under a name made from its content (prefix as Pagefind's, e.g. "ru_"); the new hash."""
    data = SIGNATURE + _encode(value)
    prefix = old_hash.rsplit("_", 1)[0]
    new_hash = f"{prefix}_{hashlib.sha256(data).hexdigest()[:digits]}"
    target = path.with_name(path.name.replace(old_hash, new_hash))
    path.unlink()
    target.write_bytes(gzip.compress(data, mtime=0))
    return new_hash


def _decode(buf: bytes, pos: int):
    major, info = buf[pos] >> 5, buf[pos] & 31
    pos += 1
    if info < 24:
        arg = info
    elif info <= 27:
        size = 1 << (info - 24)
        arg = int.from_bytes(buf[pos:pos + size], "big")
        pos += size
    else:
        raise _Unknown(f"indefinite length or reserved info {info}")
    if major == 0:
        return arg, pos
    if major == 1:
        return -1 - arg, pos
    if major in (2, 3):
        raw = buf[pos:pos + arg]
        return (bytes(raw) if major == 2 else raw.decode("utf-8")), pos + arg
    if major == 4:
        items = []
        for _ in range(arg):
            item, pos = _decode(buf, pos)
            items.append(item)
        return items, pos
    if major == 7 and info < 24 and arg in (20, 21, 22):
        return {20: False, 21: True, 22: None}[arg], pos
    raise _Unknown(f"major type {major}")   # maps, tags and floats: not in these files


def _head(major: int, arg: int) -> bytes:
    if arg < 24:
        return bytes([major << 5 | arg])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if arg < 1 << (8 * size):
            return bytes([major << 5 | info]) + arg.to_bytes(size, "big")
    raise _Unknown("integer too large")


def _encode(value) -> bytes:
    if isinstance(value, bool) or value is None:
        return bytes([0xE0 | {False: 20, True: 21, None: 22}[value]])
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _head(3, len(raw)) + raw
    if isinstance(value, list):
        return _head(4, len(value)) + b"".join(_encode(v) for v in value)
    raise _Unknown(type(value).__name__)

