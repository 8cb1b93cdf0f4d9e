"""What one document contributes to the exports, computed once per content.

A document's exported TEI, plain-TEI flavour, diplomatic text and DTS responses depend on its TEI, its facts,
the edition's settings, the corpus header's explanation of the plain flavour and the export code only, so
they are
cached under the hash of exactly those (`.cache/build/exports/`): after one document changes, only that
one is exported again. Beside the files, a part carries what the edition-wide exports need of the
document (its segment of the teiCorpus, its ZIP members deflated, its facts, citation tree, ids and
outward pointers), so those are assembled without parsing the other documents again, and without
holding every document in memory at once.
"""

from __future__ import annotations

import copy
import multiprocessing
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from lxml import etree

from .. import TEI_NS, XML_NS
from ..cache import Cache, code_version, digest, file_digest
from ..config import Config
from ..corpus import Document, Facts, read_facts
from ..diagnostics import EditionError
from ..outputs import fingerprint
from ..parallel import PARALLEL_MIN_BYTES, Engine, _worker_started, worker_count
from ..paths import build_cache
from ..xmlsafe import XMLProblem, parse_bytes
from .. import archive
from . import dts, urls
from .citations import all_units, citable_units, ensure_refs_decl
from .diplomatic import diplomatic_text
from .standalone import Entries, stand_alone, with_intro
from .tei_corpus import add_version, plain_flavour, serialize

T = "{%s}" % TEI_NS
XML_ID = "{%s}id" % XML_NS
CODE = ("exports/__init__.py", "exports/parts.py", "exports/citations.py", "exports/dts.py", "exports/standalone.py",
        "exports/metadata.py", "exports/diplomatic.py", "exports/tei_corpus.py", "exports/urls.py", "fidelity.py",
        "xmlsafe.py", "config.py", "corpus.py", "text.py", "archive.py")


@dataclass
class Pointer:
    """A "#id" token of the document that does not point inside it: checked against the whole corpus."""
    token: str
    line: int | None
    attribute: str
    count: int = 1


@dataclass
class DocumentPart:
    id: str
    files: dict[str, bytes]                 # site-relative path → bytes
    corpus_segment: bytes                   # the document as serialised inside teiCorpus
    corpus_deflated: archive.Member         # the same, deflated as a segment of the ZIP's corpus.xml
    members: dict[str, archive.Member]      # ZIP name → deflated member (tei/dNNN.xml, tei-plain/dNNN.xml)
    sums: dict[str, str]                    # ZIP name → sha256 (the ZIP's manifest)
    facts: Facts
    tree: dict                              # DTS citation tree
    unit_ids: list[str]                     # xml:ids of the citable units and of the notes (stable addresses)
    latest_change: str                      # latest revisionDesc/change/@when ("" when none)
    publication_dates: list[str]            # fileDesc/publicationStmt/date/@when
    ids: list[tuple[str, int | None]] = field(default_factory=list)   # every xml:id, in document order
    pointers: list[Pointer] = field(default_factory=list)             # outward, in order of first use
    key: str = ""                           # the cache key it was made from (its files' record: GroupStamps)
    passage_keys: dict[str, str] = field(default_factory=dict)       # its DTS passages' hashes (dts.Passages)
    navigation_key: str = ""                # the hash its DTS navigation responses were made from (dts.Passages)
    marks: dict[str, tuple[int, int]] = field(default_factory=dict)   # an early part's: every file's hash
                                            # (outputs.fingerprint) and size, `files` holding only the changed

    def light(self) -> "DocumentPart":
        """The part without its bytes: what the edition-wide steps keep while the next documents are done."""
        return DocumentPart(self.id, {}, b"", archive.Member(0, 0, b""), {}, self.sums, self.facts, self.tree,
                            self.unit_ids, self.latest_change, self.publication_dates, self.ids, self.pointers)


@dataclass(frozen=True)
class PartTask:
    """One document's part to compute, in a worker (picklable: the explanation as bytes, no trees)."""
    cfg: Config
    doc_id: str
    tei_path: str
    explanation: bytes
    facts: Facts
    known: Entries                      # the register's entries, which travel with each document that points to them
    cache: bool = True                  # its passages from the last version's where the same (dts.Passages)


def compute_part(task: PartTask) -> tuple[str, DocumentPart]:
    """In a worker (or here): the part, and the hash of the TEI it was made from (the caller stores it only
    when that is the TEI its cache key was made from: not edited meanwhile)."""
    tei = Path(task.tei_path).read_bytes()
    explanation = parse_bytes(task.explanation, "the plain-TEI explanation").getroot()
    passages, reuse = last_version(task.cfg, task.doc_id, task.cache)
    return digest(tei), document_part(task.cfg, task.doc_id, tei, task.tei_path, explanation, task.facts,
                                      task.known, passages, reuse)


def last_version(cfg: Config, doc_id: str, cache: bool = True) -> tuple[dts.Passages | None, archive.Reuse | None]:
    """What the document's last part holds that a new version may have unchanged, read from that part's
    entries in the exports' cache whatever its key (None, None: no cache): its DTS passages by their hashes
    (its files, and the hash of each passage among them; both entries must be of one part, the same key:
    `parts` stores them together), and its deflated chunks (the ZIP's members and corpus segment)."""
    if not cache:
        return None, None
    store = Cache(build_cache(cfg.root, "exports"))
    code = code_version(*CODE)
    part, files = store.latest(doc_id), store.latest(files_entry(doc_id))
    reuse = archive.Reuse()
    if part is not None and isinstance(part[1], DocumentPart):
        reuse = archive.Reuse([part[1].corpus_deflated, *part[1].members.values()])
    last: dict[str, bytes] = {}
    if part is not None and files is not None and part[0] == files[0] and isinstance(files[1], dict):
        held = files[1]                          # (the part's files by site path; a passage's key by its path
        keys = getattr(part[1], "passage_keys", None)    # under api/dts/; a part an older toolkit stored has none)
        if isinstance(keys, dict):
            last = {key: held[urls.DTS + path] for path, key in keys.items() if urls.DTS + path in held}
            return dts.Passages(last, code=code, last_navigation=getattr(part[1], "navigation_key", ""),
                                previous=held), reuse
    return dts.Passages(last, code=code), reuse


def parts(cfg: Config, docs: list[Document], explanation: etree._Element, known: Entries, *,
          cache: bool = True, engine: Engine | None = None,
          kept: Callable[[str, str], bool] | None = None, early: EarlyParts | None = None) -> Iterator[DocumentPart]:
    """Each document's part, in order, from the cache when its inputs are unchanged (one at a time: the
    caller writes its files and keeps `light()`). `docs` with their facts (the build read them); `known`: the register's
    entries, which travel with each document that points to them. The parts
    not cached are computed on `engine` (the build's workers), a window of them ahead of the one the caller
    is writing, so the exports' serialising, compressing and hashing run beside the build's own writing.
    A part's files (most of its bytes: the DTS responses) are cached apart from the rest: when
    `kept(id, key)` says the caller already has the files of a part made from that key (the previous
    build's, GroupStamps), the part comes without them (`files` empty) and they are never loaded. A part
    `early` started (EarlyParts) is taken from there when it was made from the inputs of its key."""
    if engine is None:
        with Engine(1) as here:
            yield from parts(cfg, docs, explanation, known, cache=cache, engine=here, kept=kept, early=early)
        return
    store = Cache(build_cache(cfg.root, "exports"), enabled=cache)
    explained = serialize(explanation)
    shared = shared_key(cfg, explained, known)
    keys: dict[str, str] = {}
    tei_hash: dict[str, str] = {}
    todo: list[PartTask] = []
    todo_bytes = 0
    started = set(early.started) if early is not None else set()
    for doc in docs:
        tei_hash[doc.id] = file_digest(doc.tei_path)                  # (once per build: cache.file_digest)
        keys[doc.id] = digest(tei_hash[doc.id], shared, doc.id, repr(doc.facts))
        if doc.id in started:         # taken from there below (its process may have stored it meanwhile: the
            continue                  # cache's entry would be read whole, its files sent by their hashes)
        if not (store.has(doc.id, keys[doc.id]) and store.has(files_entry(doc.id), keys[doc.id])):
            assert doc.facts is not None, "the build reads each document's facts first"
            todo.append(PartTask(cfg, doc.id, str(doc.tei_path), explained, doc.facts, known, cache))
            todo_bytes += doc.tei_path.stat().st_size
    parallel = (engine.jobs or 0) > 1 or todo_bytes >= PARALLEL_MIN_BYTES or bool(engine.scheduler)
    parallel = parallel and len(todo) > 1      # one part per worker at a time: a finished part waits here
    computed = iter(engine.imap(compute_part, todo, parallel=parallel,      # with its files (d001's: ~70 MB)
                                ahead=engine.workers(len(todo)) if parallel and not engine.scheduler else None))
    missing = {t.doc_id for t in todo}

    def keep(made_from: str, part: DocumentPart, doc_id: str) -> DocumentPart:
        part.key = keys[doc_id]
        if made_from == tei_hash[doc_id] and not part.marks:   # not edited while it was exported (an early
                                                               # part: stored by its process, store_early)
            store.put(doc_id, keys[doc_id], replace(part, files={}))
            store.put(files_entry(doc_id), keys[doc_id], part.files)
        return part

    for doc in docs:
        if doc.id in missing:
            yield keep(*next(computed), doc.id)
            continue
        if doc.id in started and early is not None:      # made beside the html stage, when from the same inputs
            made = early.take(doc.id, keys[doc.id])
            assert doc.facts is not None
            yield keep(*(made or compute_part(PartTask(cfg, doc.id, str(doc.tei_path), explained, doc.facts,
                                                       known, cache))), doc.id)
            continue
        part = store.get(doc.id, keys[doc.id])
        if isinstance(part, DocumentPart) and part.key == keys[doc.id]:
            if kept is not None and kept(doc.id, keys[doc.id]):
                yield part                                # its files are the previous build's, unread
                continue
            files = store.get(files_entry(doc.id), keys[doc.id])
            if isinstance(files, dict):
                part.files = files
                yield part
                continue
        assert doc.facts is not None                     # listed, but unreadable: made here
        yield keep(*compute_part(PartTask(cfg, doc.id, str(doc.tei_path), explained, doc.facts, known, cache)), doc.id)
    made_from = store.get(MADE_FROM, MADE_FROM)          # which TEI each document's part was last made from
    if made_from != tei_hash:                            # (EarlyParts starts early the ones that differ)
        store.put(MADE_FROM, MADE_FROM, dict(tei_hash))


def shared_key(cfg: Config, explained: bytes, known: Entries) -> str:
    """What every document's part depends on besides its own TEI, id and facts: the settings, the plain
    flavour's explanation, the export code and the register's entries."""
    return digest(repr(cfg), explained, code_version(*CODE), repr(sorted(known.by_id.items())),
                  repr(sorted(known.editors.items())), repr(sorted(known.intros.items())))


MADE_FROM = "made-from"       # the cache entry: document id → hash of the TEI its part was last made from
EARLY_MAX = 2                 # at most this many documents' parts are started early (an edit, not a cold build)
EARLY_MIN_BYTES = 1_000_000   # and only as much TEI as pays for a process's start (~0.5 s of CPU): d001's part
                              # took 3.3 s, d000's (114 KB) 0.1 s, which the 1× edit's 1 s could not spare


@dataclass(frozen=True)
class EarlyTask:
    """A part to make before the build knows the document's facts (the worker reads them as the html stage
    does, `read_facts`) or the register's entries (read from the exports' cache, or made)."""
    cfg: Config
    doc_id: str
    tei_path: str


_made: dict[str, tuple[str, DocumentPart]] = {}    # in the early process: the parts made, until stored


def compute_early(task: EarlyTask) -> tuple[str, str, DocumentPart]:
    """In the early process: the part's cache key as `parts` makes it from the inputs read here, the hash of
    the TEI it was made from, the part; sent back without the files its last version had with the same
    bytes (a word's edit changes a few MB of d001's 68), each file's hash and size in `marks` instead:
    the build places those from its last output by their hashes, and the whole part is stored in the cache
    here, after it is sent (`store_early`)."""
    from .standalone import edition_entries           # (the package's __init__ imports this module)
    from .tei_corpus import plain_explanation
    cfg = task.cfg
    tei = Path(task.tei_path).read_bytes()
    facts = read_facts(parse_bytes(tei, task.tei_path).getroot())
    known = edition_entries(cfg, Cache(build_cache(cfg.root, "exports")))
    explained = serialize(plain_explanation(cfg))
    explanation = parse_bytes(explained, "the plain-TEI explanation").getroot()   # (standing alone, as in
    made_from = digest(tei)                                                       # compute_part)
    key = digest(made_from, shared_key(cfg, explained, known), task.doc_id, repr(facts))
    passages, reuse = last_version(cfg, task.doc_id)
    part = document_part(cfg, task.doc_id, tei, task.tei_path, explanation, facts, known, passages, reuse)
    part.key = key
    _made[task.doc_id] = (key, part)
    last = passages.previous if passages is not None else {}
    return key, made_from, replace(part, files={rel: blob for rel, blob in part.files.items() if last.get(rel) != blob},
                                   marks={rel: (fingerprint(blob), len(blob)) for rel, blob in part.files.items()})


def store_early(cfg: Config, doc_id: str) -> bool:
    """In the early process, once its part is sent: the part and its files into the exports' cache, under the
    key it was made with (which holds the hash of its TEI: stored whatever the build does with it)."""
    key, part = _made.pop(doc_id)
    store = Cache(build_cache(cfg.root, "exports"))
    store.put(doc_id, key, replace(part, files={}))
    store.put(files_entry(doc_id), key, part.files)
    return True


class EarlyParts:
    """The export parts of the documents just edited, started on a process of their own before the
    validation gate, so that they are made beside the gate, the XSLT and the site's pages instead of
    after them (an edit of d001 at 10×: its part was 3.3 s of CPU, which the build waited for with one
    core idle). Only documents whose TEI is not the one their part was last made from (`MADE_FROM`), at
    most `EARLY_MAX` of them with `EARLY_MIN_BYTES` of TEI at least, and only when the build may use two
    processes on this machine. A part is taken only when the key it was made under is the key the
    exports compute then (TEI, facts, register entries, settings, code: any difference and it is made
    again as before); one never taken is dropped with the process."""

    last: "EarlyParts | None" = None            # the last build's (tests, benchmark: what it started and used)

    def __init__(self, cfg: Config, docs: list[Document], *, jobs: int | None = None, scheduler: str | None = None,
                 cache: bool = True, first: tuple[Callable, tuple] | None = None) -> None:
        """`first`: a task (a module-level function and its arguments) the process runs before the parts,
        when it is started (`first_result`): the build's validation gate."""
        self.started: list[str] = []
        self.taken: list[str] = []              # the documents whose early part was used
        self._results: dict = {}
        self._stored: dict = {}
        self._pool = None
        self._first = None
        EarlyParts.last = self
        if not cache or scheduler or worker_count(jobs, 2) < 2:
            return
        made_from = Cache(build_cache(cfg.root, "exports")).get(MADE_FROM, MADE_FROM)
        if not isinstance(made_from, dict):     # (no build yet: a cold build's parts run on the pool)
            return
        changed = [d for d in docs if d.tei_path.is_file() and made_from.get(d.id) != file_digest(d.tei_path)]
        if not 1 <= len(changed) <= EARLY_MAX or sum(d.tei_path.stat().st_size for d in changed) < EARLY_MIN_BYTES:
            return
        self._pool = multiprocessing.get_context("spawn").Pool(1, initializer=_worker_started,
                                                               initargs=(os.getpid(),))
        if first is not None:
            self._first = self._pool.apply_async(*first)
        for doc in changed:
            self._results[doc.id] = self._pool.apply_async(compute_early, (EarlyTask(cfg, doc.id, str(doc.tei_path)),))
            self.started.append(doc.id)
        self._cfg = cfg
        for doc in changed:                     # (after every part is sent: one process, tasks in order)
            self._stored[doc.id] = self._pool.apply_async(store_early, (cfg, doc.id))

    @property
    def runs_first(self) -> bool:
        """Whether the `first` task was given to the process (else the caller runs it itself)."""
        return self._first is not None

    def first_result(self) -> object:
        """What the `first` task returned (waiting for it); its exception raised here."""
        assert self._first is not None
        return self._first.get()

    def take(self, doc_id: str, key: str) -> tuple[str, DocumentPart] | None:
        """The part of `doc_id` and the hash of the TEI it was made from, when it was made under `key`;
        else (or when the process failed) None: the caller makes it."""
        pending = self._results.pop(doc_id, None)
        if pending is None:
            return None
        try:
            made_key, made_from, part = pending.get()
        except Exception:                       # (a worker that died, a TEI error: made again in the build)
            return None
        if made_key != key:
            return None
        self.taken.append(doc_id)
        return made_from, part

    def files(self, doc_id: str, key: str) -> dict[str, bytes] | None:
        """All the files of the part `take` gave (made under `key`), as the process stored them (waiting for
        that); None when it failed to."""
        pending = self._stored.pop(doc_id, None)
        try:
            if pending is None or not pending.get():
                return None
        except Exception:
            return None
        files = Cache(build_cache(self._cfg.root, "exports")).get(files_entry(doc_id), key)
        return files if isinstance(files, dict) else None

    def close(self, wait: bool = False) -> None:
        """End the process (at once: a part still being made is not waited for); with `wait`, after the parts
        taken are stored (a later build finds them in the cache)."""
        if wait:
            for doc_id, pending in list(self._stored.items()):
                if doc_id in self.taken:
                    try:
                        pending.get()
                    except Exception:             # (a process that died: the part is made again when needed)
                        pass
        self._stored.clear()
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None
        self._results.clear()

    def __enter__(self) -> "EarlyParts":
        return self

    def __exit__(self, kind: object, *exc: object) -> None:
        self.close(wait=kind is None)


def files_entry(doc_id: str) -> str:
    """The cache entry of a part's files (the part's own entry is its id)."""
    return f"{doc_id}-files"


def document_part(cfg: Config, doc_id: str, tei: bytes, path: str, explanation: etree._Element,
                  facts: Facts, known: Entries, passages: dts.Passages | None = None,
                  reuse: archive.Reuse | None = None) -> DocumentPart:
    try:
        root = parse_bytes(tei, path).getroot()
    except XMLProblem as exc:
        raise EditionError(str(exc), hint="fix the file, then run the export again") from None
    ensure_refs_decl(root)                                           # as document_export()
    segment = corpus_segment(root)              # the corpus holds the register once: no standOff there
    ids, pointers = id_summary(root)            # (checked against the corpus)
    whole = offered(cfg, copy.deepcopy(root), known)          # the files offered: with the introduction
    root = offered(cfg, root, known, intro=False)             # the witness's text and its stable addresses
    files: dict[str, bytes] = {}
    tei_out = serialize(whole)
    plain_out = serialize(plain_flavour(whole, explanation))
    files[urls.tei_download(doc_id)] = tei_out
    files[urls.tei_download(doc_id, "plain")] = plain_out
    files[urls.text_download(doc_id, "diplomatic")] = diplomatic_text(root).encode("utf-8")
    units = citable_units(root, doc_id)
    dts_doc = dts.DtsDocument(doc_id, whole, facts, citable_units(whole, doc_id), known)   # (DTS: the offered TEI)
    for rel, data in dts.document_files(dts.Api(cfg), dts_doc, tei_out, passages).items():
        files[urls.DTS + rel] = data
    names = {f"tei/{doc_id}.xml": tei_out, f"tei-plain/{doc_id}.xml": plain_out}
    notes = [n.get(XML_ID) for n in root.iter(T + "note", T + "bibl") if n.get(XML_ID)]  # (a bibl: a cited work's
                                                                          # list of passages links to it)
    return DocumentPart(doc_id, files, segment, archive.deflate(segment, final=False, reuse=reuse),
                        {n: archive.deflate(b, reuse=reuse) for n, b in names.items()},
                        {n: archive.sha256(b) for n, b in names.items()}, facts, dts_doc.tree,
                        [u.xml_id for u in all_units(units) if u.xml_id] + notes, facts.changed,
                        list(facts.publication_dates), ids, pointers,
                        passage_keys=passages.keys if passages is not None else {},
                        navigation_key=passages.navigation if passages is not None else "")


def offered(cfg: Config, root: etree._Element, known: Entries, intro: bool = True) -> etree._Element:
    """A document as it is offered for download (and attached to its PDF/A): with the editors' introduction
    first in its <front> (tei/front/dNNN-intro.xml; `intro`), standing on its own (the register and
    apparatus entries it points to in its standOff) and saying the release it belongs to."""
    root = stand_alone(with_intro(root, known) if intro else root, known)
    file_desc = root.find(f"{T}teiHeader/{T}fileDesc")
    if file_desc is not None:
        add_version(file_desc, cfg)
    return root


def offered_tei(cfg: Config, tei: bytes, path: str, known: Entries) -> bytes:
    """The bytes of data/tei/dNNN.xml from the curated TEI (what `document_part` writes there)."""
    try:
        root = parse_bytes(tei, path).getroot()
    except XMLProblem as exc:
        raise EditionError(str(exc), hint="fix the file, then run the export again") from None
    ensure_refs_decl(root)
    return serialize(offered(cfg, root, known))


def corpus_segment(root: etree._Element) -> bytes:
    """The document exactly as lxml serialises it inside <teiCorpus> (namespace declarations included)."""
    holder = etree.Element(T + "teiCorpus", nsmap={None: TEI_NS})
    holder.append(copy.deepcopy(root))
    text = etree.tostring(holder, encoding="UTF-8")
    start = text.index(b">") + 1                                    # after <teiCorpus xmlns="…">
    return text[start:len(text) - len(b"</teiCorpus>")]


def id_summary(root: etree._Element) -> tuple[list[tuple[str, int | None]], list[Pointer]]:
    """Every xml:id with its line, and the "#…" tokens that do not resolve inside the document (each with
    its first line and how often it occurs), as tei_corpus.id_problems reads them."""
    ids = [(el.get(XML_ID), el.sourceline) for el in root.iter() if isinstance(el.tag, str) and el.get(XML_ID)]
    own = {i for i, _ in ids}
    outward: dict[str, Pointer] = {}
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        for name, value in el.attrib.items():
            for token in value.split():
                if token.startswith("#") and token[1:] not in own:
                    if token in outward:
                        outward[token].count += 1
                    else:
                        outward[token] = Pointer(token, el.sourceline, etree.QName(name).localname)
    return ids, list(outward.values())


IdSummary = tuple[list[tuple[str, int | None]], list[Pointer]]


def corpus_problems(header: etree._Element, doc_parts: list[DocumentPart], registers: list[IdSummary],
                    ) -> list[str]:
    """tei_corpus.id_problems over the teiCorpus the export writes, without building it: duplicate ids in
    corpus order, then pointers that resolve nowhere (each occurrence counted). `registers`: the id_summary
    of each register file the corpus holds after the documents."""
    def summaries() -> Iterator[IdSummary]:
        yield id_summary(header)
        yield from ((p.ids, p.pointers) for p in doc_parts)
        yield from registers
    seen: dict[str, int] = {}
    problems = []
    pointer_lists = []
    for ids, pointers in summaries():
        for i, line in ids:
            if i in seen:
                problems.append(f"line {line}: xml:id {i!r} also at line {seen[i]}")
            seen.setdefault(i, line or 0)
        pointer_lists.append(pointers)
    for pointers in pointer_lists:
        for p in pointers:
            if p.token[1:] not in seen:
                problems.append(f"line {p.line}: {p.attribute}={p.token!r} points nowhere")
                problems += [f"{p.attribute}={p.token!r} points nowhere"] * (p.count - 1)
    return problems
