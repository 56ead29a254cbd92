"""Archive scale: 50,000 distinct TEI files made from the real corpus, validated incrementally.

Run by hand::

    python bench/archive_scale.py generate [--files 50000]
    python bench/archive_scale.py measure [--schema tei_all] [--jobs 2] [--steps all|incremental]
    flock /work/bench.lock python bench/archive_scale.py measure --steps rerun [--repeat 5]

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

``--steps incremental`` runs only 2–4; ``--steps rerun`` only the reruns, from the cache the
last full run left (the full run must have been made by a tei-cable whose validation code is
the same, else every file is checked again): in each format (``jsonl``, ``json``, ``text``,
``junit``, ``github``) a first rerun (which keeps the format's templates in the cache, once),
then ``--repeat`` reruns with nothing changed and ``--repeat`` reruns with three files changed
(new content each time), the median of each; the three-changed reports checked file by file
against a rerun with nothing changed and a run of the three files alone without the cache; a
rerun that hashes every file (``--hash-all``); and the three-changed rerun checked in this
process (``--jobs 1``) rather than in one forked worker.

Every command runs as an installed tei-cable does, its modules' bytecode kept (in
``bench/out/pycache``; ``PYTHONDONTWRITEBYTECODE`` is dropped). The load average (1 minute)
before each run is recorded with it. Results go to ``bench/out/archive-scale.json`` (or
``archive-scale-STEPS.json``); ``bench/archive_scale.md`` has the latest numbers.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from validate_common import CORPUS, OUT, REPO, machine

ARCHIVE = OUT / "archive"
RESULTS = OUT / "archive-scale.json"
#: the reports and the cache of ``measure``
WORK = OUT / "archive-scale"
PER_FOLDER = 1000
#: what the incremental step appends to each changed file (new content on every run, so a
#: rerun from an old cache has it to check too)
CHANGED = f"\n<!-- changed {time.time_ns()} -->\n".encode()
#: the report formats a rerun is measured in
FORMATS = ("jsonl", "json", "text", "junit", "github")


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
    # as an installed package runs: its bytecode compiled once and kept
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(OUT / "pycache")
    peak = {"tree": 0, "parent": 0, "private": 0}
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
                    info = psutil.Process(process.pid).memory_info()
                    peak["parent"] = max(peak["parent"], info.rss)
                    # without file pages (the result cache is read through a memory map)
                    peak["private"] = max(peak["private"], info.rss - info.shared)
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
        "peak_parent_private_mb": round(peak["private"] / 1e6, 1),
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


def measure(schema: str, jobs: int, steps: str, repeat: int = 5) -> None:
    files = sum(1 for _ in ARCHIVE.rglob("*.xml"))
    if not files:
        raise SystemExit("no archive: run `python bench/archive_scale.py generate` first")
    work = WORK
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
    if steps == "rerun":
        reruns(found, work, cache, common, files, repeat, results)
        return
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


# -- reruns from the cache ----


def one_minute_load() -> float:
    return round(os.getloadavg()[0], 2)


def reruns(
    found: dict[str, object],
    work: Path,
    cache: Path,
    common: list[str],
    files: int,
    repeat: int,
    results: Path,
) -> None:
    """Reruns in every format: nothing changed, three files changed; medians and checks."""
    archive = ["--cache", str(cache), str(ARCHIVE)]
    changed = sorted(ARCHIVE.rglob("*.xml"))[:: files // 3][:3]
    found["changed_files"] = [str(p.relative_to(ARCHIVE)) for p in changed]
    originals = {p: p.read_bytes() for p in changed}

    def timed(name: str, fmt: str, args: list[str], out: Path) -> dict[str, object]:
        load = one_minute_load()
        result = run(["--format", fmt, *common, *args], out)
        result["load"] = load
        if result["exit"] in (0, 1):  # keep what went wrong, if anything did
            result.pop("stderr")
        keys = ("seconds", "cpu_seconds", "peak_tree_mb", "peak_parent_private_mb", "load")
        shown = {k: result[k] for k in keys}
        print(f"  {name}: {shown}", flush=True)
        return result

    def series(name: str, runs: list[dict[str, object]]) -> None:
        found[name] = {
            "runs": runs,
            "median_seconds": statistics.median(float(r["seconds"]) for r in runs),  # type: ignore[arg-type]
            "median_cpu_seconds": statistics.median(float(r["cpu_seconds"]) for r in runs),  # type: ignore[arg-type]
            "max_seconds": max(float(r["seconds"]) for r in runs),  # type: ignore[arg-type]
            "loads": [r["load"] for r in runs],
            "peak_tree_mb": max(float(r["peak_tree_mb"]) for r in runs),  # type: ignore[arg-type]
            "peak_parent_private_mb": max(float(r["peak_parent_private_mb"]) for r in runs),  # type: ignore[arg-type]
        }
        shown = {k: v for k, v in found[name].items() if k != "runs"}  # type: ignore[union-attr]
        print(f"{name}: {shown}", flush=True)
        results.write_text(json.dumps(found, indent=2))

    def change(round_: int) -> None:
        for path in changed:
            mark = f"\n<!-- changed {time.time_ns()} {round_} -->\n".encode()
            path.write_bytes(originals[path].replace(b"[copy ", b"[changed copy ", 1) + mark)

    try:
        for fmt in FORMATS:
            unchanged = work / f"rerun_unchanged.{fmt}"
            # the first rerun in a format keeps its templates (once); then the measured ones
            found[f"rerun_first_{fmt}"] = timed(f"first rerun, {fmt}", fmt, archive, unchanged)
            series(
                f"rerun_unchanged_{fmt}",
                [timed(f"unchanged {i}", fmt, archive, unchanged) for i in range(repeat)],
            )
            runs = []
            out = work / f"rerun_3_changed.{fmt}"
            for i in range(repeat):
                change(i)
                runs.append(timed(f"3 changed {i}", fmt, archive, out))
            series(f"rerun_3_changed_{fmt}", runs)
            fresh = work / f"fresh_3_changed.{fmt}"
            run(["--format", fmt, *common, "--no-cache", *map(str, changed)], fresh)
            same = as_fresh(fmt, unchanged, out, fresh, {str(p) for p in changed})
            found[f"rerun_3_changed_{fmt}_as_fresh"] = same
            print(f"  {fmt}: reported as a fresh run would: {same}", flush=True)
            for path in changed:  # as generated, for the next format's unchanged reruns
                path.write_bytes(originals[path])
        for fmt in ("json", "text"):  # the full fresh run's report, where there is one
            if (work / f"full_fresh.{fmt}").is_file():
                same = same_as_fresh(work / f"rerun_unchanged.{fmt}", work / f"full_fresh.{fmt}")
                found[f"rerun_{fmt}_identical_to_fresh"] = same
                print(f"{fmt} rerun identical to the fresh run: {same}", flush=True)
        # every file hashed; and the changed files checked in this process
        hashed = work / "rerun_hash_all.jsonl"
        series(
            "rerun_unchanged_hash_all_jsonl",
            [
                timed(f"hash-all {i}", "jsonl", ["--hash-all", *archive], hashed)
                for i in range(repeat)
            ],
        )
        runs = []
        for i in range(repeat):
            change(100 + i)
            runs.append(
                timed(
                    f"3 changed, --jobs 1 {i}",
                    "jsonl",
                    [*archive, "--jobs", "1"],
                    work / "j1.jsonl",
                )
            )
        series("rerun_3_changed_jsonl_jobs_1", runs)
    finally:
        for path, data in originals.items():
            path.write_bytes(data)
    found["cache_bytes"] = sum(p.stat().st_size for p in work.glob("cache.sqlite*"))
    found["report_bytes"] = {f: (work / f"rerun_unchanged.{f}").stat().st_size for f in FORMATS}
    results.write_text(json.dumps(found, indent=2))


def same_as_fresh(rerun: Path, fresh: Path) -> bool:
    """Whether two reports (JSON or text) are byte-identical, the fresh one's paths spelt as
    the rerun's (a full run started by hand may name the archive relative to the repository)."""
    data, reference = rerun.read_bytes(), fresh.read_bytes()
    relative = str(ARCHIVE.relative_to(REPO)).encode() + b"/"
    absolute = str(ARCHIVE).encode() + b"/"
    if fresh.suffix == ".json":
        reference = reference.replace(b'"path": "' + relative, b'"path": "' + absolute)
    else:  # a line per issue, starting with the path
        reference = reference.replace(b"\n" + relative, b"\n" + absolute)
        if reference.startswith(relative):
            reference = absolute + reference[len(relative) :]
    return data == reference


def entries(fmt: str, data: bytes) -> tuple[list[str], dict[str, bytes], bytes]:
    """A report cut into each file's part: the files in order, their parts, and the rest
    (the summary, with the JUnit counts)."""
    parts: dict[str, list[bytes]] = {}
    rest = b""
    if fmt == "jsonl":
        lines = data.splitlines()
        rest = lines.pop()
        for line in lines:
            parts.setdefault(json.loads(line)["path"], []).append(line)
    elif fmt == "json":
        shape = json.loads(data)
        rest = json.dumps(shape["summary"]).encode()
        for entry in shape["files"]:
            parts.setdefault(entry["path"], []).append(json.dumps(entry).encode())
    elif fmt in ("text", "github"):
        lines = data.splitlines()
        rest = lines.pop()
        for line in lines:
            if fmt == "text":
                path = line.split(b":", 1)[0]
            else:
                path = line.split(b" file=", 1)[1].split(b",", 1)[0]
            parts.setdefault(path.decode(), []).append(line)
    elif fmt == "junit":
        from lxml import etree

        root = etree.fromstring(data)
        rest = b" ".join(f"{k}={v}".encode() for k, v in sorted(root.attrib.items()))
        for case in root.iter("testcase"):
            parts.setdefault(case.get("name"), []).append(etree.tostring(case, with_tail=False))  # type: ignore[arg-type]
    return list(parts), {k: b"\n".join(v) for k, v in parts.items()}, rest


def as_fresh(fmt: str, unchanged: Path, rerun: Path, fresh: Path, changed: set[str]) -> bool:
    """Whether the rerun with files changed reports each file as a fresh run does: the changed
    ones as a run of them alone without the cache, the others as the rerun with nothing
    changed (whose JSON report is the fresh full run's), in the same order, same summary."""
    order, before, summary = entries(fmt, unchanged.read_bytes())
    after_order, after, after_summary = entries(fmt, rerun.read_bytes())
    _, alone, _ = entries(fmt, fresh.read_bytes())
    if fmt in ("jsonl", "json", "junit") and set(alone) != changed:
        return False  # these formats list every file, valid or not
    expected = {k: v for k, v in before.items() if k not in changed} | alone
    kept = [k for k in after_order if k not in changed]
    return (
        after == expected
        and kept == [k for k in order if k not in changed]
        and after_summary == summary
    )


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
    parser.add_argument(
        "--repeat", type=int, default=5, help="rerun: runs of each kind (the median is kept)"
    )
    parser.add_argument(
        "--archive", type=Path, help="another archive (with --work: a small trial of the steps)"
    )
    parser.add_argument("--work", type=Path, help="where the reports and the cache go")
    options = parser.parse_args()
    global ARCHIVE, WORK, RESULTS
    if options.archive is not None:
        ARCHIVE = options.archive.resolve()
    if options.work is not None:
        WORK = options.work.resolve()
        RESULTS = WORK / "archive-scale.json"
    if options.step in ("generate", "all"):
        generate(options.files)
    if options.step in ("measure", "all"):
        measure(options.schema, options.jobs, options.steps, options.repeat)


if __name__ == "__main__":
    main()
