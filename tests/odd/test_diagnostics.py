"""Errors in an ODD: every one reported, as file:line: message with an O1xx code."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from odd_helpers import compile_text, odd_text

from tei_cable.cli import main
from tei_cable.diagnostics import Severity, TeiCableError
from tei_cable.odd import CODES, OddError, compile_odd

BROKEN = odd_text("""
      <moduleRef key="nosuchmodule"/>
      <moduleRef key="namesdates" include="persName forename colour"/>
      <elementSpec ident="nonexistent" mode="change"/>
      <elementSpec ident="p" mode="change">
        <content>
          <alternate minOccurs="2" maxOccurs="1">
            <elementRef key="hi"/>
            <elementRef key="noSuchThing"/>
          </alternate>
        </content>
      </elementSpec>
      <elementSpec ident="note" mode="change">
        <attList><attDef ident="bogus" mode="change" usage="req"/></attList>
      </elementSpec>
      <elementSpec ident="alsoNonexistent" mode="delete"/>
      <classSpec ident="model.fooLike" mode="replace" type="model"/>
      <specGrpRef target="#missing"/>
      <elementSpec ident="row" mode="change"/>
      <elementSpec ident="xyz" mode="add">
        <classes><memberOf key="att.nope"/></classes>
        <content><macroRef key="macro.nope"/></content>
      </elementSpec>""")


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def test_every_error_is_reported_with_its_line(tmp_path):
    with pytest.raises(OddError) as caught:
        compile_text(BROKEN, tmp_path, "broken.odd")
    found = [(d.line, d.code, d.severity) for d in caught.value.diagnostics]
    path = str(tmp_path / "broken.odd")
    assert all(d.path == path for d in caught.value.diagnostics)
    expected = [
        ('<moduleRef key="nosuchmodule"/>', "O102", Severity.ERROR),
        ('<moduleRef key="namesdates"', "O103", Severity.ERROR),
        ('<elementSpec ident="nonexistent"', "O105", Severity.ERROR),
        ('<alternate minOccurs="2" maxOccurs="1">', "O107", Severity.ERROR),
        ('<elementRef key="noSuchThing"/>', "O104", Severity.ERROR),
        ('<attDef ident="bogus"', "O110", Severity.WARNING),
        ('<elementSpec ident="alsoNonexistent"', "O105", Severity.WARNING),
        ('<classSpec ident="model.fooLike"', "O105", Severity.ERROR),
        ('<specGrpRef target="#missing"/>', "O108", Severity.ERROR),
        ('<elementSpec ident="row" mode="change"/>', "O106", Severity.WARNING),
        ('<memberOf key="att.nope"/>', "O104", Severity.ERROR),
        ('<macroRef key="macro.nope"/>', "O104", Severity.ERROR),
    ]
    assert found == [(line_of(BROKEN, needle), code, sev) for needle, code, sev in expected]
    first = caught.value.diagnostics[0]
    assert str(first).startswith(
        f"{path}:{line_of(BROKEN, 'nosuchmodule')}: error: unknown module 'nosuchmodule'"
    )
    assert "9 errors in the ODD" in str(caught.value)
    assert all(d.code in CODES for d in caught.value.diagnostics)


def test_without_strict_the_schema_is_built_from_what_is_usable(tmp_path):
    compiled = compile_text(BROKEN, tmp_path, "broken.odd", strict=False)
    assert sum(d.severity == Severity.ERROR for d in compiled.diagnostics) == 9
    assert b'name="p"' in compiled.rng_bytes()


def test_odd_that_is_not_xml(tmp_path):
    path = tmp_path / "bad.odd"
    path.write_text("<TEI>\n  <teiHeader>\n</TEI>\n", encoding="utf-8")
    with pytest.raises(TeiCableError) as caught:
        compile_odd(path)
    assert str(caught.value).startswith(f"{path}:3:")


def test_odd_without_schema_spec(tmp_path):
    text = odd_text("").replace("schemaSpec", "div")
    with pytest.raises(OddError) as caught:
        compile_text(text, tmp_path)
    assert [d.code for d in caught.value.diagnostics] == ["O101"]


def test_start_that_is_not_in_the_schema(tmp_path):
    with pytest.raises(OddError) as caught:
        compile_text(odd_text("", attrs='start="TEI letter"'), tmp_path)
    assert [d.code for d in caught.value.diagnostics] == ["O111"]


def test_schema_build_prints_every_error_and_writes_nothing(tmp_path):
    odd = tmp_path / "broken.odd"
    odd.write_text(BROKEN, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["schema", "build", str(odd), "--out-dir", str(out)])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith("tei-cable: ")]
    assert len(lines) == 12
    assert lines[0] == (
        f"tei-cable: {odd}:{line_of(BROKEN, 'nosuchmodule')}: error: "
        f"{CompiledMessages.unknown_module}"
    )
    assert result.output.rstrip().endswith("Error: 9 errors in the ODD; no schema written")
    assert not out.exists()
    kept = CliRunner().invoke(
        main, ["schema", "build", str(odd), "--out-dir", str(out), "--keep-going"]
    )
    assert kept.exit_code == 1
    assert (out / "test.rng").is_file()


class CompiledMessages:
    unknown_module = (
        "unknown module 'nosuchmodule' (TEI 4.9.0 has: analysis, certainty, cmc, core, "
        "corpus, dictionaries, drama, figures, gaiji, header, iso-fs, linking, msdescription, "
        "namesdates, nets, spoken, tagdocs, tei, textcrit, textstructure, transcr, verse) "
        "[O102]"
    )
