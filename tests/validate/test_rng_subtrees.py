"""libxml2 judging subtrees during an explanation: the same issues as the walk alone."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree
from mutations import mutated, seeds

from tei_cable.resources import schemas_dir
from tei_cable.validate import document as documents
from tei_cable.validate.engines.rng import RngEngine, Subtrees

RNG = schemas_dir() / "tei_cable.rng"
SEED = Path(__file__).resolve().parents[2] / "encoded" / "wilson-117409.xml"
TEI = "http://www.tei-c.org/ns/1.0"


def _engines() -> tuple[RngEngine, RngEngine]:
    """One engine judging subtrees with its open grammar, one with the grammar as written."""
    judged, walked = RngEngine(RNG), RngEngine(RNG, judge=False)
    assert judged._whole().subtrees is not None and walked._whole().subtrees is None
    return judged, walked


def _invalid_documents() -> list[documents.Document]:
    """Broken variants of the project's real encodings: many errors, early and late."""
    found = []
    text = SEED.read_text(encoding="utf-8")
    for old, new in (
        ("<title>", "<title><hi><titel/></hi>"),
        ("</title>", "<bogus/></title>"),
        ('when="', 'when="13-'),
        ("<p>", '<p wrong="1">'),
        ("</body>", "<div><head/></div></body>"),
    ):
        assert old in text
        document = documents.load(text.replace(old, new).encode(), "x.xml")
        assert document.tree is not None
        found.append(document)
    sources = seeds()
    for seed in range(150):
        document = documents.load(mutated(seed, sources), f"m{seed}.xml")
        if document.tree is not None:
            found.append(document)
    return found


def test_judged_explanations_give_the_same_issues_as_the_walk() -> None:
    judged, walked = _engines()
    compared = 0
    for document in _invalid_documents():
        ours = [str(i) for i in judged.iter_issues(document)]
        reference = [str(i) for i in walked.iter_issues(document)]
        assert ours == reference, document.name
        compared += bool(reference)
    assert compared >= 10  # enough invalid documents were compared
    assert isinstance(judged._whole().subtrees, Subtrees)


def test_the_judge_steps_over_valid_elements_and_keeps_the_errors() -> None:
    judged, _ = _engines()
    text = SEED.read_text(encoding="utf-8")
    broken = text.replace("<titleStmt>", "<titleStmt><oops/>", 1)
    document = documents.load(broken.encode(), "x.xml")
    issues = list(judged.iter_issues(document))
    assert any('"oops"' in i.message for i in issues)
    explainer = judged._explain()
    assert explainer is not None
    judge = judged._whole().subtrees
    assert judge is not None
    root = document.tree.getroot()  # type: ignore[union-attr]
    valid = judge.judge(explainer, set())
    header = root.find(f"{{{TEI}}}teiHeader")
    assert not valid(header, (TEI, "teiHeader"))  # it holds the error
    text_element = root.find(f"{{{TEI}}}text")
    assert valid(text_element, (TEI, "text"))
    # an element libxml2 complained about (or an ancestor of one) is always walked
    assert not judge.judge(explainer, {text_element})(text_element, (TEI, "text"))


@pytest.mark.parametrize(
    "grammar",
    [
        '<grammar xmlns="http://relaxng.org/ns/structure/1.0"><include href="x.rng"/>'
        '<start><element name="a"><empty/></element></start></grammar>',
        '<grammar xmlns="http://relaxng.org/ns/structure/1.0">'
        '<start><element name="a"><empty/></element></start></grammar>',
    ],
)
def test_grammars_it_cannot_open_are_compiled_as_written(grammar: str) -> None:
    assert Subtrees.open(etree.ElementTree(etree.fromstring(grammar))) is None


@pytest.mark.parametrize("explain", [True, False])
@pytest.mark.parametrize(
    "written",
    [
        f'<p xmlns="{TEI}">a paragraph alone</p>',
        f'<tei:p xmlns:tei="{TEI}">a paragraph alone</tei:p>',
        f'<t:p xmlns:t="{TEI}" xmlns="urn:other">a paragraph alone</t:p>',
    ],
)
def test_an_element_the_start_does_not_allow_is_refused_as_the_document_element(
    explain: bool, written: str
) -> None:
    judged, walked = _engines()
    data = written.encode()
    document = documents.load(data, "p.xml")
    ours = list(judged.iter_issues(document, explain=explain))
    reference = list(walked.iter_issues(document, explain=explain))
    assert ours and reference
    if explain:
        assert [str(i) for i in ours] == [str(i) for i in reference]
    else:  # the explanation's first words, without it
        explained = list(walked.iter_issues(document))
        assert [str(i) for i in ours] == [str(i) for i in explained[:1]]
    # the open grammar accepts the element itself: that is what the judge relies on
    assert judged._whole().rng.validate(document.tree)


def test_a_verdict_on_the_document_element_compiles_nothing_more(monkeypatch) -> None:
    """A grammar of ours is compiled open (where it can be): a verdict on an element valid
    only not as the document element needs no compile of the grammar as written."""
    from tei_cable.validate.engines import rng as rng_module

    monkeypatch.setattr(rng_module, "_compiled_by_us", lambda _path: True)
    engine = RngEngine(RNG)
    assert engine._as_written is None  # cuts first: nothing compiled yet
    document = documents.load(f'<p xmlns="{TEI}">a paragraph alone</p>'.encode(), "p.xml")
    issues = list(engine.iter_issues(document, explain=False))
    assert [i.rule for i in issues] == ["element-not-allowed"]
    assert issues[0].message.startswith('element "p" not allowed here; expected element "TEI"')
    assert (issues[0].line, issues[0].column) == (1, 1)
    assert engine._as_written is None  # the open grammar gave the verdict and the words


def _fragments() -> list[documents.Document]:
    """Elements of the seed's encoding as documents of their own (as editions keep chapters
    in files of their own), each as it is and with an error inside."""
    root = etree.parse(str(SEED)).getroot()
    found = []
    for element in [root.find(f".//{{{TEI}}}{name}") for name in ("teiHeader", "body", "p")]:
        assert element is not None
        data = etree.tostring(element)
        found.append(documents.load(data, "fragment.xml"))
        broken = data.replace(b">", b"><oops/>", 1)
        found.append(documents.load(broken, "broken.xml"))
    return found


def test_a_fragment_is_judged_with_the_open_grammar_cut_down_to_its_names(monkeypatch) -> None:
    """A document whose element the start does not allow leaves nothing of a cut of the
    grammar as written; the open grammar cut down to its names gives the same issues as the
    whole grammar, and nothing else is compiled."""
    from tei_cable.validate.engines import rng as rng_module

    _, walked = _engines()
    monkeypatch.setattr(rng_module, "_compiled_by_us", lambda _path: True)
    for document in _fragments():
        engine = RngEngine(RNG)
        ours = [str(i) for i in engine.iter_issues(document)]
        assert ours == [str(i) for i in walked.iter_issues(document)], document.name
        assert ours[0].startswith("1:1: error: element") and "not allowed here" in ours[0]
        assert engine._compiled is None and engine._as_written is None


def test_without_an_explanation_the_document_element_is_refused_in_the_same_words(
    monkeypatch,
) -> None:
    """Where the explanation fails, libxml2's words stand in; for an element refused only as
    the document element libxml2 has none, and the explanation's words stand in without
    compiling the grammar as written."""
    from tei_cable.validate.engines import rng as rng_module
    from tei_cable.validate.engines import rng_explain

    _, walked = _engines()
    document = documents.load(f'<p xmlns="{TEI}">a paragraph alone</p>'.encode(), "p.xml")
    expected = [str(i) for i in walked.iter_issues(document)]

    def fail(*_args, **_kwargs):
        raise RuntimeError("no explanation")

    monkeypatch.setattr(rng_explain.Explainer, "issues", fail)
    monkeypatch.setattr(rng_module, "_compiled_by_us", lambda _path: True)
    engine = RngEngine(RNG)
    assert [str(i) for i in engine.iter_issues(document)] == expected
    assert engine._as_written is None
