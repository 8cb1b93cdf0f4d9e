"""TEI downloads: each document (with its citation structure declared), the whole edition as one
teiCorpus with a corpus header, and a plain-TEI flavour for archives that expect common TEI practice.

The corpus header's editorial text is tei/corpus-header.xml; titleStmt and publicationStmt come from
edition.toml, so the edition's title, editors and licence are said in one place only.
"""

from __future__ import annotations

import copy
from pathlib import Path

from lxml import etree

from .. import TEI_NS, XML_NS
from ..config import Config
from ..diagnostics import EditionError
from ..trees import UNWRAP, splice
from ..xmlsafe import XMLProblem, parse_file
from .citations import ensure_refs_decl

T = "{%s}" % TEI_NS
XML_ID = "{%s}id" % XML_NS
XML_LANG = "{%s}lang" % XML_NS
CORPUS_HEADER = "corpus-header.xml"
# fw that is text of the witness rather than page furniture: a picture caption, a web comment
KEPT_FW = {"caption", "comment"}


def read_tei(path: Path) -> etree._Element:
    try:
        return parse_file(path).getroot()
    except XMLProblem as exc:
        raise EditionError(str(exc), hint="fix the file, then run the export again") from None


def document_export(path: Path) -> etree._Element:
    """A document as published: the curated TEI, with the default refsDecl added when it declares none."""
    root = read_tei(path)
    ensure_refs_decl(root)
    return root


def serialize(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8") + b"\n"


# --- the corpus -----------------------------------------------------------------------------------

def corpus_header(cfg: Config, docs: list[etree._Element], dates: list[str] | None = None) -> etree._Element:
    """The teiCorpus header: tei/corpus-header.xml with titleStmt and publicationStmt from edition.toml.
    The edition's date is the latest publication date of the documents (given as `dates`, or read from `docs`)."""
    path = cfg.tei_dir / CORPUS_HEADER
    header = read_tei(path)
    if header.tag != T + "teiHeader":
        raise EditionError(f"{path}: the root element must be <teiHeader> in the TEI namespace",
                           hint="see the comment at the top of the file for what it holds")
    file_desc = header.find(T + "fileDesc")
    if file_desc is None or file_desc.find(T + "sourceDesc") is None:
        raise EditionError(f"{path}: <fileDesc> with a <sourceDesc> is required",
                           hint="titleStmt and publicationStmt are added by the export; keep sourceDesc")
    title_stmt = etree.Element(T + "titleStmt")
    etree.SubElement(title_stmt, T + "title", type="main").text = cfg.title
    if cfg.subtitle:
        etree.SubElement(title_stmt, T + "title", type="sub").text = cfg.subtitle
    for ed in cfg.editors:
        # the xml:id makes every resp="#ed" / who="#import" of the documents resolve inside the corpus
        resp_stmt = etree.SubElement(title_stmt, T + "respStmt", {XML_ID: ed.id})
        etree.SubElement(resp_stmt, T + "resp").text = "; ".join(ed.roles)
        etree.SubElement(resp_stmt, T + "name").text = ed.name
    pub = etree.Element(T + "publicationStmt")
    etree.SubElement(pub, T + "publisher").text = cfg.publisher
    if cfg.pub_place:
        etree.SubElement(pub, T + "pubPlace").text = cfg.pub_place
    if dates is None:
        dates = [d.get("when") for root in docs
                 for d in root.iterfind(f"{T}teiHeader/{T}fileDesc/{T}publicationStmt/{T}date") if d.get("when")]
    years = sorted(dates)
    if years:
        etree.SubElement(pub, T + "date", when=years[-1])
    etree.SubElement(pub, T + "idno", type="url").text = cfg.base_url   # the ODD's value list
    if cfg.identifier:                 # the persistent identifier, once registered (edition.toml)
        doi = cfg.identifier.split("doi.org/", 1)
        etree.SubElement(pub, T + "idno", type="DOI" if len(doi) == 2 else "url").text = doi[-1]
    avail = etree.SubElement(pub, T + "availability", status="restricted")
    lic = etree.SubElement(avail, T + "licence", target=cfg.licence_url)
    etree.SubElement(lic, T + "p").text = " ".join(cfg.licence_text.split())
    file_desc.insert(0, title_stmt)
    title_stmt.addnext(pub)
    add_version(file_desc, cfg)
    return header


def add_version(file_desc: etree._Element, cfg: Config) -> None:
    """The edition's release (edition.toml `version`) as fileDesc/editionStmt/edition/@n, after the
    titleStmt, unless the file states one."""
    if not cfg.version or file_desc.find(T + "editionStmt") is not None:
        return
    stmt = etree.Element(T + "editionStmt")
    edition = etree.SubElement(stmt, T + "edition", n=cfg.version)
    edition.text = f"{cfg.short_title or cfg.title}, version {cfg.version}"
    title_stmt = file_desc.find(T + "titleStmt")
    if title_stmt is not None:
        stmt.tail = title_stmt.tail
        title_stmt.addnext(stmt)
    else:
        file_desc.insert(0, stmt)


def id_problems(root: etree._Element) -> list[str]:
    """Duplicate xml:ids and "#id" pointers that do not resolve, as messages (empty when all is well): the
    reference reading of a whole teiCorpus, which parts.corpus_problems computes without building one."""
    ids: dict[str, int] = {}
    problems = []
    for el in root.iter():
        if isinstance(el.tag, str) and el.get(XML_ID):
            i = el.get(XML_ID)
            if i in ids:
                problems.append(f"line {el.sourceline}: xml:id {i!r} also at line {ids[i]}")
            ids.setdefault(i, el.sourceline or 0)
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        for name, value in el.attrib.items():
            for token in value.split():
                if token.startswith("#") and token[1:] not in ids:
                    problems.append(f"line {el.sourceline}: {etree.QName(name).localname}={token!r} points nowhere")
    return problems


# --- the plain-TEI flavour --------------------------------------------------------------------------

def plain_flavour(root: etree._Element, explanation: etree._Element) -> etree._Element:
    """The plain-TEI flavour of an exported document (see tei/corpus-header.xml, xml:id="plain-tei")."""
    plain = copy.deepcopy(root)
    text = plain.find(T + "text")
    if text is not None:       # (one pass per parent for each: element by element would be quadratic)
        splice([fw for fw in text.iter(T + "fw") if fw.get("type") not in KEPT_FW], lambda fw: " ")
        splice(list(text.iter(T + "lb")), lambda lb: "" if lb.get("break") == "no" else " ")
        splice([s for s in text.iter(T + "seg") if s.get("type") == "source-editorial"], lambda seg: UNWRAP)
        for note in text.iter(T + "note"):
            note.attrib.pop("rend", None)
        for p in text.iter(T + "p", T + "head", T + "item", T + "label", T + "l"):
            if p.text and p.text.startswith("\n") and not p.text.strip():
                p.text = None          # the newline that stood before the first <lb/>
            elif p.text:
                p.text = p.text.lstrip("\n")
    header = plain.find(T + "teiHeader")
    decl = header.find(f"{T}encodingDesc/{T}editorialDecl")
    if decl is not None:
        note = copy.deepcopy(explanation)
        note.attrib.pop(XML_ID, None)
        decl.append(note)
    rev = header.find(T + "revisionDesc")
    if rev is not None:
        whens = sorted(c.get("when") for c in rev.iter(T + "change") if c.get("when"))
        change = etree.SubElement(rev, T + "change", when=whens[-1] if whens else "2026-01-01", who="#import")
        change.text = "Plain-TEI flavour derived by the edition's export (see the last paragraph of editorialDecl)."
        change.tail, change.getprevious().tail = change.getprevious().tail, "\n" + "  " * 3
    return plain


def plain_explanation(cfg: Config) -> etree._Element:
    header = read_tei(cfg.tei_dir / CORPUS_HEADER)
    for p in header.iter(T + "p"):
        if p.get(XML_ID) == "plain-tei":
            return p
    raise EditionError(f"{cfg.tei_dir / CORPUS_HEADER}: no <p xml:id=\"plain-tei\"> explaining the plain flavour",
                       hint="add the paragraph to the editorialDecl of the corpus header")
