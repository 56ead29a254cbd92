"""Findings: what readers, enrichers, the ODD compiler, exporters and validation engines report.

One type (:class:`Finding`) with one severity scale (:class:`Severity`) and one table of
codes (:data:`CODES`). Library code never prints: it returns or raises findings, and the
command line decides how to show them. Codes are stable so users can look them up and filter
them: ``I`` input, ``R`` reader, ``E`` enrichment, ``O`` ODD compiler, ``X`` export, ``V``
validation; a validation engine's own rules are ``engine:rule`` (``xml:not-well-formed``,
``rng:unknown-element``); a Schematron or XSD finding carries the schema's own rule id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    """How bad a finding is: ``info`` < ``warning`` < ``error`` < ``fatal``. A member is also
    its name as a string (``Severity.ERROR == "error"``), so JSON and text show it as such."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"
    FATAL = "fatal"

    @property
    def rank(self) -> int:
        """0 for info up to 3 for fatal."""
        return SEVERITY_RANK[self.value]

    def _compare(self, other: object) -> tuple[int, int] | None:
        if isinstance(other, str) and other in SEVERITY_RANK:
            return SEVERITY_RANK[self.value], SEVERITY_RANK[other]
        return None

    def __lt__(self, other: object) -> bool:
        pair = self._compare(other)
        return NotImplemented if pair is None else pair[0] < pair[1]

    def __le__(self, other: object) -> bool:
        pair = self._compare(other)
        return NotImplemented if pair is None else pair[0] <= pair[1]

    def __gt__(self, other: object) -> bool:
        pair = self._compare(other)
        return NotImplemented if pair is None else pair[0] > pair[1]

    def __ge__(self, other: object) -> bool:
        pair = self._compare(other)
        return NotImplemented if pair is None else pair[0] >= pair[1]

    def __eq__(self, other: object) -> bool:
        return str.__eq__(self, other)

    __hash__ = str.__hash__


#: the severities, worst first
SEVERITIES = ("fatal", "error", "warning", "info")
#: rank of each severity: a higher number is worse
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2, "fatal": 3}


#: code -> what it means: the one table of the project's codes, in the order the README
#: lists them (``Diagnostic codes``); a validation engine's own rules are ``engine:rule``
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
    "E130": "a quoted letter dated after the letter quoting it: its date stays in its text, "
    "its correspDesc gives the dateline's words without a value",
    "E120": "a local pointer (#id) that names no xml:id of the document",
    "E131": "a letter received, by its words, before it was sent (an outgoing telegram's copy "
    "says when the cipher office received the text): the received date is left out of its "
    "correspDesc and stays in its text",
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
    "O122": "@exclude on a moduleRef, classRef or elementRef (ODD's attribute is @except): ignored",
    "O123": "a processing instruction in a content model (the Stylesheets' <?NameList?>): left out",
    "X100": "an input to export that is well-formed XML but not a TEI P5 document",
    "X101": "an input to export that is not valid against the schema --validate names",
    "V001": "a schema that cannot be loaded or used",
    "V310": "a Schematron schema that cannot be compiled",
    "V311": (
        "a Schematron pattern on subordinate documents (@documents), not run: no other file is read"
    ),
    "xml:not-xml": "an input that is not XML at all (empty, or binary data)",
    "xml:not-well-formed": "an input that is not well-formed XML (the parser's own words)",
    "xml:unreadable": "an input that cannot be read (missing, not a file, no permission)",
    "xml:invalid-id": "an xml:id that is not an NCName (an XML name without colons)",
    "xml:duplicate-id": "the same xml:id twice in one document",
    "xml:external-dtd": "an external DTD the document names: not read (no file or URL is read)",
    "xml:external-entity": "an external entity the document declares or uses: not read",
    "xml:undeclared-entity": "an entity reference the document does not declare",
    "rng:unknown-element": "an element the schema does not know anywhere (with a near name)",
    "rng:element-not-allowed": "an element the schema knows, where it is not allowed",
    "rng:attribute-not-allowed": "an attribute not allowed on its element",
    "rng:attribute-value": "an attribute value that is not one the schema allows",
    "rng:missing-attribute": "a required attribute missing",
    "rng:incomplete-element": "an element whose required content is missing at its end",
    "rng:character-content": "text that is not a value the schema allows for the element",
    "rng:text-not-allowed": "text in an element that allows none",
    "rng:*": (
        "libxml2's own finding, named after its error type (rng:elemwrong, …), where no "
        "explanation is made (a verdict only) or none could be"
    ),
    "*:internal": "an engine failed on the file (a fault of tei-cable, reported, never hidden)",
}


@dataclass(frozen=True, eq=False)
class Finding:
    """One finding: where (line, column; 0 when unknown; ``path`` when known), how bad, what,
    who found it (``engine``) and by which rule or code (``rule``).

    ``engine`` is a validation engine (``xml`` for well-formedness and XML's own rules,
    ``rng``, ``sch``, ``xsd``) or empty for the reader, enrichment, the ODD compiler and
    exporters, whose findings carry a code of :data:`CODES` as ``rule`` (also ``code``).
    Ordered by position, so sorting a file's findings gives reading order.
    """

    line: int
    column: int
    severity: Severity
    message: str
    engine: str = ""
    rule: str = ""
    #: what an engine knows beyond that, as (name, value) pairs: a Schematron finding has
    #: ``kind`` (assert or report), ``test``, ``location`` (an XPath), ``role``, ``lang``,
    #: ``diagnostics`` and ``properties`` (as its SVRL report has them)
    facts: tuple[tuple[str, Any], ...] = field(default=(), repr=False)
    #: the file, where the finding knows it (a validation finding leaves it to its report)
    path: str | None = None

    def __post_init__(self) -> None:
        if type(self.severity) is not Severity:
            object.__setattr__(self, "severity", Severity(self.severity))
        if self.line is None:
            object.__setattr__(self, "line", 0)
        if self.column is None:
            object.__setattr__(self, "column", 0)

    def _key(self) -> tuple[Any, ...]:
        return (
            self.line,
            self.column,
            self.severity.value,
            self.message,
            self.engine,
            self.rule,
            self.path or "",
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Finding):
            return NotImplemented
        return self._key() == other._key()

    def __lt__(self, other: Finding) -> bool:
        return self._key() < other._key()

    def __le__(self, other: Finding) -> bool:
        return self._key() <= other._key()

    def __gt__(self, other: Finding) -> bool:
        return self._key() > other._key()

    def __ge__(self, other: Finding) -> bool:
        return self._key() >= other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    @property
    def code(self) -> str:
        """The code of :data:`CODES` (the rule, for a finding of a validation engine)."""
        return self.rule

    @property
    def tag(self) -> str:
        """What the bracket of a report line shows: ``engine:rule``, or the code alone."""
        if self.engine:
            return f"{self.engine}:{self.rule}" if self.rule else self.engine
        return self.rule

    def format(self, path: str | None = None) -> str:
        """``path:line:column: severity: message [tag]``; an unknown (0) column or line and
        an unknown path are left out. ``path`` defaults to the finding's own. Always one
        line: control characters in the path or message are escaped (:func:`printable`)."""
        where = path if path is not None else self.path
        return format_issue(
            printable(where) if where else "",
            self.line,
            self.column,
            self.severity,
            self.message,
            self.engine,
            self.rule,
        )

    def __str__(self) -> str:
        return self.format()

    def as_dict(self) -> dict[str, object]:
        """The JSON shape: line, column, severity, message, engine, rule, and the engine's
        further facts where it has any."""
        found: dict[str, object] = {
            "line": self.line,
            "column": self.column,
            "severity": self.severity.value,
            "message": self.message,
            "engine": self.engine,
            "rule": self.rule,
        }
        found.update(self.facts)
        return found


#: a validation finding (the name validation reports use; the same type)
Issue = Finding


def diagnostic(
    code: str,
    message: str,
    *,
    severity: Severity | str = Severity.WARNING,
    line: int | None = None,
    column: int | None = None,
    path: str | None = None,
) -> Finding:
    """A finding of the reader, enrichment, the ODD compiler or an exporter: a code of
    :data:`CODES`, a message and where, as keywords in reading order."""
    return Finding(line or 0, column or 0, Severity(severity), message, "", code, path=path)


def at_least(issue: Finding, severity: str) -> bool:
    """Whether ``issue`` is as bad as ``severity`` or worse (``fatal`` > ``error`` > ...)."""
    return SEVERITY_RANK.get(issue.severity, 2) >= SEVERITY_RANK[severity]


def format_issue(
    where: str, line: int, column: int, severity: str, message: str, engine: str, rule: str
) -> str:
    """:meth:`Finding.format` of the parts of a finding (``where``: the path, already
    printable, or empty)."""
    tag = printable(f"{engine}:{rule}" if engine and rule else engine or rule)
    parts = [where] if where else []
    if line:
        parts.append(str(line))
        if column:
            parts.append(str(column))
    prefix = ":".join(parts) + ": " if parts else ""
    return f"{prefix}{severity}: {printable(message)} [{tag}]"


#: what a report must not print as it is: control characters (C0, DEL, C1), line and paragraph
#: separators, the non-characters U+FFFE and U+FFFF, and lone surrogates (a file name's
#: undecodable bytes)
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte of a file name (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, keep: str = "") -> str:
    """``text`` with what would break a report line or an XML or JSON report escaped:
    ``\\n``, ``\\r``, ``\\t``, ``\\x01``, ``\\u2028``, an undecodable byte of a file name
    as ``\\xff``; characters in ``keep`` are left alone."""
    if not _UNPRINTABLE.search(text):
        return text
    if keep:
        return _UNPRINTABLE.sub(lambda m: m.group() if m.group() in keep else _escape(m), text)
    return _UNPRINTABLE.sub(_escape, text)
