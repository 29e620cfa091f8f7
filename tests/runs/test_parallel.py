"""cleaner.parallel: the ordered, bounded process map behind --jobs."""

from __future__ import annotations

import os
import signal
import time
from itertools import count
from pathlib import Path

import pytest

from cleaner.runs import parallel


def square_plus_state(item: int) -> int:
    state = parallel.worker_state()
    assert isinstance(state, dict)
    return item * item + state["offset"]


def die_on_seven(item: int) -> int:
    if item == 7:
        os._exit(3)  # a worker killed mid-chunk (out of memory, kill -9)
    return item


def pid_of(_item: int) -> int:
    time.sleep(0.02)  # long enough that one worker cannot take every item before the other starts
    return os.getpid()


@pytest.mark.parametrize("jobs", [1, 2, 3])
def test_results_come_in_input_order_whatever_the_jobs(jobs: int) -> None:
    items = list(range(100))
    got = list(parallel.ordered_map(square_plus_state, items, jobs, state={"offset": 5}, chunk=3))
    assert got == [item * item + 5 for item in items]


def test_work_is_spread_over_worker_processes() -> None:
    pids = set(parallel.ordered_map(pid_of, range(40), 2, chunk=1))
    assert os.getpid() not in pids
    assert len(pids) == 2


def test_one_job_runs_in_the_calling_process() -> None:
    assert set(parallel.ordered_map(pid_of, range(5), 1)) == {os.getpid()}


def test_the_input_is_not_read_far_ahead() -> None:
    consumed = count()

    def items():
        for item in range(10_000):
            next(consumed)
            yield item

    results = parallel.ordered_map(square_plus_state, items(), 2, state={"offset": 0}, chunk=4)
    assert next(results) == 0
    ahead = next(consumed)
    results.close()
    assert ahead <= 2 * parallel.IN_FLIGHT_PER_JOB * 4 + 4


def test_a_dead_worker_fails_only_its_item() -> None:
    got = list(parallel.ordered_map(die_on_seven, range(20), 2, on_death=lambda item: -item, chunk=4))
    assert got == [-7 if item == 7 else item for item in range(20)]


def test_a_dead_worker_without_on_death_raises() -> None:
    with pytest.raises(parallel.WorkerDied):
        list(parallel.ordered_map(die_on_seven, range(20), 2, chunk=4))


def test_available_cores_is_positive() -> None:
    assert parallel.available_cores() >= 1


def stuck_on_three(item: int) -> int:
    if item == 3:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})  # as deaf as C code in lxml
        time.sleep(60)
    return item


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_item_past_the_timeout_has_its_worker_killed_and_the_rest_goes_on(jobs: int) -> None:
    before = live_children()  # other tests' helpers (a browser driver) may be running
    started = time.monotonic()
    got = list(parallel.ordered_map(stuck_on_three, range(10), jobs, chunk=4, timeout=0.5, on_timeout=lambda i: -i))
    assert got == [-3 if item == 3 else item for item in range(10)]
    assert time.monotonic() - started < 30  # not the 60 s the item would take
    assert live_children() <= before


def test_a_timeout_without_on_timeout_raises() -> None:
    before = live_children()
    with pytest.raises(parallel.WorkerTimedOut):
        list(parallel.ordered_map(stuck_on_three, range(5), 1, timeout=0.2))
    assert live_children() <= before


def test_workers_are_killed_when_the_map_is_left_early() -> None:
    before = live_children()
    results = parallel.ordered_map(stuck_on_three, range(10), 2, chunk=1, timeout=30, on_timeout=lambda i: -i)
    assert next(results) == 0
    results.close()  # item 3 is still in a worker
    assert live_children() <= before


def live_children() -> set[int]:
    """Processes (not zombies) whose parent is this test process."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == os.getpid() and fields[0] != "Z":
            found.add(int(stat.parent.name))
    return found
