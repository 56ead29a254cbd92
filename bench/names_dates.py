"""Precision and recall of names and dates per document kind, on records annotated by hand.

python bench/names_dates.py [--set development|held-out] [--by kind|record] [-v]

Converts every record of ``tests/entities/gold`` (annotated by reading the source before the
recogniser was run on it; see the README there) and prints, per document kind and set,
precision (P), recall (R) and the number of annotated mentions (n) of persons, places,
organisations, all names together, and dates. ``-v`` lists every missed and spurious mention.
The ``development`` set holds the records whose errors the rules were improved on; the
``held-out`` set was never used to tune them. Results: bench/names_dates.md.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.entities import scoring


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=(scoring.DEVELOPMENT, scoring.HELD_OUT), default=None)
    parser.add_argument("--by", choices=("kind", "record"), default="kind")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    subsets = [args.set] if args.set else [scoring.DEVELOPMENT, scoring.HELD_OUT]
    for subset in subsets:
        results = [scoring.evaluate(g, scoring.convert_gold(g)) for g in scoring.gold_files(subset)]
        records = len(results)
        mentions = sum(len(r.gold.mentions) for r in results)
        print(f"## {subset}: {records} records, {mentions} annotated mentions\n")
        print(scoring.table(results, args.by))
        split = sum(r.split for r in results)
        merged = sum(r.merged for r in results)
        print(f"\nentities split over several @ref: {split}; @ref shared by entities: {merged}\n")
        if args.verbose:
            for result in results:
                for category in scoring.ORDER:
                    s = result.scores[category]
                    for label, items in (("missed", s.missed), ("spurious", s.spurious)):
                        for m in items:
                            print(
                                f"{result.gold.name[:32]:<32} {label:<8} {category:<6} "
                                f"{m.surface!r} {m.occurrence} {m.value}"
                            )
            print()


if __name__ == "__main__":
    main()
