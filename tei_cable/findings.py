"""One validation finding, the unit every validation engine reports."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

SEVERITIES = ("fatal", "error", "warning", "info")


@dataclass(frozen=True, order=True)
class Issue:
    """A finding in a validated file: where (line, column), how bad, what, which engine and rule.

    Ordered by position, so sorting a file's issues gives reading order. ``engine`` is one of
    ``xml`` (well-formedness and XML's own rules), ``rng``, ``sch``, ``xsd``; ``rule`` is the
    Schematron rule or constraint id, the XSD component, or a short code, where known.
    """

    line: int
    column: int
    severity: str
    message: str
    engine: str
    rule: str = ""
    #: what an engine knows beyond that, as (name, value) pairs: a Schematron finding has
    #: ``kind`` (assert or report), ``test``, ``location`` (an XPath), ``role``, ``lang``,
    #: ``diagnostics`` and ``properties`` (as its SVRL report has them)
    facts: tuple[tuple[str, Any], ...] = field(default=(), compare=False, repr=False)

    def format(self, path: str) -> str:
        """``path:line:column: severity: message [engine:rule]``; an unknown (0) column or
        line is left out: ``path:line: ...``, ``path: ...``. Always one line: control
        characters in the path or message are escaped (:func:`printable`)."""
        return format_issue(
            printable(path),
            self.line,
            self.column,
            self.severity,
            self.message,
            self.engine,
            self.rule,
        )

    def as_dict(self) -> dict[str, object]:
        """The JSON shape: line, column, severity, message, engine, rule, and the engine's
        further facts where it has any."""
        found: dict[str, object] = {
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "message": self.message,
            "engine": self.engine,
            "rule": self.rule,
        }
        found.update(self.facts)
        return found


#: rank of each severity: a higher number is worse
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2, "fatal": 3}


def at_least(issue: Issue, severity: str) -> bool:
    """Whether ``issue`` is as bad as ``severity`` or worse (``fatal`` > ``error`` > ...)."""
    return SEVERITY_RANK.get(issue.severity, 2) >= SEVERITY_RANK[severity]


def format_issue(
    where: str, line: int, column: int, severity: str, message: str, engine: str, rule: str
) -> str:
    """:meth:`Issue.format` of the parts of an issue (``where``: the path, already printable)."""
    tag = printable(f"{engine}:{rule}" if rule else engine)
    if line:
        where += f":{line}:{column}" if column else f":{line}"
    return f"{where}: {severity}: {printable(message)} [{tag}]"


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
