"""Validation engines: one interface, built on demand from a schema file.

An engine is compiled once (a schema load is the expensive part) and then checks any number of
documents. Each engine module is imported only when that engine is asked for, so the one-file
case pays only for what it uses (``xmlschema`` costs a third of a second to import).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

from ...findings import Issue
from ...schemas import ENGINES, SchemaError
from ..document import Document

#: engine name -> "module:factory" in this package; a factory takes a schema path and returns
#: an Engine
_FACTORIES: dict[str, str] = {
    "rng": "rng:RngEngine",
    "sch": "sch:SchematronEngine",
    "xsd": "xsd:XsdEngine",
}


class Engine(Protocol):
    """A compiled schema that checks documents.

    ``iter_issues`` yields a parsed document's issues one by one, so a caller that only wants
    a verdict stops at the first error; ``explain=False`` asks for no explanation beyond the
    verdict (the RELAX NG engine then skips its Jing-style walk). ``check`` is the full list.
    """

    name: str

    def iter_issues(self, document: Document, *, explain: bool = True) -> Iterator[Issue]:
        """The issues of a parsed document (``document.tree`` is not ``None``)."""
        ...

    def check(self, document: Document) -> list[Issue]:
        """Every issue of a parsed document, explained."""
        ...


def build(name: str, schema: Path) -> Engine:
    """Compile ``schema`` for engine ``name``; :class:`SchemaError` if that fails."""
    module_name, _, factory = _FACTORIES[name].partition(":")
    module = importlib.import_module(f"{__package__}.{module_name}")
    return getattr(module, factory)(schema)


__all__ = ["ENGINES", "Engine", "SchemaError", "build"]
