"""Divisions of a document body: numbered sections and the dated entries of a journal.

Sections are numbered with Roman numerals (``I.``, ``V. On …``) or capital letters (``A.``,
``B.``), in sequence from the first, at least two of them; or with Arabic numerals when every
numbered line is a heading (short, one sentence) and paragraphs follow them. Numbered points
that are paragraphs themselves stay items of an ordered list (see :mod:`.lists`). A journal's
entries begin at a line that is only a date ("7 March 1960").
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from . import shapes
from .lists import match_label
from .units import Unit

if TYPE_CHECKING:
    from .structure import Frame

SECTION_RE = re.compile(r"^(?P<label>(?P<n>[IVX]{1,5}|[A-Z])\.)\s+(?=\S)")
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9}
_ROMAN.update({"X": 10, "XI": 11, "XII": 12, "XIII": 13, "XIV": 14, "XV": 15})


def _values(n: str) -> list[tuple[str, int]]:
    """The numbering systems a section label may belong to, with its value in each."""
    out = []
    if n in _ROMAN:
        out.append(("roman", _ROMAN[n]))
    if len(n) == 1:
        out.append(("alpha", ord(n) - ord("A") + 1))
    return out


def section_starts(items: list[Unit | Frame]) -> list[tuple[int, str, str]]:
    """(index, printed label, number) of each section start, or [] when there are none; after
    the numbered sections, an unnumbered heading in capitals ("CONCLUSIONS") followed by
    paragraphs starts a section of its own."""
    found = _lettered(items) or _arabic_headings(items)
    if found:
        for k in range(found[-1][0] + 1, len(items) - 1):
            item, following = items[k], items[k + 1]
            if (
                isinstance(item, Unit)
                and isinstance(following, Unit)
                and len(item.lines) == 1
                and _CLOSING_HEADING_RE.match(item.text.strip())
                and shapes.looks_like_prose(following.text)
            ):
                found.append((k, "", ""))
    return found


#: an unnumbered heading in capitals after numbered sections: "CONCLUSIONS", "PROPOSALS"
_CLOSING_HEADING_RE = re.compile(r"^[A-Z][A-Z\s,&-]{3,40}[A-Z]:?$")


def _lettered(items: list[Unit | Frame]) -> list[tuple[int, str, str]]:
    best: list[tuple[int, str, str]] = []
    for system in ("roman", "alpha"):
        starts: list[tuple[int, str, str]] = []
        expected = 1
        for k, item in enumerate(items):
            if not isinstance(item, Unit):
                continue
            match = SECTION_RE.match(item.lines[0].lstrip())
            if not match:
                continue
            value = dict(_values(match.group("n"))).get(system)
            if value == expected:
                starts.append((k, match.group("label"), match.group("n")))
                expected += 1
        if len(starts) >= 2 and len(starts) > len(best):
            best = starts
    return best


def heading_like(text: str, label: str) -> bool:
    """A numbered line that is a heading: short, one sentence (or ending in a colon)."""
    rest = text.strip()[len(label) :].strip()
    if not rest or len(shapes.words(rest)) > 14:
        return False
    return len(shapes.split_sentences(rest)) == 1 and not rest.endswith((";", ","))


def _arabic_headings(items: list[Unit | Frame]) -> list[tuple[int, str, str]]:
    """The last run of Arabic-numbered lines (1., 2., … from 1) that are headings each
    followed by paragraphs of their own, not introduced as a list ("Agenda:")."""
    runs: list[list[tuple[int, str, str]]] = []
    for k, item in enumerate(items):
        if not isinstance(item, Unit):
            continue
        label = match_label(item.lines[0])
        if label is None or label[0] != "arabic":
            continue
        if label[3] == 1:
            runs.append([])
        elif not runs or label[3] != len(runs[-1]) + 1:
            continue
        runs[-1].append((k, label[1], label[2]))
    if not runs or len(runs[-1]) < 2:
        return []
    starts = runs[-1]
    first = starts[0][0]
    if (
        first > 0
        and isinstance(items[first - 1], Unit)
        and items[first - 1].text.rstrip().endswith(":")
    ):  # type: ignore[union-attr]
        return []
    for k, printed, _ in starts:
        unit = items[k]
        assert isinstance(unit, Unit)
        if not heading_like(unit.text, printed):
            return []
        following = items[k + 1] if k + 1 < len(items) else None
        if not isinstance(following, Unit) or match_label(following.lines[0]) is not None:
            return []
    return starts


def entry_starts(items: list[Unit | Frame]) -> list[int]:
    """Where the entries of a journal begin: lines that are only a date."""
    return [
        k
        for k, item in enumerate(items)
        if isinstance(item, Unit)
        and len(item.lines) == 1
        and shapes.DATE_ONLY_RE.match(item.text.strip())
        and len(shapes.words(item.text)) <= 6
    ]
