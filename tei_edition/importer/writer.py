"""The one TEI writer: a Record plus its profile and the edition config become a TEI document.

Encoding conventions (documented for editors in tei/schema, enforced by the schema):
- every source line starts with <lb n="N"/>, N its line number in the source file; a word split at the
  line end gets break="no", and rend="hyphen" when the printer's hyphen is dropped from the edited text;
- notes stand at their call; @n keeps the source's numbering, @rend how the call is printed;
- whatever is not reading text (page numbers, web residue) is <fw>; editors' additions carry resp="#ed".
"""

from __future__ import annotations

import datetime as _dt
import hashlib
from collections.abc import Mapping
from pathlib import Path

from lxml import etree

from .. import TEI_NS, XML_NS
from ..config import Config
from . import dating
from . import record as r
from .languages import LANGUAGES
from .profile import Profile

T = "{%s}" % TEI_NS
XML_ID = "{%s}id" % XML_NS
XML_LANG = "{%s}lang" % XML_NS
EDITORS = "#ed"



def E(tag: str, attrib: Mapping[str, str | None] | None = None, *children, text: str | None = None) -> etree._Element:
    el = etree.Element(T + tag, {k: v for k, v in (attrib or {}).items() if v is not None})
    if text:
        el.text = text
    for c in children:
        if c is not None:
            el.append(c)
    return el


def fragment(xml: str) -> list[etree._Element]:
    """TEI elements written by an editor inside a profile (default namespace TEI)."""
    wrapped = f'<wrap xmlns="{TEI_NS}">{xml}</wrap>'
    root = etree.fromstring(wrapped.encode(), etree.XMLParser(resolve_entities=False, no_network=True))
    return list(root)


def _opens_division(parent: etree._Element) -> bool:
    """Whether the next block is the first of a division (only its heading and metadata before it)."""
    return parent.tag == T + "div" and all(c.tag in (T + "head", T + "bibl", T + "byline") for c in parent)


MONTHS_RU = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
             "ноября", "декабря"]
MONTHS_RU_NOM = ["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь",
                 "ноябрь", "декабрь"]


def _spoken(iso: str, lang: str) -> str:
    """An ISO date of the editors' metadata as a reader of the document's language says it."""
    parts = [int(x) for x in iso.split("-")]
    if lang != "ru":
        return iso
    if len(parts) == 3:
        return f"{parts[2]} {MONTHS_RU[parts[1] - 1]} {parts[0]} г."
    if len(parts) == 2:
        return f"{MONTHS_RU_NOM[parts[1] - 1]} {parts[0]} г."
    return f"{parts[0]} г."


def document_bibl(meta: dict[str, str], lang: str) -> etree._Element:
    """The editors' description of a document or study (author, title, date; resp="#ed"), its parts set
    apart by punctuation, so that no output runs an author's name into a date. A date "1930-10/1931"
    is a span (from/to)."""
    bibl = E("bibl", {"type": "document", "resp": EDITORS})
    parts: list[etree._Element | str] = []
    if "author" in meta:
        parts.append(E("author", text=meta["author"]))
    if "title" in meta:
        parts.append(E("title", text=meta["title"]))
    if "date" in meta:
        value = meta["date"]
        if "/" in value:
            a, b = value.split("/", 1)
            parts.append(E("date", {"from": a, "to": b}, text=f"{_spoken(a, lang)} – {_spoken(b, lang)}"))
        else:
            parts.append(E("date", {"when": value}, text=_spoken(value, lang)))
    if "source" in meta:
        parts.append(meta["source"])
    for i, part in enumerate(parts):
        words = part if isinstance(part, str) else part.text
        sep = ("" if words.endswith(".") else ".") + (" " if i < len(parts) - 1 else "")
        if isinstance(part, str):
            _append_text(bibl, part + sep)
        else:
            bibl.append(part)
            part.tail = sep
    return bibl


class _Writer:
    def __init__(self, doc_id: str, lang: str = "ru"):
        self.doc_id = doc_id
        self.lang = lang
        self.seq: dict[str, int] = {}

    def new_id(self, kind: str) -> str:
        self.seq[kind] = self.seq.get(kind, 0) + 1
        return f"{self.doc_id}-{kind}{self.seq[kind]}"

    # ---- inline ------------------------------------------------------------------------------
    def inline(self, parent: etree._Element, tokens: list[r.Inline]) -> None:
        for tok in tokens:
            if isinstance(tok, r.Text):
                _append_text(parent, tok.text)
            else:
                el = self.inline_element(tok)
                parent.append(el)
                if isinstance(tok, r.Correction) and tok.reason:
                    parent.append(E("note", {"type": "editorial", "resp": EDITORS, "target": "#" + el.get(XML_ID)},
                                    text=tok.reason))

    def inline_element(self, tok: r.Inline) -> etree._Element:
        if isinstance(tok, r.LineBreak):
            attrs = {"n": str(tok.n)}
            if tok.hyphen:
                attrs["break"] = "no"
            if tok.hyphen == "soft":
                attrs["rend"] = "hyphen"
            return E("lb", attrs)
        if isinstance(tok, r.PageBreak):
            return E("pb", {"n": tok.n, "type": "inferred" if tok.inferred else None})
        if isinstance(tok, r.ColumnBreak):
            return E("cb", {"n": tok.n})
        if isinstance(tok, r.Residue):
            el = E("fw", {"type": tok.kind})
            self.inline(el, tok.tokens)
            return el
        if isinstance(tok, r.Highlight):
            el = E("hi", {"rend": tok.rend})
            self.inline(el, tok.tokens)
            return el
        if isinstance(tok, r.Correction):
            src = E("sic" if tok.kind == "sic" else "orig")
            self.inline(src, tok.source)
            ed = E("corr" if tok.kind == "sic" else "reg", {"resp": EDITORS}, text=tok.edited)
            return E("choice", {XML_ID: self.new_id("c")}, src, ed)
        if isinstance(tok, r.Supplied):
            return E("supplied", {"reason": tok.reason, "resp": EDITORS}, text=tok.text)
        if isinstance(tok, r.SourceEditorial):
            el = E("seg", {"type": "source-editorial", "subtype": tok.kind})
            self.inline(el, tok.tokens)
            return el
        if isinstance(tok, r.Foreign):
            el = E("foreign", {XML_LANG: tok.lang})
            self.inline(el, tok.tokens)
            return el
        if isinstance(tok, r.NoteCall):
            return self.note(tok.note)
        raise TypeError(f"unknown inline token {tok!r}")

    def note(self, note: r.Note) -> etree._Element:
        note.id = self.new_id("n")
        attrs = {XML_ID: note.id, "n": note.n, "place": note.place, "type": note.type,
                 "rend": None if note.call == "sup" else note.call,
                 "subtype": {"text": "text-missing", "call": "call-missing"}.get(note.missing or ""),
                 XML_LANG: note.lang}
        if note.type == "editorial":
            attrs["resp"] = EDITORS
        el = E("note", attrs)
        if note.label:
            lab = E("label")
            self.inline(lab, note.label)
            el.append(lab)
        if note.missing == "text":
            el.append(E("gap", {"reason": "missing-in-source"}))
        if len(note.blocks) == 1 and isinstance(note.blocks[0], r.Paragraph):
            self.inline(el, note.blocks[0].tokens)
        else:
            for b in note.blocks:
                self.block(el, b)
        if note.comment:
            el.append(E("note", {"type": "editorial", "resp": EDITORS}, text=note.comment))
        return el

    # ---- blocks ------------------------------------------------------------------------------
    def block(self, parent: etree._Element, b: r.Block) -> None:
        if isinstance(b, r.Paragraph) and b.rend == "source":
            # the source of a document or article, as its book's editors print it: a bibliographic reference
            el = E("bibl", {XML_ID: self.new_id("bibl"), "type": "original"})
            self.inline(el, b.tokens)
            parent.append(el)
        elif isinstance(b, r.Paragraph) and b.rend == "separator":
            # a section break printed as ***: furniture, moved between the divisions it separates (_breaks)
            el = E("fw", {"type": "separator"})
            self.inline(el, b.tokens)
            parent.append(el)
        elif isinstance(b, r.Paragraph) and b.rend == "dateline" and _opens_division(parent):
            el = E("dateline")   # the date of a document printed under its heading
            self.inline(el, b.tokens)
            parent.append(el)
        elif isinstance(b, r.Paragraph):
            el = E("p", {XML_ID: self.new_id("p"), "rend": b.rend or None})
            self.inline(el, b.tokens)
            parent.append(el)
        elif isinstance(b, r.Heading):
            el = E("head")
            if b.supplied:
                sup = E("supplied", {"reason": "lost", "resp": EDITORS})
                self.inline(sup, b.tokens)
                el.append(sup)
            else:
                self.inline(el, b.tokens)
            parent.append(el)
        elif isinstance(b, r.Quote):
            q = E("quote", {"type": "block"})
            for sub in b.blocks:
                self.block(q, sub)
            parent.append(q)
        elif isinstance(b, r.ListBlock):
            lst = E("list")
            for item in b.items:
                it = E("item")
                self.inline(it, item)
                lst.append(it)
            parent.append(lst)
        elif isinstance(b, r.Verse):
            lg = E("lg")
            for line in b.lines:
                el = E("l")
                self.inline(el, line)
                lg.append(el)
            parent.append(lg)
        elif isinstance(b, r.ResidueBlock):
            parent.append(self.inline_element(b.residue))
        elif isinstance(b, r.Figure):
            fig = E("figure")
            head = E("head")
            self.inline(head, b.caption)
            fig.append(head)
            if b.description:
                fig.append(E("figDesc", {"resp": EDITORS}, text=b.description))
            parent.append(fig)
        elif isinstance(b, r.Milestones):
            holder = E("x")
            self.inline(holder, b.tokens)
            for el in holder:
                parent.append(el)
        elif isinstance(b, r.Division):
            parent.append(self.division(b))
        else:
            raise TypeError(f"unknown block {b!r}")

    def division(self, d: r.Division) -> etree._Element:
        div = E("div", {XML_ID: self.new_id("div"), "type": d.type, "n": d.n, XML_LANG: d.lang})
        if d.head:
            self.block(div, d.head)
        meta = document_bibl(d.meta, d.lang or self.lang) if d.meta else None
        if meta is not None:
            div.append(meta)
        if d.byline:
            el = E("byline")
            self.inline(el, d.byline)
            div.append(el)
        if d.dateline:
            el = E("dateline")
            self.inline(el, d.dateline)
            div.append(el)
        for b in d.blocks:
            self.block(div, b)
        if meta is not None:   # after the heading and the dateline printed under it (they come first in a div)
            div.remove(meta)
            div.insert(sum(1 for c in div if c.tag in (T + "head", T + "byline", T + "dateline")), meta)
        return div


def _append_text(parent: etree._Element, text: str) -> None:
    if len(parent):
        last = parent[-1]
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


# ---- header ----------------------------------------------------------------------------------------

def header(config: Config, profile: Profile, source_path: Path, rec: r.Record, common: Path) -> etree._Element:
    p = profile.get
    h = E("teiHeader", {XML_LANG: config.apparatus_language})
    # fileDesc
    title_stmt = E("titleStmt")
    title = E("title", {"type": "main", XML_LANG: profile.lang})
    if p("title.supplied"):
        title.append(E("supplied", {"reason": "lost", "resp": EDITORS}, text=p("title.text")))
    else:
        title.text = p("title.text")
    title_stmt.append(title)
    if p("title.en"):   # the English form of a title the editors supplied is theirs too
        alt = E("title", {"type": "alt", XML_LANG: "en"})
        if p("title.supplied"):
            alt.append(E("supplied", {"reason": "lost", "resp": EDITORS}, text=p("title.en")))
        else:
            alt.text = p("title.en")
        title_stmt.append(alt)
    for author in p("authors", []):
        a = E("author", {"ref": author.get("ref")}, text=author["name"])
        title_stmt.append(a)
    if not p("authors"):
        title_stmt.append(E("author", {}, E("name", {"type": "unknown"}, text="Unknown")))
    for ed in config.editors:
        if ed.id == "import":
            continue
        title_stmt.append(E("editor", {XML_ID: f"{profile.id}-ed-{ed.id}", "role": "editor"}, text=ed.name))
    for ed in config.editors:
        for role in ed.roles:
            title_stmt.append(E("respStmt", {}, E("resp", text=role), E("name", {"ref": f"#{ed.id}"}, text=ed.name)))
    pub = E("publicationStmt", {},
            E("publisher", text=config.publisher),
            E("pubPlace", text=config.pub_place) if config.pub_place else None,
            E("date", {"when": str(p("published", _dt.date.today().year))}),
            E("idno", {"type": "edition-id"}, text=profile.id),
            E("availability", {"status": "restricted"},
              E("licence", {"target": config.licence_url}, E("p", text=config.licence_text)),
              E("p", text=p("rights")) if p("rights") else None))   # who holds the source text
    notes_stmt = None
    if p("header_notes"):
        notes_stmt = E("notesStmt", {}, *[E("note", text=t) for t in p("header_notes")])
    sha = hashlib.sha256(source_path.read_bytes()).hexdigest()
    source_desc = E("sourceDesc")
    for el in fragment(p("bibl", "<bibl>Source unknown.</bibl>")):
        source_desc.append(el)
    source_desc.append(E("bibl", {"type": "witness"},
                         E("title", text=f"Digital witness {source_path.name}"),
                         E("note", text=p("witness", "")),
                         E("idno", {"type": "sha256"}, text=sha)))
    file_desc = E("fileDesc", {}, title_stmt, pub, notes_stmt, source_desc)
    h.append(file_desc)
    # encodingDesc: shared declarations (editorial text, kept in TEI) + per-document ones
    enc = fragment(common.read_text(encoding="utf-8"))[0]
    if p("editorial"):
        decl = enc.find(T + "editorialDecl")
        decl.append(E("p", text=p("editorial")))
    h.append(enc)
    # profileDesc
    langs = E("langUsage")
    for code in [profile.lang, *p("other_langs", []), config.apparatus_language]:
        if langs.find(f"{T}language[@ident='{code}']") is None:
            langs.append(E("language", {"ident": code}, text=LANGUAGES[code].name if code in LANGUAGES else code))
    calendars = E("calendarDesc", {},
                  E("calendar", {XML_ID: f"{profile.id}-julian"}, E("p", text="Julian calendar (Old Style), "
                    "used in Russia until 31 January 1918.")),
                  E("calendar", {XML_ID: f"{profile.id}-gregorian"}, E("p", text="Gregorian calendar (New Style), "
                    "used in Russia from 14 February 1918.")))
    h.append(E("profileDesc", {}, langs, calendars))
    rev = E("revisionDesc")
    for ch in p("changes", []):
        rev.append(E("change", {"when": ch["when"], "who": "#" + ch.get("who", "ed")}, text=ch["text"]))
    h.append(rev)
    return h


def write_tei(config: Config, profile: Profile, source_path: Path, rec: r.Record, common: Path) -> bytes:
    w = _Writer(rec.doc_id, rec.lang)
    tei = etree.Element(T + "TEI", {XML_ID: rec.doc_id, XML_LANG: rec.lang}, nsmap={None: TEI_NS})
    tei.append(header(config, profile, source_path, rec, common))
    text = E("text", {XML_LANG: rec.lang})
    for part, blocks in (("front", rec.front), ("body", rec.body), ("back", rec.back)):
        if blocks or part == "body":
            el = E(part)
            for b in blocks:
                w.block(el, b)
            text.append(el)
    tei.append(text)
    tei.text = "\n  "
    tei[0].tail = "\n  "
    text.tail = "\n"
    etree.indent(tei.find(T + "teiHeader"), space="  ", level=1)
    _breaks(text)
    _layout_text(text)
    dating.apply(tei, profile)    # the editors' dating decisions ([[dates]]): year or calendar from the context
    return etree.tostring(tei, xml_declaration=True, encoding="UTF-8", pretty_print=False) + b"\n"


_BLOCK_CONTAINERS = {T + t for t in ("text", "front", "body", "back", "div", "quote", "list", "lg")}


def _breaks(text: etree._Element) -> None:
    """A section break (fw type="separator") that ends a division followed by another stands between the two,
    in their parent, where the reader sees it; page breaks after it go with it."""
    for fw in list(text.iter(T + "fw")):
        div = fw.getparent()
        if fw.get("type") != "separator" or div.tag != T + "div":
            continue
        after = [c for c in fw.itersiblings()]
        if all(c.tag in (T + "pb", T + "cb") for c in after) and div.getnext() is not None \
                and div.getnext().tag == T + "div":
            at = div.getparent().index(div) + 1
            for k, el in enumerate([fw, *after]):
                div.getparent().insert(at + k, el)


def _layout_text(text: etree._Element) -> None:
    """Make the curated file readable: one source line per file line, one block per line.

    Only whitespace is added, and only where TEI treats it as insignificant (before <lb/>, between blocks).
    """
    for lb in text.iter(T + "lb"):
        prev = lb.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + "\n"
        elif lb.getparent().text is not None or lb.getparent().tag not in _BLOCK_CONTAINERS:
            lb.getparent().text = (lb.getparent().text or "") + "\n"
    for el in text.iter(*_BLOCK_CONTAINERS):
        depth = sum(1 for _ in el.iterancestors())
        if len(el):
            el.text = (el.text or "").rstrip() + "\n" + "  " * (depth + 1) if not (el.text or "").strip() else el.text
            for child in el:
                if not (child.tail or "").strip():
                    child.tail = "\n" + "  " * (depth + 1)
            el[-1].tail = "\n" + "  " * depth
