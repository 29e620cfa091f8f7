"""An ordered map over worker processes, with bounded memory: how ``--jobs N`` uses every core.

:func:`ordered_map` yields ``func(item)`` for every item, in input order, whatever the number of
processes, so a run with ``--jobs 4`` writes the same bytes as one with ``--jobs 1``. Items are
sent in small chunks (inter-process traffic per page is what limits scaling) and at most a few
chunks per worker are in flight: a corpus of millions of records is never queued whole
(``multiprocessing.Pool.imap`` would read the whole iterable ahead).

Worker processes ignore Ctrl-C: the parent alone sees it, stops submitting, cancels what is
queued and lets the workers finish the chunk in hand, so outputs (written by the parent) are
either whole or absent. A worker that dies (killed, out of memory) fails only the items it
held; they are reported as such and a fresh pool takes over.

With one job nothing is forked: the map runs in the calling process, the same code path.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import AbstractContextManager, nullcontext
from itertools import islice
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

CHUNK = 8
"""Items per task: enough to amortise pickling and queue round trips (a page takes ~10 ms), few
enough to keep the workers evenly busy at the end of a run."""

IN_FLIGHT_PER_JOB = 3
"""Chunks queued per worker: keeps every worker fed without reading the input far ahead."""

_state: object = None
_worker_context: AbstractContextManager[object] | None = None


def available_cores() -> int:
    """The cores this process may run on (the affinity mask, not the machine's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def workers(jobs: int, items: int | None = None) -> int:
    """Worker processes for ``jobs`` (``0`` or less: every core), never more than ``items`` to work on."""
    wanted = available_cores() if jobs <= 0 else jobs
    return max(1, wanted if items is None else min(wanted, items))


def worker_state() -> object:
    """What :func:`ordered_map` was given as ``state``, inside a worker (or the parent with one job)."""
    return _state


class WorkerDied(RuntimeError):
    """A worker process ended abnormally while it held an item (killed, out of memory)."""


def ordered_map(
    func: Callable[[T], R],
    items: Iterable[T],
    jobs: int,
    *,
    state: object = None,
    on_death: Callable[[T], R] | None = None,
    chunk: int = CHUNK,
) -> Iterator[R]:
    """``func(item)`` for every item, in order, on ``jobs`` processes.

    ``func`` must be a module-level function (it is pickled by name). ``state`` is made available to
    it through :func:`worker_state` in every worker (sent once per worker, not per item); when it
    has a ``worker_context()`` method, that context is entered for the whole map (serial) or the
    whole life of each worker.
    ``on_death(item)`` gives the result for an item whose worker died; without it the map raises
    :class:`WorkerDied`.
    """
    global _state
    if jobs <= 1:
        previous, _state = _state, state
        try:
            with _context_of(state):
                yield from map(func, items)
        finally:
            _state = previous
        return
    yield from _pooled(func, iter(items), jobs, state, on_death, chunk)


def _pooled(
    func: Callable[[T], R], items: Iterator[T], jobs: int, state: object,
    on_death: Callable[[T], R] | None, chunk: int,
) -> Iterator[R]:
    pool = _Pool(jobs, state)
    pending: deque[tuple[list[T], Future[list[R]]]] = deque()
    try:
        while True:
            while len(pending) < jobs * IN_FLIGHT_PER_JOB:
                batch = list(islice(items, chunk))
                if not batch:
                    break
                pending.append((batch, pool.submit(func, batch)))
            if not pending:
                return
            batch, future = pending.popleft()
            try:
                results = future.result()
            except BrokenProcessPool:
                pool.restart()
                results = [_alone(pool, func, item, on_death) for item in batch]
                pending = deque((queued, pool.submit(func, queued)) for queued, _ in pending)
            yield from results
    finally:
        pool.close()


def _alone(pool: _Pool, func: Callable[[T], R], item: T, on_death: Callable[[T], R] | None) -> R:
    """Run one item of a chunk whose worker died on its own, so only the culprit fails."""
    try:
        return pool.submit(func, [item]).result()[0]
    except BrokenProcessPool:
        pool.restart()
        if on_death is None:
            raise WorkerDied(f"a worker process died while cleaning {item!r}") from None
        return on_death(item)


class _Pool:
    """A process pool that can be replaced after a worker died (a broken pool takes no more work)."""

    def __init__(self, jobs: int, state: object) -> None:
        # fork where it exists: workers start in milliseconds with the modules and the state
        # already loaded; elsewhere the state is pickled once per worker by the initializer.
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        self._context = multiprocessing.get_context(method)
        self._jobs, self._state = jobs, state
        self._executor = self._start()

    def _start(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self._jobs, mp_context=self._context, initializer=_init_worker, initargs=(self._state,)
        )

    def submit(self, func: Callable[[T], R], batch: list[T]) -> Future[list[R]]:
        return self._executor.submit(_run_chunk, func, batch)

    def restart(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
        self._executor = self._start()

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)


def _init_worker(state: object) -> None:
    global _state, _worker_context
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _state = state
    _worker_context = _context_of(state)
    _worker_context.__enter__()  # left when the worker process ends


def _context_of(state: object) -> AbstractContextManager[object]:
    enter = getattr(state, "worker_context", None)
    return enter() if callable(enter) else nullcontext()


def _run_chunk(func: Callable[[T], R], batch: list[T]) -> list[R]:
    return [func(item) for item in batch]
