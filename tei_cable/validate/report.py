"""The outcome of a validation run: one :class:`FileResult` per file, and a summary."""

from __future__ import annotations

from dataclasses import dataclass, field

from .issue import Issue, at_least

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
        return sum(1 for i in self.issues if at_least(i, "error"))

    @property
    def warnings(self) -> int:
        """Issues that are warnings."""
        return sum(1 for i in self.issues if i.severity == "warning")

    def as_dict(self) -> dict[str, object]:
        """The JSON shape of one file."""
        return {
            "path": self.path,
            "valid": self.valid,
            "issues": [i.as_dict() for i in self.issues],
        }


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
