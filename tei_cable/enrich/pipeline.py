"""The default order of enrichment, from first to last."""

from __future__ import annotations

from . import Enricher, FunctionEnricher
from .corrections import correct_apparatus
from .ids import assign_ids
from .numbers import mark_numbers


def default_enrichers() -> list[Enricher]:
    """Document numbers (150), entities (300), dates (400), correspondence (500), ids (900)."""
    enrichers: list[Enricher] = [
        FunctionEnricher("corrections", 120, correct_apparatus),
        FunctionEnricher("numbers", 150, mark_numbers),
        FunctionEnricher("ids", 900, assign_ids),
    ]
    return enrichers
