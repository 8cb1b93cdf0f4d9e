"""`build()`: the whole edition into build/site, one stage per line.

config → documents → register → XSLT → pages → mentions and dates → write pages → search index.
The site and the PDFs are written into a new build/ beside the current one and swapped in together, in
one step, only when every stage has succeeded, so a failed or killed build leaves the previous output
intact; one build at a time per project (`staging.py`: the lock, the swap, the clean-up of what a killed
build left).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .config import Config
from .corpus import Document, documents, register_paths
from .render import i18n, producers
from .render.documents import read_info
from .render.fonts import install_fonts
from .render.html import RenderOptions, render_file
from .render.markdown import to_html
from .render.pages import paginate
from .render.pdf import build_pdf
from .render.producers import DocumentBuild
from .render.register import Entry, index_document, load_register
from .render.search import index_site
from .render.site import Site
from .exports import write_exports
from .parallel import in_background
from .prerender import render_documents
from .staging import build_lock, staged_outputs


FONT_CACHE = i18n.TEMPLATES.parent / ".cache" / "fonts"  # subset fonts, kept between builds


@dataclass
class BuildResult:
    site: Path
    documents: list[str]
    missing: list[str]
    pages: int
    register_entries: int
    dated_mentions: int
    seconds: float


def build(cfg: Config, *, search: bool = True, out: Path | None = None,
          log: Callable[[str], None] = lambda msg: None, jobs: int | None = None,
          cache: bool = True, interface: str | None = None, pdf: bool = True, wait: bool = True) -> BuildResult:
    """The site into `out` (default build/site) and, unless `out` is given or `pdf` is false, the print
    edition into build/pdf; under the project's build lock (waiting for another build, or failing at once
    when `wait` is false)."""
    with build_lock(cfg.root, wait=wait, log=log):
        return _build(cfg, search=search, out=out, log=log, jobs=jobs, cache=cache, interface=interface, pdf=pdf)


def _build(cfg: Config, *, search: bool, out: Path | None, log: Callable[[str], None], jobs: int | None,
           cache: bool, interface: str | None, pdf: bool) -> BuildResult:
    start = time.perf_counter()
    site_dir = out or cfg.build_dir / "site"
    pdf_dir = cfg.build_dir / "pdf"
    with_pdf = pdf and out is None                                  # (a site built elsewhere gets no PDFs)
    strings = i18n.load(interface or interface_language(cfg))       # interface strings, one place
    present, missing = available_documents(cfg)                     # TEI files there, and those not yet
    register = load_register(register_paths(cfg))                   # persons, organisations, places (may be empty)
    docs = render_documents(cfg, present, strings, register,       # XSLT → fragment → pages, mentions, dates
                            jobs=jobs, cache=cache, log=log)        # (changed documents only, on every core)
    guidelines = encoding_guidelines(cfg)                           # from the schema's ODD, when available
    with staged_outputs(cfg.build_dir, out, pdf=with_pdf) as (tmp, pdf_dir):  # site and PDFs swapped in as one
        if with_pdf:
            build_pdf(cfg, pdf_dir, jobs=jobs, log=log)             # print edition, before downloads
        fonts = install_fonts(FONT_CACHE, tmp / "assets")           # the reading face, when installed
        site = Site(tmp, cfg, strings, has_guidelines=guidelines is not None, has_fonts=fonts)
        for doc in docs:
            producers.write_reading_pages(site, doc, register)      # reading pages of each document
        indexing = (in_background(index_site, tmp, "ru", [d.id for d in docs])  # Pagefind over the reading
                    if search else None)                            # pages, while the rest is written
        try:
            entries = producers.write_register(site, docs, register)  # register index and one page per entry
            dated = producers.write_chronology(site, docs)          # dated mentions by Gregorian date
            producers.write_home(site, docs, missing)               # edition, documents, principles, citing
            producers.write_downloads(site, docs, pdf_dir, register)  # TEI, plain text (and PDF when built)
            producers.write_search(site, docs)                      # the search page
            if guidelines is not None:
                producers.write_guidelines(site, guidelines)        # encoding guidelines
            producers.copy_assets(site)                             # CSS, scripts
            log(write_exports(cfg, tmp, cache=cache).summary())    # TEI, corpus, text, register data, DTS API, id/
        except BaseException:
            if indexing is not None:
                indexing.exception()                                # Pagefind must finish before tmp is removed
            raise
        if indexing is not None:
            log(indexing.result())
        pages = sum(d.info.pages for d in docs)                 # (the pages themselves were let go)
    return BuildResult(site_dir, [d.id for d in docs], missing, pages, entries, dated,
                       time.perf_counter() - start)


def interface_language(cfg: Config) -> str:
    """The language of the apparatus is the interface's, when its strings exist (else English)."""
    return cfg.apparatus_language if (i18n.TEMPLATES / "i18n" / f"{cfg.apparatus_language}.toml").is_file() else "en"


def available_documents(cfg: Config) -> tuple[list[Document], list[str]]:
    """The documents of edition.toml whose TEI exists, and the ids of those still missing."""
    docs = documents(cfg)
    return [d for d in docs if d.tei_path.is_file()], [d.id for d in docs if not d.tei_path.is_file()]


def render_document(cfg: Config, doc: Document, number: int, strings: i18n.Strings,
                    register: dict[str, Entry]) -> DocumentBuild:
    """One document through the XSLT (the fragment the print edition reuses), then into pages."""
    info = read_info(doc.id, number, doc.tei_path, strings.ui)
    options = RenderOptions(labels=strings.text, register_ids=frozenset(register),
                            apparatus_lang=cfg.apparatus_language)
    fragment = render_file(doc.tei_path, options)
    paginated = paginate(fragment, info.title)
    info.pages = len(paginated.pages)
    return DocumentBuild(info, fragment, paginated, index_document(doc.id, doc.tei_path))


def encoding_guidelines(cfg: Config) -> str | None:
    """The encoding guidelines as HTML, from the Markdown `edition schema` generates from the ODD."""
    path = cfg.root / "docs" / "encoding-guidelines.md"
    if not path.is_file():
        return None
    body = re.sub(r"^# .*$", "", path.read_text(encoding="utf-8"), count=1, flags=re.M)  # the page has its h1
    return to_html(body)
