"""The document model: a record, the tree of letters it holds, their blocks and inline spans.

Small and closed, like pandoc's: readers build it, enrichers refine it (entities, dates, ids),
writers turn it into TEI. Nothing here knows about any source format or about XML.

Every character of the source body lives in exactly one :class:`Text` (or in the ``source``
string of a node that keeps its own source text), in reading order, so a writer that emits
all text in model order is lossless by construction.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from .findings import Finding
from .kinds import MESSAGE_KINDS, is_message_kind

# --------------------------------------------------------------------------------------------
# Inline spans
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Text:
    """Plain characters, exactly as in the source."""

    text: str


@dataclass(slots=True)
class Sup:
    """Superscript (``<sup>`` in the source)."""

    children: list[Inline]


@dataclass(slots=True)
class Emph:
    """Highlighted text: ``rend`` is ``bold`` (``**…**``) or ``letter-spaced`` (``M E M O``)."""

    rend: str
    children: list[Inline]


@dataclass(slots=True)
class Bracketed:
    """An editorial bracket of the source: ``[…]`` with what the editor put inside.

    ``kind`` says what the bracket is:

    - ``supplied``: text the editor supplied (``[BEIJING]``, ``Gro[myko]``, ``195[1]``);
    - ``gap``: something not transcribed (``[signature]``, ``[stamp]``, ``[...]``,
      ``[3-4 illegible letters]``), ``reason`` names it;
    - ``gloss``: an explanation of the preceding word (``FILIPPOV [Stalin]``);
    - ``sic``: the editor's ``[SIC]``;
    - ``note``: any other editorial remark (``[handwritten]``, ``[Translator's note: …]``).

    The brackets themselves are kept as text by writers (they are characters of the source).
    """

    kind: str
    children: list[Inline]
    reason: str | None = None
    open: str = "["
    close: str = "]"


@dataclass(slots=True)
class NoteRef:
    """A footnote marker (``[1]``) pointing at :attr:`Record.footnotes`."""

    label: str
    source: str


@dataclass(slots=True)
class Quoted:
    """Quoted speech or text inside a paragraph; the quotation marks stay in ``open``/``close``.

    ``close`` is empty when the source never closes the quotation (kept visible, not repaired).
    """

    children: list[Inline]
    open: str = '"'
    close: str = '"'
    who: str | None = None
    letter: Letter | None = None  # a whole message quoted inside a sentence (no children then)


@dataclass(slots=True)
class Break:
    """A break inside a block: ``line`` (a single newline kept inside one unit) or ``page``
    (a paragraph rejoined across a page or blank-line break of the source)."""

    kind: str = "line"
    inword: bool = False  # the break falls inside a word (after a hyphen): no space there
    separate: bool = False  # lines that stand apart (a name and the office under it)


@dataclass(slots=True)
class Name:
    """A person, place or organisation name; ``ref`` is a registry id or ``None`` if unresolved."""

    kind: str  # person | place | org
    children: list[Inline]
    ref: str | None = None
    role: str | None = None  # addressee, sender, copy… where the position says so
    cert: str | None = None
    description: bool = False  # a description that the document ties to one person ("the
    # Ambassador" where it names one ambassador): TEI ``rs``, not a name


@dataclass(slots=True)
class RoleName:
    """A title or rank before a name (``Cde.``, ``Admiral``, ``MAJOR``)."""

    children: list[Inline]
    type: str | None = None


@dataclass(slots=True)
class When:
    """A date or time, normalised to ISO 8601.

    ``kind`` is ``date`` or ``time``; ``when``/``from_``/``to``/``not_before``/``not_after``
    carry the normalised values; ``cert`` says how sure an inferred part (a year from context)
    is; ``precision`` is ``"day"``, ``"minute"`` and so on.
    """

    kind: str
    children: list[Inline]
    when: str | None = None
    from_: str | None = None
    to: str | None = None
    not_before: str | None = None
    not_after: str | None = None
    cert: str | None = None
    evidence: str | None = None


@dataclass(slots=True)
class Choice:
    """A reading of the source (``sic``) beside the editor's correction (``corr``)."""

    sic: list[Inline]
    corr: list[Inline]
    reason: str | None = None


@dataclass(slots=True)
class Number:
    """A document number (cable, registry or copy number): never a date, never a count."""

    type: str
    children: list[Inline]


Inline = (
    Text
    | Sup
    | Emph
    | Bracketed
    | NoteRef
    | Quoted
    | Break
    | Name
    | RoleName
    | When
    | Choice
    | Number
)

# --------------------------------------------------------------------------------------------
# Blocks
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Paragraph:
    """A paragraph of running text."""

    children: list[Inline]
    line: int = 0
    id: str = ""  # set when correspondence metadata points at it (a relay instruction)


@dataclass(slots=True)
class Heading:
    """A heading line inside a document (letter-spaced or capitalised title lines)."""

    children: list[Inline]
    line: int = 0


@dataclass(slots=True)
class ListItem:
    """One numbered item; ``label`` is the number as printed (``1.``, ``(A)``, ``１．``)."""

    label: str
    n: str
    children: list[Inline]
    blocks: list[Block] = field(default_factory=list)  # paragraphs and sub-lists that follow
    line: int = 0


@dataclass(slots=True)
class ListBlock:
    """An ordered list; ``style`` names the numbering (``arabic``, ``upper-alpha``, …)."""

    items: list[ListItem]
    style: str = "arabic"
    line: int = 0
    type: str = "ordered"  # ordered | bulleted | distribution
    head: list[Inline] = field(default_factory=list)  # a label line before the items ("CC:")


@dataclass(slots=True)
class ArchivalNote:
    """A line of the archival apparatus (copy distribution, reception, series, decipherment…).

    ``kind`` is one of the reader's note kinds (see :data:`NOTE_KINDS`); ``blocks`` holds what
    the note holds beyond its line (a distribution list under it).
    """

    kind: str
    children: list[Inline]
    line: int = 0
    blocks: list[Block] = field(default_factory=list)
    id: str = ""  # set when correspondence metadata points at it


@dataclass(slots=True)
class Stamp:
    """A stamp, possibly spread over several lines; ``lines`` keeps them apart."""

    lines: list[list[Inline]]
    prefix: list[Inline] = field(default_factory=list)  # "[Stamp: "
    suffix: list[Inline] = field(default_factory=list)  # "]"
    line: int = 0


@dataclass(slots=True)
class Rule:
    """A horizontal rule of the source (``---``)."""

    source: str = "---"
    line: int = 0


@dataclass(slots=True)
class Speech:
    """A turn of speech in minutes or a conversation: ``Stalin: Do you …``."""

    speaker: list[Inline]
    children: list[Inline]
    line: int = 0


@dataclass(slots=True)
class Division:
    """A part of a document: a numbered section (``V. On …``, ``A.``) or a dated journal entry.

    ``head`` is the section's heading (``head_kind`` ``"head"``) or the entry's date line
    (``"dateline"``); it is empty when the section starts with a numbered paragraph.
    """

    kind: str  # section | entry
    blocks: list[Block]
    head: list[Inline] = field(default_factory=list)
    head_kind: str = "head"
    n: str = ""
    line: int = 0


@dataclass(slots=True)
class Quotation:
    """A quotation spanning several blocks that is not itself a letter or document."""

    blocks: list[Block]
    line: int = 0


# --------------------------------------------------------------------------------------------
# Letters
# --------------------------------------------------------------------------------------------

#: opener and closer parts: (role, inlines); roles are listed in OPENER_ROLES / CLOSER_ROLES
OPENER_ROLES = ("addressee", "copies", "salute", "dateline", "field", "subject", "sender")
CLOSER_ROLES = ("salute", "signed", "dateline", "number", "field")


@dataclass(slots=True)
class Part:
    """One part of an opener or closer: ``role`` says which (see OPENER_ROLES, CLOSER_ROLES).

    ``label`` is set for form-like fields (``FROM``, ``Date:``); it is part of ``children``.
    """

    role: str
    children: list[Inline]
    label: str | None = None
    line: int = 0
    lead: str = ""  # a quotation mark before the part (opening a quoted letter)
    trail: str = ""  # a quotation mark and punctuation after it (closing a quoted letter)
    id: str = ""  # set when correspondence metadata points at it


#: what states a correspondent, place or date (``Party.evidence``)
EVIDENCE = (
    "signature",  # the closer's signed part
    "addressee",  # an addressee line ("To Cde. X", "for Comrade X"), at the head or the foot
    "salutation",  # "Comrade FILIPPOV:", "Dear Comrade Stalin,"
    "field",  # a labelled field ("From:", "Sender:", "Date:", "Arrived:")
    "dateline",  # a place-and-date or date line
    "transmission",  # the apparatus: "from [BEIJING] received 1750 11 July 1951", "sent at …"
    "relay",  # the instruction that relays a quoted message ("Pass the following to X:")
    "title",  # the catalogue title in the form "Kind, X to Y" or "Kind from X to Y"
)


@dataclass(slots=True)
class Party:
    """One fact of a letter's correspondence and the evidence that states it.

    ``action`` is ``sent``, ``received`` or ``cc``; ``kind`` is ``person``, ``org``, ``place``
    or ``date``; ``source`` is the id of the element of the text that states it (empty for the
    catalogue title).
    """

    action: str
    kind: str
    name: str = ""
    ref: str | None = None
    when: When | None = None
    evidence: str = ""
    source: str = ""


@dataclass(slots=True)
class Correspondence:
    """Who sent a letter to whom, from where, when, each with its evidence (enrichers fill it).

    ``message`` says whether the letter is a message at all (a journal or a record of a
    conversation is not: it has no parties); ``None`` until an enricher has decided.
    """

    parties: list[Party] = field(default_factory=list)
    message: bool | None = None

    def _names(self, action: str) -> list[Party]:
        return [p for p in self.parties if p.action == action and p.kind in ("person", "org")]

    @property
    def senders(self) -> list[str]:
        """Registry ids of the senders (``""`` for a name without one)."""
        return [p.ref or "" for p in self._names("sent")]

    @property
    def sender_names(self) -> list[str]:
        return [p.name for p in self._names("sent")]

    @property
    def addressees(self) -> list[str]:
        return [p.ref or "" for p in self._names("received")]

    @property
    def addressee_names(self) -> list[str]:
        return [p.name for p in self._names("received")]

    @property
    def copies(self) -> list[str]:
        return [p.ref or "" for p in self._names("cc")]

    @property
    def copy_names(self) -> list[str]:
        return [p.name for p in self._names("cc")]

    def _first(self, action: str, kind: str) -> Party | None:
        return next((p for p in self.parties if p.action == action and p.kind == kind), None)

    @property
    def sent_place(self) -> str | None:
        party = self._first("sent", "place")
        return party.ref if party else None

    @property
    def received_place(self) -> str | None:
        party = self._first("received", "place")
        return party.ref if party else None

    @property
    def sent_when(self) -> When | None:
        party = self._first("sent", "date")
        return party.when if party else None

    @property
    def received_when(self) -> When | None:
        party = self._first("received", "date")
        return party.when if party else None


@dataclass(slots=True)
class Letter:
    """A letter or other document; letters nest (a cable quoting telegrams quoting attachments).

    ``kind`` is the document type (cable, telegram, letter, statement, memorandum…);
    ``head`` is the archival apparatus before the opener; ``tail`` what follows the closer
    (a rule, decipherment and copy notes, postscripts).
    """

    kind: str
    head: list[Block] = field(default_factory=list)
    opener: list[Part] = field(default_factory=list)
    body: list[Block] = field(default_factory=list)
    closer: list[Part] = field(default_factory=list)
    tail: list[Block] = field(default_factory=list)
    quoted: bool = False
    id: str = ""
    line: int = 0
    corresp: Correspondence = field(default_factory=Correspondence)

    @property
    def is_correspondence(self) -> bool:
        """A message: its kind is one (a journal or a quoted statement is not), or, for kinds
        that may be either, it is addressed; once enriched, what the enricher decided."""
        if self.corresp.message is not None:
            return self.corresp.message
        message = is_message_kind(self.kind)
        if message is not None:
            return message
        return any(
            p.role in ("addressee", "salute", "sender") for p in (*self.opener, *self.closer)
        )

    def nested(self) -> list[Letter]:
        """The letters nested directly in this one (not deeper), in document order."""
        return list(direct_letters([*self.head, *self.body, *self.tail]))

    def letters(self) -> Iterator[Letter]:
        """This letter and every letter nested in it, depth first, in document order."""
        yield self
        for child in self.nested():
            yield from child.letters()


#: document kinds that are correspondence whatever their parts
CORRESPONDENCE_KINDS = MESSAGE_KINDS


Block = (
    Paragraph
    | Heading
    | ListBlock
    | ArchivalNote
    | Stamp
    | Rule
    | Speech
    | Quotation
    | Division
    | Letter
)


def direct_letters(blocks: list[Block]) -> Iterator[Letter]:
    """Letters among ``blocks``, also inside quotations, sections, list items and sentences
    (a message quoted inside a sentence), not inside letters."""
    for block in blocks:
        if isinstance(block, Letter):
            yield block
        elif isinstance(block, (Quotation, Division, ArchivalNote)):
            if isinstance(block, ArchivalNote):
                yield from inline_letters(block.children)
            yield from direct_letters(block.blocks)
        elif isinstance(block, ListBlock):
            for item in block.items:
                yield from inline_letters(item.children)
                yield from direct_letters(item.blocks)
        elif isinstance(block, (Paragraph, Speech)):
            yield from inline_letters(block.children)


def inline_letters(spans: list[Inline]) -> Iterator[Letter]:
    """Messages quoted inside the sentences of ``spans``."""
    for span in spans:
        if isinstance(span, Quoted) and span.letter is not None:
            yield span.letter
        elif isinstance(span, (Quoted, Bracketed, Emph, Sup)):
            yield from inline_letters(span.children)


# --------------------------------------------------------------------------------------------
# The record
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Section:
    """A front-matter section of the record (``**Label:**`` and its lines).

    ``line`` is the heading's line; ``line_numbers`` the source line of each of ``lines`` (the
    section's non-blank lines, stripped), so paragraphs and losses can be told apart and placed.
    """

    label: str
    lines: list[str]
    line: int = 0
    line_numbers: list[int] = field(default_factory=list)

    def paragraphs(self) -> list[str]:
        """The section's paragraphs (lines run together up to a blank line), without addresses."""
        paragraphs: list[str] = []
        previous = None
        for k, text in enumerate(self.lines):
            number = self.line_numbers[k] if k < len(self.line_numbers) else None
            follows = number is not None and previous is not None and number == previous + 1
            if paragraphs and follows:
                paragraphs[-1] += " " + text
            else:
                paragraphs.append(text)
            previous = number
        return paragraphs


@dataclass(slots=True)
class Footnote:
    """A note at the end of the record, referred to by :class:`NoteRef` markers."""

    label: str
    children: list[Inline]
    line: int = 0


@dataclass(slots=True)
class LocalEntity:
    """A person, place or organisation the document names but the registry does not know.

    It becomes an entry of the document's own ``standOff`` (``id`` is made from the name), so
    every mention of it points at one entry; ``names`` are the forms the document writes, the
    fullest first. It carries no authority identifier.
    """

    id: str
    kind: str  # person | place | org
    names: list[str]
    mentions: int = 0


@dataclass(slots=True)
class Record:
    """One archival record: its catalogue metadata and the document it carries."""

    title: str
    date: str = ""
    citation: str = ""
    url: str = ""
    summary: str = ""
    credits: str = ""
    original_languages: list[str] = field(default_factory=list)
    contents: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    document: Letter = field(default_factory=lambda: Letter(kind="document"))
    footnotes: list[Footnote] = field(default_factory=list)
    body_text: str = ""  # the source text of the document, for the lossless check
    body_line: int = 0  # line number where the document starts in the source
    identifier: str = ""  # the archive's record number where known (from the address)
    title_kind: str = ""  # the kind of document the catalogue title names ("Cable")
    title_senders: list[str] = field(default_factory=list)  # names the title gives ("Mao Zedong")
    title_addressees: list[str] = field(default_factory=list)
    language: str = "en"  # the language of the text as given (a translation, usually)
    #: what the record states the text given is: "translation", "original", or "" (not stated)
    language_status: str = ""
    entities: list[LocalEntity] = field(default_factory=list)  # names the registry lacks
    diagnostics: list[Finding] = field(default_factory=list)
    #: the bold date-and-title block as (line, text without the bold marks), for the check
    #: that nothing of the front matter is lost
    title_block: list[tuple[int, str]] = field(default_factory=list)
    #: the record's addresses (``<https://…>`` lines of the front matter) as (line, URL)
    addresses: list[tuple[int, str]] = field(default_factory=list)
    #: the record's first and last line in its input (1-based, inclusive): an input may hold
    #: several records
    span: tuple[int, int] = (0, 0)

    def letters(self) -> Iterator[Letter]:
        """Every letter of the record, the outer document first."""
        return self.document.letters()


# --------------------------------------------------------------------------------------------
# Generic walks
# --------------------------------------------------------------------------------------------


def inline_children(node: Inline) -> list[list[Inline]]:
    """The lists of inline children of ``node`` (a Choice has two)."""
    if isinstance(node, Choice):
        return [node.sic, node.corr]
    children = getattr(node, "children", None)
    return [children] if children is not None else []


def block_inlines(block: Block | Part | ListItem | Footnote) -> Iterator[list[Inline]]:
    """Every inline list held directly by a block (not by nested letters)."""
    if isinstance(block, (Paragraph, Heading, ArchivalNote, Part, Footnote)):
        yield block.children
        if isinstance(block, ArchivalNote):
            for inner in block.blocks:
                if not isinstance(inner, Letter):
                    yield from block_inlines(inner)
    elif isinstance(block, ListItem):
        yield block.children
        for inner in block.blocks:
            yield from block_inlines(inner)
    elif isinstance(block, ListBlock):
        yield block.head
        for item in block.items:
            yield from block_inlines(item)
    elif isinstance(block, Speech):
        yield block.speaker
        yield block.children
    elif isinstance(block, Stamp):
        yield block.prefix
        yield from block.lines
        yield block.suffix
    elif isinstance(block, (Quotation, Division)):
        if isinstance(block, Division):
            yield block.head
        for inner in block.blocks:
            yield from block_inlines(inner)


def letter_inlines(letter: Letter) -> Iterator[list[Inline]]:
    """Every inline list of a letter itself (not of letters nested in it), in document order."""
    for block in letter.head:
        if not isinstance(block, Letter):
            yield from block_inlines(block)
    for part in letter.opener:
        yield part.children
    for block in letter.body:
        if not isinstance(block, Letter):
            yield from block_inlines(block)
    for part in letter.closer:
        yield part.children
    for block in letter.tail:
        if not isinstance(block, Letter):
            yield from block_inlines(block)


def wrap_text(spans: list[Inline], k: int, start: int, end: int, node: Inline) -> int:
    """Replace characters ``start:end`` of the :class:`Text` at ``spans[k]`` with ``node``.

    The text before and after stays as :class:`Text` around it. Returns the index of the
    span after ``node`` (the rest of the text, if any), where a scan can go on.
    """
    text = spans[k].text  # type: ignore[union-attr]
    before, after = text[:start], text[end:]
    new: list[Inline] = [Text(before)] if before else []
    new.append(node)
    if after:
        new.append(Text(after))
    spans[k : k + 1] = new
    return k + (2 if before else 1)


def text_before(inlines: list[Inline], k: int, size: int) -> str:
    """The source characters of ``inlines[:k]``, or of as many nodes before ``k`` as give at
    least ``size`` characters besides the spaces and quotation marks at their end: what a rule
    reading the words just before a node needs, without the whole paragraph each time (a
    paragraph of thousands of nodes stays linear)."""
    parts: list[str] = []
    seen = 0
    j = k - 1
    while j >= 0 and seen < size:
        text = plain_text([inlines[j]])
        parts.append(text)
        seen += len(text.rstrip(TRAILING_MARKS)) if not seen else len(text)
        j -= 1
    return "".join(reversed(parts))


#: spaces and quotation marks that :func:`text_before` does not count at the end
TRAILING_MARKS = ' \t\n\r\f\v\u00a0\u2009\u202f“”"«»„'


def plain_text(inlines: list[Inline]) -> str:
    """The source characters of an inline list (readings, not corrections)."""
    out: list[str] = []
    for node in inlines:
        if isinstance(node, Text):
            out.append(node.text)
        elif isinstance(node, NoteRef):
            out.append(node.source)
        elif isinstance(node, Choice):
            out.append(plain_text(node.sic))
        elif isinstance(node, Break):
            out.append("\n")
        elif isinstance(node, (Bracketed, Quoted)):
            out.append(node.open + plain_text(node.children) + node.close)
        else:
            for children in inline_children(node):
                out.append(plain_text(children))
    return "".join(out)
