"""The RELAX NG we write: it says what the resolved grammar says, in the shape libxml2 and Jing
need (flat, duplicate-free choices with the libxml2 guard; no choice longer than Jing's stack
allows; no notAllowed; shared patterns named after their class or macro)."""

from __future__ import annotations

import pytest
from lxml import etree
from odd_helpers import compile_text, odd_text, tei_all

from tei_cable.relaxng.read import canonical, read_rng
from tei_cable.relaxng.write import CHUNK, GUARD_AT

R = "{http://relaxng.org/ns/structure/1.0}"


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    return compile_text(
        odd_text('<elementSpec ident="hi" mode="delete"/>'), tmp_path_factory.mktemp("small")
    )


@pytest.fixture(scope="module", params=["small", "tei_all"])
def compiled(request, small):
    return small if request.param == "small" else tei_all()


def test_the_written_grammar_reads_back_as_the_resolved_one(compiled):
    written = read_rng(etree.fromstring(compiled.rng_bytes()))
    names_ours = {n: p.data[0] for n, p in compiled.grammar.elements.items()}
    names_read = {n: p.data[0] for n, p in written.elements.items()}
    ours = {p.data[0]: canonical(p, {}, names_ours) for p in compiled.grammar.elements.values()}
    read = {p.data[0]: canonical(p, {}, names_read) for p in written.elements.values()}
    assert ours == read
    assert canonical(written.start, {}, names_read) == canonical(
        compiled.grammar.start, {}, names_ours
    )


def test_choices_are_short_and_large_ones_guarded(compiled):
    root = etree.fromstring(compiled.rng_bytes())
    guarded = 0
    for choice in root.iter(f"{R}choice"):
        alternatives = [k for k in choice if isinstance(k.tag, str)]
        assert len(alternatives) <= CHUNK
        if choice.getparent().tag in (f"{R}choice", f"{R}attribute", f"{R}list", f"{R}except"):
            continue
        values = all(k.tag in (f"{R}data", f"{R}value") for k in choice)
        if _alternatives(choice) >= GUARD_AT and not _in_attribute(choice) and not values:
            follower = choice.getnext()
            assert follower is not None and follower.tag == f"{R}choice"
            assert [k.tag for k in follower] == [f"{R}empty", f"{R}empty"]
            guarded += 1
    if len(compiled.grammar.elements) > 500:
        assert guarded > 50


def _alternatives(choice: etree._Element) -> int:
    count = 0
    for kid in choice:
        if kid.tag == f"{R}choice":
            count += _alternatives(kid)
        elif kid.tag == f"{R}group" and kid[0].tag == f"{R}choice":
            count += _alternatives(kid[0])
        elif isinstance(kid.tag, str):
            count += 1
    return count


def _in_attribute(node: etree._Element) -> bool:
    parent = node.getparent()
    while parent is not None:
        if parent.tag in (f"{R}attribute", f"{R}list"):
            return True
        parent = parent.getparent()
    return False


def test_no_not_allowed_and_no_unused_define(compiled):
    root = etree.fromstring(compiled.rng_bytes())
    assert root.find(f".//{R}notAllowed") is None
    defined = {d.get("name") for d in root.iter(f"{R}define")}
    used = {r.get("name") for r in root.iter(f"{R}ref")}
    assert defined == used


def test_shared_patterns_keep_their_tei_names():
    root = etree.fromstring(tei_all().rng_bytes())
    defined = {d.get("name") for d in root.iter(f"{R}define")}
    assert {
        "att.global.attributes",
        "att.typed.attributes",
        "macro.paraContent",
        "macro.phraseSeq",
        "teidata.temporal.w3c",
        "p",
        "TEI",
        "teiCorpus",
    } <= defined
