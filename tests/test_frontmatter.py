"""The front matter's grammar, rule by rule, on layouts that are not in the fixtures.

Items (the address, sections) in any order and subset; the last section ending where the
document begins, whatever the document's first line; sections repeated, unknown, after the
document; and on the real records: the summary in ``abstract`` and nowhere in ``body``.
"""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import pytest
from conftest import REPO
from lxml import etree

from tei_cable.convert import convert_record
from tei_cable.readers import read_record

NS = {"t": "http://www.tei-c.org/ns/1.0"}
TITLE = "**May 4, 1952  \nTelegram, Razuvaev to Vasilevsky**\n\n"
ADDRESS = "<https://digitalarchive.wilsoncenter.org/document/telegram-razuvaev-vasilevsky-test>\n\n"
SECTIONS = {
    "Citation": '"Telegram, Razuvaev to Vasilevsky," May 4, 1952, Wilson Center Digital Archive, '
    "TsAMO, f. 5, op. 918795, d. 122, ll. 4-5.",
    "Summary": "Razuvaev reports on the air defence of the Suiho power station.",
    "Credits": "This document was made possible with support from the Leon Levy Foundation.",
    "Original Language": "Russian",
    "Contents": "- English Translation",
    "Record ID": "4521",
}
BODY = (
    "To Comrade VASILEVSKY\n\n"
    "The enemy attacked the power station on 3 May with 40 aircraft.\n\n"
    "RAZUVAEV\n"
)


def record_text(order: list[str], address_at: int | None) -> str:
    items = [f"**{label}:**\n\n{SECTIONS[label]}\n\n" for label in order]
    if address_at is not None:
        items.insert(address_at, ADDRESS)
    return TITLE + "".join(items) + BODY


def body_text(result) -> str:
    text = result.tree.getroot().find("t:text", NS)
    return " ".join("".join(text.itertext()).split())


def header(result) -> etree._Element:
    return result.tree.getroot().find("t:teiHeader", NS)


LAYOUTS = [
    (list(order), at)
    for size in range(1, len(SECTIONS) + 1)
    for order in itertools.permutations(SECTIONS, size)
    for at in (None, 0, size)
]


@pytest.mark.parametrize(
    "order,address_at",
    random.Random(8).sample(LAYOUTS, 60),
    ids=lambda value: "-".join(value) if isinstance(value, list) else str(value),
)
def test_sections_in_any_order_and_subset(order: list[str], address_at: int | None) -> None:
    text = record_text(order, address_at)
    result = convert_record(text)
    record = result.record
    assert [s.label for s in record.sections] == order
    assert record.document.opener or record.document.body, "the document is read"
    assert body_text(result).startswith("To Comrade VASILEVSKY")
    assert not any(d.code in ("R102", "R104", "R110") for d in result.diagnostics)
    if address_at is not None:
        assert record.url.endswith("telegram-razuvaev-vasilevsky-test")
    if "Summary" in order:
        abstract = header(result).find(".//t:abstract", NS)
        assert "".join(abstract.itertext()).strip() == SECTIONS["Summary"]
        assert "Suiho" not in body_text(result)
    assert result.lossless().ok, result.lossless().explain()


FIRST_LINES = {
    "archival heading": "MINISTRY OF FOREIGN AFFAIRS OF THE USSR\nTOP SECRET",
    "place and date": "Moscow, 12 March 1953",
    "salutation": "Dear Comrade Ambassador,",
    "form field": "From: the Embassy in Beijing",
    "addressee": "To Comrade Zhou Enlai",
    "list item": "1. On the exchange of prisoners.",
    "bracket": "[…] the delegation arrived at noon.",
    "first person prose": "On 3 May I visited the Minister of Foreign Affairs at his request.",
    "single-newline prose": "The delegation arrived on 3 May at noon.\nIt was met at the station.",
    "Chinese script": "周恩来同志：\n来电收到。",
    "classification": "Secret",
    "signature line": "Ivan Petrov",
}


@pytest.mark.parametrize("shape", sorted(FIRST_LINES))
def test_the_last_summary_ends_where_the_document_begins(shape: str) -> None:
    first = FIRST_LINES[shape]
    text = TITLE + ADDRESS + f"**Summary:**\n\n{SECTIONS['Summary']}\n\n{first}\n\nMore text.\n"
    record = read_record(text)
    assert record.sections[-1].lines == [SECTIONS["Summary"]]
    assert record.body_text.lstrip().startswith(first.split("\n")[0])
    assert not any(d.code == "R104" for d in record.diagnostics), shape


def test_a_long_summary_keeps_its_paragraphs_and_leaves_the_document() -> None:
    summary = [
        "The Ambassador records a conversation with the Premier about the harvest.",
        "The Premier describes the shortage of seed and asks for credits.",
        "The memorandum also notes the Premier's remarks on the railway, which he expects to "
        "open in the autumn.",
    ]
    body = (
        "On 12 May the Premier received the Ambassador at his own request.\n\n"
        "He said that the harvest had been lost in the floods.\n"
    )
    text = TITLE + ADDRESS + "**Summary:**\n\n" + "\n\n".join(summary) + "\n\n" + body
    result = convert_record(text)
    abstract = header(result).findall(".//t:abstract/t:p", NS)
    assert ["".join(p.itertext()) for p in abstract] == summary
    assert body_text(result).startswith("On 12 May the Premier")
    uncertain = [d for d in result.diagnostics if d.code == "R104"]
    assert [d.line for d in uncertain] == [10, 12, 14], "each decision on wording is reported"
    assert result.lossless().ok


def test_prose_that_may_be_either_is_reported_and_the_document_never_left_empty() -> None:
    text = TITLE + "**Summary:**\n\nShort summary of the cable.\n\nThe cable discusses the talks.\n"
    record = read_record(text)
    assert record.body_text.strip() == "The cable discusses the talks."
    assert any(d.code == "R104" and d.line == 8 for d in record.diagnostics)


def test_a_document_that_follows_its_summary_without_a_blank_line() -> None:
    text = TITLE + "**Summary:**\n\nA summary.\nTOP SECRET\nTo Comrade Stalin\nText.\n"
    record = read_record(text)
    assert record.sections[0].lines == ["A summary."]
    assert record.body_text.startswith("TOP SECRET")


def test_a_summary_wrapped_across_lines_stays_one_paragraph() -> None:
    text = (
        TITLE
        + "**Summary:**\n\nThe Ambassador reports on the talks with the Chinese delegation and\n"
        "the date of its departure.\n\nTo Comrade Molotov\n\nText.\n"
    )
    record = read_record(text)
    assert record.sections[0].paragraphs() == [
        "The Ambassador reports on the talks with the Chinese delegation and the date of its "
        "departure."
    ]
    assert record.body_text.startswith("To Comrade Molotov")


def test_one_line_sections_end_after_their_line() -> None:
    for label, value in (("Credits", SECTIONS["Credits"]), ("Original Language", "Russian")):
        text = TITLE + f"**{label}:**\n\n{value}\nThe talks began at noon on 3 May.\n"
        record = read_record(text)
        assert record.sections[0].lines == [value]
        assert record.body_text.startswith("The talks began")


def test_a_known_label_with_its_value_on_the_heading_line() -> None:
    record = read_record(TITLE + "**Record ID:** 4521\n\n**Summary:**\n\nA summary.\n\nText.\n")
    assert [(s.label, s.lines) for s in record.sections] == [
        ("Record ID", ["4521"]),
        ("Summary", ["A summary."]),
    ]
    assert record.identifier == "4521"


def test_a_bullet_list_section_with_blank_lines_between_items() -> None:
    text = TITLE + "**Contents:**\n\n- English Translation\n\n- Original Scan\n\nText begins.\n"
    record = read_record(text)
    assert record.contents == ["English Translation", "Original Scan"]
    assert record.body_text.strip() == "Text begins."


def test_repeated_sections_lose_nothing() -> None:
    citation = SECTIONS["Citation"]
    text = (
        TITLE
        + f"**Citation:**\n\n**Citation:**\n\n{citation}\n\n**Summary:**\n\nFirst.\n\n"
        + f"**Summary:**\n\nSecond part of the summary.\n\n**Citation:**\n\n{citation}\n\n"
        + BODY
    )
    result = convert_record(text)
    assert [s.label for s in result.record.sections] == [
        "Citation",
        "Citation",
        "Summary",
        "Summary",
        "Citation",
    ]
    head = header(result)
    citations = head.findall(".//t:sourceDesc/t:bibl[@type='citation']", NS)
    assert len(citations) == 1, "the same citation twice is one bibl"
    assert " ".join("".join(citations[0].itertext()).split()).startswith('"Telegram, Razuvaev')
    assert ["".join(p.itertext()) for p in head.findall(".//t:abstract/t:p", NS)] == [
        "First.",
        "Second part of the summary.",
    ]
    assert result.lossless().ok, result.lossless().explain()


def test_a_different_second_citation_is_a_bibl_of_its_own() -> None:
    text = TITLE + '**Citation:**\n\n"A," 1952.\n\n**Citation:**\n\n"B," 1953.\n\n' + BODY
    result = convert_record(text)
    texts = [
        "".join(b.itertext()).strip()
        for b in header(result).findall(".//t:sourceDesc/t:bibl[@type='citation']", NS)
    ]
    assert texts[0].startswith('"A," 1952.') and texts[1] == '"B," 1953.'


def test_sections_after_the_document_are_the_records() -> None:
    text = TITLE + ADDRESS + BODY + "\n**Summary:**\n\nA summary after the text.\n"
    result = convert_record(text)
    assert [s.label for s in result.record.sections] == ["Summary"]
    assert "A summary after the text" not in body_text(result)
    assert any(d.code == "R105" for d in result.diagnostics)
    assert not any(d.code == "R102" for d in result.diagnostics)
    assert result.lossless().ok


def test_no_section_at_all_is_r102_and_an_address_alone_is_not_a_section() -> None:
    record = read_record(TITLE + ADDRESS + BODY)
    assert [d.code for d in record.diagnostics if d.code.startswith("R10")] == ["R102"]
    assert record.body_text.startswith("To Comrade")
    assert record.url.endswith("-test")


def test_an_unknown_section_is_kept_in_the_header() -> None:
    text = TITLE + "**Document Notes:**\n\nFiled with the cables of May.\n\n" + BODY
    result = convert_record(text)
    assert any(d.code == "R103" for d in result.diagnostics)
    note = header(result).find(".//t:notesStmt/t:note[@type='section']", NS)
    assert " ".join("".join(note.itertext()).split()) == (
        "Document Notes Filed with the cables of May."
    )
    assert result.lossless().ok


def test_site_sections_have_their_places_in_the_header() -> None:
    text = (
        TITLE
        + "**Original Archive:**\n\nCentral Archives of the Ministry of Defense (TsAMO)\n\n"
        + "**Original Classification:**\n\nTop Secret\n\n"
        + "**Associated Places:**\n\n- Suiho\n- Korea\n\n"
        + "**Rights:**\n\nReuse for research and education.\n\n"
        + BODY
    )
    head = header(convert_record(text))
    assert head.findtext(".//t:msIdentifier/t:repository", namespaces=NS).startswith("Central")
    assert head.findtext(".//t:notesStmt/t:note[@type='classification']", namespaces=NS) == (
        "Top Secret"
    )
    places = head.findall(".//t:keywords[@n='Associated Places']/t:term", NS)
    assert [(t.get("type"), t.text) for t in places] == [("place", "Suiho"), ("place", "Korea")]
    assert head.findtext(".//t:bibl/t:availability/t:p", namespaces=NS).startswith("Reuse")


ENCODED = sorted((REPO / "encoded" / "sources").glob("*.txt"))


@pytest.mark.parametrize("source", ENCODED, ids=lambda p: p.stem)
def test_real_records_summary_in_abstract_and_nowhere_in_body(source: Path) -> None:
    result = convert_record(source.read_text(encoding="utf-8"), path=source.name)
    record = result.record
    assert not any(d.code in ("R101", "R102", "R104") for d in result.diagnostics)
    summary = " ".join(p for s in record.sections if s.label == "Summary" for p in s.paragraphs())
    abstract = header(result).find(".//t:abstract", NS)
    assert " ".join("".join(abstract.itertext()).split()) == summary
    assert summary[:40] not in body_text(result)
    assert "<https://" not in body_text(result) and "Credits:" not in body_text(result)
    for section in record.sections:
        if section.label == "Credits":
            assert header(result).find(".//t:funder", NS) is not None


@pytest.mark.parametrize(
    ("original", "contents", "body", "expected"),
    [
        # an English original the archive lists as "English Translation" is no translation
        ("English", "- English Translation", "The talks began.", ("en", "original")),
        ("English", "- Original Scan", "The talks began.", ("en", "original")),
        ("Russian", "- English Translation", "The talks began.", ("en", "translation")),
        # a Chinese text given without translation
        ("Chinese", "- Original Scan", "会谈开始了。", ("zh", "original")),
        ("Chinese", "- English Translation", "会谈开始了。", ("zh", "original")),
        ("", "- English Translation", "会谈开始了。", ("zh", "")),
        # English among several original languages: which part is original is unstated
        ("Chinese, English", "- English Translation", "The talks began.", ("en", "")),
    ],
)
def test_a_text_in_the_originals_language_is_not_called_a_translation(
    original: str, contents: str, body: str, expected: tuple[str, str]
) -> None:
    text = TITLE + "**Summary:**\n\nA summary.\n\n"
    if original:
        text += f"**Original Language:**\n\n{original}\n\n"
    text += f"**Contents:**\n\n{contents}\n\n{body}\n"
    record = read_record(text)
    assert (record.language, record.language_status) == expected
    tree = convert_record(text).tree
    usage = "".join(tree.find(".//{http://www.tei-c.org/ns/1.0}langUsage").itertext())
    assert ("translation" in usage) == (expected[1] == "translation")
