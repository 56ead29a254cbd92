"""The structure of a document body: quoted letters nested in letters, and each letter's parts.

Two passes. :func:`frame_units` follows quotation marks that open at the start of a paragraph
and close at the end of a later one: each such quotation is a frame, and frames nest. Then
:func:`build_letter` turns a frame into a :class:`~tei_cable.model.Letter`: archival apparatus
at its head, an opener, body blocks (with nested letters), a closer and a tail.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...diagnostics import Severity, diagnostic
from ...findings import Finding
from ...model import (
    ArchivalNote,
    Block,
    Break,
    Division,
    Footnote,
    Heading,
    Inline,
    Letter,
    Paragraph,
    Part,
    Quotation,
    Quoted,
    Rule,
    Speech,
    Stamp,
    Text,
    plain_text,
    text_before,
)
from . import divisions, kinds, shapes
from . import patterns as P
from .closers import take_closer, take_tail
from .fields import is_label_line, match_field
from .inline import parse_lines
from .lists import ListBuilder
from .units import Unit, looks_like_prose

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
    "decided",
    "resolved",
    "agreed",
    "heard",
    "noted",
    "proposed",
    "signed",
    "classification",
    "received",
    "arrived",
}


#: apparatus notes that follow a document (its closer) rather than open it
TAIL_NOTES = frozenset(
    {"distribution", "copy", "deciphered", "ciphered", "printed", "verified", "registration"}
)

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


def frame_units(units: list[Unit], diagnostics: list[Finding], path: str | None) -> Frame:
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
        # the archive's apparatus after the document ("Copies: Stalin (2), Molotov") is not
        # part of a quotation that is never closed
        moved: list[Unit | Frame] = []
        while len(inner.items) > 1 and isinstance(inner.items[-1], Unit):
            if shapes.note_kind(inner.items[-1].text) not in TAIL_NOTES:
                break
            moved.insert(0, inner.items.pop())
        stack[-1].items.extend(moved)
        diagnostics.append(
            diagnostic(
                "R201",
                f"quotation opened at line {inner.line} is never closed; "
                "taken to run to the end of the document"
                + (" before its archival notes" if moved else ""),
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
        self.diagnostics: list[Finding] = []
        self.footnotes: list[Footnote] = []
        self._kinds: list[str] = []  # the kinds of the letters being built, innermost last
        self._speakers: list[int] = []  # how many speakers take turns in the body being built

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
        children = self.inlines(unit)
        if role == "signed":  # a name, an office, a title under it: no name runs across lines
            for span in children:
                if isinstance(span, Break) and span.kind == "line":
                    span.separate = True
        return Part(role, children, label=label, line=unit.line, lead=lead, trail=trail)

    def report(
        self, code: str, message: str, line: int, severity: Severity = Severity.WARNING
    ) -> None:
        self.diagnostics.append(
            diagnostic(code, message, line=line, path=self.path, severity=severity)
        )

    @staticmethod
    def is_rule(unit: Unit) -> bool:
        return _is_rule(unit)

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
        items = _join_headings(items)
        items, letter.tail = take_tail(self, items)
        items, letter.closer = take_closer(self, items, quoted=frame.quoted)
        items, letter.head, letter.opener = self._take_front(items, kind)
        named = next(
            (
                kinds.heading_kind(_block_text(b))
                for b in letter.head
                if isinstance(b, Heading) and kinds.heading_kind(_block_text(b))
            ),
            None,
        )
        if named and (not outer or kind == "document"):
            letter.kind = named
        relayed = self._relayed_message(letter, items)
        self._kinds.append(letter.kind)
        if relayed is not None:
            message, rest = relayed
            letter.body = [message, *self._body(rest, letter.kind)]
        else:
            letter.body = self._body(items, letter.kind)
        self._kinds.pop()
        if letter.kind == "document":
            letter.kind = kinds.shape_kind(letter) or "document"
        return letter

    def _relayed_message(
        self, letter: Letter, items: list[Unit | Frame]
    ) -> tuple[Letter, list[Unit | Frame]] | None:
        """A message a telegram transmits without quotation marks: from the salutation to a
        signature (and date) that is not the telegram's own, followed by the relayer's text
        ("MAO ZEDONG." / "Nov 15, 1950." / "NEW PARAGRAPH." / "To Comrade FILIPPOV. I
        report …" / "ZAKHAROV")."""
        own = [p for p in letter.closer if p.role == "signed"]
        salutes = [k for k, p in enumerate(letter.opener) if p.role == "salute"]
        if not own or not salutes or letter.quoted:
            return None
        own_text = " ".join(plain_text(p.children) for p in own).strip(" .").casefold()
        for j, item in enumerate(items):
            if not isinstance(item, Unit) or j == 0:
                continue
            if shapes.closer_kind(item.text) not in ("signed", "signed-dated"):
                continue
            if item.text.strip(" .").casefold() == own_text:
                continue
            end = j + 1
            while (
                end < len(items)
                and isinstance(items[end], Unit)
                and shapes.closer_kind(items[end].text) in ("dateline", "number")  # type: ignore[union-attr]
            ):
                end += 1
            after = items[end:]
            if not after or not isinstance(after[0], Unit) or not _relay_separator(after[0]):
                return None
            inner = self.build(Frame(list(items[:end]), line=items[0].line), "letter")
            first = salutes[0]
            inner.opener = letter.opener[first:] + inner.opener
            letter.opener = letter.opener[:first]
            inner.line = inner.opener[0].line if inner.opener else inner.line
            return inner, after
        return None

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

    def split_trailing_closer(self, unit: Unit, *, quoted: bool) -> tuple[Unit, list[Part]] | None:
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
            previous = head[-1] if head and not opener else None
            if (
                isinstance(previous, ArchivalNote)
                and previous.kind == "transmission"
                and shapes.DATE_ONLY_RE.match(unit.text.strip())
            ):  # "From Beijing received 06 hours 10 minutes" / "16.11.1950"
                previous.children.extend(
                    [Break("line", separate=True), *self.inlines(unit, quotes=False)]
                )
                k += 1
                continue
            pieces = _opener_pieces(unit.lines[0])
            if pieces and unit.kind != "heading":
                remaining = self._split_opener(unit, pieces, opener)
                if remaining is None:
                    k += 1
                    continue
                items[k] = remaining
                break  # the rest of the paragraph is the body
            role = None
            if len(unit.lines) > 1 and is_label_line(unit.lines[0]):
                field = match_field(unit.lines[0])  # "DATE SENT" / "13 June 1951, 1400 hrs."
                role = (field.role, field.name) if field is not None else None
            elif unit.kind != "heading":
                role = shapes.opener_unit_role(unit.text)
            addressed = any(p.role == "addressee" for p in opener)
            if role is not None and role[0] == "copies" and not addressed and role[1]:
                role = None  # "Copies: Stalin, Molotov" before the address: who got copies
            if role is not None and not (kind == "diary" and role[0] == "dateline"):
                opener.append(self.part(role[0], unit, role[1]))
                k += 1
                continue
            if not opener and not addressed and shapes.org_address(unit.text):
                following = items[k + 1] if k + 1 < len(items) else None
                if isinstance(following, Unit) and looks_like_prose(following.text):
                    opener.append(self.part("addressee", unit))
                    k += 1
                    continue
            apparatus = "heading" if unit.kind == "heading" else shapes.apparatus_kind(unit.text)
            if apparatus is None or (
                opener and apparatus in ("stamp", "heading", "editorial", "handwritten")
            ):
                break
            if opener:  # an apparatus line among the opener's lines stays where it is
                opener.append(
                    Part("note", self.inlines(unit, quotes=False), label=apparatus, line=unit.line)
                )
            elif apparatus == "letterhead" and _stamp_after(unit):
                # "USSR EMBASSY IN THE DPRK [faded … stamp: …]": a letterhead, then a stamp
                offset = unit.lines[0].index("[")
                letterhead, stamp = unit.split_first(offset)
                head.append(self._apparatus_block(letterhead, "letterhead"))
                head.append(self.stamp(stamp))
            else:
                head.append(self._apparatus_block(unit, apparatus))
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
            return self.stamp(unit)
        if kind == "heading":
            return Heading(self.inlines(unit, quotes=False), unit.line)
        return ArchivalNote(kind, self.inlines(unit, quotes=False), unit.line)

    def stamp(self, unit: Unit) -> Stamp:
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

    def _body(self, items: list[Unit | Frame], kind: str) -> list[Block]:
        """Body blocks; a journal's dated entries and numbered sections as divisions."""
        self._speakers.append(_speaker_count(items))
        try:
            if kind == "diary":
                starts = divisions.entry_starts(items)
                if starts:
                    return self._divisions(items, [(k, "", "") for k in starts], entry=True)
            found = divisions.section_starts(items)
            if found:
                return self._divisions(items, found, entry=False)
            return self._blocks(items)
        finally:
            self._speakers.pop()

    def _divisions(
        self, items: list[Unit | Frame], starts: list[tuple[int, str, str]], *, entry: bool
    ) -> list[Block]:
        blocks = self._blocks(items[: starts[0][0]])
        bounds = [k for k, _, _ in starts[1:]] + [len(items)]
        for (start, label, n), end in zip(starts, bounds, strict=True):
            unit = items[start]
            assert isinstance(unit, Unit)
            if entry:
                division = Division(
                    "entry",
                    self._blocks(items[start + 1 : end]),
                    self.inlines(unit),
                    "dateline",
                    line=unit.line,
                )
            elif divisions.heading_like(unit.text, label):
                division = Division(
                    "section",
                    self._blocks(items[start + 1 : end]),
                    self.inlines(unit),
                    n=n,
                    line=unit.line,
                )
            else:
                division = Division("section", self._blocks(items[start:end]), n=n, line=unit.line)
            blocks.append(division)
        return blocks

    def _blocks(self, items: list[Unit | Frame], parent_kind: str = "") -> list[Block]:
        blocks: list[Block] = []
        lists = ListBuilder(self)
        for k, item in enumerate(items):
            if isinstance(item, Frame):
                lists.close(blocks)
                blocks.append(self._nested(item, items[:k]))
                continue
            following = items[k + 1] if k + 1 < len(items) else None
            if lists.offer(item, following, blocks):
                continue
            lists.close(blocks)
            blocks.append(self.block(item))
        lists.close(blocks)
        return blocks

    def block(self, unit: Unit) -> Block:
        text = unit.text.strip()
        if _is_rule(unit):
            return Rule(text, unit.line)
        if shapes.is_stamp(text):
            return self.stamp(unit)
        if unit.kind == "heading":
            return Heading(self.inlines(unit), unit.line)
        if shapes.is_whole_bracket(text):
            return ArchivalNote(shapes.bracket_note_kind(text), self.inlines(unit), unit.line)
        speaker = SPEAKER_RE.match(unit.lines[0].strip())
        if speaker and self._dialogue() and _is_speaker(speaker.group("speaker"), text):
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
        paragraph = Paragraph(self.inlines(unit), unit.line)
        self._quoted_messages(paragraph)
        return paragraph

    def _dialogue(self) -> bool:
        """Turns of speech are read only in dialogue: minutes, a conversation, or a document
        of no known kind where two speakers take turns."""
        kind = self._kinds[-1] if self._kinds else "document"
        if kind in ("conversation", "protocol"):
            return True
        return kind == "document" and bool(self._speakers) and self._speakers[-1] >= 2

    def _quoted_messages(self, paragraph: Paragraph) -> None:
        """A whole message quoted inside one sentence, after the instruction that relays it
        ("convey to Mao Zedong that “The Soviet government will welcome …”")."""
        for k, span in enumerate(paragraph.children):
            if not isinstance(span, Quoted) or span.letter is not None or not span.close:
                continue
            before = text_before(paragraph.children, k, RELAY_CONTEXT)
            sentence = re.split(r"(?<=[.!?])\s+", before.rstrip('“"«„ '))[-1]
            if not RELAY_INTRO_RE.search(sentence + " "):
                continue
            if len(plain_text(span.children).split()) < 6:
                continue
            body = Paragraph(span.children, paragraph.line)
            span.letter = Letter(kind="letter", body=[body], quoted=True, line=paragraph.line)
            span.children = []

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


#: a bracket opened after a letterhead and left open on its line
_STAMP_AFTER_RE = re.compile(r"\S\s*\[(?![^\]]*\])")


def _stamp_after(unit: Unit) -> bool:
    """A letterhead line going on into a stamp in brackets over the following lines."""
    return (
        len(unit.lines) > 1
        and bool(_STAMP_AFTER_RE.search(unit.lines[0]))
        and unit.lines[-1].rstrip().endswith("]")
        and bool(re.search(r"\b(?:stamp|seal)\b", unit.text, re.IGNORECASE))
    )


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


#: the instruction that relays a message quoted after it
#: characters before a quotation that RELAY_INTRO_RE reads (its verb, 160 characters, its end)
RELAY_CONTEXT = 400
RELAY_INTRO_RE = re.compile(
    r"\b(?:pass(?:\s+on)?|convey|transmit|forward|tell|inform|communicate|deliver|relay|"
    r"hand\s+over|read\s+out)\b[^.!?;]{0,160}?(?:\bthat|\bthe\s+following(?:\s+\w+)?|:)\s*$",
    re.IGNORECASE,
)
#: a heading that starts letter-spaced: "P R O T O C O L  No. 7"
LETTER_SPACED_START_RE = re.compile(r"^(?:\S ){3,}\S(?:\s|$)")
#: a line continuing a heading: "N o t e" / "on a Conversation with …"
HEADING_CONTINUES_RE = re.compile(r"^(?:of|on|for|between|with|about|concerning|regarding)\s+\S")
DATE_RANGE_RE = re.compile(
    rf"^(?:from\s+)?\d{{1,2}}\s+(?:{P.MONTHS})(?:\s+\d{{4}})?\s+(?:through|to|until|–|-)\s+"
    rf"\d{{1,2}}\s+(?:{P.MONTHS})\s+\d{{4}}\.?$",
    re.IGNORECASE,
)


def _heading_unit(unit: Unit) -> bool:
    text = unit.text.strip()
    if unit.kind == "heading":
        return True
    if (P.LETTER_SPACED_RE.match(text) and len(text) >= 5) or LETTER_SPACED_START_RE.match(text):
        return True
    return (
        shapes.is_upper_dominant(text)
        and len(shapes.words(text)) <= 8
        and not text.endswith((".", ",", ";", ":"))
        and not shapes.is_stamp(text)
        and not shapes.is_whole_bracket(text)
    )


def _join_headings(items: list[Unit | Frame]) -> list[Unit | Frame]:
    """A heading and the lines that continue it ("JOURNAL" / "of Soviet Ambassador … for the
    period" / "16 February through 24 March 1960" / "Pyongyang") as one heading unit."""
    out: list[Unit | Frame] = []
    for item in items:
        previous = out[-1] if out else None
        if isinstance(item, Unit) and isinstance(previous, Unit) and _heading_unit(previous):
            text = item.text.strip()
            continues = (
                HEADING_CONTINUES_RE.match(text) and not text.endswith((".", "!", "?", ":"))
            ) or (
                previous.kind == "heading"
                and (
                    DATE_RANGE_RE.match(text)
                    or (len(text.split()) == 1 and text[:1].isupper() and text.isalpha())
                )
            )
            if continues and len(item.lines) <= 3:
                merged = Unit(
                    [*previous.lines, *item.lines],
                    [*previous.numbers, *item.numbers],
                    previous.blank_before,
                    [*previous.joins, "line"],
                    previous.lead,
                    item.trail,
                    "heading",
                )
                out[-1] = merged
                continue
        out.append(item)
    return out


def _relay_separator(unit: Unit) -> bool:
    """What ends a transmitted message inside a telegram: "NEW PARAGRAPH.", or the relayer's
    own address ("To Comrade FILIPPOV.")."""
    text = shapes.bare(unit.text)
    return bool(
        re.match(r"^(?:NEW\s+PARAGRAPH|New\s+paragraph|END\s+OF\s+MESSAGE|END)\b", text)
        or shapes.opener_sentence_role(text.split(". ")[0] + ".") == "addressee"
    )


def _speaker_count(items: list[Unit | Frame]) -> int:
    speakers = set()
    for item in items:
        if isinstance(item, Unit):
            match = SPEAKER_RE.match(item.lines[0].strip())
            if match and _is_speaker(match.group("speaker"), item.text):
                speakers.add(match.group("speaker").casefold())
    return len(speakers)


def _is_speaker(speaker: str, text: str) -> bool:
    """A speaker's name before a colon, not a label of a form ("Classification: Secret")."""
    return speaker.lower().rstrip(".") not in NOT_SPEAKERS and match_field(text) is None
