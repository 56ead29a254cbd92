"""Shared data for the export tests: the inputs, the receiving sides' schemas, golden files."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from tei_cable.export import Editor, ExportOptions
from tei_cable.xmlio import safe_parser

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
GOLDEN = HERE / "golden"
ENCODED = REPO / "encoded"
SEED_TEI = ENCODED / "wilson-117409.xml"
RECORDS = REPO / "tests" / "fixtures" / "records"
SHARED = REPO.parent / "shared"
FORMATS = SHARED / "formats"
CORPUS = SHARED / "tei" / "corpus"

#: fixed options, so golden files do not depend on the clock or on file times
OPTIONS = ExportOptions(
    editors=(Editor("Jane Doe", "jane.doe@example.org"),),
    publisher="Example Digital Edition",
    url="https://example.org/letters/cmif.xml",
    base_url="https://example.org/letters/",
    date="2026-01-01T00:00:00Z",
)


def every_tei() -> list[Path]:
    """Every TEI document of encoded/ and the record fixtures."""
    return sorted(ENCODED.glob("*.xml")) + sorted(RECORDS.glob("*.xml"))


def corpus_files(folder: str, count: int) -> list[Path]:
    """The first ``count`` TEI files of a corpus folder (skip where the corpus is absent)."""
    base = CORPUS / folder
    if not base.is_dir():
        pytest.skip(f"the TEI corpus is not at {base} (only in the development workplace)")
    return sorted(base.rglob("*.xml"))[:count]


def shared_format(*parts: str) -> Path:
    path = FORMATS.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not there (the receiving sides' schemas live in ../shared)")
    return path


def parse(data: bytes) -> etree._Element:
    return etree.fromstring(data, safe_parser())
