"""The exports written once per test run into a temporary folder (shared by test_exports and test_dts)."""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from pathlib import Path

from tei_edition import config as config_mod
from tei_edition.exports import ExportResult, write_exports

ROOT = Path(__file__).resolve().parents[1]


@functools.lru_cache(maxsize=1)
def exported() -> tuple[Path, ExportResult]:
    # thousands of small files: in memory when the machine offers it (much faster than a busy disk)
    shm = Path("/dev/shm")
    out = Path(tempfile.mkdtemp(prefix="edition-exports-", dir=shm if shm.is_dir() else None))
    atexit.register(shutil.rmtree, out, ignore_errors=True)
    return out, write_exports(config_mod.load(ROOT), out)
