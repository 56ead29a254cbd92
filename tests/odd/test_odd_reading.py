"""Reading ODDs as the TEI's pipeline does: XInclude (local files only), a repeated xml:id."""

from __future__ import annotations

import shutil

import pytest
from conftest import jing
from lxml import etree
from odd_helpers import FIXTURES, compile_text, odd_text, tei, verdicts

from tei_cable.diagnostics import Severity
from tei_cable.odd import OddError, compile_odd

XINCLUDE = FIXTURES / "xinclude"


def line_of(path, needle: str) -> int:
    text = path.read_text(encoding="utf-8")
    return text[: text.index(needle)].count("\n") + 1


def doc(body: str) -> bytes:
    return tei(body)


def test_specs_in_xincluded_files_are_part_of_the_odd(tmp_path):
    compiled = compile_odd(XINCLUDE / "main.odd", download=False)
    # a diagnostic about an included spec points into the file it is written in
    [warning] = compiled.diagnostics
    hi = XINCLUDE / "specs" / "hi.xml"
    assert (warning.code, warning.path, warning.line) == (
        "O110",
        str(hi),
        line_of(hi, "noSuchAttribute"),
    )
    schema = etree.RelaxNG(etree.fromstring(compiled.rng_bytes()))
    ok = doc('<p><hi rend="bold">a</hi> <title type="main">b</title></p>')
    assert schema.validate(etree.fromstring(ok))
    assert not schema.validate(etree.fromstring(doc('<p><hi rend="red">a</hi></p>')))
    assert not schema.validate(etree.fromstring(doc('<p><title type="other">b</title></p>')))
    # xpointer took one spec of the group, not the p mode="delete" beside it; the fallback of
    # a missing file was used
    odd = etree.tostring(compiled.to_odd(), encoding="unicode")
    assert "Fallback used." in odd and 'ident="p"' in odd
    # Jing agrees
    rng = tmp_path / "xinc.rng"
    rng.write_bytes(compiled.rng_bytes())
    good, bad = tmp_path / "good.xml", tmp_path / "bad.xml"
    good.write_bytes(ok)
    bad.write_bytes(doc('<p><hi rend="red">a</hi></p>'))
    run = jing(rng, good, bad)
    assert "good.xml" not in run.stdout and "bad.xml" in run.stdout


def test_a_missing_or_remote_target_is_an_error_with_file_and_line():
    odd = XINCLUDE / "missing.odd"
    with pytest.raises(OddError) as caught:
        compile_odd(odd, download=False)
    errors = [d for d in caught.value.diagnostics if d.severity == Severity.ERROR]
    assert [(d.code, d.path, d.line) for d in errors] == [
        ("O120", str(odd), line_of(odd, "no-such-file.xml")),
        ("O120", str(odd), line_of(odd, "remote.xml")),
    ]
    assert "no such file" in errors[0].message
    assert "only local files" in errors[1].message


def test_an_xinclude_cycle_is_an_error(tmp_path):
    shutil.copy(XINCLUDE / "specs" / "loop.xml", tmp_path / "loop.xml")
    text = odd_text('<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="loop.xml"/>')
    with pytest.raises(OddError) as caught:
        compile_text(text, tmp_path)
    [error] = [d for d in caught.value.diagnostics if d.code == "O120"]
    assert error.path == str(tmp_path / "loop.xml") and "includes itself" in error.message


def test_text_inclusion(tmp_path):
    (tmp_path / "gloss.txt").write_text("paragraph, as our project uses it", encoding="utf-8")
    text = odd_text(
        '<elementSpec ident="p" mode="change"><gloss><xi:include '
        'xmlns:xi="http://www.w3.org/2001/XInclude" href="gloss.txt" parse="text"/>'
        "</gloss></elementSpec>"
    )
    compiled = compile_text(text, tmp_path)
    assert b"(paragraph, as our project uses it)" in compiled.rng_bytes()


def test_a_repeated_xml_id_is_a_warning_not_a_refusal(tmp_path):
    text = odd_text(
        '<elementSpec ident="p" mode="change" xml:id="spec"/>\n'
        '<elementSpec ident="hi" mode="change" xml:id="spec"/>'
    )
    compiled = compile_text(text, tmp_path)
    [warning] = compiled.diagnostics
    assert (warning.code, warning.severity) == ("O119", Severity.WARNING)
    assert warning.line == text[: text.index('<elementSpec ident="hi"')].count("\n") + 1
    assert "first on line" in warning.message


def test_an_odd_that_is_not_well_formed_is_still_refused(tmp_path):
    text = odd_text('<elementSpec ident="p" mode="change" xml:id="a"><desc></elementSpec>')
    with pytest.raises(Exception) as caught:
        compile_text(text, tmp_path)
    assert "mismatch" in str(caught.value).lower() or "expected" in str(caught.value).lower()


def test_validate_recompiles_when_an_xincluded_spec_changes(tmp_path, monkeypatch):
    from tei_cable.validate import Validator

    monkeypatch.setenv("TEI_CABLE_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "odd"
    shutil.copytree(XINCLUDE, folder)
    doc = tmp_path / "doc.xml"
    doc.write_bytes(tei('<p><hi rend="red">a</hi></p>'))
    assert not Validator(folder / "main.odd", engines="rng").validate_file(doc).valid
    hi = folder / "specs" / "hi.xml"
    hi.write_text(
        hi.read_text(encoding="utf-8").replace('<valItem ident="bold"/>', '<valItem ident="red"/>'),
        encoding="utf-8",
    )
    assert Validator(folder / "main.odd", engines="rng").validate_file(doc).valid


SPEC_P = (
    '<elementSpec ident="p" mode="change" xml:id="{}"><attList>'
    '<attDef ident="n" mode="change"><valList type="closed" mode="replace">'
    '<valItem ident="1"/><valItem ident="2"/></valList></attDef></attList></elementSpec>'
)
SPEC_HI = (
    '<elementSpec ident="hi" mode="change" xml:id="{}"><attList>'
    '<attDef ident="rend" mode="change"><valList type="closed" mode="replace">'
    '<valItem ident="italic"/></valList></attDef></attList></elementSpec>'
)
REPEATED_ID_DOCS = {
    "p-n-listed": ('<p n="1">x</p>', True),
    "p-n-unlisted": ('<p n="9">x</p>', False),
    "hi-italic": ('<p n="1"><hi rend="italic">x</hi></p>', True),
    "hi-bold": ('<p n="1"><hi rend="bold">x</hi></p>', False),
}


def test_a_repeated_xml_id_gives_the_schema_of_distinct_ids_and_jings_verdicts(tmp_path):
    """Saxon (the TEI Stylesheets) never checks ``xml:id``: both specs apply, as if their ids
    differed; the documents get the same verdicts from Jing as from lxml."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    repeated = compile_text(
        odd_text(SPEC_P.format("spec") + "\n" + SPEC_HI.format("spec")), tmp_path / "a"
    )
    distinct = compile_text(
        odd_text(SPEC_P.format("spec") + "\n" + SPEC_HI.format("spec2")), tmp_path / "b"
    )
    assert [d.code for d in repeated.diagnostics] == ["O119"]
    assert repeated.rng_bytes() == distinct.rng_bytes()
    docs = {f"{name}.xml": tei(body) for name, (body, _ok) in REPEATED_ID_DOCS.items()}
    by_jing, by_lxml = verdicts(repeated.rng_bytes(), docs, tmp_path)
    assert by_jing == by_lxml == {f"{n}.xml" for n, (_b, ok) in REPEATED_ID_DOCS.items() if not ok}


def test_a_specgrpref_to_a_repeated_xml_id_takes_the_first_as_xpaths_id_does(tmp_path):
    groups = (
        f'\n<div><specGrp xml:id="grp">{SPEC_P.format("p1")}</specGrp>'
        f'<specGrp xml:id="grp">{SPEC_HI.format("h1")}</specGrp></div>'
    )
    compiled = compile_text(
        odd_text('<specGrpRef target="#grp"/>', after=groups), tmp_path, strict=False
    )
    assert "O119" in [d.code for d in compiled.diagnostics]
    schema = etree.RelaxNG(etree.fromstring(compiled.rng_bytes()))
    assert not schema.validate(etree.fromstring(tei('<p n="9">x</p>')))  # the first applies
    assert schema.validate(etree.fromstring(tei('<p n="1"><hi rend="bold">x</hi></p>')))


def _xpointer_odd(tmp_path, xpointer: str, fallback: str = "") -> str:
    shutil.copytree(FIXTURES / "xinclude" / "specs", tmp_path / "specs")
    return odd_text(
        f'\n<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="specs/group.xml"'
        f' xpointer="{xpointer}">{fallback}</xi:include>'
    )


def test_an_xpath_xpointer_takes_every_element_it_selects(tmp_path):
    """The TEI's tei_allPlus takes specs from other Exemplars with
    ``xmlns(t=…)xpointer(//t:elementSpec|//t:macroSpec)``, as libxml2 reads it."""
    text = _xpointer_odd(tmp_path, "xmlns(t=http://www.tei-c.org/ns/1.0)xpointer(//t:elementSpec)")
    compiled = compile_text(text, tmp_path, strict=False)
    assert not [d for d in compiled.diagnostics if d.severity >= Severity.ERROR]
    rng = compiled.rng_bytes()
    etree.RelaxNG(etree.fromstring(rng))
    # both elementSpecs of the group apply: p deleted, and title's closed list
    assert b'<element name="p"' not in rng
    title = rng.split(b'<element name="title"', 1)[1].split(b"</element>", 1)[0]
    assert b"<value>main</value>" in title and b"<value>sub</value>" in title


def test_an_xpath_xpointer_that_selects_one_spec_and_line_numbers(tmp_path):
    text = _xpointer_odd(
        tmp_path,
        "xmlns(t=http://www.tei-c.org/ns/1.0)xpointer(//t:elementSpec[@ident='title'])",
    )
    (tmp_path / "specs" / "group.xml").write_text(
        (FIXTURES / "xinclude" / "specs" / "group.xml")
        .read_text(encoding="utf-8")
        .replace('mode="replace"', 'mode="explode"'),
        encoding="utf-8",
    )
    with pytest.raises(OddError) as refused:
        compile_text(text, tmp_path)
    [problem] = [d for d in refused.value.diagnostics if d.code == "O117"]
    assert str(problem.path).endswith("group.xml") and problem.line == 6


def test_an_xpointer_that_selects_nothing_or_a_scheme_not_supported(tmp_path):
    text = _xpointer_odd(tmp_path, "xmlns(t=http://www.tei-c.org/ns/1.0)xpointer(//t:nothing)")
    with pytest.raises(OddError) as refused:
        compile_text(text, tmp_path)
    assert "selects nothing" in str(refused.value)
    # a scheme tei-cable does not read: the fallback, as XInclude says
    (tmp_path / "b").mkdir()
    text = _xpointer_odd(
        tmp_path / "b",
        "range-to(x)",
        '<xi:fallback><elementSpec ident="p" mode="delete"/></xi:fallback>',
    )
    compiled = compile_text(text, tmp_path / "b")
    assert b'<element name="p"' not in compiled.rng_bytes()


def test_an_odd_that_is_a_bare_schemaspec_compiles_to_a_bare_schemaspec(tmp_path):
    """A schemaSpec as the document's root (the TEI Stylesheets' tests write ODDs so) is its own
    compiled ODD: the compiled schemaSpec replaces it as the root, with the source's version."""
    text = (
        '<schemaSpec xmlns="http://www.tei-c.org/ns/1.0" ident="bare" start="TEI"'
        ' source="tei:4.9.0">'
        '<moduleRef key="tei"/><moduleRef key="core"/><moduleRef key="header"/>'
        '<moduleRef key="textstructure"/></schemaSpec>'
    )
    compiled = compile_text(text, tmp_path, "bare.odd", download=False)
    tree = compiled.to_odd()
    root = tree.getroot()
    assert root.tag == "{http://www.tei-c.org/ns/1.0}schemaSpec" and root.get("ident") == "bare"
    assert root.getprevious().target == "TEIVERSION"
    assert root.find("{http://www.tei-c.org/ns/1.0}elementSpec") is not None
    schema = etree.RelaxNG(etree.fromstring(compiled.rng_bytes()))
    assert schema.validate(etree.fromstring(tei("<p>x</p>")))
