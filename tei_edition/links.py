"""The one rule for a link the edition writes, in Python: the same as `e:safe-href` in xslt/modules/links.xsl
(a test holds the two to the same answers), for URLs that come from edition.toml rather than the TEI."""

from __future__ import annotations

import re

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
