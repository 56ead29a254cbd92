"""Dates and times: each notation, what is not a date, and the context that completes them."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tei_cable.enrich.dates import find_dates, mark_dates
from tei_cable.enrich.numbers import mark_numbers
from tei_cable.model import (
    ArchivalNote,
    Heading,
    Inline,
    Letter,
    Number,
    Paragraph,
    Part,
    Quotation,
    Record,
    Text,
    When,
    plain_text,
)

Enrich = Callable[..., list[Inline]]


def values(node: When) -> dict[str, str]:
    attrs = {
        "when": node.when,
        "from": node.from_,
        "to": node.to,
        "notBefore": node.not_before,
        "notAfter": node.not_after,
        "cert": node.cert,
        "evidence": node.evidence,
    }
    return {k: v for k, v in attrs.items() if v is not None}


def dated(spans: list[Inline], whens) -> list[tuple[str, str, dict[str, str]]]:
    return [(plain_text(w.children), w.kind, values(w)) for w in whens(spans)]


@pytest.mark.parametrize(
    ("text", "surface", "kind", "expected"),
    [
        (
            "received 1750 11 July 1951",
            "1750 11 July 1951",
            "date",
            {"when": "1951-07-11T17:50:00"},
        ),
        (
            "Li Kenong. 1145 10 July",
            "1145 10 July",
            "date",
            {"when": "1951-07-10T11:45:00", "cert": "high", "evidence": "internal"},
        ),
        (
            "a meeting at 1500 on 10 July: (we",
            "1500 on 10 July",
            "date",
            {"when": "1951-07-10T15:00:00", "cert": "high", "evidence": "internal"},
        ),
        (
            "(the morning of 10 July 1951):",
            "the morning of 10 July 1951",
            "date",
            {"when": "1951-07-10"},
        ),
        (
            "arrived at 0912 in helicopters",
            "0912",
            "time",
            {"when": "1951-07-11T09:12:00", "cert": "medium", "evidence": "internal"},
        ),
        (
            "opened at 10 o'clock.",
            "10 o'clock",
            "time",
            {"when": "1951-07-11T10:00:00", "cert": "medium", "evidence": "internal"},
        ),
        (
            "met at 3 p.m. today",
            "3 p.m.",
            "time",
            {"when": "1951-07-11T15:00:00", "cert": "medium", "evidence": "internal"},
        ),
        (
            "resumed at 10:30.",
            "10:30",
            "time",
            {"when": "1951-07-11T10:30:00", "cert": "medium", "evidence": "internal"},
        ),
        (
            "by 1500 hours the",
            "1500 hours",
            "time",
            {"when": "1951-07-11T15:00:00", "cert": "medium", "evidence": "internal"},
        ),
        ("on July 11, 1951, he", "July 11, 1951", "date", {"when": "1951-07-11"}),
        ("of the 11th of July 1951", "11th of July 1951", "date", {"when": "1951-07-11"}),
        ("dated 11.07.1951 and", "11.07.1951", "date", {"when": "1951-07-11"}),
        ("dated 2.X.50", "2.X.50", "date", {"when": "1950-10-02"}),
        ("dated 1951-07-11", "1951-07-11", "date", {"when": "1951-07-11"}),
        ("一九五〇年十月八日", "一九五〇年十月八日", "date", {"when": "1950-10-08"}),
        (
            "于十月十五日出发",
            "十月十五日",
            "date",
            {"when": "1951-10-15", "cert": "medium", "evidence": "internal"},
        ),
        ("in Sept. 1951 and", "Sept. 1951", "date", {"when": "1951-09"}),
        ("in 1953 the war", "1953", "date", {"when": "1953"}),
        ("the war of 1950–1953", "1950–1953", "date", {"from": "1950", "to": "1953"}),
        (
            "on 10–12 July 1951",
            "10–12 July 1951",
            "date",
            {"from": "1951-07-10", "to": "1951-07-12"},
        ),
        (
            "from 25 June to 2 July 1953 the",
            "from 25 June to 2 July 1953",
            "date",
            {"from": "1953-06-25", "to": "1953-07-02"},
        ),
        (
            "between 10 and 12 July 1951",
            "between 10 and 12 July 1951",
            "date",
            {"notBefore": "1951-07-10", "notAfter": "1951-07-12"},
        ),
        (
            "not later than 15 July.",
            "not later than 15 July",
            "date",
            {"notAfter": "1951-07-15", "cert": "high", "evidence": "internal"},
        ),
        (
            "Arrived: 28.11.62 19:25",
            "28.11.62 19:25",
            "date",
            {"when": "1962-11-28T19:25:00"},
        ),
        (
            "Date: 06.03.1976/03:00",
            "06.03.1976/03:00",
            "date",
            {"when": "1976-03-06T03:00:00"},
        ),
        (
            "for the period 16 February through 24 March 1951",
            "16 February through 24 March 1951",
            "date",
            {"from": "1951-02-16", "to": "1951-03-24"},
        ),
        (
            "on Sunday, 9 March.",  # 9 March 1951 was a Friday, 1952 a Sunday
            "Sunday, 9 March",
            "date",
            {"when": "1952-03-09", "cert": "low", "evidence": "internal"},
        ),
        (
            "in January this year",
            "January this year",
            "date",
            {"when": "1951-01", "evidence": "internal"},
        ),
        (
            "only until 1900 since",
            "1900",
            "time",
            {"when": "1951-07-11T19:00:00", "cert": "medium", "evidence": "internal"},
        ),
        ("a member since 1936.", "1936", "date", {"when": "1936"}),
        (
            "between 1000 and 1130 hours",
            "between 1000 and 1130 hours",
            "time",
            {
                "from": "1951-07-11T10:00:00",
                "to": "1951-07-11T11:30:00",
                "cert": "medium",
                "evidence": "internal",
            },
        ),
    ],
)
def test_notations(
    enrich_text: Enrich, whens, text: str, surface: str, kind: str, expected: dict[str, str]
) -> None:
    assert dated(enrich_text(text), whens) == [(surface, kind, expected)]


@pytest.mark.parametrize(
    "text",
    [
        "CABLE N° 21680",
        "№ 3444",
        "No. 1503",
        "Incoming N° 532/2343/shs",
        "The five American representatives and 48 support personnel arrived.",
        "Cde. Deng Hua asked them to explain points 4 and 5 of the draft agenda.",
        "1. Adoption of the agenda.",
        "9. Steps with regard to prisoners.",
        "a period of 3-5 years",
        "Four copies printed. № 3 and 4 filed",
        "He may return in March or later.",
        "Losses are estimated at 4,500 men.",
    ],
)
def test_numbers_that_are_not_dates(enrich_text: Enrich, whens, text: str) -> None:
    assert whens(enrich_text(text)) == []


def test_dates_never_cross_document_numbers(whens) -> None:
    stamp_line = [Text("Incoming N° 532/2343/shs 11 July 1951]")]
    record = Record(
        title="T", document=Letter(kind="cable", head=[ArchivalNote("registration", stamp_line)])
    )
    mark_numbers(record)
    mark_dates(record)
    assert any(isinstance(s, Number) for s in stamp_line)
    assert dated(stamp_line, whens) == [("11 July 1951", "date", {"when": "1951-07-11"})]
    # after a number mark, four digits are the number, not a time
    assert [t[a:b] for t in ["N° 1145 10 July"] for a, b, _ in find_dates(t)] == ["10 July"]


def test_years_and_times_come_from_the_letter_then_its_parent(whens) -> None:
    inner = Letter(
        kind="telegram",
        quoted=True,
        body=[Paragraph([Text("The delegates arrived at 0912 and met at 1500 on 10 July.")])],
        closer=[Part("signed", [Text("Li Kenong.")]), Part("dateline", [Text("1145 10 July")])],
    )
    outer = Letter(
        kind="cable",
        head=[ArchivalNote("transmission", [Text("from Beijing received 1750 11 July 1951")])],
        body=[Paragraph([Text("the telegrams of 10 July")]), inner],
        closer=[Part("dateline", [Text("11 July")])],
    )
    record = Record(title="T", date="", document=outer)
    mark_dates(record)
    assert dated(outer.closer[0].children, whens) == [
        ("11 July", "date", {"when": "1951-07-11", "cert": "high", "evidence": "internal"})
    ]
    assert dated(inner.closer[1].children, whens) == [
        (
            "1145 10 July",
            "date",
            {"when": "1951-07-10T11:45:00", "cert": "high", "evidence": "internal"},
        )
    ]
    assert [values(w)["when"] for w in whens(inner.body[0].children)] == [
        "1951-07-10T09:12:00",
        "1951-07-10T15:00:00",
    ]


def test_the_record_date_is_the_last_resort(whens) -> None:
    para = Paragraph([Text("We met on 10 July.")])
    mark_dates(Record(title="T", date="July 11, 1951", document=Letter(kind="memo", body=[para])))
    assert values(whens(para.children)[0])["when"] == "1951-07-10"


def test_the_nearest_year_across_new_year(whens) -> None:
    para = Paragraph([Text("your telegram of 28 December and the meeting of 2 January")])
    mark_dates(
        Record(title="T", date="January 3, 1951", document=Letter(kind="cable", body=[para]))
    )
    assert [values(w)["when"] for w in whens(para.children)] == ["1950-12-28", "1951-01-02"]


def test_cert_falls_with_distance_from_the_context(whens) -> None:
    para = Paragraph([Text("on 20 April and on 1 March")])
    mark_dates(Record(title="T", date="July 11, 1951", document=Letter(kind="cable", body=[para])))
    assert [(w.when, w.cert) for w in whens(para.children)] == [
        ("1951-04-20", "medium"),
        ("1951-03-01", "medium"),
    ]
    para = Paragraph([Text("on 1 January and on 1 August")])
    mark_dates(Record(title="T", date="July 11, 1951", document=Letter(kind="cable", body=[para])))
    # the past is preferred: 1 January 1951, not 1952, though both are about half a year off
    assert [(w.when, w.cert) for w in whens(para.children)] == [
        ("1951-01-01", "low"),
        ("1951-08-01", "high"),
    ]


def test_without_any_context_a_time_stays_a_time(whens) -> None:
    para = Paragraph([Text("They arrived at 0912 on 10 July.")])
    mark_dates(Record(title="T", document=Letter(kind="memo", body=[para])))
    assert [values(w) for w in whens(para.children)] == [{}]  # "0912 on 10 July": no year
    para = Paragraph([Text("They arrived at 0912.")])
    mark_dates(Record(title="T", document=Letter(kind="memo", body=[para])))
    assert [values(w) for w in whens(para.children)] == [{"when": "09:12:00"}]


def test_dated_headings_date_the_entries_below_them(whens) -> None:
    body = [
        Heading([Text("10 July 1951")]),
        Paragraph([Text("Left at 0700.")]),
        Heading([Text("11 July 1951")]),
        Paragraph([Text("Resumed at 0930 on 12 July.")]),
    ]
    mark_dates(Record(title="T", document=Letter(kind="diary", body=body)))
    assert [w.when for b in body for w in whens(b.children)] == [
        "1951-07-10",
        "1951-07-10T07:00:00",
        "1951-07-11",
        "1951-07-12T09:30:00",
    ]


def test_supplied_digits_and_quotations(whens) -> None:
    from tei_cable.model import Bracketed

    para = Paragraph([Text("to be paid in 195"), Bracketed("supplied", [Text("1")]), Text(".")])
    quote = Quotation([Paragraph([Text("received on 5 March 1949")])])
    mark_dates(Record(title="T", document=Letter(kind="letter", body=[para, quote])))
    assert [w.when for w in whens(para.children)] == ["1951"]
    assert [w.when for w in whens(quote.blocks[0].children)] == ["1949-03-05"]


def test_a_time_with_a_supplied_date_is_one_date(whens) -> None:
    from tei_cable.model import Bracketed

    supplied = Bracketed("supplied", [Text("16 December")])
    para = Paragraph(
        [
            Text("Received at 00:35 on "),
            Bracketed("supplied", [Text("17 December")]),
            Text(" local time; on "),
            supplied,
            Text("."),
        ]
    )
    mark_dates(Record(title="T", date="December 17, 1947", document=Letter("cable", [para])))
    assert [(plain_text(w.children), w.when) for w in whens(para.children)] == [
        ("00:35 on [17 December]", "1947-12-17T00:35:00"),
        ("16 December", "1947-12-16"),
    ]
    assert isinstance(supplied.children[0], When)  # a date wholly supplied stays inside


@pytest.mark.parametrize(
    ("text", "surface", "when"),
    [
        ("Received 06 hours 10 minutes", "06 hours 10 minutes", "1950-11-15T06:10:00"),
        (
            "communicated at 20 hours 30 minutes local time 15.11.",
            "20 hours 30 minutes local time 15.11",
            "1950-11-15T20:30:00",
        ),
    ],
)
def test_times_in_words(enrich_text: Enrich, whens, text: str, surface: str, when: str) -> None:
    found = dated(enrich_text(text, date="November 15, 1950"), whens)
    assert [(s, v["when"]) for s, _k, v in found] == [(surface, when)]
