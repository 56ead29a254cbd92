"""RELAX NG patterns as interned values, built through simplifying constructors.

A :class:`Pattern` is immutable and *interned* by its :class:`Patterns` table: two equal
patterns are the same object, so equality, hashing and sharing cost nothing. The constructors
apply RELAX NG's simplification rules (section 4 of the specification) and a few more
equivalences as patterns are built:

- ``notAllowed`` is absorbed by ``group``, ``interleave``, ``oneOrMore``, ``list``,
  ``attribute`` and dropped from ``choice``; ``empty`` is dropped from ``group`` and
  ``interleave``;
- nested ``group``/``choice``/``interleave`` are flattened; a ``choice`` keeps each distinct
  alternative once, in first-seen order; ``choice(p, empty)`` is ``optional(p)``, and an
  ``optional`` alternative is lifted out of the choice;
- repetitions collapse: ``optional(zeroOrMore p)`` and ``oneOrMore(zeroOrMore p)`` are
  ``zeroOrMore p``; the alternatives of a repeated choice lose their own repetition
  (``(a | b*)*`` is ``(a | b)*``); ``oneOrMore`` of something nullable is ``zeroOrMore``.

These keep the language (the set of valid documents) the same; they make choices flat and
free of duplicates, which is what makes libxml2's compiled content models deterministic.
Element patterns only appear as the bodies of named definitions; elsewhere elements are
``ref``\\ s to them.

Name classes are the plain tuples of :mod:`~tei_cable.relaxng.names`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .names import NameClass

#: kinds whose children are matched in their place (not an element's or attribute's content)
_CONTAINERS = frozenset(
    ("group", "interleave", "choice", "optional", "zeroOrMore", "oneOrMore", "bundle", "after")
)
_TEXTUAL = frozenset(("data", "value", "list"))


#: RELAX NG elements that are patterns of their own, with no children (:meth:`Patterns.leaf`)
LEAVES = frozenset(("empty", "notAllowed", "text"))
#: RELAX NG elements that combine their child patterns one way (:meth:`Patterns.combine`)
COMBINATORS = frozenset(
    ("group", "choice", "interleave", "mixed", "optional", "zeroOrMore", "oneOrMore", "list")
)


class Pattern:
    """One interned RELAX NG pattern (see the module docstring)."""

    __slots__ = (
        "data",
        "has_attributes",
        "kids",
        "kind",
        "nullable",
        "size",
        "text_sensitive",
        "uid",
    )

    def __init__(
        self, kind: str, data: tuple[Any, ...], kids: tuple[Pattern, ...], uid: int, nullable: bool
    ) -> None:
        self.kind = kind
        self.data = data
        self.kids = kids
        self.uid = uid
        self.nullable = nullable
        size = 1
        attributes = textual = False
        for kid in kids:
            size += kid.size
            attributes = attributes or kid.has_attributes
            textual = textual or kid.text_sensitive
        self.size = size
        inside = kind in _CONTAINERS
        #: whether attributes are still to match in it (not counting those of elements)
        self.has_attributes = kind == "attribute" or (inside and attributes)
        #: whether what text matches depends on the text (data, value, list)
        self.text_sensitive = kind in _TEXTUAL or (inside and textual)
        if kind == "after":
            self.has_attributes = kids[0].has_attributes

    def __repr__(self) -> str:
        if not self.kids:
            return f"{self.kind}{self.data if self.data else ''}"
        return f"{self.kind}{self.data if self.data else ''}({', '.join(map(repr, self.kids))})"


def _uid(pattern: Pattern) -> int:
    return pattern.uid


class Patterns:
    """The intern table and the simplifying constructors."""

    def __init__(self) -> None:
        self._table: dict[tuple[Any, ...], Pattern] = {}
        self.empty = self._make("empty", (), (), True)
        self.not_allowed = self._make("notAllowed", (), (), False)
        self.text = self._make("text", (), (), True)
        self._leaves = {"empty": self.empty, "notAllowed": self.not_allowed, "text": self.text}

    def _make(
        self, kind: str, data: tuple[Any, ...], kids: tuple[Pattern, ...], nullable: bool
    ) -> Pattern:
        key = (kind, data, kids)  # kids are interned: the same object for the same pattern
        found = self._table.get(key)
        if found is None:
            found = Pattern(kind, data, kids, len(self._table), nullable)
            self._table[key] = found
        return found

    # -- leaves ------------------------------------------------------------------------------
    def leaf(self, kind: str) -> Pattern:
        """The pattern of an ``empty``, ``notAllowed`` or ``text`` element."""
        return self._leaves[kind]

    def ref(self, name: str) -> Pattern:
        return self._make("ref", (name,), (), False)

    def data(
        self,
        type_: str,
        library: str,
        params: tuple[tuple[str, str], ...] = (),
        except_: Pattern | None = None,
    ) -> Pattern:
        kids = () if except_ is None or except_ is self.not_allowed else (except_,)
        return self._make("data", (type_, library, params), kids, False)

    def value(self, text: str, type_: str = "token", library: str = "", ns: str = "") -> Pattern:
        return self._make("value", (type_, library, ns, text), (), False)

    # -- containers --------------------------------------------------------------------------
    def combine(self, kind: str, kids: Iterable[Pattern]) -> Pattern:
        """What the RELAX NG element ``kind`` (one of :data:`COMBINATORS`) makes of its child
        patterns: a choice or interleave of them, else their group (interleaved with text
        for ``mixed``, repeated or made optional or a list as the element says)."""
        if kind == "choice":
            return self.choice(kids)
        if kind == "interleave":
            return self.interleave(kids)
        inner = self.group(kids)
        if kind == "group":
            return inner
        if kind == "mixed":
            return self.interleave([self.text, inner])
        if kind == "optional":
            return self.optional(inner)
        if kind == "zeroOrMore":
            return self.zero_or_more(inner)
        if kind == "oneOrMore":
            return self.one_or_more(inner)
        if kind == "list":
            return self.list_(inner)
        raise ValueError(f"{kind} does not combine patterns")

    def group(self, kids: Iterable[Pattern]) -> Pattern:
        return self._sequence("group", kids)

    def interleave(self, kids: Iterable[Pattern]) -> Pattern:
        return self._sequence("interleave", kids)

    def _sequence(self, kind: str, kids: Iterable[Pattern]) -> Pattern:
        """A group or interleave, flattened: ``empty`` dropped, ``notAllowed`` absorbing."""
        flat: list[Pattern] = []
        for kid in kids:
            if kid is self.not_allowed:
                return self.not_allowed
            if kid is self.empty:
                continue
            if kid.kind == kind:
                flat.extend(kid.kids)
            else:
                flat.append(kid)
        if not flat:
            return self.empty
        if len(flat) == 1:
            return flat[0]
        return self._make(kind, (), tuple(flat), all(k.nullable for k in flat))

    def choice(self, kids: Iterable[Pattern], *, unordered: bool = False) -> Pattern:
        """A choice, flattened, each alternative once; ``unordered``: the same choice whatever
        the order of the alternatives (states of matching by derivatives), else they stay in
        first-seen order (as written)."""
        flat: list[Pattern] = []
        seen: set[int] = set()
        optional = False
        empty, not_allowed = self.empty, self.not_allowed
        for kid in kids:
            kind = kid.kind
            if kind == "optional":  # its alternatives, and empty
                optional = True
                kid = kid.kids[0]
                kind = kid.kind
            for sub in kid.kids if kind == "choice" else (kid,):
                if sub is not_allowed:
                    continue
                if sub is empty:
                    optional = True
                    continue
                if sub.kind in ("choice", "optional"):  # not built here: flatten it too
                    inner = self.choice([sub])
                    if inner.kind == "optional":
                        optional = True
                        inner = inner.kids[0]
                    subs = inner.kids if inner.kind == "choice" else (inner,)
                else:
                    subs = (sub,)
                for alternative in subs:
                    if alternative.uid not in seen:
                        seen.add(alternative.uid)
                        flat.append(alternative)
        if not flat:
            return self.empty if optional else self.not_allowed
        if len(flat) == 1:
            base = flat[0]
        else:
            if unordered:
                flat.sort(key=_uid)
            base = self._make("choice", (), tuple(flat), any(k.nullable for k in flat))
        return self.optional(base) if optional else base

    def optional(self, kid: Pattern) -> Pattern:
        if kid is self.empty or kid is self.not_allowed:
            return self.empty
        if kid.nullable:
            return kid
        if kid.kind == "oneOrMore":
            return self.zero_or_more(kid.kids[0])
        return self._make("optional", (), (kid,), True)

    def zero_or_more(self, kid: Pattern) -> Pattern:
        if kid is self.empty or kid is self.not_allowed:
            return self.empty
        if kid.kind in ("zeroOrMore", "oneOrMore", "optional"):
            return self.zero_or_more(kid.kids[0])
        if kid.kind == "choice":
            unwrapped = [
                k.kids[0] if k.kind in ("zeroOrMore", "oneOrMore") else k for k in kid.kids
            ]
            if any(a is not b for a, b in zip(unwrapped, kid.kids, strict=True)):
                return self.zero_or_more(self.choice(unwrapped))
        return self._make("zeroOrMore", (), (kid,), True)

    def one_or_more(self, kid: Pattern) -> Pattern:
        if kid is self.empty:
            return self.empty
        if kid is self.not_allowed:
            return self.not_allowed
        if kid.nullable:
            return self.zero_or_more(kid)
        if kid.kind == "oneOrMore":
            return kid
        return self._make("oneOrMore", (), (kid,), False)

    def list_(self, kid: Pattern) -> Pattern:
        if kid is self.not_allowed:
            return self.not_allowed
        return self._make("list", (), (kid,), False)

    def attribute(
        self, name: NameClass, value: Pattern, *, default: str | None = None, doc: str | None = None
    ) -> Pattern:
        if value is self.not_allowed:
            return self.not_allowed
        return self._make("attribute", (name, default, doc), (value,), False)

    def element(
        self, name: NameClass, content: Pattern, attributes: Pattern, *, doc: str | None = None
    ) -> Pattern:
        """An element pattern; its content and its attributes are kept apart (for sharing)."""
        return self._make("element", (name, doc), (content, attributes), False)

    def bundle(self, name: str, kid: Pattern) -> Pattern:
        """A named group of attributes (a class's): a group that is not flattened away."""
        if kid is self.not_allowed:
            return self.not_allowed
        if kid is self.empty:
            return self.empty
        return self._make("bundle", (name,), (kid,), kid.nullable)

    def after(self, a: Pattern, b: Pattern) -> Pattern:
        """Matching by derivatives: ``a``, then the end tag of the element, then ``b``."""
        if a is self.not_allowed or b is self.not_allowed:
            return self.not_allowed
        return self._make("after", (), (a, b), False)

    # -- rebuilding --------------------------------------------------------------------------
    def rebuild(self, pattern: Pattern, kids: list[Pattern]) -> Pattern:
        """``pattern`` with new children, simplified again."""
        kind = pattern.kind
        if kind == "group":
            return self.group(kids)
        if kind == "choice":
            return self.choice(kids)
        if kind == "interleave":
            return self.interleave(kids)
        if kind == "optional":
            return self.optional(kids[0])
        if kind == "zeroOrMore":
            return self.zero_or_more(kids[0])
        if kind == "oneOrMore":
            return self.one_or_more(kids[0])
        if kind == "list":
            return self.list_(kids[0])
        if kind == "attribute":
            name, default, doc = pattern.data
            return self.attribute(name, kids[0], default=default, doc=doc)
        if kind == "bundle":
            return self.bundle(pattern.data[0], kids[0])
        if kind == "data":
            type_, library, params = pattern.data
            return self.data(type_, library, params, kids[0] if kids else None)
        if kind == "element":
            name, doc = pattern.data
            return self.element(name, kids[0], kids[1], doc=doc)
        return pattern


def element_refs(pattern: Pattern, memo: dict[int, frozenset[str]]) -> frozenset[str]:
    """The names ``pattern`` refers to (memoised per pattern: shared parts are walked once)."""
    found = memo.get(pattern.uid)
    if found is None:
        if pattern.kind == "ref":
            found = frozenset(pattern.data)
        elif not pattern.kids:
            found = frozenset()
        elif len(pattern.kids) == 1:
            found = element_refs(pattern.kids[0], memo)
        else:
            found = frozenset().union(*(element_refs(k, memo) for k in pattern.kids))
        memo[pattern.uid] = found
    return found


#: origins (and internal define names) of an external RELAX NG module's patterns start with
#: this (never a TEI ident): they keep their own name in the output, without the schema's prefix
EXT = "\u0000ext:"


@dataclass
class Grammar:
    """The resolved grammar: named element patterns and a start."""

    patterns: Patterns
    start: Pattern
    elements: dict[str, Pattern]
    #: define name -> name in the output (with the schema's pattern prefix)
    names: dict[str, str]
    ns: str
    #: pattern uid -> the class, macro or attribute class it was built from (for naming)
    origins: dict[int, str] = field(default_factory=dict)
    #: elements of the schema that no document can satisfy
    unsatisfiable: list[str] = field(default_factory=list)
    #: the schemaSpec's pattern prefix (``@prefix``), for the names of shared patterns
    prefix: str = ""
