"""`build()`: the whole edition, one stage per line: validation gate → html → print → site → exports.

Under the project's build lock (one build at a time, staging.py), every document is validated first
(validate/gate.py: an invalid document is never published), then goes through the XSLT once (the html
stage: its facts, fragment, mentions and plain text), and the fragments feed the print edition (build/pdf)
and the site (build/site), then the exports. The site and the PDFs are written into a new build/ beside the
current one and swapped in together, in one step, only when every stage has succeeded, so a failed or killed
build leaves the previous output intact (staging.py).
`build_print()` is the print stage alone (`edition pdf`), through the same gate, lock and html stage.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from . import apparatus, i18n, register as register_mod
from .cache import Cache, code_version, digest, file_digest
from .config import Config
from .corpus import Document, documents, register_sources
from .diagnostics import EditionError
from .exports import write_exports
from .exports.parts import EarlyParts
from .exports import bibliography as bibliography_exports_mod
from .exports.source_citation import write_document_citations
from .html import stage as html_stage
from .html.stage import DocumentBuild, render_documents
from .i18n import Strings
from .parallel import Engine, in_background, release_memory
from . import outputs
from .paths import FONT_CACHE, PACKAGE, TEMPLATES, XSLT_DIR, build_cache
from .register import Register
from .site import apparatus as apparatus_pages, producers
from .site.fonts import install_fonts, web_fonts
from .site.images import copy_images
from .site.markdown import to_html
from .site.search import index_site, search_language
from .site.shell import Site, placeholder_address
from .staging import build_lock, staged_outputs, staged_pdfs
from .validate.gate import gate_problem, require_valid

if TYPE_CHECKING:                     # the print stage (WeasyPrint: ~1 s to import) is loaded when PDFs are made
    from .print.stage import PdfReport

Log = Callable[[str], None]


@dataclass
class BuildResult:
    site: Path
    documents: list[str]
    missing: list[str]
    pages: int
    register_entries: int
    dated_mentions: int
    seconds: float
    stages: dict[str, float] = field(default_factory=dict)   # seconds per step of the build (the benchmark's)


def build(cfg: Config, *, search: bool = True, out: Path | None = None, log: Log = lambda msg: None,
          jobs: int | None = None, cache: bool = True, interface: str | None = None, pdf: bool = True,
          wait: bool = True, scheduler: str | None = None) -> BuildResult:
    """The site into `out` (default build/site) and, unless `out` is given or `pdf` is false, the print
    edition into build/pdf; under the project's build lock (waiting for another build, or failing at once
    when `wait` is false), after the validation gate. The per-document work (XSLT, exports parts) runs on
    a pool of `jobs` local processes, or on the Dask cluster whose scheduler is at `scheduler` (default:
    edition.toml's [build] scheduler); the output is the same byte for byte."""
    with build_lock(cfg.root, wait=wait, log=log):
        start = time.perf_counter()
        # A large edited document's export part is made on a process of its own (EarlyParts) beside the XSLT
        # and the pages, after the validation gate, which then runs there too, beside the XSLT: nothing is
        # written before it has passed (`_build`). Invalid TEI is not published. The process starts before
        # the check of the last build's inputs (the TEI files it hashes are hashed once: cache.file_digest),
        # which then runs beside its start.
        with EarlyParts(cfg, available_documents(cfg)[0], jobs=jobs, scheduler=scheduler or cfg.scheduler,
                        cache=cache, first=(gate_problem, (cfg, NOT_BUILT))) as early:
            stamp = LastBuild(cfg, out, search=search, pdf=pdf, interface=interface) if cache else None
            previous = stamp.unchanged() if stamp is not None else None
            if previous is not None:    # every input as the last build read it, its output in place
                log("nothing changed since the last build (TEI, register, settings, templates, code): output kept")
                html_stage.last_run = html_stage.RenderRun([], list(previous.documents))
                return replace(previous, seconds=time.perf_counter() - start, stages={})
            if not early.runs_first:
                require_valid(cfg, None, NOT_BUILT)
            with Engine(jobs, scheduler or cfg.scheduler) as engine:   # one pool (or cluster) for every stage
                result = _build(cfg, search=search, out=out, log=log, jobs=jobs, cache=cache,
                                interface=interface, pdf=pdf, engine=engine, early=early)
        if stamp is not None:
            stamp.record(result)
        return result


class LastBuild:
    """What the last build of this output read (the hash of every input file, settings and library versions)
    and what it reported, in `.cache/build/last-build/`: a build whose inputs all hash the same, with its
    output still in place, has nothing to do (0.1 s instead of validating and reading every cache entry).
    The inputs: the project's tei/ (documents, register, front matter, corpus header, schema), sources/,
    edition.toml and docs/, the toolkit's code, XSLT and templates, the font files, the libraries' versions,
    the day the PDFs print, and the build's options."""

    def __init__(self, cfg: Config, out: Path | None, *, search: bool, pdf: bool, interface: str | None) -> None:
        self.outputs = [out] if out is not None else [cfg.build_dir / "site"] + ([cfg.build_dir / "pdf"] if pdf else [])
        self.store = Cache(build_cache(cfg.root, "last-build"))
        self.name = digest(str((out or cfg.build_dir).resolve()))[:16]
        folders = [cfg.root / "tei", cfg.root / "sources", cfg.root / "docs", PACKAGE, XSLT_DIR, TEMPLATES]
        files = [cfg.root / "edition.toml", *(p for f in folders if f.is_dir() for p in f.rglob("*")
                                              if p.is_file() and "__pycache__" not in p.parts)]
        # the reading face's files, not the subsets the build keeps of them (FONT_CACHE): the first build on a
        # machine makes those, which changed the key and so rebuilt the next build once with nothing changed
        stats = [f"{p}:{p.stat().st_size}:{p.stat().st_mtime_ns}" if p.is_file() else f"{p}:-" for p in web_fonts()]
        self.key = digest(*(f"{p}\0" for p in sorted(files)), *(file_digest(p) for p in sorted(files)), *stats,
                          repr((search, pdf, out is None, interface, i18n.interface_language(cfg))),
                          _versions(), *(_print_inputs() if out is None and pdf else ()), cfg.scheduler)

    def unchanged(self) -> BuildResult | None:
        if not all(folder.is_dir() for folder in self.outputs):
            return None
        hit = self.store.get(self.name, self.key)
        return hit if isinstance(hit, BuildResult) else None

    def record(self, result: BuildResult) -> None:
        self.store.put(self.name, self.key, result)


def _print_inputs() -> tuple[str, str]:
    """What else the PDFs depend on: the day they print and the font files (not the site: an HTML-only build
    does not load the print stage)."""
    from .print.book import build_date
    from .print.cache import fonts_key
    return build_date(), fonts_key()


def _versions() -> str:
    from importlib.metadata import version
    return " ".join(f"{name} {version(name)}" for name in ("saxonche", "lxml", "weasyprint", "jinja2", "pagefind", "pybtex"))


def _build(cfg: Config, *, search: bool, out: Path | None, log: Log, jobs: int | None, cache: bool,
           interface: str | None, pdf: bool, engine: Engine | None = None,
           early: EarlyParts | None = None) -> BuildResult:
    if engine is None:                                              # (called without the lock, by tests)
        with Engine(jobs, cfg.scheduler) as own:
            return _build(cfg, search=search, out=out, log=log, jobs=jobs, cache=cache, interface=interface,
                          pdf=pdf, engine=own, early=early)
    start = time.perf_counter()
    stages = Stopwatch()
    site_dir = out or cfg.build_dir / "site"
    with_pdf = pdf and out is None                                  # (a site built elsewhere gets no PDFs)
    try:
        strings = i18n.load(interface or i18n.interface_language(cfg))  # interface strings, one place
        present, missing = available_documents(cfg)                 # TEI files there, and those not yet
        register = register_mod.load_cached(register_sources(cfg),  # persons, organisations, places (may be
                                            Cache(build_cache(cfg.root, "pages"), enabled=cache))   # empty)
        builds = render_documents(cfg, present, strings, register,  # XSLT once per document → facts, fragment,
                                  cache=cache, log=log, engine=engine)   # mentions, plain text (changed ones)
        guidelines = encoding_guidelines(cfg)                       # from the schema's ODD, when available (read
    except BaseException:                                           # while the gate may still be running: it
        passed(cfg, early)                                          # writes nothing); invalid TEI: the gate's
        raise                                                       # error, not the XSLT's
    passed(cfg, early)                                              # (the gate, when it ran beside the XSLT)
    stages.lap("html stage (XSLT, facts, mentions)")
    engine.restart()           # the next stages' workers start without Saxon's memory (idle ones kept it beside
                               # Pagefind and the pages: ~250 MB each at 10×); no pool ran: nothing to do
    with staged_outputs(cfg.build_dir, out, pdf=with_pdf) as (tmp, pdf_dir):  # site and PDFs swapped in as one
        if with_pdf and builds:
            from .print.stage import build_pdf
            build_pdf(cfg, builds, strings, register, pdf_dir,      # print edition, before the downloads page
                      jobs=jobs, cache=cache, log=log,              # (on this machine's pool: WeasyPrint is not
                      engine=None if engine.scheduler else engine)  # made for a cluster worker's threads)
            stages.lap("print stage (PDFs, book)")
        elif with_pdf:                                              # a new edition (edition init): a site first
            log("print: no documents yet, no PDF (edition add FILE or edition import ID)")
        site = write_site(cfg, tmp, builds, strings, register, missing, pdf_dir, guidelines, search, log, stages)
        for b in builds:                                            # every page that reads the mentions is
            b.forget_index()                                        # written: the exports need none of them
        release_memory()                                            # (their pages back to the system)
        engine.restart()                                            # the exports' workers start without
                                                                    # WeasyPrint's memory (the PDFs' pool)
        bibliography_exports(cfg, tmp / "data" / "bibliography", cache)   # CSL-JSON, BibTeX, RIS (in SHA256SUMS)
        write_document_citations(cfg, [b.doc.with_facts(b.facts) for b in builds], tmp / "data" / "citations", cache)
        try:
            by_id = {b.id: b for b in builds}
            log(write_exports(cfg, tmp, [b.doc for b in builds],    # TEI, corpus, texts, register data, DTS, id/
                              lambda doc_id: plain_text(by_id[doc_id]), cache=cache, engine=engine,
                              early=early).summary())
            site.write_downloads()                                  # with the sizes of the files now written
            stages.lap("exports (beside Pagefind)")
        finally:
            if site.indexing is not None:                           # Pagefind has indexed meanwhile; it must
                log(site.indexing.result())                         # finish before the site is swapped in or removed
                stages.lap("Pagefind, waited for after the exports")
    return BuildResult(site_dir, [b.id for b in builds], missing, sum(site.page_counts.values()), len(register),
                       site.dated, time.perf_counter() - start, stages.seconds)


NOT_BUILT = "nothing built, the previous site and PDFs are kept"


def passed(cfg: Config, early: EarlyParts | None) -> None:
    """Raise the validation gate's refusal when it ran on `early`'s process (waiting for it; run here when
    that process failed)."""
    if early is not None and early.runs_first:
        try:
            problem = early.first_result()
        except Exception:                         # (the process died: the gate runs here)
            problem = gate_problem(cfg, NOT_BUILT)
        if isinstance(problem, tuple):
            raise EditionError(problem[0], hint=problem[1])


def bibliography_exports(cfg: Config, folder: Path, cache: bool = True) -> None:
    """The bibliography as CSL-JSON, BibTeX and RIS (exports/bibliography.py) into folder; from the build
    cache when the bibliography and the code are those of the last build (pybtex's BibTeX alone costs
    ~0.3 s, a third of a one-document rebuild), linked from the previous site when unchanged."""
    source = bibliography_exports_mod.bibliography_path(cfg)
    if not source.is_file():
        return
    store = Cache(build_cache(cfg.root, "pages"), enabled=cache)
    key = digest(source.read_bytes(), code_version("exports/bibliography.py"), _versions())
    texts = store.get("bibliography-exports", key)
    if not (isinstance(texts, tuple) and len(texts) == len(bibliography_exports_mod.FILES)):
        with tempfile.TemporaryDirectory() as made:
            paths = bibliography_exports_mod.write_bibliography_exports(cfg, Path(made))
            texts = tuple(path.read_bytes() for path in paths)
        store.put("bibliography-exports", key, texts)
    for name, blob in zip(bibliography_exports_mod.FILES, texts):
        outputs.write_bytes(folder / name, blob)


class Stopwatch:
    """The seconds of each step of the build, one after the other."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, step: str) -> None:
        now = time.perf_counter()
        self.seconds[step] = self.seconds.get(step, 0.0) + now - self._last
        self._last = now


@dataclass
class WrittenSite:
    page_counts: dict[str, int]
    dated: int
    indexing: Future[str] | None     # Pagefind, still indexing the reading pages (wait with .result())
    write_downloads: Callable[[], None]   # the downloads page, once the exports it lists are written


def plain_text(build: DocumentBuild) -> bytes:
    """A document's plain text, loaded for the moment it is written (the exports publish it too)."""
    text = build.text_and_member()[0].encode("utf-8")
    build.release()
    return text


def write_site(cfg: Config, out: Path, builds: list[DocumentBuild], strings: Strings, register: Register,
               missing: list[str], pdf_dir: Path, guidelines: str | None, search: bool, log: Log,
               stages: Stopwatch | None = None) -> WrittenSite:
    """The site stage: every page of the site into `out`, and the search index over its reading pages,
    still being made when this returns (WrittenSite.indexing: the caller waits for it)."""
    stages = stages or Stopwatch()
    if (host := placeholder_address(cfg.base_url)) is not None:     # citations would point to nowhere: say so once
        log(f"warning: edition.toml: base_url {cfg.base_url!r} is a placeholder ({host}); citations, canonical "
            f"links and metadata name it until the edition's real address is set there")
    fonts = install_fonts(FONT_CACHE, out / "assets")               # the reading face, when installed
    site = Site(out, cfg, strings, [b.doc for b in builds], has_guidelines=guidelines is not None, has_fonts=fonts,
                pdfs=frozenset(b.id for b in builds if b.doc.pdf_path(pdf_dir).is_file()))   # citation_pdf_url
    texts = editors_texts(cfg, strings, register, [b.id for b in builds])   # introductions, About
    abbreviations = apparatus.abbreviations(cfg)                     # (a body's popover shows its abbreviation)
    by_entry = {a.register: a for a in abbreviations if a.register} | {a.id: a for a in abbreviations}
    anchors = producers.write_documents_pages(site, builds, register, texts, by_entry)   # reading pages, each
                                                                    # introduction on the first
    copy_images(site, builds)                                       # page images and pictures beside the TEI
    outputs.discard_unwritten([out / b.id for b in builds])         # (pages the spare tree had: not for Pagefind)
    stages.lap("reading pages")
    languages = [b.facts.lang for b in builds]
    indexing = (in_background(index_site, out, search_language(languages), [b.id for b in builds])  # Pagefind
                if search else None)                                # over the reading pages, meanwhile the rest
    try:
        producers.write_register(site, builds, register, anchors)   # register index and one page per entry
        stages.lap("register pages")
        dated = apparatus_pages.write_chronology(site, builds, anchors,  # events, then the other dated
                                                 apparatus.events(cfg), register)   # passages, with sentences
        has_about = apparatus_pages.write_about(site, texts.get("about"))  # About, editorial principles
        apparatus_pages.write_bibliography(site, apparatus.bibliography(cfg, list(texts.values())), builds, register)
        apparatus_pages.write_abbreviations(site, abbreviations, register)
        producers.write_home(site, builds, missing, texts.get("introduction"), has_about,  # introduction,
                             frozenset(b.id for b in builds if f"{b.id}-intro" in texts))  # documents, citing
        sizes = producers.write_texts(site, builds)                 # the plain texts and their ZIP
        def downloads() -> None:                                    # TEI, texts, PDFs (when built): the page
            producers.write_downloads(site, builds, pdf_dir, register, sizes)   # after the exports (their sizes)
        producers.write_search(site, builds)                        # the search page
        if guidelines is not None:
            producers.write_guidelines(site, guidelines)            # encoding guidelines
        producers.copy_assets(site)                                 # CSS, scripts
        stages.lap("other pages (chronology, home, texts, downloads)")
    except BaseException:
        if indexing is not None:
            indexing.exception()                                    # Pagefind must finish before out is removed
        raise
    return WrittenSite(dict(site.page_counts), dated, indexing, downloads)


def editors_texts(cfg: Config, strings: Strings, register: Register, doc_ids: list[str],
                  ) -> dict[str, apparatus.EditorsText]:
    """The editors' texts the site shows, by name: the introduction (home page), About (its page), and each
    document's introduction (its first reading page); those whose file exists."""
    ids = frozenset(register)
    texts = {"introduction": apparatus.render_front(cfg, strings, ids, "introduction", "", first_heading=2),
             "about": apparatus.render_front(cfg, strings, ids, "about", "", first_heading=2)}
    texts |= {f"{d}-intro": apparatus.render_front(cfg, strings, ids, f"{d}-intro", "../", first_heading=2)
              for d in doc_ids}
    return {name: t for name, t in texts.items() if t is not None}


def build_print(cfg: Config, ids: list[str] | None = None, *, out: Path | None = None, with_book: bool = True,
                pdfa: bool = True, jobs: int | None = None, wait: bool = True, log: Log = lambda msg: None,
                ) -> list[PdfReport]:
    """The print edition alone (`edition pdf`): the PDFs of `ids` (default all) and the book into `out`
    (default build/pdf), through the gate, under the lock; the other PDFs kept when only some are asked for."""
    target = out or cfg.build_dir / "pdf"
    with build_lock(cfg.root, wait=wait, log=log):
        require_valid(cfg, None, "no PDF made, the previous PDFs are kept")   # as build(): invalid TEI is not printed
        shutil.rmtree(build_cache(cfg.root, "last-build"), ignore_errors=True)   # build/pdf is this command's now
        strings = i18n.load(i18n.interface_language(cfg))
        present, _ = available_documents(cfg)
        register = register_mod.load(register_sources(cfg))
        builds = render_documents(cfg, present, strings, register, jobs=jobs, log=log)
        from .print.stage import build_pdf
        with staged_pdfs(cfg.build_dir, out, keep=bool(ids) or not with_book or not pdfa) as tmp:  # a partial run keeps the rest
            reports = build_pdf(cfg, builds, strings, register, tmp, ids, with_book=with_book, pdfa=pdfa, jobs=jobs,
                                log=log)
    return [replace(r, path=target / r.path.relative_to(tmp)) for r in reports]   # where they are now


def available_documents(cfg: Config) -> tuple[list[Document], list[str]]:
    """The documents of edition.toml whose TEI exists, and the ids of those still missing."""
    docs = documents(cfg)
    return [d for d in docs if d.tei_path.is_file()], [d.id for d in docs if not d.tei_path.is_file()]


def encoding_guidelines(cfg: Config) -> str | None:
    """The encoding guidelines as HTML, from the Markdown `edition schema` generates from the ODD."""
    path = cfg.root / "docs" / "encoding-guidelines.md"
    if not path.is_file():
        return None
    body = re.sub(r"^# .*$", "", path.read_text(encoding="utf-8"), count=1, flags=re.M)  # the page has its h1
    return to_html(body)
