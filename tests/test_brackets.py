"""Editorial brackets by what they mean, not by their form: supplied text, gaps and
redactions, glosses and other forms of a name, footnote markers, [sic] around the word it
qualifies, handwritten remarks, and quoted terms."""

from __future__ import annotations

import pytest
from conftest import RECORDS

from tei_cable.convert import convert_record
from tei_cable.model import Bracketed, Choice, Text
from tei_cable.readers.wilson.inline import InlineParser, classify_bracket
from tei_cable.xmlio import TEI_NS


@pytest.mark.parametrize(
    ("inner", "before", "after", "expected"),
    [
        ("1", "the reception.", " We", ("noteref", None)),
        ("0", "in 195", " as", ("supplied", None)),
        ("myko", "Gro", " said", ("supplied", None)),
        ("Paragraph's first line … redacted", "", "", ("gap", "redacted")),
        ("Paragraph's first line not declassified", "", "", ("gap", "redacted")),
        ("signature", "", "", ("gap", "signature")),
        ("Stalin", "FILIPPOV ", ".", ("gloss", None)),
        ("Ri Jong Mok", "Minister Ri Jong-mok ", " at his", ("gloss", None)),
        ("Ministry of the Revolutionary Armed Forces’", "to Minfar’s ", " list", ("gloss", None)),
        ("Yi", "Foreign Minister Chen ", " to the", ("supplied", None)),
        ("People's", "Korean ", " Army", ("supplied", None)),
        ("The", "", " Chinese side", ("supplied", None)),
        ("sic", "in BEIPING ", "", ("sic", None)),
        ("not further identified", "Lopez ", " is", ("note", None)),
        ("handwritten: to file", "No. 215 ", "", ("note", None)),
    ],
)
def test_what_a_bracket_means(inner: str, before: str, after: str, expected: tuple) -> None:
    assert classify_bracket(inner, before, after) == expected


def test_sic_marks_the_word_it_qualifies_and_keeps_every_character() -> None:
    spans = InlineParser().parse("read in BEIPING [SIC] on 12 May")
    assert spans[:2] == [Text("read in "), Choice(sic=[Text("BEIPING")], corr=[])]
    assert isinstance(spans[3], Bracketed) and spans[3].kind == "sic"


def test_the_fixture_encodes_each_bracket_by_its_meaning() -> None:
    source = RECORDS / "brackets-names.txt"
    result = convert_record(source.read_text(encoding="utf-8"), path=source.name)
    assert result.lossless().ok
    text = result.tree.find(f"{{{TEI_NS}}}text")
    found = {el.tag.split("}")[1] for el in text.iter() if isinstance(el.tag, str)}
    assert {"gloss", "gap", "sic", "soCalled", "mentioned", "rs", "ref"} <= found
    assert text.find(f".//{{{TEI_NS}}}gap[@reason='redacted']/{{{TEI_NS}}}desc") is not None
    # a handwritten note: a note of its own, or a seg inside the apparatus note that holds it
    assert (
        text.find(f".//{{{TEI_NS}}}note[@type='handwritten']") is not None
        or text.find(f".//{{{TEI_NS}}}note//{{{TEI_NS}}}seg[@type='handwritten']") is not None
    )
    notes = text.iter(f"{{{TEI_NS}}}note")
    assert not any(n.find(f".//{{{TEI_NS}}}note") is not None for n in notes)
    assert text.find(f".//{{{TEI_NS}}}q") is None  # only quoted terms in this record
    glossed = text.find(f".//{{{TEI_NS}}}gloss/{{{TEI_NS}}}persName")
    assert glossed.text == "Ri Jong Mok" and glossed.get("ref") == "#ri_jong_mok"
