"""Running an export over files and folders: read each input, write each output atomically.

A bad input (missing, not well-formed, not TEI) is one error naming the file; the other
inputs are still exported. Outputs go through :func:`tei_cable.xmlio.write_atomic`, so a
reader sees the old file or the new one, never half of one, and no input file is ever
overwritten by its own export.

The work on each input (reading, checking it against ``--validate``, and for a per-document
format writing its bytes) is an :class:`ExportJob`, so it runs on any executor of
:mod:`tei_cable.batch` (local worker processes, a Dask cluster); outputs are written here, in
input order, so every executor writes the same files.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..diagnostics import InputError, OutputError, TeiCableError
from ..xmlio import write_atomic
from .formats import FORMATS, Format
from .options import ExportError, ExportOptions
from .teidoc import TeiDocument, load

if TYPE_CHECKING:
    from ..batch.executors import Executor

STDIN = "-"


@dataclass(frozen=True)
class Input:
    """An input file and the name its outputs get (its path below the folder given, no
    extension)."""

    path: str
    stem: str


@dataclass
class Outcome:
    """What an export did: files written, inputs that failed, documents read."""

    written: list[str] = field(default_factory=list)
    failures: list[TeiCableError] = field(default_factory=list)
    documents: int = 0

    @property
    def ok(self) -> bool:
        return not self.failures


def expand(paths: Iterable[str | os.PathLike[str]]) -> tuple[list[Input], list[TeiCableError]]:
    """Inputs: files as given, folders searched for ``*.xml`` (sorted, hidden ones skipped),
    ``-`` for standard input; each file once. Paths that do not exist are failures."""
    found: list[Input] = []
    failures: list[TeiCableError] = []
    seen: set[str] = set()
    for raw in paths:
        text = os.fspath(raw)
        if text == STDIN:
            candidates = [Input(STDIN, "stdin")]
        elif os.path.isdir(text):
            candidates = [
                Input(p, Path(os.path.relpath(p, text)).with_suffix("").as_posix())
                for p in xml_files(Path(text))
            ]
        elif os.path.exists(text):
            candidates = [Input(text, Path(text).stem)]
        else:
            failures.append(InputError("no such file or folder", path=text))
            continue
        for candidate in candidates:
            key = candidate.path if candidate.path == STDIN else os.path.realpath(candidate.path)
            if key not in seen:
                seen.add(key)
                found.append(candidate)
    return found, failures


def xml_files(folder: Path) -> list[str]:
    """``*.xml`` files below a folder, sorted by path; hidden files and folders skipped."""
    found = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if name.lower().endswith(".xml") and not name.startswith("."):
                found.append(os.path.join(root, name))
    return sorted(found, key=lambda path: Path(path).parts)


def read(item: Input, schema: str = "", data: bytes | None = None) -> TeiDocument:
    """Load one input as a TEI document (standard input for ``-``, unless its ``data`` are
    given); with ``schema``, an :class:`InputError` (``X101``) unless the input is valid
    against it."""
    if item.path == STDIN:
        data = sys.stdin.buffer.read() if data is None else data
        document = load(data, name="<stdin>")
    else:
        data = None
        document = load(item.path)
        document.name = Path(item.stem).name
    if schema:
        require_valid(document, schema, data)
    return document


def require_valid(document: TeiDocument, schema: str, data: bytes | None = None) -> None:
    """Raise :class:`InputError` (``X101``) with the first error if ``document`` is not
    valid against ``schema`` (RELAX NG and Schematron, as ``tei-cable validate`` runs it)."""
    from ..validate import validator

    checker = validator(schema)
    if data is not None:
        result = checker.validate_bytes(data, document.path)
    else:
        result = checker.validate_file(document.path)
    if result.valid:
        return
    errors = [i for i in result.issues if i.severity in ("fatal", "error")] or list(result.issues)
    first = errors[0]
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    tag = f"{first.engine}:{first.rule}" if first.rule else first.engine
    raise InputError(
        f"not valid against {schema}: {first.message} [{tag}]{more}",
        path=document.path,
        line=first.line or None,
        column=first.column or None,
        code="X101",
    )


def format_of(name: str) -> Format:
    found = FORMATS.get(name)
    if found is None:
        raise ExportError(f"unknown export format {name!r}; known: {', '.join(sorted(FORMATS))}")
    return found


def render(
    documents: TeiDocument | Sequence[TeiDocument], to: str, options: ExportOptions | None = None
) -> bytes:
    """The bytes of one export: a document (or, for a collection format, a list of them)."""
    fmt = format_of(to)
    writer = fmt.load()
    options = options or ExportOptions()
    if fmt.per_document:
        if not isinstance(documents, TeiDocument):
            raise ExportError(f"{to} is written for one document at a time")
        return writer(documents, options)
    docs = [documents] if isinstance(documents, TeiDocument) else list(documents)
    return writer(docs, options)


@dataclass(frozen=True)
class ExportJob:
    """The work on one input (an item ``(Input, bytes of standard input or None)``), as a
    job of :mod:`tei_cable.batch`: for a per-document format, the input read, checked and
    written as bytes; for a collection format, only checked (the documents are read where
    they are gathered). The result is ``(bytes or None, the input's failure or None)``."""

    to: str
    options: ExportOptions

    @property
    def token(self) -> str:
        """Workers share the validator of ``--validate``."""
        return f"export {self.options.validate}"

    def setup(self) -> None:
        return None

    def warm(self, _state: None) -> None:
        """Compile the ``--validate`` schema before worker processes fork."""
        if self.options.validate:
            from ..validate import validator

            validator(self.options.validate)

    def run(self, _state: None, item: tuple[Input, bytes | None]) -> Checked:
        source, data = item
        try:
            if format_of(self.to).per_document:
                document = read(source, self.options.validate, data)
                return render(document, self.to, self.options), None
            if self.options.validate:
                read(source, self.options.validate, data)
            return None, None
        except ExportError:
            raise
        except TeiCableError as exc:
            # what raised it stays here (an lxml error cannot travel to another process)
            exc.__cause__ = exc.__context__ = None
            return None, exc.with_traceback(None)


#: what :class:`ExportJob` gives for an input: its bytes (per-document formats) and its failure
Checked = tuple[bytes | None, TeiCableError | None]


def export(
    paths: Iterable[str | os.PathLike[str]],
    to: str,
    *,
    output: str | None = None,
    out_dir: str | None = None,
    force: bool = False,
    options: ExportOptions | None = None,
    report: Callable[[TeiCableError], None] | None = None,
    executor: Executor | None = None,
) -> Outcome:
    """Export files and folders of TEI to a format.

    A collection format (CMIF) writes one file: ``output``, ``out_dir``/``NAME.xml`` or, with
    neither, standard output. A per-document format writes one file per input into
    ``out_dir`` (the folder structure of a folder input kept), or with one input to
    ``output`` or standard output. ``report`` is called with each failure as it happens.
    ``executor`` reads, checks and writes the inputs (default: in this process; the caller
    closes it); the outputs are the same on every executor. Raises :class:`ExportError` for
    a usage problem (unknown format, missing option).
    """
    fmt = format_of(to)
    options = options or ExportOptions()
    inputs, failures = expand(paths)
    outcome = Outcome(failures=list(failures))
    for failure in failures:
        _report(report, failure)
    if fmt.per_document and len(inputs) + len(failures) > 1 and not out_dir:
        raise ExportError(f"several inputs need --out-dir DIR (one file per input for {to})")
    input_paths = {os.path.realpath(i.path) for i in inputs if i.path != STDIN}
    stdin = sys.stdin.buffer.read() if any(i.path == STDIN for i in inputs) else None
    items = [(i, stdin if i.path == STDIN else None) for i in inputs]
    if fmt.per_document:
        targets: dict[str, str] = {}
        for (item, _data), (data, failure) in _run(ExportJob(to, options), items, executor):
            try:
                if failure is not None:
                    raise failure
                outcome.documents += 1
                target = output
                if out_dir and not output:
                    target = os.path.join(out_dir, item.stem + fmt.extension)
                    Path(target).parent.mkdir(parents=True, exist_ok=True)
                _emit(target, data or b"", force, input_paths, targets, item.path, outcome)
            except TeiCableError as exc:
                outcome.failures.append(exc)
                _report(report, exc)
        return outcome
    documents = []
    if options.validate:  # the expensive part, on the executor; then each valid one is read
        checked = _run(ExportJob(to, options), items, executor)
    else:
        checked = ((entry, (None, None)) for entry in items)
    for (item, data), (_none, failure) in checked:
        try:
            if failure is not None:
                raise failure
            documents.append(read(item, "", data))
        except TeiCableError as exc:
            outcome.failures.append(exc)
            _report(report, exc)
    outcome.documents = len(documents)
    if not documents and outcome.failures:
        return outcome  # nothing was read: nothing is written
    data = render(documents, to, options)
    target = output or (os.path.join(out_dir, f"{to}{fmt.extension}") if out_dir else None)
    try:
        _emit(target, data, force, input_paths, {}, "", outcome)
    except TeiCableError as exc:
        outcome.failures.append(exc)
        _report(report, exc)
    return outcome


def _run(
    job: ExportJob, items: list[tuple[Input, bytes | None]], executor: Executor | None
) -> Iterator[tuple[Any, Checked]]:
    """Each item with the job's result, in input order, on ``executor``."""
    from ..batch.executors import SerialExecutor
    from ..batch.pipeline import ordered_map

    for item, result, _cached in ordered_map(job, items, executor or SerialExecutor()):
        yield item, result


def _emit(
    target: str | None,
    data: bytes,
    force: bool,
    inputs: set[str],
    targets: dict[str, str],
    source: str,
    outcome: Outcome,
) -> None:
    if target is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        outcome.written.append(STDIN)
        return
    real = os.path.realpath(target)
    if real in inputs:
        raise OutputError("the output would overwrite an input file", path=target)
    if real in targets:
        raise OutputError(f"two inputs export to the same file (also {targets[real]})", path=target)
    targets[real] = source
    write_atomic(target, data, force=force)
    outcome.written.append(target)


def _report(report: Callable[[TeiCableError], None] | None, error: TeiCableError) -> None:
    if report is not None:
        report(error)
