"""Running a command over very many files: executors, a result cache, streaming, progress.

This room knows nothing of TEI: a command (validate, convert, export) describes the work on one
file as a :class:`~.executors.Job`, and this package runs it

- on an :class:`~.executors.Executor`: in this process (``serial``), on the local cores
  (``local``, forked worker processes that inherit what the parent has already compiled), or on
  a Dask cluster (``dask``, the extra ``tei-cable[dask]``);
- through :func:`~.pipeline.ordered_map`, which streams results back in input order with a
  bounded number of files in flight, taking what it can from a
  :class:`~.cache.ResultCache` (SQLite, keyed by content hash) instead of running the job;
- over a file list that is walked as it is needed (:mod:`.files`), with a progress line on a
  terminal (:mod:`.progress`).
"""

from __future__ import annotations

from .executors import EXECUTORS, Executor, Job, make_executor, run_items

__all__ = ["EXECUTORS", "Executor", "Job", "make_executor", "run_items"]
