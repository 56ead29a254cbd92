"""BagIt bags of TEI and its exports, checked with the Library of Congress's ``bagit``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from export_helpers import ENCODED, OPTIONS, RECORDS

from tei_cable.cli import main
from tei_cable.diagnostics import OutputError
from tei_cable.export.bag import make_bag

bagit = pytest.importorskip("bagit", reason="bagit is a test dependency: pip install '.[test]'")


def files(bag: Path) -> dict[str, bytes]:
    return {
        p.relative_to(bag).as_posix(): p.read_bytes() for p in sorted(bag.rglob("*")) if p.is_file()
    }


def test_bag_of_every_record_is_valid(tmp_path: Path) -> None:
    result = make_bag([ENCODED, RECORDS], tmp_path / "bag", options=OPTIONS)
    assert result.ok
    checked = bagit.Bag(str(tmp_path / "bag"))
    checked.validate()  # raises BagValidationError on any fault
    assert checked.version_info == (1, 0)
    count = len(list(ENCODED.glob("*.xml"))) + len(list(RECORDS.glob("*.xml")))
    payload = set(checked.payload_files())
    for folder, extension in (
        ("tei", ".xml"),
        ("dc", ".dc.xml"),
        ("jsonld", ".jsonld"),
        ("html", ".html"),
    ):
        assert (
            len([p for p in payload if p.startswith(f"data/{folder}/") and p.endswith(extension)])
            == count
        )
    assert "data/cmif/cmif.xml" in payload
    assert (tmp_path / "bag" / "data" / "tei" / "wilson-117409.xml").read_bytes() == (
        ENCODED / "wilson-117409.xml"
    ).read_bytes()
    info = checked.info
    assert info["Bagging-Date"] == "2026-01-01"
    assert info["Payload-Oxum"] == f"{result.bytes}.{result.files}"
    assert info["Contact-Email"] == "jane.doe@example.org"


def test_bag_is_deterministic_and_a_change_is_caught(tmp_path: Path) -> None:
    make_bag([RECORDS], tmp_path / "one", options=OPTIONS)
    make_bag([RECORDS], tmp_path / "two", options=OPTIONS)
    assert files(tmp_path / "one") == files(tmp_path / "two")
    changed = tmp_path / "one" / "data" / "dc" / "diary.dc.xml"
    changed.write_bytes(changed.read_bytes().replace(b"Text", b"Txet"))
    with pytest.raises(bagit.BagValidationError):
        bagit.Bag(str(tmp_path / "one")).validate()


def test_bad_inputs_left_out_and_outputs_kept(tmp_path: Path) -> None:
    source = tmp_path / "in"
    shutil.copytree(RECORDS, source, ignore=shutil.ignore_patterns("*.txt", "*.native"))
    (source / "zz-notes.xml").write_text("<notes/>")
    target = tmp_path / "bag"
    result = CliRunner().invoke(
        main, ["bag", str(source), "-o", str(target), "--date", "2026-01-01"]
    )
    assert result.exit_code == 1
    assert f"tei-cable: error: {source / 'zz-notes.xml'}: not a TEI document" in result.stderr
    bagit.Bag(str(target)).validate()
    assert not (target / "data" / "tei" / "zz-notes.xml").exists()
    assert not (target / "data" / "cmif").exists()  # no --url/--editor: no CMIF
    before = files(target)
    again = CliRunner().invoke(main, ["bag", str(source), "-o", str(target)])
    assert again.exit_code == 1 and "output exists" in again.stderr
    assert files(target) == before
    with pytest.raises(OutputError):
        make_bag([source], target)
    replaced = make_bag([RECORDS / "diary.xml"], target, options=OPTIONS, force=True)
    assert replaced.documents == 1
    bagit.Bag(str(target)).validate()
    assert not list(tmp_path.glob(".bag.*"))  # no temporary folder left behind


def test_no_bag_when_nothing_could_be_read(tmp_path: Path) -> None:
    (tmp_path / "notes.xml").write_text("<notes/>")
    result = make_bag([tmp_path / "notes.xml"], tmp_path / "bag")
    assert not result.ok and result.documents == 0
    assert not (tmp_path / "bag").exists() and not list(tmp_path.glob(".bag.*"))
