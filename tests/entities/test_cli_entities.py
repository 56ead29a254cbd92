"""``tei-cable entities``: the inventory of a TEI document as a table, CSV or JSON."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tei_cable.cli import main
from tei_cable.convert import Conversion


@pytest.fixture
def seed_xml(tmp_path: Path, seed_conversion: Conversion) -> Path:
    path = tmp_path / "wilson-117409.xml"
    path.write_bytes(seed_conversion.to_bytes())
    return path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["entities", *args])
    return result.exit_code, result.stdout, result.stderr


def test_json_inventory_of_the_seed(seed_xml: Path) -> None:
    code, out, err = run("--format", "json", str(seed_xml))
    assert code == 0 and err == ""
    data = json.loads(out)
    rows = {row["id"]: row for row in data["entities"]}
    assert rows["mao_zedong"] == {
        "id": "mao_zedong",
        "type": "person",
        "name": "Mao Zedong",
        "registered": True,
        "identifiers": ["wikidata:Q5816", "viaf:51699962", "gnd:118577425"],
        "mentions": 5,
        "letters": ["L1", "L1.1", "L1.2", "L1.3", "L1.4"],
    }
    assert rows["joseph_stalin"]["mentions"] == 4  # Stalin twice, FILIPPOV, Filippov
    assert rows["nam_il"]["mentions"] == 3 and rows["nam_il"]["letters"] == ["L1.1"]
    assert rows["korea"]["mentions"] == 13
    assert rows["beijing"]["identifiers"] == ["wikidata:Q956", "geonames:1816670"]
    # names the registry does not know are the document's own entries, listed like the others
    assert data["unresolved"] == []
    for entity_id, name in (("vaganov", "Vaganov"), ("chesnokova", "Chesnokova")):
        assert rows[entity_id]["registered"] is False
        assert rows[entity_id]["name"] == name and rows[entity_id]["identifiers"] == []
        assert rows[entity_id]["letters"] == ["L1"]


def test_names_without_an_entry_are_listed_with_their_line(tmp_path: Path) -> None:
    path = tmp_path / "bare.xml"
    path.write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader/><text><body>\n'
        '<p>Signed by <persName>Ivanov</persName> in <placeName ref="#x">Kazan</placeName>.</p>'
        '\n</body></text><standOff><listPlace><place xml:id="x"><placeName>Kazan</placeName>'
        "</place></listPlace></standOff></TEI>",
        encoding="utf-8",
    )
    code, out, err = run("--format", "json", str(path))
    assert code == 0 and err == ""
    data = json.loads(out)
    assert data["unresolved"] == [
        {"type": "person", "name": "Ivanov", "file": str(path), "line": 2, "letter": "text"}
    ]
    assert [(e["id"], e["registered"], e["mentions"]) for e in data["entities"]] == [("x", True, 1)]


def test_table_and_csv(seed_xml: Path) -> None:
    code, out, _ = run(str(seed_xml))
    assert code == 0
    header, *rest = out.splitlines()
    assert header.split() == ["ID", "TYPE", "NAME", "IDENTIFIERS", "MENTIONS", "LETTERS"]
    assert any(line.split()[:2] == ["kim_il_sung", "person"] for line in rest)
    assert any(
        line.split()[:2] == ["vaganov", "person"] and "(local entry)" in line for line in rest
    )
    assert "No unresolved names." in out
    code, out, _ = run("--format", "csv", str(seed_xml))
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["row"] for r in rows} == {"entity"}
    icrc = next(r for r in rows if r["id"] == "icrc")
    assert icrc["identifiers"] == "wikidata:Q5987345 viaf:160178001"
    assert icrc["letters"] == "L1.3"


def test_several_files_name_their_letters_with_the_file(seed_xml: Path, tmp_path: Path) -> None:
    other = tmp_path / "copy.xml"
    other.write_bytes(seed_xml.read_bytes())
    code, out, _ = run("--format", "json", str(seed_xml), str(other))
    assert code == 0
    li = next(r for r in json.loads(out)["entities"] if r["id"] == "li_kenong")
    assert li["mentions"] == 10
    assert li["letters"][:2] == [f"{seed_xml}#L1", f"{seed_xml}#L1.1"]
    assert f"{other}#L1.4" in li["letters"]


def test_unresolved_pointers_are_an_error(seed_xml: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.xml"
    text = seed_xml.read_text(encoding="utf-8")
    broken.write_text(text.replace('ref="#kaesong"', 'ref="#kaesong-x"'), encoding="utf-8")
    rows = broken.read_text(encoding="utf-8").splitlines()
    line = next(k for k, row in enumerate(rows, 1) if "#kaesong-x" in row)
    code, out, err = run(str(broken))
    assert code == 1 and out == ""
    assert err.splitlines() == [
        f'tei-cable: {broken}:{line}: error: @ref="#kaesong-x" on <placeName> points at no '
        'element: no xml:id="kaesong-x" in this document [E120]'
    ]


def test_inputs_that_are_not_tei(tmp_path: Path, seed_xml: Path) -> None:
    plain = tmp_path / "plain.xml"
    plain.write_text("<doc/>", encoding="utf-8")
    text = tmp_path / "notes.txt"
    text.write_text("no markup here", encoding="utf-8")
    code, out, err = run(str(tmp_path / "missing.xml"), str(plain), str(text), str(seed_xml))
    assert code == 1
    lines = err.splitlines()
    assert lines[0] == f"tei-cable: error: {tmp_path / 'missing.xml'}: no such file"
    assert lines[1].startswith(f"tei-cable: error: {plain}:1: not a TEI document")
    assert lines[2].startswith(f"tei-cable: error: {text}:1")
    assert "Traceback" not in err
    assert "mao_zedong" in out  # the good file is still listed


def test_a_document_without_entities(tmp_path: Path) -> None:
    path = tmp_path / "empty.xml"
    path.write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>Nothing.</p></body></text></TEI>',
        encoding="utf-8",
    )
    code, out, _ = run(str(path))
    assert code == 0 and out == "No entities.\nNo unresolved names.\n"
