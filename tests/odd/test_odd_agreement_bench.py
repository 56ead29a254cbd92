"""``bench/odd_agreement.py``: the comparison it runs by hand, on the case whose files the
reference data holds (the correspondence SIG's CMIF), and its reasons for the cases it skips."""

from __future__ import annotations

import importlib.util
import shutil
import sys

import pytest
from conftest import REPO, SHARED
from odd_helpers import need


def _bench():
    spec = importlib.util.spec_from_file_location(
        "odd_agreement", REPO / "bench" / "odd_agreement.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("odd_agreement", module)
    spec.loader.exec_module(module)
    return module


def test_cmif_agrees_with_its_published_schema_document_by_document(tmp_path):
    need(SHARED / "formats" / "cmif" / "cmi-customization.rng")
    if shutil.which("java") is None:
        pytest.skip("Java is not installed: Jing, the reference validator, needs it")
    bench = _bench()
    [cmif] = [case for case in bench.CASES if case.name == "cmif"]
    result = bench.run_case(cmif, SHARED, tmp_path)
    assert not isinstance(result, str), result
    assert result["documents"] >= 30
    assert result["same verdict"] == result["same errors and alternatives"] == result["documents"]
    assert result["errors (published)"] == result["errors (ours)"] > 100


def test_a_case_whose_files_are_absent_is_skipped_with_the_reason(tmp_path):
    bench = _bench()
    [eltec] = [case for case in bench.CASES if case.name == "eltec-1"]
    reason = bench.run_case(eltec, tmp_path, tmp_path)
    assert (
        reason
        == f"the ODD is not in the reference data ({tmp_path}/odd-agreement/eltec/eltec-1.xml)"
    )
