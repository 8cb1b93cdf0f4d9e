"""benchmarks/run.py's arithmetic: the floor beside each cold build, medians with their spread, and the check
that every round built the same site (#19: "each figure labelled, a fixed-seed run twice gives the same counts").
No timing is asserted: only how the printed figures are made from the measured ones."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location("benchmark_run", Path(__file__).resolve().parents[1] / "benchmarks" / "run.py")
assert _spec is not None and _spec.loader is not None
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)


def _floor(parse: float, transform: float, write: float, pagefind: float) -> dict:
    steps = {"parse": parse, "transform": transform, "write": write, "pagefind": pagefind}
    return (steps | {f"{k}_cpu": v * 2 for k, v in steps.items()}     # CPU twice the wall, to tell them apart
            | {f"{k}_sys": v for k, v in steps.items()})           # half of it in the kernel


def _cold(wall: float, cpu: float, build_cpu: float, files: int = 100) -> dict:
    return {"wall": wall, "cpu": cpu, "build_cpu": build_cpu, "build_sys": 1.0, "documents": 5, "reading_pages": 40,
            "html_files": 60, "files": files, "data_files": 10}


def test_spread_median_odd_and_even() -> None:
    assert bench.spread([3.0, 1.0, 2.0]) == (2.0, 1.0, 3.0, 3)
    assert bench.spread([4.0, 1.0, 2.0, 3.0]) == (2.5, 1.0, 4.0, 4)
    assert bench.said([1.0]) == "1.00 s"
    assert bench.said([1.0, 3.0, 2.0], "×") == "2.00 × (3 rounds: 1.00–3.00)"
    with pytest.raises(ValueError):
        bench.spread([])


def test_floor_total_counts_pagefind_only_when_searching() -> None:
    f = _floor(0.1, 1.0, 0.5, 2.0)
    assert bench.floor_total(f, True) == pytest.approx((3.6, 7.2))
    assert bench.floor_total(f, False) == pytest.approx((1.6, 3.2))
    assert bench.floor_user(f, True) == pytest.approx(3.6)       # the kernel's half left out
    assert bench.floor_user(f, False) == pytest.approx(1.6)


def test_each_cold_build_is_divided_by_its_own_rounds_floor() -> None:
    # a slow floor in round 2 (the neighbours wrote meanwhile) and a slow cold build in round 3: each ratio
    # uses the floor measured beside it, not a floor from another round
    floors = [_floor(0.0, 1.0, 1.0, 0.0), _floor(0.0, 1.0, 3.0, 0.0), _floor(0.0, 1.0, 1.0, 0.0)]
    colds = [_cold(4.0, 8.0, 6.0), _cold(8.0, 16.0, 12.0), _cold(10.0, 20.0, 18.0)]
    ratios = bench.floor_ratios(colds, floors, search=False)
    assert ratios["wall"] == pytest.approx([2.0, 2.0, 5.0])
    assert ratios["cpu"] == pytest.approx([2.0, 2.0, 5.0])
    assert ratios["build_cpu"] == pytest.approx([1.5, 1.5, 4.5])
    assert ratios["user"] == pytest.approx([2.5, 2.75, 8.5])   # (build() CPU − its kernel's 1 s) / the floor's user CPU
    assert bench.spread(ratios["cpu"])[0] == pytest.approx(2.0)


def test_failed_rounds_are_left_out_of_the_ratios() -> None:
    floors = [_floor(0.0, 1.0, 1.0, 0.0), {"error": "boom"}]
    colds = [_cold(4.0, 8.0, 6.0), _cold(8.0, 16.0, 12.0)]
    assert bench.floor_ratios(colds, floors, search=False)["cpu"] == pytest.approx([2.0])
    assert bench.floor_ratios([{"error": "boom"}], floors[:1], search=False)["cpu"] == []


def test_same_counts_says_when_rounds_differ() -> None:
    assert bench.same_counts([_cold(1, 1, 1), _cold(2, 2, 2)]) == "the same in every round"
    assert "DIFFERENT" in bench.same_counts([_cold(1, 1, 1), _cold(2, 2, 2, files=101)])


def test_median_run_keeps_the_whole_median_round() -> None:
    rounds = [_cold(5.0, 1.0, 1.0), _cold(3.0, 2.0, 2.0), _cold(9.0, 3.0, 3.0), {"error": "x"}]
    middle = bench.median_run(rounds)
    assert middle["wall"] == 5.0 and middle["cpu"] == 1.0
    assert middle["spread"] == (3.0, 9.0, 3)


def test_the_largest_edit_is_set_against_the_floor_measured_after_it() -> None:
    floor = {"parse": 0.1, "parse_cpu": 0.1, "transform": 0.5, "transform_cpu": 0.5, "pagefind": 1.4,
             "pagefind_cpu": 1.9, "pages": 27}
    text = bench.edit_floor_text({"wall": 3.0, "cpu": 6.0}, floor)
    assert text.startswith("parse 0.10 s, our XSLT 0.50 s, Pagefind over its 27 reading pages 1.40 s: 2.00 s wall, 2.50 s CPU")
    assert text.endswith("the edit took 1.5× its wall, 2.4× its CPU")
    assert "took" not in bench.edit_floor_text({"error": "boom"}, floor)      # a failed edit: its floor alone
    assert bench.edit_floor_text({"wall": 3.0, "cpu": 6.0}, {"error": "boom"}) == "FAILED: boom"
    unsearched = floor | {"pagefind": 0.0, "pagefind_cpu": 0.0, "pages": 0}     # a build without the index
    assert bench.edit_floor_text({"wall": 3.0, "cpu": 6.0}, unsearched) == (
        "parse 0.10 s, our XSLT 0.50 s, no Pagefind (no search index): 0.60 s wall, 0.60 s CPU; "
        "the edit took 5.0× its wall, 10.0× its CPU")


def test_the_trash_puts_folders_aside_and_removes_them_only_when_emptied(tmp_path: Path) -> None:
    trash = bench.Trash(tmp_path / "trash")
    site = tmp_path / "build" / "site"
    site.mkdir(parents=True)
    (site / "index.html").write_text("x")
    trash.put(tmp_path / "build")
    trash.put(tmp_path / "absent")                   # (nothing there: nothing done)
    assert not (tmp_path / "build").exists()
    assert (tmp_path / "trash" / "1" / "site" / "index.html").read_text() == "x"   # renamed, not removed
    assert trash.count == 1
    trash.empty()
    assert not (tmp_path / "trash").exists()


def test_the_trash_is_emptied_at_once_when_the_disk_runs_low(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(bench.Trash, "LOW_DISK", 1 << 62)
    trash = bench.Trash(tmp_path / "trash")
    (tmp_path / "copy").mkdir()
    trash.put(tmp_path / "copy")
    assert not (tmp_path / "copy").exists() and not (tmp_path / "trash").exists()
    assert "little disk space" in capsys.readouterr().out
