"""The seed record measured against an independent annotation (``gold/wilson-117409.tsv``).

Every person, place, organisation, date and time of the converted TEI ``text`` is compared with
the gold list by (surface, occurrence, category, value): precision and recall per category must
be at least 0.95. Then the document-wide rules: no date on a document number, one ``@ref`` per
entity, every pointer resolving, valid against tei_all, lossless and deterministic.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest
from lxml import etree

from tei_cable.convert import Conversion
from tei_cable.entities.inventory import unresolved_pointers
from tei_cable.xmlio import TEI_NS

from . import scoring

T = f"{{{TEI_NS}}}"
GOLD = Path(__file__).resolve().parent / "gold" / "wilson-117409.tsv"


def read_gold() -> list[tuple[str, int, str, str]]:
    return [
        (m.surface, m.occurrence, m.category, m.value) for m in scoring.read_gold(GOLD).mentions
    ]


def reading_with_starts(el: etree._Element):
    return scoring.reading_with_starts(el)


def delivered(conversion: Conversion) -> etree._Element:
    """The TEI as written out (pretty-printed: blocks apart), parsed back."""
    return etree.fromstring(conversion.to_bytes())


@pytest.fixture(scope="module")
def scores(seed_conversion: Conversion) -> dict[str, tuple[float, float, list, list]]:
    gold = scoring.read_gold(GOLD).mentions
    system = scoring.system_mentions(delivered(seed_conversion))
    return {
        category: (s.precision, s.recall, s.spurious, s.missed)
        for category, s in scoring.score(gold, system).items()
    }


def test_gold_annotation_is_about_this_text(seed_conversion: Conversion) -> None:
    reading, _ = reading_with_starts(delivered(seed_conversion).find(f"{T}text"))
    gold = read_gold()
    assert len(gold) >= 70
    for surface, index, category, _expected in gold:
        pattern = r"(?<!\w)" + r"\s+".join(map(re.escape, surface.split())) + r"(?!\w)"
        assert len(re.findall(pattern, reading)) >= index, (surface, index)
        assert category in ("person", "place", "org", "date")


@pytest.mark.parametrize("category", ["person", "place", "org", "date"])
def test_precision_and_recall_per_category(scores, category: str) -> None:
    precision, recall, spurious, missed = scores[category]
    assert precision >= 0.95, f"precision {precision:.3f}; spurious: {spurious}"
    assert recall >= 0.95, f"recall {recall:.3f}; missed: {missed}"


def test_no_date_or_time_on_a_document_number(seed_conversion: Conversion) -> None:
    text = seed_conversion.tree.find(f"{T}text")
    numbers = list(text.iter(f"{T}idno"))
    assert len(numbers) >= 10
    for idno in numbers:
        assert not any(a.tag in (f"{T}date", f"{T}time") for a in idno.iterancestors())
        assert idno.find(f".//{T}date") is None and idno.find(f".//{T}time") is None
    for el in text.iter(f"{T}date", f"{T}time"):
        assert not re.fullmatch(r"\d+", "".join(el.itertext())) or el.tag == f"{T}time"
    readings = {"".join(el.itertext()) for el in text.iter(f"{T}date", f"{T}time")}
    for number in ("21680", "3444", "1503", "532/2343/shs", "48"):
        assert not any(number in r for r in readings)


def test_one_reference_per_entity_whatever_the_spelling(seed_conversion: Conversion) -> None:
    refs: dict[str, set[str]] = defaultdict(set)
    text = seed_conversion.tree.find(f"{T}text")
    for el in text.iter(f"{T}persName", f"{T}placeName", f"{T}orgName"):
        reading = " ".join(reading_with_starts(el)[0].split())
        refs[reading.casefold()].add(el.get("ref") or "-")
    assert all(len(v) == 1 for v in refs.values()), refs
    assert refs["filippov"] == refs["stalin"] == {"#joseph_stalin"}
    assert refs["nam ii"] == {"#nam_il"}
    nam = text.find(f".//{T}persName[@ref='#nam_il']")
    assert nam.find(f"{T}choice/{T}sic").text == "Nam II"
    assert nam.find(f"{T}choice/{T}corr").text == "Nam Il"


def test_self_contained_valid_lossless_and_deterministic(
    seed_conversion: Conversion, tei_all: etree.RelaxNG, convert, seed_path: Path
) -> None:
    tree = seed_conversion.tree
    assert unresolved_pointers(tree, "seed") == []
    stand_off = tree.find(f"{T}standOff")
    ids = {e.get("{http://www.w3.org/XML/1998/namespace}id") for e in stand_off.iter()}
    refs = {el.get("ref")[1:] for el in tree.iter() if (el.get("ref") or "").startswith("#")}
    assert refs <= ids
    assert tei_all.validate(tree), tei_all.error_log
    assert seed_conversion.lossless().ok
    again = convert(seed_path.read_text(encoding="utf-8"), path=str(seed_path))
    assert again.to_bytes() == seed_conversion.to_bytes()
