"""Every path the toolkit knows, in one place: its own files (stylesheets, templates, strings) and the
folders it keeps inside a project (the build cache, the lock). A project's own folders (tei/, sources/,
build/) are properties of its Config."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
CHECKOUT = PACKAGE.parent                    # the toolkit's checkout: xslt/ and templates/ beside the package
XSLT = CHECKOUT / "xslt" / "edition.xsl"     # TEI → HTML fragment (the one transformation)
XSLT_DIR = XSLT.parent
TEMPLATES = CHECKOUT / "templates"           # Jinja shells of the site
ASSETS = TEMPLATES / "assets"                # the site's CSS and scripts
I18N = TEMPLATES / "i18n"                    # interface strings, one file per language
PRINT_TEMPLATES = TEMPLATES / "print"        # the print shells and print.css
TOOL_CACHE = CHECKOUT / ".cache"             # kept between builds of any project: subset fonts, compiled templates
FONT_CACHE = TOOL_CACHE / "fonts"
JINJA_CACHE = TOOL_CACHE / "jinja"


def build_cache(root: Path, stage: str) -> Path:
    """A stage's content-hash cache inside a project: .cache/build/<stage> (render, pages, exports, pdf)."""
    return root / ".cache" / "build" / stage
