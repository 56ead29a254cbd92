"""The compiled form of a Schematron schema, kept across processes: shipped beside the packaged
schema, else in the user cache; a stale or corrupt one is ignored. With it, validating a
document that fails no rule imports no elementpath."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO
from lxml import etree

from tei_cable.schemas import resolve
from tei_cable.schematron import engine
from tei_cable.schematron.engine import SchematronValidator, compiled_form, form_path_beside

SEED_XML = REPO / "encoded" / "wilson-117409.xml"
PACKAGED = resolve("tei_cable").files["sch"]


def findings(validator: SchematronValidator, path: Path) -> list[tuple]:
    data = path.read_bytes()
    tree = etree.ElementTree(etree.fromstring(data))
    return [(i.rule, i.line, i.column, i.message) for i in validator.validate(tree, source=data)]


def test_the_shipped_form_is_current() -> None:
    shipped = Path(form_path_beside(PACKAGED))
    assert shipped.read_bytes() == compiled_form(PACKAGED)


def test_the_packaged_schema_is_taken_from_its_shipped_form(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("TEI_CABLE_CACHE_DIR", str(tmp_path))
    validator = SchematronValidator(PACKAGED)
    assert validator._lazy
    assert validator.libxml2_pattern_count == len(validator.patterns)
    assert not (tmp_path / "schemas").exists()  # nothing to keep: the form was there


def _broken_document(tmp_path: Path) -> Path:
    data = SEED_XML.read_bytes().replace(b'when="', b'when="1951-02-30', 1)
    path = tmp_path / "broken.xml"
    path.write_bytes(data)
    return path


def test_a_form_in_the_user_cache_gives_the_same_findings(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("TEI_CABLE_CACHE_DIR", str(tmp_path / "cache"))
    schema = tmp_path / "rules.sch"
    schema.write_bytes(Path(PACKAGED).read_bytes())  # no form beside this copy
    first = SchematronValidator(schema)
    assert not first._lazy
    kept = list((tmp_path / "cache" / "schemas" / "schematron").glob("*.json"))
    assert len(kept) == 1
    second = SchematronValidator(schema)
    assert second._lazy
    broken = _broken_document(tmp_path)
    expected = findings(SchematronValidator(schema, compiled=False), broken)
    assert expected  # a date that does not exist, reported with its message
    assert findings(first, broken) == findings(second, broken) == expected


@pytest.mark.parametrize(
    "content",
    [b"", b"{not json", b"[]", b'{"key": "other", "patterns": []}', b'{"key": "KEY"}'],
)
def test_a_corrupt_or_stale_form_is_ignored(tmp_path, monkeypatch, content: bytes) -> None:
    monkeypatch.setenv("TEI_CABLE_CACHE_DIR", str(tmp_path / "cache"))
    schema = tmp_path / "rules.sch"
    schema.write_bytes(Path(PACKAGED).read_bytes())
    key = json.loads(Path(form_path_beside(PACKAGED)).read_bytes())["key"]
    Path(form_path_beside(schema)).write_bytes(content.replace(b"KEY", key.encode()))
    validator = SchematronValidator(schema)
    broken = _broken_document(tmp_path)
    assert findings(validator, broken) == findings(SchematronValidator(PACKAGED), broken)


def test_a_form_that_does_not_fit_the_schema_is_ignored(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("TEI_CABLE_CACHE_DIR", str(tmp_path / "cache"))
    schema = tmp_path / "rules.sch"
    schema.write_bytes(Path(PACKAGED).read_bytes())
    form = json.loads(Path(form_path_beside(PACKAGED)).read_bytes())
    form["patterns"][0]["compiled"][0]["context"] = "//("  # not XPath
    Path(form_path_beside(schema)).write_text(json.dumps(form), encoding="utf-8")
    validator = SchematronValidator(schema)
    assert validator.libxml2_pattern_count == len(validator.patterns)
    assert validator.patterns[0].compiled[0].context.path != "//("


def test_an_unwritable_cache_is_no_error(tmp_path, monkeypatch) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache folder would be", encoding="utf-8")
    monkeypatch.setenv("TEI_CABLE_CACHE_DIR", str(blocked))
    schema = tmp_path / "rules.sch"
    schema.write_bytes(Path(PACKAGED).read_bytes())
    assert SchematronValidator(schema).libxml2_pattern_count == 26


def test_a_changed_engine_makes_the_form_stale(monkeypatch) -> None:
    key = json.loads(Path(form_path_beside(PACKAGED)).read_bytes())["key"]
    validator = SchematronValidator(PACKAGED)
    root, binding, phase = validator.schema_root, validator.query_binding, validator.phase
    assert engine._form_key(root, binding, phase) == key
    monkeypatch.setattr(engine, "_CODE_DIGEST", b"another engine")
    assert engine._form_key(root, binding, phase) != key


def _fresh_process(code: str, tmp_path: Path) -> str:
    env = {**os.environ, "TEI_CABLE_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    return done.stdout


VALIDATE = """
import sys
from tei_cable.validate.runner import Validator
result = Validator("tei_cable").compile().validate_file({path!r})
print(len(result.issues), "elementpath" in sys.modules)
"""


def test_a_valid_document_imports_no_elementpath(tmp_path) -> None:
    out = _fresh_process(VALIDATE.format(path=str(SEED_XML)), tmp_path)
    assert out.split() == ["0", "False"]


def test_a_failing_rule_imports_elementpath_for_its_message(tmp_path) -> None:
    out = _fresh_process(VALIDATE.format(path=str(_broken_document(tmp_path))), tmp_path)
    count, imported = out.split()
    assert int(count) >= 1 and imported == "True"


WARM = """
import sys
from tei_cable.schematron.engine import SchematronValidator
SchematronValidator({schema!r}).warm()
print("elementpath" in sys.modules)
"""


def test_warming_imports_elementpath_only_for_a_pattern_left_to_it(tmp_path) -> None:
    assert _fresh_process(WARM.format(schema=str(PACKAGED)), tmp_path).split() == ["False"]
    schema = tmp_path / "xpath2.sch"
    schema.write_text(
        '<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">'
        '<pattern><rule context="p"><assert test="if (@n) then true() else false()">n</assert>'
        "</rule></pattern></schema>",
        encoding="utf-8",
    )
    assert _fresh_process(WARM.format(schema=str(schema)), tmp_path).split() == ["True"]


MATCHES = """
import sys
from lxml import etree
from tei_cable.schematron.engine import SchematronValidator
issues = SchematronValidator({schema!r}).validate(
    etree.ElementTree(etree.fromstring({document!r}))
)
print([i.rule for i in issues], "elementpath" in sys.modules)
"""


def test_a_regular_expression_of_the_compiled_form_needs_no_elementpath(tmp_path) -> None:
    schema = tmp_path / "matches.sch"
    schema.write_text(
        '<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">'
        '<pattern><rule context="p"><report test="matches(@n, \'^\\p{Nd}+$\')" id="digits">'
        "digits</report></rule></pattern></schema>",
        encoding="utf-8",
    )
    failing = b'<r><p n="12"/><p n="x1"/></r>'
    passing = b'<r><p n="x1"/><p n="1 2"/></r>'
    # the first process compiles the schema and keeps its form; a failure's message is
    # worked out on elementpath; matches() itself, in a fresh process, needs no elementpath
    first = _fresh_process(MATCHES.format(schema=str(schema), document=failing), tmp_path)
    assert first.split() == ["['digits']", "True"]
    second = _fresh_process(MATCHES.format(schema=str(schema), document=passing), tmp_path)
    assert second.split() == ["[]", "False"]


def test_the_forms_kept_go_with_the_compiled_schemas(tmp_path, monkeypatch) -> None:
    from click.testing import CliRunner

    from tei_cable.cli import main

    monkeypatch.setenv("TEI_CABLE_CACHE_DIR", str(tmp_path / "cache"))
    schema = tmp_path / "rules.sch"
    schema.write_bytes(Path(PACKAGED).read_bytes())
    SchematronValidator(schema)
    kept = tmp_path / "cache" / "schemas" / "schematron"
    assert len(list(kept.glob("*.json"))) == 1
    result = CliRunner().invoke(main, ["cache", "clear", "--schemas"])
    assert result.exit_code == 0, result.output
    assert not kept.exists()
