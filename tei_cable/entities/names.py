"""Name forms: normalisation, tokens, and an index that finds registered forms in text.

Matching works on tokens, so it ignores case, diacritics, hyphens, apostrophes, full stops and
spacing ("KIM IL SUNG", "Kim Il-sung" and "Kim Il Sung" are one form), while a form written with
capitals in the registry only matches text that has capitals there too (the surname "Joy" does not
match the noun "joy"). Chinese, Japanese and Korean script is matched character by character.

A second, coarser key, the *skeleton*, maps the letters optical character recognition confuses
(``I``/``l``/``1``, ``O``/``0``) to one letter, so "Nam II" is found as "Nam Il"; such a match
is reported as a transcription error with the corrected reading.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

#: a word: letters and digits with inner apostrophes; or one CJK character; or one punctuation
#: mark that is not ignored. Hyphens, full stops and apostrophes between words are ignored.
_TOKEN_RE = re.compile(
    r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]"
    r"|[^\W_\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]+(?:['’ʼ](?!s\b)[^\W_]+)*"
    r"|[^\w\s\-‐‑–'’ʼ.·]"
)
#: the name-form type of a known misreading; a match on it yields the corrected reading
TRANSCRIPTION_ERROR = "transcription-error"
_APOSTROPHES = str.maketrans("", "", "'’ʼ")
_CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")
#: letters that optical character recognition confuses, mapped to one representative
_SKELETON = str.maketrans({"i": "l", "1": "l", "|": "l", "!": "l", "0": "o"})


def fold(text: str) -> str:
    """Case- and accent-insensitive form of ``text`` (NFKD without combining marks, casefolded)."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.casefold().translate(_APOSTROPHES)


def skeleton(token: str) -> str:
    """The OCR-insensitive key of a folded token (only for tokens with letters)."""
    return token.translate(_SKELETON) if any(c.isalpha() for c in token) else token


@dataclass(frozen=True, slots=True)
class Token:
    """A word of a text: where it is, how it reads, and its keys."""

    start: int
    end: int
    raw: str
    key: str

    @property
    def capitalised(self) -> bool:
        """Starts with an upper-case letter (or is not alphabetic: digits, CJK)."""
        first = self.raw[0]
        return not first.isalpha() or first.isupper() or bool(_CJK_RE.match(first))


def tokenize(text: str) -> list[Token]:
    """The tokens of ``text`` with their positions."""
    return [Token(m.start(), m.end(), m.group(), fold(m.group())) for m in _TOKEN_RE.finditer(text)]


def name_key(text: str) -> tuple[str, ...]:
    """The matching key of a name form: its folded tokens."""
    return tuple(t.key for t in tokenize(text))


def normalise_space(text: str) -> str:
    """Collapse runs of white space to one space and trim."""
    return " ".join(text.split())


@dataclass(frozen=True, slots=True)
class Candidate:
    """A registered name form an index can find: which entity, which form, how it is written."""

    entity_id: str
    kind: str
    form: str
    form_type: str | None
    capitals: tuple[bool, ...]  # per token: written with a capital in the registry
    tokens: tuple[str, ...]  # raw tokens of the form, to build a corrected reading
    preferred: tuple[str, ...] = ()  # raw tokens of the entity's preferred name
    not_before: str | None = None  # the form names the entity only from this ISO date …
    not_after: str | None = None  # … up to this one

    def names_at(self, date: str | None) -> bool:
        """Does the form name its entity at ``date`` (ISO; None: unknown, always true)?"""
        if not date:
            return True
        if self.not_before and date < self.not_before[: len(date)]:
            return False
        return not (self.not_after and date[: len(self.not_after)] > self.not_after)


@dataclass(frozen=True, slots=True)
class Match:
    """A registered form found in a text: the span ``[start, end)`` and what it names.

    ``correction`` is set when the text differs from the form only by OCR confusions: it is the
    corrected reading of the span.
    """

    start: int
    end: int
    candidate: Candidate
    correction: str | None = None


class NameIndex:
    """Finds registered name forms in text: longest match first, left to right."""

    def __init__(self, candidates: Iterable[Candidate], *, ocr: bool = True) -> None:
        """Index ``candidates``; with ``ocr`` false, no OCR-confusion matching."""
        self._exact: dict[tuple[str, ...], list[Candidate]] = {}
        self._skeleton: dict[tuple[str, ...], list[Candidate]] = {}
        self._first: set[str] = set()  # first tokens (and their skeletons) of every form
        self.longest = 0
        for cand in candidates:
            key = tuple(fold(t) for t in cand.tokens)
            if not key:
                continue
            # the caller orders candidates: the last one valid at the date wins
            self._exact.setdefault(key, []).append(cand)
            self._first.add(key[0])
            if ocr and sum(len(k) for k in key if any(c.isalpha() for c in k)) >= 5:
                bones = tuple(skeleton(k) for k in key)
                self._skeleton.setdefault(bones, []).append(cand)
                self._first.add(bones[0])
            self.longest = max(self.longest, len(key))

    def find(self, text: str, date: str | None = None) -> list[Match]:
        """Every registered form in ``text``, not overlapping, longest first at each position;
        with ``date`` (ISO), only forms that name their entity at that date ("Republic of
        China" before and after 1949 names two states)."""
        tokens = tokenize(text)
        bones = [skeleton(t.key) for t in tokens]
        matches: list[Match] = []
        i = 0
        while i < len(tokens):
            if tokens[i].key not in self._first and bones[i] not in self._first:
                i += 1
                continue
            found = self._match_at(tokens, bones, i, text, date)
            if found is None:
                i += 1
                continue
            match, width = found
            matches.append(match)
            i += width
        return matches

    def _match_at(
        self, tokens: list[Token], bones: list[str], i: int, text: str, date: str | None = None
    ) -> tuple[Match, int] | None:
        if i > 0 and _glued(tokens[i - 1], tokens[i], text):
            return None
        for width in range(min(self.longest, len(tokens) - i), 0, -1):
            window = tokens[i : i + width]
            if i + width < len(tokens) and _glued(window[-1], tokens[i + width], text):
                continue
            key = tuple(t.key for t in window)
            cand = _at(self._exact.get(key), date)
            if cand is not None and _case_fits(window, cand):
                correction = None
                if cand.form_type == TRANSCRIPTION_ERROR:
                    surface = text[window[0].start : window[-1].end]
                    correction = _correct(surface, window, cand.preferred, cand.form)
                return Match(window[0].start, window[-1].end, cand, correction), width
            cand = _at(self._skeleton.get(tuple(bones[i : i + width])), date)
            if cand is not None and _case_fits(window, cand) and _is_ocr_variant(window, cand):
                surface = text[window[0].start : window[-1].end]
                correction = _correct(surface, window, cand.tokens, cand.form)
                if correction != surface:
                    return Match(window[0].start, window[-1].end, cand, correction), width
        return None

    def __len__(self) -> int:
        return len(self._exact)


def _at(candidates: list[Candidate] | None, date: str | None) -> Candidate | None:
    """The last of ``candidates`` that names its entity at ``date``."""
    for cand in reversed(candidates or []):
        if cand.names_at(date):
            return cand
    return None


def _glued(left: Token, right: Token, text: str) -> bool:
    """Two word tokens written as one word ("Sino-Soviet")? A name neither starts nor ends
    inside such a word; the English possessive is not glued ("Mao's" names Mao)."""
    between = text[left.end : right.start]
    if between in ("", "-", "‐", "‑") and left.key.isalnum() and right.key.isalnum():
        return not (_CJK_RE.match(left.raw[-1]) or _CJK_RE.match(right.raw[0]))
    return False


def _case_fits(window: list[Token], cand: Candidate) -> bool:
    """Capitals where the form has them; an abbreviation in capitals ("UN", "PLA") only in
    capitals ("Un" is a name)."""
    for tok, cap, raw in zip(window, cand.capitals, cand.tokens, strict=False):
        if cap and not tok.capitalised:
            return False
        if len(raw) > 1 and raw.isalpha() and raw.isupper() and not tok.raw.isupper():
            return False
    return True


def _is_ocr_variant(window: list[Token], cand: Candidate) -> bool:
    """The text differs from the form, and only in letters OCR confuses (checked per character
    on the raw tokens, so case shows which letter was meant)."""
    differs = False
    for tok, form in zip(window, cand.tokens, strict=False):
        if fold(tok.raw) == fold(form):
            continue
        if len(tok.raw) != len(form):
            return False
        for a, b in zip(tok.raw, form, strict=False):
            if fold(a) == fold(b):
                continue
            if {a, b} <= _CONFUSABLE_I or {a, b} <= _CONFUSABLE_O:
                differs = True
            else:
                return False
    return differs


_CONFUSABLE_I = frozenset("Iil1|!")
_CONFUSABLE_O = frozenset("Oo0")


def _correct(surface: str, window: list[Token], target: tuple[str, ...], whole: str) -> str:
    """``surface`` with each letter that differs from ``target`` (token by token) replaced by
    the target's letter, keeping the surface's spacing; ``whole`` if the tokens do not align."""
    if len(target) != len(window) or any(
        len(t.raw) != len(f) for t, f in zip(window, target, strict=False)
    ):
        return whole
    out = list(surface)
    base = window[0].start
    capitals = not any(c.islower() for c in surface)
    for tok, form in zip(window, target, strict=False):
        for offset, (a, b) in enumerate(zip(tok.raw, form, strict=False)):
            if fold(a) != fold(b):
                out[tok.start - base + offset] = b.upper() if capitals else b
    return "".join(out)


def form_candidate(
    entity_id: str,
    kind: str,
    form: str,
    form_type: str | None,
    preferred: str = "",
    *,
    not_before: str | None = None,
    not_after: str | None = None,
) -> Candidate:
    """A :class:`Candidate` for one name form of an entity (``preferred``: its preferred name,
    the corrected reading of a form typed ``transcription-error``)."""
    tokens = tokenize(form)
    return Candidate(
        entity_id=entity_id,
        kind=kind,
        form=form if form_type != TRANSCRIPTION_ERROR else (preferred or form),
        form_type=form_type,
        capitals=tuple(t.raw[0].isupper() for t in tokens),
        tokens=tuple(t.raw for t in tokens),
        preferred=tuple(t.raw for t in tokenize(preferred or form)),
        not_before=not_before,
        not_after=not_after,
    )
