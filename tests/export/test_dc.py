"""Dublin Core (oai_dc): golden files, and every record valid against OAI's oai_dc.xsd."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import check_golden
from export_helpers import GOLDEN, OPTIONS, RECORDS, SEED_TEI, corpus_files, every_tei, parse
from export_helpers import shared_format as fmt

from tei_cable.cli import main
from tei_cable.export import ExportOptions, load, render

DC = "{http://purl.org/dc/elements/1.1/}"
_SCHEMA: list[object] = []


def dc_schema():
    if not _SCHEMA:
        import xmlschema

        _SCHEMA.append(xmlschema.XMLSchema10(str(fmt("oai", "oai_dc.xsd")), allow="local"))
    return _SCHEMA[0]


def dc_errors(data: bytes) -> list[str]:
    return [str(e.reason) for e in dc_schema().iter_errors(parse(data).getroottree())]


def values(data: bytes, name: str) -> list[str]:
    return [e.text for e in parse(data).iter(f"{DC}{name}")]


def test_seed_golden(update_golden: bool) -> None:
    check_golden(
        GOLDEN / "wilson-117409.dc.xml", render(load(SEED_TEI), "dc", OPTIONS), update_golden
    )


@pytest.mark.parametrize("path", sorted(RECORDS.glob("*.xml")), ids=lambda p: p.stem)
def test_fixture_golden(path: Path, update_golden: bool) -> None:
    data = render(load(path), "dc", OPTIONS)
    check_golden(GOLDEN / "records" / f"{path.stem}.dc.xml", data, update_golden)


def test_every_record_is_valid_oai_dc() -> None:
    for path in every_tei():
        data = render(load(path), "dc", OPTIONS)
        assert dc_errors(data) == [], path.name
        assert values(data, "title") and values(data, "format") == ["application/tei+xml"]


def test_seed_fields() -> None:
    data = render(load(SEED_TEI), "dc", OPTIONS)
    assert values(data, "creator") == ["Mao Zedong"]
    assert values(data, "date") == ["1951-07-11"]
    assert values(data, "language") == ["en"]
    assert values(data, "identifier") == ["https://example.org/letters/wilson-117409.xml"]
    assert "http://digitalarchive.wilsoncenter.org/document/117409" in values(data, "source")
    assert "https://creativecommons.org/licenses/by/4.0/" in values(data, "rights")
    # nothing is invented: no base URL, no identifier
    assert values(render(load(SEED_TEI), "dc", ExportOptions()), "identifier") == []


def test_corpus_documents_are_valid() -> None:
    files = (
        corpus_files("TillichCorrespondence__tillich-briefe-data", 3)
        + corpus_files("dracor-org__gerdracor", 2)
        + corpus_files("COST-ELTeC__ELTeC-eng", 2)
        + corpus_files("bodleian__medieval-mss", 2)
        + corpus_files("HistoryAtState__frus-history", 2)
    )
    for path in files:
        data = render(load(path), "dc", OPTIONS)
        assert dc_errors(data) == [], path.name
    tillich = render(load(files[0]), "dc", OPTIONS)
    assert values(tillich, "creator") == ["Paul Tillich"]


def test_schema_rejects_a_broken_record() -> None:
    data = render(load(SEED_TEI), "dc", OPTIONS).replace(b"dc:creator", b"dc:author")
    assert dc_errors(data)


def test_cli_folder_to_out_dir(tmp_path: Path) -> None:
    out = tmp_path / "dc"
    result = CliRunner().invoke(main, ["export", str(RECORDS), "--to", "dc", "--out-dir", str(out)])
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in out.iterdir())
    assert written == sorted(f"{p.stem}.dc.xml" for p in RECORDS.glob("*.xml"))
    other = str(RECORDS / "diary.xml")
    several = CliRunner().invoke(main, ["export", str(SEED_TEI), other, "--to", "dc"])
    assert several.exit_code == 2 and "--out-dir" in several.stderr
