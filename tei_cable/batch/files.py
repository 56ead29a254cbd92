"""The files of a run, walked as they are needed: memory does not grow with their number.

Paths are files as given, folders searched for files with a given suffix (in path order,
hidden folders and files skipped), and ``-`` for standard input. Each file comes once, at its
first place: a folder given twice or inside another, a file given beside its folder and a
link to a file that is listed anyway are left out. Only what can repeat is remembered (the
given paths and links), never every file seen.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..diagnostics import InputError

STDIN = "-"


def iter_files(paths: Iterable[str | os.PathLike[str]], suffix: str = ".xml") -> Iterator[str]:
    """Every file to process, in order; :class:`InputError` (before any is yielded) for a
    path that does not exist."""
    return (name for name, _absolute in iter_file_paths(paths, suffix))


def iter_file_paths(
    paths: Iterable[str | os.PathLike[str]], suffix: str = ".xml"
) -> Iterator[tuple[str, str]]:
    """Like :func:`iter_files`, each file as ``(name, absolute path)``: the name as given or
    found (for reports), the path normalised (``a/../b.xml`` is ``b.xml``) as the result
    cache remembers it; ``(STDIN, STDIN)`` for standard input."""
    given = [os.fspath(p) for p in paths]
    for text in given:
        if text != STDIN and not os.path.lexists(text):
            raise InputError("no such file or folder", path=text)
    return _files(given, suffix.lower())


def count_files(paths: Iterable[str | os.PathLike[str]], suffix: str = ".xml") -> int:
    """How many files :func:`iter_files` gives (a quick walk, for a progress line's total)."""
    return sum(1 for _ in iter_files(paths, suffix))


def _files(given: list[str], suffix: str) -> Iterator[tuple[str, str]]:
    roots: list[str] = []  # real paths of folders walked so far
    seen: set[str] = set()  # real paths of files given or linked (the only possible repeats)
    stdin_done = False
    for text in given:
        if text == STDIN:
            if not stdin_done:
                stdin_done = True
                yield STDIN, STDIN
            continue
        if os.path.isdir(text):
            root = os.path.realpath(text)
            if any(_listed(done, root, suffix, folder=True) for done in roots):
                continue
            inner = [done for done in roots if _listed(root, done, suffix, folder=True)]
            # a walked path is the folder as given and names without "." or "..": its
            # absolute path is the folder's, normalised once, and the rest as it is
            base = os.path.abspath(text)
            base = base if base.endswith(os.sep) else base + os.sep
            skip = len(text)
            for path, is_link in _walk(text, suffix):
                absolute = base + path[skip:].lstrip(os.sep)
                real = os.path.realpath(path) if is_link else None
                if real is not None:
                    if real in seen or any(_listed(r, real, suffix) for r in (*roots, root)):
                        continue
                    seen.add(real)
                    yield path, absolute
                    continue
                if seen or inner:
                    real = os.path.realpath(path)
                    if real in seen or any(_listed(r, real, suffix) for r in inner):
                        continue
                yield path, absolute
            roots.append(root)
            continue
        real = os.path.realpath(text)
        if real in seen or any(_listed(done, real, suffix) for done in roots):
            continue
        seen.add(real)
        yield text, os.path.abspath(text)


def _walk(folder: str, suffix: str) -> Iterator[tuple[str, bool]]:
    """Files under ``folder`` with ``suffix``, sorted by path, each with whether it is a link."""
    try:
        with os.scandir(folder) as found:
            entries = sorted(found, key=_name)
    except OSError:
        return
    for entry in entries:
        name = entry.name
        if name.startswith("."):
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                yield from _walk(entry.path, suffix)
            elif name.lower().endswith(suffix):
                if entry.is_symlink():  # to a file, or to a folder (left out)
                    if not entry.is_dir():
                        yield entry.path, True
                else:
                    yield entry.path, False
        except OSError:
            continue


def _name(entry: os.DirEntry[str]) -> str:
    return entry.name


def _listed(root: str, real: str, suffix: str, *, folder: bool = False) -> bool:
    """Whether walking the real folder ``root`` lists the real path ``real`` (a file, or with
    ``folder``, every file under it)."""
    try:
        relative = Path(real).relative_to(root)
    except ValueError:
        return False
    parts = relative.parts
    if any(part.startswith(".") for part in parts):
        return False
    if folder:
        return True
    return bool(parts) and parts[-1].lower().endswith(suffix) and not os.path.islink(real)
