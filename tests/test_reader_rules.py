"""The reader's rules, one by one, on small records written for each."""

from __future__ import annotations

import random

import pytest
from lxml import etree

from tei_cable.convert import convert_record
from tei_cable.lossless import check_lossless
from tei_cable.model import Bracketed, Letter, ListBlock, NoteRef, Paragraph, Quotation, plain_text
from tei_cable.readers import read_record
from tei_cable.readers.wilson.inline import classify_bracket
from tei_cable.writers.native import write_native

FRONT = "**May 1, 1950  \nTelegram, A to B**\n\n**Summary:**\n\nA test.\n\n"


def body(text: str):
    return read_record(FRONT + text).document


def test_front_matter_with_sections_missing_and_added() -> None:
    record = read_record(
        "**1950  \nNote, Somebody to Somebody Else**\n\n**Record ID:**\n\n42\n\n"
        "**Summary:**\n\nShort.\n\nFirst line of the document.\n"
    )
    assert record.date == "1950" and record.title == "Note, Somebody to Somebody Else"
    assert [s.label for s in record.sections] == ["Record ID", "Summary"]
    assert record.citation == "" and record.contents == []
    assert plain_text(record.document.body[0].children) == "First line of the document."


def test_address_on_another_host_gives_the_record_id() -> None:
    record = read_record(
        '**Title**\n\n**Citation:**\n\n"Title," 1950.\n\n<https://example.org/document/abc-12>\n\n'
        "Text.\n"
    )
    assert record.url == "https://example.org/document/abc-12"
    assert record.identifier == "abc-12"


def test_title_names_kind_senders_and_addressees() -> None:
    record = read_record("**Ciphered Telegram No. 12, Vyshinsky and Gromyko to Mao Zedong**\n\nx\n")
    assert record.title_senders == ["Vyshinsky", "Gromyko"]
    assert record.title_addressees == ["Mao Zedong"]
    assert record.document.kind == "telegram"


def test_quote_closing_after_the_signature_on_its_own_line() -> None:
    letter = body('Text follows:\n\n"Comrade X!\n\nWe agree.\n\nIvan Petrov\n"\n\nEnd.\n')
    nested = [b for b in letter.body if isinstance(b, Letter)]
    assert len(nested) == 1
    assert [p.role for p in nested[0].closer] == ["signed"]
    assert nested[0].closer[-1].trail.strip() == '"'
    assert plain_text(letter.body[-1].children) == "End."


def test_signature_and_date_run_into_a_paragraph_are_split_off() -> None:
    letter = body(
        '"To Cde. Mao Zedong. Copies to Cde. Peng Dehuai. We agree with you. '
        'Ivan Petrov. 1200 10 May".\n'
    )
    nested = letter.body[0]
    assert isinstance(nested, Letter)
    assert [p.role for p in nested.opener] == ["addressee", "copies"]
    assert plain_text(nested.body[0].children).rstrip() == "We agree with you."
    assert [plain_text(p.children) for p in nested.closer] == ["Ivan Petrov.", "1200 10 May"]


def test_unclosed_quotation_is_reported_and_runs_to_the_end() -> None:
    record = read_record(FRONT + 'Intro:\n\n"Some quoted text\n\nmore text.\n')
    assert any(d.code == "R201" for d in record.diagnostics)


def test_list_survives_a_stray_blank_line_and_a_continuation_paragraph() -> None:
    letter = body("Agenda:\n1. One.\n2. Two.\n\n3. Three.\nA note on three.\n4. Four.\nAfter.\n")
    lists = [b for b in letter.body if isinstance(b, ListBlock)]
    assert len(lists) == 1
    assert [i.n for i in lists[0].items] == ["1", "2", "3", "4"]
    assert isinstance(lists[0].items[2].blocks[0], Paragraph)
    assert plain_text(letter.body[-1].children) == "After."


def test_a_number_that_does_not_start_a_list_stays_a_paragraph() -> None:
    letter = body("Introduction.\n\n7. This is not a list.\n")
    assert all(isinstance(b, Paragraph) for b in letter.body)


def test_nested_numbering_styles() -> None:
    letter = body("1. A:\n(a) x;\n(b) y.\n2. B:\n(i) p;\n(ii) q.\n")
    outer = letter.body[0]
    assert isinstance(outer, ListBlock) and outer.style == "arabic"
    assert [b.style for b in outer.items[0].blocks] == ["lower-alpha-paren"]
    assert [b.style for b in outer.items[1].blocks] == ["lower-roman-paren"]


def test_paragraph_broken_across_a_blank_line_is_rejoined_with_a_page_break() -> None:
    letter = body("We discussed the question at great length and it was\n\ndecided to wait.\n")
    assert len(letter.body) == 1
    assert "⟨pb⟩" in write_native(
        read_record(
            FRONT + "We discussed the question at great length and it was\n\ndecided to wait.\n"
        )
    )


def test_apparatus_lines_in_lower_case_are_not_joined_to_the_line_before() -> None:
    letter = body("Copy N° 3 to Cde. Stalin\nfrom [MOSCOW] received 1200 1 May 1950\n\nText.\n")
    assert [b.kind for b in letter.head] == ["distribution", "transmission"]


def test_single_newline_paragraphs_and_hyphenation() -> None:
    letter = body("First sentence here.\nSecond sentence here.\nThe negoti-\nations ended.\n")
    texts = [plain_text(b.children) for b in letter.body]
    assert texts == ["First sentence here.", "Second sentence here.", "The negoti-\nations ended."]


@pytest.mark.parametrize(
    ("content", "before", "after", "kind", "reason"),
    [
        ("BEIJING", "from ", " received", "supplied", None),
        ("myko", "Gro", "'s", "supplied", None),
        ("1", "195", "", "supplied", None),
        ("Stalin", "FILIPPOV ", "", "gloss", None),
        ("signature", "MAJOR ", " (X)", "gap", "signature"),
        ("stamp", "", "", "gap", "stamp"),
        ("...", "peace ", " to", "gap", "omitted"),
        ("3-4 illegible letters", "after ", "", "gap", "illegible"),
        ("SIC", "Union ", "", "sic", None),
        ("handwritten", "", "", "note", None),
        ("1", "reception.", " We", "noteref", None),
    ],
)
def test_editorial_brackets(content, before, after, kind, reason) -> None:
    assert classify_bracket(content, before, after) == (kind, reason)


def test_footnote_marker_without_a_note_is_a_supplied_bracket() -> None:
    letter = body("He said [1] nothing.\n")
    spans = letter.body[0].children
    assert not any(isinstance(s, NoteRef) for s in spans)
    assert any(isinstance(s, Bracketed) and s.kind == "supplied" for s in spans)


def test_multiparagraph_quotation_without_letter_shape_is_a_quotation() -> None:
    letter = body('He wrote that\n\n"the war must end\n\nsoon, and we agree."\n\nEnd.\n')
    assert any(isinstance(b, Quotation) for b in letter.body)


# -- never a crash, never a lost word ---------------------------------------------------------

PIECES = [
    "To Cde. X.",
    '"',
    "“",
    "”",
    "«",
    "»",
    "[",
    "]",
    "[signature]",
    "[1]",
    "**",
    "<sup>",
    "</sup>",
    "1.",
    "(a)",
    "a)",
    "(i)",
    "１．",
    "一、",
    "---",
    "Copy N° 2",
    "Li Kenong. 1145 10 July",
    "Comrade Y!",
    "FROM: Moscow",
    "Stalin:",
    "M E M O",
    "SECRET",
    "\n",
    "\n\n",
    "text",
    "more words",
    "毛泽东",
    "Pyŏngyang",
    "'",
    "(",
    ")",
    "N° 12",
    "№ 3",
    "10 July 1951",
    "1750",
    "Dear Sir,",
    '№ 12"',
    "With respect,",
    '"To Cde. Mao Zedong.',
    'Mao Zedong".',
    "[Stamp: X",
    "Y]",
    "hostilities.",
    "2.X.50",
    "negoti-",
    "ations",
]


@pytest.mark.parametrize("seed", range(120))
def test_random_bodies_convert_losslessly(seed: int) -> None:
    rng = random.Random(seed)
    text = " ".join(rng.choice(PIECES) for _ in range(rng.randint(1, 80)))
    result = convert_record(FRONT + text)
    report = result.lossless()
    assert report.ok, f"{text!r}: {report.explain()}"


def test_lossless_check_finds_a_lost_word_and_ignores_corrections() -> None:
    source = "**T**\n\n**Summary:**\n\nS.\n\nCde. Nam II said no.\n"
    result = convert_record(source)
    assert result.lossless().ok
    data = result.to_bytes()
    assert b'<sic>Nam II</sic><corr type="ocr">Nam Il</corr>' in data
    lost = etree.fromstring(data.replace(b" said no", b" no"))
    assert not check_lossless(result.record.body_text, lost).ok
    # the reading in sic is the source's text; the correction in corr is not compared
    swapped = data.replace(
        b'<sic>Nam II</sic><corr type="ocr">Nam Il</corr>',
        b'<sic>Nam Il</sic><corr type="ocr">Nam II</corr>',
    )
    assert not check_lossless(result.record.body_text, etree.fromstring(swapped)).ok


def test_a_closing_mark_after_a_lone_number_is_kept() -> None:
    source = FRONT + 'Intro:\n\n"To Cde. Mao Zedong. The text.\n\nWith respect,\n\n№ 12"\n'
    result = convert_record(source)
    assert result.lossless().ok, result.lossless().explain()
    assert b'12</idno>"' in result.to_bytes()
