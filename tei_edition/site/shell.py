"""The output folder and the page shells: one object that renders a Jinja template to a site path."""

from __future__ import annotations

import json
from urllib.parse import urlsplit
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from markupsafe import Markup

from .. import outputs
from ..config import Config
from ..corpus import Document
from ..exports.metadata import edition_metadata
from ..i18n import Strings
from ..paths import JINJA_CACHE, TEMPLATES


RESERVED_HOSTS = ("example.org", "example.com", "example.net", "localhost")
RESERVED_SUFFIXES = (".example", ".invalid", ".test", ".localhost") + tuple("." + h for h in RESERVED_HOSTS)


def placeholder_address(base_url: str) -> str | None:
    """The host of edition.toml's base_url when it cannot be the edition's address (a domain reserved for
    examples, RFC 2606/6761), else None: citations and metadata would point to nowhere."""
    host = urlsplit(base_url).hostname or ""
    return host if host in RESERVED_HOSTS or host.endswith(RESERVED_SUFFIXES) else None


def json_for_script(data: object) -> Markup:
    """JSON safe inside <script type="application/json"> (no "</script>" can close it early)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept between builds (jinja2 checks each template's source checksum)."""
    folder = JINJA_CACHE
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:                                  # a read-only checkout: compile every time
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


@dataclass
class Site:
    out: Path
    config: Config
    strings: Strings
    documents: list[Document] = field(default_factory=list)   # with their facts
    has_guidelines: bool = False
    has_fonts: bool = False
    pdfs: frozenset[str] = frozenset()                           # the documents whose PDF the site offers
    page_counts: dict[str, int] = field(default_factory=dict)    # reading pages of each document, once written
    pages_key: tuple[object, str] | None = None                  # the pages cache's shared key, once computed
    page_keys: dict[str, str | None] = field(default_factory=dict)   # each document's reading pages' key (None:
                                                                 # not cached): what its mentions' pages read

    def __post_init__(self) -> None:
        self.env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)),
                                      autoescape=jinja2.select_autoescape(["html"]),
                                      undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                                      bytecode_cache=_bytecode_cache())   # compiling costs ~0.3 s a build
        self.env.filters["script_json"] = json_for_script
        self.edition_meta = edition_metadata(self.config, self.documents)   # citation tags and JSON-LD of
                                                                             # the pages that are not a document's

    def url(self, rel: str) -> str:
        base = self.config.base_url
        return (base if base.endswith("/") else base + "/") + rel if base else rel

    def write(self, rel: str, template: str, **context: object) -> Path:
        """Render a page shell to out/rel; links inside are relative to the page (works from any host)."""
        return self.write_text(rel, self.render(rel, template, **context))

    def render(self, rel: str, template: str, **context: object) -> str:
        """The page shell for out/rel as text (write() writes it)."""
        depth = rel.count("/")
        ctx = {
            "t": self.strings, "ui": self.strings.ui, "edition": self.config, "root": "../" * depth,
            "ui_json": json_for_script(self.strings.ui), "has_guidelines": self.has_guidelines,
            "has_fonts": self.has_fonts,
            "canonical": self.url(rel), "description": "", "page_meta": self.edition_meta,
        }
        ctx.update(context)
        return self.env.get_template(template).render(**ctx)

    def write_bytes(self, rel: str, data: bytes) -> Path:
        path = self.out / rel
        outputs.write_bytes(path, data)
        return path

    def write_text(self, rel: str, text: str) -> Path:
        path = self.out / rel
        outputs.write_text(path, text)      # linked from the previous build when unchanged
        return path
