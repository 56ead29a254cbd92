"""``tei-cable schema build`` and ``schema check``."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys

from click.testing import CliRunner
from lxml import etree
from odd_helpers import odd_text

from tei_cable.cli import main
from tei_cable.odd.api import build as build_files
from tei_cable.odd.api import check, default_odd


def build(tmp_path, *args: str):
    return CliRunner().invoke(main, ["schema", "build", *args])


def test_build_writes_the_derived_files_then_check_passes(tmp_path):
    odd = tmp_path / "mine.odd"
    odd.write_text(odd_text('<elementSpec ident="hi" mode="delete"/>'), encoding="utf-8")
    out = tmp_path / "derived"
    result = build(tmp_path, str(odd), "--out-dir", str(out))
    assert result.exit_code == 0, result.output
    assert "test.rng: written" in result.output
    assert "libxml2/test.rng: written" in result.output
    assert "test.compiled.odd: written" in result.output
    if importlib.util.find_spec("tei_cable.odd.xsd") is None:
        assert "note: test.xsd skipped" in result.output
    else:
        assert "test.xsd: written" in result.output
    rng = etree.RelaxNG(etree.parse(str(out / "test.rng")))
    assert rng is not None
    compiled = etree.parse(str(out / "test.compiled.odd"))
    assert compiled.getroot().find(".//{http://www.tei-c.org/ns/1.0}schemaSpec") is not None
    again = build(tmp_path, str(odd), "--out-dir", str(out))
    assert "test.rng: unchanged" in again.output
    assert "libxml2/test.rng: unchanged" in again.output
    (out / "libxml2" / "test.rng").write_bytes(b"<stale/>")  # only the flat copy changed
    third = build(tmp_path, str(odd), "--out-dir", str(out))
    assert "libxml2/test.rng: written" in third.output
    assert "\ntest.rng: unchanged" in "\n" + third.output
    checked = CliRunner().invoke(main, ["schema", "check", str(odd), "--out-dir", str(out)])
    assert checked.exit_code == 0, checked.output
    assert "up to date" in checked.output


def test_check_names_each_stale_or_missing_file(tmp_path):
    odd = tmp_path / "mine.odd"
    odd.write_text(odd_text(""), encoding="utf-8")
    out = tmp_path / "derived"
    assert build(tmp_path, str(odd), "--out-dir", str(out)).exit_code == 0
    (out / "test.rng").write_bytes((out / "test.rng").read_bytes() + b"<!-- edited -->")
    (out / "test.compiled.odd").unlink()
    result = CliRunner().invoke(main, ["schema", "check", str(odd), "--out-dir", str(out)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines == [
        f"tei-cable: {out / 'test.rng'}: out of date with mine.odd; run `tei-cable schema build`",
        f"tei-cable: {out / 'test.compiled.odd'}: missing; run `tei-cable schema build`",
    ]
    odd.write_text(odd_text('<elementSpec ident="hi" mode="delete"/>'), encoding="utf-8")
    assert build(tmp_path, str(odd), "--out-dir", str(out)).exit_code == 0
    assert check(odd, out_dir=out) == []


def test_the_copy_for_libxml2_is_built_and_checked_like_the_others(tmp_path):
    """``libxml2/IDENT.rng``: the same grammar with long choices flat, which validation reads."""
    odd = tmp_path / "mine.odd"
    odd.write_text(odd_text(""), encoding="utf-8")
    out = tmp_path / "derived"
    first = build_files(odd, out_dir=out)
    flat = out / "libxml2" / "test.rng"
    assert flat in first.written and first.state("libxml2/test.rng") == "written"
    assert flat.read_bytes() == first.compiled.rng_bytes(for_libxml2=True)
    assert etree.RelaxNG(etree.parse(str(flat))) is not None
    assert b"<a:documentation" in (out / "test.rng").read_bytes()
    assert b"documentation" not in flat.read_bytes()
    assert check(odd, out_dir=out) == []

    flat.unlink()
    assert check(odd, out_dir=out) == [f"{flat}: missing; run `tei-cable schema build`"]
    again = build_files(odd, out_dir=out)
    assert again.written == [flat]
    assert again.state("libxml2/test.rng") == "written"
    assert again.state("test.rng") == "unchanged"

    flat.write_bytes(flat.read_bytes().replace(b"<choice>", b"<choice><empty/>", 1))
    result = CliRunner().invoke(main, ["schema", "check", str(odd), "--out-dir", str(out)])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"tei-cable: {flat}: out of date with mine.odd; run `tei-cable schema build`"
    ]


def test_the_committed_tei_cable_schemas_are_up_to_date():
    # what CI checks: schemas/ holds what schemas/tei_cable.odd gives now
    assert default_odd().is_file()
    assert check() == []


def test_output_does_not_depend_on_hash_randomisation(tmp_path):
    odd = tmp_path / "mine.odd"
    odd.write_text(odd_text('<elementSpec ident="hi" mode="delete"/>'), encoding="utf-8")
    code = (
        "import sys; from tei_cable.odd import compile_odd; c = compile_odd(sys.argv[1]); "
        "sys.stdout.buffer.write(c.rng_bytes() + c.odd_bytes())"
    )
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        outputs.append(
            subprocess.run(
                [sys.executable, "-c", code, str(odd)], env=env, capture_output=True, check=True
            ).stdout
        )
    assert outputs[0] == outputs[1] and len(outputs[0]) > 10000
