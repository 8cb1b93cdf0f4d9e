"""The citing passages of the texts (tei/register/citations.tsv): which words of which note or paragraph cite
which entry of the bibliography. One reader, for the annotator (which encodes each citation in the TEI as
<bibl corresp="#bib-…">) and for the site and print edition (which list the passages citing each work)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from .config import Config
from .diagnostics import EditionError

COLUMNS = ("doc", "where", "line", "line_end", "citing", "entry", "cited_range", "resolution", "remark")


@dataclass(frozen=True)
class Citation:
    doc_id: str
    where: str           # xml:id of the note, paragraph or division holding it
    line: int            # witness lines where it begins and ends
    line_end: int
    citing: str          # the citation exactly as printed (line breaks as "\n")
    entry: str           # bib-… id, or "-" (a reference to no identifiable publication)
    cited_range: str     # volume and pages cited, normalised ("25, 547", "332–333")
    resolution: str      # explicit, short-title, ibid, op-cit, unidentified


def citations_path(config: Config) -> Path:
    return config.tei_dir / "register" / "citations.tsv"


def read(path: Path) -> list[Citation]:
    """Every row of the file, in its order (none when there is no file); a malformed row is an error with its line."""
    if not path.is_file():
        return []
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        if not line or line.startswith("#") or line.startswith("doc\t"):
            continue
        cells = next(csv.reader([line], delimiter="\t", quoting=csv.QUOTE_NONE))
        if len(cells) < 8 or not cells[2].isdigit() or not cells[3].isdigit():
            raise EditionError(f"{path}:{n}: expected {len(COLUMNS)} tab-separated columns ({', '.join(COLUMNS)})"
                               " with line numbers in the third and fourth", hint="fix the row")
        citing = cells[4].replace("\\n", "\n").replace("\\t", "\t").replace("\\\\", "\\")
        out.append(Citation(cells[0], cells[1], int(cells[2]), int(cells[3]), citing, cells[5], cells[6], cells[7]))
    return out
