"""The ISO Schematron engine, as the validation framework runs it.

The Schematron implementation itself lives in :mod:`tei_cable.validate.schematron`; this
adapter compiles a schema once with it and fits its findings into the framework.
"""

from __future__ import annotations

from pathlib import Path

from .document import Document
from .engines import SchemaError
from .issue import Issue


class SchematronEngine:
    """An ISO Schematron schema compiled once."""

    name = "sch"

    def __init__(self, path: Path) -> None:
        try:
            from . import schematron  # type: ignore[attr-defined]
        except ImportError:
            raise SchemaError("the Schematron engine is not available in this installation",
                              path=str(path)) from None
        self._validator = schematron.compile_schema(path)

    def check(self, document: Document) -> list[Issue]:
        assert document.tree is not None
        return list(self._validator.validate(document.tree))
