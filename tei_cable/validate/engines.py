"""Validation engines: one interface, built on demand from a schema file.

An engine is compiled once (a schema load is the expensive part) and then checks any number of
documents. Each engine module is imported only when that engine is asked for, so the one-file
case pays only for what it uses (``xmlschema`` costs a third of a second to import).
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Protocol

from ..diagnostics import TeiCableError
from .document import Document
from .issue import Issue

#: engine name -> what it checks, in the order engines run and are listed
ENGINES: dict[str, str] = {
    "rng": "RELAX NG (lxml)",
    "sch": "ISO Schematron",
    "xsd": "W3C XML Schema 1.0/1.1 (xmlschema)",
}
#: engine name -> "module:factory"; a factory takes a schema path and returns an Engine
_FACTORIES: dict[str, str] = {
    "rng": "rng:RngEngine",
    "sch": "sch:SchematronEngine",
    "xsd": "xsd:XsdEngine",
}


class SchemaError(TeiCableError):
    """A schema cannot be found, read or compiled, or an engine is not available."""

    def __init__(self, message: str, *, path: str | None = None, code: str = "V001") -> None:
        super().__init__(message, path=path, code=code)


class Engine(Protocol):
    """A compiled schema that checks documents."""

    name: str

    def check(self, document: Document) -> list[Issue]:
        """The issues of a parsed document (``document.tree`` is not ``None``)."""
        ...


def build(name: str, schema: Path) -> Engine:
    """Compile ``schema`` for engine ``name``; :class:`SchemaError` if that fails."""
    module_name, _, factory = _FACTORIES[name].partition(":")
    module = importlib.import_module(f"{__package__}.{module_name}")
    return getattr(module, factory)(schema)
