"""Conditionals, integer casts, dates (``current-date()``), set difference, distinct values
and ``for``/``some``/``every`` over nodes translated for libxml2 give the findings elementpath
gives (errors included), on generated documents (Hypothesis) and on the values where XPath
2.0's casts are delicate."""

from __future__ import annotations

import datetime

import pytest
from elementpath import select
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from schematron_findings import findings

from tei_cable.schematron.engine import SchematronValidator
from tei_cable.schematron.xpath import make_parser
from tei_cable.schematron.xpath1 import Untranslatable, _Writer

#: per rule: its context's predicate, its lets, its check
RULES: dict[str, tuple[str, list[tuple[str, str]], str]] = {
    "cast": (
        "",
        [
            ("min", "@a cast as xs:integer"),
            ("max", "if (normalize-space(@b) eq 'unbounded') then -1 else @b cast as xs:integer"),
        ],
        "assert:$max eq -1 or $max ge $min",
    ),
    "cast-lt": ("[@a and not(@b)]", [], "assert:@a cast as xs:integer lt 2"),
    "castable": (
        "[not(@b) or (if (@b castable as xs:integer) then (@b cast as xs:integer eq 1)"
        " else false())]",
        [],
        "report:count(*) gt 1",
    ),
    "castable-test": ("", [], "assert:@a castable as xs:integer or @b"),
    "if-string": (
        "",
        [("phrase", "if (@a) then concat('The ', @a) else concat('This ', local-name(.))")],
        "assert:string-length($phrase) lt 8",
    ),
    "if-condition": ("", [], "assert:if (@a) then @a = ('1', '+3') else not(@b)"),
    "except": ("", [], "assert:f | (@* except (@k, @a))"),
    "except-count": ("", [], "assert:count(* except f) le 1 and exists(@* except @k)"),
    "distinct": (
        "",
        [("values", "//e/@a"), ("distinct", "distinct-values($values)")],
        "assert:count($values) eq count($distinct)",
    ),
    "for": (
        "",
        [
            ("own", "for $c in .//e return exists($c/ancestor::f/@a)"),
            ("theirs", "for $c in .//f return exists($c/@b)"),
        ],
        "report:($own, $theirs) = false()",
    ),
    "date": (
        "",
        [("warning", "current-date() + xs:dayTimeDuration('P60D')")],
        "assert:@a cast as xs:date ge current-date() and @a cast as xs:date lt $warning",
    ),
    "date-minus": (
        "[@b]",
        [],
        "report:@b cast as xs:date - xs:yearMonthDuration('P1Y') le current-date()",
    ),
    "float": (
        "[@a]",
        [
            ("first", "tokenize(normalize-space(@a), ' ')[1]"),
            ("last", "tokenize(normalize-space(@a), ' ')[last()]"),
            ("firstX", "xs:float(substring-before($first, ','))"),
            ("firstY", "xs:float(substring-after($first, ','))"),
            ("lastX", "xs:float(substring-before($last, ','))"),
            ("lastY", "xs:float(substring-after($last, ','))"),
        ],
        "report:$firstX eq $lastX and $firstY eq $lastY",
    ),
    "untyped": (
        "[@a > 1 or -1.5 >= @b or @a eq 'unbounded']",
        [],
        "assert:e/@a = 2 or not(.//@b != -0)",
    ),
    "let-fails": ("", [("text", "string(f)")], "assert:not(@a) or $text eq ''"),
    "some": ("", [], "assert:some $c in e satisfies $c/@a = '1'"),
    "every": ("", [], "assert:every $c in .//e satisfies exists($c/@a)"),
}
SCHEMA = (
    '<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">'
    '<ns prefix="xs" uri="http://www.w3.org/2001/XMLSchema"/>'
    + "".join(
        f'<pattern id="{name}"><rule context="e[@k = &quot;{name}&quot;]{where}">'
        + "".join(f'<let name="{let}" value="{value}"/>' for let, value in lets)
        + f'<{check.split(":", 1)[0]} test="{check.split(":", 1)[1].replace("<", "&lt;")}"'
        f' id="{name}">{name} fails</{check.split(":", 1)[0]}></rule></pattern>'
        for name, (where, lets, check) in RULES.items()
    )
    + "</schema>"
)
#: where casts to xs:integer are delicate (elementpath casts with Python's int())
INTEGERS = [
    "1",
    "1.0",
    " 2 ",
    "+3",
    "",
    "-0",
    "-1",
    "0",
    "\u0663",
    "1_000",
    "1 2",
    "\t5\n",
    "+-1",
    "0x1",
    "x",
    "unbounded",
    " unbounded ",
    "99999999999999999999",
    "9007199254740993",
    "9007199254740992",
    "\u00a07",
    "1e3",
]
#: dates about the runs' dates (:data:`NOWS`), and what does not cast as one
DATES = [
    "2026-12-06",
    "2026-12-07Z",
    "2027-02-04",
    "2027-02-05+14:00",
    "2026-12-05-14:00",
    "2026-02-29",
    "2028-02-29",
    "0000-01-01",
    "-0001-01-01",
    " 2026-12-06 ",
    "2026-12-06T00:00:00",
    "2026-13-01",
    "9999-12-31",
]
#: points (``x,y`` pairs) whose first and last may be equal as elementpath compares floats
POINTS = [
    "1,2 3,4 1,2",
    "1,2",
    "",
    " ",
    "1.0,2 3,4 1,2.0",
    "1,2 1.00000001,2",
    "1,2 1.001,2",
    "a,b 1,2",
    "1,2 x",
    "INF,NaN INF,NaN",
    "INF,1 INF,1",
    "+INF,1 +INF,1",
    "1e39,0 1e40,0",
    ",",
    "1,2,3 1,2,3",
    " 5,6\t7,8  5,6 ",
    "-0,0 0,-0",
]
#: the runs' date and time: late in the day, without and with a time zone
NOWS = [
    datetime.datetime(2026, 12, 6, 23, 30),
    datetime.datetime(2026, 12, 6, 23, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=-5))),
]


@pytest.fixture(scope="module", params=NOWS, ids=["local", "zoned"])
def engines(request: pytest.FixtureRequest) -> tuple[SchematronValidator, SchematronValidator]:
    data = SCHEMA.encode()
    compiled = SchematronValidator(data, now=request.param)
    assert compiled.libxml2_pattern_count == len(RULES)  # every rule above translates
    return compiled, SchematronValidator(data, compiled=False, now=request.param)


@st.composite
def documents(draw: st.DrawFn) -> bytes:
    def element(depth: int) -> etree._Element:
        node = etree.Element(draw(st.sampled_from(["e", "e", "f"])))
        node.set("k", draw(st.sampled_from(sorted(RULES))))
        for attribute in ("a", "b"):
            if draw(st.booleans()):
                node.set(attribute, draw(st.sampled_from(INTEGERS + DATES + POINTS)))
        if depth < 3:
            for _ in range(draw(st.integers(0, 3))):
                node.append(element(depth + 1))
        return node

    root = etree.Element("doc")
    for _ in range(draw(st.integers(1, 4))):
        root.append(element(0))
    return etree.tostring(root, encoding="utf-8")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_libxml2_gives_elementpaths_findings(engines, data: bytes) -> None:
    compiled, elementpath_only = engines
    assert findings(compiled, data) == findings(elementpath_only, data)


@pytest.mark.parametrize("value", INTEGERS)
@pytest.mark.parametrize("name", ["cast", "cast-lt", "castable", "castable-test"])
def test_integer_casts_of_each_delicate_value(engines, name: str, value: str) -> None:
    compiled, elementpath_only = engines
    for other in ("1", "unbounded", "x", None):
        root = etree.Element("doc")
        node = etree.SubElement(root, "e", k=name, a=value)
        if other is not None:
            node.set("b", other)
        etree.SubElement(node, "f")
        etree.SubElement(node, "f")
        data = etree.tostring(root, encoding="utf-8")
        assert findings(compiled, data) == findings(elementpath_only, data)


@pytest.mark.parametrize("value", INTEGERS)
def test_the_integer_functions_agree_with_elementpath(value: str) -> None:
    from tei_cable.schematron.xpath1 import _castable, _integer

    node = etree.fromstring('<a x=""/>')
    node.set("x", value)
    attribute = node.xpath("@x")
    assert _castable(None, attribute, "integer", False) == select(node, "@x castable as xs:integer")
    try:
        expected = select(node, "@x cast as xs:integer")
    except Exception:
        expected = None
    try:
        got = _integer(None, attribute)
    except ValueError:
        got = None
    if got is None:  # only where elementpath fails too, or a double would round
        assert expected is None or abs(expected) > 2**53
    else:
        assert got == expected


@pytest.mark.parametrize(
    ("data", "rule", "variable"),
    [
        (b'<doc><e k="cast" a="x" b="unbounded"/></doc>', "cast", "min"),
        (
            b'<doc><e k="let-fails"><f/><f/></e><e k="let-fails" a="1"><f/></e></doc>',
            "let-fails",
            "text",
        ),
    ],
    ids=["a cast before a test that does not need it", "a function no test reaches"],
)
def test_a_rule_variable_that_fails_is_evaluated_before_the_tests(
    engines, data: bytes, rule: str, variable: str
) -> None:
    compiled, elementpath_only = engines
    found = findings(compiled, data)
    assert found == findings(elementpath_only, data)
    assert [(found_rule, line) for found_rule, line, _, _ in found] == [(rule, 1)]
    assert f"cannot evaluate let ${variable}" in found[0][3]


def test_distinct_values_compare_untyped_values_as_strings(engines) -> None:
    compiled, elementpath_only = engines
    for values in (["1", "01"], ["1", "1"], ["a", "a "], ["1", "+1", "1"]):
        data = (
            b'<doc k="distinct">'
            + b"".join(b'<e k="some" a="%s"/>' % v.encode() for v in values)
            + b"</doc>"
        )
        found = findings(compiled, data)
        assert found == findings(elementpath_only, data)


@pytest.mark.parametrize(
    "query",
    [
        "(if (@a) then 1 else 2) + 1",  # a number from a conditional, not compared
        "@a cast as xs:integer? eq 1",  # an optional cast: empty is not NaN
        "@a cast as xs:decimal eq 1",
        "@a cast as xs:integer eq '1'",  # an integer and a string: a type error in XPath 2.0
        "@a cast as xs:integer = @b",  # an untyped value cast to a double in XPath 2.0
        "1.5 castable as xs:integer",  # a decimal casts by truncation
        "(for $c in e return string($c/@a)) = 'x'",  # strings that may fail
        "(for $c in e return exists($c/@a)) = exists(@a)",  # the other side needs the focus
        "some $c in e satisfies $c/@a = @b",  # the test needs the focus
        "some $c in e satisfies e[$c/@a]",  # the variable where the focus is another node
        "distinct-values(tokenize(@a, ' '))",
        "(@a except @b) = '1'",
        "@a cast as xs:date = current-date()",  # a general comparison of dates
        "string(current-date())",
        "@a cast as xs:date? ge current-date()",  # an optional cast: empty
        "current-date() + xs:dayTimeDuration(@a) ge current-date()",  # a computed duration
        "xs:float(@a) eq 1",  # of an attribute, which may be absent: empty
        "xs:float(string(@a)) = xs:float('1')",  # a general comparison of floats
        "xs:float(string(@a)) eq 1",  # a float and an integer
        "tokenize(@a, ',')[last()] = 'x'",  # tokens other than of normalize-space()
        "@a = count(e)",  # untyped values and a computed number
        "@a eq 1",  # a value comparison of an untyped value and a number: an error
        "(text() | @a) > 1",  # text may be compared otherwise
    ],
)
def test_what_does_not_mean_the_same_stays_with_elementpath(query: str) -> None:
    namespaces = {"xs": "http://www.w3.org/2001/XMLSchema"}
    token = make_parser("xslt2", namespaces).parse(query)
    with pytest.raises(Untranslatable):
        _Writer(namespaces)._condition(token, False)


@pytest.mark.parametrize("value", DATES)
def test_dates_about_the_runs_date(engines, value: str) -> None:
    compiled, elementpath_only = engines
    for name in ("date", "date-minus"):
        data = f'<doc><e k="{name}" a="{value}" b="{value}"/></doc>'.encode()
        assert findings(compiled, data) == findings(elementpath_only, data)


def test_the_clocks_date_is_the_same_on_both_paths() -> None:
    """Without a date given, a run takes the clock's once, for libxml2 and elementpath."""
    data = SCHEMA.encode()
    compiled = SchematronValidator(data)
    today = datetime.date.today()
    for days in (-1, 0, 1, 59, 60, 61):
        value = (today + datetime.timedelta(days=days)).isoformat()
        document = f'<doc><e k="date" a="{value}"/><e k="date-minus" b="{value}"/></doc>'
        expected = findings(SchematronValidator(data, compiled=False), document.encode())
        assert findings(compiled, document.encode()) == expected


@pytest.mark.parametrize("value", POINTS)
def test_floats_of_points_compared_as_elementpath_compares_them(engines, value: str) -> None:
    compiled, elementpath_only = engines
    root = etree.Element("doc")
    etree.SubElement(root, "e", k="float", a=value)
    data = etree.tostring(root, encoding="utf-8")
    assert findings(compiled, data) == findings(elementpath_only, data)


@pytest.mark.parametrize("value", [*INTEGERS, "-1.5", "-1.50", "1e0", "NaN", "INF", "-0"])
def test_untyped_values_compared_to_numbers(engines, value: str) -> None:
    compiled, elementpath_only = engines
    for other in ("2", "x", None):
        root = etree.Element("doc")
        node = etree.SubElement(root, "e", k="untyped", a=value, b=value)
        child = etree.SubElement(node, "e", k="x")
        if other is not None:
            child.set("a", other)
        data = etree.tostring(root, encoding="utf-8")
        assert findings(compiled, data) == findings(elementpath_only, data)
