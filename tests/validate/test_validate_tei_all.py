"""``--schema tei_all``: our compiled tei_all gives Jing's verdicts on real TEI files."""

from __future__ import annotations

import csv
import os

import pytest
from conftest import TEI_REF

from tei_cable.validate.runner import Validator

CORPUS = TEI_REF / "corpus"


@pytest.fixture(scope="module")
def tei_all(tmp_path_factory: pytest.TempPathFactory) -> Validator:
    before = os.environ.get("TEI_CABLE_CACHE_DIR")
    os.environ["TEI_CABLE_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    try:
        return Validator("tei_all", "rng").compile()
    finally:
        if before is None:
            os.environ.pop("TEI_CABLE_CACHE_DIR", None)
        else:
            os.environ["TEI_CABLE_CACHE_DIR"] = before


def test_verdicts_match_jings_on_a_sample_of_the_corpus(tei_all: Validator) -> None:
    verdicts = CORPUS / "jing-verdicts.tsv"
    if not verdicts.exists():
        pytest.skip(f"reference corpus not found at {CORPUS}")
    rows = [r for r in csv.reader(verdicts.open(encoding="utf-8"), delimiter="\t")][1:]
    sample = rows[::12]  # every twelfth file: all twenty editions, valid and invalid
    report = tei_all.run([CORPUS / r[0] for r in sample], jobs=1)
    ours = {f.path: f.valid for f in report.files}
    for path, verdict, *_ in sample:
        assert ours[str(CORPUS / path)] == (verdict == "valid"), (path, verdict)
    assert {v for _, v, *_ in sample} >= {"valid", "invalid"}


def test_jings_one_miss_a_repeated_xml_id_is_caught(tei_all: Validator) -> None:
    path = CORPUS / "TEIC__Stylesheets" / "Test" / "test-tree.xml"
    if not path.exists():
        pytest.skip(f"reference corpus not found at {CORPUS}")
    result = tei_all.validate_file(path)
    assert not result.valid
    assert {i.rule for i in result.issues} == {"duplicate-id"}
