"""The edition's schema: one ODD (tei/schema/edition.odd) compiled into RELAX NG, Schematron and guidelines.

The ODD is the single source of truth. `compile_all` derives every artefact from it; `edition schema`
writes them to disk, `edition validate` compiles them in memory, and a test proves the committed files
are exactly what the ODD gives, so the executable schema and its documentation cannot drift.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .odd import Odd, load_odd


@dataclass(frozen=True)
class Artefacts:
    rng: bytes          # tei/schema/edition.rng
    sch: bytes          # tei/schema/edition.sch
    guidelines: str     # docs/encoding-guidelines.md


def odd_path(root: Path) -> Path:
    return root / "tei" / "schema" / "edition.odd"


def artefact_paths(root: Path) -> dict[str, Path]:
    return {"rng": root / "tei" / "schema" / "edition.rng",
            "sch": root / "tei" / "schema" / "edition.sch",
            "guidelines": root / "docs" / "encoding-guidelines.md"}


def compile_all(odd: Odd) -> Artefacts:
    from .guidelines import render_markdown
    from .to_rng import rng_bytes
    from .to_sch import sch_bytes
    return Artefacts(rng=rng_bytes(odd), sch=sch_bytes(odd), guidelines=render_markdown(odd))


__all__ = ["Odd", "load_odd", "Artefacts", "compile_all", "odd_path", "artefact_paths"]
