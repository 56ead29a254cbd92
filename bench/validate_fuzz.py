"""The long run of the ``validate`` property: thousands of mutated TEI files, every format.

Run by hand::

    python bench/validate_fuzz.py [--files 2000] [--seed 0] [--schema tei_cable]

Writes ``--files`` mutated documents (``tests/validate/mutations.py``: the project's real TEI
with one to three mutations each, under file names with control characters, line breaks and
undecodable bytes) into ``bench/out/fuzz/``, validates them in one run, checks every report
format as the suite's property test does (each parses, one line per issue, every invalid file
named), runs the command line once per format (no traceback, exit status 0 or 1; the first
run fills a result cache the others read), and prints
the counts and the slowest file. A file that takes more than 5 s is a hang and fails the run.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from collections import Counter

from validate_common import OUT, REPO, machine

sys.path.insert(0, str(REPO / "tests" / "validate"))

from mutations import file_name, mutated, seeds
from test_validate_properties import check_report

from tei_cable.validate.formats import WRITERS
from tei_cable.validate.runner import Validator

HANG = 5.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--schema", default="tei_cable")
    options = parser.parse_args()
    print(machine())
    folder = OUT / "fuzz"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    sources = seeds()
    paths = []
    for seed in range(options.seed, options.seed + options.files):
        path = folder / file_name(seed)
        path.write_bytes(mutated(seed, sources))
        paths.append(str(path))
    validator = Validator(options.schema).compile()
    started = time.perf_counter()
    report = validator.run(paths, jobs=1)
    seconds = time.perf_counter() - started
    slowest = max(report.files, key=lambda f: f.seconds)
    rules = Counter(f"{i.engine}:{i.rule}" for _p, i in report.issues)
    check_report(report)
    internal = [(p, i) for p, i in report.issues if i.rule == "internal"]
    hangs = [f for f in report.files if f.seconds > HANG]
    print(
        f"{len(report.files):,} files ({options.schema}): {sum(f.valid for f in report.files):,}"
        f" valid, {sum(not f.valid for f in report.files):,} invalid, {len(report.issues):,}"
        f" issues, {seconds:.1f} s; slowest {slowest.seconds:.2f} s ({slowest.path!r})"
    )
    print("most frequent rules:", ", ".join(f"{r} {n}" for r, n in rules.most_common(8)))
    failures = []
    cache = OUT / "fuzz-cache.sqlite"  # the first format's run fills it, the others read it
    for leftover in OUT.glob("fuzz-cache.sqlite*"):
        leftover.unlink()
    for fmt in WRITERS:
        command = [sys.executable, "-m", "tei_cable", "validate", "--schema", options.schema]
        done = subprocess.run(
            [*command, "--format", fmt, "--cache", str(cache), str(folder)], capture_output=True
        )
        if done.returncode not in (0, 1) or b"Traceback" in done.stderr:
            failures.append(f"{fmt}: exit {done.returncode}: {done.stderr[-500:]!r}")
    for problem in [*(f"internal error: {p!r}: {i.message}" for p, i in internal), *failures]:
        print("FAIL", problem)
    for hang in hangs:
        print(f"FAIL hang: {hang.path!r} took {hang.seconds:.1f} s")
    if internal or failures or hangs:
        raise SystemExit(1)
    print("every format parsed; every invalid file named; no traceback, no hang over 5 s")


if __name__ == "__main__":
    main()
