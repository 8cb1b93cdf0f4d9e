"""The edition's configuration (edition.toml) as typed objects."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import EditionError


@dataclass(frozen=True)
class Editor:
    id: str
    name: str
    roles: tuple[str, ...]


@dataclass(frozen=True)
class DocumentEntry:
    id: str
    source: str
    tei: str


@dataclass(frozen=True)
class Config:
    root: Path
    title: str
    subtitle: str
    short_title: str
    publisher: str
    pub_place: str
    apparatus_language: str
    base_url: str
    licence: str
    licence_url: str
    licence_text: str
    editors: tuple[Editor, ...]
    documents: tuple[DocumentEntry, ...] = field(default=())

    @property
    def tei_dir(self) -> Path:
        return self.root / "tei"

    @property
    def sources_dir(self) -> Path:
        return self.root / "sources"

    @property
    def schema_dir(self) -> Path:
        return self.root / "tei" / "schema"

    @property
    def build_dir(self) -> Path:
        return self.root / "build"

    @property
    def tei_all_rng(self) -> Path:
        return self.root / ".cache" / "tei" / "tei_all.rng"


def find_root(start: Path | None = None) -> Path:
    """The nearest folder upwards that holds edition.toml."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "edition.toml").is_file():
            return folder
    raise EditionError(f"{here}: no edition.toml here or in any parent folder",
                       hint="run the command inside an edition project, or pass --root")


def load(root: Path | None = None) -> Config:
    root = find_root(root)
    path = root / "edition.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise EditionError(f"{path}: {exc}", hint="fix the TOML syntax") from None
    try:
        return Config(
            root=root,
            title=data["title"],
            subtitle=data.get("subtitle", ""),
            short_title=data.get("short_title", data["title"]),
            publisher=data["publisher"],
            pub_place=data.get("pub_place", ""),
            apparatus_language=data.get("apparatus_language", "en"),
            base_url=data.get("base_url", ""),
            licence=data["licence"],
            licence_url=data["licence_url"],
            licence_text=data["licence_text"],
            editors=tuple(Editor(e["id"], e["name"], tuple(e.get("roles", ()))) for e in data["editors"]),
            documents=tuple(DocumentEntry(d["id"], d["source"], d["tei"]) for d in data["documents"]),
        )
    except KeyError as exc:
        raise EditionError(f"{path}: missing key {exc}", hint="see README.md, section 'Configuration'") from None
