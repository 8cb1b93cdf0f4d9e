"""One HTML file laid out by WeasyPrint (with the project's patches, fonts and local-only fetcher), and a
laid-out document written as a tagged PDF (PDF/UA-1) and its PDF/A-3a twin: what a document's booklet, the
one-piece book and each part of the book laid out apart (print/parts.py) share.

The pages are painted and tagged once for both files (painting is a third of the time a book takes):
WeasyPrint builds the PDF/A-3a, which is written as it is, then loses its attachments, takes the PDF/UA-1
metadata in place of the PDF/A claim and is written again as the plain PDF.
"""

from __future__ import annotations

import datetime as dt
import gc
import io
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from typing import TYPE_CHECKING

import pydyf
from lxml import etree

from ..paths import PRINT_TEMPLATES as TEMPLATES
from . import fonts

if TYPE_CHECKING:
    from weasyprint import Attachment

# WeasyPrint (and the modules patching it) is imported where a page is laid out or written, not with this
# module: the process that only joins the book's parts (print/parts.py) never loads it (~40 MB)

# Both PDFs are tagged (a structure tree of headings, paragraphs, notes, links: what a screen reader reads).
# The plain PDF claims PDF/UA-1 (universal accessibility); its twin PDF/A-3a, the archival level that
# carries the TEI as attachments and requires the tags too (WeasyPrint writes one claim per file).
PDFA_VARIANT = "pdf/a-3a"
UA_VARIANT = "pdf/ua-1"


def lay_out(html: str, base_url: str | None, extra_fonts: tuple[Path, ...] = (), keep_context: bool = False):
    """The WeasyPrint document of one print shell (templates/print/, print.css); with `keep_context`, its
    layout context kept as `document.layout_context` (margins.set_folios makes the margin boxes again
    from it)."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from . import fetch, footnote_fix, hyphenation, speedups
    from .fetch import url_fetcher
    if not footnote_fix.apply():  # a note stays on the page of its call
        warnings.warn("this WeasyPrint may move a footnote to the page after its call (print/footnote_fix.py "
                      "found no rule to switch off); check the print edition's notes", stacklevel=2)
    if not hyphenation.apply():  # at most two hyphenated lines in a row
        warnings.warn("this WeasyPrint cannot be held to two hyphenated lines in a row (print/hyphenation.py "
                      "found nothing to wrap); check the print edition's hyphenation", stacklevel=2)
    speedups.apply()   # WeasyPrint's quadratic spots made linear, the same result (print/speedups.py)
    chars = set(html)
    _, nobody = fonts.fallback_plan(chars, extra_fonts)
    if nobody:   # each document was checked with its place in the TEI (check_fonts): this is the apparatus
        raise fonts.undrawable(html, nobody, "the print edition's apparatus")
    font_config = FontConfiguration()
    # local templates and fonts only: nothing from the text is fetched (print/fetch.py)
    fetcher = url_fetcher(fetch.allowed_roots() + extra_fonts)
    sheets = [CSS(string=fonts.font_face_css(chars, extra_fonts), font_config=font_config, url_fetcher=fetcher),
              CSS(filename=str(TEMPLATES / "print.css"), font_config=font_config, url_fetcher=fetcher)]
    if family := fonts.family_css(chars, extra_fonts):   # the fallback faces after the book's
        sheets.append(CSS(string=family, font_config=font_config, url_fetcher=fetcher))
    # relative links (a name's register entry) resolve against the document's web address
    with collector_spaced():
        page = HTML(string=html, base_url=base_url, url_fetcher=fetcher)
        if not keep_context:
            return page.render(stylesheets=sheets, font_config=font_config)
        kept: list = []
        with _context_kept(kept):
            document = page.render(stylesheets=sheets, font_config=font_config)
    document.layout_context = kept[-1]
    return document


YOUNG = 5_000   # allocations between two collections of the youngest generation while WeasyPrint works


@contextmanager
def collector_spaced() -> Iterator[None]:
    """Python's cyclic garbage collector run less often while WeasyPrint lays out or writes. Its objects
    (boxes, styles, the PDF's objects) live until the document is written, and every collection of the oldest
    generation walks all of them again: with the default threshold (700), laying out and writing d003's
    part (59 pages, 8–10 s CPU) made 10 full collections, 1.1–1.5 s, and 1.25–1.73 s in all collections;
    with 5,000, 3 full collections and 0.92–1.02 s in all, the same peak (312–319 MB against 316 MB).
    Spacing the full ones further (a third threshold of 1,000) kept cycles of garbage: +30–45 MB. The
    thresholds are restored afterwards."""
    old = gc.get_threshold()
    gc.set_threshold(max(old[0], YOUNG), *old[1:])
    try:
        yield
    finally:
        gc.set_threshold(*old)


@contextmanager
def _context_kept(kept: list) -> Iterator[None]:
    """The layout context WeasyPrint builds for a document (and lets go once the pages are made) appended to
    `kept`: what makes the pages' margin boxes (the page states, the running heads' strings)."""
    from weasyprint.document import Document
    build = Document.__dict__["_build_layout_context"]     # (a classmethod)

    def keep(cls, *args, **kwargs):
        context = build.__func__(cls, *args, **kwargs)
        kept.append(context)
        return context

    Document._build_layout_context = classmethod(keep)
    try:
        yield
    finally:
        Document._build_layout_context = build


@dataclass(frozen=True)
class Source:
    """A TEI file attached to a PDF/A: its name, the bytes offered (empty: the file as it is), the file."""
    name: str
    data: bytes
    path: Path


def attachments(sources: list[Source], text: str) -> list[Attachment]:
    from weasyprint import Attachment
    return [Attachment(file_obj=io.BytesIO(s.data), name=s.name, description=text, relationship="Source",
                       created=_file_time(s.path, "c"), modified=_file_time(s.path, "m"))
            if s.data else
            Attachment(filename=str(s.path), name=s.name, description=text, relationship="Source")
            for s in sources]


def write_twins(document, path: Path, pdfa_path: Path | None, files: list[Attachment], rights: str = "") -> None:
    """The PDF (tagged, PDF/UA-1), and its PDF/A-3a twin with `files` attached (relationship "Source"),
    painted and tagged once; `rights`: the XMP's dc:rights."""
    from weasyprint.pdf import pdfua

    from . import speedups
    path.parent.mkdir(parents=True, exist_ok=True)
    with_rights(document, rights)
    speedups.apply()
    if pdfa_path is None:
        with speedups.compressed_once(), collector_spaced():
            document.write_pdf(str(path), pdf_variant=UA_VARIANT)
        return
    pdfa_path.parent.mkdir(parents=True, exist_ok=True)

    def twin(document, pdf) -> None:  # WeasyPrint's finisher: the PDF is complete, not yet written
        _write_copy(pdf, pdfa_path)
        _detach(pdf)
        pdfua.pdfua(pdf, document, None, None, True, version=1)  # the UA claim replaces the PDF/A one

    with warnings.catch_warnings():
        # WeasyPrint 70 opens its sRGB output-intent profile without closing it (a ResourceWarning
        # when the file object is dropped, at once); nothing of ours leaks
        warnings.simplefilter("ignore", ResourceWarning)
        with speedups.compressed_once(), collector_spaced():
            document.write_pdf(str(path), pdf_variant=PDFA_VARIANT, attachments=files, finisher=twin)
        gc.collect()


def write_tagged(document, path: Path, rights: str = "") -> None:
    """The document as written for the PDF/A-3a twin but without attachments and with the PDF/UA-1 claim:
    the plain PDF of write_twins (a part of the book, joined by print/join.py). The garbage is left to the
    caller, who collects it once the document is let go (print/parts.py `_done`): a collection here, the
    document still alive, walked all its objects for nothing (0.28–0.31 s for d003's 59 pages)."""
    from weasyprint.pdf import pdfua

    from . import speedups
    path.parent.mkdir(parents=True, exist_ok=True)
    with_rights(document, rights)
    speedups.apply()

    def ua(document, pdf) -> None:
        pdfua.pdfua(pdf, document, None, None, True, version=1)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        with speedups.compressed_once(), collector_spaced():
            document.write_pdf(str(path), pdf_variant=PDFA_VARIANT, finisher=ua)


def _file_time(path: Path, which: str) -> dt.datetime:
    """The TEI file's ctime or mtime, the dates WeasyPrint gives an attachment read from a file (from bytes
    it would write the time of the build, and two builds would differ)."""
    stat = path.stat()
    return dt.datetime.fromtimestamp(stat.st_ctime if which == "c" else stat.st_mtime)


def with_rights(document, statement: str) -> None:
    """dc:rights in the PDF's XMP: the header's rights statement (a document), or the edition's (the book),
    so that the PDF says what its TEI says (WeasyPrint writes no dc:rights; its RDF gets one more
    Description, in the one rdf:RDF that XMP allows)."""
    if not statement:
        return
    meta = document.metadata
    generate = meta.generate_rdf_metadata

    def rights(*args, **kwargs) -> bytes:
        rdf = etree.fromstring(generate(*args, **kwargs))
        desc = etree.SubElement(rdf, f"{{{RDF}}}Description", {f"{{{RDF}}}about": ""},
                                nsmap={"dc": DC, "xmpRights": XMP_RIGHTS})
        alt = etree.SubElement(etree.SubElement(desc, f"{{{DC}}}rights"), f"{{{RDF}}}Alt")
        etree.SubElement(alt, f"{{{RDF}}}li", {"{http://www.w3.org/XML/1998/namespace}lang": "x-default"}).text = statement
        etree.SubElement(desc, f"{{{XMP_RIGHTS}}}Marked").text = "True"
        return etree.tostring(rdf, encoding="utf-8")

    meta.generate_rdf_metadata = rights


RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
DC = "http://purl.org/dc/elements/1.1/"
XMP_RIGHTS = "http://ns.adobe.com/xap/1.0/rights/"


def _write_copy(pdf, target: Path) -> None:
    """Write a pydyf PDF as write_pdf would for PDF/A-3a, and leave it writable again (pydyf's write
    appends the info, object stream and cross-reference objects, and counts the bytes it wrote)."""
    objects = len(pdf.objects)
    with open(target, "wb") as fd:
        pdf.write(fd, "1.7", True, True)
    del pdf.objects[objects:]
    pdf.current_position = 0


def _detach(pdf) -> None:
    """Remove the attached files: out of the catalog, and their objects blanked (object numbers stay)."""
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
