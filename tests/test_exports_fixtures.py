"""The exports written once per test run into a temporary folder (shared by test_exports and test_dts), from
the html stage's results as the build passes them (the documents with their facts, their plain texts)."""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from pathlib import Path

from tei_edition import config as config_mod, i18n, register
from tei_edition.build import available_documents
from tei_edition.corpus import register_paths
from tei_edition.exports import ExportResult, write_exports
from tei_edition.html.stage import render_documents

ROOT = Path(__file__).resolve().parents[1]


@functools.lru_cache(maxsize=1)
def exported() -> tuple[Path, ExportResult]:
    # thousands of small files: in memory when the machine offers it (much faster than a busy disk)
    shm = Path("/dev/shm")
    out = Path(tempfile.mkdtemp(prefix="edition-exports-", dir=shm if shm.is_dir() else None))
    atexit.register(shutil.rmtree, out, ignore_errors=True)
    cfg = config_mod.load(ROOT)
    builds = render_documents(cfg, available_documents(cfg)[0], i18n.load("en"), register.load(register_paths(cfg)))
    texts = {b.id: b.text_and_member()[0].encode("utf-8") for b in builds}
    return out, write_exports(cfg, out, [b.doc for b in builds], texts.__getitem__)
