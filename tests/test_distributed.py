"""Past one machine (#19): the per-document work of a build on a real Dask cluster (distributed.LocalCluster,
two worker processes) gives the local build's site byte for byte, and a worker lost in the middle of the
work costs its task a second run on another worker, not the build."""

from __future__ import annotations

import hashlib
import logging
import os
import signal
import sys
import threading
import time
from pathlib import Path

import cloudpickle
import pytest
from distributed import LocalCluster

from tei_edition import config as config_mod
from tei_edition.build import _build
from tei_edition.diagnostics import EditionError
from tei_edition.html import stage as html_stage
from tei_edition.parallel import Engine
from tei_edition.synthetic import make_synthetic


@pytest.fixture(scope="module")
def cluster():
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                      silence_logs=logging.ERROR) as running:
        yield running


def digests(folder: Path) -> dict[str, str]:
    """Every file of a folder by relative path, with its SHA-256 (a 10x site is too large to hold)."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _dies_once(item: tuple[int, str]) -> int:
    """On a worker: item 3 kills its worker process the first time it runs (a machine lost mid-build)."""
    n, marker = item
    if n == 3 and not Path(marker).exists():
        Path(marker).write_text(str(os.getpid()))
        os._exit(1)
    return n * n


def test_the_tasks_of_a_lost_worker_are_run_again_by_the_engine(cluster, tmp_path):
    cloudpickle.register_pickle_by_value(sys.modules[__name__])   # the workers do not import tests/
    marker = tmp_path / "died"
    with Engine(scheduler=cluster.scheduler_address) as engine:
        assert list(engine.imap(_dies_once, [(n, str(marker)) for n in range(8)])) == [n * n for n in range(8)]
    assert marker.exists()                                         # a worker did die, and the work went on


def test_an_unreachable_scheduler_is_a_clear_error():
    with pytest.raises(EditionError, match=r"cannot reach the Dask scheduler at tcp://127\.0\.0\.1:9") as err:
        with Engine(scheduler="tcp://127.0.0.1:9", connect_timeout="2s") as engine:
            list(engine.imap(abs, [1, -2]))
    assert "--scheduler" in str(err.value)


def kill_a_busy_worker(cluster: LocalCluster, stop: threading.Event, killed: list[int]) -> None:
    """Once a worker of the cluster is running a task, kill its process (SIGKILL: a machine lost)."""
    while not stop.is_set():
        busy = [w for w in list(cluster.scheduler.workers.values()) if w.processing and w.pid]
        if busy:
            killed.append(busy[0].pid)
            os.kill(busy[0].pid, signal.SIGKILL)
            return
        time.sleep(0.02)


@pytest.mark.slow
def test_the_whole_edition_twice_on_a_cluster_that_loses_a_worker_is_the_local_build(cfg, tmp_path):
    """A corpus like the edition's, not copies of its short documents: all five documents twice (Russian
    and Greek, the 24-page d001 and the two copies of every figure and note; 10 documents, 7 MB of TEI).
    A worker process is killed while it renders: the cluster (its nanny restarts the worker) runs the
    lost tasks again, and the site is still the local build's, byte for byte. (The synthetic 10× corpus,
    50 documents, costs about 8 minutes for the two builds on the project's shared 2 cores: too long for
    the suite.)"""
    project = make_synthetic(cfg, tmp_path / "project", 2).root
    edition = config_mod.load(project)
    quiet = {"search": False, "cache": False, "interface": None, "pdf": False, "log": lambda msg: None}
    stop, killed = threading.Event(), []
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                      silence_logs=logging.CRITICAL) as lossy:
        killer = threading.Thread(target=kill_a_busy_worker, args=(lossy, stop, killed), daemon=True)
        killer.start()
        try:
            with Engine(scheduler=lossy.scheduler_address) as engine:
                _build(edition, out=tmp_path / "dask", jobs=None, engine=engine, **quiet)
        finally:
            stop.set()
            killer.join()
        run = html_stage.last_run
        assert run.where == f"the Dask cluster at {lossy.scheduler_address}" and run.workers == 2
    assert killed, "no worker was ever seen busy"
    assert len(run.rendered) == 10 and run.reused == []
    _build(edition, out=tmp_path / "local", jobs=2, **quiet)
    local = digests(tmp_path / "local")
    assert {k.split("/")[0] for k in local} >= {f"d{n:03}" for n in range(5)} | {"register", "data", "id"}
    on_cluster = digests(tmp_path / "dask")
    assert sorted(k for k in local.keys() | on_cluster.keys() if local.get(k) != on_cluster.get(k)) == []
