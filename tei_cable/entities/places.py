"""Where a place's name stands that the registry does not know: the rules, on text.

The text is a recogniser's stream in which a place already marked stands as :data:`PLACE`
(other names and nodes as ``\\x00``). A place is found:

- after a word that says what it is: "the province of Xinjiang", "the region of IRKUTSK",
  "the city of Ghulja";
- after "in", "near", "via", "into" ("in Havana", "in YANTSZY", "via Sinuiju"), when the words
  are not a month, a language or people ("in Korean"), a title, an organisation's head word, a
  newspaper ("in Renmin Ribao"), a numbered part of a text ("in Point 3") or a doctrine
  ("in Marxism");
- after "to the" when it ends in a place's head word or is a plural name ("to the
  Philippines");
- by the shape of a state's name: "People’s Republic of Poland", "Bulgarian People’s
  Republic", "German Democratic Republic", "Kingdom of Laos";
- by a head word: "Far East Maritime Region", "Hebei Province", "Shandong peninsula" (not "the
  Korean peninsula": a people's adjective);
- as a part of a marked place: "Northeastern China", "Eastern Europe".
"""

from __future__ import annotations

import re

from .titles import COORDINATION_RE, NAME_WORD, ORG_HEADS, STOP_WORDS, is_title, name_run

#: stands in the stream for a place already marked
PLACE = "\x05"

_WORD = r"[A-ZÀ-ÖØ-ÞĀ-ſА-ЯЁ][\w'’\-]*"
_KINDS = (
    r"province|region|city|town|village|district|county|prefecture|island|oblast|krai|port|"
    r"capital|area|republic|state|territory|settlement|station|airfield|harbour|harbor"
)
#: "the province of Xinjiang": group ``at`` is where the name starts
KIND_OF_RE = re.compile(rf"(?<![\w'’])(?i:{_KINDS})\s+(?:of|OF)\s+(?P<at>(?=[A-ZÀ-ÞА-Я]))")
#: "in Havana": group ``at`` is where the name starts
PREPOSITION_RE = re.compile(
    r"(?<![\w'’])(?:in|In|IN|near|Near|NEAR|via|Via|VIA|into|Into|INTO)\s+(?P<at>(?=[A-ZÀ-ÞА-Я]))"
)
#: "to the Philippines", "in the Far East Maritime Region"
THE_RE = re.compile(
    r"(?<![\w'’])(?:to|in|near|from|into|of|To|In|IN|TO)\s+(?:the|THE)\s+(?P<at>(?=[A-ZÀ-ÞА-Я]))"
)
_STATE_WORDS = r"(?:People['’]s|Democratic|Socialist|Federal|Federative|Popular|Islamic|Arab)"
#: states by the shape of their name
STATE_RE = re.compile(
    rf"(?<![\w'’])(?:"
    rf"(?:{_STATE_WORDS}\s+)*Republic\s+of\s+(?:the\s+)?(?:{_WORD}|{PLACE})"
    rf"|{_WORD}(?:\s+{_STATE_WORDS})*\s+Republic"
    rf"|(?:Kingdom|Sultanate|Emirate|Principality|Grand\s+Duchy)\s+of\s+(?:the\s+)?{_WORD}"
    rf")(?![\w'’])"
)
_PLACE_HEADS = (
    r"Region|Province|Oblast|Krai|District|Prefecture|County|Mountains|River|Sea|Islands|"
    r"Island|Peninsula|Strait|Straits|Bay|Territory|Plateau|Desert|Valley|Lake|Gulf|Canal|"
    r"Coast|Autonomous\s+Region|REGION|PROVINCE|RIVER|SEA"
)
#: "Far East Maritime Region": capitalised words and a place's head word
HEAD_RE = re.compile(rf"(?<![\w'’])(?:{_WORD}\s+){{1,3}}(?:{_PLACE_HEADS})(?![\w'’])")
#: "Shandong peninsula", "Liaoning province": one name and a head word in lower case
LOWER_HEAD_RE = re.compile(
    rf"(?<![\w'’])(?P<name>{_WORD})\s+(?:peninsula|province|island|islands|river|mountains)"
    rf"(?![\w'’])"
)
_DIRECTIONS = (
    r"Northeastern|Northwestern|Southeastern|Southwestern|Northern|Southern|Eastern|Western|"
    r"Central|North-East|North-West|South-East|South-West|Northeast|Northwest|Southeast|"
    r"Southwest|North|South|East|West"
)
#: "Northeastern China": a part of a place
PART_RE = re.compile(rf"(?<![\w'’])(?:{_DIRECTIONS})\s+{PLACE}")

#: words that are peoples, languages or adjectives of them, not places
_PEOPLE_RE = re.compile(r"(?:ese|ish|ist|ism|ists)$")
_PEOPLES = frozenset(
    """Soviet Korean Chinese American Russian Hungarian Polish Romanian Czechoslovak Bulgarian
    Cuban Japanese German British French English Vietnamese Mongolian Albanian Yugoslav Indian
    Ukrainian Uyghur Uighur Manchurian Asian European Western Eastern Northern Southern Communist
    Socialist Marxist Soviets Koreans Chinese Americans Russians Thai Turkish Greek Dutch Czech
    Slovak Serbian Croatian Finnish Swedish Norwegian Danish Spanish Italian Portuguese Arab
    Israeli Iranian Iraqi Latin Latvian Lithuanian Estonian Belarusian Georgian Armenian
    Austrian Australian Canadian Brazilian Egyptian Syrian Nigerian Algerian Libyan Indonesian
    Malaysian Cambodian Laotian Pakistani Afghan Persian Palestinian Jordanian Ethiopian
    Angolan Mexican Chilean Argentine Peruvian Venezuelan Nicaraguan Bolivian Kazakh Uzbek
    Tibetan Manchu Han Mongol Tatar Kurdish Korean-Chinese Sino Anglo Franco Afro Slavic
    Austro Italo Indo Christian Catholic Buddhist Muslim Orthodox Protestant Bolshevik
    Stalinist Maoist Leninist Trotskyist""".split()
)
#: words of newspapers' names ("in Renmin Ribao", "in Pravda"): not places
_PUBLICATIONS = frozenset(
    """ribao pravda izvestiia izvestia sinmun times daily gazette herald post journal news
    review tribune bulletin""".split()
)
_MONTHS_SHORT = frozenset("jan feb mar apr jun jul aug sep sept oct nov dec".split())
#: words of the text's own parts, before a number: "in Point 3", "in Article 5"
_NUMBERED_RE = re.compile(r"\s*(?:\d|[IVX]+\b)")


def _short_acronym(words: str) -> bool:
    return words.isupper() and len(words) <= 4 and " " not in words


def _is_people(word: str) -> bool:
    bare = word.rstrip(".,;:").strip("'’")
    if bare in _PEOPLES or bare.capitalize() in _PEOPLES:
        return True
    return len(bare) > 5 and bool(_PEOPLE_RE.search(bare.lower())) and not bare.isupper()


def place_spans(text: str) -> list[tuple[int, int]]:
    """Spans of place names in ``text``, in order."""
    found: list[tuple[int, int]] = []
    for m in KIND_OF_RE.finditer(text):
        run = _run(text, m.start("at"))
        if run is not None:
            found.append(run)
    for m in PREPOSITION_RE.finditer(text):
        run = _run(text, m.start("at"))
        if run is not None and _short_acronym(text[run[0] : run[1]]):
            continue  # "specialists in PVO": an abbreviation is rather a body
        while run is not None and not _NUMBERED_RE.match(text, run[1]):
            found.append(run)  # and what is listed with it: "in Fujian and Henan"
            joint = COORDINATION_RE.match(text, run[1])
            run = _run(text, joint.end()) if joint and joint.end() > run[1] else None
    for m in THE_RE.finditer(text):
        run = _run(text, m.start("at"))
        if run is None:
            continue
        words = text[run[0] : run[1]].split()
        plural = words[-1].endswith("s") and not words[-1].endswith("ss") and len(words) <= 2
        if HEAD_RE.fullmatch(text[run[0] : run[1]]) or (
            plural and m.group().split()[0].casefold() == "to" and not is_title(words[-1])
        ):
            found.append(run)
    found.extend(m.span() for m in STATE_RE.finditer(text))
    for m in HEAD_RE.finditer(text):
        words = text[m.start() : m.end()].split()
        if not any(w.casefold() in STOP_WORDS or is_title(w) for w in words[:-1]):
            found.append(m.span())
    for m in LOWER_HEAD_RE.finditer(text):
        name = m.group("name")
        if not (_is_people(name) or is_title(name) or name.casefold() in STOP_WORDS):
            found.append(m.span())
    found.extend(m.span() for m in PART_RE.finditer(text))
    kept: list[tuple[int, int]] = []
    for start, end in sorted(set(found), key=lambda s: (s[0], -s[1])):
        if not kept or start >= kept[-1][1]:
            kept.append((start, end))
    return kept


def _run(text: str, pos: int) -> tuple[int, int] | None:
    """A place's name starting at ``pos``: name words, none a people, month, title or an
    organisation's head word."""
    run = name_run(text, pos, max_words=3)
    if run is None:
        return None
    words = text[run[0] : run[1]].split()
    if any(_is_people(w) or w.rstrip(".").casefold() in ORG_HEADS | _MONTHS_SHORT for w in words):
        return None
    if any(w.rstrip(".,").casefold() in _PUBLICATIONS for w in words):
        return None  # "in Renmin Ribao": a newspaper
    if not re.fullmatch(NAME_WORD, words[0]) or len(words[0]) < 2:
        return None
    return run
