"""Stable identifiers for letters: ``L1`` for the document, ``L1.1``, ``L1.2``… for the letters
it quotes, ``L1.4.1`` for a text quoted in the fourth, in document order."""

from __future__ import annotations

from ..model import Letter, Record
from . import EnrichContext


def assign_ids(record: Record, context: EnrichContext | None = None) -> None:
    """Give every letter of ``record`` an ``id`` from its place in the nesting."""
    _assign(record.document, "L1")


def _assign(letter: Letter, ident: str) -> None:
    letter.id = ident
    for k, child in enumerate(letter.nested(), start=1):
        _assign(child, f"{ident}.{k}")
