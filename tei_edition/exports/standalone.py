"""A document that stands on its own: the register entries and apparatus entries its pointers name
travel with it in a <standOff> after its <text> (persons, organisations, places, works, abbreviations, events: copies of
the entries as the register holds them, and the entries those point to in turn), and the editors its
@resp and @who name are declared in its titleStmt, so that every "#id" of an offered file resolves in
that file. The teiCorpus does not need this (it holds the register once) and does not get it.

`Entries` is made once per build from the register files (`entries`); `stand_alone` is a pure function of
a document's tree and those entries, so it can run in a worker (the entries are bytes, picklable)."""

from __future__ import annotations

import copy
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .. import TEI_NS, XML_NS
from ..cache import Cache, code_version, digest
from ..config import Config
from ..xmlsafe import parse_bytes

T = "{%s}" % TEI_NS
XML_ID = "{%s}id" % XML_NS
XML_LANG = "{%s}lang" % XML_NS


@dataclass
class Entries:
    """Every entry other files point to, by xml:id: the element's bytes and the list it stands in."""
    by_id: dict[str, tuple[bytes, bytes, int]] = field(default_factory=dict)   # id → (its list, itself, rank)
    editors: dict[str, bytes] = field(default_factory=dict)             # id → <respStmt xml:id> (edition.toml)
    calendars: dict[str, bytes] = field(default_factory=dict)           # id → <calendar> the entries' dates name
    intros: dict[str, bytes] = field(default_factory=dict)              # document id → its editors' introduction


def entries(cfg: Config, paths: list[Path]) -> Entries:
    """The entries of the register and apparatus files (each element with an xml:id whose parent is a
    list: listPerson, listOrg, listPlace, listBibl, listEvent, list), and the edition's editors."""
    found = Entries()
    for path in paths:
        root = parse_bytes(path.read_bytes(), str(path)).getroot()
        if path.parent.name == "front" and (doc := re.fullmatch(r"(d\d+)-intro\.xml", path.name)):
            div = intro_division(root, doc.group(1), found.by_id)   # (after the register: sorted after it)
            if div is not None:
                found.intros[doc.group(1)] = etree.tostring(div)
            continue
        for cal in root.iter(T + "calendar"):     # (an event's dates name its file's calendars)
            if cal.get(XML_ID):
                found.calendars.setdefault(cal.get(XML_ID), etree.tostring(cal, with_tail=False))
        for el in root.iter():
            parent = el.getparent() if isinstance(el.tag, str) else None
            if parent is None or not el.get(XML_ID) or not etree.QName(parent).localname.startswith("list"):
                continue
            holder = etree.Element(parent.tag, {k: v for k, v in parent.attrib.items() if k != XML_ID})
            entry = copy.deepcopy(el)
            entry.tail = None
            found.by_id.setdefault(el.get(XML_ID), (etree.tostring(holder), etree.tostring(entry), len(found.by_id)))
    for ed in cfg.editors:       # as the corpus header declares them (tei_corpus.corpus_header)
        stmt = etree.Element(T + "respStmt", {XML_ID: ed.id}, nsmap={None: TEI_NS})
        etree.SubElement(stmt, T + "resp").text = "; ".join(ed.roles)
        etree.SubElement(stmt, T + "name").text = ed.name
        found.editors[ed.id] = etree.tostring(stmt)
    return found


def intro_division(root: etree._Element, doc_id: str, entries: dict | None = None) -> etree._Element | None:
    """The editors' introduction to a document (tei/front/dNNN-intro.xml: its <div type="introduction"
    resp="#ed">) as it stands in the document's <front> when the document is offered on its own: its
    pointers made the document's — a place in the document "#x", an entry of the register or the apparatus
    "#id" (one of `entries`: it then travels in the standOff), another document "dMMM.xml#x" (next to it in
    data/tei/); a pointer to a register file as a whole («the chronology») stays as it is."""
    div = root.find(f".//{T}div[@type='introduction']")
    if div is None or div.get(XML_ID) != f"{doc_id}-intro":
        return None
    div = copy.deepcopy(div)
    div.tail = None
    div.set(XML_LANG, div.get(XML_LANG) or root.get(XML_LANG) or root.find(T + "text").get(XML_LANG, "en"))
    for el in div.iter():
        for attr in ("target", "ref", "corresp") if isinstance(el.tag, str) else ():
            value = el.get(attr)
            if value:
                el.set(attr, " ".join(_own_pointer(t, doc_id, entries or {}) for t in value.split()))
    return div


def _own_pointer(token: str, doc_id: str, entries: dict) -> str:
    t = re.sub(r"^(\.\./)+", "", token)
    if t == token and not token.startswith("../"):
        return token                                   # "#bib-x", a web address
    if t.startswith(f"{doc_id}.xml#"):
        return t[len(doc_id) + 4:]                     # a place in the document itself
    if t.startswith("register/"):
        entry = t.split("#", 1)[1] if "#" in t else ""
        return "#" + entry if entry in entries else token   # an entry: copied into the standOff
    return t                                           # another document, next to it


def with_intro(root: etree._Element, known: Entries) -> etree._Element:
    """The document with its editors' introduction first in its <front> (made before <body> if it has none),
    unless it holds one already."""
    doc_id = root.get(XML_ID) or ""
    intro = known.intros.get(doc_id)
    text = root.find(T + "text")
    if intro is None or text is None or any(el.get(XML_ID) == f"{doc_id}-intro" for el in root.iter(T + "div")):
        return root
    front = text.find(T + "front")
    if front is None:
        front = etree.Element(T + "front")
        body = text.find(T + "body")
        if body is not None:
            body.addprevious(front)
        else:
            text.insert(0, front)
    front.insert(0, etree.fromstring(intro))
    return root


def edition_entries(cfg: Config, store: Cache | None = None) -> Entries:
    """`entries` of the edition's register and apparatus files (read once per content of those files: in
    this process, and with `store`, a cache.Cache, across builds, under their bytes)."""
    from ..corpus import apparatus_paths, register_paths       # (corpus imports nothing of exports)
    paths = register_paths(cfg) + apparatus_paths(cfg)
    if store is None:
        return _entries_cached(cfg, tuple((p, p.stat().st_mtime_ns, p.stat().st_size) for p in paths))
    key = digest(code_version("exports/standalone.py", "xmlsafe.py"), repr(cfg.editors),
                 *(f"{p}\0".encode() + p.read_bytes() for p in paths))
    kept = store.get("entries", key)
    if isinstance(kept, Entries):
        return kept
    found = entries(cfg, paths)
    store.put("entries", key, found)
    return found


@functools.lru_cache(maxsize=2)
def _entries_cached(cfg: Config, files: tuple[tuple[Path, int, int], ...]) -> Entries:
    return entries(cfg, [f[0] for f in files])


_WITH_HASH = etree.XPath("descendant-or-self::*/@*[contains(., '#')]")   # (in C: a Python loop over every
_XML_IDS = etree.XPath("descendant-or-self::*/@xml:id")                     # node was most of the DTS export)


def pointers(el: etree._Element) -> set[str]:
    """The ids every "#id" token of el's attributes (and its descendants') names."""
    out: set[str] = set()
    for value in _WITH_HASH(el):
        out.update(t[1:] for t in value.split() if t.startswith("#") and len(t) > 1)
    return out


def own_ids(el: etree._Element) -> set[str]:
    return {str(i) for i in _XML_IDS(el) if i}


def stand_alone(root: etree._Element, known: Entries) -> etree._Element:
    """A copy of the document with the entries it points to in a <standOff> after its text (one list
    per kind, in the order of first pointer) and the editors it names in its titleStmt."""
    doc = copy.deepcopy(root)
    stand_alone_in_place(doc, known)
    return doc


def stand_alone_in_place(doc: etree._Element, known: Entries) -> tuple[set[str], set[str]]:
    """`stand_alone` on `doc` itself (for a tree made for the purpose: a DTS passage, which would
    otherwise be copied twice); returns the pointers and the ids of the finished tree, summed from its
    parts (each entry's read once per build) so that the caller need not walk it again."""
    have = own_ids(doc)
    pointed = pointers(doc)
    wanted = sorted(pointed - have)
    lists: dict[bytes, etree._Element] = {}
    added: set[str] = set()
    entry_pointers: set[str] = set()
    ids = set(have)
    while wanted:                                   # entries point to entries (affiliations, places)
        more: list[str] = []
        for ref in wanted:
            if ref in added or ref not in known.by_id:
                continue
            holder_bytes, entry_bytes, _ = known.by_id[ref]
            holder = lists.get(holder_bytes)
            if holder is None:
                holder = lists[holder_bytes] = etree.fromstring(holder_bytes)
                entry_pointers |= _pointers_ids(holder_bytes)[0]     # (the list's own attributes)
            holder.append(etree.fromstring(entry_bytes))
            added.add(ref)
            its_pointers, its_ids = _pointers_ids(entry_bytes)
            entry_pointers |= its_pointers
            ids |= its_ids
            more += sorted(its_pointers - have - added)
        wanted = more
    for cal in _add_calendars(doc, sorted(entry_pointers - have), known):
        cal_pointers, cal_ids = _pointers_ids(cal)
        pointed |= cal_pointers                     # (in the document's header: its editors count)
        ids |= cal_ids
    editors = [i for i in sorted(pointed - have) if i in known.editors]
    stmt = doc.find(f"{T}teiHeader/{T}fileDesc/{T}titleStmt")
    if editors and stmt is not None:
        for i in editors:
            stmt.append(etree.fromstring(known.editors[i]))
            ids |= _pointers_ids(known.editors[i])[1]
            pointed |= _pointers_ids(known.editors[i])[0]
    if lists:
        stand_off = etree.Element(T + "standOff")
        for holder in sorted(lists.values(), key=lambda h: LIST_ORDER.get(etree.QName(h).localname, 9)):
            rank = {e: known.by_id[e.get(XML_ID)][2] for e in holder}
            holder[:] = sorted(holder, key=rank.__getitem__)   # the register's order, not the pointers'
            stand_off.append(holder)
        text = doc.find(T + "text")          # after the text: the edition's schema (and TEI) allow it there
        if text is not None:
            text.tail = "\n  "
            text.addnext(stand_off)
        else:
            doc.append(stand_off)
        etree.indent(stand_off, space="  ", level=1)
        stand_off.tail = "\n"
    return pointed | entry_pointers, ids


@functools.lru_cache(maxsize=4096)
def _pointers_ids(blob: bytes) -> tuple[frozenset[str], frozenset[str]]:
    """The pointers and ids of an entry (or list, calendar, editor) as Entries holds it: the same entry
    travels with hundreds of passages, so it is read once."""
    el = etree.fromstring(blob)
    return frozenset(pointers(el)), frozenset(own_ids(el))


def _add_calendars(doc: etree._Element, ids: list[str], known: Entries) -> list[bytes]:
    """The calendars that the copied entries' dates name, declared in the document's own calendarDesc
    (where TEI declares calendars), so that those pointers resolve in the file too (returned: those added)."""
    wanted = [i for i in ids if i in known.calendars]
    if not wanted:
        return []
    header = doc.find(T + "teiHeader")
    if header is None:
        return []
    profile = header.find(T + "profileDesc")
    if profile is None:
        profile = etree.SubElement(header, T + "profileDesc")
        enc = header.find(T + "encodingDesc")
        (enc if enc is not None else header.find(T + "fileDesc")).addnext(profile)
    desc = profile.find(T + "calendarDesc")
    if desc is None:
        desc = etree.SubElement(profile, T + "calendarDesc")
    for i in wanted:
        desc.append(etree.fromstring(known.calendars[i]))
    return [known.calendars[i] for i in wanted]


def cross_file_pointers(blob: bytes, name: str, where: dict[str, str]) -> bytes:
    """A register or apparatus file as offered beside the others (the ZIP's register/ folder): a "#id"
    that names an entry of another of those files becomes "other.xml#id", a relative address that
    resolves next to it. `where`: entry id → the file that holds it. The bytes are unchanged when no
    pointer leaves the file."""
    root = parse_bytes(blob, name).getroot()
    own = own_ids(root)
    changed = False
    for node in root.iter():
        if not isinstance(node.tag, str):
            continue
        for attr, value in node.attrib.items():
            tokens = value.split()
            moved = [f"{where[t[1:]]}{t}" if t.startswith("#") and t[1:] not in own and t[1:] in where else t
                     for t in tokens]
            if moved != tokens:
                node.set(attr, " ".join(moved))
                changed = True
    if not changed:
        return blob
    return etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8") + b"\n"


LIST_ORDER = {"listPerson": 0, "listOrg": 1, "listPlace": 2, "listEvent": 3, "listBibl": 4, "list": 5}


def dangling(root: etree._Element) -> list[str]:
    """The "#id" pointers of a document that resolve nowhere in it (sorted): what a self-contained file
    must not have."""
    return sorted(pointers(root) - own_ids(root))
