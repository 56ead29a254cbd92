"""Executors and the ordered pipeline: order, state built once, cache first, bounded reading."""

from __future__ import annotations

import os
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

import pytest

from tei_cable.batch import executors
from tei_cable.batch.executors import (
    ExecutorError,
    LocalPool,
    SerialExecutor,
    make_executor,
    run_items,
)
from tei_cable.batch.pipeline import ordered_map


@dataclass(frozen=True)
class Square:
    """Squares numbers; records each setup (with the process id) in ``log``."""

    log: str
    token: str = "square"

    def setup(self) -> dict[str, int]:
        with open(self.log, "a", encoding="utf-8") as handle:
            handle.write(f"{os.getpid()}\n")
        return {"pid": os.getpid()}

    def run(self, state: dict[str, int], item: int) -> tuple[int, int]:
        return item * item, state["pid"]


@pytest.fixture
def job(tmp_path: Path) -> Square:
    executors._STATES.clear()
    return Square(str(tmp_path / "setups.log"), token=f"square-{tmp_path.name}")


def setups(job: Square) -> list[str]:
    path = Path(job.log)
    return path.read_text().split() if path.exists() else []


def test_serial_results_in_order_with_one_setup(job: Square) -> None:
    assert [r for r, _pid in run_items(job, range(50))] == [i * i for i in range(50)]
    assert setups(job) == [str(os.getpid())]


def test_a_local_pool_forks_after_building_the_state_once(job: Square) -> None:
    with LocalPool(2) as pool:
        results = list(run_items(job, range(300), pool))
    assert [r for r, _pid in results] == [i * i for i in range(300)]
    assert len({pid for _r, pid in results}) >= 1
    # built once, in this process, before the workers were forked; they inherited it
    assert setups(job) == [str(os.getpid())]
    assert all(pid == os.getpid() for _r, pid in results)  # the state says who built it


def test_a_few_items_never_start_a_pool(job: Square) -> None:
    pool = LocalPool(2)
    assert [r for r, _ in run_items(job, range(5), pool)] == [0, 1, 4, 9, 16]
    assert pool._pool is None
    pool.close()


def test_cached_items_are_not_run_and_fresh_ones_are_stored(job: Square) -> None:
    stored: dict[int, tuple[int, int]] = {}

    def lookup(batch: list[int]) -> list[tuple[int, int] | None]:
        return [(-item, 0) if item % 3 == 0 else None for item in batch]

    out = list(
        ordered_map(
            job, range(100), LocalPool(2), lookup=lookup, store=stored.__setitem__, min_parallel=4
        )
    )
    assert [item for item, _r, _c in out] == list(range(100))
    assert [c for _i, _r, c in out] == [i % 3 == 0 for i in range(100)]
    assert [r[0] for _i, r, _c in out] == [-i if i % 3 == 0 else i * i for i in range(100)]
    assert sorted(stored) == [i for i in range(100) if i % 3]


def test_items_are_read_as_results_are_taken_not_all_at_once(job: Square) -> None:
    read = []

    def items():
        for index in range(100_000):
            read.append(index)
            yield index

    stream = ordered_map(job, items(), SerialExecutor(), lookup=lambda b: [(0, 0)] * len(b))
    for _ in range(10):
        next(stream)
    assert len(read) < 1000  # one lookup batch ahead, not the whole list
    stream.close()


def test_a_missed_item_among_many_cached_ones_holds_back_a_bounded_number(job: Square) -> None:
    """Cached results behind a slow miss wait in a bounded buffer, in order."""
    lookup = lambda batch: [None if i == 5 else (i, 0) for i in batch]  # noqa: E731
    out = list(ordered_map(job, range(20_000), SerialExecutor(), lookup=lookup, max_buffer=100))
    assert [i for i, _r, _c in out] == list(range(20_000))
    assert out[5][1] == (25, os.getpid()) and not out[5][2]


def test_unknown_executor_and_misplaced_scheduler_are_clear_errors() -> None:
    with pytest.raises(ExecutorError, match="unknown executor 'spark'"):
        make_executor("spark")
    with pytest.raises(ExecutorError, match="--scheduler is for --executor dask"):
        make_executor("local", scheduler="tcp://127.0.0.1:8786")
    assert isinstance(make_executor("local", workers=1), SerialExecutor)
    assert isinstance(make_executor("local", workers=3), LocalPool)


def test_a_few_misses_among_cached_results_are_worked_on_in_this_process(job: Square) -> None:
    """No pool and no other process for them: the state is built here, once."""
    lookup = lambda batch: [None if i in (3, 700) else (-i, 0) for i in batch]  # noqa: E731
    pool = LocalPool(2)
    out = list(ordered_map(job, range(1000), pool, lookup=lookup))
    assert [i for i, _r, _c in out] == list(range(1000))
    assert [r[0] for _i, r, _c in out] == [i * i if i in (3, 700) else -i for i in range(1000)]
    assert {out[3][1][1], out[700][1][1]} == {os.getpid()}
    assert setups(job) == [str(os.getpid())]  # built once
    assert pool._pool is None  # the pool itself was never started


@pytest.mark.skipif(not executors._can_fork(), reason="needs forked processes")
def test_enough_misses_start_the_pool_once_the_helper_has_stopped(job: Square) -> None:
    """The first misses go to the helper thread; the pool forks only after it finished."""
    misses = {3, *range(300, 320)}
    lookup = lambda batch: [None if i in misses else (-i, 0) for i in batch]  # noqa: E731
    with LocalPool(2) as pool:
        out = list(ordered_map(job, range(1000), pool, lookup=lookup))
        assert pool._pool is not None  # started for the many misses
    assert [r[0] for _i, r, _c in out] == [i * i if i in misses else -i for i in range(1000)]
    assert out[3][1][1] == os.getpid()  # the helper: a thread of this process


class _OnDemand(Future):
    """A future whose work is done when its result is first asked for."""

    def __init__(self, work) -> None:
        super().__init__()
        self._work = work

    def result(self, timeout=None):
        if not self.done():
            self.set_result(self._work())
        return super().result(timeout)


class _Later(executors.Executor):
    """An executor (and helper) whose chunks run only when the pipeline waits for them."""

    name = "later"
    workers = 2

    def helper(self) -> executors.Executor:
        return self

    def submit(self, job, chunk):
        return _OnDemand(lambda: executors.run_chunk(job, chunk))


@pytest.mark.parametrize("held", [1_000_000, 0])
def test_cached_results_behind_a_miss_are_bounded_by_their_size(job: Square, held: int) -> None:
    read: list[int] = []

    def items():
        for index in range(100_000):
            read.append(index)
            yield index

    def lookup(batch):
        return [None if i == 0 else (-i, 0) for i in batch]

    stream = ordered_map(job, items(), _Later(), lookup=lookup, size=lambda _r: held)
    first = next(stream)  # the miss: the pipeline read on until it had to wait for it
    assert first[0] == 0 and first[1][0] == 0
    if held:  # 64 MB of cached results at most: the first lookup batch
        assert len(read) <= 256
    else:  # small cached results: read far ahead while the helper works
        assert len(read) > 50_000
    stream.close()


def test_the_serial_executor_gives_finished_futures() -> None:
    from tei_cable.batch.executors import Finished

    done = Finished([1, 2])
    assert done.done() and done.result() == [1, 2] and done.exception() is None
    failed = Finished(exception=ValueError("bad"))
    assert failed.done() and isinstance(failed.exception(), ValueError)
    with pytest.raises(ValueError, match="bad"):
        failed.result()
