"""Find spans of text in the model's inline lists and wrap them in new nodes.

Recognisers (names, dates) see an inline list as one string, the *stream*: the characters of its
:class:`~tei_cable.model.Text` nodes, plus the characters of a few whole nodes a match may cover
(a superscript, text an editor supplied in brackets), and one separator character for every other
node, which no match crosses. A match is wrapped by splitting the ``Text`` nodes at its ends and
moving the nodes it covers into the new node; no character is added, removed or reordered.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import pairwise

from ..model import (
    Bracketed,
    Break,
    Choice,
    Emph,
    Inline,
    Quoted,
    Sup,
    Text,
    plain_text,
)

#: stands in the stream for a node no match crosses
SEP = "\x00"
#: stands in the stream for an editorial gap (``[signature]``): rules may look across it
GAP = "\x01"

#: decides what a non-Text node contributes to the stream: its text (the node is then covered
#: whole or not at all by a match), or SEP / GAP
Atomic = Callable[[Inline], str]


def default_atomic(node: Inline) -> str:
    """Superscripts, supplied text and a reading marked [sic] count as text; line breaks as
    a space (not between lines that stand apart, as a signature's); gaps as GAP."""
    if isinstance(node, Sup):
        return plain_text(node.children)
    if isinstance(node, Break):
        return " " if node.kind == "line" and not node.separate else SEP
    if isinstance(node, Choice) and not node.corr:  # a reading kept as written ([sic])
        return plain_text(node.sic)
    if isinstance(node, Bracketed):
        if node.kind == "gap":
            return GAP
        if node.kind == "supplied" and all(isinstance(c, Text) for c in node.children):
            return plain_text(node.children)
    return SEP


@dataclass(frozen=True, slots=True)
class Piece:
    """Where one node of the inline list sits in the stream."""

    index: int
    start: int
    end: int
    splittable: bool  # a Text node: a match may begin or end inside it


class Stream:
    """An inline list seen as one string (see the module docstring)."""

    def __init__(self, inlines: list[Inline], atomic: Atomic = default_atomic) -> None:
        self.inlines = inlines
        parts: list[str] = []
        self.pieces: list[Piece] = []
        pos = 0
        for index, node in enumerate(inlines):
            if isinstance(node, Text):
                chunk, splittable = node.text, True
            else:
                chunk, splittable = atomic(node), False
                if not chunk:
                    chunk = SEP
            parts.append(chunk)
            self.pieces.append(Piece(index, pos, pos + len(chunk), splittable))
            pos += len(chunk)
        self.text = "".join(parts)
        self._starts = [piece.start for piece in self.pieces]

    def piece_at(self, pos: int) -> Piece | None:
        """The piece that holds the character at ``pos`` (found by bisection: a paragraph of
        thousands of nodes costs no scan per match)."""
        k = bisect.bisect_right(self._starts, pos) - 1
        if k >= 0 and self.pieces[k].start <= pos < self.pieces[k].end:
            return self.pieces[k]
        return None

    def can_wrap(self, start: int, end: int) -> bool:
        """True if ``[start, end)`` begins and ends at node edges or inside Text nodes and
        covers no separator."""
        if start >= end or SEP in self.text[start:end] or GAP in self.text[start:end]:
            return False
        return self._edge_ok(start) and self._edge_ok(end)

    def _edge_ok(self, pos: int) -> bool:
        piece = self.piece_at(pos)
        return piece is None or piece.start == pos or piece.splittable

    def wrap(self, spans: list[tuple[int, int, Callable[[list[Inline]], Inline]]]) -> list[Inline]:
        """A new inline list with each ``(start, end, make)`` span replaced by ``make(nodes)``.

        Spans that fail :meth:`can_wrap` or overlap an earlier one are ignored.
        """
        kept: list[tuple[int, int, Callable[[list[Inline]], Inline]]] = []
        for span in sorted(spans, key=lambda s: (s[0], -s[1])):
            if self.can_wrap(span[0], span[1]) and (not kept or span[0] >= kept[-1][1]):
                kept.append(span)
        cuts = sorted({pos for span in kept for pos in span[:2]})
        units: list[tuple[int, int, Inline]] = []
        for piece in self.pieces:
            node = self.inlines[piece.index]
            if not piece.splittable:
                units.append((piece.start, piece.end, node))
                continue
            text = node.text  # type: ignore[union-attr]
            first = bisect.bisect_right(cuts, piece.start)
            last = bisect.bisect_left(cuts, piece.end)
            bounds = [piece.start, *cuts[first:last], piece.end]
            if len(bounds) == 2:
                units.append((piece.start, piece.end, node))
                continue
            for a, b in pairwise(bounds):
                units.append((a, b, Text(text[a - piece.start : b - piece.start])))
        out: list[Inline] = []
        spans_left = iter(kept)
        span = next(spans_left, None)
        inside: list[Inline] = []
        for start, end, node in units:
            while span is not None and start >= span[1]:
                out.append(span[2](inside))
                inside = []
                span = next(spans_left, None)
            if span is not None and span[0] <= start and end <= span[1] and start < span[1]:
                inside.append(node)
            else:
                out.append(node)
        while span is not None:
            out.append(span[2](inside))
            inside = []
            span = next(spans_left, None)
        return out


def nested_lists(node: Inline) -> Iterator[list[Inline]]:
    """The inline lists inside ``node`` that recognisers look into (quotations, emphasis,
    editorial brackets other than gaps); not names, dates, numbers or corrections."""
    if isinstance(node, (Quoted, Emph)) or (isinstance(node, Bracketed) and node.kind != "gap"):
        yield node.children


def rewrite(inlines: list[Inline], visit: Callable[[list[Inline]], list[Inline]]) -> None:
    """Apply ``visit`` to every nested list (innermost first), then to ``inlines``, in place."""
    for node in inlines:
        for children in nested_lists(node):
            rewrite(children, visit)
    inlines[:] = visit(inlines)
