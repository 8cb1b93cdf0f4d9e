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
