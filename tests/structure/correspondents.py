"""Precision and recall of correspondents against the hand annotation in ``gold/``.

Run by hand to see the tables: ``python tests/structure/correspondents.py`` (``--by-role`` adds
a table per role, ``--facts`` lists every fact that is wrong or missing). The tests import
:func:`measure` and hold the level reached.

Each record of ``encoded/sources/`` is converted; every ``correspAction`` of its TEI header
gives facts (letter, role, value): ``sent`` gives senders (``persName``, ``orgName``,
``name``), the place (``placeName``) and the date (``date``/``time``); ``received`` without a
``subtype`` gives addressees. A fact is right when the gold has it for the same letter and role
(a name by its ``@ref`` or its text, a date to the gold's precision). Facts are counted per
document kind of the gold (a letter quoted in another is counted as "quoted"); facts about a
letter the gold does not have are counted as "unexpected".
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

REPO = Path(__file__).resolve().parents[2]
GOLD = Path(__file__).resolve().parent / "gold" / "correspondents.tsv"
SOURCES = REPO / "encoded" / "sources"
TEI = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
ROLES = ("sender", "addressee", "place", "date")
NAME_TAGS = {f"{TEI}persName", f"{TEI}orgName", f"{TEI}name"}
TITLES = re.compile(
    r"^(?:(?:the|cde|cdes|com|comrade|comrades|tov|mr|mrs|dr|gen|to|for)\b\.?\s*)+", re.I
)

Fact = tuple[str, str, str]  # (letter, role, value)


@dataclass
class Gold:
    """The annotation of one record: each letter's kind and its facts (alternatives)."""

    kinds: dict[str, str] = field(default_factory=dict)
    facts: list[tuple[str, str, tuple[str, ...]]] = field(default_factory=list)


def read_gold(path: Path = GOLD) -> dict[str, Gold]:
    gold: dict[str, Gold] = defaultdict(Gold)
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("record\t"):
            continue
        record, letter, role, value, _evidence = line.split("\t")
        if role == "kind":
            gold[record].kinds[letter] = value
        else:
            assert role in ROLES, line
            gold[record].facts.append((letter, role, tuple(value.split("|"))))
    return dict(gold)


def normalise(name: str) -> str:
    """A name's text for comparison: no glosses, titles, initials before a surname ("S.E.
    ZAKHAROV" is the gold's "Zakharov"), brackets, punctuation or case."""
    text = unicodedata.normalize("NFC", name)
    text = re.sub(r"^(?:\[?[A-Z]\.\]?\s*)+(?=\w\w)", "", text)
    text = re.sub(r"\s\[[^\]]*\]", " ", text)  # a gloss: "Filippov [Stalin]"
    text = re.sub(r"\s\([^)]*\)", " ", text)
    text = re.sub(r"[\[\]()\"“”'’.,;:!?]", "", text)
    text = " ".join(text.split())
    text = TITLES.sub("", text)
    return text.casefold()


def predicted(tree: etree._Element) -> tuple[dict[str, str], list[tuple[str, str, dict]]]:
    """Letter kinds and correspondence facts as the TEI states them."""
    kinds = {}
    for element in tree.iter(f"{TEI}div", f"{TEI}floatingText"):
        if element.get(XML_ID, "").startswith("L"):
            kinds[element.get(XML_ID)] = element.get("type", "")
    text = tree.find(f"{TEI}text")
    if text is not None and text.get("type"):
        kinds["L1"] = text.get("type")
    facts = []
    for desc in tree.iter(f"{TEI}correspDesc"):
        letter = (desc.get("corresp") or "#").lstrip("#")
        for action in desc.iter(f"{TEI}correspAction"):
            if action.get("subtype"):
                continue
            sent = action.get("type") == "sent"
            for child in action:
                value = {
                    "ref": (child.get("ref") or "").lstrip("#"),
                    "text": " ".join("".join(child.itertext()).split()),
                }
                if child.tag in NAME_TAGS:
                    role = "sender" if sent else "addressee"
                elif child.tag == f"{TEI}placeName":
                    if not sent:
                        continue
                    role = "place"
                elif child.tag in (f"{TEI}date", f"{TEI}time"):
                    if not sent:
                        continue
                    role = "date"
                    value["when"] = next(
                        (child.get(a) for a in ("when", "from", "notBefore") if child.get(a)), ""
                    )
                else:
                    continue
                facts.append((letter, role, value))
    return kinds, facts


def matches(role: str, value: dict, alternatives: tuple[str, ...]) -> bool:
    if role == "date":
        gold = alternatives[0]
        return bool(value.get("when")) and value["when"][: len(gold)] == gold
    if value["ref"] and value["ref"] in alternatives:
        return True
    text = normalise(value["text"])
    return bool(text) and any(normalise(a) == text for a in alternatives)


@dataclass
class Score:
    gold: int = 0
    predicted: int = 0
    correct: int = 0

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.gold if self.gold else 1.0

    def add(self, other: Score) -> None:
        self.gold += other.gold
        self.predicted += other.predicted
        self.correct += other.correct


@dataclass
class Measurement:
    """Scores per document kind and per role, kind agreement, and every error."""

    by_kind: dict[str, Score] = field(default_factory=lambda: defaultdict(Score))
    by_role: dict[str, Score] = field(default_factory=lambda: defaultdict(Score))
    kinds_right: int = 0
    kinds_total: int = 0
    #: letters per document kind of the gold, and how many of them the gold gives no
    #: correspondent (a journal, a record of a conversation) and the TEI none either
    letters: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    silent_right: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    #: letters quoted or transmitted in another (relay telegrams): in the gold, and found
    nested_total: int = 0
    nested_found: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def total(self) -> Score:
        total = Score()
        for score in self.by_kind.values():
            total.add(score)
        return total


def score_record(
    name: str, gold: Gold, kinds: dict[str, str], facts: list, out: Measurement
) -> None:
    if "L1" in gold.kinds:
        out.kinds_total += 1
        if kinds.get("L1") == gold.kinds["L1"]:
            out.kinds_right += 1
        else:
            out.errors.append(f"{name} L1: kind {kinds.get('L1')!r}, gold {gold.kinds['L1']!r}")
    left = list(gold.facts)
    for letter in gold.kinds:
        bucket = _bucket(gold, letter)
        if letter != "L1":
            out.nested_total += 1
            if letter in kinds:
                out.nested_found += 1
            else:
                out.errors.append(f"{name} {letter}: nested letter not found")
        out.letters[bucket] += 1
        out.by_kind.setdefault(bucket, Score())
        if not any(f[0] == letter for f in gold.facts) and not any(f[0] == letter for f in facts):
            out.silent_right[bucket] += 1
    for letter, role, value in facts:
        bucket = _bucket(gold, letter)
        hit = next(
            (g for g in left if g[0] == letter and g[1] == role and matches(role, value, g[2])),
            None,
        )
        out.by_kind[bucket].predicted += 1
        out.by_role[role].predicted += 1
        if hit is not None:
            left.remove(hit)
            out.by_kind[bucket].correct += 1
            out.by_role[role].correct += 1
        else:
            shown = value.get("when") or value["ref"] or value["text"]
            out.errors.append(f"{name} {letter} {role}: wrong {shown!r}")
    for letter, role, _alternatives in gold.facts:
        out.by_kind[_bucket(gold, letter)].gold += 1
        out.by_role[role].gold += 1
    for letter, role, alternatives in left:
        out.errors.append(f"{name} {letter} {role}: missing {alternatives[0]!r}")


def _bucket(gold: Gold, letter: str) -> str:
    if letter not in gold.kinds:
        return "unexpected"
    return gold.kinds[letter] if letter == "L1" else "quoted"


def measure(sources: Path = SOURCES, gold_path: Path = GOLD) -> Measurement:
    """Convert every annotated record and score its correspondents."""
    from tei_cable.convert import convert_record

    gold = read_gold(gold_path)
    out = Measurement()
    for name in sorted(gold):
        source = sources / f"{name}.txt"
        result = convert_record(source.read_text(encoding="utf-8"), path=str(source))
        kinds, facts = predicted(result.tree.getroot())
        score_record(name, gold[name], kinds, facts, out)
    return out


def _ratio(value: float, denominator: int) -> str:
    return f"{value:.2f}" if denominator else "–"


def table(scores: dict[str, Score], title: str) -> str:
    rows = [
        f"| {title} | gold | predicted | right | precision | recall |",
        "|---|---|---|---|---|---|",
    ]
    for key in sorted(scores):
        s = scores[key]
        rows.append(
            f"| {key} | {s.gold} | {s.predicted} | {s.correct} "
            f"| {_ratio(s.precision, s.predicted)} | {_ratio(s.recall, s.gold)} |"
        )
    return "\n".join(rows)


def kind_table(m: Measurement) -> str:
    """Per document kind: letters, facts, precision and recall, and the letters that state no
    correspondent and got none ("silent")."""
    rows = [
        "| kind | letters | silent, none given | gold facts | predicted | right "
        "| precision | recall |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for key in sorted(m.by_kind):
        s = m.by_kind[key]
        rows.append(
            f"| {key} | {m.letters[key]} | {m.silent_right[key]} "
            f"| {s.gold} | {s.predicted} | {s.correct} "
            f"| {_ratio(s.precision, s.predicted)} | {_ratio(s.recall, s.gold)} |"
        )
    total = m.total
    rows.append(
        f"| **all** | {sum(m.letters.values())} | {sum(m.silent_right.values())} "
        f"| {total.gold} | {total.predicted} | {total.correct} "
        f"| {total.precision:.2f} | {total.recall:.2f} |"
    )
    return "\n".join(rows)


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(REPO))
    m = measure()
    print(kind_table(m))
    if "--by-role" in argv:
        print()
        print(table(dict(m.by_role), "role"))
    print(f"\ndocument kinds right: {m.kinds_right}/{m.kinds_total}")
    print(f"nested letters found: {m.nested_found}/{m.nested_total}")
    if "--facts" in argv:
        print("\n".join(m.errors))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
