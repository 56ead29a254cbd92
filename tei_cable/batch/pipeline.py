"""Results in input order, with a bounded number of items in flight and the cache first.

:func:`ordered_map` reads items as they come (the file list is never held whole), asks the
cache for a batch of them at a time, sends the others to the executor in chunks, and yields
every item's result in input order as soon as it and all before it are known. What it holds at
any moment is bounded: the chunks in flight (a few per worker) and at most ``max_buffer``
items waiting behind the oldest unfinished one. A run whose few misses are scattered among
cached results is checked in this process: a pool is started only once ``min_parallel``
misses have been seen.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

from .executors import Executor, Job, SerialExecutor

#: fewer misses than this in a whole run are checked in this process: a pool costs more
PARALLEL_MIN = 8
#: items read and looked up in the cache at once
LOOKUP_BATCH = 256
#: a chunk is closed when its items weigh this much (bytes of files), however few they are
CHUNK_WEIGHT = 2_000_000
#: items waiting behind the oldest unfinished one before the run waits for it
MAX_BUFFER = 4096

Lookup = Callable[[Sequence[Any]], Sequence[Any | None]]
Store = Callable[[Any, Any], None]


class _Slot:
    __slots__ = ("cached", "done", "item", "result")

    def __init__(self, item: Any) -> None:
        self.item = item
        self.result: Any = None
        self.done = False
        self.cached = False


def ordered_map(
    job: Job,
    items: Iterable[Any],
    executor: Executor,
    *,
    lookup: Lookup | None = None,
    store: Store | None = None,
    weight: Callable[[Any], int] | None = None,
    min_parallel: int = PARALLEL_MIN,
    max_buffer: int = MAX_BUFFER,
) -> Iterator[tuple[Any, Any, bool]]:
    """``(item, result, cached)`` for every item, in input order.

    ``lookup(items)`` gives a cached result or ``None`` for each of a batch of items;
    ``store(item, result)`` is called with every result the job computed; ``weight(item)``
    (bytes) keeps a chunk of large files small. The caller owns ``executor`` (and closes it,
    cancelling on an interrupt).
    """
    serial = SerialExecutor()
    chosen: Executor | None = executor if isinstance(executor, SerialExecutor) else None
    window = max(2, executor.workers * 3)
    slots: deque[_Slot] = deque()
    held: deque[list[_Slot]] = deque()  # chunks formed, not yet sent
    inflight: deque[tuple[Any, list[_Slot]]] = deque()
    chunk: list[_Slot] = []
    state = {"weight": 0, "behind": 0, "formed": 0, "misses": 0}

    def limit() -> int:
        ramp = 2 ** (state["formed"] // max(1, executor.workers))  # small first chunks
        return max(1, min(executor.chunk_items, ramp))

    def close_chunk() -> None:
        nonlocal chunk
        if chunk:
            held.append(chunk)
            state["formed"] += 1
            chunk = []
            state["weight"] = state["behind"] = 0

    def send(target: Executor | None) -> None:
        while held and target is not None and len(inflight) < window:
            part = held.popleft()
            inflight.append((target.submit(job, [s.item for s in part]), part))

    def collect(block: bool) -> None:
        while inflight and (block or inflight[0][0].done()):
            future, part = inflight.popleft()
            results = future.result()
            for slot, result in zip(part, results, strict=True):
                slot.result, slot.done = result, True
                if store is not None:
                    store(slot.item, result)
            block = False

    def ready() -> Iterator[tuple[Any, Any, bool]]:
        while slots and slots[0].done:
            slot = slots.popleft()
            yield slot.item, slot.result, slot.cached

    def unblock_head() -> None:
        """Make progress on the oldest unfinished item."""
        head = slots[0]
        if chunk and head in chunk:
            close_chunk()
        if held and any(head in part for part in held):
            if chosen is None:  # few misses so far: check them here
                while held and not slots[0].done:
                    part = held.popleft()
                    inflight.append((serial.submit(job, [s.item for s in part]), part))
                    collect(block=True)
                return
            send(chosen)
        collect(block=True)

    iterator = iter(items)
    while True:
        batch = list(islice(iterator, LOOKUP_BATCH))
        if not batch:
            break
        found = lookup(batch) if lookup is not None else [None] * len(batch)
        for item, cached in zip(batch, found, strict=True):
            if cached is not None and not slots:  # nothing waiting before it: out at once
                yield item, cached, True
                continue
            slot = _Slot(item)
            slots.append(slot)
            if cached is not None:
                slot.result, slot.done, slot.cached = cached, True, True
                if chunk:
                    state["behind"] += 1
            else:
                state["misses"] += 1
                chunk.append(slot)
                state["weight"] += weight(item) if weight is not None else 0
            if chunk and (
                len(chunk) >= limit()
                or state["weight"] >= CHUNK_WEIGHT
                or state["behind"] >= executor.chunk_items
            ):
                close_chunk()
            if chosen is None and state["misses"] >= min_parallel:
                chosen = executor
            send(chosen)
            collect(block=False)
            yield from ready()
            while len(inflight) >= window or len(slots) > max_buffer:
                unblock_head()
                yield from ready()
    close_chunk()
    if chosen is None:
        chosen = executor if state["misses"] >= min_parallel else serial
    while slots:
        send(chosen)
        yield from ready()
        if slots:
            collect(block=True)
            yield from ready()
