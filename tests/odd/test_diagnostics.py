"""Errors in an ODD: every one reported, as file:line: message with an O1xx code."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from conftest import jing
from lxml import etree
from odd_helpers import compile_text, odd_text, tei

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


#: each fault of BROKEN: where, its code, its severity (lenient where the TEI's pipeline is)
EXPECTED = [
    ('<moduleRef key="nosuchmodule"/>', "O102", Severity.WARNING),
    ('<moduleRef key="namesdates"', "O103", Severity.WARNING),
    ('<elementSpec ident="nonexistent"', "O105", Severity.WARNING),
    ('<alternate minOccurs="2" maxOccurs="1">', "O107", Severity.ERROR),
    ('<elementRef key="noSuchThing"/>', "O104", Severity.WARNING),
    ('<attDef ident="bogus"', "O110", Severity.WARNING),
    ('<elementSpec ident="alsoNonexistent"', "O105", Severity.WARNING),
    ('<classSpec ident="model.fooLike"', "O105", Severity.WARNING),
    ('<specGrpRef target="#missing"/>', "O108", Severity.WARNING),
    ('<elementSpec ident="row" mode="change"/>', "O106", Severity.WARNING),
    ('<memberOf key="att.nope"/>', "O104", Severity.WARNING),
    ('<macroRef key="macro.nope"/>', "O104", Severity.WARNING),
]


def test_every_fault_is_reported_with_its_line(tmp_path):
    with pytest.raises(OddError) as caught:
        compile_text(BROKEN, tmp_path, "broken.odd")
    found = [(d.line, d.code, d.severity) for d in caught.value.diagnostics]
    path = str(tmp_path / "broken.odd")
    assert all(d.path == path for d in caught.value.diagnostics)
    assert found == [(line_of(BROKEN, needle), code, sev) for needle, code, sev in EXPECTED]
    first = caught.value.diagnostics[0]
    assert str(first).startswith(
        f"{path}:{line_of(BROKEN, 'nosuchmodule')}: warning: unknown module 'nosuchmodule'"
    )
    assert str(caught.value).endswith("bad @minOccurs/@maxOccurs (2, 1) [O107]")
    assert all(d.code in CODES for d in caught.value.diagnostics)


def test_strict_makes_every_warning_an_error(tmp_path):
    with pytest.raises(OddError) as caught:
        compile_text(BROKEN, tmp_path, "broken.odd", warnings_as_errors=True)
    found = [(d.line, d.code, d.severity) for d in caught.value.diagnostics]
    expected = [(line_of(BROKEN, needle), code, Severity.ERROR) for needle, code, _ in EXPECTED]
    assert found == expected
    assert "12 errors in the ODD" in str(caught.value)


def test_without_strict_the_schema_is_built_from_what_is_usable(tmp_path):
    compiled = compile_text(BROKEN, tmp_path, "broken.odd", strict=False)
    assert sum(d.severity == Severity.ERROR for d in compiled.diagnostics) == 1
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


def test_schema_build_prints_every_fault_and_writes_nothing(tmp_path):
    odd = tmp_path / "broken.odd"
    odd.write_text(BROKEN, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["schema", "build", str(odd), "--out-dir", str(out)])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith("tei-cable: ")]
    assert len(lines) == 12
    assert lines[0] == (
        f"tei-cable: {odd}:{line_of(BROKEN, 'nosuchmodule')}: warning: "
        f"{CompiledMessages.unknown_module}"
    )
    assert result.output.rstrip().endswith("Error: 1 error in the ODD; no schema written")
    assert not out.exists()
    kept = CliRunner().invoke(
        main, ["schema", "build", str(odd), "--out-dir", str(out), "--keep-going"]
    )
    assert kept.exit_code == 1
    assert (out / "test.rng").is_file()


def test_schema_build_strict_fails_on_warnings(tmp_path):
    odd = tmp_path / "lenient.odd"
    odd.write_text(odd_text('<elementSpec ident="nonexistent" mode="change"/>'), encoding="utf-8")
    out = tmp_path / "out"
    lenient = CliRunner().invoke(main, ["schema", "build", str(odd), "--out-dir", str(out)])
    assert lenient.exit_code == 0, lenient.output
    assert "warning: elementSpec nonexistent" in lenient.output
    assert (out / "test.rng").is_file()
    strict = CliRunner().invoke(
        main, ["schema", "build", str(odd), "--out-dir", str(tmp_path / "s"), "--strict"]
    )
    assert strict.exit_code == 1
    assert "error: elementSpec nonexistent" in strict.output
    assert not (tmp_path / "s").exists()


class CompiledMessages:
    unknown_module = (
        "unknown module 'nosuchmodule', nothing selected (TEI 4.9.0 has: analysis, certainty, "
        "cmc, core, corpus, dictionaries, drama, figures, gaiji, header, iso-fs, linking, "
        "msdescription, namesdates, nets, spoken, tagdocs, tei, textcrit, textstructure, "
        "transcr, verse) [O102]"
    )


RNG_NS = 'xmlns:rng="http://relaxng.org/ns/structure/1.0"'

#: faults `schema build` once passed in silence: each now has its code, severity and line
SILENT_BEFORE = [
    (
        f'<elementSpec ident="p" mode="change"><content><rng:ref {RNG_NS} name="noSuchPattern"/>'
        "</content></elementSpec>",
        "<rng:ref",
        "O104",
        Severity.WARNING,
    ),
    ('<elementSpec ident="p" mode="explode"/>', 'mode="explode"', "O117", Severity.ERROR),
    (
        '<elementSpec ident="note" mode="change"><attList><attDef ident="type" mode="chnage"/>'
        "</attList></elementSpec>",
        'mode="chnage"',
        "O117",
        Severity.ERROR,
    ),
    (
        '<elementSpec ident="foo"><content><textNode/></content></elementSpec>\n'
        '<elementSpec ident="foo"><content><empty/></content></elementSpec>',
        '<elementSpec ident="foo"><content><empty/>',
        "O109",
        Severity.ERROR,
    ),
    (
        '<elementSpec ident="p" mode="change"><content><textNode/></content></elementSpec>\n'
        '<elementSpec ident="p" mode="change"><content><textNode/></content></elementSpec>',
        '<elementSpec ident="p" mode="change"><content><textNode/></content></elementSpec>\n<',
        "O116",
        Severity.WARNING,
    ),
    (
        '<elementSpec ident="p" mode="change"><content><dataRef key="teidata.noSuch"/>'
        "</content></elementSpec>",
        '<dataRef key="teidata.noSuch"',
        "O104",
        Severity.WARNING,
    ),
    (
        '<elementSpec ident="p" mode="change"><attList><attDef ident="x"><datatype>'
        '<dataRef key="teidata.noSuch"/></datatype></attDef></attList></elementSpec>',
        '<dataRef key="teidata.noSuch"',
        "O104",
        Severity.WARNING,
    ),
    (  # a value the element's own attribute does not have
        '<elementSpec ident="list" mode="change"><attList><attDef ident="type" mode="change">'
        '<valList mode="change"><valItem ident="litany" mode="delete"/>'
        '<valItem ident="litanies" mode="delete"/></valList></attDef></attList></elementSpec>',
        '<valItem ident="litanies"',
        "O115",
        Severity.WARNING,
    ),
    (  # a value the class's attribute (att.divLike/@org) does not have
        '<elementSpec ident="div" mode="change"><attList><attDef ident="org" mode="change">'
        '<valList mode="change"><valItem ident="mixed" mode="change"><desc>x</desc></valItem>'
        "</valList></attDef></attList></elementSpec>",
        '<valItem ident="mixed"',
        "O115",
        Severity.WARNING,
    ),
]


@pytest.mark.parametrize("specs, needle, code, severity", SILENT_BEFORE)
def test_fault_once_passed_in_silence(tmp_path, specs, needle, code, severity):
    text = odd_text(specs)
    compiled = compile_text(text, tmp_path, strict=False)
    found = [(d.code, d.severity, d.line) for d in compiled.diagnostics]
    line = line_of(text, needle)
    if needle.endswith("\n<"):
        line += 1
    assert (code, severity, line) in found, found


def test_schema_spec_without_ident(tmp_path):
    text = odd_text("").replace('ident="test" ', "")
    compiled = compile_text(text, tmp_path, "custom.odd")
    assert compiled.ident == "custom"
    [warning] = compiled.diagnostics
    assert (warning.code, warning.severity, warning.line) == (
        "O118",
        Severity.WARNING,
        line_of(text, "<schemaSpec"),
    )


def test_an_attribute_defined_twice_is_kept_once_and_the_grammar_loads(tmp_path):
    # an ODD re-adds att.global.rendition's @style on one element (as an ODD written for an
    # older TEI does): RELAX NG forbids the same attribute twice, so the last one is kept
    text = odd_text(
        '<elementSpec ident="hi" mode="change"><attList>'
        '<attDef ident="style" mode="add"><datatype><dataRef key="teidata.word"/></datatype>'
        "</attDef></attList></elementSpec>"
    )
    compiled = compile_text(text, tmp_path, strict=False)
    [warning] = [d for d in compiled.diagnostics if d.code == "O113"]
    assert warning.severity == Severity.WARNING
    assert warning.line == line_of(text, '<elementSpec ident="hi"')
    assert "attribute style" in warning.message
    schema = etree.RelaxNG(etree.fromstring(compiled.rng_bytes()))
    doc = (
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>T'
        "</title></titleStmt><publicationStmt><p>P</p></publicationStmt><sourceDesc><p>S</p>"
        "</sourceDesc></fileDesc></teiHeader><text><body><p><hi style='{}'>x</hi></p></body>"
        "</text></TEI>"
    )
    assert schema.validate(etree.fromstring(doc.format("bold")))
    assert not schema.validate(etree.fromstring(doc.format("two words")))  # teidata.word
    # Jing, which refused such grammars ("duplicate attribute"), loads it and agrees
    rng, good, bad = tmp_path / "s.rng", tmp_path / "good.xml", tmp_path / "bad.xml"
    rng.write_bytes(compiled.rng_bytes())
    good.write_text(doc.format("bold"), encoding="utf-8")
    bad.write_text(doc.format("two words"), encoding="utf-8")
    output = jing(rng, good, bad).stdout
    assert "s.rng" not in output and "good.xml" not in output and "bad.xml" in output


def test_a_fault_the_tei_pipeline_ignores_gives_the_schema_without_it(tmp_path):
    """Each warning's fault is skipped as the TEI Stylesheets skip it: the schema is the one
    the ODD gives without the faulty part."""
    faults = (
        '<moduleRef key="nosuchmodule"/>',
        '<moduleRef key="namesdates" include="persName forename colour"/>',
        '<elementSpec ident="nonexistent" mode="change"/>',
        '<classSpec ident="model.fooLike" mode="replace" type="model"/>',
        '<specGrpRef target="#missing"/>',
        '<elementSpec ident="p" mode="change"><classes mode="change">'
        '<memberOf key="att.nope"/></classes></elementSpec>',
        '<elementSpec ident="hi" mode="change"><content><alternate><textNode/>'
        '<elementRef key="noSuchThing"/></alternate></content></elementSpec>',
        '<elementSpec ident="list" mode="change"><attList><attDef ident="type" mode="change">'
        '<valList mode="change" type="closed"><valItem ident="litany" mode="delete"/>'
        '<valItem ident="litanies" mode="delete"/></valList></attDef></attList></elementSpec>',
        '<elementSpec ident="div" mode="change"><attList><attDef ident="org" mode="change">'
        '<valList mode="change"><valItem ident="mixed" mode="delete"/></valList></attDef>'
        "</attList></elementSpec>",
    )
    cleaned = (
        "",
        '<moduleRef key="namesdates" include="persName forename"/>',
        "",
        "",
        "",
        "",
        '<elementSpec ident="hi" mode="change"><content><alternate><textNode/>'
        "</alternate></content></elementSpec>",
        '<elementSpec ident="list" mode="change"><attList><attDef ident="type" mode="change">'
        '<valList mode="change" type="closed"><valItem ident="litany" mode="delete"/>'
        "</valList></attDef></attList></elementSpec>",
        '<elementSpec ident="div" mode="change"><attList><attDef ident="org" mode="change">'
        '<valList mode="change"/></attDef></attList></elementSpec>',
    )
    lenient = compile_text(odd_text("\n".join(faults)), tmp_path, "lenient.odd")
    assert {d.severity for d in lenient.diagnostics} == {Severity.WARNING}
    clean = compile_text(odd_text("\n".join(cleaned)), tmp_path, "clean.odd")
    assert clean.diagnostics == []
    assert lenient.rng_bytes().split(b"-->", 1)[1] == clean.rng_bytes().split(b"-->", 1)[1]


def test_exclude_is_no_odd_attribute_and_is_ignored_as_the_stylesheets_ignore_it(tmp_path):
    # TEI Simple Print: <classRef key="att.divLike" exclude="org sample"/> keeps both
    div = tei('<div org="composite" sample="initial"><p>x</p></div>')
    text = odd_text('\n<classRef key="att.divLike" exclude="org sample"/>')
    compiled = compile_text(text, tmp_path, strict=False)
    [warning] = [d for d in compiled.diagnostics if d.code == "O122"]
    assert warning.severity == Severity.WARNING
    assert warning.line == line_of(text, "<classRef")
    assert "@except" in warning.message
    assert etree.RelaxNG(etree.fromstring(compiled.rng_bytes())).validate(etree.fromstring(div))
    # @except, the attribute ODD defines, removes them
    (tmp_path / "except").mkdir()
    text = odd_text('\n<classRef key="att.divLike" except="org sample"/>')
    compiled = compile_text(text, tmp_path / "except", strict=False)
    assert "O122" not in [d.code for d in compiled.diagnostics]
    schema = etree.RelaxNG(etree.fromstring(compiled.rng_bytes()))
    assert not schema.validate(etree.fromstring(div))
    assert schema.validate(etree.fromstring(tei('<div type="x"><p>x</p></div>')))


def test_a_processing_instruction_in_a_content_model_is_said_and_left_out(tmp_path):
    # the TEI's tei_xinclude Exemplar: <macroSpec ident="macro.anyThing"> holds <?NameList?>,
    # which the TEI Stylesheets expand; tei-cable leaves it out, and says so
    text = odd_text(
        '\n<macroSpec ident="macro.anyThing" mode="add"><content>\n<?NameList?>\n'
        "</content></macroSpec>"
    )
    compiled = compile_text(text, tmp_path, strict=False)
    [warning] = [d for d in compiled.diagnostics if d.code == "O123"]
    assert warning.severity == Severity.WARNING
    assert warning.line == line_of(text, "<?NameList?>")
    assert "NameList" in warning.message and "left out" in warning.message
    etree.RelaxNG(etree.fromstring(compiled.rng_bytes()))


def test_a_class_attribute_delete_that_changes_nothing_is_said(tmp_path):
    # TEI Lite deletes att.global/@rendition and @style, which P5 4.x defines in
    # att.global.rendition: the TEI Stylesheets change nothing, nor does tei-cable, but it says so
    text = odd_text(
        '\n<classSpec ident="att.global" type="atts" mode="change"><attList>'
        '<attDef ident="rendition" mode="delete"/><attDef ident="n" mode="delete"/>'
        "</attList></classSpec>"
    )
    compiled = compile_text(text, tmp_path, strict=False)
    [warning] = [d for d in compiled.diagnostics if d.code == "O110"]
    assert warning.severity == Severity.WARNING
    assert warning.line == line_of(text, '<attDef ident="rendition"')
    assert "att.global: attDef rendition" in warning.message
    assert "it is an attribute of att.global.rendition" in warning.message
    schema = etree.RelaxNG(etree.fromstring(compiled.rng_bytes()))
    assert schema.validate(etree.fromstring(tei('<p rendition="#r">x</p>')))  # still there
    assert not schema.validate(etree.fromstring(tei('<p n="1">x</p>')))  # n: deleted
