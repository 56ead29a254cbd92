"""Time the entity, date and correspondence enrichment of the bundled record (run by hand).

python bench/entities.py [RECORD.txt] [--repeat N]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from tei_cable.convert import convert_record
from tei_cable.enrich import corresp, dates, entities
from tei_cable.enrich.pipeline import default_enrichers
from tei_cable.entities import Registry


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("record", nargs="?", default="encoded/sources/wilson-117409.txt")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    text = Path(args.record).read_text(encoding="utf-8")

    start = time.perf_counter()
    registry = Registry.load()
    registry.index  # noqa: B018 - build the name index
    print(
        f"registry load and index: {1000 * (time.perf_counter() - start):.1f} ms "
        f"({len(registry)} entities)"
    )

    base = default_enrichers()
    names = {e.name for e in base}
    full = base + [
        e for e in (entities.ENRICHER, dates.ENRICHER, corresp.ENRICHER) if e.name not in names
    ]
    for label, enrichers in (("without entities", base), ("with entities", full)):
        best = float("inf")
        for _ in range(args.repeat):
            start = time.perf_counter()
            convert_record(text, registry=registry, enrichers=enrichers)
            best = min(best, time.perf_counter() - start)
        print(f"convert {label}: {1000 * best:.1f} ms (best of {args.repeat})")


if __name__ == "__main__":
    main()
