"""Diagnostics: typed findings with a code, a severity and a source position.

Readers, enrichers, the ODD compiler and the validators never print; they return or raise these,
and the command line decides how to show them. Codes are stable so users can look them up and
filter them: ``R`` reader, ``E`` enrichment, ``O`` ODD compiler, ``V`` validation, ``I`` input.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

#: code -> what it means, for the reader (R), enrichment (E), input (I) and validation (V);
#: the ODD compiler's O codes are in :data:`tei_cable.odd.problems.CODES`
CODES: dict[str, str] = {
    "I000": "an input or output problem (missing, unreadable, not UTF-8, output exists)",
    "I001": "a character XML cannot carry (a control character, U+FFFE, U+FFFF) in an input: "
    "refused with its line and column",
    "R100": "no recognisable record: neither a bold date-and-title block nor front-matter sections",
    "R101": "no bold date-and-title block at the top of the record",
    "R102": "no front-matter sections (**Citation:**, **Summary:** …)",
    "R103": "a front-matter section this reader does not know (kept as it is)",
    "R104": "uncertain where a front-matter section ends and the document begins (the line says "
    "which way it was read and why)",
    "R105": "front-matter sections after the document, read as the record's",
    "R106": "an input of several records where one was expected (read_record, convert_record)",
    "R110": "the record has no document text after its front matter",
    "R201": "a quotation opened at the start of a paragraph is never closed",
    "R202": "a quotation is not closed before the signature of the letter quoting it",
    "R203": "a quotation mark inside a paragraph is not closed (kept as written)",
    "R204": "an editorial bracket is not closed",
    "R205": "an HTML tag (<sup>…) is not closed",
    "R206": "brackets, quotation marks or tags nested more than 24 deep in a paragraph, or "
    "quotations nested more than 24 deep across paragraphs: the deeper ones kept as plain text",
    "R301": "a signature and date run into the last paragraph (separated as the closer)",
    "E101": "a registry entry replaced by one with the same xml:id from a later file",
    "E102": "the same name form given to two entities of the registry",
    "E103": "a registry file that cannot be read or is not a TEI list of entities",
    "E110": (
        "a name the registry does not know: it gets an entry of the document's own (standOff, "
        '@cert="low", no identifier)'
    ),
    "E120": "a local pointer (#id) that names no xml:id of the document",
    "X100": "an input to export that is well-formed XML but not a TEI P5 document",
    "X101": "an input to export that is not valid against the schema --validate names",
    "V001": "a schema that cannot be loaded or used",
    "V310": "a Schematron schema that cannot be compiled",
    "V311": (
        "a Schematron pattern on subordinate documents (@documents), not run: no other file is read"
    ),
}


class Severity(IntEnum):
    """How bad a finding is; the exit status follows the worst one past a threshold."""

    INFO = 10
    WARNING = 20
    ERROR = 30
    FATAL = 40

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One finding: where it happened (path, line, column) and what it is (code, message)."""

    path: str | None
    line: int | None
    column: int | None
    severity: Severity
    code: str
    message: str

    def format(self) -> str:
        """``path:line:column: severity: message [code]``, leaving out what is unknown."""
        where = ":".join(
            str(part) for part in (self.path, self.line, self.column) if part is not None
        )
        prefix = f"{where}: " if where else ""
        return f"{prefix}{self.severity}: {self.message} [{self.code}]"

    def __str__(self) -> str:
        return self.format()


def diagnostic(
    code: str,
    message: str,
    *,
    severity: Severity = Severity.WARNING,
    line: int | None = None,
    column: int | None = None,
    path: str | None = None,
) -> Diagnostic:
    """Build a :class:`Diagnostic` with keyword arguments in reading order."""
    return Diagnostic(path, line, column, severity, code, message)


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
