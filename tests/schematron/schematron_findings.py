"""What the differential tests of the Schematron engine compare: one document's findings."""

from __future__ import annotations

from lxml import etree

from tei_cable.schematron.engine import SchematronValidator


def findings(validator: SchematronValidator, data: bytes) -> list[tuple]:
    """``(rule, line, column, message)`` of each finding of ``validator`` on ``data``."""
    tree = etree.ElementTree(etree.fromstring(data))
    return [(i.rule, i.line, i.column, i.message) for i in validator.validate(tree, source=data)]
