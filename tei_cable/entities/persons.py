"""Where a person's name stands that the registry does not know: the rules, on plain text.

The text is a recogniser's stream (see :mod:`tei_cable.entities.inline`) in which some nodes
stand as one marker character: :data:`SEP` (any other node), :data:`GAP` (``[signature]``),
:data:`PERSON` (a person's name already marked) and :data:`UNIDENTIFIED` (an editor's
``[not further identified]``). A name is found:

- after a title or rank ("Cde. Ivanov", "comrades Konstantinov V.M. and Syromyatnikov B.N.",
  "MAJOR [signature] (RUDAKOV)"), between commas after an office ("the Second Secretary,
  Surgov, told"), also after an office of an organisation ("Chief of the KWP
  CC International Department Pak Yong-guk") and after a title phrase ("Shift Chief Sadov[in]");
- in a line that is only an address ("to TEREBIN");
- after a signature's label ("Signed: N. Popa") or a clerk's "by" ("Typed by Plyvkina",
  "Message sent by Zachař"; in the apparatus any "by");
- in a signature or speaker label: every run of name words, not a label ("Signed:");
- by its shape (:mod:`tei_cable.entities.shapes`);
- before an editor's "[not further identified]";
- in a list with persons ("Copies: Bulganin, Shtemenko, Stalin").

Initials after a name found so are part of it ("Szabó F.", "Samsonov, G. Ye.").
"""

from __future__ import annotations

import re

from .shapes import (
    INITIALS_FIRST_RE,
    INITIALS_SUPPLIED_RE,
    SURNAME_INITIALS_RE,
    TRAILING_INITIALS_RE,
    count_initials,
    east_asian_names,
)
from .titles import (
    COORDINATION_RE,
    PLURAL_TITLES,
    TITLE_RE,
    is_title,
    name_run,
    title_kind,
)

#: stream markers (see the module docstring)
SEP = "\x00"
GAP = "\x01"
PERSON = "\x03"
UNIDENTIFIED = "\x04"

#: positions where a run of capitalised words is a person's name without a title
NAME_POSITIONS = frozenset({"signed", "speaker"})
#: positions where names after one title may be coordinated ("to Cde. X and Y")
LIST_POSITIONS = frozenset({"addressee", "copies", "sender", "signed"})

#: "by" before a person in the archival apparatus ("Deciphered by Vaganov")
BY_RE = re.compile(r"(?<!\w)(?:by|By|BY)\s+")
#: a clerk's note anywhere ("Recorded by [signature] (N. Fedorenko)", "Message sent by X")
CLERK_BY_RE = re.compile(
    r"(?<!\w)(?i:recorded|written|prepared|compiled|drafted|translated|interpreted|"
    r"deciphered|decoded|ciphered|encoded|typed|printed|verified|checked|signed|approved|"
    r"copied|sent|received|created|dictated|transmitted)"
    r"\s+(?:by|By|BY)\s+"
)
#: a line that addresses a person: "to TEREBIN", "For Comrade …" (the title is found apart)
ADDRESS_LINE_RE = re.compile(r"^\s*(?:to|To|TO|for|For|FOR)\s+")
#: a signature's label ("Signed: N. Popa")
SIGNED_RE = re.compile(r"(?<!\w)(?:Signed|SIGNED|Signature|Sgd\.?|\(Sd\.?\))\s*:\s*")
#: an office of an organisation before a name: "Chief of the <org> NAME"
OF_ORG_RE = re.compile(rf"\s+(?:of|OF)\s+(?:(?:the|THE)\s+)?[{SEP}]\s+")
_ARTICLES = frozenset({"the", "a", "an", "this", "these", "our", "their", "his", "its", "her"})
_LABEL_RE = re.compile(r"\s*:")
_LIST_JOINT = r"(?:\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*)"
_BEFORE_PERSON_RE = re.compile(rf"{_LIST_JOINT}{PERSON}")
_AFTER_PERSON_RE = re.compile(rf"{PERSON}{_LIST_JOINT}")
_LIST_END_RE = re.compile(rf"\s*(?:[,.;]|$|\n|{_LIST_JOINT}{PERSON}|\s+and\s)")


def article_before(text: str, pos: int) -> bool:
    """ "the General Staff", "a Major offensive": an article makes a title a common noun."""
    end = pos  # the word before ``pos``, read back from it (not the whole text each time)
    while end > 0 and text[end - 1].isspace():
        end -= 1
    start = end
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    return text[start:end].casefold() in _ARTICLES


def person_spans(text: str, role: str | None) -> list[tuple[int, int]]:
    """Spans of person names in ``text`` (a stream), not overlapping, in order."""
    found: list[tuple[int, int]] = []
    for m in TITLE_RE.finditer(text):
        if article_before(text, m.start()):
            continue
        kind = title_kind(m.group())
        if not m.group()[0].isupper() and kind != "honorific":
            continue  # "major", "general" are adjectives; "comrade X" is still a title
        plural = m.group().casefold() in PLURAL_TITLES or role in LIST_POSITIONS
        after = names_after(text, m.end(), plural=plural)
        if not after:
            office = OF_ORG_RE.match(text, m.end())  # "Chief of the <org> NAME"
            if office:
                after = names_after(text, office.end(), plural=False)
        if not after and kind in ("office", "rank") and m.group()[0].isupper():
            after = _apposition(text, m.end())
        found.extend(after)
    for m in SIGNED_RE.finditer(text):
        found.extend(names_after(text, m.end(), plural=True))
    by_re = BY_RE if role == "apparatus" else CLERK_BY_RE
    for m in by_re.finditer(text):
        found.extend(names_after(text, m.end(), plural=True))
    if role in NAME_POSITIONS:
        pos = 0
        while pos < len(text):
            run = name_run(text, pos)
            if run is not None and (pos == 0 or not text[pos - 1].isalnum()):
                if (
                    not _LABEL_RE.match(text, run[1])
                    and not _people(text[run[0] : run[1]])
                    and not article_before(text, pos)  # "Chairman of the Meeting": a noun
                ):
                    found.append(run)
                pos = run[1]
            else:
                pos += 1
    address = ADDRESS_LINE_RE.match(text)
    if address:  # a line that is only "to TEREBIN": an address
        run = name_run(text, address.end())
        if run is not None and re.fullmatch(r"[\s.:,;]*", text[run[1] :]):
            found.append(run)
    found.extend(_by_shape(text))
    for m in re.finditer(rf"[ \t]*{UNIDENTIFIED}", text):
        run = _name_before(text, m.start())
        if run is not None:
            found.append(run)
    found = [_with_initials(text, span) for span in found]
    found.extend(_listed_with_persons(text, found))
    return _no_overlaps(found)


def _people(words: str) -> bool:
    """ "[Chinese] Foreign Ministry": an adjective of a people is not a person's name."""
    from .places import _PEOPLES

    return words.strip() in _PEOPLES


def names_after(text: str, pos: int, *, plural: bool) -> list[tuple[int, int]]:
    """Names starting at ``pos`` after a title: skip white space, a gap (``[signature]``), an
    opening parenthesis and a title phrase ("Shift Chief"); with ``plural``, names joined by
    "and" and commas too."""
    found: list[tuple[int, int]] = []
    while True:
        cursor = pos
        while cursor < len(text) and text[cursor] in " \t" + GAP:
            cursor += 1
        if cursor < len(text) and text[cursor] == "(":
            cursor += 1
        if cursor < len(text) and text[cursor] in SEP + PERSON:  # a name already marked
            cursor += 1
            end = cursor
        else:
            run = name_run(text, cursor)
            if run is None:
                break
            run = _past_title_phrase(text, run)
            if run is None:
                break
            found.append(run)
            end = run[1]
        if not plural:
            break
        if end < len(text) and text[end] == ")":
            end += 1
        joint = COORDINATION_RE.match(text, end)
        if joint is None or joint.end() == end:
            break
        pos = joint.end()
    return found


#: a name set off by commas after an office: "the Bulgarian Second Secretary, Surgov, told"
_APPOSITION_RE = re.compile(r",[ \t]+")
_APPOSITION_END_RE = re.compile(r"[ \t]*,")


def _apposition(text: str, pos: int) -> list[tuple[int, int]]:
    """A name between commas right after a title (both commas written)."""
    comma = _APPOSITION_RE.match(text, pos)
    if comma is None:
        return []
    run = name_run(text, comma.end(), max_words=3)
    if run is None or not _APPOSITION_END_RE.match(text, run[1]):
        return []
    return [run]


def _past_title_phrase(text: str, run: tuple[int, int]) -> tuple[int, int] | None:
    """ "Shift Chief Sadov[in]": words right before a title belong to the title; the name is
    the run after it (None if there is none)."""
    gap = re.match(r"[ \t]+", text[run[1] :])
    if gap is None:
        return run
    title = TITLE_RE.match(text, run[1] + gap.end())
    if title is None or not title.group()[0].isupper():
        return run
    after = re.match(r"[ \t]+", text[title.end() :])
    return name_run(text, title.end() + after.end()) if after else None


def _name_before(text: str, end: int) -> tuple[int, int] | None:
    """The longest run of name words that ends exactly at ``end``."""
    for start in range(max(0, end - 60), end):
        if start and text[start - 1].isalnum():
            continue
        run = name_run(text, start)
        if run is not None and run[1] == end:
            return run
    return None


def _by_shape(text: str) -> list[tuple[int, int]]:
    found = [m.span() for m in INITIALS_FIRST_RE.finditer(text) if _plausible(m.group())]
    for m in INITIALS_SUPPLIED_RE.finditer(text):
        forename = m.group("forename")
        if _plausible(m.group()) and (
            not forename or (_plausible(forename) and forename.strip() not in _LETTERED)
        ):
            found.append(m.span())
    for m in SURNAME_INITIALS_RE.finditer(text):
        if count_initials(m.group("initials")) >= 2 and _plausible(m.group("surname")):
            found.append(m.span())
    found.extend(east_asian_names(text))
    return found


#: words a letter follows as a label, not a forename its initial ("Annex A.", "Point B.")
_LETTERED = frozenset(
    """Annex Appendix Article Attachment Block Box Camp Category Class Figure Grade Group Hill
    Item Line Model Option Paragraph Part Plan Point Room Route Section Sector Table Type
    Variant Zone""".split()
)


def _plausible(words: str) -> bool:
    """The last word of a shape is a surname, not a title, stop word or heading word."""
    last = words.split()[-1].rstrip(".")
    run = name_run(last, 0)
    return run is not None and run == (0, len(last)) and not is_title(last)


def _with_initials(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """A name followed by its initials ("Szabó F.") takes them in."""
    start, end = span
    if text[start:end].rstrip().endswith("."):
        return span
    m = TRAILING_INITIALS_RE.match(text, end)
    if m and count_initials(text[start:end]) == 0:
        return start, m.end()
    return span


def _listed_with_persons(text: str, found: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Single names in a list with a person already marked ("Bulganin, Shtemenko, Stalin")."""
    more: list[tuple[int, int]] = []
    for m in _AFTER_PERSON_RE.finditer(text):
        pos = m.end()
        while True:
            run = name_run(text, pos, max_words=3)
            if run is None or not _LIST_END_RE.match(text, run[1]):
                break
            more.append(run)
            joint = re.compile(_LIST_JOINT).match(text, run[1])
            if joint is None:
                break
            pos = joint.end()
            if pos < len(text) and text[pos] == PERSON:
                break
    for m in _BEFORE_PERSON_RE.finditer(text):
        begin = _run_start(text, m.start())
        if begin is None:
            continue
        run = name_run(text, begin, max_words=3)
        if (
            run is not None
            and run[1] == m.start()
            and (begin == 0 or not text[begin - 1].isalnum())
        ):
            more.append(run)
    return more


_RUN_BREAKS = frozenset(",;:(\x00\x01\x02\x03\x04")


def _run_start(text: str, end: int) -> int | None:
    """Where the text before ``end`` begins after its last break (a comma, semicolon, colon,
    parenthesis or node separator) and the spaces after it; None if only spaces are left.
    Read back from ``end`` to the break, not from the start of the text for each name."""
    k = end
    while k > 0 and text[k - 1] not in _RUN_BREAKS:
        k -= 1
    while k < end and text[k].isspace():
        k += 1
    return k if k < end else None


def _no_overlaps(found: list[tuple[int, int]]) -> list[tuple[int, int]]:
    kept: list[tuple[int, int]] = []
    for start, end in sorted(set(found), key=lambda s: (s[0], -s[1])):
        if start < end and (not kept or start >= kept[-1][1]):
            kept.append((start, end))
    return kept
