"""Conversion speed: records per second for the bundled record and the test fixtures.

Run by hand: ``python bench/convert.py [--repeat N]``. Prints the machine, then for each record
the median time to read, enrich and write TEI (and serialise it), and the start-up time of a
one-record ``tei-cable convert`` process.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from validate_common import machine  # noqa: E402

from tei_cable.convert import convert_record  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    print(machine())
    sources = [
        REPO / "encoded" / "sources" / "wilson-117409.txt",
        *sorted((REPO / "tests" / "fixtures" / "records").glob("*.txt")),
    ]
    total_chars = 0
    total_time = 0.0
    for source in sources:
        text = source.read_text(encoding="utf-8")
        convert_record(text).to_bytes()  # warm up (imports, regex compilation)
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            convert_record(text).to_bytes()
            times.append(time.perf_counter() - start)
        median = statistics.median(times)
        total_chars += len(text)
        total_time += median
        print(f"{source.name:28} {len(text):7,d} chars  {median * 1000:7.2f} ms")
    print(
        f"{'all':28} {total_chars:7,d} chars  {total_time * 1000:7.2f} ms "
        f"({total_chars / total_time / 1000:,.0f} k chars/s)"
    )
    seed = sources[0]
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "tei_cable", "convert", "-q", str(seed)],
            check=True,
            capture_output=True,
        )
        runs.append(time.perf_counter() - start)
    print(f"one-record process (python -m tei_cable convert): {statistics.median(runs):.3f} s")


if __name__ == "__main__":
    main()
