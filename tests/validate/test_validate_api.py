"""The library API: tei_cable.validate / is_valid / Validator, and what start-up imports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree
from validate_helpers import MINI_RNG, MINI_XSD, VALID, mutate, valid_text

import tei_cable
from tei_cable.diagnostics import InputError
from tei_cable.validate import Validator
from tei_cable.validate.engines import SchemaError


def test_validate_a_path_a_tree_bytes_and_a_list(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text(mutate("<lb/>", "<lb>x</lb>"), encoding="utf-8")
    report = tei_cable.validate(VALID, schema=MINI_RNG)
    assert report.valid and report.exit_code == 0 and [f.path for f in report.files] == [str(VALID)]
    tree = etree.parse(str(bad))
    from_tree = tei_cable.validate(tree, schema=MINI_RNG)
    assert not from_tree.valid
    issue = from_tree.files[0].issues[0]
    assert (issue.line, issue.column, issue.rule) == (14, 0, "text-not-allowed")  # no source
    from_bytes = tei_cable.validate(bad.read_bytes(), schema=MINI_RNG)
    assert from_bytes.files[0].issues[0].column > 0
    both = tei_cable.validate([VALID, bad], schema=MINI_RNG)
    assert [f.valid for f in both.files] == [True, False] and both.exit_code == 1


def test_is_valid_and_the_names_the_package_exports() -> None:
    assert tei_cable.is_valid(VALID, schema=MINI_RNG) is True
    assert tei_cable.is_valid(b"<TEI/>", schema=MINI_RNG) is False
    from tei_cable import validate
    from tei_cable.validate import validate as same

    assert validate is same is sys.modules["tei_cable.validate"]
    assert validate.Validator is Validator


def test_engines_are_chosen_by_name() -> None:
    assert tei_cable.is_valid(VALID, schema=MINI_RNG, engines="rng")
    with pytest.raises(SchemaError, match="no W3C XML Schema"):
        tei_cable.validate(VALID, schema=MINI_RNG, engines=["xsd"])


def test_a_validator_is_compiled_once_and_reused() -> None:
    first = tei_cable.validate.validator(MINI_RNG, "rng")
    assert tei_cable.validate.validator(MINI_RNG, "rng") is first
    checker = Validator(MINI_RNG, "rng").compile()
    engines = checker._engines
    checker.validate_bytes(valid_text().encode())
    assert checker._engines is engines


def test_a_missing_path_raises_and_an_unreadable_file_exits_2(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        tei_cable.validate(tmp_path / "missing.xml", schema=MINI_RNG)
    folder = tmp_path / "folder.xml"
    folder.mkdir()
    result = Validator(MINI_RNG).validate_file(folder)
    assert result.unreadable and not result.valid
    assert result.issues[0].rule == "unreadable" and "folder" in result.issues[0].message
    report = tei_cable.validate.Report([result])
    assert report.exit_code == 2


def test_import_tei_cable_loads_no_validation_machinery() -> None:
    code = (
        "import sys, tei_cable; import tei_cable.cli; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('lxml', 'xmlschema', 'elementpath') or m.startswith('tei_cable.validate')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_an_rng_run_never_imports_xmlschema_or_elementpath(tmp_path: Path) -> None:
    code = (
        "import sys; from tei_cable.cli import main\n"
        "try:\n"
        "    main(['validate', '--engine', 'rng', '--schema', sys.argv[1], sys.argv[2]])\n"
        "except SystemExit as e:\n"
        "    print(e.code, sorted(m for m in sys.modules if m.split('.')[0] in "
        "('xmlschema', 'elementpath')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(MINI_RNG), str(VALID)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip().splitlines()[-1] == "0 []"


def test_xsd_engine_reports_at_the_offending_node(tmp_path: Path) -> None:
    doc = tmp_path / "d.xml"
    doc.write_text(
        '<doc xmlns="urn:mini" n="x">\n  <date>2020-01-01</date>\n'
        "  <date>2020-13-01</date>\n  <other/>\n</doc>\n",
        encoding="utf-8",
    )
    report = tei_cable.validate(doc, schema=MINI_XSD)
    assert [i.format("d.xml") for i in report.files[0].issues] == [
        'd.xml:1:23: error: value "x" of attribute "n" is invalid; must be an integer '
        "[xsd:xs:integer]",
        'd.xml:3:3: error: character content "2020-13-01" of element "date" is invalid; must '
        "be an ISO date (YYYY-MM-DD) (month must be in 1..12) [xsd:xs:date]",
        'd.xml:4:3: error: element "other" not allowed here [xsd:sequence]',
    ]
    empty = tei_cable.validate(b'<doc xmlns="urn:mini"/>', schema=MINI_XSD)
    assert empty.files[0].issues[0].message == (
        'element "doc" incomplete; missing required element "date"'
    )


def test_xsd_11_schemas_are_read_as_11(tmp_path: Path) -> None:
    from tei_cable.validate.engines.xsd import xsd_version

    xsd11 = tmp_path / "a.xsd"
    xsd11.write_text(
        MINI_XSD.read_text(encoding="utf-8").replace(
            '<xs:attribute name="n" type="xs:integer"/>',
            '<xs:attribute name="n" type="xs:integer"/><xs:assert test="count(*) lt 3"/>',
        ),
        encoding="utf-8",
    )
    assert (xsd_version(MINI_XSD), xsd_version(xsd11)) == ("1.0", "1.1")
    doc = tmp_path / "d.xml"
    doc.write_text(
        '<doc xmlns="urn:mini"><date>2020-01-01</date><date>2020-01-02</date>'
        "<date>2020-01-03</date></doc>",
        encoding="utf-8",
    )
    assert tei_cable.is_valid(doc, schema=MINI_XSD)
    assert not tei_cable.is_valid(doc, schema=xsd11)


def test_json_report_of_the_library_matches_the_cli(tmp_path: Path) -> None:
    from tei_cable.validate.formats import json_

    bad = tmp_path / "bad.xml"
    bad.write_text(mutate("<lb/>", "<lb>x</lb>"), encoding="utf-8")
    report = tei_cable.validate(bad, schema=MINI_RNG)
    data = json.loads(json_(report))
    assert data["files"][0]["issues"][0]["rule"] == "text-not-allowed"


def test_is_valid_stops_at_the_first_error_and_explains_nothing(monkeypatch, tmp_path) -> None:
    """``is_valid`` on one document asks each engine for a verdict only: the RELAX NG
    explanation (a walk of the whole grammar) never runs."""
    import tei_cable
    from tei_cable.validate.engines import rng_explain

    calls = []

    def explain(*_args, **_kwargs):
        calls.append(1)
        return []

    monkeypatch.setattr(rng_explain.Explainer, "issues", explain)
    bad = b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><nonsense/></TEI>'
    assert tei_cable.is_valid(bad) is False
    path = tmp_path / "bad.xml"
    path.write_bytes(bad)
    assert tei_cable.is_valid(path) is False
    assert tei_cable.is_valid(etree.fromstring(bad)) is False
    assert calls == []
    assert not tei_cable.validate(bad).valid
    assert calls == [1]  # a report explains


def test_iter_issues_yields_engine_by_engine() -> None:
    from tei_cable.validate import document as documents
    from tei_cable.validate.runner import Validator

    checker = Validator("tei_cable").compile()
    bad = b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><nonsense/></TEI>'
    issues = checker.iter_issues(documents.load(bad, "bad.xml"))
    first = next(issues)
    assert first.engine == "rng" and first.severity == "error"
    rest = list(issues)
    assert [first, *rest] == checker.check(documents.load(bad, "bad.xml"))
