"""Inline spans of the model as TEI phrase-level markup.

Editorial brackets and quotation marks are characters of the source: they stay as text around
the element that carries their meaning (``[<supplied>BEIJING</supplied>]``,
``"<q>…</q>"``), so the text of the TEI is the text of the source.
"""

from __future__ import annotations

import re
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
    plain_text,
)
from .build import TEI, E, add_text

NAME_ELEMENTS = {"person": "persName", "place": "placeName", "org": "orgName"}


def render_inlines(parent: etree._Element, spans: list[Inline], ctx: InlineContext) -> None:
    """Append ``spans`` to ``parent`` as text and TEI elements."""
    for span in spans:
        _render(parent, span, ctx)


class InlineContext:
    """What inline rendering needs from the document: the ids of the footnotes of each label,
    in order (the n-th reference to a label points at its n-th note, the last one after that),
    and the writer of a message quoted inside a sentence (``Quoted.letter``)."""

    def __init__(
        self,
        footnote_ids: dict[str, list[str]] | None = None,
        letter: Callable[[Letter], etree._Element] | None = None,
    ) -> None:
        self.footnote_ids = footnote_ids or {}
        self.letter = letter
        self._used: dict[str, int] = {}
        self.within: tuple[str, str] | None = None  # (label, id) of the note being written

    def footnote_target(self, label: str) -> str | None:
        if self.within is not None and self.within[0] == label:
            return self.within[1]  # a note's own label points at the note
        ids = self.footnote_ids.get(label)
        if not ids:
            return None
        n = self._used.get(label, 0)
        self._used[label] = n + 1
        return ids[min(n, len(ids) - 1)]


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
        parent.append(_bracketed(span, ctx, _inside_note(parent)))
        add_text(parent, span.close)
    elif isinstance(span, NoteRef):
        target = ctx.footnote_target(span.label)
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
        parent.append(_with(E(*_quotation(span)), span.children, ctx))
        add_text(parent, span.close)
    elif isinstance(span, Name):
        element = E(
            "rs" if span.description else NAME_ELEMENTS.get(span.kind, "name"),
            {
                "ref": f"#{span.ref}" if span.ref else None,
                "type": span.kind if span.description or span.kind not in NAME_ELEMENTS else None,
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
    elif isinstance(span, Choice) and not span.corr:  # the word a [sic] qualifies
        parent.append(_with(E("sic"), span.sic, ctx))
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


def _bracketed(span: Bracketed, ctx: InlineContext, in_note: bool) -> etree._Element:
    if span.kind == "gap":
        gap = E("gap", {"reason": span.reason})
        gap.append(_with(E("desc"), span.children, ctx))
        return gap
    if span.kind == "gloss":
        return _with(E("gloss"), span.children, ctx)
    if span.kind in ("sic", "note"):
        kind = "sic" if span.kind == "sic" else _note_type(span)
        if in_note:  # no note inside a note: the remark is a typed segment of it
            return _with(E("seg", {"type": kind}), span.children, ctx)
        return _with(E("note", {"type": kind, "place": "inline"}), span.children, ctx)
    return _with(E("supplied", {"reason": span.reason}), span.children, ctx)


_HANDWRITTEN_RE = re.compile(r"^\s*(?:handwritten|handwriting|in\s+(?:pencil|ink)|marginal)", re.I)


def _note_type(span: Bracketed) -> str:
    """``handwritten`` for a handwritten or marginal addition, else ``editorial``."""
    return "handwritten" if _HANDWRITTEN_RE.match(plain_text(span.children)) else "editorial"


def _inside_note(element: etree._Element) -> bool:
    """Is ``element`` a note or inside one (as far as the tree is built)?"""
    note = f"{{{TEI}}}note"
    return element.tag == note or any(a.tag == note for a in element.iterancestors())


#: a quoted term is short: at most this many words
TERM_WORDS = 4


def _quotation(span: Quoted) -> tuple[str, dict[str, str | None]]:
    """Quoted speech or text (``q``, with ``@who`` where known), or a quoted term: a word
    mentioned as such (``mentioned``: "G", a letter or sign) or a phrase the writer
    distances himself from or names (``soCalled``: "product.", "hundred-day battle")."""
    if span.who:
        return "q", {"who": f"#{span.who}"}
    text = plain_text(span.children).strip()
    words = text.rstrip(".,;:!?").split()
    if not words or len(words) > TERM_WORDS or any(c in text for c in "!?") or "\n" in text:
        return "q", {}
    if any(not isinstance(c, (Text, Name, Emph, Sup)) for c in span.children):
        return "q", {}
    if len(words) == 1 and len(words[0]) <= 2:
        return "mentioned", {}
    return "soCalled", {}
