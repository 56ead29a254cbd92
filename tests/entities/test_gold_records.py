"""Records annotated by hand (``gold/*.tsv``, see ``gold/README.md``) against the converter.

Two sets: the ``development`` records (the seed and ten real records whose errors the rules were
improved on) and the ``held-out`` records (annotated before the recogniser was run on them, never
used to tune it; their floor is what the rules reach on unseen text). Over each set, precision
and recall of persons, places, organisations and dates stay at least at the level reached (a
floor: raise it when the recogniser gets better, never lower it to let a change pass), and the
mentions of one entity share one ``@ref`` that no other entity has.
``python bench/names_dates.py`` prints the tables per document kind.
"""

from __future__ import annotations

import re

import pytest

from . import scoring

SETS = {subset: scoring.gold_files(subset) for subset in (scoring.DEVELOPMENT, scoring.HELD_OUT)}

#: the level reached (precision, recall) per set; see gold/README.md and bench/names_dates.md
FLOORS = {
    scoring.DEVELOPMENT: {
        "person": (0.98, 0.96),
        "place": (0.97, 0.95),
        "org": (0.95, 0.90),
        "date": (0.99, 0.95),
    },
    scoring.HELD_OUT: {
        "person": (0.99, 0.95),
        "place": (0.99, 0.93),
        "org": (0.86, 0.71),
        "date": (0.99, 0.96),
    },
}


@pytest.fixture(scope="module")
def results() -> dict[str, list[scoring.Result]]:
    return {
        subset: [scoring.evaluate(g, scoring.convert_gold(g)) for g in golds]
        for subset, golds in SETS.items()
    }


def test_the_annotations_are_about_the_documents() -> None:
    kinds = {g.kind for golds in SETS.values() for g in golds}
    assert kinds >= {"cable", "telegram", "letter", "memorandum", "journal", "report", "protocol"}
    assert sum(len(g.mentions) for g in SETS[scoring.DEVELOPMENT]) >= 200
    assert sum(len(g.mentions) for g in SETS[scoring.HELD_OUT]) >= 150
    for gold in (g for golds in SETS.values() for g in golds):
        if gold.name == "wilson-117409":
            continue  # the seed's annotation counts in the TEI's reading ("38<hi>th</hi>")
        text = gold.source.read_text(encoding="utf-8")
        body = text[scoring.body_start(text, gold.body) :]
        for m in gold.mentions:
            count = len(re.findall(scoring.surface_pattern(m.surface), body))
            assert count >= m.occurrence, (gold.name, m)


@pytest.mark.parametrize("subset", list(SETS))
@pytest.mark.parametrize("category", scoring.ORDER)
def test_precision_and_recall_stay_above_the_floor(results, subset: str, category: str) -> None:
    total = scoring.Score()
    for result in results[subset]:
        total.add(result.scores[category])
    precision, recall = FLOORS[subset][category]
    assert total.precision >= precision, f"spurious: {total.spurious}"
    assert total.recall >= recall, f"missed: {total.missed}"


@pytest.mark.parametrize("subset", list(SETS))
def test_one_entity_one_reference(results, subset: str) -> None:
    assert [(r.gold.name, r.split, r.merged) for r in results[subset] if r.split or r.merged] == []
