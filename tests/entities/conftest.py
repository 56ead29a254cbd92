"""Fixtures for the entity, date and correspondence tests: the seed converted with the full
enrichment pipeline, and helpers that enrich small model fragments."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tei_cable.convert import Conversion, convert_record
from tei_cable.enrich import EnrichContext, Enricher, run_enrichers
from tei_cable.enrich import corresp as corresp_enricher
from tei_cable.enrich import dates as dates_enricher
from tei_cable.enrich import entities as entities_enricher
from tei_cable.enrich.pipeline import default_enrichers
from tei_cable.model import (
    Inline,
    Letter,
    Name,
    Paragraph,
    Record,
    Text,
    When,
    inline_children,
    plain_text,
)

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
SEED = REPO / "encoded" / "sources" / "wilson-117409.txt"
RECORDS = REPO / "tests" / "fixtures" / "records"
GOLD = Path(__file__).resolve().parent / "gold"


def pipeline() -> list[Enricher]:
    """The default enrichers with entities, dates and correspondence (each once)."""
    chosen: dict[str, Enricher] = {e.name: e for e in default_enrichers()}
    for enricher in (
        entities_enricher.ENRICHER,
        dates_enricher.ENRICHER,
        corresp_enricher.ENRICHER,
    ):
        chosen.setdefault(enricher.name, enricher)
    return list(chosen.values())


def convert_text(text: str, path: str | None = None, **kwargs: object) -> Conversion:
    return convert_record(text, path=path, enrichers=pipeline(), **kwargs)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def seed_conversion() -> Conversion:
    return convert_text(SEED.read_text(encoding="utf-8"), path=str(SEED))


def _enrich_record(record: Record) -> EnrichContext:
    """Run the entity, date and correspondence enrichers on a hand-built record."""
    context = EnrichContext()
    run_enrichers(
        record,
        [entities_enricher.ENRICHER, dates_enricher.ENRICHER, corresp_enricher.ENRICHER],
        context,
    )
    return context


@pytest.fixture
def enrich_text() -> Callable[..., list[Inline]]:
    """Enrich one paragraph of text (in a letter of a record dated ``date``); its spans."""

    def run(text: str, date: str = "July 11, 1951") -> list[Inline]:
        para = Paragraph([Text(text)])
        record = Record(title="Test", date=date, document=Letter(kind="cable", body=[para]))
        _enrich_record(record)
        assert plain_text(para.children) == text  # never a character lost or added
        return para.children

    return run


def _names(spans: list[Inline]) -> list[tuple[str, str | None, str]]:
    """Every Name in ``spans`` (outer first): (kind, ref, reading)."""
    found: list[tuple[str, str | None, str]] = []
    for span in spans:
        if isinstance(span, Name):
            found.append((span.kind, span.ref, plain_text(span.children)))
        for children in inline_children(span):
            found.extend(_names(children))
    return found


def _whens(spans: list[Inline]) -> list[When]:
    """Every When in ``spans``."""
    found: list[When] = []
    for span in spans:
        if isinstance(span, When):
            found.append(span)
        for children in inline_children(span):
            found.extend(_whens(children))
    return found


@pytest.fixture
def names() -> Callable[[list[Inline]], list[tuple[str, str | None, str]]]:
    """Every Name in spans (outer first) as (kind, ref, reading)."""
    return _names


@pytest.fixture
def whens() -> Callable[[list[Inline]], list[When]]:
    """Every When in spans."""
    return _whens


@pytest.fixture
def enrich_record() -> Callable[[Record], EnrichContext]:
    """Run the entity, date and correspondence enrichers on a hand-built record."""
    return _enrich_record


@pytest.fixture(scope="session")
def tei_all() -> object:
    """The official tei_all schema as an lxml RelaxNG validator (skip when absent)."""
    from lxml import etree

    path = SHARED / "tei" / "tei_all.rng"
    if not path.exists():
        pytest.skip(f"reference TEI schema not found at {path} (only in the development workplace)")
    return etree.RelaxNG(etree.parse(str(path)))


@pytest.fixture
def convert() -> Callable[..., Conversion]:
    """Convert record text with the full enrichment pipeline."""
    return convert_text


@pytest.fixture
def seed_path() -> Path:
    return SEED
