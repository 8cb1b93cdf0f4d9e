"""The whole edition's book laid out in parts on every core and joined into one PDF (issue 19: the book one
process laid out held every laid-out page until written, 1.1 GB, and used one core).

Each part of the book opens on a recto: the front (title page, imprint, contents), the front matter (the
editors' introduction, about the edition, the sources: apart from the contents, which are laid out again
once every page is known, so that only the contents' few pages are), each document, each appendix
(chronology, abbreviations, bibliography, the encoding), the index. A part's layout depends on the
pages before it only through its first page number (its folios, in the margin) and through the numbers it
prints of pages elsewhere (the contents, the chronology's and the bibliography's references, the index): so
each part is laid out alone (print/layout.py) with those numbers given, in a worker process that writes it
as a tagged PDF and returns where each of its anchors landed, and print/join.py
joins the parts. A reference to another part is printed from `data-page` (print.css) and linked through
join.CROSS (WeasyPrint keeps an internal link only to an anchor of its own file).

The numbers come from the layout itself: a part is laid out (again) when the HTML it would be laid out from
now differs from the HTML it was laid out from, until none does. A part's first page does not change its
layout but for its folios (WeasyPrint numbers the pages after making them) and its side (a verso's margins
mirror a recto's): so a part is laid out as if it began on page 1, kept by its worker, and numbered and
written once the pages before it are known (`finish_part`, margins.set_folios: the margin boxes made
again, the page turned to the other side); a part that prints a number of its own pages (the front's
contents) is laid out from its first page. What is not yet known is guessed from the previous build's
layout (`.cache/build/pdf/book-layout.json`: each part's pages and where the anchors landed), so a book
whose layout did not change is laid out once, each part numbered as soon as it is laid out; a first build
lays out each part once (the front twice), each numbered when the parts before it have been laid out
(`_next`: what starts when a worker is free, and what never runs beside what, for the peak memory).

A long document is laid out in pieces (`Piece`): its text is cut before each of its parts of depth 1
("Часть первая") and the articles in them, where print.css forces a new page anyway, so that the pieces'
pages are the pages the document has in one piece; a piece after the first opens on whichever side its
first page falls and carries what the pages before it set: its first page number, the document's running
head (print.css `.print-piece`). The notes keep their numbers (the XSLT prints the source's, no CSS counter
runs over the text). A worker holds one piece's pages at a time, and the pieces it keeps for their numbers
(`_free_slots`), not the document's: the book's peak memory is a piece's.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import re
import resource
import tempfile
import time
import warnings
from collections.abc import Collection
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from html import unescape
from itertools import takewhile
from pathlib import Path
from typing import Any

from lxml import html as lxml_html

from ..html.fragment import classes
from ..parallel import process_pool, release_memory, worker_count
from . import join, layout, margins
from .book import (ContentsItem, PrintDoc, Shell, _contents_for, _html, _index, cited_pages, sources)
from .index import Index, pages_of

LAYOUT_FILE = "book-layout.json"
MAX_LAYOUTS = 6         # layouts per part at most, on average (a handful suffice in practice)
LARGE = 8               # a part of an eighth of the book's HTML or more is large: one at a time, never on a guess
MEDIUM = 16             # beside a large part, only parts of less than a 16th of the book's HTML (the chronology,
                        # ~200 MB to lay out, waits: the peak of all processes is the two workers' together)
# a worker that keeps more than this after a part (its heap grown for a long part: Python does not give back
# a heap it has spread over) is ended, and a fresh one (~75 MB) takes the next part
KEEP_MB = 160
# the parts that print pages of the texts (the front's contents too, but the texts' first pages follow from
# its length: it is laid out at once, and again when the numbers are known)
REFERRING = ("chronology", "bibliography", "index")
# a document's text longer than this (characters of HTML) is laid out in pieces, cut where a division opens
# a page (below it a piece costs more in start-up and font subsets than it saves)
PIECES_ABOVE = 400_000
PIECE_LEAST = 40_000   # a share shorter than this (characters of HTML, ~5 pages) runs on into the next piece
PIECE = "."      # the name of a later piece: the document's part name, this, its number ("doc-d001.2")


@dataclass(frozen=True)
class Piece:
    """A share of a document's text laid out alone (see the module's docstring)."""
    doc: str           # the document's part name (its anchor)
    number: int        # 0: the first, with the document's title, introduction and headnote
    html: str          # the fragment's <div class="edition-text"> holding this share of it
    running: str       # the document's running head
    lang: str
    inside: bool = False   # it opens inside a part of depth 1 whose heading an earlier piece has

    @property
    def name(self) -> str:
        return self.doc if not self.number else f"{self.doc}{PIECE}{self.number}"


BREAKING = ("tei-div-article", "tei-div-document")   # the divisions of a part that open a page (print.css)


def _breaks(root) -> list:
    """The divisions of the text before which print.css forces a page: its parts of depth 1
    (`.tei-div-part[data-depth="1"]`) and, in those, each article or document of depth 2 that follows
    something other than the part's heading (or the heading and a page number of the source)."""
    def other(el) -> bool:    # (`:not(.tei-head):not(.tei-pb)`)
        return el is not None and not {"tei-head", "tei-pb"} & set(classes(el))

    found = []
    for child in root:
        if not (child.tag == "section" and "tei-div-part" in classes(child) and child.get("data-depth") == "1"):
            continue
        found.append(child)
        kids = [None, None] + [k for k in child if isinstance(k.tag, str)]
        found += [k for before2, before, k in zip(kids, kids[1:], kids[2:])
                  if k.tag == "section" and k.get("data-depth") == "2" and any(c in classes(k) for c in BREAKING)
                  and (other(before) or before is not None and "tei-pb" in classes(before) and other(before2))]
    return found


def cut_text(text_html: str) -> list[tuple[str, bool]]:
    """The text (the fragment's <div class="edition-text">) cut before each division that opens a page
    (`_breaks`) where the share before is `PIECE_LEAST` long at least: the first share holds what precedes
    the first (it may be empty), each share is a <div> as the text's own, and a share opening inside a part
    of depth 1 (at an article of it) has that part's <section> opened again (without its id, which is the
    earlier share's). With each share: whether it opens inside a part whose heading (an outline item) is in
    an earlier share. The text as it is when it has no such division; the HTML itself is cut, not
    re-written."""
    if "tei-div-part" not in text_html:
        return [(text_html, False)]
    root = lxml_html.fragment_fromstring(text_html)
    starts: list[tuple[int, str, bool]] = []     # offset, the part's opening tag again (or ""), its heading
    for section in _breaks(root):
        anchor = section.get("id")
        at = text_html.find(f' id="{anchor}"') if anchor else -1
        start = text_html.rfind("<section", 0, at)
        if at < 0 or start < 0 or ">" in text_html[start:at]:
            return [(text_html, False)]        # (not as lxml writes it: left whole)
        parent = section.getparent()
        if parent is root:
            starts.append((start, "", False))
            continue
        outer = next((s for s in reversed(starts) if not s[1]), None)     # (the part, cut before it)
        if outer is None:
            return [(text_html, False)]
        tag = text_html[outer[0]:text_html.index(">", outer[0]) + 1]
        tag = re.sub(r'\sid="[^"]*"', "", tag, count=1)
        starts.append((start, tag, any("tei-head" in classes(k) for k in parent)))
    body = text_html.rstrip()
    kept: list[tuple[int, str, bool]] = []   # a cut where the share before it is long enough to be worth one
    for cut in starts:
        if cut[0] - (kept[-1][0] if kept else 0) >= PIECE_LEAST:
            kept.append(cut)
    starts = kept
    offsets = [s[0] for s in starts]
    if not starts or not body.endswith("</div>") or offsets != sorted(offsets):
        return [(text_html, False)]
    opening, end = text_html[:text_html.index(">") + 1], len(body) - len("</div>")
    bounds = starts + [(end, "", False)]
    # a share ending where an article of a part begins ends inside that part: its <section> is closed
    return [(text_html[:offsets[0]] + ("</section>" if starts[0][1] else "") + "</div>", False)] + [
        (opening + again + text_html[a:b] + ("</section>" if closes else "") + "</div>", bool(again) and heading)
        for (a, again, heading), (b, closes, _) in zip(bounds, bounds[1:])]


def pieces_of(doc: PrintDoc) -> list[Piece]:
    """The document's pieces (one, its whole text, when it is short or has no division opening a page)."""
    shares = cut_text(doc.text_html) if len(doc.text_html) > PIECES_ABOVE else [(doc.text_html, False)]
    return [Piece(doc.anchor, n, share, doc.running, doc.lang, inside) for n, (share, inside) in enumerate(shares)]


@dataclass(frozen=True)
class PartJob:
    """One part to lay out in a worker: its HTML, where to write it, and for the front part the TEI files
    its PDF/A-3a twin carries (the joined PDF/A takes its attachments from there)."""
    name: str
    html: str
    base_url: str | None
    fonts: tuple[Path, ...]
    pdf: Path
    rights: str
    pdfa: Path | None = None
    sources: tuple[layout.Source, ...] = ()
    attachment_text: str = ""
    first_page: int = 1         # (its side: an odd page is a recto)
    deferred: bool = False      # laid out as if its first page were page 1, kept, and numbered when the pages
                                # before it are known (finish_part)


@dataclass(frozen=True)
class PartLaid:
    name: str
    digest: str                 # of the HTML it was laid out from
    pages: int
    anchors: dict[str, int]     # id → page within the part (1-based)
    pdf: Path
    pdfa: Path | None
    seconds: float
    cpu: float
    peak_mb: float              # the worker's peak resident memory so far
    rss_mb: float = 0.0         # its resident memory now, the part let go (what it keeps for the next)
    first_page: int = 0         # the first page it is numbered from (0: not written: kept, or let go; its pages
                                # and anchors hold)
    held: bool = False          # laid out and kept by its worker for `finish_part`


def lay_out_part(job: PartJob) -> PartLaid:
    """In a worker: lay out one part, move the source's page numbers to the outer margins, write it as a
    tagged PDF (and the front part's PDF/A twin), let its pages go. A part laid out as from page 1
    (`job.deferred`) is kept instead, its pages and anchors returned (`held`), until `finish_part` numbers
    and writes it, when the parent knows its first page."""
    start, cpu = time.perf_counter(), time.process_time()
    gc.collect()
    release_memory()   # (what the previous part left freed goes back to the system)
    # what is alive now (the modules, the job, the parts kept) is never garbage: the collector, which runs
    # often while WeasyPrint makes its millions of objects, skips it (the peak while a large part is laid
    # out and painted: 311 → 290 MB for d001's 199-page piece, the same CPU time)
    gc.freeze()
    try:
        document = layout.lay_out(job.html, job.base_url, job.fonts, keep_context=job.deferred)
        laid = PartLaid(job.name, digest(job.html), len(document.pages), pages_of(document), job.pdf, job.pdfa,
                        time.perf_counter() - start, time.process_time() - cpu, 0.0)
        start, cpu = time.perf_counter(), time.process_time()     # (writing it, counted by _done)
        if job.deferred:
            _held[job.pdf.name] = (document, job, laid)
            return replace(laid, held=True, peak_mb=_peak_mb(), rss_mb=_resident_mb())
        _write_part(document, job, job.first_page)
        del document
    finally:
        gc.unfreeze()
    return _done(laid, job.first_page, start, cpu)


def finish_part(key: str, first: int) -> PartLaid:
    """In the worker that laid it out (`lay_out_part`): a part kept, numbered from `first` (its folios made
    again, on the other side if `first` is even: margins.set_folios) and written; let go unwritten when
    `first` is 0 (it was laid out from HTML that has changed since)."""
    start, cpu = time.perf_counter(), time.process_time()
    document, job, laid = _held.pop(key)
    gc.freeze()
    try:
        if first:
            margins.set_folios(document, first - 1)
            del document.layout_context
            _write_part(document, job, first)
        del document
    finally:
        gc.unfreeze()
    return _done(laid, first, start, cpu)


def _write_part(document, job: PartJob, first: int) -> None:
    """Write a laid-out part numbered from `first` (its source page numbers to the outer margins first)."""
    margins.to_outer_edge(document, first)
    if job.pdfa is not None:
        layout.write_twins(document, job.pdf, job.pdfa, layout.attachments(list(job.sources), job.attachment_text),
                           job.rights)
    else:
        layout.write_tagged(document, job.pdf, job.rights)


def _done(laid: PartLaid, first: int, start: float, cpu: float) -> PartLaid:
    """The part written (or let go: `first` 0), its pages let go, with the time it took since `start`."""
    gc.collect()
    release_memory()
    return replace(laid, first_page=first, seconds=laid.seconds + time.perf_counter() - start,
                   cpu=laid.cpu + time.process_time() - cpu, peak_mb=_peak_mb(), rss_mb=_resident_mb())


# the parts this process laid out and keeps for `finish_part`: its PDF's name → the document, the job, the layout
_held: dict[str, tuple[Any, PartJob, PartLaid]] = {}


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _resident_mb() -> float:
    """This process's resident memory now (Linux; 0 elsewhere)."""
    try:
        with open("/proc/self/statm") as fd:
            return int(fd.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2 ** 20
    except (OSError, ValueError, IndexError):
        return 0.0


def digest(html: str) -> str:
    return hashlib.sha256(html.encode("utf-8")).hexdigest()


class _Workers:
    """One process per core, each started when first needed and ended on its own: after a large part, so that
    no process keeps a large part's memory (its heap, grown for it) while it lays out small ones; the work
    in this process when there is one core."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.pools: list[ProcessPoolExecutor | None] = [None] * count

    def submit(self, slot: int, job: PartJob) -> Future:
        return self._run(slot, lay_out_part, job)

    def finish(self, slot: int, job: PartJob, first: int) -> Future:
        """Number and write (or let go: `first` 0) the part `job` that the worker of `slot` keeps."""
        return self._run(slot, finish_part, job.pdf.name, first)

    def _run(self, slot: int, fn, *args) -> Future:
        if self.count <= 1:
            done: Future = Future()
            try:
                done.set_result(fn(*args))
            except Exception as exc:       # (raised where the result is asked for, as from a process)
                done.set_exception(exc)
            return done
        pool = self.pools[slot]
        if pool is None:
            pool = self.pools[slot] = process_pool(1)
        return pool.submit(fn, *args)

    def end(self, slot: int) -> None:
        pool, self.pools[slot] = self.pools[slot], None
        if pool is not None:
            pool.shutdown(wait=True)

    def close(self) -> None:
        for slot in range(self.count):
            self.end(slot)
        _held.clear()          # (what this process kept, with one core)


@dataclass
class PrintedBook:
    """The book laid out in parts (print/book.py Printed's fields that the stage and the tests read); `write`
    joins them."""
    kind: str
    docs: list[PrintDoc]
    html: str                       # the whole book's HTML (the lost-note check reads its notes)
    page_of: dict[str, int]
    contents: list[ContentsItem]
    index: Index
    passes: int                     # the most layouts of one part
    parts: list[PartLaid]
    blanks: list[bool]              # a blank verso after each part
    workdir: tempfile.TemporaryDirectory
    seconds: dict[str, float] = field(default_factory=dict)
    laid_out: int = 0               # part layouts in all
    log: list[str] = field(default_factory=list)   # per round, the parts laid out (and why)
    worker_peak_mb: float = 0.0
    continued: list[int] = field(default_factory=list)    # per part: a piece continuing the part before (2:
                                                          # inside the part of depth 1 it opens in, Piece.inside)
    cpu: dict[str, float] = field(default_factory=dict)    # per part: CPU seconds, all its layouts
    times: dict[str, int] = field(default_factory=dict)    # per part: how often it was laid out
    written: dict[str, int] = field(default_factory=dict)  # per part: how often it was written
    document: None = None           # (no single WeasyPrint document: print/book.py Printed has one)

    @property
    def pages(self) -> int:
        return sum(p.pages for p in self.parts) + sum(self.blanks)


def part_names(docs: list[PrintDoc], shell: Shell, kind: str = "book") -> list[str]:
    """The parts in the book's order, as templates/print/ print them (the same conditions): the front (title
    page, imprint, contents), the front matter, the texts, the appendices, the index; a document's booklet
    (`kind` "document"): its front, its text, the encoding, the index."""
    app = shell.apparatus
    names = ["front"] + [d.anchor for d in docs]
    if kind != "book":
        return names + (["processing"] if docs[0].principles_html or docs[0].processing_html else []) + ["index"]
    names.insert(1, "front-matter")     # (book.html's front_matter: the sources at least; print.css opens it on a
                                        # recto after the contents, as a part opens)
    names += [name for name, there in (("chronology", app.events or app.years), ("abbreviations", app.abbreviations),
                                       ("bibliography", app.bibliography)) if there]
    if docs[0].principles_html or any(d.processing_html for d in docs):
        names.append("processing")
    return names + ["index"]


_HREF = re.compile(r'href="#([^"]*)"')
_ID = re.compile(r'\sid="([^"]*)"')


def cross_links(html: str, page_of: dict[str, int], numbers: bool = True) -> str:
    """A part's links to anchors of other parts: addressed through join.CROSS, with the page they landed on
    (data-page: what print.css prints for a contents line or a "p. 49"; not given with `numbers` false, for
    a text, which prints none: its HTML then does not change with pages elsewhere). A link to an anchor
    that is nowhere is left as it is (WeasyPrint drops it, as it does in one piece)."""
    own = {unescape(i) for i in _ID.findall(html)}

    def cross(match: re.Match) -> str:
        anchor = unescape(match.group(1))
        if anchor in own or anchor not in page_of:
            return match.group(0)
        return f'href="{join.CROSS}{match.group(1)}"' + (f' data-page="{page_of[anchor]}"' if numbers else "")

    return _HREF.sub(cross, html)


_PAGE_REF = re.compile(r'<a class="page-ref" href="#([^"]*)"')


def _own_pages(html: str) -> bool:
    """Whether a part prints the number of a page of its own (print.css: a contents line, or a
    `page-ref` link without data-page, numbered by target-counter): then it is laid out from its first
    page, not numbered after (margins.set_folios makes the folios again, not the text's numbers)."""
    own = {unescape(i) for i in _ID.findall(html)}
    return 'class="toc"' in html or any(unescape(a) in own for a in _PAGE_REF.findall(html))


def laid_out_names(docs: list[PrintDoc], shell: Shell, kind: str, pieces: dict[str, Piece]) -> list[str]:
    """The parts laid out, in the book's order: `part_names`, a long document's pieces in its place, and no
    front matter where the book's template prints none (an edition's own book.html without the block)."""
    names = [n for name in part_names(docs, shell, kind)
             for n in ([p.name for p in pieces.values() if p.doc == name] or [name])]
    if "front-matter" in names and not _has_body(_html(kind, docs, shell, Index("", "", []), None, "front-matter")):
        names.remove("front-matter")
    return names


_BODY = re.compile(r"<body[^>]*>(.*)</body>", re.S)


def _has_body(html: str) -> bool:
    """Whether a part's HTML has anything in its body (tags, text) to lay out."""
    body = _BODY.search(html)
    return body is None or bool(body.group(1).strip())


def _foreign(html: str) -> list[str]:
    own = {unescape(i) for i in _ID.findall(html)}
    return sorted({a for a in map(unescape, _HREF.findall(html)) if a not in own})


def typeset(docs: list[PrintDoc], shell: Shell, jobs: int | None = None, known: Path | None = None,
            attachment_text: str = "", rights: str = "", kind: str = "book") -> PrintedBook:
    """Lay out the edition's book in parts on `jobs` processes (every core) until every part was laid out
    from the HTML its final first page and numbers give; `known`: the previous build's layout (read for the
    first guesses, written with this one's). `attachment_text` describes the TEI files the PDF/A carries;
    `rights`: the edition's rights statement (the XMP's dc:rights). `kind` "document": one document's
    booklet (templates/print/document.html), as print/book.py typeset lays it out in one piece.

    A part starts as soon as a worker is free and it may (`_next`), the one whose first page is certain
    first, then the largest; after each part laid out, what the others would now be laid out from is
    worked out again."""
    pieces = {p.name: p for d in docs for share in [pieces_of(d)] if len(share) > 1 for p in share}
    names = laid_out_names(docs, shell, kind, pieces)
    continued = {name for name, p in pieces.items() if p.number}    # they open on the next page, any side
    texts = {n for n in names if n.startswith("doc-")}
    ids = {d.id for d in docs}
    with_bibliography = kind == "book" and any(e.citing for e in shell.apparatus.bibliography)
    base_url = docs[0].web_url or None
    workdir = tempfile.TemporaryDirectory(prefix="edition-book-")
    guess = _read(known, names)
    laid: dict[str, PartLaid] = {}
    times: dict[str, int] = {}                 # how often each part was laid out
    written: dict[str, int] = {}               # and written
    seconds: dict[str, float] = {}
    cpu: dict[str, float] = {}                 # CPU seconds per part, all its layouts
    log: list[str] = []
    peak = 0.0
    start = time.perf_counter()
    memo: dict[tuple, str] = {}      # a text's HTML by part and first page: it prints no other page
    foreign: dict[str, list[str]] = {}   # a text's links to anchors not its own
    others: dict[str, str] = {}      # the other parts' HTML, made from the first pages and anchors' pages of
    made_from: tuple = ()            # (this: the parts' first pages, a hash of where the anchors landed)
    running: dict[Future, tuple[str, int, PartJob]] = {}      # → the part, its worker, its job
    placed: dict[str, tuple[int, dict[str, int]]] = {}   # laid out, not written: its pages and anchors
    held: dict[str, tuple[int, PartJob]] = {}    # laid out and kept by a worker (`slot`) until numbered
    finishing: set[Future] = set()               # of `running`: those numbering and writing a kept part
    deferred: set[str] = set()       # parts laid out as from page 1 and numbered after (all but `_own_pages`)
    workers = _Workers(worker_count(jobs, len(names)))

    def number(name: str, first: int) -> None:
        """Have the worker keeping `name` number it from `first` and write it (0: let it go)."""
        slot, job = held.pop(name)
        future = workers.finish(slot, job, first)
        running[future] = (name, slot, job)
        finishing.add(future)

    try:
        while True:
            sizes = {**guess, **{n: (p.pages, p.anchors) for n, p in laid.items()}, **placed}
            firsts, page_of, blanks = _placed(names, sizes, continued)
            numbers = (tuple(firsts.values()), hash(frozenset(page_of.items())))
            if numbers != made_from:   # (the index and the appendices again only when a page moved)
                index = _index(docs, shell, page_of)
                cited = cited_pages(shell.apparatus.bibliography, ids, page_of) if with_bibliography else None
                others.clear()
                made_from = numbers
            htmls = {}
            for name in names:
                if name in texts:      # (the links to other parts that are linked depend on what is laid out)
                    deferred.add(name)
                    key = (name, tuple(a in page_of for a in foreign.get(name, ())))
                    if key not in memo:
                        raw = _part_html(kind, docs, shell, index, cited, name, 1, pieces)
                        foreign.setdefault(name, _foreign(raw))
                        key = (name, tuple(a in page_of for a in foreign[name]))
                        memo[key] = cross_links(raw, page_of, numbers=False)
                    htmls[name] = memo[key]
                elif name in others:
                    htmls[name] = others[name]
                else:      # (numbered after its layout too, unless it prints pages of its own)
                    htmls[name] = cross_links(_part_html(kind, docs, shell, index, cited, name, 1, pieces),
                                              page_of)
                    deferred.add(name)
                    if firsts[name] != 1 and _own_pages(htmls[name]):
                        htmls[name] = cross_links(_part_html(kind, docs, shell, index, cited, name, firsts[name],
                                                             pieces), page_of)
                        deferred.discard(name)
                    others[name] = htmls[name]
            digests = {n: digest(h) for n, h in htmls.items()}
            stale = [n for n in names if n not in laid or laid[n].digest != digests[n]
                     or laid[n].first_page != firsts[n]]
            have = [n for n in names if n in laid or n in placed]     # the parts whose pages are known
            kept = {n: digest(job.html) for n, (_, job) in held.items()}      # (and those being numbered)
            kept.update({name: digest(job.html) for future, (name, _, job) in running.items() if future in finishing})
            # the parts whose pages may yet change: not laid out, or last laid out from HTML changed since
            moving = {n for n in names if kept.get(n, laid[n].digest if n in laid and n not in placed else None)
                      != digests[n]}
            settled = len(list(takewhile(set(have).__contains__, names)))
            for name in list(held):     # numbered once the pages before it are known
                if kept[name] != digests[name]:
                    first = 0                          # (laid out from HTML that changed since: let go)
                elif _own_pages(htmls[name]) and any(n not in have and n not in guess for n in names if n != name):
                    continue      # (the front's contents, printed before any page was known or guessed: kept
                                  # unwritten, and let go once they change, as in a first build they will)
                elif names.index(name) <= settled or name in guess and times[name] == 1:
                    first = firsts[name]         # (a guess only for a first layout: again, once certain)
                else:
                    continue
                number(name, first)
            if not stale and not running:
                break
            total = sum(len(h) for h in htmls.values())
            large = {n for n in names if len(htmls[n]) * LARGE >= total}
            busy = {n for n, _, _ in running.values()} | set(held)
            for slot in _free_slots(workers.count, running, held, htmls):
                chosen = _next(names, stale, have, busy, htmls, large, guess, texts, deferred, moving)
                if chosen is None:
                    break
                name = chosen
                pdf = Path(workdir.name) / f"{name}.{times.get(name, 0)}.pdf"
                job = PartJob(name, htmls[name], base_url, shell.config.fonts, pdf, rights,
                              pdf.with_suffix(".pdfa.pdf") if name == "front" else None,
                              tuple(sources(docs)) if name == "front" else (), attachment_text, firsts[name],
                              name in deferred)
                log.append(f"{name}@{firsts[name]}" + (" (again)" if name in times else ""))
                times[name] = times.get(name, 0) + 1
                running[workers.submit(slot, job)] = (name, slot, job)
                busy.add(name)
                if sum(times.values()) > MAX_LAYOUTS * len(names):
                    raise RuntimeError(f"the book's parts did not settle: {log}")
            if not running:     # (nothing may start while the kept wait: numbered as things stand, so as not to
                for name in list(held):                           # wait for ever; laid out again if wrong)
                    number(name, firsts[name])
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                _, slot, job = running.pop(future)
                finishing.discard(future)
                try:
                    result = future.result()
                except BrokenProcessPool:     # its worker died (out of memory?): the part is laid out here
                    warnings.warn(f"the worker laying out {job.name} died; laying it out in this process",
                                  RuntimeWarning, stacklevel=2)
                    workers.end(slot)
                    for lost in [n for n, (s, _) in held.items() if s == slot]:
                        del held[lost]        # (what it kept: laid out again)
                    result = lay_out_part(job)
                    if result.held:
                        result = finish_part(job.pdf.name, job.first_page)
                peak = max(peak, result.peak_mb)
                if result.held:
                    placed[result.name] = (result.pages, result.anchors)
                    held[result.name] = (slot, job)
                    continue
                cpu[result.name] = cpu.get(result.name, 0.0) + result.cpu
                seconds[result.name] = time.perf_counter() - start
                if (result.name in large or result.rss_mb > KEEP_MB) and not any(
                        s == slot for s, _ in held.values()) and not any(s == slot for _, s, _ in running.values()):
                    workers.end(slot)     # (a fresh one starts for the next part: ~1 s)
                if not result.first_page:         # let go unwritten: its pages hold, it is laid out again
                    placed[result.name] = (result.pages, result.anchors)
                    laid.pop(result.name, None)
                    continue
                placed.pop(result.name, None)
                written[result.name] = written.get(result.name, 0) + 1
                old = laid.get(result.name)
                if old is not None:
                    old.pdf.unlink(missing_ok=True)
                laid[result.name] = result
    finally:
        workers.close()
    parts = [laid[n] for n in names]
    _write(known, parts)
    return PrintedBook(kind, docs, _html(kind, docs, shell, index, cited), page_of,
                       _contents_for(kind, docs, shell), index, max(times.values(), default=0), parts, blanks,
                       workdir, seconds, laid_out=sum(times.values()), worker_peak_mb=peak, log=log,
                       continued=[0 if n not in continued else 2 if pieces[n].inside else 1 for n in names],
                       cpu=cpu, times=times, written=written)


def _free_slots(count: int, running: dict[Future, tuple[str, int, PartJob]], held: dict[str, tuple[int, PartJob]],
                htmls: dict[str, str]) -> list[int]:
    """The workers that may start a layout now: none running, and keeping parts (laid out, waiting for their
    first pages: their pages stay in memory while the next is laid out) of less than a `LARGE`th of the
    book's HTML."""
    total = sum(map(len, htmls.values()))
    return [slot for slot in range(count)
            if not any(s == slot for _, s, _ in running.values())
            and sum(len(htmls[n]) for n, (s, _) in held.items() if s == slot) * LARGE < total]


def _next(names: list[str], stale: list[str], laid: Collection[str], busy: set[str], htmls: dict[str, str],
          large: set[str], guess: dict, texts: set[str], deferred: Collection[str] = (),
          moving: Collection[str] = ()) -> str | None:
    """The part to start now, if any, of those not laid out from their present HTML nor being laid out or
    kept (`laid`: the parts whose pages are known, written or not; `busy`: being laid out or kept).
    A part's first page is certain once every part before it was laid out (a part's pages do not depend on
    where it starts: a verso's margins mirror a recto's). A part laid out already is laid out again only
    from a certain first page, and a part printing pages of others (the front's contents, the appendices,
    the index) only once no text is to be laid out any more (the front: once no other part's pages may
    change, `moving`); a part printing pages of the texts waits while
    some text's pages are not even guessed; a large part (`large`) waits while another is being laid out or
    kept (two at once would double the peak memory), and, unless it is numbered after its layout
    (`deferred`), for its certain (or guessed) first page; beside a large part only a small one (`MEDIUM`)
    is laid out. Of those that may start: the largest of those whose first page is certain or guessed,
    else the first in the book."""
    laid = set(laid)
    settled = 0
    while settled < len(names) and names[settled] in laid:
        settled += 1
    texts_done = not any(t in busy or t in stale for t in texts)
    candidates = []
    for n, name in enumerate(names):
        if name not in stale or name in busy:
            continue
        certain = n <= settled
        if name in laid and (not certain or (name not in texts and not texts_done)):
            continue
        if name in laid and n == 0 and name not in texts and any(m in moving for m in names[1:]):
            continue                  # (the front's contents: the pages of every other part)
        if name in REFERRING and any(t not in laid and t not in guess for t in texts):
            continue
        if name in large and (busy & large or not certain and name not in guess and name not in deferred):
            continue
        if busy & large and len(htmls[name]) * MEDIUM >= sum(map(len, htmls.values())):
            continue                  # (beside a large part only a small one: the peak is the two together)
        # the certain or guessed first (the largest of those first, so that the workers finish together),
        # then the others in the book's order (each laid out makes the first pages after it certain)
        known = certain or name in guess
        candidates.append((not known, -len(htmls[name]) if known else n, n, name))
    if not candidates and not busy and stale:
        return stale[0]               # (nothing may start and nothing runs: the first, as it is)
    return min(candidates)[3] if candidates else None


def _part_html(kind: str, docs: list[PrintDoc], shell: Shell, index: Index, cited, name: str, first: int,
               pieces: dict[str, Piece]) -> str:
    """One part's HTML: a part of the book or booklet (print/book.py _html), or a piece of a document."""
    piece = pieces.get(name)
    if piece is None:
        return _html(kind, docs, shell, index, cited, name, first)
    return _html(kind, docs, shell, index, cited, piece.doc if not piece.number else name, first, piece)


def _placed(names: list[str], sizes: dict[str, tuple[int, dict[str, int]]],
            continued: Collection[str] = ()) -> tuple[dict[str, int], dict[str, int], list[bool]]:
    """Each part's first page, where every anchor landed, and a blank after each part, from each part's pages
    and anchors (`sizes`: as laid out, else as the previous build's layout guesses; a part neither: one page).
    A part opens on a recto (after a blank verso if need be), a piece that continues a document on the next
    page."""
    firsts: dict[str, int] = {}
    page_of: dict[str, int] = {}
    blanks = []
    page = 1
    for n, name in enumerate(names):
        firsts[name] = page
        pages, anchors = sizes.get(name, (1, {}))
        for anchor, at in anchors.items():
            page_of.setdefault(anchor, page + at - 1)
        following = names[n + 1] if n + 1 < len(names) else None
        blank = (page + pages) % 2 == 0 and following is not None and following not in continued
        blanks.append(blank)
        page += pages + blank
    return firsts, page_of, blanks


def _read(known: Path | None, names: list[str]) -> dict[str, tuple[int, dict[str, int]]]:
    """The previous build's layout: part → (pages, anchors); nothing when absent or unreadable."""
    if known is None or not known.is_file():
        return {}
    try:
        data = json.loads(known.read_text(encoding="utf-8"))
        return {n: (int(data[n]["pages"]), dict(data[n]["anchors"])) for n in names if n in data}
    except (ValueError, KeyError, TypeError):
        return {}


def _write(known: Path | None, parts: list[PartLaid]) -> None:
    if known is None:
        return
    known.parent.mkdir(parents=True, exist_ok=True)
    data = {p.name: {"pages": p.pages, "anchors": p.anchors} for p in parts}
    tmp = known.with_name(f"{known.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data), encoding="utf-8")
    tmp.replace(known)


def write(printed: PrintedBook, path: Path, pdfa_path: Path | None) -> None:
    """Join the parts into the book's PDF (and its PDF/A-3a twin), then let the parts go."""
    try:
        continued = printed.continued or [0] * len(printed.parts)
        parts = [join.Part(p.pdf, blank, more) for p, blank, more in zip(printed.parts, printed.blanks, continued)]
        front = printed.parts[0]
        join.join(parts, path, (front.pdfa, pdfa_path) if pdfa_path is not None and front.pdfa else None)
    finally:
        printed.workdir.cleanup()
