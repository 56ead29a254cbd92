"""``tei-cable validate``: paths, options, exit codes, parallel runs, the progress bar."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from validate_helpers import MINI_RNG, MINI_XSD, mutate, valid_text

from tei_cable.cli import main


def run(*args: str, stdin: bytes | None = None):
    return CliRunner().invoke(main, ["validate", *args], input=stdin, catch_exceptions=False)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """Ten files in nested folders: even ones valid, odd ones with a wrong @type."""
    for index in range(10):
        folder = tmp_path / ("sub" if index % 3 else "") / ("deeper" if index % 4 == 1 else "")
        folder.mkdir(parents=True, exist_ok=True)
        text = valid_text() if index % 2 == 0 else mutate('type="cable"', f'type="t{index}"')
        (folder / f"f{index}.xml").write_text(text, encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not XML", encoding="utf-8")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "skip.xml").write_text("<broken", encoding="utf-8")
    return tmp_path


def test_valid_file_exits_0_with_a_summary(tmp_path: Path) -> None:
    path = tmp_path / "ok.xml"
    path.write_text(valid_text(), encoding="utf-8")
    result = run("--schema", str(MINI_RNG), str(path))
    assert result.exit_code == 0
    assert result.stdout.startswith("1 file: 1 valid, 0 invalid; 0 errors, 0 warnings; ")


def test_folders_are_searched_for_xml_files_in_a_stable_order(corpus: Path) -> None:
    result = run("--schema", str(MINI_RNG), "--format", "json", "--jobs", "1", str(corpus))
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    paths = [Path(f["path"]).relative_to(corpus).as_posix() for f in data["files"]]
    assert paths == sorted(paths) and len(paths) == 10
    assert not any("hidden" in p or p.endswith(".txt") for p in paths)
    assert data["summary"]["invalid"] == 5


def test_parallel_runs_report_exactly_what_a_serial_run_does(corpus: Path) -> None:
    serial = run("--schema", str(MINI_RNG), "--format", "json", "--jobs", "1", str(corpus))
    parallel = run("--schema", str(MINI_RNG), "--format", "json", "--jobs", "2", str(corpus))
    assert json.loads(serial.stdout)["files"] == json.loads(parallel.stdout)["files"]
    assert serial.exit_code == parallel.exit_code == 1


def test_standard_input_is_read_for_a_dash() -> None:
    result = run(
        "--schema",
        str(MINI_RNG),
        "--format",
        "json",
        "-",
        stdin=mutate("<lb/>", "<lb>x</lb>").encode(),
    )
    assert result.exit_code == 1
    (entry,) = json.loads(result.stdout)["files"]
    assert entry["path"] == "-" and entry["issues"][0]["rule"] == "text-not-allowed"


def test_a_file_given_twice_is_validated_once(tmp_path: Path) -> None:
    path = tmp_path / "ok.tei"  # named explicitly, any suffix is validated
    path.write_text(valid_text(), encoding="utf-8")
    result = run("--schema", str(MINI_RNG), "--format", "json", str(path), str(path))
    assert [f["path"] for f in json.loads(result.stdout)["files"]] == [str(path)]


def test_fail_on_warning_makes_warnings_fail(tmp_path: Path) -> None:
    path = tmp_path / "w.xml"
    path.write_text(
        mutate('<head>Cable of <date when="1950-10-02">2 October 1950</date></head>', ""),
        encoding="utf-8",
    )
    assert run("--schema", str(MINI_RNG), str(path)).exit_code == 0
    strict = run("--schema", str(MINI_RNG), "--fail-on", "warning", str(path))
    assert strict.exit_code == 1 and "warning: a div should have a head" in strict.stdout


def test_engines_can_be_chosen(tmp_path: Path) -> None:
    path = tmp_path / "w.xml"
    path.write_text(
        mutate('<head>Cable of <date when="1950-10-02">2 October 1950</date></head>', ""),
        encoding="utf-8",
    )
    only_rng = run("--schema", str(MINI_RNG), "--engine", "rng", "--format", "json", str(path))
    assert json.loads(only_rng.stdout)["files"][0]["issues"] == []
    only_sch = run("--schema", str(MINI_RNG), "--engine", "sch", "--format", "json", str(path))
    assert [i["engine"] for i in json.loads(only_sch.stdout)["files"][0]["issues"]] == ["sch"]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--schema", "nonsense"], "unknown schema 'nonsense'"),
        (["--schema", "missing.rng"], "missing.rng: schema file not found"),
        (["--schema", str(MINI_RNG), "--engine", "xsd"], "has no W3C XML Schema"),
        (["--schema", str(MINI_RNG), "--engine", "dtd"], "unknown engine 'dtd'"),
        (["--schema", str(MINI_XSD), "--engine", "rng"], "has no RELAX NG"),
        (["--schema", str(MINI_RNG), "no-such-file.xml"], "no-such-file.xml: no such file"),
    ],
)
def test_usage_errors_exit_2_with_one_line(args: list[str], words: str, tmp_path: Path) -> None:
    ok = tmp_path / "ok.xml"
    ok.write_text(valid_text(), encoding="utf-8")
    result = run(*args, *([] if args[-1].endswith(".xml") else [str(ok)]))
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0] and "Traceback" not in result.output


def test_an_unusable_schema_exits_2(tmp_path: Path) -> None:
    broken = tmp_path / "broken.rng"
    broken.write_text(
        '<grammar xmlns="http://relaxng.org/ns/structure/1.0"><start>'
        '<ref name="nowhere"/></start></grammar>',
        encoding="utf-8",
    )
    ok = tmp_path / "ok.xml"
    ok.write_text(valid_text(), encoding="utf-8")
    result = run("--schema", str(broken), str(ok))
    assert result.exit_code == 2
    assert "broken.rng: cannot compile RELAX NG" in result.stderr


def test_help_documents_the_exit_codes() -> None:
    result = run("--help")
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    assert "0 all files valid; 1 some file invalid; 2 usage error" in text


def test_no_progress_bar_when_not_on_a_terminal(corpus: Path) -> None:
    many = [str(p) for p in sorted(corpus.rglob("f*.xml"))] * 3
    result = run("--schema", str(MINI_RNG), *many)
    assert result.stderr == ""


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_a_progress_bar_on_a_terminal_for_long_runs(tmp_path: Path) -> None:
    for index in range(25):
        (tmp_path / f"f{index:02}.xml").write_text(valid_text(), encoding="utf-8")
    leader, follower = os.openpty()
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "tei_cable",
            "validate",
            "--schema",
            str(MINI_RNG),
            "--jobs",
            "1",
            str(tmp_path),
        ],
        stderr=follower,
        stdout=subprocess.PIPE,
        env=env,
        timeout=120,
    )
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    assert done.returncode == 0
    assert b"validating" in shown and b"25/25" in shown
    assert done.stdout.decode().startswith("25 files: 25 valid")


def test_the_pre_commit_hooks_run_as_pre_commit_runs_them(tmp_path: Path) -> None:
    # pre-commit runs "entry args... file..." and fails the commit on a non-zero status
    import shlex

    hooks = (Path(__file__).resolve().parents[2] / ".pre-commit-hooks.yaml").read_text()
    entries = {
        m.group(1): m.group(2)
        for m in re.finditer(r"^- id: (\S+)\n(?:  .*\n)*?  entry: (.+)$", hooks, re.M)
    }
    assert set(entries) == {"tei-cable-validate", "tei-cable-validate-tei-all"}
    assert "require_serial: true" in hooks and "types: [xml]" in hooks
    good, bad = tmp_path / "good.xml", tmp_path / "bad.xml"
    good.write_text(valid_text(), encoding="utf-8")
    bad.write_text(mutate("<lb/>", "<lb>x</lb>"), encoding="utf-8")
    program, *entry_args = shlex.split(entries["tei-cable-validate"])
    assert (program, entry_args) == ("tei-cable", ["validate"])
    args = [*entry_args, "--schema", str(MINI_RNG)]
    assert CliRunner().invoke(main, [*args, str(good)]).exit_code == 0
    failed = CliRunner().invoke(main, [*args, str(good), str(bad)])
    assert failed.exit_code == 1 and "bad.xml:14:" in failed.stdout


def test_a_folder_without_xml_files_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not XML", encoding="utf-8")
    result = run("--schema", str(MINI_RNG), str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr.strip() == f"Error: no *.xml files found in {tmp_path}"
