"""Diagnostics of the ODD compiler: stable ``O1xx`` codes, positions in the ODD, all of them.

The compiler never stops at the first problem: it records every one it meets (with the file
and line of the ODD element concerned) and raises :class:`OddError` at the end if any is an
error. Warnings travel with the result (``CompiledOdd.diagnostics``).
"""

from __future__ import annotations

from dataclasses import replace

from lxml import etree

from ..diagnostics import Diagnostic, Severity, TeiCableError

#: code -> what it means (the message of each diagnostic says which spec and why)
CODES: dict[str, str] = {
    "O100": "the TEI source cannot be found, read or downloaded",
    "O101": "no schemaSpec in the ODD, or not the one asked for",
    "O102": "moduleRef to a module the TEI source does not have",
    "O103": "moduleRef @include/@except names an element that module does not have",
    "O104": "reference to a spec that is defined nowhere (typo, or a module left out)",
    "O105": "change, replace or delete of a spec that does not exist",
    "O106": "change or replace of a spec that is not in the schema (it has no effect)",
    "O107": "malformed content model or datatype",
    "O108": "specGrpRef that cannot be resolved",
    "O109": "spec added (mode add) under a name that already exists",
    "O110": "attDef change or delete for an attribute the spec does not have",
    "O111": "@start names an element that is not in the schema",
    "O112": "element that no document can satisfy (its required content was removed)",
    "O113": "the same attribute defined twice on one element",
    "O114": "moduleRef @url: external RELAX NG module that cannot be read",
    "O115": "valItem change or delete for a value the list does not have",
    "O116": "the same spec changed twice (the changes are applied together)",
    "O117": "@mode with a value ODD does not define (add, change, replace, delete)",
    "O118": "schemaSpec without @ident (the ODD's file name is used)",
    "O119": "the same xml:id twice in the ODD (references find the first)",
    "O120": "xi:include that cannot be resolved (missing, not local, not XML, a cycle)",
    "O121": "the ODD was written for another TEI P5 version than the source it is compiled with",
}


class OddError(TeiCableError):
    """The ODD has errors; ``diagnostics`` lists all of them (warnings included)."""

    def __init__(self, diagnostics: list[Diagnostic], *, path: str | None = None) -> None:
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
        self.items: list[Diagnostic] = []
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
        self.items.append(Diagnostic(path, line, None, severity, code, message))

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

    def sorted(self) -> list[Diagnostic]:
        """By file and line, then in the order found (stable)."""
        return sorted(self.items, key=lambda d: (d.path or "", d.line or 0))

    def raise_if_errors(self) -> None:
        if self.has_errors:
            raise OddError(self.sorted())
