"""Work spread over the machine's cores: a process pool for CPU-bound steps, a thread for a step that
waits on another program (Pagefind).

Processes are started with "spawn", never "fork": saxonche runs a native (GraalVM) isolate with its own
threads, and a forked copy of a process that already holds one is not safe. Each worker therefore
imports the package afresh and makes its own Saxon processor (saxonche allows one per process).
Results come back in the order of the inputs, so the output never depends on which worker was faster.

Workers die with the build that started them, however it ends: a build killed by SIGKILL (or the OOM
killer) cannot stop its pool, and idle workers wait for work forever, holding their memory. Each worker
asks the kernel for SIGKILL when its parent dies (Linux prctl PR_SET_PDEATHSIG; elsewhere a thread
watches for the parent to change); `die_with_parent` does the same for the tools the toolkit runs (jing).
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import threading
import time
import warnings
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

JOBS_ENV = "EDITION_JOBS"   # EDITION_JOBS=1 forces serial work (for comparisons and debugging)


_PR_SET_PDEATHSIG = 1
try:                                   # looked up once here: a child between fork and exec loads nothing
    _prctl = ctypes.CDLL(None, use_errno=True).prctl
except (OSError, AttributeError):      # not Linux
    _prctl = None


def die_with_parent() -> bool:
    """Have the kernel kill this process when its parent dies (Linux); False where it cannot. Safe as a
    subprocess `preexec_fn` (it only calls prctl)."""
    return _prctl is not None and _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0


def _worker_started(parent: int) -> None:
    """Pool initializer: this worker ends when the build process `parent` does, however that ends."""
    asked = die_with_parent()
    if os.getppid() != parent:         # the parent died before the request: nobody will send the signal
        os._exit(1)
    if not asked:
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True, name="edition-parent-watch").start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:      # an orphan is adopted by another process
        time.sleep(0.5)
    os._exit(1)


def available_cores() -> int:
    """The cores this process may use (the affinity mask, not the machine's total, when known)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def worker_count(jobs: int | None, tasks: int) -> int:
    """How many processes to use: `jobs` if given, else $EDITION_JOBS, else every core; never more than tasks."""
    if jobs is None:
        env = os.environ.get(JOBS_ENV, "").strip()
        jobs = int(env) if env.isdigit() and int(env) > 0 else available_cores()
    return max(1, min(jobs, tasks))


def map_ordered(fn: Callable[[T], R], items: Iterable[T], jobs: int | None = None) -> list[R]:
    """fn over items, in a pool of `worker_count` processes (in this process when that is 1).
    fn and the items must be picklable (fn a module-level function). Results in input order."""
    return list(imap_ordered(fn, items, jobs))


def imap_ordered(fn: Callable[[T], R], items: Iterable[T], jobs: int | None = None) -> Iterator[R]:
    """As map_ordered, one result at a time: the caller can store each and let it go, so the results of
    a large edition are never all in memory."""
    items = list(items)
    workers = worker_count(jobs, len(items))
    if workers <= 1:
        yield from (fn(item) for item in items)
        return
    done = 0
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                 initializer=_worker_started, initargs=(os.getpid(),)) as pool:
            # one item per task (documents differ a hundredfold in size, so small tasks keep every core
            # busy), and only a few ahead of the one awaited: finished results wait in memory until their
            # turn, so a window, not the whole edition, bounds them
            window: deque[Future[R]] = deque()
            ahead = iter(items)
            for item in ahead:
                window.append(pool.submit(fn, item))
                if len(window) >= 3 * workers:
                    break
            while window:
                result = window.popleft().result()
                for item in ahead:
                    window.append(pool.submit(fn, item))
                    break
                done += 1
                yield result
    except BrokenProcessPool:
        # a worker died (out of memory, or a script without `if __name__ == "__main__":` that spawn
        # re-runs): the rest of the work is still done, in this process
        warnings.warn("the process pool broke; working serially", RuntimeWarning, stacklevel=2)
        yield from (fn(item) for item in items[done:])


def in_background(fn: Callable[..., R], *args: object) -> Future[R]:
    """Run fn(*args) in a thread; for a step that mostly waits on a subprocess, so Python work can
    go on meanwhile. Call .result() to wait for it (its exception is raised there)."""
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="edition-background")
    future = executor.submit(fn, *args)
    executor.shutdown(wait=False)
    return future
