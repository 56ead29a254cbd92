"""ISO Schematron, shared by the ODD compiler (which writes schemas) and validation (which runs
them); it imports neither.

- :mod:`.schema`: loading a schema (includes, abstract patterns and rules, phases, patterns
  embedded in RELAX NG or XSD);
- :mod:`.xpath`: XPath parsers for the query bindings (elementpath, with XSLT's functions and
  nothing that reads a file or the network);
- :mod:`.xpath1`: queries translated to XPath 1.0 for libxml2, where the meaning is kept;
- :mod:`.match`: which nodes a rule context matches, from a name index;
- :mod:`.engine`: :class:`~.engine.SchematronValidator`, which runs each pattern in libxml2
  where every part of it translates and on elementpath otherwise, with the same findings.
"""

from __future__ import annotations

from typing import Any

__all__ = ["SchematronSchemaError", "SchematronValidator"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import engine

        return getattr(engine, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
