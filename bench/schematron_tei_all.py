"""The TEI's own Schematron over the real corpus, and one file in a fresh process, against Jing.

Run by hand (2 cores; say what else was running)::

    python bench/schematron_tei_all.py [--repeat 5]

Measured side by side in one run:

1. the 582 corpus files Jing can judge, ``tei-cable validate --schema tei_all --engine rng,sch``
   (all cores, no result cache) against Jing's RELAX NG-only batch (one JVM) on the same files,
   with the same RELAX NG (the one our ODD compiler wrote), wall-clock, median of ``--repeat``
   runs; the target is at most 0.5 of Jing's time;
2. the encoded seed file in a fresh process with the default schema (``tei_cable``: RELAX NG
   and Schematron) against Jing with ``tei_cable.rng``; the target is at most 0.3 of Jing's;
3. how many of tei_all's Schematron patterns run in libxml2, and the Schematron engine alone
   over the corpus, with libxml2 and with elementpath only (same findings: checked here too).
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import statistics
import time

from validate_common import CORPUS, REPO, fmt, machine, pyjing, schema_paths, tei_cable_command
from validate_common import wall as run_wall

SEED = REPO / "encoded" / "wilson-117409.xml"
TEI_ALL_RNG = CORPUS.parent / "tei_all.rng"


#: CPU seconds (user + system) of each command run, by command label
CPU: dict[str, list[float]] = {}


def median(command: list[str], repeat: int) -> tuple[float, list[float]]:
    """Median wall-clock seconds of ``repeat`` runs (each run's CPU seconds go to ``CPU``)."""
    times = []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        times.append(run_wall(command)[0])
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        used = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        CPU.setdefault(" ".join(command[:9]), []).append(used)
    return statistics.median(times), times


def jing_works(command: list[str]) -> bool:
    """Whether Jing judged the files (it exits 1 for invalid files too: look at what it says)."""
    done = run_wall(command)[1]
    return "Exception in thread" not in done.stderr and (
        done.returncode == 0 or bool(done.stdout.strip())
    )


def cpu(command: list[str]) -> str:
    used = statistics.median(CPU[" ".join(command[:9])])
    return f"{used:.2f} s CPU"


def runs(times: list[float]) -> str:
    return "(" + ", ".join(f"{t:.2f}" for t in times) + ")"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(machine())
    print(f"load average before: {os.getloadavg()}")
    rows = list(csv.reader((CORPUS / "jing-verdicts.tsv").open(encoding="utf-8"), delimiter="\t"))
    files = [str(CORPUS / r[0]) for r in rows[1:] if r[1] in ("valid", "invalid")]
    _, rng = schema_paths("tei_all")
    _, cable_rng = schema_paths("tei_cable")
    jing = pyjing()
    print(f"{len(files)} corpus files; tei_all RELAX NG {rng}\n")

    # warm the cache (compiled tei_all) outside the timings
    run_wall([*tei_cable_command(), "--schema", "tei_all", "--engine", "rng,sch", files[0]])

    # no result cache: every run validates every file (a cached run would only read results)
    ours_command = [*tei_cable_command(), "--no-cache", "--schema", "tei_all"]
    both_command = [*ours_command, "--engine", "rng,sch", *files]
    rng_command = [*ours_command, "--engine", "rng", *files]
    jing_command = [jing or "pyjing", str(rng), *files]
    if jing and not jing_works(jing_command):
        # Jing cannot load every grammar our compiler writes (a StackOverflowError while it
        # simplifies it): time it with the TEI's own tei_all.rng, which it loads
        print(f"   Jing fails on {rng}; it is timed with the TEI's own {TEI_ALL_RNG}")
        jing_command = [jing, str(TEI_ALL_RNG), *files]
    ours, ours_all = median(both_command, args.repeat)
    rng_only, _ = median(rng_command, args.repeat)
    theirs = theirs_all = None
    if jing:
        theirs, theirs_all = median(jing_command, args.repeat)
    print("1. corpus, wall-clock (median):")
    print(
        f"   tei-cable RELAX NG + Schematron, all cores: {fmt(ours)}  {runs(ours_all)}; "
        f"{cpu(both_command)}"
    )
    print(f"   tei-cable RELAX NG only, all cores:         {fmt(rng_only)}; {cpu(rng_command)}")
    if theirs is not None:
        print(
            f"   Jing RELAX NG only, one JVM:                {fmt(theirs)}  {runs(theirs_all)}; "
            f"{cpu(jing_command)}"
        )
        print(f"   ratio (target at most 0.5):                 {ours / theirs:.2f}")

    seed = str(SEED)
    one_command = [*tei_cable_command(), "--no-cache", seed]
    jone_command = [jing or "pyjing", str(cable_rng), seed]
    one, one_all = median(one_command, args.repeat * 2)
    print("\n2. the seed file in a fresh process, default schema (median):")
    print(f"   tei-cable (RELAX NG + Schematron): {fmt(one)}  {runs(one_all)}; {cpu(one_command)}")
    if jing:
        jone, jone_all = median(jone_command, args.repeat * 2)
        print(
            f"   Jing (tei_cable.rng):              {fmt(jone)}  {runs(jone_all)}; "
            f"{cpu(jone_command)}"
        )
        print(f"   ratio (target at most 0.3):        {one / jone:.2f}")

    from tei_cable.schemas import resolve
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
