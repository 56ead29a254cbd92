"""The RELAX NG engine: libxml2's verdict, Jing's words, exact positions.

Each mutation of a valid file breaks it in one way; the engine must say what is wrong, at the
right line and column, in the terms Jing (the reference RELAX NG validator) uses, including
what was expected there. A second test runs Jing itself on the same files and checks that
every error Jing reports is reported here too, on the same line.
"""

from __future__ import annotations

import re

import pytest
from conftest import jing
from validate_helpers import MINI_RNG, column_of, line_of, mutate, valid_text

from tei_cable.validate.runner import Validator

# name: (old, new, where the issue points, rule, message)
MUTATIONS = {
    "unknown element": (
        "<p>From ",
        "<p><foo/>From ",
        "<foo/>",
        "unknown-element",
        'element "foo" not allowed anywhere; expected the element end-tag, text or element '
        '"date", "hi", "lb" or "persName"',
    ),
    "misspelt element": (
        '<hi rend="italic bold">you</hi>',
        '<hii rend="italic bold">you</hii>',
        "<hii",
        "unknown-element",
        'element "hii" not allowed anywhere; expected the element end-tag, text or element '
        '"date", "hi", "lb" or "persName"; did you mean "hi"?',
    ),
    "element in a wrong place": (
        '<list type="ordered">',
        '<head>late</head><list type="ordered">',
        "<head>late",
        "element-not-allowed",
        'element "head" not allowed here; expected the element end-tag or element "div", '
        '"list" or "p"',
    ),
    "element not allowed yet": (
        "<titleStmt><title>A cable</title></titleStmt>\n",
        "<titleStmt><title>A cable</title></titleStmt>\n<sourceDesc><p>early</p></sourceDesc>\n",
        "<sourceDesc><p>early",
        "element-not-allowed",
        'element "sourceDesc" not allowed yet; expected element "publicationStmt"',
    ),
    "missing required child": (
        "      <sourceDesc><p>Written for the tests.</p></sourceDesc>\n",
        "",
        "<fileDesc>",
        "incomplete-element",
        'element "fileDesc" incomplete; missing required element "sourceDesc"',
    ),
    "empty required content": (
        '<item>One</item><item n="2">Two</item>',
        "",
        '<list type="ordered">',
        "incomplete-element",
        'element "list" incomplete; missing required element "item"',
    ),
    "missing required attribute": (
        '<div type="cable" xml:id="d1">',
        '<div xml:id="d1">',
        "<div",
        "missing-attribute",
        'element "div" missing required attribute "type"',
    ),
    "value outside a closed list": (
        '<div type="cable"',
        '<div type="memo"',
        'type="memo"',
        "attribute-value",
        'value "memo" of attribute "type" is invalid; must be equal to "cable", "letter" or '
        '"telegram"',
    ),
    "bad datatype": (
        'when="1950-10-02"',
        'when="1950-13-02"',
        "when=",
        "attribute-value",
        'value "1950-13-02" of attribute "when" is invalid; must be an ISO date (YYYY-MM-DD), '
        "a year (YYYY) or an ISO year and month (YYYY-MM)",
    ),
    "unknown attribute": (
        "<lb/>",
        '<lb foo="x"/>',
        'foo="x"',
        "attribute-not-allowed",
        'attribute "foo" not allowed here; expected attribute "n", "rend", "xml:id" or "xml:lang"',
    ),
    "missing list token": (
        'ref="https://www.wikidata.org/wiki/Q16977"',
        'ref=" "',
        'ref=" "',
        "attribute-value",
        'value " " of attribute "ref" is invalid; missing token; must be a URI matching the '
        'regular expression "\\S+"',
    ),
    "bad list token": (
        'rend="italic bold"',
        'rend="italic bold\u00a0x"',
        "rend=",
        "attribute-value",
        'value "italic bold\u00a0x" of attribute "rend" is invalid; token "bold\u00a0x" '
        'invalid; must be a string matching the regular expression "[^\\p{C}\\p{Z}]+"',
    ),
    "text where only elements go": (
        "<body>\n",
        "<body>\n      stray text\n",
        "stray text",
        "text-not-allowed",
        'text not allowed here; expected element "div", "list" or "p"',
    ),
    "text in an empty element": (
        "<lb/>",
        "<lb>x</lb>",
        "x</lb>",
        "text-not-allowed",
        "text not allowed here; expected the element end-tag",
    ),
}


@pytest.fixture(scope="module")
def rng() -> Validator:
    return Validator(MINI_RNG, "rng").compile()


@pytest.mark.parametrize("name", list(MUTATIONS))
def test_each_mutation_is_reported_where_it_is_in_jings_words(rng: Validator, name: str) -> None:
    old, new, where, rule, message = MUTATIONS[name]
    text = mutate(old, new)
    result = rng.validate_bytes(text.encode("utf-8"), "m.xml")
    assert not result.valid
    first = result.issues[0]
    assert (first.engine, first.rule, first.message) == ("rng", rule, message)
    assert (first.line, first.column) == (line_of(text, where), column_of(text, where))


def test_the_valid_file_is_valid(rng: Validator) -> None:
    result = rng.validate_bytes(valid_text().encode("utf-8"), "v.xml")
    assert result.valid and result.issues == ()


def test_errors_after_the_first_in_the_same_content_are_reported(rng: Validator) -> None:
    # libxml2 stops checking <body> at <foo>; the rest must still be checked
    text = mutate("<p>From ", "<p>From <foo/>")
    text = text.replace("<item>One</item>", "<item><bar/></item>")
    text = text.replace('<list type="ordered">', '<list type="numbered">')
    rules = [(i.line, i.rule) for i in rng.validate_bytes(text.encode(), "m.xml").issues]
    assert rules == [
        (line_of(text, "<foo/>"), "unknown-element"),
        (line_of(text, '"numbered"'), "attribute-value"),
        (line_of(text, "<bar/>"), "unknown-element"),
    ]


def test_an_element_out_of_place_is_still_checked_inside(rng: Validator) -> None:
    text = mutate('<list type="ordered">', '<head><lb foo="1"/></head><list type="ordered">')
    issues = rng.validate_bytes(text.encode(), "m.xml").issues
    assert [i.rule for i in issues] == ["element-not-allowed", "attribute-not-allowed"]


def test_namespaced_names_are_written_as_in_the_document(rng: Validator) -> None:
    text = mutate("<p>From ", '<p xmlns:x="urn:x" x:a="1"><x:foo/>From ')
    messages = [i.message for i in rng.validate_bytes(text.encode(), "m.xml").issues]
    assert messages[0].startswith('attribute "x:a" not allowed here')
    assert messages[1].startswith('element "x:foo" not allowed anywhere')


def test_jings_first_error_in_each_file_is_ours_on_the_same_line(tmp_path, rng: Validator) -> None:
    # after the first error the two validators recover differently (Jing may add a cascade);
    # positions: Jing reports at the end of a start tag (of the end tag for "incomplete",
    # after the text for text), we at the start, so lines agree but for those two
    files = []
    for index, (old, new, *_rest) in enumerate(MUTATIONS.values()):
        path = tmp_path / f"m{index:02}.xml"
        path.write_text(mutate(old, new), encoding="utf-8")
        files.append(path)
    done = jing(MINI_RNG, *files)
    first: dict[str, tuple[int, str]] = {}
    for path, line, message in re.findall(
        r"^(.+?\.xml):(\d+):\d+: error: (.*)$", done.stdout, re.M
    ):
        first.setdefault(path, (int(line), message))
    assert sorted(first) == sorted(map(str, files)), done.stdout + done.stderr
    for path in files:
        line, message = first[str(path)]
        head = message.split(";")[0]
        if head.startswith("value of attribute"):  # we also quote the value
            head = head.replace("value of attribute", "value {} of attribute")
        issues = rng.validate_file(path).issues
        if " incomplete" in head or head.startswith("text "):
            # Jing points at the end tag, or where the text ends; we at the start of either
            ours = [i for i in issues if i.line <= line]
        else:
            ours = [i for i in issues if i.line == line]
        expected = re.escape(head).replace(r"\{\}", '"[^"]*"')
        assert any(re.match(expected, i.message) for i in ours), (
            f"{path.name}:{line}: Jing says {message!r}; we say {[i.message for i in ours]!r}"
        )
