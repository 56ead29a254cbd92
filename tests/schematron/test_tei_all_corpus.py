"""The TEI's own Schematron, compiled from ``tei_all.odd``, over the real TEI corpus.

Every namespace prefix its rules use is declared in the extracted schema, so it runs; its
findings on the 551 XML files of the corpus are kept in a golden file (one line a finding:
file, line, column, severity, message, rule), which the engine must reproduce exactly.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from conftest import TEI_REF, check_golden
from lxml import etree

from tei_cable.validate.runner import Validator

CORPUS = TEI_REF / "corpus"
GOLDEN = Path(__file__).parent / "golden" / "tei_all_schematron_corpus.txt"
SCH = "http://purl.oclc.org/dsdl/schematron"


@pytest.fixture(scope="module")
def tei_all_sch(tmp_path_factory: pytest.TempPathFactory) -> Validator:
    odd = TEI_REF / "tei_all.odd"
    if not odd.exists() or not CORPUS.exists():
        pytest.skip(f"reference TEI data not found at {TEI_REF}")
    before = os.environ.get("TEI_CABLE_CACHE_DIR")
    os.environ["TEI_CABLE_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    try:
        return Validator(str(odd), "sch").compile()
    finally:
        if before is None:
            os.environ.pop("TEI_CABLE_CACHE_DIR", None)
        else:
            os.environ["TEI_CABLE_CACHE_DIR"] = before


def test_every_prefix_the_rules_use_is_declared(tei_all_sch: Validator) -> None:
    schema = etree.parse(str(tei_all_sch.schema.files["sch"]))
    declared = {ns.get("prefix") for ns in schema.iter(f"{{{SCH}}}ns")}
    assert {"tei", "xs", "rng", "rna", "sch", "sch1x", "teix"} <= declared
    used = set()
    for node in schema.iter(f"{{{SCH}}}rule", f"{{{SCH}}}assert", f"{{{SCH}}}report"):
        for query in (node.get("context"), node.get("test")):
            text = re.sub(r"'[^']*'|\"[^\"]*\"", "''", query or "")
            used |= set(re.findall(r"(?<![\w.:-])([A-Za-z_][\w.-]*):(?![:=])[\w*]", text))
    assert used - {"xml", "fn", "xs", "math", "map", "array"} <= declared
    assert len(schema.findall(f"{{{SCH}}}pattern")) >= 90


def test_the_corpus_findings_are_the_golden_ones(
    tei_all_sch: Validator, update_golden: bool
) -> None:
    files = sorted(CORPUS.rglob("*.xml"))
    report = tei_all_sch.run(files, jobs=1)
    lines = []
    for result in sorted(report.files, key=lambda f: f.path):
        relative = Path(result.path).relative_to(CORPUS).as_posix()
        lines += [issue.format(relative) for issue in result.issues]
    assert report.files and all(f.path for f in report.files)
    assert any("[sch:" in line for line in lines)  # the TEI's rules ran and found something
    check_golden(GOLDEN, "\n".join(lines) + "\n", update_golden)
