"""Sources and languages as the record states them (issue 12, item 4).

Citations in forms the fixtures do not have: archival references split into ``msIdentifier``
parts (country and settlement only where stated), published editions as ``bibl`` with their
parts and never as an archive, the translation's source as a ``bibl`` of its own; and the text's
language called a translation or the original only where the record says so.
"""

from __future__ import annotations

import pytest
from lxml import etree

from tei_cable.convert import convert_record
from tei_cable.readers.wilson.citation import parse_citation, parse_source

NS = {"t": "http://www.tei-c.org/ns/1.0"}
HEAD = '"Cable, A to B," May 1, 1950, History and Public Policy Program Digital Archive, '


def record(citation: str = "", sections: str = "", body: str = "Text of the cable.\n") -> str:
    cited = f"**Citation:**\n\n{citation}\n\n" if citation else ""
    return f"**May 1, 1950  \nCable, A to B**\n\n{cited}{sections}**Summary:**\n\nA.\n\n{body}"


def header(text: str) -> etree._Element:
    result = convert_record(text)
    assert result.lossless().ok, result.lossless().explain()
    return result.tree.getroot().find("t:teiHeader", NS)


def identifier(head: etree._Element) -> list[tuple[str, str]]:
    found = head.find(".//t:msDesc/t:msIdentifier", NS)
    return [] if found is None else [(etree.QName(e).localname, e.text) for e in found]


ARCHIVAL = [
    (
        "GARF, f. R-5446, op. 1, d. 12, l. 3.",
        [("repository", "GARF"), ("collection", "f. R-5446"), ("idno", "op. 1, d. 12, l. 3")],
    ),
    (
        "Polish Foreign Ministry Archive, Warsaw, Poland, Dep. II, 24/77, w. 3.",
        [
            ("country", "Poland"),
            ("settlement", "Warsaw"),
            ("repository", "Polish Foreign Ministry Archive"),
            ("idno", "Dep. II, 24/77, w. 3"),
        ],
    ),
    (
        "National Archives of Romania (ANIC), Fond 2398, Dosar 12/1968.",
        [
            ("repository", "National Archives of Romania (ANIC)"),
            ("collection", "Fond 2398"),
            ("idno", "Dosar 12/1968"),
        ],
    ),
    (
        "Central Archives of the Ministry of Defense (TsAMO).",
        [("repository", "Central Archives of the Ministry of Defense (TsAMO)")],
    ),
]


@pytest.mark.parametrize("reference,expected", ARCHIVAL, ids=lambda v: str(v)[:30])
def test_archival_references_are_split_into_identifier_parts(reference, expected) -> None:
    head = header(record(HEAD + reference + " Translated by Jan Nowak."))
    assert identifier(head) == expected
    citation = head.find(".//t:bibl[@type='citation']", NS)
    assert citation.find("t:bibl", NS) is None, "an archive is not an edition"
    assert citation.findtext("t:respStmt/t:name", namespaces=NS) == "Jan Nowak"


PUBLISHED = [
    (
        "Ivan Petrov, ed., Documents on the Korean War, vol. 2 (Moscow: Nauka, 1999), pp. 15-16.",
        {
            "editor": ["Ivan Petrov"],
            "title": ["Documents on the Korean War"],
            "pubPlace": ["Moscow"],
            "publisher": ["Nauka"],
            "date": ["1999"],
            "biblScope": ["vol. 2", "pp. 15-16"],
        },
    ),
    (
        "Selected Works, vol. 3, p. 12.",
        {"title": ["Selected Works"], "biblScope": ["vol. 3", "p. 12"]},
    ),
    (
        "A. Smith and B. Jones, eds., Cold War Papers (London: Archive Press, 2004), 45.",
        {
            "editor": ["A. Smith", "B. Jones"],
            "title": ["Cold War Papers"],
            "pubPlace": ["London"],
            "publisher": ["Archive Press"],
            "date": ["2004"],
            "biblScope": ["45"],
        },
    ),
]


@pytest.mark.parametrize("reference,expected", PUBLISHED, ids=lambda v: str(v)[:30])
def test_published_editions_are_bibl_with_their_parts_and_never_an_archive(
    reference, expected
) -> None:
    head = header(record(HEAD + reference))
    assert head.find(".//t:msDesc", NS) is None
    edition = head.find(".//t:bibl[@type='citation']/t:bibl[@type='edition']", NS)
    found: dict[str, list[str]] = {}
    for child in edition:
        found.setdefault(etree.QName(child).localname, []).append("".join(child.itertext()))
    assert found == expected
    assert "".join(edition.itertext()) == reference.rstrip(".")


def test_an_archive_and_an_edition_and_a_translation_each_in_their_place() -> None:
    citation = (
        HEAD + "APRF, f. 45, op. 1, d. 331, l. 5, and in Ivan Petrov, ed., Documents "
        "(Moscow: Nauka, 1999), p. 376; translation from Jane Doe, Telegrams in Translation "
        "(Boston: Harbor Press, 2001), 97. Translated by Jan Nowak."
    )
    head = header(record(citation))
    assert identifier(head) == [
        ("repository", "APRF"),
        ("collection", "f. 45"),
        ("idno", "op. 1, d. 331, l. 5"),
    ]
    bibl = head.find(".//t:bibl[@type='citation']", NS)
    assert bibl.findtext("t:bibl[@type='edition']/t:editor", namespaces=NS) == "Ivan Petrov"
    translation = bibl.find("t:bibl[@type='translation']", NS)
    assert translation.findtext("t:author", namespaces=NS) == "Jane Doe"
    assert translation.findtext("t:pubPlace", namespaces=NS) == "Boston"
    assert translation.findtext("t:biblScope", namespaces=NS) == "97"
    assert " ".join("".join(bibl.itertext()).split()).startswith(citation)


def test_the_citations_own_head_is_marked() -> None:
    head = header(record(HEAD + "GARF, f. 1, op. 2, d. 3."))
    bibl = head.find(".//t:bibl[@type='citation']", NS)
    assert bibl.findtext("t:title", namespaces=NS) == "Cable, A to B"
    assert bibl.find("t:date", NS).get("when") == "1950-05-01"
    assert bibl.findtext("t:publisher", namespaces=NS).endswith("Digital Archive")


def test_a_source_section_and_the_original_archive_section() -> None:
    sections = (
        "**Source:**\n\nAVP RF, f. 0102, op. 11, p. 6, d. 8, ll. 152-153.\n\n"
        "**Original Archive:**\n\nArchive of Foreign Policy of the Russian Federation\n\n"
    )
    head = header(record(sections=sections))
    assert identifier(head) == [
        ("repository", "Archive of Foreign Policy of the Russian Federation"),
        ("collection", "f. 0102"),
        ("idno", "op. 11, p. 6, d. 8, ll. 152-153"),
    ]
    assert head.findtext(".//t:bibl[@type='source']", namespaces=NS).startswith("AVP RF")


def test_a_reference_without_a_repository_gives_no_ms_desc() -> None:
    head = header(record(HEAD + "f. 45, op. 1, d. 331."))
    assert head.find(".//t:msDesc", NS) is None


def test_no_place_is_derived_that_the_reference_does_not_state() -> None:
    parsed = parse_source("Archives of the Ministry, Moscow Region Office, f. 2, op. 3.")
    kinds = [p.kind for r in parsed.references for p in r.parts]
    assert "settlement" not in kinds and "country" not in kinds
    cited = parse_citation(HEAD + "Hungarian National Archives (MOL), XIX-J-1-j, 1957.")
    assert [p.kind for p in cited.references[0].parts] == ["repository", "idno"]


def usage(head: etree._Element) -> list[tuple[str, str]]:
    return [(e.get("ident"), e.text) for e in head.findall(".//t:langUsage/t:language", NS)]


def test_an_english_original_is_not_a_translation() -> None:
    head = header(record(sections="**Original Language:**\n\nEnglish\n\n"))
    assert usage(head) == [("en", "English (the text given here, in the original's language)")]
    assert head.find(".//t:textLang", NS).get("mainLang") == "en"


def test_a_chinese_text_given_without_translation_is_the_original() -> None:
    body = "毛泽东同志：\n来电收到。\n"
    head = header(record(sections="**Original Language:**\n\nChinese\n\n", body=body))
    assert usage(head) == [("zh", "Chinese (the text given here, in the original's language)")]


def test_no_original_language_stated_claims_nothing() -> None:
    head = header(record())
    assert usage(head) == [("en", "English (the text given here)")]
    assert head.find(".//t:textLang", NS) is None
    body = "毛泽东同志：\n来电收到。\n"
    assert usage(header(record(body=body))) == [("zh", "Chinese (the text given here)")]


def test_a_translation_is_called_one_where_the_record_says_so() -> None:
    head = header(record(sections="**Original Language:**\n\nRussian and Korean\n\n"))
    assert usage(head) == [
        ("en", "English (the text given here, a translation from Russian and Korean)"),
        ("ru", "Russian (the original's language)"),
        ("ko", "Korean (the original's language)"),
    ]
    text_lang = head.find(".//t:textLang", NS)
    assert (text_lang.get("mainLang"), text_lang.get("otherLangs")) == ("ru", "ko")
    assert text_lang.text == "Russian and Korean"
    contents = header(record(sections="**Contents:**\n\n- English Translation\n\n"))
    assert usage(contents) == [("en", "English (the text given here, a translation)")]


def test_a_transcription_in_the_original_script() -> None:
    sections = "**Original Language:**\n\nRussian\n\n**Contents:**\n\n- Russian Transcription\n\n"
    head = header(record(sections=sections, body="Товарищу Сталину.\nТекст.\n"))
    assert usage(head) == [("ru", "Russian (the text given here, in the original's language)")]
