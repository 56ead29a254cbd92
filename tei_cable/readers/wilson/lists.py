"""Ordered lists: numbered units (``1.``, ``(A)``, ``a)``, ``１．``, ``一、``) nested by style;
bulleted lists: units opened by the same bullet (``- ``, ``• ``).

A paragraph between two items of an open ordered list belongs to the item before it; a list
starts at 1 or where the next unit continues its numbering. A bulleted list needs two items
in a row (one line opened by a dash is a sentence), nests under the numbered item before it,
and ends at the first unit without its bullet.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ...model import Block, ListBlock, ListItem
from . import patterns as P
from .units import Unit

if TYPE_CHECKING:
    from .structure import Frame, LetterBuilder


_ROMAN = {
    "i": 1,
    "ii": 2,
    "iii": 3,
    "iv": 4,
    "v": 5,
    "vi": 6,
    "vii": 7,
    "viii": 8,
    "ix": 9,
    "x": 10,
    "xi": 11,
    "xii": 12,
}
_CJK = dict(zip("一二三四五六七八九十", range(1, 11), strict=True))


def _value(style: str, n: str) -> int:
    if style.startswith("lower-roman"):
        return _ROMAN.get(n, 0)
    if style.startswith("cjk"):
        if len(n) == 1:
            return _CJK.get(n, 0)
        if n.startswith("十"):
            return 10 + _CJK.get(n[1:], 0)
        return _CJK.get(n[0], 0) * 10 + (_CJK.get(n[2:], 0) if len(n) > 2 else 0)
    if style.endswith("alpha-paren") or style == "upper-alpha-paren":
        return ord(n.lower()) - ord("a") + 1
    if style == "fullwidth":
        return int(n.translate(str.maketrans("０１２３４５６７８９", "0123456789")))
    return int(n)


def match_label(text: str) -> tuple[str, str, str, int] | None:
    """(style, printed label, normalised number, value) of a list item's label, if any."""
    stripped = text.lstrip()
    for style, pattern in P.LIST_LABELS:
        match = pattern.match(stripped)
        if match:
            n = match.group("n")
            value = _value(style, n)
            if value <= 0:
                continue
            if style == "fullwidth":
                n = str(value)
            return style, match.group("label"), n, value
    return None


@dataclass
class _Level:
    block: ListBlock
    style: str
    value: int


class ListBuilder:
    """Builds nested ordered lists from numbered units as they come."""

    def __init__(self, builder: LetterBuilder) -> None:
        self.builder = builder
        self.levels: list[_Level] = []

    def offer(self, unit: Unit, following: Unit | Frame | None, blocks: list[Block]) -> bool:
        bullet = P.BULLET_RE.match(unit.lines[0].lstrip())
        if bullet:
            return self._bullet(unit, bullet.group("label"), following, blocks)
        if self.levels and self.levels[-1].style.startswith("bullet"):
            self.levels.pop()  # a unit without the bullet ends the bulleted list
            if not self.levels:
                return self.offer(unit, following, blocks)
        label = match_label(unit.lines[0])
        if label is None:
            return self._continuation(unit, following)
        style, printed, n, value = label
        for depth in range(len(self.levels) - 1, -1, -1):
            level = self.levels[depth]
            if level.style == style and value == level.value + 1:
                del self.levels[depth + 1 :]
                self._add(level, unit, printed, n, value)
                return True
        starts = value == 1 or self._next_continues(following, style, value)
        if not starts:
            return False
        new = _Level(ListBlock([], style, unit.line), style, value - 1)
        if self.levels:
            self.levels[-1].block.items[-1].blocks.append(new.block)
        else:
            blocks.append(new.block)
        self.levels.append(new)
        self._add(new, unit, printed, n, value)
        return True

    def _bullet(
        self, unit: Unit, marker: str, following: Unit | Frame | None, blocks: list[Block]
    ) -> bool:
        style = f"bullet{marker}"
        if self.levels and self.levels[-1].style == style:
            self._add(self.levels[-1], unit, marker, "", 0)
            return True
        if self.levels and self.levels[-1].style.startswith("bullet"):
            self.levels.pop()  # another bullet: another list
        nxt = None
        if isinstance(following, Unit):
            nxt = P.BULLET_RE.match(following.lines[0].lstrip())
        if nxt is None or nxt.group("label") != marker:
            return False
        new = _Level(ListBlock([], "", unit.line, "bulleted"), style, 0)
        if self.levels:  # points under a numbered item
            self.levels[-1].block.items[-1].blocks.append(new.block)
        else:
            blocks.append(new.block)
        self.levels.append(new)
        self._add(new, unit, marker, "", 0)
        return True

    def _continuation(self, unit: Unit, following: Unit | Frame | None) -> bool:
        """A paragraph between two items of an open list belongs to the item before it."""
        if not self.levels or not isinstance(following, Unit):
            return False
        label = match_label(following.lines[0])
        if label is None:
            return False
        style, _, _, value = label
        if not any(lv.style == style and value == lv.value + 1 for lv in self.levels):
            return False
        self.levels[-1].block.items[-1].blocks.append(self.builder.block(unit))
        return True

    @staticmethod
    def _next_continues(following: Unit | Frame | None, style: str, value: int) -> bool:
        if not isinstance(following, Unit):
            return False
        label = match_label(following.lines[0])
        return label is not None and label[0] == style and label[3] == value + 1

    def _add(self, level: _Level, unit: Unit, printed: str, n: str, value: int) -> None:
        first = unit.lines[0]
        offset = len(first) - len(first.lstrip()) + len(printed)
        rest = Unit(
            [first[offset:], *unit.lines[1:]],
            list(unit.numbers),
            False,
            list(unit.joins),
            "",
            unit.trail,
        )
        children = self.builder.inlines(rest)
        label = unit.lead + printed  # a quotation mark before the number stays before it
        level.block.items.append(ListItem(label, n, children, line=unit.line))
        level.value = value

    def close(self, blocks: list[Block]) -> None:
        self.levels.clear()
