"""Distributed Text Services 1.0 as static files under api/dts/ (a Level 0 server: no start/end ranges).

Static files cannot read query parameters, so the URI templates of the entry point use path
segments and RFC 6570 path-style parameters (as the specification suggests for static sites):

  collection  api/dts/collection{/id}{;nav}.json        (no id: the edition, the root collection)
  navigation  api/dts/navigation/{resource}{;down}{/ref}.json
  document    api/dts/document/{resource}{/ref}.xml

Every Collection and Resource has one absolute IRI as its @id, the same in every response (a relative
"d001" would resolve against each response's own address: four IRIs for one document). It is a URN
that expands into a path the web server maps onto a file: `urn:uuid:` + the name-based UUID (version 5,
RFC 9562) of the address of the document's reading page (of the home page for the edition), so anyone
can recompute it from the address. RFC 6570 writes its colons as %3A; servers decode them before
looking for the file, which holds them as colons.

Precomputed: every collection (children and nav=parents); for each document every `down` from the
root (1 to its deepest level, and -1); for every citable unit the unit alone, down=0 (its siblings),
every down from 1 to the document's deepest level below it, and -1; the whole document and every
citable unit as TEI (with a header saying what it is from and under which rights, and the register
entries it points to). What static files cannot answer is listed in docs/dts.md.
"""

from __future__ import annotations

import copy
import functools
import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from lxml import etree

from .. import TEI_NS
from ..cache import digest
from ..config import Config
from ..corpus import Facts, general_editors
from ..text import reading
from . import urls
from .citations import CitableUnit, all_units
from .metadata import dublin_core, edition_rights
from .standalone import Entries, own_ids, pointers, stand_alone_in_place

T = "{%s}" % TEI_NS
CONTEXT = "https://dtsapi.org/context/v1.0.json"
VERSION = "1.0"
DTS_NS = "https://w3id.org/api/dts#"


@dataclass
class DtsDocument:
    id: str
    root: etree._Element | None   # the exported TEI (citeStructure declared); None once written
    facts: Facts
    units: list[CitableUnit]      # top-level units, each with its children
    known: Entries | None = None  # the register entries a passage's pointers may name
    tree: dict = field(init=False)
    # what every navigation response of the document repeats (its resource, a unit's object), made once
    # per API address; shared by the responses, never changed after it is made
    memo: dict = field(init=False, default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.tree = citation_tree(self.units)   # once: every navigation response repeats it

    @functools.cached_property
    def ids(self) -> set[str]:
        return own_ids(self.root) if self.root is not None else set()

    @functools.cached_property
    def by_ref(self) -> dict[str, CitableUnit]:
        return {u.ref: u for u in all_units(self.units)}

    @property
    def depth(self) -> int:
        """The deepest level of its citation tree (0: no citable unit)."""
        return max((u.level for u in all_units(self.units)), default=0)


class Api:
    def __init__(self, cfg: Config) -> None:
        self.cfg = cfg
        self.base = urls.absolute(cfg, urls.DTS)
        self.edition_iri = urls.resource_iri(cfg)

    def iri(self, doc_id: str) -> str:
        """The one IRI of a document's Resource (its @id, its `resource` and `id` in the templates)."""
        return urls.resource_iri(self.cfg, doc_id)

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
        iri = self.iri(doc.id)
        obj: dict[str, Any] = {"@id": iri, "@type": "Resource", "title": doc.facts.title,
               "collection": self.base + f"collection/{expanded(iri)}{{;nav}}.json",
               "navigation": self.base + f"navigation/{expanded(iri)}{{;down}}{{/ref}}.json",
               "document": self.base + f"document/{expanded(iri)}{{/ref}}.xml",
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
        obj: dict[str, Any] = {"@id": self.edition_iri, "@type": "Collection", "dtsVersion": VERSION, "title": cfg.title,
               "description": cfg.subtitle, "totalParents": 0, "totalChildren": len(docs),
               "collection": self.base + "collection{/id}{;nav}.json",
               "dublinCore": {"title": [{"lang": cfg.apparatus_language, "value": cfg.title}],
                              "publisher": [cfg.publisher],
                              "contributor": general_editors(cfg),
                              "language": sorted({lang for d in docs for lang in d.facts.languages}),
                              **edition_rights(cfg, [d.facts for d in docs]).dublin_core(cfg.apparatus_language),
                              "identifier": urls.absolute(cfg, urls.edition_home())}}
        if cfg.version:
            obj["extensions"] = {"https://schema.org/version": cfg.version}
        if cfg.identifier:
            obj["dublinCore"]["identifier"] = cfg.identifier
        if with_members:
            obj["member"] = [self.resource(d) for d in docs]
        return obj

    def unit(self, doc: DtsDocument, u: CitableUnit) -> dict:
        key = (self.base, "unit", u.ref)
        if key not in doc.memo:
            doc.memo[key] = self._unit(doc, u)
        return doc.memo[key]

    def _unit(self, doc: DtsDocument, u: CitableUnit) -> dict:
        obj = {"identifier": u.ref, "@type": "CitableUnit", "level": u.level, "parent": u.parent,
               "citeType": u.cite_type}
        if u.xml_id:
            obj["@id"] = urls.absolute(self.cfg, urls.element(doc.id, u.xml_id))
        head = u.element.find(T + "head") if u.cite_type == "div" else None
        title = reading(head) if head is not None else ""
        if title:
            obj["dublinCore"] = {"title": [{"lang": doc.facts.lang, "value": title}]}
        return obj

    def navigation(self, doc: DtsDocument, ref: CitableUnit | None, down: int | None) -> dict:
        key = (self.base, "resource")
        if key not in doc.memo:
            doc.memo[key] = (expanded(self.iri(doc.id)), self.resource(doc, full=False))
        name, resource = doc.memo[key]
        obj = {"@context": CONTEXT, "dtsVersion": VERSION, "@type": "Navigation",
               "@id": self.base + self.navigation_path(name, ref.ref if ref else None, down),
               "resource": resource}
        if ref is not None:
            obj["ref"] = self.unit(doc, ref)
        if down is not None:
            obj["member"] = [self.unit(doc, u) for u in subtree(doc.units, ref, down, doc.by_ref)]
        return obj


def expanded(iri: str) -> str:
    """An IRI as RFC 6570 expands it in a path ({/id}, {resource}): every reserved character encoded."""
    return quote(iri, safe="")


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


def subtree(top: list[CitableUnit], ref: CitableUnit | None, down: int,
            by_ref: dict[str, CitableUnit] | None = None) -> list[CitableUnit]:
    """Units under `ref` (or the root) down to `down` levels (-1: all), in document order; with a ref,
    the ref itself first (as in the specification's examples). down=0 (with a ref): the ref and its
    siblings, the units that share its parent."""
    if down == 0 and ref is not None:
        if ref.parent is None:
            return list(top)
        parent = (by_ref[ref.parent] if by_ref is not None      # (by_ref: every unit by its ref, made once)
                  else next(u for t in top for u in t.walk() if u.ref == ref.parent))
        return list(parent.children)
    start = ref.children if ref is not None else top
    base = ref.level if ref is not None else 0
    out = [ref] if ref is not None else []
    for t in start:
        out += [u for u in t.walk() if down == -1 or u.level - base <= down]
    return out


def passage_header(doc: DtsDocument, unit: CitableUnit) -> etree._Element:
    """What a passage is: the document's titles and the passage's place in it, its publication statement
    (publisher, rights) and its source, as the document's header gives them."""
    assert doc.root is not None
    file_desc = doc.root.find(f"{T}teiHeader/{T}fileDesc")
    header = etree.Element(T + "teiHeader")
    desc = etree.SubElement(header, T + "fileDesc")
    stmt = etree.SubElement(desc, T + "titleStmt")
    for title in file_desc.iterfind(f"{T}titleStmt/{T}title") if file_desc is not None else ():
        stmt.append(copy.deepcopy(title))
    etree.SubElement(stmt, T + "title", type="sub").text = f"Passage {unit.ref} ({unit.cite_type})"
    for name in ("publicationStmt", "sourceDesc"):
        part = file_desc.find(T + name) if file_desc is not None else None
        if part is not None:
            desc.append(copy.deepcopy(part))
    return header


def passage(doc: DtsDocument, unit: CitableUnit, document_url: str = "") -> bytes:
    """A citable unit as a TEI response that stands on its own: <TEI> a header (title, source, rights),
    <dts:wrapper ref="...">the element</dts:wrapper>, and a <standOff> with the register entries the
    element points to (the editors it names declared in the header). A pointer to another part of the
    document (a note's target, a calendar in its header) becomes an absolute URI into the document's TEI
    (`document_url`#id)."""
    tei = etree.Element(T + "TEI", nsmap={None: TEI_NS, "dts": DTS_NS})
    if doc.root is not None:
        tei.append(passage_header(doc, unit))
    wrapper = etree.SubElement(tei, f"{{{DTS_NS}}}wrapper", ref=unit.ref)
    el = copy.deepcopy(unit.element)
    el.tail = None
    wrapper.append(el)
    if doc.known is not None:           # (the tree is this passage's own: no copy of it needed)
        pointed, ids = stand_alone_in_place(tei, doc.known)
    else:
        pointed, ids = pointers(tei), own_ids(tei)
    if document_url and doc.root is not None:
        elsewhere = (pointed - ids) & doc.ids
        if elsewhere:
            for node in _WITH_HASH_ELEMENTS(tei):       # (only an attribute with a "#" can hold a pointer)
                for name, value in node.attrib.items():
                    tokens = value.split()
                    if any(t[1:] in elsewhere for t in tokens if t.startswith("#")):
                        node.set(name, " ".join(f"{document_url}{t}" if t.startswith("#") and t[1:] in elsewhere
                                                else t for t in tokens))
    return etree.tostring(tei, xml_declaration=True, encoding="UTF-8") + b"\n"


_WITH_HASH_ELEMENTS = etree.XPath("descendant-or-self::*[@*[contains(., '#')]]")


def _json(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


def document_files(api: Api, doc: DtsDocument, full_tei: bytes, passages: Passages | None = None,
                   ) -> dict[str, bytes]:
    """The responses that depend on one document alone (navigation, passages, the whole document);
    paths relative to api/dts/. Cached with the document's other exports; a passage the last version of
    the document had the same (`passages`) is taken from there."""
    depth = doc.depth
    document_url = urls.absolute(api.cfg, urls.tei_download(doc.id))    # the same bytes as the whole document
    name = api.iri(doc.id)                 # the file's name: the IRI as the server decodes the expanded path
    files = {api.document_path(name): full_tei}
    units = all_units(doc.units)
    if passages is not None:          # the navigation responses: the same while the units and their titles are
        passages.navigation = digest(passages.code, api.base, name, str(depth), _json(api.resource(doc, full=False)),
                                     *(_json(api.unit(doc, u)) for u in units))
    same = passages is not None and passages.navigation == passages.last_navigation

    def navigation(unit: CitableUnit | None, down: int | None) -> None:
        path = api.navigation_path(name, unit.ref if unit is not None else None, down)
        kept = passages.previous.get(urls.DTS + path) if same and passages is not None else None
        files[path] = kept if kept is not None else _json(api.navigation(doc, unit, down))

    for down in [*range(1, depth + 1), -1]:               # every down a client may ask from the root
        navigation(None, down)
    context = passages.context(doc, document_url) if passages is not None else ""
    keys = passage_keys(context, doc.units) if passages is not None else {}
    for unit in units:                                    # and from every unit, to the deepest level
        for down in [None, 0, *range(1, max(1, depth - unit.level) + 1), -1]:
            navigation(unit, down)
        if passages is None:
            files[api.document_path(name, unit.ref)] = passage(doc, unit, document_url)
            continue
        key = keys[id(unit)]
        path = api.document_path(name, unit.ref)
        made = passages.last.get(key)
        files[path] = made if made is not None else passage(doc, unit, document_url)
        passages.keys[path] = key
    return files


_SLOT = "{urn:x-tei-edition:passage}unit"   # what stands for a unit inside its parent's bytes, with its key


def passage_keys(context: str, top: list[CitableUnit]) -> dict[int, str]:
    """The hash of what each unit's passage is made from (by id() of the unit): `context`, its ref and cite
    type, and its element's bytes, in which the element of each unit below it stands as a placeholder holding
    that unit's own key (each unit's bytes hashed once: d001's 1,371 units serialised whole were 22 MB, ten
    times the document). A change anywhere in a unit changes its key and the key of every unit above it, as
    the whole bytes did. The placeholders go into a copy of the document, never into the tree the passages
    are made from (moving an element makes lxml rewrite its namespace declarations). A unit whose units below
    are not inside its element (a citation structure of another shape) hashes its whole bytes."""
    keys: dict[int, str] = {}
    order: list[CitableUnit] = []
    stack = list(top)
    while stack:                          # (no recursion: as deep as the citation structure goes)
        unit = stack.pop()
        order.append(unit)
        stack.extend(unit.children)
    if not order:
        return keys
    root = order[0].element.getroottree().getroot()
    wanted = {id(u.element) for u in order}      # (each unit holds its element: its proxy is the one iter gives)
    twin = {id(a): b for a, b in zip(root.iter(), copy.deepcopy(root).iter()) if id(a) in wanted}
    for unit in reversed(order):          # every unit after the units below it
        keys[id(unit)] = digest(context, unit.ref, unit.cite_type, _bytes_with_slots(unit, keys, twin))
    return keys


def _bytes_with_slots(unit: CitableUnit, keys: dict[int, str], twin: dict[int, etree._Element]) -> bytes:
    """The unit's bytes in the copy (`twin`: its elements by id() of the original's), each unit below it
    replaced by a placeholder with its key; left so (the unit above replaces this one whole)."""
    el = twin.get(id(unit.element))
    below = [twin.get(id(c.element)) for c in unit.children]
    if (el is None or any(c is None or c is el or not any(a is el for a in c.iterancestors()) for c in below)
            or len({id(c) for c in below}) != len(below)):
        return etree.tostring(unit.element, encoding="UTF-8", xml_declaration=False, with_tail=False)
    for child, element in zip(unit.children, below):
        assert element is not None
        slot = etree.Element(_SLOT, key=keys[id(child)])
        slot.tail = element.tail
        element.getparent().replace(element, slot)
    return etree.tostring(el, encoding="UTF-8", xml_declaration=False, with_tail=False)


@dataclass
class Passages:
    """A document's passages as TEI responses, by the hash of everything one is made from (the unit's
    element, ref and cite type, and the document's `context`): those of the last version of the document
    (`last`, hash → bytes, from its part's files in the exports' cache), and the hash of each passage of
    this one (`keys`, path → hash, kept with its part for the next). An edit of one paragraph makes that
    paragraph's passage and its divisions' again, not the other ~1,400 of d001."""
    last: dict[str, bytes]
    keys: dict[str, str] = field(default_factory=dict)
    code: str = ""                        # the hash of the code that makes a passage
    # the navigation responses likewise, all at once: the hash of what they are made from (the units, their
    # titles, the resource), the last version's, and its files by site path (kept while the hashes agree)
    navigation: str = ""
    last_navigation: str = ""
    previous: dict[str, bytes] = field(default_factory=dict)

    def context(self, doc: DtsDocument, document_url: str) -> str:
        """What every passage of the document depends on besides its unit: the document's header (its
        fileDesc: titles, publication, source), its ids (a pointer to one becomes `document_url#id`), the
        register's entries (its standOff), the code."""
        assert doc.root is not None
        file_desc = doc.root.find(f"{T}teiHeader/{T}fileDesc")
        known = doc.known
        return digest(self.code, document_url, doc.id,
                      etree.tostring(file_desc) if file_desc is not None else b"", "\0".join(sorted(doc.ids)),
                      repr(sorted(known.by_id.items())) if known is not None else "",
                      repr(sorted(known.editors.items())) if known is not None else "",
                      repr(sorted(known.calendars.items())) if known is not None else "")


def collection_files(api: Api, docs: list[DtsDocument]) -> dict[str, bytes]:
    """The entry point and the collections (they list every document); paths relative to api/dts/.
    Needs each document's id, metadata and citation tree only (`root` and `units` may be empty)."""
    files: dict[str, bytes] = {"index.json": _json(api.entry())}
    root = {"@context": CONTEXT, **api.edition(docs)}
    files[api.collection_path(None)] = _json(root)
    files[api.collection_path(api.edition_iri)] = _json(root)
    files[api.collection_path(api.edition_iri, parents=True)] = _json({**root, "member": []})
    parent = {k: v for k, v in api.edition(docs, with_members=False).items()}
    for doc in docs:
        res = {"@context": CONTEXT, **api.resource(doc)}
        files[api.collection_path(api.iri(doc.id))] = _json(res)
        files[api.collection_path(api.iri(doc.id), parents=True)] = _json({**res, "member": [parent]})
    return files
