"""The print edition: build/pdf/<id>.pdf per document and build/pdf/edition.pdf, the whole edition as a book,
each also as a PDF/A-3u file with its TEI attached (build/pdf/pdfa/).

The text is the XSLT's HTML fragment (render.html), the same as on the web; print differs in the shell
(templates/print/*.html) and in paged-media CSS (templates/print/print.css). What this module does to
the fragment is mechanical, never a second rendering: whitespace is normalised (raw newlines inside
footnotes crash WeasyPrint's layout), a word split by <lb break="no"/> is joined, headings get a short
label for running heads and bookmarks, and mentions get ids for the index's second pass.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import re
import time
import tomllib
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..config import Config
from ..corpus import Document, documents as all_documents, register_paths
from ..diagnostics import EditionError
from ..trees import AS_IS, splice
from . import i18n
from . import print_fonts as fonts
from .fetch import url_fetcher
from .html import RenderOptions, fragment_tree, render_file, to_html
from .index import Index, Mention, build_index, mark_mentions, pages_of
from .pages import classes, plain_text

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "print"
PDFA_VARIANT = "pdf/a-3u"
RUNNING_MAX = 55          # characters of a running head before it is shortened
CONTENTS_DEPTH = 2        # divisions of this depth and above are listed in the contents
HEADINGS = ("h2", "h3", "h4", "h5", "h6")
# diplomatic-only output of the XSLT (line breaks, soft hyphens, the source's errors, residue, columns)
PRINT_HIDDEN = {"tei-lb", "tei-lb-hyphen", "tei-sic", "tei-reg", "tei-fw", "tei-cb", "tei-milestone"}
_SPACE = re.compile(r"[ \t\r\n]+")     # not \s: a no-break space must stay


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
    source_html: str         # the header's source description (the XSLT's <dl>)
    principles_html: str     # the editorial principles (the XSLT's encodingDesc section)
    text_html: str
    bibls: list[Bibl]
    contents: list[ContentsItem]
    mentions: list[Mention]
    notes: int               # notes in the text, for the checks

    @property
    def anchor(self) -> str:
        return f"doc-{self.id}"


def shorten(text: str, limit: int = RUNNING_MAX) -> str:
    """A running head: the text, cut at a word boundary with an ellipsis when longer than `limit`."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:.–—-")
    return cut + "…"


def _strip_end(el: etree._Element) -> None:
    """Remove the whitespace that ends the text just before `el` (skipping hidden hyphen spans)."""
    prev = el.getprevious()
    while prev is not None and "tei-lb-hyphen" in classes(prev):
        prev.tail = (prev.tail or "").strip(" \t\r\n") or None
        el, prev = prev, prev.getprevious()
    if prev is not None:
        if prev.tail:
            prev.tail = prev.tail.rstrip(" \t\r\n")
    else:
        parent = el.getparent()
        if parent is not None and parent.text:
            parent.text = parent.text.rstrip(" \t\r\n")


def _outermost_note(note: etree._Element, within: etree._Element) -> bool:
    for a in note.iterancestors():
        if a is within:
            return True
        if "tei-note" in classes(a):
            return False
    return True


def _keep_notes(el: etree._Element) -> None:
    """Before a hidden reading is dropped, its notes move out (an editors' note on a misprint stands at the
    correction). Notes on residue go with it: print shows no running heads or captions of the source's
    pages, so a note on them has nothing to explain."""
    if "tei-fw" not in classes(el):
        for note in [n for n in el.iter("span") if "tei-note" in classes(n) and _outermost_note(n, el)]:
            note.tail = None
            el.addprevious(note)


def tidy(root: etree._Element) -> None:
    """Join words split by <lb break="no"/>, drop what print never shows, collapse whitespace runs
    (not no-break spaces). Dropping the diplomatic-only elements gives what print.css's display:none
    gives, but WeasyPrint then sees a word split at a source line end as one word: it hyphenates it by
    the dictionary, never breaks it at the old line end, and lays the text out much faster."""
    for br in list(root.iter("br")):
        if "tei-lb-nobreak" in classes(br):
            _strip_end(br)
            if br.tail:
                br.tail = br.tail.lstrip(" \t\r\n")
    hidden = [e for e in root.iter() if isinstance(e.tag, str) and classes(e) & PRINT_HIDDEN
              and e.getparent() is not None and not any(classes(a) & PRINT_HIDDEN for a in e.iterancestors())]
    for el in hidden:
        if el.tag == "br" and "tei-lb-nobreak" not in classes(el):
            el.tail = " " + (el.tail or "")  # a source line end between words is a word space
        _keep_notes(el)
    splice(hidden, lambda el: AS_IS)         # dropped, the text after each kept (in one pass: linear)
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.text:
            el.text = _SPACE.sub(" ", el.text)
        if el.tail:
            el.tail = _SPACE.sub(" ", el.tail)


def _label_headings(text: etree._Element) -> None:
    for h in text.iter(*HEADINGS):
        h.set("data-running", shorten(plain_text(h)))


def _contents(text: etree._Element, lang: str, skip: str) -> list[ContentsItem]:
    """The divisions to list; one whose heading repeats the document's title (skip) is not listed again."""
    items = []
    for section in text.iter("section"):
        if "tei-div" not in classes(section) or not section.get("id"):
            continue
        depth = int(section.get("data-depth", "1"))
        head = next((c for c in section if c.tag in HEADINGS), None)
        if depth > CONTENTS_DEPTH or head is None or not plain_text(head) or plain_text(head) == skip:
            continue
        own_lang = section.get("lang") or head.get("lang") or ""
        items.append(ContentsItem(section.get("id"), depth + 1, plain_text(head), own_lang if own_lang != lang else ""))
    return items


def _dl_pairs(dl: etree._Element) -> list[tuple[str, etree._Element]]:
    """(label, dd) for each dd of the header's definition list."""
    pairs, label = [], ""
    for child in dl:
        if child.tag == "dt":
            label = plain_text(child)
        elif child.tag == "dd":
            pairs.append((label, child))
    return pairs


def _inner_html(el: etree._Element) -> str:
    """The content of an element, without the element itself."""
    html = to_html(el)
    return html[html.index(">") + 1: html.rindex("<")]


def prepare(doc: Document, options: RenderOptions) -> PrintDoc:
    """One document: the XSLT fragment, tidied for print, and what the shell needs from its header."""
    if not doc.tei_path.exists():
        raise EditionError(f"{doc.tei_path}: no TEI file for {doc.id}",
                           hint=f"import it (edition import {doc.id}) or remove it from edition.toml")
    article = fragment_tree(render_file(doc.tei_path, options))
    lang = article.get("lang", "und")
    text = next((c for c in article if c.tag == "div" and "edition-text" in classes(c)), None)
    header = article.find("header")
    if text is None or header is None:
        raise EditionError(f"{doc.tei_path}: the XSLT output has no text or header for {doc.id}",
                           hint="xslt/edition.xsl must emit <header class='edition-source'> and <div class='edition-text'>")
    tidy(article)
    _label_headings(text)
    mentions = mark_mentions(text, doc.id)
    labels = options.labels
    pairs = _dl_pairs(header.find("dl")) if header.find("dl") is not None else []
    by_label: dict[str, list[etree._Element]] = {}
    for label, dd in pairs:
        by_label.setdefault(label, []).append(dd)
    main = (by_label.get(labels.get("source.title.main", "Title")) or [None])[0]
    alt = (by_label.get(labels.get("source.title.alt", "Title in English")) or [None])[0]
    authors = [plain_text(dd) for dd in by_label.get(labels.get("source.author", "Author"), [])]
    bibl_labels = [labels.get(f"source.bibl.{k}", k) for k in ("original", "translation", "source")]
    bibls = [Bibl(label, _inner_html(dd)) for label, dd in pairs if label in bibl_labels]
    dl = header.find("dl")
    if dl is not None:  # the headnote does not repeat what the document's heading shows
        shown = {labels.get(k, k) for k in ("source.title.main", "source.title.alt", "source.author")}
        for label, dd in pairs:
            if label in shown:
                dt_el = dd.getprevious()
                dl.remove(dd)
                if dt_el is not None and dt_el.tag == "dt" and plain_text(dt_el) == label:
                    dl.remove(dt_el)
    principles = header.find("section")
    if principles is not None:
        header.remove(principles)
    title = plain_text(main) if main is not None else doc.id
    notes = sum(1 for el in text.iter("span") if "tei-note" in classes(el))
    return PrintDoc(
        id=doc.id, tei_path=doc.tei_path, lang=lang, title=title,
        title_html=_inner_html(main) if main is not None else doc.id,
        title_lang=(main.get("lang") if main is not None else None) or lang,
        alt_title=plain_text(alt) if alt is not None else "",
        authors=[a for a in authors if a and a.lower() != "unknown"],
        running=shorten(title), headnote_heading=labels.get("source.heading", "About this text"),
        source_html=to_html(header.find("dl")) if header.find("dl") is not None else "",
        principles_html=to_html(principles) if principles is not None else "",
        text_html=to_html(text), bibls=bibls, contents=_contents(text, lang, plain_text(main) if main is not None else ""), mentions=mentions, notes=notes)


# ---------------------------------------------------------------- the book: shell, layout, two passes

@dataclass
class Printed:
    """A laid-out PDF: its HTML, the WeasyPrint document, and where every anchor landed."""
    kind: str                    # "book" | "document"
    docs: list[PrintDoc]
    html: str
    document: object             # weasyprint.Document
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
    """What the print templates need besides the documents: the edition and its strings."""
    config: Config
    ui: dict[str, str]
    ui_print: dict[str, object]
    register: dict = field(default_factory=dict)
    date: str = ""


def print_strings(lang: str) -> dict[str, object]:
    path = TEMPLATES / f"{lang}.toml"
    if not path.is_file():
        path = TEMPLATES / "en.toml"
    return tomllib.loads(path.read_text(encoding="utf-8"))


def _build_date() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch else dt.datetime.now(dt.timezone.utc)
    return when.date().isoformat()


def load_shell(config: Config) -> Shell:
    strings = i18n.load(config.apparatus_language)
    register = {}
    paths = register_paths(config)
    if paths:
        from .register import load_register
        register = load_register(paths)
    return Shell(config, strings.ui, print_strings(config.apparatus_language), register, _build_date())


def render_options(config: Config) -> RenderOptions:
    """No register links in print (the index replaces them): every mention stays a span with data-ref."""
    strings = i18n.load(config.apparatus_language)
    return RenderOptions(labels=strings.text, register_ids=frozenset(), register_url="#",
                         apparatus_lang=config.apparatus_language)


def _environment():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=StrictUndefined)
    env.filters["nobreak_ranges"] = nobreak_ranges
    return env


def nobreak_ranges(text: str):
    """'1917–1930' kept on one line (a title should not break inside a range of years)."""
    from markupsafe import Markup, escape
    return Markup(re.sub(r"(\d+[–-]\d+)", r'<span class="nowrap">\1</span>', str(escape(text))))


def _contents_for(kind: str, docs: list[PrintDoc], shell: Shell) -> list[ContentsItem]:
    items: list[ContentsItem] = []
    for d in docs:
        if kind == "book":
            items.append(ContentsItem(d.anchor, 1, d.title, d.title_lang))
            items += [ContentsItem(c.id, c.level, c.label, c.lang) for c in d.contents]
        else:
            items += [ContentsItem(c.id, c.level - 1, c.label, c.lang) for c in d.contents]
    principles = [ContentsItem("principles", 1, shell.ui.get("principles", "Editorial principles"))] \
        if docs[0].principles_html else []
    if kind == "book":  # front matter before the texts, as the book has it
        items = [ContentsItem("sources", 1, str(shell.ui_print["sources"]))] + principles + items
    else:
        items += principles
    items.append(ContentsItem("index", 1, str(shell.ui_print["index"])))
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
        authors = d.authors + [e.name for e in cfg.editors if "general editor" in e.roles]
        subject = f"{d.alt_title or d.title}. {cfg.title}"
        lang = d.lang
    keywords = list(shell.ui_print.get("keywords", [])) + sorted({d.lang for d in docs})
    return {"title": title, "authors": authors, "subject": subject, "keywords": keywords, "lang": lang,
            "date": shell.date, "year": shell.date[:4], "apparatus_lang": cfg.apparatus_language}


def _html(kind: str, docs: list[PrintDoc], shell: Shell, index: Index) -> str:
    template = _environment().get_template("book.html" if kind == "book" else "document.html")
    return template.render(
        kind=kind, documents=docs, edition=shell.config, ui=shell.ui, ui_print=shell.ui_print,
        meta=_metadata(kind, docs, shell), contents=_contents_for(kind, docs, shell),
        principles_html=docs[0].principles_html, show_headnotes=True, index=index)


def _layout(html: str):
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration
    from . import footnote_fix
    if not footnote_fix.apply():  # a note stays on the page of its call
        warnings.warn("this WeasyPrint may move a footnote to the page after its call (render/footnote_fix.py "
                      "found no rule to switch off); check the print edition's notes", stacklevel=2)
    missing = fonts.missing_glyphs(set(html))
    if missing:
        raise EditionError(f"no font draws these characters: {fonts.describe_missing(missing)}",
                           hint="add a font that has them to render/print_fonts.py (SYMBOL_FILES) and its package to the Makefile")
    font_config = FontConfiguration()
    fetcher = url_fetcher()  # local templates and fonts only: nothing from the text is fetched (render/fetch.py)
    sheets = [CSS(string=fonts.font_face_css(set(html)), font_config=font_config, url_fetcher=fetcher),
              CSS(filename=str(TEMPLATES / "print.css"), font_config=font_config, url_fetcher=fetcher)]
    return HTML(string=html, base_url=str(TEMPLATES), url_fetcher=fetcher).render(stylesheets=sheets,
                                                                                  font_config=font_config)


def _index(docs: list[PrintDoc], shell: Shell, page_of: dict[str, int] | None) -> Index:
    headings = {"persons": shell.ui.get("persons", "Persons"), "organisations": shell.ui.get("organisations", "Organisations"),
                "places": shell.ui.get("places", "Places"), "other": str(shell.ui_print.get("index_other", "Other names"))}
    mentions = [m for d in docs for m in d.mentions]
    return build_index(mentions, page_of, shell.register, headings, str(shell.ui_print["index"]),
                       str(shell.ui_print["index_empty"]))


def typeset(kind: str, docs: list[PrintDoc], shell: Shell) -> Printed:
    """Lay out a book ("book": the edition; "document": one document). With mentions, a second pass:
    the index, at the very end of the book, is laid out again alone with the pages where pass 1 put
    the mentions, its page numbers continuing the book's (checked by the tests), and its pages replace pass 1's
    (nothing before the index can move; pass 1 holds only the index's heading)."""
    index = _index(docs, shell, None)
    # pass 1 needs only the page the index starts on (it comes last): a heading alone stands in for
    # it, since laying out hundreds of entries costs seconds that pass 2 would spend again
    stub = Index(index.heading, "", []) if index.groups else index
    start = time.perf_counter()
    document = _layout(_html(kind, docs, shell, stub))
    page_of = pages_of(document)
    seconds = {"pass 1": time.perf_counter() - start}
    passes, parts = 1, [document]
    if index.groups:
        index = _index(docs, shell, page_of)
        first = page_of["index"]
        alone = _environment().get_template("index_only.html").render(
            kind=kind, meta=_metadata(kind, docs, shell), index=index, first_page=first)
        start = time.perf_counter()
        index_document = _layout(alone)
        seconds["index"] = time.perf_counter() - start
        parts.append(index_document)  # its fonts must live as long as the combined document
        document = document.copy(document.pages[:first - 1] + index_document.pages)
        page_of = pages_of(document)
        passes = 2
    return Printed(kind, docs, _html(kind, docs, shell, index), document, page_of,
                   _contents_for(kind, docs, shell), index, passes, parts, seconds)


def write(printed: Printed, path: Path, pdfa_path: Path | None, attachment_text: str) -> None:
    """The PDF, and its PDF/A-3u twin with the TEI sources attached (relationship "Source").

    The pages are painted once for both (painting is a third of the time a book takes): WeasyPrint
    builds the PDF/A-3u, which is written as it is, then loses its attachments and is written again
    as the plain PDF (a PDF/A-3u file without attachments is still one)."""
    from weasyprint import Attachment
    path.parent.mkdir(parents=True, exist_ok=True)
    if pdfa_path is None:
        printed.document.write_pdf(str(path))
        return
    pdfa_path.parent.mkdir(parents=True, exist_ok=True)
    files = [Attachment(filename=str(d.tei_path), name=d.tei_path.name, description=attachment_text,
                        relationship="Source") for d in printed.docs]

    def twin(_document, pdf) -> None:  # WeasyPrint's finisher: the PDF is complete, not yet written
        _write_copy(pdf, pdfa_path)
        _detach(pdf)

    with warnings.catch_warnings():
        # WeasyPrint 70 opens its sRGB output-intent profile without closing it (a ResourceWarning
        # when the file object is dropped, at once); nothing of ours leaks
        warnings.simplefilter("ignore", ResourceWarning)
        printed.document.write_pdf(str(path), pdf_variant=PDFA_VARIANT, attachments=files, finisher=twin)
        gc.collect()


def _write_copy(pdf, target: Path) -> None:
    """Write a pydyf PDF as write_pdf would for PDF/A-3u, and leave it writable again (pydyf's write
    appends the info, object stream and cross-reference objects, and counts the bytes it wrote)."""
    objects = len(pdf.objects)
    with open(target, "wb") as fd:
        pdf.write(fd, "1.7", True, True)
    del pdf.objects[objects:]
    pdf.current_position = 0


def _detach(pdf) -> None:
    """Remove the attached files: out of the catalog, and their objects blanked (object numbers stay)."""
    import pydyf
    names = pdf.catalog.get("Names")
    gone = set()
    if names is not None and "EmbeddedFiles" in names:
        gone.add(int(names.pop("EmbeddedFiles").split()[0]))  # a reference, b"222 0 R"
        if not names:
            del pdf.catalog["Names"]
    pdf.catalog.pop("AF", None)
    for number, obj in enumerate(pdf.objects):
        kind = obj.get("Type") if isinstance(obj, dict) else getattr(obj, "extra", {}).get("Type")
        if number in gone or kind in ("/Filespec", "/EmbeddedFile"):
            blank = pydyf.Dictionary()
            blank.number = number
            pdf.objects[number] = blank


@dataclass(frozen=True)
class PdfReport:
    path: Path
    pages: int
    notes: int
    passes: int
    seconds: float

    def summary(self) -> str:
        return (f"{self.path.name}: {self.pages} pages, {self.notes} notes, "
                f"{self.passes} pass{'es' if self.passes > 1 else ''}, {self.seconds:.1f} s")


@dataclass(frozen=True)
class PdfJob:
    """One PDF to make, in a worker process: a document booklet or the book of several documents."""
    root: Path
    kind: str                 # "document" | "book"
    ids: tuple[str, ...]
    target: Path
    pdfa_target: Path | None
    docs: tuple = ()          # its documents prepared for print (with_prepared), else run_job prepares them


def with_prepared(jobs: list[PdfJob]) -> list[PdfJob]:
    """The jobs with their documents prepared in this process, each document once. The XSLT then runs here
    (where `edition build` already has a Saxon processor), not in the workers: a worker that only lays out
    never starts Saxon (whose heap, about 150 MB, it would keep while WeasyPrint lays out), and the book
    and a booklet share one transformation of the same document."""
    from dataclasses import replace
    from .. import config as config_mod
    if not jobs:
        return jobs
    config = config_mod.load(jobs[0].root)
    options = render_options(config)
    by_id = {d.id: d for d in all_documents(config)}
    prepared: dict[str, PrintDoc] = {}
    for job in jobs:
        for i in job.ids:
            if i not in prepared:
                prepared[i] = prepare(by_id[i], options)
    return [replace(job, docs=tuple(prepared[i] for i in job.ids)) for job in jobs]


def run_job(job: PdfJob) -> PdfReport:
    """Make one PDF (and its PDF/A twin), then check that no note was lost on the way."""
    from .. import config as config_mod
    from .pdfcheck import missing_notes
    start = time.perf_counter()
    config = config_mod.load(job.root)
    shell, options = load_shell(config), render_options(config)
    by_id = {d.id: d for d in all_documents(config)}
    docs = list(job.docs) or [prepare(by_id[i], options) for i in job.ids]
    printed = typeset(job.kind, docs, shell)
    write(printed, job.target, job.pdfa_target, str(shell.ui_print["pdfa_attachment"]))
    lost = missing_notes(printed.html, job.target)
    if lost:
        raise EditionError(f"{job.target}: {len(lost)} note(s) missing from the PDF text, e.g. {lost[0][:60]!r}",
                           hint="WeasyPrint dropped footnotes: keep footnote-policy on .tei-note-body in print.css")
    return PdfReport(job.target, printed.pages, sum(d.notes for d in docs), printed.passes,
                     time.perf_counter() - start)


def pdf_jobs(config: Config, out_dir: Path, ids: list[str] | None = None, book: bool = True,
             pdfa: bool = True) -> list[PdfJob]:
    """The PDFs of the edition, largest first (so a pool of workers finishes together)."""
    known = {d.id for d in all_documents(config)}
    unknown = sorted(set(ids or ()) - known)
    if unknown:
        raise EditionError(f"unknown document id(s): {', '.join(unknown)}",
                           hint=f"edition.toml lists {', '.join(sorted(known))}")
    chosen = [d for d in all_documents(config) if d.tei_path.exists() and (ids is None or d.id in ids)]
    if not chosen:
        raise EditionError("no documents to print", hint="import documents first (edition import)")
    twin = (lambda p: out_dir / "pdfa" / p.name) if pdfa else (lambda p: None)
    jobs = [PdfJob(config.root, "document", (d.id,), d.pdf_path(out_dir), twin(d.pdf_path(out_dir)))
            for d in sorted(chosen, key=lambda d: -d.tei_path.stat().st_size)]
    if book:
        target = out_dir / "edition.pdf"
        jobs.insert(0, PdfJob(config.root, "book", tuple(d.id for d in chosen), target, twin(target)))
    return jobs


def build_pdf(config: Config, out_dir: Path | None = None, ids: list[str] | None = None, book: bool = True,
              pdfa: bool = True, jobs: int | None = None,
              log: Callable[[str], None] = lambda msg: None) -> list[PdfReport]:
    """The pdf stage: one PDF per document whose TEI exists and the edition as one book, each with a
    PDF/A-3u twin in pdfa/, made on every core (one PDF per worker process)."""
    from ..pdfcache import run_cached
    out_dir = out_dir or config.build_dir / "pdf"
    fonts.faces()  # fail early, naming the font package, if a font file is missing
    # PDFs whose inputs have not changed come from .cache/build/pdf; the others are made on every core
    reports = run_cached(run_job, pdf_jobs(config, out_dir, ids, book, pdfa), config, jobs, prepare=with_prepared)
    for report in reports:
        log(report.summary())
    return reports
