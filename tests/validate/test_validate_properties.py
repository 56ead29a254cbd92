"""Property: ``validate`` over mutated TEI with awkward file names never crashes, every report
format parses, and every invalid file has its line in every format.

A fast profile runs in the suite (``TEI_CABLE_FUZZ_EXAMPLES``, default 12 examples of four
files each); ``bench/validate_fuzz.py`` is the long run (2,000 files and more).
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import pytest
import xmlschema
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from mutations import file_name, mutated, seeds
from validate_helpers import JUNIT_XSD

from tei_cable.cli import main
from tei_cable.findings import printable
from tei_cable.validate import formats
from tei_cable.validate.report import Report
from tei_cable.validate.runner import Validator

pytestmark = pytest.mark.skipif(
    sys.platform != "linux", reason="file names with control characters need Linux"
)

EXAMPLES = int(os.environ.get("TEI_CABLE_FUZZ_EXAMPLES", "12"))
SOURCES = seeds()
VALIDATOR = Validator("tei_cable")
JUNIT = xmlschema.XMLSchema10(str(JUNIT_XSD))
LINE = re.compile(r"^(?P<where>.*?): (?P<severity>fatal|error|warning|info): .* \[[^\]\n]+\]$")


def check_report(report: Report) -> None:
    """Every format of ``report`` parses and names every invalid file."""
    invalid = [printable(f.path) for f in report.files if not f.valid]
    issues = len(report.issues)

    text = formats.text(report).split("\n")
    assert text[-1] == "" and len(text) == issues + 2, "one line per issue, then the summary"
    wheres = []
    for line in text[:-2]:
        found = LINE.match(line)
        assert found, line
        wheres.append(found.group("where"))
    for path in invalid:
        assert any(w == path or w.startswith(path + ":") for w in wheres), path

    data = json.loads(formats.json_(report))
    assert len(data["files"]) == len(report.files)
    assert [f["valid"] for f in data["files"]] == [f.valid for f in report.files]

    lines = formats.jsonl(report).split("\n")
    assert lines[-1] == "" and len(lines) == len(report.files) + 2
    entries = [json.loads(line) for line in lines[:-1]]
    assert entries[-1]["summary"]["invalid"] == len(invalid)

    junit = etree.fromstring(formats.junit(report).encode("utf-8"))
    JUNIT.validate(junit)
    failed = [c.get("name") for c in junit.iter("testcase") if len(c.findall("failure"))]
    failed += [c.get("name") for c in junit.iter("testcase") if len(c.findall("error"))]
    assert sorted(failed) == sorted(invalid)

    github = formats.github(report).split("\n")
    assert len(github) == issues + 2 and all(g.startswith("::") for g in github[:-2])


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(st.integers(min_value=0, max_value=2**32), min_size=1, max_size=4, unique=True))
def test_every_format_parses_and_names_every_invalid_file(
    tmp_path_factory: pytest.TempPathFactory, seed_list: list[int]
) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    paths = []
    for seed in seed_list:
        path = folder / file_name(seed)
        path.write_bytes(mutated(seed, SOURCES))
        paths.append(str(path))
    report = VALIDATOR.run(paths)
    assert len(report.files) == len(paths)
    assert not any(f.unreadable for f in report.files)
    assert not any(i.rule == "internal" for _p, i in report.issues), report.issues
    check_report(report)
    # the command line too: no traceback, a status that says valid or invalid
    fmt = list(formats.WRITERS)[seed_list[0] % len(formats.WRITERS)]
    cache = str(folder / "cache.sqlite")  # the result cache meets the same names
    result = CliRunner().invoke(
        main,
        ["validate", "--format", fmt, "--jobs", "1", "--cache", cache, *paths],
        catch_exceptions=True,
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert result.exit_code == (0 if report.valid else 1)
    assert "Traceback" not in result.stderr


def test_mutations_are_reproducible_from_their_seed() -> None:
    assert mutated(7, SOURCES) == mutated(7, SOURCES)
    assert file_name(7) == file_name(7)
    assert len({mutated(s, SOURCES) for s in range(30)}) > 20


def test_a_case_found_by_the_property_stays_fixed(tmp_path: Path) -> None:
    """Regression: a name with a control character crashed the JUnit writer; a line break in
    an attribute value split a text report's line."""
    bad = (SOURCES[0]).replace(b'type="cable"', b'type="a&#10;b"', 1)
    path = tmp_path / "x\x01y\nz.xml"
    path.write_bytes(bad)
    check_report(VALIDATOR.run([str(path)]))
