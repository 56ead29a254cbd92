"""Where the package's data files are (derived schemas, the entity registry), and the hash of
its code that caches are keyed by."""

from __future__ import annotations

import os
import sys
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
#: the sub-folder, beside a schema's ``IDENT.rng``, of the copy of that RELAX NG written for
#: libxml2 alone (long choices flat: it compiles faster; see ``odd/LIBXML2.md``)
LIBXML2_DIR = "libxml2"
#: the files of the package that make up its behaviour
CODE_SUFFIXES = (".py", ".xml", ".rng", ".sch", ".xsd", ".odd", ".json", ".css")


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


def package_digest(root: Path, unrelated: tuple[str, ...] = ()) -> str:
    """tei-cable's version and the hash of the code and data files under ``root``, but for
    the files and folders (``name/``) of ``unrelated``, relative to ``root``."""
    import hashlib

    from . import __version__

    h = hashlib.sha256(f"tei-cable {__version__}".encode())
    for path in sorted(root.rglob("*")):
        if path.suffix not in CODE_SUFFIXES or "__pycache__" in path.parts or not path.is_file():
            continue
        rel = path.relative_to(root).as_posix()
        if rel in unrelated or any(rel.startswith(u) for u in unrelated if u.endswith("/")):
            continue
        stat = path.stat()
        if stat.st_size > 1_000_000:  # the bundled TEI source: its name and size suffice
            h.update(f"{rel}:{stat.st_size}".encode())
        else:
            h.update(rel.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()
