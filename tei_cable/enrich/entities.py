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
from ..entities.inline import SEP, Stream, default_atomic, rewrite
from ..entities.local import Mention, distinct_forms, group_mentions, make_id, person_shape
from ..entities.names import Candidate, Match, NameIndex, form_candidate, tokenize
from ..entities.orgs import NAMED, org_spans
from ..entities.persons import PERSON, UNIDENTIFIED, article_before, person_spans
from ..entities.places import PLACE, place_spans
from ..entities.registry import Registry, builtin_registry
from ..entities.shapes import TRAILING_INITIALS_RE, count_initials
from ..entities.titles import TITLE_BEFORE_RE, is_title, title_kind
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
    plain_text,
)
from . import EnrichContext, FunctionEnricher

#: diagnostic code: a name the registry does not know was marked without a reference
UNRESOLVED = "E110"


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
    date = record_date(record)
    for inlines, position in inline_lists(record):
        _mark_list(inlines, position, registry, context, date)
    resolve_local(record, registry, context)
    mark_descriptions(record)


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
def record_date(record: Record) -> str | None:
    """The record's date as ISO (year, month or day), for names that hold only for a time."""
    from .dates import find_dates  # dates build on names: imported when used

    for _start, _end, parsed in find_dates(record.date or ""):
        if parsed.year is not None:
            parts = [f"{parsed.year:04d}"]
            if parsed.month is not None:
                parts.append(f"{parsed.month:02d}")
                if parsed.day is not None:
                    parts.append(f"{parsed.day:02d}")
            return "-".join(parts)
    return None


def _mark_list(
    inlines: list[Inline],
    position: Position,
    registry: Registry,
    context: EnrichContext,
    date: str | None = None,
) -> None:
    def visit(spans: list[Inline]) -> list[Inline]:
        spans = _registered(spans, registry, date)
        spans = _unregistered_orgs(spans, position, context)
        spans = _unregistered_places(spans, position, context)
        spans = _unregistered_persons(spans, position, context)
        spans = _titles(spans)
        spans = _glossed_words(spans)
        _speakers(spans)
        return spans

    rewrite(inlines, visit)


#: after an organisation's name: "of" another body ("General Assembly of the IAEA")
_OF_ANOTHER_RE = re.compile(r"\s+(?:of|OF)\s+(?:(?:the|THE)\s+)?[A-Z]")
#: before a place's name: a state's name the registry does not know ("Republic of China" is
#: not the People's Republic)
_STATE_BEFORE_RE = re.compile(r"(?<![\w'’])Republic\s+of\s+(?:the\s+)?$")


def _registered(spans: list[Inline], registry: Registry, date: str | None = None) -> list[Inline]:
    """Registered name forms that name their entity at the record's ``date``; an
    organisation's form followed by "of" another body names a body of that other one
    ("General Assembly of the IAEA" is not the UN's), so it is left to the organisation
    rules."""
    stream = Stream(spans)
    matches = [
        m
        for m in registry.index.find(stream.text, date)
        if not (m.candidate.kind == "org" and _OF_ANOTHER_RE.match(stream.text, m.end))
        and not (m.candidate.kind == "place" and _STATE_BEFORE_RE.search(stream.text[: m.start]))
    ]
    return stream.wrap([(m.start, _with_initials(stream, m), _name_maker(m)) for m in matches])


def _with_initials(stream: Stream, match: Match) -> int:
    """Where a person's name ends: initials right after a surname are part of it ("Beria
    L.P.")."""
    if match.candidate.kind != "person" or match.correction is not None:
        return match.end
    m = TRAILING_INITIALS_RE.match(stream.text, match.end)
    if (
        m
        and count_initials(stream.text[match.start : match.end]) == 0
        and stream.can_wrap(match.start, m.end())
    ):
        return m.end()
    return match.end


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
        _mark_local_forms(record, made, _known_surnames(persons, made))
    counts: dict[str, int] = {}
    for name in _all_names(record):
        if name.ref:
            counts[name.ref] = counts.get(name.ref, 0) + 1
    for entity in record.entities:
        entity.mentions = counts.get(entity.id, 0)


# ------------------------------------------------------------------------------ descriptions
#: "the Ambassador", "the Chancellor": an office named alone, with the article
_DESCRIPTION_RE = re.compile(
    r"(?<![\w'’])(?:the|The)\s+(?P<office>[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,3})(?![\w'’])"
)


def mark_descriptions(record: Record) -> None:
    """ "The Ambassador" where the document names exactly one person with that office
    ("Ambassador A. M. Puzanov"): a description of that person (``rs``), pointing at him. An
    office held by nobody or by several people the document names is left as it is."""
    holders: dict[str, set[str]] = {}
    for inlines, _position in inline_lists(record):
        for spans in _all_lists(inlines):
            for k in range(len(spans) - 2):
                role, gap, name = spans[k], spans[k + 1], spans[k + 2]
                if (
                    isinstance(role, RoleName)
                    and role.type == "office"
                    and isinstance(gap, Text)
                    and not gap.text.strip()
                    and isinstance(name, Name)
                    and name.kind == "person"
                    and name.ref
                ):
                    office = title_kind_head(plain_text(role.children))
                    holders.setdefault(office, set()).add(name.ref)
    offices = {o: refs.pop() for o, refs in holders.items() if len(refs) == 1}
    if not offices:
        return

    def visit(spans: list[Inline]) -> list[Inline]:
        stream = Stream(spans)
        found = []
        for m in _DESCRIPTION_RE.finditer(stream.text):
            office = title_kind_head(m.group("office"))
            after = stream.text[m.end() : m.end() + 4]
            if office in offices and not re.match(r"\s+(?:of|[A-Z])", after):
                ref = offices[office]
                found.append((m.start(), m.end(), _description_maker(ref)))
        return stream.wrap(found) if found else spans

    for inlines, _position in inline_lists(record):
        rewrite(inlines, visit)


def title_kind_head(title: str) -> str:
    """The office a title names, without its qualifiers ("First Deputy Prime Minister" →
    "Prime Minister")."""
    words = title.split()
    for k in range(len(words)):
        if title_kind(" ".join(words[k:])) is not None:
            return " ".join(words[k:])
    return title


def _description_maker(ref: str) -> Callable[[list[Inline]], Inline]:
    def make(nodes: list[Inline]) -> Inline:
        return Name("person", nodes, ref=ref, description=True)

    return make


def _all_lists(spans: list[Inline]) -> Iterator[list[Inline]]:
    yield spans
    for span in spans:
        for children in inline_children(span):
            yield from _all_lists(children)


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
            out.append(name_text(span.corr or span.sic))
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
    gloss_of: dict[int, Name] = {}  # id(inner name) -> the name glossing it

    def walk(spans: list[Inline], line: int) -> Iterator[tuple[Name, int, str | None, int | None]]:
        nonlocal counter
        for k, span in enumerate(spans):
            if isinstance(span, Name):
                gloss = gloss_of.pop(id(span), None) or _gloss_name(spans, k)
                inner = _glossed_inside(span, gloss)
                if inner is not None:  # "General Assembly of the IAEA [International …]"
                    gloss_of[id(inner)] = gloss
                    gloss = None
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
    if j < len(spans) and isinstance(spans[j], Text) and _BESIDE_RE.fullmatch(spans[j].text):
        j += 1
    if j >= len(spans):
        return None
    gloss = spans[j]
    if not isinstance(gloss, Bracketed) or gloss.kind not in ("gloss", "supplied", "alternative"):
        return None
    inner = _only_name(gloss.children)
    return inner if inner is not None and inner.kind == spans[k].kind else None


def _glossed_inside(name: Name, gloss: Name | None) -> Name | None:
    """The name inside ``name`` that ``gloss`` explains: its last word when that is a name of
    its own and the gloss spells it out ("IAEA" and "International Atomic Energy Agency")."""
    if gloss is None or not name.children or not isinstance(name.children[-1], Name):
        return None
    last = name.children[-1]
    letters = "".join(w[0] for w in name_text(gloss.children).split() if w[:1].isupper())
    return last if letters and letters == name_text(last.children).replace(".", "") else None


def _registered_persons(record: Record, registry: Registry) -> dict[str, tuple[str, ...]]:
    """The registered persons the document names, with the words of their preferred name."""
    found: dict[str, tuple[str, ...]] = {}
    for name in _all_names(record):
        if name.kind == "person" and name.ref and name.ref not in found:
            entity = registry.get(name.ref)
            if entity is not None:
                found[name.ref] = person_shape(entity.preferred).words
    return found


#: a name with initials: "[S.E.] ZAKHAROV", "A. Lazar", "Konstantinov V.M."
_SUPPLIED_INITIALS_RE = re.compile(r"\[[^\]]*\]")


def _surname(form: str) -> str | None:
    """The surname of a person's form written with initials and one other word, else None."""
    shape = person_shape(_SUPPLIED_INITIALS_RE.sub(" ", form))
    if not (shape.initials or _SUPPLIED_INITIALS_RE.search(form)) or len(shape.words) != 1:
        return None
    words = [
        w for w in _SUPPLIED_INITIALS_RE.sub(" ", form).replace(",", " ").split() if "." not in w
    ]
    return words[0] if len(words) == 1 and len(words[0]) >= 4 else None


def _known_surnames(
    registered: dict[str, tuple[str, ...]], entities: list[LocalEntity]
) -> dict[str, int]:
    """How many persons of the document (registered or its own) have each (folded) word."""
    counts: dict[str, int] = {}
    people = [set(words) for words in registered.values()]
    people += [
        {w for form in e.names for w in person_shape(form).words}
        for e in entities
        if e.kind == "person"
    ]
    for words in people:
        for word in words:
            counts[word] = counts.get(word, 0) + 1
    return counts


def _mark_local_forms(
    record: Record, entities: list[LocalEntity], surnames: dict[str, int] | None = None
) -> None:
    """Mark the forms of the document's own entries where the text names them unmarked; a
    person written with initials is found again by the surname alone ("[S.E.] ZAKHAROV" …
    "ZAKHAROV") where no other person of the document has that word in a name."""
    candidates = []
    for entity in entities:
        forms = list(entity.names)
        if entity.kind == "person" and surnames is not None:
            for form in entity.names:
                surname = _surname(form)
                if surname and surnames.get(person_shape(surname).words[0], 0) == 1:
                    forms.append(surname)
        for form in forms:
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
    by_id = {entity.id: entity for entity in entities}
    for name in _all_names(record):  # a form found again joins its entry's names
        entity = by_id.get(name.ref or "")
        text = name_text(name.children)
        if entity is not None and text not in entity.names:
            entity.names.append(text)


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
        return NAMED
    return default_atomic(node)


#: an abbreviation at the end of an organisation's name, after "of": "… of the IAEA"
_INNER_ACRONYM_RE = re.compile(r"(?<=\s)(?:of|OF)\s+(?:(?:the|THE)\s+)?(?P<acronym>[A-Z]{2,6})$")


def _org_maker(nodes: list[Inline]) -> Inline:
    """An organisation; an abbreviation it ends with after "of" names the body it belongs to
    ("General Assembly of the IAEA"), marked inside it."""
    if nodes and isinstance(nodes[-1], Text):
        m = _INNER_ACRONYM_RE.search(nodes[-1].text)
        if m:
            text = nodes[-1].text
            nodes = [*nodes[:-1], Text(text[: m.start("acronym")])]
            nodes.append(Name("org", [Text(m.group("acronym"))]))
    return Name("org", nodes)


def _unregistered_orgs(
    spans: list[Inline], position: Position, context: EnrichContext
) -> list[Inline]:
    stream = Stream(spans, _org_atomic)
    found = [
        (start, end, _org_maker)
        for start, end in org_spans(stream.text)
        if stream.can_wrap(start, end) and not _inside_single_name(stream, (start, end))
    ]
    return stream.wrap(found) if found else spans


def _place_atomic(node: Inline) -> str:
    """For places: places already marked may stand inside one ("Northeastern China")."""
    if isinstance(node, Name):
        return PLACE if node.kind == "place" else SEP
    return default_atomic(node)


def _unregistered_places(
    spans: list[Inline], position: Position, context: EnrichContext
) -> list[Inline]:
    stream = Stream(spans, _place_atomic)
    found = [
        (start, end, _unresolved("place", position, context))
        for start, end in place_spans(stream.text)
        if stream.can_wrap(start, end) and not _inside_single_name(stream, (start, end))
    ]
    return stream.wrap(found) if found else spans


def _inside_single_name(stream: Stream, span: tuple[int, int]) -> bool:
    """True if the span is only one registered name (nothing to add)."""
    pieces = [p for p in stream.pieces if p.start < span[1] and p.end > span[0]]
    return len(pieces) == 1 and not pieces[0].splittable


#: an editor's remark that the person before it is not identified
UNIDENTIFIED_RE = re.compile(r"^\s*(?:not\s+(?:further\s+)?identified|unidentified)\b", re.I)


def _person_atomic(node: Inline) -> str:
    """For persons: names already marked and "[not further identified]" are markers."""
    if isinstance(node, Name):
        return PERSON if node.kind == "person" else SEP
    if (
        isinstance(node, Bracketed)
        and node.kind in ("note", "supplied")
        and UNIDENTIFIED_RE.match(plain_text(node.children))
    ):
        return UNIDENTIFIED
    return default_atomic(node)


def _unregistered_persons(
    spans: list[Inline], position: Position, context: EnrichContext
) -> list[Inline]:
    stream = Stream(spans, _person_atomic)
    found = [
        (start, end, _unresolved("person", position, context))
        for start, end in person_spans(stream.text, position.role)
        if stream.can_wrap(start, end)
    ]
    return stream.wrap(found) if found else spans


#: what stands between a speaker's name and the quotation of the words spoken
SPEECH_VERB_RE = re.compile(
    r"^\s*(?:then\s+|also\s+|again\s+)?(?:said|says|added|asked|replied|repeated|stated|"
    r"declared|answered|noted|remarked|continued|objected|proposed|responded|emphasized|"
    r"emphasised|stressed|observed|suggested|explained)\b[^\"“„«.!?]{0,40}[,:]?\s*$"
)


#: a capitalised word (its possessive ending apart) right before a bracket
_WORD_BEFORE_RE = re.compile(
    r"(?<![\w'’\-])(?P<word>(?:[A-ZÀ-ÞА-Я][\w\-]*[ \t]){0,2}[A-ZÀ-ÞА-Я][\w\-]*)(?:['’]s?)?\s?$"
)


def _glossed_words(spans: list[Inline]) -> list[Inline]:
    """A word the editor glosses with a name is a name of the same kind: "Minfar’s [Ministry
    of the Revolutionary Armed Forces’]" makes "Minfar" an organisation."""
    out: list[Inline] = []
    for k, node in enumerate(spans):
        prev = out[-1] if out else None
        if (
            isinstance(node, Bracketed)
            and node.kind == "gloss"
            and isinstance(prev, Text)
            and (inner := _only_name(node.children)) is not None
        ):
            m = _WORD_BEFORE_RE.search(prev.text)
            while m and " " in m.group("word") and is_title(m.group("word").split()[0]):
                m = _WORD_BEFORE_RE.search(prev.text, m.start("word") + len(m["word"].split()[0]))
            if m:
                out.pop()
                if m.start("word"):
                    out.append(Text(prev.text[: m.start("word")]))
                out.append(Name(inner.kind, [Text(m.group("word"))]))
                if m.end("word") < len(prev.text):
                    out.append(Text(prev.text[m.end("word") :]))
        out.append(node)
        del k
    return out


def _only_name(children: list[Inline]) -> Name | None:
    """The one name a bracket holds (white space and a possessive ending beside it)."""
    inner = [c for c in children if not (isinstance(c, Text) and _BESIDE_RE.fullmatch(c.text))]
    return inner[0] if len(inner) == 1 and isinstance(inner[0], Name) else None


_BESIDE_RE = re.compile(r"\s*(?:['’]s?)?\s*")


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
                    and (
                        m.group("title")[0].isupper() or title_kind(m.group("head")) == "honorific"
                    )
                    and not article_before(prev.text, m.start("title"))
                ):
                    out.pop()
                    head = prev.text[: m.start("title")]
                    if head:
                        out.append(Text(head))
                    title = m.group("title")
                    out.append(RoleName([Text(title)], type=title_kind(m.group("head"))))
                    rest = prev.text[m.end("title") :]
                    if rest:
                        out.append(Text(rest))
            out.extend(reversed(gap_nodes))
        out.append(node)
        del k
    return out
