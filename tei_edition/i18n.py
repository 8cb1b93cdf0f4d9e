"""Interface strings: templates/i18n/<lang>.toml, the one place they live."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import EditionError
from .paths import TEMPLATES



@dataclass(frozen=True)
class Strings:
    lang: str
    text: dict[str, str]   # for the XSLT (notes, page breaks, dates, header labels)
    ui: dict[str, str]     # for the page shells and scripts


def load(lang: str = "en", templates: Path = TEMPLATES) -> Strings:
    path = templates / "i18n" / f"{lang}.toml"
    if not path.is_file():
        have = ", ".join(sorted(p.stem for p in (templates / "i18n").glob("*.toml")))
        raise EditionError(f"{path}: no interface strings for language {lang!r}",
                           hint=f"available: {have}; copy en.toml to {lang}.toml and translate it")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise EditionError(f"{path}: {exc}", hint="fix the TOML syntax") from None
    return Strings(lang=data.get("lang", lang), text=dict(data.get("text", {})), ui=dict(data.get("ui", {})))
