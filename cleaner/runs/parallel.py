"""An ordered map over worker processes, with bounded memory: how ``--jobs N`` uses every core.

:func:`ordered_map` yields ``func(item)`` for every item, in input order, whatever the number of
processes, so a run with ``--jobs 4`` writes the same bytes as one with ``--jobs 1``. Items are
sent in small chunks (inter-process traffic per page is what limits scaling) and at most a few
chunks per worker are outstanding: a corpus of millions of records is never queued whole
(``multiprocessing.Pool.imap`` would read the whole iterable ahead).

Each worker notes in shared memory which item it is working on and since when, and sends the
results of a chunk together (one wake-up of the parent per chunk), so the parent always knows
which item a worker holds. With a ``timeout`` the parent kills a worker whose item runs past it
(C code such as lxml's parser ignores the ``SIGALRM`` of :func:`cleaner.runs.limits.time_limit`; a kill
it cannot ignore), gives that item ``on_timeout(item)`` and starts a fresh worker for the
rest. A worker that dies (killed, out of memory) fails only the item it held, through
``on_death``; its other items go to a fresh worker.

Workers ignore Ctrl-C, SIGTERM and SIGHUP: the parent alone handles them, and on any exception
(or when the map is closed early) it kills its workers before going on, so outputs (written by
the parent) are whole or absent and no worker outlives the run. A worker also dies with its
parent (Linux ``PR_SET_PDEATHSIG``), should the parent be killed outright.

With one job and no timeout nothing is forked: the map runs in the calling process.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import pickle
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from itertools import chain, islice
from multiprocessing.connection import Connection, wait
from typing import Any, Generic, TypeVar

__all__ = ["WORKER_DIED", "WorkerDied", "WorkerTimedOut", "available_cores", "ordered_map", "worker_state", "workers"]

T = TypeVar("T")
R = TypeVar("R")

CHUNK = 8
"""Items per task: enough to amortise pickling and queue round trips (a page takes ~10 ms), few
enough to keep the workers evenly busy at the end of a run."""

IN_FLIGHT_PER_JOB = 3
"""Chunks outstanding per worker (sent, or done but waiting for an earlier item): keeps every
worker fed without reading the input far ahead."""

KILL_GRACE = 1.0
"""Seconds past the timeout before the parent kills a worker. Inside the worker the same timeout
raises at once in Python code (:func:`cleaner.runs.limits.time_limit`), which keeps the worker and its
warm caches; the kill is for code that never returns to Python."""

QUEUE_BYTES = 64 * 1024
"""A second chunk is queued to a busy worker only when it is this small: a larger one could fill the
pipe, and a parent blocked writing to a stuck worker could not kill it."""

WORKER_DIED = "the worker process cleaning it died (out of memory or killed)"
"""The one-line reason an item fails when its worker dies (what ``on_death`` callers report)."""

_NOTHING = object()
_state: object = None
_SIGNALS_FOR_THE_PARENT = (signal.SIGINT, signal.SIGTERM, *((signal.SIGHUP,) if hasattr(signal, "SIGHUP") else ()))


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


class WorkerTimedOut(RuntimeError):
    """A worker process was killed because its item ran past the map's timeout."""


def ordered_map(
    func: Callable[[T], R],
    items: Iterable[T],
    jobs: int,
    *,
    state: object = None,
    on_death: Callable[[T], R] | None = None,
    chunk: int = CHUNK,
    timeout: float | None = None,
    on_timeout: Callable[[T], R] | None = None,
) -> Iterator[R]:
    """``func(item)`` for every item, in order, on ``jobs`` processes.

    ``func`` must be a module-level function where processes are spawned, not forked (it is
    then pickled by name). ``state`` is made available to it through :func:`worker_state` in
    every worker (sent once per worker, not per item); its ``warm_up()`` method, if it has one,
    is called once before workers are forked.
    ``on_death(item)`` gives the result for an item whose worker died; without it the map raises
    :class:`WorkerDied`. ``timeout``: seconds one item may take (``None`` or 0: no limit); an item
    past it (plus :data:`KILL_GRACE`) has its worker killed and gets ``on_timeout(item)`` (without
    it the map raises :class:`WorkerTimedOut`). A timeout always uses worker processes, even
    with one job: only a separate process can be stopped in the middle of C code.
    """
    global _state
    limit = timeout + KILL_GRACE if timeout and timeout > 0 else None
    if jobs <= 1 and limit is None:
        previous, _state = _state, state
        try:
            yield from map(func, items)
        finally:
            _state = previous
        return
    pending = iter(items)
    first = next(pending, _NOTHING)
    if first is _NOTHING:
        return  # no item: no process to start
    pool = _Pool(func, max(1, jobs), state, chunk, limit)
    try:
        yield from pool.results(chain([first], pending), on_death, on_timeout)  # type: ignore[list-item]
    except BaseException:
        pool.kill()
        raise
    finally:
        pool.close()


@dataclass(eq=False)  # one worker is equal to itself only (list.index finds it by identity)
class _Worker(Generic[T]):
    """One worker process, the items sent to it that it has not answered yet, and when it started the first."""

    process: Any  # multiprocessing's Process of the chosen start method
    conn: Connection
    progress: Any  # shared doubles written by the worker: [index of the item in hand, when it started (0: none)]
    held: deque[tuple[int, T]] = field(default_factory=deque)  # (index, item) sent and not answered, oldest first
    sent: float = 0.0  # when the oldest chunk held was sent

    def in_hand(self) -> tuple[int, float] | None:
        """(index, start time) of the item the worker is on, or ``None`` (between items, or being updated)."""
        started, index, again = self.progress[1], self.progress[0], self.progress[1]
        return (int(index), started) if started and started == again else None

    def since(self) -> float:
        """When the worker's current work began: its item's start, else (not started yet) the chunk's sending."""
        current = self.in_hand()
        return current[1] if current is not None else self.sent


class _Pool(Generic[T, R]):
    """Worker processes that each take chunks of items and answer item by item (see the module docstring)."""

    def __init__(self, func: Callable[[T], R], jobs: int, state: object, chunk: int, limit: float | None) -> None:
        # fork where it exists: workers start in milliseconds with the modules and the state
        # already loaded; elsewhere func and state are pickled once per worker.
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        self._context = multiprocessing.get_context(method)
        self._forked = method == "fork"
        self._func, self._state, self._chunk, self._limit = func, state, chunk, limit
        self._jobs = jobs
        warm_up = getattr(state, "warm_up", None)
        if self._forked and callable(warm_up):
            warm_up()  # once here, not in every worker: forked workers (replacements too) start warm
        self._workers: list[_Worker[T]] = []
        try:
            for _ in range(jobs):
                self._workers.append(self._start())
        except BaseException:  # SIGTERM, or fork failed: none of those started may be left behind
            self.kill()
            raise

    def _start(self) -> _Worker[T]:
        parent_end, child_end = self._context.Pipe()
        progress = self._context.RawArray("d", 2)
        # A forked worker closes its copies of the parent's ends, or the parent's death would go unseen.
        inherited = [parent_end, *(worker.conn for worker in self._workers)] if self._forked else []
        process = self._context.Process(
            target=_work, args=(child_end, progress, inherited, self._func, self._state), daemon=True
        )
        process.start()
        child_end.close()  # the worker's end lives in the worker alone: its death is an EOF here
        return _Worker(process, parent_end, progress)

    def results(
        self, items: Iterator[T], on_death: Callable[[T], R] | None, on_timeout: Callable[[T], R] | None
    ) -> Iterator[R]:
        done: dict[int, R] = {}
        retry: deque[tuple[int, T]] = deque()  # items taken back from a worker that died or was killed
        taken = following = 0  # items read from ``items``; index of the next result to yield
        exhausted = False
        bound = self._jobs * IN_FLIGHT_PER_JOB * self._chunk
        while True:
            while following in done:
                yield done.pop(following)
                following += 1
            for position, worker in enumerate(self._workers):
                if len(worker.held) >= 2 * self._chunk:
                    continue  # one chunk in hand and one queued (so the worker never waits for the parent)
                batch = [retry.popleft() for _ in range(min(len(retry), self._chunk))]
                if not batch and not exhausted and taken - following < bound:
                    fresh = list(islice(items, self._chunk))
                    exhausted = len(fresh) < self._chunk
                    batch = [(taken + offset, item) for offset, item in enumerate(fresh)]
                    taken += len(fresh)
                if batch and not self._send(worker, batch):
                    retry.extendleft(reversed(batch))
                    if not worker.held:  # an idle worker that cannot be written to is gone
                        _end(worker)
                        self._workers[position] = self._start()
            busy = [worker for worker in self._workers if worker.held]
            if not busy:
                if retry:
                    continue
                return
            for worker in self._ready(busy):
                self._receive(worker, done, retry, on_death)
            self._expire(done, retry, on_timeout)

    def _send(self, worker: _Worker[T], batch: list[tuple[int, T]]) -> bool:
        """Give ``batch`` to ``worker``: at once if it is idle, queued if it is busy and the batch is small.

        False when it was not sent: too large to queue (it waits for an idle worker), or the
        worker is gone (a busy one's end is then read as its death).
        """
        data = pickle.dumps(batch, protocol=pickle.HIGHEST_PROTOCOL)
        if worker.held and len(data) > QUEUE_BYTES:
            return False
        try:
            worker.conn.send_bytes(data)
        except OSError:
            return False
        if not worker.held:
            worker.sent = time.monotonic()
        worker.held.extend(batch)
        return True

    def _ready(self, busy: list[_Worker[T]]) -> list[_Worker[T]]:
        """The busy workers with an answer (or an end) to read, waiting at most until the next deadline."""
        wait_for: float | None = None
        if self._limit is not None:
            # at least a moment: a worker past the deadline but between items cannot be judged yet
            wait_for = max(0.05, min(worker.since() for worker in busy) + self._limit - time.monotonic())
        ready = set(wait([worker.conn for worker in busy], wait_for))
        return [worker for worker in busy if worker.conn in ready]

    def _receive(
        self, worker: _Worker[T], done: dict[int, R], retry: deque[tuple[int, T]], on_death: Callable[[T], R] | None
    ) -> None:
        try:
            answers = worker.conn.recv()
        except (EOFError, OSError):
            index, item = self._culprit(worker)
            self._replace(worker, retry)
            if on_death is None:
                raise WorkerDied(f"a worker process died while working on {item!r}") from None
            done[index] = on_death(item)
            return
        for kind, value in answers:  # a chunk's answers, in the order it was sent
            index, _ = worker.held.popleft()
            if kind == "raise":
                raise value
            done[index] = value
        worker.sent = time.monotonic()  # a queued chunk, if any, is taken up now

    def _expire(self, done: dict[int, R], retry: deque[tuple[int, T]], on_timeout: Callable[[T], R] | None) -> None:
        """Kill every worker whose item is past the limit; the item gets ``on_timeout``, the rest go elsewhere."""
        if self._limit is None:
            return
        now = time.monotonic()
        for worker in list(self._workers):
            current = worker.in_hand() if worker.held else None
            if current is not None and now - current[1] > self._limit:
                index, item = self._culprit(worker)
                self._replace(worker, retry)
                if on_timeout is None:
                    raise WorkerTimedOut(f"a worker process took too long over {item!r}")
                done[index] = on_timeout(item)

    def _culprit(self, worker: _Worker[T]) -> tuple[int, T]:
        """Take the item the worker is on out of what it holds (the oldest if it is between items)."""
        current = worker.in_hand()
        for position, (index, item) in enumerate(worker.held):
            if current is not None and index == current[0]:
                del worker.held[position]
                return index, item
        return worker.held.popleft()

    def _replace(self, worker: _Worker[T], retry: deque[tuple[int, T]]) -> None:
        """End ``worker`` (dead or stuck), hand its other items back, and start a fresh one in its place."""
        _end(worker)
        retry.extendleft(reversed(worker.held))
        self._workers[self._workers.index(worker)] = self._start()

    def kill(self) -> None:
        """End every worker now (the run is stopping: what they hold is not wanted)."""
        for worker in self._workers:
            _end(worker)
        self._workers = []

    def close(self) -> None:
        """Let idle workers leave on their own; end any that hold work (the map was left early)."""
        for worker in self._workers:
            if worker.held:
                _end(worker)
                continue
            with suppress(OSError):
                worker.conn.send_bytes(b"")  # no more work
        for worker in self._workers:
            worker.process.join(5)
            if worker.process.is_alive():
                _end(worker)
            worker.conn.close()
        self._workers = []


def _end(worker: _Worker[Any]) -> None:
    """Kill a worker process and reap it (no zombie, no orphan)."""
    with suppress(OSError, ValueError):
        worker.process.kill()
    worker.process.join()
    worker.conn.close()


def _work(
    conn: Connection, progress: Any, inherited: list[Connection], func: Callable[[Any], Any], state: object
) -> None:
    """A worker's life: take chunks of items until told to stop (an empty message) or the parent is gone.

    Before each item it writes the item's index and start time to ``progress`` (the time last, and
    zeroed first, so the parent never pairs an index with another item's time); a chunk's answers
    go back in one message.
    """
    global _state
    for signum in _SIGNALS_FOR_THE_PARENT:
        signal.signal(signum, signal.SIG_IGN)  # the parent's to handle: it kills its workers itself
    _die_with_parent()
    for end in inherited:  # the parent's ends: held here they would hide the parent's exit from the others
        with suppress(OSError):
            end.close()
    _state = state
    while True:
        try:
            data = conn.recv_bytes()
        except (EOFError, OSError):
            return
        if not data:
            return
        answers: list[tuple[str, object]] = []
        for index, item in pickle.loads(data):
            progress[1] = 0.0
            progress[0] = index
            progress[1] = time.monotonic()
            try:
                answers.append(("ok", func(item)))
            except (Exception, KeyboardInterrupt) as err:  # raised in the parent, as it would be without workers
                answers.append(("raise", err))
        progress[1] = 0.0
        try:
            conn.send(answers)
        except (EOFError, OSError):
            return
        except Exception as err:  # an answer that cannot be pickled
            conn.send([("raise", RuntimeError(f"{type(err).__name__}: {err}"))] * len(answers))


def _die_with_parent() -> None:
    """Ask Linux to kill this process when its parent dies (``kill -9`` of ``clean``); elsewhere a no-op."""
    if not sys.platform.startswith("linux"):
        return
    with suppress(OSError, AttributeError):
        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    if os.getppid() == 1:  # the parent died before prctl took effect
        os._exit(1)
