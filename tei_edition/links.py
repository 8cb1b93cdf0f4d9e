"""The one rule for a link the edition writes, in Python: the same as `e:safe-href` in xslt/modules/links.xsl
(a test holds the two to the same answers), for URLs that come from edition.toml rather than the TEI."""

from __future__ import annotations

import re
from pathlib import Path

_UNSAFE_CHARS = re.compile(r"[\s\x00-\x1f\x7f-\x9f\\]")     # XPath's [\s\p{Cc}\\]
_WEB = re.compile(r"^https?://[^/?#]", re.I)
_SCHEME = re.compile(r"^[^/?#]*:")


def safe_href(url: str) -> bool:
    """May `url` be an href? http(s) with a host, "#fragment" and relative paths; not another scheme
    (javascript:, data:, file:, ...), a protocol-relative "//host", backslashes, whitespace or controls."""
    if url == "" or _UNSAFE_CHARS.search(url):
        return False
    if url.startswith("#") or _WEB.match(url):
        return True
    return not (url.startswith("//") or _SCHEME.match(url))


def is_web_address(url: str) -> bool:
    """A safe absolute web link: http: or https: with a host."""
    return safe_href(url) and bool(_WEB.match(url))


IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif"})


def local_image(tei_path: Path, tei_dir: Path, src: str) -> Path | None:
    """The image file a TEI document names beside itself (graphic/@url, pb/@facs: "images/p1.jpg"), when `src`
    is such a name: a safe relative path to an image file that stays inside the edition's tei/ folder (the
    XSLT's e:is-image); whether the file exists is the caller's question. None for anything else."""
    if not safe_href(src) or ":" in src or src.startswith(("#", "/")) or ".." in src.split("/"):
        return None
    path = (tei_path.parent / src).resolve()
    return path if path.is_relative_to(tei_dir.resolve()) and path.suffix.lower() in IMAGE_SUFFIXES else None
