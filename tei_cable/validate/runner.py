"""Validating many files: schemas compiled once, files spread over processes.

A :class:`Validator` compiles its schemas once. :meth:`Validator.run` checks a list of paths
(files, folders searched for ``*.xml``, ``-`` for standard input) and returns a
:class:`~.report.Report` in the order the paths were given. Many files are spread over an
executor of :mod:`tei_cable.batch` (worker processes forked after compiling, so each starts
with the compiled schemas; or a Dask cluster) and taken from a result cache where it has them
(:mod:`.stream`); one file, or a handful, is checked in-process.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from lxml import etree

from ..batch.files import iter_files
from ..diagnostics import InputError
from ..findings import Issue, at_least
from ..schemas import SchemaSet, resolve
from . import document as documents
from . import engines as engine_registry
from .engines import Engine, SchemaError
from .report import FAIL_ON, FileResult, Report

if TYPE_CHECKING:
    from ..batch.cache import ResultCache
    from ..batch.executors import Executor

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
        self.source = source
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
        executor: Executor | None = None,
        cache: ResultCache | None = None,
    ) -> Report:
        """Validate files and folders (``-`` reads ``stdin``); a report in the given order.

        ``jobs``: worker processes (``None`` or 0: one per core), unless an ``executor`` is
        given (the caller closes it). ``cache``: take results from it and keep new ones there.
        ``progress`` is called with the number of files just finished. Raises
        :class:`InputError` for a path that does not exist (before anything is validated).
        """
        from ..batch.executors import make_executor
        from .stream import iter_results

        started = time.perf_counter()
        results = []
        with executor or make_executor("local", workers=jobs) as running:
            for result, _cached in iter_results(
                self, paths, executor=running, cache=cache, stdin=stdin
            ):
                results.append(result)
                if progress is not None:
                    progress(1)
        return Report(results, time.perf_counter() - started)


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
    (A list: :func:`tei_cable.batch.files.iter_files` walks the same files as they are needed.)
    """
    return list(iter_files(paths))


__all__ = ["STDIN", "SchemaError", "Validator", "expand"]
