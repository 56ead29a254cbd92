"""The ISO Schematron engine, as the validation framework runs it.

The Schematron implementation itself lives in :mod:`tei_cable.validate.schematron`; this
adapter compiles a schema once with it (a ``.sch`` file, or the ``sch:pattern`` elements
embedded in a RELAX NG or XSD file) and gives it the document's bytes for exact columns.
"""

from __future__ import annotations

from pathlib import Path

from .document import Document
from .issue import Issue


class SchematronEngine:
    """An ISO Schematron schema compiled once."""

    name = "sch"

    def __init__(self, path: Path) -> None:
        from .schematron import SchematronValidator

        self._validator = SchematronValidator(path)  # SchematronSchemaError: a TeiCableError

    def check(self, document: Document) -> list[Issue]:
        assert document.tree is not None
        return self._validator.validate(document.tree, source=document.data)
