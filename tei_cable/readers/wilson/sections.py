"""What each front-matter section of a record may contain, and what the document's start looks like.

The archive's export writes every paragraph of a section on one line and separates paragraphs
with a blank line. Each section has a content grammar (:data:`KINDS`): one ``line`` (a record id,
a language), a ``list`` (bullets, or one line), a ``paragraph`` (a citation, a rights
statement) or ``paragraphs`` (the summary, one or more). What follows a section's content is
either more of it or the document itself; :func:`classify` tells them apart by what a section
may contain and by the shapes that open a document (an archival heading, a place-and-date line,
a salutation, a form field, a list item, a bracket, first-person prose).
"""

from __future__ import annotations

import re
from enum import Enum

from . import patterns as P
from . import shapes
from .fields import match_field

#: section label (lower case) -> content grammar
KINDS: dict[str, str] = {
    "citation": "paragraph",
    "summary": "paragraphs",
    "abstract": "paragraphs",
    "description": "paragraphs",
    "credits": "line",
    "original language": "line",
    "original languages": "line",
    "language": "line",
    "languages": "line",
    "contents": "list",
    "record id": "line",
    "date": "line",
    "author": "line",
    "authors": "list",
    "source": "paragraph",
    "original archive": "paragraph",
    "original classification": "line",
    "classification": "line",
    "associated people & organizations": "list",
    "associated people and organizations": "list",
    "associated people": "list",
    "associated organizations": "list",
    "associated places": "list",
    "associated topics": "list",
    "subjects discussed": "list",
    "topics": "list",
    "keywords": "list",
    "themes": "list",
    "collection": "list",
    "collections": "list",
    "rights": "paragraph",
    "record type": "line",
    "type": "line",
    "original uploaded date": "line",
    "uploaded": "line",
}


def kind_of(label: str) -> str:
    """The content grammar of a section; one paragraph for a label this reader does not know."""
    return KINDS.get(label.strip().lower(), "paragraph")


def is_known(label: str) -> bool:
    return label.strip().lower() in KINDS


SECTION_RE = re.compile(r"^\s*\*\*(?P<label>[^*\n]{1,60}?)\s*(?::\s*\*\*|\*\*\s*:)\s*$")
#: ``**Record ID:** 110296``: a known label with its value on the same line
INLINE_SECTION_RE = re.compile(
    r"^\s*\*\*(?P<label>[^*\n]{1,60}?)\s*(?::\s*\*\*|\*\*\s*:)\s+(?P<value>\S.*?)\s*$"
)
BULLET_RE = re.compile(r"^\s*[-*•]\s+(?P<item>\S.*)$")
URL_LINE_RE = re.compile(r"^\s*<(?P<url>https?://[^>\s]+)>\s*$")


def heading(line: str) -> tuple[str, str | None] | None:
    """``(label, value on the same line or None)`` when ``line`` is a section heading."""
    match = SECTION_RE.match(line)
    if match and len(match.group("label").split()) <= 6:
        return match.group("label").strip(), None
    match = INLINE_SECTION_RE.match(line)
    if match and is_known(match.group("label")):
        return match.group("label").strip(), match.group("value")
    return None


def address(line: str) -> str | None:
    match = URL_LINE_RE.match(line)
    return match.group("url") if match else None


class Verdict(Enum):
    """What a paragraph after a section's first content is."""

    SECTION = "section"  # more of the section, by its grammar
    LIKELY_SECTION = "likely section"  # by its wording (uncertain)
    LIKELY_BODY = "likely body"  # by its wording (uncertain)
    BODY = "body"  # a shape that opens a document


SENTENCE_END = tuple(".!?…。！？") + tuple(P.CLOSING_QUOTES) + (")", "’", "'")
_QUOTED_RE = re.compile(r"\"[^\"]*\"|“[^”]*”|«[^»]*»|‘[^’]*’")
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’]*")
#: first- and second-person words: summaries speak of the document, documents speak as themselves
PERSONAL = frozenset(
    "I me my mine myself we us our ours ourselves you your yours yourself yourselves".split()
)
#: the present-tense verbs summaries are written with
PRESENT = frozenset(
    """is are has contains includes discusses describes reports informs tells says asks requests
    agrees expresses provides notes gives sends outlines explains recounts relays summarizes
    summarises conveys proposes suggests criticizes criticises mentions details lists warns urges
    returns invites complains thanks offers praises appears concerns addresses transmits forwards
    emphasizes emphasises stresses argues claims states announces confirms denies rejects accepts
    approves comments analyzes analyses assesses evaluates reviews examines highlights considers
    notifies instructs orders seeks wants hopes believes remarks responds replies answers welcomes
    congratulates protests calls demands insists recommends reveals shows indicates covers touches
    focuses regards deals refers reflects presents documents records lays sets gets takes makes
    explores notes reiterates assures declines supports opposes agrees promises learns
    """.split()
)
#: the past tense of narration, which documents are written in and summaries rarely are
PAST_IRREGULAR = frozenset(
    """was were had said told gave met sent made came went took wrote spoke became thought knew
    saw held brought began left found kept felt got stood understood heard paid put read ran set
    """.split()
)
_NOT_PAST = frozenset(
    """united limited red need seed based related interested concerned armed supposed so-called
    hundred advanced alleged detailed named called""".split()
)


def cjk_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    return len(P.CJK_RE.findall(text)) / len(letters) if letters else 0.0


def ends_sentence(line: str) -> bool:
    return line.rstrip().endswith(SENTENCE_END)


def wraps(previous: str, line: str) -> bool:
    """``line`` goes on with the paragraph of ``previous`` (a long line broken mid-sentence)."""
    return (
        len(previous.strip()) >= 50
        and not ends_sentence(previous)
        and not BULLET_RE.match(line)
        and opens_document(line) is None
    )


def opens_document(line: str) -> str | None:
    """The shape of a line that opens a document, or None: why it cannot be a section's prose."""
    s = line.strip()
    bare = s.lstrip("".join(P.OPENING_QUOTES))
    if not s:
        return None
    if cjk_share(s) >= 0.3:
        return "text in Chinese script"
    if s[0] in "[(":
        return "an editorial bracket"
    if any(pattern.match(s) for _, pattern in P.LIST_LABELS):
        return "a list item"
    if s.endswith(":"):
        return "a line ending with a colon"
    if shapes.opener_unit_role(s) is not None:
        return "an addressee, salutation, dateline or form field"
    if P.SALUTE_RE.match(bare) or P.COPIES_RE.match(bare) or match_field(bare):
        return "a salutation or form field"
    if shapes.is_dateline(s) or shapes.PLACE_DATE_RE.match(s):
        return "a place-and-date line"
    if shapes.apparatus_kind(s) is not None:
        return "an archival heading"
    if shapes.closer_kind(s) is not None:
        return "a signature or closing line"
    if len(s.split()) < 5 and not ends_sentence(s):
        return "a short line"
    if personal_words(s):
        return "first- or second-person prose"
    return None


def personal_words(text: str) -> list[str]:
    """First- and second-person words outside quotations."""
    outside = _QUOTED_RE.sub(" ", text)
    return [w for w in _WORD_RE.findall(outside) if w in PERSONAL or w.lower() in PERSONAL - {"i"}]


def tense(text: str) -> tuple[int, int]:
    """(present-tense verbs, past-tense verbs) outside quotations."""
    outside = _QUOTED_RE.sub(" ", text)
    present = past = 0
    for word in _WORD_RE.findall(outside):
        lower = word.lower()
        if lower in PRESENT:
            present += 1
        elif lower in PAST_IRREGULAR or (
            len(lower) > 4 and lower.endswith("ed") and lower not in _NOT_PAST and word[0].islower()
        ):
            past += 1
    return present, past


def reads_as_summary(text: str) -> bool:
    """Prose that describes a document: a sentence of some length in the present tense."""
    if len(text.split()) < 5 or not ends_sentence(text):
        return False
    present, past = tense(text)
    return present > 0 and present >= past


def classify(
    kind: str, lines: list[str], *, same_block: bool, block_goes_on: bool = False
) -> tuple[Verdict, str]:
    """What the paragraph ``lines`` after a section's first content is, and why.

    ``same_block`` says that it follows the section's content without a blank line (the
    export separates a section's paragraphs with one); ``block_goes_on`` that another line
    follows it without one.
    """
    text = " ".join(line.strip() for line in lines)
    first = lines[0].strip()
    if kind == "list" and BULLET_RE.match(first):
        return Verdict.SECTION, "another item of the list"
    shape = opens_document(first)
    if shape:
        return Verdict.BODY, shape
    if kind != "paragraphs":
        return Verdict.LIKELY_BODY, "more than the section holds"
    if same_block:
        return Verdict.LIKELY_BODY, "a line that follows the summary without a blank line"
    if block_goes_on or (len(lines) > 1 and any(ends_sentence(line) for line in lines[:-1])):
        return Verdict.BODY, "lines of a paragraph each, as the document's layout has them"
    if reads_as_summary(text):
        return Verdict.LIKELY_SECTION, "prose in the present tense, as summaries are written"
    return Verdict.LIKELY_BODY, "prose that does not read as a summary"
