"""Correspondents of the real records against the hand annotation (``gold/correspondents.tsv``):
the precision and recall reached must hold (``python tests/structure/correspondents.py``
prints the tables)."""

from __future__ import annotations

from conftest import REPO

from .correspondents import GOLD, measure, read_gold

#: the level reached; raise it when the converter gets better, never lower it silently
PRECISION = 1.0
RECALL = 0.95
#: (precision, recall) per document kind of the gold ("quoted": letters quoted in others)
BY_KIND = {
    "cable": (1.0, 1.0),
    "telegram": (1.0, 0.84),
    "letter": (1.0, 1.0),
    "memorandum": (1.0, 1.0),
    "quoted": (1.0, 1.0),
}
KINDS_RIGHT = 21
#: kinds that are not messages: every such letter of the gold is given no correspondent
NOT_MESSAGES = ("conversation", "diary")


def test_the_gold_annotates_every_real_record() -> None:
    gold = read_gold(GOLD)
    sources = {p.stem for p in (REPO / "encoded" / "sources").glob("*.txt")}
    assert sources == set(gold)
    assert all("L1" in g.kinds for g in gold.values())


def test_correspondents_hold_the_level_reached() -> None:
    m = measure()
    total = m.total
    assert total.precision >= PRECISION, "\n".join(m.errors)
    assert total.recall >= RECALL, "\n".join(m.errors)
    for kind, (precision, recall) in BY_KIND.items():
        score = m.by_kind[kind]
        assert score.precision >= precision and score.recall >= recall, (kind, m.errors)
    assert m.kinds_right >= KINDS_RIGHT, "\n".join(m.errors)
    assert m.nested_found == m.nested_total > 0, "\n".join(m.errors)  # relayed messages
    for kind in NOT_MESSAGES:
        assert m.letters[kind] and m.silent_right[kind] == m.letters[kind], kind
