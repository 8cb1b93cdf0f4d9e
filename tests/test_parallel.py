"""The process pool: documents rendered on several cores give the same site, byte for byte, as one core."""

from __future__ import annotations

import os

import pytest

from tei_edition import config as config_mod
from tei_edition.html import stage as html_stage
from tei_edition.build import build
from tei_edition.parallel import Engine, map_ordered, worker_count
from tei_edition.synthetic import make_synthetic

from test_incremental import differences, tree


@pytest.mark.slow
def test_parallel_build_equals_serial_build(cfg, tmp_path):
    project = make_synthetic(cfg, tmp_path / "project", 1, only=["d002", "d000", "d004"]).root
    edition = config_mod.load(project)
    build(edition, search=False, jobs=2, cache=False, out=tmp_path / "parallel")
    assert html_stage.last_run.workers == 2 and len(html_stage.last_run.rendered) == 3
    build(edition, search=False, jobs=1, cache=False, out=tmp_path / "serial")
    assert html_stage.last_run.workers == 1
    serial = tree(tmp_path / "serial")
    assert len([p for p in serial if p.endswith(".html")]) > 100      # register, reading and id/ pages
    assert differences(tree(tmp_path / "parallel"), serial) == []


def test_results_keep_the_order_of_the_inputs():
    # abs of a shuffled list in two processes: the order is the input's, whichever worker finishes first
    items = [5, -3, 8, -1, 0, 2, -9]
    assert map_ordered(abs, items, jobs=2) == [5, 3, 8, 1, 0, 2, 9]


def test_worker_count(monkeypatch):
    monkeypatch.delenv("EDITION_JOBS", raising=False)
    assert worker_count(None, 100) == len(os.sched_getaffinity(0))
    assert worker_count(8, 3) == 3                                    # never more processes than tasks
    monkeypatch.setenv("EDITION_JOBS", "1")
    assert worker_count(None, 100) == 1


def _pid(_: object) -> int:
    return os.getpid()


def test_tasks_out_at_once_are_bounded_and_a_restart_starts_fresh_workers(monkeypatch):
    """`ahead` bounds the tasks out (running, or finished and waiting here with their results: the exports
    ask for one per worker, a part of d001 being ~70 MB); `restart` ends the workers, the next stage
    gets new ones (without what the last stage grew in them)."""
    from concurrent.futures import ProcessPoolExecutor
    submitted = []
    real_submit = ProcessPoolExecutor.submit
    monkeypatch.setattr(ProcessPoolExecutor, "submit",
                        lambda self, fn, *a, **k: submitted.append(1) or real_submit(self, fn, *a, **k))
    with Engine(2) as engine:
        out = []
        for n, pid in enumerate(engine.imap(_pid, range(9), ahead=2)):
            assert len(submitted) - n <= 3       # the one taken now and at most two more
            out.append(pid)
        assert len(submitted) == 9 and len(set(out)) <= 2
        default = []
        for n, _ in enumerate(engine.imap(_pid, range(12))):
            default.append(len(submitted) - 9 - n)
        assert max(default) == 7                 # three per worker ahead, and the one taken
        engine.restart()
        again = set(engine.imap(_pid, range(6)))
    assert again and not again & set(out)        # other processes
