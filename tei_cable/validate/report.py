"""The outcome of a validation run: one :class:`FileResult` per file, and a summary."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from typing import overload

from ..findings import SEVERITY_RANK, Issue, at_least, printable

FAIL_ON = ("error", "warning")


@dataclass(frozen=True)
class FileResult:
    """One validated file: its path as given or found, and its issues in reading order.

    ``valid`` is ``False`` when an issue is at least as bad as the run's ``fail_on`` level
    (``error``: fatal and error issues; ``warning``: warnings too). ``unreadable`` marks a file
    that could not be read at all.
    """

    path: str
    issues: tuple[Issue, ...] = ()
    valid: bool = True
    seconds: float = 0.0
    unreadable: bool = False

    @classmethod
    def of(
        cls,
        path: str,
        issues: list[Issue],
        fail_on: str = "error",
        seconds: float = 0.0,
        unreadable: bool = False,
    ) -> FileResult:
        """Sorted, de-duplicated issues and the verdict they give at ``fail_on``."""
        ordered = tuple(sorted(set(issues)))
        valid = not unreadable and not any(at_least(i, fail_on) for i in ordered)
        return cls(path, ordered, valid, seconds, unreadable)

    @property
    def errors(self) -> int:
        """Issues that are errors (fatal included)."""
        if isinstance(self.issues, StoredIssues):
            return self.issues.errors
        return sum(1 for i in self.issues if at_least(i, "error"))

    @property
    def warnings(self) -> int:
        """Issues that are warnings."""
        if isinstance(self.issues, StoredIssues):
            return self.issues.warnings
        return sum(1 for i in self.issues if i.severity == "warning")

    def issue_dicts(self) -> list[dict[str, object]]:
        """The JSON shape of each issue."""
        if isinstance(self.issues, StoredIssues):
            return self.issues.dicts()
        return [i.as_dict() for i in self.issues]

    def as_dict(self) -> dict[str, object]:
        """The JSON shape of one file."""
        return {
            "path": self.path,
            "valid": self.valid,
            "issues": self.issue_dicts(),
        }


_SURROGATES = re.compile("[\ud800-\udfff]")


def json_string(text: str) -> str:
    """``text`` as a JSON string, as every JSON report writes it: UTF-8 kept, control
    characters escaped by JSON, line and paragraph separators as ``\\u2028`` (a line-by-line
    reader may split at them), an undecodable byte of a file name shown as ``\\xff``."""
    if _SURROGATES.search(text):
        text = _SURROGATES.sub(lambda m: printable(m.group()), text)
    quoted = encode_basestring(text)
    if "\u2028" in quoted or "\u2029" in quoted:
        quoted = quoted.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return quoted


_COMPACT = '{"line":%d,"column":%d,"severity":%s,"message":%s,"engine":%s,"rule":%s'
#: the keys every issue has; an engine's further facts follow them
BASE_KEYS = ("line", "column", "severity", "message", "engine", "rule")

#: an issue as plain values: line, column, severity, message, engine, rule, further facts
Row = tuple[int, int, str, str, str, str, tuple[tuple[str, object], ...]]


def json_value(value: object) -> str:
    """A fact's value as compact JSON, written as :func:`json_string` writes strings."""
    if isinstance(value, str):
        return json_string(value)
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def issues_json(rows: Iterable[Row]) -> str:
    """Issues as a compact JSON array, as ``--format jsonl`` prints them and the result
    cache keeps them."""
    parts = []
    for line, column, sev, msg, eng, rule, facts in rows:
        text = _COMPACT % (
            line,
            column,
            json_string(sev),
            json_string(msg),
            json_string(eng),
            json_string(rule),
        )
        if facts:
            text += "".join(f",{json_string(k)}:{json_value(v)}" for k, v in facts)
        parts.append(text + "}")
    return "[" + ",".join(parts) + "]"


def issue_rows(result: FileResult) -> list[Row]:
    """A result's issues as plain tuples (no :class:`Issue` made for a cached result)."""
    if isinstance(result.issues, StoredIssues):
        return [_row(d) for d in result.issues.dicts()]
    return [
        (i.line, i.column, i.severity, i.message, i.engine, i.rule, i.facts) for i in result.issues
    ]


def _row(d: dict[str, object]) -> Row:
    facts = tuple((k, v) for k, v in d.items() if k not in BASE_KEYS) if len(d) > 6 else ()
    return (
        d["line"],  # type: ignore[return-value]
        d["column"],
        d["severity"],
        d["message"],
        d["engine"],
        d["rule"],
        facts,
    )


class StoredIssues(Sequence[Issue]):
    """A file's issues as the result cache keeps them: their compact JSON in UTF-8 (what
    ``jsonl`` prints) and their counts, turned into :class:`Issue` objects only when asked for, so a
    run that takes most results from the cache stays fast."""

    __slots__ = ("_dicts", "_issues", "count", "errors", "json", "warnings", "worst")

    def __init__(self, text: bytes, count: int, errors: int, warnings: int, worst: int) -> None:
        #: the issues as compact JSON, UTF-8
        self.json = text
        self.count = count
        self.errors = errors
        self.warnings = warnings
        #: the rank of the worst severity (-1: no issue)
        self.worst = worst
        self._dicts: list[dict[str, object]] | None = None
        self._issues: tuple[Issue, ...] | None = None

    @classmethod
    def of(cls, issues: Sequence[Issue], text: bytes) -> StoredIssues:
        """The stored form of ``issues`` (``text``: their compact JSON)."""
        return cls(
            text,
            len(issues),
            sum(1 for i in issues if at_least(i, "error")),
            sum(1 for i in issues if i.severity == "warning"),
            max((SEVERITY_RANK.get(i.severity, 2) for i in issues), default=-1),
        )

    def dicts(self) -> list[dict[str, object]]:
        """The JSON shape of each issue."""
        if self._dicts is None:
            self._dicts = json.loads(self.json)
        return self._dicts

    def _all(self) -> tuple[Issue, ...]:
        if self._issues is None:
            self._issues = tuple(Issue(*_row(d)) for d in self.dicts())  # type: ignore[arg-type]
        return self._issues

    def __len__(self) -> int:
        return self.count

    @overload
    def __getitem__(self, index: int) -> Issue: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Issue, ...]: ...

    def __getitem__(self, index: int | slice) -> Issue | tuple[Issue, ...]:
        return self._all()[index]

    def __iter__(self) -> Iterator[Issue]:
        return iter(self._all())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, StoredIssues):
            return self._all() == other._all()
        return isinstance(other, tuple) and self._all() == other

    def __hash__(self) -> int:
        return hash(self._all())

    def __repr__(self) -> str:
        return repr(self._all())


@dataclass
class Summary:
    """Counts over the files of a run, kept as results stream past (nothing else is held)."""

    files: int = 0
    valid: int = 0
    errors: int = 0
    warnings: int = 0
    unreadable: int = 0
    seconds: float = 0.0
    #: the run was stopped before every file was checked
    interrupted: bool = False

    def add(self, result: FileResult) -> None:
        """Count one more file."""
        self.files += 1
        self.valid += result.valid
        self.errors += result.errors
        self.warnings += result.warnings
        self.unreadable += result.unreadable

    @property
    def invalid(self) -> int:
        """Files that are not valid (unreadable ones included)."""
        return self.files - self.valid

    @property
    def exit_code(self) -> int:
        """0 all valid; 1 some invalid; 2 some input could not be read; 130 interrupted."""
        if self.interrupted:
            return 130
        if self.unreadable:
            return 2
        return 0 if self.valid == self.files else 1

    def as_dict(self, *, timings: bool = True) -> dict[str, object]:
        """The JSON shape: files, valid, invalid, errors, warnings, seconds (with ``timings``),
        and ``interrupted: true`` for a run that was stopped."""
        shape: dict[str, object] = {
            "files": self.files,
            "valid": self.valid,
            "invalid": self.invalid,
            "errors": self.errors,
            "warnings": self.warnings,
        }
        if timings:
            shape["seconds"] = round(self.seconds, 3)
        if self.interrupted:
            shape["interrupted"] = True
        return shape


@dataclass
class Report:
    """All files of a run, in a stable order, with the run's wall-clock time."""

    files: list[FileResult] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def valid(self) -> bool:
        """Whether every file is valid."""
        return all(f.valid for f in self.files)

    def __bool__(self) -> bool:
        return self.valid

    @property
    def issues(self) -> list[tuple[str, Issue]]:
        """Every issue with the path of its file, files in order, issues in reading order."""
        return [(f.path, i) for f in self.files for i in f.issues]

    def totals(self) -> Summary:
        """The run's :class:`Summary`."""
        summary = Summary(seconds=self.seconds)
        for result in self.files:
            summary.add(result)
        return summary

    @property
    def exit_code(self) -> int:
        """0 all valid; 1 some invalid; 2 some input could not be read."""
        return self.totals().exit_code

    def summary(self) -> dict[str, object]:
        """Counts of files, valid and invalid files, errors, warnings, and the seconds taken."""
        return self.totals().as_dict()

    def as_dict(self) -> dict[str, object]:
        """The documented JSON contract: ``{"files": [...], "summary": {...}}``."""
        return {"files": [f.as_dict() for f in self.files], "summary": self.summary()}
