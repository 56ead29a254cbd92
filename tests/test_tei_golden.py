"""TEI golden tests: each record beside the TEI it converts to; all valid against tei_all."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import RECORDS, check_golden, jing, tei_all_rng

from tei_cable.convert import convert_record

SOURCES = sorted(RECORDS.glob("*.txt"))


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_tei_matches_golden(source: Path, update_golden: bool) -> None:
    result = convert_record(source.read_text(encoding="utf-8"), path=source.name)
    check_golden(RECORDS / f"{source.stem}.xml", result.to_bytes(), update_golden)


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_conversion_is_lossless(source: Path) -> None:
    result = convert_record(source.read_text(encoding="utf-8"), path=source.name)
    report = result.lossless()
    assert report.ok, report.explain()


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_conversion_is_deterministic(source: Path) -> None:
    text = source.read_text(encoding="utf-8")
    assert convert_record(text).to_bytes() == convert_record(text).to_bytes()


def test_golden_tei_is_valid_against_tei_all() -> None:
    schema = tei_all_rng()
    files = [RECORDS / f"{source.stem}.xml" for source in SOURCES]
    missing = [f.name for f in files if not f.exists()]
    assert not missing, f"golden files missing: {missing}"
    result = jing(schema, *files)
    assert result.returncode == 0, result.stdout + result.stderr
