"""Reader for records of the Wilson Center Digital Archive, as its users export them as text.

A record is a bold date-and-title block, front-matter sections (``**Citation:**``, the address
in angle brackets, ``**Summary:**``, ``**Credits:**``, ``**Original Language:**``,
``**Contents:**`` and others), then the document itself. :func:`read` returns the document
model; it never prints and never fails on a body it does not understand: what it does not
recognise stays a plain paragraph.
"""

from __future__ import annotations

import re

from ...model import Bracketed, Letter, NoteRef, Record, Text, inline_children, letter_inlines
from . import patterns as P
from .frontmatter import (
    find_url,
    read_front_matter,
    record_identifier,
    section_items,
    section_text,
    split_languages,
)
from .kinds import title_kind
from .structure import LetterBuilder, frame_units
from .title import title_parties
from .units import make_units

__all__ = ["read"]


def read(text: str, path: str | None = None) -> Record:
    """Read one record; raise :class:`~tei_cable.diagnostics.InputError` if it is not one."""
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    front = read_front_matter(lines, path)
    record = Record(title=front.title, date=front.date)
    record.diagnostics.extend(front.diagnostics)
    record.sections = front.sections
    record.citation = section_text(front.section("citation"))
    record.url = find_url(front.sections)
    record.identifier = record_identifier(record.url)
    record.summary = section_text(front.section("summary"))
    record.credits = section_text(front.section("credits"))
    record.original_languages = split_languages(
        section_text(front.section("original language", "original languages", "language"))
    )
    record.contents = section_items(front.section("contents"))
    _read_title(record)

    body_lines = lines[front.body_start :]
    record.body_line = front.body_start + 1
    record.body_text = "\n".join(body_lines)
    record.language = _text_language(record, record.body_text)
    units = make_units(body_lines, front.body_start + 1)
    kind = record.title_kind or "document"
    if not units:
        from ...diagnostics import diagnostic

        record.diagnostics.append(
            diagnostic(
                "R110",
                "the record has no document text after its front matter",
                line=len(lines),
                path=path,
            )
        )
        record.document = Letter(kind=kind)
        return record
    frame = frame_units(units, record.diagnostics, path)
    builder = LetterBuilder(path)
    record.document = builder.build(frame, kind, outer=True)
    record.footnotes = builder.footnotes
    record.diagnostics.extend(builder.diagnostics)
    _resolve_note_refs(record)
    return record


def _read_title(record: Record) -> None:
    """The kind the catalogue title names, and its parties where it has the archive's forms
    ("Cable, Mao Zedong to Joseph Stalin"; see :mod:`.title`)."""
    record.title_kind = title_kind(record.title) or ""
    parties = title_parties(record.title)
    if parties is not None:
        record.title_senders, record.title_addressees = parties


LANGUAGE_OF_SCRIPT = (("zh", P.CJK_RE), ("ru", re.compile(r"[\u0400-\u04ff]")))


def _text_language(record: Record, body: str) -> str:
    """The language of the text given: from ``Contents`` (``English Translation``) or script."""
    from ..languages import language_code

    for item in record.contents:
        match = re.match(r"^(?P<lang>[A-Z][a-z]+)\s+(?:Translation|Transcription)\b", item)
        if match and language_code(match.group("lang")):
            return language_code(match.group("lang")) or "en"
    letters = [c for c in body if c.isalpha()]
    if letters:
        for code, pattern in LANGUAGE_OF_SCRIPT:
            if len(pattern.findall(body)) > len(letters) / 2:
                return code
    return "en"


def _resolve_note_refs(record: Record) -> None:
    """Footnote markers without a note at the end are editorial brackets after all."""
    labels = {note.label for note in record.footnotes}

    def fix(spans: list) -> None:
        for k, span in enumerate(spans):
            if isinstance(span, NoteRef) and span.label not in labels:
                spans[k] = Bracketed("supplied", [Text(span.label)])
            for children in inline_children(span):
                fix(children)

    for letter in record.letters():
        for spans in letter_inlines(letter):
            fix(spans)
