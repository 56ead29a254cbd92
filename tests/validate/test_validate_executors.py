"""Validation on other executors: a Dask cluster of worker processes gives the local report;
Ctrl-C stops the workers cleanly and the next run resumes from the cache."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from validate_helpers import MINI_RNG, mutate, valid_text

from tei_cable.cli import main


def write_edition(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        if index % 5 == 2:
            text = mutate('type="cable"', f'type="t{index}"')
        else:
            text = valid_text().replace("</body>", f"<!-- {index} --></body>")
        (folder / f"f{index:04}.xml").write_text(text, encoding="utf-8")
    return folder


def test_a_dask_cluster_gives_the_local_report_byte_for_byte(tmp_path: Path) -> None:
    pytest.importorskip("distributed", reason="the dask extra is not installed")
    import logging

    from distributed import Client, LocalCluster

    edition = write_edition(tmp_path / "edition", 40)
    args = ["validate", "--schema", str(MINI_RNG), "--format", "json", "--no-timings"]
    local = CliRunner().invoke(main, [*args, "--jobs", "2", "--no-cache", str(edition)])
    with (
        LocalCluster(
            n_workers=3,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster) as client,
    ):
        remote = ["--executor", "dask", "--scheduler", cluster.scheduler_address, "--no-cache"]
        dask = CliRunner().invoke(main, [*args, *remote, str(edition)])
        # each worker built the validator once, however many chunks it ran
        built = client.run(_builds)
    assert dask.exit_code == local.exit_code == 1
    assert dask.stdout_bytes == local.stdout_bytes
    assert json.loads(dask.stdout)["summary"]["invalid"] == 8
    assert len(built) == 3 and all(count <= 1 for count in built.values())
    assert sum(built.values()) >= 2  # the chunks were spread over the workers


def _builds() -> int:
    from tei_cable.batch import executors

    return len(executors._STATES)


@pytest.mark.skipif(sys.platform == "win32", reason="sends SIGINT")
def test_ctrl_c_stops_cleanly_and_a_rerun_resumes(tmp_path: Path) -> None:
    edition = write_edition(tmp_path / "edition", 600)
    db = tmp_path / "c.sqlite"
    command = [
        sys.executable,
        "-m",
        "tei_cable",
        "validate",
        "--schema",
        str(MINI_RNG),
        "--format",
        "jsonl",
        "--jobs",
        "2",
        "--cache",
        str(db),
        str(edition),
    ]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(  # unbuffered: nothing read ahead of the first line
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        start_new_session=True,
        bufsize=0,
    )
    assert process.stdout is not None
    first = process.stdout.readline()  # results are coming
    assert first.startswith(b'{"path":')
    os.killpg(process.pid, signal.SIGINT)  # as a terminal's Ctrl-C: the whole group
    out, err = process.communicate(timeout=60)
    lines = [first, *out.splitlines()]
    summary = json.loads(lines[-1])["summary"]
    assert process.returncode == 130, err
    assert summary["interrupted"] is True and 0 < summary["files"] < 600
    assert len(lines) == summary["files"] + 1  # every line parses; one per file checked
    assert all(json.loads(line)["path"] for line in lines[:-1])
    assert b"Traceback" not in err
    assert f"interrupted: {summary['files']:,} files checked".encode() in err
    done = summary["files"]

    again = subprocess.run(command, capture_output=True, env=env, timeout=300)
    assert again.returncode == 1 and b"Traceback" not in again.stderr
    rerun = [json.loads(line) for line in again.stdout.splitlines()]
    assert rerun[-1]["summary"]["files"] == 600 and rerun[-1]["summary"]["invalid"] == 120
    from tei_cable.batch.cache import ResultCache

    with ResultCache(db) as cache:
        assert cache.info()["results"] == 600
    assert done >= 1
