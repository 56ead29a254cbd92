"""Modules that moved to the shared rooms still import from their old paths, with a warning."""

from __future__ import annotations

import importlib
import sys

import pytest

MOVED = {
    "tei_cable.validate.schematron": ("tei_cable.schematron.engine", "SchematronValidator"),
    "tei_cable.validate.issue": ("tei_cable.findings", "Issue"),
    "tei_cable.validate.schemas": ("tei_cable.schemas", "resolve"),
    "tei_cable.odd.patterns": ("tei_cable.relaxng.patterns", "Patterns"),
    "tei_cable.odd.rngread": ("tei_cable.relaxng.read", "read_rng"),
    "tei_cable.odd.relaxng": ("tei_cable.relaxng.write", "write_rng"),
    "tei_cable.odd.namespaces": ("tei_cable.namespaces", "TEI"),
}


@pytest.mark.parametrize("old", sorted(MOVED))
def test_the_old_path_warns_and_gives_the_same_objects(old: str) -> None:
    new, name = MOVED[old]
    sys.modules.pop(old, None)
    with pytest.warns(DeprecationWarning, match=f"{old} moved to {new}"):
        module = importlib.import_module(old)
    assert getattr(module, name) is getattr(importlib.import_module(new), name)
