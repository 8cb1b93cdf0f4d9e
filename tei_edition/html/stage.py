"""The per-document part of the build, done once per content and over every core.

For each document the build needs its header facts (DocInfo), the XSLT's HTML fragment and the index of
its mentions and dates. These depend only on the document's TEI, the stylesheets, the interface
strings, the register's ids and the code, so they are cached under the hash of exactly those
(`.cache/build/render/`): after one document changes, only that one goes through the XSLT again.
Documents not in the cache are rendered in a process pool (one Saxon processor per process); the
pages are then cut in this process, in the edition's order, so the output never depends on the pool.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from ..cache import Cache, code_version, digest, files_digest
from ..config import Config
from ..corpus import Document
from ..parallel import imap_ordered, worker_count
from .. import i18n
from ..site.documents import DocInfo, read_info
from .transform import XSLT, RenderOptions, render_file
from ..exports.archive import Member, deflate
from .plaintext import web_text
from ..site.producers import DocumentBuild
from ..site.mentions import DocumentIndex, Entry, index_document

# the code a cached result depends on (what _render_one runs)
CODE = ("html/stage.py", "exports/archive.py", "xmlsafe.py", "html/transform.py", "site/documents.py", "site/mentions.py",
        "html/plaintext.py", "site/pages.py")
BODY = ".body"                   # cache entry of a document's fragment and web text (its facts and index: the id)
PARALLEL_MIN_BYTES = 4_000_000   # below this much TEI to render, starting worker processes costs more than it saves


@dataclass
class Rendered:
    """What the worker sends back for one document (picklable: no lxml trees)."""
    info: DocInfo
    fragment: str
    index: DocumentIndex
    text: str                     # the plain text as on the web (downloads/)
    text_member: Member | None = None   # the same, deflated for downloads/edition-text.zip


@dataclass
class RenderRun:
    """Which documents went through the XSLT in the last build, and which came from the cache."""
    rendered: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    workers: int = 1


last_run = RenderRun()   # read by tests and the benchmark


def cache_folder(cfg: Config) -> Path:
    return cfg.root / ".cache" / "build" / "render"


@lru_cache(maxsize=1)
def _libraries() -> str:
    from importlib.metadata import version
    return f"saxonche {version('saxonche')}, lxml {version('lxml')}"


def _stylesheets_digest(xslt_dir: str) -> str:
    return files_digest(list(Path(xslt_dir).rglob("*.xsl")))


def _key(doc: Document, number: int, tei: bytes, ui: dict[str, str], options: RenderOptions) -> str:
    """Everything the worker's result depends on."""
    strings = json.dumps([ui, options.labels], ensure_ascii=False, sort_keys=True)
    settings = json.dumps([doc.id, number, sorted(options.register_ids), options.register_url,
                           options.apparatus_lang])
    return digest(tei, strings, settings, _stylesheets_digest(str(XSLT.parent)), code_version(*CODE),
                  _libraries())


def _render_one(task: tuple[str, int, str, dict[str, str], RenderOptions]) -> Rendered:
    """In a worker: one document's facts, fragment and index."""
    doc_id, number, tei_path, ui, options = task
    path = Path(tei_path)
    info = read_info(doc_id, number, path, ui)
    fragment = render_file(path, options)
    text = web_text(fragment, info.title, ui["notes"])
    return Rendered(info, fragment, index_document(doc_id, path), text, deflate(text.encode("utf-8")))


def render_documents(cfg: Config, present: list[Document], strings: i18n.Strings, register: dict[str, Entry], *,
                     jobs: int | None = None, cache: bool = True,
                     log: Callable[[str], None] = lambda msg: None) -> list[DocumentBuild]:
    """Every present document as a DocumentBuild, in edition order. Each holds its facts and index; its
    fragment and web text wait in the cache (or, with cache=False, in a temporary store) until its pages
    are made, so the results of a large edition are never all in memory."""
    global last_run
    options = RenderOptions(labels=strings.text, register_ids=frozenset(register),
                            apparatus_lang=cfg.apparatus_language)
    store = Cache(cache_folder(cfg), enabled=cache)
    spill = None if cache else _Spill()
    holder = store if spill is None else Cache(spill.folder)
    summaries: dict[str, Rendered] = {}    # facts and index only
    kept: dict[str, Rendered] = {}         # results not stored (their TEI was edited while they were rendered)
    tasks: dict[str, tuple[str, int, str, dict[str, str], RenderOptions]] = {}
    todo: list[str] = []
    keys: dict[str, str] = {}
    read: dict[str, str] = {}     # hash of the TEI as read for the key
    todo_bytes = 0
    for number, doc in enumerate(present, 1):
        tei = doc.tei_path.read_bytes()
        read[doc.id] = digest(tei)
        keys[doc.id] = _key(doc, number, tei, strings.ui, options)
        tasks[doc.id] = (doc.id, number, str(doc.tei_path), strings.ui, options)
        hit = store.get(doc.id, keys[doc.id])
        if isinstance(hit, Rendered):
            summaries[doc.id] = _summary(hit)
        else:
            todo.append(doc.id)
            todo_bytes += len(tei)
    # a pool only pays when there is enough to render (each worker starts Python and compiles the XSLT)
    workers = worker_count(jobs, len(todo)) if (jobs or 0) > 1 or todo_bytes >= PARALLEL_MIN_BYTES else 1
    for doc_id, done in zip(todo, imap_ordered(_render_one, [tasks[i] for i in todo], workers)):
        if spill is not None or digest(Path(tasks[doc_id][2]).read_bytes()) == read[doc_id]:
            holder.put(doc_id, keys[doc_id], _summary(done))     # apart: a rebuild reads every summary,
            holder.put(doc_id + BODY, keys[doc_id], (done.fragment, done.text, done.text_member))  # few bodies
        else:
            kept[doc_id] = done
        summaries[doc_id] = _summary(done)
    last_run = RenderRun(list(todo), [d.id for d in present if d.id not in set(todo)], workers)
    if todo and len(todo) < len(present):
        log(f"rendered {len(todo)} of {len(present)} document(s); the others unchanged (cache)")
    builds = []
    for number, doc in enumerate(present, 1):
        r = summaries[doc.id]
        info = replace(r.info, number=number, tei_path=doc.tei_path)  # a fresh copy, with this project's path
        if doc.id in kept:
            builds.append(DocumentBuild(info, kept[doc.id].fragment, None, r.index, kept[doc.id].text))
        else:
            builds.append(DocumentBuild(info, None, None, r.index,
                                        load=_loader(holder, doc.id, keys[doc.id], tasks[doc.id], spill),
                                        key=keys[doc.id] if spill is None else None))
    return builds


class _Spill:
    """A temporary store for results when the cache is off; removed when the last build holding it goes."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="edition-render-"))
        weakref.finalize(self, shutil.rmtree, self.folder, True)


def _summary(r: Rendered) -> Rendered:
    return Rendered(r.info, "", r.index, "", None)


def _loader(holder: Cache, doc_id: str, key: str, task: tuple, spill: object,
            ) -> Callable[[], tuple[str, str, Member | None]]:
    """The fragment and web text of one document, read from where they wait (`spill` is only held, so the
    temporary store lives as long as the builds that read it)."""
    def load() -> tuple[str, str, Member | None]:
        body = holder.get(doc_id + BODY, key)
        if not isinstance(body, tuple):        # the entry went (the cache was cleared meanwhile): render again
            r = _render_one(task)
            body = (r.fragment, r.text, r.text_member)
        _ = spill
        return body
    return load
