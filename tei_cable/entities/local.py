"""Entities of one document that the registry does not know: which mentions are one entity,
and the ``xml:id`` of the entry the document makes for it.

Mentions are grouped by what the document itself shows, never by guessing:

- the same name, whatever its case, accents, hyphens or spacing ("A. PUZANOV", "A. M. Puzanov"
  with compatible initials; "Konstantinov V.M." and "V. M. Konstantinov");
- a person's surname (first or last word of the name) alone, when exactly one person of the
  document has it ("Comrade Bang" after "Bang Jong-gap"); a place by the end of its longer
  name, when only one place ends so ("our Maritime Region", "the Far East Maritime Region");
- a name and its editorial gloss or alternative form right after it ("KULJA [Ghulja]",
  "Minfar's [Ministry of the Revolutionary Armed Forces']"): both name one entity, a registry
  entity if either is one ("FYN SI [Stalin]").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from .names import fold, normalise_space, tokenize

_INITIAL_RE = re.compile(r"^(?:[A-ZÀ-ÞА-Я][a-zа-я]?\.)+$")


@dataclass(slots=True)
class Mention:
    """One unresolved name of the document: its kind, the text it reads (supplied letters
    included, brackets left out) and, once grouped, the entity it belongs to."""

    kind: str
    text: str
    index: int  # position in document order
    ref: str | None = None  # a registry id, when a gloss ties it to a registered name
    group: int = -1


@dataclass(frozen=True, slots=True)
class PersonShape:
    """A person's name as words: the initials and the other words (folded)."""

    initials: tuple[str, ...]
    words: tuple[str, ...]


def person_shape(text: str) -> PersonShape:
    """Split a person's name into initials ("A.", "Yu.", "V.M.") and words."""
    initials: list[str] = []
    words: list[str] = []
    for chunk in text.replace(",", " ").split():
        if _INITIAL_RE.match(chunk):
            initials.extend(fold(p) for p in chunk.split(".") if p)
        else:
            words.extend(t.key for t in tokenize(chunk))
    return PersonShape(tuple(initials), tuple(words))


def _initials_agree(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    if not a or not b:
        return True
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    return long[: len(short)] == short


@dataclass
class _Group:
    kind: str
    members: list[Mention] = field(default_factory=list)
    ref: str | None = None


class _Union:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, k: int) -> int:
        while self.parent[k] != k:
            self.parent[k] = self.parent[self.parent[k]]
            k = self.parent[k]
        return k

    def join(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def group_mentions(
    mentions: list[Mention],
    links: Iterable[tuple[int, int]] = (),
    registered_persons: dict[str, tuple[str, ...]] | None = None,
) -> list[list[Mention]]:
    """Group ``mentions`` (in document order) into entities; ``links`` are pairs of mention
    indexes the document ties together (a gloss). ``registered_persons`` maps the registry ids
    of persons the document names to their name words: a lone surname of one of them, with no
    local person sharing it, takes that id. Returns the groups in order of first mention."""
    union = _Union(len(mentions))
    for a, b in links:
        union.join(a, b)
    # the same name: places and organisations by their words; persons by words and initials
    by_key: dict[tuple[str, tuple[str, ...]], list[int]] = {}
    shapes = {m.index: person_shape(m.text) for m in mentions if m.kind == "person"}
    for m in mentions:
        if m.kind == "person":
            shape = shapes[m.index]
            key = (m.kind, tuple(sorted(shape.words)))
        else:
            key = (m.kind, tuple(t.key for t in tokenize(m.text)))
        if not key[1]:
            continue
        for other in by_key.get(key, []):
            if m.kind != "person" or _initials_agree(
                shapes[other].initials, shapes[m.index].initials
            ):
                union.join(other, m.index)
                break
        else:
            by_key.setdefault(key, []).append(m.index)
    # a place named by the end of its longer name: "our Maritime Region" after "the Far East
    # Maritime Region", when only one place of the document ends so
    places = {
        m.index: tuple(t.key for t in tokenize(m.text)) for m in mentions if m.kind == "place"
    }
    for k, words in places.items():
        if len(words) < 2:
            continue
        longer = {
            union.find(j)
            for j, other in places.items()
            if len(other) > len(words) and other[-len(words) :] == words
        }
        if len(longer) == 1:
            union.join(longer.pop(), k)
    # a lone surname: the only person of the document with that first or last word
    persons = [m for m in mentions if m.kind == "person" and len(shapes[m.index].words) > 1]
    for m in mentions:
        if m.kind != "person" or len(shapes[m.index].words) != 1:
            continue
        word = shapes[m.index].words[0]
        owners = {
            union.find(p.index)
            for p in persons
            if word in (shapes[p.index].words[0], shapes[p.index].words[-1])
            and _initials_agree(shapes[p.index].initials, shapes[m.index].initials)
        }
        registered = [
            ref
            for ref, words in (registered_persons or {}).items()
            if len(words) > 1 and word in (words[0], words[-1])
        ]
        if len(owners) == 1 and not registered:
            union.join(owners.pop(), m.index)
        elif not owners and len(registered) == 1 and m.ref is None:
            m.ref = registered[0]
    groups: dict[int, list[Mention]] = {}
    for m in mentions:
        groups.setdefault(union.find(m.index), []).append(m)
    ordered = sorted(groups.values(), key=lambda g: g[0].index)
    for number, members in enumerate(ordered):
        refs = {m.ref for m in members if m.ref}
        ref = refs.pop() if len(refs) == 1 else None
        for m in members:
            m.group = number
            m.ref = ref
    return ordered


def preferred_form(forms: list[str]) -> str:
    """The fullest form: most words (hyphenated parts counted), then written in mixed case,
    then first written ("Pak Seong-cheol" before its gloss "Pak Song Chol")."""
    return max(
        enumerate(forms),
        key=lambda kf: (len(tokenize(kf[1])), not kf[1].isupper(), -kf[0]),
    )[1]


def distinct_forms(forms: Iterable[str]) -> list[str]:
    """The forms once each (spacing normalised), the preferred one first."""
    seen: dict[str, str] = {}
    for form in forms:
        form = normalise_space(form)
        if form and form not in seen:
            seen[form] = form
    found = list(seen)
    if not found:
        return []
    first = preferred_form(found)
    return [first, *(f for f in found if f != first)]


_SLUG_RE = re.compile(r"[^a-z0-9]+")


def make_id(name: str, kind: str, taken: set[str]) -> str:
    """An ``xml:id`` made from ``name`` (ASCII, lower case, words joined by ``_``), not in
    ``taken`` (a number is added where needed); it is added to ``taken``."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = [w for w in _SLUG_RE.split(ascii_name.lower()) if w]
    slug = ""
    for word in words:
        if slug and len(slug) + 1 + len(word) > 40:
            break
        slug = f"{slug}_{word}" if slug else word
    if not slug or not slug[0].isalpha():
        slug = f"{kind}_{slug}" if slug else kind
    candidate, number = slug, 1
    while candidate in taken:
        number += 1
        candidate = f"{slug}_{number}"
    taken.add(candidate)
    return candidate
