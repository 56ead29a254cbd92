"""The result cache: results by context and content, remembered hashes, damage, clearing."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from tei_cable.batch import cache as cache_module
from tei_cable.batch.cache import ResultCache, digest_bytes


def test_results_are_kept_per_context_and_content(tmp_path: Path) -> None:
    db = tmp_path / "results.sqlite"
    with ResultCache(db) as cache:
        one = cache.context("key-1", "validate", "a (rng)")
        two = cache.context("key-2", "validate", "b (rng)")
        assert one is not None and two is not None and one.id != two.id
        cache.put(one, digest_bytes(b"<a/>"), b"payload-1")
    with ResultCache(db) as cache:
        one = cache.context("key-1", "validate", "a (rng)")
        two = cache.context("key-2", "validate", "b (rng)")
        digests = [digest_bytes(b"<a/>"), digest_bytes(b"<b/>"), None]
        assert cache.get_many(one, digests) == [b"payload-1", None, None]
        assert cache.get_many(two, digests) == [None, None, None]
        info = cache.info()
    assert info["results"] == 1 and [c["label"] for c in info["contexts"]] == ["b (rng)", "a (rng)"]


def test_a_remembered_hash_is_trusted_only_while_the_file_is_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache_module, "RACY_NS", -(10**12))  # remember even fresh files
    path = tmp_path / "a.xml"
    path.write_bytes(b"<a>1</a>")
    with ResultCache(tmp_path / "c.sqlite") as cache:
        assert cache.digests([str(path)]) == [digest_bytes(b"<a>1</a>")]
        calls = []
        real = cache_module.digest_file
        monkeypatch.setattr(cache_module, "digest_file", lambda p: calls.append(p) or real(p))
        assert cache.digests([str(path)]) == [digest_bytes(b"<a>1</a>")]
        assert calls == []  # trusted: not read again
        stat = path.stat()
        path.write_bytes(b"<a>2</a>")  # same size; the time stamps put back
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        assert cache.digests([str(path), str(tmp_path / "gone.xml")]) == [
            digest_bytes(b"<a>2</a>"),
            None,
        ]
        assert calls == [str(path)]  # the change time gave it away


def test_a_file_changed_just_now_is_not_remembered(tmp_path: Path) -> None:
    path = tmp_path / "a.xml"
    path.write_bytes(b"<a/>")
    with ResultCache(tmp_path / "c.sqlite") as cache:
        cache.digests([str(path)])
        assert cache.info()["files"] == 0


def test_a_damaged_cache_is_replaced_with_a_warning(tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite"
    db.write_bytes(b"this is not a database" * 100)
    with ResultCache(db) as cache:
        assert cache.usable and "was unreadable" in cache.warnings[0]
        context = cache.context("k", "validate", "x")
        assert context is not None
        cache.put(context, b"d", b"p")
    assert sqlite3.connect(db).execute("SELECT count(*) FROM results").fetchone() == (1,)


def test_a_cache_that_cannot_be_created_runs_without_one(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    cache = ResultCache(blocker / "sub" / "c.sqlite")
    assert not cache.usable and "running without it" in cache.warnings[0]
    assert cache.context("k", "validate", "x") is None
    assert cache.get_many(None, [b"d"]) == [None]  # type: ignore[arg-type]
    cache.close()


def test_clear_everything_or_only_what_was_not_used_lately(tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite"
    with ResultCache(db) as cache:
        old = cache.context("old", "validate", "old")
        new = cache.context("new", "convert", "new")
        cache.put(old, b"1", b"x")
        cache.put(old, b"2", b"x")
        cache.put(new, b"1", b"x")
        cache.commit()
        cache._db.execute("UPDATE contexts SET used = used - 86400 * 40 WHERE key = 'old'")
        assert cache.clear(older_than=30 * 86400) == 2
        assert [c["label"] for c in cache.info()["contexts"]] == ["new"]
        assert cache.clear() == 1
        assert cache.info()["results"] == 0


def test_the_default_place_follows_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEI_CABLE_CACHE_DIR", str(tmp_path / "user"))
    monkeypatch.delenv("TEI_CABLE_RESULT_CACHE", raising=False)
    assert cache_module.default_path() == tmp_path / "user" / cache_module.FILE_NAME
    assert not cache_module.disabled_by_environment()
    monkeypatch.setenv("TEI_CABLE_RESULT_CACHE", str(tmp_path))
    assert cache_module.default_path() == tmp_path / cache_module.FILE_NAME
    monkeypatch.setenv("TEI_CABLE_RESULT_CACHE", "off")
    assert cache_module.disabled_by_environment()


def test_a_file_name_that_is_not_text_is_remembered_by_its_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Regression (found by bench/validate_fuzz.py): an undecodable byte in a file name made
    the cache raise instead of hashing the file."""
    monkeypatch.setattr(cache_module, "RACY_NS", -(10**12))
    path = tmp_path / os.fsdecode(b"name-\xff.xml")
    path.write_bytes(b"<a/>")
    with ResultCache(tmp_path / "c.sqlite") as cache:
        context = cache.context("k", "validate", os.fsdecode(b"schema-\xff.rng"))
        assert context is not None and context.label == "schema-\\udcff.rng"
        assert cache.digests([str(path)]) == [digest_bytes(b"<a/>")]
        assert cache.digests([str(path)]) == [digest_bytes(b"<a/>")]
        assert cache.info()["files"] == 1


def test_results_are_keyed_by_the_code_that_decides_them(tmp_path: Path) -> None:
    from tei_cable.batch.keys import package_digest

    root = tmp_path / "pkg"
    for name in ("validate/rng.py", "validate/formats.py", "writers/tei.py", "model.py"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(f"# {name}\n")
    unrelated = ("writers/", "model.py", "validate/formats.py")
    first = package_digest(root, unrelated)
    everything = package_digest(root)
    for name in ("writers/tei.py", "model.py", "validate/formats.py"):
        (root / name).write_text("# changed\n")
    assert package_digest(root, unrelated) == first  # a converter or report change keeps them
    assert package_digest(root) != everything
    (root / "validate" / "rng.py").write_text("# changed\n")
    assert package_digest(root, unrelated) != first
