"""A RELAX NG grammar (XML syntax) as interned patterns, with their derivatives.

This follows James Clark's derivative algorithm ("An algorithm for RELAX NG validation",
2002): a pattern's derivative with respect to a start tag, an attribute, a piece of text or an
end tag is the pattern that must match the rest. Patterns are interned (structurally equal
patterns are the same object), so derivatives are memoised by identity and a document is
checked in one pass. Element contents are built only when an element is first entered.

The reader applies the simplification rules of RELAX NG section 4 that matter for matching:
``ns`` and ``datatypeLibrary`` inheritance, ``include``/``externalRef`` (local files),
``combine``, ``div``, ``mixed``, ``optional``, ``zeroOrMore``, name classes, nested grammars
with ``parentRef``. It is used to explain what libxml2 rejects, not to decide validity.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

from lxml import etree

from ..namespaces import RNG
from ..xmlio import safe_parser
from .datatypes import Datatype, is_xml_space, xml_split
from .names import NameClassError, QName, qualified, read
from .names import contains as nc_contains
from .names import parts as nc_names

_R = f"{{{RNG}}}"

__all__ = ["Grammar", "GrammarError", "Pattern", "Patterns", "is_xml_space", "xml_split"]


class GrammarError(Exception):
    """The grammar uses something this reader does not follow."""


# -- patterns ----


class Pattern:
    """An interned pattern; compare and hash by identity."""

    __slots__ = ("a", "b", "body", "has_attributes", "kind", "nc", "nullable", "text_sensitive")

    def __init__(self, kind: str, a: object = None, b: object = None, nc: tuple | None = None):
        self.kind = kind
        self.a = a
        self.b = b
        self.nc = nc
        self.body: Callable[[], Pattern] | Pattern | None = None
        self.nullable = False
        self.text_sensitive = False
        self.has_attributes = kind == "attribute"

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"<{self.kind}>"


class Patterns:
    """The interning factory, and the derivatives with their memo tables."""

    def __init__(self) -> None:
        self._table: dict[tuple, Pattern] = {}
        self.not_allowed = self._make(("notAllowed",), "notAllowed")
        self.empty = self._make(("empty",), "empty")
        self.empty.nullable = True
        self.text = self._make(("text",), "text")
        self.text.nullable = True
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

    def _make(
        self, key: tuple, kind: str, a: object = None, b: object = None, nc: tuple | None = None
    ) -> Pattern:
        found = self._table.get(key)
        if found is None:
            found = self._table[key] = Pattern(kind, a, b, nc)
        return found

    # -- constructors (with the usual simplifications) --

    def choice(self, *alternatives: Pattern) -> Pattern:
        """An n-ary choice, flattened, without ``notAllowed`` and duplicates."""
        flat: set[Pattern] = set()
        for p in alternatives:
            if p.kind == "choice":
                flat.update(p.a)  # type: ignore[arg-type]
            elif p is not self.not_allowed:
                flat.add(p)
        if not flat:
            return self.not_allowed
        if len(flat) == 1:
            return next(iter(flat))
        key = ("choice", frozenset(flat))
        found = self._table.get(key)
        if found is None:
            found = self._table[key] = Pattern("choice", key[1])
            found.nullable = any(p.nullable for p in flat)
            found.text_sensitive = any(p.text_sensitive for p in flat)
            found.has_attributes = any(p.has_attributes for p in flat)
        return found

    def group(self, a: Pattern, b: Pattern) -> Pattern:
        return self._sequence("group", a, b)

    def interleave(self, a: Pattern, b: Pattern) -> Pattern:
        return self._sequence("interleave", a, b)

    def _sequence(self, kind: str, a: Pattern, b: Pattern) -> Pattern:
        """A group or interleave of two: ``notAllowed`` absorbs it, ``empty`` drops out."""
        if a is self.not_allowed or b is self.not_allowed:
            return self.not_allowed
        if a is self.empty:
            return b
        if b is self.empty:
            return a
        return self._binary(kind, a, b)

    def after(self, a: Pattern, b: Pattern) -> Pattern:
        if a is self.not_allowed or b is self.not_allowed:
            return self.not_allowed
        return self._binary("after", a, b)

    def _binary(self, kind: str, a: Pattern, b: Pattern) -> Pattern:
        key = (kind, a, b)
        found = self._table.get(key)
        if found is None:
            found = self._table[key] = Pattern(kind, a, b)
            found.nullable = kind != "after" and a.nullable and b.nullable
            found.text_sensitive = a.text_sensitive or b.text_sensitive
            found.has_attributes = a.has_attributes or (kind != "after" and b.has_attributes)
        return found

    def one_or_more(self, p: Pattern) -> Pattern:
        if p is self.not_allowed or p is self.empty:
            return p
        key = ("oneOrMore", p)
        found = self._table.get(key)
        if found is None:
            found = self._table[key] = Pattern("oneOrMore", p)
            found.nullable = p.nullable
            found.text_sensitive = p.text_sensitive
            found.has_attributes = p.has_attributes
        return found

    def optional(self, p: Pattern) -> Pattern:
        return self.choice(p, self.empty)

    def zero_or_more(self, p: Pattern) -> Pattern:
        return self.choice(self.one_or_more(p), self.empty)

    def attribute(self, nc: tuple, p: Pattern) -> Pattern:
        if p is self.not_allowed:
            return p
        return self._make(("attribute", nc, p), "attribute", p, nc=nc)

    def element(self, nc: tuple, identity: object, body: Callable[[], Pattern]) -> Pattern:
        key = ("element", nc, identity)
        found = self._table.get(key)
        if found is None:
            found = self._table[key] = Pattern("element", nc=nc)
            found.body = body
        return found

    def data(self, dt: Datatype, except_: Pattern | None) -> Pattern:
        key = ("data", dt.library, dt.name, dt.params, except_)
        found = self._table.get(key)
        if found is None:
            found = self._table[key] = Pattern("data", dt, except_)
            found.text_sensitive = True
        return found

    def value(self, dt: Datatype, value: str, context: tuple[tuple[str, str], ...]) -> Pattern:
        key = ("value", dt.library, dt.name, dt.params, value, context)
        found = self._table.get(key)
        if found is None:
            found = self._table[key] = Pattern("value", dt, value)
            found.nc = context  # the namespace context of a QName value
            found.text_sensitive = True
        return found

    def list_(self, p: Pattern) -> Pattern:
        if p is self.not_allowed:
            return p
        key = ("list", p)
        found = self._table.get(key)
        if found is None:
            found = self._table[key] = Pattern("list", p)
            found.text_sensitive = True
        return found

    def body(self, element: Pattern) -> Pattern:
        """The content pattern of an ``element`` pattern (built on first use)."""
        body = element.body
        if callable(body):
            body = element.body = body()
        return body  # type: ignore[return-value]

    # -- derivatives (Clark 2002) --

    def apply_after(self, f: Callable[[Pattern], Pattern], p: Pattern) -> Pattern:
        kind = p.kind
        if kind == "after":
            return self.after(p.a, f(p.b))  # type: ignore[arg-type]
        if kind == "choice":
            return self.choice(*(self.apply_after(f, q) for q in p.a))  # type: ignore[union-attr]
        return self.not_allowed

    def start_tag_open(self, p: Pattern, qn: QName) -> Pattern:
        key = (p, qn)
        found = self._sto.get(key)
        if found is None:
            found = self._sto[key] = self._start_tag_open(p, qn)
        return found

    def _start_tag_open(self, p: Pattern, qn: QName) -> Pattern:
        kind = p.kind
        if kind == "choice":
            return self.choice(*(self.start_tag_open(q, qn) for q in p.a))  # type: ignore[union-attr]
        if kind == "element":
            if nc_contains(p.nc, qn):  # type: ignore[arg-type]
                return self.after(self.body(p), self.empty)
            return self.not_allowed
        a, b = p.a, p.b
        if kind == "interleave":
            return self.choice(
                self.apply_after(lambda x: self.interleave(x, b), self.start_tag_open(a, qn)),
                self.apply_after(lambda x: self.interleave(a, x), self.start_tag_open(b, qn)),
            )
        if kind == "oneOrMore":
            rest = self.zero_or_more(a)
            return self.apply_after(lambda x: self.group(x, rest), self.start_tag_open(a, qn))
        if kind == "group":
            x = self.apply_after(lambda y: self.group(y, b), self.start_tag_open(a, qn))
            return self.choice(x, self.start_tag_open(b, qn)) if a.nullable else x
        if kind == "after":
            return self.apply_after(lambda x: self.after(x, b), self.start_tag_open(a, qn))
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
        key = (p, qn, accepted)
        found = self._att.get(key)
        if found is None:
            found = self._att[key] = self._attribute_deriv(p, qn, accepted)
        return found

    def _attribute_values(self, p: Pattern, qn: QName) -> frozenset[Pattern]:
        key = (p, qn)
        found = self._att_values.get(key)
        if found is None:
            found = frozenset(v for nc, v in self.attributes(p) if nc_contains(nc, qn))
            self._att_values[key] = found
        return found

    def _attribute_deriv(self, p: Pattern, qn: QName, accepted: frozenset[Pattern]) -> Pattern:
        kind = p.kind
        if kind == "attribute":
            return self.empty if p.a in accepted and nc_contains(p.nc, qn) else self.not_allowed
        if kind == "choice":
            return self.choice(*(self._attribute_deriv_memo(q, qn, accepted) for q in p.a))  # type: ignore[union-attr]
        a, b = p.a, p.b
        d = self._attribute_deriv_memo
        if kind == "after":
            return self.after(d(a, qn, accepted), b)
        if kind == "group":
            return self.choice(self.group(d(a, qn, accepted), b), self.group(a, d(b, qn, accepted)))
        if kind == "interleave":
            return self.choice(
                self.interleave(d(a, qn, accepted), b), self.interleave(a, d(b, qn, accepted))
            )
        if kind == "oneOrMore":
            return self.group(d(a, qn, accepted), self.zero_or_more(a))
        return self.not_allowed

    def _attribute_deriv_memo(self, p: Pattern, qn: QName, accepted: frozenset[Pattern]) -> Pattern:
        if not p.has_attributes:
            return self.not_allowed
        key = (p, qn, accepted)
        found = self._att.get(key)
        if found is None:
            found = self._att[key] = self._attribute_deriv(p, qn, accepted)
        return found

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
        if kind == "choice":
            return self.choice(*(close(q) for q in p.a))  # type: ignore[union-attr]
        if kind == "attribute":
            return missing
        a, b = p.a, p.b
        if kind == "after":
            return self.after(close(a), b)
        if kind == "group":
            return self.group(close(a), close(b))
        if kind == "interleave":
            return self.interleave(close(a), close(b))
        if kind == "oneOrMore":
            return self.one_or_more(close(a))
        return p

    def end_tag(self, p: Pattern) -> Pattern:
        found = self._end.get(p)
        if found is None:
            kind = p.kind
            if kind == "choice":
                found = self.choice(*(self.end_tag(q) for q in p.a))  # type: ignore[union-attr]
            elif kind == "after":
                found = p.b if p.a.nullable else self.not_allowed  # type: ignore[union-attr]
            else:
                found = self.not_allowed
            self._end[p] = found  # type: ignore[assignment]
        return found  # type: ignore[return-value]

    def force_end(self, p: Pattern) -> Pattern:
        """What follows the element whatever its content lacked (recovery after an error)."""
        kind = p.kind
        if kind == "choice":
            return self.choice(*(self.force_end(q) for q in p.a))  # type: ignore[union-attr]
        if kind == "after":
            return p.b  # type: ignore[return-value]
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
        if kind == "text":
            return p
        if kind == "choice":
            return self.choice(*(self.text_deriv(q, s) for q in p.a))  # type: ignore[union-attr]
        a, b = p.a, p.b
        if kind == "after":
            return self.after(self.text_deriv(a, s), b)
        if kind == "group":
            x = self.group(self.text_deriv(a, s), b)
            return self.choice(x, self.text_deriv(b, s)) if a.nullable else x
        if kind == "interleave":
            return self.choice(
                self.interleave(self.text_deriv(a, s), b), self.interleave(a, self.text_deriv(b, s))
            )
        if kind == "oneOrMore":
            return self.group(self.text_deriv(a, s), self.zero_or_more(a))
        if kind == "value":
            return self.empty if a.equal(b, s, dict(p.nc or ())) else self.not_allowed
        if kind == "data":
            if not a.allows(s):
                return self.not_allowed
            if b is not None and self.text_deriv(b, s).nullable:
                return self.not_allowed
            return self.empty
        if kind == "list":
            q = a
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
                if q.a.nullable:  # type: ignore[union-attr]
                    flags["end"] = True
                walk(q.a)  # type: ignore[arg-type]
            elif kind == "choice":
                for r in q.a:  # type: ignore[union-attr]
                    walk(r)
            elif kind == "element":
                names.add(q.nc)  # type: ignore[arg-type]
            elif kind in ("group",):
                walk(q.a)  # type: ignore[arg-type]
                if q.a.nullable:  # type: ignore[union-attr]
                    walk(q.b)  # type: ignore[arg-type]
            elif kind == "interleave":
                walk(q.a)  # type: ignore[arg-type]
                walk(q.b)  # type: ignore[arg-type]
            elif kind == "oneOrMore":
                walk(q.a)  # type: ignore[arg-type]
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
            if kind == "element":
                if nc_contains(q.nc, qn):  # type: ignore[arg-type]
                    return True
            elif kind == "choice":
                stack.extend(q.a)  # type: ignore[arg-type]
            elif kind in ("group", "interleave"):
                stack.extend((q.a, q.b))  # type: ignore[list-item]
            elif kind in ("oneOrMore", "after"):
                stack.append(q.a)  # type: ignore[arg-type]
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
            if q in seen:
                return
            seen.add(q)
            kind = q.kind
            if kind == "attribute":
                found.append((q.nc, q.a))  # type: ignore[arg-type]
            elif kind == "choice":
                for r in q.a:  # type: ignore[union-attr]
                    walk(r)
            elif kind in ("group", "interleave", "after"):
                walk(q.a)  # type: ignore[arg-type]
                if kind != "after":
                    walk(q.b)  # type: ignore[arg-type]
            elif kind == "oneOrMore":
                walk(q.a)  # type: ignore[arg-type]

        walk(p)
        return found

    def required_attributes(self, p: Pattern) -> set[tuple]:
        """Name classes of attributes ``p`` cannot do without."""
        kind = p.kind
        if kind == "attribute":
            return {p.nc}  # type: ignore[arg-type]
        if kind == "choice":
            sets = [self.required_attributes(q) for q in p.a]  # type: ignore[union-attr]
            return set.intersection(*sets) if sets else set()
        if kind in ("group", "interleave"):
            return self.required_attributes(p.a) | self.required_attributes(p.b)  # type: ignore
        if kind in ("oneOrMore", "after"):
            return self.required_attributes(p.a)  # type: ignore[arg-type]
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
                for r in sorted(q.a, key=_order):  # type: ignore[union-attr]
                    walk(r)
            elif kind == "value":
                values.append(str(q.b))
            elif kind == "data":
                kinds.append(q.a.describe())  # type: ignore[union-attr]
            elif kind == "list":
                inner_kinds, inner_values = self.describe_values(q.a)  # type: ignore[arg-type]
                inner = inner_kinds + [f'"{v}"' for v in inner_values]
                kinds.append("a space-separated list of " + " or ".join(inner[:4]))
            elif kind == "text":
                kinds.append("any text")
            elif kind in ("group", "oneOrMore", "interleave", "after"):
                walk(q.a)  # type: ignore[arg-type]

        walk(p)
        return list(dict.fromkeys(kinds)), list(dict.fromkeys(values))


def _order(p: Pattern) -> tuple[int, str]:
    if p.kind == "value":
        return (1, str(p.b))
    if p.kind == "data":
        return (0, p.a.name)  # type: ignore[union-attr]
    return (2, p.kind)


# -- reading a grammar ----


class _Scope:
    """One ``grammar`` element: its defines, start, and the grammar around it."""

    def __init__(self, parent: _Scope | None) -> None:
        self.parent = parent
        self.defines: dict[str, list[tuple[str | None, etree._Element]]] = {}
        self.start: list[tuple[str | None, etree._Element]] = []
        self.built: dict[str, Pattern] = {}
        self.building: set[str] = set()


class Grammar:
    """A RELAX NG grammar file read into :class:`Patterns`."""

    def __init__(self, path: Path) -> None:
        self.patterns = Patterns()
        self.path = Path(path)
        self._files: set[Path] = set()
        self._elements: list[Pattern] = []  # every element pattern built
        self._named: dict[QName, list[Pattern]] = {}  # elements by the names they list
        self._wildcards: list[Pattern] = []  # elements with anyName or nsName classes
        self._by_name: dict[QName, list[Pattern]] = {}
        self._all_built = False
        root = self._load(self.path)
        self.start = self._pattern_of(root, None, _Inherit("", ""))

    # -- loading files --

    def _load(self, path: Path) -> etree._Element:
        resolved = path.resolve()
        if resolved in self._files:
            raise GrammarError(f"{path} includes itself")
        self._files.add(resolved)
        root = etree.parse(str(path), safe_parser()).getroot()
        if root.tag not in (_R + "grammar", _R + "element") and not root.tag.startswith(_R):
            raise GrammarError(f"{path} is not a RELAX NG grammar")
        return root

    # -- patterns --

    def _pattern_of(self, node: etree._Element, scope: _Scope | None, inh: _Inherit) -> Pattern:
        inh = inh.under(node)
        tag = node.tag
        if not isinstance(tag, str) or not tag.startswith(_R):
            return self.patterns.empty  # an annotation
        local = tag[len(_R) :]
        P = self.patterns
        kids = [c for c in node if isinstance(c.tag, str) and c.tag.startswith(_R)]
        if local == "grammar":
            inner = _Scope(scope)
            self._collect(node, inner, inh)
            return self._start_of(inner)
        if local == "element":
            nc, content = self._name_and_content(node, kids, inh, attribute=False)
            return P.element(nc, node, lambda: self._group(content, scope, inh))
        if local == "attribute":
            nc, content = self._name_and_content(node, kids, inh, attribute=True)
            p = self._group(content, scope, inh) if content else P.text
            return P.attribute(nc, p)
        if local in ("group", "div"):
            return self._group(kids, scope, inh)
        if local == "choice":
            return P.choice(*(self._pattern_of(k, scope, inh) for k in kids))
        if local == "interleave":
            return self._fold(P.interleave, kids, scope, inh)
        if local == "mixed":
            return P.interleave(P.text, self._group(kids, scope, inh))
        if local == "optional":
            return P.optional(self._group(kids, scope, inh))
        if local == "zeroOrMore":
            return P.zero_or_more(self._group(kids, scope, inh))
        if local == "oneOrMore":
            return P.one_or_more(self._group(kids, scope, inh))
        if local == "list":
            return P.list_(self._group(kids, scope, inh))
        if local == "empty":
            return P.empty
        if local == "text":
            return P.text
        if local == "notAllowed":
            return P.not_allowed
        if local == "ref":
            return self._ref(node.get("name", "").strip(), scope)
        if local == "parentRef":
            if scope is None or scope.parent is None:
                raise GrammarError("parentRef outside a nested grammar")
            return self._ref(node.get("name", "").strip(), scope.parent)
        if local == "externalRef":
            href = node.get("href", "").strip()
            other = self._load(self._href(node, href))
            try:
                return self._pattern_of(other, None, inh.external(other))
            finally:
                self._files.discard(self._href(node, href).resolve())
        if local == "data":
            params = tuple((k.get("name", ""), k.text or "") for k in kids if k.tag == _R + "param")
            except_ = [k for k in kids if k.tag == _R + "except"]
            dt = Datatype(inh.library, node.get("type", "").strip(), params)
            ex = (
                P.choice(
                    *(
                        self._pattern_of(k, scope, inh)
                        for k in except_[0]
                        if isinstance(k.tag, str) and k.tag.startswith(_R)
                    )
                )
                if except_
                else None
            )
            return P.data(dt, ex if ex is not None and ex is not P.not_allowed else None)
        if local == "value":
            type_ = node.get("type")
            library = inh.library if type_ is not None else ""
            dt = Datatype(library, (type_ or "token").strip(), ())
            context = tuple(sorted((k or "", v) for k, v in node.nsmap.items()))
            return P.value(dt, node.text or "", context)
        raise GrammarError(f"unsupported RELAX NG element {local!r}")

    def _group(
        self, kids: Iterable[etree._Element], scope: _Scope | None, inh: _Inherit
    ) -> Pattern:
        return self._fold(self.patterns.group, kids, scope, inh)

    def _fold(
        self,
        op: Callable[[Pattern, Pattern], Pattern],
        kids: Iterable[etree._Element],
        scope: _Scope | None,
        inh: _Inherit,
    ) -> Pattern:
        result: Pattern | None = None
        for kid in kids:
            p = self._pattern_of(kid, scope, inh)
            result = p if result is None else op(result, p)
        return result if result is not None else self.patterns.empty

    def _name_and_content(
        self, node: etree._Element, kids: list[etree._Element], inh: _Inherit, attribute: bool
    ) -> tuple[tuple, list[etree._Element]]:
        name = node.get("name")
        try:
            if name is not None:
                default = node.get("ns", "") if attribute else inh.ns
                return qualified(name, node, default, strict=True), kids
            if not kids:
                raise GrammarError("element or attribute without a name")
            return read(kids[0], inh.ns, strict=True), kids[1:]
        except NameClassError as exc:
            raise GrammarError(str(exc)) from exc

    # -- grammars, defines, includes --

    def _collect(
        self, node: etree._Element, scope: _Scope, inh: _Inherit, overridden: set[str] | None = None
    ) -> None:
        for kid in node:
            if not isinstance(kid.tag, str) or not kid.tag.startswith(_R):
                continue
            local = kid.tag[len(_R) :]
            kinh = inh.under(kid)
            if local == "define":
                name = kid.get("name", "").strip()
                if overridden is not None and name in overridden:
                    continue
                scope.defines.setdefault(name, []).append((kid.get("combine"), _Bound(kid, kinh)))
            elif local == "start":
                if overridden is not None and "\0start" in overridden:
                    continue
                scope.start.append((kid.get("combine"), _Bound(kid, kinh)))
            elif local == "div":
                self._collect(kid, scope, kinh, overridden)
            elif local == "include":
                href = self._href(kid, kid.get("href", "").strip())
                other = self._load(href)
                replaced = {d.get("name", "").strip() for d in kid.iter(_R + "define")}
                if kid.find(f".//{_R}start") is not None:
                    replaced.add("\0start")
                self._collect(
                    other, scope, inh.external(other).under(other), (overridden or set()) | replaced
                )
                self._files.discard(href.resolve())
                self._collect(kid, scope, kinh, overridden)

    def _href(self, node: etree._Element, href: str) -> Path:
        base = Path(node.getroottree().docinfo.URL or self.path).parent
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", href):
            raise GrammarError(f"remote grammar {href} not read")
        return base / href

    def _start_of(self, scope: _Scope) -> Pattern:
        if not scope.start:
            raise GrammarError("grammar without start")
        return self._combined(scope.start, scope)

    def _ref(self, name: str, scope: _Scope | None) -> Pattern:
        if scope is None:
            raise GrammarError(f"ref {name!r} outside a grammar")
        built = scope.built.get(name)
        if built is not None:
            return built
        parts = scope.defines.get(name)
        if not parts:
            raise GrammarError(f"reference to undefined pattern {name!r}")
        if name in scope.building:
            raise GrammarError(f"{name!r} refers to itself outside an element")
        scope.building.add(name)
        try:
            built = scope.built[name] = self._combined(parts, scope)
        finally:
            scope.building.discard(name)
        return built

    def _combined(self, parts: list[tuple[str | None, etree._Element]], scope: _Scope) -> Pattern:
        P = self.patterns
        combine = next((c for c, _ in parts if c), None)
        result: Pattern | None = None
        for _, bound in parts:
            kids = [k for k in bound.node if isinstance(k.tag, str) and k.tag.startswith(_R)]
            p = self._group(kids, scope, bound.inh)
            if result is None:
                result = p
            elif combine == "interleave":
                result = P.interleave(result, p)
            else:
                result = P.choice(result, p)
        return result if result is not None else P.not_allowed

    # -- every element, for names used outside their place --

    def elements_named(self, qn: QName) -> list[Pattern]:
        """Every element pattern whose name class contains ``qn`` (builds the whole grammar)."""
        self._build_all()
        found = self._by_name.get(qn)
        if found is None:
            named = self._named.get(qn, [])
            found = named + [e for e in self._wildcards if nc_contains(e.nc, qn)]  # type: ignore
            self._by_name[qn] = found
        return found

    def _build_all(self) -> None:
        if self._all_built:
            return
        self._all_built = True
        seen: set[Pattern] = set()
        stack = [self.start]
        while stack:
            p = stack.pop()
            if p in seen:
                continue
            seen.add(p)
            kind = p.kind
            if kind == "element":
                self._elements.append(p)
                parts = nc_names(p.nc)  # type: ignore[arg-type]
                if all(part[0] == "name" for part in parts):
                    for part in parts:
                        self._named.setdefault((part[1], part[2]), []).append(p)
                else:
                    self._wildcards.append(p)
                stack.append(self.patterns.body(p))
            elif kind == "choice":
                stack.extend(p.a)  # type: ignore[arg-type]
            elif kind in ("group", "interleave", "after"):
                stack.extend((p.a, p.b))  # type: ignore[list-item]
            elif kind in ("oneOrMore", "attribute", "list"):
                stack.append(p.a)  # type: ignore[arg-type]


class _Inherit:
    """The inherited ``ns`` and ``datatypeLibrary`` at a point of the grammar."""

    __slots__ = ("library", "ns")

    def __init__(self, ns: str, library: str) -> None:
        self.ns = ns
        self.library = library

    def under(self, node: etree._Element) -> _Inherit:
        ns = node.get("ns")
        library = node.get("datatypeLibrary")
        if ns is None and library is None:
            return self
        return _Inherit(
            self.ns if ns is None else ns, self.library if library is None else library.strip()
        )

    def external(self, root: etree._Element) -> _Inherit:
        """An included or referenced file inherits ``ns`` unless it sets its own."""
        return _Inherit(self.ns if root.get("ns") is None else root.get("ns", ""), "")


class _Bound:
    """A ``define``/``start`` element with the inheritance in force where it was written."""

    __slots__ = ("inh", "node")

    def __init__(self, node: etree._Element, inh: _Inherit) -> None:
        self.node = node
        self.inh = inh
