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
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from . import apparatus, i18n, register as register_mod
from .config import Config
from .corpus import Document, documents, register_sources
from .exports import write_exports
from .exports.bibliography import write_bibliography_exports
from .html.stage import DocumentBuild, render_documents
from .i18n import Strings
from .parallel import in_background
from .paths import FONT_CACHE
from .print.stage import PdfReport, build_pdf
from .register import Register
from .site import apparatus as apparatus_pages, producers
from .site.fonts import install_fonts
from .site.images import copy_images
from .site.markdown import to_html
from .site.search import index_site, search_language
from .site.shell import Site
from .staging import build_lock, staged_outputs, staged_pdfs
from .validate.gate import require_valid

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


def build(cfg: Config, *, search: bool = True, out: Path | None = None, log: Log = lambda msg: None,
          jobs: int | None = None, cache: bool = True, interface: str | None = None, pdf: bool = True,
          wait: bool = True) -> BuildResult:
    """The site into `out` (default build/site) and, unless `out` is given or `pdf` is false, the print
    edition into build/pdf; under the project's build lock (waiting for another build, or failing at once
    when `wait` is false), after the validation gate."""
    with build_lock(cfg.root, wait=wait, log=log):
        require_valid(cfg, None, "nothing built, the previous site and PDFs are kept")  # invalid TEI is not published
        return _build(cfg, search=search, out=out, log=log, jobs=jobs, cache=cache, interface=interface, pdf=pdf)


def _build(cfg: Config, *, search: bool, out: Path | None, log: Log, jobs: int | None, cache: bool,
           interface: str | None, pdf: bool) -> BuildResult:
    start = time.perf_counter()
    site_dir = out or cfg.build_dir / "site"
    with_pdf = pdf and out is None                                  # (a site built elsewhere gets no PDFs)
    strings = i18n.load(interface or i18n.interface_language(cfg))  # interface strings, one place
    present, missing = available_documents(cfg)                     # TEI files there, and those not yet
    register = register_mod.load(register_sources(cfg))               # persons, organisations, places (may be empty)
    builds = render_documents(cfg, present, strings, register,      # XSLT once per document → facts, fragment,
                              jobs=jobs, cache=cache, log=log)      # mentions, plain text (changed ones only)
    guidelines = encoding_guidelines(cfg)                           # from the schema's ODD, when available
    with staged_outputs(cfg.build_dir, out, pdf=with_pdf) as (tmp, pdf_dir):  # site and PDFs swapped in as one
        if with_pdf and builds:
            build_pdf(cfg, builds, strings, register, pdf_dir,      # print edition, before the downloads page
                      jobs=jobs, cache=cache, log=log)
        elif with_pdf:                                              # a new edition (edition init): a site first
            log("print: no documents yet, no PDF (edition add FILE or edition import ID)")
        site = write_site(cfg, tmp, builds, strings, register, missing, pdf_dir, guidelines, search, log)
        write_bibliography_exports(cfg, tmp / "data" / "bibliography")   # CSL-JSON, BibTeX, RIS (in SHA256SUMS)
        by_id = {b.id: b for b in builds}
        log(write_exports(cfg, tmp, [b.doc for b in builds],        # TEI, corpus, texts, register data, DTS, id/
                          lambda doc_id: plain_text(by_id[doc_id]), cache=cache).summary())
    return BuildResult(site_dir, [b.id for b in builds], missing, sum(site.page_counts.values()), len(register),
                       site.dated, time.perf_counter() - start)


@dataclass
class WrittenSite:
    page_counts: dict[str, int]
    dated: int


def plain_text(build: DocumentBuild) -> bytes:
    """A document's plain text, loaded for the moment it is written (the exports publish it too)."""
    text = build.text_and_member()[0].encode("utf-8")
    build.release()
    return text


def write_site(cfg: Config, out: Path, builds: list[DocumentBuild], strings: Strings, register: Register,
               missing: list[str], pdf_dir: Path, guidelines: str | None, search: bool, log: Log) -> WrittenSite:
    """The site stage: every page of the site into `out`, and the search index over its reading pages."""
    fonts = install_fonts(FONT_CACHE, out / "assets")               # the reading face, when installed
    site = Site(out, cfg, strings, [b.doc for b in builds], has_guidelines=guidelines is not None, has_fonts=fonts)
    texts = editors_texts(cfg, strings, register, [b.id for b in builds])   # introductions, About
    abbreviations = apparatus.abbreviations(cfg)                     # (a body's popover shows its abbreviation)
    by_entry = {a.register: a for a in abbreviations if a.register}
    anchors = {b.id: producers.write_reading_pages(site, b, register, texts.get(f"{b.id}-intro"), by_entry)
               for b in builds}                                     # reading pages, each introduction on the first
    copy_images(site, builds)                                       # page images and pictures beside the TEI
    languages = [b.facts.lang for b in builds]
    indexing = (in_background(index_site, out, search_language(languages), [b.id for b in builds])  # Pagefind
                if search else None)                                # over the reading pages, meanwhile the rest
    try:
        producers.write_register(site, builds, register, anchors)   # register index and one page per entry
        dated = apparatus_pages.write_chronology(site, builds, anchors,  # events, then the other dated
                                                 apparatus.events(cfg), register)   # passages, with sentences
        has_about = apparatus_pages.write_about(site, texts.get("about"))  # About, editorial principles
        apparatus_pages.write_bibliography(site, apparatus.bibliography(cfg, list(texts.values())), builds)
        apparatus_pages.write_abbreviations(site, abbreviations, register)
        producers.write_home(site, builds, missing, texts.get("introduction"), has_about,  # introduction,
                             frozenset(b.id for b in builds if f"{b.id}-intro" in texts))  # documents, citing
        sizes = producers.write_texts(site, builds)                 # the plain texts and their ZIP
        producers.write_downloads(site, builds, pdf_dir, register, sizes)  # TEI, texts, PDFs (when built)
        producers.write_search(site, builds)                        # the search page
        if guidelines is not None:
            producers.write_guidelines(site, guidelines)            # encoding guidelines
        producers.copy_assets(site)                                 # CSS, scripts
    except BaseException:
        if indexing is not None:
            indexing.exception()                                    # Pagefind must finish before out is removed
        raise
    if indexing is not None:
        log(indexing.result())
    return WrittenSite(dict(site.page_counts), dated)


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
        strings = i18n.load(i18n.interface_language(cfg))
        present, _ = available_documents(cfg)
        register = register_mod.load(register_sources(cfg))
        builds = render_documents(cfg, present, strings, register, jobs=jobs, log=log)
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
