"""The foot of a letter: its closer (valediction, signature, date, number, an address at the
foot) and the archival apparatus after it (copies, distribution lists, typist and verifier,
stamps), read from the end backwards.

A signature may take several lines: an office above it, ``[signature]``, the name in
parentheses, a title or a bracketed description under it (``USSR AMBASSADOR IN THE DPRK`` /
``[signature]`` / ``(A. PUZANOV)``; ``Jarck`` / ``Acting Ambassador``); they make one
``signed``. A distribution list (``CC:`` / ``2x Far Eastern Department`` / ``1x Embassy``,
``1 - Cde. A. A. Gromyko`` …, ``Seen by`` / ``Comrade Bényei``) is a note holding a list.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ...model import ArchivalNote, Block, Break, ListBlock, ListItem, Part, Rule
from . import patterns as P
from . import shapes
from .units import Unit, joined_lines, looks_like_prose

if TYPE_CHECKING:
    from .structure import Frame, LetterBuilder

#: notes that only follow a document
TAIL_NOTES = frozenset(
    {"distribution", "copy", "deciphered", "ciphered", "printed", "verified", "registration"}
)
#: a distribution label with nothing after it: its names follow on the next lines
ROUTING_LABEL_RE = re.compile(
    r"^(?:CC|Cc|cc|Copies(?:\s+to)?|Distribution|Distributed\s+to|To\s+be\s+seen\s+by|Seen\s+by|"
    r"Seen|Sent\s+to)\s*:?\s*$"
)
#: a one-word signature ending in a full stop ("Terebin."), known only by the date under it
ONE_NAME_RE = re.compile(r"^[A-Z\u00c0-\u00de\u0400-\u042f][\w’'\-]+\.$")
#: a continuation of the note before it: "at 0230 2 September"
CONTINUATION_RE = re.compile(r"^(?:at|on)\s+\d")


def _tentative(text: str) -> bool:
    """A unit that follows apparatus as readily as a signature: a number, a date, a time."""
    text = text.strip()
    return bool(
        shapes.is_number_line(text)
        or shapes.is_dateline(text)
        or shapes.SHORT_DATE_RE.match(text)
        or CONTINUATION_RE.match(text)
        or shapes.note_kind(text) == "number"
    )


def _definite(unit: Unit) -> bool:
    text = unit.text
    return bool(
        shapes.note_kind(text) in TAIL_NOTES
        or shapes.note_kind(unit.lines[0]) in TAIL_NOTES  # a routing label and its names
        or shapes.is_stamp(text)
        or P.DISTRIBUTION_ITEM_RE.match(text.strip())
    )


def group_routing(items: list[Unit | Frame]) -> list[Unit | Frame]:
    """A routing label alone on its line ("Seen by") takes the names under it."""
    out: list[Unit | Frame] = []
    i = 0
    while i < len(items):
        item = items[i]
        if isinstance(item, Unit) and ROUTING_LABEL_RE.match(item.text.strip()):
            j = i + 1
            while j < len(items) and j - i <= 12:
                nxt = items[j]
                if not isinstance(nxt, Unit) or len(nxt.lines) > 1:
                    break
                text = nxt.text.strip()
                if ROUTING_LABEL_RE.match(text) or shapes.note_kind(text) or len(text.split()) > 8:
                    break
                if not shapes.name_like(text) and not P.DISTRIBUTION_ITEM_RE.match(text):
                    break
                j += 1
            if j > i + 1:
                run = items[i:j]
                assert all(isinstance(nxt, Unit) for nxt in run)
                out.append(joined_lines(run))  # type: ignore[arg-type]
                i = j
                continue
        out.append(item)
        i += 1
    return out


def tail_start(items: list[Unit | Frame]) -> int | None:
    """Where the apparatus after the closer begins, reading back from the end."""
    k = len(items)
    earliest = None
    while k > 0 and isinstance(items[k - 1], Unit):
        unit = items[k - 1]
        assert isinstance(unit, Unit)
        if _definite(unit):
            earliest = k - 1
        elif not _tentative(unit.text):
            break
        k -= 1
    if earliest is not None:
        return earliest
    # numbers with no date after prose ("To # 0890" / "to 0247 -INA"): references, not a closer
    if k < len(items) and (k == 0 or closer_line(items[k - 1]) is None):
        run = [u.text for u in items[k:] if isinstance(u, Unit)]
        if run and not any(shapes.is_dateline(t) or shapes.SHORT_DATE_RE.match(t) for t in run):
            return k
    return None


def closer_line(item: Unit | Frame) -> str | None:
    return shapes.closer_kind(item.text) if isinstance(item, Unit) else None


def take_tail(
    builder: LetterBuilder, items: list[Unit | Frame]
) -> tuple[list[Unit | Frame], list[Block]]:
    """The apparatus after the closer: notes, stamps, distribution lists, a rule and what
    follows it."""
    items = group_routing(items)
    rule_at = next(
        (
            k
            for k in range(len(items) - 1, -1, -1)
            if isinstance(items[k], Unit) and builder.is_rule(items[k])  # type: ignore[arg-type]
        ),
        None,
    )
    start = None
    if rule_at is not None:
        after = items[rule_at + 1 :]
        if all(isinstance(u, Unit) for u in after) and sum(
            1
            for u in after
            if _tail_like(u)  # type: ignore[arg-type]
        ) * 2 >= len(after):
            start = rule_at
    if start is None:
        start = tail_start(items)
    if start is None:
        return items, []
    tail: list[Block] = []
    for unit in items[start:]:
        assert isinstance(unit, Unit)
        tail_block(builder, unit, tail)
    return items[:start], tail


def _tail_like(unit: Unit) -> bool:

    text = unit.text
    return bool(
        shapes.note_kind(text)
        or shapes.is_dateline(text)
        or shapes.is_number_line(text)
        or not looks_like_prose(text)
    )


def tail_block(builder: LetterBuilder, unit: Unit, tail: list[Block]) -> None:
    """Add one unit of the apparatus to ``tail``: a note, a stamp, a list, or a line that
    continues the note before it."""
    text = unit.text.strip()
    if builder.is_rule(unit):
        tail.append(Rule(text, unit.line))
        return
    if shapes.is_stamp(text):
        tail.append(builder.stamp(unit))
        return
    previous = tail[-1] if tail else None
    item = P.DISTRIBUTION_ITEM_RE.match(text)
    if item and len(unit.lines) == 1:
        entry = _list_item(builder, unit, 0, item.group("label"))
        last_list = _open_list(previous)
        if last_list is not None and all(i.label for i in last_list.items):
            last_list.items.append(entry)
        else:
            tail.append(
                ArchivalNote(
                    "distribution",
                    [],
                    unit.line,
                    blocks=[ListBlock([entry], "", unit.line, "distribution")],
                )
            )
        return
    kind = shapes.note_kind(text)
    if kind is None and len(unit.lines) > 1:
        kind = shapes.note_kind(unit.lines[0])  # "Seen by" / "Comrade Bényei"
    if (
        kind == "distribution"
        and len(unit.lines) > 1
        and ROUTING_LABEL_RE.match(unit.lines[0].strip())
    ):
        head = builder.inlines(Unit([unit.lines[0].strip()], [unit.numbers[0]]), quotes=False)
        entries = []
        for k in range(1, len(unit.lines)):
            line = unit.lines[k].strip()
            match = P.DISTRIBUTION_ITEM_RE.match(line)
            entries.append(_list_item(builder, unit, k, match.group("label") if match else ""))
        listing = ListBlock(entries, "", unit.line, "distribution", head)
        tail.append(ArchivalNote("distribution", [], unit.line, blocks=[listing]))
        return
    children = builder.inlines(unit, quotes=False)
    if (
        kind is None
        and isinstance(previous, ArchivalNote)
        and not previous.blocks
        and (
            shapes.is_dateline(text)
            or shapes.DATE_ONLY_RE.match(text)
            or CONTINUATION_RE.match(text)
        )
    ):
        previous.children.extend([Break("line", separate=True), *children])
        return
    tail.append(ArchivalNote(kind or "note", children, unit.line))


def _open_list(block: Block | None) -> ListBlock | None:
    if isinstance(block, ArchivalNote) and block.kind == "distribution" and block.blocks:
        listing = block.blocks[-1]
        if isinstance(listing, ListBlock) and not listing.head:
            return listing
    return None


def _list_item(builder: LetterBuilder, unit: Unit, k: int, label: str) -> ListItem:
    line = unit.lines[k]
    stripped = line.lstrip()
    offset = len(line) - len(stripped) + len(label)
    rest = Unit([line[offset:]], [unit.numbers[k]])
    n = re.match(r"\d+", label)
    return ListItem(label, n.group(0) if n else "", builder.inlines(rest), line=unit.numbers[k])


# ------------------------------------------------------------------------------------------
# The closer
# ------------------------------------------------------------------------------------------

SIGNATURE_KINDS = ("signed", "signed-dated")


def _valid(kinds: list[str]) -> bool:
    signed = [k for k, kind in enumerate(kinds) if kind in SIGNATURE_KINDS]
    if not signed:
        return "dateline" in kinds and all(kind in ("dateline", "number") for kind in kinds)
    first = signed[0]
    if any(kind == "addressee" for kind in kinds[:first]):
        return False  # an address comes after the signature, at the foot
    # a description in brackets belongs to a signature next to it
    return kinds[0] != "role" or any(kind in SIGNATURE_KINDS for kind in kinds[:2])


def take_closer(
    builder: LetterBuilder, items: list[Unit | Frame], *, quoted: bool
) -> tuple[list[Unit | Frame], list[Part]]:
    kinds: list[str] = []
    foot = _foot_address(items)
    if foot is not None:  # "To Zhou Enlai," / "Premier of …," / "Beijing" under the signature
        items = [*items[:foot], _merge(items[foot:])]  # type: ignore[arg-type]
        kinds.append("addressee")
    k = len(items) - len(kinds)
    while k > 0:
        kind = closer_line(items[k - 1])
        if kind is None and isinstance(items[k - 1], Unit) and kinds:
            text = shapes.bare(items[k - 1].text)  # type: ignore[union-attr]
            if P.ADDRESSEE_RE.match(text) and shapes.name_like(text, skip=1):
                kind = "addressee"
            elif kinds[0] == "dateline" and (
                ONE_NAME_RE.match(text) or shapes.CJK_NAME_RE.match(text)
            ):
                kind = "signed"  # "Terebin." above its date: a signature, not a sentence
        if kind is None:
            break
        kinds.insert(0, kind)
        k -= 1
    while kinds and not _valid(kinds):
        kinds.pop(0)
        k += 1
    parts: list[Part] = []
    units = [u for u in items[k:] if isinstance(u, Unit)]
    j = 0
    while j < len(units):
        kind = kinds[j]
        if kind in ("signed", "role", "salute"):  # a signature block; a valediction block
            group = ("salute",) if kind == "salute" else ("signed", "role")
            end = j
            while end + 1 < len(units) and kinds[end + 1] in group:
                end += 1
            role = "salute" if kind == "salute" else "signed"
            label = _signed_label(units[j]) if role == "signed" else None
            parts.append(builder.part(role, _merge(units[j : end + 1]), label))
            j = end + 1
            continue
        parts.extend(_closer_parts(builder, units[j], kind))
        j += 1
    roles = {p.role for p in parts}
    if k > 0 and isinstance(items[k - 1], Unit) and ("signed" not in roles):
        split = builder.split_trailing_closer(items[k - 1], quoted=quoted)  # type: ignore[arg-type]
        if split:
            body_unit, closer_parts = split
            parts[:0] = closer_parts
            items = [*items[: k - 1], body_unit, *items[k:]]
    if not parts:
        return items, []
    return items[:k], parts


def _foot_address(items: list[Unit | Frame]) -> int | None:
    """Where an address at the foot of a letter begins: an addressee line after the
    signature, then short lines (its title, its place) to the end."""
    for a in range(len(items) - 1, max(len(items) - 6, 0), -1):
        unit = items[a]
        if not isinstance(unit, Unit):
            return None
        text = shapes.bare(unit.text)
        if len(shapes.words(text)) > 12:
            return None
        if P.ADDRESSEE_RE.match(text) and shapes.name_like(text, skip=1):
            signed = closer_line(items[a - 1]) in ("signed", "signed-dated", "role")
            rest = all(
                isinstance(u, Unit) and closer_line(u) not in ("dateline", "number")
                for u in items[a + 1 :]
            )
            return a if signed and rest else None
        if not shapes.name_like(text):
            return None
    return None


def _signed_label(unit: Unit) -> str | None:
    from .fields import match_field

    field = match_field(unit.text)
    return field.name if field is not None and field.role == "signed" else None


def _merge(units: list[Unit]) -> Unit:
    """Lines of one signature block as one unit."""
    merged = Unit(list(units[0].lines), list(units[0].numbers), units[0].blank_before)
    merged.joins = list(units[0].joins)
    merged.lead, merged.trail = units[0].lead, units[-1].trail
    for unit in units[1:]:
        merged.lines.extend(unit.lines)
        merged.numbers.extend(unit.numbers)
        merged.joins.append("line")
        merged.joins.extend(unit.joins)
    return merged


def _closer_parts(builder: LetterBuilder, unit: Unit, kind: str) -> list[Part]:
    if kind != "signed-dated":
        return [builder.part(kind, unit)]
    match = shapes.SIG_DATE_RE.match(unit.text.strip())
    assert match is not None
    offset = len(unit.lines[-1]) - len(unit.lines[-1].lstrip()) + match.start("date")
    if len(unit.lines) > 1:
        return [builder.part("signed", unit)]
    sig, date = unit.split_last(offset)
    return [builder.part("signed", sig), builder.part("dateline", date)]
