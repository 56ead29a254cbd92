"""The export formats: a table from a format's name to the function that writes it.

A new format is a new module with one writer function plus one line here. A writer for one
document takes a :class:`~tei_cable.export.teidoc.TeiDocument` and the
:class:`~tei_cable.export.options.ExportOptions` and returns bytes; a writer for a
collection (``per_document=False``) takes the list of documents and returns one file.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Format:
    """An export format: its name, file extension, media type and writer."""

    name: str
    extension: str
    media_type: str
    per_document: bool
    writer: str  # "module:function" inside tei_cable.export
    description: str

    def load(self) -> Callable[..., bytes]:
        module, _, function = self.writer.partition(":")
        found: Any = getattr(importlib.import_module(f"{__package__}.{module}"), function)
        return found


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format(
            "cmif",
            ".xml",
            "application/tei+xml",
            False,
            "cmif:write_cmif",
            "CMIF for correspSearch: one file for all letters of all inputs",
        ),
        Format(
            "dc",
            ".dc.xml",
            "application/xml",
            True,
            "dc:write_dc",
            "Dublin Core (oai_dc), one record per document",
        ),
        Format(
            "jsonld",
            ".jsonld",
            "application/ld+json",
            True,
            "jsonld:write_jsonld",
            "JSON-LD with schema.org terms, one file per document",
        ),
        Format(
            "html",
            ".html",
            "text/html",
            True,
            "html:write_html",
            "a standalone HTML reading view, one page per document",
        ),
    )
}
