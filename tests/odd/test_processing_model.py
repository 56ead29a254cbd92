"""Processing-model ODDs (TEI Simple's ``tei-pm.odd`` and ODDs like it): written when P5 had
no processing model, they add (mode ``add``) the elements ``model``, ``modelSequence``,
``param`` ... which P5 has defined since 3.0, and keep such specs in files of their own
(XInclude). The ODD's definition is used, as ``mode="replace"`` would use it, with a warning
(O109); the classes and datatypes of P5 2.x it names are warnings too (O104)."""

from __future__ import annotations

import shutil

import pytest
from lxml import etree
from odd_helpers import FIXTURES, P5SUBSET, need, tei, verdicts

from tei_cable.diagnostics import Severity
from tei_cable.odd import OddError, compile_odd

PM = FIXTURES / "pm" / "pm.odd"
SPECS = FIXTURES / "pm" / "specs" / "models.xml"


def _compile(odd=PM, **kw):
    return compile_odd(odd, source=need(P5SUBSET), download=False, **kw)


def _as_replace(tmp_path):
    """The same ODD saying ``mode="replace"`` where it says ``add``."""
    shutil.copytree(FIXTURES / "pm", tmp_path / "pm")
    specs = tmp_path / "pm" / "specs" / "models.xml"
    text = specs.read_text(encoding="utf-8").replace('mode="add"', 'mode="replace"')
    specs.write_text(text, encoding="utf-8")
    return tmp_path / "pm" / "pm.odd"


def test_adding_what_p5_now_defines_is_a_warning_naming_the_included_file():
    compiled = _compile()
    found = [(d.code, d.severity, d.line) for d in compiled.diagnostics]
    assert not [d for d in compiled.diagnostics if d.severity >= Severity.ERROR]
    added = [d for d in compiled.diagnostics if d.code == "O109"]
    assert [d.severity for d in added] == [Severity.WARNING] * 2, found
    assert {str(d.path) for d in added} == {str(SPECS)}
    lines = SPECS.read_text(encoding="utf-8").splitlines()
    for d in added:
        assert 'mode="add"' in lines[d.line - 1]
        assert "TEI 4.9.0 has it already" in d.message and 'mode="replace"' in d.message
    old_names = [d.message for d in compiled.diagnostics if d.code == "O104"]
    assert any("model.glossLike" in m for m in old_names)
    assert any("data.xpath" in m and "teidata.xpath" in m for m in old_names)


def test_strict_refuses_it():
    with pytest.raises(OddError) as refused:
        _compile(warnings_as_errors=True)
    assert "O109" in str(refused.value)


def test_the_schema_is_the_one_mode_replace_gives(tmp_path):
    ours = _compile().rng_bytes()
    replaced = _compile(_as_replace(tmp_path))
    assert not [d for d in replaced.diagnostics if d.code == "O109"]
    assert ours == replaced.rng_bytes()


MODEL = '<elementSpec ident="p"><model behaviour="{}" predicate="ancestor::div"/></elementSpec>'
SEQUENCE = '<elementSpec ident="p"><modelSequence>{}</modelSequence></elementSpec>'
DOCS = {
    # the ODD's own value list: a value P5 lacks is accepted, one only P5 has is refused
    "odd-value": (MODEL.format("sparkle"), True),
    "p5-only-value": (MODEL.format("omit"), False),
    "no-behaviour": ('<elementSpec ident="p"><model/></elementSpec>', False),
    # the ODD's content: two models at least in a sequence (P5 allows one)
    "sequence-of-one": (SEQUENCE.format('<model behaviour="inline"/>'), False),
    "sequence-of-two": (
        SEQUENCE.format('<model behaviour="inline"/><model behaviour="block"/>'),
        True,
    ),
    "model-with-desc": (
        '<elementSpec ident="p"><model behaviour="block"><desc>d</desc></model></elementSpec>',
        True,
    ),
}


def test_documents_get_the_verdicts_of_the_odds_own_definitions(tmp_path):
    docs = {f"{name}.xml": tei(f"<p>x</p>{body}") for name, (body, _ok) in DOCS.items()}
    by_jing, by_lxml = verdicts(_compile().rng_bytes(), docs, tmp_path)
    assert by_jing == by_lxml == {f"{name}.xml" for name, (_b, ok) in DOCS.items() if not ok}


def test_a_missing_spec_file_is_an_error_with_file_and_line(tmp_path):
    shutil.copytree(FIXTURES / "pm", tmp_path / "pm")
    (tmp_path / "pm" / "specs" / "models.xml").unlink()
    with pytest.raises(OddError) as refused:
        _compile(tmp_path / "pm" / "pm.odd")
    [problem] = [d for d in refused.value.diagnostics if d.code == "O120"]
    text = (tmp_path / "pm" / "pm.odd").read_text(encoding="utf-8")
    assert problem.line == text.count("\n", 0, text.index("<xi:include")) + 1
    assert "models.xml" in problem.message
    etree.fromstring(text.encode())  # the ODD itself is well-formed
