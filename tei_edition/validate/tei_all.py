"""TEI conformance: the official tei_all.rng (TEI P5 4.3.0), run with jing (one JVM for all files).

lxml needs 7–9 s to compile tei_all and jing about one second, so this is opt-in for `edition validate`
(--tei-all) and always run by the test suite.

Jing reads nothing a TEI file names. It is run as `java -cp jing.jar`, not through Debian's `jing` script,
which switches Xerces' XInclude processing on (jing then fetched URLs and read local files named by
<xi:include>); and it reads copies of the very bytes xmlsafe checked (no DOCTYPE with an external id,
nothing changed since), in a private folder, so a relative reference leads nowhere.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..diagnostics import Diagnostic
from ..parallel import die_with_parent
from ..xmlsafe import XMLProblem, parse_bytes

_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning|fatal): (?P<msg>.*)$")
JING_JARS = (Path("/usr/share/java/jing.jar"),)    # Debian's package `jing` (make setup installs it)
DRIVER = "com.thaiopensource.relaxng.util.Driver"


def check(rng: Path, files: dict[Path, str], contents: dict[Path, bytes] | None = None) -> list[Diagnostic]:
    """Validate `files` (path → path to show) against tei_all; jing's messages as diagnostics. `contents`
    gives the bytes already checked for a path; any other file is read and checked by xmlsafe here."""
    if not files:
        return []
    if not rng.is_file():
        return [Diagnostic(str(rng), 0, 0, "error", "the official tei_all.rng is missing", "tei-all",
                           "run `make setup`: it fetches TEI P5 4.3.0's tei_all.rng into .cache/tei/")]
    java, jar = shutil.which("java"), next((j for j in JING_JARS if j.is_file()), None)
    if java is None or jar is None:
        return [Diagnostic(str(rng), 0, 0, "error", "jing is not installed: cannot check TEI conformance", "tei-all",
                           "apt-get install jing (make setup does it)")]
    out: list[Diagnostic] = []
    with tempfile.TemporaryDirectory(prefix="edition-tei-all-") as tmp:
        shown: dict[str, str] = {}
        for i, (path, name) in enumerate(files.items()):
            data = (contents or {}).get(path)
            if data is None:
                try:
                    data = Path(path).read_bytes()
                    parse_bytes(data, name)
                except XMLProblem as exc:
                    out.append(exc.diag)
                    continue
            copy = Path(tmp) / f"{i}.xml"
            copy.write_bytes(data)
            shown[str(copy)] = name
        if not shown:
            return out
        run = subprocess.run([java, "-cp", str(jar), DRIVER, str(rng), *shown], capture_output=True, text=True,
                             timeout=300, cwd=tmp, preexec_fn=die_with_parent)
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
