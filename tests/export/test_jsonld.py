"""JSON-LD: golden files, and every export expanded without error by pyld (no network)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import check_golden
from export_helpers import GOLDEN, HERE, OPTIONS, RECORDS, SEED_TEI, corpus_files, every_tei

from tei_cable.export import ExportOptions, load, render

pyld = pytest.importorskip("pyld", reason="pyld is a test dependency: pip install '.[test]'")
from pyld import jsonld  # noqa: E402

CONTEXT_FILE = HERE / "data" / "schemaorg-context.jsonld"
SCHEMA_ORG = {
    "https://schema.org",
    "https://schema.org/",
    "http://schema.org",
    "http://schema.org/",
}
S = "http://schema.org/"


def offline_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """Serve schema.org's context from the local copy; refuse everything else."""
    if url in SCHEMA_ORG:
        return {
            "contextUrl": None,
            "documentUrl": url,
            "document": json.loads(CONTEXT_FILE.read_text(encoding="utf-8")),
        }
    raise jsonld.JsonLdError(f"no network in tests: {url}", "loading document failed")


def expand(data: bytes) -> list[dict[str, Any]]:
    return jsonld.expand(json.loads(data), {"documentLoader": offline_loader})


def terms(node: Any) -> set[str]:
    """Every property name used in a JSON-LD object."""
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if not key.startswith("@"):
                found.add(key)
            found |= terms(value)
    elif isinstance(node, list):
        for value in node:
            found |= terms(value)
    return found


def test_seed_golden(update_golden: bool) -> None:
    data = render(load(SEED_TEI), "jsonld", OPTIONS)
    check_golden(GOLDEN / "wilson-117409.jsonld", data, update_golden)


@pytest.mark.parametrize("path", sorted(RECORDS.glob("*.xml")), ids=lambda p: p.stem)
def test_fixture_golden(path: Path, update_golden: bool) -> None:
    data = render(load(path), "jsonld", OPTIONS)
    check_golden(GOLDEN / "records" / f"{path.stem}.jsonld", data, update_golden)


def test_every_record_expands_and_keeps_every_term() -> None:
    known = set(json.loads(CONTEXT_FILE.read_text())["@context"])
    for path in every_tei():
        data = render(load(path), "jsonld", OPTIONS)
        assert terms(json.loads(data)) <= known, path.name  # nothing dropped by expansion
        expanded = expand(data)
        assert expanded and f"{S}ArchiveComponent" in expanded[0]["@type"], path.name


def test_seed_messages_nesting_and_authorities() -> None:
    data = render(load(SEED_TEI), "jsonld", OPTIONS)
    flat = jsonld.flatten(json.loads(data), None, {"documentLoader": offline_loader})
    nodes = {n["@id"]: n for n in flat}
    base = "https://example.org/letters/wilson-117409"
    outer, nested = nodes[f"{base}#L1"], nodes[f"{base}#L1.2"]
    assert outer["@type"] == [f"{S}Message"]
    assert nested[f"{S}isPartOf"] == [{"@id": f"{base}#L1"}]
    assert {"@id": f"{base}#L1.2"} in outer[f"{S}hasPart"]
    assert nested[f"{S}sender"] == [{"@id": f"{base}#li_kenong"}]
    assert nested[f"{S}dateSent"] == [{"@value": "1951-07-10T12:00:00"}]
    mao = nodes[f"{base}#mao_zedong"]
    assert {v["@id"] for v in mao[f"{S}sameAs"]} == {
        "http://www.wikidata.org/entity/Q5816",
        "http://viaf.org/viaf/51699962",
        "http://d-nb.info/gnd/118577425",
    }
    assert mao[f"{S}birthDate"] == [{"@type": f"{S}Date", "@value": "1893-12-26"}]
    document = nodes[base]
    assert document[f"{S}holdingArchive"]
    assert document[f"{S}url"] == [{"@id": f"{base}.html"}]
    # nobody without an authority gets a sameAs
    assert f"{S}sameAs" not in nodes[f"{base}#peng_dehuai"]


def test_without_base_url_identifiers_are_blank_nodes() -> None:
    node = json.loads(render(load(SEED_TEI), "jsonld", ExportOptions()))
    assert node["@id"] == "_:document"
    assert all(m["@id"].startswith("_:") for m in node["mentions"])


def test_loader_refuses_the_network() -> None:
    with pytest.raises(jsonld.JsonLdError):
        jsonld.expand(
            {"@context": "https://example.org/ctx", "a": 1}, {"documentLoader": offline_loader}
        )


def test_corpus_documents_expand() -> None:
    files = corpus_files("arthur-schnitzler__schnitzler-briefe-data", 3) + corpus_files(
        "dracor-org__gerdracor", 1
    )
    for path in files:
        assert expand(render(load(path), "jsonld", OPTIONS)), path.name
