"""Lines of a record's body grouped into units: the paragraphs and lines the reader classifies.

A unit is one source line, or several when an editorial bracket spans lines (a stamp) or a
paragraph was broken across a blank line or a page (rejoined, with the break remembered).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from . import patterns as P
from .fields import is_label_line, match_field

TERMINAL = tuple(".!?:;…。！？：；") + tuple(P.CLOSING_QUOTES) + (")", "]", "»", "'", "’")


@dataclass(slots=True)
class Unit:
    """One unit of the body: its text lines (each with its line number) and how it was joined.

    ``joins[i]`` says how line ``i+1`` joins line ``i``: ``"page"`` (a paragraph rejoined across a
    blank line), ``"line"`` (a single newline inside one paragraph) or ``"bracket"`` (lines of
    one editorial bracket, such as a stamp).
    """

    lines: list[str]
    numbers: list[int]
    blank_before: bool = False
    joins: list[str] = field(default_factory=list)
    lead: str = ""  # a quotation mark opening a quoted letter, taken off the first line
    trail: str = ""  # the mark (and punctuation) closing it, taken off the last line
    kind: str = ""  # "heading" for heading lines joined into one heading

    @property
    def line(self) -> int:
        return self.numbers[0]

    @property
    def text(self) -> str:
        """The unit's text with its lines joined by single spaces (for classification)."""
        return " ".join(part.strip() for part in self.lines)

    def split_last(self, offset: int) -> tuple[Unit, Unit]:
        """Split at a character offset of the last line (a closer at the end of a paragraph)."""
        head_lines = [*self.lines[:-1], self.lines[-1][:offset]]
        head = Unit(head_lines, list(self.numbers), self.blank_before, list(self.joins), self.lead)
        tail = Unit([self.lines[-1][offset:]], [self.numbers[-1]], False, [], "", self.trail)
        return head, tail

    def split_first(self, offset: int) -> tuple[Unit, Unit]:
        """Split at a character offset of the first line (an opener at the start)."""
        head = Unit([self.lines[0][:offset]], [self.numbers[0]], self.blank_before, [], self.lead)
        rest_lines = [self.lines[0][offset:], *self.lines[1:]]
        tail = Unit(rest_lines, list(self.numbers), False, list(self.joins), "", self.trail)
        if len(self.lines) == 1:
            head.trail, tail.trail = (
                (self.trail, "") if not rest_lines[0].strip() else ("", self.trail)
            )
        return head, tail

    def strip_lead(self, chars: str) -> None:
        """Take a leading quotation mark off the first line into :attr:`lead`."""
        first = self.lines[0]
        body = first.lstrip()
        if body[:1] and body[0] in chars:
            self.lead = first[: len(first) - len(body) + 1]
            self.lines[0] = first[len(self.lead) :]

    def strip_trail(self, pattern: re.Pattern[str]) -> None:
        """Take a closing quotation mark (and what punctuation follows it) into :attr:`trail`."""
        match = pattern.search(self.lines[-1])
        if match:
            self.trail = match.group(0) + self.trail
            self.lines[-1] = self.lines[-1][: match.start()]


def joined_lines(units: Sequence[Unit]) -> Unit:
    """One unit of the lines of ``units``, each joined to the one before by a single newline
    (a field or closer written over several lines)."""
    first = units[0]
    merged = Unit(list(first.lines), list(first.numbers), first.blank_before)
    for nxt in units[1:]:
        merged.lines.extend(nxt.lines)
        merged.numbers.extend(nxt.numbers)
        merged.joins.append("line")
    return merged


def make_units(lines: list[str], first_line: int) -> list[Unit]:
    """Group body lines (numbered from ``first_line``) into units."""
    raw: list[Unit] = []
    blank = False
    for offset, line in enumerate(lines):
        if not line.strip():
            blank = True
            continue
        raw.append(Unit([line.rstrip()], [first_line + offset], blank))
        blank = False
    return _rejoin_paragraphs(_group_fields(_group_brackets(raw)))


def _bracket_balance(text: str) -> int:
    return text.count("[") - text.count("]")


def _group_brackets(units: list[Unit]) -> list[Unit]:
    """Join the lines of an editorial bracket that opens on one line and closes on a later one."""
    out: list[Unit] = []
    i = 0
    while i < len(units):
        unit = units[i]
        balance = _bracket_balance(unit.text)
        if balance > 0 and _opens_apparatus_bracket(unit.text):
            j = i + 1
            while j < len(units) and j - i <= 12 and balance > 0:
                balance += _bracket_balance(units[j].text)
                j += 1
            if balance == 0:
                merged = Unit(list(unit.lines), list(unit.numbers), unit.blank_before)
                for nxt in units[i + 1 : j]:
                    merged.lines.extend(nxt.lines)
                    merged.numbers.extend(nxt.numbers)
                    merged.joins.append("bracket")
                    merged.joins.extend(nxt.joins)
                out.append(merged)
                i = j
                continue
        out.append(unit)
        i += 1
    return out


def _opens_apparatus_bracket(text: str) -> bool:
    """A bracket that opens a stamp or an editor's description spanning lines: at the start of
    the line, or after a short line in capitals ("USSR EMBASSY IN THE DPRK [faded …")."""
    s = text.lstrip()
    if s.startswith("["):
        return True
    before = s[: s.rfind("[")]
    letters = [c for c in before if c.isalpha()]
    return bool(letters) and len(before.split()) <= 8 and all(c.isupper() for c in letters)


def _group_fields(units: list[Unit]) -> list[Unit]:
    """A label alone on its line ("To:", "FROM", "发报人：") takes the lines of its value that
    follow it, up to a blank line, the next label, or a line of another kind (a date, an
    address, an apparatus line); a value ending in a comma ("To: Comrade Deputy Minister,")
    takes the next line too. A date, a subject or a number has a value of one line."""
    out: list[Unit] = []
    i = 0
    while i < len(units):
        unit = units[i]
        field = match_field(unit.text) if len(unit.lines) == 1 else None
        alone = field is not None and is_label_line(unit.text)
        trailing = field is not None and not alone and unit.text.rstrip().endswith(",")
        if alone or trailing:
            most = 1 if trailing or field.role in ("dateline", "subject", "number") else 6
            j = i + 1
            while j < len(units) and j - i <= most and _field_value(units[j], first=j == i + 1):
                j += 1
            if j > i + 1:
                out.append(joined_lines(units[i:j]))
                i = j
                continue
        out.append(unit)
        i += 1
    return out


_ENDS_WITH_DATE = re.compile(rf"(?:{P.DATE})\.?$", re.IGNORECASE)


def _field_value(unit: Unit, *, first: bool) -> bool:
    """A line that may be (part of) a field's value given on the lines after its label."""
    text = unit.text.strip()
    if unit.blank_before or len(unit.lines) > 1 or len(text.split()) > 12:
        return False
    if is_label_line(text) or match_field(text):
        return False
    if not first and (
        _ENDS_WITH_DATE.search(text)
        or P.ADDRESSEE_RE.match(text)
        or P.APPARATUS_START_RE.match(text)
        or P.CLASSIFICATION_RE.match(text)
    ):
        return False
    return not (first and (P.ADDRESSEE_RE.match(text) or P.APPARATUS_START_RE.match(text)))


_WORD = re.compile(r"[^\W\d_][\w'’-]*")


def looks_like_prose(text: str) -> bool:
    """Running text: several words, a good share of them in lower case."""
    words = _WORD.findall(text)
    if len(words) < 5:
        return False
    lower = sum(1 for w in words if w[0].islower())
    return lower / len(words) >= 0.3


def _is_apparatus_start(text: str) -> bool:
    return bool(
        P.APPARATUS_START_RE.match(text)
        or P.ADDRESSEE_RE.match(text)
        or P.COPIES_RE.match(text)
        or match_field(text)
        or any(label.match(text) for _, label in P.LIST_LABELS)
    )


def continues(previous: Unit, unit: Unit) -> bool:
    """Whether ``unit`` continues the paragraph ``previous`` (a break inside a sentence)."""
    last = previous.lines[-1].rstrip()
    text = unit.text.lstrip()
    if not last or not text or last.endswith(TERMINAL) or "[" in text[:1]:
        return False
    starts_lower = text[0].islower() or (text[0] in "(" and text[1:2].islower())
    if not starts_lower:
        return False
    if _is_apparatus_start(text) or _is_apparatus_start(last):
        return False
    return hyphenated(last, text) or looks_like_prose(previous.text)


def hyphenated(last: str, text: str) -> bool:
    """A word broken across lines with a hyphen: ``negoti-`` / ``ations``."""
    return len(last) > 2 and last.endswith("-") and last[-2].isalpha() and text[:1].islower()


def _rejoin_paragraphs(units: list[Unit]) -> list[Unit]:
    """Rejoin a paragraph broken across a blank line or a page, remembering the break."""
    out: list[Unit] = []
    for unit in units:
        if out and continues(out[-1], unit):
            previous = out[-1]
            kind = "page" if unit.blank_before else "line"
            if hyphenated(previous.lines[-1].rstrip(), unit.text.lstrip()):
                kind += "-inword"
            previous.joins.append(kind)
            previous.joins.extend(unit.joins)
            previous.lines.extend(unit.lines)
            previous.numbers.extend(unit.numbers)
            continue
        out.append(unit)
    return out
