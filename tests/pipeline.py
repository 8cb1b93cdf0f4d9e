"""The committed TEI is the import of the witness followed by `edition annotate` (and nothing else yet).

Used by the import tests to prove that the curated files are reproducible from the sources.
"""

from __future__ import annotations

from functools import lru_cache

from tei_edition import citing
from tei_edition.annotate import annotate_document, register
from tei_edition.annotate.abbreviations import read_forms
from tei_edition.annotate.citation_parts import read_entries
from tei_edition.annotate.events import read_spans
from tei_edition.corpus import register_paths


@lru_cache(maxsize=1)
def _register(cfg):
    return register.load(register_paths(cfg))


def annotated(cfg, doc, tei: bytes) -> bytes:
    """The imported TEI bytes as `edition annotate` leaves them (dated as the committed annotation), its
    citations of tei/register/citations.tsv encoded with their parts, its abbreviations linked."""
    rows = [c for c in citing.read(citing.citations_path(cfg)) if c.doc_id == doc.id]
    data, _, _ = annotate_document(tei, _register(cfg), doc.id, str(doc.tei_path), today=_annotated_on(doc),
                                   citations=rows, events=read_spans(cfg.tei_dir / "register" / "events.xml"),
                                   abbreviations=read_forms(cfg.tei_dir / "register" / "abbreviations.xml"),
                                   works=read_entries(cfg.tei_dir / "register" / "bibliography.xml"))
    return data


def _annotated_on(doc) -> str | None:
    """The day the committed file was last annotated: its change record's date, not today's."""
    from tei_edition.xmlsafe import parse_file
    found = parse_file(doc.tei_path).getroot().xpath(
        "//*[local-name()='change'][@xml:id=$id]/@when", id=f"{doc.id}-change-annotation")
    return found[0] if found else None


def build_subset(cfg, **kwargs):
    """build() for a config that lists some of the edition's documents: the pipeline behind build()'s
    validation gate, since such a subset is no valid edition by itself (the editors' introductions and
    apparatus point into the documents left out). What the callers test is rendering, not validation."""
    from tei_edition.build import _build
    options = {"search": False, "out": None, "log": lambda msg: None, "jobs": None, "cache": True,
               "interface": None, "pdf": False, **kwargs}
    return _build(cfg, **options)
