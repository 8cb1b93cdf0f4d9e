"""TEI conformance: the official tei_all.rng (TEI P5 4.3.0), run with jing (one JVM for all files).

lxml needs 7–9 s to compile tei_all and jing about one second, so this is opt-in for `edition validate`
(--tei-all) and always run by the test suite.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from ..diagnostics import Diagnostic

_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning|fatal): (?P<msg>.*)$")


def check(rng: Path, files: dict[Path, str]) -> list[Diagnostic]:
    """Validate `files` (absolute path → path to show) against tei_all; jing's messages as diagnostics."""
    if not files:
        return []
    if not rng.is_file():
        return [Diagnostic(str(rng), 0, 0, "error", "the official tei_all.rng is missing", "tei-all",
                           "run `make setup`: it fetches TEI P5 4.3.0's tei_all.rng into .cache/tei/")]
    jing = shutil.which("jing")
    if jing is None:
        return [Diagnostic(str(rng), 0, 0, "error", "jing is not installed: cannot check TEI conformance", "tei-all",
                           "apt-get install jing (make setup does it)")]
    run = subprocess.run([jing, str(rng), *map(str, files)], capture_output=True, text=True, timeout=300)
    out = []
    shown = {str(p): name for p, name in files.items()}
    for raw in run.stdout.splitlines():
        m = _LINE.match(raw)
        if not m:
            continue
        sev = "warning" if m["sev"] == "warning" else "error"
        out.append(Diagnostic(shown.get(m["path"], m["path"]), int(m["line"]), int(m["col"]), sev,
                              f"tei_all: {m['msg']}", "tei-all"))
    if run.returncode not in (0, 1) and not out:
        out.append(Diagnostic(str(rng), 0, 0, "error", f"jing failed: {run.stderr.strip()[:300]}", "tei-all"))
    return out
