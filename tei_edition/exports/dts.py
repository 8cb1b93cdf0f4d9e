"""Distributed Text Services 1.0 as static files under api/dts/ (a Level 0 server: no start/end ranges).

Static files cannot read query parameters, so the URI templates of the entry point use path
segments and RFC 6570 path-style parameters (as the specification suggests for static sites):

  collection  api/dts/collection{/id}{;nav}.json        (no id: the edition, the root collection)
  navigation  api/dts/navigation/{resource}{;down}{/ref}.json
  document    api/dts/document/{resource}{/ref}.xml

Precomputed: every collection (children and nav=parents); for each document down=1 and down=-1 from
the root; for every citable unit the unit alone, down=1 and down=-1; the whole document and every
citable unit as TEI. What is not precomputed is listed in docs/dts.md.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from .. import TEI_NS
from ..config import Config
from ..corpus import Facts, general_editors
from ..text import reading
from . import urls
from .citations import CitableUnit, all_units
from .metadata import dublin_core

T = "{%s}" % TEI_NS
CONTEXT = "https://dtsapi.org/context/v1.0.json"
VERSION = "1.0"
DTS_NS = "https://w3id.org/api/dts#"
EDITION_ID = "edition"


@dataclass
class DtsDocument:
    id: str
    root: etree._Element | None   # the exported TEI (citeStructure declared); None once written
    facts: Facts
    units: list[CitableUnit]      # top-level units, each with its children
    tree: dict = field(init=False)

    def __post_init__(self) -> None:
        self.tree = citation_tree(self.units)   # once: every navigation response repeats it


class Api:
    def __init__(self, cfg: Config) -> None:
        self.cfg = cfg
        self.base = urls.absolute(cfg, urls.DTS)

    # URI templates and addresses -------------------------------------------------------------
    def entry(self) -> dict:
        return {"@context": CONTEXT, "dtsVersion": VERSION, "@id": self.base + "index.json", "@type": "EntryPoint",
                "collection": self.base + "collection{/id}{;nav}.json",
                "navigation": self.base + "navigation/{resource}{;down}{/ref}.json",
                "document": self.base + "document/{resource}{/ref}.xml"}

    def collection_path(self, cid: str | None, parents: bool = False) -> str:
        return "collection" + (f"/{cid}" if cid else "") + (";nav=parents" if parents else "") + ".json"

    def navigation_path(self, doc: str, ref: str | None, down: int | None) -> str:
        return f"navigation/{doc}" + (f";down={down}" if down is not None else "") + (f"/{ref}" if ref else "") + ".json"

    def document_path(self, doc: str, ref: str | None = None) -> str:
        return f"document/{doc}" + (f"/{ref}" if ref else "") + ".xml"

    # objects -----------------------------------------------------------------------------------
    def resource(self, doc: DtsDocument, full: bool = True) -> dict:
        obj: dict[str, Any] = {"@id": doc.id, "@type": "Resource", "title": doc.facts.title,
               "collection": self.base + f"collection/{doc.id}{{;nav}}.json",
               "navigation": self.base + f"navigation/{doc.id}{{;down}}{{/ref}}.json",
               "document": self.base + f"document/{doc.id}{{/ref}}.xml",
               "citationTrees": [doc.tree]}
        if full:
            obj.update({"dtsVersion": VERSION, "totalParents": 1, "totalChildren": 0,
                        "description": doc.facts.title_en or doc.facts.title,
                        "dublinCore": dublin_core(self.cfg, doc.facts),
                        "mediaTypes": ["application/tei+xml"],
                        "download": [urls.absolute(self.cfg, urls.tei_download(doc.id)),
                                     urls.absolute(self.cfg, urls.tei_download(doc.id, "plain")),
                                     urls.absolute(self.cfg, urls.text_download(doc.id, "edited")),
                                     urls.absolute(self.cfg, urls.text_download(doc.id, "diplomatic"))]})
        return obj

    def edition(self, docs: list[DtsDocument], with_members: bool = True) -> dict:
        cfg = self.cfg
        obj = {"@id": EDITION_ID, "@type": "Collection", "dtsVersion": VERSION, "title": cfg.title,
               "description": cfg.subtitle, "totalParents": 0, "totalChildren": len(docs),
               "collection": self.base + "collection{/id}{;nav}.json",
               "dublinCore": {"title": [{"lang": cfg.apparatus_language, "value": cfg.title}],
                              "publisher": [cfg.publisher],
                              "contributor": general_editors(cfg),
                              "language": sorted({lang for d in docs for lang in d.facts.languages}),
                              "license": cfg.licence_url,
                              "identifier": urls.absolute(cfg, urls.edition_home())}}
        if with_members:
            obj["member"] = [self.resource(d) for d in docs]
        return obj

    def unit(self, doc: DtsDocument, u: CitableUnit) -> dict:
        obj = {"identifier": u.ref, "@type": "CitableUnit", "level": u.level, "parent": u.parent,
               "citeType": u.cite_type}
        if u.xml_id:
            obj["@id"] = urls.absolute(self.cfg, urls.element(doc.id, u.xml_id))
        head = u.element.find(T + "head") if u.cite_type == "div" else None
        if head is not None and reading(head):
            obj["dublinCore"] = {"title": [{"lang": doc.facts.lang, "value": reading(head)}]}
        return obj

    def navigation(self, doc: DtsDocument, ref: CitableUnit | None, down: int | None) -> dict:
        obj = {"@context": CONTEXT, "dtsVersion": VERSION, "@type": "Navigation",
               "@id": self.base + self.navigation_path(doc.id, ref.ref if ref else None, down),
               "resource": self.resource(doc, full=False)}
        if ref is not None:
            obj["ref"] = self.unit(doc, ref)
        if down is not None:
            obj["member"] = [self.unit(doc, u) for u in subtree(doc.units, ref, down)]
        return obj


def citation_tree(top: list[CitableUnit]) -> dict:
    """The CitationTree of a document, from the units it really has (each cite type with the types
    found below it)."""
    def structures(units: list[CitableUnit]) -> list[dict]:
        by_type: dict[str, list[CitableUnit]] = {}
        for u in units:
            by_type.setdefault(u.cite_type, []).extend(u.children)
        out = []
        for cite_type, children in by_type.items():
            s: dict = {"@type": "CiteStructure", "citeType": cite_type}
            if children:
                s["citeStructure"] = structures(children)
            out.append(s)
        return out

    return {"@type": "CitationTree", "citeStructure": structures(top)}


def subtree(top: list[CitableUnit], ref: CitableUnit | None, down: int) -> list[CitableUnit]:
    """Units under `ref` (or the root) down to `down` levels (-1: all), in document order; with a ref,
    the ref itself first (as in the specification's examples)."""
    start = ref.children if ref is not None else top
    base = ref.level if ref is not None else 0
    out = [ref] if ref is not None else []
    for t in start:
        out += [u for u in t.walk() if down == -1 or u.level - base <= down]
    return out


def passage(doc: DtsDocument, unit: CitableUnit) -> bytes:
    """A citable unit as a TEI response: <TEI><dts:wrapper ref="...">the element</dts:wrapper></TEI>."""
    tei = etree.Element(T + "TEI", nsmap={None: TEI_NS, "dts": DTS_NS})
    wrapper = etree.SubElement(tei, f"{{{DTS_NS}}}wrapper", ref=unit.ref)
    el = copy.deepcopy(unit.element)
    el.tail = None
    wrapper.append(el)
    return etree.tostring(tei, xml_declaration=True, encoding="UTF-8") + b"\n"


def _json(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


def document_files(api: Api, doc: DtsDocument, full_tei: bytes) -> dict[str, bytes]:
    """The responses that depend on one document alone (navigation, passages, the whole document);
    paths relative to api/dts/. Cached with the document's other exports."""
    files = {api.navigation_path(doc.id, None, 1): _json(api.navigation(doc, None, 1)),
             api.navigation_path(doc.id, None, -1): _json(api.navigation(doc, None, -1)),
             api.document_path(doc.id): full_tei}
    for unit in all_units(doc.units):
        for down in (None, 1, -1):
            files[api.navigation_path(doc.id, unit.ref, down)] = _json(api.navigation(doc, unit, down))
        files[api.document_path(doc.id, unit.ref)] = passage(doc, unit)
    return files


def collection_files(api: Api, docs: list[DtsDocument]) -> dict[str, bytes]:
    """The entry point and the collections (they list every document); paths relative to api/dts/.
    Needs each document's id, metadata and citation tree only (`root` and `units` may be empty)."""
    files: dict[str, bytes] = {"index.json": _json(api.entry())}
    root = {"@context": CONTEXT, **api.edition(docs)}
    files[api.collection_path(None)] = _json(root)
    files[api.collection_path(EDITION_ID)] = _json(root)
    files[api.collection_path(EDITION_ID, parents=True)] = _json({**root, "member": []})
    parent = {k: v for k, v in api.edition(docs, with_members=False).items()}
    for doc in docs:
        res = {"@context": CONTEXT, **api.resource(doc)}
        files[api.collection_path(doc.id)] = _json(res)
        files[api.collection_path(doc.id, parents=True)] = _json({**res, "member": [parent]})
    return files
