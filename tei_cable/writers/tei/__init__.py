"""The TEI P5 writer: the document model as a TEI document.

:func:`write_tei` returns an lxml tree: ``teiHeader`` (file, source, encoding, one
``correspDesc`` per letter), a ``standOff`` with the entities the text refers to (when a
registry is given: its entries, and the document's own entries for names it does not know), and
``text``.
"""

from __future__ import annotations

from lxml import etree

from ...entities.document import DocumentEntities
from ...model import Name, Quoted, Record, inline_children, letter_inlines
from .build import TEI, E
from .header import HeaderOptions, HeaderWriter
from .ids import IdAllocator, make_ids_unique
from .text import TextWriter

__all__ = ["TEI", "HeaderOptions", "write_tei"]


def write_tei(
    record: Record, *, registry: object = None, options: HeaderOptions | None = None
) -> etree._ElementTree:
    """Write ``record`` as a TEI document (letters must have ids: run the ids enricher).

    Every ``xml:id`` of the result is unique, whatever the record holds (:mod:`.ids`)."""
    root = E("TEI")
    entities = DocumentEntities(registry, record.entities) if registry is not None else None
    root.append(HeaderWriter(record, options or HeaderOptions(), entities).write())
    refs = referenced_ids(record)
    if refs and entities is not None:
        lists = entities.to_tei(sorted(refs))
        if lists:
            root.append(E("standOff", {}, *lists))
    root.append(TextWriter(record, IdAllocator.of(root)).write())
    make_ids_unique(root)
    return root.getroottree()


def referenced_ids(record: Record) -> set[str]:
    """Registry ids the record points at, in its text and its correspondence metadata."""
    found: set[str] = set()

    def visit(spans: list) -> None:
        for span in spans:
            if isinstance(span, Name) and span.ref:
                found.add(span.ref)
            elif isinstance(span, Quoted) and span.who:
                found.add(span.who)
            for children in inline_children(span):
                visit(children)

    for letter in record.letters():
        for spans in letter_inlines(letter):
            visit(spans)
        c = letter.corresp
        found.update(r for r in (*c.senders, *c.addressees, *c.copies) if r)
        found.update(p for p in (c.sent_place, c.received_place) if p)
    for note in record.footnotes:
        visit(note.children)
    return found
