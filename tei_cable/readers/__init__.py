"""Readers: each turns one source format into the document model.

A new format is a new module and one line in :data:`READERS`.
"""

from __future__ import annotations

from collections.abc import Callable

from ..model import Record
from . import wilson

#: format name -> reader function ``(text, path) -> [Record, …]`` (an input may hold several)
READERS: dict[str, Callable[[str, str | None], list[Record]]] = {
    "wilson": wilson.read_all,
}


def read_records(text: str, *, format: str = "wilson", path: str | None = None) -> list[Record]:
    """Read every record of an input into the document model, in input order.

    A character XML cannot carry (a control character) raises
    :class:`~tei_cable.diagnostics.InputError` (``I001``) with its line and column."""
    from ..xmlio import check_xml_chars

    check_xml_chars(text, path=path)
    try:
        reader = READERS[format]
    except KeyError:
        raise ValueError(f"unknown input format {format!r}; known: {', '.join(READERS)}") from None
    return reader(text, path)


def read_record(text: str, *, format: str = "wilson", path: str | None = None) -> Record:
    """Read a record's text into the document model (diagnostics in ``record.diagnostics``).

    An input holding several records raises :class:`~tei_cable.diagnostics.InputError`
    (``R106``) rather than reading one of them: use :func:`read_records`.
    """
    records = read_records(text, format=format, path=path)
    if len(records) > 1:
        from .wilson import several_records_error

        raise several_records_error(records, path)
    return records[0]
