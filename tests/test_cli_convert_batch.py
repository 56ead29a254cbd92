"""``tei-cable convert`` over many records: worker processes, the result cache, interrupts."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import RECORDS, REPO

from tei_cable.cli import main

REGISTRY = REPO / "tei_cable" / "entities" / "data" / "registry.xml"


@pytest.fixture
def records(tmp_path: Path) -> Path:
    folder = tmp_path / "records"
    folder.mkdir()
    for path in sorted(RECORDS.glob("*.txt"))[:9]:
        shutil.copy(path, folder / path.name)
    return folder


def convert(*args: str):
    return CliRunner().invoke(main, ["convert", *args], catch_exceptions=False)


def outputs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.xml"))}


def test_worker_processes_write_what_one_process_writes(records: Path, tmp_path: Path) -> None:
    inputs = [str(p) for p in sorted(records.glob("*.txt"))]
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    serial = convert("--jobs", "1", "--no-cache", "--out-dir", str(one), *inputs)
    pool = convert("--jobs", "2", "--no-cache", "--out-dir", str(two), *inputs)
    assert serial.exit_code == pool.exit_code == 0
    assert outputs(one) == outputs(two) and len(outputs(one)) == 9
    assert serial.stderr == pool.stderr  # the same warnings, in input order


def test_a_rerun_converts_only_what_changed(
    records: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tei_cable.batch import cache as cache_module

    monkeypatch.setattr(cache_module, "RACY_NS", -(10**12))  # remember files written just now
    out = tmp_path / "tei"
    out.mkdir()
    db = str(tmp_path / "c.sqlite")
    inputs = [str(p) for p in sorted(records.glob("*.txt"))]
    args = ["--force", "--cache", db, "--jobs", "1", "--out-dir", str(out)]
    first = convert(*args, *inputs)
    assert first.exit_code == 0
    written = {p.name: p.stat().st_mtime_ns for p in out.glob("*.xml")}
    os.utime(out, None)
    again = convert(*args, *inputs)
    assert again.exit_code == 0 and again.stderr == first.stderr  # same warnings, from the cache
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("*.xml")} == written  # not rewritten

    changed = Path(inputs[0])
    changed.write_text(changed.read_text(encoding="utf-8") + "\nOne more line.\n", "utf-8")
    removed = out / (Path(inputs[1]).stem + ".xml")
    removed.unlink()
    edited = out / (Path(inputs[2]).stem + ".xml")
    edited.write_bytes(b"edited by hand")
    convert(*args, *inputs)
    now = {p.name: p.stat().st_mtime_ns for p in out.glob("*.xml")}
    rewritten = sorted(name for name in now if now[name] != written.get(name))
    assert rewritten == sorted([Path(inputs[0]).stem + ".xml", removed.name, edited.name])
    assert edited.read_bytes().startswith(b"<?xml")


def test_another_registry_converts_everything_again(records: Path, tmp_path: Path) -> None:
    from tei_cable.batch.cache import ResultCache

    out = tmp_path / "tei"
    out.mkdir()
    db = tmp_path / "c.sqlite"
    registry = tmp_path / "people.xml"
    shutil.copy(REGISTRY, registry)
    inputs = [str(p) for p in sorted(records.glob("*.txt"))]
    args = ["--force", "--cache", str(db), "--out-dir", str(out), "--registry", str(registry)]
    convert(*args, *inputs)
    registry.write_bytes(registry.read_bytes() + b"<!-- changed -->\n")
    convert(*args, *inputs)
    with ResultCache(db) as cache:
        contexts = cache.info()["contexts"]
    assert [c["results"] for c in contexts] == [9, 9]  # two settings, each with every record
    assert all(c["kind"] == "convert" and "people.xml" in c["label"] for c in contexts)
