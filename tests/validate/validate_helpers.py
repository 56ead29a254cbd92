"""Shared data for the validation tests: a small TEI-like grammar, a valid file, mutations."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
MINI_RNG = DATA / "mini_tei.rng"
MINI_SCH = DATA / "mini_tei.sch"
MINI_XSD = DATA / "mini.xsd"
VALID = DATA / "valid.xml"
JUNIT_XSD = DATA / "junit.xsd"


def valid_text() -> str:
    return VALID.read_text(encoding="utf-8")


def mutate(old: str, new: str) -> str:
    """The valid file with one exact, unique piece of text replaced."""
    text = valid_text()
    assert text.count(old) == 1, f"{old!r} must occur once in valid.xml"
    return text.replace(old, new)


def line_of(text: str, needle: str) -> int:
    """1-based line of the first occurrence of ``needle``."""
    index = text.index(needle)
    return text.count("\n", 0, index) + 1


def column_of(text: str, needle: str) -> int:
    """1-based column of the first occurrence of ``needle``."""
    index = text.index(needle)
    return index - (text.rfind("\n", 0, index) + 1) + 1
