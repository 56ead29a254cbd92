"""The long run of the converter's property: ten thousand records from the format's grammar.

Run by hand::

    python bench/convert_fuzz.py [--records 10000] [--seed 0] [--no-tei-all] [--hash-seeds 200]

Generates inputs with the strategies of ``tests/record_grammar.py`` (front matter in any order
and number, letters quoted in letters, lists, brackets, notes, any Unicode, several records per
input, one input in ten with a control character) until ``--records`` records have been
converted, and checks each as the suite's property test does: refused with its position (a
control character) or converted with nothing lost, valid against ``tei_cable`` (RELAX NG and
Schematron) and ``tei_all``, within the depth XML tools read by default, the same bytes twice
(every ``--twice-every`` input, default one in ten: conversion is most of the time).
An input that takes more than 5 s of CPU time is a hang (the wall time, which on a
shared machine counts other work too, is printed beside it). Then ``--hash-seeds`` of the
inputs are converted again by ``tei-cable convert`` in processes with other hash seeds, and
must give the same bytes. Prints the machine, the counts, the slowest input, and every
failure; each failing input is written to ``bench/out/convert-fuzz-SEED/`` to become a
regression test.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

from validate_common import OUT, REPO, machine

sys.path.insert(0, str(REPO / "tests"))

from hypothesis import HealthCheck, Phase, given, seed, settings
from record_grammar import Input, check_conversion, inputs

from tei_cable.validate.runner import Validator

HANG = 5.0
CHUNK = 100  # examples per Hypothesis run (each run with its own seed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-tei-all", action="store_true", help="validate against tei_cable only")
    parser.add_argument("--hash-seeds", type=int, default=200, metavar="N")
    parser.add_argument(
        "--twice-every",
        type=int,
        default=10,
        metavar="K",
        help="convert every K-th input a second time in the same process (1: every input)",
    )
    options = parser.parse_args()
    print(machine())
    print(f"load average at the start: {os.getloadavg()}")
    folder = OUT / f"convert-fuzz-{options.seed}"  # runs with other seeds may run beside it
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    started = time.perf_counter()
    validators = [Validator("tei_cable").compile()]
    if not options.no_tei_all:
        validators.append(Validator("tei_all").compile())
    print(f"schemas compiled in {time.perf_counter() - started:.1f} s")

    counts: Counter[str] = Counter()
    codes: Counter[str] = Counter()
    failures: list[tuple[str, str]] = []
    slowest: tuple[float, Input | None, float] = (0.0, None, 0.0)
    kept: list[tuple[Input, list[bytes]]] = []  # for the hash-seed comparison
    deepest = 0

    def one(item: Input) -> None:
        nonlocal slowest, deepest
        if counts["records"] >= options.records:
            return
        began, cpu = time.perf_counter(), time.process_time()
        try:
            twice = (counts["inputs"] + counts["failed"]) % options.twice_every == 0
            facts = check_conversion(item, *validators, twice=twice)
            counts["twice"] += twice
        except Exception as exc:  # every failure is counted, the run goes on
            kind = type(exc).__name__
            message = str(exc).split("\n")[0][:300]
            if not isinstance(exc, AssertionError):
                message += " | " + traceback.format_exc().strip().splitlines()[-3].strip()
            counts["failed"] += 1
            counts["records"] += item.records
            name = folder / f"fail-{counts['failed']:04d}.txt"
            name.write_text(item.text, encoding="utf-8", errors="surrogatepass")
            failures.append((f"{kind}: {message}", name.name))
            return
        # a hang is judged by the CPU time of this process: on a shared machine the wall time
        # also counts the time other work had the cores
        seconds = time.process_time() - cpu
        wall = time.perf_counter() - began
        if seconds > slowest[0]:
            slowest = (seconds, item, wall)
        if seconds > HANG:
            counts["hangs"] += 1
            name = folder / f"hang-{counts['hangs']:04d}.txt"
            name.write_text(item.text, encoding="utf-8")
            failures.append((f"hang: {seconds:.1f} s CPU ({wall:.1f} s wall)", name.name))
        counts["inputs"] += 1
        counts["records"] += int(facts["records"])  # type: ignore[call-overload]
        counts["refused"] += int(facts.get("refused", 0))  # type: ignore[call-overload]
        counts["characters"] += len(item.text)
        codes.update(facts.get("codes", []))  # type: ignore[arg-type]
        deepest = max(deepest, int(facts.get("depth", 0)))  # type: ignore[call-overload]
        if "outputs" in facts and len(kept) < options.hash_seeds and facts["records"] == 1:
            kept.append((item, facts["outputs"]))  # type: ignore[arg-type]

    interrupted = False
    try:
        _chunks(options, one, counts, started)
    except KeyboardInterrupt:  # stopped by hand (SIGINT): the counts so far are still printed
        interrupted = True
    elapsed = time.perf_counter() - started

    hash_failures = compare_hash_seeds(kept, folder)
    failures += [(f"nondeterministic across hash seeds: {m}", n) for m, n in hash_failures]

    print(
        f"{counts['records']:,} records in {counts['inputs'] + counts['failed']:,} inputs "
        f"({counts['characters']:,} characters), {counts['refused']:,} inputs refused for a "
        f"control character (with the right line and column), {counts['failed']} failed, "
        f"{counts['hangs']} over {HANG:.0f} s; {elapsed:.0f} s in all; deepest TEI {deepest} "
        f"levels; {counts['twice']:,} inputs converted twice in the run and {len(kept)} again "
        "under 2 other hash seeds" + (" (STOPPED BY HAND before the count)" if interrupted else "")
    )
    if slowest[1] is not None:
        item = slowest[1]
        print(
            f"slowest input: {slowest[0]:.2f} s CPU, {slowest[2]:.2f} s wall ({item.records} "
            f"records, {len(item.text):,} "
            f"characters; written to {folder / 'slowest.txt'})"
        )
        (folder / "slowest.txt").write_text(item.text, encoding="utf-8")
    print("diagnostics:", ", ".join(f"{c} {n:,}" for c, n in sorted(codes.items())))
    print(f"load average at the end: {os.getloadavg()}")
    classes = Counter(failure_class(message) for message, _name in failures)
    print("failures by class:", ", ".join(f"{c} {n}" for c, n in sorted(classes.items())) or "none")
    for message, name in failures:
        print(f"FAIL {name}: {message}")
    if failures:
        raise SystemExit(1)
    print("no exception, nothing lost, every TEI valid, the same bytes every time")


def _chunks(options: argparse.Namespace, one, counts: Counter[str], started: float) -> None:
    """Hypothesis runs of CHUNK examples, each with its own seed, until enough records."""
    chunk = 0
    while counts["records"] < options.records:

        @seed(options.seed * 1_000_003 + chunk)
        @settings(
            max_examples=CHUNK,
            deadline=None,
            database=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(item=inputs())
        def run(item: Input) -> None:
            one(item)

        run()
        chunk += 1
        elapsed = time.perf_counter() - started
        print(
            f"  {counts['records']:,} records, {counts['inputs']:,} inputs, "
            f"{counts['failed']} failed, {elapsed:.0f} s",
            flush=True,
        )


def failure_class(message: str) -> str:
    """What kind of failure a message reports (for the summary)."""
    if message.startswith(("hang", "nondeterministic")):
        return message.split(":")[0].split(" ")[0]
    if not message.startswith("AssertionError"):
        return "exception " + message.split(":")[0]
    for words, kind in (
        ("lost from", "loss"),
        ("added to", "loss"),
        ("title blocks read as", "records"),
        ("not deterministic", "nondeterministic"),
        ("was not refused", "control character"),
        ("I001", "control character"),
    ):
        if words in message:
            return kind
    return "invalid" if "[rng:" in message or "[sch:" in message else "other assertion"


def compare_hash_seeds(
    kept: list[tuple[Input, list[bytes]]], folder: Path
) -> list[tuple[str, str]]:
    """Convert the kept inputs with ``tei-cable convert`` under two other hash seeds."""
    if not kept:
        return []
    sources = folder / "hash-seeds"
    sources.mkdir(exist_ok=True)
    paths = []
    for k, (item, _outputs) in enumerate(kept):
        path = sources / f"input-{k:04d}.txt"
        path.write_text(item.text, encoding="utf-8")
        paths.append(path)
    failures = []
    for hash_seed in ("1", "4242"):
        out = folder / f"out-{hash_seed}"
        out.mkdir(exist_ok=True)
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "TEI_CABLE_RESULT_CACHE": "off"}
        command = [sys.executable, "-m", "tei_cable", "convert", "-q", "--force"]
        done = subprocess.run(
            [*command, "--out-dir", str(out), *map(str, paths)], capture_output=True, env=env
        )
        if done.returncode != 0:
            failures.append((f"exit {done.returncode}: {done.stderr[-300:]!r}", str(out)))
            continue
        for path, (_item, outputs) in zip(paths, kept, strict=True):
            target = out / f"{path.stem}.xml"  # one record: named after its input
            if not target.exists():
                failures.append((f"PYTHONHASHSEED={hash_seed}: no {target.name}", path.name))
                continue
            if target.read_bytes() != outputs[0]:
                failures.append((f"PYTHONHASHSEED={hash_seed}", path.name))
    return failures


if __name__ == "__main__":
    main()
