"""The document as TEI ``text``: the outer letter as a ``div``, nested letters as ``floatingText``.

A nested letter that the source quotes is written inside the ``quote`` that carries it. Each
letter points at its own ``correspDesc`` with ``@decls``.
"""

from __future__ import annotations

from collections.abc import Sequence

from lxml import etree

from ...model import (
    ArchivalNote,
    Block,
    Division,
    Footnote,
    Heading,
    Inline,
    Letter,
    ListBlock,
    Paragraph,
    Part,
    Quotation,
    Record,
    Rule,
    Speech,
    Stamp,
    Text,
)
from .build import XML_ID, XML_LANG, E, add_text
from .ids import IdAllocator
from .inline import InlineContext, render_inlines

#: opener and closer part roles → element and attributes
PART_ELEMENTS: dict[str, tuple[str, dict[str, str]]] = {
    "salute": ("salute", {}),
    "dateline": ("dateline", {}),
    "signed": ("signed", {}),
    "addressee": ("seg", {"type": "addressee"}),
    "copies": ("seg", {"type": "copies"}),
    "sender": ("seg", {"type": "sender"}),
    "subject": ("seg", {"type": "subject"}),
    "number": ("seg", {"type": "number"}),
    "field": ("seg", {"type": "field"}),
    "note": ("note", {}),
}


def corresp_id(letter: Letter) -> str:
    """The ``xml:id`` of a letter's ``correspDesc``."""
    return f"cd-{letter.id}"


def footnote_id(label: str) -> str:
    return f"fn{label}"


class TextWriter:
    """Writes the ``text`` element of a record.

    ``ids`` is the document's identifier allocator: a footnote label given twice gets ``fn2``
    and ``fn2-2``, and the n-th reference ``[2]`` points at the n-th note ``[2]`` (the last one
    when there are more references than notes).
    """

    def __init__(self, record: Record, ids: IdAllocator | None = None) -> None:
        self.record = record
        self.ids = ids or IdAllocator()
        self.note_ids = [self.ids.take(footnote_id(f.label)) for f in record.footnotes]
        targets: dict[str, list[str]] = {}
        for note, ident in zip(record.footnotes, self.note_ids, strict=True):
            targets.setdefault(note.label, []).append(ident)
        self.inline = InlineContext(targets, letter=self.letter)

    def write(self) -> etree._Element:
        text = E("text", {"type": self.record.document.kind, XML_LANG: self.record.language})
        body = E("body")
        body.append(self.letter(self.record.document, outer=True))
        text.append(body)
        if self.record.footnotes:
            notes = E("div", {"type": "notes"})
            for note, ident in zip(self.record.footnotes, self.note_ids, strict=True):
                notes.append(self.footnote(note, ident))
            text.append(E("back", {}, notes))
        return text

    # -- letters ------------------------------------------------------------------------------

    def letter(self, letter: Letter, *, outer: bool = False) -> etree._Element:
        attrs = {"type": letter.kind, XML_ID: letter.id or None}
        if letter.is_correspondence:
            attrs["decls"] = f"#{corresp_id(letter)}"
        if outer:
            container = inner = E("div", attrs)
        else:
            inner = E("body")
            container = E("floatingText", attrs, inner)
        for block in letter.head:
            inner.append(self.block(block, place="top", top=True))
        if letter.opener:
            inner.append(self.parts("opener", letter.opener))
        has_common = False
        for block in letter.body:
            inner.append(self.block(block, top=not has_common))
            has_common = has_common or not isinstance(block, (ArchivalNote, Stamp, Rule))
        if not has_common:
            inner.append(E("p"))  # TEI needs a paragraph between opener and closer
        if letter.closer:
            inner.append(self.parts("closer", letter.closer))
        for block in letter.tail:
            inner.append(self.block(block, place="bottom"))
        return container

    def parts(self, tag: str, parts: list[Part]) -> etree._Element:
        element = E(tag)
        for k, part in enumerate(parts):
            name, attrs = PART_ELEMENTS.get(part.role, ("seg", {"type": part.role}))
            attrs = dict(attrs)
            if part.role == "note":
                attrs["type"] = part.label or "note"
            elif part.label and name == "seg":
                attrs["subtype"] = part.label
            if part.id:
                attrs[XML_ID] = part.id
            child = E(name, attrs)
            self.inlines(child, part.children)
            if k:
                add_text(element, " ")
            add_text(element, part.lead)
            element.append(child)
            add_text(element, part.trail)
        return element

    # -- blocks -------------------------------------------------------------------------------

    def block(self, block: Block, *, place: str | None = None, top: bool = False) -> etree._Element:
        if isinstance(block, Paragraph):
            return self._with(E("p", {XML_ID: block.id or None}), block.children)
        if isinstance(block, Heading):
            return self._with(E("head") if top else E("ab", {"type": "heading"}), block.children)
        if isinstance(block, ArchivalNote):
            note = E("note", {"type": block.kind, "place": place, XML_ID: block.id or None})
            self.inlines(note, block.children)
            note.extend(self.undivided(block.blocks))
            return note
        if isinstance(block, Division):
            return self.division(block)
        if isinstance(block, Stamp):
            return self.stamp(block, place)
        if isinstance(block, Rule):
            return E("milestone", {"unit": "section", "rend": "rule"})
        if isinstance(block, ListBlock):
            return self.list(block)
        if isinstance(block, Speech):
            return E(
                "sp",
                {},
                self._with(E("speaker"), block.speaker),
                self._with(E("p"), _lstrip(block.children)),
            )
        if isinstance(block, Quotation):
            return E("quote", {}, *self.undivided(block.blocks))
        if isinstance(block, Letter):
            letter = self.letter(block)
            return E("quote", {}, letter) if block.quoted else letter
        raise TypeError(f"unknown block {type(block).__name__}")  # pragma: no cover

    def stamp(self, block: Stamp, place: str | None) -> etree._Element:
        note = E("note", {"type": "stamp", "place": place})
        self.inlines(note, block.prefix)
        stamp = E("stamp")
        for k, line in enumerate(block.lines):
            if k:
                stamp.append(E("lb"))
            self.inlines(stamp, line)
        note.append(stamp)
        self.inlines(note, block.suffix)
        return note

    def undivided(self, blocks: Sequence[Block]) -> list[etree._Element]:
        """Blocks inside a ``quote`` or a ``note``, where TEI allows no ``div``: a section's
        head is a ``label`` there, its blocks follow it."""
        out: list[etree._Element] = []
        for inner in blocks:
            if isinstance(inner, Division):
                if inner.head:
                    out.append(self._with(E("label"), inner.head))
                out.extend(self.undivided(inner.blocks))
            else:
                out.append(self.block(inner))
        return out

    def division(self, block: Division) -> etree._Element:
        """A numbered section (``div type="section"``) or a dated journal entry (``entry``)."""
        element = E("div", {"type": block.kind, "n": block.n or None})
        if block.head:
            tag = "dateline" if block.head_kind == "dateline" else "head"
            element.append(self._with(E(tag), block.head))
        has_common = False
        for inner in block.blocks:
            element.append(self.block(inner, top=not has_common))
            has_common = has_common or not isinstance(inner, (ArchivalNote, Stamp, Rule))
        if not has_common and not any(isinstance(b, Division) for b in block.blocks):
            element.append(E("p"))
        return element

    def list(self, block: ListBlock, *, nested: bool = False) -> etree._Element:
        """A list: ordered (numbers in ``label``), bulleted, or a distribution list; inside an
        item (mixed content) spaces keep its parts apart."""
        rend = block.style if block.type == "ordered" else None
        element = E("list", {"type": block.type, "rend": rend})
        if block.head:
            element.append(self._with(E("head"), block.head))
        space = " " if nested else None
        labelled = all(item.label for item in block.items)
        for item in block.items:
            if labelled:
                label = E("label", {}, item.label)
                label.tail = space
                element.append(label)
            entry = self._with(E("item", {"n": item.n or None}), _lstrip(item.children))
            if item.label and not labelled:
                entry.text = item.label + (entry.text or "")
            for inner in item.blocks:
                add_text(entry, " ")
                child = (
                    self.list(inner, nested=True)
                    if isinstance(inner, ListBlock)
                    else self.block(inner)
                )
                entry.append(child)
            entry.tail = space
            element.append(entry)
        return element

    def footnote(self, note: Footnote, ident: str) -> etree._Element:
        self.inline.within = (note.label, ident)
        try:
            return self._with(
                E("note", {XML_ID: ident, "n": note.label, "type": "footnote"}),
                note.children,
            )
        finally:
            self.inline.within = None

    # -- inlines ------------------------------------------------------------------------------

    def inlines(self, parent: etree._Element, spans: list[Inline]) -> None:
        render_inlines(parent, spans, self.inline)

    def _with(self, element: etree._Element, spans: list[Inline]) -> etree._Element:
        self.inlines(element, spans)
        return element


def _lstrip(spans: list[Inline]) -> list[Inline]:
    if spans and isinstance(spans[0], Text):
        stripped = spans[0].text.lstrip()
        return ([Text(stripped)] if stripped else []) + spans[1:]
    return spans


def _rstrip(spans: list[Inline]) -> list[Inline]:
    if spans and isinstance(spans[-1], Text):
        stripped = spans[-1].text.rstrip()
        return spans[:-1] + ([Text(stripped)] if stripped else [])
    return spans
