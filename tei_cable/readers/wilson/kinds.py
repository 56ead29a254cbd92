"""The kind of a record's document (see :mod:`tei_cable.kinds`), from its title and its body.

The catalogue title decides first: the kind it starts with ("Cable, …", "Ciphered Telegram No.
…", "Note on a Conversation …", "Journal of …"), else the first kind it names. Without one, a
heading of the document does ("M E M O R A N D U M", "CIPHERED TELEGRAM", "JOURNAL"), and then
the document's shape: a salutation or an addressee line with a signature makes a letter,
dated entries a diary, turns of speech a record of a conversation.
"""

from __future__ import annotations

import re

from ...model import Division, Letter, Speech

_QUALIFIERS = (
    r"(?:(?:Ciphered|Cipher|Coded|Draft|Urgent|Secret|Top\s+Secret|Outgoing|Incoming|Official|"
    r"Personal|Circular|Diplomatic|Excerpt\s+(?:from|of)(?:\s+the)?|Extract\s+(?:from|of)"
    r"(?:\s+the)?|Copy\s+of(?:\s+the)?|Text\s+of(?:\s+the)?|Russian|Chinese|Soviet|Korean|"
    r"Hungarian|Polish|Romanian|Czechoslovak|East\s+German|Bulgarian|Mongolian|Vietnamese|"
    r"Cuban|Albanian|Yugoslav|American|British|Japanese|Indian)\s+)*"
)
#: kinds by the words that name them, most specific first
KIND_PATTERNS: tuple[tuple[str, str], ...] = (
    (
        "conversation",
        r"(?:memorand(?:um|a)|records?|notes?|minutes|summary|transcript|report)\s+(?:of|on)\s+"
        r"(?:an?\s+|the\s+)?(?:\w+\s+){0,2}(?:conversations?|talks?|discussions?)\b|"
        r"conversations?\s+(?:between|with|of)\b|memcon\b|conversation\b",
    ),
    ("protocol", r"protocols?\b|minutes\b|transcripts?\b|stenograms?\b|stenographic\b"),
    ("diary", r"diary\b|diaries\b|journal\b"),
    ("petition", r"petitions?\b"),
    ("telegram", r"telegrams?\b|radiograms?\b|telex\b"),
    ("cable", r"cables?\b|cablegrams?\b"),
    ("letter", r"letters?\b|messages?\b"),
    ("note", r"notes?\s+verbale\b|verbal\s+notes?\b|notes?\b(?!\s+(?:on|about)\b)"),
    ("memorandum", r"memorand(?:um|a)\b|aide[- ]m[ée]moire\b"),
    ("report", r"reports?\b|briefings?\b"),
    ("statement", r"statements?\b|speech(?:es)?\b|declarations?\b|communiqu[ée]s?\b"),
    ("resolution", r"resolutions?\b|decisions?\b|decrees?\b|directives?\b|instructions?\b"),
    ("agenda", r"agenda\b"),
)
_AT_START = tuple(
    (kind, re.compile(rf"^{_QUALIFIERS}(?:{pattern})", re.IGNORECASE))
    for kind, pattern in KIND_PATTERNS
)
_ANYWHERE = tuple(
    (kind, re.compile(rf"\b(?:{pattern})", re.IGNORECASE)) for kind, pattern in KIND_PATTERNS
)


def title_kind(title: str) -> str | None:
    """The kind a catalogue title names: the one it starts with, else the first it names
    (a conversation wherever it is named: "Note on a Conversation with …")."""
    title = " ".join(title.split()).strip(" '\"‘’“”")
    for kind, pattern in _AT_START:
        if pattern.match(title):
            return kind
    conversation = _ANYWHERE[0][1].search(title)
    if conversation:
        return "conversation"
    best: tuple[int, str] | None = None
    for kind, pattern in _ANYWHERE:
        match = pattern.search(title)
        if match and (best is None or match.start() < best[0]):
            best = (match.start(), kind)
    return best[1] if best else None


def heading_kind(text: str) -> str | None:
    """The kind a heading of the document names ("M E M O R A N D U M", "CIPHERED TELEGRAM")."""
    text = text.strip()
    if re.fullmatch(r"(?:\S ){2,}\S", text):  # letter-spaced
        text = text.replace(" ", "")
    return title_kind(text)


def shape_kind(letter: Letter) -> str | None:
    """The kind a document's shape shows when nothing names it."""
    parts = {p.role for p in (*letter.opener, *letter.closer)}
    if "signed" in parts and parts & {"addressee", "salute"}:
        return "letter"
    if any(isinstance(b, Division) and b.kind == "entry" for b in letter.body):
        return "diary"
    if sum(isinstance(b, Speech) for b in letter.body) >= 2:
        return "conversation"
    return None
