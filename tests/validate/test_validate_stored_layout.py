"""A cached result in the JSON report: laid out from the compact JSON the cache keeps, it is
byte for byte what the fresh issues give, whatever their messages hold."""

from __future__ import annotations

import io
import json

import pytest

from tei_cable.findings import Issue
from tei_cable.validate.formats import JsonWriter, _stored_indented
from tei_cable.validate.report import FileResult, Summary
from tei_cable.validate.stream import decode, encode

AWKWARD = [
    'element "foo" not allowed here; expected "p"',
    'a message with },{"line":1,"column":2, inside',
    "ends with a backslash \\",
    'a backslash before a quote \\" and ":" and ","column":',
    "line\nbreak, tab\t, bell \x07, separator \u2028, é, 漢字, 🙂",
    "",
]


def result_of(issues: list[Issue]) -> FileResult:
    return FileResult.of("dir/a file \u2028.xml", issues, "error", 0.5)


def json_report(result: FileResult) -> bytes:
    out = io.BytesIO()
    writer = JsonWriter(out, timings=False)
    writer.start()
    writer.file(result)
    summary = Summary()
    summary.add(result)
    writer.end(summary)
    return out.getvalue()


@pytest.mark.parametrize(
    "issues",
    [
        [],
        [Issue(3, 7, "error", AWKWARD[0], "rng", "not-allowed")],
        [Issue(i + 1, i, "error", m, "rng", f"rule{i}") for i, m in enumerate(AWKWARD)],
        [Issue(0, 0, "fatal", m, "xml", "") for m in AWKWARD[1:3]],
        [Issue(5, 1, "warning", AWKWARD[3], 'sch"', '},{"line":')],
    ],
)
def test_a_cached_result_is_laid_out_as_the_fresh_one(issues: list[Issue]) -> None:
    fresh = result_of(issues)
    cached = decode(encode(fresh), fresh.path, "error")
    assert _stored_indented(cached.issues) is not None  # the quick way was taken
    assert json_report(cached) == json_report(fresh)
    json.loads(json_report(cached))


def test_issues_with_further_facts_are_laid_out_the_general_way() -> None:
    facts = (("kind", "assert"), ("test", 'count(x) = 1 and @a = "1"'), ("role", "warning"))
    issues = [
        Issue(2, 3, "error", AWKWARD[1], "sch", "r1", facts),
        Issue(4, 1, "error", AWKWARD[0], "rng", "not-allowed"),
    ]
    fresh = result_of(issues)
    cached = decode(encode(fresh), fresh.path, "error")
    assert _stored_indented(cached.issues) is None
    assert json_report(cached) == json_report(fresh)
    assert json.loads(json_report(cached))["files"][0]["issues"][0]["test"] == facts[1][1]
