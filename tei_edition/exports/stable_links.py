"""Stable addresses for divisions, paragraphs and notes: id/<xml:id>.html forwards to the reading
page that holds the element now. Reading pages are cut by size, so a paragraph may move to another
page when the text grows; its id/ address does not change. Written after the HTML stage, from the
pages it produced (any element whose id starts with its document's id and a hyphen, as xml:ids do)."""

from __future__ import annotations

import html
import re
from pathlib import Path

from .. import outputs

STUB = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'">
<title>{id}</title>
<meta name="robots" content="noindex">
<link rel="canonical" href="{canonical}">
<link rel="icon" href="data:,">
<meta http-equiv="refresh" content="0; url={target}">
</head><body><p><a href="{target}">{id}</a></p></body></html>
"""


def locate_ids(site: Path, doc_ids: list[str]) -> dict[str, str]:
    """xml:id → page path (relative to the site root) + "#id", for the reading pages of each document."""
    where: dict[str, str] = {}
    for doc in doc_ids:
        ids = re.compile(r'\sid="(' + re.escape(doc) + r'-[A-Za-z0-9_.-]+)"')
        folder = site / doc
        if not folder.is_dir():
            continue
        pages = sorted((p for p in folder.glob("*.html") if not outputs.unwritten(p)),   # (not the spare tree's)
                       key=lambda p: (p.name != "index.html", p.name))
        for page in pages:
            for m in ids.finditer(page.read_text(encoding="utf-8")):
                where.setdefault(m.group(1), f"{doc}/{page.name}#{m.group(1)}")
    return where


def write_stubs(site: Path, wanted: list[str], where: dict[str, str], canonical_base: str) -> list[Path]:
    """One forwarding page per wanted xml:id that the HTML pages hold."""
    out = site / "id"
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for xml_id in wanted:
        target = where.get(xml_id)
        if target is None:
            continue
        path = out / f"{xml_id}.html"
        outputs.write_text(path, STUB.format(id=html.escape(xml_id), target=html.escape("../" + target),
                                             canonical=html.escape(canonical_base + target)))
        written.append(path)
    return written
