"""The committed TEI is the import of the witness followed by `edition annotate` (and nothing else yet).

Used by the import tests to prove that the curated files are reproducible from the sources.
"""

from __future__ import annotations

from functools import lru_cache

from tei_edition.annotate import annotate_document, register
from tei_edition.corpus import register_paths


@lru_cache(maxsize=1)
def _register(cfg):
    return register.load(register_paths(cfg))


def annotated(cfg, doc, tei: bytes) -> bytes:
    """The imported TEI bytes as `edition annotate` leaves them."""
    data, _, _ = annotate_document(tei, _register(cfg), doc.id, str(doc.tei_path))
    return data
