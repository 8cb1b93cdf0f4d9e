"""A synthetic edition N times the size of a real one, to measure how the build scales.

The real documents are copied N times into a new project folder (its own edition.toml, tei/, register);
copy k of document dJ becomes d{5k+J} with every id and pointer renamed (xml:id="d001-p3" →
"d006-p3", #d001-n2 → #d006-n2, URLs with /d001/), while the register links (#pers-…) are kept, so
the register and chronology pages grow with the corpus as they would in a real large edition.
Nothing of the real project is changed; the synthetic one is for benchmarks and tests only.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from .config import Config
from .corpus import documents
from .diagnostics import EditionError

MAX_FACTOR = 999          # copy k of document dNNN is dNNNcK
COPIED = ("tei/register", "tei/schema", "tei/corpus-header.xml", "docs/encoding-guidelines.md")


@dataclass
class Synthetic:
    root: Path
    documents: int
    tei_bytes: int


def _rename(text: str, old: str, new: str) -> str:
    """Every id, pointer and URL of document `old` (d001, d001-p3, #d001-n2, /d001/) renamed to `new`."""
    return re.sub(rf"(?<![0-9A-Za-z]){re.escape(old)}(?![0-9A-Za-z])", new, text)


def _edition_toml(cfg: Config, entries: list[tuple[str, str, str]]) -> str:
    """The real edition.toml with its documents list replaced by the synthetic one."""
    text = (cfg.root / "edition.toml").read_text(encoding="utf-8")
    head = text.split("[[documents]]", 1)[0].rstrip()
    docs = "\n\n".join(f'[[documents]]\nid = "{i}"\nsource = "{s}"\ntei = "{t}"' for i, s, t in entries)
    return f"{head}\n\n# synthetic: the real documents replicated with new ids\n{docs}\n"


def make_synthetic(cfg: Config, dest: Path, factor: int, only: list[str] | None = None) -> Synthetic:
    """Write a project `factor` times the real edition (or the documents `only`) into dest, which must
    not exist or be empty."""
    if not 1 <= factor <= MAX_FACTOR:
        raise EditionError(f"factor {factor}: must be between 1 and {MAX_FACTOR}",
                           hint="a smaller factor (every document is copied that many times)")
    if dest.exists() and any(dest.iterdir()):
        raise EditionError(f"{dest}: the folder is not empty", hint="give a new or empty folder")
    real = [d for d in documents(cfg) if d.tei_path.is_file() and (only is None or d.id in only)]
    if not real:
        raise EditionError("no TEI documents to replicate", hint="import documents first (edition import)")
    (dest / "tei").mkdir(parents=True, exist_ok=True)
    for rel in COPIED:
        src = cfg.root / rel
        if src.is_dir():
            shutil.copytree(src, dest / rel)
        elif src.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
    entries: list[tuple[str, str, str]] = []
    size = 0
    texts = {d.id: d.tei_path.read_text(encoding="utf-8") for d in real}
    for k in range(factor):
        for doc in real:
            new = doc.id if k == 0 else f"{doc.id}c{k}"      # copy k of d000: d000c1
            text = texts[doc.id] if k == 0 else _rename(texts[doc.id], doc.id, new)
            data = text.encode("utf-8")
            (dest / "tei" / f"{new}.xml").write_bytes(data)
            size += len(data)
            entries.append((new, doc.source_path.name, f"{new}.xml"))
    (dest / "edition.toml").write_text(_edition_toml(cfg, entries), encoding="utf-8")
    return Synthetic(dest, len(entries), size)
