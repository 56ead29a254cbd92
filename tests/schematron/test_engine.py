"""The ISO Schematron engine: semantics, messages, severities, lines and columns, safety.

Real schemas first (CMIF's, the TEI's own constraints on real and mutated documents), then
small schemas for each feature of the language.
"""

from __future__ import annotations

import copy
from collections import Counter
from pathlib import Path

import pytest
from conftest import SHARED
from elementpath import get_node_tree
from lxml import etree

from tei_cable.findings import Issue
from tei_cable.schematron.engine import SchematronSchemaError, SchematronValidator, severity_of
from tei_cable.schematron.match import ContextMatcher, NodeIndex
from tei_cable.schematron.xpath import DocumentState, make_parser, new_context
from tei_cable.xmlio import safe_parser

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CMIF = SHARED / "formats" / "cmif"
TEI_NS = "http://www.tei-c.org/ns/1.0"


def need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"reference data not found at {path} (only in the development workplace)")
    return path


def schema(body: str, binding: str = "xslt2", extra: str = "") -> bytes:
    return (
        f'<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="{binding}"{extra}>'
        f'<ns prefix="tei" uri="{TEI_NS}"/>{body}</schema>'
    ).encode()


def doc(text: str) -> tuple[etree._ElementTree, bytes]:
    data = text.encode()
    return etree.fromstring(data, safe_parser()).getroottree(), data


def run(body: str, text: str, **kwargs: object) -> list[Issue]:
    tree, data = doc(text)
    return SchematronValidator(schema(body, **kwargs)).validate(tree, source=data)  # type: ignore[arg-type]


def line_col(text: str, needle: str) -> tuple[int, int]:
    index = text.index(needle)
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


TEI_DOC = (
    f'<TEI xmlns="{TEI_NS}">\n  <text>\n    <body>\n      <p n="1">one</p>\n'
    '      <p n="2">two <hi rend="b">bold</hi></p>\n      <p>three</p>\n'
    "    </body>\n  </text>\n</TEI>\n"
)


# ----------------------------------------------------------------------------- CMIF


@pytest.fixture(scope="module")
def cmif() -> SchematronValidator:
    return SchematronValidator(need(CMIF / "cmif.sch"))


@pytest.mark.parametrize("name", ["example01_basic.xml", "example02_cmi-with-printed-edition.xml"])
def test_cmif_examples_pass(cmif: SchematronValidator, name: str) -> None:
    data = (CMIF / "examples" / name).read_bytes()
    tree = etree.fromstring(data, safe_parser()).getroottree()
    assert cmif.query_binding == "xslt2"
    assert cmif.validate(tree, source=data) == []


def test_cmif_changed_example_gives_the_known_failures(cmif: SchematronValidator) -> None:
    text = (CMIF / "examples" / "example01_basic.xml").read_text(encoding="utf-8")
    text = text.replace('xml:id="f5055f00-9182-4728-8f81-a0cf016b616b"', 'xml:id="weber"')
    start = text.index('<correspAction type="received">')
    end = text.index("</correspAction>", start) + len("</correspAction>")
    text = text[:start] + "<note/>" + text[end:]
    assert text.count('<date when="1825-05-07"/>') == 1
    text = text.replace('<date when="1825-05-07"/>', "<date/>")
    tree, data = doc(text)
    issues = cmif.validate(tree, source=data)
    codes = Counter(i.message.split("]")[0].lstrip("[") for i in issues)
    assert codes == Counter({"W0001": 1, "E0002": 1, "E0003": 3, "E0004": 1})
    by_code = {i.message[1:6]: i for i in issues}
    assert by_code["W0001"].severity == "warning"
    assert by_code["W0001"].rule == "uuid"
    assert (by_code["W0001"].line, by_code["W0001"].column) == line_col(text, '<bibl type="online"')
    assert by_code["E0002"].rule == "correspDesc"
    assert (by_code["E0002"].line, by_code["E0002"].column) == line_col(
        text, '<correspDesc ref="http://www.weber-gesamtausgabe.de/A044980"'
    )
    assert by_code["E0004"].rule == "date"
    assert (by_code["E0004"].line, by_code["E0004"].column) == line_col(text, "<date/>")
    # E0003's context is the @source attribute: its own column, on each correspDesc's line.
    e3 = [i for i in issues if i.message.startswith("[E0003]")]
    lines = [n + 1 for n, line in enumerate(text.splitlines()) if "<correspDesc " in line]
    assert [(i.line, i.column) for i in e3] == [
        (n, text.splitlines()[n - 1].index("source=") + 1) for n in lines
    ]
    assert all(i.engine == "sch" and i.severity == "error" for i in e3)
    assert issues == sorted(issues)


# ------------------------------------------------------------------------- the TEI's constraints


@pytest.fixture(scope="module")
def tei_rules() -> SchematronValidator:
    """The Schematron the TEI's own build embeds in tei_all (4.9.0)."""
    return SchematronValidator(need(SHARED / "tei" / "derived" / "tei_all-4.9.0.rng"))


TEI_FIXTURE = FIXTURES / "tei_constraints.xml"


def tei_mutation(old: str, new: str) -> str:
    text = TEI_FIXTURE.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    return text.replace(old, new)


def test_tei_rules_are_all_indexed_and_the_fixture_passes(tei_rules: SchematronValidator) -> None:
    assert len(tei_rules.patterns) == 91
    assert tei_rules.rule_count == 96
    assert tei_rules.indexed_rule_count == 96
    tree, data = doc(TEI_FIXTURE.read_text(encoding="utf-8"))
    assert tei_rules.validate(tree, source=data) == []


@pytest.mark.parametrize(
    ("old", "new", "needle", "rule", "severity", "message"),
    [
        (
            '<addSpan spanTo="#end-add"/>',
            '<addSpan spanTo="#nowhere"/>',
            "<addSpan",
            "tei_all-att.spanning-spanTo-spanTo-points-to-following-constraint-rule-8",
            "error",
            "The element indicated by @spanTo (#nowhere) must follow the current addSpan element",
        ),
        (
            '<addSpan spanTo="#end-add"/>added later <anchor xml:id="end-add"/>',
            '<anchor xml:id="end-add"/>added later <addSpan spanTo="#end-add"/>',
            "<addSpan",
            "tei_all-att.spanning-spanTo-spanTo-points-to-following-constraint-rule-8",
            "error",
            "The element indicated by @spanTo (#end-add) must follow the current addSpan element",
        ),
        (
            '<relation name="knows" active="#p1" passive="#p1"/>',
            '<relation active="#p1" passive="#p1"/>',
            "<relation",
            "tei_all-relation-ref-or-key-or-name-constraint-rule-53",
            "error",
            "One of the attributes @name, @ref or @key must be supplied",
        ),
        (
            '<relation name="knows" active="#p1" passive="#p1"/>',
            '<relation name="knows" passive="#p1"/>',
            "<relation",
            "tei_all-relation-active-passive-constraint-rule-55",
            "error",
            "the attribute @passive may be supplied only if the attribute @active is supplied",
        ),
        (
            '<link target="#p1 #letter1"/>',
            '<link target="#p1"/>',
            "<link",
            "tei_all-link-linkTargets3-constraint-rule-56",
            "error",
            "You must supply at least two values for @target or on link",
        ),
        (
            '<ref target="#p1">',
            '<ref target="#p1" cRef="x">',
            "<ref",
            "tei_all-ref-refAtts-constraint-rule-19",
            "error",
            "Only one of the attributes @target and @cRef may be supplied on ref.",
        ),
        (
            "<subst><del>bad</del><add>good</add></subst>",
            "<subst><del>bad</del></subst>",
            "<subst>",
            "tei_all-subst-substContents1-constraint-rule-50",
            "error",
            "subst must have at least one child add and at least one child del or surplus",
        ),
        (
            '<div type="letter"',
            '<div subtype="letter"',
            "<div",
            "tei_all-att.typed-subtypeTyped-constraint-rule-10",
            "error",
            "The div element should not be categorized in detail with @subtype unless also "
            "categorized in general with @type",
        ),
        (
            '<date when="1962-10-22">',
            '<date when="1962-10-22" notBefore="1962-10-01">',
            "<date",
            "tei_all-att.datable.w3c-att-datable-w3c-when-constraint-rule-2",
            "warning",
            "The @when attribute cannot be used with any other att.datable.w3c attributes.",
        ),
        (
            '<measure unitRef="#u1"',
            '<measure unitRef="#u1" unit="pieces"',
            "<measure",
            "tei_all-att.measurement-att-measurement-unitRef-constraint-rule-6",
            "info",
            "The @unit attribute may be unnecessary when @unitRef is present.",
        ),
        (
            "<l>A line of verse</l>",
            "<l>A line <l>inside</l></l>",
            "<l>inside",
            "tei_all-l-abstractModel-structure-l-in-l-constraint-rule-22",
            "error",
            "Abstract model violation: Lines may not contain lines or lg elements.",
        ),
    ],
)
def test_tei_constraint_mutations(
    tei_rules: SchematronValidator,
    old: str,
    new: str,
    needle: str,
    rule: str,
    severity: str,
    message: str,
) -> None:
    text = tei_mutation(old, new)
    tree, data = doc(text)
    issues = tei_rules.validate(tree, source=data)
    assert issues == [Issue(*line_col(text, needle), severity, message, "sch", rule)]


@pytest.mark.parametrize(
    ("needle", "rule"),
    [
        (
            '<styleDefDecl schemeVersion="2.1"/>',
            "att.styleDef-schemeVersion-schemeVersionRequiresScheme-constraint-rule-9",
        ),
        (
            '<variantEncoding method="parallel-segmentation" location="external"/>',
            "variantEncoding-location-variantEncodingLocation-constraint-rule-52",
        ),
        ("<quotation/>", "quotation-quotationContents-constraint-rule-25"),
        (
            '<delSpan spanTo="#ds2"/>',
            "att.spanning-spanTo-spanTo-points-to-following-constraint-rule-8",
        ),
        ("<s>This sentence contains", "s-noNestedS-constraint-rule-31"),
        ('<span from="#spanTest2" target="#spanTest">', "span-target-from-constraint-rule-32"),
        (
            '<span to="#spanTest2" target="#spanTest">',
            "span-tonotfrom-constraint-rule-34 span-targetto-constraint-rule-33",
        ),
        (
            '<date when="2012-09-06" calendar=',
            "att.calendarSystem-calendar-calendar_attr_on_empty_element-constraint-rule-11",
        ),
    ],
)
def test_tei_rules_on_the_tei_test_file_that_breaks_them(
    tei_rules: SchematronValidator, needle: str, rule: str
) -> None:
    """``detest.xml``, the TEI's own test file for its Schematron constraints."""
    path = need(SHARED / "tei" / "corpus" / "TEIC__TEI" / "P5" / "Test" / "detest.xml")
    text = path.read_text(encoding="utf-8")
    tree, data = doc(text)
    issues = tei_rules.validate(tree, source=data)
    assert all("cannot evaluate" not in i.message for i in issues)
    at = [i for i in issues if (i.line, i.column) == line_col(text, needle)]
    assert [i.rule for i in at] == [f"tei_all-{r}" for r in rule.split()]
    assert tei_rules.validate(tree, source=data) == issues  # deterministic


# ----------------------------------------------------------------------------- language features


def test_first_matching_rule_in_a_pattern_takes_the_node() -> None:
    body = (
        '<pattern id="p"><rule context="tei:p[@n]" id="numbered"><report test="true()">'
        'numbered <name/></report></rule><rule context="tei:p" id="any"><report test="true()">'
        "any p</report></rule></pattern>"
        '<pattern id="q"><rule context="tei:p"><report test="@n = 2">second</report></rule>'
        "</pattern>"
    )
    issues = run(body, TEI_DOC)
    assert [(i.line, i.rule, i.message) for i in issues] == [
        (4, "numbered", "numbered p"),
        (5, "numbered", "numbered p"),
        (5, "q", "second"),
        (6, "any", "any p"),
    ]


def test_lets_at_schema_pattern_and_rule_scope_in_order() -> None:
    body = (
        '<let name="total" value="count(//tei:p)"/>'
        '<let name="twice" value="$total * 2"/>'
        '<pattern id="p"><let name="first" value="(//tei:p)[1]/@n"/>'
        '<rule context="tei:p"><let name="mine" value="string(@n)"/>'
        '<let name="label" value="concat($mine, \'/\', $total)"/>'
        '<report test="$mine = $first">first of <value-of select="$total"/> '
        '(<value-of select="$twice"/>) <value-of select="$label"/></report></rule></pattern>'
    )
    issues = run(body, TEI_DOC)
    assert [(i.line, i.message) for i in issues] == [(4, "first of 3 (6) 1/3")]


def test_messages_are_one_line_with_value_of_name_and_inline_markup() -> None:
    body = (
        '<pattern><rule context="tei:hi"><assert test="@rend = \'i\'">\n   The\n <emph>'
        '<name/></emph> inside <name path="name(..)"/> has\n rend=<value-of select="@rend"/>; '
        "words: <value-of select=\"tokenize('a b', ' ')\"/>\n</assert></rule></pattern>"
    )
    issues = run(body, TEI_DOC)
    assert [i.message for i in issues] == ["The hi inside p has rend=b; words: a b"]
    assert issues[0].rule == "pattern-1"


def test_names_keep_the_document_prefix() -> None:
    text = '<t:TEI xmlns:t="http://www.tei-c.org/ns/1.0" xmlns:x="urn:x"><t:p x:a="1"/></t:TEI>'
    body = (
        '<ns prefix="x" uri="urn:x"/><pattern><rule context="tei:p/@x:a">'
        '<report test="true()"><name/> on <name path="name(..)"/></report></rule></pattern>'
    )
    assert [i.message for i in run(body, text)] == ["x:a on t:p"]


def test_name_with_a_path_gives_the_value_of_the_path() -> None:
    """ISO Schematron: ``sch:name/@path`` is replaced by what the path evaluates to (as the
    conformance suite's svrl-name-path case checks), not by the name of a node it selects."""
    body = (
        '<pattern><rule context="tei:hi"><report test="true()">'
        '<name path="@rend"/>/<name path="name(..)"/></report></rule></pattern>'
    )
    assert [i.message for i in run(body, TEI_DOC)] == ["b/p"]


@pytest.mark.parametrize(
    ("role", "flag", "expected"),
    [
        (None, None, "error"),
        ("error", None, "error"),
        ("fatal", None, "fatal"),
        ("warning", None, "warning"),
        ("warn", None, "warning"),
        ("nonfatal", None, "warning"),
        ("info", None, "info"),
        ("information", None, "info"),
        ("WARNING", None, "warning"),
        (None, "warning", "warning"),
        ("odd-role", None, "error"),
    ],
)
def test_roles_become_severities(role: str | None, flag: str | None, expected: str) -> None:
    assert severity_of(role, flag) == expected
    attrs = (f' role="{role}"' if role else "") + (f' flag="{flag}"' if flag else "")
    issues = run(
        f'<pattern><rule context="tei:hi"><report test="true()"{attrs}>x</report></rule></pattern>',
        TEI_DOC,
    )
    assert [i.severity for i in issues] == [expected]


def test_rule_role_applies_to_its_asserts_and_flags_are_collected() -> None:
    validator = SchematronValidator(
        schema(
            '<pattern><rule context="tei:hi" role="warn"><report test="true()" flag="styled">'
            'x</report><report test="true()" role="info">y</report></rule></pattern>'
        )
    )
    tree, _ = doc(TEI_DOC)
    outcome = validator.run(tree)
    assert [(i.severity, i.message) for i in outcome.issues] == [("info", "y"), ("warning", "x")]
    assert outcome.flags == frozenset({"styled"})
    assert outcome.failed == 2 and outcome.fired == 1


def test_ids_assert_over_rule_over_pattern() -> None:
    body = (
        '<pattern id="pat"><rule context="tei:hi" id="r"><report test="true()" id="a">1'
        '</report><report test="true()">2</report></rule></pattern>'
        '<pattern id="pat2"><rule context="tei:hi"><report test="true()">3</report></rule>'
        "</pattern>"
    )
    assert sorted((i.message, i.rule) for i in run(body, TEI_DOC)) == [
        ("1", "a"),
        ("2", "r"),
        ("3", "pat2"),
    ]


def test_phases() -> None:
    body = (
        '<phase id="only-b"><active pattern="b"/></phase>'
        '<pattern id="a"><rule context="tei:hi"><report test="true()">a</report></rule>'
        '</pattern><pattern id="b"><rule context="tei:hi"><report test="true()">b</report>'
        "</rule></pattern>"
    )
    tree, _ = doc(TEI_DOC)
    sch = schema(body)
    assert [i.message for i in SchematronValidator(sch).validate(tree)] == ["a", "b"]
    assert [i.message for i in SchematronValidator(sch, "only-b").validate(tree)] == ["b"]
    assert [i.message for i in SchematronValidator(sch, "#ALL").validate(tree)] == ["a", "b"]
    with_default = schema(body, extra=' defaultPhase="only-b"')
    assert [i.message for i in SchematronValidator(with_default).validate(tree)] == ["b"]
    assert [i.message for i in SchematronValidator(with_default, "#ALL").validate(tree)] == [
        "a",
        "b",
    ]
    with pytest.raises(SchematronSchemaError, match="no phase 'nope'"):
        SchematronValidator(sch, "nope")


def test_abstract_patterns_and_rules() -> None:
    # Parameters replace $name in query attributes (not in message text), as ISO specifies.
    body = (
        '<pattern abstract="true" id="needs"><rule context="$el">'
        '<assert test="$att"><name/> needs <value-of select="\'$att\'"/></assert></rule>'
        "</pattern>"
        '<pattern is-a="needs" id="p-n"><param name="el" value="tei:p"/>'
        '<param name="att" value="@n"/></pattern>'
        '<pattern id="r"><rule abstract="true" id="styled"><assert test="@rend">no rend'
        '</assert></rule><rule context="tei:hi"><extends rule="styled"/>'
        "<report test=\"@rend = 'b'\">bold</report></rule></pattern>"
    )
    issues = run(body, TEI_DOC)
    assert [(i.line, i.rule, i.message) for i in issues] == [
        (5, "r", "bold"),
        (6, "p-n", "p needs @n"),
    ]


def test_subject_and_diagnostics_locate_and_explain() -> None:
    text = TEI_DOC
    body = (
        '<pattern><rule context="tei:body"><assert test="count(tei:p) = 2" subject="tei:p[3]"'
        ' diagnostics="d1">two paragraphs</assert></rule></pattern>'
        '<diagnostics><diagnostic id="d1">found <value-of select="count(tei:p)"/>'
        "</diagnostic></diagnostics>"
    )
    issues = run(body, text)
    assert [(i.line, i.column, i.message) for i in issues] == [
        (*line_col(text, "<p>three"), "two paragraphs (found 3)")
    ]


def test_current_generate_id_and_key() -> None:
    text = (
        f'<TEI xmlns="{TEI_NS}"><p xml:id="a"/><ptr target="#a"/><ptr target="#b"/>'
        '<p xml:id="a2"/></TEI>'
    )
    body = (
        '<xsl:key xmlns:xsl="http://www.w3.org/1999/XSL/Transform" name="ids" match="tei:*" '
        'use="@xml:id"/>'
        '<pattern><rule context="tei:ptr"><assert test="key(\'ids\', substring(@target, 2))">'
        'dangling <value-of select="@target"/></assert></rule></pattern>'
        '<pattern><rule context="tei:p"><report test="//tei:p[generate-id(.) ne '
        "generate-id(current())][@xml:id = concat(current()/@xml:id, '2')]\">"
        "has a twin</report></rule></pattern>"
    )
    assert [i.message for i in run(body, text)] == ["has a twin", "dangling #b"]


def test_xpath_1_binding_uses_xpath_1_semantics() -> None:
    # XPath 1.0 compares a node-set with a number by converting each node: fine in 1.0, a
    # type error in 2.0.
    body = '<pattern><rule context="tei:p"><report test="@n = 2">two</report></rule></pattern>'
    assert [i.message for i in run(body, TEI_DOC, binding="xslt")] == ["two"]
    validator = SchematronValidator(schema(body, binding="xslt"))
    assert validator.xpath_version == "1.0"


def test_xpath_3_binding_has_xpath_3_syntax() -> None:
    body = (
        '<pattern><rule context="tei:body"><report test="true()">'
        "<value-of select=\"tei:p ! string(@n) => string-join('|')\"/></report></rule>"
        "</pattern>"
    )
    assert [i.message for i in run(body, TEI_DOC, binding="xslt3")] == ["1|2|"]
    with pytest.raises(SchematronSchemaError, match=r"bad XPath 2\.0"):
        SchematronValidator(schema(body, binding="xslt2"))


def test_unknown_query_binding_and_bad_queries_are_schema_errors(tmp_path: Path) -> None:
    with pytest.raises(SchematronSchemaError, match="unsupported queryBinding 'stx'"):
        SchematronValidator(schema("<pattern/>", binding="stx"))
    bad = tmp_path / "bad.sch"
    bad.write_bytes(
        schema('<pattern>\n<rule context="tei:p[">\n<assert test="1"/></rule></pattern>').replace(
            b"><pattern>", b">\n<pattern>"
        )
    )
    with pytest.raises(SchematronSchemaError) as info:
        SchematronValidator(bad)
    assert str(info.value).startswith(f"{bad}:3: bad XPath 2.0 in @context 'tei:p['")
    with pytest.raises(SchematronSchemaError, match="not well-formed"):
        SchematronValidator(b"<schema")


def test_dynamic_errors_become_issues_not_crashes() -> None:
    body = (
        '<pattern id="dates"><rule context="tei:p"><assert test="xs:date(@n) gt '
        "xs:date('2000-01-01')\">late</assert></rule></pattern>"
    )
    issues = run(body, TEI_DOC.replace('n="1"', 'n="2001-01-01"'))
    assert [(i.line, i.severity, i.rule) for i in issues] == [
        (5, "error", "dates"),
        (6, "error", "dates"),
    ]
    assert issues[0].message == (
        "cannot evaluate assert test \"xs:date(@n) gt xs:date('2000-01-01')\": "
        "[err:FORG0001] Invalid datetime string '2'"
    )


def test_document_functions_read_nothing(tmp_path: Path) -> None:
    secret = tmp_path / "secret.xml"
    secret.write_text("<secret>s3cret</secret>", encoding="utf-8")
    uri = secret.as_uri()
    body = (
        f'<pattern><rule context="tei:body">'
        f"<report test=\"doc-available('{uri}')\">doc available</report>"
        f"<report test=\"unparsed-text-available('{secret}')\">text available</report>"
        f'<report test="true()"><value-of select="doc(\'{uri}\')"/></report>'
        f'<report test="true()"><value-of select="document(\'{uri}\')"/></report>'
        f"<report test=\"contains(unparsed-text('{secret}'), 's3')\">read</report>"
        "</rule></pattern>"
    )
    for binding in ("xslt2", "xslt3"):
        issues = run(body, TEI_DOC, binding=binding)
        messages = " ".join(i.message for i in issues)
        assert "s3cret" not in messages and "available" not in messages
        assert "doc() is disabled" in messages and "document() is disabled" in messages
        assert "unparsed-text() is disabled" in messages


def test_positional_contexts_match_as_xslt_patterns() -> None:
    body = (
        '<pattern><rule context="tei:p[1]"><report test="true()">first</report></rule>'
        '</pattern><pattern><rule context="tei:body/tei:p[last()]"><report test="true()">'
        'last</report></rule></pattern><pattern><rule context="tei:p[position() &gt; 1]'
        '[tei:hi]"><report test="true()">later with hi</report></rule></pattern>'
    )
    assert [(i.line, i.message) for i in run(body, TEI_DOC)] == [
        (4, "first"),
        (5, "later with hi"),
        (6, "last"),
    ]


def test_attribute_text_root_and_absolute_contexts_with_columns() -> None:
    text = TEI_DOC
    body = (
        '<pattern><rule context="tei:hi/@rend"><report test="true()">attr</report></rule>'
        '</pattern><pattern><rule context="/"><report test="true()">doc</report></rule>'
        '</pattern><pattern><rule context="/tei:TEI"><report test="true()">root</report>'
        '</rule></pattern><pattern><rule context="tei:hi/text()"><report test="true()">'
        "text</report></rule></pattern>"
    )
    issues = run(body, text)
    assert [(i.line, i.column, i.message) for i in issues] == [
        (1, 1, "doc"),
        (1, 1, "root"),
        (*line_col(text, "<hi"), "text"),
        (*line_col(text, 'rend="b"'), "attr"),
    ]


def test_without_source_columns_are_unknown() -> None:
    """A tree given without its bytes: the line from libxml2, column 0 (unknown), as every
    engine reports it."""
    tree, _ = doc(TEI_DOC)
    validator = SchematronValidator(
        schema(
            '<pattern><rule context="tei:hi/@rend">'
            '<report test="true()">x</report></rule></pattern>'
        )
    )
    assert [(i.line, i.column) for i in validator.validate(tree)] == [(5, 0)]


def test_multiline_start_tags_and_comments_keep_columns_exact() -> None:
    text = (
        f'<?xml version="1.0"?>\n<!-- <p> in a comment -->\n<TEI xmlns="{TEI_NS}">'
        '<![CDATA[<p>]]><?pi <p>?>\n  <p\n    n="1"\n    rend="x">a</p>  <p rend="y"/></TEI>'
    )
    body = '<pattern><rule context="tei:p/@rend"><report test="true()">r</report></rule></pattern>'
    issues = run(body, text)
    assert [(i.line, i.column) for i in issues] == [
        line_col(text, 'rend="x"'),
        line_col(text, 'rend="y"'),
    ]


def test_embedded_schematron_in_relax_ng() -> None:
    rng = (
        b'<grammar xmlns="http://relaxng.org/ns/structure/1.0" '
        b'xmlns:sch="http://purl.oclc.org/dsdl/schematron"><start><element name="a"><empty/>'
        b'</element></start><sch:pattern id="emb"><sch:rule context="a"><sch:report '
        b'test="true()">embedded</sch:report></sch:rule></sch:pattern></grammar>'
    )
    validator = SchematronValidator(rng)
    assert validator.query_binding == "xslt2"
    assert [i.rule for i in validator.validate(etree.fromstring(b"<a/>"))] == ["emb"]


def test_include_reads_local_files_only(tmp_path: Path) -> None:
    (tmp_path / "part.sch").write_bytes(
        b'<pattern xmlns="http://purl.oclc.org/dsdl/schematron" id="inc"><rule context="hi">'
        b'<report test="true()">included</report></rule></pattern>'
    )
    main = tmp_path / "main.sch"
    main.write_bytes(
        b'<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">'
        b'<include href="part.sch"/></schema>'
    )
    assert [i.rule for i in SchematronValidator(main).validate(etree.fromstring(b"<hi/>"))] == [
        "inc"
    ]
    remote = tmp_path / "remote.sch"
    remote.write_bytes(
        b'<schema xmlns="http://purl.oclc.org/dsdl/schematron">'
        b'<include href="http://example.org/part.sch"/></schema>'
    )
    with pytest.raises(SchematronSchemaError, match="only local files are read"):
        SchematronValidator(remote)


def test_one_validator_many_documents_and_no_state_leaks() -> None:
    validator = SchematronValidator(
        schema(
            '<let name="n" value="count(//tei:p)"/><pattern><rule context="tei:body">'
            '<report test="true()"><value-of select="$n"/></report></rule></pattern>'
        )
    )
    small, _ = doc(TEI_DOC.replace("<p>three</p>", ""))
    big, _ = doc(TEI_DOC)
    assert [i.message for i in validator.validate(big)] == ["3"]
    assert [i.message for i in validator.validate(small)] == ["2"]
    assert [i.message for i in validator.validate(big)] == ["3"]


def test_caller_schema_tree_is_not_modified() -> None:
    tree = etree.fromstring(
        schema(
            '<pattern abstract="true" id="a"><rule context="$x">'
            '<report test="true()">x</report></rule></pattern>'
            '<pattern is-a="a"><param name="x" value="tei:p"/></pattern>'
        )
    )
    before = etree.tostring(tree)
    SchematronValidator(tree)
    assert etree.tostring(tree) == before


# ----------------------------------------------------------------------------- the index agrees

CONTEXTS = [
    "tei:p",
    "tei:*[@when]",
    "tei:l//tei:p",
    "tei:*[not(self::tei:l)][@rend]",
    "tei:sp/tei:l",
    "(tei:sp | tei:div)/tei:p",
    "tei:l[1]",
    "tei:p[last()]",
    "@xml:id",
    "tei:*[@n][2]",
    "tei:speaker/text()",
    "/tei:TEI/tei:teiHeader",
    "tei:div//tei:stage | tei:castList//tei:role",
    "*[@who]",
    "tei:*[ starts-with(@who, '#') ]",
    "node()[self::tei:note]",
    "comment()",
]


@pytest.mark.parametrize("context", CONTEXTS)
def test_indexed_context_selection_equals_full_evaluation(context: str) -> None:
    """The name index selects exactly what evaluating //(pattern) selects."""
    play = need(SHARED / "tei" / "corpus" / "dracor-org__shakedracor" / "tei" / "henry-v.xml")
    tree = etree.parse(str(play), safe_parser())
    parser = make_parser("xslt2", {"tei": TEI_NS})
    matcher = ContextMatcher(context, parser.parse(context), parser.parse, {"tei": TEI_NS})
    assert matcher.indexed
    document = get_node_tree(tree)
    index = NodeIndex(document)
    state = DocumentState(document)
    template = new_context(document, state)

    def make(item: object) -> object:
        ctx = copy.copy(template)
        ctx.item = item
        return ctx

    found = matcher.select(index, make)  # type: ignore[arg-type]
    expected = list(parser.parse(f"//({context})").select(new_context(document, state)))
    assert [id(n) for n in found] == [id(n) for n in expected]


@pytest.mark.parametrize(
    "query",
    [
        "//tei:p",
        "//p",
        "//tei:hi",
        "//tei:nothing",
        "//tei:p/tei:hi",
        "//tei:*",
        "(//tei:p)[2]",
        "//tei:p[@n = '2']",
        "//*[@rend]",
        "//tei:p[1]",
        "//tei:*[@n][2]",
        "//tei:p[tei:hi]",
        "//@n",
        "//@rend",
        "//tei:p[last()]",
    ],
)
def test_descendant_names_from_the_index_equal_a_walk(query: str) -> None:
    """``//name`` in a test is answered from the name index; a walk gives the same nodes."""
    tree, _ = doc(TEI_DOC)
    body = (
        f'<pattern><rule context="/"><report test="true()"><value-of select="count({query})"/>'
        f" <value-of select=\"string-join(({query})/name(), ',')\"/></report></rule></pattern>"
    )
    walk = tree.xpath(query, namespaces={"tei": TEI_NS})
    names = [getattr(e, "attrname", None) or etree.QName(e).localname for e in walk]
    expected = f"{len(walk)} {','.join(names)}".strip()
    assert [i.message for i in run(body, TEI_DOC)] == [expected]
