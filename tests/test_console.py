"""The ``tei-cable`` process (:mod:`tei_cable.console`): exit status, output, what runs at exit.

Each test runs a real process: the start-up and the end are what is tested.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEED_TEI = REPO / "encoded" / "wilson-117409.xml"


def tei_cable(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tei_cable", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )


def python(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )


def test_exit_status_and_the_whole_report_reach_the_caller(tmp_path: Path) -> None:
    broken = tmp_path / "broken.xml"
    broken.write_text(SEED_TEI.read_text(encoding="utf-8").replace("<body>", "<body><bogus/>", 1))
    valid = tei_cable("validate", "--no-cache", str(SEED_TEI), cwd=tmp_path)
    assert valid.returncode == 0, valid.stderr
    assert valid.stdout.startswith("1 file: 1 valid, 0 invalid")
    invalid = tei_cable("validate", "--no-cache", "--format", "json", str(broken), cwd=tmp_path)
    assert invalid.returncode == 1
    report = json.loads(invalid.stdout)  # complete: the output was flushed before the end
    assert report["summary"]["invalid"] == 1
    assert any("bogus" in issue["message"] for issue in report["files"][0]["issues"])
    usage = tei_cable("validate", "--no-cache", str(tmp_path / "missing.xml"), cwd=tmp_path)
    assert usage.returncode == 2
    assert "missing.xml" in usage.stderr and "Traceback" not in usage.stderr
    unknown = tei_cable("no-such-command", cwd=tmp_path)
    assert unknown.returncode == 2 and "No such command" in unknown.stderr


def test_a_long_report_written_to_a_pipe_arrives_whole(tmp_path: Path) -> None:
    files = []
    text = SEED_TEI.read_text(encoding="utf-8")
    for index in range(40):
        path = tmp_path / f"f{index:02}.xml"
        path.write_text(text.replace("<body>", "<body><bogus/>" * 30, 1), encoding="utf-8")
        files.append(str(path))
    done = tei_cable("validate", "--no-cache", "-j", "1", "--format", "jsonl", *files, cwd=tmp_path)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    rows = [json.loads(line) for line in lines]  # every line whole, the last one too
    assert len({row.get("path") for row in rows if row.get("path")}) == 40


def test_what_is_registered_to_run_at_exit_runs(tmp_path: Path) -> None:
    marker = tmp_path / "ran.txt"
    done = python(
        f"""
        import atexit, gc, pathlib, sys
        from tei_cable.console import main

        def note():
            pathlib.Path({str(marker)!r}).write_text(f"gc enabled: {{gc.isenabled()}}")

        atexit.register(note)
        sys.argv = ["tei-cable", "validate", "--no-cache", {str(SEED_TEI)!r}]
        main()
        """,
        tmp_path,
    )
    assert done.returncode == 0, done.stderr
    # the ordinary exit ran the function; the collector was on again for the command's work
    assert marker.read_text() == "gc enabled: True"


def test_a_thread_still_running_is_waited_for(tmp_path: Path) -> None:
    marker = tmp_path / "thread.txt"
    done = python(
        f"""
        import pathlib, sys, threading, time
        from tei_cable.console import main

        def late():
            time.sleep(0.3)
            pathlib.Path({str(marker)!r}).write_text("finished")

        threading.Thread(target=late).start()
        sys.argv = ["tei-cable", "--version"]
        main()
        """,
        tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "tei-cable, version" in done.stdout
    assert marker.read_text() == "finished"


@pytest.mark.parametrize("args", [["--version"], ["validate", "--help"]])
def test_the_entry_point_is_the_console_module(args: list[str], tmp_path: Path) -> None:
    done = python(
        f"""
        import sys
        from importlib.metadata import entry_points
        (script,) = [e for e in entry_points(group="console_scripts") if e.name == "tei-cable"]
        assert script.value == "tei_cable.console:main", script.value
        sys.argv = ["tei-cable", *{args!r}]
        script.load()()
        """,
        tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip()


def test_a_profiler_gets_its_results(tmp_path: Path) -> None:
    stats = tmp_path / "run.prof"
    done = subprocess.run(
        [sys.executable, "-m", "cProfile", "-o", str(stats), "-m", "tei_cable", "--version"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    import pstats

    assert pstats.Stats(str(stats)).total_calls > 0  # written after the program returned
