"""Inline spans of the model as TEI phrase-level markup.

Editorial brackets and quotation marks are characters of the source: they stay as text around
the element that carries their meaning (``[<supplied>BEIJING</supplied>]``,
``"<q>…</q>"``), so the text of the TEI is the text of the source.
"""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from ...model import (
    Bracketed,
    Break,
    Choice,
    Emph,
    Inline,
    Letter,
    Name,
    NoteRef,
    Number,
    Quoted,
    RoleName,
    Sup,
    Text,
    When,
)
from .build import E, add_text

NAME_ELEMENTS = {"person": "persName", "place": "placeName", "org": "orgName"}


def render_inlines(parent: etree._Element, spans: list[Inline], ctx: InlineContext) -> None:
    """Append ``spans`` to ``parent`` as text and TEI elements."""
    for span in spans:
        _render(parent, span, ctx)


class InlineContext:
    """What inline rendering needs from the document: footnote ids, and the writer of a
    message quoted inside a sentence (``Quoted.letter``)."""

    def __init__(
        self,
        footnote_ids: dict[str, str] | None = None,
        letter: Callable[[Letter], etree._Element] | None = None,
    ) -> None:
        self.footnote_ids = footnote_ids or {}
        self.letter = letter


def _render(parent: etree._Element, span: Inline, ctx: InlineContext) -> None:
    if isinstance(span, Text):
        add_text(parent, span.text)
    elif isinstance(span, Break):
        attrs = {"break": "no"} if span.inword else {}
        parent.append(E("pb", attrs) if span.kind == "page" else E("lb", attrs))
    elif isinstance(span, Sup):
        parent.append(_with(E("hi", {"rend": "superscript"}), span.children, ctx))
    elif isinstance(span, Emph):
        parent.append(_with(E("hi", {"rend": span.rend}), span.children, ctx))
    elif isinstance(span, Bracketed):
        add_text(parent, span.open)
        parent.append(_bracketed(span, ctx))
        add_text(parent, span.close)
    elif isinstance(span, NoteRef):
        target = ctx.footnote_ids.get(span.label)
        add_text(parent, "[")
        parent.append(
            E("ref", {"type": "footnote", "target": f"#{target}" if target else None}, span.label)
        )
        add_text(parent, span.source[len(span.label) + 1 :] or "]")
    elif isinstance(span, Quoted) and span.letter is not None and ctx.letter is not None:
        add_text(parent, span.open)
        parent.append(E("quote", {}, ctx.letter(span.letter)))
        add_text(parent, span.close)
    elif isinstance(span, Quoted):
        add_text(parent, span.open)
        parent.append(
            _with(E("q", {"who": f"#{span.who}" if span.who else None}), span.children, ctx)
        )
        add_text(parent, span.close)
    elif isinstance(span, Name):
        element = E(
            NAME_ELEMENTS.get(span.kind, "name"),
            {
                "ref": f"#{span.ref}" if span.ref else None,
                "type": None if span.kind in NAME_ELEMENTS else span.kind,
                "role": span.role,
                "cert": span.cert,
            },
        )
        parent.append(_with(element, span.children, ctx))
    elif isinstance(span, RoleName):
        parent.append(_with(E("roleName", {"type": span.type}), span.children, ctx))
    elif isinstance(span, When):
        element = E(
            "time" if span.kind == "time" else "date",
            {
                "when": span.when,
                "from": span.from_,
                "to": span.to,
                "notBefore": span.not_before,
                "notAfter": span.not_after,
                "cert": span.cert,
                "evidence": span.evidence,
            },
        )
        parent.append(_with(element, span.children, ctx))
    elif isinstance(span, Choice):
        choice = E(
            "choice",
            {},
            _with(E("sic"), span.sic, ctx),
            _with(E("corr", {"type": span.reason}), span.corr, ctx),
        )
        parent.append(choice)
    elif isinstance(span, Number):
        parent.append(_with(E("idno", {"type": span.type}), span.children, ctx))
    else:  # pragma: no cover - the model is closed
        raise TypeError(f"unknown inline {type(span).__name__}")


def _with(element: etree._Element, spans: list[Inline], ctx: InlineContext) -> etree._Element:
    render_inlines(element, spans, ctx)
    return element


def _bracketed(span: Bracketed, ctx: InlineContext) -> etree._Element:
    if span.kind == "gap":
        gap = E("gap", {"reason": span.reason})
        gap.append(_with(E("desc"), span.children, ctx))
        return gap
    if span.kind == "gloss":
        return _with(E("gloss"), span.children, ctx)
    if span.kind == "sic":
        return _with(E("note", {"type": "sic", "place": "inline"}), span.children, ctx)
    if span.kind == "note":
        return _with(E("note", {"type": "editorial", "place": "inline"}), span.children, ctx)
    return _with(E("supplied", {"reason": span.reason}), span.children, ctx)
