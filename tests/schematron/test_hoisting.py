"""Schematron in libxml2: absolute paths of elements evaluated once per document (given to
the queries as variables), ``//x[p]`` as ``/descendant::x[p]`` in rule contexts, unions taken
as conditions; each where the meaning is kept, and the findings those of elementpath."""

from __future__ import annotations

import pytest
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
CURRENT = frozenset({CURRENT_VARIABLE})


def hoist(query: str, variables: frozenset[str] = CURRENT) -> tuple[str, dict[str, str]]:
    hoisted: dict[str, str] = {}
    token = make_parser("xslt2", NS).parse(query)
    return translate(token, NS, variables, condition=True, hoisted=hoisted), hoisted


@pytest.mark.parametrize(
    ("query", "expected", "paths"),
    [
        ("not(//tei:moduleRef)", "not($tcx2doc1)", ["//tei:moduleRef"]),
        # the same path twice: one variable
        (
            "//tei:a and not(//tei:a/tei:b)",
            "($tcx2doc1 and not($tcx2doc2))",
            ["//tei:a", "//tei:a/tei:b"],
        ),
        # the whole path, positional predicates included, where it needs no variable
        ("//tei:l[1]/@n = @n", "($tcx2doc1/@n = @n)", ["//tei:l[1]"]),
        ("/tei:TEI/tei:text", "$tcx2doc1", ["/tei:TEI/tei:text"]),
        # //X[p] with current(): //X once, filtered by p
        (
            "//tei:moduleSpec[@ident = current()/@module]",
            f"$tcx2doc1[(@ident = ${CURRENT_VARIABLE}/@module)]",
            ["//tei:moduleSpec"],
        ),
        (
            "//tei:x[@a][. = current()]/tei:y",
            f"$tcx2doc1[@a][(. = ${CURRENT_VARIABLE})]/tei:y",
            ["//tei:x"],
        ),
    ],
)
def test_absolute_paths_of_elements_become_document_variables(
    query: str, expected: str, paths: list[str]
) -> None:
    written, hoisted = hoist(query)
    assert written == expected
    assert list(hoisted.values()) == paths
    assert list(hoisted) == [f"tcx2doc{n}" for n in range(1, len(paths) + 1)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # attributes and text: lxml gives them back as strings
        ("//@xml:id = @n", "(//@xml:id = @n)"),
        ("//@n = @n", "(//@n = @n)"),
        ("//text() = .", "(//text() = .)"),
        ("/", "/"),
        ("//node()", "//node()"),
        # ... but the elements they are taken from
        ("//tei:p/@n = @n", "($tcx2doc1/@n = @n)"),
        ("//tei:p/text() = .", "($tcx2doc1/text() = .)"),
        ("//tei:p/..", "$tcx2doc1/.."),
        # a position among the children of each parent, not among all of them
        (
            "//tei:l[1][@n = current()/@n]",
            f"//tei:l[1][(@n = ${CURRENT_VARIABLE}/@n)]",
        ),
        (
            "//tei:l[position() = count(current()/preceding-sibling::*)]",
            f"//tei:l[(position() = count(${CURRENT_VARIABLE}/preceding-sibling::*))]",
        ),
        (
            "//tei:l[@n][last()][. = current()]",
            f"//tei:l[@n][last()][(. = ${CURRENT_VARIABLE})]",
        ),
        # a variable the rule binds is no part of a per-document value
        ("//tei:p[@n = $n]", "$tcx2doc1[(@n = $n)]"),
        ("//tei:p[$n]", "//tei:p[$n]"),  # $n may be a number
        # relative paths depend on the focus
        ("tei:p//tei:q", "tei:p//tei:q"),
    ],
)
def test_what_is_not_a_document_variable(query: str, expected: str) -> None:
    written, _ = hoist(query, CURRENT | {"n"})
    assert written == expected


def test_without_hoisting_nothing_changes() -> None:
    token = make_parser("xslt2", NS).parse("not(//tei:moduleRef)")
    assert translate(token, NS, condition=True) == "not(//tei:moduleRef)"


def test_a_condition_for_failing_uses_the_same_variables() -> None:
    token = make_parser("xslt2", NS).parse(
        "not(@module) or //tei:moduleRef[@key = current()/@module] or not(//tei:moduleRef)"
    )
    hoisted: dict[str, str] = {}
    written = failing_condition(token, "assert", NS, hoisted)
    assert written == "not(((not(@module) or (/..)) or not($tcx2doc1)))"
    assert hoisted == {"tcx2doc1": "//tei:moduleRef"}


def test_a_memo_of_string_values_takes_no_variable() -> None:
    hoisted: dict[str, str] = {}
    parser = make_parser("xslt2", NS)
    written = translate(
        parser.parse("@target = $ids"),
        NS,
        inline={"ids": parser.parse("//tei:*/@xml:id")},
        condition=True,
        hoisted=hoisted,
    )
    assert written.startswith("(@target = tcx2:memo('//tei:*/@xml:id'")
    assert "$tcx2doc" not in written
    assert hoisted == {}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("not(@a | @b)", "not((@a or @b))"),
        ("boolean(tei:p | ancestor::tei:q | ..)", "boolean(((tei:p or ancestor::tei:q) or ..))"),
        ("count(tei:p | tei:q) = 1", "(count((tei:p | tei:q)) = 1)"),  # not a condition
        ("(tei:p | tei:q)/@n = 'x'", "(((tei:p | tei:q))/@n = 'x')"),  # a path of it
    ],
)
def test_a_union_taken_as_a_condition_is_an_or(query: str, expected: str) -> None:
    token = make_parser("xslt2", NS).parse(query)
    assert translate(token, NS, condition=True) == expected


@pytest.mark.parametrize(
    ("context", "expected"),
    [
        ("tei:*[@when]", "/descendant::tei:*[@when]"),
        ("tei:desc[@type eq 'x']", "/descendant::tei:desc[(@type = 'x')]"),
        ("tei:model[not(parent::tei:x)][@predicate]/tei:p", None),
        ("tei:l", "//tei:l"),  # libxml2 does so itself
        ("tei:l[1]", "//tei:l[1]"),  # the first child of each parent
        ("tei:l[last()]", "//tei:l[last()]"),
        (
            "tei:l[string(@n) = string(2 * position())]",
            "//tei:l[(string(@n) = string((2 * position())))]",
        ),
        ("tei:l[@n]/@xml:id", "/descendant::tei:l[@n]/@xml:id"),
        ("tei:l/@n[. = '1']", "//tei:l/@n[(. = '1')]"),
    ],
)
def test_a_context_with_predicates_selects_descendants(context: str, expected: str | None) -> None:
    written, _ = translate_context(make_parser("xslt2", NS).parse(context), NS)
    if expected is None:
        assert written.startswith("/descendant::tei:model[")
    else:
        assert written == expected


# -- same findings as elementpath ----

SCHEMA = f"""<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">
  <ns prefix="tei" uri="{TEI_NS}"/>
  <pattern id="in-module">
    <rule context="tei:elementSpec[@module] | tei:classSpec[@module]" id="spec-in-module">
      <assert test="not(ancestor::tei:schemaSpec) or not(//tei:moduleSpec) and not(//tei:moduleRef)
                    or //tei:moduleSpec[@ident = current()/@module]
                    or //tei:moduleRef[@key = current()/@module]">no module <value-of
                    select="@module"/></assert>
    </rule>
  </pattern>
  <pattern id="first-line">
    <rule context="tei:l" id="first-of-its-group">
      <report test="//tei:l[1][@n = current()/@n]">a first line: <value-of select="@n"/></report>
    </rule>
  </pattern>
  <pattern id="set-at-a-time">
    <rule context="tei:l[@n]" id="no-note">
      <assert test="not(//tei:note) or @n = //tei:note/@n">line <value-of select="@n"/></assert>
    </rule>
  </pattern>
  <pattern id="last-line">
    <rule context="tei:l" id="last-of-all">
      <let name="n" value="@n"/>
      <report test="(//tei:l)[last()][@n = $n]">the last line</report>
    </rule>
  </pattern>
</schema>"""

DOCUMENT = f"""<TEI xmlns="{TEI_NS}"><text><body>
  <schemaSpec ident="x">
    <moduleRef key="core"/>
    <elementSpec ident="a" module="core"/>
    <elementSpec ident="b" module="tei"/>
    <classSpec ident="c" module="header"/>
  </schemaSpec>
  <elementSpec ident="d" module="nowhere"/>
  <lg><l n="1"/><l n="2"/></lg>
  <lg><l n="3"/><l n="4"/></lg>
  <note n="3"/>
</body></text></TEI>"""


def _both(document: str) -> tuple[list, list, SchematronValidator]:
    compiled = SchematronValidator(SCHEMA.encode())
    plain = SchematronValidator(SCHEMA.encode(), compiled=False)
    data = document.encode()
    tree = etree.fromstring(data, safe_parser()).getroottree()
    return compiled.validate(tree, source=data), plain.validate(tree, source=data), compiled


def test_hoisted_paths_give_the_same_findings_as_elementpath() -> None:
    fast, slow, validator = _both(DOCUMENT)
    assert validator.libxml2_pattern_count == 4
    documents = [
        {name: query.path for name, query in rule.documents.items()}
        for pattern in validator.patterns
        for rule in pattern.compiled or []
    ]
    assert documents == [
        {"tcx2doc1": "//tei:moduleSpec", "tcx2doc2": "//tei:moduleRef"},
        {},  # //tei:l[1]: the first of each group, not of all
        {"tcx2doc1": "//tei:note"},
        {"tcx2doc1": "//tei:l"},
    ]
    assert fast == slow
    assert [(i.rule, i.line, i.message) for i in fast] == [
        ("spec-in-module", 5, "no module tei"),
        ("spec-in-module", 6, "no module header"),
        # d is outside the schemaSpec
        ("first-of-its-group", 9, "a first line: 1"),
        ("no-note", 9, "line 1"),
        ("no-note", 9, "line 2"),
        ("first-of-its-group", 10, "a first line: 3"),  # the first of the second group
        ("no-note", 10, "line 4"),
        ("last-of-all", 10, "the last line"),
    ]


def test_a_document_changed_between_two_runs_is_judged_afresh() -> None:
    validator = SchematronValidator(SCHEMA.encode())
    data = DOCUMENT.encode()
    tree = etree.fromstring(data, safe_parser()).getroottree()
    before = [i.message for i in validator.validate(tree) if i.rule == "spec-in-module"]
    assert before == ["no module tei", "no module header"]
    ref = tree.find(f".//{{{TEI_NS}}}moduleRef")
    ref.addnext(etree.Element(f"{{{TEI_NS}}}moduleRef", key="tei"))
    after = [i.message for i in validator.validate(tree) if i.rule == "spec-in-module"]
    assert after == ["no module header"]
    for note in tree.iter(f"{{{TEI_NS}}}note"):
        note.getparent().remove(note)
    assert not [i for i in validator.validate(tree) if i.rule == "no-note"]


def test_no_hoisted_path_is_an_untranslatable_one() -> None:
    with pytest.raises(Untranslatable):
        hoist("//tei:p[@n = $undefined]", frozenset())


def test_the_compiled_form_keeps_the_document_variables(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("TEI_CABLE_CACHE_DIR", str(tmp_path))
    schema = tmp_path / "hoisting.sch"
    schema.write_text(SCHEMA, encoding="utf-8")
    first = SchematronValidator(schema)
    second = SchematronValidator(schema)
    assert second._lazy and not first._lazy
    data = DOCUMENT.encode()
    tree = etree.fromstring(data, safe_parser()).getroottree()
    assert second.validate(tree, source=data) == first.validate(tree, source=data)
    rule = second.patterns[0].compiled[0]
    assert {n: q.path for n, q in rule.documents.items()} == {
        "tcx2doc1": "//tei:moduleSpec",
        "tcx2doc2": "//tei:moduleRef",
    }


@pytest.mark.parametrize(
    ("context", "expected"),
    [
        (
            "(tei:a | tei:b)/tei:c/tei:d",
            "/descendant::tei:c[parent::tei:a or parent::tei:b]/tei:d",
        ),
        ("(tei:a | tei:b)/tei:c", "/descendant::tei:c[parent::tei:a or parent::tei:b]"),
        # not a name after the union: one path per name, as before
        ("(tei:a | tei:b)/@n", "//tei:a/@n | //tei:b/@n"),
        ("(tei:a | tei:b)//tei:c", "//tei:a//tei:c | //tei:b//tei:c"),
        ("(tei:a | tei:*)/tei:c", "//tei:a/tei:c | //tei:*/tei:c"),
    ],
)
def test_a_union_of_names_then_a_name_is_searched_once(context: str, expected: str) -> None:
    written, _ = translate_context(make_parser("xslt2", NS).parse(context), NS)
    assert written == expected


@pytest.mark.parametrize(
    ("query", "kind", "expected"),
    [
        # the left-out predicate keeps no node: the path selects none, nothing is searched
        (
            "ancestor::tei:l[not(.//tei:note//tei:l[. = current()])]",
            "report",
            "boolean(ancestor::tei:l[not((/..))])",
        ),
        (
            "//tei:moduleRef[@key = current()/@module] or @n",
            "assert",
            "not(((/..) or @n))",
        ),
        ("tei:p[@n = current()/@n]/@rend = 'x'", "assert", "not(((/..) = 'x'))"),
        ("tei:p[@n = current()/@n]/@rend = 'x'", "report", "boolean((tei:p[true()]/@rend = 'x'))"),
    ],
)
def test_a_path_whose_predicate_is_left_out_selects_nothing(
    query: str, kind: str, expected: str
) -> None:
    token = make_parser("xslt2", NS).parse(query)
    assert failing_condition(token, kind, NS, {}) == expected


def test_a_predicate_false_selects_nothing() -> None:
    written, _ = hoist("tei:p[false()]/@n = 'x' or not(//tei:q[false()])")
    assert written == "(((/..) = 'x') or not((/..)))"


SCHEMA_2 = f"""<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">
  <ns prefix="tei" uri="{TEI_NS}"/>
  <pattern id="pointers">
    <rule context="(tei:elementSpec | tei:classSpec)/tei:listRef/tei:ptr" id="ptr-target">
      <assert test="@target">a pointer without a target</assert>
    </rule>
  </pattern>
  <pattern id="l-in-l">
    <rule context="tei:l" id="l-in-l">
      <report test="ancestor::tei:l[not(.//tei:note//tei:l[. = current()])]">l in l</report>
    </rule>
  </pattern>
</schema>"""

DOCUMENT_2 = f"""<TEI xmlns="{TEI_NS}"><text><body>
  <elementSpec><listRef><ptr/><ptr target="#a"/></listRef></elementSpec>
  <classSpec><listRef><ptr/></listRef></classSpec>
  <macroSpec><listRef><ptr/></listRef></macroSpec>
  <listRef><ptr/></listRef>
  <l>a <l>b</l> <note><l>c</l></note></l>
</body></text></TEI>"""


def test_rewritten_contexts_and_left_out_predicates_give_the_same_findings() -> None:
    compiled = SchematronValidator(SCHEMA_2.encode())
    plain = SchematronValidator(SCHEMA_2.encode(), compiled=False)
    assert compiled.libxml2_pattern_count == 2
    data = DOCUMENT_2.encode()
    tree = etree.fromstring(data, safe_parser()).getroottree()
    fast = compiled.validate(tree, source=data)
    assert fast == plain.validate(tree, source=data)
    assert [(i.rule, i.line) for i in fast] == [
        ("ptr-target", 2),
        ("ptr-target", 3),
        ("l-in-l", 6),  # b; c is in a note of the l it is in, and equal to it
    ]


def test_the_names_for_the_gates_are_the_documents_among_the_gates() -> None:
    from tei_cable.schematron.engine import _names_of

    data = f"""<TEI xmlns="{TEI_NS}" xmlns:x="urn:x"><!-- c --><?pi x?>
      <text when="1900" x:n="1" xml:id="t"><p/><x:p rend="b"/><l/><q xmlns=""/></text></TEI>"""
    tree = etree.fromstring(data.encode(), safe_parser()).getroottree()
    wanted = frozenset({f"{{{TEI_NS}}}p", "{urn:x}p", "q", f"{{{TEI_NS}}}lg", "p"})
    names, elements = _names_of(tree, wanted)
    assert {tag: [e.tag for e in found] for tag, found in elements.items()} == {
        f"{{{TEI_NS}}}p": [f"{{{TEI_NS}}}p"],
        "{urn:x}p": ["{urn:x}p"],
        "q": ["q"],
    }
    assert names == {
        f"{{{TEI_NS}}}p",
        "{urn:x}p",
        "q",
        "@when",
        "@{urn:x}n",
        "@{http://www.w3.org/XML/1998/namespace}id",
        "@rend",
    }
    assert _names_of(tree, frozenset()) == (
        {
            "@when",
            "@{urn:x}n",
            "@{http://www.w3.org/XML/1998/namespace}id",
            "@rend",
        },
        {},
    )
    validator = SchematronValidator(SCHEMA.encode())
    assert validator.gate_elements == {
        f"{{{TEI_NS}}}{name}" for name in ("elementSpec", "classSpec", "l")
    }


SCHEMA_3 = f"""<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">
  <ns prefix="tei" uri="{TEI_NS}"/>
  <pattern id="named">
    <rule context="tei:TEI" id="root"><report test="tei:text">a text</report></rule>
    <rule context="tei:p" id="p-n"><report test="@n">p <value-of select="@n"/></report></rule>
    <rule context="tei:*[@n]" id="other-n"><report test="true()">n on <name/></report></rule>
  </pattern>
</schema>"""


def test_a_context_of_one_name_takes_the_elements_the_gates_gathered() -> None:
    compiled = SchematronValidator(SCHEMA_3.encode())
    plain = SchematronValidator(SCHEMA_3.encode(), compiled=False)
    data = f"""<TEI xmlns="{TEI_NS}"><text><p n="1"><p n="2"/></p><p/>
      <q n="3"/><p xmlns="urn:other" n="4"/></text></TEI>""".encode()
    tree = etree.fromstring(data, safe_parser()).getroottree()
    fast, slow = compiled.run(tree, source=data), plain.run(tree, source=data)
    assert (fast.issues, fast.fired, fast.failed) == (slow.issues, slow.fired, slow.failed)
    assert [(i.rule, i.message) for i in fast.issues] == [
        ("root", "a text"),
        ("p-n", "p 1"),
        ("p-n", "p 2"),
        ("other-n", "n on q"),
    ]
    assert fast.fired == 5  # TEI, three p, the q (a p of another namespace matches nothing)
    assert compiled.context_names["//tei:p"] == f"{{{TEI_NS}}}p"
    assert compiled.context_names["//tei:TEI"] == f"{{{TEI_NS}}}TEI"
    assert compiled.context_names["/descendant::tei:*[@n]"] is None


def test_nothing_of_a_document_outlives_its_validation(monkeypatch) -> None:
    """What is evaluated once per document (absolute paths, memos of string values) is kept
    for the document's run only: afterwards the validator holds nothing of it."""
    from conftest import REPO

    from tei_cable.schemas import resolve
    from tei_cable.schematron import engine, xpath1

    held: list[int] = []
    outcome = engine._Run._outcome

    def counted(run):  # what the per-document tables hold as the run ends
        held.append(len(xpath1._MEMOS) + len(xpath1._NODES) + len(xpath1._MEMO_SETS))
        return outcome(run)

    monkeypatch.setattr(engine._Run, "_outcome", counted)
    validator = SchematronValidator(resolve("tei_cable").files["sch"])
    tree = etree.parse(str(REPO / "encoded" / "wilson-117409.xml"), safe_parser())
    assert validator.validate(tree) == []
    assert held and held[0] > 0  # the run used them
    assert (xpath1._MEMOS, xpath1._NODES, xpath1._MEMO_SETS, xpath1._VALUES) == ({}, {}, {}, {})
