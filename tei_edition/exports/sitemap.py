"""sitemap.xml (the Sitemaps protocol 0.9): the absolute address of every page of the site a search
engine or a harvester should know, read from the built site, so it lists exactly what was written. The
id/ forwarding pages are left out (each forwards to a reading page that is listed)."""

from __future__ import annotations

import os
from pathlib import Path
from xml.sax.saxutils import escape

from ..config import Config
from .. import outputs
from . import urls

LEFT_OUT = ("id/", "assets/", "pagefind/", "api/", "data/")


def pages(site_dir: Path) -> list[str]:
    """Site-relative paths of the HTML pages, a folder's index.html as the folder ("d001/")."""
    found = []
    root = str(site_dir)
    for folder, subfolders, files in os.walk(root):
        if folder == root:                       # the folders left out are not walked (api/: thousands of files)
            subfolders[:] = [d for d in subfolders if f"{d}/" not in LEFT_OUT]
        under = os.path.relpath(folder, root).replace(os.sep, "/")
        for name in files:
            rel = name if under == "." else f"{under}/{name}"
            if not name.endswith(".html") or rel.startswith(LEFT_OUT) or outputs.unwritten(f"{folder}/{name}"):
                continue                         # (unwritten: a page the spare tree had, not made now)
            found.append(rel.removesuffix("index.html"))
    return sorted(found, key=lambda r: (r.count("/"), r))


def sitemap(cfg: Config, site_dir: Path) -> str:
    entries = "".join(f"  <url><loc>{escape(urls.absolute(cfg, rel))}</loc></url>\n" for rel in pages(site_dir))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + entries + "</urlset>\n")
