"""The PDF stage through the content-hash cache: a PDF whose inputs have not changed is copied from
`.cache/build/pdf/` instead of being laid out again (WeasyPrint takes seconds to minutes per PDF).

A job's key covers everything a PDF is made from: the TEI of its documents (in order), the register,
edition.toml, the stylesheets, the templates (print shells, CSS, interface strings), the font files
(name, size, date), the code of the render package, the WeasyPrint version, the build date printed
in the PDF, and the job itself (kind, documents, PDF/A twin or not). Only jobs that miss go to the pool.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path

from ..cache import Cache, digest, files_digest
from ..paths import CHECKOUT, PACKAGE
from ..corpus import documents, register_paths
from ..parallel import map_ordered

ROOT = CHECKOUT
TEMPLATE_DIRS = ("templates/print", "templates/i18n", "xslt")


def cache_folder(root: Path) -> Path:
    return root / ".cache" / "build" / "pdf"


@lru_cache(maxsize=1)
def _weasyprint() -> str:
    from importlib.metadata import version
    return f"weasyprint {version('weasyprint')}, saxonche {version('saxonche')}"


def _fonts() -> str:
    from . import stage as pdf
    try:
        faces = pdf.fonts.faces()
    except Exception as exc:  # a missing font: the stage itself reports it; the key just differs
        return f"fonts unavailable: {exc}"
    parts = []
    for face in faces:
        path = next((v for v in getattr(face, "__dict__", {}).values() if isinstance(v, Path)), None)
        stat = path.stat() if path is not None and path.exists() else None
        parts.append(f"{face!r} {stat.st_size if stat else 0} {stat.st_mtime_ns if stat else 0}")
    return "\n".join(parts)


def _shared_inputs(config) -> str:
    """The part of every key that does not depend on the job."""
    from . import stage as pdf
    templates = [p for d in TEMPLATE_DIRS for p in (ROOT / d).rglob("*") if p.is_file()]
    code = [p for d in ("print", "html", "site") for p in (PACKAGE / d).rglob("*.py")] + [PACKAGE / n for n in ("xmlsafe.py", "corpus.py",
                                                                                    "config.py", "trees.py", "__init__.py")]
    register = register_paths(config)
    return digest(files_digest(templates), files_digest(code), files_digest(register),
                  (config.root / "edition.toml").read_bytes(), _fonts(), _weasyprint(), pdf._build_date())


def _key(job, shared: str, tei: dict[str, bytes]) -> str:
    return digest(shared, job.kind, " ".join(job.ids), "pdfa" if job.pdfa_target else "", *(tei[i] for i in job.ids))


def _name(job) -> str:
    return job.target.stem   # "edition", "d001": one entry per PDF


def run_cached(run_job: Callable, jobs: Sequence, config, workers: int | None = None,
               cache: bool = True, prepare: Callable[[list], list] | None = None) -> list:
    """Like map_ordered(run_job, jobs, workers), each job's files and report reused when its key is cached;
    `prepare` (jobs → jobs) runs here on the jobs that miss, before they go to the pool."""
    store = Cache(cache_folder(config.root), enabled=cache)
    shared = _shared_inputs(config)
    tei = {d.id: d.tei_path.read_bytes() for d in documents(config) if d.tei_path.is_file()}
    keys = [_key(job, shared, tei) for job in jobs]
    reports: list = [None] * len(jobs)
    todo = []
    for n, (job, key) in enumerate(zip(jobs, keys)):
        hit = store.get(_name(job), key)
        if hit is not None:
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
    if prepare is not None:
        missed = prepare(missed)
    for n, report in zip(todo, map_ordered(run_job, missed, workers)):
        job = jobs[n]
        pdfa = job.pdfa_target.read_bytes() if job.pdfa_target is not None else b""
        store.put(_name(job), keys[n], (job.target.read_bytes(), pdfa, report))
        reports[n] = report
    return reports


def _with_path(report, path: Path):
    """The cached report, pointing at this build's file (no seconds spent on it)."""
    from dataclasses import fields, replace
    changes = {"path": path, **({"seconds": 0.0} if "seconds" in {f.name for f in fields(report)} else {})}
    return replace(report, **changes)
