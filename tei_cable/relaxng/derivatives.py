"""Matching documents against a grammar by derivatives, over the one pattern algebra.

This follows James Clark's derivative algorithm ("An algorithm for RELAX NG validation",
2002): a pattern's derivative with respect to a start tag, an attribute, a piece of text or an
end tag is the pattern that must match the rest. The patterns are those of
:mod:`~tei_cable.relaxng.patterns` as :mod:`~tei_cable.relaxng.read` reads them (interned:
structurally equal patterns are the same object), so derivatives are memoised by identity and a
document is checked in one pass; the only pattern added is ``after`` (what must follow the end
of the element being matched). It is used to explain what libxml2 rejects, not to decide
validity.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .datatypes import Datatype, is_xml_space, xml_split
from .names import QName
from .names import contains as nc_contains
from .names import parts as nc_names
from .patterns import Grammar as Resolved
from .patterns import Pattern, Patterns
from .read import GrammarError, read_file

__all__ = [
    "Derivatives",
    "Grammar",
    "GrammarError",
    "Pattern",
    "is_xml_space",
    "xml_split",
]

#: kinds whose one child is matched as the pattern itself (optional and bundle wrappers)
_SAME = ("optional", "bundle")


class Derivatives:
    """The derivatives of a grammar's patterns, with their memo tables."""

    def __init__(self, grammar: Resolved) -> None:
        self.grammar = grammar
        self.P: Patterns = grammar.patterns
        self.empty = self.P.empty
        self.not_allowed = self.P.not_allowed
        self.text = self.P.text
        #: element name -> (name class, content with attributes)
        self._elements: dict[str, tuple[tuple, Pattern | None]] = {
            name: (e.data[0], None) for name, e in grammar.elements.items()
        }
        self._datatypes: dict[tuple, Datatype] = {}
        self._sto: dict[tuple[Pattern, QName], Pattern] = {}
        self._att: dict[tuple[Pattern, QName, frozenset[Pattern]], Pattern] = {}
        self._att_values: dict[tuple[Pattern, QName], frozenset[Pattern]] = {}
        self._attributes: dict[Pattern, list[tuple[tuple, Pattern]]] = {}
        self._expected: dict[Pattern, tuple[frozenset[tuple], bool, bool]] = {}
        self._mentions: dict[tuple[Pattern, QName], bool] = {}
        self._stc: dict[Pattern, Pattern] = {}
        self._lenient: dict[Pattern, Pattern] = {}
        self._end: dict[Pattern, Pattern] = {}
        self._txt: dict[tuple[Pattern, str | None], Pattern] = {}

    # -- constructors --

    def choice(self, *alternatives: Pattern) -> Pattern:
        return self.P.choice(alternatives, unordered=True)

    def either(self, alternatives: list[Pattern]) -> Pattern:
        """The choice of states: the same pattern whatever the order of ``alternatives``."""
        return self.P.choice(alternatives, unordered=True)

    def group(self, *kids: Pattern) -> Pattern:
        return self.P.group(kids)

    def after(self, a: Pattern, b: Pattern) -> Pattern:
        """``a`` then the end tag, then ``b``."""
        if a is self.not_allowed or b is self.not_allowed:
            return self.not_allowed
        return self.P.after(a, b)

    def name_class(self, element: Pattern) -> tuple:
        """The name class of an element (a ``ref`` to a named element pattern)."""
        return self._elements[element.data[0]][0]

    def body(self, element: Pattern) -> Pattern:
        """What the element ``element`` (a ``ref``) must contain: its attributes and content."""
        name = element.data[0]
        nc, body = self._elements[name]
        if body is None:
            pattern = self.grammar.elements[name]
            body = self.P.group([pattern.kids[1], pattern.kids[0]])
            self._elements[name] = (nc, body)
        return body

    def datatype(self, p: Pattern) -> Datatype:
        """The datatype of a ``data`` or ``value`` pattern."""
        if p.kind == "data":
            type_, library, params = p.data
        else:
            type_, library, params = p.data[0], p.data[1], ()
        key = (library, type_, params)
        found = self._datatypes.get(key)
        if found is None:
            found = self._datatypes[key] = Datatype(library, type_, params)
        return found

    # -- derivatives (Clark 2002) --

    def apply_after(self, f: Callable[[Pattern], Pattern], p: Pattern) -> Pattern:
        kind = p.kind
        if kind == "after":
            return self.after(p.kids[0], f(p.kids[1]))
        if kind == "choice":
            return self.either([self.apply_after(f, q) for q in p.kids])
        return self.not_allowed

    def start_tag_open(self, p: Pattern, qn: QName) -> Pattern:
        key = (p, qn)
        found = self._sto.get(key)
        if found is None:
            found = self._sto[key] = self._start_tag_open(p, qn)
        return found

    def _start_tag_open(self, p: Pattern, qn: QName) -> Pattern:
        kind = p.kind
        P = self.P
        if kind == "choice":
            return self.either([self.start_tag_open(q, qn) for q in p.kids])
        if kind == "ref":
            entry = self._elements.get(p.data[0])
            if entry is not None and nc_contains(entry[0], qn):
                return self.after(self.body(p), self.empty)
            return self.not_allowed
        kids = p.kids
        if kind in _SAME:
            return self.start_tag_open(kids[0], qn)
        if kind == "group":
            found = []
            for i, kid in enumerate(kids):
                inside = self.start_tag_open(kid, qn)
                if inside is not self.not_allowed:
                    rest = P.group(kids[i + 1 :])
                    found.append(self.apply_after(lambda x, r=rest: P.group([x, r]), inside))
                if not kid.nullable:
                    break
            return self.either(found)
        if kind == "interleave":
            found = []
            for i, kid in enumerate(kids):
                inside = self.start_tag_open(kid, qn)
                if inside is not self.not_allowed:
                    found.append(
                        self.apply_after(
                            lambda x, i=i: P.interleave([*kids[:i], x, *kids[i + 1 :]]), inside
                        )
                    )
            return self.either(found)
        if kind in ("oneOrMore", "zeroOrMore"):
            rest = p if kind == "zeroOrMore" else P.zero_or_more(kids[0])
            return self.apply_after(lambda x: P.group([x, rest]), self.start_tag_open(kids[0], qn))
        if kind == "after":
            b = kids[1]
            return self.apply_after(lambda x: self.after(x, b), self.start_tag_open(kids[0], qn))
        return self.not_allowed

    def attribute_deriv(
        self, p: Pattern, qn: QName, value: str | None, origin: Pattern | None = None
    ) -> Pattern:
        """The derivative for attribute ``qn="value"`` (``value`` ``None``: any value).

        It depends on the value only through which of the attribute's value patterns accept
        it, so it is memoised on that set: unique values (``xml:id``, ``n``) cost one value
        check each, not a walk of the whole pattern. ``origin``: the pattern at the start
        tag, before the element's other attributes; its value patterns for ``qn`` are those
        of ``p`` (an element has each attribute once), and it recurs far more often.
        """
        candidates = self._attribute_values(origin if origin is not None else p, qn)
        if value is None:
            accepted = candidates
        else:
            accepted = frozenset(v for v in candidates if self.value_matches(v, value))
        return self._attribute_deriv_memo(p, qn, accepted)

    def _attribute_values(self, p: Pattern, qn: QName) -> frozenset[Pattern]:
        key = (p, qn)
        found = self._att_values.get(key)
        if found is None:
            found = frozenset(v for nc, v in self.attributes(p) if nc_contains(nc, qn))
            self._att_values[key] = found
        return found

    def _attribute_deriv_memo(self, p: Pattern, qn: QName, accepted: frozenset[Pattern]) -> Pattern:
        if not p.has_attributes:
            return self.not_allowed
        key = (p, qn, accepted)
        found = self._att.get(key)
        if found is None:
            found = self._att[key] = self._attribute_deriv(p, qn, accepted)
        return found

    def _attribute_deriv(self, p: Pattern, qn: QName, accepted: frozenset[Pattern]) -> Pattern:
        kind = p.kind
        P = self.P
        kids = p.kids
        d = self._attribute_deriv_memo
        if kind == "attribute":
            if kids[0] in accepted and nc_contains(p.data[0], qn):
                return self.empty
            return self.not_allowed
        if kind == "choice":
            return self.either([d(q, qn, accepted) for q in kids])
        if kind == "after":
            return self.after(d(kids[0], qn, accepted), kids[1])
        if kind in ("group", "interleave"):
            make = P.group if kind == "group" else P.interleave
            found = []
            for i, kid in enumerate(kids):
                if kid.has_attributes:
                    after = d(kid, qn, accepted)
                    if after is not self.not_allowed:
                        found.append(make([*kids[:i], after, *kids[i + 1 :]]))
            return self.either(found)
        if kind == "oneOrMore":
            return P.group([d(kids[0], qn, accepted), P.zero_or_more(kids[0])])
        if kind == "zeroOrMore":
            return P.group([d(kids[0], qn, accepted), p])
        if kind in _SAME:
            return d(kids[0], qn, accepted)
        return self.not_allowed

    def attribute_name_deriv(self, p: Pattern, qn: QName, origin: Pattern | None = None) -> Pattern:
        """Like an attribute derivative, but accepting any value (to tell name from value)."""
        return self.attribute_deriv(p, qn, None, origin)

    def value_matches(self, p: Pattern, value: str) -> bool:
        return (p.nullable and is_xml_space(value)) or self.text_deriv(p, value).nullable

    def start_tag_close(self, p: Pattern) -> Pattern:
        found = self._stc.get(p)
        if found is None:
            found = self._stc[p] = self._close(p, self.not_allowed, self._stc)
        return found

    def start_tag_close_lenient(self, p: Pattern) -> Pattern:
        """Closing the start tag as if every missing attribute were there (to go on checking)."""
        found = self._lenient.get(p)
        if found is None:
            found = self._lenient[p] = self._close(p, self.empty, self._lenient)
        return found

    def _close(self, p: Pattern, missing: Pattern, memo: dict[Pattern, Pattern]) -> Pattern:
        if not p.has_attributes:
            return p

        def close(q: Pattern) -> Pattern:
            found = memo.get(q)
            if found is None:
                found = memo[q] = self._close(q, missing, memo)
            return found

        kind = p.kind
        P = self.P
        kids = p.kids
        if kind == "attribute":
            return missing
        if kind == "after":
            return self.after(close(kids[0]), kids[1])
        if kind == "bundle":
            return close(kids[0])
        if kind == "choice":
            return self.either([close(q) for q in kids])
        if kind in ("group", "interleave", "optional", "zeroOrMore", "oneOrMore"):
            return P.rebuild(p, [close(q) for q in kids])
        return p

    def end_tag(self, p: Pattern) -> Pattern:
        found = self._end.get(p)
        if found is None:
            kind = p.kind
            if kind == "choice":
                found = self.either([self.end_tag(q) for q in p.kids])
            elif kind == "after":
                found = p.kids[1] if p.kids[0].nullable else self.not_allowed
            else:
                found = self.not_allowed
            self._end[p] = found
        return found

    def force_end(self, p: Pattern) -> Pattern:
        """What follows the element whatever its content lacked (recovery after an error)."""
        kind = p.kind
        if kind == "choice":
            return self.either([self.force_end(q) for q in p.kids])
        if kind == "after":
            return p.kids[1]
        return self.not_allowed

    def text_deriv(self, p: Pattern, s: str) -> Pattern:
        key = (p, s if p.text_sensitive else None)
        found = self._txt.get(key)
        if found is None:
            if len(self._txt) > 200_000:
                self._txt.clear()
            found = self._txt[key] = self._text_deriv(p, s)
        return found

    def _text_deriv(self, p: Pattern, s: str) -> Pattern:
        kind = p.kind
        P = self.P
        kids = p.kids
        if kind == "text":
            return p
        if kind == "choice":
            return self.either([self.text_deriv(q, s) for q in kids])
        if kind == "after":
            return self.after(self.text_deriv(kids[0], s), kids[1])
        if kind in ("group", "interleave"):
            found = []
            for i, kid in enumerate(kids):
                after = self.text_deriv(kid, s)
                if after is not self.not_allowed:
                    if kind == "group":
                        found.append(P.group([after, *kids[i + 1 :]]))
                    else:
                        found.append(P.interleave([*kids[:i], after, *kids[i + 1 :]]))
                if kind == "group" and not kid.nullable:
                    break
            return self.either(found)
        if kind == "oneOrMore":
            return P.group([self.text_deriv(kids[0], s), P.zero_or_more(kids[0])])
        if kind == "zeroOrMore":
            return P.group([self.text_deriv(kids[0], s), p])
        if kind in _SAME:
            return self.text_deriv(kids[0], s)
        if kind == "value":
            return self.empty if self.datatype(p).equal(p.data[3], s, {}) else self.not_allowed
        if kind == "data":
            if not self.datatype(p).allows(s):
                return self.not_allowed
            if kids and self.text_deriv(kids[0], s).nullable:
                return self.not_allowed
            return self.empty
        if kind == "list":
            q = kids[0]
            for token in xml_split(s):
                q = self.text_deriv(q, token)
                if q is self.not_allowed:
                    return q
            return self.empty if q.nullable else self.not_allowed
        return self.not_allowed

    # -- what a pattern expects next (for messages) --

    def expected(self, p: Pattern) -> tuple[frozenset[tuple], bool, bool]:
        """Element name classes that may come next, whether text may, whether the end may."""
        found = self._expected.get(p)
        if found is None:
            found = self._expected[p] = self._expected_walk(p)
        return found

    def _expected_walk(self, p: Pattern) -> tuple[frozenset[tuple], bool, bool]:
        names: set[tuple] = set()
        flags = {"text": False, "end": False}
        seen: set[Pattern] = set()

        def walk(q: Pattern) -> None:
            if q in seen:
                return
            seen.add(q)
            kind = q.kind
            if kind == "after":
                if q.kids[0].nullable:
                    flags["end"] = True
                walk(q.kids[0])
            elif kind in ("choice", "interleave"):
                for r in q.kids:
                    walk(r)
            elif kind == "ref":
                entry = self._elements.get(q.data[0])
                if entry is not None:
                    names.add(entry[0])
            elif kind == "group":
                for r in q.kids:
                    walk(r)
                    if not r.nullable:
                        break
            elif kind in ("oneOrMore", "zeroOrMore", "optional", "bundle"):
                walk(q.kids[0])
            elif kind in ("text", "data", "value", "list"):
                flags["text"] = True

        walk(p)
        return frozenset(names), flags["text"], flags["end"]

    def mentions(self, p: Pattern, qn: QName) -> bool:
        """Whether an element named ``qn`` may come anywhere in the content ``p`` still has."""
        key = (p, qn)
        found = self._mentions.get(key)
        if found is None:
            found = self._mentions[key] = self._mentions_walk(p, qn)
        return found

    def _mentions_walk(self, p: Pattern, qn: QName) -> bool:
        seen: set[Pattern] = set()
        stack = [p]
        while stack:
            q = stack.pop()
            if q in seen:
                continue
            seen.add(q)
            kind = q.kind
            if kind == "ref":
                entry = self._elements.get(q.data[0])
                if entry is not None and nc_contains(entry[0], qn):
                    return True
            elif kind in ("choice", "group", "interleave"):
                stack.extend(q.kids)
            elif kind in ("oneOrMore", "zeroOrMore", "optional", "bundle", "after"):
                stack.append(q.kids[0])
        return False

    def attributes(self, p: Pattern) -> list[tuple[tuple, Pattern]]:
        """The attribute patterns still to match in ``p`` (name class, value pattern)."""
        cached = self._attributes.get(p)
        if cached is None:
            cached = self._attributes[p] = self._attributes_walk(p)
        return cached

    def _attributes_walk(self, p: Pattern) -> list[tuple[tuple, Pattern]]:
        found: list[tuple[tuple, Pattern]] = []
        seen: set[Pattern] = set()

        def walk(q: Pattern) -> None:
            if q in seen or not q.has_attributes:
                return
            seen.add(q)
            kind = q.kind
            if kind == "attribute":
                found.append((q.data[0], q.kids[0]))
            elif kind == "after":
                walk(q.kids[0])
            elif kind in ("choice", "group", "interleave"):
                for r in q.kids:
                    walk(r)
            elif kind in ("oneOrMore", "zeroOrMore", "optional", "bundle"):
                walk(q.kids[0])

        walk(p)
        return found

    def required_attributes(self, p: Pattern) -> set[tuple]:
        """Name classes of attributes ``p`` cannot do without."""
        kind = p.kind
        if kind == "attribute":
            return {p.data[0]}
        if kind == "choice":
            sets = [self.required_attributes(q) for q in p.kids]
            return set.intersection(*sets) if sets else set()
        if kind in ("group", "interleave"):
            return set().union(*(self.required_attributes(q) for q in p.kids))
        if kind in ("oneOrMore", "after", "bundle"):
            return self.required_attributes(p.kids[0])
        return set()

    def describe_values(self, p: Pattern) -> tuple[list[str], list[str]]:
        """What a value pattern allows: datatype descriptions, and the allowed literal values."""
        kinds: list[str] = []
        values: list[str] = []
        seen: set[Pattern] = set()

        def walk(q: Pattern) -> None:
            if q in seen:
                return
            seen.add(q)
            kind = q.kind
            if kind == "choice":
                for r in sorted(q.kids, key=_order):
                    walk(r)
            elif kind == "value":
                values.append(q.data[3])
            elif kind == "data":
                kinds.append(self.datatype(q).describe())
            elif kind == "list":
                inner_kinds, inner_values = self.describe_values(q.kids[0])
                inner = inner_kinds + [f'"{v}"' for v in inner_values]
                kinds.append("a space-separated list of " + " or ".join(inner[:4]))
            elif kind == "text":
                kinds.append("any text")
            elif kind in ("group", "oneOrMore", "zeroOrMore", "optional", "interleave", "after"):
                walk(q.kids[0])

        walk(p)
        return list(dict.fromkeys(kinds)), list(dict.fromkeys(values))


def _order(p: Pattern) -> tuple[int, str]:
    if p.kind == "value":
        return (1, p.data[3])
    if p.kind == "data":
        return (0, p.data[0])
    return (2, p.kind)


class Grammar:
    """A RELAX NG grammar file read by :mod:`.read`, with its derivatives."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.resolved = read_file(self.path)
        self.patterns = Derivatives(self.resolved)
        self.start = self.resolved.start
        self._reachable: list[Pattern] | None = None
        self._named: dict[QName, list[Pattern]] = {}
        self._wildcards: list[Pattern] = []
        self._by_name: dict[QName, list[Pattern]] = {}

    def elements(self) -> list[Pattern]:
        """Every element the start can reach, as the ``ref``\\ s that stand for them."""
        if self._reachable is None:
            self._reachable = self._reach()
        return self._reachable

    def elements_named(self, qn: QName) -> list[Pattern]:
        """Every element (a ``ref``) whose name class contains ``qn``."""
        self.elements()
        found = self._by_name.get(qn)
        if found is None:
            named = self._named.get(qn, [])
            found = named + [
                e for e in self._wildcards if nc_contains(self.patterns.name_class(e), qn)
            ]
            self._by_name[qn] = found
        return found

    def _reach(self) -> list[Pattern]:
        D = self.patterns
        found: list[Pattern] = []
        seen: set[Pattern] = set()
        stack = [self.start]
        while stack:
            p = stack.pop()
            if p in seen:
                continue
            seen.add(p)
            if p.kind == "ref":
                if p.data[0] not in self.resolved.elements:
                    continue
                found.append(p)
                parts = nc_names(D.name_class(p))
                if all(part[0] == "name" for part in parts):
                    for part in parts:
                        self._named.setdefault((part[1], part[2]), []).append(p)
                else:
                    self._wildcards.append(p)
                stack.append(D.body(p))
            else:
                stack.extend(p.kids)
        return found
