"""Persons, places and organisations: mark their names in the model and tie them to the registry.

Three passes over every inline list of every letter (innermost lists first: quotations,
emphasis, editorial brackets):

1. **Registry names**: every registered name form, in any case, with OCR confusions repaired
   as ``Choice`` (sic/corr) inside the ``Name``; names inside editorial brackets are marked
   inside them, names written partly in a bracket (``Gro[myko]``) around them.
2. **Unregistered names**, marked without ``ref`` and reported (``E110``): persons after a
   title ("Cde. Ivanov", "MAJOR [signature] (RUDAKOV)", "Cdes. Ivanov and Petrov"), in
   signatures and speaker labels, after "by" in the archival apparatus ("Deciphered by
   Vaganov"); organisations of the shape "… Ministry of …", "Central Committee of …".
3. **Titles**: a title or rank just before a person's name becomes a ``RoleName`` outside it.
4. **Speakers**: a quotation right after "NAME said," / "added," / "asked," … is that person's
   (``Quoted.who``), when the name is resolved.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ..diagnostics import Severity
from ..entities.inline import GAP, SEP, Stream, default_atomic, rewrite
from ..entities.names import Match
from ..entities.registry import Registry, builtin_registry
from ..entities.titles import (
    BY_RE,
    CLERK_BY_RE,
    COORDINATION_RE,
    ORG_RE,
    PLURAL_TITLES,
    TITLE_BEFORE_RE,
    TITLE_RE,
    name_run,
    org_span,
    title_kind,
)
from ..model import (
    ArchivalNote,
    Bracketed,
    Choice,
    Division,
    Footnote,
    Heading,
    Inline,
    Letter,
    ListBlock,
    Name,
    Paragraph,
    Part,
    Quotation,
    Quoted,
    Record,
    RoleName,
    Speech,
    Stamp,
    Text,
    plain_text,
)
from . import EnrichContext, FunctionEnricher

#: diagnostic code: a name the registry does not know was marked without a reference
UNRESOLVED = "E110"

#: positions where a run of capitalised words is a person's name without a title
NAME_POSITIONS = frozenset({"signed", "speaker"})
#: positions where names after one title may be coordinated ("to Cde. X and Y")
LIST_POSITIONS = frozenset({"addressee", "copies", "sender", "signed"})


@dataclass(frozen=True, slots=True)
class Position:
    """Where an inline list stands: its role (``addressee``, ``signed``, ``apparatus``…) and
    source line."""

    role: str | None
    line: int


def mark_entities(record: Record, context: EnrichContext) -> None:
    """Mark person, place and organisation names in every letter of ``record``.

    Uses ``context.registry`` (the built-in registry when it is None, which is then stored in
    the context for the writer); the registry's name conflicts are reported as warnings.
    """
    if context.registry is None:
        context.registry = builtin_registry()
    registry: Registry = context.registry
    context.diagnostics.extend(registry.conflict_diagnostics())
    for inlines, position in inline_lists(record):
        _mark_list(inlines, position, registry, context)


#: the enricher, for :func:`tei_cable.enrich.run_enrichers`
ENRICHER = FunctionEnricher("entities", 300, mark_entities)


def inline_lists(record: Record) -> Iterator[tuple[list[Inline], Position]]:
    """Every inline list of the record's letters and footnotes with its position."""
    for letter in record.letters():
        yield from _letter_lists(letter)
    for note in record.footnotes:
        yield note.children, Position(None, note.line)


def _letter_lists(letter: Letter) -> Iterator[tuple[list[Inline], Position]]:
    for block in letter.head:
        yield from _block_lists(block, apparatus=True)
    for part in letter.opener:
        yield part.children, Position(part.role, part.line)
    for block in letter.body:
        yield from _block_lists(block, apparatus=False)
    for part in letter.closer:
        yield part.children, Position(part.role, part.line)
    for block in letter.tail:
        yield from _block_lists(block, apparatus=True)


def _block_lists(block: object, *, apparatus: bool) -> Iterator[tuple[list[Inline], Position]]:
    if isinstance(block, Letter):
        return
    if isinstance(block, ArchivalNote):
        yield block.children, Position("apparatus", block.line)
        for inner in block.blocks:  # a distribution list under the note
            yield from _block_lists(inner, apparatus=True)
    elif isinstance(block, Division):  # a numbered section or a journal entry
        role = "dateline" if block.head_kind == "dateline" else "heading"
        yield block.head, Position(role, block.line)
        for inner in block.blocks:
            yield from _block_lists(inner, apparatus=apparatus)
    elif isinstance(block, Stamp):
        for line in (block.prefix, *block.lines, block.suffix):
            yield line, Position("apparatus", block.line)
    elif isinstance(block, Heading):
        yield block.children, Position("apparatus" if apparatus else "heading", block.line)
    elif isinstance(block, Paragraph):
        yield block.children, Position("apparatus" if apparatus else None, block.line)
    elif isinstance(block, Speech):
        yield block.speaker, Position("speaker", block.line)
        yield block.children, Position(None, block.line)
    elif isinstance(block, ListBlock):
        if block.head:
            yield block.head, Position("apparatus" if apparatus else "heading", block.line)
        for item in block.items:
            yield item.children, Position(None, item.line)
            for inner in item.blocks:
                yield from _block_lists(inner, apparatus=apparatus)
    elif isinstance(block, Quotation):
        for inner in block.blocks:
            yield from _block_lists(inner, apparatus=apparatus)
    elif isinstance(block, (Part, Footnote)):
        yield block.children, Position(None, block.line)


# ------------------------------------------------------------------------------ one list
def _mark_list(
    inlines: list[Inline], position: Position, registry: Registry, context: EnrichContext
) -> None:
    def visit(spans: list[Inline]) -> list[Inline]:
        spans = _registered(spans, registry)
        spans = _unregistered_orgs(spans, position, context)
        spans = _unregistered_persons(spans, position, context)
        spans = _titles(spans)
        _speakers(spans)
        return spans

    rewrite(inlines, visit)


def _registered(spans: list[Inline], registry: Registry) -> list[Inline]:
    stream = Stream(spans)
    matches = registry.index.find(stream.text)
    return stream.wrap([(m.start, m.end, _name_maker(m)) for m in matches])


def _name_maker(match: Match) -> Callable[[list[Inline]], Inline]:
    cand = match.candidate

    def make(nodes: list[Inline]) -> Inline:
        if match.correction is not None:
            choice = Choice(sic=nodes, corr=[Text(match.correction)], reason="ocr")
            return Name(cand.kind, [choice], ref=cand.entity_id)
        return Name(cand.kind, nodes, ref=cand.entity_id)

    return make


def _unresolved(
    kind: str, position: Position, context: EnrichContext
) -> Callable[[list[Inline]], Inline]:
    def make(nodes: list[Inline]) -> Inline:
        context.report(
            UNRESOLVED,
            f"{'person' if kind == 'person' else 'organisation'} name "
            f'"{" ".join(plain_text(nodes).split())}" is not in the registry; marked without '
            "a reference",
            line=position.line or None,
            severity=Severity.INFO,
        )
        return Name(kind, nodes)

    return make


def _org_atomic(node: Inline) -> str:
    """For organisation names: registered places and organisations may stand inside one
    ("Embassy of the USSR"); other nodes keep their usual part in the stream."""
    if isinstance(node, Name) and node.kind in ("place", "org"):
        return "\x02"
    return default_atomic(node)


def _unregistered_orgs(
    spans: list[Inline], position: Position, context: EnrichContext
) -> list[Inline]:
    stream = Stream(spans, _org_atomic)
    text = stream.text
    found = []
    for m in ORG_RE.finditer(text):
        span = org_span(text, m.start("org"), m.end("org"))
        if span is None or not stream.can_wrap(*span):
            continue
        if _inside_single_name(stream, span):
            continue
        found.append((span[0], span[1], _unresolved("org", position, context)))
    return stream.wrap(found) if found else spans


def _inside_single_name(stream: Stream, span: tuple[int, int]) -> bool:
    """True if the span is only one registered name (nothing to add)."""
    pieces = [p for p in stream.pieces if p.start < span[1] and p.end > span[0]]
    return len(pieces) == 1 and not pieces[0].splittable


def _unregistered_persons(
    spans: list[Inline], position: Position, context: EnrichContext
) -> list[Inline]:
    stream = Stream(spans)
    text = stream.text
    found: list[tuple[int, int]] = []
    # after a title, possibly across a gap and inside parentheses
    for m in TITLE_RE.finditer(text):
        if not m.group()[0].isupper() or _article_before(text, m.start()):
            continue
        plural = m.group().casefold() in PLURAL_TITLES or position.role in LIST_POSITIONS
        found.extend(_names_after(text, m.end(), plural=plural))
    # "by" in the archival apparatus; "Recorded by …" anywhere
    for m in (BY_RE if position.role == "apparatus" else CLERK_BY_RE).finditer(text):
        found.extend(_names_after(text, m.end(), plural=True))
    # signatures and speaker labels: every run of name words
    if position.role in NAME_POSITIONS:
        pos = 0
        while pos < len(text):
            run = name_run(text, pos)
            if run is not None and (pos == 0 or not text[pos - 1].isalnum()):
                found.append(run)
                pos = run[1]
            else:
                pos += 1
    spans_out = []
    taken: set[int] = set()
    for start, end in sorted(set(found)):
        if any(k in taken for k in range(start, end)) or not stream.can_wrap(start, end):
            continue
        taken.update(range(start, end))
        spans_out.append((start, end, _unresolved("person", position, context)))
    return stream.wrap(spans_out) if spans_out else spans


def _article_before(text: str, pos: int) -> bool:
    """ "the General Staff", "a Major offensive": an article makes the title a common noun."""
    before = text[:pos].rstrip()
    word = before.rsplit(None, 1)[-1] if before.split() else ""
    return word.casefold() in ("the", "a", "an", "this", "that", "our", "their", "his", "its")


def _names_after(text: str, pos: int, *, plural: bool) -> list[tuple[int, int]]:
    """Names starting at ``pos`` after a title: skip white space, a gap (``[signature]``)
    and an opening parenthesis; with ``plural``, names joined by "and" and commas too."""
    found: list[tuple[int, int]] = []
    while True:
        cursor = pos
        while cursor < len(text) and text[cursor] in " \t" + GAP:
            cursor += 1
        if cursor < len(text) and text[cursor] == "(":
            cursor += 1
        if cursor < len(text) and text[cursor] == SEP:  # a name already marked
            cursor += 1
            end = cursor
        else:
            run = name_run(text, cursor)
            if run is None:
                break
            found.append(run)
            end = run[1]
        if not plural:
            break
        if end < len(text) and text[end] == ")":
            end += 1
        joint = COORDINATION_RE.match(text, end)
        if joint is None or joint.end() == end:
            break
        pos = joint.end()
    return found


#: what stands between a speaker's name and the quotation of the words spoken
SPEECH_VERB_RE = re.compile(
    r"^\s*(?:then\s+|also\s+|again\s+)?(?:said|says|added|asked|replied|repeated|stated|"
    r"declared|answered|noted|remarked|continued|objected|proposed|responded|emphasized|"
    r"emphasised|stressed|observed|suggested|explained)\b[^\"“„«.!?]{0,40}[,:]?\s*$"
)


def _speakers(spans: list[Inline]) -> None:
    """Give a quotation the person whose name and speech verb come right before it."""
    for k, node in enumerate(spans):
        if not isinstance(node, Quoted) or node.who or k < 2:
            continue
        verb, name = spans[k - 1], spans[k - 2]
        if (
            isinstance(verb, Text)
            and SPEECH_VERB_RE.match(verb.text)
            and isinstance(name, Name)
            and name.kind == "person"
            and name.ref
        ):
            node.who = name.ref


def _titles(spans: list[Inline]) -> list[Inline]:
    """Split a title off the text just before a person's name into a ``RoleName``."""
    out: list[Inline] = []
    for k, node in enumerate(spans):
        if isinstance(node, Name) and node.kind == "person" and out:
            prev = out[-1]
            # "MAJOR [signature] (RUDAKOV)": look past a gap and a parenthesis
            gap_nodes: list[Inline] = []
            if (
                isinstance(prev, Text)
                and prev.text.strip() == "("
                and len(out) >= 3
                and (isinstance(out[-2], Bracketed) and out[-2].kind == "gap")
            ):
                gap_nodes = [out.pop(), out.pop()]
                prev = out[-1]
            if isinstance(prev, Text):
                m = TITLE_BEFORE_RE.search(prev.text)
                if (
                    m
                    and m.group("title")[0].isupper()
                    and not _article_before(prev.text, m.start("title"))
                ):
                    out.pop()
                    head = prev.text[: m.start("title")]
                    if head:
                        out.append(Text(head))
                    title = m.group("title")
                    out.append(RoleName([Text(title)], type=title_kind(title)))
                    rest = prev.text[m.end("title") :]
                    if rest:
                        out.append(Text(rest))
            out.extend(reversed(gap_nodes))
        out.append(node)
        del k
    return out
