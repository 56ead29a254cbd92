"""The TEI's own Schematron over the real corpus, and one file in a fresh process, against Jing.

Run by hand (2 cores; it takes ``/work/bench.lock`` first, so that no other timed benchmark
runs at the same time, and prints the load average, which other work on the machine sets)::

    python bench/schematron_tei_all.py [--repeat 5] [--no-lock] [--skip-engines]

Measured side by side in one run, tei-cable and Jing alternating run by run (so that both meet
the same load); medians of the wall-clock times, the ratio of the medians and its range run
by run:

1. the 582 corpus files Jing can judge, ``tei-cable validate --schema tei_all --engine rng,sch``
   (all cores, no result cache) against Jing's RELAX NG-only batch (one JVM) on the same files,
   with the RELAX NG our ODD compiler wrote (Jing overflows its stack on it: then with the TEI's
   own ``tei_all.rng``, and the script says so), median of ``--repeat`` runs; the target is at
   most 0.5 of Jing's time;
2. the encoded seed file in a fresh process with the default schema (``tei_cable``: RELAX NG
   and Schematron) against Jing with ``tei_cable.rng``; the target is at most 0.3 of Jing's;
3. how many of tei_all's Schematron patterns run in libxml2, and the Schematron engine alone
   over the corpus, with libxml2 and with elementpath only (same findings: checked here too).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import fcntl
import os
import resource
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from validate_common import (
    CORPUS,
    REPO,
    fmt,
    machine,
    parallel_gain,
    pyjing,
    schema_paths,
    tei_cable_command,
)
from validate_common import wall as run_wall

SEED = REPO / "encoded" / "wilson-117409.xml"
#: lxml alone judging the files (no explanation, no Schematron): the floor under tei-cable
FLOOR = Path(__file__).resolve().parent / "libxml2_floor.py"
TEI_ALL_RNG = CORPUS.parent / "tei_all.rng"


#: the lock every timed benchmark on this machine takes, so that two never overlap
LOCK = Path("/work/bench.lock")


@dataclass
class Timed:
    """The runs of one command: wall-clock and CPU seconds, and the load average before each."""

    label: str
    command: list[str]
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    load: list[float] = field(default_factory=list)

    def run(self) -> None:
        self.load.append(os.getloadavg()[0])
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        seconds, done = run_wall(self.command)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if "Exception in thread" in done.stderr or done.returncode not in (0, 1):
            raise SystemExit(f"{self.label} failed:\n{done.stderr[-2000:]}")
        self.wall.append(seconds)
        self.cpu.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))

    def line(self) -> str:
        runs = ", ".join(f"{t:.2f}" for t in self.wall)
        return (
            f"   {self.label:<44} {fmt(statistics.median(self.wall))} wall (median; {runs}); "
            f"{statistics.median(self.cpu):.2f} s CPU"
        )


def side_by_side(
    ours: Timed, theirs: Timed | None, repeat: int, target: float, floor: Timed | None = None
) -> None:
    """Run both ``repeat`` times, alternating (so that both meet the same load), and print
    the medians, the ratio of the medians and the range of the ratios run by run. ``floor``:
    a third command in the same alternation, whose ratio to ``theirs`` is printed too (what
    the target leaves above it)."""
    for _ in range(repeat):
        ours.run()
        if theirs is not None:
            theirs.run()
        if floor is not None:
            floor.run()
    print(ours.line())
    if theirs is None:
        return
    print(theirs.line())
    print(ratios("", ours, theirs, target))
    if floor is not None:
        print(floor.line())
        print(ratios("libxml2 alone: ", floor, theirs, target))


def ratios(label: str, ours: Timed, theirs: Timed, target: float) -> str:
    """The ratio of the medians, its range run by run, the CPU ratio and the load."""
    ratio = statistics.median(ours.wall) / statistics.median(theirs.wall)
    pairs = sorted(a / b for a, b in zip(ours.wall, theirs.wall, strict=True))
    return (
        f"   {label}ratio of the medians {ratio:.2f} (target at most {target}); run by run "
        f"{pairs[0]:.2f}–{pairs[-1]:.2f}; CPU ratio "
        f"{statistics.median(ours.cpu) / statistics.median(theirs.cpu):.2f}; load average "
        f"{min(ours.load + theirs.load):.1f}–{max(ours.load + theirs.load):.1f}"
    )


def jing_works(command: list[str]) -> bool:
    """Whether Jing judged the files (it exits 1 for invalid files too: look at what it says)."""
    done = run_wall(command)[1]
    return "Exception in thread" not in done.stderr and (
        done.returncode == 0 or bool(done.stdout.strip())
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-lock", action="store_true", help=f"do not take {LOCK}")
    parser.add_argument("--skip-engines", action="store_true", help="leave out part 3")
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        if not args.no_lock and LOCK.parent.is_dir():
            handle = stack.enter_context(LOCK.open("a"))
            print(f"waiting for {LOCK} …", flush=True)
            fcntl.flock(handle, fcntl.LOCK_EX)
        run_all(args)


def run_all(args: argparse.Namespace) -> None:
    from tei_cable.schemas import resolve

    print(machine())
    print(f"load average before: {os.getloadavg()}")
    rows = list(csv.reader((CORPUS / "jing-verdicts.tsv").open(encoding="utf-8"), delimiter="\t"))
    files = [str(CORPUS / r[0]) for r in rows[1:] if r[1] in ("valid", "invalid")]
    _, rng = schema_paths("tei_all")
    _, cable_rng = schema_paths("tei_cable")
    jing = pyjing()
    print(f"{len(files)} corpus files; tei_all RELAX NG {rng}\n")

    # warm the caches (compiled tei_all, .pyc files) outside the timings
    run_wall([*tei_cable_command(), "--schema", "tei_all", "--engine", "rng,sch", files[0]])
    run_wall([*tei_cable_command(), "--no-cache", str(SEED)])

    # no result cache: every run validates every file (a cached run would only read results)
    ours_command = [*tei_cable_command(), "--no-cache", "--schema", "tei_all"]
    jing_command = [jing or "pyjing", str(rng), *files]
    if jing and not jing_works(jing_command):
        # Jing cannot load every grammar our compiler writes (a StackOverflowError while it
        # simplifies it): time it with the TEI's own tei_all.rng, which it loads
        print(f"   Jing fails on {rng}; it is timed with the TEI's own {TEI_ALL_RNG}")
        jing_command = [jing, str(TEI_ALL_RNG), *files]
    both_command = [*ours_command, "--engine", "rng,sch", *files]
    floor_command = [sys.executable, str(FLOOR), str(resolve("tei_all").files["rng"]), *files]
    print(f"   {parallel_gain()}")
    print("1. corpus, RELAX NG + Schematron (all cores) against Jing's RELAX NG (one JVM):")
    side_by_side(
        Timed("tei-cable --engine rng,sch, all cores", both_command),
        Timed("Jing, one JVM", jing_command) if jing else None,
        args.repeat,
        0.5,
        Timed("libxml2 alone: parse and verdict", floor_command),
    )

    seed = str(SEED)
    jing_one = [jing or "pyjing", str(cable_rng), seed]
    print("\n2. the seed file in a fresh process, default schema (RELAX NG + Schematron):")
    side_by_side(
        Timed("tei-cable validate SEED", [*tei_cable_command(), "--no-cache", seed]),
        Timed("Jing with tei_cable.rng", jing_one) if jing else None,
        args.repeat * 2,
        0.3,
    )
    if args.skip_engines:
        print(f"\nload average after: {os.getloadavg()}")
        return

    from tei_cable.schematron.engine import SchematronValidator
    from tei_cable.validate import document as documents

    sch = resolve("tei_all").files["sch"]
    fast = SchematronValidator(sch)
    slow = SchematronValidator(sch, compiled=False)
    print(
        f"\n3. tei_all Schematron: {len(fast.patterns)} patterns, "
        f"{fast.libxml2_pattern_count} on libxml2"
    )
    loaded = [documents.load(f) for f in files]
    loaded = [d for d in loaded if d.tree is not None]
    timings = {}
    findings = {}
    for label, engine in (("libxml2 where it translates", fast), ("elementpath only", slow)):
        start = time.process_time()
        findings[label] = [engine.validate(d.tree, source=d.data) for d in loaded]
        timings[label] = time.process_time() - start
        print(f"   {label}: {fmt(timings[label])} CPU over {len(loaded)} files, one process")
    same = findings["libxml2 where it translates"] == findings["elementpath only"]
    print(f"   same findings on every file: {same}")
    print(f"\nload average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
