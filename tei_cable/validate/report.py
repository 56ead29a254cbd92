"""The outcome of a validation run: one :class:`FileResult` per file, and a summary."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..findings import Issue, at_least

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

    @property
    def exit_code(self) -> int:
        """0 all valid; 1 some invalid; 2 some input could not be read."""
        if any(f.unreadable for f in self.files):
            return 2
        return 0 if self.valid else 1

    def summary(self) -> dict[str, object]:
        """Counts of files, valid and invalid files, errors, warnings, and the seconds taken."""
        valid = sum(1 for f in self.files if f.valid)
        return {
            "files": len(self.files),
            "valid": valid,
            "invalid": len(self.files) - valid,
            "errors": sum(f.errors for f in self.files),
            "warnings": sum(f.warnings for f in self.files),
            "seconds": round(self.seconds, 3),
        }

    def as_dict(self) -> dict[str, object]:
        """The documented JSON contract: ``{"files": [...], "summary": {...}}``."""
        return {"files": [f.as_dict() for f in self.files], "summary": self.summary()}
