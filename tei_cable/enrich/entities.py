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
from ..entities.local import Mention, distinct_forms, group_mentions, make_id, person_shape
from ..entities.names import Candidate, Match, NameIndex, form_candidate, tokenize
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
    Break,
    Choice,
    Division,
    Emph,
    Footnote,
    Heading,
    Inline,
    Letter,
    ListBlock,
    LocalEntity,
    Name,
    Paragraph,
    Part,
    Quotation,
    Quoted,
    Record,
    RoleName,
    Speech,
    Stamp,
    Sup,
    Text,
    inline_children,
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
    resolve_local(record, registry, context)


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
    """A maker of names the registry does not know (they get local entries later)."""

    def make(nodes: list[Inline]) -> Inline:
        return Name(kind, nodes)

    return make


# ------------------------------------------------------------------------------ local entries
def resolve_local(record: Record, registry: Registry, context: EnrichContext) -> None:
    """Give every name the registry does not know an entry of the document's own.

    Mentions of one entity share one entry (see :mod:`tei_cable.entities.local`); a name glossed
    by a registered one takes its id. Then the forms of the document's own entries are looked
    for where no name was marked yet ("Kim Jong Il" named again without a title). Each entry
    is reported once (``E110``, information) at its first mention.
    """
    found = list(_unresolved_names(record))
    mentions = [
        Mention(name.kind, name_text(name.children), k, ref=glossed)
        for k, (name, _line, glossed, _link) in enumerate(found)
    ]
    links = [(k, link) for k, (_n, _l, _g, link) in enumerate(found) if link is not None]
    persons = _registered_persons(record, registry)
    groups = group_mentions(mentions, links, persons)
    taken = {e.id for e in registry} | {e.id for e in record.entities}
    made: list[LocalEntity] = []
    for members in groups:
        nodes = [found[m.index][0] for m in members]
        ref = members[0].ref
        if ref is None:
            forms = distinct_forms(m.text for m in members)
            if not forms:
                continue
            entity = LocalEntity(make_id(forms[0], members[0].kind, taken), members[0].kind, forms)
            made.append(entity)
            ref = entity.id
            line = found[members[0].index][1]
            context.report(
                UNRESOLVED,
                f'{_KIND_WORDS[entity.kind]} "{forms[0]}" is not in the registry: an entry of '
                f"the document's own, #{entity.id}",
                line=line or None,
                severity=Severity.INFO,
            )
        for node in nodes:
            node.ref = ref
    record.entities.extend(made)
    if made:
        _mark_local_forms(record, made)
    counts: dict[str, int] = {}
    for name in _all_names(record):
        if name.ref:
            counts[name.ref] = counts.get(name.ref, 0) + 1
    for entity in record.entities:
        entity.mentions = counts.get(entity.id, 0)


_KIND_WORDS = {"person": "person", "place": "place", "org": "organisation"}


def name_text(spans: list[Inline]) -> str:
    """The name a list of spans reads: supplied letters in, brackets, gaps and notes out, the
    correction of a misreading."""
    out: list[str] = []
    for span in spans:
        if isinstance(span, Text):
            out.append(span.text)
        elif isinstance(span, Break):
            out.append(" ")
        elif isinstance(span, Choice):
            out.append(name_text(span.corr))
        elif isinstance(span, Bracketed):
            if span.kind == "supplied":
                out.append(name_text(span.children))
        elif isinstance(span, (Name, RoleName, Sup, Emph)):
            out.append(name_text(span.children))
    return " ".join("".join(out).split())


def _all_names(record: Record) -> Iterator[Name]:
    for inlines, _position in inline_lists(record):
        yield from _names_in(inlines)


def _names_in(spans: list[Inline]) -> Iterator[Name]:
    for span in spans:
        if isinstance(span, Name):
            yield span
        for children in inline_children(span):
            yield from _names_in(children)


def _unresolved_names(
    record: Record,
) -> Iterator[tuple[Name, int, str | None, int | None]]:
    """Names without ``ref`` in document order: (name, line, the registry id of a name it
    glosses or that glosses it, the index of an unresolved name it glosses)."""
    counter = 0
    link_to: dict[int, int] = {}  # id(glossing name) -> index of the unresolved name glossed
    ref_for: dict[int, str] = {}  # id(glossing name) -> registry id of the name glossed

    def walk(spans: list[Inline], line: int) -> Iterator[tuple[Name, int, str | None, int | None]]:
        nonlocal counter
        for k, span in enumerate(spans):
            if isinstance(span, Name):
                gloss = _gloss_name(spans, k)
                if span.ref is None:
                    mine = counter
                    counter += 1
                    glossed = ref_for.pop(id(span), None)
                    if gloss is not None and gloss.ref:
                        glossed = glossed or gloss.ref
                    elif gloss is not None:
                        link_to[id(gloss)] = mine
                    yield span, line, glossed, link_to.pop(id(span), None)
                elif gloss is not None and gloss.ref is None:
                    ref_for[id(gloss)] = span.ref
            for children in inline_children(span):
                yield from walk(children, line)

    for inlines, position in inline_lists(record):
        yield from walk(inlines, position.line)


def _gloss_name(spans: list[Inline], k: int) -> Name | None:
    """The name that glosses ``spans[k]``: a bracket right after it (only white space
    between) holding one name and nothing else but white space."""
    j = k + 1
    if j < len(spans) and isinstance(spans[j], Text) and not spans[j].text.strip():
        j += 1
    if j >= len(spans):
        return None
    gloss = spans[j]
    if not isinstance(gloss, Bracketed) or gloss.kind not in ("gloss", "supplied", "alternative"):
        return None
    inner = [c for c in gloss.children if not (isinstance(c, Text) and not c.text.strip())]
    if len(inner) == 1 and isinstance(inner[0], Name) and inner[0].kind == spans[k].kind:
        return inner[0]
    return None


def _registered_persons(record: Record, registry: Registry) -> dict[str, tuple[str, ...]]:
    """The registered persons the document names, with the words of their preferred name."""
    found: dict[str, tuple[str, ...]] = {}
    for name in _all_names(record):
        if name.kind == "person" and name.ref and name.ref not in found:
            entity = registry.get(name.ref)
            if entity is not None:
                found[name.ref] = person_shape(entity.preferred).words
    return found


def _mark_local_forms(record: Record, entities: list[LocalEntity]) -> None:
    """Mark the forms of the document's own entries where the text names them unmarked."""
    candidates = []
    for entity in entities:
        for form in entity.names:
            tokens = tokenize(form)
            if len(tokens) < 2 and (len(form) < 3 or (form.isupper() and len(form) < 4)):
                continue  # too short to be found again without its context
            candidates.append(form_candidate(entity.id, entity.kind, form, None))
    if not candidates:
        return
    index = NameIndex(candidates, ocr=False)

    def visit(spans: list[Inline]) -> list[Inline]:
        stream = Stream(spans)
        matches = [m for m in index.find(stream.text) if _exact_case(stream.text, m)]
        if not matches:
            return spans
        made = [(m.start, m.end, _local_maker(m.candidate)) for m in matches]
        return stream.wrap(made)

    for inlines, _position in inline_lists(record):
        rewrite(inlines, visit)


def _exact_case(text: str, match: Match) -> bool:
    """A one-word form is found again only as written, or in capitals ("Bang", "BANG")."""
    if len(match.candidate.tokens) > 1:
        return True
    surface = text[match.start : match.end]
    form = match.candidate.tokens[0]
    return surface == form or (surface.isupper() and surface.casefold() == form.casefold())


def _local_maker(candidate: Candidate) -> Callable[[list[Inline]], Inline]:
    def make(nodes: list[Inline]) -> Inline:
        return Name(candidate.kind, nodes, ref=candidate.entity_id)

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
