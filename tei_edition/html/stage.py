"""The html stage: each document through the XSLT once, over every core and through the build cache.

For each document the later stages need its facts (read once from its header, corpus.Facts), the XSLT's
HTML fragment (html/transform.py), the index of its mentions and dates (mentions.py) and its plain text
(html/plaintext.py). These depend only on the document's TEI, the stylesheets, the interface strings,
the register's ids and the code, so they are cached under the hash of exactly those
(`.cache/build/render/`): after one document changes, only that one goes through the XSLT again.
Documents not in the cache are rendered in a process pool (one Saxon processor per process); results
come back in the edition's order, so the output never depends on the pool. The fragment and text of a
document wait in the cache (or a temporary store) until a stage asks for them, so the results of a large
edition are never all in memory.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

from ..cache import Cache, code_version, digest, file_digest, files_digest
from ..config import Config
from ..corpus import Document, Facts, read_facts
from .. import archive
from ..archive import Member, Reuse, deflate
from ..i18n import Strings
from ..mentions import Contexts, DocumentIndex, index_document
from ..parallel import PARALLEL_MIN_BYTES, Engine
from ..paths import XSLT_DIR, build_cache
from ..register import Register
from ..xmlsafe import parse_bytes
from .fragment import split
from .plaintext import plain_text
from .transform import RenderOptions, render_tree

# the code a cached result depends on (what _render_one runs)
CODE = ("html/stage.py", "html/transform.py", "html/fragment.py", "html/plaintext.py", "corpus.py", "mentions.py",
        "text.py", "xmlsafe.py", "archive.py")
BODY = ".body"                   # cache entry of a document's fragment and text (its facts: the id)
INDEX = ".index"                 # cache entry of its index of mentions and dates, loaded when a stage reads it
CONTEXTS = ".contexts"           # and of the words around them by block, read by its next version's index


@dataclass
class Rendered:
    """What the worker sends back for one document (picklable: no lxml trees)."""
    facts: Facts
    fragment: str
    index: DocumentIndex
    text: str                           # the plain text (downloads/dNNN.txt = data/text/dNNN.edited.txt)
    text_member: Member | None = None   # the same, deflated for downloads/edition-text.zip


@dataclass(frozen=True)
class Task:
    doc_id: str
    tei_path: str
    options: RenderOptions
    notes_heading: str
    contexts: Contexts | None = None    # its last version's, by block (mentions.index_document)
    last_text: Member | None = None     # its last version's plain text deflated (its unchanged chunks kept)


class DocumentBuild:
    """One document through the build: the Document (with its facts), kept; its index of mentions, loaded
    when a stage first reads it (an edit's stages read those of the documents it changed, and of the others
    only what their records do not hold: 50 indexes unpickled for nothing cost ~0.25 s at 10×); its fragment
    and plain text, loaded when a stage asks and let go with `release()`."""

    def __init__(self, doc: Document, index: DocumentIndex | Callable[[], DocumentIndex],
                 load: Callable[[], tuple[str, str, Member | None]], key: str | None = None) -> None:
        self.doc, self._load = doc, load
        self._index: DocumentIndex | None = index if isinstance(index, DocumentIndex) else None
        self._load_index = None if isinstance(index, DocumentIndex) else index
        self.key = key                     # the render cache's key, when later caches may build on it
        self._body: tuple[str, str, Member | None] | None = None

    @property
    def index(self) -> DocumentIndex:
        if self._index is None:
            assert self._load_index is not None
            self._index = self._load_index()
        return self._index

    @property
    def index_loaded(self) -> bool:
        """Whether a stage has read the index (tests: an edit leaves the others' unread)."""
        return self._index is not None and self._load_index is not None

    @property
    def id(self) -> str:
        return self.doc.id

    @property
    def facts(self) -> Facts:
        assert self.doc.facts is not None
        return self.doc.facts

    def _loaded(self) -> tuple[str, str, Member | None]:
        if self._body is None:
            self._body = self._load()
        return self._body

    @property
    def fragment(self) -> str:
        return self._loaded()[0]

    def text_and_member(self) -> tuple[str, Member | None]:
        """The plain text and its ZIP member (deflated once per content)."""
        _, text, member = self._loaded()
        return text, member

    def release(self) -> None:
        """Let the fragment and text go (they can be loaded again)."""
        self._body = None

    def forget_index(self) -> None:
        """Let the index of mentions go once the pages that read it are written (the register, the
        chronology): ~200 MB at 30×, which the exports, the build's largest step, would otherwise hold."""
        self._index, self._load_index = DocumentIndex(), None


@dataclass
class RenderRun:
    """Which documents went through the XSLT in the last build, and which came from the cache."""
    rendered: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    workers: int = 1
    where: str = "this machine"     # Engine.where()


last_run = RenderRun()   # read by tests and the benchmark


@lru_cache(maxsize=1)
def _libraries() -> str:
    return f"saxonche {version('saxonche')}, lxml {version('lxml')}"


def _stylesheets_digest(xslt_dir: str) -> str:
    return files_digest(list(Path(xslt_dir).rglob("*.xsl")))


def render_options(cfg: Config, strings: Strings, register: Register) -> RenderOptions:
    return RenderOptions(labels=strings.text, register_ids=frozenset(register),
                         apparatus_lang=cfg.apparatus_language)


def _shared_key(options: RenderOptions, notes_heading: str) -> str:
    """What every document's result depends on besides its own TEI and id (hashed once per build: the
    stylesheets and code are read once, not once per document)."""
    o = options
    strings = json.dumps([o.labels, notes_heading], ensure_ascii=False, sort_keys=True)
    settings = json.dumps([sorted(o.register_ids), o.register_url, o.site_root, o.apparatus_lang])
    return digest(strings, settings, _stylesheets_digest(str(XSLT_DIR)), code_version(*CODE), _libraries())


def _key(doc_id: str, tei_digest: str, shared: str) -> str:
    """Everything the worker's result depends on: the document's TEI (its hash) and id, and `_shared_key`."""
    return digest(tei_digest, doc_id, shared)


# A worker of a Dask cluster runs tasks in threads; Saxon's processor is one per process and two
# transformations at once from two threads fail ("NodeInfo belongs to the wrong Configuration"):
# in a process, one document at a time goes through the XSLT (uncontended in the local pool).
_SAXON = threading.Lock()


def _render_one(task: Task) -> Rendered:
    """In a worker: one document's facts, fragment, index and plain text, from one parse of its TEI."""
    root = parse_bytes(Path(task.tei_path).read_bytes(), task.tei_path).getroot()
    facts = read_facts(root)
    with _SAXON:
        fragment = render_tree(root, task.tei_path, task.options)
    text = plain_text(facts.title, split(fragment).text, task.notes_heading)
    return Rendered(facts, fragment, index_document(task.doc_id, root, task.contexts), text,
                    deflate(text.encode("utf-8"), reuse=Reuse([task.last_text] if task.last_text else [])))


def render_documents(cfg: Config, present: list[Document], strings: Strings, register: Register, *,
                     jobs: int | None = None, cache: bool = True,
                     log: Callable[[str], None] = lambda msg: None, engine: Engine | None = None,
                     ) -> list[DocumentBuild]:
    """Every present document as a DocumentBuild (its Document now with facts), in edition order; the XSLT
    runs on `engine` (the build's: local pool or Dask cluster; default a pool of `jobs` for this call)."""
    if engine is None:
        with Engine(jobs) as own:
            return render_documents(cfg, present, strings, register, jobs=jobs, cache=cache, log=log, engine=own)
    global last_run
    options = render_options(cfg, strings, register)
    store = Cache(build_cache(cfg.root, "render"), enabled=cache)
    spill = None if cache else _Spill()
    holder = store if spill is None else Cache(spill.folder)
    summaries: dict[str, Rendered] = {}    # facts only (their indexes: loaded when read)
    kept: dict[str, Rendered] = {}         # results not stored (their TEI was edited while they were rendered)
    tasks: dict[str, Task] = {}
    todo: list[str] = []
    keys: dict[str, str] = {}
    read: dict[str, str] = {}     # hash of the TEI as read for the key
    todo_bytes = 0
    shared = _shared_key(options, strings.ui["notes"])
    for doc in present:
        task = Task(doc.id, str(doc.tei_path), options, strings.ui["notes"])
        read[doc.id], tasks[doc.id] = file_digest(doc.tei_path), task   # (the build's other stages hash it too)
        keys[doc.id] = _key(doc.id, read[doc.id], shared)
        hit = store.get(doc.id, keys[doc.id])
        if isinstance(hit, Rendered):
            summaries[doc.id] = hit
        else:
            todo.append(doc.id)
            todo_bytes += doc.tei_path.stat().st_size
    # a pool only pays when there is enough to render (each worker starts Python and compiles the XSLT)
    parallel = (engine.jobs or 0) > 1 or todo_bytes >= PARALLEL_MIN_BYTES or bool(engine.scheduler)
    workers = engine.workers(len(todo)) if parallel and todo else 1
    contexts_code = code_version("mentions.py", "text.py")   # (what the contexts by block are made by)
    if spill is None:
        for doc_id in todo:
            # the last text's chunks only where there can be some (a shorter TEI has a shorter text: one
            # stream), so that a full render does not load every document's last body for nothing
            long = Path(tasks[doc_id].tei_path).stat().st_size >= archive.CHUNKED
            tasks[doc_id] = replace(tasks[doc_id], contexts=_last_contexts(store, doc_id, contexts_code),
                                    last_text=_last_text(store, doc_id) if long else None)
    for doc_id, done in zip(todo, engine.imap(_render_one, [tasks[i] for i in todo], parallel=workers > 1)):
        contexts, done.index.contexts = done.index.contexts, {}
        if spill is not None or digest(Path(tasks[doc_id].tei_path).read_bytes()) == read[doc_id]:
            holder.put(doc_id, keys[doc_id], _summary(done))     # apart: a rebuild reads every summary,
            holder.put(doc_id + INDEX, keys[doc_id], done.index)   # the indexes it needs
            if spill is None:
                holder.put(doc_id + CONTEXTS, keys[doc_id], (contexts_code, contexts))
            holder.put(doc_id + BODY, keys[doc_id], (done.fragment, done.text, done.text_member))  # few bodies
        else:
            kept[doc_id] = done
        summaries[doc_id] = Rendered(done.facts, "", done.index, "", None)   # (rendered now: its index held)
    last_run = RenderRun(list(todo), [d.id for d in present if d.id not in set(todo)], workers, engine.where())
    if todo and len(todo) < len(present):
        log(f"rendered {len(todo)} of {len(present)} document(s); the others unchanged (cache)")
    builds = []
    todo_ids = set(todo)
    for doc in present:
        r = summaries[doc.id]
        if doc.id in kept:
            done = kept[doc.id]
            builds.append(DocumentBuild(doc.with_facts(r.facts), r.index, _held(done)))
        else:
            fresh = doc.id in todo_ids                    # (its index in hand; the others' in the cache)
            builds.append(DocumentBuild(doc.with_facts(r.facts),
                                        r.index if fresh else _index_loader(holder, doc.id, keys[doc.id], tasks[doc.id]),
                                        _loader(holder, doc.id, keys[doc.id], tasks[doc.id], spill),
                                        key=keys[doc.id] if spill is None else None))
    return builds


def _last_contexts(store: Cache, doc_id: str, code: str) -> Contexts | None:
    """The contexts by block of the document's last version rendered (whatever its key: one entry is kept
    per document), when made by this code."""
    last = store.latest(doc_id + CONTEXTS)
    value = last[1] if last is not None else None
    if isinstance(value, tuple) and len(value) == 2 and value[0] == code and isinstance(value[1], dict):
        return value[1]
    return None


def _last_text(store: Cache, doc_id: str) -> Member | None:
    """The deflated plain text of the document's last version rendered (whatever its key)."""
    last = store.latest(doc_id + BODY)
    value = last[1] if last is not None else None
    if isinstance(value, tuple) and len(value) == 3 and isinstance(value[2], Member):
        return value[2]
    return None


class _Spill:
    """A temporary store for results when the cache is off; removed when the last build holding it goes."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="edition-render-"))
        weakref.finalize(self, shutil.rmtree, self.folder, True)


def _held(r: Rendered) -> Callable[[], tuple[str, str, Member | None]]:
    """The fragment and text of a result kept in memory (its TEI changed while it was rendered: not cached)."""
    return lambda: (r.fragment, r.text, r.text_member)


def _summary(r: Rendered) -> Rendered:
    """What a rebuild reads of every document: its facts (its index is an entry apart, `INDEX`)."""
    return Rendered(r.facts, "", DocumentIndex(), "", None)


def _index_loader(holder: Cache, doc_id: str, key: str, task: Task) -> Callable[[], DocumentIndex]:
    """A document's index of mentions and dates, read from the cache when a stage first reads it."""
    def load() -> DocumentIndex:
        index = holder.get(doc_id + INDEX, key)
        if not isinstance(index, DocumentIndex):    # the entry went (the cache was cleared meanwhile): render again
            index = _render_one(task).index
        return index
    return load


def _loader(holder: Cache, doc_id: str, key: str, task: Task, spill: object,
            ) -> Callable[[], tuple[str, str, Member | None]]:
    """The fragment and text of one document, read from where they wait (`spill` is only held, so the
    temporary store lives as long as the builds that read it)."""
    def load() -> tuple[str, str, Member | None]:
        body = holder.get(doc_id + BODY, key)
        if not isinstance(body, tuple):        # the entry went (the cache was cleared meanwhile): render again
            r = _render_one(task)
            body = (r.fragment, r.text, r.text_member)
        _ = spill
        return body
    return load
