"""Reader for records of the Wilson Center Digital Archive, as its users export them as text.

A record is a bold date-and-title block, front-matter sections (``**Citation:**``, the address
in angle brackets, ``**Summary:**``, ``**Credits:**``, ``**Original Language:**``,
``**Contents:**`` and others), then the document itself. :func:`read` returns the document
model; it never prints and never fails on a body it does not understand: what it does not
recognise stays a plain paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ...diagnostics import InputError, diagnostic
from ...model import Bracketed, Letter, NoteRef, Record, Text, inline_children, letter_inlines
from . import patterns as P
from .frontmatter import (
    FrontMatter,
    LineView,
    find_url,
    read_front_matter,
    record_identifier,
    record_starts,
    section_items,
    section_text,
    sections_labelled,
    split_languages,
)
from .kinds import title_kind
from .structure import LetterBuilder, frame_units
from .title import title_parties
from .units import make_units

__all__ = ["read", "read_all", "several_records_error"]


def split_lines(text: str) -> list[str]:
    """The record's lines (without a byte-order mark; any newline convention)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def read_all(text: str, path: str | None = None) -> list[Record]:
    """Read every record of ``text`` (the archive exports search results as one file).

    Raise :class:`~tei_cable.diagnostics.InputError` when there is no record at all.
    """
    lines = split_lines(text)
    fronts: list[FrontMatter] = []
    views: list[LineView] = []
    starts = record_starts(lines)
    for n, (start, column) in enumerate(starts):
        cuts = {start: lines[start][column:]} if column else {}
        end, end_column = starts[n + 1] if n + 1 < len(starts) else (len(lines), 0)
        if end_column:
            cuts[end] = lines[end][:end_column]
            end += 1
        view = LineView(lines, cuts)
        while True:
            front = read_front_matter(view, path, start, end)
            fronts.append(front)
            views.append(view)
            if front.next_start is None:
                break
            start = front.next_start
    if len(fronts) == 1 and not fronts[0].title and not fronts[0].sections:
        first = next((k for k, line in enumerate(lines) if line.strip()), 0)
        raise InputError(
            "no recognisable record: expected a bold date-and-title block (**…**) or sections "
            "such as **Citation:**; is this a record of the Wilson Center Digital Archive?",
            path=path,
            line=first + 1,
            code="R100",
        )
    records = [_read_one(view, front, path) for view, front in zip(views, fronts, strict=True)]
    if len(records) > 1:
        for record, front in zip(records, fronts, strict=True):
            if not front.title and not front.sections:
                record.diagnostics.append(
                    diagnostic(
                        "R100",
                        "text that is not a record (no title block, no sections): kept as one",
                        line=front.start + 1,
                        path=path,
                    )
                )
    return records


def read(text: str, path: str | None = None) -> Record:
    """Read one record; raise :class:`~tei_cable.diagnostics.InputError` if it is not one.

    An input that holds several records is an error here (``R106``): :func:`read_all` reads
    them all.
    """
    records = read_all(text, path)
    if len(records) > 1:
        raise several_records_error(records, path)
    return records[0]


def several_records_error(records: list[Record], path: str | None) -> InputError:
    """The error for an input of several records where one was expected (``R106``)."""
    lines = ", ".join(str(r.span[0]) for r in records[:6])
    more = ", …" if len(records) > 6 else ""
    return InputError(
        f"the input holds {len(records)} records (starting on lines {lines}{more}); "
        "read them with read_records or convert_records (tei-cable convert writes one TEI "
        "per record with --out-dir, or one teiCorpus with -o)",
        path=path,
        line=records[1].span[0],
        code="R106",
    )


def _read_one(lines: Sequence[str], front: FrontMatter, path: str | None) -> Record:
    """The record whose front matter is ``front``: its metadata and its document."""
    record = Record(title=front.title, date=front.date)
    record.diagnostics.extend(front.diagnostics)
    record.sections = front.sections
    record.title_block = front.title_block
    record.addresses = front.addresses
    record.span = (front.start + 1, max(front.start + 1, _last_text_line(lines, front)))
    citations = sections_labelled(front.sections, "citation")
    record.citation = next((section_text(s) for s in citations if section_text(s)), "")
    record.url = find_url(front.addresses, front.sections)
    record.identifier = record_identifier(record.url, front.sections)
    record.summary = " ".join(
        section_text(s) for s in sections_labelled(front.sections, "summary", "abstract")
    ).strip()
    record.credits = section_text(front.section("credits"))
    record.original_languages = list(
        dict.fromkeys(
            name
            for section in sections_labelled(
                front.sections, "original language", "original languages"
            )
            for item in section_items(section)
            for name in split_languages(item)
        )
    )
    record.contents = section_items(front.section("contents"))
    _read_title(record)

    body_lines = lines[front.body_start : front.body_end]
    record.body_line = front.body_start + 1
    record.body_text = "\n".join(body_lines)
    record.language, record.language_status = _text_language(record, record.body_text)
    units = make_units(body_lines, front.body_start + 1)
    kind = record.title_kind or "document"
    if not units:
        record.diagnostics.append(
            diagnostic(
                "R110",
                "the record has no document text after its front matter",
                line=min(front.body_start + 1, len(lines)),
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


def _last_text_line(lines: Sequence[str], front: FrontMatter) -> int:
    """The record's last line (1-based): its last non-blank line before the next record."""
    for k in range(front.end - 1, front.start - 1, -1):
        if lines[k].strip():
            return k + 1
    return front.start + 1


def _read_title(record: Record) -> None:
    """The kind the catalogue title names, and its parties where it has the archive's forms
    ("Cable, Mao Zedong to Joseph Stalin"; see :mod:`.title`)."""
    record.title_kind = title_kind(record.title) or ""
    parties = title_parties(record.title)
    if parties is not None:
        record.title_senders, record.title_addressees = parties


LANGUAGE_OF_SCRIPT = (("zh", P.CJK_RE), ("ru", re.compile(r"[\u0400-\u04ff]")))


def _text_language(record: Record, body: str) -> tuple[str, str]:
    """The language of the text given, and whether the record says it is the original.

    The language comes from ``Contents`` (``English Translation``, ``Chinese Transcription``)
    unless the script of the text says otherwise, else from the script (Latin: English). The
    status is ``translation`` or ``original`` only where the record states it: by ``Contents``,
    or by an ``Original Language`` that is or is not the text's (a text in the original's own
    language is never a translation, whatever ``Contents`` calls it); else it is left empty.
    """
    from ..languages import language_code

    by_script = ""
    letters = [c for c in body if c.isalpha()]
    if letters:
        for code, pattern in LANGUAGE_OF_SCRIPT:
            if len(pattern.findall(body)) > len(letters) / 2:
                by_script = code
    originals = {language_code(name) for name in record.original_languages} - {None}
    for item in record.contents:
        match = re.match(
            r"^(?P<lang>[A-Z][a-z]+)\s+(?P<what>Translation|Transcription|Transcript|Original)\b",
            item,
        )
        code = language_code(match.group("lang")) if match else None
        if code and (not by_script or by_script == code):
            if match.group("what") != "Translation":  # type: ignore[union-attr]
                return code, "original"
            if code not in originals:
                return code, "translation"
            # "English Translation" of a record whose original is English: the archive's label,
            # not a translation; with several original languages, which one is unstated
            return code, "original" if originals == {code} else ""
    given = by_script or "en"
    if originals:
        return given, "original" if given in originals else "translation"
    return given, ""


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
