"""Evident transcription errors in the archival apparatus: ``CABLi`` for ``CABLE``.

A word in capitals with one stray character (a lower-case letter or a digit where a capital
stands) is corrected when exactly one capital in its place gives a word of the apparatus
vocabulary. The reading stays beside the correction (``Choice``), so nothing is lost.
"""

from __future__ import annotations

import re
import string

from ..model import ArchivalNote, Choice, Heading, Inline, Part, Record, Stamp, Text, wrap_text
from . import EnrichContext

#: words of letterheads, cable headings and registration lines
VOCABULARY = frozenset(
    """CABLE CABLES TELEGRAM TELEGRAMS CIPHERED CIPHER DECIPHERED COPY COPIES SECRET TOP
    STRICTLY URGENT PERSONAL SERIES INCOMING OUTGOING MEMORANDUM PROTOCOL REPORT LETTER
    DIRECTORATE MAIN GENERAL STAFF ARMY SOVIET SECOND FIRST THIRD SPECIAL FOLDER SUBJECT
    RETURN TO FROM DATE SENT RECEIVED NUMBER MINISTRY FOREIGN AFFAIRS EMBASSY COMMITTEE
    CENTRAL COMMUNIST PARTY CONFIDENTIAL PRIORITY HIGHEST EXTRAORDINARILY OFFICE UNIT
    RECORD CONVERSATION MINUTES MEETING""".split()
)
ODD_WORD = re.compile(r"\b[A-Z0-9]*[A-Z][A-Z0-9]*[a-z0-9][A-Z0-9]*\b|\b[A-Z]+[a-z0-9]\b")


def correct_apparatus(record: Record, context: EnrichContext | None = None) -> None:
    """Add corrections to evident misreadings in apparatus notes, headings and stamps."""
    for letter in record.letters():
        for block in (*letter.head, *letter.tail):
            if isinstance(block, (ArchivalNote, Heading)):
                _correct(block.children)
            elif isinstance(block, Stamp):
                for line in block.lines:
                    _correct(line)
        for part in letter.opener:
            if isinstance(part, Part) and part.role == "note":
                _correct(part.children)


def correction(word: str) -> str | None:
    """The vocabulary word ``word`` evidently stands for, if exactly one."""
    if word in VOCABULARY or len(word) < 4:
        return None
    odd = [k for k, c in enumerate(word) if not c.isupper()]
    if len(odd) != 1:
        return None
    k = odd[0]
    found = {word[:k] + c + word[k + 1 :] for c in string.ascii_uppercase} & VOCABULARY
    return found.pop() if len(found) == 1 else None


def _correct(spans: list[Inline]) -> None:
    k = 0
    while k < len(spans):
        span = spans[k]
        if isinstance(span, Text):
            for match in ODD_WORD.finditer(span.text):
                fixed = correction(match.group(0))
                if fixed:
                    choice = Choice([Text(match.group(0))], [Text(fixed)], "ocr")
                    k = wrap_text(spans, k, match.start(), match.end(), choice)
                    break
            else:
                k += 1
            continue
        k += 1
