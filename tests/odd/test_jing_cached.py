"""The RELAX NG of a compiled schema in the cache loads in Jing with Java's default stack.

Users find the compiled schemas in the cache folder (``cache info`` shows where) and hand
them to Jing or oXygen. ``tei_all`` is the hard case: with its long choices flat, Jing's
recursive walk of the grammar needs 1.2-1.5 MB of stack, more than Java's default 1 MB,
and dies with a ``StackOverflowError`` (``tei_cable/odd/LIBXML2.md``). Validation reads a
flat copy kept apart for libxml2.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import jing
from lxml import etree

from tei_cable.schemas import SchemaSet, resolve

TEI = "http://www.tei-c.org/ns/1.0"
HEADER = (
    "<teiHeader><fileDesc><titleStmt><title>T</title></titleStmt>"
    "<publicationStmt><p>P</p></publicationStmt><sourceDesc><p>S</p></sourceDesc>"
    "</fileDesc></teiHeader>"
)
VALID = f'<TEI xmlns="{TEI}">{HEADER}<text><body><p>A <hi>b</hi>.</p></body></text></TEI>'
INVALID = f'<TEI xmlns="{TEI}">{HEADER}<text><body><p>A <bogus/>.</p></body></text></TEI>'


@pytest.fixture(scope="module")
def tei_all(tmp_path_factory: pytest.TempPathFactory) -> SchemaSet:
    """``tei_all`` as a first run compiles it into a fresh cache."""
    before = os.environ.get("TEI_CABLE_CACHE_DIR")
    os.environ["TEI_CABLE_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    try:
        return resolve("tei_all")
    finally:
        if before is None:
            os.environ.pop("TEI_CABLE_CACHE_DIR", None)
        else:
            os.environ["TEI_CABLE_CACHE_DIR"] = before


def test_jing_loads_the_cached_tei_all_and_judges_documents(
    tei_all: SchemaSet, tmp_path: Path
) -> None:
    cache_folder = tei_all.files["sch"].parent
    valid, invalid = tmp_path / "valid.xml", tmp_path / "invalid.xml"
    valid.write_text(VALID, encoding="utf-8")
    invalid.write_text(INVALID, encoding="utf-8")
    result = jing(cache_folder / "tei_all.rng", valid, invalid)
    out = result.stdout + result.stderr
    assert "StackOverflowError" not in out
    assert result.returncode == 1, out
    errors = result.stdout.splitlines()
    assert errors and all(line.startswith(str(invalid)) for line in errors), out
    assert any('element "bogus" not allowed' in line for line in errors), out


def test_validation_reads_the_flat_copy_with_the_same_elements(tei_all: SchemaSet) -> None:
    """The copy libxml2 reads is apart from the one users see, and defines the same elements."""
    cache_folder = tei_all.files["sch"].parent
    flat = tei_all.files["rng"]
    assert flat == cache_folder / "libxml2" / "tei_all.rng"
    rng = "{http://relaxng.org/ns/structure/1.0}"

    def elements(path: Path) -> list[str]:
        root = etree.parse(str(path)).getroot()
        return sorted(e.get("name", "") for e in root.iter(f"{rng}element"))

    assert elements(flat) == elements(cache_folder / "tei_all.rng")
    assert len(elements(flat)) > 550
