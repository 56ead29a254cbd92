"""Convert and export on every executor: worker processes and a Dask cluster write, byte for
byte, what one process writes, and report the same failures in the same order."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import RECORDS, REPO

from tei_cable.cli import main

ENCODED = REPO / "encoded"


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def outputs(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*.*"))}


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    """A Dask cluster of two worker processes (its scheduler's address)."""
    pytest.importorskip("distributed", reason="the dask extra is not installed")
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        silence_logs=logging.ERROR,
    ) as local:
        yield local.scheduler_address


@pytest.fixture
def tei_inputs(tmp_path: Path) -> Path:
    """Twelve TEI documents in two folders, and one file that is no TEI."""
    folder = tmp_path / "tei"
    for index, path in enumerate(sorted(ENCODED.glob("*.xml"))[:12]):
        target = folder / ("a" if index % 2 else "b") / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target)
    (folder / "a" / "broken.xml").write_text("<TEI><teiHeader>", encoding="utf-8")
    return folder


@pytest.mark.parametrize("to", ["dc"])
def test_export_on_worker_processes_and_dask_writes_what_one_process_writes(
    to: str, tei_inputs: Path, tmp_path: Path, cluster: str
) -> None:
    written: dict[str, dict[str, bytes]] = {}
    errors: dict[str, str] = {}
    runs = {
        "serial": ["--jobs", "1"],
        "local": ["--jobs", "2"],
        "dask": ["--executor", "dask", "--scheduler", cluster],
    }
    for name, how in runs.items():
        out = tmp_path / f"out-{name}"
        result = run(
            "export",
            "--to",
            to,
            "--date",
            "2026-01-01",
            "--out-dir",
            str(out),
            *how,
            str(tei_inputs),
        )
        assert result.exit_code == 1, result.output  # the broken input
        written[name], errors[name] = outputs(out), result.stderr
    assert len(written["serial"]) == 12
    assert written["local"] == written["serial"] and written["dask"] == written["serial"]
    assert errors["local"] == errors["serial"] == errors["dask"]
    assert "broken.xml" in errors["serial"] and "1 of 13 inputs failed" in errors["serial"]


def test_export_cmif_checked_on_workers_is_the_one_process_file(
    tmp_path: Path, cluster: str
) -> None:
    inputs = [str(p) for p in sorted(ENCODED.glob("*.xml"))[:9]]
    common = ["export", "--to", "cmif", "--date", "2026-01-01", "--validate", "tei_cable"]
    common += ["--url", "https://example.org/cmif.xml", "--editor", "Jane Doe <jd@example.org>"]
    serial = run(*common, "--jobs", "1", "-o", str(tmp_path / "one.xml"), *inputs)
    local = run(*common, "--jobs", "2", "-o", str(tmp_path / "two.xml"), *inputs)
    dask = run(
        *common,
        "--executor",
        "dask",
        "--scheduler",
        cluster,
        "-o",
        str(tmp_path / "three.xml"),
        *inputs,
    )
    assert serial.exit_code == local.exit_code == dask.exit_code == 0, serial.output
    one = (tmp_path / "one.xml").read_bytes()
    assert b"correspDesc" in one
    assert (tmp_path / "two.xml").read_bytes() == one == (tmp_path / "three.xml").read_bytes()
    assert serial.stderr == local.stderr == dask.stderr


def test_convert_on_dask_writes_what_one_process_writes(tmp_path: Path, cluster: str) -> None:
    inputs = [str(p) for p in sorted(RECORDS.glob("*.txt"))[:9]]
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    serial = run("convert", "--jobs", "1", "--no-cache", "--out-dir", str(one), *inputs)
    dask = run(
        "convert",
        "--executor",
        "dask",
        "--scheduler",
        cluster,
        "--no-cache",
        "--out-dir",
        str(two),
        *inputs,
    )
    assert serial.exit_code == dask.exit_code == 0
    assert outputs(one) == outputs(two) and len(outputs(one)) == 9
    assert serial.stderr == dask.stderr
