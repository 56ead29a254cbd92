"""The ISO Schematron engine, as the validation framework runs it.

The Schematron implementation itself lives in :mod:`tei_cable.schematron`; this
adapter compiles a schema once with it (a ``.sch`` file, or the ``sch:pattern`` elements
embedded in a RELAX NG or XSD file) and gives it the document's bytes for exact columns.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from ...findings import Issue
from ..document import Document


class SchematronEngine:
    """An ISO Schematron schema compiled once."""

    name = "sch"

    def __init__(self, path: Path) -> None:
        from ...schematron.engine import SchematronValidator

        self._validator = SchematronValidator(path)  # SchematronSchemaError: a TeiCableError

    def check(self, document: Document) -> list[Issue]:
        return list(self.iter_issues(document))

    def iter_issues(self, document: Document, *, explain: bool = True) -> Iterator[Issue]:
        assert document.tree is not None
        yield from self._validator.iter_issues(document.tree, source=document.data)

    def prepare(self) -> None:
        """Warm what the first document would (lazy imports, the name-gate query) before
        workers fork, so that each starts ready."""
        self._validator.validate(etree.ElementTree(etree.Element("warm-up")))
        self._validator.warm()

    def svrl(self, document: Document) -> etree._ElementTree:
        """The document's SVRL report."""
        assert document.tree is not None
        return self._validator.svrl(document.tree, source=document.data)
