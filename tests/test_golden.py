"""The output for fixtures equals the reviewed golden files (tests/golden/): the XSLT's fragment, a reading page,
a print page, each import layout. After an intended change, `make golden` rewrites them; review the diff."""

from __future__ import annotations

import difflib
import importlib.util
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parent / "golden"
spec = importlib.util.spec_from_file_location("golden_main", GOLDEN / "__main__.py")
assert spec is not None and spec.loader is not None
golden = importlib.util.module_from_spec(spec)
spec.loader.exec_module(golden)


@pytest.mark.parametrize("name", golden.CASES)
def test_output_matches_its_golden_file(name):
    expected = (GOLDEN / name).read_text(encoding="utf-8")
    got = golden.current(name)
    diff = "".join(difflib.unified_diff(expected.splitlines(True), got.splitlines(True), "golden", "now", n=1))
    assert got == expected, f"{name} changed (run `make golden` if intended, and review the diff):\n{diff[:4000]}"
