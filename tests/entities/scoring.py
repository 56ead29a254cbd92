"""Precision and recall of names and dates against hand annotations (``gold/*.tsv``).

A mention is ``(surface, occurrence, category, value)``: the reading of a ``persName``,
``placeName``/``geogName``, ``orgName``, ``date`` or ``time`` of the TEI ``text``, its index
among the whole-word occurrences of that reading in the document, its category, and its value
(the registry id a name points at, ``-`` for a name the registry does not know, the normalised
attributes of a date). Names nested inside another name are not scored. A mention counts as
right when all four agree with the gold (see ``gold/README.md``).

``python -m tests.entities.scoring`` converts every annotated record and prints the tables.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from tei_cable.entities.registry import builtin_registry
from tei_cable.xmlio import TEI_NS, XML_NS

T = f"{{{TEI_NS}}}"
XML_ID = f"{{{XML_NS}}}id"
HERE = Path(__file__).resolve().parent
GOLD_DIR = HERE / "gold"
SOURCES = HERE.parents[1] / "encoded" / "sources"
SKIP = {f"{T}corr", f"{T}reg", f"{T}expan"}  # editorial readings: not the source text
NAMES = {
    f"{T}persName": "person",
    f"{T}placeName": "place",
    f"{T}geogName": "place",
    f"{T}orgName": "org",
}
CATEGORIES = {**NAMES, f"{T}date": "date", f"{T}time": "date"}
ORDER = ("person", "place", "org", "date")
DATE_ATTRIBUTES = ("when", "from", "to", "notBefore", "notAfter")


@dataclass(frozen=True, slots=True, order=True)
class Mention:
    surface: str
    occurrence: int
    category: str
    value: str
    group: str = field(default="", compare=False)  # gold: the entity key; system: the @ref


REPO = HERE.parents[1]
DEVELOPMENT, HELD_OUT = "development", "held-out"


@dataclass
class Gold:
    path: Path
    kind: str
    body: str
    mentions: list[Mention]
    source_path: str = ""  # ``# source:`` (from the repository root); else encoded/sources
    set: str = DEVELOPMENT  # ``# set:``: held-out records were never used to tune the rules

    @property
    def name(self) -> str:
        return self.path.stem

    @property
    def source(self) -> Path:
        return REPO / self.source_path if self.source_path else SOURCES / f"{self.name}.txt"


def read_gold(path: Path) -> Gold:
    kind, body, rows, source, subset = "", "", [], "", DEVELOPMENT
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# kind:"):
            kind = line.split(":", 1)[1].strip()
        elif line.startswith("# body:"):
            body = line.split(":", 1)[1].strip()
        elif line.startswith("# source:"):
            source = line.split(":", 1)[1].strip()
        elif line.startswith("# set:"):
            subset = line.split(":", 1)[1].strip()
        if not line or line.startswith("#") or line.startswith("surface\t"):
            continue
        surface, occurrence, category, expected = line.split("\t")
        value, _, key = expected.partition(":") if expected.startswith("-") else (expected, "", "")
        group = f"-:{key}" if key else (value if value != "-" else "")
        rows.append(Mention(surface, int(occurrence), category, value, group))
    if subset not in (DEVELOPMENT, HELD_OUT):
        raise ValueError(f"{path.name}: unknown set {subset!r}")
    return Gold(path, kind, body, rows, source, subset)


def gold_files(subset: str | None = None) -> list[Gold]:
    """Every annotated record (of one set: ``development`` or ``held-out``)."""
    golds = [read_gold(p) for p in sorted(GOLD_DIR.glob("*.tsv"))]
    return [g for g in golds if subset is None or g.set == subset]


def reading_with_starts(text: etree._Element) -> tuple[str, list[tuple[etree._Element, int, str]]]:
    """The source reading of ``text`` and each scored element's start offset and reading."""
    parts: list[str] = []
    elements: list[tuple[etree._Element, int, str]] = []
    length = 0

    def walk(el: etree._Element) -> None:
        nonlocal length
        start = length
        if el.tag in (f"{T}lb", f"{T}pb", f"{T}cb"):  # a break of the source line or page
            parts.append("\n")
            length += 1
        if el.text:
            parts.append(el.text)
            length += len(el.text)
        for child in el:
            if isinstance(child.tag, str) and child.tag not in SKIP:
                walk(child)
            if child.tail:
                parts.append(child.tail)
                length += len(child.tail)
        if el.tag in CATEGORIES:
            elements.append((el, start, "".join(parts)[start:length]))

    walk(text)
    return "".join(parts), elements


def surface_pattern(surface: str) -> str:
    return r"(?<!\w)" + r"\s+".join(map(re.escape, surface.split())) + r"(?!\w)"


def body_start(reading: str, body: str) -> int:
    """Where the document begins in the reading (0 without an anchor)."""
    if not body:
        return 0
    m = re.search(r"\s+".join(map(re.escape, body.split())), reading)
    if m is None:
        raise AssertionError(f"the document's first words {body!r} are not in the TEI text")
    return m.start()


def occurrence(reading: str, surface: str, start: int, origin: int = 0) -> int:
    return (
        sum(
            1 for m in re.finditer(surface_pattern(surface), reading) if origin <= m.start() < start
        )
        + 1
    )


def _registered(root: etree._Element) -> set[str]:
    """Ids of the document's entries that are registry entities (not local entries)."""
    registry = builtin_registry()
    ids = set()
    for entry in root.iter(f"{T}person", f"{T}place", f"{T}org"):
        entity_id = entry.get(XML_ID)
        local = (
            entry.get("cert") == "low" or entry.find(f"{T}note[@type='unregistered']") is not None
        )
        if entity_id in registry and not local:
            ids.add(entity_id)
    return ids


def _value(el: etree._Element, registered: set[str]) -> tuple[str, str]:
    if CATEGORIES[el.tag] == "date":
        value = ";".join(f"{a}={el.get(a)}" for a in DATE_ATTRIBUTES if el.get(a))
        return value, ""
    ref = (el.get("ref") or "").split()
    target = ref[0][1:] if ref and ref[0].startswith("#") else ""
    return (target if target in registered else "-"), target


def system_mentions(root: etree._Element, body: str = "") -> list[Mention]:
    text = root.find(f"{T}text")
    reading, elements = reading_with_starts(text)
    origin = body_start(reading, body)
    registered = _registered(root)
    found = []
    for el, start, own in elements:
        if start < origin:
            continue
        if el.tag in NAMES and any(a.tag in NAMES for a in el.iterancestors()):
            continue  # a name inside a name: not scored
        surface = " ".join(own.split())
        if not surface:
            continue
        value, group = _value(el, registered)
        found.append(
            Mention(
                surface,
                occurrence(reading, surface, start, origin),
                CATEGORIES[el.tag],
                value,
                group,
            )
        )
    return found


def delivered(data: bytes) -> etree._Element:
    return etree.fromstring(data)


@dataclass
class Score:
    """Counts of one category (or all): right, found by the system, in the gold."""

    hits: int = 0
    system: int = 0
    gold: int = 0
    spurious: list[Mention] = field(default_factory=list)
    missed: list[Mention] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.hits / self.system if self.system else 1.0

    @property
    def recall(self) -> float:
        return self.hits / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Score) -> None:
        self.hits += other.hits
        self.system += other.system
        self.gold += other.gold
        self.spurious.extend(other.spurious)
        self.missed.extend(other.missed)


def score(gold: list[Mention], system: list[Mention]) -> dict[str, Score]:
    """Scores per category of one document."""
    result = {}
    for category in ORDER:
        g = {m for m in gold if m.category == category}
        s = {m for m in system if m.category == category}
        result[category] = Score(len(g & s), len(s), len(g), sorted(s - g), sorted(g - s))
    return result


def consistency(gold: list[Mention], system: list[Mention]) -> tuple[int, int]:
    """Entities split over several ``@ref`` and ``@ref`` shared by several entities, among
    the names found right."""
    refs = {(m.surface, m.occurrence, m.category): m.group for m in system}
    by_entity: dict[str, set[str]] = defaultdict(set)
    by_ref: dict[str, set[str]] = defaultdict(set)
    for m in gold:
        ref = refs.get((m.surface, m.occurrence, m.category))
        if m.category == "date" or not m.group or not ref:
            continue
        by_entity[m.group].add(ref)
        by_ref[ref].add(m.group)
    split = sum(1 for refs_ in by_entity.values() if len(refs_) > 1)
    merged = sum(1 for groups in by_ref.values() if len(groups) > 1)
    return split, merged


@dataclass
class Result:
    gold: Gold
    scores: dict[str, Score]
    split: int
    merged: int


def evaluate(gold: Gold, tei: bytes) -> Result:
    system = system_mentions(delivered(tei), gold.body)
    split, merged = consistency(gold.mentions, system)
    return Result(gold, score(gold.mentions, system), split, merged)


def convert_gold(gold: Gold) -> bytes:
    from tei_cable.convert import convert_record

    text = gold.source.read_text(encoding="utf-8")
    return convert_record(text, path=str(gold.source)).to_bytes()


def table(results: list[Result], by: str = "kind") -> str:
    """Precision / recall per kind (or per record) and category, and in total."""
    rows: dict[str, dict[str, Score]] = defaultdict(lambda: {c: Score() for c in ORDER})
    for result in results:
        key = result.gold.kind if by == "kind" else result.gold.name
        for category in ORDER:
            rows[key][category].add(result.scores[category])
            rows["all"][category].add(result.scores[category])
    header = f"{by:<14}" + "".join(f"{c:>18}" for c in (*ORDER, "names"))
    lines = [header, f"{'':<14}" + "".join(f"{'P    R    n':>18}" for _ in (*ORDER, "names"))]
    for key in [*sorted(k for k in rows if k != "all"), "all"]:
        cells = []
        names = Score()
        for category in ORDER:
            cell = rows[key][category]
            if category != "date":
                names.add(cell)
            cells.append(cell)
        cells.append(names)
        lines.append(
            f"{key[:14]:<14}"
            + "".join(f"{c.precision:>8.2f} {c.recall:.2f} {c.gold:>3}" for c in cells)
        )
    return "\n".join(lines)


def main() -> None:  # pragma: no cover - a report run by hand
    import sys

    held_out = "--all" not in sys.argv
    results = []
    for gold in gold_files():
        if held_out and gold.name == "wilson-117409":
            continue
        results.append(evaluate(gold, convert_gold(gold)))
    print(table(results, "kind"))
    print()
    print(table(results, "record"))
    split = sum(r.split for r in results)
    merged = sum(r.merged for r in results)
    print(f"\nentities split over several @ref: {split}; @ref shared by several entities: {merged}")
    if "-v" in sys.argv:
        for result in results:
            for category in ORDER:
                s = result.scores[category]
                for label, items in (("missed", s.missed), ("spurious", s.spurious)):
                    for m in items:
                        print(
                            f"{result.gold.name[:30]:<30} {label:<8} {category:<6} "
                            f"{m.surface!r} {m.occurrence} {m.value}"
                        )


if __name__ == "__main__":  # pragma: no cover
    main()
