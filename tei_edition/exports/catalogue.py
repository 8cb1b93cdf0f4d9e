"""What the exports offer, as data for the downloads page (the HTML stage renders it; the files are
written by `write_exports` later in the same build, at these addresses)."""

from __future__ import annotations

from . import urls
from .linked_data import AUTHORITIES, beacon_path


def catalogue(doc_ids: list[str]) -> dict:
    """{"edition": [{"href", "label", "format"}...], "documents": {doc_id: [...]}, "api": [...]}; hrefs are
    relative to the site root."""
    edition = [
        {"href": "data/tei/corpus.xml", "label": "The whole edition as one TEI corpus (teiCorpus)",
         "format": "application/tei+xml"},
        {"href": "data/edition-tei.zip", "label": "All TEI files (edition and plain flavour, corpus, register) "
                                                  "with SHA-256 checksums", "format": "application/zip"},
        {"href": "data/register/register.csv", "label": "Register of persons, organisations and places (CSV)",
         "format": "text/csv"},
        {"href": "data/register/register.jsonld", "label": "Register as linked data (schema.org JSON-LD)",
         "format": "application/ld+json"},
    ]
    edition += [{"href": beacon_path(a), "label": f"BEACON links for {AUTHORITIES[a][2]} ids", "format": "text/plain"}
                for a in AUTHORITIES]
    edition.append({"href": "data/SHA256SUMS", "label": "Checksums of all data files", "format": "text/plain"})
    documents = {
        d: [{"href": urls.tei_download(d), "label": "TEI", "format": "application/tei+xml"},
            {"href": urls.tei_download(d, "plain"), "label": "TEI, plain flavour", "format": "application/tei+xml"},
            {"href": urls.text_download(d, "edited"), "label": "Text, edited", "format": "text/plain"},
            {"href": urls.text_download(d, "diplomatic"), "label": "Text, diplomatic", "format": "text/plain"}]
        for d in doc_ids}
    api = [{"href": urls.DTS + "index.json", "label": "Distributed Text Services (DTS 1.0) entry point",
            "format": "application/ld+json"}]
    return {"edition": edition, "documents": documents, "api": api}
