"""Work spread over the machine's cores, or over a Dask cluster (`Engine`): a process pool for CPU-bound
steps, a thread for a step that waits on another program (Pagefind).

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

from .diagnostics import EditionError

T = TypeVar("T")
R = TypeVar("R")

JOBS_ENV = "EDITION_JOBS"   # EDITION_JOBS=1 forces serial work (for comparisons and debugging)
# Below this much TEI to work on, a stage stays in the build's process: sending documents to workers (and
# a worker's first Saxon or WeasyPrint start) costs more than it saves.
PARALLEL_MIN_BYTES = 4_000_000


_PR_SET_PDEATHSIG = 1
_prctl: Callable[..., int] | None
_malloc_trim: Callable[[int], int] | None
_libc: ctypes.CDLL | None
try:                                   # looked up once here: a child between fork and exec loads nothing
    _libc = ctypes.CDLL(None, use_errno=True)
    _prctl = _libc.prctl
except (OSError, AttributeError):      # not Linux
    _libc, _prctl = None, None
try:
    _malloc_trim = _libc.malloc_trim if _libc is not None else None    # glibc only
except AttributeError:
    _malloc_trim = None


def release_memory() -> None:
    """Give the C heap's free pages back to the system (glibc's malloc_trim; elsewhere nothing). The objects
    a stage drops (a document's DTS responses, ~70 MB for d001, unpickled here from a worker) are freed
    into the heap, which keeps them, between other live objects, as the process's own (its RSS) until
    it is trimmed: ~100-200 MB at 30×, in the build process and in each worker. A few milliseconds."""
    if _malloc_trim is not None:
        _malloc_trim(0)


def _trimmed(fn: Callable[[T], R], item: T) -> R:
    """In a worker: what the previous task left freed goes back to the system before the next starts."""
    release_memory()
    return fn(item)


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
    with Engine(jobs) as engine:
        yield from engine.imap(fn, items)


def process_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of `workers` processes as the Engine starts them (spawned, each ending with this process); for
    a stage that runs its own (print/parts.py: one process per core, each ended on its own)."""
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_worker_started, initargs=(os.getpid(),))


class Engine:
    """Where a build's per-document work runs, for the whole build: in this process (one job), in a pool
    of local processes started once and used by every stage (render, exports, PDFs: a pool costs a Python
    start and imports per worker, paid once), or on a Dask distributed cluster (`scheduler`, the address
    of its scheduler, "tcp://host:8786"), which retries the tasks of a worker it lost on another.

    The work is the same wherever it runs (a module-level function of an item, both picklable) and the
    results come back in the order of the items, so the output is byte-identical. A Dask cluster's workers
    must run this toolkit at the same version and see the project's files at the same paths (a shared
    file system), as the local pool does."""

    def __init__(self, jobs: int | None = None, scheduler: str | None = None, connect_timeout: str = "10s") -> None:
        self.jobs = jobs
        self.scheduler = scheduler or None
        self.connect_timeout = connect_timeout
        self._pool: ProcessPoolExecutor | None = None
        self._client = None

    def __enter__(self) -> "Engine":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        if self._client is not None:
            self._client.close()
            self._client = None

    def where(self) -> str:
        """Where the work runs, in words (for reports)."""
        return f"the Dask cluster at {self.scheduler}" if self.scheduler else "this machine"

    def workers(self, tasks: int) -> int:
        """How many tasks run at once (1: in this process)."""
        if self.scheduler:
            return max(1, min(tasks, sum(self._dask().nthreads().values())))
        return worker_count(self.jobs, tasks)

    def restart(self) -> None:
        """End the local pool's workers now (the next stage starts fresh ones): a worker keeps what an earlier
        stage grew in it (Saxon's compiled stylesheet and heap, WeasyPrint's), ~100-150 MB each at 30×,
        which a stage that needs neither would carry. No effect on a Dask cluster or when no pool runs."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def imap(self, fn: Callable[[T], R], items: Iterable[T], *, parallel: bool = True,
             ahead: int | None = None) -> Iterator[R]:
        """fn over items, results in input order, one at a time (the caller stores each and lets it go).
        `parallel=False`: in this process (too little work to pay for sending it elsewhere). `ahead`: how
        many tasks may be out (running or finished, not yet taken) at once, default three per worker;
        finished results wait in this process, so a stage with large results (the exports' DTS files,
        ~70 MB for d001) asks for fewer."""
        items = list(items)
        if self.scheduler and parallel and items:
            yield from self._dask_imap(fn, items)
            return
        workers = self.workers(len(items)) if parallel else 1
        if workers <= 1:
            yield from (fn(item) for item in items)
            return
        done = 0
        try:
            pool = self._local_pool(workers)
            # one item per task (documents differ a hundredfold in size, so small tasks keep every core
            # busy), and only a few ahead of the one awaited: finished results wait in memory until their
            # turn, so a window, not the whole edition, bounds them
            window: deque[Future[R]] = deque()
            rest = iter(items)
            for item in rest:
                window.append(pool.submit(_trimmed, fn, item))
                if len(window) >= (ahead or 3 * workers):
                    break
            while window:
                release_memory()                 # the result the caller has just let go
                result = window.popleft().result()
                for item in rest:
                    window.append(pool.submit(_trimmed, fn, item))
                    break
                done += 1
                yield result
        except BrokenProcessPool:
            # a worker died (out of memory, or a script without `if __name__ == "__main__":` that spawn
            # re-runs): the rest of the work is still done, in this process
            warnings.warn("the process pool broke; working serially", RuntimeWarning, stacklevel=2)
            self._pool = None
            yield from (fn(item) for item in items[done:])

    def _local_pool(self, workers: int) -> ProcessPoolExecutor:
        # the pool is sized for the whole build (every core asked for), not for the first stage's tasks
        if self._pool is None:
            self._pool = process_pool(max(workers, worker_count(self.jobs, 1 << 30)))
        return self._pool

    def _dask(self):  # -> distributed.Client
        if self._client is None:
            try:
                from distributed import Client
            except ImportError:
                raise EditionError("a Dask scheduler was named, but the `distributed` package is not installed",
                                   hint="pip install 'distributed>=2024.1' (or leave out --scheduler and "
                                        "[build] scheduler to use this machine's cores)") from None
            try:
                self._client = Client(self.scheduler, timeout=self.connect_timeout, set_as_default=False)
            except OSError as exc:
                raise EditionError(f"cannot reach the Dask scheduler at {self.scheduler}: {exc}",
                                   hint="start it (dask scheduler; dask worker ADDRESS on each machine) or fix "
                                        "the address (--scheduler or [build] scheduler in edition.toml)") from None
        return self._client

    def _dask_imap(self, fn: Callable[[T], R], items: list[T]) -> Iterator[R]:
        """On the cluster: a window of tasks ahead of the one awaited, as the local pool. A task whose
        worker died is run again elsewhere by the scheduler itself (distributed's allowed-failures);
        an exception raised by fn is the document's own error and is raised here, not retried."""
        client = self._dask()
        ahead = 4 * max(1, sum(client.nthreads().values()))
        window: deque = deque()
        it = iter(items)
        for item in it:
            window.append(client.submit(fn, item, pure=False))
            if len(window) >= ahead:
                break
        while window:
            future = window.popleft()
            result = future.result()
            future.release()
            for item in it:
                window.append(client.submit(fn, item, pure=False))
                break
            yield result


def in_background(fn: Callable[..., R], *args: object) -> Future[R]:
    """Run fn(*args) in a thread; for a step that mostly waits on a subprocess, so Python work can
    go on meanwhile. Call .result() to wait for it (its exception is raised there)."""
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="edition-background")
    future = executor.submit(fn, *args)
    executor.shutdown(wait=False)
    return future
