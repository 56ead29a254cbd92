"""An ODD written for another TEI P5 version: one diagnostic naming both versions and the
specs that differ, beside the warning for each spec."""

from __future__ import annotations

import shutil

from conftest import SHARED
from lxml import etree
from odd_helpers import FIXTURES, P5SUBSET, need

from tei_cable.diagnostics import Severity
from tei_cable.odd import compile_odd

LEGACY = FIXTURES / "p5v2" / "legacy.odd"


def test_one_diagnostic_names_both_versions_and_the_specs_that_differ():
    compiled = compile_odd(LEGACY, download=False)
    [note] = [d for d in compiled.diagnostics if d.code == "O121"]
    assert note.severity == Severity.WARNING
    text = LEGACY.read_text(encoding="utf-8")
    assert note.line == text.count("\n", 0, text.index("<schemaSpec")) + 1
    assert "written for TEI P5 2.9.1 (its published schema legacy.rng)" in note.message
    assert "compiled with TEI 4.9.0, which has no att.responsibility, att.readFrom" in note.message
    assert "--source tei:2.9.1" in note.message
    assert [d.code for d in compiled.diagnostics].count("O105") == 2
    etree.RelaxNG(etree.fromstring(compiled.rng_bytes()))  # a usable schema all the same


def test_the_version_of_a_compiled_odd_is_read_from_its_processing_instruction(tmp_path):
    odd = tmp_path / "compiled-elsewhere.odd"
    text = LEGACY.read_text(encoding="utf-8")
    odd.write_text(text.replace("<TEI ", "<?TEIVERSION 2.8.0?>\n<TEI ", 1), encoding="utf-8")
    [note] = [d for d in compile_odd(odd, download=False).diagnostics if d.code == "O121"]
    assert "written for TEI P5 2.8.0 (its TEIVERSION processing instruction)" in note.message


def test_nothing_is_said_when_the_versions_agree(tmp_path):
    # the correspondence SIG's CMIF ODD, published with a schema built from TEI P5 4.9.0
    cmif = need(SHARED / "formats" / "cmif")
    for name in ("cmi-customization.odd", "cmi-customization.rng"):
        shutil.copy(cmif / name, tmp_path / name)
    compiled = compile_odd(tmp_path / "cmi-customization.odd", source=need(P5SUBSET))
    assert not [d for d in compiled.diagnostics if d.code == "O121"]
