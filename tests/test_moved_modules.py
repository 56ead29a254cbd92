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


def test_the_library_imports_nothing_through_an_old_path() -> None:
    """Every module of the package imports without a warning about a moved module."""
    import pkgutil
    import subprocess

    import tei_cable

    names = [m.name for m in pkgutil.walk_packages(tei_cable.__path__, "tei_cable.")]
    names = [n for n in names if n not in MOVED and not n.endswith("__main__")]
    code = "import importlib, sys\nfor n in sys.argv[1:]:\n    importlib.import_module(n)\n"
    done = subprocess.run(
        [sys.executable, "-W", "error::DeprecationWarning", "-c", code, *names],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-2000:]
