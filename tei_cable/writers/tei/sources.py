"""The ``sourceDesc`` of a record: the archival original, the archive's citation, the sources.

A citation is written as its own text with the parts the reader found marked inside it
(``title``, ``date``, the archive as ``publisher``; a published edition as a ``bibl`` with
``editor``, ``title``, ``pubPlace``, ``publisher``, ``date``, ``biblScope``; the translation's
source as a ``bibl`` of its own; ``respStmt`` for "Translated by …"), so not a character
changes. An archival reference also gives the original's ``msDesc``: its ``msIdentifier``
(country and settlement where the reference states them, repository, collection, shelfmark),
the original's language and how it was acquired. A published edition is never an archive.
"""

from __future__ import annotations

from lxml import etree

from ...readers.wilson.citation import Citation, Span, parse_citation, parse_source
from .build import E, add_text

#: ``msIdentifier`` children in the order TEI requires them
IDENTIFIER_ORDER = ("country", "settlement", "repository", "collection", "idno")
ACQUISITION_ROLES = ("obtained", "donated", "provided", "contributed")


def marked(
    element: etree._Element,
    text: str,
    spans: list[Span] | tuple[Span, ...],
    start: int,
    end: int,
    date_iso=None,
) -> etree._Element:
    """Append ``text[start:end]`` to ``element`` with each span as an element around its text."""
    position = start
    for span in sorted(spans, key=lambda s: s.start):
        if span.start < position or span.end > end:
            continue
        add_text(element, text[position : span.start])
        attrs = dict(span.attrs)
        if span.kind == "date" and date_iso is not None:
            attrs.setdefault("when", date_iso(text[span.start : span.end]))
        child = E(span.kind, attrs)
        marked(child, text, span.children, span.start, span.end, date_iso)
        element.append(child)
        position = span.end
    add_text(element, text[position:end])
    return element


def citation_bibl(citation: Citation, kind: str, date_iso=None) -> etree._Element:
    """``bibl`` of ``type`` ``kind`` holding the citation's text, its parts marked."""
    return marked(
        E("bibl", {"type": kind}), citation.text, citation.spans, 0, len(citation.text), date_iso
    )


def identifier_parts(citation: Citation) -> list[etree._Element]:
    """The ``msIdentifier`` children of the citation's first archival reference that names
    its repository (TEI asks an identifier to say where the original is)."""
    for reference in citation.archival():
        parts = [p for p in reference.parts if p.kind in IDENTIFIER_ORDER]
        if not any(p.kind == "repository" for p in parts):
            continue
        parts.sort(key=lambda p: IDENTIFIER_ORDER.index(p.kind))
        return [E(p.kind, dict(p.attrs), citation.text[p.start : p.end]) for p in parts]
    return []


def acquisition(citation: Citation) -> str:
    """The citation's sentences on how the original was acquired (``Obtained by …``)."""
    sentences = []
    for span in citation.spans:
        if span.kind == "respStmt":
            sentence = citation.text[span.start : span.end]
            if sentence.split()[0].lower() in ACQUISITION_ROLES:
                end = span.end + 1 if citation.text[span.end : span.end + 1] == "." else span.end
                sentences.append(citation.text[span.start : end])
    return " ".join(sentences)


__all__ = [
    "Citation",
    "acquisition",
    "citation_bibl",
    "identifier_parts",
    "marked",
    "parse_citation",
    "parse_source",
]
