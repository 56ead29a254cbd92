"""The seed record: a Soviet General Staff cable quoting four telegrams."""

from __future__ import annotations

import pytest
from conftest import REPO, SEED, jing, tei_all_rng
from lxml import etree

from tei_cable.convert import convert_record
from tei_cable.xmlio import serialize

NS = {"t": "http://www.tei-c.org/ns/1.0"}
ENCODED = REPO / "encoded" / "wilson-117409.xml"


@pytest.fixture(scope="module")
def seed():
    return convert_record(SEED.read_text(encoding="utf-8"), path=str(SEED))


@pytest.fixture(scope="module")
def tree(seed):
    return seed.tree


def test_encoded_file_is_what_the_converter_writes(seed) -> None:
    assert ENCODED.read_bytes() == seed.to_bytes(), (
        "encoded/wilson-117409.xml is stale: tei-cable convert "
        "encoded/sources/wilson-117409.txt -o encoded/wilson-117409.xml --force"
    )


def test_four_telegrams_nested_in_the_outer_cable(tree) -> None:
    outer = tree.xpath("/t:TEI/t:text/t:body/t:div", namespaces=NS)
    assert len(outer) == 1 and outer[0].get("type") == "cable"
    telegrams = outer[0].xpath("t:quote/t:floatingText", namespaces=NS)
    assert [t.get("type") for t in telegrams] == ["telegram"] * 4
    assert len(tree.xpath("//t:floatingText[@type='telegram']", namespaces=NS)) == 4


def test_agendas_are_ordered_lists_of_five_and_nine(tree) -> None:
    lists = tree.xpath("//t:floatingText[@type='telegram']//t:list", namespaces=NS)
    assert [len(lst.xpath("t:item", namespaces=NS)) for lst in lists] == [5, 9]
    for lst in lists:
        assert lst.get("type") == "ordered"
        numbers = [int(i.get("n")) for i in lst.xpath("t:item", namespaces=NS)]
        assert numbers == list(range(1, len(numbers) + 1))


def test_last_agenda_item_is_separated_from_the_closer(tree) -> None:
    second = tree.xpath("//t:floatingText[@type='telegram']", namespaces=NS)[1]
    last = second.xpath(".//t:list/t:item[last()]", namespaces=NS)[0]
    assert "".join(last.itertext()).strip().endswith("cessation of hostilities.")
    signed = second.xpath("t:body/t:closer/t:signed", namespaces=NS)[0]
    assert "".join(signed.itertext()).startswith("Li Kenong")


def test_statement_is_a_quoted_multiparagraph_unit_in_the_fourth_telegram(tree) -> None:
    fourth = tree.xpath("//t:floatingText[@type='telegram']", namespaces=NS)[3]
    statement = fourth.xpath("t:body/t:quote/t:floatingText[@type='statement']", namespaces=NS)
    assert len(statement) == 1
    assert len(statement[0].xpath("t:body/t:p", namespaces=NS)) == 5
    # the closer of the telegram is outside the statement
    assert fourth.xpath("t:body/t:closer", namespaces=NS)
    assert not statement[0].xpath(".//t:closer", namespaces=NS)


def test_every_letter_has_a_closer_apart_from_its_text(tree) -> None:
    for letter in tree.xpath("//t:floatingText[@type='telegram'] | //t:body/t:div", namespaces=NS):
        body = letter if letter.tag.endswith("div") else letter.find("t:body", NS)
        closers = body.findall("t:closer", NS)
        assert len(closers) == 1
        assert closers[0].find("t:signed", NS) is not None


def test_one_corresp_desc_per_letter_pointing_at_it(tree) -> None:
    letters = tree.xpath("//*[@decls][self::t:div or self::t:floatingText]", namespaces=NS)
    assert len(letters) == 5
    for letter in letters:
        ident = letter.get("{http://www.w3.org/XML/1998/namespace}id")
        target = letter.get("decls").lstrip("#")
        desc = tree.xpath(f"//t:correspDesc[@xml:id='{target}']", namespaces=NS)
        assert len(desc) == 1 and desc[0].get("corresp") == f"#{ident}"


def test_nesting_is_kept_in_correspondence_context(tree) -> None:
    nested = tree.xpath("//t:correspDesc[t:correspContext]", namespaces=NS)
    assert len(nested) == 4
    for desc in nested:
        assert desc.xpath("string(t:correspContext/t:ref/@target)", namespaces=NS) == "#L1"


def test_apparatus_stamp_and_notes(tree) -> None:
    outer = tree.xpath("/t:TEI/t:text/t:body/t:div", namespaces=NS)[0]
    stamp = outer.xpath("t:note[@type='stamp']/t:stamp", namespaces=NS)
    assert len(stamp) == 1 and len(stamp[0].findall("t:lb", NS)) == 2
    assert outer.xpath("t:note[@type='transmission']/t:supplied//text()", namespaces=NS) == [
        "BEIJING"
    ]
    kinds = outer.xpath("t:note[@place='bottom']/@type", namespaces=NS)
    assert kinds[0] == "deciphered" and "copy" in kinds
    assert outer.xpath("t:opener/t:salute", namespaces=NS)


def test_broken_paragraph_is_rejoined_with_its_break(tree) -> None:
    paragraphs = [p for p in tree.xpath("//t:p[t:pb]", namespaces=NS)]
    assert len(paragraphs) == 1
    text = "".join(paragraphs[0].itertext())
    assert "attached" in text and "separately)." in text


def test_superscript_and_header(tree) -> None:
    assert tree.xpath("//t:hi[@rend='superscript']/text()", namespaces=NS) == ["th"]
    assert tree.xpath("string(//t:abstract/t:p)", namespaces=NS).startswith("Mao sends Stalin")
    assert tree.xpath("//t:langUsage/t:language/@ident", namespaces=NS) == ["en", "ru"]
    assert tree.xpath("string(//t:sourceDesc/t:bibl/t:ptr/@target)", namespaces=NS).endswith(
        "/document/117409"
    )
    assert tree.xpath("string(//t:msIdentifier/t:repository)", namespaces=NS).startswith(
        "Archives of the Russian Ministry of Defense"
    )
    assert tree.xpath("//t:appInfo/t:application/@ident", namespaces=NS) == ["tei-cable"]


def test_seed_is_lossless(seed) -> None:
    report = seed.lossless()
    assert report.ok, report.explain()


def test_seed_is_valid_against_tei_all(tmp_path, seed) -> None:
    out = tmp_path / "seed.xml"
    out.write_bytes(seed.to_bytes())
    result = jing(tei_all_rng(), out)
    assert result.returncode == 0, result.stdout


def test_reparsed_output_serialises_identically(seed) -> None:
    data = seed.to_bytes()
    assert serialize(etree.fromstring(data).getroottree()) == data
