"""The converter's own enrichers: apparatus corrections, document numbers, letter ids."""

from __future__ import annotations

import pytest

from tei_cable.enrich import EnrichContext, run_enrichers
from tei_cable.enrich.corrections import correction
from tei_cable.enrich.pipeline import default_enrichers
from tei_cable.model import Choice, Letter, Number, plain_text
from tei_cable.readers import read_record
from tei_cable.writers.native import write_native

FRONT = "**May 1, 1950  \nCable, A to B**\n\n**Summary:**\n\nA test.\n\n"


def enriched(body: str):
    record = read_record(FRONT + body)
    run_enrichers(record, default_enrichers(), EnrichContext())
    return record


@pytest.mark.parametrize(
    ("word", "fixed"),
    [
        ("CABLi", "CABLE"),
        ("C0PY", "COPY"),
        ("TELEGRAi", "TELEGRAM"),
        ("SERiES", "SERIES"),
        ("CABLE", None),
        ("Moscow", None),
        ("SECRFT", None),
        ("NO", None),
    ],
)
def test_apparatus_word_corrections(word: str, fixed: str | None) -> None:
    assert correction(word) == fixed


def test_correction_keeps_the_reading() -> None:
    record = enriched("CABLi N° 123\n\nText.\n")
    note = record.document.head[0]
    choice = next(s for s in note.children if isinstance(s, Choice))
    assert plain_text(choice.sic) == "CABLi" and plain_text(choice.corr) == "CABLE"
    assert plain_text(note.children) == "CABLi N° 123"  # the reading, not the correction


def test_numbers_are_typed_by_the_words_before_them() -> None:
    record = enriched(
        "CABLE N° 21680\nCopy N° 1 to Cde. X\nIncoming N° 532/2343/shs 11 July 1951\n\n"
        "I submit attachment № 2 to report № 1 about 48 people.\n"
    )
    numbers = [
        (n.type, plain_text(n.children))
        for spans in _all_spans(record.document)
        for n in spans
        if isinstance(n, Number)
    ]
    assert numbers == [
        ("cable", "21680"),
        ("copy", "1"),
        ("incoming", "532/2343/shs"),
        ("attachment", "2"),
        ("report", "1"),
    ]


def _all_spans(letter: Letter):
    from tei_cable.model import letter_inlines

    yield from letter_inlines(letter)


def test_letter_ids_follow_the_nesting() -> None:
    record = enriched(
        'Intro:\n\n"To Cde. Mao Zedong. Text one.\n\n'
        '"Comrade Stalin!\n\nInner text.\n\nIvan Petrov\n10 May 1950"\n\n'
        'Li Kenong. 1145 10 May".\n\n"To Cde. Kim Il Sung. Text two. Li Kenong. 1200 10 May".\n'
    )
    ids = [letter.id for letter in record.letters()]
    assert ids == ["L1", "L1.1", "L1.1.1", "L1.2"], write_native(record)
