"""The edition's schema: one ODD (tei/schema/edition.odd), a TEI customisation compiled by the TEI's own
processor, and from that RELAX NG, Schematron and guidelines.

The ODD is the single source of truth. The TEI Stylesheets (vendor/tei) compile it into
edition.compiled.odd, the form every TEI tool reads; `compile_all` derives the project's artefacts from
that. `edition schema` writes them to disk, `edition validate` reads the compiled ODD (compiling the ODD
itself, in memory, when the committed one is not what the ODD gives), and a test proves the committed
files are exactly what the ODD gives, so the executable schema and its documentation cannot drift.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lxml import etree

from ..xmlsafe import parse_bytes, parse_file
from .odd import Odd, read_compiled

COMPILED = "edition.compiled.odd"


@dataclass(frozen=True)
class Artefacts:
    compiled: bytes     # tei/schema/edition.compiled.odd (the TEI processor's odd2odd)
    rng: bytes          # tei/schema/edition.rng
    sch: bytes          # tei/schema/edition.sch
    guidelines: str     # docs/encoding-guidelines.md


def odd_path(root: Path) -> Path:
    return root / "tei" / "schema" / "edition.odd"


def artefact_paths(root: Path) -> dict[str, Path]:
    return {"compiled": root / "tei" / "schema" / COMPILED,
            "rng": root / "tei" / "schema" / "edition.rng",
            "sch": root / "tei" / "schema" / "edition.sch",
            "guidelines": root / "docs" / "encoding-guidelines.md"}


def _stamp(source: bytes) -> str:
    """What the compiled ODD records of its making: the source's checksum and the processor's versions."""
    from .tei_processor import versions
    return (f" Compiled from edition.odd (sha256 {hashlib.sha256(source).hexdigest()}) by {versions()}, "
            "odd2odd: do not edit; edit edition.odd and run `edition schema`. ")


@lru_cache(maxsize=4)
def compile_source(source: bytes) -> bytes:
    """The TEI processor's compiled ODD, made reproducible: no local paths, the stamp as first comment."""
    from .tei_processor import odd2odd
    root = etree.fromstring(odd2odd(source))
    root.attrib.pop("{http://www.w3.org/XML/1998/namespace}base", None)
    for spec in root.iter("{http://www.tei-c.org/ns/1.0}schemaSpec"):
        spec.attrib.pop("source", None)     # the unpacked p5subset's temporary path
    out = etree.tostring(root, encoding="UTF-8")
    return (b'<?xml version="1.0" encoding="UTF-8"?>\n<!--' + _stamp(source).encode("utf-8") + b"-->\n"
            + out + b"\n")


def compiled_odd(path: Path) -> bytes:
    """The compiled ODD for the ODD at `path`: the committed file beside it when it records this ODD's
    checksum, otherwise compiled now (about a second)."""
    source = path.read_bytes()
    committed = path.with_name(COMPILED)
    if committed.is_file():
        data = committed.read_bytes()
        if data[:600].decode("utf-8", "replace").find(_stamp(source)) >= 0:
            return data
    return compile_source(source)


def load_odd(path: Path) -> Odd:
    source_tree = parse_file(path)      # refuses broken XML with its position
    compiled = parse_bytes(compiled_odd(path), str(path.with_name(COMPILED)))
    return read_compiled(path, source_tree, compiled)


def compile_all(odd: Odd) -> Artefacts:
    from .guidelines import render_markdown
    from .to_rng import rng_bytes
    from .to_sch import sch_bytes
    return Artefacts(compiled=compile_source(odd.path.read_bytes()), rng=rng_bytes(odd), sch=sch_bytes(odd),
                     guidelines=render_markdown(odd))


__all__ = ["Odd", "load_odd", "Artefacts", "compile_all", "compiled_odd", "odd_path", "artefact_paths"]
