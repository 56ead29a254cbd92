"""Where the package's data files are: derived schemas, the entity registry."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def schemas_dir() -> Path:
    """The folder holding the ODD and the schemas derived from it.

    In a source checkout ``tei_cable/schemas`` is a link to the top-level ``schemas/`` folder;
    installed, it is a real folder inside the package.
    """
    return PACKAGE_DIR / "schemas"


def data_dir() -> Path:
    """The package's own data (entity registry, stylesheets)."""
    return PACKAGE_DIR / "data"
