"""The XSLT's output for real excerpts (tests/golden/excerpts.xml) equals the reviewed golden file (refresh with `make golden` after an
intended change, and review the diff)."""

from __future__ import annotations

import difflib
import importlib.util
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent / "golden"
spec = importlib.util.spec_from_file_location("golden_main", GOLDEN / "__main__.py")
golden = importlib.util.module_from_spec(spec)
spec.loader.exec_module(golden)


def test_excerpts_match_golden_html():
    expected = (GOLDEN / "excerpts.html").read_text(encoding="utf-8")
    got = golden.current("excerpts.html")
    diff = "".join(difflib.unified_diff(expected.splitlines(True), got.splitlines(True), "golden", "now", n=1))
    assert got == expected, f"the HTML of the excerpts changed (make golden if intended):\n{diff[:4000]}"
