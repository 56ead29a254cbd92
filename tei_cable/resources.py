"""Where the package's data files are: derived schemas, the entity registry."""

from __future__ import annotations

import os
import sys
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


def cache_dir() -> Path:
    """The user cache: ``$TEI_CABLE_CACHE_DIR``, else the platform's user cache folder."""
    explicit = os.environ.get("TEI_CABLE_CACHE_DIR")
    if explicit:
        return Path(explicit)
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
        return base / "tei-cable" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "tei-cable"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "tei-cable"
