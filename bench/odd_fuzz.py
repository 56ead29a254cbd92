"""Long run of the property test of ``schema build`` over mutated ODDs. Run by hand:

    python bench/odd_fuzz.py [--examples N] [--odd FILE] [--seed S]

Each example mutates the schemaSpec of a real ODD (default ``schemas/tei_cable.odd``; the
mutations are those of ``tests/odd/odd_mutations.py``), compiles it as ``schema build
--keep-going`` does, and checks: no exception but the compiler's own error, every diagnostic
with an O-code and a line in the ODD, any grammar written loads in libxml2. Prints the counts,
the slowest example and every failure (with the steps that reproduce it).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import traceback
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "odd"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from lxml import etree  # noqa: E402
from odd_mutations import check_diagnostics, load_rng, mutate, mutation  # noqa: E402
from validate_common import machine  # noqa: E402

from tei_cable.diagnostics import TeiCableError  # noqa: E402
from tei_cable.findings import Severity  # noqa: E402
from tei_cable.odd import compile_odd  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=2000)
    parser.add_argument("--odd", default=str(REPO / "schemas" / "tei_cable.odd"))
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    base = etree.parse(args.odd).getroot()
    random.seed(args.seed)
    counts = {"compiled": 0, "refused": 0, "failed": 0, "errors": 0, "warnings": 0}
    slowest = (0.0, None)
    failures: list[str] = []
    workdir = Path(tempfile.mkdtemp(prefix="odd-mutations-"))

    @settings(
        max_examples=args.examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=("generate",),  # count every example; no shrinking
    )
    @given(steps=st.lists(mutation, min_size=1, max_size=6))
    def run(steps: list[tuple]) -> None:
        nonlocal slowest
        odd = workdir / "mutated.odd"
        odd.write_bytes(etree.tostring(mutate(base, steps)))
        start = time.perf_counter()
        try:
            try:
                compiled = compile_odd(odd, strict=False, download=False)
            except TeiCableError as exc:
                counts["refused"] += 1
                check_diagnostics(getattr(exc, "diagnostics", []), odd)
            else:
                counts["compiled"] += 1
                check_diagnostics(compiled.diagnostics, odd)
                for d in compiled.diagnostics:
                    counts["errors" if d.severity >= Severity.ERROR else "warnings"] += 1
                load_rng(compiled.rng_bytes())
        except Exception:
            counts["failed"] += 1
            failures.append(f"steps={steps!r}\n{traceback.format_exc(limit=3)}")
        took = time.perf_counter() - start
        if took > slowest[0]:
            slowest = (took, steps)

    began = time.perf_counter()
    run()
    print(machine())
    print(f"ODD: {args.odd}; {args.examples} examples in {time.perf_counter() - began:.0f} s")
    print(", ".join(f"{k}: {v}" for k, v in counts.items()))
    print(f"slowest: {slowest[0]:.2f} s, steps={slowest[1]!r}")
    for failure in failures[:20]:
        print("FAILED", failure)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
