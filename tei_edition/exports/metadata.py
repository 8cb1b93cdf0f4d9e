"""What the edition says about a document, in the forms other systems read: Dublin Core (for DTS),
citation meta tags (Highwire Press `citation_*` tags that Zotero and Google Scholar read, and `DC.*`
tags) and schema.org JSON-LD for every page. Made from the Document's facts (read once from its header).

`page_metadata(cfg, doc, division_id, heading)` is the hook for the page templates: it returns
{"meta": [{"name": ..., "content": ...}, ...], "jsonld": {...}} for a document page or a division;
`edition_metadata(cfg, documents)` the same for the edition (home, register, chronology, downloads... pages).
base.html writes one <meta name content> per item and the JSON-LD in <script type="application/ld+json">
(a data block: never executed, so the Content-Security-Policy allows it).
"""

from __future__ import annotations

from ..config import Config
from ..corpus import Document, Facts, general_editors
from . import urls


def dublin_core(cfg: Config, facts: Facts) -> dict:
    """A DTS MetadataObject (Dublin Core Terms) for a document."""
    titles = [{"lang": facts.title_lang, "value": facts.title}]
    if facts.title_en:
        titles.append({"lang": "en", "value": facts.title_en})
    dc: dict = {"title": titles, "language": list(facts.languages), "publisher": [cfg.publisher],
                "type": ["Text"], "license": cfg.licence_url,
                "isPartOf": [urls.absolute(cfg, urls.edition_home())]}
    if facts.known_authors:
        dc["creator"] = [{"lang": a.lang, "value": a.name} for a in facts.known_authors]
    editors = general_editors(cfg)
    if editors:
        dc["contributor"] = editors
    if facts.year:
        dc["date"] = facts.year
    if facts.summary:
        dc["description"] = [{"lang": cfg.apparatus_language, "value": facts.summary}]
    if facts.source:
        dc["source"] = [{"lang": cfg.apparatus_language, "value": facts.source}]
    return dc


def page_metadata(cfg: Config, doc: Document, division_id: str | None = None, heading: str = "") -> dict:
    """Citation meta tags and schema.org JSON-LD for a document page, or for one division of it (`heading`:
    the division's heading)."""
    facts = doc.facts
    assert facts is not None, "the build reads each document's facts before its pages are written"
    authors = [a.name for a in facts.known_authors]
    doc_url = urls.absolute(cfg, urls.document(doc.id))
    title = facts.title
    url = doc_url
    if division_id:
        title = f"{facts.title}: {heading}" if heading else facts.title
        url = urls.absolute(cfg, urls.element(doc.id, division_id))
    tags: list[tuple[str, str]] = [("citation_title", title)]
    if facts.title_en and not division_id:
        tags.append(("DC.title.alternative", facts.title_en))
    tags += [("citation_author", a) for a in authors]
    if not authors:                     # an anonymous text: the edition's editors are the responsible party
        tags += [("citation_editor", e) for e in general_editors(cfg)]
    if facts.year:
        tags.append(("citation_publication_date", facts.year))
    tags += [("citation_publisher", cfg.publisher), ("citation_public_url", url),
             ("citation_language", facts.lang),
             ("citation_xml_url", urls.absolute(cfg, urls.tei_download(doc.id)))]
    if division_id:
        tags.append(("citation_inbook_title", facts.title))
    tags += [("DC.title", title)]
    tags += [("DC.creator", a) for a in authors]
    tags += [("DC.publisher", cfg.publisher), ("DC.date", facts.year), ("DC.language", facts.lang),
             ("DC.identifier", url), ("DC.type", "Text"), ("DC.format", "text/html"),
             ("DC.rights", cfg.licence_url), ("DC.relation.ispartof", urls.absolute(cfg, urls.edition_home()))]
    if facts.summary:
        tags.append(("DC.description", facts.summary))
    edition = {"@type": "Collection", "@id": urls.absolute(cfg, urls.edition_home()), "name": cfg.title}
    jsonld: dict = {
        "@context": "https://schema.org",
        "@type": "CreativeWork",
        "@id": url,
        "url": url,
        "name": title,
        "inLanguage": facts.lang,
        "license": cfg.licence_url,
        "publisher": {"@type": "Organization", "name": cfg.publisher},
        "isPartOf": ({"@type": "CreativeWork", "@id": doc_url, "name": facts.title, "isPartOf": edition}
                     if division_id else edition),
        "encoding": [{"@type": "MediaObject", "encodingFormat": "application/tei+xml",
                      "contentUrl": urls.absolute(cfg, urls.tei_download(doc.id))},
                     {"@type": "MediaObject", "encodingFormat": "text/plain",
                      "contentUrl": urls.absolute(cfg, urls.text_download(doc.id, "edited"))}],
    }
    if facts.title_en and not division_id:
        jsonld["alternateName"] = facts.title_en
    if authors:
        jsonld["author"] = [{"@type": "Person", "name": a} for a in authors]
    if facts.year:
        jsonld["datePublished"] = facts.year
    if facts.summary and not division_id:
        jsonld["description"] = facts.summary
    editors = [{"@type": "Organization", "name": e} for e in general_editors(cfg)]
    if editors:
        jsonld["editor"] = editors
    return {"meta": [{"name": n, "content": c} for n, c in tags if c], "jsonld": jsonld}


def edition_metadata(cfg: Config, documents: list[Document]) -> dict:
    """Citation meta tags and schema.org JSON-LD for the edition as a whole (the pages that are not a
    document's); `documents` with their facts."""
    home = urls.absolute(cfg, urls.edition_home())
    facts = [(d, d.facts) for d in documents if d.facts is not None]
    year = max((f.year for _, f in facts if f.year), default="")
    languages = sorted({lang for _, f in facts for lang in f.languages})
    editors = general_editors(cfg)
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
        "hasPart": [{"@type": "CreativeWork", "@id": urls.absolute(cfg, urls.document(d.id)), "name": f.title}
                    for d, f in facts],
        "distribution": {"@type": "DataDownload", "encodingFormat": "application/zip",
                         "contentUrl": urls.absolute(cfg, urls.TEI_ZIP)},
    }
    if cfg.subtitle:
        jsonld["description"] = cfg.subtitle
    if year:
        jsonld["datePublished"] = year
    if editors:
        jsonld["editor"] = [{"@type": "Organization", "name": e} for e in editors]
    return {"meta": [{"name": n, "content": c} for n, c in tags if c], "jsonld": jsonld}
