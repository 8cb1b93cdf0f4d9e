"""What WeasyPrint may load while laying out the print edition: local files under the print templates
and the font folders, nothing else.

The print HTML holds text from the TEI; should any of it ever reach a `src`, `href` or CSS `url()`,
WeasyPrint's default fetcher would follow http(s), ftp, data: and any file: path. This one refuses
them: a refused resource is left out with WeasyPrint's warning, and nothing is fetched or read.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher

from ..paths import PRINT_TEMPLATES
from . import fonts


def allowed_roots() -> tuple[Path, ...]:
    folders = {f.path.parent for f in fonts.faces()}
    return tuple(p.resolve() for p in (PRINT_TEMPLATES, *fonts.FONT_DIRS, *sorted(folders)))


def local_path(url: str, roots: tuple[Path, ...]) -> Path | None:
    """The file a file: URL names, when it lies under one of the roots (symlinks resolved); else None."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = Path(unquote(parts.path)).resolve()
    return path if any(path.is_relative_to(r) for r in roots) else None


def url_fetcher(roots: tuple[Path, ...] | None = None) -> URLFetcher:
    """A WeasyPrint URL fetcher that serves only local files under `roots` (default: allowed_roots())."""

    class LocalFetcher(URLFetcher):
        def __init__(self) -> None:
            super().__init__(allowed_protocols={"file"}, allow_redirects=False)
            self.roots = roots if roots is not None else allowed_roots()

        def fetch(self, url, headers=None):
            if local_path(url, self.roots) is None:
                raise ValueError(f"refused to load {url[:200]}: the print edition loads only its own templates and fonts")
            return super().fetch(url, headers)

    return LocalFetcher()
