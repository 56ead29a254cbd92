"""Archive scale: 50,000 distinct TEI files made from the real corpus, validated incrementally.

Run by hand::

    python bench/archive_scale.py generate [--files 50000]
    python bench/archive_scale.py measure [--schema tei_all] [--jobs 2] [--steps all|incremental]

``generate`` writes ``bench/out/archive/NNN/NNNNNN-<source>.xml``, 1,000 files a folder: the
real TEI files of ``../shared/tei/corpus`` in turn, each copy made distinct by its number in
its first ``title`` (or, without one, in a comment before the root element), so no two files
have the same content and every verdict is that of the corpus file it was made from.

``measure`` runs ``tei-cable validate --no-timings`` as a user would, each run a separate
process whose wall time, CPU time (the command and all its worker processes) and peak memory
(the same processes, sampled every 50 ms) are recorded:

1. the first 1,000 files, fresh (the memory baseline);
2. all files, fresh, local worker pool, a new cache (files/s, peak memory, per-file cost);
3. all files again, nothing changed, in ``jsonl``, ``json`` and ``text`` (the JSON report must
   be byte-identical to the fresh run's);
4. three files changed, then again (the incremental case: under 2 s), in ``jsonl`` and ``json``;
5. all files, fresh, on a Dask ``LocalCluster`` of ``--jobs`` worker processes, no cache: its
   JSON report must be byte-identical to that of (4);
6. an interrupted run: a new cache, SIGINT after a third of the full run's time, then the same
   command again to the end: the resumed report must be byte-identical to that of (4).

``--steps incremental`` runs only 2–4; ``--steps rerun`` only 3–4 (and a rerun that hashes
every file, ``--hash-all``), from the cache the last full run left: the full run must have been
made by a tei-cable whose validation code is the same (else every file is checked again).
Results go to ``bench/out/archive-scale.json``;
``bench/archive_scale.md`` has the latest numbers.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from validate_common import CORPUS, OUT, machine

ARCHIVE = OUT / "archive"
RESULTS = OUT / "archive-scale.json"
PER_FOLDER = 1000
#: what the incremental step appends to each changed file (new content on every run, so a
#: rerun from an old cache has it to check too)
CHANGED = f"\n<!-- changed {time.time_ns()} -->\n".encode()


def corpus_files() -> list[Path]:
    return sorted(p for p in CORPUS.rglob("*.xml") if p.is_file())


def generate(count: int) -> None:
    """Write ``count`` distinct files made from the corpus into ``ARCHIVE``."""
    sources = [(p, p.read_bytes()) for p in corpus_files()]
    if ARCHIVE.exists():
        shutil.rmtree(ARCHIVE)
    started = time.perf_counter()
    total = 0
    title = re.compile(rb"<title\b[^>]*(?<!/)>")
    for index in range(count):
        path, data = sources[index % len(sources)]
        changed = _distinct(data, title, f"[copy {index}] ", f"<!-- archive copy {index} -->")
        folder = ARCHIVE / f"{index // PER_FOLDER:03}"
        folder.mkdir(parents=True, exist_ok=True)
        stem = re.sub(r"[^A-Za-z0-9_.-]", "_", path.stem)[:40]
        (folder / f"{index:06}-{stem}.xml").write_bytes(changed)
        total += len(changed)
    seconds = time.perf_counter() - started
    print(
        f"{count:,} files, {total / 1e9:.2f} GB, from {len(sources)} corpus files, {seconds:.0f} s"
    )


def _distinct(data: bytes, title: re.Pattern[bytes], mark: str, comment: str) -> bytes:
    """``data`` with ``mark`` at the start of its first title, or else ``comment`` before the
    root element (after the XML declaration; no line moves)."""
    found = title.search(data)
    if found is not None:
        return data[: found.end()] + mark.encode() + data[found.end() :]
    at = data.find(b"?>") + 2 if data.lstrip(b"\xef\xbb\xbf").startswith(b"<?xml") else 0
    if at == 0 and data.startswith(b"\xef\xbb\xbf"):
        at = 3
    return data[:at] + comment.encode() + data[at:]


# -- running and measuring ----


def _tree_rss(pid: int) -> int:
    import psutil

    try:
        parent = psutil.Process(pid)
        processes = [parent, *parent.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for process in processes:
        with contextlib.suppress(psutil.Error):
            total += process.memory_info().rss
    return total


def run(
    args: list[str],
    out: Path,
    *,
    interrupt_after: float | None = None,
) -> dict[str, object]:
    """Run ``tei-cable validate ARGS > out``: wall time, CPU time of the command and all its
    worker processes, exit status, peak memory (the command and its workers, sampled)."""
    import resource

    command = [sys.executable, "-m", "tei_cable", "validate", *args]
    env = {**os.environ, "CI": "true"}  # no progress line
    peak = {"tree": 0, "parent": 0}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(out, "wb") as handle:
        started = time.perf_counter()
        process = subprocess.Popen(
            command, stdout=handle, stderr=subprocess.PIPE, env=env, start_new_session=True
        )
        stop = threading.Event()

        def sample() -> None:
            import psutil

            while not stop.is_set():
                peak["tree"] = max(peak["tree"], _tree_rss(process.pid))
                with contextlib.suppress(psutil.Error):
                    rss = psutil.Process(process.pid).memory_info().rss
                    peak["parent"] = max(peak["parent"], rss)
                stop.wait(0.05)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        if interrupt_after is not None:
            try:
                process.wait(interrupt_after)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGINT)
        _, err = process.communicate()
        seconds = time.perf_counter() - started
        stop.set()
        sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),
        "exit": process.returncode,
        "peak_tree_mb": round(peak["tree"] / 1e6, 1),
        "peak_parent_mb": round(peak["parent"] / 1e6, 1),
        "stderr": err.decode("utf-8", "replace")[-2000:],
    }


def summary(report: Path) -> dict[str, object]:
    data = report.read_bytes()
    if data.startswith(b"{\n"):
        return json.loads(data)["summary"]
    return json.loads(data.rstrip().rsplit(b"\n", 1)[-1])["summary"]


def _as_fresh(work: Path, changed: list[Path]) -> bool:
    """Whether the rerun with three files changed reports each file as a fresh run does."""

    def files(name: str) -> list[dict[str, object]]:
        return json.loads((work / name).read_bytes())["files"]  # type: ignore[no-any-return]

    fresh = {f["path"]: f for f in files("fresh_3_changed.json")}
    before = files("rerun_unchanged_json.json")
    after = files("rerun_3_changed_json.json")
    if len(before) != len(after) or set(fresh) != {str(p) for p in changed}:
        return False
    return all(
        a == fresh.get(a["path"], b) and a["path"] == b["path"]
        for a, b in zip(after, before, strict=True)
    )


def load() -> str:
    return "load average " + " ".join(f"{x:.1f}" for x in os.getloadavg())


def measure(schema: str, jobs: int, steps: str) -> None:
    files = sum(1 for _ in ARCHIVE.rglob("*.xml"))
    if not files:
        raise SystemExit("no archive: run `python bench/archive_scale.py generate` first")
    work = OUT / "archive-scale"
    work.mkdir(parents=True, exist_ok=True)
    cache = work / "cache.sqlite"
    common = ["--schema", schema, "--no-timings", "--jobs", str(jobs)]
    found: dict[str, object] = {"machine": machine(), "files": files, "schema": schema}
    results = RESULTS if steps == "all" else RESULTS.with_name(f"archive-scale-{steps}.json")
    print(found["machine"])
    print(f"{files:,} files, schema {schema}, {jobs} workers, steps: {steps}")

    def step(name: str, fmt: str, args: list[str], **options: object) -> dict[str, object]:
        before = load()
        result = run(["--format", fmt, *common, *args], work / f"{name}.{fmt}", **options)  # type: ignore[arg-type]
        result["load_before"] = before
        result["load_after"] = load()
        found[name] = result
        shown = {k: v for k, v in result.items() if k != "stderr"}
        print(f"{name}: {shown}", flush=True)
        results.write_text(json.dumps(found, indent=2))
        return result

    def same(a: str, b: str) -> bool:
        return (work / a).read_bytes() == (work / b).read_bytes()

    if steps != "rerun":  # a new cache (rerun: the one the last full run left)
        for leftover in work.glob("cache.sqlite*"):
            leftover.unlink()
    # 0. the schema compiled (and cached) before anything is measured
    first = next(iter(sorted((ARCHIVE / "000").glob("*.xml"))))
    step("warm_up", "json", ["--no-cache", "--jobs", "1", str(first)])
    if steps == "all":  # 1. the memory baseline: 1,000 files
        step("first_1000", "json", ["--no-cache", str(ARCHIVE / "000")])
    # 2. everything, fresh, into a new cache
    if steps != "rerun":
        full = step("full_fresh", "json", ["--cache", str(cache), str(ARCHIVE)])
        full["files_per_second"] = round(files / float(full["seconds"]), 1)  # type: ignore[arg-type]
        print(f"  {full['files_per_second']} files/s")
    # 3. again, nothing changed, in each format
    for fmt in ("jsonl", "json", "text"):
        step(f"rerun_unchanged_{fmt}", fmt, ["--cache", str(cache), str(ARCHIVE)])
    found["rerun_json_identical_to_fresh"] = same("rerun_unchanged_json.json", "full_fresh.json")
    if steps == "rerun":  # every file hashed (--hash-all), nothing changed
        step(
            "rerun_unchanged_hash_all_jsonl",
            "jsonl",
            ["--hash-all", "--cache", str(cache), str(ARCHIVE)],
        )
    # 4. three files changed
    changed = sorted(ARCHIVE.rglob("*.xml"))[:: files // 3][:3]
    for path in changed:
        data = path.read_bytes()
        path.write_bytes(data.replace(b"[copy ", b"[changed copy ", 1) + CHANGED)
    found["changed_files"] = [str(p.relative_to(ARCHIVE)) for p in changed]
    try:
        step("rerun_3_changed_jsonl", "jsonl", ["--cache", str(cache), str(ARCHIVE)])
        for path in changed:  # once more, so the jsonl run above is the one that checked them
            path.write_bytes(path.read_bytes() + b" ")
        step("rerun_3_changed_json", "json", ["--cache", str(cache), str(ARCHIVE)])
        # the same as a fresh run: the changed files as checked alone without the cache, the
        # others as in the unchanged rerun
        step("fresh_3_changed", "json", ["--no-cache", *map(str, changed)])
        found["rerun_3_changed_as_fresh"] = _as_fresh(work, changed)
        print(f"  3 changed: reported as a fresh run would: {found['rerun_3_changed_as_fresh']}")
        if steps == "all":
            # 5. Dask LocalCluster, fresh: the report must be that of the incremental run
            step("dask_fresh", "json", ["--executor", "dask", "--no-cache", str(ARCHIVE)])
            found["dask_identical"] = same("dask_fresh.json", "rerun_3_changed_json.json")
            print(f"  Dask report byte-identical to the local one: {found['dask_identical']}")
            # 6. interrupted after a third of the full run's time, then resumed
            resumed = work / "resume.sqlite"
            for leftover in work.glob("resume.sqlite*"):
                leftover.unlink()
            again = ["--cache", str(resumed), str(ARCHIVE)]
            wait = float(full["seconds"]) / 3  # type: ignore[arg-type]
            step("interrupted", "json", again, interrupt_after=wait)
            found["interrupted_summary"] = summary(work / "interrupted.json")
            step("resumed", "json", again)
            found["resumed_identical"] = same("resumed.json", "rerun_3_changed_json.json")
            print(f"  stopped at {found['interrupted_summary']}")
            print(f"  resumed report identical: {found['resumed_identical']}")
            base = float(found["first_1000"]["peak_tree_mb"])  # type: ignore[index]
            found["memory_ratio_full_to_1000"] = round(float(full["peak_tree_mb"]) / base, 2)  # type: ignore[arg-type]
            print(f"  peak memory, full run / 1,000 files: {found['memory_ratio_full_to_1000']}")
    finally:  # the archive as generated
        for path in changed:
            data = path.read_bytes().rstrip(b" ")
            path.write_bytes(data.replace(b"[changed copy ", b"[copy ", 1)[: -len(CHANGED)])
    found["summary"] = summary(work / "rerun_3_changed_json.json")
    found["cache_bytes"] = sum(p.stat().st_size for p in work.glob("cache.sqlite*"))
    found["report_bytes"] = {
        f: (work / f"rerun_unchanged_{f}.{f}").stat().st_size for f in ("jsonl", "json", "text")
    }
    print(f"  summary: {found['summary']}")
    results.write_text(json.dumps(found, indent=2))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("step", choices=["generate", "measure", "all"])
    parser.add_argument("--files", type=int, default=50_000)
    parser.add_argument("--schema", default="tei_all")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--steps",
        choices=["all", "incremental", "rerun"],
        default="all",
        help="incremental: only the full run and the reruns (no Dask, no interruption); "
        "rerun: only the reruns, from the cache the last full run left",
    )
    options = parser.parse_args()
    if options.step in ("generate", "all"):
        generate(options.files)
    if options.step in ("measure", "all"):
        measure(options.schema, options.jobs, options.steps)


if __name__ == "__main__":
    main()
