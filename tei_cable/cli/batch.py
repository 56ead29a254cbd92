"""Options and plumbing shared by the commands that run over many files.

``--jobs``, ``--executor``, ``--scheduler``, ``--cache`` and ``--no-cache`` mean the same for
every such command (:func:`batch_options`; :func:`executor_options` for those without a
cache); Ctrl-C and SIGTERM stop a run cleanly (:func:`stop_on_signals`): the workers are
stopped, the report is closed with what was done, and what was done stays in the cache for
the next run.
"""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

import click

from ..batch.executors import EXECUTORS, Executor, ExecutorError, make_executor
from ..batch.progress import Progress, wanted
from ..findings import printable

if TYPE_CHECKING:
    from ..batch.cache import ResultCache

F = TypeVar("F", bound=Callable[..., Any])


class ReportFailure(click.ClickException):
    """A usage problem found after parsing the options: one line, exit status 2."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(printable(message))


class Interrupted(Exception):
    """The run was stopped by Ctrl-C or SIGTERM (workers already stopped)."""


def executor_options(command: F) -> F:
    """``--jobs``, ``--executor``, ``--scheduler``."""
    options = [
        click.option(
            "--jobs",
            "-j",
            type=click.IntRange(min=0),
            default=None,
            metavar="N",
            help="Worker processes. Default: one per core; 1 works in this process.",
        ),
        click.option(
            "--executor",
            type=click.Choice(list(EXECUTORS)),
            default="local",
            show_default=True,
            help="Where files are processed: local worker processes, or a Dask cluster.",
        ),
        click.option(
            "--scheduler",
            metavar="ADDRESS",
            help="The Dask scheduler to use (tcp://host:8786); default: a local cluster.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def batch_options(command: F) -> F:
    """:func:`executor_options` and ``--cache PATH``, ``--no-cache``."""
    options = [
        click.option(
            "--cache",
            metavar="PATH",
            help="The result cache (an SQLite file). Default: in the user cache folder.",
        ),
        click.option("--no-cache", is_flag=True, help="Neither read nor write the result cache."),
    ]
    for option in reversed(options):
        command = option(command)
    return executor_options(command)


def open_cache(path: str | None, disabled: bool) -> ResultCache | None:
    """The result cache for ``--cache``/``--no-cache``; its problems are warnings, not errors."""
    if disabled:
        return None  # (without importing the cache: sqlite3 and hashlib)
    from ..batch.cache import ResultCache, disabled_by_environment

    if path is None and disabled_by_environment():
        return None
    cache = ResultCache(path)
    for warning in cache.warnings:
        click.echo(f"tei-cable: warning: {printable(warning)}", err=True)
    return cache if cache.usable else None


def open_executor(name: str, jobs: int | None, scheduler: str | None) -> Executor:
    """The executor for ``--executor``, ``--jobs`` and ``--scheduler``."""
    try:
        return make_executor(name, workers=jobs, scheduler=scheduler)
    except ExecutorError as exc:
        raise ReportFailure(str(exc)) from None


def progress_for(label: str, count: Callable[[], int]) -> Progress:
    """A progress line on a terminal (the files are counted first, for the time left)."""
    if not wanted():
        return Progress(label, enabled=False)
    return Progress(label, count())


class Stopper:
    """What Ctrl-C and SIGTERM do during a run: stop it, but never in the middle of writing
    one file's result (:meth:`protect`)."""

    def __init__(self) -> None:
        self.requested = False
        self._protected = False

    def signal(self, signum: int, frame: object) -> None:
        """The signal handler: the first signal stops the run, later ones are ignored."""
        if self.requested:
            return
        self.requested = True
        if not self._protected:
            raise KeyboardInterrupt

    def protect(self) -> Stopper:
        """``with stopper.protect():`` write one result whole; a signal that came meanwhile
        stops the run afterwards."""
        self._protected = True
        return self

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        self._protected = False
        if self.requested:
            raise KeyboardInterrupt


@contextmanager
def stop_on_signals() -> Iterator[Stopper]:
    """Turn Ctrl-C and SIGTERM into :class:`Interrupted` once the executor inside has stopped
    (a second signal while stopping is ignored)."""
    stopper = Stopper()
    previous = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        for signum in previous:
            signal.signal(signum, stopper.signal)
    except ValueError:  # not the main thread: leave signals alone
        previous = {}
    try:
        yield stopper
    except KeyboardInterrupt:
        raise Interrupted from None
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
