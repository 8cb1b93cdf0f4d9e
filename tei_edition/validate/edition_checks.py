"""Checks across the whole edition, which a per-file schema cannot make: identifiers unique across all
files, pointers that resolve in the document, the register or the editors, the right kind of register
entry behind a name, declared calendars, ordered date ranges, no empty names, no text without a language."""

from __future__ import annotations

import difflib
import sys
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .. import TEI_NS, XML_NS
from ..cache import digest
from ..diagnostics import Diagnostic
from .locate import Locator

XML_ID = "{%s}id" % XML_NS
XML_LANG = "{%s}lang" % XML_NS
T = "{%s}" % TEI_NS
POINTER_ATTRS = ("ref", "target", "corresp", "calendar", "resp", "source", "who")
NAME_ELEMENTS = ("persName", "orgName", "placeName", "name", "rs", "forename", "surname", "addName")
# A mention must point to an entry of its own kind.
ENTRY_KIND = {"persName": "person", "orgName": "org", "placeName": "place"}
RS_KIND = {"person": "person", "org": "org", "place": "place"}
EXTERNAL = ("http://", "https://", "mailto:", "urn:", "doi:")


@dataclass
class IdSite:
    path: str
    line: int
    tag: str


@dataclass
class EditionIndex:
    """Every xml:id of the edition's files (documents and register), and the editors' ids."""
    ids: dict[str, list[IdSite]] = field(default_factory=dict)
    # resolved path → id → the local name of its element (not the element: the trees are let go after indexing)
    file_ids: dict[str, dict[str, str]] = field(default_factory=dict)
    editors: set[str] = field(default_factory=set)
    register_files: set[str] = field(default_factory=set)
    documents: dict[str, str] = field(default_factory=dict)   # resolved path → document id (edition.toml)
    missing_register: dict[str, str] = field(default_factory=dict)  # id prefix ("pers-") → its absent file
    unreadable_register: dict[str, str] = field(default_factory=dict)  # id prefix → its file that did not parse
    tables: dict[str, str] = field(default_factory=dict)      # resolved path → hash of its ids, lines, elements

    def fingerprint(self) -> str:
        """The hash of everything the checks of one file read from the index: the same fingerprint and the
        same file give the same diagnostics (validate's cache)."""
        return digest(repr(sorted(self.tables.items())), repr(sorted(self.editors)), repr(sorted(self.register_files)),
                      repr(sorted(self.documents.items())), repr(sorted(self.missing_register.items())),
                      repr(sorted(self.unreadable_register.items())))

    def add_file(self, path: str, key: str, tree: etree._ElementTree) -> None:
        self.add_ids(path, key, id_sites(tree))

    def add_ids(self, path: str, key: str, sites: list[tuple[str, int | None, str]]) -> None:
        """A file's ids (`id_sites`: read from its tree, or kept from a run that read the same bytes)."""
        table: dict[str, str] = {}
        lines: list[str] = [path]
        for xid, line, tag in sites:
            tag = sys.intern(tag)
            self.ids.setdefault(xid, []).append(IdSite(path, line or 1, tag))
            table.setdefault(xid, tag)
            lines.append(f"{xid} {line} {tag}")
        self.file_ids[key] = table
        self.tables[key] = digest("\n".join(lines))

    def register_entry(self, xid: str) -> str | None:
        """The element name of the register entry `xid` ("person", "org", "place"), if there is one."""
        for key in self.register_files:
            el = self.file_ids.get(key, {}).get(xid)
            if el is not None:
                return el
        return None


def id_sites(tree: etree._ElementTree) -> list[tuple[str, int | None, str]]:
    """Every xml:id of a file in document order, with its line and the local name of its element."""
    return [(xid, el.sourceline, etree.QName(el).localname) for el in tree.iter()
            if isinstance(el.tag, str) and (xid := el.get(XML_ID)) is not None]


def check_file(tree: etree._ElementTree, path: str, key: str, index: EditionIndex, loc: Locator,
               added: bool = False) -> list[Diagnostic]:
    """The edition-wide checks of one file. `added`: a TEI document from elsewhere (conformance = "tei"):
    its pointers other than `#id` lead into its own project, its lines are not a witness's, and it carries
    no edition idno."""
    own = index.file_ids.get(key, {})
    diags: list[Diagnostic] = []
    diags += _duplicate_ids(tree, path, index, loc)
    diags += _pointers(tree, path, key, own, index, loc, local_only=added)
    diags += _names_and_dates(tree, path, loc)
    diags += _languages(tree, path, loc)
    if not added:
        diags += _witness_lines(tree, path, loc)
    if key in index.documents:
        diags += _document_identity(tree, path, index.documents[key], loc, idno=not added)
    return diags


def _witness_lines(tree, path, loc: Locator) -> list[Diagnostic]:
    """Each line of the witness starts once: the fidelity check reads lines back by lb/@n."""
    first: dict[str, etree._Element] = {}
    out = []
    for lb in tree.iter(T + "lb"):
        n = lb.get("n")
        if n is None:
            continue
        if n in first:
            out.append(Diagnostic(path, *loc.element(lb), "error",
                                  f"witness line {n} starts twice: also at line {first[n].sourceline}", "lb-duplicate",
                                  "each source line has exactly one <lb n>; check the line number"))
        else:
            first[n] = lb
    return out


def _document_identity(tree, path, doc_id: str, loc: Locator, idno: bool = True) -> list[Diagnostic]:
    """A document listed in edition.toml carries that id on its root and as its edition idno."""
    root = tree.getroot()
    out = []
    if root.get(XML_ID) != doc_id:
        out.append(Diagnostic(path, *loc.element(root), "error",
                              f"the root xml:id is '{root.get(XML_ID)}', but edition.toml lists this file as {doc_id}",
                              "doc-id", f'write <TEI xml:id="{doc_id}" ...>'))
    if idno and root.find(f"{T}teiHeader/{T}fileDesc/{T}publicationStmt/{T}idno[@type='edition-id']") is None:
        out.append(Diagnostic(path, *loc.element(root), "error", "the header has no <idno type=\"edition-id\">",
                              "doc-id", f'add <idno type="edition-id">{doc_id}</idno> to publicationStmt'))
    return out


def _duplicate_ids(tree, path, index: EditionIndex, loc: Locator) -> list[Diagnostic]:
    out = []
    seen_here: dict[str, int] = {}
    for el in tree.iter():
        if not isinstance(el.tag, str) or el.get(XML_ID) is None:
            continue
        xid = el.get(XML_ID)
        sites = index.ids.get(xid, [])
        if len(sites) == 1:
            continue
        line, col = loc.element(el)
        others = [s for s in sites if not (s.path == path and s.line == line)]
        if xid in seen_here:
            first = f"{path}:{seen_here[xid]}"
        elif any(s.path != path for s in others):
            first = next(f"{s.path}:{s.line}" for s in others if s.path != path)
        else:
            seen_here[xid] = line
            continue
        seen_here.setdefault(xid, line)
        out.append(Diagnostic(path, line, col, "error", f"xml:id '{xid}' is not unique in the edition: also at {first}",
                              "id-duplicate", "identifiers must be unique across all documents and the register"))
    return out


def _pointers(tree, path, key, own: dict, index: EditionIndex, loc: Locator,
              local_only: bool = False) -> list[Diagnostic]:
    out = []
    folder = Path(key).parent
    for el in tree.xpath("//*[" + " or ".join(f"@{a}" for a in POINTER_ATTRS) + "]"):
        tag = etree.QName(el).localname
        for att in POINTER_ATTRS:
            value = el.get(att)
            if value is None:
                continue
            for tok in value.split():
                if tok.startswith(EXTERNAL) or (att == "target" and tag == "licence"):
                    continue
                if local_only and not tok.startswith("#"):     # into the other project: external here
                    continue
                problem, target = _resolve(tok, folder, own, index)
                found: tuple[str, str, str] | None
                if problem:
                    found = ("pointer-unresolved", f"<{tag} {att}=\"{value}\">: {problem}", _suggest(tok, own, index))
                else:
                    found = _pointer_kind(el, tag, att, tok, target, own)
                if found:
                    rule, message, hint = found
                    out.append(Diagnostic(path, *loc.attribute(el, att), "error", message, rule, hint))
    return out


def _resolve(tok: str, folder: Path, own: dict, index: EditionIndex) -> tuple[str | None, str | None]:
    """(problem, the target's element name). `#id` resolves in the document, the register, or the editors."""
    if tok.startswith("#"):
        xid = tok[1:]
        if xid in own:
            return None, own[xid]
        entry = index.register_entry(xid)
        if entry is not None:
            return None, entry
        if xid in index.editors:
            return None, None
        broken = next((f for prefix, f in index.unreadable_register.items() if xid.startswith(prefix)), None)
        if broken:
            return f"'{tok}' points into the register file {broken}, which could not be read", None
        lost = next((f for prefix, f in index.missing_register.items() if xid.startswith(prefix)), None)
        if lost:
            return f"'{tok}' points to nothing: the register file {lost}, which holds the {xid.split('-')[0]}- " \
                   "entries, does not exist", None
        return (f"'{tok}' points to nothing: no xml:id '{xid}' in this document, the register or the editors "
                "(edition.toml)"), None
    file_part, _, frag = tok.partition("#")
    target_key = str((folder / file_part).resolve())
    if target_key not in index.file_ids:
        return f"'{tok}': no file {file_part} in the edition", None
    if frag and frag not in index.file_ids[target_key]:
        return f"'{tok}': {file_part} has no xml:id '{frag}'", None
    return None, index.file_ids[target_key].get(frag) if frag else None


def _pointer_kind(el, tag, att, tok, target, own) -> tuple[str, str, str] | None:
    """A resolved pointer to the wrong kind of thing: (rule, message, hint) or None."""
    if target is None:
        return None
    ttag = target
    want = None
    if att == "ref" and tag in ENTRY_KIND:
        want = ENTRY_KIND[tag]
    elif att == "ref" and tag == "rs":
        want = RS_KIND.get(el.get("type", ""))
    elif att == "target" and tag in ("ref", "ptr") and el.get("type") == "noteAnchor":
        want = "note"   # a call printed apart from its note must lead to that note
    elif att == "calendar":
        if tok[1:] not in own or ttag != "calendar":
            return ("calendar-undeclared", f"calendar '{tok}' is not declared in this document's header",
                    "point to a <calendar> of teiHeader/profileDesc/calendarDesc (e.g. #dNNN-julian)")
        return None
    if want and ttag != want:
        where = "" if want == "note" else " entry of the register"
        return ("pointer-kind", f"<{tag} {att}=\"{tok}\"> points to a <{ttag}>, not a <{want}>",
                f"a <{tag}> must point to a <{want}>{where}")
    return None


def _suggest(tok: str, own: dict, index: EditionIndex) -> str:
    if not tok.startswith("#"):
        return "write pointers as #id (an id of this document or the register) or as a full URL"
    broken = next((f for prefix, f in index.unreadable_register.items() if tok[1:].startswith(prefix)), None)
    if broken:
        return f"fix {broken} first (see its own error): its entries are unknown until it can be read"
    lost = next((f for prefix, f in index.missing_register.items() if tok[1:].startswith(prefix)), None)
    if lost:
        return f"restore {lost} from version control, or create it"
    pool = list(own) + [x for k in index.register_files for x in index.file_ids.get(k, {})] + sorted(index.editors)
    close = difflib.get_close_matches(tok[1:], pool, n=3, cutoff=0.75)
    if close:
        return "did you mean " + " or ".join(f"'#{c}'" for c in close) + "?"
    return "add the entry to the register (tei/register/) or fix the pointer"


def _names_and_dates(tree, path, loc: Locator) -> list[Diagnostic]:
    out = []
    for el in tree.iter(*[T + n for n in NAME_ELEMENTS]):
        if not "".join(el.itertext()).strip():
            line, col = loc.element(el)
            name = etree.QName(el).localname
            out.append(Diagnostic(path, line, col, "error", f"<{name}> is empty", "name-empty",
                                  "a name element holds the name as written; fill it or remove the element"))
    for el in tree.xpath("//*[(@from and @to) or (@notBefore and @notAfter)]"):
        for lo, hi in (("from", "to"), ("notBefore", "notAfter")):
            a, b = el.get(lo), el.get(hi)
            if a and b and _date_key(a) > _date_key(b):
                line, col = loc.attribute(el, lo)
                out.append(Diagnostic(path, line, col, "error", f"{lo}=\"{a}\" is later than {hi}=\"{b}\"", "date-range",
                                      "a period runs forwards; swap the dates or check the calendar conversion"))
    return out


def _date_key(value: str) -> tuple[int, ...]:
    """An ISO date as numbers to compare; a year before 1 keeps its sign ("-0300" is before "-0200")."""
    sign = -1 if value.startswith("-") else 1
    try:
        parts = [int(p) for p in value.lstrip("-").split("T")[0].split("-") if p]
    except ValueError:
        return (0,)
    return (sign * parts[0], *parts[1:]) if parts else (0,)


def _languages(tree, path, loc: Locator) -> list[Diagnostic]:
    """Every piece of text has a language (xml:lang on itself or an ancestor), and every language used is
    declared in the header's langUsage when the file has one (reported once per language)."""
    root = tree.getroot()
    out = []
    declared = {el.get("ident") for el in root.iterfind(f"{T}teiHeader/{T}profileDesc/{T}langUsage/{T}language")}
    if declared:
        reported = set()
        for el in root.iter():
            lang = el.get(XML_LANG) if isinstance(el.tag, str) else None
            if lang and lang not in declared and lang not in reported:
                reported.add(lang)
                line, col = loc.attribute(el, "xml:lang")
                out.append(Diagnostic(path, line, col, "error",
                                      f"language '{lang}' is used but not declared in profileDesc/langUsage",
                                      "lang-declared", f'add <language ident="{lang}">...</language> to langUsage'))
    if root.get(XML_LANG):
        return out
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        own_text = (el.text or "").strip() or any((c.tail or "").strip() for c in el)
        if own_text and el.xpath("not(ancestor-or-self::*[@xml:lang])"):
            line, col = loc.element(el)
            out.append(Diagnostic(path, line, col, "error", f"text in <{etree.QName(el).localname}> has no language",
                                  "lang-missing", "set xml:lang on the TEI root (and on parts in another language)"))
            break
    return out
