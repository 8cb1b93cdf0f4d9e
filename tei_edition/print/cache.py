"""The print stage through the content-hash cache: a PDF whose inputs have not changed is copied from
`.cache/build/pdf/` instead of being laid out again (WeasyPrint takes seconds to minutes per PDF).

A job's key covers everything a PDF is made from: the TEI of its documents (in order), the register,
edition.toml, the stylesheets, the templates (print shells, CSS, interface strings), the font files
(name, size, date), the code of the html and print stages, the WeasyPrint version, the build date printed
in the PDF, and the job itself (kind, documents, PDF/A twin or not). Only jobs that miss go to the pool.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import fields, replace
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

from ..cache import Cache, digest, files_digest
from ..config import Config
from ..citing import citations_path
from ..corpus import Document, apparatus_paths, register_sources
from ..diagnostics import EditionError
from ..parallel import Engine, map_ordered
from ..paths import CHECKOUT, PACKAGE, build_cache
from . import fonts
from .book import build_date

TEMPLATE_DIRS = ("templates/print", "templates/i18n", "xslt")
CODE_DIRS = ("print", "html")
CODE_FILES = ("xmlsafe.py", "corpus.py", "config.py", "register.py", "text.py", "i18n.py", "paths.py", "__init__.py",
              # the TEI attached to a PDF/A is the export's (exports.parts.offered_tei) and its rights statement
              "exports/parts.py", "exports/standalone.py", "exports/tei_corpus.py", "exports/citations.py",
              "exports/metadata.py",
              "apparatus.py", "mentions.py", "exports/bibliography.py")


@lru_cache(maxsize=1)
def _libraries() -> str:
    return f"weasyprint {version('weasyprint')}, saxonche {version('saxonche')}"


def fonts_key(extra: tuple[Path, ...] = ()) -> str:
    """The font files a PDF may use: the book and symbol faces, and the fallback faces (the edition's own
    font files first) with their sizes and times."""
    try:
        paths = [face.path for face in fonts.faces()]
    except EditionError as exc:  # a missing font: the stage itself reports it; the key just differs
        return f"fonts unavailable: {exc}"
    paths += [p for face in fonts.fallback_faces(extra, fonts.FALLBACK_DIRS) for p in (face.regular, face.bold)]
    parts = []
    for path in paths:
        stat = path.stat() if path.exists() else None
        parts.append(f"{path} {stat.st_size if stat else 0} {stat.st_mtime_ns if stat else 0}")
    return "\n".join(parts)


def shared_inputs(config: Config) -> str:
    """The part of every key that does not depend on the job."""
    templates = [p for d in TEMPLATE_DIRS for p in (CHECKOUT / d).rglob("*") if p.is_file()]
    code = [p for d in CODE_DIRS for p in (PACKAGE / d).rglob("*.py")] + [PACKAGE / n for n in CODE_FILES]
    return digest(files_digest(templates), files_digest(code), files_digest(apparatus_inputs(config)),
                  (config.root / "edition.toml").read_bytes(), fonts_key(config.fonts), _libraries(), build_date())


def apparatus_inputs(config: Config) -> list[Path]:
    """The register and the editors' apparatus (front matter, bibliography, citations, events), those there."""
    return [p for p in [*register_sources(config), *apparatus_paths(config), citations_path(config)] if p.is_file()]


def job_key(job: Any, shared: str, tei: dict[str, bytes]) -> str:
    return digest(shared, job.kind, " ".join(job.ids), "pdfa" if job.pdfa_target else "", *(tei[i] for i in job.ids))


def run_cached(run_job: Callable, jobs: Sequence, config: Config, docs: list[Document], workers: int | None = None,
               cache: bool = True, prepare: Callable[[list], list] | None = None, engine: Engine | None = None) -> list:
    """Like map_ordered(run_job, jobs, workers), each job's files and report reused when its key is cached;
    `prepare` (jobs → jobs) runs here on the jobs that miss, before they go to the pool (the build's
    `engine` when given, else a pool of `workers` for this call)."""
    store = Cache(build_cache(config.root, "pdf"), enabled=cache)
    shared = shared_inputs(config)
    tei = {d.id: d.tei_path.read_bytes() for d in docs if d.tei_path.is_file()}
    keys = [job_key(job, shared, tei) for job in jobs]
    reports: list = [None] * len(jobs)
    todo = []
    for n, (job, key) in enumerate(zip(jobs, keys)):
        hit = store.get(job.target.stem, key)        # one entry per PDF: "edition", "d001"
        if isinstance(hit, tuple):
            pdf_bytes, pdfa_bytes, report = hit
            job.target.parent.mkdir(parents=True, exist_ok=True)
            job.target.write_bytes(pdf_bytes)
            if job.pdfa_target is not None:
                job.pdfa_target.parent.mkdir(parents=True, exist_ok=True)
                job.pdfa_target.write_bytes(pdfa_bytes)
            reports[n] = _with_path(report, job.target)
        else:
            todo.append(n)
    missed = [jobs[n] for n in todo]
    if prepare is not None and missed:
        missed = prepare(missed)
    made = map_ordered(run_job, missed, workers) if engine is None else engine.imap(run_job, missed)
    for n, report in zip(todo, made):
        job = jobs[n]
        pdfa = job.pdfa_target.read_bytes() if job.pdfa_target is not None else b""
        store.put(job.target.stem, keys[n], (job.target.read_bytes(), pdfa, report))
        reports[n] = report
    return reports


def _with_path(report: Any, path: Path) -> Any:
    """The cached report, pointing at this build's file (no seconds spent on it)."""
    changes = {"path": path, **({"seconds": 0.0} if "seconds" in {f.name for f in fields(report)} else {})}
    return replace(report, **changes)
