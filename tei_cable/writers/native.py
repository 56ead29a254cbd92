"""A plain-text dump of the document model, for reading it and for reader tests.

Like pandoc's native format: one line per block, inline spans in ``⟨kind|…⟩`` brackets. Reader
tests compare this dump, so they do not depend on the TEI writer.
"""

from __future__ import annotations

from ..model import (
    ArchivalNote,
    Block,
    Bracketed,
    Break,
    Choice,
    Division,
    Emph,
    Heading,
    Inline,
    Letter,
    ListBlock,
    Name,
    NoteRef,
    Number,
    Paragraph,
    Part,
    Quotation,
    Quoted,
    Record,
    RoleName,
    Rule,
    Speech,
    Stamp,
    Sup,
    Text,
    When,
)


def write_native(record: Record) -> str:
    """The model of ``record`` as indented text, one line per block."""
    out: list[str] = ["Record"]
    for name in ("title", "date", "url", "identifier", "title_kind", "language"):
        value = getattr(record, name)
        if value:
            out.append(f"  {name}: {value}")
    for name in ("title_senders", "title_addressees", "original_languages", "contents"):
        value = getattr(record, name)
        if value:
            out.append(f"  {name}: {' | '.join(value)}")
    for section in record.sections:
        out.append(f"  section {section.label}: {' / '.join(section.lines)}")
    _letter(record.document, 1, out)
    for note in record.footnotes:
        out.append(f"  Footnote {note.label}: {inlines(note.children)}")
    return "\n".join(out) + "\n"


def _letter(letter: Letter, depth: int, out: list[str]) -> None:
    pad = "  " * depth
    quoted = " quoted" if letter.quoted else ""
    out.append(f"{pad}Letter {letter.kind} {letter.id or '-'}{quoted}")
    for block in letter.head:
        _block(block, depth + 1, out, "head ")
    for part in letter.opener:
        out.append(f"{pad}  opener {_part(part)}")
    for block in letter.body:
        _block(block, depth + 1, out)
    for part in letter.closer:
        out.append(f"{pad}  closer {_part(part)}")
    for block in letter.tail:
        _block(block, depth + 1, out, "tail ")


def _part(part: Part) -> str:
    label = f" [{part.label}]" if part.label else ""
    if part.id:
        label += f" #{part.id}"
    lead = f" lead={part.lead!r}" if part.lead else ""
    trail = f" trail={part.trail!r}" if part.trail else ""
    return f"{part.role}{label}:{lead}{trail} {inlines(part.children)}"


def _block(block: Block, depth: int, out: list[str], where: str = "") -> None:
    pad = "  " * depth
    if isinstance(block, Letter):
        _letter(block, depth, out)
    elif isinstance(block, Paragraph):
        out.append(f"{pad}{where}Para: {inlines(block.children)}")
    elif isinstance(block, Heading):
        out.append(f"{pad}{where}Heading: {inlines(block.children)}")
    elif isinstance(block, ArchivalNote):
        out.append(f"{pad}{where}Note {block.kind}: {inlines(block.children)}")
        for inner in block.blocks:
            _block(inner, depth + 1, out)
    elif isinstance(block, Division):
        n = f" {block.n}" if block.n else ""
        out.append(f"{pad}{where}Division {block.kind}{n} {block.head_kind}: {inlines(block.head)}")
        for inner in block.blocks:
            _block(inner, depth + 1, out)
    elif isinstance(block, Stamp):
        lines = " ⏎ ".join(inlines(line) for line in block.lines)
        out.append(f"{pad}{where}Stamp: {inlines(block.prefix)}{lines}{inlines(block.suffix)}")
    elif isinstance(block, Rule):
        out.append(f"{pad}{where}Rule")
    elif isinstance(block, Speech):
        out.append(f"{pad}{where}Speech {inlines(block.speaker)}: {inlines(block.children)}")
    elif isinstance(block, Quotation):
        out.append(f"{pad}{where}Quotation")
        for inner in block.blocks:
            _block(inner, depth + 1, out)
    elif isinstance(block, ListBlock):
        style = block.style if block.type == "ordered" else block.type
        head = f": {inlines(block.head)}" if block.head else ""
        out.append(f"{pad}{where}List {style}{head}")
        for item in block.items:
            out.append(f"{pad}  {item.label} (n={item.n}) {inlines(item.children)}")
            for inner in item.blocks:
                _block(inner, depth + 2, out)


def inlines(spans: list[Inline]) -> str:
    """Inline spans as text with ``⟨kind|…⟩`` marks."""
    return "".join(_inline(span) for span in spans)


def _inline(span: Inline) -> str:
    if isinstance(span, Text):
        return span.text
    if isinstance(span, Break):
        inword = " inword" if span.inword else ""
        return f"⟨{'pb' if span.kind == 'page' else 'lb'}{inword}⟩"
    if isinstance(span, Sup):
        return f"⟨sup|{inlines(span.children)}⟩"
    if isinstance(span, Emph):
        return f"⟨hi {span.rend}|{inlines(span.children)}⟩"
    if isinstance(span, Bracketed):
        reason = f" {span.reason}" if span.reason else ""
        return f"{span.open}⟨{span.kind}{reason}|{inlines(span.children)}⟩{span.close}"
    if isinstance(span, NoteRef):
        return f"⟨noteref {span.label}|{span.source}⟩"
    if isinstance(span, Quoted) and span.letter is not None:
        lines: list[str] = []
        _letter(span.letter, 0, lines)
        return f"{span.open}⟨letter|{' ⏎ '.join(line.strip() for line in lines)}⟩{span.close}"
    if isinstance(span, Quoted):
        return f"{span.open}⟨q|{inlines(span.children)}⟩{span.close}"
    if isinstance(span, Name):
        ref = f"#{span.ref}" if span.ref else ""
        return f"⟨{span.kind}{ref}|{inlines(span.children)}⟩"
    if isinstance(span, RoleName):
        return f"⟨role|{inlines(span.children)}⟩"
    if isinstance(span, When):
        attrs = " ".join(
            f"{k}={v}"
            for k, v in (
                ("when", span.when),
                ("from", span.from_),
                ("to", span.to),
                ("notBefore", span.not_before),
                ("notAfter", span.not_after),
                ("cert", span.cert),
            )
            if v
        )
        return f"⟨{span.kind} {attrs}|{inlines(span.children)}⟩"
    if isinstance(span, Choice):
        return f"⟨choice|{inlines(span.sic)}|{inlines(span.corr)}⟩"
    if isinstance(span, Number):
        return f"⟨idno {span.type}|{inlines(span.children)}⟩"
    raise TypeError(f"unknown inline {type(span).__name__}")  # pragma: no cover
