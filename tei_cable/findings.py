"""One validation finding, the unit every validation engine reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SEVERITIES = ("fatal", "error", "warning", "info")


@dataclass(frozen=True, order=True)
class Issue:
    """A finding in a validated file: where (line, column), how bad, what, which engine and rule.

    Ordered by position, so sorting a file's issues gives reading order. ``engine`` is one of
    ``xml`` (well-formedness and XML's own rules), ``rng``, ``sch``, ``xsd``; ``rule`` is the
    Schematron rule or constraint id, the XSD component, or a short code, where known.
    """

    line: int
    column: int
    severity: str
    message: str
    engine: str
    rule: str = ""
    #: what an engine knows beyond that, as (name, value) pairs: a Schematron finding has
    #: ``kind`` (assert or report), ``test``, ``location`` (an XPath), ``role``, ``lang``,
    #: ``diagnostics`` and ``properties`` (as its SVRL report has them)
    facts: tuple[tuple[str, Any], ...] = field(default=(), compare=False, repr=False)

    def format(self, path: str) -> str:
        """``path:line:column: severity: message [engine:rule]``; an unknown (0) column or
        line is left out: ``path:line: ...``, ``path: ...``."""
        tag = f"{self.engine}:{self.rule}" if self.rule else self.engine
        where = path
        if self.line:
            where += f":{self.line}" + (f":{self.column}" if self.column else "")
        return f"{where}: {self.severity}: {self.message} [{tag}]"

    def as_dict(self) -> dict[str, object]:
        """The JSON shape: line, column, severity, message, engine, rule, and the engine's
        further facts where it has any."""
        found: dict[str, object] = {
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "message": self.message,
            "engine": self.engine,
            "rule": self.rule,
        }
        found.update(self.facts)
        return found


#: rank of each severity: a higher number is worse
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2, "fatal": 3}


def at_least(issue: Issue, severity: str) -> bool:
    """Whether ``issue`` is as bad as ``severity`` or worse (``fatal`` > ``error`` > ...)."""
    return SEVERITY_RANK.get(issue.severity, 2) >= SEVERITY_RANK[severity]
