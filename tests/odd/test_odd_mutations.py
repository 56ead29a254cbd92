"""Property: ``schema build`` on a mutated ODD never crashes, reports every fault with a code
and a line, and writes only grammars libxml2 loads (fast run; bench/odd_fuzz.py runs
thousands)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from odd_mutations import check_diagnostics, load_rng, mutate, mutation

from tei_cable.cli import main
from tei_cable.diagnostics import TeiCableError
from tei_cable.odd import compile_odd
from tei_cable.resources import schemas_dir

BASE = etree.parse(str(schemas_dir() / "tei_cable.odd")).getroot()
#: the ODD the O113 case was found on, as it was then (the steps point into it by position)
O113_BASE = etree.parse(
    str(Path(__file__).parent / "fixtures" / "o113-mutation-base.odd")
).getroot()


@settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(mutation, min_size=1, max_size=4))
def test_mutated_odd_compiles_or_fails_cleanly(tmp_path: Path, steps):
    odd = tmp_path / "mutated.odd"
    odd.write_bytes(etree.tostring(mutate(BASE, steps)))
    try:
        compiled = compile_odd(odd, strict=False, download=False)
    except TeiCableError as exc:
        check_diagnostics(getattr(exc, "diagnostics", []), odd)
        return
    check_diagnostics(compiled.diagnostics, odd)
    load_rng(compiled.rng_bytes())


def test_schema_build_on_a_mutated_odd_has_no_traceback(tmp_path):
    steps = [("attribute", 3, 1, "mode", "explode", ""), ("delete", 40, 0, "", "", "")]
    odd = tmp_path / "mutated.odd"
    odd.write_bytes(etree.tostring(mutate(BASE, steps)))
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["schema", "build", str(odd), "--out-dir", str(out)])
    assert result.exit_code in (0, 1), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    for line in result.output.splitlines():
        if line.startswith("tei-cable: "):
            assert line.startswith(f"tei-cable: {odd}:"), line


def test_an_attribute_repeated_through_a_class_change_is_reported_with_a_line(tmp_path):
    """A class changed in the ODD re-adds an attribute to an element the ODD does not specify
    itself (``corr``): the O113 warning is placed in the ODD, not at the TEI's own spec."""
    tei = "{http://www.tei-c.org/ns/1.0}"
    rng = "{http://relaxng.org/ns/structure/1.0}"
    steps = [
        ("duplicate", 4833, 944210, "key", "change", f"{tei}macroSpec"),
        ("delete", 37259, 14883, "usage", "alternation", f"{rng}ref"),
        ("duplicate", 1441, 794797, "maxOccurs", "explode", f"{tei}classSpec"),
    ]
    odd = tmp_path / "mutated.odd"
    odd.write_bytes(etree.tostring(mutate(O113_BASE, steps)))
    compiled = compile_odd(odd, strict=False, download=False)
    assert any(d.code == "O113" for d in compiled.diagnostics)
    check_diagnostics(compiled.diagnostics, odd)
