"""``tei-cable convert`` on good and bad input: one-line errors, exit codes, atomic output."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import RECORDS, SEED

from tei_cable import __version__
from tei_cable.cli import main


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def run(runner: CliRunner, *args: str, stdin: bytes | None = None):
    return runner.invoke(main, list(args), input=stdin, catch_exceptions=False)


def one_error_line(result) -> str:
    errors = [line for line in result.stderr.splitlines() if "error" in line.lower()]
    assert len(errors) >= 1, result.stderr
    assert "Traceback" not in result.stderr
    return errors[0]


def test_version(runner: CliRunner) -> None:
    result = run(runner, "--version")
    assert result.exit_code == 0 and __version__ in result.stdout


def test_one_input_goes_to_stdout(runner: CliRunner) -> None:
    result = run(runner, "convert", "-q", str(SEED))
    assert result.exit_code == 0
    assert result.stdout_bytes.startswith(b"<?xml version='1.0' encoding='UTF-8'?>\n<TEI ")
    assert result.stderr == ""


def test_warnings_go_to_stderr_with_position(runner: CliRunner) -> None:
    result = run(runner, "convert", str(SEED))
    assert result.exit_code == 0
    assert f"{SEED}:113: warning: quotation opened at line 113" in result.stderr


def test_stdin(runner: CliRunner) -> None:
    result = run(runner, "convert", "-q", "-", stdin=SEED.read_bytes())
    assert result.exit_code == 0 and b"<floatingText" in result.stdout_bytes


def test_output_file_and_force(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "seed.xml"
    assert run(runner, "convert", "-q", str(SEED), "-o", str(out)).exit_code == 0
    first = out.read_bytes()
    out.write_bytes(b"keep me")
    result = run(runner, "convert", "-q", str(SEED), "-o", str(out))
    assert result.exit_code == 1
    assert "output exists; use --force" in one_error_line(result)
    assert out.read_bytes() == b"keep me"
    assert run(runner, "convert", "-q", str(SEED), "-o", str(out), "--force").exit_code == 0
    assert out.read_bytes() == first
    assert [p.name for p in tmp_path.iterdir()] == ["seed.xml"]  # no temporary file left


def test_several_inputs_convert_what_can_be(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("just some words\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    result = run(
        runner,
        "convert",
        "-q",
        str(SEED),
        str(bad),
        str(RECORDS / "memcon.txt"),
        "--out-dir",
        str(out),
    )
    assert result.exit_code == 1
    assert sorted(p.name for p in out.iterdir()) == ["memcon.xml", "wilson-117409.xml"]
    assert f"{bad}:1: no recognisable record" in result.stderr
    assert "1 of 3 inputs failed" in result.stderr


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "the file is empty"),
        (b"   \n\n", "the file is empty"),
        (b"plain text, not a record\n", ":1: no recognisable record"),
        (b"**T\xe9st**\n\n**Summary:**\n\nx\n", ":1:4: not UTF-8 (it looks like Windows-1252"),
        ("**Заголовок**\n".encode("cp1251"), "not UTF-8 (it looks like Windows-1251 (Cyrillic))"),
        (b"\x7fELF\x02\x01\x01\x00\x00\x00", "binary file"),
    ],
    ids=["empty", "blank", "no-record", "latin-1", "cp1251", "binary"],
)
def test_bad_inputs_get_one_line(
    runner: CliRunner, tmp_path: Path, content: bytes, expected: str
) -> None:
    path = tmp_path / "input.txt"
    path.write_bytes(content)
    out = tmp_path / "out.xml"
    result = run(runner, "convert", str(path), "-o", str(out))
    assert result.exit_code == 1
    line = one_error_line(result)
    assert line.startswith(f"tei-cable: error: {path}")
    assert expected in line
    assert not out.exists()


def test_missing_file_and_folder(runner: CliRunner, tmp_path: Path) -> None:
    result = run(runner, "convert", str(tmp_path / "nope.txt"))
    assert result.exit_code == 1 and "no such file" in one_error_line(result)
    result = run(runner, "convert", str(tmp_path))
    assert result.exit_code == 1 and "is a folder" in one_error_line(result)


def test_unreadable_file(runner: CliRunner, tmp_path: Path) -> None:
    import os

    if os.geteuid() == 0:
        pytest.skip("permissions do not apply to root")
    path = tmp_path / "secret.txt"
    path.write_bytes(SEED.read_bytes())
    path.chmod(0)
    result = run(runner, "convert", str(path))
    assert result.exit_code == 1 and "cannot read" in one_error_line(result)


@pytest.mark.parametrize(
    "args",
    [
        ["a.txt", "b.txt"],
        ["a.txt", "-o", "x.xml", "--out-dir", "."],
        ["-", "--out-dir", "."],
        ["a.txt", "--out-dir", "no-such-folder"],
    ],
    ids=["two-inputs-no-dir", "both-outputs", "stdin-to-dir", "missing-dir"],
)
def test_usage_errors_exit_2(runner: CliRunner, args: list[str]) -> None:
    result = run(runner, "convert", *args)
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr


def test_python_dash_m_runs_the_cli() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tei_cable", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0 and __version__ in result.stdout


def test_publisher_goes_into_the_publication_statement(runner: CliRunner) -> None:
    result = run(runner, "convert", "-q", str(SEED), "--publisher", "An Archive")
    assert result.exit_code == 0
    assert b"<publisher>An Archive</publisher>" in result.stdout_bytes
    assert b"<authority>" not in result.stdout_bytes
