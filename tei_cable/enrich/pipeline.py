"""The default order of enrichment, from first to last."""

from __future__ import annotations

from . import Enricher, FunctionEnricher, corresp, dates, entities
from .corrections import correct_apparatus
from .ids import assign_ids
from .numbers import mark_numbers


def default_enrichers() -> list[Enricher]:
    """Apparatus corrections (120), document numbers (150), letter ids (200), entities (300),
    dates (400), correspondence metadata (500, which points at letters and their parts)."""
    return [
        FunctionEnricher("corrections", 120, correct_apparatus),
        FunctionEnricher("numbers", 150, mark_numbers),
        FunctionEnricher("ids", 200, assign_ids),
        entities.ENRICHER,
        dates.ENRICHER,
        corresp.ENRICHER,
    ]
