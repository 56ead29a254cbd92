"""Correspondence metadata: who sent each letter to whom, from where and when (``Letter.corresp``).

Only what the document itself states, each fact with its evidence (:class:`~tei_cable.model.Party`):

- **senders**: persons and organisations in the signature (closer ``signed``), in a labelled
  sender field (``FROM:``, ``Sender:``, ``发报人：``) or a sender line (``From Cde. Terebin``);
- **addressees**: persons and organisations in an addressee line or field (``To Cde. MAO
  ZEDONG``, ``for Comrade KIM IL SUNG``, ``To: the Romanian Ministry …``, an address at the
  foot), else in the salutation (``Comrade FILIPPOV:``); for a quoted message that names none,
  the names after the instruction that relays it (``Pass the following to Cde. MAO ZEDONG:``,
  ``convey to Mao Zedong that "…"``);
- **copy recipients**: names in a ``Copies to …`` line (``correspAction`` ``subtype="cc"``);
- **places**: a place in a dateline or a sender field, after "from" in the transmission
  apparatus (sent); a place in an addressee field or after "to" there (received);
- **dates**: the dateline (closer first), a ``Date:``/``DATE SENT`` field, a date after "sent"
  or "dispatched" in the apparatus (sent); a ``DATE RECEIVED``/``Arrived:`` field or a date
  after "received" (received), unless it comes before the date sent (``E131``: the copy of an
  outgoing telegram says when the cipher office received the text);
- **the catalogue title**, for the record's own document only and only for a role the text
  leaves empty, when it names the parties in the archive's forms ``Kind, X to Y[, subject]`` or
  ``Kind [No. N] from X [to Y][, subject]`` and each name is known as a person, organisation or
  place (from the registry, from the same name marked in the text, or by an organisation's
  words); never from any other phrase.

Nothing is filled in where the document is silent. Documents that are not messages (a journal,
a record of a conversation, minutes; see :mod:`tei_cable.kinds`) get no parties; a memorandum or
a report is a message only when it is addressed or names its sender in a field.

The text elements that state a fact get an ``id`` (``L1-signed``, ``L1.1-to``), which the
correspondence writer points at with ``@source``; names in them get ``Name.role``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from ..kinds import is_message_kind
from ..model import (
    ArchivalNote,
    Block,
    Bracketed,
    Correspondence,
    Division,
    Inline,
    Letter,
    ListBlock,
    Name,
    Paragraph,
    Part,
    Party,
    Quotation,
    Quoted,
    Record,
    Text,
    When,
    inline_children,
    plain_text,
)
from . import EnrichContext, FunctionEnricher

_RECEIVED_RE = re.compile(r"\b(?:received|Received|RECEIVED|arrived|Arrived|Incoming)\b")
_SENT_RE = re.compile(r"\b(?:sent|Sent|SENT|dispatched|transmitted|Transmitted)\b")
_FROM_RE = re.compile(r"\b(?:from|From|FROM)\s*\[?\s*$")
_TO_RE = re.compile(r"\b(?:to|To|TO)\s*\[?\s*$")
#: the instruction that relays a quoted message to its addressee
RELAY_RE = re.compile(
    r"\b(?:pass(?:\s+on)?|convey|transmit|forward|hand(?:\s+over)?|deliver|communicate|"
    r"relay|give|send)\b[^.;:]*?\bto\s*$",
    re.IGNORECASE,
)
#: field labels (``Part.label``) that state the date a letter was received
RECEIVED_FIELDS = {"date-received", "arrived", "received", "收报时间", "收电时间"}
ORG_WORDS = re.compile(
    r"\b(?:Embassy|Ministry|Committee|Commission|Council|Department|Government|Party|Office|"
    r"Headquarters|Delegation|Consulate|Secretariat|Bureau|Directorate|Administration|Staff|"
    r"Army|Command|Agency|Legation|Mission|Presidium|Politburo|Union|League|Federation|"
    r"Association|Society|Front|Section|Division)\b|(?:部|委员会|大使馆|政府|中央|司令部)"
)


def fill_correspondence(record: Record, context: EnrichContext | None = None) -> None:
    """Fill ``corresp`` of every letter of ``record`` from the evidence of its text."""
    registry = getattr(context, "registry", None)
    parents: dict[int, Letter] = {}
    for letter in record.letters():
        for child in letter.nested():
            parents[id(child)] = letter
    for letter in record.letters():
        found = _Evidence(letter)
        found.read()
        parent = parents.get(id(letter))
        if parent is not None:
            found.relay(parent)
        if letter is record.document:
            found.title(record, registry)
        found.corresp.message = _is_message(letter, found.corresp)
        if not found.corresp.message:
            found.corresp.parties.clear()
            for node in found.given:  # nothing points at them
                node.id = ""
        else:
            found.received_not_before_sent(context)
            found.mark_roles()
        letter.corresp = found.corresp
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
        for party in child.corresp.parties:
            when = party.when if party.action == "sent" and party.kind == "date" else None
            mine = (
                next((v for v in (when.when, when.not_before, when.from_) if v), None)
                if when
                else None
            )
            if not (mine and latest):
                continue
            n = min(len(mine), len(latest))
            if mine[:n] > latest[:n]:
                party.when = None
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


def _is_message(letter: Letter, c: Correspondence) -> bool:
    message = is_message_kind(letter.kind)
    if message is not None:
        return message
    addressed = any(p.action in ("received", "cc") and p.kind != "date" for p in c.parties)
    sender_field = any(
        p.action == "sent" and p.evidence in ("field", "sender") and p.kind in ("person", "org")
        for p in c.parties
    )
    return addressed or sender_field


class _Evidence:
    """Collects the parties one letter states, with the element stating each."""

    def __init__(self, letter: Letter) -> None:
        self.letter = letter
        self.corresp = Correspondence()
        self.used_ids: set[str] = set()
        self.given: list[Part | Paragraph | ArchivalNote] = []
        self.marks: list[tuple[Name, str]] = []

    # -- ids ----------------------------------------------------------------------------------

    def source(self, node: Part | Paragraph | ArchivalNote, base: str) -> str:
        """The id of ``node``, given now if it has none (``L1-signed``, ``L1-signed-2``)."""
        if not node.id:
            stem = f"{self.letter.id or 'L'}-{base}"
            ident, k = stem, 1
            while ident in self.used_ids:
                k += 1
                ident = f"{stem}-{k}"
            node.id = ident
            self.given.append(node)
        self.used_ids.add(node.id)
        return node.id

    def received_not_before_sent(self, context: EnrichContext | None) -> None:
        """A letter received, by its words, before it was sent: "received" there is not the
        addressee's receipt (the copy of an outgoing telegram says when the cipher office
        received the text, then when it sent it). The received date is left out of the
        correspondence (``E131``); it stays in the text as read."""
        parties = self.corresp.parties
        sent = next((p for p in parties if p.action == "sent" and p.when), None)
        received = next((p for p in parties if p.action == "received" and p.when), None)
        if sent is None or received is None:
            return
        assert sent.when is not None and received.when is not None
        latest = next(
            (v for v in (received.when.when, received.when.not_after, received.when.to) if v), None
        )
        earliest = next(
            (v for v in (sent.when.when, sent.when.not_before, sent.when.from_) if v), None
        )
        if not (latest and earliest):
            return
        n = min(len(latest), len(earliest))
        if latest[:n] >= earliest[:n]:
            return
        parties.remove(received)
        if not any(p.source == received.source for p in parties):
            for node in self.given:  # nothing points at it now
                if node.id == received.source:
                    node.id = ""
        if context is not None:
            context.report(
                "E131",
                f"received {latest} but sent {earliest}, by the letter's own words: the "
                "received date is not the addressee's and is left out of its correspDesc",
                line=self.letter.line or None,
            )

    # -- facts --------------------------------------------------------------------------------

    def add(self, party: Party, name: Name | None = None) -> None:
        if party.kind != "date":
            party.name = party_label(party.name)
            if not party.name:
                return
        for other in self.corresp.parties:
            if other.action != party.action or other.kind != party.kind:
                continue
            if party.kind == "date" or (party.ref and other.ref == party.ref):
                return
            if not party.ref and _same_name(other.name, party.name):
                return
        self.corresp.parties.append(party)
        if name is not None and party.action in ("sent", "received", "cc"):
            role = {"sent": "sender", "received": "addressee", "cc": "copy"}[party.action]
            if party.kind in ("person", "org"):
                self.marks.append((name, role))

    def names(
        self,
        node: Part | Paragraph | ArchivalNote,
        spans: list[Inline],
        action: str,
        evidence: str,
        base: str,
        kinds: tuple[str, ...] = ("person", "org"),
    ) -> int:
        count = 0
        for name in _party_names(spans, kinds):
            source = self.source(node, base)
            self.add(
                Party(action, name.kind, _surface(name), name.ref, None, evidence, source), name
            )
            count += 1
        return count

    def written_name(self, part: Part, action: str, evidence: str, base: str) -> int:
        """A signature or an addressee line in which no name was marked: the name as written
        when it is one ("Terebin.", "To Terebin:", "Kuznetsov"), else nothing."""
        name = _signature_name(part.children)
        if not name:
            return 0
        kind = "org" if ORG_WORDS.search(name) else "person"
        self.add(Party(action, kind, name, None, None, evidence, self.source(part, base)))
        return 1

    def read(self) -> None:
        letter = self.letter
        closer_signed = [p for p in letter.closer if p.role == "signed"]
        for part in closer_signed:  # a person signing, else an organisation, else as written
            if not (
                self.names(part, part.children, "sent", "signature", "signed", ("person",))
                or self.names(part, part.children, "sent", "signature", "signed", ("org",))
            ):
                self.written_name(part, "sent", "signature", "signed")
        for part in letter.opener:
            if part.role == "sender":
                evidence = "field" if part.label else "sender"
                base = part.label or "from"
                self.names(part, part.children, "sent", evidence, base)
                self.names(part, part.children, "sent", evidence, base, ("place",))
        addressed = [p for p in (*letter.opener, *letter.closer) if p.role == "addressee"]
        found = 0
        for part in addressed:
            evidence = "field" if part.label else "addressee"
            named = self.names(part, part.children, "received", evidence, part.label or "to")
            if not named and not any(True for _ in _names(part.children, ("place",))):
                named = self.written_name(part, "received", evidence, part.label or "to")
            found += named
            self.names(part, part.children, "received", evidence, part.label or "to", ("place",))
        if not found:
            for part in letter.opener:
                if part.role == "salute":
                    self.names(part, part.children, "received", "salutation", "salute")
        for part in letter.opener:
            if part.role == "copies":
                evidence = "field" if part.label else "addressee"
                self.names(part, part.children, "cc", evidence, part.label or "cc")
        datelines = [p for p in (*letter.closer, *letter.opener) if p.role == "dateline"]
        for part in datelines:
            received = (part.label or "") in RECEIVED_FIELDS
            action = "received" if received else "sent"
            evidence = "field" if part.label else "dateline"
            base = part.label or "date"
            if not received:
                self.names(part, part.children, "sent", evidence, base, ("place",))
            when = next((w for w in _whens(part.children) if _dated(w)), None)
            if when is not None:
                source = self.source(part, base)
                self.add(
                    Party(action, "date", plain_text(when.children), None, when, evidence, source)
                )
        for part in letter.opener:
            if part.role == "field" and (part.label or "") in RECEIVED_FIELDS:
                when = next((w for w in _whens(part.children) if _dated(w)), None)
                if when is not None:
                    source = self.source(part, part.label or "field")
                    self.add(
                        Party(
                            "received",
                            "date",
                            plain_text(when.children),
                            None,
                            when,
                            "field",
                            source,
                        )
                    )
        for note, spans in _apparatus(letter):
            self.transmission(note, spans)

    def transmission(self, note: ArchivalNote | Part, spans: list[Inline]) -> None:
        """``from [BEIJING] received 1750 11 July 1951``: the place after "from", the date
        after "received" (or "sent"), in one pass over the note's spans."""
        before = ""
        for span in _flat(spans):
            if isinstance(span, Text):
                before += span.text
                continue
            if isinstance(span, Name) and span.kind == "place" and span.ref:
                if _FROM_RE.search(before):
                    source = self.source(note, "transmission")
                    self.add(
                        Party(
                            "sent", "place", _surface(span), span.ref, None, "transmission", source
                        )
                    )
                elif _TO_RE.search(before):
                    source = self.source(note, "transmission")
                    self.add(
                        Party(
                            "received",
                            "place",
                            _surface(span),
                            span.ref,
                            None,
                            "transmission",
                            source,
                        )
                    )
            elif isinstance(span, When) and _dated(span):
                tail = before[-40:]
                action = (
                    "received"
                    if _RECEIVED_RE.search(tail)
                    else "sent"
                    if _SENT_RE.search(tail)
                    else None
                )
                if action and not any(
                    p.action == action and p.kind == "date" for p in self.corresp.parties
                ):
                    source = self.source(note, "transmission")
                    self.add(
                        Party(
                            action,
                            "date",
                            plain_text(span.children),
                            None,
                            span,
                            "transmission",
                            source,
                        )
                    )
            before += plain_text([span])

    def relay(self, parent: Letter) -> None:
        """A quoted message that names no addressee: the names after the parent's instruction
        that relays it ("Pass the following to Cde. MAO ZEDONG:")."""
        if any(
            p.action == "received" and p.kind in ("person", "org") for p in self.corresp.parties
        ):
            return
        intro = _introduction(parent, self.letter)
        if intro is None:
            return
        paragraph, spans = intro
        before = ""
        for span in _flat(spans):
            if (
                isinstance(span, Name)
                and span.kind in ("person", "org")
                and RELAY_RE.search(before)
            ):
                source = self.source(paragraph, "relay")
                self.add(
                    Party("received", span.kind, _surface(span), span.ref, None, "relay", source)
                )
                return  # the first name after the verb
            before += plain_text([span]) if not isinstance(span, Text) else span.text

    def title(self, record: Record, registry: object) -> None:
        """The catalogue title's parties, for roles the text leaves empty."""
        for action, names in (
            ("sent", record.title_senders),
            ("received", record.title_addressees),
        ):
            named = any(
                p.action == action and p.kind in ("person", "org") for p in self.corresp.parties
            )
            placed = any(p.action == action and p.kind == "place" for p in self.corresp.parties)
            for surface in names:
                resolved = _resolve(surface, registry, self.letter)
                if resolved is None:
                    continue
                kind, ref = resolved
                if (kind == "place" and placed) or (kind != "place" and named):
                    continue  # the text names this role: the title is not needed
                self.add(Party(action, kind, surface, ref, None, "title", ""))

    def mark_roles(self) -> None:
        for name, role in self.marks:
            name.role = role


# ------------------------------------------------------------------------------------------
# The catalogue title
# ------------------------------------------------------------------------------------------

_TITLES_RE = re.compile(
    r"^(?:(?:Cdes?\.|Comrades?|Com\.|Tov\.|Mr\.|Mrs\.|Dr\.|General|Marshal|Chairman|Premier|"
    r"President|Ambassador)\s+)+"
)


def _resolve(surface: str, registry: object, letter: Letter) -> tuple[str, str | None] | None:
    """(kind, ref) of a title's name, or ``None`` when nothing says what it is."""
    gloss = re.search(r"\[([^\]]+)\]", surface)
    bare = _TITLES_RE.sub("", re.sub(r"\s*[\[(][^\])]*[\])]", "", surface)).strip()
    bare = re.sub(r"^the\s+", "", bare)
    lookup = getattr(registry, "lookup", None)
    for candidate in (gloss.group(1) if gloss else None, bare):
        if candidate and lookup is not None:
            found = lookup(candidate)
            if found:
                return found[0].kind, found[0].id
    for name in _text_names(letter):
        if _same_name(_surface(name), bare):
            return name.kind, name.ref
    if ORG_WORDS.search(bare):
        return "org", None
    return None


#: a note inside brackets or parentheses that is about the transmission, not the name
_RELAY_NOTE_RE = re.compile(
    r"\s*[\[(]\s*(?:via|through|thru|by way of|c/o|care of|for transmission)\b[^\])]*[\])]",
    re.IGNORECASE,
)


def party_label(surface: str) -> str:
    """A correspondent's name as the document writes it, without an editor's brackets around
    it: a relay note (``Mao Zedong [via Terebin]``) and a gloss or description after the name
    (``Flilippov [Stalin]``, ``Embassy in Havana (Pavlíček)``) are left out; words an editor
    supplied inside the name keep their place (``[Chinese] Foreign Ministry``, ``Ministry of
    Foreign Affairs [of the USSR]``)."""
    text = _RELAY_NOTE_RE.sub("", surface)
    text = re.sub(r"\s+via\s+.*$", "", text)  # "Mao Zedong via Zakharov"
    text = re.sub(r"\[((?:of|the|for|and|in|on)\b[^\]]*)\]", r"\1", text)
    text = re.sub(r"^\s*\[([^\]]*)\](?=\s*\w)", r"\1", text)
    text = re.sub(r"(?<=\S)\s*[\[(][^\])]*[\])]", "", text)  # a gloss after the name
    text = re.sub(r"^\s*[\[(]([^\])]*)[\])]\s*$", r"\1", text)  # only a supplied name
    return " ".join(text.split()).strip(" ,;:")


def _text_names(letter: Letter) -> Iterator[Name]:
    from ..model import letter_inlines

    for spans in letter_inlines(letter):
        yield from _names(spans, ("person", "org", "place"))


# ------------------------------------------------------------------------------------------
# Helpers
# ------------------------------------------------------------------------------------------


def _introduction(parent: Letter, letter: Letter) -> tuple[Paragraph, list[Inline]] | None:
    """The parent's paragraph that introduces ``letter``: the paragraph quoting it inside a
    sentence (the words before the quotation), or the paragraph right before it."""

    def search(blocks: list[Block]) -> tuple[Paragraph, list[Inline]] | bool | None:
        previous: Block | None = None
        for block in blocks:
            if block is letter:
                return (previous, previous.children) if isinstance(previous, Paragraph) else False
            if isinstance(block, Paragraph):
                for k, span in enumerate(block.children):
                    if isinstance(span, Quoted) and span.letter is letter:
                        return block, block.children[:k]
            inner: list[Block] = []
            if isinstance(block, (Quotation, Division)):
                inner = block.blocks
            elif isinstance(block, ListBlock):
                inner = [b for item in block.items for b in item.blocks]
            if inner:
                found = search(inner)
                if found is not None:
                    return found
            previous = block
        return None

    found = search([*parent.head, *parent.body, *parent.tail])
    return found if isinstance(found, tuple) else None


def _names(spans: list[Inline], kinds: tuple[str, ...]) -> Iterator[Name]:
    for span in spans:
        if isinstance(span, Name):
            if span.kind in kinds:
                yield span
            continue
        if isinstance(span, Quoted) and span.letter is not None:
            continue
        for children in inline_children(span):
            yield from _names(children, kinds)


#: words marked as names that are the labels or titles around a name, never a party
NOT_PARTIES = frozenset(
    "signed sd from to date subject classification sender addressee copies cc re dr mr mrs ms "
    "cde cdes comrade comrades tov prof gen".split()
)


def _party_names(spans: list[Inline], kinds: tuple[str, ...]) -> list[Name]:
    """The names of a part that are parties: not a label or a title marked as a name, and a
    cipher name glossed in brackets counted once ("FYN SI [Stalin]": the gloss, which says
    who it is, unless only the cipher name is known)."""
    names: list[Name] = []
    supplied: list[Name] = []
    previous: Name | None = None
    for span in spans:
        if isinstance(span, Text) and not span.text.strip():
            continue
        if isinstance(span, Bracketed) and span.kind == "gloss" and previous is not None:
            glossed = list(_names(span.children, kinds))
            whole = len(glossed) == 1 and _same_name(
                _surface(glossed[0]), plain_text(span.children)
            )  # "[Stalin]" says who signed; "[Soviet Ambassador]" describes the signer
            if whole and (glossed[0].ref or not previous.ref):
                if previous in names:
                    names.remove(previous)
                names.extend(glossed)
            previous = None
            continue
        if isinstance(span, Bracketed) and span.kind != "supplied":
            previous = None
            continue  # an editor's description: "[chairman of the National Commission …]"
        if isinstance(span, Bracketed):  # "[Chinese] Foreign Ministry": a supplied qualifier
            supplied.extend(_names(span.children, kinds))
            previous = None
            continue
        found = [
            n for n in _names([span], kinds) if _surface(n).strip(".").casefold() not in NOT_PARTIES
        ]
        names.extend(found)
        previous = found[-1] if isinstance(span, Name) and found else None
    if any(isinstance(s, Name) for s in spans):  # a name outside the brackets: theirs qualify
        supplied = []
    return _not_qualifiers(spans, names or supplied)


def _not_qualifiers(spans: list[Inline], names: list[Name]) -> list[Name]:
    """Leave out names that only qualify another: the organisation of a person's office
    ("Premier of the Government Administration Council") and a place run into the name after
    it ("Japan Socialist Party" marked as a place and a party)."""
    persons = any(n.kind == "person" for n in names)
    dropped: list[Name] = []
    before = ""
    for k, span in enumerate(spans):
        if isinstance(span, Name) and any(span is n for n in names):
            rest = spans[k + 1 :]
            gap = 0
            while gap < len(rest) and isinstance(rest[gap], Text) and not rest[gap].text.strip():
                gap += 1
            run_in = gap < len(rest) and isinstance(rest[gap], Name) and (gap > 0)
            office = span.kind == "org" and persons and re.search(r"\bof(?:\s+the)?\s*$", before)
            if office or (span.kind == "place" and run_in):
                dropped.append(span)
        before += plain_text([span])
    return [n for n in names if not any(n is d for d in dropped)]


def _whens(spans: list[Inline]) -> Iterator[When]:
    for span in spans:
        if isinstance(span, When):
            yield span
            continue
        for children in inline_children(span):
            yield from _whens(children)


def _dated(when: When) -> bool:
    return any((when.when, when.from_, when.not_before, when.not_after))


def _surface(name: Name) -> str:
    return " ".join(plain_text(name.children).split())


def _same_name(a: str, b: str) -> bool:
    def norm(text: str) -> str:
        text = unicodedata.normalize("NFC", text)
        text = _TITLES_RE.sub("", re.sub(r"[\[\]().,:;!?\"“”]", " ", text).strip())
        return " ".join(text.split()).casefold()

    return bool(norm(a)) and norm(a) == norm(b)


def _apparatus(letter: Letter) -> Iterator[tuple[ArchivalNote | Part, list[Inline]]]:
    """Transmission notes: at the head or foot, or among the opener's lines."""
    for block in (*letter.head, *letter.tail):
        if isinstance(block, ArchivalNote) and block.kind == "transmission":
            yield block, block.children
    for part in letter.opener:
        if part.role == "note" and part.label == "transmission":
            yield part, part.children


def _flat(spans: list[Inline]) -> Iterator[Inline]:
    """Spans in order, looking into brackets (``[BEIJING]``) but not into names or dates."""
    for span in spans:
        if isinstance(span, (Name, When, Text)):
            yield span
        elif isinstance(span, Quoted) and span.letter is not None:
            yield Text(span.open)
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


#: words of an office, which sign for a person without naming one
OFFICE_WORDS = frozenset(
    "ambassador minister chairman secretary premier president deputy acting chief head director "
    "consul charge chargé d'affaires counsellor counselor attaché attache commander general "
    "envoy first second third of the foreign prime vice".split()
)
_SIGNATURE_LABEL = re.compile(r"^\s*(?:Signed|Sd|\(Sd\))\s*[:.]?\s*", re.IGNORECASE)
_SIGNATURE_WORD = re.compile(r"^(?:[A-Z\u00c0-\u00de\u0400-\u042f][\w'’\-]*\.?|[A-Z]\.)$")


def _signature_name(spans: list[Inline]) -> str | None:
    """The name a signature writes when no name was marked in it: every word capitalised,
    one to five words, after a "Signed:" label and before a number or a date."""
    lines = []
    for span in spans:
        if isinstance(span, Bracketed) and span.kind == "gap":
            continue
        if isinstance(span, When):
            break
        lines.append(plain_text([span]))
    text = "".join(lines).split("\n")[0]
    text = _SIGNATURE_LABEL.sub("", text)
    text = re.sub(r"^\s*(?:to|for)\s+", "", text, flags=re.IGNORECASE)  # an addressee line
    text = re.sub(r"(?<=\S)\s+\[[^\]]*\]", "", text)  # a gloss: "FYN SI [Stalin]"
    text = text.replace("[", "").replace("]", "")  # supplied letters: "[Chinese] Foreign …"
    text = _TITLES_RE.sub("", text.strip())
    text = re.sub(r"[\s,.;:–—-]+(?:No\.?\s*)?[\d/.-]*\s*$", "", text).strip(" .,;:–—-()")
    words = text.split()
    if not 1 <= len(words) <= 5:
        return None
    if all(w.strip(".,").casefold() in OFFICE_WORDS for w in words):
        return None  # "Ambassador", "Acting Ambassador": an office, not a name
    if not all(_SIGNATURE_WORD.match(w) or w.lower() in ("of", "the", "and") for w in words):
        return None
    return text
