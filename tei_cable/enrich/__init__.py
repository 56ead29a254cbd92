"""Enrichers: ordered transforms that refine a read document model in place.

Like docutils' transforms, each enricher declares a ``priority`` (lower runs first), so the order
of enrichment is explicit: entities before dates (a name is never read as a date), dates before
correspondence metadata (which uses both), identifiers last.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..diagnostics import Severity, diagnostic
from ..findings import Finding
from ..model import Record


@dataclass
class EnrichContext:
    """What enrichers share: options, the entity registry, and where diagnostics go."""

    registry: Any = None  # tei_cable.entities.Registry, when entity enrichment runs
    options: dict[str, Any] = field(default_factory=dict)
    diagnostics: list[Finding] = field(default_factory=list)

    def report(
        self,
        code: str,
        message: str,
        *,
        line: int | None = None,
        severity: Severity = Severity.WARNING,
    ) -> None:
        """Record a diagnostic (enrichers never print)."""
        self.diagnostics.append(diagnostic(code, message, severity=severity, line=line))


class Enricher(Protocol):
    """A transform of the model: ``name``, ``priority`` and a call that changes the record."""

    name: str
    priority: int

    def __call__(self, record: Record, context: EnrichContext) -> None: ...


@dataclass(frozen=True)
class FunctionEnricher:
    """Wrap a plain function ``(record, context) -> None`` as an :class:`Enricher`."""

    name: str
    priority: int
    function: Callable[[Record, EnrichContext], None]

    def __call__(self, record: Record, context: EnrichContext) -> None:
        self.function(record, context)


def run_enrichers(
    record: Record, enrichers: Sequence[Enricher], context: EnrichContext | None = None
) -> EnrichContext:
    """Apply ``enrichers`` to ``record`` in priority order (stable for equal priorities)."""
    context = context or EnrichContext()
    for enricher in sorted(enrichers, key=lambda e: e.priority):
        enricher(record, context)
    return context
