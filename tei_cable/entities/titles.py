"""The words around names: titles and ranks before them, and the shapes of unregistered names.

Used by the entity enricher to keep titles outside names (as ``roleName``) and by the
recognisers of names the registry does not know (:mod:`tei_cable.entities.persons`,
:mod:`tei_cable.entities.orgs`): which words are titles, stop words, heads of organisation
names, and how far a run of name words goes.
"""

from __future__ import annotations

import re

_UPPER = "A-ZÀ-ÖØ-ÞĀ-ſА-ЯЁ"
_LOWER = "a-zß-öø-ÿā-ſа-яё"

#: titles and ranks before names, by kind; the longest is tried first, in any letter case
#: (the first letter must be a capital: "major" is an adjective, "Major"/"MAJOR" a rank)
TITLE_WORDS: dict[str, tuple[str, ...]] = {
    "honorific": (
        "Cde.",
        "Cdes.",
        "Comrade",
        "Comrades",
        "Tov.",
        "Mr.",
        "Mrs.",
        "Ms.",
        "Messrs.",
        "Mme.",
        "Dr.",
        "Mister",
        "Madame",
    ),
    "rank": (
        "Marshal of the Soviet Union",
        "General of the Army",
        "Colonel General",
        "Lieutenant General",
        "Lt. Gen.",
        "Major General",
        "Maj. Gen.",
        "Brigadier General",
        "Lieutenant Colonel",
        "Lt. Col.",
        "Vice Admiral",
        "Rear Admiral",
        "Admiral",
        "Adm.",
        "General",
        "Gen.",
        "Colonel",
        "Col.",
        "Major",
        "Maj.",
        "Captain",
        "Capt.",
        "Lieutenant",
        "Lt.",
        "Marshal",
        "Sergeant",
        "Sgt.",
        "Commander",
    ),
    "office": (
        "Premier",
        "Vice Premier",
        "Chairman",
        "Vice Chairman",
        "Deputy Chairman",
        "President",
        "Vice President",
        "Prime Minister",
        "Foreign Minister",
        "Vice Minister",
        "Deputy Minister",
        "Minister",
        "Ambassador",
        "Chancellor",
        "Secretary-General",
        "General Secretary",
        "Secretary",
        "Deputy",
        "Counsellor",
        "Counselor",
        "Attaché",
        "Consul",
        "Chief of the General Staff",
        "Chief of Staff",
        "Commander-in-Chief",
        "Chief",
        "Head of the Delegation",
        "Chief Delegate",
        "Delegate",
    ),
}
#: titles that name several people ("Cdes. Kim Il Sung and Peng Dehuai")
PLURAL_TITLES = frozenset({"cdes.", "comrades", "messrs."})

_TITLE_ALT = "|".join(
    re.escape(t).replace(r"\ ", r"\s+")
    for t in sorted((t for ts in TITLE_WORDS.values() for t in ts), key=len, reverse=True)
)
#: a title; ``(?<![\w.])`` so "Gen." inside "Gen.Staff" or a word ending in "gen" is no title
TITLE_RE = re.compile(rf"(?<![\w.])(?i:{_TITLE_ALT})(?![\w\-])")
_TITLE_KIND = {t.casefold(): kind for kind, ts in TITLE_WORDS.items() for t in ts}


def title_kind(text: str) -> str | None:
    """``honorific``, ``rank`` or ``office`` for a title as written, else None."""
    return _TITLE_KIND.get(" ".join(text.split()).casefold())


def is_title(text: str) -> bool:
    """Is ``text`` a title written with a capital first letter?"""
    return bool(text) and text[0].isupper() and title_kind(text) is not None


#: words that make a title longer ("First Deputy Prime Minister", "Acting Ambassador")
TITLE_QUALIFIERS = (
    "First|Acting|Deputy|Vice|Senior|Prime|Foreign|Executive|Permanent|Special|Shift|"
    "Political|Military|Trade|Commercial|Extraordinary|Plenipotentiary|Chief|Assistant|"
    "Former|Temporary|Second|Third"
)
#: a title at the very end of a text (before a name): group ``title`` (with the words that
#: qualify it) and ``head`` (the title proper, which gives its kind)
TITLE_BEFORE_RE = re.compile(
    rf"(?<![\w.])(?P<title>(?:(?:{TITLE_QUALIFIERS})\s+)*(?P<head>(?i:{_TITLE_ALT})))\s+$"
)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: words that are never part of a person's name
STOP_WORDS = _words(
    """a an and as at but by for from he her his i in is it its my no not of on or our she so
    that the their them these they this those to we with you your yes all any also both each
    every here there what when where which who why how copy copies incoming outgoing series
    stamp deciphered decoded printed verified typed sent received registered attachment
    report telegram cable letter note notes please top secret urgent personal subject return
    dear respected esteemed greetings regards four two three one five six seven eight nine ten
    first second third fourth fifth filed and/or re ref staff head chief sd sgd signed
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday"""
)

#: last words of organisation names ("… Ministry", "Central Committee …")
ORG_HEADS = _words(
    """ministry committee commission directorate department embassy consulate legation mission
    council bureau politburo presidium secretariat government administration command
    headquarters army navy party front corps division regiment brigade battalion agency office
    institute academy university league federation association congress assembly delegation
    volunteers forces service section sector bank company court tribunal society organization
    organisation fleet guards mfa"""
)

#: a word that may be part of a name: capitalised or all capitals, with inner hyphens and
#: apostrophes ("Il-sung", "P'eng", "O'Neill"), or an initial ("A.")
NAME_WORD = (
    rf"(?:[{_UPPER}]\.|[{_UPPER}][{_LOWER}{_UPPER}]*(?:(?:['’](?![sS]\b)|\-)[{_UPPER}{_LOWER}]+)*)"
)
NAME_WORD_RE = re.compile(NAME_WORD)
#: a title with the words that qualify it, from its first word ("Acting Ambassador")
_QUALIFIED_TITLE_RE = re.compile(rf"(?:(?:{TITLE_QUALIFIERS})\s+)+(?i:{_TITLE_ALT})(?![\w\-])")
ROMAN_RE = re.compile(r"^(?=[IVX]+$)X{0,3}(?:I[XV]|V?I{0,3})$")


def name_run(text: str, pos: int, *, max_words: int = 4) -> tuple[int, int] | None:
    """The longest run of name words starting at ``pos`` (separated by single spaces), as
    ``(start, end)``; None if the first word is not a name word. Stop words, titles, roman
    numerals and lone capitals end the run."""
    end = pos
    words = 0
    cursor = pos
    while words < max_words:
        m = NAME_WORD_RE.match(text, cursor)
        if m is None or (m.end() < len(text) and (text[m.end()].isalnum() or text[m.end()] == "_")):
            break
        word = m.group()
        bare = word.rstrip(".")
        initial = len(bare) == 1 and word.endswith(".")
        if not initial and (
            bare.casefold() in STOP_WORDS
            or is_title(word)
            or (text.startswith(".", m.end()) and is_title(word + "."))  # "Dr. X": a title
            or _QUALIFIED_TITLE_RE.match(text, m.start())  # "Acting Ambassador"
            or bare.casefold() in ORG_HEADS
            or ROMAN_RE.match(bare)
        ):
            break
        if len(bare) == 1 and not word.endswith("."):
            break
        end = m.end()
        words += 1
        gap = re.match(r"[ \t]+|[ \t]*\n[ \t]*(?=[^\n])", text[end:])
        if gap is None or "\n" in gap.group():
            break
        cursor = end + gap.end()
    if words == 0:
        return None
    # an initial must be followed by a name word ("A. M. Ledovskii"), not end the run
    span = text[pos:end]
    if span.endswith(".") and re.search(r"(?:^|\s)[A-Z]\.$", span):
        trimmed = re.sub(r"(?:\s*[A-Z]\.)+$", "", span)
        if not trimmed:
            return None
        end = pos + len(trimmed)
    return pos, end


#: what joins coordinated names: "X and Y", "X, Y and Z", "X & Y"
COORDINATION_RE = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*")
