"""An ODD written for another TEI P5 version: one diagnostic naming both versions and the
specs that differ, beside the warning for each spec."""

from __future__ import annotations

import shutil

from conftest import SHARED, jing
from lxml import etree
from odd_helpers import FIXTURES, P5SUBSET, compile_text, need, odd_text, tei

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


def test_p5_2_datatype_names_are_read_as_their_p5_3_names(tmp_path):
    """The DTA base format (an ODD of P5 2.x) types attributes with ``rng:ref`` to the
    datatype macros ``data.count``, ``data.pointer``, which P5 3.0 renamed ``teidata.*``:
    each is a warning and the renamed datatype is used (the attribute was unusable:
    ``<list><empty/></list>``); a name that never existed is left out, the attribute then
    takes any text."""
    text = odd_text(
        '<elementSpec ident="lg" mode="change"><attList><attDef ident="n" mode="change">'
        '<datatype minOccurs="1" maxOccurs="unbounded"><rng:ref name="data.count"/></datatype>'
        "</attDef></attList></elementSpec>\n"
        '<elementSpec ident="p" mode="change"><attList><attDef ident="x" mode="add">'
        '<datatype><rng:ref name="data.nonesuch"/></datatype></attDef></attList></elementSpec>'
    )
    compiled = compile_text(text, tmp_path, "dta.odd")
    found = {d.line: d.message for d in compiled.diagnostics if d.code == "O104"}
    renamed = text[: text.index('name="data.count"')].count("\n") + 1
    left_out = text[: text.index('name="data.nonesuch"')].count("\n") + 1
    assert "data.count: no such pattern in TEI 4.9.0" in found[renamed]
    assert "the name TEI P5 2.x gave teidata.count (renamed in P5 3.0)" in found[renamed]
    assert "data.nonesuch" in found[left_out] and "left out" in found[left_out]
    assert {d.severity for d in compiled.diagnostics} == {Severity.WARNING}
    docs = {
        "count.xml": (tei('<lg n="1 2"><l>a</l></lg><p x="anything">b</p>'), True),
        "not-a-count.xml": (tei('<lg n="one"><l>a</l></lg>'), False),
    }
    schema = etree.RelaxNG(etree.fromstring(compiled.rng_bytes()))
    rng = tmp_path / "dta.rng"
    rng.write_bytes(compiled.rng_bytes())
    paths = []
    for name, (data, ok) in docs.items():
        assert schema.validate(etree.fromstring(data)) is ok, name
        paths.append(tmp_path / name)
        paths[-1].write_bytes(data)
    output = jing(rng, *paths).stdout
    assert {name for name in docs if f"{tmp_path / name}:" in output} == {"not-a-count.xml"}
