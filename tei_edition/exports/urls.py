"""The edition's stable URL scheme, in one place (documented in docs/urls.md).

Every path is relative to the site root (edition.toml base_url). Reading pages are cut by size, so the
page that holds a paragraph may change when the text changes; the stable address of a division,
paragraph or note is therefore id/<xml:id>.html, a small page that forwards to wherever the element
is now (written by the export after the HTML stage).
"""

from __future__ import annotations

import uuid

from ..config import Config


def absolute(cfg: Config, rel: str) -> str:
    base = cfg.base_url if cfg.base_url.endswith("/") else cfg.base_url + "/"
    return base + rel


def edition_home() -> str:
    return ""


def document(doc_id: str) -> str:
    return f"{doc_id}/"


def element(doc_id: str, xml_id: str) -> str:
    """Stable address of a division, paragraph or note (its xml:id is unique in the whole edition)."""
    return f"id/{xml_id}.html"


def register_entry(entry_id: str) -> str:
    return f"register/{entry_id}.html"


def tei_download(doc_id: str, flavour: str = "edition") -> str:
    return f"data/tei/{doc_id}.xml" if flavour == "edition" else f"data/tei-plain/{doc_id}.xml"


def text_download(doc_id: str, reading: str) -> str:
    return f"data/text/{doc_id}.{reading}.txt"


DTS = "api/dts/"
TEI_ZIP = "data/edition-tei.zip"          # every TEI file of the edition, with checksums


def resource_iri(cfg: Config, doc_id: str | None = None) -> str:
    """The one IRI of a document (or, without an id, of the edition) as a resource of the DTS API and of
    the pages' schema.org data: `urn:uuid:` + the name-based UUID (version 5) of its page's address."""
    page = absolute(cfg, document(doc_id) if doc_id else edition_home())
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, page)}"
