"""Correspondence metadata: who sent each letter to whom, from where and when (``Letter.corresp``).

Read from what the entity and date enrichers marked, by position:

- **senders**: names in the signature (closer ``signed``) and in a ``FROM``/``Sender:`` field;
  for the record's outer document without either, the names the catalogue title gives;
- **addressees**: persons in the addressee line (``To Cde. MAO ZEDONG``), else in the
  salutation (``Dear Comrade Stalin!``), else organisations in the addressee line (``To the
  Central Committee``); for the outer document without any, the catalogue title's;
- **copy recipients**: names in a ``Copies to …`` line. The TEI writer encodes them as a second
  ``correspAction type="received"`` with ``subtype="cc"``, which the CMIF export reads;
- **place sent from**: a place in the dateline or the ``FROM`` field, else after "from" in the
  transmission note of the apparatus (``from [BEIJING] received …``); **place received**: a
  place in the ``TO`` field;
- **date sent**: the date of the dateline (closer first, then opener), else a date after "sent"
  or "dispatched" in the apparatus; **date received**: a date after "received" there.

Each name keeps its registry id (``""`` when unresolved) and its surface form, in parallel lists,
and its ``Name.role`` is set to ``sender``, ``addressee`` or ``copy``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..model import (
    ArchivalNote,
    Correspondence,
    Inline,
    Letter,
    Name,
    Part,
    Record,
    Text,
    When,
    inline_children,
    plain_text,
)
from . import EnrichContext, FunctionEnricher

_RECEIVED_RE = re.compile(r"\b(?:received|Received|RECEIVED|arrived|Incoming)\b")
_SENT_RE = re.compile(r"\b(?:sent|Sent|SENT|dispatched|Dispatched|transmitted|Transmitted)\b")
_FROM_RE = re.compile(r"\b(?:from|From|FROM)\s*\[?\s*$")


def fill_correspondence(record: Record, context: EnrichContext | None = None) -> None:
    """Fill ``corresp`` of every letter of ``record`` from its marked names and dates."""
    registry = getattr(context, "registry", None)
    for letter in record.letters():
        corresp = _letter(letter)
        if letter is record.document:
            _from_title(corresp, record, registry)
        letter.corresp = corresp
    _not_after_quoting(record.document, context)


def _not_after_quoting(letter: Letter, context: EnrichContext | None) -> None:
    """A quoted letter dated after the letter quoting it: the source contradicts itself, and
    which date is wrong cannot be known. The date stays in the letter's text as read; its
    ``correspDesc`` keeps the dateline's words but not a value (``E130``)."""
    c = letter.corresp
    theirs = [
        v
        for w in (c.sent_when, c.received_when)
        if w is not None
        for v in (w.when, w.not_after, w.to)
        if v
    ]
    latest = max(theirs) if theirs else None
    for child in letter.nested():
        when = child.corresp.sent_when
        mine = (
            next((v for v in (when.when, when.not_before, when.from_) if v), None) if when else None
        )
        if mine and latest:
            n = min(len(mine), len(latest))
            if mine[:n] > latest[:n]:
                child.corresp.sent_when = None
                if context is not None:
                    context.report(
                        "E130",
                        f"a quoted letter is dated {mine}, after the letter quoting it "
                        f"({latest}): the date stays in its text, its correspDesc gives the "
                        "dateline's words without a value",
                        line=child.line or None,
                    )
        _not_after_quoting(child, context)


#: the enricher, for :func:`tei_cable.enrich.run_enrichers`
ENRICHER = FunctionEnricher("correspondence", 500, fill_correspondence)


def _letter(letter: Letter) -> Correspondence:
    c = Correspondence()
    signed = [p for p in letter.closer if p.role == "signed"]
    sender_fields = [p for p in letter.opener if p.role == "sender"]
    for name in _names_in(*signed, *sender_fields, kinds=("person", "org")):
        _add(name, "sender", c.senders, c.sender_names)
    addressed = [p for p in letter.opener if p.role == "addressee"]
    salutes = [p for p in letter.opener if p.role == "salute"]
    names = (
        list(_names_in(*addressed, kinds=("person",)))
        or list(_names_in(*salutes, kinds=("person",)))
        or list(_names_in(*addressed, kinds=("org",)))
    )
    for name in names:
        _add(name, "addressee", c.addressees, c.addressee_names)
    copies = [p for p in letter.opener if p.role == "copies"]
    for name in _names_in(*copies, kinds=("person", "org")):
        _add(name, "copy", c.copies, c.copy_names)
    datelines = [p for p in (*letter.closer, *letter.opener) if p.role == "dateline"]
    c.sent_place = next(
        (n.ref for n in _names_in(*datelines, *sender_fields, kinds=("place",)) if n.ref), None
    )
    c.received_place = next((n.ref for n in _names_in(*addressed, kinds=("place",)) if n.ref), None)
    c.sent_when = next((w for p in datelines for w in _whens(p.children) if _dated(w)), None)
    for note in _apparatus(letter):
        _transmission(note.children, c)
    return c


def _add(name: Name, role: str, ids: list[str], surfaces: list[str]) -> None:
    name.role = role
    surface = " ".join(plain_text(name.children).split())
    key = name.ref or ""
    if any(i == key and (key or s == surface) for i, s in zip(ids, surfaces, strict=True)):
        return  # the same entity named twice in one position
    ids.append(key)
    surfaces.append(surface)


def _names_in(*parts: Part, kinds: tuple[str, ...]) -> Iterator[Name]:
    for part in parts:
        yield from _names(part.children, kinds)


def _names(spans: list[Inline], kinds: tuple[str, ...]) -> Iterator[Name]:
    for span in spans:
        if isinstance(span, Name):
            if span.kind in kinds:
                yield span
            continue
        for children in inline_children(span):
            yield from _names(children, kinds)


def _whens(spans: list[Inline]) -> Iterator[When]:
    for span in spans:
        if isinstance(span, When):
            yield span
            continue
        for children in inline_children(span):
            yield from _whens(children)


def _dated(when: When) -> bool:
    return any((when.when, when.from_, when.not_before, when.not_after))


def _apparatus(letter: Letter) -> Iterator[ArchivalNote]:
    for block in (*letter.head, *letter.tail):
        if isinstance(block, ArchivalNote) and block.kind == "transmission":
            yield block


def _transmission(spans: list[Inline], c: Correspondence) -> None:
    """ "from [BEIJING] received 1750 11 July 1951": the place after "from", the date after
    "received" (or "sent"), in one pass over the note's top-level spans."""
    before = ""
    for span in _flat(spans):
        if isinstance(span, Text):
            before += span.text
            continue
        if isinstance(span, Name) and span.kind == "place" and span.ref:
            if _FROM_RE.search(before) and c.sent_place is None:
                c.sent_place = span.ref
            elif c.received_place is None and re.search(r"\b(?:to|To|TO)\s*\[?\s*$", before):
                c.received_place = span.ref
        elif isinstance(span, When) and _dated(span):
            tail = before[-40:]
            if _RECEIVED_RE.search(tail) and c.received_when is None:
                c.received_when = span
            elif _SENT_RE.search(tail) and c.sent_when is None:
                c.sent_when = span
        before += plain_text([span])


def _flat(spans: list[Inline]) -> Iterator[Inline]:
    """Spans in order, looking into brackets (``[BEIJING]``) but not into names or dates."""
    for span in spans:
        if isinstance(span, (Name, When, Text)):
            yield span
        else:
            children = inline_children(span)
            opening = getattr(span, "open", "")
            if opening:
                yield Text(opening)
            for inner in children:
                yield from _flat(inner)
            closing = getattr(span, "close", "")
            if closing:
                yield Text(closing)


def _from_title(c: Correspondence, record: Record, registry: object) -> None:
    """The outer document without signature or addressee line: take the catalogue title's."""
    lookup = getattr(registry, "lookup", None)
    for names, ids, surfaces in (
        (record.title_senders, c.senders, c.sender_names),
        (record.title_addressees, c.addressees, c.addressee_names),
    ):
        if ids or not names:
            continue
        for name in names:
            found = [e for e in (lookup(name) if lookup else []) if e.kind != "place"]
            ids.append(found[0].id if found else "")
            surfaces.append(name)
