"""tei_all compiled by tei-cable means what the TEI's own build of tei_all means.

The reference is ``tei_all-4.9.0.rng``, built by the TEI Stylesheets from the same
``p5subset.xml``. The two grammars are compared element by element (in a canonical form where
the order of alternatives does not matter), then on documents with the same engine (lxml's
RELAX NG; a sample also with Jing): the real corpus, documents built from the Guidelines'
examples, and systematic mutations of every valid one.
"""

from __future__ import annotations

import random
import re
from collections import Counter

import pytest
from conftest import jing
from lxml import etree
from odd_helpers import (
    P5SUBSET,
    TEI_ALL_RNG_490,
    Mutator,
    children_allowed,
    corpus_files,
    example_documents,
    need,
    parse_corpus_file,
    relaxng,
    relaxng_bytes,
    tei_all,
)

from tei_cable.relaxng.read import canonical, read_rng


@pytest.fixture(scope="module")
def schemas():
    compiled = tei_all()
    mine = relaxng_bytes(compiled.rng_bytes())
    theirs = relaxng(str(need(TEI_ALL_RNG_490)))
    return compiled, mine, theirs


@pytest.fixture(scope="module")
def corpus(schemas):
    _compiled, mine, theirs = schemas
    out = []
    for path in corpus_files():
        root = parse_corpus_file(path)
        if root is None:
            continue
        out.append((path, root, bool(mine.validate(root)), bool(theirs.validate(root))))
    return out


@pytest.fixture(scope="module")
def examples(schemas):
    compiled, mine, theirs = schemas
    allowed = children_allowed(compiled)
    return [
        (label, doc, bool(mine.validate(doc)), bool(theirs.validate(doc)))
        for label, doc in example_documents(P5SUBSET, allowed)
    ]


def test_every_element_has_the_same_pattern_as_in_the_tei_build(schemas):
    compiled, _mine, _theirs = schemas
    ours = read_rng(etree.fromstring(compiled.rng_bytes()))
    reference = read_rng(etree.parse(str(TEI_ALL_RNG_490)))

    def by_name(grammar):
        names = {n: p.data[0] for n, p in grammar.elements.items()}
        memo: dict = {}
        return {p.data[0]: canonical(p, memo, names) for p in grammar.elements.values()}

    mine, theirs = by_name(ours), by_name(reference)
    assert len(mine) == len(theirs) == 589  # 588 elements and the xenoData wildcard (one each)
    assert set(mine) == set(theirs)
    different = sorted(str(k) for k in mine if mine[k] != theirs[k])
    assert different == []


def test_the_corpus_gets_the_same_verdicts(corpus):
    disagree = [(str(p), m, t) for p, _r, m, t in corpus if m != t]
    assert disagree == []
    counts = Counter(m for _p, _r, m, _t in corpus)
    # the TEI's notes: Jing finds 305 valid, lxml 3 fewer or more (not-well-formed, xml:id)
    assert 290 <= counts[True] <= 320
    assert counts[False] >= 250


def test_the_guidelines_examples_get_the_same_verdicts(examples):
    disagree = [(label, m, t) for label, _d, m, t in examples if m != t]
    assert disagree == []
    valid = sum(1 for _l, _d, m, _t in examples if m)
    assert len(examples) > 2000
    assert valid > 1200  # most examples fit a host document and are valid


def test_mutations_of_valid_documents_get_the_same_verdicts(schemas, corpus, examples):
    compiled, mine, theirs = schemas
    mutator = Mutator(compiled)
    # every valid example, and the valid corpus files of moderate size (each mutation copies
    # the whole document; the large ones add time, not cases)
    valid_docs = [r for _p, r, m, _t in corpus if m and sum(1 for _ in r.iter()) < 20000]
    valid_docs += [d for _l, d, m, _t in examples if m]
    done: Counter[str] = Counter()
    rejected: Counter[str] = Counter()
    disagree = []
    for doc in valid_docs:
        for kind, mutated in mutator.mutations(doc):
            ours, reference = bool(mine.validate(mutated)), bool(theirs.validate(mutated))
            done[kind] += 1
            rejected[kind] += not ours
            if ours != reference:
                disagree.append((kind, ours, reference))
    assert disagree == []
    for kind in Mutator.KINDS:
        assert done[kind] >= 200, kind
        # each kind of mutation makes the document invalid (both schemas agree on that)
        assert rejected[kind] == done[kind], kind


def test_jing_agrees_on_a_sample(schemas, corpus, examples, tmp_path):
    compiled, mine, _theirs = schemas
    ours = tmp_path / "tei_all.rng"
    ours.write_bytes(compiled.rng_bytes())
    rng = random.Random(4)
    sample = rng.sample([(r, m) for _p, r, m, _t in corpus], 40)
    sample += rng.sample([(d, m) for _l, d, m, _t in examples], 60)
    mutator = Mutator(compiled)
    for doc, ok in list(sample[:30]):
        if ok:
            sample += [(m, bool(mine.validate(m))) for _k, m in mutator.mutations(doc)][:3]
    files = []
    for index, (doc, _ok) in enumerate(sample):
        path = tmp_path / f"doc{index:03}.xml"
        path.write_bytes(etree.tostring(doc, xml_declaration=True, encoding="UTF-8"))
        files.append(path)
    verdicts = {}
    for schema in (ours, TEI_ALL_RNG_490):
        result = jing(schema, *files)
        failing = {
            m.group(1)
            for m in re.finditer(
                r"^(\S+?\.xml):\d+:\d+: (?:fatal )?error", result.stdout + result.stderr, re.M
            )
        }
        verdicts[schema] = [str(f) not in failing for f in files]
    assert verdicts[ours] == verdicts[TEI_ALL_RNG_490]
    assert verdicts[ours] == [ok for _d, ok in sample]
