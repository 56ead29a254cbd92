"""Schematron patterns run in libxml2: what translates to XPath 1.0, and that the findings are
those of the elementpath engine (``compiled=False``), rule by rule, on crafted documents and on
the TEI's own rules over the real corpus."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import TEI_REF
from lxml import etree

from tei_cable.schematron.engine import SchematronValidator
from tei_cable.schematron.xpath import make_parser
from tei_cable.schematron.xpath1 import (
    CURRENT_VARIABLE,
    Untranslatable,
    failing_condition,
    translate,
    translate_context,
)
from tei_cable.xmlio import safe_parser

TEI_NS = "http://www.tei-c.org/ns/1.0"
NS = {"tei": TEI_NS}


def xp1(query: str, variables: frozenset[str] = frozenset()) -> str:
    return translate(make_parser("xslt2", NS).parse(query), NS, variables)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("@a eq 'x'", "(@a = 'x')"),
        ("count(tei:p) gt 1", "(count(tei:p) > 1)"),
        ("@scheme = ('a', 'b')", "(@scheme = 'a' or @scheme = 'b')"),
        ("exists(@a) and empty(tei:p)", "(boolean(@a) and not(tei:p))"),
        ("not(matches(@n, '\\d'))", "not(tcx2:matches(@n, '\\d'))"),
        ("tei:p[last()]/@n", "tei:p[last()]/@n"),
        ("ancestor::tei:l[1]", "ancestor::tei:l[1]"),
        ("string-length(normalize-space(.)) ge 1", "(string-length(normalize-space(.)) >= 1)"),
        ("@xml:id", "@xml:id"),
        ('"it\'s"', '"it\'s"'),
        ("some $x in tei:p satisfies $x/@n", "boolean(tei:p[boolean(./@n)])"),
        ("every $x in tei:p satisfies $x/@n", "not(tei:p[boolean(not(./@n))])"),
        (". castable as xs:integer", "tcx2:castable(., 'integer', false())"),
    ],
)
def test_queries_that_mean_the_same_in_xpath_1(query: str, expected: str) -> None:
    assert xp1(query) == expected


@pytest.mark.parametrize(
    "query",
    [
        "@a lt @b",  # XPath 2.0 compares two untyped values as strings, 1.0 as numbers
        "$x = 1",  # a variable nobody binds
        "current()/@n",
        "position() = 1",  # a rule's focus has position 1
        "if (@a) then 1 else 2",
        "some $x in tei:p satisfies $x/@n = current()/@n",  # the test needs the focus
        "tokenize(@a, ' ')[2]",
        "floor(tei:p)",  # several nodes: an error in 2.0, the first in 1.0
        "name(tei:p)",
        "substring('abc', tei:p)",  # empty: an error in 2.0, NaN in 1.0
        "max(tei:p)",  # untyped values: compared as numbers
        "@a le @b",
        "(. + 1) castable as xs:integer",  # a number casts by truncation
        "@a instance of attribute()",
        ". >> tei:p",
        "tei:p except tei:q",
    ],
)
def test_queries_that_stay_with_elementpath(query: str) -> None:
    with pytest.raises(Untranslatable):
        xp1(query)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # several nodes are an error in XPath 2.0: tcx2:single() raises, elementpath decides
        ("string(tei:p)", "string(tcx2:single(tei:p))"),
        ("contains(tei:p, 'x')", "contains(tcx2:single(tei:p), 'x')"),
        ("string-length((tei:p)[1])", "string-length((tei:p)[1])"),
        # empty is false where the whole is a condition
        (". >> tei:p", "tcx2:follows(., tei:p)"),
        ("not(id(@to) << .)", "not(tcx2:precedes(id(@to), .))"),
        (". castable as xs:date?", "tcx2:castable(., 'date', true())"),
        (
            "substring(@a, 2) lt concat(@b, 'x')",
            "(tcx2:compare(substring(@a, 2), concat(@b, 'x')) < 0)",
        ),
        ("max(tei:p/@n/string()) = '3'", "(tcx2:max-string(tei:p/@n) = '3')"),
        (
            "empty((@a | @b)/tokenize(normalize-space(.), ' ')[starts-with(., '#')])",
            "not(tcx2:tokenize-each(((@a | @b)))[starts-with(., '#')])",
        ),
    ],
)
def test_conditions_with_xpath_2_functions_translate(query: str, expected: str) -> None:
    token = make_parser("xslt2", NS).parse(query)
    assert translate(token, NS, condition=True) == expected


def test_a_node_comparison_translates_only_as_a_condition() -> None:
    with pytest.raises(Untranslatable):
        xp1("(. >> tei:p) = false()")


def test_current_and_lets_translate_when_bound() -> None:
    bound = frozenset({CURRENT_VARIABLE, "x"})
    assert xp1("tei:p[. = current()] and $x", bound) == f"(tei:p[(. = ${CURRENT_VARIABLE})] and $x)"
    assert xp1("//*[not(generate-id(.) eq generate-id(current()))]", bound) == (
        f"//*[not((count(. | ${CURRENT_VARIABLE}) = 1))]"
    )


def test_rule_contexts_become_selections_with_their_gates() -> None:
    parse = make_parser("xslt2", NS).parse
    assert translate_context(parse("tei:p"), NS) == ("//tei:p", frozenset({f"{{{TEI_NS}}}p"}))
    context, gate = translate_context(parse("(tei:a | tei:b)/tei:c/@n"), NS)
    assert context == "/descendant::tei:c[parent::tei:a or parent::tei:b]/@n"
    assert gate == frozenset({f"{{{TEI_NS}}}c"})
    assert translate_context(parse("tei:*[@when]"), NS)[1] == frozenset({"@when"})
    assert translate_context(parse("/*[count(//tei:x) gt 1]"), NS) == (
        "/*[(count(//tei:x) > 1)]",
        frozenset({f"{{{TEI_NS}}}x"}),
    )
    assert translate_context(parse("*"), NS)[1] is None
    with pytest.raises(Untranslatable):
        translate_context(parse("text()"), NS)


# -- same findings as the elementpath engine ----

SCHEMA = f"""<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">
  <ns prefix="tei" uri="{TEI_NS}"/>
  <pattern id="first-rule-wins">
    <rule context="tei:p[@n = '1']" id="p-one"><assert test="@rend">p 1 has no rend</assert></rule>
    <rule context="tei:p" id="p-any"><report test="@rend">a rend on <name/></report></rule>
  </pattern>
  <pattern id="attributes">
    <rule context="tei:hi/@rend" id="rend-known">
      <assert test=". = ('b', 'i')">rend <value-of select="."/> is unknown</assert>
    </rule>
  </pattern>
  <pattern id="lets-and-current">
    <rule context="tei:p" id="p-unique">
      <let name="n" value="@n"/>
      <assert test="not(following::tei:p[@n = $n])">n <value-of select="$n"/> repeated</assert>
      <report test="ancestor::tei:body[.//tei:hi[. = current()]]">p equal to a hi</report>
    </rule>
  </pattern>
  <pattern id="same-node">
    <rule context="tei:hi" id="rend-unique">
      <report test="//tei:hi[not(generate-id(.) eq generate-id(current()))]/@rend = @rend">same
      rend</report>
    </rule>
  </pattern>
  <pattern id="regex">
    <rule context="tei:*[@target]" id="one-target">
      <assert test="not(matches(@target, '\\s'))">one pointer only</assert>
    </rule>
  </pattern>
  <pattern id="xpath2-only">
    <rule context="tei:p" id="tokens">
      <report test="count(tokenize(., 'o')) gt 2">more than two o</report>
    </rule>
  </pattern>
</schema>"""

DOCUMENT = f"""<TEI xmlns="{TEI_NS}"><text><body>
  <p n="1">one two three</p>
  <p n="1" rend="x">bold</p>
  <p n="2" rend="y"><hi rend="b">bold</hi><hi rend="u" target="#a #b">u</hi></p>
  <p>bold</p>
</body></text></TEI>"""


def _both(schema: str, document: str) -> tuple[list, list, SchematronValidator]:
    compiled = SchematronValidator(schema.encode())
    plain = SchematronValidator(schema.encode(), compiled=False)
    data = document.encode()
    tree = etree.fromstring(data, safe_parser()).getroottree()
    return (
        compiled.validate(tree, source=data),
        plain.validate(tree, source=data),
        compiled,
    )


def test_crafted_rules_give_the_same_findings_in_libxml2() -> None:
    fast, slow, validator = _both(SCHEMA, DOCUMENT)
    assert fast == slow
    assert validator.libxml2_pattern_count == 5  # all but the tokenize() on a pattern
    assert [(i.rule, i.line, i.message) for i in fast] == [
        ("tokens", 2, "more than two o"),  # a tokenize() on a pattern: elementpath
        ("p-unique", 2, "n 1 repeated"),  # a let, node by node
        ("p-one", 2, "p 1 has no rend"),  # the first rule of a pattern matching a node wins
        ("p-unique", 3, "p equal to a hi"),  # current()
        ("p-any", 4, "a rend on p"),
        ("one-target", 4, "one pointer only"),  # matches()
        ("rend-known", 4, "rend u is unknown"),  # an attribute context
        ("p-unique", 5, "p equal to a hi"),
    ], fast


TOKENS = f"""<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">
  <ns prefix="tei" uri="{TEI_NS}"/>
  <pattern id="second-token">
    <rule context="tei:*[@target]" id="two-targets">
      <let name="targets" value="tokenize(normalize-space(@target), ' ')"/>
      <report test="$targets[2]"><value-of select="count($targets)"/> targets on <name/></report>
    </rule>
  </pattern>
  <pattern id="token-compared">
    <rule context="tei:hi" id="rend-listed">
      <let name="me" value="concat('#', @xml:id)"/>
      <assert test="count(//tei:ptr[tokenize(normalize-space(@target), ' ') = $me]) = 1"
        >hi <value-of select="$me"/> is pointed at <value-of
        select="count(//tei:ptr[tokenize(normalize-space(@target), ' ') = $me])"/> times</assert>
    </rule>
  </pattern>
  <pattern id="token-count">
    <rule context="tei:p" id="words">
      <report test="count(tokenize(normalize-space(.), ' ')) gt 2">more than two words</report>
      <assert test="exists(tokenize(normalize-space(.), ' '))">an empty p</assert>
      <report test="tokenize(normalize-space(.), ' ') = ('bold', 'u')">a bold word</report>
    </rule>
  </pattern>
  <pattern id="union-step">
    <rule context="tei:ptr" id="ptr-in">
      <assert test="../(self::tei:p | self::tei:ab)">a ptr outside p and ab</assert>
    </rule>
  </pattern>
</schema>"""

TOKENS_DOCUMENT = f"""<TEI xmlns="{TEI_NS}"><text><body>
  <p n="1">one   two bold</p>
  <p><hi xml:id="a">bold</hi><hi xml:id="b">u</hi><ptr target=" #a  #b "/></p>
  <ab><ptr target="#a"/><ptr target="#c"/></ab>
  <div><ptr target="#b #b"/></div>
  <p>  </p>
</body></text></TEI>"""


def test_tokens_and_rule_variables_run_in_libxml2() -> None:
    fast, slow, validator = _both(TOKENS, TOKENS_DOCUMENT)
    assert fast == slow
    assert validator.libxml2_pattern_count == 4
    found = [(i.rule, i.line, i.message) for i in fast]
    assert ("two-targets", 3, "2 targets on ptr") in found  # the variable inlined
    assert ("rend-listed", 3, "hi #a is pointed at 2 times") in found  # node by node
    assert ("ptr-in", 5, "a ptr outside p and ab") in found  # x/(a | b)
    assert ("words", 2, "more than two words") in found
    assert ("words", 6, "an empty p") in found
    assert ("words", 2, "a bold word") in found
    # the translations: a variable's tokens written where it is used
    compiled = {p.pattern_id: p.compiled for p in validator.patterns}
    assert "tcx2:token(normalize-space(@target), 2)" in compiled["second-token"][0].among[0].path


@pytest.mark.parametrize(
    "test",
    [
        "tokenize(normalize-space(@a), ' ')",  # a sequence in a boolean: an error in 2.0
        "tokenize(@a, ' ') = 'x'",  # not normalised: empty tokens
        "tokenize(normalize-space(@a), ',') = 'x'",  # another separator
        "tokenize(normalize-space(@a), ' ') = 1",  # strings against a number
        "string(tokenize(normalize-space(@a), ' '))",
    ],
)
def test_tokens_translate_only_where_they_mean_the_same(test: str) -> None:
    with pytest.raises(Untranslatable):
        xp1(test)


def test_a_variable_is_inlined_only_where_the_focus_is_the_rules() -> None:
    parse = make_parser("xslt2", NS).parse
    inline = {"v": parse("@n")}
    assert translate(parse("$v = '1'"), NS, inline=inline) == "((@n) = '1')"
    with pytest.raises(Untranslatable):
        translate(parse("tei:p[@n = $v]"), NS, inline=inline)
    with pytest.raises(Untranslatable):
        translate(parse("tei:p/concat(@n, $v) = 'x'"), NS, inline=inline)


def test_what_libxml2_cannot_take_stays_with_elementpath() -> None:
    schema = f"""<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">
      <ns prefix="tei" uri="{TEI_NS}"/>
      <pattern><rule context="tei:hi"><assert test="matches(@target, '[')">x</assert>
      </rule></pattern>
      <pattern><rule context="tei:hi"><assert test="matches(@rend, 'B', 'q')">y</assert>
      </rule></pattern></schema>"""
    fast, slow, validator = _both(schema, DOCUMENT)
    assert validator.libxml2_pattern_count == 0  # a bad pattern; the flag q (XPath 3.0)
    assert fast == slow
    assert any("cannot evaluate" in i.message for i in fast)


# -- the TEI's own rules over the corpus ----


@pytest.fixture(scope="module")
def tei_all_sch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tei_cable.validate.runner import Validator

    odd = TEI_REF / "tei_all.odd"
    if not odd.exists():
        pytest.skip(f"reference TEI data not found at {TEI_REF}")
    before = os.environ.get("TEI_CABLE_CACHE_DIR")
    os.environ["TEI_CABLE_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    try:
        return Validator(str(odd), "sch").schema.files["sch"]
    finally:
        if before is None:
            os.environ.pop("TEI_CABLE_CACHE_DIR", None)
        else:
            os.environ["TEI_CABLE_CACHE_DIR"] = before


def test_the_tei_rules_give_the_same_findings_rule_by_rule(tei_all_sch: Path) -> None:
    from tei_cable.validate import document as documents

    fast = SchematronValidator(tei_all_sch)
    slow = SchematronValidator(tei_all_sch, compiled=False)
    assert fast.libxml2_pattern_count >= 80 and len(fast.patterns) >= 90
    corpus = sorted((TEI_REF / "corpus").rglob("*.xml"))
    sample = corpus[::6]  # every edition; the golden file covers all files with the fast engine
    compared = fired = 0
    for path in sample:
        document = documents.load(path)
        if document.tree is None:
            continue
        a = fast.run(document.tree, source=document.data)
        b = slow.run(document.tree, source=document.data)
        assert a.issues == b.issues, path
        assert (a.fired, a.failed, a.flags) == (b.fired, b.failed, b.flags), path
        compared += 1
        fired += a.fired
    assert compared > 80 and fired > 1000


@pytest.mark.parametrize(
    ("test", "kind", "expected"),
    [
        (  # a report: the variable part may be anything, so it is taken as true
            "ancestor::tei:l[not(.//tei:note//tei:l[. = current()])]",
            "report",
            "boolean(ancestor::tei:l[not((/..))])",
        ),
        (  # an assert fails where its test is false: under not() the sense turns
            "not(//tei:x[@k = current()/@k])",
            "assert",
            "not(not(//tei:x[true()]))",
        ),
        ("count(//tei:x[@n = $v]) = 1", "assert", None),  # a count must be exact
        ("@a or $v", "report", "boolean((@a or true()))"),
    ],
)
def test_a_condition_for_failing_keeps_every_node_that_may_fail(
    test: str, kind: str, expected: str | None
) -> None:
    parse = make_parser("xslt2", NS).parse
    assert failing_condition(parse(test), kind, NS) == expected


def test_rules_run_node_by_node_check_only_the_nodes_that_may_fail() -> None:
    schema = f"""<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">
      <ns prefix="tei" uri="{TEI_NS}"/>
      <pattern><rule context="tei:hi" id="same-rend-before">
        <report test="preceding::tei:hi[@rend = current()/@rend]">rend repeated</report>
      </rule></pattern></schema>"""
    document = f"""<TEI xmlns="{TEI_NS}"><text><body>
      <p><hi rend="b">1</hi><hi rend="i">2</hi></p>
      <p><hi rend="b">3</hi><hi>4</hi></p>
    </body></text></TEI>"""
    fast, slow, validator = _both(schema, document)
    assert fast == slow
    assert [(i.rule, i.line) for i in fast] == [("same-rend-before", 3)]
    (rule,) = validator.patterns[0].compiled
    assert rule.prefilter is not None and "preceding::tei:hi[true()]" in rule.prefilter.path


def test_a_variable_independent_of_the_focus_is_kept_per_document_only_as_nodes() -> None:
    parser = make_parser("xslt2", NS)
    inline = {"ids": parser.parse("//@xml:id"), "yes": parser.parse("true()")}

    def written(query: str) -> str:
        return translate(parser.parse(query), NS, inline=inline, condition=True)

    assert written("tei:p[@a = $ids]") == (
        f"tei:p[(@a = tcx2:memo('//@xml:id', /*, 'tei={TEI_NS}'))]"
    )
    assert written("tei:p[substring(@a, 2) = $ids]") == (
        f"tei:p[tcx2:in-memo(substring(@a, 2), '//@xml:id', /*, 'tei={TEI_NS}')]"
    )
    assert written("tei:p[@a = $yes]") == "tei:p[(@a = (true()))]"  # a boolean: compared as one
    assert written("tokenize(normalize-space(@a), ' ')[2] = 'x'") == (
        "(tcx2:token(normalize-space(@a), 2) = 'x')"
    )
    with pytest.raises(Untranslatable):
        written("tokenize(normalize-space(@a), ' ')[starts-with(., '#')][1] = 'x'")
