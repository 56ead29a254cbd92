"""The TEI's example customizations (P5/Exemplars) and tei_min compile, and what they give is
a sound grammar: lxml and Jing load it; tei_min means what the TEI's own build of it means."""

from __future__ import annotations

import re

import pytest
from conftest import jing
from lxml import etree
from odd_helpers import (
    EXEMPLARS,
    P5SUBSET,
    TEI_MIN_ODD,
    TEI_MIN_RNG_490,
    compiled,
    need,
    relaxng_bytes,
    tei,
    valid,
)

from tei_cable.diagnostics import Severity
from tei_cable.relaxng.read import canonical, read_rng

#: errors each exemplar has against TEI 4.9.0 (they are true: see the messages)
EXPECTED_ERRORS: dict[str, set[str]] = {}
NAMES = sorted(p.name for p in EXEMPLARS.glob("*.odd")) if EXEMPLARS.exists() else []


@pytest.mark.parametrize("name", NAMES or ["(no exemplars)"])
def test_exemplar_compiles_to_a_grammar_lxml_loads(name):
    need(EXEMPLARS / name)
    result = compiled(str(EXEMPLARS / name), str(need(P5SUBSET)), strict=False)
    errors = {d.code for d in result.diagnostics if d.severity >= Severity.ERROR}
    assert errors == EXPECTED_ERRORS.get(name, set())
    data = result.rng_bytes()
    assert b"notAllowed" not in data
    schema = relaxng_bytes(data)
    assert not valid(schema, tei("<p><noSuchElement/></p>"))
    if name not in ("isofs.odd", "tei_jtei.odd"):  # these two want more than a bare TEI
        assert valid(schema, tei("<p>Text.</p>"))


@pytest.mark.parametrize("name", ["tei_minimal.odd", "tei_ms.odd", "tei_jtei.odd", "tei_drama.odd"])
def test_jing_accepts_the_exemplar_grammar(name, tmp_path):
    need(EXEMPLARS / name)
    result = compiled(str(EXEMPLARS / name), str(need(P5SUBSET)), strict=False)
    schema = tmp_path / "schema.rng"
    schema.write_bytes(result.rng_bytes())
    good, bad = tmp_path / "good.xml", tmp_path / "bad.xml"
    good.write_bytes(tei("<p>Text.</p>"))
    bad.write_bytes(tei("<p><noSuchElement/></p>"))
    run = jing(schema, good, bad)
    output = run.stdout + run.stderr
    assert not re.search(r"schema\.rng:\d+", output), output  # no error in the schema itself
    if name != "tei_jtei.odd":  # a jTEI article needs more than a bare TEI document
        assert "good.xml" not in output
    assert "bad.xml" in output and "noSuchElement" in output


def test_default_exceptions_prefixes_are_read_where_they_are_declared():
    # tei_jtei.odd: defaultExceptions="http://www.tei-c.org/ns/1.0 eg:egXML", with eg bound
    # on the ODD (the TEI Stylesheets look the prefix up in p5subset.xml, find nothing and
    # exclude a namespace called "eg:egXML"; Jing then finds xml:id typed two ways)
    result = compiled(str(need(EXEMPLARS / "tei_jtei.odd")), str(need(P5SUBSET)), strict=False)
    data = result.rng_bytes()
    assert b'<name ns="http://www.tei-c.org/ns/Examples">egXML</name>' in data
    assert b"eg:egXML" not in data


def test_tei_min_has_the_same_patterns_as_the_tei_build():
    result = compiled(str(need(TEI_MIN_ODD)), str(need(P5SUBSET)))
    ours = read_rng(etree.fromstring(result.rng_bytes()))
    theirs = read_rng(etree.parse(str(need(TEI_MIN_RNG_490))))

    def by_name(grammar):
        names = {n: p.data[0] for n, p in grammar.elements.items()}
        memo: dict = {}
        return {p.data[0]: canonical(p, memo, names) for p in grammar.elements.values()}

    mine, reference = by_name(ours), by_name(theirs)
    # the TEI's build keeps teiCorpus, which its own start (TEI) cannot reach
    assert set(reference) - set(mine) == {("name", "http://www.tei-c.org/ns/1.0", "teiCorpus")}
    assert sorted(str(k) for k in mine if mine[k] != reference[k]) == []


def test_tei_min_closed_list_and_jing_verdicts(tmp_path):
    result = compiled(str(need(TEI_MIN_ODD)), str(need(P5SUBSET)))
    schema = relaxng_bytes(result.rng_bytes())
    docs = {
        "letter.xml": (tei('<div type="letter"><p>Dear</p></div>'), True),
        "memo.xml": (tei('<div type="memo"><p>Dear</p></div>'), False),
        "person.xml": (tei("<p><persName>A</persName></p>"), True),
        "apparatus.xml": (tei("<p><app><lem>a</lem></app></p>"), False),
    }
    paths = []
    for name, (data, expected) in docs.items():
        assert valid(schema, data) is expected, name
        path = tmp_path / name
        path.write_bytes(data)
        paths.append(path)
    ours = tmp_path / "tei_min.rng"
    ours.write_bytes(result.rng_bytes())
    for grammar in (ours, need(TEI_MIN_RNG_490)):
        output = jing(grammar, *paths)
        failing = set(re.findall(r"(\w+\.xml):\d+:\d+: error", output.stdout + output.stderr))
        assert failing == {n for n, (_d, ok) in docs.items() if not ok}


#: in the manner of the TEI's tei_allPlus: other Exemplars' external modules and specs taken
#: with XPointer's xmlns() and xpointer() parts (as libxml2 reads them)
ALL_PLUS = """<TEI xmlns="http://www.tei-c.org/ns/1.0" xmlns:xi="http://www.w3.org/2001/XInclude">
<teiHeader><fileDesc><titleStmt><title>Plus</title></titleStmt><publicationStmt><p>Test.</p>
</publicationStmt><sourceDesc><p>Written for the tests.</p></sourceDesc></fileDesc></teiHeader>
<text><body><schemaSpec ident="plus" prefix="tei_" start="TEI">
  <moduleRef key="tei"/><moduleRef key="core"/><moduleRef key="header"/>
  <moduleRef key="textstructure"/><moduleRef key="figures"/>
  <xi:include href="tei_svg.odd"
    xpointer="xmlns(t=http://www.tei-c.org/ns/1.0)xpointer(//t:moduleRef[@url])">
    <xi:fallback> ERROR: cannot locate ODD changes for SVG </xi:fallback></xi:include>
  <xi:include href="tei_math.odd" xpointer="xmlns(t=http://www.tei-c.org/ns/1.0)xpointer(//t:moduleRef[@url]|//t:elementSpec[@ident='formula'])">
    <xi:fallback> ERROR: cannot locate ODD changes for MathML </xi:fallback></xi:include>
</schemaSpec></body></text></TEI>"""


def test_an_odd_taking_other_exemplars_parts_by_xpath_xpointer(tmp_path):
    for name in ("tei_svg.odd", "tei_math.odd"):
        (tmp_path / name).write_bytes(need(EXEMPLARS / name).read_bytes())
    (tmp_path / "plus.odd").write_text(ALL_PLUS, encoding="utf-8")
    result = compiled(str(tmp_path / "plus.odd"), str(need(P5SUBSET)), strict=False)
    assert [d for d in result.diagnostics if d.severity >= Severity.WARNING] == []
    data = result.rng_bytes()
    assert b"ERROR: cannot locate" not in result.odd_bytes()
    schema = relaxng_bytes(data)
    svg = '<figure><svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>'
    svg += "</figure>"
    math = '<formula><math xmlns="http://www.w3.org/1998/Math/MathML"><mi>x</mi></math>'
    math += "</formula>"
    assert valid(schema, tei(f"<p>x</p>{svg}<p>{math}</p>"))
    assert not valid(
        schema,
        tei(
            '<p><formula><math xmlns="http://www.w3.org/1998/Math/MathML"><mfoo/></math></formula></p>'
        ),
    )
