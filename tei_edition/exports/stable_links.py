"""Stable addresses for divisions, paragraphs and notes: id/<xml:id>.html forwards to the reading
page that holds the element now. Reading pages are cut by size, so a paragraph may move to another
page when the text grows; its id/ address does not change. Written after the HTML stage, from the
pages it produced (any element whose id starts with its document's id and a hyphen, as xml:ids do)."""

from __future__ import annotations

import html
import re
from pathlib import Path

from .. import outputs
from ..cache import code_version, digest

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


def write_stable_links(site: Path, docs: list[tuple[str, list[str]]], canonical_base: str,
                       stamps: outputs.GroupStamps | None = None) -> tuple[int, int, bool]:
    """The forwarding pages of each (document id, its wanted xml:ids), from its reading pages in `site`;
    the count of files and their bytes, and whether any document had reading pages. A document's pages
    are a function of its wanted ids and of the bytes of its reading pages, which this build has just
    written (their hashes are in the record of the staging tree, `outputs.marks`): with `stamps`, those of
    a document whose key is unchanged are the previous build's files, kept without reading its pages."""
    code = code_version("exports/stable_links.py")
    files = size = 0
    found = False
    for doc_id, wanted in docs:
        pages = reading_pages(site, doc_id)
        found = found or bool(pages)
        marks = outputs.marks([str(p) for p in pages]) if stamps is not None and pages else None
        key = (digest(code, canonical_base, "\n".join(wanted), *(f"{p.name} {m}" for p, m in zip(pages, marks)))
               if marks is not None else None)
        if stamps is not None and key is not None:
            linked = stamps.link(doc_id, key)
            if linked is not None:
                files, size = files + linked[0], size + linked[1]
                continue
        written = write_stubs(site, wanted, locate_ids(site, [doc_id]), canonical_base) if pages else []
        for path in written:
            files, size = files + 1, size + path.stat().st_size
        if stamps is not None and key is not None and written:
            stamps.note(doc_id, key, [path.relative_to(site).as_posix() for path in written])
    return files, size, found


def reading_pages(site: Path, doc_id: str) -> list[Path]:
    """A document's reading pages in the site, its first page first (not the spare tree's leftovers)."""
    folder = site / doc_id
    if not folder.is_dir():
        return []
    return sorted((p for p in folder.glob("*.html") if not outputs.unwritten(p)),
                  key=lambda p: (p.name != "index.html", p.name))


def locate_ids(site: Path, doc_ids: list[str]) -> dict[str, str]:
    """xml:id → page path (relative to the site root) + "#id", for the reading pages of each document."""
    where: dict[str, str] = {}
    for doc in doc_ids:
        ids = re.compile(r'\sid="(' + re.escape(doc) + r'-[A-Za-z0-9_.-]+)"')
        for page in reading_pages(site, doc):
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
