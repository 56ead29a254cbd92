"""Every input a clean outcome (issue 13, cases 4–7).

Control characters, input nested deeper than any letter is, repeated footnote labels: each
once gave a traceback, a file the project's own tools refused, or an ill-formed document. Each
case is here as it was found, with what the converter must do instead.
"""

from __future__ import annotations

from collections import Counter

import pytest
from conftest import RECORDS
from lxml import etree

from tei_cable.convert import convert_record, convert_records
from tei_cable.validate.runner import Validator

NS = {"t": "http://www.tei-c.org/ns/1.0"}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
FRONT = (
    (RECORDS / "letter-footnotes.txt")
    .read_text(encoding="utf-8")
    .partition("- English Translation\n")[0]
)


def record(body: str) -> str:
    """A record: the front matter of a real one, then ``body`` as its document."""
    return f"{FRONT}- English Translation\n\n{body}\n"


@pytest.fixture(scope="module")
def validator() -> Validator:
    return Validator("tei_cable").compile()


def assert_sound(validator: Validator, text: str) -> bytes:
    """The record converts; nothing is lost; the TEI is valid and reads back with any parser."""
    conversions = convert_records(text, path="r.txt")
    report = conversions.lossless()
    assert report.ok, report.explain("r.txt")
    data = conversions[0].to_bytes()
    etree.fromstring(data, etree.XMLParser(huge_tree=False))  # libxml2's default limits
    issues = validator.validate_bytes(data, "r.xml").issues
    assert [f"{i.line}: {i.message}" for i in issues] == []
    return data


# -- case 7: ids unique whatever the input -----------------------------------------------------


def test_a_repeated_footnote_label_gives_distinct_ids_each_reference_its_own_note(
    validator,
) -> None:
    text = record("A text.[2] More.[2] And [1].\n\n[1] One.\n\n[2] First note.\n\n[2] Second note.")
    root = etree.fromstring(assert_sound(validator, text))
    ids = [e.get(XML_ID) for e in root.iter() if e.get(XML_ID)]
    assert [i for i, n in Counter(ids).items() if n > 1] == []
    notes = root.findall(".//t:back//t:note", NS)
    assert [(n.get(XML_ID), n.get("n")) for n in notes] == [
        ("fn1", "1"),
        ("fn2", "2"),
        ("fn2-2", "2"),
    ]
    body_refs = [r.get("target") for r in root.findall(".//t:body//t:ref[@type='footnote']", NS)]
    assert body_refs == ["#fn2", "#fn2-2", "#fn1"]
    # a note's own label points at the note itself
    for note in notes:
        assert note.find("t:ref", NS).get("target") == f"#{note.get(XML_ID)}"


def test_more_references_than_notes_point_at_the_last_note() -> None:
    text = record("See [3], again [3], once more [3].\n\n[3] The note.")
    root = convert_record(text).tree.getroot()
    refs = [r.get("target") for r in root.findall(".//t:body//t:ref[@type='footnote']", NS)]
    assert refs == ["#fn3", "#fn3", "#fn3"]


def test_the_last_step_of_writing_renames_any_repeated_id() -> None:
    from tei_cable.writers.tei.build import E
    from tei_cable.writers.tei.ids import make_ids_unique

    root = E(
        "TEI",
        {},
        E("p", {XML_ID: "a"}),
        E("p", {XML_ID: "a"}),
        E("p", {XML_ID: "a-2"}),
        E("p", {XML_ID: "2x"}),
    )
    assert make_ids_unique(root) == 2
    assert [p.get(XML_ID) for p in root] == ["a", "a-3", "a-2", "id-2x"]


def test_a_corpus_of_records_with_repeated_labels_has_unique_ids() -> None:
    one = record("A text.[2]\n\n[2] Note.\n\n[2] Again.")
    corpus = convert_records(one + "\n" + one).to_corpus()
    ids = [e.get(XML_ID) for e in corpus.iter() if e.get(XML_ID)]
    assert len(ids) == len(set(ids)) and len(ids) > 4
