"""`edition validate`: every problem of one file, several, or the whole edition, in one report.

Per file: well-formedness (xmlsafe), the project schema (RELAX NG + Schematron from the ODD, with
precise attribute messages), then the edition-wide checks (ids, pointers, names, dates, languages)
against an index of all the edition's files. Optionally TEI conformance against tei_all (jing).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, replace
from pathlib import Path

from lxml import etree

from .. import TEI_NS
from ..cache import Cache, code_version, digest, file_digest, files_digest
from ..config import ADDED, Config
from ..corpus import apparatus_paths, documents, register_paths, register_sources
from ..diagnostics import Diagnostic
from ..schema import load_odd, odd_path
from ..paths import build_cache
from ..xmlsafe import XMLProblem, parse_bytes
from . import conformance, corpus_header
from . import tei_all as tei_all_check
from .edition_checks import EditionIndex, check_file, id_sites
from .locate import Locator
from .schema_check import ProjectSchema


# the code a cached diagnostic depends on (besides the ODD, the file and the index of ids)
CODE = ("validate/__init__.py", "validate/edition_checks.py", "validate/schema_check.py", "validate/schematron.py",
        "validate/datatypes.py", "validate/locate.py", "validate/corpus_header.py", "validate/tei_elements.py",
        "schema/__init__.py", "schema/odd.py", "schema/to_rng.py", "schema/to_sch.py", "xmlsafe.py", "diagnostics.py", "config.py",
        "corpus.py")

# The register files and the ids they hold, so a pointer into a missing file says which file is missing.
REGISTER_FILES = {"pers-": "persons.xml", "org-": "organisations.xml", "place-": "places.xml"}


@dataclass
class Report:
    diagnostics: list[Diagnostic]
    files: int
    from_cache: int = 0     # files whose diagnostics came from the cache (unchanged, and the index of ids too)

    @property
    def errors(self) -> int:
        return sum(d.severity == "error" for d in self.diagnostics)


@dataclass
class _Parsed:
    shown: str
    key: str
    data: bytes
    text: str
    tree: etree._ElementTree


def edition_files(cfg: Config) -> tuple[list[Path], list[Diagnostic]]:
    """The edition's TEI files in order (documents, register, editors' apparatus); a listed document not yet
    encoded is a warning."""
    files, diags = [], []
    for doc in documents(cfg):
        if doc.tei_path.is_file():
            files.append(doc.tei_path)
        else:
            diags.append(Diagnostic(_shown(cfg.root / "edition.toml"), 0, 0, "warning",
                                    f"document {doc.id} is listed but {_shown(doc.tei_path)} does not exist yet",
                                    "doc-missing", f"encode it: edition import {doc.id}"))
    return files + register_paths(cfg) + apparatus_paths(cfg), diags


def validate(cfg: Config, paths: list[Path] | None = None, *, tei_all: bool = False,
             schema: ProjectSchema | None = None, cache: bool = True) -> Report:
    """Every problem of `paths` (default: the whole edition). A file's diagnostics are cached under the hash
    of its bytes, the ODD, the validation code and the index of the edition's ids (`.cache/build/validate`):
    after one document changed without moving an id, only that document is checked again. Inside, a file
    of the project is named relative to the project's root (`_shown`), so the cache holds the same entries
    whichever folder the command runs from; the report names it relative to the current folder."""
    named: set[str] = set()
    token = _ROOT.set((cfg.root, named))
    try:
        report = _validate(cfg, paths, tei_all=tei_all, schema=schema, cache=cache)
    finally:
        _ROOT.reset(token)
    shown = {name: _displayed(cfg.root, name) for name in named | {d.path for d in report.diagnostics}}
    moved = {name: as_known for name, as_known in shown.items() if as_known != name}
    if not moved:                         # (run from the project's root: the names are the user's)
        return report
    # a file named in a message (an id's other place, a file missing): by its path in the project (a bare
    # "edition.toml" in a hint is the setting's name, not one file)
    nested = sorted((name for name in moved if "/" in name), key=len, reverse=True)
    names = re.compile(r"(?<![\w/.-])(" + "|".join(map(re.escape, nested)) + r")(?![\w/-])") if nested else None

    def renamed(text: str) -> str:
        return names.sub(lambda m: moved[m.group(1)], text) if names is not None else text
    return replace(report, diagnostics=sorted({replace(d, path=shown.get(d.path, d.path), message=renamed(d.message))
                                               for d in report.diagnostics}, key=_order))


def _validate(cfg: Config, paths: list[Path] | None, *, tei_all: bool, schema: ProjectSchema | None,
              cache: bool) -> Report:
    odd = odd_path(cfg.root)
    store = Cache(build_cache(cfg.root, "validate"), enabled=cache and schema is None and not tei_all)
    compiled: list[ProjectSchema | None] = [schema]

    def project_schema() -> ProjectSchema | None:      # compiled when a file is to be checked, not before
        if compiled[0] is None and odd.is_file():
            compiled[0] = ProjectSchema.compile(load_odd(odd))
        return compiled[0]
    context, diags = edition_files(cfg)
    header = corpus_header.path(cfg)
    if header.is_file():                  # read like every TEI file (size, XML), checked as the export makes it
        context.append(header)
    targets = list(paths) if paths else context
    if paths:
        diags = []
    if not odd.is_file() and schema is None:   # the other checks still run: every problem is reported at once
        diags.append(Diagnostic(_shown(odd), 0, 0, "error", "the project schema is missing: no such file",
                                "io-missing", "restore tei/schema/edition.odd from version control; it is the "
                                "single source of the edition's schema"))
    index = EditionIndex(editors={e.id for e in cfg.editors},
                         register_files={_key(p) for p in [*register_sources(cfg), *apparatus_paths(cfg)]},
                         documents={_key(d.tei_path): d.id for d in documents(cfg)},
                         missing_register={prefix: _shown(cfg.tei_dir / "register" / name)
                                           for prefix, name in REGISTER_FILES.items()
                                           if not (cfg.tei_dir / "register" / name).is_file()})
    # Two passes, holding one tree at a time: the first reads every file into the index of ids (the
    # edition-wide checks need all of them before any file is checked), the second reads each target
    # again and checks it. Parsing is cheap next to the checks; keeping every tree cost 660 MB at 30×.
    readable: list[str] = []
    target_keys = {_key(p) for p in targets}
    files = {_key(p): p for p in reversed([*targets, *context])}    # one entry per file, as the user named it
    # A file's ids are kept in the cache under the hash of its bytes: a rebuild after one edit parses the
    # one file changed here, not every file of the edition (0.9 s of a one-document edit at 10×).
    ids_code = code_version("validate/edition_checks.py", "xmlsafe.py")
    for key in sorted(files, key=lambda k: k not in target_keys):   # targets first
        path, is_target = files[key], key in target_keys
        ids_key, shown = "", _shown(path)
        try:
            if _too_big(path, cfg.max_tei_mb) is None:
                ids_key = digest(ids_code, shown, file_digest(path))
        except OSError:
            pass                                      # (_read says what is wrong)
        known = store.get(f"ids-{digest(key)[:24]}", ids_key) if ids_key else None
        if isinstance(known, list):                   # the same bytes read (and parsed) before
            index.add_ids(shown, key, known)
            if is_target:
                readable.append(key)
            continue
        entry = _read(cfg, path, is_target, diags, index)
        if entry is not None:
            sites = id_sites(entry.tree)
            index.add_ids(entry.shown, entry.key, sites)
            if is_target:
                readable.append(key)
            if ids_key and ids_key == digest(ids_code, entry.shown, digest(entry.data)):   # not edited meanwhile
                try:
                    store.put(f"ids-{digest(key)[:24]}", ids_key, sites)
                except OSError:                       # a read-only project: no cache, same result
                    pass
    conformant: dict[Path, str] = {}
    kept: dict[Path, bytes] = {}        # tei_all (jing) reads the checked bytes: kept only when asked for
    schema_files = [p for p in odd.parent.glob("*") if p.is_file()] if odd.parent.is_dir() else []
    shared = digest(index.fingerprint(), files_digest(schema_files), code_version(*CODE),
                    repr((cfg.max_tei_mb, cfg.documents, cfg.editors, _key(header))))
    reused = 0
    added = {_key(d.tei_path) for d in documents(cfg) if d.conformance in ADDED}
    as_is = {_shown(d.tei_path) for d in documents(cfg) if d.conformance == "as-is"}
    added_files: dict[Path, str] = {}
    added_data: dict[Path, bytes] = {}
    added_shown = frozenset(_shown(Path(k)) for k in added)
    for key in readable:
        if key in added:      # a TEI document from elsewhere: TEI P5 and the toolkit's needs (not cached)
            entry = _read(cfg, files[key], True, diags, None)
            if entry is None:
                continue
            refused = _not_tei(entry.tree, entry.shown)
            if refused:
                diags.append(refused)
                continue
            loc = Locator(entry.tree, entry.text)
            schema_now = project_schema()
            own = schema_now.check(entry.tree, entry.shown, loc) if schema_now is not None else []
            own += check_file(entry.tree, entry.shown, entry.key, index, loc, added=True)
            own += conformance.missing_images(entry.tree, Path(entry.key), cfg.tei_dir, entry.shown, loc)
            diags += conformance.at_tei_level(own, added_shown)
            added_files[Path(entry.key)] = entry.shown
            added_data[Path(entry.key)] = entry.data
            continue
        try:
            cache_key = digest(shared, key, file_digest(files[key]))
        except OSError:
            cache_key = ""
        name = digest(key)[:24]
        hit = store.get(name, cache_key) if cache_key else None
        if isinstance(hit, list):
            diags += hit
            reused += 1
            continue
        found: list[Diagnostic] = []
        entry = _read(cfg, files[key], True, found, None)
        if entry is not None:
            checked = _check(cfg, entry, header, index, project_schema, found)
            if checked:
                conformant[Path(entry.key)] = entry.shown
                if tei_all:
                    kept[Path(entry.key)] = entry.data
            if cache_key == digest(shared, key, digest(entry.data)):   # not edited since its key was made
                try:
                    store.put(name, cache_key, found)
                except OSError:                                    # a read-only project: no cache, same result
                    pass
        diags += found
        del entry
    if tei_all:
        diags += tei_all_check.check(cfg.tei_all_rng, conformant, kept)
    if added_files:     # added documents are always held to TEI P5: its errors counted by kind, per file
        found = tei_all_check.check(conformance.tei_all_rng(cfg.tei_all_rng), added_files, added_data)
        for shown in added_files.values():
            diags += conformance.at_tei_level([d for d in found if d.path == shown], as_is=shown in as_is)
        diags += [d for d in found if d.path not in added_files.values()]
    return Report(sorted(set(diags), key=_order), files=len(targets), from_cache=reused)


def _check(cfg: Config, entry: _Parsed, header: Path, index: EditionIndex,
           project_schema: Callable[[], ProjectSchema | None], diags: list[Diagnostic]) -> bool:
    """The checks of one file (its diagnostics into `diags`); whether it is checked as it stands (tei_all
    then checks it too: the corpus header is checked as the export makes it)."""
    checked = entry.tree
    if entry.key == _key(header):
        checked, problems = corpus_header.as_published(cfg, entry.tree, entry.shown)
        if checked is None:
            diags += problems
            return False
    else:
        problem = _not_tei(entry.tree, entry.shown)
        if problem:
            diags.append(problem)
            return False
    loc = Locator(entry.tree, entry.text)
    schema = project_schema()
    if schema is not None:
        diags += schema.check(checked, entry.shown, Locator(checked, entry.text) if checked is not entry.tree else loc)
    diags += check_file(entry.tree, entry.shown, entry.key, index, loc)
    return checked is entry.tree


def _read(cfg: Config, path: Path, is_target: bool, diags: list[Diagnostic], index: EditionIndex | None,
          ) -> _Parsed | None:
    """One file read and parsed, or None with its problem added to `diags` (for a target) and, for an
    unreadable register file, noted in `index` (its pointers then say so)."""
    try:
        too_big = _too_big(path, cfg.max_tei_mb)
        if too_big:
            if is_target:
                diags.append(too_big)
            return None
        data = path.read_bytes()
        tree = parse_bytes(data, _shown(path))
    except FileNotFoundError:
        if is_target:
            diags.append(Diagnostic(_shown(path), 0, 0, "error", "no such file", "io-missing",
                                    "check the path (default: the whole edition from edition.toml)"))
        return None
    except IsADirectoryError:
        if is_target:
            diags.append(Diagnostic(_shown(path), 0, 0, "error", "is a folder, not a file", "io-missing",
                                    "name XML files, e.g. tei/*.xml"))
        return None
    except XMLProblem as exc:
        if is_target:
            diags.append(exc.diag)
        if index is not None and path.parent.resolve() == (cfg.tei_dir / "register").resolve():
            for prefix, name in REGISTER_FILES.items():   # its pointers say so
                if path.name == name:
                    index.unreadable_register[prefix] = _shown(path)
        return None
    return _Parsed(_shown(path), _key(path), data, data.decode("utf-8"), tree)


def _too_big(path: Path, limit_mb: float) -> Diagnostic | None:
    """A file over the limit is refused before it is read: no memory or time spent on it."""
    size = path.stat().st_size
    if size <= limit_mb * 1_000_000:
        return None
    return Diagnostic(_shown(path), 0, 0, "error",
                      f"the file is {size / 1_000_000:.1f} MB; the edition reads TEI files up to {limit_mb:g} MB",
                      "io-size", "split the document into several [[documents]] of edition.toml, or raise "
                      f"max_tei_mb in edition.toml (e.g. max_tei_mb = {2 * limit_mb:g})")


def _not_tei(tree: etree._ElementTree, shown: str) -> Diagnostic | None:
    root = tree.getroot()
    q = etree.QName(root)
    if q.namespace == TEI_NS and q.localname == "TEI":
        return None
    where = f"in namespace {q.namespace}" if q.namespace else "in no namespace"
    if q.localname == "TEI":
        msg, hint = f"the root <TEI> is {where}, not TEI's", f'write <TEI xmlns="{TEI_NS}" ...>'
    else:
        msg, hint = (f"not a TEI document: the root element is <{q.localname}> ({where})",
                     f'an edition file is <TEI xmlns="{TEI_NS}" xml:id="..." xml:lang="...">')
    return Diagnostic(shown, root.sourceline or 1, 1, "error", msg, "not-tei", hint)


def _order(d: Diagnostic):
    return (d.path, d.line, d.col, d.rule, d.message)


def _key(path: Path) -> str:
    return str(path.resolve())


# The project's root while `validate` runs (the files inside it are named relative to it, `_shown`), and
# the names given meanwhile.
_ROOT: ContextVar[tuple[Path, set[str]] | None] = ContextVar("validated_root", default=None)


def _shown(path: Path) -> str:
    """A file as validation names it: while `validate` runs, relative to the project's root when inside it
    (the same name from any folder: the cache's keys and entries hold it), else its absolute path;
    otherwise relative to the current folder when inside that, else as given."""
    validating = _ROOT.get()
    if validating is not None:
        root, named = validating
        name = _inside(path, root.resolve()) or str(path.resolve())
        named.add(name)
        return name
    return _inside(path, Path.cwd()) or str(path)


def _inside(path: Path, folder: Path) -> str | None:
    try:
        rel = os.path.relpath(path.resolve(), folder)
    except ValueError:
        return None
    return None if rel.startswith("..") or os.path.isabs(rel) else rel


def _displayed(root: Path, name: str) -> str:
    """A name `_shown` gave inside `validate` as the user knows the file: relative to the current folder
    when inside it (a name relative to the project's root is the file there)."""
    if not name:
        return name
    path = Path(name) if os.path.isabs(name) else root / name
    return _inside(path, Path.cwd()) or str(path)


__all__ = ["validate", "Report", "edition_files", "ProjectSchema"]
