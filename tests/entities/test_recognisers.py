"""Names the registry does not know, found by where they stand and by their shape: persons,
organisations and places, each rule on text, then the same through the enricher."""

from __future__ import annotations

import pytest

from tei_cable.entities.orgs import org_spans
from tei_cable.entities.persons import PERSON, UNIDENTIFIED, person_spans
from tei_cable.entities.places import PLACE, place_spans
from tei_cable.entities.shapes import east_asian_names

NAMED = "\x02"


def found(spans: list[tuple[int, int]], text: str) -> list[str]:
    return [text[a:b] for a, b in spans]


@pytest.mark.parametrize(
    ("text", "role", "expected"),
    [
        ("Cde. Ivanov reported", None, ["Ivanov"]),
        (
            "comrades Konstantinov V.M. and Syromyatnikov B.N., who",
            None,
            ["Konstantinov V.M.", "Syromyatnikov B.N."],
        ),
        ("to Cdes. N. P. Varnov and Samsonov, G. Ye.", None, ["N. P. Varnov", "Samsonov, G. Ye."]),
        ("2 - Cde. Yu. V. Andropov", None, ["Yu. V. Andropov"]),
        ("between Cde. \x00 and J. Nehru for an hour", None, ["J. Nehru"]),
        ("Verified by Shift Chief Sadovin 0350", None, ["Sadovin"]),
        ("Copies: \x03, Shtemenko, \x03.", None, ["Shtemenko"]),
        ("Lopez \x04 is not willing", None, ["Lopez"]),
        ("Signed: Nicolae Gavrilescu", None, ["Nicolae Gavrilescu"]),
        ("Comrade Szabó F.", None, ["Szabó F."]),
        ("Chief of the \x00 Pak Yong-guk, and", None, ["Pak Yong-guk"]),
        ("Message sent by Zachař.", None, ["Zachař"]),
        ("Created by Un 15.00", "apparatus", ["Un"]),
        ("to comrade Constantin Oancea", None, ["Constantin Oancea"]),
        ("Classification: Secret", "signed", []),
        ("to TEREBIN", "heading", ["TEREBIN"]),
        ("to the Central Committee", None, []),
        ("Pass the following to them:", None, []),
        ("Arrived: 28.11.62", "signed", []),
        ("A. Lazar’s questions", None, ["A. Lazar"]),
        ("The comrades have already been prepared to depart.", None, []),
        ("See Point A. and Section B.", None, []),
        ("the General Staff", None, []),
        ("the Bulgarian Second Secretary, Surgov, told", None, ["Surgov"]),
        ("the Secretary, who said", None, []),
        ("letters to [John F.] Kennedy, don’t", None, ["[John F.] Kennedy"]),
        ("Harry S. Truman said", None, ["Harry S. Truman"]),
        ("comrade [S.E.] ZAKHAROV.", None, ["[S.E.] ZAKHAROV"]),
        ("see Section A. Kovalev", None, ["A. Kovalev"]),
        ("Chairman of the Meeting \x03", "signed", []),
    ],
)
def test_person_rules(text: str, role: str | None, expected: list[str]) -> None:
    text = text.replace("\x03", PERSON).replace("\x04", UNIDENTIFIED)
    assert found(person_spans(text, role), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Deng Liqun, age 34", ["Deng Liqun"]),
        ("Kim Il Sung’s son, Kim Jong Il, he said", ["Kim Jong Il"]),
        ("Minister Pak Seong-cheol, Pak Song Chol", ["Pak Seong-cheol", "Pak Song Chol"]),
        ("Chou En-lai and Li Dongxiang", ["Chou En-lai", "Li Dongxiang"]),
        ("Hong Kong and the Long March", []),
        ("Song Dynasty and Han River", []),
        ("[interpreter] Shi Zhe. First", ["Shi Zhe"]),
        ("[CCP CC Member] Wang Ming and others", ["Wang Ming"]),
        ("Comrade Peng Zhen’s speech", ["Peng Zhen"]),
        ("Zhu De and Liu Shaoqi", ["Zhu De", "Liu Shaoqi"]),
        ("Sun Can Run, Lin Long", []),
    ],
)
def test_chinese_and_korean_names_by_their_shape(text: str, expected: list[str]) -> None:
    assert found(east_asian_names(text), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "8th Department of the General Staff of the Armed Forces \x02\nCIPHERED",
            ["8th Department of the General Staff of the Armed Forces \x02"],
        ),
        ("\x02 Special Section 1419", ["\x02 Special Section"]),
        ("\x02 EMBASSY IN THE \x02 [faded", ["\x02 EMBASSY IN THE \x02"]),
        ("Notified by the \x02 MFA that", ["\x02 MFA"]),
        (
            "Deputy Chief of the First Department of the MFA Choe Won-sik (as",
            ["First Department of the MFA"],
        ),
        ("the Korean Foreign Ministry’s Hungarian referent", ["Korean Foreign Ministry"]),
        (
            "Ministry of the Revolutionary Armed Forces’",
            ["Ministry of the Revolutionary Armed Forces"],
        ),
        ("the head of the \x02 delegation, as well", ["\x02 delegation"]),
        ("GDR Embassy to the \x02", ["GDR Embassy to the \x02"]),
        ("\x02 and the Headquarters of the First Front. If", ["Headquarters of the First Front"]),
        (
            "from the Chinese Foreign Ministry to the Embassy in Yugoslavia",
            ["Chinese Foreign Ministry", "Embassy in Yugoslavia"],
        ),
        ("SECOND STAFF MEETING. REPORT ON THE SITUATION AT THE FRONT", []),
        ("The Korean Workers’ Party’s 6th Congress", ["Korean Workers’ Party"]),
        ("The functions of a military commission.", []),
    ],
)
def test_organisation_rules(text: str, expected: list[str]) -> None:
    assert found(org_spans(text), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("in the region of IRKUTSK and", ["IRKUTSK"]),
        ("a native of the province of Hunan, \x05", ["Hunan"]),
        ("in YANTSZY on the territory of \x05", ["YANTSZY"]),
        ("in the Far East Maritime Region.", ["Far East Maritime Region"]),
        ("nor with the Bulgarian People’s Republic, nor", ["Bulgarian People’s Republic"]),
        ("of the People’s Republic of Poland, Comrade", ["People’s Republic of Poland"]),
        ("living in Northeastern \x05.", ["Northeastern \x05"]),
        ("to the Philippines.", ["Philippines"]),
        ("in Fujian and Henan", ["Fujian", "Henan"]),
        ("Republic of \x05 and", ["Republic of \x05"]),
        ("translated into Korean.", []),
        ("as stated in Point 3", []),
        ("in January and in Sept. 1951", []),
        ("specialists in PVO and", []),
        ("the work of the Chiefs of the departments", []),
        ("progress in Marxism-Leninism", []),
        ("([in] Renmin Ribao, 29 [October]) and in Pravda", []),
        ("a boat to the Shandong peninsula for", ["Shandong peninsula"]),
        ("on the Korean peninsula and The river", []),
    ],
)
def test_place_rules(text: str, expected: list[str]) -> None:
    text = text.replace("\x05", PLACE)
    assert found(place_spans(text), text) == expected


def test_the_rules_through_the_enricher(enrich_text, names) -> None:
    spans = enrich_text(
        "Comrade Bang Jong-gap of the DPRK MFA met A. M. Puzanov in Havana; "
        "Cde. Bang said the Republic of China was not present."
    )
    assert names(spans) == [
        ("person", "bang_jong_gap", "Bang Jong-gap"),
        ("org", "dprk_mfa", "DPRK MFA"),
        ("place", "north_korea", "DPRK"),
        ("person", "a_m_puzanov", "A. M. Puzanov"),
        ("place", "havana", "Havana"),
        ("person", "bang_jong_gap", "Bang"),
        ("place", "taiwan", "Republic of China"),  # after 1949: Taiwan
    ]


def test_a_person_with_initials_is_found_again_by_the_surname(enrich_text, names) -> None:
    spans = enrich_text("We will resolve them with comrade [S.E.] ZAKHAROV. I report. ZAKHAROV")
    assert names(spans) == [
        ("person", "s_e_zakharov", "[S.E.] ZAKHAROV"),
        ("person", "s_e_zakharov", "ZAKHAROV"),
    ]
    # two persons with that surname: the surname alone is nobody's
    spans = enrich_text("Cde. A. Petrov met B. Petrov. Petrov said no.")
    assert [n for n in names(spans) if n[2] == "Petrov"] == []


def test_an_organisation_named_by_a_form_of_its_time(enrich_text, names) -> None:
    text = "The Chinese Foreign Ministry said so."
    assert names(enrich_text(text, date="November 5, 1962")) == [
        ("org", "prc_mfa", "Chinese Foreign Ministry")
    ]
    assert [n[1] for n in names(enrich_text(text, date="March 3, 1947"))] != ["prc_mfa"]


def test_a_state_name_names_the_state_of_its_time(enrich_text, names) -> None:
    text = "The Republic of China and the People's Republic of China."
    assert names(enrich_text(text, date="March 3, 1947")) == [
        ("place", "republic_of_china", "Republic of China"),
        ("place", "china", "People's Republic of China"),  # unambiguous whatever the date
    ]
    assert names(enrich_text(text, date="March 3, 1955")) == [
        ("place", "taiwan", "Republic of China"),
        ("place", "china", "People's Republic of China"),
    ]
