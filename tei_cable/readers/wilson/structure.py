"""The structure of a document body: quoted letters nested in letters, and each letter's parts.

Two passes. :func:`frame_units` follows quotation marks that open at the start of a paragraph
and close at the end of a later one: each such quotation is a frame, and frames nest. Then
:func:`build_letter` turns a frame into a :class:`~tei_cable.model.Letter`: archival apparatus
at its head, an opener, body blocks (with nested letters), a closer and a tail.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...diagnostics import Diagnostic, Severity, diagnostic
from ...model import (
    ArchivalNote,
    Block,
    Footnote,
    Heading,
    Inline,
    Letter,
    ListBlock,
    ListItem,
    Paragraph,
    Part,
    Quotation,
    Rule,
    Speech,
    Stamp,
    Text,
)
from . import patterns as P
from . import shapes
from .inline import parse_lines
from .units import Unit

CLOSING_PUNCT = P.CLOSING_QUOTES + P.OPENING_QUOTES + ".,;:!? \t"
CLOSING_MARK_RE = re.compile(r"[\"”»」』][.,;:!?]*\s*$")
FOOTNOTE_RE = re.compile(r"^\[(?P<label>\d{1,3})\]\s*(?=\S)")
SPEAKER_RE = re.compile(
    rf"^(?P<speaker>(?:(?:{P.TITLES})\s+)?{shapes.NAME_TOKEN}(?:\s+{shapes.NAME_TOKEN}){{0,3}}):"
    r"\s+(?=\S)"
)
NOT_SPEAKERS = {
    "note",
    "notes",
    "attention",
    "subject",
    "agenda",
    "present",
    "re",
    "copy",
    "copies",
    "attachment",
    "enclosure",
    "comment",
    "remark",
    "p.s",
    "ps",
    "nb",
    "n.b",
    "source",
    "date",
    "from",
    "to",
    "sender",
    "addressee",
    "place",
    "time",
    "no",
    "resolution",
    "translator's note",
    "editor's note",
    "stamp",
    "seal",
    "top secret",
    "secret",
}


# ------------------------------------------------------------------------------------------
# Frames: quotations that span paragraphs
# ------------------------------------------------------------------------------------------


@dataclass
class Frame:
    """A run of units inside one quotation (or the whole body, for the outer frame)."""

    items: list[Unit | Frame] = field(default_factory=list)
    quoted: bool = False
    line: int = 0
    letter_like: bool = False
    closed: bool = True
    kind: str | None = None  # the kind of letter built from it, once built


def _straight_count(text: str) -> int:
    return text.count('"')


def _typographic_balance(text: str) -> int:
    opens = sum(text.count(c) for c in "“«「『") + text.count("„")
    closes = sum(text.count(c) for c in "”»」』")
    if "„" in text:  # German style: „ … “
        closes += text.count("“")
        opens -= text.count("“")
    return opens - closes


def opens_quotation(text: str) -> bool:
    """A paragraph that starts a quotation it does not close."""
    s = text.strip()
    if not s or s[0] not in P.OPENING_QUOTES:
        return False
    if s[0] == '"':
        return _straight_count(s) % 2 == 1
    return _typographic_balance(s) > 0


def closes_quotation(text: str) -> bool:
    """A paragraph that closes a quotation opened before it."""
    s = text.strip()
    if s[:1] == '"' and _straight_count(s) % 2 == 1:
        return False
    if '"' in s and _straight_count(s) % 2 == 1:
        return True
    return _typographic_balance(s) < 0


def starts_like_letter(text: str) -> bool:
    """The first paragraph of a quotation reads like the start of a letter or cable."""
    s = text.strip().lstrip("".join(P.OPENING_QUOTES))
    spans = shapes.split_sentences(s)
    first = s[spans[0][0] : spans[0][1]] if spans else s
    return bool(
        shapes.opener_sentence_role(first)
        or shapes.opener_unit_role(s)
        or P.CLASSIFICATION_RE.match(s)
        or (shapes.apparatus_kind(s) in ("heading", "letterhead", "number", "transmission"))
    )


def ends_like_closer(text: str) -> bool:
    """A paragraph ending in a signature with a date (``Li Kenong. 1145 10 July``)."""
    s = CLOSING_MARK_RE.sub("", text.strip())
    return bool(
        shapes.closer_kind(s) in ("signed-dated", "signed") or shapes.TRAILING_SIG_DATE_RE.search(s)
    )


def single_unit_letter(text: str) -> bool:
    """A whole quoted letter in one paragraph: opened, addressed, signed and closed."""
    s = text.strip()
    if not s or s[0] not in P.OPENING_QUOTES or not CLOSING_MARK_RE.search(s):
        return False
    return starts_like_letter(s) and ends_like_closer(s)


#: how deep quotations spanning paragraphs (quoted letters) nest, at most; a deeper one stays
#: paragraphs of the quotation around it (``R206``), so the TEI stays well under the 256 levels
#: XML tools read by default
MAX_QUOTATION_DEPTH = 24


def frame_units(units: list[Unit], diagnostics: list[Diagnostic], path: str | None) -> Frame:
    """Nest units into frames by the quotation marks that open and close paragraphs."""
    outer = Frame(line=units[0].line if units else 0)
    stack = [outer]
    flat = 0  # quotations opened too deep, kept as paragraphs: their closings stay paragraphs
    for unit in units:
        text = unit.text
        only_marks = not text.strip(CLOSING_PUNCT)
        too_deep = len(stack) > MAX_QUOTATION_DEPTH
        if flat and (only_marks or closes_quotation(text)) and not opens_quotation(text):
            flat -= 1
            stack[-1].items.append(unit)
            continue
        if too_deep and opens_quotation(text):
            if not flat and not any(d.code == "R206" and d.line == unit.line for d in diagnostics):
                diagnostics.append(
                    diagnostic(
                        "R206",
                        f"quotations nested more than {MAX_QUOTATION_DEPTH} deep: the one "
                        "opened here and those inside it are kept as paragraphs of the "
                        f"quotation opened at line {stack[-1].line}",
                        line=unit.line,
                        path=path,
                    )
                )
            flat += 1
            stack[-1].items.append(unit)
            continue
        if only_marks and len(stack) > 1:  # a closing mark on a line of its own
            stack[-1].items.append(unit)
            stack.pop().closed = True
            continue
        if opens_quotation(text):
            frame = Frame(
                [unit],
                quoted=True,
                line=unit.line,
                letter_like=starts_like_letter(text),
                closed=False,
            )
            stack[-1].items.append(frame)
            stack.append(frame)
            continue
        if single_unit_letter(text) and not too_deep:
            stack[-1].items.append(Frame([unit], quoted=True, line=unit.line, letter_like=True))
            continue
        if len(stack) > 1 and closes_quotation(text):
            target = len(stack) - 1
            if ends_like_closer(text):
                letters = [k for k in range(1, len(stack)) if stack[k].letter_like]
                if letters:
                    target = letters[-1]
            while len(stack) - 1 > target:
                inner = stack.pop()
                diagnostics.append(
                    diagnostic(
                        "R202",
                        f"quotation opened at line {inner.line} is not closed; "
                        f"taken to end before the signature at line {unit.line}",
                        line=inner.line,
                        path=path,
                    )
                )
            stack[-1].items.append(unit)
            stack.pop().closed = True
            continue
        stack[-1].items.append(unit)
    while len(stack) > 1:
        inner = stack.pop()
        diagnostics.append(
            diagnostic(
                "R201",
                f"quotation opened at line {inner.line} is never closed; "
                "taken to run to the end of the document",
                line=inner.line,
                path=path,
            )
        )
    return outer


# ------------------------------------------------------------------------------------------
# Letters
# ------------------------------------------------------------------------------------------


class LetterBuilder:
    """Turns frames into letters; collects diagnostics."""

    def __init__(self, path: str | None = None) -> None:
        self.path = path
        self.diagnostics: list[Diagnostic] = []
        self.footnotes: list[Footnote] = []

    # -- helpers ------------------------------------------------------------------------------

    def inlines(self, unit: Unit, *, quotes: bool = True) -> list[Inline]:
        spans, diags = parse_lines(unit.lines, unit.numbers, unit.joins, self.path, quotes=quotes)
        self.diagnostics.extend(diags)
        out: list[Inline] = []
        if unit.lead:
            out.append(Text(unit.lead))
        if spans and isinstance(spans[0], Text) and out:
            out[-1] = Text(out[-1].text + spans[0].text)
            spans = spans[1:]
        out.extend(spans)
        if unit.trail:
            if out and isinstance(out[-1], Text):
                out[-1] = Text(out[-1].text + unit.trail)
            else:
                out.append(Text(unit.trail))
        return out

    def part(self, role: str, unit: Unit, label: str | None = None) -> Part:
        """An opener or closer part; quotation marks of the letter stay outside it."""
        lead, trail = unit.lead, unit.trail
        unit.lead = unit.trail = ""
        unit.lines[0] = unit.lines[0].lstrip()
        unit.lines[-1] = unit.lines[-1].rstrip()
        return Part(role, self.inlines(unit), label=label, line=unit.line, lead=lead, trail=trail)

    def report(
        self, code: str, message: str, line: int, severity: Severity = Severity.WARNING
    ) -> None:
        self.diagnostics.append(
            diagnostic(code, message, line=line, path=self.path, severity=severity)
        )

    # -- the letter ---------------------------------------------------------------------------

    def build(self, frame: Frame, kind: str, *, outer: bool = False) -> Letter:
        items = list(frame.items)
        if frame.quoted and items and isinstance(items[0], Unit):
            items[0].strip_lead(P.OPENING_QUOTES)
        if frame.quoted and frame.closed and items and isinstance(items[-1], Unit):
            items[-1].strip_trail(CLOSING_MARK_RE)
            last = items[-1]
            if not last.text.strip() and len(items) > 1 and isinstance(items[-2], Unit):
                items[-2].trail += "\n" + last.trail  # a closing mark on a line of its own
                items = items[:-1]
        letter = Letter(kind=kind, quoted=frame.quoted, line=frame.line)
        if outer:
            items = self._take_footnotes(items)
        items, letter.tail = self._take_tail(items)
        items, letter.closer = self._take_closer(items, quoted=frame.quoted)
        items, letter.head, letter.opener = self._take_front(items, kind)
        if letter.head:
            named = next(
                (
                    shapes.document_kind(_block_text(b))
                    for b in letter.head
                    if isinstance(b, (Heading, ArchivalNote))
                    and shapes.document_kind(_block_text(b))
                ),
                None,
            )
            if named and (outer is False or kind == "document"):
                letter.kind = named
        letter.body = self._blocks(items, letter.kind)
        return letter

    # -- footnotes ----------------------------------------------------------------------------

    def _take_footnotes(self, items: list[Unit | Frame]) -> list[Unit | Frame]:
        k = len(items)
        while k > 0 and isinstance(items[k - 1], Unit) and FOOTNOTE_RE.match(items[k - 1].text):
            k -= 1
        for unit in items[k:]:
            assert isinstance(unit, Unit)
            label = FOOTNOTE_RE.match(unit.text).group("label")  # type: ignore[union-attr]
            self.footnotes.append(Footnote(label, self.inlines(unit), unit.line))
        return items[:k]

    # -- tail: after the closer ---------------------------------------------------------------

    def _take_tail(self, items: list[Unit | Frame]) -> tuple[list[Unit | Frame], list[Block]]:
        rule_at = next(
            (
                k
                for k in range(len(items) - 1, -1, -1)
                if isinstance(items[k], Unit) and _is_rule(items[k])  # type: ignore[arg-type]
            ),
            None,
        )
        start = None
        if rule_at is not None:
            after = items[rule_at + 1 :]
            if all(isinstance(u, Unit) for u in after) and sum(
                1
                for u in after
                if self._tail_like(u)  # type: ignore[arg-type]
            ) * 2 >= len(after):
                start = rule_at
        if start is None:
            k = len(items)
            while (
                k > 0
                and isinstance(items[k - 1], Unit)
                and (
                    shapes.note_kind(items[k - 1].text)
                    in ("deciphered", "ciphered", "printed", "verified", "copy")
                    or (k < len(items) and shapes.is_dateline(items[k - 1].text))
                )
            ):
                k -= 1
            while k < len(items) and shapes.is_dateline(items[k].text):  # type: ignore[union-attr]
                k += 1  # a closing date belongs to the closer, not the tail
            start = k if k < len(items) else None
        if start is None:
            return items, []
        tail: list[Block] = []
        for unit in items[start:]:
            assert isinstance(unit, Unit)
            if _is_rule(unit):
                tail.append(Rule(unit.text.strip(), unit.line))
                continue
            kind = shapes.note_kind(unit.text)
            children = self.inlines(unit, quotes=False)
            previous = tail[-1] if tail else None
            if (
                kind is None
                and isinstance(previous, ArchivalNote)
                and (shapes.is_dateline(unit.text) or shapes.DATE_ONLY_RE.match(unit.text.strip()))
            ):
                from ...model import Break

                previous.children.extend([Break("line"), *children])
                continue
            tail.append(ArchivalNote(kind or "note", children, unit.line))
        return items[:start], tail

    @staticmethod
    def _tail_like(unit: Unit) -> bool:
        from .units import looks_like_prose

        text = unit.text
        return bool(
            shapes.note_kind(text)
            or shapes.is_dateline(text)
            or shapes.is_number_line(text)
            or not looks_like_prose(text)
        )

    # -- closer -------------------------------------------------------------------------------

    def _take_closer(
        self, items: list[Unit | Frame], *, quoted: bool
    ) -> tuple[list[Unit | Frame], list[Part]]:
        kinds: list[str] = []
        k = len(items)
        while k > 0 and isinstance(items[k - 1], Unit):
            kind = shapes.closer_kind(items[k - 1].text)  # type: ignore[union-attr]
            if kind is None:
                break
            kinds.insert(0, kind)
            k -= 1
        if kinds and not {"signed", "signed-dated", "dateline"} & set(kinds):
            return items, []  # a number or a valediction alone is not a closer
        parts: list[Part] = []
        for unit, kind in zip(items[k:], kinds, strict=True):
            parts.extend(self._closer_parts(unit, kind))  # type: ignore[arg-type]
        roles = {p.role for p in parts}
        if k > 0 and isinstance(items[k - 1], Unit) and ("signed" not in roles):
            split = self._split_trailing_closer(items[k - 1], quoted=quoted)  # type: ignore[arg-type]
            if split:
                body_unit, closer_parts = split
                parts[:0] = closer_parts
                items = [*items[: k - 1], body_unit, *items[k:]]
        if not parts:
            return items, []
        return items[:k], parts

    def _closer_parts(self, unit: Unit, kind: str) -> list[Part]:
        if kind != "signed-dated":
            return [self.part("signed" if kind == "signed" else kind, unit)]
        match = shapes.SIG_DATE_RE.match(unit.text.strip())
        assert match is not None
        offset = len(unit.lines[-1]) - len(unit.lines[-1].lstrip()) + match.start("date")
        if len(unit.lines) > 1:
            return [self.part("signed", unit)]
        sig, date = unit.split_last(offset)
        return [self.part("signed", sig), self.part("dateline", date)]

    def _split_trailing_closer(self, unit: Unit, *, quoted: bool) -> tuple[Unit, list[Part]] | None:
        """A signature (with a date) run into the end of the last paragraph."""
        last = unit.lines[-1]
        match = shapes.TRAILING_SIG_DATE_RE.search(last)
        if match and shapes.name_like(match.group("sig")):
            body, closer = unit.split_last(match.start("sig"))
            sig, date = closer.split_last(match.start("date") - match.start("sig"))
            self.report(
                "R301",
                "signature and date run into the last paragraph; separated as the closer",
                unit.numbers[-1],
                Severity.INFO,
            )
            return body, [self.part("signed", sig), self.part("dateline", date)]
        if quoted and unit.trail:
            match = shapes.TRAILING_SIG_RE.search(last)
            if match and shapes.name_like(match.group("sig")):
                body, sig = unit.split_last(match.start("sig"))
                return body, [self.part("signed", sig)]
        return None

    # -- head apparatus and opener ------------------------------------------------------------

    def _take_front(
        self, items: list[Unit | Frame], kind: str
    ) -> tuple[list[Unit | Frame], list[Block], list[Part]]:
        head: list[Block] = []
        opener: list[Part] = []
        items = list(items)
        k = 0
        while k < len(items) and isinstance(items[k], Unit):
            unit = items[k]
            assert isinstance(unit, Unit)
            pieces = _opener_pieces(unit.lines[0])
            if pieces:
                remaining = self._split_opener(unit, pieces, opener)
                if remaining is None:
                    k += 1
                    continue
                items[k] = remaining
                break  # the rest of the paragraph is the body
            role = shapes.opener_unit_role(unit.text)
            if role is not None and not (kind == "diary" and role[0] == "dateline"):
                opener.append(self.part(role[0], unit, role[1]))
                k += 1
                continue
            kind = shapes.apparatus_kind(unit.text)
            if kind is None or (opener and kind in ("stamp", "heading", "editorial")):
                break
            if opener:  # an apparatus line among the opener's lines stays where it is
                opener.append(
                    Part("note", self.inlines(unit, quotes=False), label=kind, line=unit.line)
                )
            else:
                head.append(self._apparatus_block(unit, kind))
            k += 1
        return items[k:], head, opener

    def _split_opener(
        self, unit: Unit, pieces: list[tuple[str, int]], opener: list[Part]
    ) -> Unit | None:
        """Move leading opener sentences of ``unit`` into ``opener``; return what is left."""
        remaining = unit
        consumed = 0
        for role, end in pieces:
            part_unit, remaining = remaining.split_first(end - consumed)
            consumed = end
            opener.append(self.part(role, part_unit))
        if remaining.lines[0].strip() or len(remaining.lines) > 1:
            return remaining
        if remaining.trail and opener:
            opener[-1].trail += remaining.trail
        return None

    def _apparatus_block(self, unit: Unit, kind: str) -> Block:
        if kind == "stamp":
            return self._stamp(unit)
        if kind == "heading":
            return Heading(self.inlines(unit, quotes=False), unit.line)
        return ArchivalNote(kind, self.inlines(unit, quotes=False), unit.line)

    def _stamp(self, unit: Unit) -> Stamp:
        """A stamp in brackets, its lines kept apart: ``[Stamp: A`` / ``B`` / ``C]``."""
        lines = [line.strip() for line in unit.lines]
        first = lines[0]
        match = re.match(
            r"^(\[\s*(?:Stamp|STAMP|Seal|SEAL|Stamped|Rubber\s+stamp)[^:\]]*:?\s*)", first
        )
        prefix_text = match.group(1) if match else "["
        lines[0] = first[len(prefix_text) :]
        suffix_text = ""
        if lines[-1].endswith("]"):
            suffix_text = "]"
            lines[-1] = lines[-1][:-1]
        stamp_lines: list[list[Inline]] = []
        for k, line in enumerate(lines):
            spans, diags = parse_lines([line], [unit.numbers[k]], [], self.path)
            self.diagnostics.extend(diags)
            stamp_lines.append(spans)
        suffix = suffix_text + unit.trail
        prefix = [Text(unit.lead + prefix_text)]
        return Stamp(stamp_lines, prefix, [Text(suffix)] if suffix else [], unit.line)

    # -- body blocks --------------------------------------------------------------------------

    def _blocks(self, items: list[Unit | Frame], parent_kind: str) -> list[Block]:
        blocks: list[Block] = []
        lists = _ListBuilder(self)
        for k, item in enumerate(items):
            if isinstance(item, Frame):
                lists.close(blocks)
                blocks.append(self._nested(item, items[:k]))
                continue
            following = items[k + 1] if k + 1 < len(items) else None
            if lists.offer(item, following, blocks):
                continue
            lists.close(blocks)
            blocks.append(self._block(item))
        lists.close(blocks)
        return blocks

    def _block(self, unit: Unit) -> Block:
        text = unit.text.strip()
        if _is_rule(unit):
            return Rule(text, unit.line)
        if shapes.is_stamp(text):
            return self._stamp(unit)
        if shapes.is_whole_bracket(text):
            return ArchivalNote("editorial", self.inlines(unit), unit.line)
        speaker = SPEAKER_RE.match(unit.lines[0].strip())
        if speaker and speaker.group("speaker").lower().rstrip(".") not in NOT_SPEAKERS:
            inlines = self.inlines(unit)
            return _speech(inlines, len(speaker.group(0)), unit.line)
        if (
            (
                shapes.is_upper_dominant(text)
                and len(shapes.words(text)) <= 12
                and not text.endswith((".", ",", ";"))
            )
            or (P.LETTER_SPACED_RE.match(text) and len(text) >= 7)
            or shapes.is_dateline(text)
        ):
            return Heading(self.inlines(unit), unit.line)
        return Paragraph(self.inlines(unit), unit.line)

    def _nested(self, frame: Frame, before: list[Unit | Frame]) -> Block:
        """A quotation spanning paragraphs: a nested letter, a quoted document, or a quotation."""
        kind = None
        intro_colon = False
        for k, previous in enumerate(reversed(before[-3:])):
            if isinstance(previous, Frame):
                if k == 0 and previous.letter_like == frame.letter_like:
                    kind = previous.kind
                    intro_colon = True
                break
            if k == 0:
                intro_colon = previous.text.rstrip().endswith(":")
            kind = shapes.document_kind(previous.text)
            if kind:
                break
        if frame.letter_like or (kind and intro_colon) or _has_closer(frame):
            letter = self.build(frame, kind or "letter")
            frame.kind = letter.kind
            return letter
        inner = self.build(frame, "quotation")
        blocks = [*inner.head, *inner.body, *inner.tail]
        if not (inner.opener or inner.closer):
            return Quotation(blocks, frame.line)
        if inner.is_correspondence:  # addressed, greeted or signed: a letter after all
            inner.kind = frame.kind = "letter"
        return inner


def _is_rule(unit: Unit) -> bool:
    """A horizontal rule: a line of dashes, not inside a quotation's marks."""
    return not unit.lead and not unit.trail and bool(P.RULE_RE.match(unit.text))


def _opener_pieces(first: str) -> list[tuple[str, int]]:
    """Leading sentences of a line that are addressee, copies or salutation: (role, end)."""
    pieces: list[tuple[str, int]] = []
    taken = 0
    for start, end in shapes.split_sentences(first):
        role = shapes.opener_sentence_role(first[start:end])
        if role is None or start != taken:
            break
        pieces.append((role, end))
        taken = end
    return pieces


def _has_closer(frame: Frame) -> bool:
    last = frame.items[-1] if frame.items else None
    return isinstance(last, Unit) and frame.closed and ends_like_closer(last.text)


def _block_text(block: Block) -> str:
    from ...model import plain_text

    children = getattr(block, "children", None)
    return plain_text(children) if children is not None else ""


def _speech(inlines: list[Inline], offset: int, line: int) -> Speech:
    """Split a paragraph's spans at a character offset: the speaker label and what was said."""
    speaker: list[Inline] = []
    said: list[Inline] = []
    consumed = 0
    for span in inlines:
        if consumed >= offset:
            said.append(span)
            continue
        if isinstance(span, Text):
            take = offset - consumed
            if len(span.text) > take:
                speaker.append(Text(span.text[:take]))
                said.append(Text(span.text[take:]))
            else:
                speaker.append(span)
            consumed += len(span.text)
        else:
            speaker.append(span)
            consumed = offset
    return Speech(speaker, said, line)


# ------------------------------------------------------------------------------------------
# Ordered lists
# ------------------------------------------------------------------------------------------

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


class _ListBuilder:
    """Builds nested ordered lists from numbered units as they come."""

    def __init__(self, builder: LetterBuilder) -> None:
        self.builder = builder
        self.levels: list[_Level] = []

    def offer(self, unit: Unit, following: Unit | Frame | None, blocks: list[Block]) -> bool:
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
        self.levels[-1].block.items[-1].blocks.append(self.builder._block(unit))
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
