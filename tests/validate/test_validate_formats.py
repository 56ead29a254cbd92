"""Report formats: text, the JSON contract, JUnit XML (checked against its schema), GitHub."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
import xmlschema
from lxml import etree
from validate_helpers import JUNIT_XSD, MINI_RNG, mutate, valid_text

from tei_cable.validate import formats
from tei_cable.validate.report import Report
from tei_cable.validate.runner import Validator


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    folder = tmp_path_factory.mktemp("files")
    (folder / "a-valid.xml").write_text(valid_text(), encoding="utf-8")
    (folder / "b-invalid.xml").write_text(
        mutate('<div type="cable"', '<div type="memo, 100%\nsure"').replace("<lb/>", "<lb>x</lb>"),
        encoding="utf-8",
    )
    (folder / "c-broken.xml").write_bytes(b"<TEI><p></TEI>")
    (folder / "d-warning.xml").write_text(
        mutate('<head>Cable of <date when="1950-10-02">2 October 1950</date></head>', ""),
        encoding="utf-8",
    )
    report = Validator(MINI_RNG).run([folder])
    report.seconds = 1.25
    return report


def test_text_is_one_line_per_issue_then_the_summary(report: Report) -> None:
    lines = formats.text(report).splitlines()
    assert lines[-1] == "4 files: 2 valid, 2 invalid; 3 errors, 1 warning; 1.25 s"
    pattern = re.compile(
        r"^(.+):(\d+):(\d+): (fatal|error|warning|info): (.+) "
        r"\[(\w+)(:[\w-]+)?\]$"
    )
    assert len(lines) == 5 and all(pattern.match(line) for line in lines[:-1])
    assert [line.split(":")[0].rsplit("/", 1)[1] for line in lines[:-1]] == [
        "b-invalid.xml",
        "b-invalid.xml",
        "c-broken.xml",
        "d-warning.xml",
    ]


def test_json_follows_the_documented_contract(report: Report) -> None:
    data = json.loads(formats.json_(report))
    assert list(data) == ["files", "summary"]
    assert data["summary"] == {
        "files": 4,
        "valid": 2,
        "invalid": 2,
        "errors": 3,
        "warnings": 1,
        "seconds": 1.25,
    }
    for entry in data["files"]:
        assert list(entry) == ["path", "valid", "issues"]
        for issue in entry["issues"]:
            fixed = ["line", "column", "severity", "message", "engine", "rule"]
            assert list(issue)[:6] == fixed
            # a Schematron issue adds what its SVRL report says (README: --format json)
            extra = {
                "kind",
                "test",
                "location",
                "role",
                "flag",
                "lang",
                "diagnostics",
                "properties",
            }
            assert set(list(issue)[6:]) <= (extra if issue["engine"] == "sch" else set())
            assert isinstance(issue["line"], int) and isinstance(issue["column"], int)
    assert [e["valid"] for e in data["files"]] == [True, False, False, True]
    warning = data["files"][3]["issues"][0]
    assert (warning["severity"], warning["engine"], warning["rule"]) == (
        "warning",
        "sch",
        "div-has-head",
    )


def test_json_and_text_are_deterministic(report: Report) -> None:
    assert formats.json_(report) == formats.json_(report)
    again = Validator(MINI_RNG).run([f.path for f in report.files])
    again.seconds = report.seconds
    assert formats.json_(again) == formats.json_(report)


def test_junit_matches_the_junit_schema_with_one_testcase_per_file(report: Report) -> None:
    xml = formats.junit(report).encode("utf-8")
    xmlschema.XMLSchema10(str(JUNIT_XSD)).validate(etree.fromstring(xml))
    root = etree.fromstring(xml)
    cases = root.findall("testsuite/testcase")
    assert [c.get("name").rsplit("/", 1)[1] for c in cases] == [
        "a-valid.xml",
        "b-invalid.xml",
        "c-broken.xml",
        "d-warning.xml",
    ]
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("4", "2", "0")
    assert [len(c.findall("failure")) for c in cases] == [0, 1, 1, 0]
    failure = cases[1].find("failure")
    assert failure.get("message").startswith("2 errors: value ")
    assert failure.text.count("\n") == 1  # both issues, one per line
    assert cases[3].findtext("system-out").endswith("[sch:div-has-head]")


def test_github_annotations_escape_what_the_workflow_syntax_needs(report: Report) -> None:
    lines = formats.github(report).splitlines()
    annotations = [line for line in lines if line.startswith("::")]
    assert len(annotations) == 4 and lines[-1].startswith("4 files:")
    # in the message only % is escaped (the newline became a space when the attribute was
    # parsed); commas and colons are escaped in properties (file, title) only
    assert re.match(
        r"^::error file=[^,]+b-invalid\.xml,line=\d+,col=\d+,title=rng%3A"
        r"attribute-value::value \"memo, 100%25 sure\" of attribute",
        annotations[0],
    ), annotations[0]
    assert annotations[3].startswith("::warning ")


def test_github_escapes_newlines_and_percent_in_messages() -> None:
    from tei_cable.findings import Issue
    from tei_cable.validate.report import FileResult

    result = FileResult.of("dir,x/a:b.xml", [Issue(3, 4, "error", "50% done\nnext", "sch", "r")])
    line = formats.github(Report([result])).splitlines()[0]
    assert line == "::error file=dir%2Cx/a%3Ab.xml,line=3,col=4,title=sch%3Ar::50%25 done%0Anext"


# -- streaming, and escaping what is printed ----


def test_streamed_json_is_what_json_dumps_writes(report: Report) -> None:
    expected = json.dumps(report.as_dict(), indent=2, ensure_ascii=False) + "\n"
    assert formats.json_(report) == expected
    assert (
        formats.json_(Report([], 0.5))
        == json.dumps(Report([], 0.5).as_dict(), indent=2, ensure_ascii=False) + "\n"
    )


def test_json_lines_has_one_object_per_file_then_the_summary(report: Report) -> None:
    lines = formats.jsonl(report).splitlines()
    assert [json.loads(line) for line in lines[:-1]] == [f.as_dict() for f in report.files]
    assert json.loads(lines[-1]) == {"summary": report.summary()}


def test_without_timings_no_time_is_printed(report: Report) -> None:
    for fmt in formats.WRITERS:
        shown = formats.render(report, fmt, timings=False)
        assert "1.25" not in shown and "seconds" not in shown and 'time="' not in shown, fmt


HOSTILE_NAMES = ["a\x01b.xml", "line\nbreak.xml", "tab\there.xml", "sep\u2028x.xml"]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Report:
    """Files whose names and attribute values hold control characters and line breaks."""
    folder = tmp_path_factory.mktemp("hostile")
    bad = mutate('<div type="cable"', '<div type="one&#10;two&#13;three&#9;four"')
    for name in HOSTILE_NAMES:
        (folder / name).write_text(bad, encoding="utf-8")
    (folder / os.fsdecode(b"undecodable-\xff.xml")).write_text(bad, encoding="utf-8")
    return Validator(MINI_RNG).run([folder])


def test_every_format_escapes_what_it_prints(hostile: Report) -> None:
    """Control characters and line breaks in file names and messages never split a line,
    break the XML or make the report unencodable (regression: junit crashed, text split)."""
    issues = len(hostile.issues)
    assert issues >= 5 and all(not f.valid for f in hostile.files)
    shown = {fmt: formats.render(hostile, fmt).encode("utf-8") for fmt in formats.WRITERS}
    text = shown["text"].decode().split("\n")
    assert len(text) == issues + 2 and text[-1] == ""  # one line per issue, the summary
    assert all(re.match(r"^.+\.xml:\d+:\d+: error: ", line) for line in text[:-2])
    assert any("a\\x01b.xml:" in t for t in text)
    assert any("line\\nbreak.xml:" in t for t in text)
    assert any("undecodable-\\xff.xml:" in t for t in text)
    assert any('"one\\ntwo\\rthree\\tfour"' in t for t in text)
    github = shown["github"].decode().split("\n")
    assert len(github) == issues + 2
    root = etree.fromstring(shown["junit"])
    xmlschema.XMLSchema10(str(JUNIT_XSD)).validate(root)
    assert len(root.findall("testsuite/testcase")) == len(hostile.files)
    data = json.loads(shown["json"])
    paths = [Path(f["path"]).name for f in data["files"]]
    assert set(HOSTILE_NAMES) <= set(paths)  # JSON keeps the names exactly
    assert "undecodable-\\xff.xml" in paths
    lines = shown["jsonl"].decode().split("\n")
    assert len(lines) == len(hostile.files) + 2 and lines[-1] == ""
    assert all(json.loads(line) for line in lines[:-1])
