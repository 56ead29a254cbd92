"""The ODD language, feature by feature: small customizations of TEI 4.9.0 (the bundled source)
compiled and tried on documents that must pass and documents that must fail."""

from __future__ import annotations

import shutil

import pytest
from lxml import etree
from odd_helpers import (
    BASE_MODULES,
    FIXTURES,
    TEI,
    T,
    compile_text,
    odd_text,
    schema_of,
    tei,
    valid,
)

from tei_cable.odd import compile_odd


def check(compiled, good: list[str], bad: list[str]) -> None:
    schema = schema_of(compiled)
    for body in good:
        assert valid(schema, tei(body)), (body, str(schema.error_log))
    for body in bad:
        assert not valid(schema, tei(body)), body


def test_moduleref_include_and_except(tmp_path):
    text = odd_text(
        "",
        modules="""
      <moduleRef key="tei"/>
      <moduleRef key="core" include="p hi title name date note"/>
      <moduleRef key="header" except="handNote listChange"/>
      <moduleRef key="textstructure" include="TEI text body div"/>""",
    )
    compiled = compile_text(text, tmp_path)
    names = {p.data[0][2] for p in compiled.grammar.elements.values() if p.data[0][0] == "name"}
    assert {"p", "hi", "title", "div", "teiHeader", "fileDesc"} <= names
    assert not names & {"emph", "list", "foreign", "handNote", "front", "back", "listChange"}
    check(
        compiled,
        good=["<p><hi>x</hi> <name>N</name></p>", "<div><p/></div>"],
        bad=["<p><emph>x</emph></p>", "<list><item/></list>"],
    )


def test_deleted_element_is_pruned_from_content_models(tmp_path):
    compiled = compile_text(odd_text('<elementSpec ident="hi" mode="delete"/>'), tmp_path)
    assert "hi" not in compiled.grammar.elements
    assert b'name="hi"' not in compiled.rng_bytes()
    check(compiled, good=["<p>x <emph>y</emph></p>"], bad=["<p><hi>x</hi></p>"])
    assert all(s.get("ident") != "hi" for s in compiled.customization.specs)


def test_change_of_content_with_pure_odd(tmp_path):
    compiled = compile_text(
        odd_text("""
      <elementSpec ident="p" mode="change">
        <content>
          <alternate minOccurs="0" maxOccurs="unbounded">
            <textNode/>
            <elementRef key="name"/>
            <elementRef key="date"/>
          </alternate>
        </content>
      </elementSpec>"""),
        tmp_path,
    )
    check(
        compiled,
        good=["<p>On <date>Monday</date> <name>X</name> came.</p>", "<p/>"],
        bad=["<p><hi>x</hi></p>", "<p><note>n</note></p>"],
    )


def test_closed_value_list_on_an_inherited_attribute(tmp_path):
    compiled = compile_text(
        odd_text("""
      <elementSpec ident="div" mode="change">
        <attList>
          <attDef ident="type" mode="change">
            <valList type="closed" mode="replace">
              <valItem ident="letter"/>
              <valItem ident="telegram"/>
            </valList>
          </attDef>
        </attList>
      </elementSpec>"""),
        tmp_path,
    )
    check(
        compiled,
        good=[
            '<div type="letter"><p/></div>',
            '<div type=" telegram "><p/></div>',
            "<div><p/></div>",
            '<div subtype="x"><p/></div>',
        ],
        bad=['<div type="memo"><p/></div>', '<div type="letter telegram"><p/></div>'],
    )


def test_inherited_attribute_made_required_keeps_its_datatype(tmp_path):
    compiled = compile_text(
        odd_text("""
      <elementSpec ident="date" mode="change">
        <attList><attDef ident="when" mode="change" usage="req"/></attList>
      </elementSpec>"""),
        tmp_path,
    )
    check(
        compiled,
        good=[
            '<p><date when="1962-10-27">27 Oct.</date></p>',
            '<p><date when="1962">1962</date></p>',
        ],
        bad=["<p><date>27 Oct.</date></p>", '<p><date when="27/10/1962">x</date></p>'],
    )


def test_inherited_attribute_deleted_on_one_element(tmp_path):
    compiled = compile_text(
        odd_text("""
      <elementSpec ident="p" mode="change">
        <attList><attDef ident="rend" mode="delete"/></attList>
      </elementSpec>"""),
        tmp_path,
    )
    check(
        compiled,
        good=['<p n="1" style="x">a</p>', '<div rend="x"><p/></div>'],
        bad=['<p rend="italic">a</p>'],
    )


def test_new_required_attribute_with_a_closed_list(tmp_path):
    compiled = compile_text(
        odd_text("""
      <elementSpec ident="note" mode="change">
        <attList>
          <attDef ident="status" usage="req">
            <datatype><dataRef key="teidata.enumerated"/></datatype>
            <valList type="closed"><valItem ident="draft"/><valItem ident="final"/></valList>
          </attDef>
        </attList>
      </elementSpec>"""),
        tmp_path,
    )
    check(
        compiled,
        good=['<p>a<note status="draft">n</note></p>'],
        bad=["<p>a<note>n</note></p>", '<p>a<note status="other">n</note></p>'],
    )


def test_class_membership_deleted(tmp_path):
    compiled = compile_text(
        odd_text("""
      <elementSpec ident="note" mode="change">
        <classes mode="change"><memberOf key="model.noteLike" mode="delete"/></classes>
      </elementSpec>"""),
        tmp_path,
    )
    check(compiled, good=["<p>a</p>"], bad=["<p>a<note>n</note></p>"])
    note = compiled.customization.by_ident()["note"]
    keys = [m.get("key") for m in note.iter(f"{T}memberOf")]
    assert "model.noteLike" not in keys and "att.global" in keys


def test_new_element_class_datatype_and_attribute_class(tmp_path):
    compiled = compile_text(
        odd_text("""
      <classSpec ident="att.coded" type="atts">
        <attList>
          <attDef ident="code" usage="req">
            <datatype><dataRef key="tc.code"/></datatype>
          </attDef>
        </attList>
      </classSpec>
      <dataSpec ident="tc.code">
        <content><dataRef name="token" restriction="[A-Z]{3}"/></content>
      </dataSpec>
      <elementSpec ident="block" mode="add">
        <classes>
          <memberOf key="att.global"/>
          <memberOf key="att.coded"/>
          <memberOf key="model.divPart"/>
        </classes>
        <content>
          <sequence>
            <elementRef key="head" minOccurs="0"/>
            <elementRef key="p" minOccurs="1" maxOccurs="unbounded"/>
          </sequence>
        </content>
      </elementSpec>"""),
        tmp_path,
    )
    block = compiled.customization.by_ident()["block"]
    assert block.get("module") == "derived-module-test"
    check(
        compiled,
        good=[
            '<block code="ABC"><p/></block>',
            '<block code="XYZ"><head>h</head><p/><p/></block>',
            '<div><block code="ABC" n="1"><p/></block></div>',
        ],
        bad=[
            "<block><p/></block>",
            '<block code="abc"><p/></block>',
            '<block code="ABC"/>',
            '<block code="ABC"><p/><head>h</head></block>',
        ],
    )


EXPAND = """
      <classSpec ident="model.pair" type="model"/>
      <elementSpec ident="a" mode="add">
        <classes><memberOf key="model.pair"/></classes><content><empty/></content>
      </elementSpec>
      <elementSpec ident="b" mode="add">
        <classes><memberOf key="model.pair"/></classes><content><empty/></content>
      </elementSpec>
      <elementSpec ident="pair" mode="add">
        <classes><memberOf key="model.divPart"/></classes>
        <content><classRef key="model.pair" expand="{expand}"/></content>
      </elementSpec>"""


@pytest.mark.parametrize(
    ("expand", "good", "bad"),
    [
        ("alternation", ["<a/>", "<b/>"], ["", "<a/><b/>"]),
        ("sequence", ["<a/><b/>"], ["", "<a/>", "<b/><a/>", "<a/><b/><a/>"]),
        ("sequenceOptional", ["", "<a/>", "<b/>", "<a/><b/>"], ["<b/><a/>", "<a/><a/>"]),
        ("sequenceOptionalRepeatable", ["", "<a/><a/>", "<b/>", "<a/><b/><b/>"], ["<b/><a/>"]),
        ("sequenceRepeatable", ["<a/><b/>", "<a/><a/><b/><b/>"], ["", "<a/>", "<b/><a/>"]),
    ],
)
def test_classref_expand(tmp_path, expand, good, bad):
    compiled = compile_text(odd_text(EXPAND.format(expand=expand)), tmp_path)
    check(
        compiled, good=[f"<pair>{x}</pair>" for x in good], bad=[f"<pair>{x}</pair>" for x in bad]
    )


def test_plain_classref_is_the_alternation_of_members(tmp_path):
    compiled = compile_text(
        odd_text(EXPAND.replace(' expand="{expand}"', ' maxOccurs="2"')), tmp_path
    )
    check(
        compiled,
        good=["<pair><a/></pair>", "<pair><b/><a/></pair>"],
        bad=["<pair/>", "<pair><a/><a/><a/></pair>"],
    )


def test_min_and_max_occurs(tmp_path):
    compiled = compile_text(
        odd_text("""
      <elementSpec ident="row3" mode="add">
        <classes><memberOf key="model.divPart"/></classes>
        <content><elementRef key="p" minOccurs="2" maxOccurs="3"/></content>
      </elementSpec>"""),
        tmp_path,
    )
    check(
        compiled,
        good=["<row3><p/><p/></row3>", "<row3><p/><p/><p/></row3>"],
        bad=["<row3><p/></row3>", "<row3><p/><p/><p/><p/></row3>"],
    )


def test_any_element_takes_foreign_markup_only(tmp_path):
    compiled = compile_text(
        odd_text("""
      <elementSpec ident="carrier" mode="add">
        <classes><memberOf key="model.divPart"/></classes>
        <content><anyElement minOccurs="1" maxOccurs="unbounded"/></content>
      </elementSpec>"""),
        tmp_path,
    )
    check(
        compiled,
        good=['<carrier><x:y xmlns:x="urn:x" a="1">t<x:z/></x:y></carrier>'],
        bad=["<carrier/>", "<carrier><p/></carrier>"],
    )


def test_removing_a_required_element_leaves_its_container_without_it(tmp_path):
    # the TEI build drops the reference (titleStmt no longer requires a title), and the
    # grammar has no notAllowed or empty class left in it
    compiled = compile_text(odd_text('<elementSpec ident="title" mode="delete"/>'), tmp_path)
    header = (
        "<teiHeader><fileDesc><titleStmt/><publicationStmt><p/></publicationStmt>"
        "<sourceDesc><p/></sourceDesc></fileDesc></teiHeader>"
    )
    schema = schema_of(compiled)
    assert valid(schema, tei("<p/>", header=header))
    data = compiled.rng_bytes()
    assert b"notAllowed" not in data


def test_empty_model_class_makes_its_alternatives_unavailable(tmp_path):
    # model.noteLike left with no member: a choice loses that option; nothing else changes
    compiled = compile_text(odd_text('<elementSpec ident="note" mode="delete"/>'), tmp_path)
    check(compiled, good=["<p>a<hi>b</hi></p>"], bad=["<p>a<note>b</note></p>"])
    assert b"notAllowed" not in compiled.rng_bytes()


def test_element_that_can_no_longer_be_valid_is_reported(tmp_path):
    compiled = compile_text(
        odd_text("""
      <elementSpec ident="needsX" mode="add">
        <classes><memberOf key="model.divPart"/></classes>
        <content><classRef key="model.nothing"/></content>
      </elementSpec>
      <classSpec ident="model.nothing" type="model"/>"""),
        tmp_path,
    )
    assert any(d.code == "O112" and "needsX" in d.message for d in compiled.diagnostics)
    assert "needsX" not in compiled.grammar.elements
    check(compiled, good=["<p/>"], bad=["<needsX/>"])


def test_spec_group_reference(tmp_path):
    text = odd_text(
        '<specGrpRef target="#extra"/>',
        before="""
    <specGrp xml:id="extra">
      <elementSpec ident="hi" mode="delete"/>
    </specGrp>
    <specGrp xml:id="unused">
      <elementSpec ident="emph" mode="delete"/>
    </specGrp>""",
    )
    compiled = compile_text(text, tmp_path)
    check(compiled, good=["<p><emph>x</emph></p>"], bad=["<p><hi>x</hi></p>"])
    odd = compiled.to_odd().getroot()
    assert odd.find(f".//{T}specGrp") is None
    assert len(odd.findall(f".//{T}table[@rend='specGrpSummary']")) == 2


def test_spec_group_in_another_file(tmp_path):
    (tmp_path / "more.xml").write_text(
        f'<specGrp xmlns="{TEI}"><elementSpec ident="hi" mode="delete"/></specGrp>',
        encoding="utf-8",
    )
    compiled = compile_text(odd_text('<specGrpRef target="more.xml"/>'), tmp_path)
    check(compiled, good=["<p>x</p>"], bad=["<p><hi>x</hi></p>"])


def test_new_macro_and_embedded_relax_ng_content(tmp_path):
    compiled = compile_text(
        odd_text("""
      <macroSpec ident="macro.short">
        <content>
          <rng:zeroOrMore>
            <rng:choice><rng:text/><rng:ref name="hi"/></rng:choice>
          </rng:zeroOrMore>
        </content>
      </macroSpec>
      <elementSpec ident="label" mode="change">
        <content><macroRef key="macro.short"/></content>
      </elementSpec>"""),
        tmp_path,
    )
    check(
        compiled,
        good=["<p><label>a <hi>b</hi></label></p>"],
        bad=["<p><label><name>n</name></label></p>"],
    )


def test_attribute_lists_and_semi_open_lists(tmp_path):
    compiled = compile_text(
        odd_text("""
      <elementSpec ident="p" mode="change">
        <attList>
          <attDef ident="flags">
            <datatype minOccurs="1" maxOccurs="unbounded">
              <dataRef key="teidata.enumerated"/>
            </datatype>
            <valList type="closed"><valItem ident="a"/><valItem ident="b"/></valList>
          </attDef>
          <attDef ident="kind">
            <datatype><dataRef key="teidata.enumerated"/></datatype>
            <valList type="semi"><valItem ident="prose"/></valList>
          </attDef>
        </attList>
      </elementSpec>"""),
        tmp_path,
    )
    check(
        compiled,
        good=[
            '<p flags="a">x</p>',
            '<p flags="a b a">x</p>',
            '<p kind="prose"/>',
            '<p kind="verse"/>',
        ],
        bad=['<p flags="c">x</p>', '<p flags="">x</p>', '<p kind="two words"/>'],
    )


def test_constraints_stay_in_their_specs(tmp_path):
    compiled = compile_text(
        odd_text("""
      <elementSpec ident="div" mode="change">
        <constraintSpec ident="div-has-head" scheme="schematron">
          <constraint>
            <sch:rule context="tei:div"><sch:assert test="tei:head">a head</sch:assert></sch:rule>
          </constraint>
        </constraintSpec>
      </elementSpec>"""),
        tmp_path,
    )
    odd = compiled.to_odd().getroot()
    schema_spec = odd.find(f".//{T}schemaSpec")
    div = schema_spec.find(f"{T}elementSpec[@ident='div']")
    idents = [c.get("ident") for c in div.findall(f"{T}constraintSpec")]
    assert "div-has-head" in idents
    assert "abstractModel-structure-div-in-l" in idents  # the TEI's own one is kept too
    assert schema_spec.find(f"{T}moduleRef") is None
    for spec in schema_spec:
        if spec.tag in (f"{T}elementSpec", f"{T}classSpec", f"{T}macroSpec", f"{T}dataSpec"):
            assert spec.get("module") and spec.get("mode") is None
    assert {m.get("ident") for m in schema_spec.findall(f"{T}moduleSpec")} >= {
        "tei",
        "core",
        "header",
        "textstructure",
    }


def test_output_is_deterministic(tmp_path):
    text = odd_text('<elementSpec ident="hi" mode="delete"/>')
    first = compile_text(text, tmp_path, "a.odd")
    second = compile_text(text, tmp_path, "a.odd")
    assert first.rng_bytes() == second.rng_bytes()
    assert first.odd_bytes() == second.odd_bytes()


def test_a_parsed_tree_compiles_too(tmp_path):
    tree = etree.ElementTree(etree.fromstring(odd_text("").encode()))
    compiled = compile_odd(tree, odd_path=str(tmp_path / "x.odd"))
    check(compiled, good=["<p/>"], bad=["<nothing/>"])


SVG = 'xmlns="http://www.w3.org/2000/svg"'


def test_external_relax_ng_module(tmp_path):
    for name in ("mini-svg.rng", "mini-svg-shapes.rng"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    text = odd_text(
        """
      <moduleRef url="mini-svg.rng">
        <content>
          <rng:define name="tei_model.graphicLike" combine="choice">
            <rng:ref name="svg"/>
          </rng:define>
        </content>
      </moduleRef>""",
        attrs='start="TEI" prefix="tei_"',
    )
    compiled = compile_text(text, tmp_path)
    assert compiled.diagnostics == []
    assert b'<define name="tei_p">' in compiled.rng_bytes()
    check(
        compiled,
        good=[f'<p><svg {SVG} width="10"><circle r="2"/><rect/></svg></p>'],
        bad=[f'<p><svg {SVG}><circle r="x"/></svg></p>', f"<p><svg {SVG}><p/></svg></p>"],
    )


def test_external_module_that_cannot_be_read(tmp_path):
    text = odd_text(
        """
      <moduleRef url="missing.rng"/>
      <elementSpec ident="formula" mode="change">
        <content><elementRef key="mathml.math"/></content>
      </elementSpec>""",
        modules=BASE_MODULES + '<moduleRef key="figures"/>',
    )
    compiled = compile_text(text, tmp_path, strict=False)
    found = [(d.code, d.severity.name, d.line) for d in compiled.diagnostics]
    lines = text.splitlines()
    module = next(i for i, line in enumerate(lines, 1) if "missing.rng" in line)
    ref = next(i for i, line in enumerate(lines, 1) if "mathml.math" in line)
    assert found == [("O114", "ERROR", module), ("O104", "WARNING", ref)]
    assert "RELAX NG module not found" in compiled.diagnostics[0].message


def test_external_module_names_do_not_clash_with_the_tei_ones(tmp_path):
    # the module has an element (and a define) called "title", like SVG; the schema has no
    # pattern prefix, so the RELAX NG gets a second name for it
    for name in ("mini-svg.rng", "mini-svg-shapes.rng"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    text = odd_text("""
      <moduleRef url="mini-svg.rng">
        <content>
          <rng:define name="model.graphicLike" combine="choice"><rng:ref name="svg"/></rng:define>
        </content>
      </moduleRef>""")
    compiled = compile_text(text, tmp_path)
    data = compiled.rng_bytes()
    assert b'<define name="title">' in data and b'<define name="title-2">' in data
    check(
        compiled,
        good=[f"<p><title>T</title><svg {SVG}><title>t</title><rect/></svg></p>"],
        bad=[f"<p><svg {SVG}><title><hi>t</hi></title></svg></p>"],
    )


def test_classref_in_the_schema_spec_with_include_keeps_those_attributes(tmp_path):
    # att.datable.w3c without notBefore/notAfter, imported on its own (its module is "tei",
    # selected anyway: the classRef restricts it)
    compiled = compile_text(
        odd_text('<classRef key="att.datable.w3c" include="when from to"/>'), tmp_path
    )
    check(
        compiled,
        good=['<p><date when="1951">x</date></p>', '<p><date from="1950" to="1951">x</date></p>'],
        bad=['<p><date notBefore="1950">x</date></p>'],
    )


def _availability(status: str) -> str:
    return (
        "<teiHeader><fileDesc><titleStmt><title>T</title></titleStmt><publicationStmt>"
        f'<publisher>P</publisher><availability status="{status}"><p/></availability>'
        "</publicationStmt>"
        "<sourceDesc><p/></sourceDesc></fileDesc></teiHeader>"
    )


def test_value_list_changed_item_by_item(tmp_path):
    compiled = compile_text(
        odd_text("""
      <elementSpec ident="availability" mode="change">
        <attList>
          <attDef ident="status" mode="change">
            <valList mode="change">
              <valItem ident="unknown" mode="delete"/>
              <valItem ident="embargoed" mode="add"/>
            </valList>
          </attDef>
        </attList>
      </elementSpec>"""),
        tmp_path,
    )
    schema = schema_of(compiled)
    for status, expected in (
        ("free", True),
        ("embargoed", True),
        ("unknown", False),
        ("other", False),
    ):
        assert valid(schema, tei("<p/>", header=_availability(status))) is expected, status
    items = compiled.customization.by_ident()["availability"].findall(f".//{T}valItem")
    assert [i.get("ident") for i in items] == ["free", "restricted", "embargoed"]


def test_any_element_with_its_own_exceptions(tmp_path):
    compiled = compile_text(
        odd_text("""
      <elementSpec ident="carrier" mode="add">
        <classes><memberOf key="model.divPart"/></classes>
        <content><anyElement except="urn:banned" minOccurs="0" maxOccurs="unbounded"/></content>
      </elementSpec>"""),
        tmp_path,
    )
    check(
        compiled,
        good=["<carrier><p/></carrier>", '<carrier><x:a xmlns:x="urn:ok"/></carrier>'],
        bad=['<carrier><x:a xmlns:x="urn:banned"/></carrier>'],
    )


def test_element_content_as_a_closed_value_list(tmp_path):
    compiled = compile_text(
        odd_text("""
      <elementSpec ident="flag" mode="add">
        <classes><memberOf key="model.phrase"/></classes>
        <content><valList type="closed"><valItem ident="yes"/><valItem ident="no"/></valList>
        </content>
      </elementSpec>"""),
        tmp_path,
    )
    check(
        compiled,
        good=["<p><flag>yes</flag></p>", "<p><flag> no </flag></p>"],
        bad=["<p><flag>maybe</flag></p>", "<p><flag><hi>yes</hi></flag></p>"],
    )
