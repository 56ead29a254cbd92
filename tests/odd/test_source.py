"""Where the TEI source comes from: --source, @source, the user cache, the bundled copy, a
download (and what happens offline)."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path

import pytest
from odd_helpers import P5SUBSET, TEI_MIN_ODD, compile_text, need, odd_text

from tei_cable.odd import compile_odd, source
from tei_cable.odd.source import SourceError, bundled_source, resolve_source, write_compact


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("TEI_CABLE_CACHE_DIR", str(folder))
    return folder


def test_tei_version_resolves_to_the_bundled_copy(cache, tmp_path):
    assert resolve_source(None, "tei:4.9.0", tmp_path) == bundled_source("4.9.0")
    assert resolve_source(None, None, tmp_path) == bundled_source()


def test_the_user_cache_comes_before_the_bundled_copy(cache, tmp_path):
    cache.mkdir()
    cached = cache / "p5subset-4.9.0.xml"
    shutil.copy(bundled_source(), cached)
    assert resolve_source(None, "tei:4.9.0", tmp_path) == cached


def test_a_local_source_path_beside_the_odd(cache, tmp_path):
    shutil.copy(bundled_source(), tmp_path / "p5.xml")
    text = odd_text("").replace('source="tei:4.9.0"', 'source="p5.xml"')
    compiled = compile_text(text, tmp_path)
    assert compiled.source.path == str(tmp_path / "p5.xml")


def test_the_explicit_source_wins(cache, tmp_path):
    other = tmp_path / "elsewhere" / "p5.xml"
    other.parent.mkdir()
    shutil.copy(bundled_source(), other)
    text = odd_text("").replace('source="tei:4.9.0"', 'source="missing.xml"')
    compiled = compile_text(text, tmp_path, source=str(other))
    assert compiled.source.path == str(other)


def test_a_missing_local_source_says_how_to_pass_one(cache, tmp_path):
    text = odd_text("").replace('source="tei:4.9.0"', 'source="missing.xml"')
    with pytest.raises(SourceError) as caught:
        compile_text(text, tmp_path)
    assert "TEI source not found: missing.xml" in str(caught.value)
    assert "--source PATH" in str(caught.value)


def test_offline_a_version_not_at_hand_fails_with_a_clear_message(cache, tmp_path, monkeypatch):
    monkeypatch.setattr(source, "VAULT", "http://127.0.0.1:9/P5/{version}/p5subset.xml")
    with pytest.raises(SourceError) as caught:
        resolve_source(None, "tei:9.9.9", tmp_path)
    message = str(caught.value)
    assert "cannot download the TEI P5 9.9.9 source" in message
    assert "pass a local copy of the TEI source with --source PATH" in message
    assert not (cache / "p5subset-9.9.9.xml").exists()
    with pytest.raises(SourceError, match="not in the cache"):
        resolve_source(None, "tei:9.9.9", tmp_path, download=False)


def test_a_url_source_is_downloaded_once_into_the_cache(cache, tmp_path):
    served = tmp_path / "site"
    served.mkdir()
    shutil.copy(bundled_source(), served / "p5subset.xml")
    handler = functools.partial(_QuietHandler, directory=str(served))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/p5subset.xml"
    try:
        first = resolve_source(None, url, tmp_path)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
    assert first.parent == cache and first.read_bytes() == bundled_source().read_bytes()
    assert resolve_source(None, url, tmp_path) == first  # the server is gone: the cache serves


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def test_a_file_that_is_not_a_tei_source(cache, tmp_path):
    bad = tmp_path / "p5.xml"
    bad.write_text("<root/>", encoding="utf-8")
    with pytest.raises(SourceError, match="root element is not TEI"):
        compile_text(odd_text(""), tmp_path, source=str(bad))


def test_the_bundled_copy_is_the_compact_form_of_the_tei_source(tmp_path):
    full = need(P5SUBSET)
    out = tmp_path / "compact.xml"
    write_compact(full, out)
    assert out.read_bytes() == bundled_source().read_bytes()


def test_full_and_bundled_sources_give_the_same_files():
    full = need(P5SUBSET)
    from_full = compile_odd(need(TEI_MIN_ODD), source=full)
    from_bundle = compile_odd(TEI_MIN_ODD, source=str(bundled_source()))
    assert from_full.rng_bytes() == from_bundle.rng_bytes()
    assert from_full.odd_bytes() == from_bundle.odd_bytes()


def test_version_names_are_checked(cache, tmp_path):
    with pytest.raises(SourceError, match="tei:VERSION"):
        resolve_source("tei:latest", None, Path(tmp_path))
