"""tei_cable's Schematron runs in libxml2, with the findings of elementpath and of the
constraints as first written (``data/tei_cable_constraints_as_written.sch``): rule, severity,
line, column and message, on crafted documents for each rule and on mutated real ones."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import pytest
from conftest import REPO
from elementpath import XPath2Parser
from elementpath.datatypes import UntypedAtomic
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from tei_cable.schemas import resolve
from tei_cable.schematron.datetimes import TYPES, castable
from tei_cable.schematron.engine import SchematronValidator
from tei_cable.xmlio import safe_parser

HERE = Path(__file__).resolve().parent
AS_WRITTEN = HERE / "data" / "tei_cable_constraints_as_written.sch"
TEI = "http://www.tei-c.org/ns/1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


@pytest.fixture(scope="module")
def engines() -> tuple[SchematronValidator, SchematronValidator, SchematronValidator]:
    packaged = resolve("tei_cable").files["sch"]
    return (
        SchematronValidator(packaged),
        SchematronValidator(packaged, compiled=False),
        SchematronValidator(AS_WRITTEN, compiled=False),
    )


def findings(validator: SchematronValidator, data: bytes, rules: set[str] | None = None):
    try:
        tree = etree.ElementTree(etree.fromstring(data, safe_parser()))
    except etree.XMLSyntaxError:  # repeated xml:id values: parsed as the validator does
        tree = etree.ElementTree(etree.fromstring(data, safe_parser(recover=True)))
    return sorted(
        (i.rule, i.severity, i.line, i.column, i.message)
        for i in validator.validate(tree, source=data)
        if rules is None or i.rule in rules
    )


def same_findings(engines, data: bytes) -> list[tuple]:
    """The libxml2 run's findings, checked against elementpath's and the first forms'."""
    compiled, elementpath_only, as_written = engines
    found = findings(compiled, data)
    assert found == findings(elementpath_only, data)
    ours = {r.rule_id for p in as_written.patterns for r in p.rules}
    assert [f for f in found if f[0] in ours] == findings(as_written, data, ours)
    return found


def test_every_pattern_of_tei_cable_runs_in_libxml2(engines) -> None:
    compiled = engines[0]
    assert compiled.libxml2_pattern_count == len(compiled.patterns) == 26


def document(header: str = "", body: str = "") -> bytes:
    return (
        f'<TEI xmlns="{TEI}"><teiHeader><profileDesc>{header}</profileDesc></teiHeader>'
        f"<text><body>{body}</body></text></TEI>"
    ).encode()


DATES = [
    "1950",
    "1950-02-29",
    "1952-02-29",
    "1900-02-29",
    "2000-02-29",
    "-0004-02-29",
    "-0001-02-29",
    "1950-13-01",
    "1950-00-10",
    "1950-06-31",
    "1950-06-30T25:00:00",
    "1950-06-30T24:00:00",
    "1950-06-30T24:00:01",
    "9999-12-31T24:00:00",
    "24:00:00",
    "23:59:60",
    "12:00:00.123456789",
    "-0044-03-15",
    "0000",
    "0000-01-01",
    "12345",
    "012345",
    "1950-01-01Z",
    "1950-01-01+14:00",
    "1950-01-01-14:00",
    "1950-01-01+14:01",
    "1950-01-01+13:59",
    " 1950 ",
    "\u00a01950",
    "1950-1-1",
    "",
    "1950-05",
    "1950-05Z",
    "1951-05-03T10:00:00.5-05:00",
    "abc",
    "1950\n",
    "\uff11950",
]


@pytest.mark.parametrize("value", DATES)
def test_real_dates(engines, value: str) -> None:
    attr = etree.Element("x", when=value).attrib  # the value as an attribute writes it
    written = etree.tostring(etree.Element("date", when=attr["when"])).decode()[6:-2]
    data = document(body=f"<p><date {written} notBefore='1950-02-30'/></p>")
    found = same_findings(engines, data)
    expected_bad = not any(castable(value, t) for t in TYPES)
    messages = [f[4] for f in found if f[0] == "TEI-real-dates"]
    assert len(messages) == 1
    assert messages[0].startswith('@when="' if expected_bad else '@notBefore="1950-02-30"')


POINTERS = ["#a", "#a #b", "#nope", "#", "a", "#a #nope", "#b\t#a", "# a", "#c", ""]
IDS = ['xml:id="a"', 'xml:id="b"', 'xml:id=" c "', 'xml:id="a"']


@pytest.mark.parametrize(("pointer", "attr"), list(itertools.product(POINTERS, ["ref", "target"])))
def test_local_pointers(engines, pointer: str, attr: str) -> None:
    body = f'<p {IDS[0]}><name {attr}="{pointer}" source="#b"/></p><p {IDS[1]}/><p {IDS[2]}/>'
    found = same_findings(engines, document(body=body))
    bad = [p for p in pointer.split() if p.startswith("#") and p[1:] not in ("a", "b")]
    messages = [f[4] for f in found if f[0] == "TEI-local-pointers"]
    assert bool(messages) == bool(bad)
    if bad:
        assert messages == [
            "Pointer "
            + ", ".join(f'@{attr}="{p}"' for p in bad)
            + " does not resolve: no element of this document has that xml:id."
        ]


LETTERS = [  # @corresp, the letter's @decls, how many findings
    ('corresp="#L1"', 'decls="#cd1"', 0),
    ('corresp="#L1"', 'decls="#cd2 #cd1"', 0),
    ('corresp="#L1"', 'decls="#cd2"', 1),
    ('corresp="#L1"', "", 1),
    ('corresp="#nope"', 'decls="#cd1"', 2),
    ('corresp="L1"', 'decls="#cd1"', 2),
    ('corresp="#L1 #L2"', 'decls="#cd1"', 0),  # the id "#L2" names nothing
    ('corresp="#L1 L2"', 'decls="#cd1"', 2),  # two letters: XPath 2.0 refuses normalize-space()
    ('corresp="#P1"', 'decls="#cd1"', 1),
    ('corresp=" #L1 "', 'decls=" #cd1 "', 0),
]


@pytest.mark.parametrize(("corresp", "decls", "count"), LETTERS)
def test_correspdesc_points_at_a_letter(engines, corresp: str, decls: str, count: int) -> None:
    header = f'<correspDesc xml:id="cd1" {corresp}/>'
    body = f'<div xml:id="L1" {decls}/><div xml:id="L2" decls="#cd1"/><p xml:id="P1" {decls}/>'
    found = same_findings(engines, document(header, body))
    rule = "correspDesc-corresp-points-at-a-letter"
    assert len([f for f in found if f[0] == rule]) == count, found


SENT = [
    'when="1950-05-20"',
    'when="1900-05-20"',
    'notBefore="1950-05" when="1951"',
    'when="1951" notBefore="1950-05"',
    'from="1950-05-10" to="1950-06"',
    "",
]
QUOTING = [
    ('when="1950-05-21"', ""),
    ('when="1950-05"', 'when="1950-05-10"'),
    ('when="1900-05"', 'when="1900-05-10"'),
    ('notAfter="1950-04"', 'to="1949"'),
    ("", ""),
    ('when="1951"', 'notAfter="1950-05-19T10:00:00"'),
]


@pytest.mark.parametrize(("mine", "theirs"), list(itertools.product(SENT, QUOTING)))
@pytest.mark.parametrize("element", ["date", "time"])
def test_quoted_not_later(engines, mine: str, theirs: tuple[str, str], element: str) -> None:
    header = (
        f'<correspDesc xml:id="cd1" corresp="#L1"><correspAction type="sent"><{element} {mine}/>'
        '</correspAction><correspContext><ref type="quotedIn" target="#L2"/></correspContext>'
        '</correspDesc><correspDesc xml:id="cd2" corresp="#L2"><correspAction type="sent">'
        f'<date {theirs[0]}/></correspAction><correspAction type="received"><{element} '
        f"{theirs[1]}/></correspAction></correspDesc>"
    )
    body = '<div xml:id="L1" decls="#cd1"/><div xml:id="L2" decls="#cd2"/>'
    same_findings(engines, document(header, body))


def test_a_letter_dated_after_the_one_quoting_it(engines) -> None:
    header = (
        '<correspDesc xml:id="cd1" corresp="#L1"><correspAction type="sent"><date '
        'when="1900-05-20"/></correspAction><correspContext><ref type="quotedIn" '
        'target="#L2"/></correspContext></correspDesc><correspDesc xml:id="cd2" corresp="#L2">'
        '<correspAction type="sent"><date when="1900-05"/><date when="1900-05-10"/>'
        "</correspAction></correspDesc>"
    )
    body = '<div xml:id="L1" decls="#cd1"/><div xml:id="L2" decls="#cd2"/>'
    found = same_findings(engines, document(header, body))
    assert [f[4] for f in found if f[0] == "correspDesc-quoted-not-later"] == [
        "this letter is dated 1900-05-20, after the letter that quotes it (1900-05-10)."
    ]


SPANS = ["#a", "#b", "#s", "#inner", "#nope", "#a b", "#outer"]


@pytest.mark.parametrize("span", SPANS)
def test_span_to_points_forward(engines, span: str) -> None:
    body = (
        '<div xml:id="outer"><p xml:id="b">before</p>'
        f'<p><addSpan xml:id="s" spanTo="{span}"><anchor xml:id="inner"/></addSpan>text</p>'
        '<p xml:id="a">after</p></div>'
    )
    found = same_findings(engines, document(body=body))
    failing = [f for f in found if f[0] == "att.spanning-spanTo-spanTo-points-to-following"]
    assert bool(failing) == (span not in ("#a", "#inner"))


def _mutated(data: bytes, rng: random.Random) -> bytes:
    root = etree.fromstring(data, safe_parser())
    elements = list(root.iter(etree.Element))
    ids = [e.get(XML_ID) for e in elements if e.get(XML_ID)]
    for _ in range(rng.randint(1, 4)):
        element = rng.choice(elements)
        kind = rng.randrange(6)
        if kind == 0:
            element.set(
                rng.choice(["when", "from", "to", "notBefore", "notAfter"]), rng.choice(DATES)
            )
        elif kind == 1:
            pointers = (f"#{rng.choice([*ids, 'nope'])}" for _ in range(rng.randint(1, 3)))
            element.set(
                rng.choice(["ref", "corresp", "target", "decls", "spanTo"]), " ".join(pointers)
            )
        elif kind == 2 and element.get(XML_ID):
            del element.attrib[XML_ID]
        elif kind == 3:
            element.set(XML_ID, rng.choice(ids))
        elif kind == 4:
            for date in root.iter(f"{{{TEI}}}date"):
                if rng.random() < 0.4:
                    date.set(rng.choice(["when", "notBefore", "notAfter"]), rng.choice(DATES))
        elif element.getparent() is not None:
            element.getparent().remove(element)
            elements = list(root.iter(etree.Element))
    return etree.tostring(root, encoding="utf-8", xml_declaration=True)


@pytest.mark.parametrize("seed", range(12))
def test_mutated_records_give_the_same_findings(engines, seed: int) -> None:
    rng = random.Random(seed)
    sources = sorted((REPO / "encoded").glob("*.xml"))
    same_findings(engines, _mutated(rng.choice(sources).read_bytes(), rng))


def test_the_records_give_the_same_findings(engines) -> None:
    for path in sorted((REPO / "encoded").glob("*.xml")):
        same_findings(engines, path.read_bytes())


_PARSER = XPath2Parser()
_CASTS = {t: _PARSER.parse(f"$v castable as xs:{t}") for t in TYPES}


def _elementpath_castable(value: str, type_name: str) -> bool | None:
    """elementpath's verdict on an untyped value; ``None`` where it raises."""
    from elementpath import XPathContext

    try:
        context = XPathContext(etree.Element("x"), variables={"v": UntypedAtomic(value)})
        return bool(_CASTS[type_name].evaluate(context))
    except Exception:
        return None


DATE_CHARS = st.sampled_from([*"0123456789-:TZ+. \t\n", "\u00a0", "\u0660"])


@settings(max_examples=600, deadline=None)
@given(
    st.one_of(
        st.text(DATE_CHARS, max_size=30),
        st.lists(st.sampled_from([*DATES, "14:00", "24:00:00", "-", "T"]), max_size=3).map("".join),
        st.builds(
            "{}{:04d}-{:02d}-{:02d}{}{}".format,
            st.sampled_from(["", "-", "1", "0"]),
            st.integers(0, 10000),
            st.integers(0, 13),
            st.integers(0, 32),
            st.sampled_from(["", "T24:00:00", "T23:59:59.999", "T12:60:00", "T00:00:00"]),
            st.sampled_from(["", "Z", "+14:00", "-14:00", "+14:30", "+13:59", "-00:00"]),
        ),
    ),
    st.sampled_from(sorted(TYPES)),
)
def test_castable_is_elementpaths(value: str, type_name: str) -> None:
    expected = _elementpath_castable(value, type_name)
    if expected is None:
        with pytest.raises(ValueError):
            castable(value, type_name)
    else:
        assert castable(value, type_name) == expected, (value, type_name)


def test_a_document_changed_between_two_runs_is_judged_afresh(engines) -> None:
    """The values kept per document (``//@xml:id`` for the pointers) are not reused when the
    same tree is validated again after a change."""
    compiled, elementpath_only, _ = engines
    root = etree.fromstring(document(body='<p xml:id="a"><name ref="#a"/></p>'))
    tree = etree.ElementTree(root)

    def pointers(validator: SchematronValidator) -> list[str]:
        return [i.message for i in validator.validate(tree) if i.rule == "TEI-local-pointers"]

    assert pointers(compiled) == pointers(elementpath_only) == []
    root[1][0][0].set(XML_ID, "b")  # the p's id changes: #a resolves no more
    assert pointers(compiled) == pointers(elementpath_only) != []
