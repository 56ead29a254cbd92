"""The catalogue title: the parties it names, in the archive's own forms only.

``Kind, X to Y[, subject]`` and ``Kind [No. N] from X [to Y][, subject]`` ("Cable, Mao Zedong to
Joseph Stalin", "Telegram 065241 from the Romanian Embassy in Pyongyang to the Romanian Ministry
of Foreign Affairs, Soviet Comments on …", "Cable from the Chinese Foreign Ministry,
'Instruction …'"). Any other title names no party: "Petition on Opposition to the Coming to
Japan of …" has no addressee "the Coming to Japan", "Journal of Soviet Ambassador to the DPRK
…" no sender.
"""

from __future__ import annotations

import re

_KIND_WORDS = (
    r"(?:(?:Ciphered|Cipher|Coded|Draft|Urgent|Secret|Top\s+Secret|Outgoing|Incoming|Official|"
    r"Personal|Circular|Diplomatic|Verbal)\s+)*"
    r"(?:Cable|Telegram|Letter|Message|Memorandum|Note|Report|Petition|Appeal|Request|"
    r"Instruction|Directive|Reply|Answer|Notice|Dispatch|Despatch|Radiogram|Cablegram)s?"
    r"(?:\s+(?:No\.?|N[°º]|#)\s*[\w./-]+|\s+\d[\w./-]*)?"
)
TITLE_COMMA_RE = re.compile(rf"^{_KIND_WORDS},\s+(?P<rest>.+)$", re.IGNORECASE)
TITLE_FROM_RE = re.compile(rf"^{_KIND_WORDS}\s+from\s+(?P<rest>.+)$", re.IGNORECASE)
#: where the subject of a title begins: a quotation, a classification, a number
SUBJECT_RE = re.compile(
    r",\s+(?=['‘\"“]|TOP\s+SECRET\b|SECRET\b|CONFIDENTIAL\b|No\.|N[°º])|\s+['‘\"“]"
)
_NAME_WORD = r"(?:[A-Z\u00c0-\u00de\u0400-\u042f][\w'’.\-]*|[A-Z]\.)"
_CONNECT = r"(?:of|the|for|in|and|de|von|van|al|on|at|des|du|la|le)"
NAME_RE = re.compile(
    rf"^(?:the\s+)?{_NAME_WORD}(?:\s+(?:{_NAME_WORD}|{_CONNECT}))*"
    r"(?:\s*\[[^\]]{1,40}\])?(?:\s*\([^)]{1,40}\))?$"
)
VIA_RE = re.compile(r",?\s*\[?\bvia\b[^\]]*\]?\s*$")


def title_parties(title: str) -> tuple[list[str], list[str]] | None:
    """``("Cable, Mao Zedong to Joseph Stalin")`` → (["Mao Zedong"], ["Joseph Stalin"]).

    Only the archive's forms ``Kind, X to Y[, subject]`` and ``Kind [No. N] from X [to Y][,
    subject]``, and only where the names split one way; ``None`` for any other title.
    """
    title = " ".join(title.split()).rstrip(".")
    match = TITLE_FROM_RE.match(title)
    needs_to = False
    if not match:
        match = TITLE_COMMA_RE.match(title)
        needs_to = True
    if not match:
        return None
    rest = SUBJECT_RE.split(match.group("rest"), maxsplit=1)[0].strip(" ,")
    splits = []
    for found in re.finditer(r"\s+to\s+", rest):
        senders = _names(rest[: found.start()], several=True)
        addressees = _names(rest[found.end() :], several=False)
        if senders and addressees:
            splits.append((senders, addressees))
    if len(splits) == 1:
        return splits[0]
    if splits or needs_to:
        return None  # no "to", or names that split more than one way
    senders = _names(rest, several=False)
    return (senders, []) if senders else None


def _names(text: str, *, several: bool) -> list[str] | None:
    """The names of one side of a title, or ``None`` when it is not names. The sending side
    may list several (``X, Y and Z``); the receiving side ends at the first comma, where the
    title's subject begins ("Stalin, Plans for Mao's Visit to Moscow"). "via Z" (an
    intermediary) is left out."""
    text = VIA_RE.sub("", text).strip(" ,")
    if not several:
        text = text.split(", ")[0]
    pieces = [p.strip() for p in re.split(r",\s+|\s+and\s+|\s*&\s*", text) if p.strip()]
    if not pieces or not all(NAME_RE.match(p) for p in pieces):
        return None
    return [_clean(p) for p in pieces]


def _clean(name: str) -> str:
    """A title's name as it will be shown: no leading "the", no "(Pavlíček)" after an office."""
    name = re.sub(r"^the\s+", "", name)
    return re.sub(r"\s*\([^)]*\)$", "", name).strip()
