"""Results in input order, with a bounded number of items in flight and the cache first.

:func:`ordered_map` reads items as they come (the file list is never held whole), asks the
cache for a batch of them at a time, sends the others to the executor in chunks, and yields
every item's result in input order as soon as it and all before it are known. What it holds at
any moment is bounded: the chunks in flight (a few per worker) and the items waiting behind
the oldest unfinished one, at most ``max_buffer`` of them or ``MAX_BUFFER_BYTES`` of cached
results. A run whose few misses are scattered among cached results starts no pool: they go to
the executor's :meth:`~.executors.Executor.helper` (a thread of this process for the local
pool, this process itself otherwise) as soon as they are seen, so that while it works on them
this process goes on reading cached results; a pool is started only once ``min_parallel``
misses have been seen (after the helper has finished and stopped).
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
MAX_BUFFER = 65536
#: cached results (their ``size``, and ``SLOT_BYTES`` each) waiting behind the oldest
#: unfinished item before the run waits for it
MAX_BUFFER_BYTES = 64_000_000
#: what an item waiting in the buffer is counted for besides its cached result
SLOT_BYTES = 1024

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
    size: Callable[[Any], int] | None = None,
    min_parallel: int = PARALLEL_MIN,
    max_buffer: int = MAX_BUFFER,
) -> Iterator[tuple[Any, Any, bool]]:
    """``(item, result, cached)`` for every item, in input order.

    ``lookup(items)`` gives a cached result or ``None`` for each of a batch of items;
    ``store(item, result)`` is called with every result the job computed; ``weight(item)``
    (bytes) keeps a chunk of large files small; ``size(result)`` (bytes) is what a cached
    result holds while it waits. The caller owns ``executor`` (and closes it, cancelling on an
    interrupt); the helper for a few misses is started and closed here.
    """
    helper: Executor | None = None
    chosen: Executor | None = executor if isinstance(executor, SerialExecutor) else None
    window = max(2, executor.workers * 3)
    slots: deque[_Slot] = deque()
    held: deque[list[_Slot]] = deque()  # chunks formed, not yet sent
    inflight: deque[tuple[Any, list[_Slot]]] = deque()
    chunk: list[_Slot] = []
    state = {"weight": 0, "behind": 0, "formed": 0, "misses": 0, "hits": 0, "bytes": 0}

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
            if slot.cached:
                state["bytes"] -= SLOT_BYTES + (size(slot.result) if size is not None else 0)
            yield slot.item, slot.result, slot.cached

    def where(*, now: bool = True) -> Executor | None:
        """Where chunks go: the executor once enough misses were seen; else, among cached
        results, its helper at once; else (``now=False``: when they must be done) this
        process. ``None``: hold them for now."""
        nonlocal helper
        if chosen is not None:
            return chosen
        if helper is None and (state["hits"] or not now):
            helper = executor.helper() if state["hits"] else SerialExecutor()
        return helper

    def retire_helper() -> None:
        """Before the executor's pool starts (forked from this process): the helper's chunks
        finished, and the helper closed (no thread of it runs while the pool forks)."""
        nonlocal helper
        if helper is None:
            return
        while inflight:
            collect(block=True)
        helper.close()
        helper = None

    def unblock_head() -> None:
        """Make progress on the oldest unfinished item."""
        head = slots[0]
        if chunk and head in chunk:
            close_chunk()
        if held and any(head in part for part in held):
            send(where(now=False))
        collect(block=True)

    try:
        iterator = iter(items)
        while True:
            batch = list(islice(iterator, LOOKUP_BATCH))
            if not batch:
                break
            found = lookup(batch) if lookup is not None else [None] * len(batch)
            state["hits"] += sum(1 for cached in found if cached is not None)
            for item, cached in zip(batch, found, strict=True):
                if cached is not None and not slots:  # nothing waiting before it: out at once
                    yield item, cached, True
                    continue
                slot = _Slot(item)
                slots.append(slot)
                if cached is not None:
                    slot.result, slot.done, slot.cached = cached, True, True
                    state["bytes"] += SLOT_BYTES + (size(cached) if size is not None else 0)
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
                    retire_helper()
                if held:
                    send(where())
                collect(block=False)
                yield from ready()
                while (
                    len(inflight) >= window
                    or len(slots) > max_buffer
                    or state["bytes"] > MAX_BUFFER_BYTES
                ):
                    unblock_head()
                    yield from ready()
        close_chunk()
        if chosen is None and state["misses"] >= min_parallel:
            chosen = executor
            retire_helper()
        while slots:
            if held:
                send(where(now=False))
            yield from ready()
            if slots:
                collect(block=True)
                yield from ready()
    except BaseException:
        if helper is not None:
            helper.close(cancel=True)
            helper = None
        raise
    finally:
        if helper is not None:
            helper.close()
