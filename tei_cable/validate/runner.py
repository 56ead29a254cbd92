"""Validating many files: schemas compiled once, files spread over processes.

A :class:`Validator` compiles its schemas once. :meth:`Validator.run` checks a list of paths
(files, folders searched for ``*.xml``, ``-`` for standard input) and returns a
:class:`~.report.Report` in the order the paths were given. With ``jobs`` > 1 and enough files
it forks worker processes after compiling, so each worker starts with the compiled schemas
instead of loading them again; one file, or a handful, is checked in-process.
"""

from __future__ import annotations

import os
import re
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from lxml import etree

from ..diagnostics import InputError
from ..findings import Issue, at_least
from ..schemas import SchemaSet, resolve
from . import document as documents
from . import engines as engine_registry
from .engines import Engine, SchemaError
from .report import FAIL_ON, FileResult, Report

#: fewer files than this are validated in one process: forking costs more than it saves
PARALLEL_MIN_FILES = 8

STDIN = "-"


class Validator:
    """A schema and its engines, compiled once, checking any number of documents."""

    def __init__(
        self,
        schema: str | os.PathLike[str] | SchemaSet = "tei_cable",
        engines: Sequence[str] | str | None = None,
        *,
        source: str | None = None,
        fail_on: str = "error",
    ) -> None:
        if fail_on not in FAIL_ON:
            raise ValueError(f"fail_on must be one of {FAIL_ON}")
        self.schema = schema if isinstance(schema, SchemaSet) else resolve(schema, source=source)
        if isinstance(engines, str):
            engines = [e.strip() for e in engines.split(",") if e.strip()]
        self.engine_names = self.schema.engines(tuple(engines) if engines else None)
        self.fail_on = fail_on
        self._engines: list[Engine] | None = None

    def compile(self) -> Validator:
        """Load every schema now (otherwise the first document does); returns ``self``."""
        if self._engines is None:
            self._engines = [
                engine_registry.build(name, self.schema.files[name]) for name in self.engine_names
            ]
        return self

    # -- one document ---------------------------------------------------------------------------

    def check(self, document: documents.Document) -> list[Issue]:
        """The issues of a loaded document: XML's own, then each engine's."""
        issues = list(document.issues)
        if document.tree is not None:
            found: list[Issue] = []
            for engine in self._compiled():
                try:
                    found.extend(engine.check(document))
                except Exception as exc:  # one engine's failure must not stop the run
                    found.append(_failed(engine, exc))
            issues.extend(_without_id_echoes(issues, found))
        return issues

    def iter_issues(self, document: documents.Document, *, explain: bool = True) -> Iterator[Issue]:
        """The issues of a loaded document one by one: XML's own, then each engine's, each
        engine run only when the caller asks for more (``explain``: see :class:`Engine`)."""
        yield from document.issues
        if document.tree is None:
            return
        for engine in self._compiled():
            try:
                for issue in engine.iter_issues(document, explain=explain):
                    if _without_id_echoes(document.issues, [issue]):
                        yield issue
            except Exception as exc:
                yield _failed(engine, exc)

    def is_valid(self, source: str | os.PathLike[str] | bytes | etree._ElementTree) -> bool:
        """Whether one document is valid: stops at the first issue past ``fail_on``, and
        asks no engine to explain what it found."""
        if isinstance(source, etree._ElementTree | etree._Element):
            document = documents.from_tree(source)
        else:
            try:
                document = documents.load(source)
            except InputError:
                return False
        return not any(
            at_least(issue, self.fail_on) for issue in self.iter_issues(document, explain=False)
        )

    def svrl(self, path: str | os.PathLike[str], data: bytes | None = None) -> etree._ElementTree:
        """The Schematron SVRL report of one file (or of ``data``, its bytes);
        :class:`SchemaError` if the schema has no Schematron part."""
        engine = next((e for e in self._compiled() if e.name == "sch"), None)
        if engine is None:
            raise SchemaError(
                f"schema {self.schema.name} runs no Schematron here: SVRL reports what "
                "Schematron finds (add --engine sch)"
            )
        document = documents.load(data if data is not None else path, os.fspath(path))
        if document.tree is None:
            raise InputError(
                document.issues[0].message if document.issues else "not well-formed",
                path=os.fspath(path),
            )
        return engine.svrl(document)  # type: ignore[attr-defined,no-any-return]

    def _compiled(self) -> list[Engine]:
        self.compile()
        assert self._engines is not None
        return self._engines

    def validate_file(self, path: str | os.PathLike[str], name: str | None = None) -> FileResult:
        """Validate one file; a file that cannot be read is an unreadable, invalid result."""
        started = time.perf_counter()
        display = name or os.fspath(path)
        try:
            document = documents.load(path, display)
        except InputError as exc:
            issue = Issue(0, 0, "fatal", exc.message, "xml", "unreadable")
            return FileResult.of(display, [issue], self.fail_on, unreadable=True)
        issues = self.check(document)
        return FileResult.of(display, issues, self.fail_on, time.perf_counter() - started)

    def validate_bytes(self, data: bytes, name: str = STDIN) -> FileResult:
        """Validate a document given as bytes (standard input, a download)."""
        started = time.perf_counter()
        issues = self.check(documents.load(data, name))
        return FileResult.of(name, issues, self.fail_on, time.perf_counter() - started)

    def validate_tree(
        self, tree: etree._ElementTree | etree._Element, name: str = "<tree>"
    ) -> FileResult:
        """Validate a tree already in memory (columns are unknown: 0)."""
        started = time.perf_counter()
        issues = self.check(documents.from_tree(tree, name))
        return FileResult.of(name, issues, self.fail_on, time.perf_counter() - started)

    # -- many documents -------------------------------------------------------------------------

    def run(
        self,
        paths: Iterable[str | os.PathLike[str]],
        *,
        jobs: int | None = 1,
        stdin: bytes | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> Report:
        """Validate files and folders (``-`` reads ``stdin``); a report in the given order.

        ``jobs``: worker processes (``None`` or 0: one per core). ``progress`` is called with
        the number of files just finished. Raises :class:`InputError` for a path that does not
        exist (before anything is validated).
        """
        started = time.perf_counter()
        files = expand(paths)
        self.compile()
        results: list[FileResult | None] = [None] * len(files)
        pending = []
        for index, name in enumerate(files):
            if name == STDIN:
                results[index] = self.validate_bytes(stdin if stdin is not None else b"", STDIN)
                _tick(progress, 1)
            else:
                pending.append(index)
        workers = _workers(jobs, len(pending))
        if workers <= 1:
            for index in pending:
                results[index] = self.validate_file(files[index])
                _tick(progress, 1)
        else:
            for index, result in _parallel(
                self, [(i, files[i]) for i in pending], workers, progress
            ):
                results[index] = result
        report = Report([r for r in results if r is not None], time.perf_counter() - started)
        return report


def _failed(engine: Engine, exc: Exception) -> Issue:
    """An engine's own failure: one engine must not stop the run."""
    message = f"{engine.name} engine failed: {type(exc).__name__}: {exc}"
    return Issue(0, 0, "fatal", message, engine.name, "internal")


def _without_id_echoes(xml: list[Issue], found: list[Issue]) -> list[Issue]:
    """Drop schema complaints about an ``xml:id`` the XML rules already reported on that line.

    A repeated or malformed ``xml:id`` also fails a schema's ``xsd:ID`` check; saying it once,
    in XML's own words, is clearer.
    """
    lines = {i.line for i in xml if i.rule in ("duplicate-id", "invalid-id")}
    if not lines:
        return found
    return [i for i in found if not (i.line in lines and re.search(r"\bid\b|xml:id", i.message))]


def expand(paths: Iterable[str | os.PathLike[str]]) -> list[str]:
    """Files to validate: files as given, folders searched for ``*.xml`` (sorted by path,
    hidden folders and files skipped), ``-`` for standard input.

    Each file once, in the order given. :class:`InputError` for a path that does not exist.
    """
    found: list[str] = []
    seen: set[str] = set()
    for raw in paths:
        text = os.fspath(raw)
        if text == STDIN:
            candidates = [STDIN]
        elif os.path.isdir(text):
            candidates = _xml_files(Path(text))
        elif os.path.exists(text):
            candidates = [text]
        else:
            raise InputError("no such file or folder", path=text)
        for candidate in candidates:
            key = candidate if candidate == STDIN else os.path.realpath(candidate)
            if key not in seen:
                seen.add(key)
                found.append(candidate)
    return found


def _xml_files(folder: Path) -> list[str]:
    found = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if name.lower().endswith(".xml") and not name.startswith("."):
                found.append(os.path.join(root, name))
    return sorted(found, key=lambda path: Path(path).parts)


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def _tick(progress: Callable[[int], None] | None, n: int) -> None:
    if progress is not None:
        progress(n)


def _workers(jobs: int | None, files: int) -> int:
    if files < PARALLEL_MIN_FILES:
        return 1
    wanted = jobs if jobs and jobs > 0 else (os.cpu_count() or 1)
    return max(1, min(wanted, files // 2))


# -- worker processes ----

_WORKER: Validator | None = None


def _init_worker(spec: tuple[object, tuple[str, ...], str] | None) -> None:
    """In a forked worker the parent's compiled validator is already there; else build it."""
    global _WORKER
    if spec is not None:
        schema, engines, fail_on = spec
        _WORKER = Validator(schema, engines, fail_on=fail_on).compile()  # type: ignore[arg-type]


def _work(batch: list[tuple[int, str]]) -> list[tuple[int, FileResult]]:
    assert _WORKER is not None
    return [(index, _WORKER.validate_file(path)) for index, path in batch]


def _parallel(
    validator: Validator,
    items: list[tuple[int, str]],
    workers: int,
    progress: Callable[[int], None] | None,
) -> Iterable[tuple[int, FileResult]]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    global _WORKER
    fork = "fork" in multiprocessing.get_all_start_methods() and sys.platform != "darwin"
    if fork:
        context = multiprocessing.get_context("fork")
        for engine in validator._engines or ():
            prepare = getattr(engine, "prepare", None)
            if prepare is not None:
                prepare()  # done once here rather than in every worker
        _WORKER = validator
        spec = None
    else:  # pragma: no cover - spawn platforms compile once per worker
        context = multiprocessing.get_context("spawn")
        spec = (validator.schema, validator.engine_names, validator.fail_on)
    # largest files first, in batches of about the same number of bytes: the workers finish
    # together instead of one of them ending the run alone on the biggest file
    sizes = {index: _size(path) for index, path in items}
    items = sorted(items, key=lambda item: (-sizes[item[0]], item[0]))
    budget = max(1, sum(sizes.values()) // (workers * 8))
    batches: list[list[tuple[int, str]]] = []
    for item in items:
        if (
            not batches
            or len(batches[-1]) >= 32
            or (sum(sizes[i] for i, _ in batches[-1]) + sizes[item[0]] > budget)
        ):
            batches.append([])
        batches[-1].append(item)
    try:
        with ProcessPoolExecutor(
            workers, mp_context=context, initializer=_init_worker, initargs=(spec,)
        ) as pool:
            futures = [pool.submit(_work, batch) for batch in batches]
            for future in as_completed(futures):
                done = future.result()
                _tick(progress, len(done))
                yield from done
    finally:
        if fork:
            _WORKER = None


__all__ = ["STDIN", "SchemaError", "Validator", "expand"]
