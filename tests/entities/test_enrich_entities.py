"""The entity enricher on small model fragments: each recognition rule on its own."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tei_cable.enrich import EnrichContext
from tei_cable.enrich.entities import UNRESOLVED, mark_entities
from tei_cable.entities import Registry
from tei_cable.model import (
    ArchivalNote,
    Bracketed,
    Choice,
    Footnote,
    Inline,
    Letter,
    Name,
    Paragraph,
    Part,
    Quoted,
    Record,
    RoleName,
    Text,
    plain_text,
)

Enrich = Callable[..., list[Inline]]


def roles(spans: list[Inline]) -> list[tuple[str, str | None]]:
    return [(plain_text(s.children), s.type) for s in spans if isinstance(s, RoleName)]


def run_letter(letter: Letter) -> EnrichContext:
    record = Record(title="Test", date="July 11, 1951", document=letter)
    context = EnrichContext()
    mark_entities(record, context)
    return context


# ------------------------------------------------------------------------------ registry names
def test_titles_stay_outside_coordinated_names(enrich_text: Enrich, names) -> None:
    spans = enrich_text("Copies to Cdes. Kim Il Sung and Peng Dehuai.")
    assert names(spans) == [
        ("person", "kim_il_sung", "Kim Il Sung"),
        ("person", "peng_dehuai", "Peng Dehuai"),
    ]
    assert roles(spans) == [("Cdes.", "honorific")]


def test_ranks_and_capitals(enrich_text: Enrich, names) -> None:
    spans = enrich_text("Vice Admiral Joy spoke; MAJOR RIDGWAY listened.")
    assert names(spans) == [
        ("person", "charles_turner_joy", "Joy"),
        ("person", "matthew_ridgway", "RIDGWAY"),
    ]
    assert roles(spans) == [("Vice Admiral", "rank"), ("MAJOR", "rank")]


def test_cipher_name_and_its_gloss_share_one_reference(names) -> None:
    part = Part(
        "addressee",
        [Text("To "), Text("FILIPPOV "), Bracketed("gloss", [Text("Stalin")]), Text(".")],
    )
    run_letter(Letter(kind="telegram", opener=[part]))
    assert names(part.children) == [
        ("person", "joseph_stalin", "FILIPPOV"),
        ("person", "joseph_stalin", "Stalin"),
    ]
    bracket = part.children[3]
    assert isinstance(bracket, Bracketed) and isinstance(bracket.children[0], Name)


def test_supplied_names_inside_and_around_editorial_brackets(names) -> None:
    inside = ArchivalNote(
        "transmission", [Text("from "), Bracketed("supplied", [Text("BEIJING")]), Text(" received")]
    )
    around = Paragraph(
        [Text("a specialist to Gro"), Bracketed("supplied", [Text("myko")]), Text("'s office")]
    )
    run_letter(Letter(kind="cable", head=[inside], body=[around]))
    assert isinstance(inside.children[1], Bracketed)
    assert names(inside.children) == [("person" if False else "place", "beijing", "BEIJING")]
    [name] = [s for s in around.children if isinstance(s, Name)]
    assert name.ref == "andrei_gromyko" and isinstance(name.children[1], Bracketed)
    assert plain_text(around.children) == "a specialist to Gro[myko]'s office"


def test_ocr_reading_is_kept_beside_its_correction(enrich_text: Enrich) -> None:
    spans = enrich_text("After statements by Cdes. Nam II and Deng Hua the American said")
    [nam] = [s for s in spans if isinstance(s, Name) and s.ref == "nam_il"]
    [choice] = nam.children
    assert isinstance(choice, Choice) and choice.reason == "ocr"
    assert plain_text(choice.sic) == "Nam II" and plain_text(choice.corr) == "Nam Il"


def test_names_inside_quotations(names) -> None:
    quoted = Quoted([Text("We can discuss only issues touching on Korea")])
    para = Paragraph([Text("The American representative repeated, "), quoted])
    run_letter(Letter(kind="telegram", body=[para]))
    assert names(para.children) == [("place", "korea", "Korea")]


def test_footnotes_are_enriched(names) -> None:
    note = Footnote("1", [Text("Kim Il Sung visited Moscow in March 1949.")])
    record = Record(title="Test", document=Letter(kind="letter"), footnotes=[note])
    mark_entities(record, EnrichContext())
    assert [n[1] for n in names(note.children)] == ["kim_il_sung", "moscow"]


# ------------------------------------------------------------------------------ unregistered
def test_unregistered_person_after_a_title_is_marked_and_reported(names) -> None:
    para = Paragraph([Text("Cde. Ivanov reported to Cdes. Sidorov and Petrov.")], line=7)
    context = run_letter(Letter(kind="letter", body=[para]))
    assert names(para.children) == [
        ("person", "ivanov", "Ivanov"),
        ("person", "sidorov", "Sidorov"),
        ("person", "petrov", "Petrov"),
    ]
    assert [(d.code, d.line) for d in context.diagnostics] == [(UNRESOLVED, 7)] * 3
    assert (
        '"Ivanov"' in context.diagnostics[0].message and "#ivanov" in context.diagnostics[0].message
    )


def test_rank_signature_and_parenthesised_name(names) -> None:
    note = ArchivalNote(
        "printed",
        [
            Text("Printed by Chesnokova 1955 11 July Verified: MAJOR "),
            Bracketed("gap", [Text("signature")], reason="signature"),
            Text(" (RUDAKOV)"),
        ],
    )
    run_letter(Letter(kind="cable", tail=[note]))
    assert names(note.children) == [
        ("person", "chesnokova", "Chesnokova"),
        ("person", "rudakov", "RUDAKOV"),
    ]
    assert roles(note.children) == [("MAJOR", "rank")]
    assert plain_text(note.children) == (
        "Printed by Chesnokova 1955 11 July Verified: MAJOR [signature] (RUDAKOV)"
    )


def test_signatures_addressees_and_clerks(names) -> None:
    signed = Part("signed", [Text("A. I. Lavrentiev")])
    addressee = Part("addressee", [Text("To Comrade Gusev and Orlov")])
    clerk = Paragraph(
        [Text("Recorded by "), Bracketed("gap", [Text("signature")]), Text(" (N. Fedorenko)")]
    )
    run_letter(Letter(kind="letter", opener=[addressee], body=[clerk], closer=[signed]))
    assert names(signed.children) == [("person", "a_i_lavrentiev", "A. I. Lavrentiev")]
    assert names(addressee.children) == [("person", "gusev", "Gusev"), ("person", "orlov", "Orlov")]
    assert names(clerk.children) == [("person", "n_fedorenko", "N. Fedorenko")]


def test_organisations_of_the_usual_shapes(enrich_text: Enrich, names) -> None:
    spans = enrich_text(
        "He spoke to the Ministry of Foreign Affairs of the DPRK and to the "
        "Central Committee of the Workers' Party of Korea."
    )
    assert names(spans) == [
        (
            "org",
            "ministry_of_foreign_affairs_of_the_dprk",
            "Ministry of Foreign Affairs of the DPRK",
        ),
        ("place", "north_korea", "DPRK"),
        ("org", "wpk_cc", "Central Committee of the Workers' Party of Korea"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "SECOND STAFF MEETING. REPORT ON THE SITUATION AT THE FRONT",
        "The functions of a military commission concerning the cessation of hostilities.",
        "The American representative repeated his proposal.",
        "The attack was repelled by American units.",
        "The five American representatives and 48 support personnel arrived.",
        'SERIES "G" T.',
        "The representatives of the Korean and Chinese armies will act in the same way.",
    ],
)
def test_no_names_where_there_are_none(enrich_text: Enrich, names, text: str) -> None:
    assert names(enrich_text(text)) == []


def test_a_rank_word_as_adjective_and_the_general_staff(enrich_text: Enrich, names) -> None:
    spans = enrich_text("Major issues were discussed with the General Staff.")
    assert names(spans) == [("org", "general_staff", "General Staff")]


def test_enrichment_is_idempotent(enrich_record) -> None:
    para = Paragraph([Text("To Cde. MAO ZEDONG. Copies to Cde. Ivanov. Nam II said")])
    record = Record(title="Test", document=Letter(kind="telegram", body=[para]))
    enrich_record(record)
    once = repr(para.children)
    enrich_record(record)
    assert repr(para.children) == once


def test_the_builtin_registry_is_used_and_kept_for_the_writer() -> None:
    context = EnrichContext()
    mark_entities(Record(title="T", document=Letter(kind="letter")), context)
    assert isinstance(context.registry, Registry) and "mao_zedong" in context.registry


def test_registry_conflicts_are_reported_once_per_conversion(tmp_path) -> None:
    path = tmp_path / "mine.xml"
    path.write_text(
        '<listPerson xmlns="http://www.tei-c.org/ns/1.0"><person xml:id="x">'
        "<persName>Filippov</persName></person></listPerson>",
        encoding="utf-8",
    )
    context = EnrichContext(registry=Registry.load(path))
    para = Paragraph([Text("Cde. Filippov!")])
    mark_entities(Record(title="T", document=Letter(kind="letter", body=[para])), context)
    assert [d.code for d in context.diagnostics] == ["E102"]
    assert [s.ref for s in para.children if isinstance(s, Name)] == ["x"]


def test_quotations_are_given_to_the_person_who_speaks() -> None:
    said = Paragraph([Text("Cde. Deng Hua added, "), Quoted([Text("All three proposals.")])])
    anonymous = Paragraph(
        [Text("The American representative repeated, "), Quoted([Text("Only military issues.")])]
    )
    unknown = Paragraph([Text("Cde. Ivanov said, "), Quoted([Text("No.")])])
    far = Paragraph([Text("Nam Il left. Later the delegates said, "), Quoted([Text("Yes.")])])
    run_letter(Letter(kind="telegram", body=[said, anonymous, unknown, far]))
    assert [p.children[-1].who for p in (said, anonymous, unknown, far)] == [
        "deng_hua",
        None,
        None,
        None,
    ]
