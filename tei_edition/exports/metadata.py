"""What the edition says about a document, read from its TEI header, in the forms other systems read:
Dublin Core (for DTS), citation meta tags (Highwire Press `citation_*` tags that Zotero and Google
Scholar read, and `DC.*` tags) and schema.org JSON-LD for every page.

`page_metadata(cfg, doc_id, root, division_id)` is the hook for the page templates: it returns
{"meta": [{"name": ..., "content": ...}, ...], "jsonld": {...}} for a document page or a division;
`edition_metadata(cfg)` the same for the edition (home, register, chronology, downloads... pages).
base.html writes one <meta name content> per item and the JSON-LD in <script type="application/ld+json">
(a data block: never executed, so the Content-Security-Policy allows it).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .. import TEI_NS, XML_NS
from ..config import Config
from ..corpus import documents
from ..xmlsafe import parse_file
from . import urls

T = "{%s}" % TEI_NS
XML_LANG = "{%s}lang" % XML_NS
XML_ID = "{%s}id" % XML_NS


def text_of(el: etree._Element | None) -> str:
    """The element's text, whitespace normalised, without notes (a title's editorial note is not the title)."""
    if el is None:
        return ""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            if isinstance(child.tag, str) and child.tag not in (T + "note", T + "fw", T + "sic", T + "orig"):
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(el)
    return " ".join("".join(parts).split())


@dataclass
class DocMeta:
    id: str
    title: str
    title_lang: str
    title_en: str
    authors: list[str]
    lang: str
    languages: list[str]
    year: str
    description: str
    source: str
    divisions: dict[str, str] = field(default_factory=dict)   # xml:id → heading (divisions with a head)
    author_langs: list[str] = field(default_factory=list)     # xml:lang in force on each author


def read_meta(doc_id: str, root: etree._Element) -> DocMeta:
    header = root.find(T + "teiHeader")
    stmt = header.find(f"{T}fileDesc/{T}titleStmt")
    titles = stmt.findall(T + "title")
    main = next((t for t in titles if t.get("type") in (None, "main")), titles[0] if titles else None)
    alt = next((t for t in titles if t is not main and t.get(XML_LANG) == "en"), None)
    authors, author_langs = [], []
    for a in stmt.findall(T + "author"):
        if a.find(f"{T}name[@type='unknown']") is None:
            authors.append(text_of(a))
            author_langs.append(a.xpath("string(ancestor-or-self::*[@xml:lang][1]/@xml:lang)") or "und")
    text = root.find(T + "text")
    lang = (text.get(XML_LANG) if text is not None else None) or root.get(XML_LANG) or "und"
    languages = [lg.get("ident") for lg in header.iterfind(f"{T}profileDesc/{T}langUsage/{T}language") if lg.get("ident")]
    year = next((d.get("when", "")[:4] for d in header.iterfind(f"{T}fileDesc/{T}publicationStmt/{T}date")), "")
    notes = header.find(f"{T}fileDesc/{T}notesStmt/{T}note")
    original = header.find(f"{T}fileDesc/{T}sourceDesc/{T}bibl[@type='original']")
    divisions = {}
    if text is not None:
        for div in text.iter(T + "div"):
            head = div.find(T + "head")
            if div.get(XML_ID) and head is not None and text_of(head):
                divisions[div.get(XML_ID)] = text_of(head)
    return DocMeta(doc_id, text_of(main) or doc_id, (main.get(XML_LANG) if main is not None else None) or lang,
                   text_of(alt), authors, lang, languages or [lang], year, text_of(notes),
                   text_of(original), divisions, author_langs)


def dublin_core(cfg: Config, meta: DocMeta) -> dict:
    """A DTS MetadataObject (Dublin Core Terms) for a document."""
    titles = [{"lang": meta.title_lang, "value": meta.title}]
    if meta.title_en:
        titles.append({"lang": "en", "value": meta.title_en})
    dc: dict = {"title": titles, "language": meta.languages, "publisher": [cfg.publisher],
                "type": ["Text"], "license": cfg.licence_url,
                "isPartOf": [urls.absolute(cfg, urls.edition_home())]}
    if meta.authors:
        dc["creator"] = [{"lang": lang, "value": a} for a, lang in zip(meta.authors, meta.author_langs)]
    editors = [e.name for e in cfg.editors if e.id == "ed"]
    if editors:
        dc["contributor"] = editors
    if meta.year:
        dc["date"] = meta.year
    if meta.description:
        dc["description"] = [{"lang": cfg.apparatus_language, "value": meta.description}]
    if meta.source:
        dc["source"] = [{"lang": cfg.apparatus_language, "value": meta.source}]
    return dc


def page_metadata(cfg: Config, doc_id: str, root: etree._Element, division_id: str | None = None,
                  meta: DocMeta | None = None) -> dict:
    """Citation meta tags and schema.org JSON-LD for a document page, or for one division of it (`meta`:
    the document's, when already read)."""
    meta = meta or read_meta(doc_id, root)
    doc_url = urls.absolute(cfg, urls.document(doc_id))
    title = meta.title
    url = doc_url
    if division_id:
        heading = meta.divisions.get(division_id, "")
        title = f"{meta.title}: {heading}" if heading else meta.title
        url = urls.absolute(cfg, urls.element(doc_id, division_id))
    tags: list[tuple[str, str]] = [("citation_title", title)]
    if meta.title_en and not division_id:
        tags.append(("DC.title.alternative", meta.title_en))
    tags += [("citation_author", a) for a in meta.authors]
    if not meta.authors:                # an anonymous text: the edition's editors are the responsible party
        tags += [("citation_editor", e.name) for e in cfg.editors if e.id == "ed"]
    if meta.year:
        tags.append(("citation_publication_date", meta.year))
    tags += [("citation_publisher", cfg.publisher), ("citation_public_url", url),
             ("citation_language", meta.lang),
             ("citation_xml_url", urls.absolute(cfg, urls.tei_download(doc_id)))]
    if division_id:
        tags.append(("citation_inbook_title", meta.title))
    tags += [("DC.title", title)]
    tags += [("DC.creator", a) for a in meta.authors]
    tags += [("DC.publisher", cfg.publisher), ("DC.date", meta.year), ("DC.language", meta.lang),
             ("DC.identifier", url), ("DC.type", "Text"), ("DC.format", "text/html"),
             ("DC.rights", cfg.licence_url), ("DC.relation.ispartof", urls.absolute(cfg, urls.edition_home()))]
    if meta.description:
        tags.append(("DC.description", meta.description))
    edition = {"@type": "Collection", "@id": urls.absolute(cfg, urls.edition_home()), "name": cfg.title}
    jsonld: dict = {
        "@context": "https://schema.org",
        "@type": "CreativeWork",
        "@id": url,
        "url": url,
        "name": title,
        "inLanguage": meta.lang,
        "license": cfg.licence_url,
        "publisher": {"@type": "Organization", "name": cfg.publisher},
        "isPartOf": ({"@type": "CreativeWork", "@id": doc_url, "name": meta.title, "isPartOf": edition}
                     if division_id else edition),
        "encoding": [{"@type": "MediaObject", "encodingFormat": "application/tei+xml",
                      "contentUrl": urls.absolute(cfg, urls.tei_download(doc_id))},
                     {"@type": "MediaObject", "encodingFormat": "text/plain",
                      "contentUrl": urls.absolute(cfg, urls.text_download(doc_id, "edited"))}],
    }
    if meta.title_en and not division_id:
        jsonld["alternateName"] = meta.title_en
    if meta.authors:
        jsonld["author"] = [{"@type": "Person", "name": a} for a in meta.authors]
    if meta.year:
        jsonld["datePublished"] = meta.year
    if meta.description and not division_id:
        jsonld["description"] = meta.description
    editors = [{"@type": "Organization", "name": e.name} for e in cfg.editors if e.id == "ed"]
    if editors:
        jsonld["editor"] = editors
    return {"meta": [{"name": n, "content": c} for n, c in tags if c], "jsonld": jsonld}


@functools.lru_cache(maxsize=16)
def _header_root(path: Path, mtime: float) -> etree._Element:
    return parse_file(path).getroot()


@functools.lru_cache(maxsize=16)
def _meta(doc_id: str, path: Path, mtime: float) -> DocMeta:
    return read_meta(doc_id, _header_root(path, mtime))


def page_metadata_from_path(cfg: Config, doc_id: str, tei_path: Path, division_id: str | None = None) -> dict:
    """`page_metadata` for a TEI file (parsed and read once per file and change, for the many pages of a
    document: reading it walks every division, and a page per division made that quadratic)."""
    mtime = tei_path.stat().st_mtime
    return page_metadata(cfg, doc_id, _header_root(tei_path, mtime), division_id, _meta(doc_id, tei_path, mtime))


def edition_metadata(cfg: Config) -> dict:
    """Citation meta tags and schema.org JSON-LD for the edition as a whole (the pages that are not a document's)."""
    home = urls.absolute(cfg, urls.edition_home())
    metas = [read_meta(d.id, _header_root(d.tei_path, d.tei_path.stat().st_mtime))
             for d in documents(cfg) if d.tei_path.is_file()]
    year = max((m.year for m in metas if m.year), default="")
    languages = sorted({lang for m in metas for lang in m.languages})
    editors = [e.name for e in cfg.editors if e.id == "ed"]
    tags: list[tuple[str, str]] = [("citation_title", cfg.title)]
    tags += [("citation_editor", e) for e in editors]
    tags += [("citation_publisher", cfg.publisher), ("citation_publication_date", year),
             ("citation_public_url", home), ("citation_language", cfg.apparatus_language),
             ("DC.title", cfg.title), ("DC.publisher", cfg.publisher), ("DC.date", year),
             ("DC.identifier", home), ("DC.type", "Collection"), ("DC.rights", cfg.licence_url)]
    tags += [("DC.language", lang) for lang in languages]
    if cfg.subtitle:
        tags.append(("DC.description", cfg.subtitle))
    jsonld: dict = {
        "@context": "https://schema.org",
        "@type": "Collection",
        "@id": home,
        "url": home,
        "name": cfg.title,
        "inLanguage": languages or [cfg.apparatus_language],
        "license": cfg.licence_url,
        "publisher": {"@type": "Organization", "name": cfg.publisher},
        "hasPart": [{"@type": "CreativeWork", "@id": urls.absolute(cfg, urls.document(m.id)), "name": m.title}
                    for m in metas],
        "distribution": {"@type": "DataDownload", "encodingFormat": "application/zip",
                         "contentUrl": urls.absolute(cfg, "data/edition-tei.zip")},
    }
    if cfg.subtitle:
        jsonld["description"] = cfg.subtitle
    if year:
        jsonld["datePublished"] = year
    if editors:
        jsonld["editor"] = [{"@type": "Organization", "name": e} for e in editors]
    return {"meta": [{"name": n, "content": c} for n, c in tags if c], "jsonld": jsonld}
