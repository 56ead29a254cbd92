"""Report templates: every format prints a cached result by filling its path into the template
the result cache keeps, and that is byte for byte what it prints for the fresh result, however
awkward the file names and messages."""

from __future__ import annotations

import io
import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from validate_helpers import MINI_RNG, mutate, valid_text

from tei_cable.batch import pipeline
from tei_cable.cli import main
from tei_cable.validate import formats, stream
from tei_cable.validate.report import FileResult, Summary
from tei_cable.validate.runner import Validator

#: names an escape must treat right: XML's specials, control characters, the characters a
#: JUnit template holds the path with, a line separator, an undecodable byte
NAMES = [
    "a-plain.xml",
    "b-amp&lt<gt>\"quote'.xml",
    "c-ctrl\x01\ttab.xml",
    "d-pua\ue000\ue001.xml",
    "e-sep\u2028.xml",
    os.fsdecode(b"f-undecodable-\xff.xml"),
    "g-valid.xml",
]
#: an attribute value the messages quote: the template characters, XML's specials, a break
ATTRIBUTE = '<div type="one&#10;&amp;&lt;&#xe000;&#xe001;&quot; two"'
WARNING = mutate('<head>Cable of <date when="1950-10-02">2 October 1950</date></head>', "")


@pytest.fixture(scope="module")
def edition(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("awkward")
    for index, name in enumerate(NAMES):
        if name.startswith("g-"):
            text = valid_text()
        elif index % 3 == 0:
            text = mutate('<div type="cable"', ATTRIBUTE).replace("<lb/>", "<lb>x</lb>")
        elif index % 3 == 1:
            text = WARNING
        else:
            text = mutate('<div type="cable"', '<div type="memo, 100%\nsure"')
        (folder / name).write_text(text, encoding="utf-8")
    return folder


class _Direct:
    """A writer that lays every result out in full, with no template."""

    def template(self, result: FileResult) -> bytes | None:
        return None


def report(writer_class: type[formats.Writer], results: list[FileResult]) -> bytes:
    out = io.BytesIO()
    writer = writer_class(out, timings=False)
    writer.start()
    summary = Summary()
    for result in results:
        writer.file(result)
        summary.add(result)
    writer.end(summary)
    return out.getvalue()


@pytest.mark.parametrize("fmt", list(formats.WRITERS))
def test_a_filled_template_is_the_result_laid_out_in_full(fmt: str, edition: Path) -> None:
    fresh = Validator(MINI_RNG).run([edition]).files
    assert len(fresh) == len(NAMES) and sum(not r.valid for r in fresh) >= 3
    writer = formats.WRITERS[fmt]
    direct = type("Direct", (_Direct, writer), {})
    expected = report(direct, fresh)
    assert report(writer, fresh) == expected
    # a cached result, and a cached result with its template, print the same
    cached = [stream.decode(stream.encode(r), r.path, "error") for r in fresh]
    assert report(writer, cached) == expected
    probe = writer(io.BytesIO(), timings=False)
    if probe.form is None:
        return
    templated = []
    for result in cached:
        template = probe.template(result)
        if template is not None:
            kept = stream.encode_form(result, template)
            result = stream.decode_form(kept, result.path, "error", probe.form)
        templated.append(result)
    assert report(writer, templated) == expected
    if fmt == "junit":  # messages holding the template's own characters: laid out in full
        assert sum(probe.template(r) is None for r in fresh) >= 1


def run(*args: str) -> bytes:
    result = CliRunner().invoke(main, ["validate", *args], catch_exceptions=False)
    assert result.exit_code == 1, result.output
    return result.stdout_bytes


def forms(db: Path) -> list[str]:
    with sqlite3.connect(db) as connection:
        return [r[0] for r in connection.execute("SELECT DISTINCT form FROM rendered")]


def count(db: Path, table: str, form: str) -> int:
    with sqlite3.connect(db) as connection:
        return connection.execute(
            f"SELECT count(*) FROM {table} WHERE form = ?", (form,)
        ).fetchone()[0]  # type: ignore[no-any-return]


@pytest.mark.parametrize("fmt", list(formats.WRITERS))
def test_reruns_print_from_templates_and_parts_exactly_what_a_fresh_run_prints(
    fmt: str, edition: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "LOOKUP_BATCH", 3)  # parts of three files: 3, 3 and 1
    folder = tmp_path / "edition"
    shutil.copytree(edition, folder)
    db = tmp_path / "c.sqlite"
    args = ["--schema", str(MINI_RNG), "--no-timings", "--format", fmt]
    uncached = run(*args, "--no-cache", "--jobs", "1", str(folder))
    # a first run in another format: the results are cached, not this format's templates
    other = "text" if fmt == "json" else "json"
    run("--schema", str(MINI_RNG), "--format", other, "--cache", str(db), str(folder))
    assert forms(db) == [f"{other}:error"]
    assert run(*args, "--cache", str(db), str(folder)) == uncached  # templates, parts made
    if fmt != "jsonl":
        assert sorted(forms(db)) == sorted([f"{other}:error", f"{fmt}:error"])
    assert count(db, "parts", f"{fmt}:error") == 3
    decoded: list[str] = []
    decode = stream.decode

    def counted(payload: bytes, name: str, fail_on: str) -> FileResult:
        decoded.append(name)
        return decode(payload, name, fail_on)

    monkeypatch.setattr(stream, "decode", counted)
    assert run(*args, "--cache", str(db), str(folder)) == uncached  # parts read
    assert decoded == []
    # one file changed: it is checked, the other files of its part come from their
    # templates (jsonl keeps none; JUnit none of a result whose messages hold its
    # placeholders: d-pua's), the other parts as they were kept
    (folder / NAMES[4]).write_text(valid_text().replace("</body>", "<!-- x --></body>"))
    changed = run(*args, "--no-cache", "--jobs", "1", str(folder))
    assert changed != uncached
    assert run(*args, "--cache", str(db), str(folder)) == changed
    expected = {"jsonl": [NAMES[3], NAMES[5]], "junit": [NAMES[3]]}.get(fmt, [])
    assert sorted(Path(name).name for name in decoded) == expected
    decoded.clear()  # the next run makes that part again (as the first rerun made them all)
    assert run(*args, "--cache", str(db), str(folder)) == changed
    expected = {"jsonl": NAMES[3:6], "junit": [NAMES[3]]}.get(fmt, [])
    assert sorted(Path(name).name for name in decoded) == expected
    decoded.clear()
    assert run(*args, "--cache", str(db), str(folder)) == changed
    assert decoded == []
    monkeypatch.undo()
    # a fresh run on worker processes keeps its templates as it goes
    again = tmp_path / "again.sqlite"
    assert run(*args, "--jobs", "2", "--cache", str(again), str(folder)) == changed
    assert run(*args, "--cache", str(again), str(folder)) == changed


def test_templates_are_kept_per_failure_level_and_junit_timings(
    edition: Path, tmp_path: Path
) -> None:
    db = str(tmp_path / "c.sqlite")
    args = ["--schema", str(MINI_RNG), "--format", "junit", "--cache", db, str(edition)]
    run(*args, "--no-timings")
    strict = run(*args, "--no-timings", "--fail-on", "warning")
    assert strict == run(*args[:-3], "--no-cache", "--no-timings", "--fail-on", "warning", args[-1])
    assert strict.count(b"<failure ") > run(*args, "--no-timings").count(b"<failure ")
    timed = run(*args)
    assert timed.count(b' time="') == len(NAMES) + 2  # each case, the suite and the suites
    assert sorted(forms(Path(db))) == ["junit+time:error", "junit:error", "junit:warning"]


def test_a_result_read_as_a_template_still_gives_its_issues(edition: Path, tmp_path: Path) -> None:
    from tei_cable.batch.cache import ResultCache
    from tei_cable.validate.stream import RenderedIssues, iter_results

    validator = Validator(MINI_RNG)
    fresh = validator.run([edition]).files
    writer = formats.TextWriter(io.BytesIO())
    with ResultCache(tmp_path / "c.sqlite") as cache:
        for _ in range(2):  # results and templates kept, then read as templates
            again = [
                r for r, _cached in iter_results(validator, [edition], cache=cache, writer=writer)
            ]
        assert all(isinstance(r.issues, RenderedIssues) for r in again)
        # their issues are read from the cache when asked for
        assert [list(r.issues) for r in again] == [list(r.issues) for r in fresh]
        assert [(r.path, r.valid, r.errors, r.warnings) for r in again] == [
            (r.path, r.valid, r.errors, r.warnings) for r in fresh
        ]
    info = ResultCache(tmp_path / "c.sqlite", readonly=True).info()
    assert info["results"] == info["templates"] == 4  # files of the same content share them


def test_parts_are_kept_per_schema(edition: Path, tmp_path: Path) -> None:
    """A changed schema file starts a new context: no part (or result) of the old one is used."""
    from tei_cable.batch.cache import ResultCache
    from tei_cable.validate.stream import iter_results

    schema = tmp_path / "schema"
    schema.mkdir()
    rng = schema / "mini_tei.rng"
    shutil.copy(MINI_RNG, rng)
    writer = formats.TextWriter(io.BytesIO())

    def kinds() -> list[tuple[str, bool]]:
        validator = Validator(rng)
        with ResultCache(tmp_path / "c.sqlite") as cache:
            found = iter_results(validator, [edition], cache=cache, writer=writer, parts=True)
            return [(type(r).__name__, cached) for r, cached in found]

    assert kinds() == [("FileResult", False)] * len(NAMES)
    assert kinds() == [("ReportPart", True)]  # one part: the edition's seven files
    rng.write_text(rng.read_text().replace("<start>", "<!-- changed --><start>", 1))
    assert kinds() == [("FileResult", False)] * len(NAMES)
    assert kinds() == [("ReportPart", True)]
