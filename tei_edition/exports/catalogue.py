"""What the exports offer, as data for the downloads page (the HTML stage renders it; the files are
written by `write_exports` later in the same build, at these addresses). Each item names its label by
a key of the interface strings (templates/i18n/<lang>.toml, `[ui]`), so the page speaks the interface's language."""

from __future__ import annotations

from collections.abc import Iterable

from . import urls
from .linked_data import AUTHORITIES, beacon_path


def catalogue(doc_ids: list[str], authorities: Iterable[str] | None = None, bibliography: bool = False,
              citations: bool = False) -> dict:
    """{"edition": [{"href", "key", "format"}...], "documents": {doc_id: [...]}, "api": [...]}; hrefs are
    relative to the site root; "authority" names the authority of a BEACON file. A BEACON file is offered
    only for the `authorities` the register has ids of (default: all): one with no links is not worth a link."""
    edition = [
        {"href": "data/tei/corpus.xml", "key": "export_corpus", "format": "application/tei+xml"},
        {"href": urls.TEI_ZIP, "key": "export_zip", "format": "application/zip"},
        {"href": "data/register/register.csv", "key": "export_register_csv", "format": "text/csv"},
        {"href": "data/register/register.jsonld", "key": "export_register_jsonld", "format": "application/ld+json"},
    ]
    edition += [{"href": beacon_path(a), "key": "export_beacon", "authority": AUTHORITIES[a][2], "format": "text/plain"}
                for a in AUTHORITIES if authorities is None or a in set(authorities)]
    edition += [{"href": "data/schema/edition.odd", "key": "export_odd", "format": "application/tei+xml"},
                {"href": "data/schema/edition.compiled.odd", "key": "export_odd_compiled", "format": "application/tei+xml"},
                {"href": "data/schema/edition.rng", "key": "export_rng", "format": "application/xml"},
                {"href": "data/schema/edition.sch", "key": "export_sch", "format": "application/xml"}]
    if bibliography:      # written by exports/bibliography.py (CSL-JSON, BibTeX, RIS)
        edition += _citation_formats("data/bibliography/bibliography", "export_bibliography")
    if citations:         # written by the build (exports/source_citation.py): each text cited as its source
        edition += _citation_formats("data/citations/documents", "export_citations")
    edition.append({"href": "data/SHA256SUMS", "key": "export_checksums", "format": "text/plain"})
    documents = {
        d: [{"href": urls.tei_download(d), "key": "export_tei", "format": "application/tei+xml"},
            {"href": urls.tei_download(d, "plain"), "key": "export_tei_plain", "format": "application/tei+xml"},
            {"href": urls.text_download(d, "edited"), "key": "export_text_edited", "format": "text/plain"},
            {"href": urls.text_download(d, "diplomatic"), "key": "export_text_diplomatic", "format": "text/plain"}]
        for d in doc_ids}
    api = [{"href": urls.DTS + "index.json", "key": "export_dts", "format": "application/ld+json"}]
    return {"edition": edition, "documents": documents, "api": api}


def _citation_formats(stem: str, key: str) -> list[dict]:
    """The three files exports.bibliography.write_formats writes under one stem, each with its media type."""
    return [{"href": f"{stem}.json", "key": f"{key}_csl", "format": "application/vnd.citationstyles.csl+json"},
            {"href": f"{stem}.bib", "key": f"{key}_bibtex", "format": "application/x-bibtex"},
            {"href": f"{stem}.ris", "key": f"{key}_ris", "format": "application/x-research-info-systems"}]
