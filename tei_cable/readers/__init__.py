"""Readers: each turns one source format into the document model.

A new format is a new module and one line in :data:`READERS`.
"""

from __future__ import annotations

from collections.abc import Callable

from ..model import Record
from . import wilson

#: format name -> reader function ``(text, path) -> Record``
READERS: dict[str, Callable[[str, str | None], Record]] = {
    "wilson": wilson.read,
}


def read_record(text: str, *, format: str = "wilson", path: str | None = None) -> Record:
    """Read a record's text into the document model (diagnostics in ``record.diagnostics``)."""
    try:
        reader = READERS[format]
    except KeyError:
        raise ValueError(f"unknown input format {format!r}; known: {', '.join(READERS)}") from None
    return reader(text, path)
