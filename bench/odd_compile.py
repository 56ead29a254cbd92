"""Benchmark of the ODD compiler (tei_cable.odd). Run by hand:

    .venv/bin/python bench/odd_compile.py [--runs N] [--tei-timeout SECONDS]

Measures, on this machine:

* compile time (ODD + p5subset.xml -> RELAX NG, compiled ODD in memory) of ``tei_all``,
  ``tei_min`` (a small customization: five modules and a closed list) and our own
  ``tei_cable.odd`` when it exists: in this process (median of N runs, the TEI source already
  parsed: what a long-running validator pays) and in a fresh Python process (imports and
  parsing included: what ``tei-cable schema build`` pays);
* the time lxml (libxml2) takes to load each RELAX NG schema we write, against the TEI's own
  build of the same customization (``../shared/tei/derived``), which it may not finish
  loading at all (a separate process, stopped after ``--tei-timeout`` seconds);
* what a compile of ``tei_all`` spends its time on.

For comparison, measured on this kind of machine (from the issue): the TEI Stylesheets
(7.58, SaxonC-HE 13) compile tei_all to RELAX NG and Schematron in about 3 s in a fresh
process, a small customization in about 1.4 s; lxml loads the TEI's tei_all RELAX NG in
about 6 s and does not finish loading the TEI's RELAX NG of tei_min.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from validate_common import machine

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "tei"
P5SUBSET = SHARED / "p5subset.xml"
ODDS = {
    "tei_all": SHARED / "tei_all.odd",
    "tei_min": SHARED / "derived" / "tei_min.odd",
    "tei_cable": REPO / "schemas" / "tei_cable.odd",
}
TEI_BUILDS = {
    "tei_all": SHARED / "derived" / "tei_all-4.9.0.rng",
    "tei_min": SHARED / "derived" / "tei_min-4.9.0.rng",
}


def fresh_compile(odd: Path, source: Path | None) -> tuple[float, float]:
    """(imports + compile + writing, as the child measures it; wall time of the process)."""
    code = (
        "import time; t = time.perf_counter()\n"
        "from tei_cable.odd import compile_odd\n"
        f"c = compile_odd({str(odd)!r}, source={str(source) if source else None!r})\n"
        "c.rng_bytes(); c.odd_bytes()\n"
        "print(time.perf_counter() - t)\n"
    )
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    wall = time.perf_counter() - start
    return float(out.stdout.strip()), wall


def load_in_subprocess(path: Path, timeout: float) -> str:
    code = (
        "import time; from lxml import etree\n"
        f"d = etree.parse({str(path)!r}); t = time.process_time()\n"
        "etree.RelaxNG(d); print(time.process_time() - t)\n"
    )
    try:
        out = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=True,
        )
    except subprocess.TimeoutExpired:
        return f"not loaded after {timeout:.0f} s"
    return f"{float(out.stdout):.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--tei-timeout", type=float, default=60.0)
    args = parser.parse_args()
    from lxml import etree

    from tei_cable.odd import compile_odd
    from tei_cable.odd.source import bundled_source, load_source

    print(f"machine: {machine()}")
    if not P5SUBSET.exists():
        print(f"the TEI reference data is not at {SHARED}: only the bundled source is used")
    source = P5SUBSET if P5SUBSET.exists() else bundled_source()
    started = time.perf_counter()
    load_source(P5SUBSET if P5SUBSET.exists() else bundled_source())
    print(
        f"reading and compacting p5subset.xml: {time.perf_counter() - started:.3f} s "
        f"(bundled compact copy: ",
        end="",
    )
    started = time.perf_counter()
    load_source(bundled_source())
    print(f"{time.perf_counter() - started:.3f} s)")
    print()
    header = (
        f"{'schema':<10} {'compile (in process)':>22} {'fresh process (wall)':>24} "
        f"{'RNG bytes':>10} {'lxml load ours':>15} {'lxml load TEI build':>21}"
    )
    print(header)
    print("-" * len(header))
    for name, odd in ODDS.items():
        if not odd.exists():
            print(f"{name:<10} (no ODD at {odd})")
            continue
        times = []
        compiled = None
        for _ in range(args.runs):
            started = time.perf_counter()
            compiled = compile_odd(odd, source=source)
            rng = compiled.rng_bytes()
            times.append(time.perf_counter() - started)
        assert compiled is not None
        fresh, wall = fresh_compile(odd, source)
        loads = []
        for _ in range(3):
            tree = etree.fromstring(rng)
            started = time.process_time()
            etree.RelaxNG(tree)
            loads.append(time.process_time() - started)
        tei = TEI_BUILDS.get(name)
        tei_load = load_in_subprocess(tei, args.tei_timeout) if tei and tei.exists() else "-"
        print(
            f"{name:<10} {statistics.median(times):>20.3f} s {fresh:>11.3f} s ({wall:.2f} s) "
            f"{len(rng):>10} {statistics.median(loads):>13.3f} s {tei_load:>21}"
        )
    print()
    print("where a tei_all compile spends its time (in process):")
    from tei_cable.odd.compiler import compile_odd as _compile
    from tei_cable.relaxng.write import write_rng

    with tempfile.TemporaryDirectory():
        started = time.perf_counter()
        compiled = _compile(ODDS["tei_all"], source=source)
        middle = time.perf_counter()
        write_rng(compiled.grammar)
        end = time.perf_counter()
        compiled.odd_bytes()
        last = time.perf_counter()
    print(
        f"  customize + grammar: {middle - started:.3f} s; RELAX NG writing: "
        f"{end - middle:.3f} s; compiled ODD: {last - end:.3f} s"
    )


if __name__ == "__main__":
    main()
