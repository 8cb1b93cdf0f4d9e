"""What the edition says about a document, in the forms other systems read: Dublin Core (for DTS),
citation meta tags (Highwire Press `citation_*` tags that Zotero and Google Scholar read, and `DC.*`
tags) and schema.org JSON-LD for every page; a document is cited as the work its witness reproduces
(source_citation.py). Made from the Document's facts (read once from its header).

`page_metadata(cfg, doc, division_id, heading)` is the hook for the page templates: it returns
{"meta": [{"name": ..., "content": ...}, ...], "jsonld": {...}} for a document page or a division;
`edition_metadata(cfg, documents)` the same for the edition (home, register, chronology, downloads... pages).
base.html writes one <meta name content> per item and the JSON-LD in <script type="application/ld+json">
(a data block: never executed, so the Content-Security-Policy allows it).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..config import Config
from ..corpus import Document, Facts, general_editors
from . import urls
from .source_citation import citation_tags, document_work, exact_year, schema_work


@dataclass(frozen=True)
class Rights:
    """What a header's <availability> says, in the two forms machine-readable statements take: one
    sentence for every rights field (DC.rights, DTS rights, XMP dc:rights, the ZIP's LICENCE file), and
    licence URLs that are given as the licence of the whole resource only where it covers the whole."""
    statement: str            # the header's words: whose rights the source text is under, what the licence covers
    licence: str              # the licence of the whole resource ("" when the source text is under other rights)
    apparatus_licence: str    # the licence of the encoding and apparatus (licence/@target)

    def dublin_core(self, lang: str) -> dict:
        """DTS Dublin Core Terms: `license` only when it covers the whole resource, always `rights`."""
        dc: dict = {"rights": [{"lang": lang, "value": self.statement}]} if self.statement else {}
        if self.licence:
            dc["license"] = self.licence
        return dc

    def schema_org(self) -> dict:
        """schema.org: `license` of the work only when it covers the whole; otherwise the holders' rights
        as `copyrightNotice` and the licence on the part it covers (the encoding and the apparatus)."""
        if self.licence:
            return {"license": self.licence}
        obj: dict = {}
        if self.statement:
            obj["copyrightNotice"] = self.statement
        if self.apparatus_licence:
            obj["hasPart"] = [{"@type": "CreativeWork", "name": "Encoding and editorial apparatus",
                               "license": self.apparatus_licence}]
        return obj


def document_rights(facts: Facts) -> Rights:
    """A document's rights as its header states them: the licence covers the whole document only when
    the header names no other rights (no paragraph beside <licence>)."""
    statement = " ".join(part for part in (facts.rights, facts.licence_text) if part)
    whole = facts.licence if facts.licence and not facts.rights else ""
    return Rights(statement, whole, facts.licence)


def edition_rights(cfg: Config, facts: list[Facts]) -> Rights:
    """The edition's rights (edition.toml's licence_text, which the corpus header repeats): its licence
    covers the whole only when no document's source text is under other rights."""
    restricted = any(f.rights for f in facts)
    return Rights(" ".join(cfg.licence_text.split()), "" if restricted else cfg.licence_url, cfg.licence_url)


def dublin_core(cfg: Config, facts: Facts) -> dict:
    """A DTS MetadataObject (Dublin Core Terms) for a document."""
    titles = [{"lang": facts.title_lang, "value": facts.title}]
    if facts.title_en:
        titles.append({"lang": "en", "value": facts.title_en})
    dc: dict = {"title": titles, "language": list(facts.languages), "publisher": [cfg.publisher],
                "type": ["Text"], **document_rights(facts).dublin_core(cfg.apparatus_language),
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


def page_metadata(cfg: Config, doc: Document, division_id: str | None = None, heading: str = "", *,
                  pdf: bool = False) -> dict:
    """Citation meta tags and schema.org JSON-LD for a document page, or for one division of it (`heading`:
    the division's heading); `pdf`: the site offers the document's PDF (citation_pdf_url).

    A document is cited as the work its witness reproduces (source_citation: its bibliography entry decides
    the type, a journal article, a book, a web page...), at the address of its reading page; a division as a
    section of that work. The edition is named as what holds the page (DC.relation.ispartof, schema.org)."""
    facts = doc.facts
    assert facts is not None, "the build reads each document's facts before its pages are written"
    rights = document_rights(facts)
    work = document_work(cfg, doc)
    doc_url = urls.absolute(cfg, urls.document(doc.id))
    url, title = doc_url, work.title
    if division_id:
        title = heading or facts.title
        url = urls.absolute(cfg, urls.element(doc.id, division_id))
        tags = citation_tags(work, title=title, container=work.title)
    else:
        tags = citation_tags(work)
        if facts.title_en:
            tags.append(("DC.title.alternative", facts.title_en))
    tags += [("citation_public_url", url), ("citation_language", facts.lang),
             ("citation_xml_url", urls.absolute(cfg, urls.tei_download(doc.id)))]
    if pdf:
        tags.append(("citation_pdf_url", urls.absolute(cfg, pdf_download(doc.id))))
    tags += [("DC.title", title)]
    tags += [("DC.creator", n.text) for n in work.authors]
    tags += [("DC.publisher", work.publisher), ("DC.date", exact_year(work)), ("DC.language", facts.lang),
             ("DC.identifier", url), ("DC.type", "Text"), ("DC.format", "text/html"),
             ("DC.rights", rights.statement), ("DC.relation.ispartof", urls.absolute(cfg, urls.edition_home()))]
    if facts.summary:
        tags.append(("DC.description", facts.summary))
    edition = edition_node(cfg)
    described = schema_work(work)
    holders = [described.pop("isPartOf")] if "isPartOf" in described else []
    jsonld: dict = {"@context": "https://schema.org", **described, "@id": url, "url": url}
    if division_id:
        jsonld = {"@context": "https://schema.org", "@type": "Chapter", "@id": url, "url": url, "name": title,
                  **{k: v for k, v in described.items() if k in ("author", "editor", "translator")}}
        holders = [{**described, "@id": doc_url, "isPartOf": [*holders, edition]}]
    else:
        holders.append(edition)
    jsonld.update({
        "inLanguage": facts.lang,
        **rights.schema_org(),
        "isPartOf": holders,
        "encoding": [{"@type": "MediaObject", "encodingFormat": "application/tei+xml",
                      "contentUrl": urls.absolute(cfg, urls.tei_download(doc.id))},
                     {"@type": "MediaObject", "encodingFormat": "text/plain",
                      "contentUrl": urls.absolute(cfg, urls.text_download(doc.id, "edited"))}],
    })
    if pdf:
        jsonld["encoding"].append({"@type": "MediaObject", "encodingFormat": "application/pdf",
                                   "contentUrl": urls.absolute(cfg, pdf_download(doc.id))})
    if facts.title_en and not division_id:
        jsonld["alternateName"] = facts.title_en
    if not division_id:                  # the document's IRI in the DTS API
        jsonld["identifier"] = urls.resource_iri(cfg, doc.id)
    if facts.summary and not division_id:
        jsonld["description"] = facts.summary
    return {"meta": [{"name": n, "content": c} for n, c in tags if c], "jsonld": jsonld}


def pdf_download(doc_id: str) -> str:
    return f"downloads/{doc_id}.pdf"


def edition_node(cfg: Config) -> dict:
    """The edition as the container of its documents (schema.org), with its version and identifier."""
    node: dict = {"@type": "Book", "@id": urls.absolute(cfg, urls.edition_home()), "name": cfg.title,
                  "publisher": {"@type": "Organization", "name": cfg.publisher}}
    editors = general_editors(cfg)
    if editors:
        node["editor"] = [{"@type": "Organization", "name": e} for e in editors]
    if cfg.version:
        node["version"] = cfg.version
    if cfg.identifier:
        node["identifier"] = cfg.identifier
    return node


def edition_metadata(cfg: Config, documents: list[Document]) -> dict:
    """Citation meta tags and schema.org JSON-LD for the edition as a whole (the pages that are not a
    document's); `documents` with their facts."""
    home = urls.absolute(cfg, urls.edition_home())
    facts = [(d, d.facts) for d in documents if d.facts is not None]
    year = max((f.year for _, f in facts if f.year), default="")
    languages = sorted({lang for _, f in facts for lang in f.languages})
    editors = general_editors(cfg)
    rights = edition_rights(cfg, [f for _, f in facts])
    tags: list[tuple[str, str]] = [("citation_title", cfg.title)]
    tags += [("citation_editor", e) for e in editors]
    tags += [("citation_publisher", cfg.publisher), ("citation_publication_date", year),
             ("citation_public_url", home), ("citation_language", cfg.apparatus_language),
             ("DC.title", cfg.title), ("DC.publisher", cfg.publisher), ("DC.date", year),
             ("DC.identifier", home), ("DC.type", "Collection"), ("DC.rights", rights.statement)]
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
        "publisher": {"@type": "Organization", "name": cfg.publisher},
        "hasPart": [{"@type": "CreativeWork", "@id": urls.absolute(cfg, urls.document(d.id)), "name": f.title}
                    for d, f in facts],
        "distribution": {"@type": "DataDownload", "encodingFormat": "application/zip",
                         "contentUrl": urls.absolute(cfg, urls.TEI_ZIP)},
    }
    for key, value in rights.schema_org().items():     # the apparatus's licence: one more part
        jsonld[key] = jsonld.get(key, []) + value if key == "hasPart" else value
    if cfg.subtitle:
        jsonld["description"] = cfg.subtitle
    if year:
        jsonld["datePublished"] = year
    if editors:
        jsonld["editor"] = [{"@type": "Organization", "name": e} for e in editors]
    if cfg.version:
        jsonld["version"] = cfg.version
    if cfg.identifier:                   # a persistent identifier: the one to cite
        jsonld["identifier"] = cfg.identifier
        jsonld["sameAs"] = cfg.identifier
        tags.append(("citation_doi" if "doi.org/" in cfg.identifier else "DC.identifier", cfg.identifier))
    return {"meta": [{"name": n, "content": c} for n, c in tags if c], "jsonld": jsonld}
