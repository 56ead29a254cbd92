"""Where an organisation's name stands that the registry does not know: the rules, on text.

The text is a recogniser's stream in which a name already marked (a place or an organisation)
stands as :data:`NAMED` (other nodes as ``\\x00``). An organisation is a run of capitalised
words with a head word (Ministry, Committee, Embassy, Department, Front, MFA…), with what
follows the head through "of", "for", "on", "in", "and" ("Ministry of Foreign Affairs of the
USSR"; "to" after a diplomatic head: "GDR Embassy to the DPRK"). Inside it may stand:

- names already marked ("VKP(b) CC Special Section", "USSR EMBASSY IN THE DPRK", "DPRK MFA");
- ordinals ("First Department of the MFA", "8th Department of the General Staff");
- a title word before a head ("General Staff", "General Assembly").

A named state or organisation followed by a lower-case head is one too ("DPRK delegation",
"DPRK government"). Possessive endings stay outside ("Korean Foreign Ministry’s").
"""

from __future__ import annotations

import re

from .titles import _UPPER, ORG_HEADS, STOP_WORDS, is_title

#: stands in the stream for a place or organisation already marked
NAMED = "\x02"

_ORDINAL = (
    r"(?:\d+(?:st|nd|rd|th)|First|Second|Third|Fourth|Fifth|Sixth|Seventh|Eighth|Ninth|Tenth|"
    r"FIRST|SECOND|THIRD|FOURTH|FIFTH)"
)
_CAP_WORD = rf"(?:[{_UPPER}][\w'’\-()]*|{NAMED}|{_ORDINAL})"
_CONNECTOR = r"(?:of|for|on|in|and|to|OF|FOR|ON|IN|AND|TO)"
_ARTICLE = r"(?:the|The|THE)\s+"
#: a candidate: capitalised words, then what follows with connectors; trimmed by org_span
ORG_RE = re.compile(
    rf"(?<![\w'’])(?P<org>(?:{_CAP_WORD}\s+){{0,6}}{_CAP_WORD}"
    rf"(?:\s+{_CONNECTOR}\s+(?:{_ARTICLE})?{_CAP_WORD}(?:\s+{_CAP_WORD})*)*)"
)
#: a named state or body and a lower-case head: "DPRK delegation"
LOWER_HEAD_RE = re.compile(
    rf"{NAMED}\s+(?:delegation|government|embassy|ministry|mission|consulate|legation|"
    r"leadership|command|army|navy|party)(?![\w'’])"
)

_CONNECTORS = frozenset({"of", "for", "on", "in", "and", "to"})
_DIPLOMATIC = frozenset({"embassy", "mission", "delegation", "legation", "consulate", "office"})
_ORDINALS = frozenset("first second third fourth fifth sixth seventh eighth ninth tenth".split())
_MEETINGS = frozenset({"congress", "assembly", "session", "plenum", "conference", "meeting"})
_POSSESSIVE_RE = re.compile(r"(?:['’]s|['’])$")
#: an organisation name longer than this is a run of capitals, not a name
MAX_ORG_WORDS = 14


def _bare(word: str) -> str:
    return _POSSESSIVE_RE.sub("", word.strip("().,;:")).casefold()


def _is_head(words: list[tuple[int, int, str]], k: int) -> bool:
    """A head word; "Staff" only after "General" ("General Staff")."""
    bare = _bare(words[k][2])
    if bare == "staff":
        return k > 0 and _bare(words[k - 1][2]) == "general"
    return bare in ORG_HEADS


def _is_ordinal(word: str) -> bool:
    bare = _bare(word)
    return bare in _ORDINALS or bool(re.fullmatch(r"\d+(?:st|nd|rd|th)", bare))


def _is_acronym(word: str) -> bool:
    bare = word.strip("().,;:")
    return word == NAMED or (2 <= len(bare) <= 5 and bare.isupper() and bare.isalpha())


def org_spans(text: str) -> list[tuple[int, int]]:
    """Spans of organisation names in ``text``, in order."""
    found = []
    for m in ORG_RE.finditer(text):
        found.extend(org_span(text, m.start("org"), m.end("org")))
    found.extend(m.span() for m in LOWER_HEAD_RE.finditer(text))
    kept: list[tuple[int, int]] = []
    for start, end in sorted(found, key=lambda s: (s[0], -s[1])):
        if not kept or start >= kept[-1][1]:
            kept.append((start, end))
    return kept


def org_span(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The organisation names in a candidate of :data:`ORG_RE` (often one, or none).

    The candidate is cut at every word that cannot stand inside a name (a stop word or title
    not used as part of it: "REPORT ON THE SITUATION AT THE FRONT"); the first piece with a
    head word and at least two words is a name, stripped of leading and trailing
    connectors, ending after the last head and what follows it with a connector (or a named
    state right after it: "Armed Forces USSR").
    """
    words = [
        (m.start() + start, m.end() + start, m.group())
        for m in re.finditer(r"[^\s]+", text[start:end])
    ]
    pieces: list[list[tuple[int, int, str]]] = [[]]
    for k, word in enumerate(words):
        raw = word[2]
        bare = _bare(raw)
        after_connector = k > 0 and words[k - 1][2].casefold() in _CONNECTORS
        next_head = k + 1 < len(words) and (
            _bare(words[k + 1][2]) in ORG_HEADS or _bare(words[k + 1][2]) == "staff"
        )
        inside = (
            raw == NAMED
            or bare in _CONNECTORS
            or (bare == "the" and after_connector)
            or _is_ordinal(raw)
            or _is_head(words, k)
            or (raw[:1].isupper() and is_title(raw.rstrip(".,;:")) and next_head)
            or (raw[:1].isupper() and bare not in STOP_WORDS and not is_title(raw))
        )
        if bare == "to" and not (k > 0 and _bare(words[k - 1][2]) in _DIPLOMATIC):
            inside = False  # "the Ministry to the Embassy": two bodies
        if inside:
            pieces[-1].append(word)
        elif pieces[-1]:
            pieces.append([])
    names = []
    for piece in pieces:
        name = _trim(piece)
        if name is not None:
            first, last = name
            names.append((first[0], last[1] - _trailing(last[2])))
    return names


def _trailing(word: str) -> int:
    """How many characters at the end of the last word are not part of the name: a
    possessive ending, an unopened parenthesis."""
    m = _POSSESSIVE_RE.search(word)
    if m:
        return len(m.group())
    if word.endswith(")") and word.count("(") < word.count(")"):
        return 1
    return 0


def _trim(piece: list[tuple[int, int, str]]):
    """The first and last word of the organisation name in ``piece``, or None."""
    while piece and piece[0][2].casefold() in _CONNECTORS | {"the"}:
        piece = piece[1:]
    while piece and piece[-1][2].casefold() in _CONNECTORS | {"the"}:
        piece = piece[:-1]
    heads = [k for k in range(len(piece)) if _is_head(piece, k)]
    if not heads:
        return None
    # "Beijing and the Headquarters of …", "Comrade Bang Jong-gap of the DPRK MFA": a
    # connector before the first head joins a name to the organisation's
    joints = [k for k in range(heads[0]) if piece[k][2].casefold() in _CONNECTORS]
    if joints:
        cut = joints[-1] + 1
        while cut < len(piece) and piece[cut][2].casefold() == "the":
            cut += 1
        piece = piece[cut:]
        heads = [h - cut for h in heads if h >= cut]
        if not heads:
            return None
    # a possessive ends the name ("Foreign Ministry’s referent")
    for k, word in enumerate(piece):
        if _POSSESSIVE_RE.search(word[2]) and _is_head(piece, k):
            piece = piece[: k + 1]
            heads = [h for h in heads if h <= k]
            break
    last = heads[-1]
    end = last
    if last + 1 < len(piece):
        following = piece[last + 1][2]
        if following.casefold() in _CONNECTORS and (
            following.casefold() != "to" or _bare(piece[last][2]) in _DIPLOMATIC
        ):
            end = _complement_end(piece, last + 1)
        elif _is_acronym(following):
            end = last + 1  # "Armed Forces USSR"
    piece = piece[: end + 1]
    if not 2 <= len(piece) <= MAX_ORG_WORDS:
        return None
    if len(piece) == 2 and _is_ordinal(piece[0][2]) and _bare(piece[1][2]) in _MEETINGS:
        return None  # "6th Congress", "Second Session": a meeting, not a body
    return piece[0], piece[-1]


def _complement_end(piece: list[tuple[int, int, str]], k: int) -> int:
    """The last word of what follows a head through connectors: it ends after a named state
    or an abbreviation that no connector or further head follows ("Department of the MFA
    Choe Won-sik" ends after MFA)."""
    end = k - 1
    while k < len(piece):
        word = piece[k][2]
        if word.casefold() in _CONNECTORS | {"the"}:
            k += 1
            continue
        end = k
        if _is_acronym(word) and k + 1 < len(piece):
            nxt = piece[k + 1][2]
            rest_heads = any(_is_head(piece, j) for j in range(k + 1, len(piece)))
            if nxt.casefold() not in _CONNECTORS and not rest_heads:
                break
        if word.endswith((",", ";", ":")):
            break
        k += 1
    return end
