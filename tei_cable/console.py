"""The ``tei-cable`` program: the command line (:mod:`tei_cable.cli`) run as a process.

What a process adds to the command line is its start and its end, and both cost time that a
one-file run (a pre-commit hook, a CI step per file) feels:

- start-up imports create only long-lived objects (modules, functions, click's commands), so
  the cyclic garbage collector, which would walk them again and again meanwhile, is off
  until the command's module is imported; they are then frozen out of its reach
  (:func:`gc.freeze`) and it runs as usual for the command's own work;
- at the end, where nothing is registered to run at exit and no other thread is alive, the
  process ends as soon as its output is flushed, without the interpreter freeing every
  object one by one (:func:`os._exit`). Anything registered with :mod:`atexit` (worker
  pools, a Dask cluster, logging), a profiler or a tracer gets the ordinary exit.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Sequence
from typing import NoReturn


def main(args: Sequence[str] | None = None) -> NoReturn:
    """Run ``tei-cable`` with ``args`` (default: the process's arguments) and end the
    process with the command's exit status."""
    argv = list(sys.argv[1:] if args is None else args)
    gc.disable()
    try:
        from .cli import main as command_line

        _import_command(argv)
    finally:
        gc.freeze()
        gc.enable()
    try:
        command_line.main(args=argv, prog_name="tei-cable")
    except SystemExit as stop:
        _end(stop)
    raise SystemExit(0)  # click's standalone mode always exits: not reached


def _import_command(argv: list[str]) -> None:
    """Import the module of the command ``argv`` names (with the start-up's imports)."""
    from .cli import COMMANDS

    name = next((a for a in argv if not a.startswith("-")), None)
    target = COMMANDS.get(name or "")
    if target is None:
        return
    try:
        __import__(f"tei_cable.cli.{target.partition(':')[0]}")
    except Exception:  # click imports it again and reports what is wrong
        return


def _end(stop: SystemExit) -> NoReturn:
    """End the process with ``stop``'s status: at once where that loses nothing."""
    code = stop.code
    if code is None:
        code = 0
    if not isinstance(code, int) or not _nothing_left_to_run():
        raise stop
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except (OSError, ValueError):  # a closed pipe and the like: as Python itself reports it
        raise stop from None
    os._exit(code & 0xFF)


def _nothing_left_to_run() -> bool:
    """Whether an ordinary exit would do more than free memory: functions registered to run
    at exit, threads other than this one to wait for, or a profiler or tracer (``python -m
    cProfile``, ``coverage run``) that writes its results once the program returns."""
    import atexit

    if sys.getprofile() is not None or sys.gettrace() is not None:
        return False

    registered = getattr(atexit, "_ncallbacks", None)
    if registered is None or registered() != 0:
        return False
    threading = sys.modules.get("threading")
    return threading is None or threading.active_count() <= 1
