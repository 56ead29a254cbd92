"""Writing validation reports for people and for CI systems, one file at a time.

- ``text``: ``path:line:column: severity: message [engine:rule]`` per issue, then a summary line.
- ``json``: the documented contract (``Report.as_dict``), written as files come.
- ``jsonl``: one JSON object per line and file (``path``, ``valid``, ``issues``), then
  ``{"summary": {...}}``: for very large runs and for tools that read line by line.
- ``junit``: JUnit XML, one ``testcase`` per file, as CI systems (GitLab, Jenkins, Azure)
  render test results.
- ``github``: GitHub Actions workflow commands (``::error file=…,line=…,col=…::…``), which
  annotate the lines of a pull request.
- ``svrl``: ISO Schematron's own report of one document (written by the command from the
  Schematron engine, see :meth:`~.runner.Validator.svrl`; :data:`DOCUMENT_FORMATS`).

A :class:`Writer` takes each :class:`~.report.FileResult` as it comes and holds none of them,
so a report of a million files costs no more memory than one of ten (JUnit puts its counts
first, so its test cases wait in a temporary file, spilled to disk when large). Whatever a
report prints is escaped for its format: a control character or line break in a file name or
a message never splits a line, breaks the XML or makes the output unencodable.

Every format but ``jsonl`` lays out a file's result as a *template*: its part of the report
with the file's path left out (:meth:`Writer.template`), filled in with the path as the format
escapes it (:meth:`Writer.fill`). The result cache keeps a template beside the result, so a
rerun that takes most results from the cache prints each one by filling in a path, the same
code a fresh result goes through (``jsonl`` prints the compact JSON the cache keeps anyway).
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

from ..findings import Issue, format_issue, printable
from .report import (
    BASE_KEYS,
    FileResult,
    Report,
    Row,
    StoredIssues,
    Summary,
    issue_rows,
    issues_json,
    json_string,
)

#: where a template has the path (never printed as it is: every format escapes U+0000)
_PATH = "\0"
_PATH_BYTES = b"\0"


class Writer:
    """A report format: ``start()``, ``file(result)`` for each file in order, ``end(summary)``.

    ``timings=False`` leaves run times out, so two runs over the same files give byte-identical
    reports.
    """

    #: the name of this format's templates in the result cache (``None``: it keeps none)
    form: str | None = None

    def __init__(self, out: BinaryIO, *, timings: bool = True) -> None:
        self.out = out
        self.timings = timings

    def template(self, result: FileResult) -> bytes | None:
        """What the report prints for ``result``, its path left out (``None``: the format
        keeps no template, or this result cannot have one)."""
        return None

    def fill(self, template: bytes, result: FileResult) -> bytes:
        """A template with ``result``'s path in."""
        return template

    def _template_of(self, result: FileResult) -> bytes | None:
        """The template the cache gave with ``result``, else a new one."""
        issues = result.issues
        if getattr(issues, "form", None) == self.form and self.form is not None:
            return issues.template  # type: ignore[attr-defined,no-any-return]
        return self.template(result)

    def write(self, text: str) -> None:
        """Write text (already escaped) as UTF-8."""
        self.out.write(text.encode("utf-8", "backslashreplace"))

    def start(self) -> None:
        """Before the first file."""

    def entry(self, result: FileResult) -> bytes:
        """What the report prints for one file (between files: :meth:`join`)."""
        return b""

    def join(self, entries: list[bytes]) -> bytes:
        """Several files' entries as the report prints them one after the other."""
        return b"".join(entries)

    def file(self, result: FileResult) -> None:
        """One file's result."""
        self.out.write(self.entry(result))

    def part(self, part: ReportPart) -> None:
        """Several files' results at once, as :meth:`join` joined their entries."""
        self.out.write(part.data)

    def end(self, summary: Summary) -> None:
        """After the last file (or when the run was interrupted)."""
        self.out.flush()


@dataclass(frozen=True)
class ReportPart:
    """The entries of consecutive files as a writer joined them (kept by the result cache),
    with their counts."""

    files: int
    valid: int
    errors: int
    warnings: int
    data: bytes


def summary_line(summary: Summary | Report, *, timings: bool = True) -> str:
    """``3 files: 2 valid, 1 invalid; 4 errors, 0 warnings; 0.21 s``."""
    s = summary.totals() if isinstance(summary, Report) else summary
    files = "file" if s.files == 1 else "files"
    errors = "error" if s.errors == 1 else "errors"
    warnings = "warning" if s.warnings == 1 else "warnings"
    line = (
        f"{s.files} {files}: {s.valid} valid, {s.invalid} invalid; "
        f"{s.errors} {errors}, {s.warnings} {warnings}"
    )
    if timings:
        line += f"; {s.seconds:.2f} s"
    if s.interrupted:
        line += "; interrupted"
    return line


class TextWriter(Writer):
    """One line per issue, then the summary line."""

    form = "text"

    def template(self, result: FileResult) -> bytes | None:
        if not result.path:  # a line without a path has no "path:" either
            return None
        lines = "".join(format_issue(_PATH, *r[:6]) + "\n" for r in issue_rows(result))
        return lines.encode("utf-8", "backslashreplace")

    def fill(self, template: bytes, result: FileResult) -> bytes:
        where = printable(result.path).encode("utf-8", "backslashreplace")
        return template.replace(_PATH_BYTES, where)

    def entry(self, result: FileResult) -> bytes:
        if not result.issues:
            return b""
        template = self._template_of(result)
        if template is not None:
            return self.fill(template, result)
        where = printable(result.path)
        lines = "".join(format_issue(where, *r[:6]) + "\n" for r in issue_rows(result))
        return lines.encode("utf-8", "backslashreplace")

    def end(self, summary: Summary) -> None:
        self.write(summary_line(summary, timings=self.timings) + "\n")
        super().end(summary)


# -- JSON ----

_INDENTED = (
    '        {\n          "line": %d,\n          "column": %d,\n          "severity": %s,\n'
    '          "message": %s,\n          "engine": %s,\n          "rule": %s\n        }'
)


def _indented_issues(rows: list[Row]) -> str:
    if not rows:
        return "[]"
    parts = []
    for line, column, sev, msg, eng, rule, facts in rows:
        if facts:  # an engine's further facts: laid out by json itself
            shape = dict(zip(BASE_KEYS, (line, column, sev, msg, eng, rule), strict=True))
            shape.update(facts)
            text = _json_dumps(shape, indent=2).replace("\n", "\n        ")
            parts.append("        " + text)
            continue
        parts.append(
            _INDENTED
            % (
                line,
                column,
                json_string(sev),
                json_string(msg),
                json_string(eng),
                json_string(rule),
            )
        )
    return "[\n" + ",\n".join(parts) + "\n      ]"


#: the compact JSON of issues as the cache keeps them -> the indented JSON of the report: each
#: token holds a quotation mark no backslash escapes, so it is never inside a string
_LAYOUT = (
    (b',"column":', b',\n          "column": '),
    (b',"severity":', b',\n          "severity": '),
    (b',"message":', b',\n          "message": '),
    (b',"engine":', b',\n          "engine": '),
    (b',"rule":', b',\n          "rule": '),
    (b'},{"line":', b'\n        },\n        {\n          "line": '),
)


def _stored_indented(issues: StoredIssues) -> bytes | None:
    """A cached result's issues laid out as :func:`_indented_issues` lays them out, from the
    compact JSON the cache keeps, without decoding it (its strings are already written as the
    JSON report writes them). ``None`` where an issue has further facts."""
    text, count = issues.json, issues.count
    if count == 0:
        return b"[]"
    # every key ends in '":' (a '"' in a string is '\"'): only the six of a plain issue
    keys = text.count(b'":') - text.count(b'\\":')
    if keys != 6 * count or not (text.startswith(b'[{"line":') and text.endswith(b'"}]')):
        return None
    for token, laid_out in _LAYOUT:
        text = text.replace(token, laid_out)
    return b'[\n        {\n          "line": ' + text[9:-2] + b"\n        }\n      ]"


def _json_dumps(value: object, **options: object) -> str:
    text = json.dumps(value, ensure_ascii=False, **options)  # type: ignore[arg-type]
    # valid JSON either way, but a line-by-line reader may split at these
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


class JsonWriter(Writer):
    """The JSON contract, indented exactly as ``json.dumps(..., indent=2)`` writes it."""

    form = "json"

    def start(self) -> None:
        self.write('{\n  "files": [')
        self._count = 0

    def template(self, result: FileResult) -> bytes:
        """The issues laid out (the path and validity are in the head :meth:`file` writes)."""
        issues = result.issues
        body = _stored_indented(issues) if isinstance(issues, StoredIssues) else None
        if body is None:
            body = _indented_issues(issue_rows(result)).encode("utf-8", "backslashreplace")
        return body

    def entry(self, result: FileResult) -> bytes:
        body = self._template_of(result)
        if body is None:
            body = _indented_issues(issue_rows(result)).encode("utf-8", "backslashreplace")
        head = (
            '\n    {\n      "path": '
            + json_string(result.path)
            + ',\n      "valid": '
            + ("true" if result.valid else "false")
            + ',\n      "issues": '
        )
        return head.encode("utf-8", "backslashreplace") + body + b"\n    }"

    def join(self, entries: list[bytes]) -> bytes:
        return b",".join(entries)

    def file(self, result: FileResult) -> None:
        self.out.write((b"," if self._count else b"") + self.entry(result))
        self._count += 1

    def part(self, part: ReportPart) -> None:
        self.out.write((b"," if self._count else b"") + part.data)
        self._count += part.files

    def end(self, summary: Summary) -> None:
        tail = "\n  ]" if self._count else "]"
        counts = _json_dumps(summary.as_dict(timings=self.timings), indent=2)
        self.write(f'{tail},\n  "summary": {counts.replace(chr(10), chr(10) + "  ")}\n}}\n')
        super().end(summary)


class JsonLinesWriter(Writer):
    """One compact JSON object per line and file, then one with the summary."""

    #: no templates (it prints a cached result's issues as the cache keeps them), but parts
    form = "jsonl"

    def entry(self, result: FileResult) -> bytes:
        issues = result.issues
        if isinstance(issues, StoredIssues):  # from the cache: written as it was kept
            text = issues.json
        else:
            text = issues_json(issue_rows(result)).encode("utf-8")
        valid = b',"valid":true,"issues":' if result.valid else b',"valid":false,"issues":'
        path = json_string(result.path).encode("utf-8", "backslashreplace")
        return b'{"path":' + path + valid + text + b"}\n"

    def end(self, summary: Summary) -> None:
        shape = {"summary": summary.as_dict(timings=self.timings)}
        self.write(_json_dumps(shape, separators=(",", ":")) + "\n")
        super().end(summary)


# -- JUnit ----


def _xml_text(text: str) -> str:
    """Text XML 1.0 can hold: control characters escaped, line breaks and tabs kept."""
    return printable(text, keep="\n\t")


class JUnitWriter(Writer):
    """JUnit XML: a ``testsuites`` with one ``testsuite`` and one ``testcase`` per file.

    The counts come first in the XML, so the test cases are kept in a temporary file (in
    memory while small) until the end.
    """

    def __init__(self, out: BinaryIO, *, timings: bool = True) -> None:
        super().__init__(out, timings=timings)
        #: a test case's time is part of its template
        self.form = "junit+time" if timings else "junit"

    def start(self) -> None:
        import tempfile

        self._cases: tempfile.SpooledTemporaryFile[bytes] = tempfile.SpooledTemporaryFile(  # noqa: SIM115 - closed in end()
            max_size=8 << 20
        )
        self._failures = 0
        self._errors = 0

    def template(self, result: FileResult) -> bytes | None:
        """The test case with placeholders for the path as an attribute and as text (none
        if an issue's text holds one of them)."""
        case = self._case(result, _JUNIT_NAME, _JUNIT_PATH)
        if case.count(_JUNIT_NAME_BYTES) != 1 or case.count(_JUNIT_PATH_BYTES) != len(
            result.issues
        ):
            return None
        return case

    def fill(self, template: bytes, result: FileResult) -> bytes:
        where = printable(result.path)
        name = _xml_escape(where, attribute=True).encode("utf-8")
        text = _xml_escape(where).encode("utf-8")
        return template.replace(_JUNIT_NAME_BYTES, name).replace(_JUNIT_PATH_BYTES, text)

    def _case(self, result: FileResult, name: str, path: str) -> bytes:
        """The test case of ``result``, named ``name`` (printable), its issues' lines
        starting with ``path``."""
        from lxml import etree

        attributes = {"name": name, "classname": "tei-cable.validate"}
        if self.timings:
            attributes["time"] = f"{result.seconds:.3f}"
        case = etree.Element("testcase", attributes)
        body = "\n".join(i.format(path) for i in result.issues)
        if result.unreadable:
            kind, tag = "unreadable", "error"
        elif not result.valid:
            kind, tag = "invalid", "failure"
        else:
            kind, tag = "", "system-out"
        if tag != "system-out":
            first = _xml_text(result.issues[0].message) if result.issues else kind
            counted = f"{result.errors} error{'s' if result.errors != 1 else ''}"
            etree.SubElement(case, tag, message=f"{counted}: {first}", type=kind).text = body
        elif body:
            etree.SubElement(case, tag).text = body
        etree.indent(case, space="  ", level=2)
        return b"    " + etree.tostring(case, encoding="UTF-8") + b"\n"

    def entry(self, result: FileResult) -> bytes:
        template = self._template_of(result)
        if template is not None:
            return self.fill(template, result)
        return self._case(result, printable(result.path), result.path)

    def file(self, result: FileResult) -> None:
        if result.unreadable:
            self._errors += 1
        elif not result.valid:
            self._failures += 1
        self._cases.write(self.entry(result))

    def part(self, part: ReportPart) -> None:
        self._failures += part.files - part.valid  # a kept result is never unreadable
        self._cases.write(part.data)

    def end(self, summary: Summary) -> None:
        counts = f'tests="{summary.files}" failures="{self._failures}" errors="{self._errors}"'
        seconds = f' time="{summary.seconds:.3f}"' if self.timings else ""
        name = 'name="tei-cable validate"'
        self.write(
            "<?xml version='1.0' encoding='UTF-8'?>\n"
            f"<testsuites {name} {counts}{seconds}>\n"
            f'  <testsuite {name} {counts} skipped="0"{seconds}'
            + (">\n" if summary.files else "/>\n")
        )
        self.out.flush()
        self._cases.seek(0)
        import shutil

        shutil.copyfileobj(self._cases, self.out)
        self._cases.close()
        self.write(("  </testsuite>\n" if summary.files else "") + "</testsuites>\n")
        super().end(summary)


#: where a JUnit template has the path: as an attribute, and as text (XML cannot hold U+0000;
#: a template whose issues hold these characters themselves is not used)
_JUNIT_NAME = "\ue000"
_JUNIT_PATH = "\ue001"
_JUNIT_NAME_BYTES = _JUNIT_NAME.encode()
_JUNIT_PATH_BYTES = _JUNIT_PATH.encode()
_XML_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_XML_ATTRIBUTE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})


def _xml_escape(text: str, *, attribute: bool = False) -> str:
    """``text`` (printable: no control character) as lxml writes it in UTF-8, as text or in a
    double-quoted attribute."""
    return text.translate(_XML_ATTRIBUTE if attribute else _XML_TEXT)


# -- GitHub ----

_LEVEL = {"fatal": "error", "error": "error", "warning": "warning", "info": "notice"}


class GitHubWriter(Writer):
    """One workflow command per issue, then the summary line as plain log text."""

    form = "github"

    def template(self, result: FileResult) -> bytes:
        lines = "".join(_annotation_template(i) + "\n" for i in result.issues)
        return lines.encode("utf-8", "backslashreplace")

    def fill(self, template: bytes, result: FileResult) -> bytes:
        return template.replace(_PATH_BYTES, _property(result.path).encode("utf-8"))

    def entry(self, result: FileResult) -> bytes:
        if not result.issues:
            return b""
        template = self._template_of(result)
        if template is not None:
            return self.fill(template, result)
        lines = "".join(_annotation(result.path, i) + "\n" for i in result.issues)
        return lines.encode("utf-8", "backslashreplace")

    def end(self, summary: Summary) -> None:
        self.write(summary_line(summary, timings=self.timings) + "\n")
        super().end(summary)


def _annotation(path: str, issue: Issue) -> str:
    """The workflow command of one issue of the file ``path``."""
    return _annotation_template(issue).replace(_PATH, _property(path))


def _annotation_template(issue: Issue) -> str:
    """:func:`_annotation` with the path left out (``_PATH``)."""
    props = [f"file={_PATH}"]
    if issue.line:
        props.append(f"line={issue.line}")
    if issue.column:
        props.append(f"col={issue.column}")
    tag = f"{issue.engine}:{issue.rule}" if issue.rule else issue.engine
    props.append(f"title={_property(tag)}")
    return f"::{_LEVEL.get(issue.severity, 'error')} {','.join(props)}::{_data(issue.message)}"


def _data(value: str) -> str:
    value = printable(value.replace("%", "%25"), keep="\r\n")
    return value.replace("\r", "%0D").replace("\n", "%0A")


def _property(value: str) -> str:
    return _data(value).replace(":", "%3A").replace(",", "%2C")


#: format name -> writer class
WRITERS: dict[str, type[Writer]] = {
    "text": TextWriter,
    "json": JsonWriter,
    "jsonl": JsonLinesWriter,
    "junit": JUnitWriter,
    "github": GitHubWriter,
}


def render(report: Report, fmt: str, *, timings: bool = True) -> str:
    """A whole report in format ``fmt``, as a string."""
    buffer = io.BytesIO()
    writer = WRITERS[fmt](buffer, timings=timings)
    writer.start()
    for result in report.files:
        writer.file(result)
    writer.end(report.totals())
    return buffer.getvalue().decode("utf-8")


def text(report: Report) -> str:
    """One line per issue, then the summary line."""
    return render(report, "text")


def json_(report: Report) -> str:
    """The JSON contract, indented, keys in a fixed order."""
    return render(report, "json")


def jsonl(report: Report) -> str:
    """JSON Lines: one object per file, then the summary."""
    return render(report, "jsonl")


def junit(report: Report) -> str:
    """JUnit XML: a ``testsuites`` with one ``testsuite`` and one ``testcase`` per file."""
    return render(report, "junit")


def github(report: Report) -> str:
    """One workflow command per issue, then the summary line as plain log text."""
    return render(report, "github")


#: format name -> function of a whole report
FORMATS: dict[str, Callable[[Report], str]] = {
    "text": text,
    "json": json_,
    "jsonl": jsonl,
    "junit": junit,
    "github": github,
}
#: formats that report one document from one engine, not a run: written by the command
DOCUMENT_FORMATS = ("svrl",)
