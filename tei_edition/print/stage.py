"""The print stage: build/pdf/<id>.pdf per document and build/pdf/edition.pdf, the whole edition as a book,
each tagged (PDF/UA-1) and also as a PDF/A-3a file with its TEI attached (build/pdf/pdfa/).

The documents come from the html stage (their facts and fragments: the XSLT has run once, for the site
and the print edition alike); this stage prepares each for print once, here, and lays the PDFs out on
every core (one PDF per worker process: a worker only lays out, so none starts Saxon). A PDF whose inputs
have not changed is copied from the cache instead (print/cache.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from .. import apparatus
from ..config import Config
from ..diagnostics import EditionError
from ..html.stage import DocumentBuild
from ..i18n import Strings
from ..parallel import Engine, process_pool
from ..register import Register
from ..paths import build_cache
from . import book, fonts, parts
from .cache import run_cached
from .check import missing_notes


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
    kind: str                 # "document" | "book"
    ids: tuple[str, ...]
    target: Path
    pdfa_target: Path | None
    shell: book.Shell
    docs: tuple[book.PrintDoc, ...] = ()   # its documents prepared for print (filled for the jobs that run)


def run_job(job: PdfJob) -> PdfReport:
    """Make one PDF (and its PDF/A twin), then check that no note was lost on the way. The edition's book
    is laid out in parts on every core and joined (print/parts.py); a document's booklet in one piece."""
    start = time.perf_counter()
    attachment_text = str(job.shell.ui_print["pdfa_attachment"])
    rights = " ".join(job.shell.config.licence_text.split())          # the book's XMP dc:rights
    printed: book.Printed | parts.PrintedBook
    if job.kind == "book" or len(parts.pieces_of(job.docs[0])) > 1:   # (a long document's booklet too)
        layout_file = parts.LAYOUT_FILE if job.kind == "book" else f"{job.ids[0]}-{parts.LAYOUT_FILE}"
        printed = parts.typeset(list(job.docs), job.shell, known=build_cache(job.shell.config.root, "pdf")
                                / layout_file, attachment_text=attachment_text,
                                rights=rights if job.kind == "book" else job.docs[0].rights, kind=job.kind)
        parts.write(printed, job.target, job.pdfa_target)
    else:
        printed = book.typeset(job.kind, list(job.docs), job.shell)
        book.write(printed, job.target, job.pdfa_target, attachment_text, rights)
    lost = missing_notes(printed.html, job.target)
    if lost:
        raise EditionError(f"{job.target}: {len(lost)} note(s) missing from the PDF text, e.g. {lost[0][:60]!r}",
                           hint="WeasyPrint dropped footnotes: keep footnote-policy on the note bodies in print.css")
    return PdfReport(job.target, printed.pages, sum(d.notes for d in job.docs), printed.passes,
                     time.perf_counter() - start)


def run_apart(job: PdfJob) -> PdfReport:
    """run_job in a process of its own, ended when the PDF is written: what laying out in parts and joining
    grew (the join's heap, ~300 MB for the book) is given back before the next PDF, not kept by the build's
    process."""
    with process_pool(1) as pool:
        return pool.submit(run_job, job).result()


def pdf_jobs(builds: list[DocumentBuild], out_dir: Path, shell: book.Shell, ids: list[str] | None = None,
             with_book: bool = True, pdfa: bool = True) -> list[PdfJob]:
    """The PDFs of the edition, largest first (so a pool of workers finishes together). The book is the whole
    edition: it is made only when every document is asked for, so `edition pdf d001` never writes a
    "book" of d001 alone over edition.pdf (a command for some documents never replaces the output of all)."""
    known = {b.id for b in builds}
    unknown = sorted(set(ids or ()) - known)
    if unknown:
        raise EditionError(f"unknown document id(s): {', '.join(unknown)}",
                           hint=f"edition.toml lists {', '.join(sorted(known))} (with a TEI file)")
    chosen = [b.doc for b in builds if ids is None or b.id in ids]
    if not chosen:
        raise EditionError("no documents to print", hint="import documents first (edition import)")

    def twin(p: Path) -> Path | None:
        return out_dir / "pdfa" / p.name if pdfa else None

    jobs = [PdfJob("document", (d.id,), d.pdf_path(out_dir), twin(d.pdf_path(out_dir)), shell)
            for d in sorted(chosen, key=lambda d: -d.tei_path.stat().st_size)]
    if with_book and len(chosen) == len(builds):
        target = out_dir / "edition.pdf"
        jobs.insert(0, PdfJob("book", tuple(d.id for d in chosen), target, twin(target), shell))
    return jobs


def with_prepared(jobs: list[PdfJob], builds: list[DocumentBuild], strings: Strings, config: Config,
                  prepared: dict[str, book.PrintDoc] | None = None) -> list[PdfJob]:
    """The jobs with their documents prepared for print here, each document once (the book and a booklet
    share it; `prepared`: those prepared by an earlier call, whose builds were let go), from the html stage's
    fragment."""
    by_id = {b.id: b for b in builds}
    prepared = {} if prepared is None else prepared
    for job in jobs:
        for i in job.ids:
            if i not in prepared:
                prepared[i] = book.prepare(by_id[i], strings, config)
                intro = job.shell.apparatus.intros.get(i)
                prepared[i].intro_html = intro.html if intro is not None else ""
                _check_fonts(prepared[i], config)
                by_id[i].release()
    return [replace(job, docs=tuple(prepared[i] for i in job.ids)) for job in jobs]


LONG_TEI = 1_500_000   # bytes of TEI: a document that may be long enough for its booklet to be laid out in parts


def _long(builds: list[DocumentBuild]) -> set[str]:
    """The documents whose booklets go with the book (laid out in parts when their text has parts of depth 1:
    run_job decides, from the text)."""
    return {b.id for b in builds if b.doc.tei_path.is_file() and b.doc.tei_path.stat().st_size > LONG_TEI}


def _check_fonts(doc: book.PrintDoc, config: Config) -> None:
    """A document with characters no font draws stops here, before layout, with its TEI file and the first
    such character's line and column (fonts.check_document)."""
    html = "".join((doc.title_html, doc.source_html, doc.principles_html, doc.processing_html, doc.intro_html,
                    doc.text_html))
    shown = doc.tei_path.relative_to(config.root) if doc.tei_path.is_relative_to(config.root) else doc.tei_path
    fonts.check_document(doc.tei_path, html, config.fonts, str(shown))


def build_pdf(config: Config, builds: list[DocumentBuild], strings: Strings, register: Register, out_dir: Path,
              ids: list[str] | None = None, with_book: bool = True, pdfa: bool = True, jobs: int | None = None,
              cache: bool = True, log: Callable[[str], None] = lambda msg: None, engine: Engine | None = None,
              ) -> list[PdfReport]:
    """The print stage: one PDF per document of `builds` (or of `ids`) and the edition as one book, each with
    a PDF/A-3a twin in pdfa/, made on every core (one PDF per worker process)."""
    fonts.faces()  # fail early, naming the font package, if a font file is missing
    dated = [d for b in builds for d in b.index.dates]      # (the chronology: events and the other dated passages)
    shell = book.Shell(config, strings, register, book.build_date(),   # with the editors' apparatus
                       apparatus.for_print(config, strings, frozenset(register), [b.id for b in builds], dated))
    todo = pdf_jobs(builds, out_dir, shell, ids, with_book, pdfa)
    # PDFs whose inputs have not changed come from .cache/build/pdf; the others are made on every core: the
    # book and the booklets of long documents one after another from this process, each laid out in parts on
    # every core (print/parts.py: so that no two of them hold their pages at once), each in a process of its
    # own, then the others on the pool
    in_parts = [j for j in todo if j.kind == "book" or j.ids[0] in _long(builds)]
    rest = [j for j in todo if j not in in_parts]

    ready: dict[str, book.PrintDoc] = {}

    def prepare(missed: list[PdfJob]) -> list[PdfJob]:
        return with_prepared(missed, builds, strings, config, ready)

    made = dict(zip(map(id, in_parts), run_cached(run_apart, in_parts, config, [b.doc for b in builds], 1,
                                                  cache=cache, prepare=prepare)))
    made.update(zip(map(id, rest), run_cached(run_job, rest, config, [b.doc for b in builds], jobs, cache=cache,
                                              prepare=prepare, engine=engine)))
    reports = [made[id(j)] for j in todo]
    for report in reports:
        log(report.summary())
    return reports
