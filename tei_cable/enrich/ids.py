"""Stable identifiers for letters: ``L1`` for the document, ``L1.1``, ``L1.2``… for the letters
it quotes, ``L1.4.1`` for a text quoted in the fourth, in document order; and for the
document's own classification and copy number (``L1-classification``, ``L1-copy``: a labelled
field or an apparatus line), which the header points at."""

from __future__ import annotations

from ..model import ArchivalNote, Letter, Part, Record
from . import EnrichContext


def assign_ids(record: Record, context: EnrichContext | None = None) -> None:
    """Give every letter of ``record`` an ``id`` from its place in the nesting."""
    _assign(record.document, "L1")
    for kind, node in apparatus_facts(record.document).items():
        if not node.id:
            node.id = f"{record.document.id}-{kind}"


def apparatus_facts(letter: Letter) -> dict[str, Part | ArchivalNote]:
    """The first classification and copy-number line of ``letter``'s head or opener."""
    found: dict[str, Part | ArchivalNote] = {}
    for node in (*letter.head, *letter.opener):
        if isinstance(node, ArchivalNote):
            kind = node.kind
        elif isinstance(node, Part):
            kind = node.label if node.role in ("field", "note") else None
        else:
            continue
        if kind in ("classification", "copy") and kind not in found:
            found[kind] = node
    return found


def _assign(letter: Letter, ident: str) -> None:
    letter.id = ident
    for k, child in enumerate(letter.nested(), start=1):
        _assign(child, f"{ident}.{k}")
