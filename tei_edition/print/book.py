"""The print edition's book: one document or the whole edition in a print shell (templates/print/), laid
out by WeasyPrint with paged-media CSS (templates/print/print.css), written as a tagged PDF (PDF/UA-1) and PDF/A-3a.

The text is the html stage's fragment, the same as the site's: print differs in the shell and in the CSS
only (notes float to the page foot, page numbers of the source stand in the margin, what belongs to the
diplomatic reading is hidden: the view vocabulary of xslt/modules/emit.xsl). Nothing here edits the
fragment: `prepare` cuts it into the parts the shell places (the text, the source description, the
principles) and reads what the shell lists (the contents, the bibliography by data-field, the mentions
for the index). In the PDF a name links to its register entry on the edition's website: the fragment's
register links are resolved against the document's address (edition.toml base_url).
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from ..apparatus import BibEntry, PrintApparatus
from ..config import Config
from ..corpus import general_editors
from ..exports import urls
from ..exports.metadata import document_rights
from ..exports.parts import offered_tei
from ..exports.standalone import edition_entries
from ..html.fragment import apparatus, classes, drop_empty_divisions, inner_html, reading, shown, split, to_html
from ..html.stage import DocumentBuild
from ..i18n import Strings, format_iso
from ..paths import PRINT_TEMPLATES as TEMPLATES
from ..register import Register
from . import margins
from .layout import PDFA_VARIANT, UA_VARIANT, Source, attachments, write_twins  # noqa: F401  (the variants: read here)
from .layout import lay_out as _layout
from .index import Citation, Index, IndexPage, Mention, PageRun, build_index, cited_authors, group_of, pages_of, runs

if TYPE_CHECKING:
    from weasyprint import Document as LaidOut

CONTENTS_DEPTH = 2        # divisions of this depth and above are listed in the contents
HEADINGS = ("h2", "h3", "h4", "h5", "h6")


# ---------------------------------------------------------------- one document, prepared for print

@dataclass
class ContentsItem:
    id: str
    level: int
    label: str
    lang: str = ""


@dataclass
class Bibl:
    label: str
    html: str


@dataclass
class PrintDoc:
    id: str
    tei_path: Path
    lang: str
    title: str               # plain, for metadata and running heads
    title_html: str
    title_lang: str
    alt_title: str
    authors: list[str]
    running: str
    headnote_heading: str
    source_html: str         # the source description for readers (the fragment's <header>: PROCESSING left out)
    principles_html: str     # the editorial principles (the fragment's <section class="edition-principles">)
    processing_html: str     # how the text was made (the header's PROCESSING fields), for the appendix
    text_html: str
    bibls: list[Bibl]
    contents: list[ContentsItem]
    mentions: list[Mention]
    citations: list[Citation]
    notes: int               # notes in the text, for the checks
    web_url: str             # the document's address on the site: the base its register links resolve against
    tei_offered: bytes = b""  # the TEI attached to its PDF/A: data/tei/dNNN.xml, standing on its own
    rights: str = ""          # its header's rights statement (the PDF's XMP dc:rights)
    licence_text: str = ""    # its header's licence/p: what the licence covers (the imprint prints these words)
    licence_url: str = ""     # its header's licence/@target
    holders: str = ""         # its header's availability/p: whose rights the source text remains under
    intro_html: str = ""     # the editors' introduction (tei/front/dNNN-intro.xml), before the text

    @property
    def anchor(self) -> str:
        return f"doc-{self.id}"


def _contents(text, lang: str, skip: str) -> list[ContentsItem]:
    """The divisions to list; one whose heading repeats the document's title (skip) is not listed again."""
    items = []
    for section in text.iter("section"):
        if "tei-div" not in classes(section) or not section.get("id"):
            continue
        depth = int(section.get("data-depth", "1"))
        head = next((c for c in section if c.tag in HEADINGS), None)
        label = reading(head)
        # a part inside an article (001: Ward's «Часть первая», «Часть вторая») is listed at any depth (#13)
        listed = depth <= CONTENTS_DEPTH or "tei-div-part" in classes(section)
        if not listed or head is None or not label or label == skip:
            continue
        own_lang = section.get("lang") or head.get("lang") or ""
        items.append(ContentsItem(section.get("id"), depth + 1, label, own_lang if own_lang != lang else ""))
    return items


def _placed(text, document: str):
    """Every element of the text with the part of the book it stands in (the short title of the division the
    contents list around it, else the document's) and whether it stands in a note, in document order."""
    def walk(el, where: str, in_note: bool):
        for child in el:
            if not isinstance(child.tag, str):
                continue
            here, noted = where, in_note or child.get("data-apparatus") == "note"
            if child.tag == "section" and "tei-div" in classes(child) \
                    and int(child.get("data-depth", "1")) <= CONTENTS_DEPTH:
                head = next((c for c in child if c.tag in HEADINGS), None)
                if head is not None and reading(head):
                    here = head.get("data-running") or reading(head)
            yield child, here, noted
            yield from walk(child, here, noted)

    return walk(text, document, False)


def _mentions(text, document: str) -> list[Mention]:
    """Every mention of the text (an element with data-ref; the XSLT gives each an id), in document order,
    with the part of the book it stands in and whether it stands in a note: what the index divides and marks by."""
    return [Mention(el.get("id"), el.get("data-ref"), group_of(el, el.get("data-ref")), reading(el), where, noted)
            for el, where, noted in _placed(text, document) if el.get("data-ref") and el.get("id")]


def _citations(text, document: str) -> list[Citation]:
    """Every citation of the text pointed to its bibliography entry (data-bibl; the XSLT gives each an id):
    where the index of cited authors finds its pages."""
    return [Citation(el.get("id"), el.get("data-bibl"), where, noted)
            for el, where, noted in _placed(text, document) if el.get("data-bibl") and el.get("id")]


# The header's fields that record how the edition made the text (witness file, encoding steps, revisions):
# printed in the appendix on the encoding, not before the text, where readers meet the editors' introduction.
PROCESSING = (("bibl", "witness"), ("encoding", None), ("revisions", None))


def _is_processing(el: etree._Element) -> bool:
    return any(el.get("data-field") == f and (t is None or el.get("data-type") == t) for f, t in PROCESSING)


def _source_parts(header) -> tuple[str, str]:
    """The header's description list cut in two: for readers, and how the text was made."""
    dl = header.find("dl") if header is not None else None
    if dl is None:
        return "", ""
    readers, processing = copy.deepcopy(dl), copy.deepcopy(dl)
    for el in list(readers):
        if _is_processing(el):
            readers.remove(el)
    for el in list(processing):
        if not _is_processing(el):
            processing.remove(el)
    return to_html(readers), to_html(processing) if len(processing) else ""


def prepare(build: DocumentBuild, strings: Strings, config: Config) -> PrintDoc:
    """One document for the print shell: the html stage's fragment in its parts, and what the shell lists."""
    parts = split(build.fragment)
    facts = build.facts
    main = next(iter(parts.fields("title", "main")), None)
    bibls = [Bibl(parts.field_label(dd), inner_html(dd)) for dd in parts.fields("bibl")
             if dd.get("data-type") in ("original", "translation", "source")]
    text = parts.text
    drop_empty_divisions(text)         # a source's «Σημειώσεις» whose notes stand at their calls: no empty heading
    margins.pages_before_words(text)   # a page number inside a word: before it (WeasyPrint loses the text)
    margins.pages_into_paragraphs(text)   # between blocks: into the next paragraph (a heading stays with its text)
    source_html, processing_html = _source_parts(parts.header)
    running = main.get("data-running", facts.title) if main is not None else facts.title
    return PrintDoc(
        id=build.id, tei_path=build.doc.tei_path, lang=parts.lang, title=facts.title,
        title_html=inner_html(main) if main is not None else str(escape(facts.title)),
        title_lang=facts.title_lang, alt_title=facts.title_en,
        authors=[a.name for a in facts.known_authors],
        running=running,
        headnote_heading=strings.text.get("source.heading", "About this text"),
        source_html=source_html, principles_html=to_html(parts.principles) if parts.principles is not None else "",
        processing_html=processing_html,
        text_html=to_html(text), bibls=bibls, contents=_contents(text, parts.lang, facts.title),
        mentions=_mentions(text, running), citations=_citations(text, running),
        notes=sum(1 for n in apparatus(text, "note") if shown(n)),
        web_url=urls.absolute(config, urls.document(build.id)) if config.base_url else "",
        tei_offered=offered_tei(config, build.doc.tei_path.read_bytes(), str(build.doc.tei_path),
                                edition_entries(config)),
        rights=document_rights(facts).statement, licence_text=facts.licence_text, licence_url=facts.licence,
        holders=facts.rights)


# ---------------------------------------------------------------- the book: shell, layout, two passes

@dataclass
class Printed:
    """A laid-out PDF: its HTML, the WeasyPrint document, and where every anchor landed."""
    kind: str                    # "book" | "document"
    docs: list[PrintDoc]
    html: str
    document: LaidOut
    page_of: dict[str, int]      # id → page number
    contents: list[ContentsItem]
    index: Index
    passes: int
    parts: list = field(default_factory=list)  # the laid-out documents whose pages it holds
    seconds: dict[str, float] = field(default_factory=dict)  # per pass, for the benchmark

    @property
    def pages(self) -> int:
        return len(self.document.pages)


@dataclass
class Shell:
    """What the print templates need besides the documents: the edition, its strings, its register."""
    config: Config
    strings: Strings
    register: Register = field(default_factory=dict)
    date: str = ""
    apparatus: PrintApparatus = field(default_factory=PrintApparatus)

    @property
    def ui(self) -> dict[str, str]:
        return self.strings.ui

    @property
    def ui_print(self) -> dict[str, object]:
        return self.strings.print


def build_date() -> str:
    """The day the PDFs print (title page, CreationDate): today, or SOURCE_DATE_EPOCH's."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch else dt.datetime.now(dt.timezone.utc)
    return when.date().isoformat()


@functools.cache
def _environment() -> Environment:
    """The print templates' environment, one per process: a template is compiled once, not at each of the
    hundreds of parts' HTML a book's layout renders (17 s of a book's 45); a template changed on disk is
    compiled again (jinja2 checks its modification time)."""
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=StrictUndefined)
    env.filters["nobreak_ranges"] = nobreak_ranges
    env.filters["date"] = format_iso
    env.filters["in_docs"] = lambda anchors, ids: list(dict.fromkeys(a for a in anchors if a.split("-")[0] in ids))
    env.filters["years_in"] = lambda years, ids: [(y, ps) for y, all_ in years                # the dated passages
                                                  if (ps := [p for p in all_ if p.doc_id in ids])]  # of the book's texts
    return env


def nobreak_ranges(text: str) -> Markup:
    """'1917–1930' kept on one line (a title should not break inside a range of years)."""
    return Markup(re.sub(r"(\d+[–-]\d+)", r'<span class="nowrap">\1</span>', str(escape(text))))


def _contents_for(kind: str, docs: list[PrintDoc], shell: Shell) -> list[ContentsItem]:
    items: list[ContentsItem] = []
    intro = str(shell.ui_print["introduction"])
    for d in docs:
        if kind == "book":
            items.append(ContentsItem(d.anchor, 1, d.title, d.title_lang))
            items += [ContentsItem(f"{d.id}-intro", 2, intro)] if d.intro_html else []
            items += [ContentsItem(c.id, c.level, c.label, c.lang) for c in d.contents]
        else:
            items += [ContentsItem(f"{d.id}-intro", 1, intro)] if d.intro_html else []
            items += [ContentsItem(c.id, c.level - 1, c.label, c.lang) for c in d.contents]
    app, p = shell.apparatus, shell.ui_print
    if kind == "book":  # front matter before the texts, as a book has it; the apparatus after them
        front = [ContentsItem(f"front-{t.name}", 1, t.title) for t in (app.introduction, app.about) if t]
        items = front + [ContentsItem("sources", 1, str(p["sources"]))] + items
        items += [ContentsItem(key, 1, str(p[key])) for key, there in (
            ("chronology", app.events or app.years), ("abbreviations", app.abbreviations), ("bibliography", app.bibliography))
            if there]
    if any(d.processing_html for d in docs) or docs[0].principles_html:   # the appendix on the encoding
        items.append(ContentsItem("processing", 1, str(p["processing"])))
    items.append(ContentsItem("index", 1, str(p["index"])))
    return items


def _metadata(kind: str, docs: list[PrintDoc], shell: Shell) -> dict[str, object]:
    cfg = shell.config
    if kind == "book":
        title = cfg.title
        authors = [e.name for e in cfg.editors]
        subject = cfg.subtitle or cfg.title
        lang = cfg.apparatus_language
    else:
        d = docs[0]
        title = d.title if not d.alt_title else f"{d.title} / {d.alt_title}"
        authors = d.authors + general_editors(cfg)
        subject = f"{d.alt_title or d.title}. {cfg.title}"
        lang = d.lang
    keywords = list(cfg.keywords) + sorted({d.lang for d in docs})
    return {"title": title, "authors": authors, "subject": subject, "keywords": keywords, "lang": lang,
            "date": shell.date, "year": shell.date[:4], "apparatus_lang": cfg.apparatus_language}


def licences(docs: list[PrintDoc], shell: Shell) -> list[tuple[str, str]]:
    """(words, address) of the licences the documents' headers state, each once, in the headers' own words
    (availability/licence): what the imprint prints. edition.toml's only when no header states one."""
    found = list(dict.fromkeys((" ".join(d.licence_text.split()), d.licence_url) for d in docs if d.licence_text))
    return found or [(" ".join(shell.config.licence_text.split()), shell.config.licence_url)]


def _html(kind: str, docs: list[PrintDoc], shell: Shell, index: Index,
          cited: dict[str, list[PageRun]] | None = None, part: str | None = None, first_page: int | None = None,
          piece: object = None) -> str:
    """The print shell filled: the whole book or booklet, or one `part` of the book alone (print/parts.py),
    its first page numbered `first_page`; `piece`: a share of a document's text (print/parts.py Piece)."""
    template = _environment().get_template("book.html" if kind == "book" else "document.html")
    return template.render(
        kind=kind, documents=docs, edition=shell.config, ui=shell.ui, ui_print=shell.ui_print,
        meta=_metadata(kind, docs, shell), contents=_contents_for(kind, docs, shell),
        principles_html=docs[0].principles_html, show_headnotes=True, index=index, apparatus=shell.apparatus,
        licences=licences(docs, shell), cited=cited, part=part, first_page=first_page, piece=piece,
        months=shell.strings.text)


def _tail_html(kind: str, docs: list[PrintDoc], shell: Shell, index: Index, first_page: int,
               cited: dict[str, list[PageRun]] | None) -> str:
    """The tail alone (templates/print/tail.html): from the bibliography when `cited` is given, else the index."""
    return _environment().get_template("tail.html").render(
        kind=kind, documents=docs, meta=_metadata(kind, docs, shell), index=index, first_page=first_page,
        cited=cited, apparatus=shell.apparatus, ui=shell.ui, ui_print=shell.ui_print,
        principles_html=docs[0].principles_html)


def cited_pages(bibliography: list[BibEntry], ids: set[str], page_of: dict[str, int]) -> dict[str, list[PageRun]]:
    """Entry id → the pages of the book's passages citing it (the first page of each citing block), each page
    once, consecutive pages merged into a range, each linked to its first passage: the bibliography's "Cited in"."""
    found = {}
    for e in bibliography:
        pages: dict[int, str] = {}
        for c in e.citing:
            if c.doc_id in ids and c.anchor in page_of:
                pages.setdefault(page_of[c.anchor], c.anchor)
        if pages:
            found[e.id] = runs([IndexPage(n, pages[n]) for n in sorted(pages)])
    return found


def _index(docs: list[PrintDoc], shell: Shell, page_of: dict[str, int] | None) -> Index:
    headings = {"persons": shell.ui.get("persons", "Persons"), "organisations": shell.ui.get("organisations", "Organisations"),
                "places": shell.ui.get("places", "Places"), "other": str(shell.ui_print.get("index_other", "Other names")),
                "cited": str(shell.ui_print.get("index_cited", "Cited authors"))}
    mentions = [m for d in docs for m in d.mentions]
    mentions += cited_authors([c for d in docs for c in d.citations], cited_names(shell.apparatus.bibliography))
    return build_index(mentions, page_of, shell.register, headings, str(shell.ui_print["index"]),
                       str(shell.ui_print["index_empty"]), {"cited": str(shell.ui_print.get("index_cited_note", ""))},
                       shell.strings.text)


def cited_names(bibliography: list[BibEntry]) -> dict[str, list[str]]:
    """Entry id → the names an index of cited authors lists for it: its authors, else its editors, else its
    compilers (whom the bibliography puts first in the reference: apparatus.reference)."""
    return {e.id: [n.text for n in (e.work.authors or e.work.editors or e.work.compilers)] for e in bibliography}


def typeset(kind: str, docs: list[PrintDoc], shell: Shell) -> Printed:
    """Lay out a book ("book": the edition; "document": one document), in two passes when page numbers of
    the text are to be listed. Pass 1 lays out the whole book; the tail, which lists those pages (the
    bibliography's "Cited in", the appendix on the encoding and the index; the index alone when the book has
    no bibliography), is then laid out again alone with the pages pass 1 found, as plain numbers (each page
    once, ranges merged), its page numbers continuing the book's (checked by the tests); its pages replace
    pass 1's (nothing before the tail moves). In pass 1 the index is its heading alone (it comes last: laying
    out hundreds of entries costs seconds that pass 2 spends again) and the bibliography gives a page per
    citing passage (target-counter): as long as the tail will be, or a little longer. Should the shorter tail
    move a heading the contents list (a page lost before a recto), the book is laid out once more with the
    bibliography's pages known, so that the contents stay true."""
    index = _index(docs, shell, None)
    stub = Index(index.heading, "", []) if index.groups else index
    ids = {d.id for d in docs}
    with_bibliography = kind == "book" and any(e.citing for e in shell.apparatus.bibliography)
    base_url = docs[0].web_url or None
    start = time.perf_counter()
    document = _layout(_html(kind, docs, shell, stub), base_url, shell.config.fonts)
    page_of = pages_of(document)
    seconds = {"pass 1": time.perf_counter() - start}
    passes, parts = 1, [document]
    if index.groups or with_bibliography:
        index = _index(docs, shell, page_of)
        cited = cited_pages(shell.apparatus.bibliography, ids, page_of) if with_bibliography else None
        first = page_of["bibliography" if with_bibliography else "index"]
        start = time.perf_counter()
        tail = _layout(_tail_html(kind, docs, shell, index, first, cited), base_url, shell.config.fonts)
        seconds["tail"] = time.perf_counter() - start
        tail_of = pages_of(tail)
        listed = ("processing", "index") if with_bibliography else ("index",)   # headings the contents list
        moved = [a for a in listed if a in page_of and tail_of.get(a, 0) + first - 1 != page_of[a]]
        if moved:   # the contents would be wrong: lay out the book again with the bibliography's pages known
            start = time.perf_counter()
            document = _layout(_html(kind, docs, shell, stub, cited), base_url, shell.config.fonts)
            page_of = pages_of(document)
            first = page_of["index"]
            tail = _layout(_tail_html(kind, docs, shell, index, first, None), base_url, shell.config.fonts)
            seconds["again"] = time.perf_counter() - start
            parts.append(document)
            passes += 1
        parts.append(tail)  # its fonts must live as long as the combined document
        document = document.copy(document.pages[:first - 1] + tail.pages)
        page_of = pages_of(document)
        passes += 1
    margins.to_outer_edge(document)  # the source's page numbers on the outer side of each page
    return Printed(kind, docs, _html(kind, docs, shell, index), document, page_of,
                   _contents_for(kind, docs, shell), index, passes, parts, seconds)


def write(printed: Printed, path: Path, pdfa_path: Path | None, attachment_text: str, edition_rights: str = "") -> None:
    """The PDF (tagged, PDF/UA-1), and its PDF/A-3a twin with the TEI sources attached (relationship "Source"),
    painted once for both (print/layout.py write_twins); the XMP's dc:rights: the header's rights statement
    (a document), or the edition's (the book)."""
    files = attachments(sources(printed.docs), attachment_text) if pdfa_path is not None else []
    write_twins(printed.document, path, pdfa_path, files,
                printed.docs[0].rights if printed.kind == "document" else edition_rights)


def sources(docs: list[PrintDoc]) -> list[Source]:
    """The TEI files a PDF/A carries: each document's as the edition offers it (data/tei/dNNN.xml)."""
    return [Source(d.tei_path.name, d.tei_offered, d.tei_path) for d in docs]
