"""XPath parsers for Schematron query bindings, on elementpath, made safe and XSLT-aware.

Schematron's XSLT query bindings evaluate rule contexts and tests as XPath inside XSLT, so
schemas use a few XSLT functions that plain XPath lacks: ``current()`` (the rule's context
node), ``generate-id()`` (XSLT 2.0; in XPath only from 3.0), ``key()`` (with ``xsl:key``
declarations) and ``document()``. This module adds them to elementpath's parsers, replaces
``id()`` with an indexed lookup (elementpath scans the whole tree on every call), and makes
every function that could read a file or the network fail instead: ``document()``,
``doc()``, ``unparsed-text()`` and their ``-available`` forms read nothing (validated
documents must not be able to make the validator fetch anything).
"""

from __future__ import annotations

import copy
import math
import operator
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from elementpath import XPath1Parser, XPath2Parser, XPathContext
from elementpath.xpath_nodes import ElementNode, XPathNode

from .bindings import CURRENT_ATTR as CURRENT_ATTR
from .bindings import QUERY_BINDINGS as QUERY_BINDINGS
from .bindings import STATE_ATTR as STATE_ATTR
from .bindings import XSLT_NS as XSLT_NS


class DocumentState:
    """Per-document indexes shared by every evaluation on one validated document."""

    def __init__(self, document: XPathNode) -> None:
        self.document = document
        self.index: Any = None  # the document's NodeIndex (by_name, attributes_named)
        self.ids: dict[str, ElementNode] = {}
        self.keys: dict[str, dict[str, list[XPathNode]]] = {}
        self.key_defs: dict[str, list[tuple[Any, Any]]] = {}

    def key_index(self, name: str, make_context: Any) -> dict[str, list[XPathNode]]:
        """The lazily built index of ``xsl:key name=...`` (match pattern, use expression)."""
        index = self.keys.get(name)
        if index is not None:
            return index
        index = {}
        for matcher, use in self.key_defs.get(name, ()):
            for node in matcher(self):
                ctx = make_context(node)
                for value in _as_list(use.evaluate(ctx)):
                    index.setdefault(_string(value), []).append(node)
        self.keys[name] = index
        return index


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return list(value)
    return [value]


def _string(value: Any) -> str:
    if isinstance(value, XPathNode):
        return value.string_value
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _install(parser_cls: type[XPath1Parser], *, has_generate_id: bool) -> None:
    """Register the Schematron/XSLT additions and the safe overrides on ``parser_cls``."""
    function = parser_cls.function
    method = parser_cls.method

    @method(function("current", nargs=0, sequence_types=("item()",)))
    def evaluate__current(self: Any, context: Any = None) -> Any:
        if context is None:
            raise self.missing_context()
        return getattr(context, CURRENT_ATTR, context.item)

    if not has_generate_id:

        @method(function("generate-id", nargs=(0, 1), sequence_types=("node()?", "xs:string")))
        def evaluate__generate_id(self: Any, context: Any = None) -> str:
            if self:
                arg = self.get_argument(context)
            elif context is None:
                raise self.missing_context()
            else:
                arg = context.item
            if arg is None:
                return ""
            if not isinstance(arg, XPathNode):
                raise self.error("XPTY0004", "argument is not a node")
            return f"ID{id(arg)}"

    @method(function("document", nargs=(1, 2), sequence_types=("item()*", "node()", "node()*")))
    def evaluate__document(self: Any, context: Any = None) -> Any:
        if context is None:
            raise self.missing_context()
        raise self.error("FODC0002", "document() is disabled: Schematron rules may not read files")

    @method(
        function(
            "key",
            nargs=(2, 3),
            sequence_types=("xs:string", "xs:anyAtomicType*", "node()", "node()*"),
        )
    )
    def select__key(self: Any, context: Any = None) -> Iterator[XPathNode]:
        if context is None:
            raise self.missing_context()
        state: DocumentState | None = getattr(context, STATE_ATTR, None)
        name = self.get_argument(context, cls=str)
        if state is None or name not in state.key_defs:
            raise self.error("XTDE1260", f"no xsl:key named {name!r} is declared")
        index = state.key_index(name, context.sch_make_context)
        seen: set[int] = set()
        for value in self[1].select(context.copy() if hasattr(context, "copy") else context):
            for node in index.get(_string(value), ()):
                if id(node) not in seen:
                    seen.add(id(node))
                    yield node

    parser_cls.unregister("id")

    @method(function("id", nargs=(1, 2), sequence_types=("xs:string*", "node()", "element()*")))
    def select__id(self: Any, context: Any = None) -> Iterator[ElementNode]:
        if context is None:
            raise self.missing_context()
        state: DocumentState | None = getattr(context, STATE_ATTR, None)
        if state is None or len(self) > 1:
            raise self.error("XPST0017", "id() with a second argument is not supported")
        found: dict[int, ElementNode] = {}
        for item in self[0].select(context.copy() if hasattr(context, "copy") else context):
            for ref in _string(item).split():
                node = state.ids.get(ref)
                if node is not None:
                    found[node.position] = node
        for position in sorted(found):
            yield found[position]

    # Nothing a rule evaluates may read a file, the network or the environment. XSLT 2.0 has
    # doc() and unparsed-text() too, so the refusing versions exist in every binding.
    for name in (
        "doc",
        "doc-available",
        "unparsed-text",
        "unparsed-text-lines",
        "unparsed-text-available",
        "json-doc",
        "collection",
        "uri-collection",
        "environment-variable",
        "available-environment-variables",
    ):
        if name in parser_cls.symbol_table:
            parser_cls.unregister(name)
        if name.endswith("-available"):

            def evaluate__false(self: Any, context: Any = None) -> bool:
                return False

            method(function(name, nargs=(1, 2), sequence_types=()))(evaluate__false)
        else:

            def evaluate__refuse(self: Any, context: Any = None, _name: str = name) -> Any:
                if context is None:
                    raise self.missing_context()
                raise self.error(
                    "FODC0002",
                    f"{_name}() is disabled: Schematron rules may not "
                    "read files, the network or the environment",
                )

            method(function(name, nargs=(0, 2), sequence_types=()))(evaluate__refuse)

    parser_cls.build()


_OPERATORS = {
    "=": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    ">": operator.gt,
    "<=": operator.le,
    ">=": operator.ge,
}


def _xpath1_number(value: Any) -> float:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int | float | Decimal):
        return float(value)
    text = value.string_value if isinstance(value, XPathNode) else str(value)
    try:
        return float(text.strip()) if re.fullmatch(r"\s*-?(\d+\.?\d*|\.\d+)\s*", text) else math.nan
    except ValueError:
        return math.nan


def _xpath1_compare(self: Any, context: Any = None) -> bool:
    """XPath 1.0 comparisons (section 3.4), which elementpath's XPath 1 parser gets wrong
    for a node-set compared with a number (``@n = 2``)."""
    op = _OPERATORS[self.symbol]
    left = self[0].evaluate(copy.copy(context) if context is not None else None)
    right = self[1].evaluate(copy.copy(context) if context is not None else None)
    equality = self.symbol in ("=", "!=")

    def nodes(value: Any) -> list[XPathNode] | None:
        if isinstance(value, list) and all(isinstance(v, XPathNode) for v in value):
            return value
        if isinstance(value, XPathNode):
            return [value]
        return None

    left_nodes, right_nodes = nodes(left), nodes(right)
    if left_nodes is not None and right_nodes is not None:
        if equality:
            rights = [n.string_value for n in right_nodes]
            return any(op(a.string_value, b) for a in left_nodes for b in rights)
        rights_n = [_xpath1_number(n) for n in right_nodes]
        return any(op(_xpath1_number(a), b) for a in left_nodes for b in rights_n)
    if left_nodes is not None or right_nodes is not None:
        node_list = left_nodes if left_nodes is not None else right_nodes
        other = right if left_nodes is not None else left
        if isinstance(other, list):
            other = other[0] if other else ""
        assert node_list is not None
        if isinstance(other, bool):
            pair = (bool(node_list), other) if left_nodes is not None else (other, bool(node_list))
            return bool(op(*pair))
        for node in node_list:
            if isinstance(other, int | float | Decimal) or not equality:
                a, b = _xpath1_number(node), _xpath1_number(other)
            else:
                a, b = node.string_value, str(other)
            if op(a, b) if left_nodes is not None else op(b, a):
                return True
        return False
    left = left[0] if isinstance(left, list) and left else ("" if isinstance(left, list) else left)
    right = (
        right[0]
        if isinstance(right, list) and right
        else ("" if isinstance(right, list) else right)
    )
    if equality and (isinstance(left, bool) or isinstance(right, bool)):
        return bool(op(bool(left), bool(right)))
    if (
        not equality
        or isinstance(left, int | float | Decimal)
        or isinstance(right, int | float | Decimal)
    ):
        return bool(op(_xpath1_number(left), _xpath1_number(right)))
    return bool(op(str(left), str(right)))


def _exact_xpath1_comparisons(parser_cls: type[XPath1Parser]) -> None:
    # New token classes derived from elementpath's, so its own parsers stay as they are.
    for symbol in _OPERATORS:
        old = parser_cls.symbol_table[symbol]
        parser_cls.unregister(symbol)
        new = parser_cls.register(
            symbol,
            bases=(old,),
            label=old.label,
            lbp=old.lbp,
            rbp=old.rbp,
            class_name=f"_Sch{old.__name__}",
        )
        new.evaluate = _xpath1_compare


def mentions_position(token: Any) -> bool:
    """True when the expression uses position() or last() anywhere."""
    if token.symbol in ("position", "last") and token.label == "function":
        return True
    return any(mentions_position(child) for child in token)


_COMPARISONS = {"=", "!=", "<", ">", "<=", ">=", "eq", "ne", "lt", "gt", "le", "ge"}


def required_attr(token: Any, namespaces: dict[str, str]) -> str | None:
    """The expanded name of an attribute without which the predicate cannot be true."""
    symbol = token.symbol
    if symbol == "@" and len(token) == 1:
        name = token[0]
        if name.symbol == "(name)":
            return str(name.value)
        if name.symbol == ":" and name[0].symbol == "(name)" and name[1].symbol == "(name)":
            prefix = name[0].value
            uri = namespaces.get(prefix) or (
                "http://www.w3.org/XML/1998/namespace" if prefix == "xml" else None
            )
            return f"{{{uri}}}{name[1].value}" if uri else None
        return None
    if symbol == "and":
        return required_attr(token[0], namespaces) or required_attr(token[1], namespaces)
    if symbol == "or":
        left = required_attr(token[0], namespaces)
        return left if left is not None and left == required_attr(token[1], namespaces) else None
    if symbol == "(" and len(token) == 1:
        return required_attr(token[0], namespaces)
    if symbol in _COMPARISONS and len(token) == 2:
        for side in token:
            if side.symbol == "@":
                return required_attr(side, namespaces)
        return None
    if (
        symbol in ("starts-with", "contains", "ends-with")
        and token.label == "function"
        and len(token) == 2
        and token[1].symbol == "(string)"
        and token[1].value
    ):
        return required_attr(token[0], namespaces) if token[0].symbol == "@" else None
    return None


def _static_name(token: Any, namespaces: dict[str, str]) -> str | None:
    """The Clark name of a plain element name test (``tei:p``, ``p``), else None."""
    if token.symbol == "(name)":
        return str(token.value)
    if token.symbol == ":" and token[0].symbol == "(name)" and token[1].symbol == "(name)":
        uri = namespaces.get(token[0].value)
        return f"{{{uri}}}{token[1].value}" if uri else None
    return None


def _indexed(state: DocumentState, token: Any, namespaces: dict[str, str], context: Any) -> Any:
    """The nodes ``//token`` selects from the document, found through its index; None when
    the step is not a plain element or attribute name, optionally with predicates that do not
    depend on position."""
    index = state.index
    if index is None:
        return None
    if token.symbol == "[":
        predicates = []
        base = token
        while base.symbol == "[":
            predicates.append(base[1])
            base = base[0]
        predicates.reverse()
        if any(mentions_position(p) for p in predicates):
            return None
        if base.symbol == "*":
            attr = next(
                (a for a in map(lambda p: required_attr(p, namespaces), predicates) if a), None
            )
            candidates = index.attr_owners.get(attr, ()) if attr else index.elements
        else:
            candidates = _indexed(state, base, namespaces, context)
            if candidates is None:
                return None
        return _filtered(candidates, predicates, context)
    name = _static_name(token, namespaces)
    if name is not None:
        return index.by_name.get(name, ())
    if token.symbol == "@" and len(token) == 1:
        name = _static_name(token[0], namespaces)
        if name is not None:
            return index.attributes_named(name)
    return None


class _Positional(Exception):
    """A predicate turned out numeric: the plain evaluation must answer."""


def _filtered(candidates: Any, predicates: list[Any], context: Any) -> list[Any]:
    found = []
    for node in candidates:
        for predicate in predicates:
            ctx = copy.copy(context)
            ctx.item = node
            ctx.position = 1
            ctx.size = 1
            value = list(predicate.select(ctx))
            if (
                len(value) == 1
                and isinstance(value[0], int | float | Decimal)
                and not isinstance(value[0], bool)
            ):
                raise _Positional
            if not predicate.boolean_value(value):
                break
        else:
            found.append(node)
    return found


def _top(item: Any) -> Any:
    if not isinstance(item, XPathNode):
        return None
    while item.parent is not None:
        item = item.parent
    return item


def _indexed_descendants(parser_cls: type[XPath1Parser]) -> None:
    """``//tei:name``, ``//@name`` and ``root()//…`` of those from the document's name index
    instead of a walk over every node."""
    old = parser_cls.symbol_table["//"]
    parser_cls.unregister("//")
    new = parser_cls.register(
        "//",
        bases=(old,),
        label=old.label,
        lbp=old.lbp,
        rbp=old.rbp,
        class_name=f"_Sch{old.__name__}",
    )
    plain_select = old.select

    def select(self: Any, context: Any = None) -> Iterator[Any]:
        state: DocumentState | None = getattr(context, STATE_ATTR, None)
        if state is not None and context.document is state.document:
            step = None
            if len(self) == 1:
                step = self[0]
            elif (
                self[0].symbol == "root"
                and len(self[0]) == 0
                and _top(context.item) is state.document
            ):
                step = self[1]
            if step is not None:
                try:
                    found = _indexed(state, step, self.parser.namespaces, context)
                except _Positional:
                    found = None
                if found is not None:
                    yield from found
                    return
        yield from plain_select(self, context)

    new.select = select


def _subclass(name: str, base: type[XPath1Parser], *, has_generate_id: bool) -> type[XPath1Parser]:
    # elementpath allows one parser class per module (it checks the module's globals), so the
    # subclasses live in a dict rather than as module-level names.
    cls = type(base)(name, (base,), {"__module__": __name__, "__doc__": base.__doc__})
    if base is XPath1Parser:
        _exact_xpath1_comparisons(cls)
    _indexed_descendants(cls)
    _install(cls, has_generate_id=has_generate_id)
    return cls


_PARSERS: dict[str, type[XPath1Parser]] = {}


def parser_class(version: str) -> type[XPath1Parser]:
    """The Schematron parser class for XPath ``version`` ("1.0", "2.0", "3.0", "3.1"), made
    on first use (elementpath's XPath 3 modules take a while to import and build)."""
    cls = _PARSERS.get(version)
    if cls is None:
        if version == "1.0":
            cls = _subclass("SchXPath1Parser", XPath1Parser, has_generate_id=False)
        elif version == "2.0":
            cls = _subclass("SchXPath2Parser", XPath2Parser, has_generate_id=False)
        elif version == "3.0":
            from elementpath.xpath30 import XPath30Parser

            cls = _subclass("SchXPath30Parser", XPath30Parser, has_generate_id=True)
        else:
            from elementpath.xpath31 import XPath31Parser

            cls = _subclass("SchXPath31Parser", XPath31Parser, has_generate_id=True)
        _PARSERS[version] = cls
    return cls


def make_parser(query_binding: str, namespaces: dict[str, str]) -> XPath1Parser:
    """A parser for ``query_binding`` with the schema's ``sch:ns`` prefixes in scope.

    The default element namespace stays empty, as in XSLT: an unprefixed name in a rule means
    an element in no namespace.
    """
    cls = parser_class(QUERY_BINDINGS[query_binding])
    if QUERY_BINDINGS[query_binding] == "1.0":
        return cls(namespaces=dict(namespaces))
    return cls(namespaces=dict(namespaces), default_namespace="")


def new_context(document: XPathNode, state: DocumentState) -> XPathContext:
    """The template context for one document; copied for each evaluation."""
    ctx = XPathContext(root=document)
    setattr(ctx, STATE_ATTR, state)
    return ctx
