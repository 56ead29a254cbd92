"""Diagnostics of the ODD compiler: stable ``O1xx`` codes, positions in the ODD, all of them.

The compiler never stops at the first problem: it records every one it meets (with the file
and line of the ODD element concerned) and raises :class:`OddError` at the end if any is an
error. Warnings travel with the result (``CompiledOdd.diagnostics``).
"""

from __future__ import annotations

from dataclasses import replace

from lxml import etree

from ..diagnostics import Severity, TeiCableError, diagnostic
from ..findings import CODES as ALL_CODES
from ..findings import Finding

#: the ODD compiler's codes (``O1xx``) in the one table, :data:`tei_cable.findings.CODES`
CODES: dict[str, str] = {k: v for k, v in ALL_CODES.items() if k.startswith("O")}


class OddError(TeiCableError):
    """The ODD has errors; ``diagnostics`` lists all of them (warnings included)."""

    def __init__(self, diagnostics: list[Finding], *, path: str | None = None) -> None:
        errors = [d for d in diagnostics if d.severity >= Severity.ERROR]
        first = errors[0] if errors else None
        count = len(errors)
        message = (
            f"{first.message} [{first.code}]"
            if count == 1 and first is not None
            else f"{count} errors in the ODD (first: {first.message} [{first.code}])"
            if first is not None
            else "the ODD has errors"
        )
        super().__init__(
            message,
            path=first.path if first is not None else path,
            line=first.line if first is not None and count == 1 else None,
            code=first.code if first is not None else "O101",
        )
        self.diagnostics = diagnostics


class Problems:
    """Collects diagnostics, with positions taken from the ODD elements they concern."""

    def __init__(self) -> None:
        self.items: list[Finding] = []
        self._paths: dict[int, str] = {}
        self._roots: list[etree._Element] = []
        self._included: dict[etree._Element, str] = {}
        #: names the ODD uses that the TEI source does not define (in order found)
        self.lacking: dict[str, None] = {}
        self._seen: set[tuple[str, str | None, int | None, str]] = set()

    def register(self, root: etree._Element, path: str) -> None:
        """Say which file a parsed document came from (for messages about its elements)."""
        self._paths[id(root)] = path
        self._roots.append(root)  # keeps the id valid

    def include(self, node: etree._Element, path: str) -> None:
        """Say that ``node`` and what it contains came from ``path`` (an XInclude)."""
        self._included[node] = path

    def where(self, node: etree._Element | None) -> tuple[str | None, int | None]:
        """The file and line of ``node`` (``None`` where unknown, e.g. for TEI source specs)."""
        if node is None:
            return None, None
        if self._included:
            for ancestor in (node, *node.iterancestors()):
                included = self._included.get(ancestor)
                if included is not None:
                    return included, node.sourceline
        root = node.getroottree().getroot()
        path = self._paths.get(id(root))
        if path is None:
            return None, None
        return path, node.sourceline

    def add(
        self,
        severity: Severity,
        code: str,
        message: str,
        node: etree._Element | None = None,
        *,
        path: str | None = None,
        line: int | None = None,
    ) -> None:
        where_path, where_line = self.where(node)
        path = path if path is not None else where_path
        line = line if line is not None else where_line
        key = (code, path, line, message)
        if key in self._seen:
            return
        self._seen.add(key)
        self.items.append(diagnostic(code, message, severity=severity, line=line, path=path))

    def error(
        self, code: str, message: str, node: etree._Element | None = None, **kw: object
    ) -> None:
        self.add(Severity.ERROR, code, message, node, **kw)  # type: ignore[arg-type]

    def warning(
        self, code: str, message: str, node: etree._Element | None = None, **kw: object
    ) -> None:
        self.add(Severity.WARNING, code, message, node, **kw)  # type: ignore[arg-type]

    def info(
        self, code: str, message: str, node: etree._Element | None = None, **kw: object
    ) -> None:
        self.add(Severity.INFO, code, message, node, **kw)  # type: ignore[arg-type]

    def promote_warnings(self) -> None:
        """Make every warning an error (``--strict``)."""
        self.items = [
            replace(d, severity=Severity.ERROR) if d.severity == Severity.WARNING else d
            for d in self.items
        ]

    @property
    def has_errors(self) -> bool:
        return any(d.severity >= Severity.ERROR for d in self.items)

    def sorted(self) -> list[Finding]:
        """By file and line, then in the order found (stable)."""
        return sorted(self.items, key=lambda d: (d.path or "", d.line or 0))

    def raise_if_errors(self) -> None:
        if self.has_errors:
            raise OddError(self.sorted())
