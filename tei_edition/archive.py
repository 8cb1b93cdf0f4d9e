"""The ZIP of all TEI (documents, plain flavour, corpus, register) with a SHA-256 manifest inside,
and the manifest of every file under data/ (sha256sum format: `sha256sum -c SHA256SUMS` checks it)."""

from __future__ import annotations

import hashlib
import io
import os
import re
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from pathlib import Path

from . import outputs

FIXED_TIME = (2026, 1, 1, 0, 0, 0)
# zlib's default level: on this edition's TEI level 9 took 2.4 times as long for 2.2% fewer bytes (#19)
LEVEL = 6   # the same bytes for the same content: the ZIP's checksum is stable
MANIFEST = "SHA256SUMS"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def manifest(files: dict[str, bytes]) -> str:
    return "".join(f"{sha256(data)}  {name}\n" for name, data in sorted(files.items()))


def write_zip(path: Path, files: dict[str, bytes], folder: str) -> bytes:
    """ZIP `files` (name → bytes) under `folder/`, with folder/SHA256SUMS; returns the ZIP's bytes."""
    entries = {**files, MANIFEST: manifest(files).encode()}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=LEVEL) as z:
        for name in sorted(entries):
            info = zipfile.ZipInfo(f"{folder}/{name}", date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, entries[name])
    outputs.write_bytes(path, buf.getvalue())
    return buf.getvalue()


class Checksums:
    """SHA-256 of files, each kept with the file's identity (inode, size, modification time in ns) in `store`
    (cache.Cache) under `name` from one build to the next: a file the build kept or linked unchanged is
    that very file, so its sum is not read again (data/ is ~70 MB at 10×, hashed on every edit); a file
    written again has a new inode. Only this build's files are recorded (`save`)."""

    def __init__(self, store: Any = None, name: str = "sha256") -> None:
        self.store, self.name = store, name
        old = store.get(name, "sums") if store is not None else None
        self.old: dict[tuple[int, int, int], str] = old if isinstance(old, dict) else {}
        self.new: dict[tuple[int, int, int], str] = {}

    def of(self, path: Path | str) -> str:
        st = os.stat(path)
        known = (st.st_ino, st.st_size, st.st_mtime_ns)
        found = self.old.get(known) or self.new.get(known)
        if found is None:
            h = hashlib.sha256()
            with open(path, "rb") as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    h.update(chunk)
            found = h.hexdigest()
        self.new[known] = found
        return found

    def save(self) -> None:
        if self.store is not None:
            self.store.put(self.name, "sums", self.new)


def write_manifest(folder: Path, sums: Checksums | None = None) -> Path:
    """SHA256SUMS over every file below `folder` (paths relative to it)."""
    sums = sums or Checksums()
    found = []
    for p in folder.rglob("*"):           # hashed file by file: data/ grows with the edition
        if p.is_file() and p.name != MANIFEST and not outputs.unwritten(p):   # (not the spare tree's leftovers)
            found.append((p.relative_to(folder).as_posix(), sums.of(p)))
    out = folder / MANIFEST
    outputs.write_text(out, "".join(f"{digest}  {name}\n" for name, digest in sorted(found)))
    return out


# --- a ZIP assembled from members deflated beforehand ----------------------------------------------
# The build deflates each document's members once per content (they are cached with its other
# exports), so a rebuild after one document changed compresses that document only. The headers are
# those zipfile writes, and a member shorter than CHUNKED is the stream zipfile writes at level LEVEL,
# so `write_zip` above and `Spool.write` agree for such members; a longer one is deflated in chunks
# (`deflate`): another stream of the same bytes, which any unzip reads.


@dataclass
class Member:
    crc: int
    size: int
    data: bytes          # raw deflate stream (ZIP method 8)
    # a long member's chunks (`deflate`): each one's key and the length of its deflated bytes, in order
    chunks: tuple[tuple[bytes, int], ...] = ()


# A long member is deflated in chunks cut where its content says (`chunk_ends`), each chunk with the 32 KB
# before it as zlib's preset dictionary and flushed to a byte boundary: the chunks join into one stream that
# any inflater reads, compressed as well as one stream within a few bytes, and a chunk's bytes depend only on
# the chunk and those 32 KB. So an edit of one paragraph of d001 (2 MB of TEI at 10×, three members) deflates
# a chunk or two again, the others taken from the document's last members (`Reuse`): 0.3 s of CPU on every
# such edit was zlib compressing the same bytes again.
CHUNKED = 256 * 1024             # members this long or longer are deflated in chunks
CHUNK_MIN = 128 * 1024           # a chunk's least length (a cut is sought after it), and its most
CHUNK_MAX = 512 * 1024           # (a cut made there when the content offers none: a text without ">" or lines)
WINDOW = 32 * 1024               # deflate's window: the preset dictionary of each chunk
_CUT = re.compile(rb"[>\n]")     # a cut after the end of a tag or a line, where the 32 bytes before it hash
_CUT_BYTES, _CUT_MASK = 32, 31   # to 0 in their low 5 bits (one candidate in 32)
_CUT_TRIES = 4096                # candidates tried for a chunk before cutting at CHUNK_MAX (bytes that repeat
                                 # one pattern hash alike at every candidate: no cut would ever be found)


def chunk_ends(data: bytes) -> list[int]:
    """Where `data` is cut into chunks (each end offset, the last len(data)): a cut depends on the bytes
    around it, not on its offset, so an insertion moves the cuts after it with the text and the chunks
    before and after the edited one stay what they were."""
    ends: list[int] = []
    start, size = 0, len(data)
    while size - start > CHUNK_MIN:
        cut = start + CHUNK_MAX
        pos = start + CHUNK_MIN
        for _ in range(_CUT_TRIES):
            m = _CUT.search(data, pos, min(size, start + CHUNK_MAX))
            if m is None:
                break
            pos = m.end()
            if zlib.crc32(data[pos - _CUT_BYTES:pos]) & _CUT_MASK == 0:
                cut = pos
                break
        if cut >= size:
            break
        ends.append(cut)
        start = cut
    ends.append(size)
    return ends


class Reuse:
    """The deflated chunks of a document's last members (`Member.chunks`), by key: those a new version of
    the document has unchanged are taken as they are."""

    def __init__(self, members: Iterable[Member] = ()) -> None:
        self.known: dict[bytes, tuple[bytes, int, int]] = {}
        for member in members:
            offset = 0
            for key, length in getattr(member, "chunks", ()):   # (a member an older toolkit cached has none)
                self.known[key] = (member.data, offset, length)
                offset += length
        self.taken = 0                   # how many chunks were taken (tests, benchmark)

    def get(self, key: bytes) -> bytes | None:
        found = self.known.get(key)
        if found is None:
            return None
        self.taken += 1
        data, offset, length = found
        return data[offset:offset + length]


def deflate(data: bytes, *, final: bool = True, reuse: Reuse | None = None) -> Member:
    """One member; final=False leaves the stream open at a byte boundary (Z_FULL_FLUSH), so that
    segments deflated apart can be joined into one member (`Spool.add_segments`). A member of CHUNKED
    bytes or more is deflated in chunks (above), those `reuse` holds taken from there."""
    if len(data) < CHUNKED:
        c = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
        return Member(zlib.crc32(data), len(data), c.compress(data) + c.flush(zlib.Z_FULL_FLUSH if not final
                                                                              else zlib.Z_FINISH))
    pieces, chunks = [], []
    start = 0
    for end in chunk_ends(data):
        before = max(0, start - WINDOW)
        key = hashlib.sha256(_KEY_PREFIX + b"%d %d\0" % (start - before, end - start) + data[before:end]).digest()[:16]
        piece = reuse.get(key) if reuse is not None else None
        if piece is None:
            c = (zlib.compressobj(LEVEL, zlib.DEFLATED, -15, zdict=data[before:start]) if start > before
                 else zlib.compressobj(LEVEL, zlib.DEFLATED, -15))
            piece = c.compress(data[start:end]) + c.flush(zlib.Z_FULL_FLUSH)
        pieces.append(piece)
        chunks.append((key, len(piece)))
        start = end
    if final:
        pieces.append(_FINAL_BLOCK)             # (after the chunks: not one of them)
    return Member(zlib.crc32(data), len(data), b"".join(pieces), tuple(chunks))


_FINAL_BLOCK = zlib.compressobj(LEVEL, zlib.DEFLATED, -15).flush(zlib.Z_FINISH)   # an empty last block
# what else a chunk's bytes depend on: the level and the zlib that deflated it (another zlib may deflate the
# same bytes otherwise: a chunk of the last member is taken only from the same)
_KEY_PREFIX = f"{LEVEL} {zlib.ZLIB_RUNTIME_VERSION} ".encode()


def raw_members(path: str | Path) -> dict[str, Member]:
    """The deflated members of a ZIP (one this module wrote: a build's previous output) as they are stored,
    by name, to be written again without compressing them again; {} when it cannot be read."""
    members = {}
    try:
        with zipfile.ZipFile(path) as z, open(path, "rb") as fh:
            for info in z.infolist():
                if info.compress_type != zipfile.ZIP_DEFLATED:
                    continue
                fh.seek(info.header_offset + 26)
                name_length, extra_length = struct.unpack("<2H", fh.read(4))
                fh.seek(info.header_offset + 30 + name_length + extra_length)
                members[info.filename] = Member(info.CRC, info.file_size, fh.read(info.compress_size))
    except (OSError, zipfile.BadZipFile, struct.error, ValueError):
        return {}
    return members


class Spool:
    """Members kept in a temporary file until the ZIP is written (the documents' members are not held
    in memory: an edition 100× this one has hundreds of MB of them)."""

    def __init__(self) -> None:
        self.file = tempfile.TemporaryFile()
        self.index: dict[str, tuple[int, int, int, int]] = {}     # name → crc, size, offset, length

    def add(self, name: str, member: Member) -> None:
        offset = self.file.seek(0, io.SEEK_END)
        self.file.write(member.data)
        self.index[name] = (member.crc, member.size, offset, len(member.data))

    def add_segments(self, name: str, segments: Iterable[tuple[bytes, Member]]) -> None:
        """One member from segments in order, each given raw (for the CRC) and deflated with final=False:
        streams flushed to a byte boundary concatenate into one, closed here by an empty final block."""
        offset = self.file.seek(0, io.SEEK_END)
        crc = size = 0
        for raw, deflated in segments:
            crc = zlib.crc32(raw, crc)
            size += len(raw)
            self.file.write(deflated.data)
        self.file.write(zlib.compressobj(LEVEL, zlib.DEFLATED, -15).flush(zlib.Z_FINISH))
        self.index[name] = (crc, size, offset, self.file.tell() - offset)

    def write(self, path: Path, folder: str, manifest_text: str | None) -> None:
        """The ZIP of every member under folder/ (at the top when folder is ""), with folder/SHA256SUMS
        when a manifest is given, names in sorted order."""
        if manifest_text is not None:
            self.add(MANIFEST, deflate(manifest_text.encode()))
        dosdate = (FIXED_TIME[0] - 1980) << 9 | FIXED_TIME[1] << 5 | FIXED_TIME[2]
        dostime = FIXED_TIME[3] << 11 | FIXED_TIME[4] << 5 | FIXED_TIME[5] // 2
        central = io.BytesIO()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)             # a new file: never write through a link to the live site
        with open(path, "wb") as out:
            for name in sorted(self.index):
                crc, size, offset, length = self.index[name]
                encoded = (f"{folder}/{name}" if folder else name).encode("utf-8")
                flags = 0 if encoded.isascii() else 0x800
                header_offset = out.tell()
                out.write(struct.pack("<4s2B4HL2L2H", b"PK\x03\x04", 20, 0, flags, 8, dostime, dosdate,
                                      crc, length, size, len(encoded), 0) + encoded)
                self.file.seek(offset)
                out.write(self.file.read(length))
                central.write(struct.pack("<4s4B4HL2L5H2L", b"PK\x01\x02", 20, 3, 20, 0, flags, 8, dostime,
                                          dosdate, crc, length, size, len(encoded), 0, 0, 0, 0,
                                          0o644 << 16, header_offset) + encoded)
            start = out.tell()
            out.write(central.getvalue())
            out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(self.index), len(self.index),
                                  len(central.getvalue()), start, 0))
        self.file.close()
