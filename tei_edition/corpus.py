"""The edition's documents: one object knows a document's source, TEI, and outputs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .config import Config, DocumentEntry


@dataclass(frozen=True)
class Document:
    id: str
    source_path: Path   # the raw witness, byte-identical to what was delivered
    tei_path: Path      # the curated TEI document
    profile_path: Path  # the import profile for this source

    @property
    def slug(self) -> str:
        return self.id

    @property
    def url(self) -> str:
        return f"{self.id}/"

    def html_path(self, site: Path) -> Path:
        return site / self.id / "index.html"

    def pdf_path(self, pdf_dir: Path) -> Path:
        return pdf_dir / f"{self.id}.pdf"


def document(config: Config, entry: DocumentEntry) -> Document:
    stem = Path(entry.source).stem
    return Document(
        id=entry.id,
        source_path=config.sources_dir / entry.source,
        tei_path=config.tei_dir / entry.tei,
        profile_path=config.sources_dir / "profiles" / f"{stem[:3]}.toml",
    )


def documents(config: Config) -> list[Document]:
    return [document(config, e) for e in config.documents]


def register_paths(config: Config) -> list[Path]:
    """The register files (persons, organisations, places), those that exist."""
    names = ("persons.xml", "organisations.xml", "places.xml")
    return [p for p in (config.tei_dir / "register" / n for n in names) if p.exists()]


# The editors' apparatus: entries other files point to (#bib-…, #abbr-…, #ev-…) and the editors' texts.
APPARATUS_REGISTERS = ("bibliography.xml", "abbreviations.xml", "events.xml")


def apparatus_paths(config: Config) -> list[Path]:
    """The bibliography, abbreviations and events (tei/register/) and the introductions and pages for
    readers (tei/front/*.xml), those that exist."""
    listed = [config.tei_dir / "register" / n for n in APPARATUS_REGISTERS]
    return [p for p in listed if p.exists()] + sorted((config.tei_dir / "front").glob("*.xml"))
