"""The taxonomy of document kinds: what a record's document (or a text it quotes) is.

Each kind has a value (written as ``text/@type``, the letter's ``div``/``floatingText``
``@type`` and ``correspDesc/@type``), a description, and whether documents of that kind are
messages: only messages have a sender and an addressee. ``maybe`` kinds (a memorandum, a
report, a document of no known kind) are messages when the document names an addressee or a
sender in a labelled field; a memorandum for the file is not.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    value: str
    description: str
    message: str  # "yes", "no" or "maybe"


KINDS: tuple[Kind, ...] = (
    Kind("letter", "a letter or message with its own opener or signature", "yes"),
    Kind("telegram", "a telegram, ciphered or not", "yes"),
    Kind("cable", "a cable (the archive's word for many telegrams)", "yes"),
    Kind("note", "a diplomatic note or a note addressed to someone", "yes"),
    Kind("petition", "a petition, appeal or request addressed to an authority", "yes"),
    Kind("memorandum", "a memorandum (to someone, or for the file)", "maybe"),
    Kind("report", "a report (to someone, or for the file)", "maybe"),
    Kind(
        "conversation",
        "a record of a conversation: memorandum, note, record or minutes of a conversation",
        "no",
    ),
    Kind("protocol", "the protocol, minutes or transcript of a meeting", "no"),
    Kind("diary", "a journal or diary, in dated entries", "no"),
    Kind("statement", "a statement, speech, declaration or communiqué", "no"),
    Kind("resolution", "a resolution, decision, decree or directive", "no"),
    Kind("agenda", "an agenda", "no"),
    Kind("attachment", "an attachment, enclosure or annex", "no"),
    Kind("draft", "a draft quoted in a document", "no"),
    Kind("document", "a document of no recognised kind", "maybe"),
)

BY_VALUE = {kind.value: kind for kind in KINDS}
#: kinds that are always messages
MESSAGE_KINDS = frozenset(k.value for k in KINDS if k.message == "yes")
#: kinds that are messages only when they are addressed
MAYBE_MESSAGE_KINDS = frozenset(k.value for k in KINDS if k.message == "maybe")


def is_message_kind(value: str) -> bool | None:
    """True for message kinds, False for records that are not messages, None if it depends."""
    kind = BY_VALUE.get(value)
    if kind is None or kind.message == "maybe":
        return None
    return kind.message == "yes"
