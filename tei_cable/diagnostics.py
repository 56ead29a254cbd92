"""Errors a user can act on, and the names findings had before :mod:`tei_cable.findings`.

Readers, enrichers, the ODD compiler and the validators never print; they return findings
(:class:`~tei_cable.findings.Finding`, codes in :data:`~tei_cable.findings.CODES`) or raise
:class:`TeiCableError`, and the command line decides how to show them.
"""

from __future__ import annotations

import warnings
from typing import Any

from .findings import CODES, Finding, Severity, diagnostic

__all__ = [
    "CODES",
    "Finding",
    "InputError",
    "OutputError",
    "Severity",
    "TeiCableError",
    "diagnostic",
]


class TeiCableError(Exception):
    """An error a user can act on; its ``str`` is one line with the position where known."""

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        column: int | None = None,
        code: str = "I000",
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.column = column
        self.code = code

    def __str__(self) -> str:
        where = ":".join(str(p) for p in (self.path, self.line, self.column) if p is not None)
        return f"{where}: {self.message}" if where else self.message


class InputError(TeiCableError):
    """The input cannot be read or is not what the command expects."""


class OutputError(TeiCableError):
    """The output cannot be written (exists without ``--force``, not writable)."""


def __getattr__(name: str) -> Any:
    """``Diagnostic``, the old name of :class:`~tei_cable.findings.Finding` (the reader's,
    enrichment's and the ODD compiler's findings are findings like the validators'): still
    served, with a :class:`DeprecationWarning`."""
    if name == "Diagnostic":
        warnings.warn(
            "tei_cable.diagnostics.Diagnostic is now tei_cable.findings.Finding; import it from "
            "there",
            DeprecationWarning,
            stacklevel=2,
        )
        return Finding
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
