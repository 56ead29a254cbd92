"""tei-cable: archival records to TEI P5, validated against an ODD, exported to other archives.

The library API (the command line is a thin layer over it)::

    import tei_cable
    record = tei_cable.read_record(text)       # the document model
    tree = tei_cable.convert(text)             # an lxml tree of TEI P5
    report = tei_cable.validate("letter.xml")  # RELAX NG + Schematron; report.valid, .issues
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

_LAZY = {
    "convert": ("tei_cable.convert", "convert"),
    "convert_record": ("tei_cable.convert", "convert_record"),
    "convert_records": ("tei_cable.convert", "convert_records"),
    "Conversion": ("tei_cable.convert", "Conversion"),
    "read_record": ("tei_cable.readers", "read_record"),
    "read_records": ("tei_cable.readers", "read_records"),
    "check_lossless": ("tei_cable.lossless", "check_lossless"),
    "validate": ("tei_cable.validate", "validate"),
    "is_valid": ("tei_cable.validate", "is_valid"),
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    """Import the library's parts on first use, so ``import tei_cable`` stays fast."""
    target = _LAZY.get(name)
    if target is None:
        raise AttributeError(f"module 'tei_cable' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(target[0]), target[1])
    globals()[name] = value
    return value
