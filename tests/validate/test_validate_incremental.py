"""Incremental validation: a cached result is reported exactly as a fresh one, and a change of
file, schema or engines misses exactly what it must."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from validate_helpers import MINI_RNG, MINI_SCH, mutate, valid_text

from tei_cable.batch.cache import ResultCache
from tei_cable.cli import main
from tei_cable.validate.formats import WRITERS
from tei_cable.validate.runner import Validator
from tei_cable.validate.stream import iter_results


@pytest.fixture
def edition(tmp_path: Path) -> Path:
    """Twelve files: valid ones, invalid ones, a warning, one not well-formed."""
    folder = tmp_path / "edition"
    for index in range(12):
        sub = folder / f"vol{index % 3}"
        sub.mkdir(parents=True, exist_ok=True)
        if index % 4 == 1:
            text = mutate('type="cable"', f'type="t{index}"')
        elif index == 6:
            text = mutate('<head>Cable of <date when="1950-10-02">2 October 1950</date></head>', "")
        elif index == 11:
            text = "<TEI><p></TEI>"
        else:
            text = valid_text().replace("</body>", f"<!-- {index} --></body>")
        (sub / f"f{index:02}.xml").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def schema(tmp_path: Path) -> Path:
    """A copy of the test grammar and its Schematron, to be changed."""
    folder = tmp_path / "schema"
    folder.mkdir()
    shutil.copy(MINI_RNG, folder / "mini_tei.rng")
    shutil.copy(MINI_SCH, folder / "mini_tei.sch")
    return folder / "mini_tei.rng"


def run(*args: str):
    return CliRunner().invoke(main, ["validate", *args], catch_exceptions=False)


def cached_flags(schema: Path, edition: Path, db: Path, **options: object) -> list[bool]:
    validator = Validator(schema, **options)  # type: ignore[arg-type]
    with ResultCache(db) as cache:
        return [cached for _r, cached in iter_results(validator, [edition], cache=cache)]


@pytest.mark.parametrize("fmt", list(WRITERS))
def test_a_cached_run_reports_exactly_what_the_fresh_run_did(
    fmt: str, edition: Path, schema: Path, tmp_path: Path
) -> None:
    db = str(tmp_path / "c.sqlite")
    args = ["--schema", str(schema), "--format", fmt, "--no-timings", "--cache", db]
    fresh = run(*args, "--jobs", "2", str(edition))
    again = run(*args, str(edition))
    uncached = run(*args[:-2], "--no-cache", "--jobs", "1", str(edition))
    assert fresh.exit_code == again.exit_code == uncached.exit_code == 1
    assert fresh.stdout_bytes == again.stdout_bytes == uncached.stdout_bytes
    assert fresh.stdout_bytes.count(b"f05.xml") >= 1


def test_a_second_run_checks_only_the_changed_file(
    edition: Path, schema: Path, tmp_path: Path
) -> None:
    db = tmp_path / "c.sqlite"
    assert cached_flags(schema, edition, db) == [False] * 12
    assert cached_flags(schema, edition, db) == [True] * 12
    changed = edition / "vol2" / "f05.xml"
    changed.write_text(valid_text(), encoding="utf-8")
    flags = cached_flags(schema, edition, db)
    paths = sorted(edition.rglob("*.xml"), key=lambda p: p.parts)
    assert [p for p, cached in zip(paths, flags, strict=True) if not cached] == [changed]
    # a copy of a checked file elsewhere is known by its content
    shutil.copy(edition / "vol0" / "f00.xml", edition / "vol0" / "copy.xml")
    assert all(cached_flags(schema, edition, db))


def test_a_changed_schema_or_engine_set_checks_everything_again(
    edition: Path, schema: Path, tmp_path: Path
) -> None:
    db = tmp_path / "c.sqlite"
    cached_flags(schema, edition, db)
    assert not any(cached_flags(schema, edition, db, engines="rng"))
    assert all(cached_flags(schema, edition, db, engines="rng"))
    sch = schema.with_suffix(".sch")
    text = sch.read_text()
    sch.write_text(text.replace("<pattern", "<!-- changed --><pattern", 1))
    assert sch.read_text() != text
    assert all(cached_flags(schema, edition, db, engines="rng"))  # the .sch is not read
    assert not any(cached_flags(schema, edition, db))


def test_the_failure_level_is_applied_to_cached_issues(
    edition: Path, schema: Path, tmp_path: Path
) -> None:
    db = str(tmp_path / "c.sqlite")
    args = ["--schema", str(schema), "--format", "json", "--cache", db, str(edition)]
    first = json.loads(run(*args).stdout)
    strict = json.loads(run(*args, "--fail-on", "warning").stdout)
    assert first["summary"]["invalid"] + 1 == strict["summary"]["invalid"]


def test_cache_info_and_clear(edition: Path, schema: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "c.sqlite")
    run("--schema", str(schema), "--cache", db, str(edition))
    shown = CliRunner().invoke(main, ["cache", "info", "--cache", db, "--format", "json"])
    data = json.loads(shown.stdout)
    assert data["results"] == 12  # the file that is not well-formed too
    assert data["contexts"][0]["label"] == "mini_tei.rng (rng,sch)"
    text = CliRunner().invoke(main, ["cache", "info", "--cache", db]).stdout
    assert "12 results" in text and "validate: mini_tei.rng (rng,sch)" in text
    cleared = CliRunner().invoke(main, ["cache", "clear", "--cache", db])
    assert cleared.exit_code == 0 and "removed 12 results" in cleared.stdout
    assert not any(cached_flags(schema, edition, Path(db)))


def test_no_cache_reads_and_writes_nothing(edition: Path, schema: Path, tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite"
    run("--schema", str(schema), "--no-cache", "--cache", str(db), str(edition))
    assert not db.exists()


def test_hash_all_sees_a_change_the_remembered_identity_would_hide(
    edition: Path, schema: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    from tei_cable.batch import cache as cache_module

    monkeypatch.setattr(cache_module, "RACY_NS", -(10**12))  # remember files written just now
    db = tmp_path / "c.sqlite"
    args = ["--schema", str(schema), "--format", "json", "--no-timings", "--cache", str(db)]
    before = run(*args, str(edition))
    changed = edition / "vol0" / "f00.xml"  # valid; made invalid
    changed.write_text(mutate('type="cable"', 'type="other"'), encoding="utf-8")
    # a change its identity does not show (a tool that put size, times and inode back)
    with sqlite3.connect(db) as con:
        con.execute(
            "UPDATE files SET identity = ? WHERE path = ?",
            (cache_module.identity(changed.stat()), str(changed)),
        )
    trusted = run(*args, str(edition))
    hashed = run(*args, "--hash-all", str(edition))
    fresh = run(*args[:-2], "--no-cache", str(edition))
    assert trusted.stdout_bytes == before.stdout_bytes  # the remembered hash was trusted
    assert hashed.stdout_bytes == fresh.stdout_bytes != before.stdout_bytes
    assert (
        json.loads(hashed.stdout)["summary"]["invalid"]
        == 1 + json.loads(before.stdout)["summary"]["invalid"]
    )


def test_a_file_is_read_once_and_hashed_only_for_a_cache(
    schema: Path, edition: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bytes hashed for the cache are the bytes validated; without a cache nothing is
    hashed (and the results are the same)."""
    import hashlib

    from tei_cable.validate import stream

    hashed: list[bytes] = []

    def digest(data: bytes) -> bytes:
        hashed.append(data)
        return hashlib.sha256(data).digest()

    monkeypatch.setattr(stream, "digest_bytes", digest)
    validator = Validator(schema)
    fresh = [r for r, _cached in iter_results(validator, [edition])]
    assert hashed == []
    with ResultCache(tmp_path / "c.sqlite") as cache:
        kept = [r for r, _cached in iter_results(validator, [edition], cache=cache)]
    files = sorted(edition.rglob("*.xml"))
    assert sorted(hashed) == sorted(f.read_bytes() for f in files)
    assert [(r.path, r.valid, list(r.issues)) for r in kept] == [
        (r.path, r.valid, list(r.issues)) for r in fresh
    ]


def test_a_run_without_a_cache_on_this_machine_hashes_no_code(
    schema: Path, edition: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The code's hash keys the cache (and is what workers elsewhere check): a run that neither
    caches nor leaves this machine does without it, and its state is still rebuilt by a
    worker that must build it (a spawned process)."""
    from tei_cable.batch import keys
    from tei_cable.validate import stream

    validator = Validator(schema)
    reference = [(r.path, r.valid, list(r.issues)) for r, _ in iter_results(validator, [edition])]

    def refuse(command: str = "") -> str:
        raise AssertionError("the code was hashed")

    monkeypatch.setattr(keys, "code_digest", refuse)
    fresh = [(r.path, r.valid, list(r.issues)) for r, _ in iter_results(validator, [edition])]
    assert fresh == reference
    job = stream.ValidateJob(
        validator.schema, validator.engine_names, "error", f"{stream.LOCAL_TOKEN}1 1"
    )
    assert job.setup().engine_names == validator.engine_names
    with pytest.raises(AssertionError, match="hashed"), ResultCache(tmp_path / "c.sqlite") as cache:
        list(iter_results(validator, [edition], cache=cache))
