"""Executors: where the work on each file runs.

A :class:`Job` describes the work: ``token`` names the state every worker needs (a compiled
schema, a converter and its registry; the same token means the same state), ``setup()`` builds
that state, once per worker process, and ``run(state, item)`` does the work on one item. A job
is a small picklable object (its class at module level), so it can travel to another process
or machine; ``run`` reports a failure on one item as that item's result rather than raising.

An :class:`Executor` runs chunks of items and gives a future of their results:

- ``serial``: in this process, at once;
- ``local``: a pool of worker processes on this machine. Where processes can be forked, the
  job's state is built (and warmed) in this process first, so every worker starts with it
  instead of building it again;
- ``dask``: the workers of a Dask cluster (:mod:`distributed`, the extra ``tei-cable[dask]``),
  a ``LocalCluster`` of this machine's cores or the scheduler at ``--scheduler ADDRESS``. Each
  worker builds the job's state on its first chunk and keeps it for the next ones.

Putting results back in input order, bounding what is in flight and reading the cache is
:func:`.pipeline.ordered_map`'s work; executors only run chunks.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
from abc import ABC, abstractmethod
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, Protocol

from ..diagnostics import TeiCableError

if TYPE_CHECKING:
    from concurrent.futures import Future

#: executor name -> what it is (for ``--executor``)
EXECUTORS: dict[str, str] = {
    "local": "worker processes on this machine",
    "dask": "a Dask cluster (local, or --scheduler ADDRESS); pip install 'tei-cable[dask]'",
}


class ExecutorError(TeiCableError):
    """An executor that cannot be started or has failed (a missing extra, a lost cluster)."""


class Job(Protocol):
    """The work on one item, with the state every worker builds once."""

    @property
    def token(self) -> str:
        """Names the state ``setup`` builds: jobs with the same token share it."""
        ...

    def setup(self) -> Any:
        """Build the state each worker needs (compile a schema); once per worker process."""
        ...

    def run(self, state: Any, item: Any) -> Any:
        """The result for one item; a failure on the item is its result, not an exception."""
        ...


# -- the state of jobs in this process ----

_STATES: OrderedDict[str, Any] = OrderedDict()
#: states kept per process (a worker serving several runs with different schemas)
_KEEP = 4


def state_of(job: Job) -> Any:
    """The state of ``job`` in this process, built by ``job.setup()`` on first use."""
    token = job.token
    if token in _STATES:
        _STATES.move_to_end(token)
        return _STATES[token]
    state = job.setup()
    _STATES[token] = state
    while len(_STATES) > _KEEP:
        _STATES.popitem(last=False)
    return state


def remember_state(job: Job, state: Any) -> None:
    """Use ``state`` (already built here) as ``job``'s state in this process, and in the
    worker processes forked from it."""
    _STATES[job.token] = state
    _STATES.move_to_end(job.token)
    while len(_STATES) > _KEEP:
        _STATES.popitem(last=False)


def run_chunk(job: Job, chunk: list[Any]) -> list[Any]:
    """Run ``job`` on each item of ``chunk`` in this process (what every worker calls)."""
    state = state_of(job)
    return [job.run(state, item) for item in chunk]


def run_items(job: Job, items: Iterable[Any], executor: Executor | None = None) -> Iterator[Any]:
    """``job``'s result for each item, in order, on ``executor`` (default: this process)."""
    from .pipeline import ordered_map

    for _item, result, _cached in ordered_map(job, items, executor or SerialExecutor()):
        yield result


# -- executors ----


class Executor(ABC):
    """Runs chunks of a job's items; results come back as futures."""

    #: the name used by ``--executor``
    name: str = ""
    #: how many chunks run at once
    workers: int = 1
    #: the most items sent in one chunk (more amortises a round trip, fewer balances better)
    chunk_items: int = 1
    #: whether the work runs in this process or in worker processes it starts on this
    #: machine (the same tei-cable and files: nothing needs checking that they are the same)
    shares_state: bool = True

    @abstractmethod
    def submit(self, job: Job, chunk: list[Any]) -> Future[list[Any]]:
        """Start ``job`` on ``chunk``; the future gives one result per item, in order."""

    def close(self, *, cancel: bool = False) -> None:  # noqa: B027 - nothing to close by default
        """Stop the workers (``cancel``: now, dropping chunks not yet started)."""

    def helper(self) -> Executor:
        """Where the few items of a run that mostly comes from the cache are worked on, while
        the cached results are read: this process (the default), or a thread of it."""
        return SerialExecutor()

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, kind: object, *rest: object) -> None:
        self.close(cancel=kind is not None)


class SerialExecutor(Executor):
    """In this process, at once: for a handful of files, where a pool costs more than it saves."""

    name = "serial"

    def submit(self, job: Job, chunk: list[Any]) -> Future[list[Any]]:
        try:
            return Finished(run_chunk(job, chunk))  # type: ignore[return-value]
        except Exception as exc:  # the caller sees it on .result()
            return Finished(exception=exc)  # type: ignore[return-value]


class Finished:
    """A future whose work is done, for the work done at once in this process (what the
    pipeline asks of a future: ``done()`` and ``result()``), without importing
    :mod:`concurrent.futures` for a one-file run."""

    __slots__ = ("_exception", "_result")

    def __init__(self, result: Any = None, *, exception: BaseException | None = None) -> None:
        self._result = result
        self._exception = exception

    def done(self) -> bool:
        return True

    def result(self, timeout: float | None = None) -> Any:
        if self._exception is not None:
            raise self._exception
        return self._result

    def exception(self, timeout: float | None = None) -> BaseException | None:
        return self._exception


class ThreadHelper(Executor):
    """One thread of this process, for the few items of a mostly cached run: libxml2 compiles
    a grammar and validates without Python's lock, so this process goes on reading cached
    results meanwhile. (A forked helper process cost more than it saved on a busy machine,
    and running them in this process waits for them: measured in ``bench/``.)"""

    name = "thread"

    def __init__(self) -> None:
        self._pool: Any = None

    def submit(self, job: Job, chunk: list[Any]) -> Future[list[Any]]:
        if self._pool is None:
            from concurrent.futures import ThreadPoolExecutor

            self._pool = ThreadPoolExecutor(1, thread_name_prefix="tei-cable-helper")
        return self._pool.submit(run_chunk, job, chunk)  # type: ignore[no-any-return]

    def close(self, *, cancel: bool = False) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:  # on cancel: the file being checked is finished, no other
            pool.shutdown(wait=not cancel, cancel_futures=cancel)


def _can_fork() -> bool:
    """Whether worker processes can be forked from this one (not on Windows or macOS)."""
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods() and sys.platform != "darwin"


def _ignore_interrupts() -> None:
    """In a worker: Ctrl-C is the parent's to handle (it stops the pool cleanly)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class LocalPool(Executor):
    """Worker processes on this machine, forked after the job's state is built where possible."""

    name = "local"
    chunk_items = 32

    def __init__(self, workers: int | None = None, *, prepare: bool = True) -> None:
        self.workers = workers if workers and workers > 0 else (os.cpu_count() or 1)
        self._pool: Any = None
        #: build (and warm) the job's state here before forking, for every worker to share
        self._prepare = prepare

    def submit(self, job: Job, chunk: list[Any]) -> Future[list[Any]]:
        if self._pool is None:
            self._start(job)
        return self._pool.submit(run_chunk, job, chunk)

    def helper(self) -> Executor:
        """A thread of this process (see :class:`ThreadHelper`)."""
        return ThreadHelper()

    def _start(self, job: Job) -> None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        self._fork = _can_fork()
        if self._fork and self._prepare:
            state = state_of(job)  # built once here; every forked worker inherits it
            warm = getattr(job, "warm", None)
            if warm is not None:
                warm(state)
        context = multiprocessing.get_context("fork" if self._fork else "spawn")
        self._pool = ProcessPoolExecutor(
            self.workers, mp_context=context, initializer=_ignore_interrupts
        )

    def close(self, *, cancel: bool = False) -> None:
        pool, self._pool = self._pool, None
        if pool is None:
            return
        if not cancel:
            pool.shutdown(wait=True)
            return
        processes = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        deadline = time.monotonic() + 2.0  # a worker finishes its file, then is stopped
        for process in processes:
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                process.terminate()
                process.join(1.0)


class DaskExecutor(Executor):
    """The workers of a Dask cluster: a ``LocalCluster`` here, or the scheduler at ``address``."""

    name = "dask"
    shares_state = False
    chunk_items = 64

    def __init__(self, address: str | None = None, workers: int | None = None) -> None:
        try:
            import distributed  # noqa: F401
        except ImportError:
            raise ExecutorError(
                "the dask executor needs Dask distributed: pip install 'tei-cable[dask]'"
            ) from None
        self.address = address
        self._requested = workers if workers and workers > 0 else None
        self.workers = self._requested or (os.cpu_count() or 1)
        self._client: Any = None
        self._cluster: Any = None

    def _start(self) -> Any:
        import logging

        from distributed import Client, LocalCluster

        try:
            if self.address:
                self._client = Client(self.address, timeout="30s")
            else:
                self._cluster = LocalCluster(
                    n_workers=self.workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                )
                self._client = Client(self._cluster)
        except Exception as exc:  # OSError, TimeoutError, RuntimeError from the nannies
            self.close(cancel=True)
            if self.address:
                raise ExecutorError(
                    f"cannot reach the Dask scheduler at {self.address}: {exc}"
                ) from None
            raise ExecutorError(f"cannot start a local Dask cluster: {exc}") from None
        found = len(self._client.scheduler_info().get("workers", {}))
        if found:
            self.workers = found if self.address else self.workers
        return self._client

    def submit(self, job: Job, chunk: list[Any]) -> Future[list[Any]]:
        client = self._client or self._start()
        return client.submit(run_chunk, job, chunk, pure=False)  # type: ignore[no-any-return]

    def close(self, *, cancel: bool = False) -> None:
        client, cluster = self._client, self._cluster
        self._client = self._cluster = None
        if client is not None:
            if cancel:
                with contextlib.suppress(Exception):  # the cluster may be gone already
                    client.cancel(list(client.futures.values()), force=True)
            client.close()
        if cluster is not None:
            cluster.close()


def make_executor(
    name: str = "local", *, workers: int | None = None, scheduler: str | None = None
) -> Executor:
    """The executor called ``name`` (``local``, ``dask`` or ``serial``), not yet started.

    ``workers``: processes (``None`` or 0: one per core; for ``dask`` with a ``scheduler``,
    whatever the cluster has). :class:`ExecutorError` for an unknown name or missing extra.
    """
    if scheduler and name != "dask":
        raise ExecutorError("--scheduler is for --executor dask")
    if name == "local":
        return SerialExecutor() if workers == 1 else LocalPool(workers)
    if name == "dask":
        return DaskExecutor(scheduler, workers)
    if name == "serial":
        return SerialExecutor()
    raise ExecutorError(f"unknown executor {name!r}; choose from " + ", ".join(EXECUTORS))
