"""Writing a :class:`~.report.Report` for people and for CI systems.

- ``text``: ``path:line:column: severity: message [engine:rule]`` per issue, then a summary line.
- ``json``: the documented contract (``Report.as_dict``).
- ``junit``: JUnit XML, one ``testcase`` per file, as CI systems (GitLab, Jenkins, Azure)
  render test results.
- ``github``: GitHub Actions workflow commands (``::error file=…,line=…,col=…::…``), which
  annotate the lines of a pull request.
- ``svrl``: ISO Schematron's own report of one document (written by the command from the
  Schematron engine, see :meth:`~.runner.Validator.svrl`; :data:`DOCUMENT_FORMATS`).
"""

from __future__ import annotations

import json
from collections.abc import Callable

from ..findings import Issue
from .report import Report


def text(report: Report) -> str:
    """One line per issue, then the summary line."""
    lines = [issue.format(path) for path, issue in report.issues]
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def summary_line(report: Report) -> str:
    """``3 files: 2 valid, 1 invalid; 4 errors, 0 warnings; 0.21 s``."""
    s = report.summary()
    files = "file" if s["files"] == 1 else "files"
    errors = "error" if s["errors"] == 1 else "errors"
    warnings = "warning" if s["warnings"] == 1 else "warnings"
    return (
        f"{s['files']} {files}: {s['valid']} valid, {s['invalid']} invalid; "
        f"{s['errors']} {errors}, {s['warnings']} {warnings}; {s['seconds']:.2f} s"
    )


def json_(report: Report) -> str:
    """The JSON contract, indented, keys in a fixed order."""
    return json.dumps(report.as_dict(), indent=2, ensure_ascii=False) + "\n"


def junit(report: Report) -> str:
    """JUnit XML: a ``testsuites`` with one ``testsuite`` and one ``testcase`` per file."""
    from lxml import etree

    s = report.summary()
    failures = sum(1 for f in report.files if not f.valid and not f.unreadable)
    errors = sum(1 for f in report.files if f.unreadable)
    counts = {"tests": str(s["files"]), "failures": str(failures), "errors": str(errors)}
    seconds = f"{report.seconds:.3f}"
    suites = etree.Element("testsuites", name="tei-cable validate", **counts, time=seconds)
    suite = etree.SubElement(
        suites, "testsuite", name="tei-cable validate", **counts, skipped="0", time=seconds
    )
    for result in report.files:
        case = etree.SubElement(
            suite,
            "testcase",
            name=result.path,
            classname="tei-cable.validate",
            time=f"{result.seconds:.3f}",
        )
        body = "\n".join(i.format(result.path) for i in result.issues)
        if result.unreadable:
            kind, tag = "unreadable", "error"
        elif not result.valid:
            kind, tag = "invalid", "failure"
        else:
            kind, tag = "", "system-out"
        if tag == "system-out":
            if body:
                etree.SubElement(case, tag).text = body
            continue
        first = result.issues[0].message if result.issues else kind
        counted = f"{result.errors} error{'s' if result.errors != 1 else ''}"
        etree.SubElement(case, tag, message=f"{counted}: {first}", type=kind).text = body
    return etree.tostring(suites, encoding="UTF-8", xml_declaration=True, pretty_print=True).decode(
        "utf-8"
    )


_LEVEL = {"fatal": "error", "error": "error", "warning": "warning", "info": "notice"}


def github(report: Report) -> str:
    """One workflow command per issue, then the summary line as plain log text."""
    lines = [_annotation(path, issue) for path, issue in report.issues]
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def _annotation(path: str, issue: Issue) -> str:
    props = [f"file={_property(path)}"]
    if issue.line:
        props.append(f"line={issue.line}")
    if issue.column:
        props.append(f"col={issue.column}")
    tag = f"{issue.engine}:{issue.rule}" if issue.rule else issue.engine
    props.append(f"title={_property(tag)}")
    return f"::{_LEVEL.get(issue.severity, 'error')} {','.join(props)}::{_data(issue.message)}"


def _data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(value: str) -> str:
    return _data(value).replace(":", "%3A").replace(",", "%2C")


#: format name -> writer
FORMATS: dict[str, Callable[[Report], str]] = {
    "text": text,
    "json": json_,
    "junit": junit,
    "github": github,
}
#: formats that report one document from one engine, not a run: written by the command
DOCUMENT_FORMATS = ("svrl",)
