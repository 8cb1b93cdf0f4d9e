"""The ZIP of all TEI (documents, plain flavour, corpus, register) with a SHA-256 manifest inside,
and the manifest of every file under data/ (sha256sum format: `sha256sum -c SHA256SUMS` checks it)."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

FIXED_TIME = (2026, 1, 1, 0, 0, 0)   # the same bytes for the same content: the ZIP's checksum is stable
MANIFEST = "SHA256SUMS"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def manifest(files: dict[str, bytes]) -> str:
    return "".join(f"{sha256(data)}  {name}\n" for name, data in sorted(files.items()))


def write_zip(path: Path, files: dict[str, bytes], folder: str) -> bytes:
    """ZIP `files` (name → bytes) under `folder/`, with folder/SHA256SUMS; returns the ZIP's bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    entries = {**files, MANIFEST: manifest(files).encode()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name in sorted(entries):
            info = zipfile.ZipInfo(f"{folder}/{name}", date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, entries[name])
    return path.read_bytes()


def write_manifest(folder: Path) -> Path:
    """SHA256SUMS over every file below `folder` (paths relative to it)."""
    files = {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
             if p.is_file() and p.name != MANIFEST}
    out = folder / MANIFEST
    out.write_text(manifest(files), encoding="utf-8")
    return out
