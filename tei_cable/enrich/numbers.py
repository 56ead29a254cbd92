"""Document numbers: cable, registry, copy and outgoing numbers marked as ``Number`` spans.

They run before dates, so a number such as ``N° 21680`` or ``532/2343/shs`` is never read as a
date or a time.
"""

from __future__ import annotations

import re

from ..model import (
    ArchivalNote,
    Inline,
    Letter,
    Number,
    Part,
    Record,
    Stamp,
    Text,
    text_before,
    wrap_text,
)
from . import EnrichContext

NUMBER_RE = re.compile(r"(?P<mark>N°|№|Nº|No\.|Nr\.)\s*:?\s*(?P<value>\d[\w/.\-]*\w|\d)")
#: what a number is, from the words just before its mark
NUMBER_TYPES = (
    ("copy", re.compile(r"\b(?:copy|copies)\s*$", re.IGNORECASE)),
    ("incoming", re.compile(r"\bincoming\s*$", re.IGNORECASE)),
    ("outgoing", re.compile(r"\boutgoing\s*$", re.IGNORECASE)),
    ("cable", re.compile(r"\b(?:cable|cabl\w|telegram|ciphered telegram)\s*$", re.IGNORECASE)),
    ("report", re.compile(r"\breport\s*$", re.IGNORECASE)),
    ("attachment", re.compile(r"\battachment\s*$", re.IGNORECASE)),
)


def mark_numbers(record: Record, context: EnrichContext | None = None) -> None:
    """Mark numbers in the archival apparatus, closers and running text of every letter."""
    for letter in record.letters():
        _letter(letter)


def _letter(letter: Letter) -> None:
    for block in (*letter.head, *letter.tail):
        if isinstance(block, ArchivalNote):
            _mark(
                block.children,
                default="copy" if block.kind in ("distribution", "copy") else "document",
            )
        elif isinstance(block, Stamp):
            for line in block.lines:
                _mark(line, default="registration")
    for part in (*letter.opener, *letter.closer):
        _mark(part.children, default="outgoing" if _is_number_part(part) else "document")
    from ..model import letter_inlines

    for spans in letter_inlines(letter):
        _mark(spans, default="document")


#: characters before a number's mark that decide its type (past the longest word of
#: NUMBER_TYPES and the character before it)
TYPE_CONTEXT = 40


def _is_number_part(part: Part) -> bool:
    return part.role == "number"


def _mark(spans: list[Inline], *, default: str) -> None:
    k = 0
    while k < len(spans):
        span = spans[k]
        if isinstance(span, Text):
            match = NUMBER_RE.search(span.text)
            if match:
                head = span.text[: match.start()]
                before = text_before(spans, k, TYPE_CONTEXT) + head
                kind = next(
                    (name for name, pattern in NUMBER_TYPES if pattern.search(before)), default
                )
                number = Number(kind, [Text(match.group("value"))])
                k = wrap_text(spans, k, match.start("value"), match.end("value"), number)
                continue
        k += 1
