"""A library ODD as the source of a level ODD (the ELTeC's layout): compiled first, then the
level ODD against it, through schemaSpec/@source or --source."""

from __future__ import annotations

import re
import shutil

import pytest
from click.testing import CliRunner
from conftest import jing
from lxml import etree
from odd_helpers import FIXTURES

from tei_cable.cli import main
from tei_cable.diagnostics import Severity
from tei_cable.odd import SourceError, compile_odd

LIBRARY = FIXTURES / "library"
DOCS = sorted((LIBRARY / "docs").glob("*.xml"))
#: what each test document breaks, as Jing words it
EXPECTED = {
    "valid.xml": None,
    "bad-value.xml": 'value of attribute "key" is invalid',
    "no-id.xml": 'missing required attribute "xml:id"',
    "not-at-this-level.xml": 'element "note" not allowed anywhere',
    "deleted-attribute.xml": 'attribute "style" not allowed here',
}


def without_comments(data: bytes) -> bytes:
    return re.sub(rb"<!--.*?-->", b"", data, flags=re.S)


def test_level_odd_compiles_against_its_library(tmp_path):
    compiled = compile_odd(LIBRARY / "novels-1.odd", download=False)
    # the level asks for an element its library does not have: a warning, as the TEI does
    [lacking] = [d for d in compiled.diagnostics if d.code == "O103"]
    assert lacking.severity == Severity.WARNING
    assert lacking.path == str(LIBRARY / "novels-1.odd")
    assert "keywords is not an element of module header in novels-library.odd" in lacking.message
    # the library's own diagnostics keep their file
    assert {d.path for d in compiled.diagnostics if d.severity >= Severity.WARNING} == {
        str(LIBRARY / "novels-1.odd"),
        str(LIBRARY / "novels-library.odd"),
    }
    assert compiled.source.base is not None and compiled.source.version == "4.9.0"
    names = {p.data[0][2] for p in compiled.grammar.elements.values()}
    assert {"authorGender", "textDesc", "div", "hi"} <= names
    assert "note" not in names and "keywords" not in names
    schema = etree.RelaxNG(etree.fromstring(compiled.rng_bytes()))
    for doc in DOCS:
        assert schema.validate(etree.parse(str(doc))) == (EXPECTED[doc.name] is None), doc.name
    rng = tmp_path / "novels-1.rng"
    rng.write_bytes(compiled.rng_bytes())
    output = jing(rng, *DOCS).stdout
    for doc in DOCS:
        found = [line for line in output.splitlines() if line.startswith(f"{doc}:")]
        if EXPECTED[doc.name] is None:
            assert found == []
        else:
            assert len(found) == 1 and EXPECTED[doc.name] in found[0], found


def test_source_option_and_a_compiled_library_give_the_same_schema(tmp_path):
    chained = compile_odd(LIBRARY / "novels-1.odd", download=False)
    level = tmp_path / "level.odd"
    text = (LIBRARY / "novels-1.odd").read_text(encoding="utf-8")
    level.write_text(text.replace(' source="novels-library.odd"', ""), encoding="utf-8")
    explicit = compile_odd(level, source=LIBRARY / "novels-library.odd", download=False)
    assert without_comments(explicit.rng_bytes()) == without_comments(chained.rng_bytes())
    # the library compiled and written out (as the TEI's odd2odd writes it) is a source too
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["schema", "build", str(LIBRARY / "novels-library.odd"), "--out-dir", str(out)]
    )
    assert result.exit_code == 0, result.output
    from_compiled = compile_odd(level, source=out / "novels.compiled.odd", download=False)
    assert without_comments(from_compiled.rng_bytes()) == without_comments(chained.rng_bytes())


def test_schema_build_finds_the_library_beside_the_odd(tmp_path):
    for name in ("novels-1.odd", "novels-library.odd"):
        shutil.copy(LIBRARY / name, tmp_path / name)
    result = CliRunner().invoke(
        main, ["schema", "build", str(tmp_path / "novels-1.odd"), "--out-dir", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "novels-1.rng").is_file()
    assert "keywords is not an element of module header" in result.output


def test_a_library_that_is_its_own_source(tmp_path):
    odd = tmp_path / "loop.odd"
    text = (LIBRARY / "novels-library.odd").read_text(encoding="utf-8")
    odd.write_text(text.replace('source="tei:4.9.0"', 'source="loop.odd"'), encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        compile_odd(odd, download=False)
    assert "cycle" in str(caught.value)
