"""The TEI in ``encoded/``: every real source record beside the TEI it converts to.

``encoded/sources/`` holds the archive's records verbatim; ``encoded/NAME.xml`` must be exactly
what ``tei-cable convert`` writes for ``encoded/sources/NAME.txt`` (``pytest --update-golden``
rewrites them after an intended change), lossless, and valid against tei_all and our own schema.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REPO, check_golden, jing, tei_all_rng

from tei_cable.convert import convert_record
from tei_cable.validate.runner import Validator

ENCODED = REPO / "encoded"
SOURCES = sorted((ENCODED / "sources").glob("*.txt"))


def _convert(source: Path):
    return convert_record(source.read_text(encoding="utf-8"), path=str(source))


def test_every_source_is_encoded() -> None:
    encoded = {p.stem for p in ENCODED.glob("*.xml")}
    assert {s.stem for s in SOURCES} <= encoded | {"sources"}, "run pytest --update-golden"
    assert len(SOURCES) >= 21


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_encoded_matches_the_converter_and_is_lossless(source: Path, update_golden: bool) -> None:
    result = _convert(source)
    check_golden(ENCODED / f"{source.stem}.xml", result.to_bytes(), update_golden)
    report = result.lossless()
    assert report.ok, report.explain()


def test_encoded_is_valid_against_tei_all() -> None:
    result = jing(tei_all_rng(), *(ENCODED / f"{s.stem}.xml" for s in SOURCES))
    assert result.returncode == 0, result.stdout + result.stderr


def test_encoded_is_valid_against_our_schema() -> None:
    validator = Validator()
    invalid = {}
    for source in SOURCES:
        outcome = validator.validate_file(str(ENCODED / f"{source.stem}.xml"))
        if outcome.issues:
            invalid[source.stem] = [i.format(source.stem) for i in outcome.issues][:3]
    assert not invalid, invalid
