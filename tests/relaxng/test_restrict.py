"""A grammar cut down to a document's element names gives that document the same verdict.

Checked against the whole grammar on our own encodings, on real TEI files, on documents built
from the Guidelines' examples and on mutations of them; and the engine uses cuts only where
they are safe, and the whole grammar's words for a document it finds invalid.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
from conftest import RECORDS, REPO, TEI_REF
from lxml import etree

from tei_cable.relaxng.restrict import document_names, restrict

RNG = "http://relaxng.org/ns/structure/1.0"
TEI = "http://www.tei-c.org/ns/1.0"


@pytest.fixture(scope="module")
def tei_all_grammar() -> etree._Element:
    from tei_cable.odd import compile_odd

    compiled = compile_odd(REPO / "schemas" / "tei_all.odd")
    return etree.fromstring(compiled.rng_bytes(for_libxml2=True))


@pytest.fixture(scope="module")
def whole(tei_all_grammar) -> etree.RelaxNG:
    return etree.RelaxNG(tei_all_grammar)


def same_verdict(
    grammar: etree._Element, whole: etree.RelaxNG, doc: etree._ElementTree
) -> bool | None:
    """Whether the cut grammar judges ``doc`` as the whole one does (None: no cut made)."""
    cut = restrict(grammar, document_names(doc))
    if cut is None:
        return None  # the whole grammar is used
    return etree.RelaxNG(cut).validate(doc) == whole.validate(doc)


def ours() -> list[Path]:
    return [REPO / "encoded" / "wilson-117409.xml", *sorted(RECORDS.glob("*.xml"))]


def test_cut_is_small_and_accepts_our_encodings(tei_all_grammar, whole) -> None:
    for path in ours():
        doc = etree.parse(str(path))
        cut = restrict(tei_all_grammar, document_names(doc))
        assert cut is not None, path.name
        assert (
            len(cut.findall(f"{{{RNG}}}define"))
            < len(tei_all_grammar.findall(f"{{{RNG}}}define")) / 2
        )
        assert etree.RelaxNG(cut).validate(doc), path.name
        assert whole.validate(doc)


def test_same_verdicts_on_mutations_of_our_encodings(tei_all_grammar, whole) -> None:
    doc = etree.parse(str(REPO / "encoded" / "wilson-117409.xml"))
    mutations = []
    for xpath, change in [
        ("//t:title", lambda e: e.getparent().remove(e)),  # missing required child
        ("//t:list", lambda e: e.set("type", "not a token!")),  # bad value
        ("//t:p", lambda e: e.append(etree.Element(f"{{{TEI}}}teiHeader"))),  # wrong place
        ("//t:closer", lambda e: e.addprevious(etree.Element(f"{{{TEI}}}nonsense"))),
        ("//t:date[@when]", lambda e: e.set("when", "1951-13-45")),  # bad datatype
        ("//t:persName", lambda e: e.append(etree.Element(f"{{{TEI}}}listPerson"))),
    ]:
        mutated = copy.deepcopy(doc)
        change(mutated.xpath(xpath, namespaces={"t": TEI})[0])
        mutations.append(mutated)
    for mutated in mutations:
        assert not whole.validate(mutated)
        assert same_verdict(tei_all_grammar, whole, mutated) is not False


def test_same_verdicts_on_a_sample_of_real_tei(tei_all_grammar, whole) -> None:
    corpus = TEI_REF / "corpus"
    if not corpus.is_dir():
        pytest.skip(f"reference corpus not found at {corpus} (only in the development workplace)")
    files = sorted(corpus.rglob("*.xml"))[::8]
    checked = 0
    for path in files:
        try:
            doc = etree.parse(
                str(path), etree.XMLParser(load_dtd=False, no_network=True, resolve_entities=False)
            )
        except etree.XMLSyntaxError:
            continue
        verdict = same_verdict(tei_all_grammar, whole, doc)
        assert verdict is not False, path
        checked += verdict is True
    assert checked > 50  # cut and compared, not left to the whole grammar


def test_unusual_grammars_are_not_cut() -> None:
    base = f'<grammar xmlns="{RNG}"><start><ref name="a"/></start>{{}}</grammar>'
    define = '<define name="a"><element name="a"><empty/></element></define>'
    for extra in [
        '<include href="x.rng"/>',
        '<define name="a" combine="choice"><empty/></define>',
        '<div><define name="b"><empty/></define></div>',
    ]:
        grammar = etree.fromstring(base.format(define + extra))
        assert restrict(grammar, {("", "a")}) is None, extra
    assert restrict(etree.fromstring(base.format(define)), {("", "a")}) is not None


def test_an_element_whose_required_part_is_absent_keeps_its_name_with_no_valid_content() -> None:
    grammar = etree.fromstring(
        f'<grammar xmlns="{RNG}"><start><element name="a"><optional><element name="c">'
        '<empty/></element></optional><element name="b"><empty/></element></element></start>'
        "</grammar>"
    )
    whole = etree.RelaxNG(grammar)
    cut = restrict(grammar, {("", "a"), ("", "c")})
    assert cut is not None
    [a] = cut.iter(f"{{{RNG}}}element")  # c and b are gone: no valid a can be made of a and c
    assert [etree.QName(k).localname for k in a] == ["notAllowed"]
    for text in ("<a/>", "<a><c/></a>", "<a><a/></a>"):
        doc = etree.ElementTree(etree.fromstring(text))
        assert etree.RelaxNG(cut).validate(doc) is whole.validate(doc) is False, text
    # the start itself needs what the document lacks: the whole grammar says why
    assert restrict(grammar, {("", "c")}) is None


def test_same_verdicts_where_a_required_name_is_absent_everywhere(tei_all_grammar, whole) -> None:
    doc = etree.parse(str(REPO / "encoded" / "wilson-117409.xml"))
    for name in ("title", "p", "publicationStmt", "persName"):
        mutated = copy.deepcopy(doc)
        for element in mutated.xpath(f"//t:{name}", namespaces={"t": TEI}):
            element.getparent().remove(element)
        assert same_verdict(tei_all_grammar, whole, mutated) is True, name  # cut, and the same


@pytest.fixture
def grammar_files(tmp_path, monkeypatch, tei_all_grammar) -> tuple[Path, Path]:
    """tei_all as our ODD compiler writes it: in the user cache (where the engine cuts it)
    and elsewhere (where it is compiled whole)."""
    monkeypatch.setenv("TEI_CABLE_CACHE_DIR", str(tmp_path / "cache"))
    data = etree.tostring(tei_all_grammar, xml_declaration=True, encoding="UTF-8")
    cached = tmp_path / "cache" / "schemas" / "k" / "tei_all.rng"
    cached.parent.mkdir(parents=True)
    cached.write_bytes(data)
    elsewhere = tmp_path / "tei_all.rng"
    elsewhere.write_bytes(data)
    return cached, elsewhere


def test_engine_cuts_only_its_own_grammars_and_explains_with_the_whole(grammar_files):
    from tei_cable.validate.document import load
    from tei_cable.validate.engines.rng import RngEngine

    cached, elsewhere = grammar_files
    seed = (REPO / "encoded" / "wilson-117409.xml").read_bytes()
    engine = RngEngine(cached)
    assert engine.check(load(seed, "seed.xml")) == []
    assert engine._compiled is None  # checked against a cut grammar, the whole one never compiled

    # no title anywhere: titleStmt cannot be valid, and the cut still judges and explains it
    broken = re.sub(rb"<title\b[^>]*>.*?</title>", b"", seed, flags=re.S)
    assert not re.search(rb"<title\b", broken)
    cut_issues = engine.check(load(broken, "broken.xml"))
    assert engine._compiled is None  # explained with the cut: the whole grammar not compiled
    whole_issues = RngEngine(elsewhere).check(load(broken, "broken.xml"))
    assert cut_issues == whole_issues != []
    assert any('"titleStmt"' in i.message for i in cut_issues)
    assert RngEngine(elsewhere)._strict is not None  # a grammar not ours is compiled whole

    # once the cuts are spent, the whole grammar is compiled once, open, for valid documents
    # and invalid ones alike (not as written and then open a second time)
    for _ in range(RngEngine.CUT_FIRST):
        engine.check(load(seed, "seed.xml"))
    assert engine._compiled is not None and engine._compiled.subtrees is not None
    assert engine._strict is None
    assert engine.check(load(broken, "broken.xml")) == whole_issues
    assert engine._strict is None


@pytest.fixture(scope="module")
def opened(tei_all_grammar) -> tuple[etree._Element, etree.RelaxNG]:
    """tei_all with a start that allows every element defined once, and it compiled."""
    from tei_cable.validate.engines.rng import Subtrees

    found = Subtrees.open(etree.ElementTree(tei_all_grammar))
    assert found is not None
    return found[0], etree.RelaxNG(found[0])


def test_the_open_grammar_cut_judges_elements_of_real_tei_as_the_whole(opened) -> None:
    """Elements of real TEI as documents of their own (a chapter kept in a file): the open
    grammar cut down to their names judges them as the whole open grammar does."""
    corpus = TEI_REF / "corpus"
    if not corpus.is_dir():
        pytest.skip(f"reference corpus not found at {corpus} (only in the development workplace)")
    open_tree, whole_open = opened
    parser = etree.XMLParser(load_dtd=False, no_network=True, resolve_entities=False)
    verdicts = set()
    compared = 0
    for path in sorted(corpus.rglob("*.xml"))[::10]:
        try:
            root = etree.parse(str(path), parser).getroot()
        except etree.XMLSyntaxError:
            continue
        for element in root.xpath(
            "(//t:div)[1] | (//t:p)[1] | (//t:teiHeader)[1]", namespaces={"t": TEI}
        ):
            doc = etree.ElementTree(copy.deepcopy(element))
            cut = restrict(open_tree, document_names(doc))
            assert cut is not None, path
            verdict = whole_open.validate(doc)
            assert etree.RelaxNG(cut).validate(doc) == verdict, (path, element.tag)
            verdicts.add(verdict)
            compared += 1
    assert verdicts == {True, False} and compared > 50  # both kinds, and many, compared


def test_engine_judges_a_fragment_with_the_open_grammar_cut(grammar_files) -> None:
    from tei_cable.validate.document import load
    from tei_cable.validate.engines.rng import RngEngine

    cached, elsewhere = grammar_files
    body = etree.parse(str(REPO / "encoded" / "wilson-117409.xml")).find(f".//{{{TEI}}}body")
    assert body is not None
    fragment = etree.tostring(body)
    for data in (fragment, fragment.replace(b">", b"><oops/>", 1)):
        engine = RngEngine(cached)
        issues = engine.check(load(data, "body.xml"))
        assert engine._compiled is None  # the whole grammar never compiled
        assert issues == RngEngine(elsewhere).check(load(data, "body.xml"))
        assert issues[0].message.startswith('element "body" not allowed here')
