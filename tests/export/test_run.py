"""Running exports: inputs, --validate, standard input, outputs never over inputs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from export_helpers import RECORDS, SEED_TEI, parse

from tei_cable.cli import main
from tei_cable.export import NotTeiError, export, load


def test_validate_refuses_invalid_inputs(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    text = SEED_TEI.read_text(encoding="utf-8")
    bad.write_text(
        text.replace('<date when="1951-07-11">11 July', '<date when="1951-7-11">11 July', 1)
    )
    out = tmp_path / "out"
    args = [
        "export",
        str(SEED_TEI),
        str(bad),
        "--to",
        "dc",
        "--out-dir",
        str(out),
        "--validate",
        "tei_cable",
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    line = result.stderr.splitlines()[0]
    assert line.startswith(f"tei-cable: error: {bad}:") and "not valid against tei_cable" in line
    assert sorted(p.name for p in out.iterdir()) == ["wilson-117409.dc.xml"]
    # without --validate the same file is exported: the exporters are lenient
    lenient = CliRunner().invoke(main, [*args[:-2], "--force"])
    assert lenient.exit_code == 0


def test_standard_input(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["export", "-", "--to", "dc"], input=SEED_TEI.read_bytes())
    assert result.exit_code == 0
    assert parse(result.stdout_bytes).tag.endswith("}dc")


def test_outputs_never_overwrite_inputs(tmp_path: Path) -> None:
    source = tmp_path / "a.dc.xml"
    shutil.copy(SEED_TEI, source)
    outcome = export([source], "dc", output=str(source), force=True)
    assert not outcome.ok and "overwrite an input" in str(outcome.failures[0])
    assert source.read_bytes() == SEED_TEI.read_bytes()


def test_folder_structure_is_kept_and_collisions_reported(tmp_path: Path) -> None:
    for sub in ("one", "two"):
        (tmp_path / "in" / sub).mkdir(parents=True)
        shutil.copy(RECORDS / "diary.xml", tmp_path / "in" / sub / "diary.xml")
    outcome = export([tmp_path / "in"], "jsonld", out_dir=str(tmp_path / "out"))
    assert outcome.ok
    assert sorted(
        p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*.jsonld")
    ) == [
        "one/diary.jsonld",
        "two/diary.jsonld",
    ]
    flat = export(
        [tmp_path / "in" / "one" / "diary.xml", tmp_path / "in" / "two" / "diary.xml"],
        "jsonld",
        out_dir=str(tmp_path / "flat"),
    )
    assert len(flat.written) == 1 and "same file" in str(flat.failures[0])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("<TEI><teiHeader/></TEI>", "not in the TEI namespace"),
        ("<teiCorpus xmlns='http://www.tei-c.org/ns/1.0'/>", "teiCorpus"),
        ("<TEI xmlns='http://www.tei-c.org/ns/1.0'><text/></TEI>", "without a teiHeader"),
        ("<html/>", "root element is <html>"),
    ],
)
def test_not_tei(text: str, message: str) -> None:
    with pytest.raises(NotTeiError, match=message) as caught:
        load(text.encode(), name="x.xml")
    assert caught.value.code == "X100" and str(caught.value).startswith("x.xml: ")


def test_nothing_written_when_nothing_could_be_read(tmp_path: Path) -> None:
    (tmp_path / "notes.xml").write_text("<notes/>")
    out = tmp_path / "cmif.xml"
    args = ["export", str(tmp_path / "notes.xml"), "--to", "cmif", "-o", str(out)]
    result = CliRunner().invoke(
        main, [*args, "--url", "https://example.org/c.xml", "--editor", "J"]
    )
    assert result.exit_code == 1 and not out.exists()
