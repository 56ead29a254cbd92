"""Entities, dates and correspondence on the small records of each kind (tests/fixtures)."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from tei_cable.convert import Conversion
from tei_cable.entities.inventory import unresolved_pointers
from tei_cable.xmlio import TEI_NS

RECORDS = Path(__file__).resolve().parents[1] / "fixtures" / "records"
NS = {"t": TEI_NS}
CACHE: dict[str, Conversion] = {}


@pytest.fixture
def converted(convert):
    def get(name: str) -> Conversion:
        if name not in CACHE:
            path = RECORDS / f"{name}.txt"
            if not path.exists():
                pytest.skip(f"fixture record {path.name} is not there")
            CACHE[name] = convert(path.read_text(encoding="utf-8"), path=str(path))
        return CACHE[name]

    return get


@pytest.mark.parametrize("path", sorted(RECORDS.glob("*.txt")), ids=lambda p: p.stem)
def test_every_record_stays_valid_lossless_and_self_contained(
    path: Path, converted, tei_all: etree.RelaxNG
) -> None:
    result = converted(path.stem)
    assert result.lossless().ok
    assert unresolved_pointers(result.tree, path.name) == []
    assert tei_all.validate(result.tree), tei_all.error_log


def refs(result: Conversion, element: str) -> list[tuple[str, str | None]]:
    text = result.tree.find(f"{{{TEI_NS}}}text")
    return [("".join(e.itertext()), e.get("ref")) for e in text.iter(f"{{{TEI_NS}}}{element}")]


def test_cipher_name_with_its_gloss(converted) -> None:
    names = refs(converted("ciphered-telegram"), "persName")
    assert ("FILIPPOV", "#joseph_stalin") in names and ("Stalin", "#joseph_stalin") in names


def test_supplied_part_of_a_name(converted) -> None:
    assert ("Gro[myko]", "#andrei_gromyko") in refs(converted("memcon"), "persName")


def test_chinese_text(converted) -> None:
    result = converted("chinese-body")
    assert ("毛泽东", "#mao_zedong") in refs(result, "persName")
    whens = [(d.text, d.get("when")) for d in result.tree.iterfind(".//t:text//t:date", NS)]
    assert ("一九五〇年十月八日", "1950-10-08") in whens


def test_form_fields_and_ranges(converted) -> None:
    result = converted("report-form")
    text = result.tree.find("t:text", NS)
    ranges = [(d.get("from"), d.get("to")) for d in text.iterfind(".//t:date[@from]", NS)]
    assert ranges == [("1953-06-25", "1953-07-02")]
    assert [r.text for r in text.iterfind(".//t:roleName", NS)] == ["Chief of Staff"]
