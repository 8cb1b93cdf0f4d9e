"""Per-source import profiles (sources/profiles/NNN.toml): what the raw text cannot tell the importer.

A profile names the layout (which parser reads the source), the document's language and metadata for
its header (title as in the source, author or the evidence that he is unknown, the printed original),
and layout facts: heading lines, document boundaries, supplied headings, known anomalies.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..diagnostics import EditionError


@dataclass
class Profile:
    path: Path
    id: str
    source: str
    layout: str
    lang: str
    data: dict[str, Any] = field(default_factory=dict)

    def get(self, dotted: str, default: Any = None) -> Any:
        node: Any = self.data
        for part in dotted.split("."):
            if not isinstance(node, dict) or part not in node:
                return default
            node = node[part]
        return node


def load_profile(path: Path) -> Profile:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise EditionError(f"{path}: no import profile", hint="write one; see sources/profiles/README.md") from None
    except tomllib.TOMLDecodeError as exc:
        raise EditionError(f"{path}: {exc}", hint="fix the TOML syntax") from None
    for key in ("id", "source", "layout", "lang"):
        if key not in data:
            raise EditionError(f"{path}: the profile lacks '{key}'", hint="see sources/profiles/README.md")
    return Profile(path, data["id"], data["source"], data["layout"], data["lang"], data)
