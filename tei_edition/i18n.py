"""Interface strings: templates/i18n/<lang>.toml, the one place they live (the XSLT's labels, the page
shells' and scripts' strings, and the print edition's)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .config import Config
from .diagnostics import EditionError
from .paths import I18N


@dataclass(frozen=True)
class Strings:
    lang: str
    text: dict[str, str]   # for the XSLT (notes, page breaks, dates, header labels)
    ui: dict[str, str]     # for the page shells and scripts
    print: dict[str, object] = field(default_factory=dict)   # for the print shells (keywords: a list)


def load(lang: str = "en", folder: Path = I18N) -> Strings:
    path = folder / f"{lang}.toml"
    if not path.is_file():
        have = ", ".join(sorted(p.stem for p in folder.glob("*.toml")))
        raise EditionError(f"{path}: no interface strings for language {lang!r}",
                           hint=f"available: {have}; copy en.toml to {lang}.toml and translate it")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise EditionError(f"{path}: {exc}", hint="fix the TOML syntax") from None
    return Strings(lang=data.get("lang", lang), text=dict(data.get("text", {})), ui=dict(data.get("ui", {})),
                   print=dict(data.get("print", {})))


def interface_language(cfg: Config, folder: Path = I18N) -> str:
    """The language of the apparatus is the interface's, when its strings exist (else English)."""
    return cfg.apparatus_language if (folder / f"{cfg.apparatus_language}.toml").is_file() else "en"


def format_iso(iso: str, months: dict[str, str]) -> str:
    """"1917-11-07" → "7 November 1917"; "1917-11" → "November 1917"; anything else unchanged (month names:
    the "text" strings month.1 … month.12)."""
    parts = iso.lstrip("-").split("-")
    if not parts[0].isdigit():
        return iso
    try:
        out = [str(int(parts[2]))] if len(parts) > 2 else []
        if len(parts) > 1:
            out.append(months[f"month.{int(parts[1])}"])
    except (ValueError, KeyError):
        return iso
    return " ".join(out + [parts[0]])
