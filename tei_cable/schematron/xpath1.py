"""Schematron queries translated to XPath 1.0, for libxml2 to evaluate, where the meaning is kept.

A query parsed by elementpath (any binding) is written back as XPath 1.0 text when every part
of it means the same in both languages on an untyped document, and :class:`Untranslatable` is
raised otherwise (the query then stays with elementpath). What translates:

- location paths: every XPath 1.0 axis, name tests with declared prefixes, ``*`` and
  ``p:*``, ``text()``, ``node()``, ``comment()``, ``processing-instruction()``, predicates,
  ``/``, ``//``, ``.``, ``..``, ``|``;
- ``and``, ``or``, arithmetic (``+ - * div mod``, unary minus), general comparisons, and the
  value comparisons ``eq ne lt le gt ge`` (as ``= != < <= > >=``; an ordering comparison only
  where one side is a number, since XPath 2.0 compares two untyped values as strings);
- a general comparison with a sequence of literals, ``@a = ('x', 'y')``, as a disjunction;
- the XPath 1.0 functions whose 2.0 meaning is the same on untyped nodes, ``exists()`` and
  ``empty()`` (as ``boolean()`` and ``not()``), and ``matches()``, ``ends-with()``,
  ``lower-case()``, ``upper-case()`` as extension functions (:data:`FUNCTIONS`, XSD regular
  expressions translated as elementpath does);
- an argument that may be several nodes where XPath 2.0 takes an optional string
  (``string(p)``, ``normalize-space($x/@a)``): wrapped in ``tcx2:single()``, which raises on
  several nodes, so that the engine leaves that document to elementpath (an error there);
- where the whole is a condition (an empty result is false): the node comparisons ``>>`` and
  ``<<`` (elements; anything else or several nodes: left to elementpath at run time);
- ``x castable as xs:date`` (``dateTime``, ``gYearMonth``, ``gYear``, ``time``, with ``?``),
  checked by :mod:`.datetimes` as elementpath does;
- ``lt le gt ge`` between two strings computed by string functions (``tcx2:compare()``, code
  points), ``max(P/string())`` and ``min(P/string())``;
- tokens: ``tokenize(normalize-space(x), ' ')`` and ``P/tokenize(normalize-space(.), ' ')``,
  filtered by predicates that are not positions, where a sequence of strings means what a
  node-set of text nodes does (a general comparison, ``count()``, ``exists()``, ``empty()``);
- ``x/(a | b)`` of bare names as one step testing the names, else as ``x/a | x/b``;
- rule and pattern variables written in place of their use: where the focus is the rule's
  node, anywhere when the value does not depend on the focus (an absolute path: compared, it
  is evaluated once per document, ``tcx2:memo()``), and, for a rule run node by node, with its
  steps taken from the rule's node (``rebase``);
- with ``hoisted``, an absolute path of elements without variables or ``current()``
  (``//tei:moduleRef``) as a variable the engine evaluates once per document
  (:func:`document_nodes`), and ``//X[p]`` where ``p`` needs the rule's node but cannot select
  by position as ``$v[p]``, ``$v`` being ``//X`` (attributes and text stay paths: lxml gives
  them back as strings); a predicate written ``false()`` (left out of a condition for
  failing) as a path selecting nothing, ``(/..)``, which searches nothing;
- a union taken as a condition as ``or`` (no merged, sorted node-set), and in rule contexts
  ``x[p]`` with predicates that cannot select by position as ``/descendant::x[p]`` (libxml2
  rewrites ``//x`` so itself only without predicates), ``(a | b)/c`` as
  ``/descendant::c[parent::a or parent::b]`` (one search of the document instead of one per
  name).

- ``if (c) then a else b`` as a condition (``(c and a) or (not(c) and b)``), as one string
  where both branches are one, and as an operand of a comparison (written per branch);
- ``x cast as xs:integer`` of nodes or a string (the extension function casts as elementpath
  does, with Python's ``int()``, and fails as it fails: the engine then leaves the document to
  elementpath; a rule variable that casts is evaluated before the tests, see
  :func:`casts`), compared only with numbers; ``castable as xs:integer`` likewise;
- ``a except b`` of nodes (``b`` may be a sequence of paths) as a condition or counted
  (``tcx2:except-count()``, by node identity); ``count()``, ``exists()``, ``empty()`` of
  ``distinct-values(P)`` of nodes (string values, by code point);
- in a general comparison, a sequence ``(a, b)`` member by member (every member evaluated),
  and ``(for $v in P return e) = false()`` (``e`` one boolean that cannot fail) as
  ``some $v in P satisfies e = false()``; ``some``/``every $v in P satisfies t`` over nodes as
  ``boolean(P[t])``/``not(P[not(t)])``, ``$v`` written as the predicate's focus, where ``t``
  uses no other focus;
- typed values in value comparisons (``eq`` … ``ge``) of one type: dates
  (``current-date()``, the run's, see :func:`set_now`; ``x cast as xs:date``; plus or minus a
  duration written as a literal) and ``xs:float()`` of one string, kept as elementpath's own
  values (:func:`_value_key`) and compared as it compares them (floats within a relative
  1e-7 are equal there);
- ``tokenize(normalize-space(x), ' ')[last()]``, the last token.

Refused: variables otherwise, ``current()`` unless bound, ``position()`` and ``last()`` outside
a predicate (a rule's focus has position and size 1), ``if``, ``for``, ``some``, ``every``
and casts elsewhere, ``instance of``, sequences elsewhere, ``intersect``, ``idiv``, typed
values elsewhere, XPath 2.0 kind tests and other functions.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from lxml import etree

#: the namespace of the extension functions, and the prefix translated queries use for it
EXTENSIONS_NS = "urn:x-tei-cable:xpath2"
EXTENSIONS_PREFIX = "tcx2"


class Untranslatable(Exception):
    """The query means something else in XPath 1.0, or uses what it lacks."""


_AXES = {
    "child",
    "descendant",
    "parent",
    "ancestor",
    "following-sibling",
    "preceding-sibling",
    "following",
    "preceding",
    "attribute",
    "self",
    "descendant-or-self",
    "ancestor-or-self",
}
_BOOLEAN_OPS = {"and", "or"}
_GENERAL = {"=", "!=", "<", "<=", ">", ">="}
_VALUE = {"eq": "=", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}
_ORDERING = {"<", "<=", ">", ">="}
_ARITHMETIC = {"+", "-", "*", "div", "mod"}
#: XPath 1.0 functions with the same meaning in 2.0 on untyped documents, by arity
_SAME = {
    "not": (1,),
    "count": (1,),
    "string-length": (0, 1),
    "normalize-space": (0, 1),
    "contains": (2,),
    "starts-with": (2,),
    "substring-before": (2,),
    "substring-after": (2,),
    "substring": (2, 3),
    "translate": (3,),
    "concat": tuple(range(2, 64)),
    "string": (0, 1),
    "number": (0, 1),
    "boolean": (1,),
    "true": (0,),
    "false": (0,),
    "name": (0, 1),
    "local-name": (0, 1),
    "namespace-uri": (0, 1),
    "sum": (1,),
    "floor": (1,),
    "ceiling": (1,),
    "lang": (1,),
    "id": (1,),
}
_NUMERIC_FUNCTIONS = {
    "count",
    "string-length",
    "number",
    "sum",
    "floor",
    "ceiling",
    "position",
    "last",
}
_EXTENSION_FUNCTIONS = {
    "matches": (2, 3),
    "ends-with": (2,),
    "lower-case": (1,),
    "upper-case": (1,),
}
_NODE_TESTS = {"text", "node", "comment", "processing-instruction"}
#: tokens that are steps from the focus
_STEPS = {"(name)", ":", "@", "*", ".", ".."}
#: functions that, without arguments, read the focus
_FOCUS_FUNCTIONS = {
    "string",
    "string-length",
    "normalize-space",
    "name",
    "local-name",
    "namespace-uri",
    "number",
    "generate-id",
    "root",
    "data",
    "base-uri",
    "document-uri",
    "node-name",
    "nilled",
    "path",
    "has-children",
}
#: XSD types ``castable as`` translates for (checked by :mod:`.datetimes`)
_CASTABLE = {"date", "dateTime", "gYear", "gYearMonth", "time", "integer"}
#: argument positions of XPath 1.0 functions where XPath 2.0 takes an optional string (or
#: atomic value): an empty node-set means the same there, several nodes are an error in 2.0
_OPTIONAL_STRING_ARGUMENTS = {
    "string-length": (0,),
    "normalize-space": (0,),
    "contains": (0, 1),
    "starts-with": (0, 1),
    "substring-before": (0, 1),
    "substring-after": (0, 1),
    "substring": (0,),
    "translate": (0,),
    "concat": tuple(range(64)),
    "string": (0,),
    "number": (0,),
}
#: functions that return exactly one string
_STRING_FUNCTIONS = {
    "string",
    "concat",
    "substring",
    "substring-before",
    "substring-after",
    "normalize-space",
    "translate",
    "lower-case",
    "upper-case",
    "string-join",
}


#: no node: what a path with a predicate written as ``false()`` selects (the parent of the
#: root), in parentheses so that steps and predicates may follow it
_EMPTY = "(/..)"
#: the variable a translated query binds to the rule's context node for ``current()``
CURRENT_VARIABLE = "tcx2current"
#: the start of the names of variables holding an absolute path's elements (see ``hoisted``
#: of :func:`translate`)
DOCUMENT_VARIABLE = "tcx2doc"


def translate(
    token: Any,
    namespaces: dict[str, str],
    variables: frozenset[str] = frozenset(),
    inline: dict[str, Any] | None = None,
    *,
    condition: bool = False,
    rebase: bool = False,
    hoisted: dict[str, str] | None = None,
) -> str:
    """The XPath 1.0 text of an elementpath token; :class:`Untranslatable` if there is none.

    ``variables``: names the caller will bind when evaluating (include
    :data:`CURRENT_VARIABLE` to translate ``current()`` as that variable). ``inline``: rule
    variables by name with the token of their value, written in place of the variable where
    the focus is still the rule's context node, or anywhere when the value does not depend
    on the focus (an absolute path, a literal); with ``rebase`` (the query is evaluated with
    :data:`CURRENT_VARIABLE` bound to the rule's context node) also where the focus has
    changed, its steps taken from that variable. ``condition``: the query is taken as true
    or false (an assert's or report's test), where an empty sequence means false.
    ``hoisted``: where given, absolute paths of elements are written as variables, each
    evaluated once per document (see :func:`document_nodes`): the dictionary gains each
    path's text under its variable's name (:data:`DOCUMENT_VARIABLE` and a number)."""
    writer = _Writer(namespaces, variables, inline, rebase=rebase, hoisted=hoisted)
    if condition:
        return writer._condition(token, False)
    return writer.write(token, in_predicate=False)


def evaluation(
    token: Any,
    namespaces: dict[str, str],
    variables: frozenset[str] = frozenset(),
    inline: dict[str, Any] | None = None,
    *,
    rebase: bool = False,
    hoisted: dict[str, str] | None = None,
) -> str:
    """An XPath 1.0 expression that evaluates a rule variable's value (to be evaluated
    before the rule's tests, see :func:`casts`): it fails where the value does. A typed
    value (a date, a float) as its key, anything else as a condition."""
    writer = _Writer(namespaces, variables, inline, rebase=rebase, hoisted=hoisted)
    found = writer._resolved(token)
    if _typed_kind(found) is not None:
        return writer._typed(found, False)
    return writer._condition(token, False)


#: the extension functions that fail on some values (as XPath 2.0 does on them)
_FAILING = (
    "single",
    "matches",
    "ends-with",
    "lower-case",
    "upper-case",
    "follows",
    "precedes",
    "integer",
    "float",
    "date",
    "date-add",
    "date-subtract",
    "compare-values",
    "compare-untyped",
)


def may_fail(text: str) -> bool:
    """Whether a translated query calls an extension function that fails on some values."""
    return any(f"{EXTENSIONS_PREFIX}:{name}(" in text for name in _FAILING)


def check_inlinable(token: Any, namespaces: dict[str, str], inline: dict[str, Any]) -> None:
    """Raise :class:`Untranslatable` unless a rule variable's value can be written in place of
    the variable (:func:`translate`'s ``inline``): an XPath 1.0 expression, or the tokens of
    ``tokenize(normalize-space(x), ' ')``."""
    writer = _Writer(namespaces, frozenset(), inline)
    if writer._tokens(token, in_predicate=False) is None:
        writer._check_value(token)


def casts(token: Any) -> bool:
    """Whether a query casts (``cast as``, ``xs:float()``), which fails on values that do
    not cast: a rule
    variable that does is evaluated before the rule's tests, as XPath 2.0 evaluates it
    (where it is written in place, a test might not reach it)."""
    stack = [token]
    while stack:
        t = stack.pop()
        kids = list(t)
        if t.symbol == "cast" or (  # xs:T(x): a constructor of what is not a literal
            t.symbol == ":"
            and len(kids) == 2
            and kids[1].label == "constructor function"
            and any(k.symbol != "(string)" for k in kids[1])
        ):
            return True
        stack.extend(t)
    return False


def focus_free(token: Any, namespaces: dict[str, str], inline: dict[str, Any]) -> bool:
    """Whether a query means the same whatever the focus (an absolute path, literals and
    functions of those; ``inline``: variables written as their values)."""
    return _Writer(namespaces, frozenset(), inline)._focus_free(token)


def translate_context(token: Any, namespaces: dict[str, str]) -> tuple[str, frozenset[str] | None]:
    """A rule context (an XSLT pattern) as an XPath 1.0 expression selecting what it matches,
    and the element names (Clark) one of which a document must have for it to match anything
    (``None``: no such names). Only patterns of elements and attributes translate."""
    writer = _Writer(namespaces)
    branches: list[str] = []
    gates: set[str] = set()
    ungated = False
    for branch in _union_branches(token):
        texts = _distributed(writer, branch)
        if branch.symbol in ("/", "//") and len(list(branch)) == 1:
            expression = texts[0]
        elif branch.symbol == "(":
            raise Untranslatable("parenthesised pattern")
        elif len(texts) == 1 and _descendants_first(branch):
            expression = "/descendant::" + texts[0]
        else:
            expression = " | ".join("//" + text for text in texts)
        last = _last_step(branch)
        if last is None:
            raise Untranslatable("a pattern of nodes other than elements and attributes")
        gate = _gate(branch, namespaces)
        if gate is None:
            ungated = True
        else:
            gates.add(gate)
        branches.append(expression)
    return " | ".join(branches), None if ungated else frozenset(gates)


def context_gate(token: Any, namespaces: dict[str, str]) -> frozenset[str] | None:
    """The names one of which a document needs for a rule context to match (as
    :func:`translate_context` gives them), whether or not the context translates."""
    gates = set()
    for branch in _union_branches(token):
        try:
            gate = _gate(branch, namespaces)
        except (KeyError, ValueError, TypeError):
            return None
        if gate is None or (branch.symbol == "/" and not list(branch)):
            return None
        gates.add(gate)
    return frozenset(gates)


def selects_attributes(token: Any) -> bool:
    """Whether a rule context may match attributes."""
    for branch in _union_branches(token):
        last = _last_step(branch)
        if last is None or last.symbol == "@" or (last.label == "axis"):
            return True
    return False


def _distributed(writer: _Writer, branch: Any) -> list[str]:
    """A path pattern as XPath 1.0 paths: one, or one per member of a union it starts with
    (``(a | b)/c`` is ``a/c | b/c``; XPath 1.0 has no parenthesised first step)."""
    if branch.symbol in ("/", "//") and len(list(branch)) == 2 and not _union_then_name(branch):
        left, right = list(branch)
        if _starts_with_union(left):
            rest = writer.write(right, in_predicate=False)
            return [f"{text}{branch.symbol}{rest}" for text in _distributed(writer, left)]
    if _union_then_name(branch):
        # (a | b)/c as c[parent::a or parent::b]: the document is searched once, for c
        union, name = list(branch)
        parents = " or ".join(
            f"parent::{writer.write(m, in_predicate=False)}"
            for m in _union_branches(next(iter(union)))
        )
        return [f"{writer.write(name, in_predicate=False)}[{parents}]"]
    if _starts_with_union(branch):
        texts = []
        for member in _union_branches(next(iter(branch))):
            if member.symbol in ("/", "//", "(") and len(list(member)) < 2:
                raise Untranslatable("a union of absolute or nested patterns")
            texts += _distributed(writer, member)
        return texts
    return [writer.write(branch, in_predicate=False)]


def _union_then_name(t: Any) -> bool:
    """Whether a path pattern is ``(a | b)/c``: a union of element names, then a child
    step testing an element name."""

    def name(step: Any) -> bool:
        if step.symbol == "(name)":
            return ":" not in str(step.value)
        return step.symbol == ":" and all(k.symbol == "(name)" for k in step)

    if t.symbol != "/" or len(list(t)) != 2:
        return False
    union, step = list(t)
    if union.symbol != "(" or not name(step):
        return False
    inner = next(iter(union))
    return inner.symbol in ("|", "union") and all(name(m) for m in _union_branches(inner))


def _starts_with_union(t: Any) -> bool:
    if t.symbol == "(":
        inner = next(iter(t))
        return inner.symbol in ("|", "union")
    if t.symbol in ("/", "//") and len(list(t)) == 2:
        return _starts_with_union(next(iter(t)))
    return False


def _required_element(predicate: Any, namespaces: dict[str, str]) -> str | None:
    """An element a predicate needs somewhere in the document: ``count(//p:x) gt 0`` and
    the like (a count compared to be at least one)."""
    if predicate.symbol not in ("gt", ">", "ge", ">=") or len(list(predicate)) != 2:
        return None
    left, right = list(predicate)
    if left.symbol != "count" or right.symbol != "(integer)":
        return None
    least = right.value + (1 if predicate.symbol in ("gt", ">") else 0)
    (counted,) = list(left)
    if least < 1 or counted.symbol != "//" or len(list(counted)) != 1:
        return None
    name = next(iter(counted))
    if name.symbol == ":" and all(k.symbol == "(name)" for k in name):
        prefix, local = list(name)
        return f"{{{namespaces[prefix.value]}}}{local.value}"
    return None


def _union_branches(t: Any) -> list[Any]:
    if t.symbol in ("|", "union") and len(list(t)) == 2:
        left, right = list(t)
        return _union_branches(left) + _union_branches(right)
    return [t]


def _last_step(t: Any) -> Any | None:
    """The last step of a path pattern, if it selects elements or attributes."""
    while True:
        if t.symbol in ("/", "//") and len(list(t)) >= 1:
            t = list(t)[-1]
        elif t.symbol == "[":
            t = next(iter(t))
        else:
            break
    if t.symbol in ("(name)", ":", "@") or (t.symbol == "*" and not list(t)):
        return t
    if t.label == "axis" and t.symbol in ("child", "descendant", "attribute", "self"):
        inner = next(iter(t))
        return inner if inner.symbol in ("(name)", ":", "*") else None
    return None


def _gate(t: Any, namespaces: dict[str, str]) -> str | None:
    """What a document must have for a path pattern to match: the Clark name of its last
    named element step, or ``@`` and the name of an attribute its last element step's
    predicates require (``tei:*[@when]``); ``None`` if neither."""
    from .xpath import required_attr

    steps: list[tuple[Any, list[Any]]] = []

    def walk(node: Any, predicates: list[Any]) -> None:
        if node.symbol in ("/", "//"):
            for kid in node:
                walk(kid, [])
        elif node.symbol == "[":
            base, predicate = list(node)
            walk(base, [predicate, *predicates])
        else:
            steps.append((node, predicates))

    walk(t, [])
    for step, predicates in reversed(steps):
        if step.symbol == "@" or (step.label == "axis" and step.symbol == "attribute"):
            continue
        if step.label == "axis" and step.symbol in ("child", "self", "descendant"):
            step = next(iter(step))
        if step.symbol == ":":
            prefix, local = list(step)
            if local.symbol == "(name)":
                return f"{{{namespaces[prefix.value]}}}{local.value}"
        elif step.symbol == "(name)":
            return str(step.value)
        elif step.symbol != "*":
            return None
        for predicate in predicates:  # a wildcard step: an attribute or element it needs?
            needed = required_attr(predicate, namespaces)
            if needed is not None:
                return "@" + needed
            needed = _required_element(predicate, namespaces)
            if needed is not None:
                return needed
        return None
    return None


class _Writer:
    def __init__(
        self,
        namespaces: dict[str, str],
        variables: frozenset[str] = frozenset(),
        inline: dict[str, Any] | None = None,
        *,
        rebase: bool = False,
        hoisted: dict[str, str] | None = None,
    ) -> None:
        self.namespaces = namespaces
        #: absolute paths written as variables: name -> the path's text (see translate())
        self.hoisted = hoisted
        #: variables the caller binds (rule lets, ``current()`` as ``$CURRENT_VARIABLE``)
        self.variables = variables
        #: variables written as their values (see :func:`translate`)
        self.inline = inline or {}
        #: inlined values may be written where the focus has changed, their steps taken from
        #: ``$CURRENT_VARIABLE`` (bound to the rule's context node by the caller)
        self.rebase = rebase
        self.uses_current = False
        #: how many predicates or path steps deep the writer is (0: the rule's focus)
        self._depth = 0
        #: writing an inlined value whose steps start at ``$CURRENT_VARIABLE``
        self._rebasing = False
        #: the expression being written is taken as a condition (empty is false)
        self._as_condition = False
        #: variables of ``some``/``every``/``for`` written as the focus of a predicate: by
        #: name, the depth at which ``.`` is the variable's node
        self._focus_variables: dict[str, int] = {}

    def _deeper(self, t: Any, in_predicate: bool) -> str:
        """``t`` written where the focus is not the one outside it."""
        self._depth += 1
        try:
            return self.write(t, in_predicate=in_predicate)
        finally:
            self._depth -= 1

    def _value(self, t: Any) -> Any:
        """The token a variable stands for, where it is inlined; ``t`` itself otherwise."""
        if t.symbol == "$" and t.value in self.inline and t.value not in self.variables:
            return self.inline[t.value]
        return t

    def _tokens(self, t: Any, in_predicate: bool) -> str | None:
        """``tokenize(normalize-space(x), ' ')`` (or a variable inlined as one) as the
        extension function giving its tokens (text nodes), else ``None``. Only where a
        sequence of strings means the same as XPath 1.0's node-set: a general comparison,
        ``count()``, ``exists()``, ``empty()``, a position."""
        value = self._value(t)
        if value is not t and not _is_tokens(value):
            return None
        if value is not t and self._depth:
            raise Untranslatable(f"variable ${t.value} where the focus has changed")
        if value.symbol == "[":
            base, predicate = list(value)
            inner = self._tokens(base, in_predicate)
            if inner is None or _positional(predicate):
                return None  # the n-th token: see write(); a computed position: refused
            with self._not_monotone():
                written = self._deeper_condition(predicate)
            return f"{inner}[{written}]"
        if value.symbol == "/" and len(list(value)) == 2:
            left, right = list(value)
            predicates = []
            while right.symbol == "[":
                right, predicate = list(right)
                predicates.insert(0, predicate)
            if not _tokenize_focus(right):
                return None
            if any(_positional(p) for p in predicates):
                raise Untranslatable("a position among tokens")
            with self._not_monotone():
                base = self.write(left, in_predicate=in_predicate)
                written = "".join(f"[{self._deeper_condition(p)}]" for p in predicates)
            return f"{EXTENSIONS_PREFIX}:tokenize-each({base}){written}"
        if value.symbol != "tokenize" or value.label != "function":
            return None
        kids = list(value)
        if len(kids) != 2 or kids[1].symbol != "(string)" or kids[1].value != " ":
            raise Untranslatable("tokenize() other than of normalize-space() on spaces")
        text = kids[0]
        if text.symbol != "normalize-space" or text.label != "function":
            raise Untranslatable("tokenize() other than of normalize-space() on spaces")
        return f"{EXTENSIONS_PREFIX}:tokenize({self.write(text, in_predicate=in_predicate)})"

    def _check_value(self, t: Any) -> None:
        """Raise :class:`Untranslatable` unless a value translates where it may be used:
        written as it is, or as a condition, or (a conditional, a sequence, a ``for``, a
        ``distinct-values()``, a date) in a comparison or a count, where their parts
        translate."""
        try:
            self.write(t, in_predicate=False)
            return
        except Untranslatable:
            pass
        found = self._resolved(t)
        kids = list(found)
        if found.symbol == "if" and len(kids) == 3:
            self._condition(kids[0], False)
            self._check_value(kids[1])
            self._check_value(kids[2])
        elif found.symbol == "(" and kids and kids[0].symbol == ",":
            for member in _sequence_members(kids[0]):
                self._check_value(member)
        elif found.symbol == "for" and len(kids) == 3:
            variable, nodes, body = kids
            self._satisfying(
                variable.value, nodes, lambda: self._condition(body, True), in_predicate=False
            )
        elif found.symbol == "distinct-values" and found.label == "function" and len(kids) == 1:
            self.write(kids[0], in_predicate=False)
        elif _typed_kind(found) is not None:
            self._typed(found, False)
        else:
            self._condition(t, False)

    def _inlined(self, name: str, value: Any) -> str:
        """A rule variable's value written in its place (see :func:`translate`)."""
        if not self._depth:
            return self.write(value, in_predicate=False)
        if not self._focus_free(value):
            if not self.rebase:
                raise Untranslatable(f"variable ${name} where the focus has changed")
            self.uses_current = True
            rebasing = True
        else:
            rebasing = self._rebasing
        depth, before = self._depth, self._rebasing
        self._depth, self._rebasing = 0, rebasing
        try:
            return self.write(value, in_predicate=False)
        finally:
            self._depth, self._rebasing = depth, before

    def _focus_free(self, t: Any) -> bool:
        """Whether a query means the same whatever the focus (an absolute path, literals,
        functions of those)."""
        symbol = t.symbol
        kids = list(t)
        if symbol in ("(string)", "(integer)", "(decimal)"):
            return True
        if symbol == "$":
            if t.value in self.inline and t.value not in self.variables:
                return self._focus_free(self.inline[t.value])
            return t.value != CURRENT_VARIABLE
        if symbol in ("/", "//"):
            return len(kids) <= 1 or self._focus_free(kids[0])
        if symbol == "[":
            return self._focus_free(kids[0])
        if t.label == "function":
            if symbol in ("current", "position", "last", "lang") or (
                not kids and symbol in _FOCUS_FUNCTIONS
            ):
                return False
            return all(self._focus_free(k) for k in kids)
        if symbol in _STEPS or t.label in ("axis", "kind test"):
            return False
        return bool(kids) and all(self._focus_free(k) for k in kids)

    def write(self, t: Any, *, in_predicate: bool) -> str:
        as_condition, self._as_condition = self._as_condition, False
        if self.hoisted is not None and _absolute(t):
            hoisted = self._hoist(t)
            if hoisted is not None:
                return hoisted
        text = self._write(t, in_predicate, as_condition)
        if (
            self._rebasing
            and not self._depth
            and (t.symbol in _STEPS or t.label in ("axis", "kind test"))
        ):
            if t.symbol == "*" and list(t):
                return text
            return f"${CURRENT_VARIABLE}" if text == "." else f"${CURRENT_VARIABLE}/{text}"
        return text

    def _hoist(self, t: Any) -> str | None:
        """An absolute path of elements (``t``) as a variable evaluated once per document,
        or ``None``. The whole path where it uses neither variables nor ``current()``
        (``//tei:moduleRef``); else ``//X[p]`` as ``$v[p]`` with ``$v`` = ``//X`` where the
        predicates cannot select by position (``position()``, ``last()``, a number): a
        filter of the whole list then keeps the nodes the step's predicates keep. Only
        elements: lxml gives attributes and text as strings, which would change the meaning."""
        if not _selects_elements(t):
            return None
        if _free_of_variables(t):
            text = self._unhoisted(t)
            return _EMPTY if text == _EMPTY else "$" + self._document_variable(text)
        if len(list(t)) != 1:
            return None
        step, predicates = next(iter(t)), []
        while step.symbol == "[":
            step, predicate = list(step)
            predicates.insert(0, predicate)
        if (
            not predicates
            or not _selects_elements(step)
            or step.symbol in ("/", "//", "(")
            or not _free_of_variables(step)
            or any(_by_position(p) for p in predicates)
        ):
            return None
        written = [self._deeper_condition(p) for p in predicates]
        if "false()" in written:
            return _EMPTY
        name = self._document_variable(t.symbol + self._unhoisted(step))
        return "$" + name + "".join(f"[{p}]" for p in written)

    def _unhoisted(self, t: Any) -> str:
        """``t`` written as a query of its own, evaluated at the document (no variables)."""
        saved = self.hoisted, self._depth, self._rebasing
        self.hoisted, self._depth, self._rebasing = None, 0, False
        try:
            return self.write(t, in_predicate=False)
        finally:
            self.hoisted, self._depth, self._rebasing = saved

    def _document_variable(self, text: str) -> str:
        """The variable holding the elements of the absolute path ``text``."""
        assert self.hoisted is not None
        for name, known in self.hoisted.items():
            if known == text:
                return name
        name = f"{DOCUMENT_VARIABLE}{len(self.hoisted) + 1}"
        self.hoisted[name] = text
        return name

    def _write(self, t: Any, in_predicate: bool, as_condition: bool) -> str:
        symbol = t.symbol
        kids = list(t)
        if symbol == "(string)":
            return _string_literal(t.value)
        if symbol in ("(integer)", "(decimal)"):
            return str(t.value)
        if symbol == "$":
            if t.value in self._focus_variables:
                if self._focus_variables[t.value] != self._depth:
                    raise Untranslatable(f"${t.value} where the focus is another node")
                return "."
            if t.value in self.variables:
                return f"${t.value}"
            if t.value in self.inline:
                value = self.inline[t.value]
                if _is_tokens(value):
                    raise Untranslatable("a sequence of tokens here")
                return "(" + self._inlined(t.value, value) + ")"
            raise Untranslatable(f"variable ${t.value}")
        if symbol == "(name)":
            if ":" in str(t.value) or t.value in ("*",):
                raise Untranslatable("name")
            return str(t.value)
        if symbol == ":":
            prefix, local = kids
            if prefix.symbol != "(name)" or prefix.value not in self.namespaces:
                raise Untranslatable("prefix")
            if local.symbol == "*":
                return f"{prefix.value}:*"
            if local.symbol != "(name)":
                raise Untranslatable("qualified name")
            return f"{prefix.value}:{local.value}"
        if symbol == "*" and not kids:
            return "*"
        if symbol == "*" and len(kids) == 2:
            return self._binary(t, "*", in_predicate)
        if symbol == ".":
            return "."
        if symbol == "..":
            return ".."
        if symbol == "@":
            (name,) = kids
            if name.symbol == ":" and next(iter(name)).value == "xml":
                return f"@xml:{list(name)[1].value}"
            return "@" + self._deeper(name, in_predicate)
        if symbol in _AXES and t.label == "axis":
            (step,) = kids
            return f"{symbol}::{self._deeper(step, in_predicate)}"
        if symbol in _NODE_TESTS and t.label == "kind test":
            if kids:
                if symbol == "processing-instruction" and kids[0].symbol == "(string)":
                    return f"processing-instruction({_string_literal(kids[0].value)})"
                raise Untranslatable("kind test argument")
            return f"{symbol}()"
        if symbol in ("/", "//"):
            if not kids:
                return "/"
            if len(kids) == 1:
                written = self._deeper(kids[0], in_predicate)
                return _EMPTY if written == _EMPTY else symbol + written
            left, right = kids
            base = self._step_base(left, in_predicate)
            if right.symbol == "(" and next(iter(right)).symbol in ("|", "union"):
                # x/(a | b): XPath 1.0 has no parenthesised step; one step that tests the
                # names (x is evaluated once), else the union of x/a and x/b
                members = _union_branches(next(iter(right)))
                step = self._name_alternatives(members)
                if step is not None:
                    return base + symbol + step
                return (
                    "("
                    + " | ".join(f"{base}{symbol}{self._deeper(m, in_predicate)}" for m in members)
                    + ")"
                )
            written = self._deeper(right, in_predicate)
            if _EMPTY in (base, written):
                return _EMPTY  # steps from no node, or a step that keeps none
            return base + symbol + written
        if symbol == "[":
            base, predicate = kids
            if (
                predicate.symbol == "last"
                and predicate.label == "function"
                and not list(predicate)
                and self._tokens(base, in_predicate) is not None
            ):  # the last token, or nothing
                value = self._value(base)
                if value.symbol != "tokenize" or value.label != "function":
                    raise Untranslatable("the last of filtered tokens")
                tokens = self._tokens(base, in_predicate)
                assert tokens is not None
                inner = tokens[len(EXTENSIONS_PREFIX) + len(":tokenize(") : -1]
                return f"{EXTENSIONS_PREFIX}:last-token({inner})"
            if predicate.symbol == "(integer)" and predicate.value >= 1:
                tokens = self._tokens(base, in_predicate)
                if tokens is not None:  # the n-th token, or nothing
                    value = self._value(base)
                    if value.symbol != "tokenize" or value.label != "function":
                        raise Untranslatable("a position among filtered tokens")
                    inner = tokens[len(EXTENSIONS_PREFIX) + len(":tokenize(") : -1]
                    return f"{EXTENSIONS_PREFIX}:token({inner}, {predicate.value})"
            self._depth += 1
            try:
                written = self._condition(predicate, True)
            finally:
                self._depth -= 1
            base_text = self._step_base(base, in_predicate)
            if written == "false()" and _node_valued(base):
                return _EMPTY  # (a condition for failing that left a predicate out)
            return base_text + "[" + written + "]"
        if symbol == "(":
            (inner,) = kids
            if inner.symbol == ",":
                raise Untranslatable("sequence")
            if as_condition:
                return "(" + self._condition(inner, in_predicate) + ")"
            return "(" + self.write(inner, in_predicate=in_predicate) + ")"
        if symbol in (">>", "<<") and len(kids) == 2:
            # empty when either side is: only where that is taken as false
            if not as_condition:
                raise Untranslatable("a node comparison whose emptiness matters")
            with self._not_monotone():
                left, right = (self.write(k, in_predicate=in_predicate) for k in kids)
            name = "follows" if symbol == ">>" else "precedes"
            return f"{EXTENSIONS_PREFIX}:{name}({left}, {right})"
        if symbol == "castable" and len(kids) == 2:
            return self._castable(t, kids, in_predicate)
        if symbol == "cast" and len(kids) == 2:
            return self._cast(kids, in_predicate)
        if symbol == "if" and len(kids) == 3:
            return self._if(kids, in_predicate, as_condition)
        if symbol == "except" and len(kids) == 2:
            if not as_condition:
                raise Untranslatable("nodes except nodes, other than as a condition")
            return f"({self._except_count(kids, in_predicate)} > 0)"
        if symbol in ("some", "every") and len(kids) == 3:
            return self._quantified(kids, symbol == "every", in_predicate)
        if symbol == "|" or (symbol == "union" and len(kids) == 2):
            if as_condition and all(_node_valued(k) for k in kids):
                # nodes or nodes: true where either side has one; no merged, sorted set
                left, right = kids
                return (
                    f"({self._condition(left, in_predicate)} or "
                    f"{self._condition(right, in_predicate)})"
                )
            return self._binary(t, "|", in_predicate)
        if symbol in _BOOLEAN_OPS:
            left, right = kids
            return (
                f"({self._condition(left, in_predicate)} {symbol} "
                f"{self._condition(right, in_predicate)})"
            )
        if symbol in _GENERAL or symbol in _VALUE:
            with self._not_monotone(symbol in _VALUE):
                return self._comparison(t, _VALUE.get(symbol, symbol), in_predicate)
        if symbol in _ARITHMETIC and len(kids) == 2:
            with self._not_monotone():
                return self._binary(t, symbol, in_predicate)
        if symbol == "-" and len(kids) == 1:
            with self._not_monotone():
                return "-" + self._primary(kids[0], in_predicate)
        if t.label == "function":
            return self._function(t, symbol, kids, in_predicate)
        raise Untranslatable(f"{symbol!r}")

    def _condition(self, t: Any, in_predicate: bool) -> str:
        """``t`` where it is taken as true or false (a predicate, an operand of ``and`` or
        ``or``, the argument of ``not()``): exactly, here (see :class:`_NecessaryWriter`)."""
        self._as_condition = True
        return self.write(t, in_predicate=in_predicate)

    def _name_alternatives(self, members: list[Any]) -> str | None:
        """``(a | b)`` as one step, where every member is a bare name test of the child axis
        (``*[self::a or self::b]``) or of the attribute axis (``@*[...]``, by local name and
        namespace); else ``None``."""
        elements, attributes = [], []
        for member in members:
            if member.symbol == "@":
                (name,) = list(member)
                attributes.append(name)
            elif member.symbol in ("(name)", ":"):
                elements.append(member)
            else:
                return None
        if elements and not attributes:
            tests = []
            for name in elements:
                if name.symbol == "(name)" and ":" in str(name.value):
                    return None
                if name.symbol == ":" and list(name)[1].symbol != "(name)":
                    return None
                tests.append(f"self::{self._deeper(name, False)}")
            return "*[" + " or ".join(tests) + "]"
        if attributes and not elements:
            tests = []
            for name in attributes:
                if name.symbol == "(name)" and ":" not in str(name.value):
                    tests.append(f"(local-name() = '{name.value}' and namespace-uri() = '')")
                elif name.symbol == ":" and all(k.symbol == "(name)" for k in name):
                    prefix, local = (k.value for k in name)
                    uri = (
                        "http://www.w3.org/XML/1998/namespace"
                        if prefix == "xml"
                        else self.namespaces.get(prefix)
                    )
                    if uri is None or "'" in uri:
                        raise Untranslatable("prefix")
                    tests.append(f"(local-name() = '{local}' and namespace-uri() = '{uri}')")
                else:
                    return None
            return "@*[" + " or ".join(tests) + "]"
        return None

    def _deeper_condition(self, t: Any) -> str:
        self._depth += 1
        try:
            return self._condition(t, True)
        finally:
            self._depth -= 1

    def _castable(self, t: Any, kids: list[Any], in_predicate: bool) -> str:
        """``x castable as xs:T`` for the date and time types, as the extension function
        backed by :mod:`.datetimes`."""
        value, target = kids
        local = _xsd_type(target, self.namespaces)
        if local is None:
            raise Untranslatable("castable as a type that is not XSD's")
        if local not in _CASTABLE:
            raise Untranslatable(f"castable as xs:{local}")
        if local == "integer" and not self._textual(value):
            raise Untranslatable("castable as xs:integer of what may be a typed value")
        optional = "true()" if _optional(target) else "false()"
        with self._not_monotone():
            written = self.write(value, in_predicate=in_predicate)
        return f"{EXTENSIONS_PREFIX}:castable({written}, '{local}', {optional})"

    def _cast(self, kids: list[Any], in_predicate: bool) -> str:
        """``x cast as xs:integer`` as the extension function that casts as elementpath
        does (Python's ``int()`` of the string value) and raises where the cast fails, on
        no item or on several (the engine then leaves the document to elementpath)."""
        value, target = kids
        if _xsd_type(target, self.namespaces) != "integer" or _optional(target):
            raise Untranslatable("a cast other than as xs:integer")
        return self._cast_of_text(value, "integer", in_predicate)

    def _cast_of_text(self, value: Any, function: str, in_predicate: bool) -> str:
        """A cast of nodes or one string as the extension ``function`` that casts their
        string value; :class:`Untranslatable` for what may be a typed value."""
        if not self._textual(value):
            raise Untranslatable("a cast of what may be a typed value")
        with self._not_monotone():
            written = self.write(value, in_predicate=in_predicate)
        return f"{EXTENSIONS_PREFIX}:{function}({written})"

    def _typed(self, t: Any, in_predicate: bool) -> str:
        """A typed value (:func:`_typed_kind`) as the extension functions that keep
        elementpath's value of it: a date (:meth:`_date`) or ``xs:float()`` of one string."""
        found = self._resolved(t)
        if _typed_kind(found) == "float":
            (argument,) = list(list(found)[1])
            if not _string_valued(self._resolved(argument)):
                raise Untranslatable("xs:float() of what may not be one string")
            with self._not_monotone():
                written = self.write(argument, in_predicate=in_predicate)
            return f"{EXTENSIONS_PREFIX}:float({written})"
        return self._date(t, in_predicate)

    def _date(self, t: Any, in_predicate: bool) -> str:
        """A date (``current-date()``, ``x cast as xs:date``, a date plus or minus a literal
        duration) as the extension functions that keep elementpath's value of it (a key to
        it: see :func:`_value_key`); :class:`Untranslatable` for anything else."""
        found = self._resolved(t)
        kids = list(found)
        if found.symbol == "current-date" and found.label == "function" and not kids:
            return f"{EXTENSIONS_PREFIX}:current-date()"
        if found.symbol == "cast" and len(kids) == 2:
            value, target = kids
            if _xsd_type(target, self.namespaces) != "date" or _optional(target):
                raise Untranslatable("a cast other than as xs:date where a date is needed")
            return self._cast_of_text(value, "date", in_predicate)
        if found.symbol in ("+", "-") and len(kids) == 2:
            date, duration = kids
            kind, text = _duration_literal(self._resolved(duration), self.namespaces)
            sign = "add" if found.symbol == "+" else "subtract"
            return (
                f"{EXTENSIONS_PREFIX}:date-{sign}({self._date(date, in_predicate)}, "
                f"{_string_literal(kind)}, {_string_literal(text)})"
            )
        raise Untranslatable("what may not be a date where a date is needed")

    def _textual(self, t: Any) -> bool:
        """Whether a value is nodes or one string (so that its items are strings)."""
        found = self._resolved(t)
        return _node_valued(found) or _string_valued(found)

    def _resolved(self, t: Any) -> Any:
        """The query behind parentheses and a rule variable written in place, where writing
        its parts here means what writing the variable does (at the rule's focus, or a value
        that does not depend on the focus); ``t`` itself otherwise. A sequence ``(a, b)``
        keeps its parentheses."""
        while True:
            kids = list(t)
            if t.symbol == "(" and len(kids) == 1 and kids[0].symbol != ",":
                t = kids[0]
            elif (
                t.symbol == "$"
                and t.value in self.inline
                and t.value not in self.variables
                and t.value not in self._focus_variables
                and (
                    (not self._depth and not self._rebasing)
                    or self._focus_free(self.inline[t.value])
                )
            ):
                t = self.inline[t.value]
            else:
                return t

    def _if(self, kids: list[Any], in_predicate: bool, as_condition: bool) -> str:
        """``if (c) then a else b``: as a condition, ``(c and a) or (not(c) and b)`` (only
        the branch taken is evaluated, as in XPath 2.0); as a value only where both branches
        are one string (both are evaluated, their errors leave the document to elementpath).
        A comparison with it as an operand is written per branch (:meth:`_comparison`)."""
        test, then, otherwise = kids
        with self._not_monotone():
            condition = self._condition(test, in_predicate)
        if as_condition:
            a = self._condition(then, in_predicate)
            b = self._condition(otherwise, in_predicate)
            return f"(({condition} and {a}) or (not({condition}) and {b}))"
        if _string_valued(self._resolved(then)) and _string_valued(self._resolved(otherwise)):
            with self._not_monotone():
                a = self.write(then, in_predicate=in_predicate)
                b = self.write(otherwise, in_predicate=in_predicate)
            return (
                f"concat(substring({a}, 1 div boolean({condition})), "
                f"substring({b}, 1 div not({condition})))"
            )
        raise Untranslatable("if … then … else … whose value is neither a condition nor a string")

    def _nodes(self, t: Any, in_predicate: bool) -> str:
        """A query of nodes (a path, or a sequence ``(a, b)`` of paths: the same set of
        nodes as their union) as an XPath 1.0 node-set."""
        found = self._resolved(t)
        if found.symbol == "(" and next(iter(found)).symbol == ",":
            members = _sequence_members(next(iter(found)))
            if not all(_node_valued(self._resolved(m)) for m in members):
                raise Untranslatable("a sequence of what may not be nodes")
            return "(" + " | ".join(self.write(m, in_predicate=in_predicate) for m in members) + ")"
        if not _node_valued(found):
            raise Untranslatable("a set operation on what may not be nodes")
        return self.write(t, in_predicate=in_predicate)

    def _except_count(self, kids: list[Any], in_predicate: bool) -> str:
        """How many nodes ``a except b`` has (the extension function ``except-count``)."""
        with self._not_monotone():
            left, right = (self._nodes(k, in_predicate) for k in kids)
        return f"{EXTENSIONS_PREFIX}:except-count({left}, {right})"

    def _satisfying(
        self, name: str, nodes: Any, write: Callable[[], str], in_predicate: bool
    ) -> str:
        """``nodes[test]``, the test written by ``write`` with ``$name`` as the predicate's
        focus (``some``/``every``/``for`` over nodes)."""
        if name in self.inline or name in self.variables or name in self._focus_variables:
            raise Untranslatable(f"${name} bound again")
        if not _node_valued(self._resolved(nodes)):
            raise Untranslatable("a range of what may not be nodes")
        base = self._step_base(nodes, in_predicate)
        self._depth += 1
        self._focus_variables[name] = self._depth
        try:
            test = write()
        finally:
            del self._focus_variables[name]
            self._depth -= 1
        return f"{base}[boolean({test})]"

    def _quantified(self, kids: list[Any], every: bool, in_predicate: bool) -> str:
        """``some $x in P satisfies t`` as ``boolean(P[t])``, ``every`` as
        ``not(P[not(t)])``, ``$x`` written as the predicate's focus: where ``P`` is nodes
        and ``t`` uses no other focus than ``$x``'s."""
        variable, nodes, test = kids
        if not self._focus_free(test):
            raise Untranslatable("a quantified test that uses the focus")
        with self._not_monotone():
            if every:
                found = self._satisfying(
                    variable.value,
                    nodes,
                    lambda: f"not({self._condition(test, True)})",
                    in_predicate,
                )
                return f"not({found})"
            found = self._satisfying(
                variable.value, nodes, lambda: self._condition(test, True), in_predicate
            )
            return f"boolean({found})"

    @contextmanager
    def _not_monotone(self, when: bool = True) -> Iterator[None]:
        """Where more nodes do not always make the whole truer (see :class:`_NecessaryWriter`)."""
        yield

    def _step_base(self, t: Any, in_predicate: bool) -> str:
        """The left side of ``/`` or ``[``: a step, a filter expression or a parenthesised
        one (XPath 1.0 allows a predicate on a primary expression, not on any expression)."""
        text = self.write(t, in_predicate=in_predicate)
        if t.symbol in ("/", "//", "[", "(") or _is_simple(t):
            return text
        return f"({text})"

    def _primary(self, t: Any, in_predicate: bool) -> str:
        text = self.write(t, in_predicate=in_predicate)
        return text if _is_simple(t) else f"({text})"

    def _binary(self, t: Any, op: str, in_predicate: bool) -> str:
        left, right = list(t)
        return (
            f"({self.write(left, in_predicate=in_predicate)} {op} "
            f"{self.write(right, in_predicate=in_predicate)})"
        )

    def _comparison(
        self, t: Any, op: str, in_predicate: bool, sides: tuple[Any, Any] | None = None
    ) -> str:
        left, right = sides if sides is not None else list(t)
        lifted = self._lifted(t, op, in_predicate, left, right)
        if lifted is not None:
            return lifted
        resolved = self._resolved(left), self._resolved(right)
        kinds = {_typed_kind(side) for side in resolved}
        if kinds != {None}:
            if t.symbol not in _VALUE or len(kinds) != 1:
                raise Untranslatable("a comparison of typed values other than eq … ge of one type")
            with self._not_monotone():
                a, b = (self._typed(side, in_predicate) for side in (left, right))
            return f"{EXTENSIONS_PREFIX}:compare-values({a}, {b}, '{t.symbol}')"
        if any(_integer_cast(side) for side in resolved) and not all(
            _numeric(side) for side in resolved
        ):
            raise Untranslatable("an integer compared to what may not be a number")
        if any(_numeric(side) for side in resolved) and any(
            _node_valued(side) for side in resolved
        ):
            # XPath 2.0 casts untyped values to a number (failing on "x") in a general
            # comparison and refuses them in a value comparison; XPath 1.0 takes NaN
            return self._untyped_and_number(t, op, in_predicate, (left, right), resolved)
        if op in ("=", "!=") and _generate_id(left) and _generate_id(right):
            # the same node: generate-id(a) eq generate-id(b) for single nodes a and b
            a, b = (self.write(next(iter(x)), in_predicate=in_predicate) for x in (left, right))
            return f"(count({a} | {b}) {op} 1)"
        if (
            op in _ORDERING
            and t.symbol in _VALUE
            and _string_valued(left)
            and _string_valued(right)
        ):
            # two strings (never empty): compared by code point, as XPath 2.0 does
            a, b = (self.write(x, in_predicate=in_predicate) for x in (left, right))
            return f"({EXTENSIONS_PREFIX}:compare({a}, {b}) {op} 0)"
        if op in _ORDERING and not (_numeric(resolved[0]) or _numeric(resolved[1])):
            raise Untranslatable("ordering of two untyped values")
        if op in ("=", "!=") and t.symbol in _GENERAL:
            # a sequence of tokens against strings or nodes: some pair equal (or unequal)
            sides = [self._tokens(side, in_predicate) for side in (left, right)]
            if any(sides):
                if _numeric(left) or _numeric(right):
                    raise Untranslatable("tokens compared to a number")
                tokens, other = (sides[0], right) if sides[0] else (sides[1], left)
                items = _literal_sequence(other)
                if items is not None:
                    if any(i.symbol != "(string)" for i in items):
                        raise Untranslatable("tokens compared to a number")
                    parts = [f"{tokens} {op} {_string_literal(i.value)}" for i in items]
                    return "(" + " or ".join(parts) + ")" if parts else "false()"
                written = [
                    found if found is not None else self.write(side, in_predicate=in_predicate)
                    for found, side in zip(sides, (left, right), strict=True)
                ]
                return f"({written[0]} {op} {written[1]})"
        for one, other in ((left, right), (right, left)):
            items = _literal_sequence(one)
            if items is not None:
                if t.symbol in _VALUE:
                    raise Untranslatable("value comparison with a sequence")
                side = self.write(other, in_predicate=in_predicate)
                parts = [
                    f"{side} {op} {self.write(i, in_predicate=in_predicate)}"
                    if one is right
                    else f"{self.write(i, in_predicate=in_predicate)} {op} {side}"
                    for i in items
                ]
                return "(" + " or ".join(parts) + ")" if parts else "false()"
        if t.symbol in _GENERAL:
            a, b = (self._operand(side, in_predicate) for side in (left, right))
            for memo, other, written in ((a, right, b), (b, left, a)):
                if op == "=" and memo.startswith(_MEMO_CALL) and _string_valued(other):
                    # one string among a document's values: looked up, not compared one by one
                    return f"{EXTENSIONS_PREFIX}:in-memo({written}, {memo[len(_MEMO_CALL) :]}"
            return f"({a} {op} {b})"
        return (
            f"({self.write(left, in_predicate=in_predicate)} {op} "
            f"{self.write(right, in_predicate=in_predicate)})"
        )

    def _untyped_and_number(
        self,
        t: Any,
        op: str,
        in_predicate: bool,
        sides: tuple[Any, Any],
        resolved: tuple[Any, Any],
    ) -> str:
        """A general comparison of elements' or attributes' untyped values with a number
        written as a literal, as the extension function that compares them as elementpath
        does (each value in document order, failing on one that is not a number before a
        pair is found true); anything else with a number and untyped values is refused."""
        first = _numeric(resolved[0])
        number, nodes = (resolved[0], sides[1]) if first else (resolved[1], sides[0])
        literal = _number_literal(number)
        found = self._resolved(nodes)
        if (
            t.symbol not in _GENERAL
            or literal is None
            or not (_selects_elements(found) or _selects_attributes(found))
        ):
            raise Untranslatable("a number compared to untyped values")
        kind, text = literal
        with self._not_monotone():
            written = self.write(nodes, in_predicate=in_predicate)
        return (
            f"{EXTENSIONS_PREFIX}:compare-untyped({written}, '{kind}', '{text}', "
            f"{_string_literal(op)}, {'true()' if first else 'false()'})"
        )

    def _lifted(self, t: Any, op: str, in_predicate: bool, left: Any, right: Any) -> str | None:
        """A comparison with an operand that is a conditional, a sequence or a ``for``,
        written per branch, member or item; ``None`` where no operand is one of those.

        ``(if (c) then a else b) op x`` is ``(c and a op x) or (not(c) and b op x)``. In a
        general comparison (true where some pair of items is), ``(a, b) op x`` is true where
        ``a op x`` or ``b op x`` is (summed, so that every member is evaluated, as XPath 2.0
        builds the whole sequence), and ``(for $v in P return e) op x`` is
        ``some $v in P satisfies e op x``: where ``e`` is one boolean that cannot fail and
        ``x`` is ``true()`` or ``false()``."""
        for index, side in enumerate((left, right)):
            found = self._resolved(side)

            def pair(value: Any, index: int = index) -> tuple[Any, Any]:
                return (value, right) if index == 0 else (left, value)

            kids = list(found)
            if found.symbol == "if" and len(kids) == 3:
                test, then, otherwise = kids
                with self._not_monotone():
                    condition = self._condition(test, in_predicate)
                    a = self._comparison(t, op, in_predicate, pair(then))
                    b = self._comparison(t, op, in_predicate, pair(otherwise))
                return f"(({condition} and {a}) or (not({condition}) and {b}))"
            if t.symbol not in _GENERAL:
                continue
            if (
                found.symbol == "("
                and kids
                and kids[0].symbol == ","
                and _literal_sequence(found) is None
            ):
                with self._not_monotone():
                    parts = [
                        self._comparison(t, op, in_predicate, pair(member))
                        for member in _sequence_members(kids[0])
                    ]
                return "((" + ") + (".join(parts) + ") > 0)"
            if found.symbol == "for" and len(kids) == 3:
                variable, nodes, body = kids
                other = right if index == 0 else left
                if not (_boolean_valued(body) and _cannot_fail(body) and _boolean_literal(other)):
                    raise Untranslatable("for … return other than of booleans, compared")
                if not self._focus_free(body):
                    raise Untranslatable("a for … return that uses the focus")
                with self._not_monotone():
                    found_nodes = self._satisfying(
                        variable.value,
                        nodes,
                        lambda body=body: self._comparison(t, op, True, pair(body)),
                        in_predicate,
                    )
                return f"boolean({found_nodes})"
        return None

    def _operand(self, t: Any, in_predicate: bool) -> str:
        """An operand of a general comparison. A variable whose value does not depend on the
        focus (``//@xml:id``) is evaluated once per document (:func:`_memo`): a comparison
        takes only the string values of its nodes, which the memo keeps."""
        if t.symbol == "$" and t.value in self.inline and t.value not in self.variables:
            value = self.inline[t.value]
            if _is_path(value) and not _is_tokens(value) and self._focus_free(value):
                text = self._unhoisted(value)  # the memo's own query: no variables
                bindings = " ".join(
                    f"{prefix}={uri}"
                    for prefix, uri in sorted(self.namespaces.items())
                    if prefix != "xml"
                )
                return (
                    f"{EXTENSIONS_PREFIX}:memo({_string_literal(text)}, /*, "
                    f"{_string_literal(bindings)})"
                )
        return self.write(t, in_predicate=in_predicate)

    def _function(self, t: Any, name: str, kids: list[Any], in_predicate: bool) -> str:
        if name == "current" and not kids:
            if CURRENT_VARIABLE not in self.variables:
                raise Untranslatable("current()")
            self.uses_current = True
            return f"${CURRENT_VARIABLE}"
        if name in ("count", "exists", "empty") and len(kids) == 1:
            found = self._resolved(kids[0])
            if found.symbol == "except" and len(list(found)) == 2:
                count = self._except_count(list(found), in_predicate)
                return {"count": count, "exists": f"({count} > 0)", "empty": f"({count} = 0)"}[name]
            if found.symbol == "distinct-values" and found.label == "function":
                (values,) = list(found) if len(list(found)) == 1 else (None,)
                if values is None or not _node_valued(self._resolved(values)):
                    raise Untranslatable("distinct-values() of what may not be nodes")
                with self._not_monotone():
                    written = self.write(values, in_predicate=in_predicate)
                return {
                    "count": f"{EXTENSIONS_PREFIX}:distinct-count({written})",
                    "exists": f"boolean({written})",
                    "empty": f"not({written})",
                }[name]
            tokens = self._tokens(kids[0], in_predicate)
            if tokens is not None:
                wrapper = {"count": "count", "exists": "boolean", "empty": "not"}[name]
                return f"{wrapper}({tokens})"
        if name in ("not", "boolean") and len(kids) == 1:
            return f"{name}({self._negated(kids[0], in_predicate, name == 'not')})"
        if self._rebasing and not self._depth and not kids and name in _FOCUS_FUNCTIONS:
            raise Untranslatable(f"{name}() of the focus in a rebased value")
        if name in ("max", "min") and len(kids) == 1:
            nodes = _string_step(kids[0])
            if nodes is None:
                raise Untranslatable(f"{name}() of what may not be strings")
            with self._not_monotone():
                written = self.write(nodes, in_predicate=in_predicate)
            return f"{EXTENSIONS_PREFIX}:{name}-string({written})"
        with self._not_monotone():
            args = [self.write(k, in_predicate=in_predicate) for k in kids]
        if name in ("position", "last"):
            if not in_predicate:
                raise Untranslatable("focus position outside a predicate")
            return f"{name}()"
        if name == "exists" and len(args) == 1:
            return f"boolean({args[0]})"
        if name == "empty" and len(args) == 1:
            return f"not({args[0]})"
        if name in _SAME and len(args) in _SAME[name]:
            if name not in _ANY_ARGUMENTS:
                optional = _OPTIONAL_STRING_ARGUMENTS.get(name, ())
                for index, kid in enumerate(kids):
                    if self._one_item(kid):
                        continue
                    if index not in optional:
                        raise Untranslatable(f"{name}() of what may be several items")
                    # several nodes are an error in XPath 2.0: the engine's run then
                    # falls back to elementpath, which reports it in its words
                    args[index] = f"{EXTENSIONS_PREFIX}:single({args[index]})"
            return f"{name}({', '.join(args)})"
        if name in _EXTENSION_FUNCTIONS and len(args) in _EXTENSION_FUNCTIONS[name]:
            # the functions raise on several items (see _text), as XPath 2.0 does
            if not all(self._one_item(k) for k in kids[1:]):
                raise Untranslatable(f"{name}() of what may be several items")
            if name == "matches" and not all(k.symbol == "(string)" for k in kids[1:]):
                raise Untranslatable("matches() with a computed pattern")
            if name == "matches":
                try:
                    _regex(kids[1].value, kids[2].value if len(kids) > 2 else "")
                except Exception as exc:  # elementpath reports a bad pattern in its words
                    raise Untranslatable(f"regular expression: {exc}") from None
            return f"{EXTENSIONS_PREFIX}:{name}({', '.join(args)})"
        raise Untranslatable(f"function {name}#{len(args)}")

    def _negated(self, t: Any, in_predicate: bool, negate: bool) -> str:
        """The argument of ``not()`` (``negate``) or ``boolean()``, a condition."""
        return self._condition(t, in_predicate)

    def _one_item(self, t: Any) -> bool:
        """:func:`_one_item`, looking through inlined variables."""
        if t.symbol == "$" and t.value in self.inline and t.value not in self.variables:
            return self._one_item(self.inline[t.value])
        if t.symbol == "(":
            return self._one_item(next(iter(t)))
        if t.symbol == "[":
            predicate = list(t)[1]
            if predicate.symbol == "(integer)":
                return True  # x[n]: at most one item
        return _one_item(t)


class _NecessaryWriter(_Writer):
    """Writes a condition that holds wherever the query is true (``polarity`` True) or false
    (False): each condition that does not translate (it uses ``current()`` or a rule
    variable, or XPath 2.0) becomes ``true()`` where a truer whole is allowed and
    ``false()`` where a falser one is, flipping under ``not()``. Only where the whole grows
    with what the condition selects: not inside ``count()``, arithmetic, a value comparison
    or a function's argument, where a translation must be exact."""

    def __init__(
        self, namespaces: dict[str, str], polarity: bool, hoisted: dict[str, str] | None = None
    ) -> None:
        super().__init__(namespaces, hoisted=hoisted)
        self.polarity = polarity
        self.monotone = True

    def _condition(self, t: Any, in_predicate: bool) -> str:
        if not self.monotone:
            return super()._condition(t, in_predicate)
        try:
            return super()._condition(t, in_predicate)
        except Untranslatable:
            return "true()" if self.polarity else "false()"

    @contextmanager
    def _not_monotone(self, when: bool = True) -> Iterator[None]:
        before = self.monotone
        self.monotone = before and not when
        try:
            yield
        finally:
            self.monotone = before

    def _negated(self, t: Any, in_predicate: bool, negate: bool) -> str:
        if negate:
            self.polarity = not self.polarity
        try:
            return self._condition(t, in_predicate)
        finally:
            if negate:
                self.polarity = not self.polarity


def failing_condition(
    token: Any, kind: str, namespaces: dict[str, str], hoisted: dict[str, str] | None = None
) -> str | None:
    """An XPath 1.0 condition true of every node on which an assert (``kind``) fails or a
    report fires, where the test itself needs the node (``current()``, rule variables); a
    node it is false of need not be checked. ``None`` where it would hold of every node.
    ``hoisted``: as for :func:`translate`."""
    writer = _NecessaryWriter(namespaces, polarity=kind == "report", hoisted=hoisted)
    try:
        written = writer._condition(token, False)
    except Untranslatable:
        return None
    if written == ("true()" if kind == "report" else "false()"):
        return None
    return f"boolean({written})" if kind == "report" else f"not({written})"


def _xsd_type(target: Any, namespaces: dict[str, str]) -> str | None:
    """The local name of the XSD type of ``cast as``/``castable as``; ``None`` if the type
    is not XSD's."""
    name = target.source.rstrip("?") if hasattr(target, "source") else ""
    prefix, _, local = name.partition(":")
    xsd = "http://www.w3.org/2001/XMLSchema"
    if not local or namespaces.get(prefix, xsd if prefix == "xs" else None) != xsd:
        return None
    return local


def _typed_kind(t: Any) -> str | None:
    """``"date"`` for a date (:func:`_date_valued`), ``"float"`` for ``xs:float(x)``,
    ``None`` for anything else."""
    if _date_valued(t):
        return "date"
    kids = list(t)
    if (
        t.symbol == ":"
        and len(kids) == 2
        and kids[1].symbol == "float"
        and kids[1].label == "constructor function"
        and len(list(kids[1])) == 1
    ):
        return "float"
    return None


def _date_valued(t: Any) -> bool:
    """Whether a query is a date: ``current-date()``, ``x cast as xs:date`` or one of
    those plus or minus something."""
    kids = list(t)
    if t.symbol == "current-date" and t.label == "function":
        return True
    if t.symbol == "cast" and len(kids) == 2:
        return getattr(kids[1], "source", "").rstrip("?").endswith(":date")
    if t.symbol in ("+", "-") and len(kids) == 2:
        return _date_valued(kids[0])
    return t.symbol == "(" and len(kids) == 1 and _date_valued(kids[0])


#: XSD duration types whose literals a date may be moved by
_DURATIONS = ("dayTimeDuration", "yearMonthDuration", "duration")


def _duration_literal(t: Any, namespaces: dict[str, str]) -> tuple[str, str]:
    """``xs:dayTimeDuration('P60D')`` (or another duration type) as its type and text,
    checked as elementpath reads it."""
    kids = list(t)
    if t.symbol != ":" or len(kids) != 2 or kids[0].symbol != "(name)":
        raise Untranslatable("a duration other than a constructor of a literal")
    prefix, constructor = kids
    xsd = "http://www.w3.org/2001/XMLSchema"
    if namespaces.get(prefix.value, xsd if prefix.value == "xs" else None) != xsd:
        raise Untranslatable("a constructor of a type that is not XSD's")
    arguments = list(constructor)
    if (
        constructor.symbol not in _DURATIONS
        or len(arguments) != 1
        or arguments[0].symbol != "(string)"
    ):
        raise Untranslatable("a duration other than a constructor of a literal")
    try:
        _duration(constructor.symbol, arguments[0].value)
    except ValueError as exc:
        raise Untranslatable(f"duration: {exc}") from None
    return constructor.symbol, arguments[0].value


def _optional(target: Any) -> bool:
    return getattr(target, "occurrence", None) == "?"


def _integer_cast(t: Any) -> bool:
    """Whether a query is ``x cast as xs:integer``."""
    return (
        t.symbol == "cast"
        and len(list(t)) == 2
        and getattr(list(t)[1], "source", "").rstrip("?").endswith(":integer")
    )


def _sequence_members(t: Any) -> list[Any]:
    """The members of ``a, b, c`` (a comma operator's operands, flattened)."""
    if t.symbol == ",":
        return [m for k in t for m in _sequence_members(k)]
    return [t]


#: functions whose result is one boolean
_BOOLEAN_FUNCTIONS = {"not", "boolean", "exists", "empty", "true", "false"}


def _boolean_literal(t: Any) -> bool:
    """``true()`` or ``false()``."""
    return t.label == "function" and t.symbol in ("true", "false") and not list(t)


def _cannot_fail(t: Any) -> bool:
    """Whether evaluating a query can raise no error: paths (with predicates that cannot
    either), literals, ``exists()``, ``empty()``, ``not()``, ``boolean()``, ``count()``,
    ``true()``, ``false()``, ``and`` and ``or`` of those."""
    kids = list(t)
    symbol = t.symbol
    if symbol in ("(string)", "(integer)", "(decimal)", ".", "..", "$", "(name)"):
        return True
    if symbol == ":":
        return all(k.symbol in ("(name)", "*") for k in kids)
    if (symbol == "*" and not kids) or (t.label == "kind test" and not kids):
        return True
    if symbol in ("/", "//", "[", "(", "|", "union", "and", "or", "@") or t.label == "axis":
        return all(_cannot_fail(k) for k in kids)
    if t.label == "function" and symbol in _BOOLEAN_FUNCTIONS | {"count"}:
        return all(_cannot_fail(k) for k in kids)
    return False


def _boolean_valued(t: Any) -> bool:
    """Whether a query is exactly one boolean."""
    if t.symbol == "(" and len(list(t)) == 1:
        return _boolean_valued(next(iter(t)))
    if t.label == "function" and t.symbol in _BOOLEAN_FUNCTIONS:
        return True
    return t.symbol in ("and", "or")


def _generate_id(t: Any) -> bool:
    """``generate-id(.)`` or ``generate-id(current())``: the id of exactly one node."""
    if t.symbol != "generate-id" or t.label != "function" or len(list(t)) != 1:
        return False
    (node,) = list(t)
    return node.symbol == "." or (node.symbol == "current" and not list(node))


def _is_tokens(t: Any) -> bool:
    """Whether a query is a sequence of tokens (``tokenize()``, filtered or per node); not
    one token (``[n]``, ``[last()]``)."""
    if t.symbol == "[":
        predicate = list(t)[1]
        if predicate.symbol == "(integer)" or (
            predicate.symbol == "last" and predicate.label == "function" and not list(predicate)
        ):
            base = next(iter(t))
            return not (base.symbol == "tokenize" and base.label == "function")
    while t.symbol == "[":
        t = next(iter(t))
    if t.symbol == "/" and len(list(t)) == 2:
        return _is_tokens(list(t)[1])
    return t.symbol == "tokenize" and t.label == "function"


def _is_path(t: Any) -> bool:
    """Whether a query is a path, a union or a filter of them (a sequence of nodes)."""
    if t.symbol in ("/", "//", "|", "union", "except"):
        return True
    if t.symbol in ("[", "("):
        return _is_path(next(iter(t)))
    return False


def _by_position(predicate: Any) -> bool:
    """Whether a predicate may select by position (:func:`_positional`); nodes never do."""
    return not _node_valued(predicate) and _positional(predicate)


def _descendants_first(branch: Any) -> bool:
    """Whether a path pattern's first step is an element name test with predicates, none
    selecting by position: ``//x[p]/...`` is then ``/descendant::x[p]/...``, which libxml2
    evaluates without a child step from every node (it rewrites ``//x`` so itself only
    where ``x`` has no predicate)."""
    step = branch
    while step.symbol in ("/", "//") and len(list(step)) == 2:
        if _union_then_name(step):
            return True  # (a | b)/c: written c[parent::a or parent::b]
        step = next(iter(step))
    predicates = []
    while step.symbol == "[":
        step, predicate = list(step)
        predicates.append(predicate)
    return (
        bool(predicates)
        and (step.symbol in ("(name)", ":") or (step.symbol == "*" and not list(step)))
        and not any(_by_position(p) for p in predicates)
    )


def _node_valued(t: Any) -> bool:
    """Whether a query is nodes: a path, a step, a union or a filter of them."""
    if _is_path(t) or t.label in ("axis", "kind test"):
        return True
    return t.symbol in ("(name)", ":", "@", ".", "..") or (t.symbol == "*" and not list(t))


def _absolute(t: Any) -> bool:
    """Whether a query is a path from the root (other than the root alone)."""
    if t.symbol not in ("/", "//") or not list(t):
        return False
    kids = list(t)
    return len(kids) == 1 or _absolute(kids[0])


def _selects_elements(t: Any) -> bool:
    """Whether a path selects elements only: its last step tests an element name (or
    ``*``) on an axis other than ``attribute``."""
    while True:
        if t.symbol in ("/", "//") and list(t):
            t = list(t)[-1]
        elif t.symbol == "[":
            t = next(iter(t))
        else:
            break
    if t.label == "axis" and t.symbol in _AXES and t.symbol != "attribute":
        t = next(iter(t))
    return t.symbol in ("(name)", ":") or (t.symbol == "*" and not list(t))


def _selects_attributes(t: Any) -> bool:
    """Whether a path's last step is on the attribute axis."""
    while True:
        if t.symbol in ("/", "//") and list(t):
            t = list(t)[-1]
        elif t.symbol == "[":
            t = next(iter(t))
        else:
            break
    return t.symbol == "@" or (t.label == "axis" and t.symbol == "attribute")


def _number_literal(t: Any) -> tuple[str, str] | None:
    """An integer or decimal literal (or its negation) as its type and text."""
    sign = ""
    if t.symbol == "-" and len(list(t)) == 1:
        sign, t = "-", next(iter(t))
    if t.symbol == "(integer)":
        return "integer", f"{sign}{t.value}"
    if t.symbol == "(decimal)":
        return "decimal", f"{sign}{t.value}"
    return None


def _free_of_variables(t: Any) -> bool:
    """Whether a query uses neither a variable nor ``current()``."""
    stack = [t]
    while stack:
        node = stack.pop()
        if node.symbol == "$" or (node.symbol == "current" and node.label == "function"):
            return False
        stack.extend(node)
    return True


def _tokenize_focus(t: Any) -> bool:
    """``tokenize(normalize-space(.), ' ')`` (or of ``normalize-space()``)."""
    if t.symbol != "tokenize" or t.label != "function" or len(list(t)) != 2:
        return False
    text, separator = list(t)
    if separator.symbol != "(string)" or separator.value != " ":
        return False
    if text.symbol != "normalize-space" or text.label != "function":
        return False
    args = list(text)
    return not args or (len(args) == 1 and args[0].symbol == ".")


def _positional(predicate: Any) -> bool:
    """Whether a predicate may select by position: unless it is a comparison or a boolean
    function and uses neither ``position()`` nor ``last()`` at its own focus."""
    boolean = {"not", "boolean", "starts-with", "contains", "ends-with", "matches", "exists"}
    top = predicate.symbol
    if not (
        top in _GENERAL
        or top in _VALUE
        or top in _BOOLEAN_OPS
        or (predicate.label == "function" and top in boolean | {"empty", "true", "false"})
    ):
        return True
    stack = [predicate]
    while stack:
        t = stack.pop()
        if t.label == "function" and t.symbol in ("position", "last"):
            return True
        if t.symbol in ("[", "/", "//"):
            stack.append(next(iter(t)))  # a nested predicate has a focus of its own
            continue
        stack.extend(t)
    return False


def _string_valued(t: Any) -> bool:
    """Whether a query is exactly one string (a call of a function returning one)."""
    if t.symbol == "(":
        return _string_valued(next(iter(t)))
    if t.symbol == "(string)":
        return True
    return t.label in ("function", "function__constructor_function") and (
        t.symbol in _STRING_FUNCTIONS and (t.symbol != "string" or len(list(t)) <= 1)
    )


def _string_step(t: Any) -> Any | None:
    """For ``P/string()`` (or ``P/string(.)``): ``P``, the nodes whose string values the
    query gives; else ``None``."""
    if t.symbol != "/" or len(list(t)) != 2:
        return None
    nodes, last = list(t)
    if last.symbol != "string" or last.label == "operator":
        return None
    args = list(last)
    if args and (len(args) != 1 or args[0].symbol != "."):
        return None
    return nodes


def _string_literal(value: str) -> str:
    if "'" not in value:
        return f"'{value}'"
    if '"' not in value:
        return f'"{value}"'
    return "concat(" + ', "\'", '.join(f"'{part}'" for part in value.split("'")) + ")"


def _is_simple(t: Any) -> bool:
    return t.symbol in ("(name)", ":", "@", ".", "..", "*", "(string)", "(integer)", "$") or (
        t.label in ("function", "axis", "kind test")
    )


def _numeric(t: Any) -> bool:
    if t.symbol in ("(integer)", "(decimal)"):
        return True
    if t.label == "function" and t.symbol in _NUMERIC_FUNCTIONS:
        return True
    if t.symbol in _ARITHMETIC and len(list(t)) == 2:
        return True
    if t.symbol == "-" and len(list(t)) == 1:
        return True
    if _integer_cast(t):
        return True
    return t.symbol == "(" and _numeric(next(iter(t)))


#: functions whose argument may be any number of nodes in both languages
_ANY_ARGUMENTS = {"not", "count", "boolean", "sum", "lang", "id", "true", "false"}


def _one_item(t: Any) -> bool:
    """Whether an argument is at most one item in XPath 2.0, so that XPath 1.0's taking the
    first node changes nothing: a literal, a computed value, ``.``, ``..``, an attribute of
    the focus or of its parent."""
    symbol = t.symbol
    if symbol in ("(string)", "(integer)", "(decimal)", ".", ".."):
        return True
    if symbol == "@":
        return not any(k.symbol == "*" for k in t)
    if symbol == "/" and len(list(t)) == 2:
        left, right = list(t)
        return left.symbol == ".." and right.symbol == "@" and _one_item(right)
    if symbol == "(":
        return _one_item(next(iter(t)))
    if t.label == "function":
        return symbol not in ("id", "current")
    return (
        symbol in _ARITHMETIC
        or symbol in _GENERAL
        or symbol in _VALUE
        or symbol
        in (
            "and",
            "or",
        )
    )


def _literal_sequence(t: Any) -> list[Any] | None:
    if t.symbol != "(":
        return None
    (inner,) = list(t)
    items: list[Any] = []

    def flatten(node: Any) -> bool:
        if node.symbol == ",":
            return all(flatten(k) for k in node)
        if node.symbol in ("(string)", "(integer)", "(decimal)"):
            items.append(node)
            return True
        return False

    if inner.symbol != "," or not flatten(inner):
        return None
    return items


# -- extension functions: XPath 2.0 functions libxml2 lacks ----

_XML_SPACE = re.compile(r"[ \t\r\n]+")


@lru_cache(maxsize=256)
def _regex(pattern: str, flags: str) -> re.Pattern[str]:
    """An XSD regular expression as XPath 2.0's ``matches()`` reads it (as elementpath does)."""
    if set(flags) - set("smix"):
        raise Untranslatable("regex flags")
    options = 0
    for flag in flags:
        options |= getattr(re, flag.upper())
    return re.compile(regex_source(pattern, flags), options)


#: Python regular expressions of XSD ones, known without elementpath (from a compiled form)
KNOWN_REGEXES: dict[tuple[str, str], str] = {}


def regex_source(pattern: str, flags: str) -> str:
    """The Python regular expression of an XSD one (elementpath's translation, imported only
    for a pattern :data:`KNOWN_REGEXES` lacks)."""
    known = KNOWN_REGEXES.get((pattern, flags))
    if known is not None:
        return known
    from elementpath.regex import translate_pattern

    options = 0
    for flag in flags:
        options |= getattr(re, flag.upper())
    return str(translate_pattern(pattern, options, "1.0"))


def regexes_of(token: Any) -> list[tuple[str, str]]:
    """The literal patterns and flags of the ``matches()`` calls in a query."""
    found = []
    stack = [token]
    while stack:
        t = stack.pop()
        kids = list(t) if hasattr(t, "__iter__") else []
        if t.symbol == "matches" and t.label == "function" and len(kids) in (2, 3):
            literal = [k.value for k in kids[1:] if k.symbol == "(string)"]
            if len(literal) == len(kids) - 1:
                found.append((literal[0], literal[1] if len(literal) > 1 else ""))
        stack.extend(kids)
    return found


def _text(value: Any) -> str:
    """The string value of an argument, as XPath 2.0 atomises one item."""
    if isinstance(value, list):
        if not value:
            return ""
        if len(value) > 1:
            raise ValueError("a sequence of more than one item where one is allowed")
        value = value[0]
    if isinstance(value, etree._Element):
        return "".join(value.itertext()) if isinstance(value.tag, str) else (value.text or "")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _matches(_context: Any, value: Any, pattern: Any, flags: Any = "") -> bool:
    return _regex(_text(pattern), _text(flags)).search(_text(value)) is not None


def _ends_with(_context: Any, value: Any, suffix: Any) -> bool:
    return _text(value).endswith(_text(suffix))


def _lower(_context: Any, value: Any) -> str:
    return _text(value).lower()


def _upper(_context: Any, value: Any) -> str:
    return _text(value).upper()


def _tokenize(_context: Any, value: Any) -> list[str]:
    """``tokenize(normalize-space(x), ' ')``: the tokens of an already normalised string."""
    text = _text(value)
    return text.split(" ") if text else []


def _token(_context: Any, value: Any, position: Any) -> list[str]:
    """``tokenize(normalize-space(x), ' ')[n]``: the n-th token, or nothing."""
    tokens = _tokenize(_context, value)
    index = int(position)
    return tokens[index - 1 : index] if index >= 1 else []


def _tokenize_each(_context: Any, nodes: Any) -> list[str]:
    """``P/tokenize(normalize-space(.), ' ')``: the tokens of each node's string value."""
    tokens: list[str] = []
    for node in nodes if isinstance(nodes, list) else [nodes]:
        tokens += [t for t in _XML_SPACE.split(_text([node])) if t]
    return tokens


def _single(_context: Any, nodes: Any) -> Any:
    """The argument itself when it is at most one item; XPath 2.0 refuses more."""
    if isinstance(nodes, list) and len(nodes) > 1:
        raise ValueError("a sequence of more than one item where one is allowed")
    return nodes


def _document_order(node: Any) -> tuple[Any, tuple[int, ...]]:
    """Where an element (or comment, or processing instruction) is in its document."""
    if not isinstance(node, etree._Element):
        raise ValueError("a node comparison of nodes other than elements")
    path: list[int] = []
    parent = node.getparent()
    while parent is not None:
        path.append(parent.index(node))
        node, parent = parent, parent.getparent()
    if node.getroottree().getroot() is not node:
        raise ValueError("a node outside the document element")
    return node, tuple(reversed(path))


def _one_node(value: Any) -> Any | None:
    if not isinstance(value, list):
        raise ValueError("a node comparison of what is not a node")
    if len(value) > 1:
        raise ValueError("a node comparison of more than one node")
    return value[0] if value else None


def _follows(_context: Any, left: Any, right: Any) -> bool:
    """``left >> right`` where an empty result is taken as false."""
    a, b = _one_node(left), _one_node(right)
    if a is None or b is None:
        return False
    (root_a, path_a), (root_b, path_b) = _document_order(a), _document_order(b)
    if root_a is not root_b:
        raise ValueError("a node comparison across documents")
    return path_a > path_b


def _precedes(_context: Any, left: Any, right: Any) -> bool:
    """``left << right`` where an empty result is taken as false."""
    a, b = _one_node(left), _one_node(right)
    if a is None or b is None:
        return False
    return _follows(_context, right, left)


def _castable(_context: Any, value: Any, type_name: Any, optional: Any) -> bool:
    """``value castable as xs:type_name`` (``?`` when ``optional``)."""
    from .datetimes import castable

    if isinstance(value, list):
        if len(value) > 1:
            return False
        if not value:
            return bool(optional)
    if str(type_name) == "integer":
        return _castable_integer(_text(value))
    return castable(_text(value), str(type_name))


def _castable_integer(value: str) -> bool:
    try:
        int(value)
    except ValueError:
        return False
    return True


#: the greatest integer a double holds exactly (beyond, libxml2's numbers would round)
_EXACT = 2**53


def _integer(_context: Any, value: Any) -> float:
    """``value cast as xs:integer``: elementpath casts a string with Python's ``int()``
    (surrounding whitespace, a sign, ``_`` between digits, digits of any script); no item,
    several, a string that does not cast, or an integer a double would round raise."""
    if isinstance(value, list) and len(value) != 1:
        raise ValueError("a cast of no item or of several")
    number = int(_text(value))
    if abs(number) > _EXACT:
        raise ValueError("an integer beyond the precision of XPath 1.0's numbers")
    return float(number)


#: the run's current date and time (see :func:`set_now`), and the typed values (dates,
#: floats) of this document's queries by key (see :func:`_value_key`; emptied by
#: :func:`forget_memos`)
_NOW: list[Any] = []
_VALUES: dict[str, Any] = {}
#: what starts a key of a date: a character no document's text holds (private use)
_VALUE_KEY = "\ue000value:"


def set_now(now: Any) -> None:
    """The date and time ``current-date()`` takes for this run: the one elementpath's
    context of the run has (so that both give the same)."""
    _NOW[:] = [now]


def _value_key(value: Any) -> str:
    """A typed value (elementpath's: a date, a float) as the string libxml2 passes on: a
    key to it."""
    key = f"{_VALUE_KEY}{len(_VALUES)}"
    _VALUES[key] = value
    return key


def _typed_value(key: Any) -> Any:
    found = _VALUES.get(_text(key))
    if found is None:
        raise ValueError("a typed value that is not one")
    return found


def _current_date(_context: Any) -> str:
    """``current-date()``: the run's date and time zone, as elementpath gives it."""
    from elementpath.datatypes import Date10

    if not _NOW:
        raise ValueError("current-date() without the run's date")
    now = _NOW[0]
    return _value_key(Date10(now.year, now.month, now.day, tzinfo=now.tzinfo))


def _cast_date(_context: Any, value: Any) -> str:
    """``value cast as xs:date``, as elementpath casts an untyped value; raises where the
    cast fails, on no item and on several."""
    from elementpath.datatypes import Date10, UntypedAtomic

    if isinstance(value, list) and len(value) != 1:
        raise ValueError("a cast of no item or of several")
    try:
        return _value_key(Date10.make(UntypedAtomic(_text(value))))
    except (TypeError, ArithmeticError) as exc:
        raise ValueError(f"a cast as xs:date: {exc}") from None


def _duration(kind: str, text: str) -> Any:
    from elementpath.datatypes import DayTimeDuration, Duration, YearMonthDuration

    classes = {
        "dayTimeDuration": DayTimeDuration,
        "yearMonthDuration": YearMonthDuration,
        "duration": Duration,
    }
    try:
        return classes[kind].fromstring(text)
    except (KeyError, TypeError) as exc:
        raise ValueError(f"xs:{kind}({text!r}): {exc}") from None


def _date_add(_context: Any, date: Any, kind: Any, text: Any) -> str:
    """A date plus a duration (of type ``kind``, written ``text``), as elementpath adds."""
    try:
        return _value_key(_typed_value(date) + _duration(str(kind), str(text)))
    except (TypeError, ArithmeticError) as exc:
        raise ValueError(f"a date plus a duration: {exc}") from None


def _date_subtract(_context: Any, date: Any, kind: Any, text: Any) -> str:
    """A date minus a duration, as elementpath subtracts."""
    try:
        return _value_key(_typed_value(date) - _duration(str(kind), str(text)))
    except (TypeError, ArithmeticError) as exc:
        raise ValueError(f"a date minus a duration: {exc}") from None


def _compare_values(_context: Any, left: Any, right: Any, operator_name: Any) -> bool:
    """A value comparison (``eq`` … ``ge``) of two typed values of one type, as elementpath
    compares them (a date without a time zone in the implicit one; floats within a relative
    1e-7 equal)."""
    import operator

    a, b = _typed_value(left), _typed_value(right)
    if type(a) is not type(b):
        raise ValueError("a comparison of values of two types")
    try:
        return bool(getattr(operator, str(operator_name))(a, b))
    except (TypeError, ArithmeticError) as exc:
        raise ValueError(f"a comparison of typed values: {exc}") from None


def _float(_context: Any, value: Any) -> str:
    """``xs:float(value)`` of one string, as elementpath constructs it (XSD 1.0's lexical
    forms, values beyond a float's range as infinities); raises where it fails."""
    from elementpath.datatypes import Float10

    try:
        return _value_key(Float10.make(_text(value)))
    except (TypeError, ArithmeticError) as exc:
        raise ValueError(f"xs:float({_text(value)!r}): {exc}") from None


def _last_token(_context: Any, value: Any) -> list[str]:
    """``tokenize(normalize-space(x), ' ')[last()]``: the last token, or nothing."""
    return _tokenize(_context, value)[-1:]


def _compare_untyped(
    _context: Any, nodes: Any, kind: Any, text: Any, operator_text: Any, number_first: Any
) -> bool:
    """A general comparison of nodes' untyped values with a literal number (an integer or
    a decimal, ``text``), as elementpath compares: pair by pair in document order, true
    at the first pair that is, failing at a value that does not compare before that."""
    import operator
    from decimal import Decimal

    from elementpath.datatypes import UntypedAtomic

    number = int(str(text)) if str(kind) == "integer" else Decimal(str(text))
    compare = {
        "=": operator.eq,
        "!=": operator.ne,
        "<": operator.lt,
        "<=": operator.le,
        ">": operator.gt,
        ">=": operator.ge,
    }[str(operator_text)]
    try:
        for node in _node_list(nodes):
            value = UntypedAtomic(_text([node]))
            if compare(number, value) if number_first else compare(value, number):
                return True
    except (TypeError, ValueError, ArithmeticError) as exc:
        raise ValueError(f"untyped values compared to a number: {exc}") from None
    return False


def _node_key(node: Any) -> object:
    """What identifies a node lxml gives an extension function: an element (comment,
    processing instruction) itself, an attribute or text by its element and name or place."""
    if isinstance(node, etree._Element):
        return node
    if getattr(node, "is_attribute", False):
        return ("@", node.getparent(), node.attrname)
    if getattr(node, "is_text", False) or getattr(node, "is_tail", False):
        return ("text", node.getparent(), bool(node.is_tail))
    raise ValueError("a set operation on what is not a node")


def _node_list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise ValueError("a set operation on what is not nodes")
    return value


def _except_count(_context: Any, left: Any, right: Any) -> float:
    """``count(left except right)``: the nodes of ``left`` that are not in ``right``."""
    excluded = {_node_key(node) for node in _node_list(right)}
    return float(sum(1 for node in _node_list(left) if _node_key(node) not in excluded))


def _distinct_count(_context: Any, nodes: Any) -> float:
    """``count(distinct-values(nodes))``: how many different string values the nodes have
    (untyped values compare as strings, by code point)."""
    return float(len({_text([node]) for node in _node_list(nodes)}))


def _compare(_context: Any, left: Any, right: Any) -> float:
    """XPath 2.0's comparison of two strings by code point: -1, 0 or 1."""
    a, b = _text(left), _text(right)
    return float((a > b) - (a < b))


def _max_string(_context: Any, nodes: Any) -> list[str]:
    """``max(P/string())``: the greatest string value, or nothing."""
    values = [_text([node]) for node in nodes]
    return [max(values)] if values else []


def _min_string(_context: Any, nodes: Any) -> list[str]:
    """``min(P/string())``: the least string value, or nothing."""
    values = [_text([node]) for node in nodes]
    return [min(values)] if values else []


_MEMO_CALL = f"{EXTENSIONS_PREFIX}:memo("

#: values of queries that do not depend on the focus, per document (see :func:`_memo`);
#: emptied by :func:`forget_memos` when a document's run ends
_MEMOS: dict[tuple[str, int], tuple[Any, list[str]]] = {}


def forget_memos() -> None:
    """Empty the per-document values (a document may change between two validations)."""
    _MEMOS.clear()
    _MEMO_SETS.clear()
    _NODES.clear()
    _VALUES.clear()


#: the elements of absolute paths, per document (see :func:`document_nodes`)
_NODES: dict[tuple[str, int], tuple[Any, list[Any]]] = {}


def document_nodes(query: Any, tree: etree._ElementTree) -> list[Any]:
    """The elements an absolute path (a compiled ``query`` with its text as ``path``)
    selects in ``tree``, evaluated once per document (a query's ``hoisted`` variable, see
    :func:`translate`). ``ValueError`` if it selects anything else."""
    root = tree.getroot()
    key = (query.path, id(root))
    found = _NODES.get(key)
    if found is None or found[0] is not root:
        nodes = query(tree)
        if not isinstance(nodes, list) or not all(isinstance(n, etree._Element) for n in nodes):
            raise ValueError(f"{query.path} selects what is not an element")
        found = _NODES[key] = (root, nodes)
    return found[1]


def _memo(_context: Any, query: Any, root: Any, bindings: Any) -> list[str]:
    """The string values of the nodes ``query`` selects in the document of ``root`` (with
    the namespaces ``bindings``, ``prefix=uri`` separated by spaces), evaluated once per
    document: for where only string values count (a general comparison)."""
    if not isinstance(root, list) or len(root) != 1:
        raise ValueError("a memo without the document element")
    element = root[0]
    text = f"{query}\0{bindings}"
    key = (text, id(element))
    found = _MEMOS.get(key)
    if found is None or found[0] is not element:
        compiled = _MEMO_QUERIES.get(text)
        if compiled is None:
            namespaces = dict(b.split("=", 1) for b in str(bindings).split())
            namespaces[EXTENSIONS_PREFIX] = EXTENSIONS_NS
            compiled = _MEMO_QUERIES[text] = etree.XPath(
                str(query), namespaces=namespaces, extensions=extensions()
            )
        result = compiled(element)
        values = [_text([n]) for n in result] if isinstance(result, list) else [_text(result)]
        found = _MEMOS[key] = (element, values)
    return found[1]


_MEMO_QUERIES: dict[str, etree.XPath] = {}
_MEMO_SETS: dict[tuple[str, int], tuple[Any, frozenset[str]]] = {}


def _in_memo(_context: Any, value: Any, query: Any, root: Any, bindings: Any) -> bool:
    """``value = Q``, where ``value`` is one string and ``Q`` the nodes of a memo
    (:func:`_memo`): whether some node's string value is ``value``."""
    values = _memo(_context, query, root, bindings)
    key = (f"{query}\0{bindings}", id(root[0]))
    found = _MEMO_SETS.get(key)
    if found is None or found[0] is not values:
        found = _MEMO_SETS[key] = (values, frozenset(values))
    return _text(value) in found[1]


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "memo": _memo,
    "in-memo": _in_memo,
    "tokenize-each": _tokenize_each,
    "single": _single,
    "follows": _follows,
    "precedes": _precedes,
    "castable": _castable,
    "integer": _integer,
    "current-date": _current_date,
    "date": _cast_date,
    "date-add": _date_add,
    "date-subtract": _date_subtract,
    "compare-values": _compare_values,
    "compare-untyped": _compare_untyped,
    "float": _float,
    "last-token": _last_token,
    "except-count": _except_count,
    "distinct-count": _distinct_count,
    "compare": _compare,
    "max-string": _max_string,
    "min-string": _min_string,
    "tokenize": _tokenize,
    "token": _token,
    "matches": _matches,
    "ends-with": _ends_with,
    "lower-case": _lower,
    "upper-case": _upper,
}


def extensions() -> dict[tuple[str, str], Callable[..., Any]]:
    """The extension functions, as lxml's ``extensions=`` argument takes them."""
    return {(EXTENSIONS_NS, name): function for name, function in FUNCTIONS.items()}
