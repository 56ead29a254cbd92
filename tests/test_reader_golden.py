"""Reader golden tests: each record beside the plain-text dump of the model it reads to."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import RECORDS, SEED, check_golden

from tei_cable.readers import read_record
from tei_cable.writers.native import write_native

SOURCES = [*sorted(RECORDS.glob("*.txt")), SEED]


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_reader_matches_golden_dump(source: Path, update_golden: bool) -> None:
    record = read_record(source.read_text(encoding="utf-8"), path=source.name)
    golden = RECORDS / f"{source.stem}.native"
    check_golden(golden, write_native(record), update_golden)
