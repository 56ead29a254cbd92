"""Which nodes a Schematron rule context (an XSLT pattern) matches, found without scanning.

Evaluating ``//(pattern)`` with elementpath visits every node of the document for every rule,
which costs 30–150 ms per rule on a 6,000-element TEI file. Nearly all real rule contexts
are short location paths (``tei:p``, ``tei:*[@when]``, ``tei:l//tei:p``, ``tei:rt/@target``,
``(tei:a | tei:b)/tei:c``), so the pattern is analysed once, at schema compile time, into
union branches of steps, and each document gets one index of its nodes by name. The
candidates of a branch are the indexed nodes that pass its last step's name test (narrowed
further to the elements carrying an attribute that a predicate requires, as in
``tei:*[@when]``); the remaining steps are checked by walking up the candidate's ancestors,
evaluating predicates with the candidate as the context item. Predicates that depend on
position (``[1]``, ``[last()]``, ``[position() > 1]``, or any that turns out numeric at run
time) are evaluated from the parent, as the pattern semantics require. Anything else (a
pattern starting with ``id()`` or ``key()``, a variable, an axis other than child and
attribute) falls back to evaluating ``//pattern`` with elementpath.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from elementpath.xpath_nodes import (
    AttributeNode,
    CommentNode,
    DocumentNode,
    ElementNode,
    ProcessingInstructionNode,
    TextNode,
    XPathNode,
)
from lxml import etree

from .xpath import CURRENT_ATTR, mentions_position, required_attr

XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
ANY = object()  # a wildcard in a name test

EvalContext = Callable[[XPathNode], Any]  # makes an evaluation context for an item


class Unsupported(Exception):
    """The pattern shape is not analysed; the rule falls back to full evaluation."""


class NodeIndex:
    """Every node of one document, by kind and expanded name, in document order.

    Elements are listed from lxml's own (C) iteration mapped to elementpath's nodes; text,
    comment and processing-instruction nodes, and attribute nodes, are listed only when a
    rule asks for them (elementpath builds attribute nodes lazily, and most documents have
    far more of them than any rule looks at).
    """

    def __init__(self, document: XPathNode) -> None:
        self.document = document
        self.by_name: dict[str, list[ElementNode]] = {}
        self.by_ns: dict[str, list[ElementNode]] = {}
        self.attr_owners: dict[str, list[ElementNode]] = {}
        self.ids: dict[str, ElementNode] = {}
        self._attrs: dict[str, list[AttributeNode]] = {}
        self._all_attrs: list[AttributeNode] | None = None
        self._others: dict[type, list[XPathNode]] | None = None
        elements: list[ElementNode] = []
        mapping = getattr(document, "elements", None)
        root = getattr(document, "value", None)
        lxml_root = root.getroot() if isinstance(root, etree._ElementTree) else None
        if mapping and lxml_root is not None:
            get = mapping.get
            for elem in lxml_root.iter(etree.Element):
                node = get(elem)
                if node is not None:
                    elements.append(node)
        else:
            elements = [n for n in document.iter_descendants() if isinstance(n, ElementNode)]
        self.elements = elements
        by_name, by_ns, owners = self.by_name, self.by_ns, self.attr_owners
        ns_groups: dict[str, list[ElementNode]] = {}
        for node in elements:
            name = node.name or ""
            group = by_name.get(name)
            if group is None:
                by_name[name] = group = []
                ns = name[1 : name.index("}")] if name.startswith("{") else ""
                ns_groups[name] = by_ns.setdefault(ns, [])
            group.append(node)
            ns_groups[name].append(node)
            attrib = node.value.attrib
            if attrib:
                for key in attrib:
                    owners.setdefault(key, []).append(node)
                xml_id = attrib.get(XML_ID)
                if xml_id is not None:
                    self.ids.setdefault(xml_id.strip(), node)

    def _other(self, kind: type) -> list[XPathNode]:
        if self._others is None:
            others: dict[type, list[XPathNode]] = {
                TextNode: [],
                CommentNode: [],
                ProcessingInstructionNode: [],
            }
            for node in self.document.iter_descendants():
                for cls, found in others.items():
                    if isinstance(node, cls):
                        found.append(node)
            self._others = others
        return self._others[kind]

    @property
    def texts(self) -> list[XPathNode]:
        return self._other(TextNode)

    @property
    def comments(self) -> list[XPathNode]:
        return self._other(CommentNode)

    @property
    def pis(self) -> list[XPathNode]:
        return self._other(ProcessingInstructionNode)

    def attributes_named(self, name: str) -> list[AttributeNode]:
        """The attribute nodes called ``name`` (Clark notation), in document order."""
        found = self._attrs.get(name)
        if found is None:
            found = [
                a
                for owner in self.attr_owners.get(name, ())
                for a in owner.attributes
                if a.name == name
            ]
            self._attrs[name] = found
        return found

    @property
    def attributes(self) -> list[AttributeNode]:
        """Every attribute node, in document order."""
        if self._all_attrs is None:
            self._all_attrs = [a for e in self.elements for a in e.attributes]
        return self._all_attrs


@dataclass
class Step:
    """One step of a pattern: a node test and its predicates (tokens)."""

    kind: str  # element, attribute, text, comment, pi, node, document
    ns: Any = ANY  # namespace URI ('' for none) or ANY
    local: Any = ANY  # local name or ANY
    predicates: list[Any] = field(default_factory=list)
    token: Any = None  # the whole step, evaluated from the parent when position matters
    positional: bool = False
    alternatives: list[Step] | None = None  # a parenthesised union of steps
    required_attr: str | None = None  # an attribute the predicates need to be true

    def name_ok(self, node: XPathNode) -> bool:
        if self.alternatives is not None:
            return any(alt.name_ok(node) for alt in self.alternatives)
        kind = self.kind
        if kind == "element":
            if not isinstance(node, ElementNode):
                return False
        elif kind == "attribute":
            if not isinstance(node, AttributeNode):
                return False
        elif kind == "text":
            return isinstance(node, TextNode)
        elif kind == "comment":
            return isinstance(node, CommentNode)
        elif kind == "pi":
            return isinstance(node, ProcessingInstructionNode) and (
                self.local is ANY or node.name == self.local
            )
        elif kind == "node":
            return isinstance(
                node, ElementNode | TextNode | CommentNode | ProcessingInstructionNode
            )
        elif kind == "document":
            return isinstance(node, DocumentNode)
        if self.ns is ANY and self.local is ANY:
            return True
        name = node.name or ""
        if name.startswith("{"):
            ns, _, local = name[1:].partition("}")
        else:
            ns, local = "", name
        return (self.ns is ANY or self.ns == ns) and (self.local is ANY or self.local == local)


@dataclass
class Branch:
    """One alternative of a pattern: steps joined by ``/`` or ``//``."""

    steps: list[Step]
    separators: list[str]  # between steps: '/' or '//'
    anchored: bool  # starts with '/': the first step's parent is the document node


def _name_test(token: Any, namespaces: dict[str, str], kind: str) -> Step:
    symbol = token.symbol
    if symbol == "(name)":
        return Step(kind, "", token.value)  # unprefixed: no namespace, as in XSLT
    if symbol == "*":
        return Step(kind)
    if symbol == ":":
        prefix_tok, local_tok = token[0], token[1]
        if prefix_tok.symbol == "*":
            return Step(kind, ANY, local_tok.value)
        prefix = prefix_tok.value
        if prefix == "xml":
            return Step(
                kind,
                "http://www.w3.org/XML/1998/namespace",
                ANY if local_tok.symbol == "*" else local_tok.value,
            )
        if prefix not in namespaces:
            raise Unsupported(f"unknown prefix {prefix!r}")
        local = ANY if local_tok.symbol == "*" else local_tok.value
        return Step(kind, namespaces[prefix], local)
    raise Unsupported(symbol)


def _step(token: Any, namespaces: dict[str, str]) -> Step:
    symbol = token.symbol
    if symbol == "[":
        base = _step(token[0], namespaces)
        if base.alternatives is not None:
            raise Unsupported("predicate on a parenthesised step")
        base.predicates.append(token[1])
        base.token = token
        if mentions_position(token[1]):
            base.positional = True
        if base.required_attr is None:
            base.required_attr = required_attr(token[1], namespaces)
        return base
    if symbol in ("(name)", "*", ":"):
        step = _name_test(token, namespaces, "element")
    elif symbol == "@" or (symbol == "attribute" and token.label == "axis"):
        step = _name_test(token[0], namespaces, "attribute")
    elif symbol == "child" and token.label == "axis":
        step = _step(token[0], namespaces)
        if step.kind == "attribute":
            raise Unsupported("child::attribute()")
    elif symbol == "element" and token.label == "kind test":
        step = _name_test(token[0], namespaces, "element") if len(token) else Step("element")
        if len(token) > 1:
            raise Unsupported("typed element() test")
    elif symbol == "attribute" and token.label == "kind test":
        step = _name_test(token[0], namespaces, "attribute") if len(token) else Step("attribute")
        if len(token) > 1:
            raise Unsupported("typed attribute() test")
    elif symbol == "text" and token.label == "kind test":
        step = Step("text")
    elif symbol == "comment" and token.label == "kind test":
        step = Step("comment")
    elif symbol == "node" and token.label == "kind test":
        step = Step("node")
    elif symbol == "processing-instruction" and token.label == "kind test":
        step = Step("pi", ANY, token[0].value if len(token) else ANY)
    elif symbol == "(":
        inner = token[0]
        alternatives = [_step(t, namespaces) for t in union_members(inner)]
        step = Step("union", alternatives=alternatives)
    else:
        raise Unsupported(f"{symbol} {token.label}")
    step.token = token
    return step


def union_members(token: Any) -> list[Any]:
    if token.symbol in ("|", "union"):
        return union_members(token[0]) + union_members(token[1])
    return [token]


def analyse_branch(token: Any, namespaces: dict[str, str]) -> Branch:
    symbol = token.symbol
    if symbol in ("/", "//") and len(token) == 2:
        left = analyse_branch(token[0], namespaces)
        right = analyse_branch(token[1], namespaces)
        if right.anchored:
            raise Unsupported("absolute path inside a path")
        return Branch(
            left.steps + right.steps, [*left.separators, symbol, *right.separators], left.anchored
        )
    if symbol == "/" and len(token) == 1:
        inner = analyse_branch(token[0], namespaces)
        return Branch(inner.steps, inner.separators, True)
    if symbol == "//" and len(token) == 1:
        return analyse_branch(token[0], namespaces)
    if symbol == "/" and len(token) == 0:
        return Branch([Step("document")], [], False)
    return Branch([_step(token, namespaces)], [], False)


class ContextMatcher:
    """Finds the nodes a rule context matches in a document, in document order."""

    def __init__(
        self, source: str, token: Any, parse: Callable[[str], Any], namespaces: dict[str, str]
    ) -> None:
        self.source = source
        self.branches: list[Branch] | None
        self.fallback: Any = None
        try:
            self.branches = [analyse_branch(t, namespaces) for t in union_members(token)]
        except Unsupported:
            self.branches = None
            self.fallback = _fallback_token(source, token, parse)

    @property
    def indexed(self) -> bool:
        """True when candidates come from the name index (no full-document evaluation)."""
        return self.branches is not None

    def select(self, index: NodeIndex, make_context: EvalContext) -> list[XPathNode]:
        if self.branches is None:
            ctx = make_context(index.document)
            found = [n for n in self.fallback.select(ctx) if isinstance(n, XPathNode)]
            return _in_document_order(found)
        seen: dict[int, XPathNode] = {}
        for branch in self.branches:
            for node in _candidates(branch.steps[-1], index):
                if id(node) not in seen and _match(
                    branch, len(branch.steps) - 1, node, make_context
                ):
                    seen[id(node)] = node
        result = list(seen.values())
        return result if len(self.branches) == 1 else _in_document_order(result)


def _in_document_order(nodes: list[XPathNode]) -> list[XPathNode]:
    unique = {id(n): n for n in nodes}
    return sorted(unique.values(), key=_order_key)


def _order_key(node: XPathNode) -> tuple[int, int]:
    # Attributes share their element's position in elementpath; put them after it.
    if isinstance(node, AttributeNode) and node.parent is not None:
        return (node.parent.position, 1)
    return (node.position, 0)


def _fallback_token(source: str, token: Any, parse: Callable[[str], Any]) -> Any:
    members = union_members(token)
    texts = []
    for member in members:
        text = member.source
        texts.append(text if text.startswith("/") else "//" + text)
    try:
        return parse(" | ".join(texts))
    except Exception:  # the regenerated source is not always re-parseable
        return parse(f"//({source})")


def _candidates(step: Step, index: NodeIndex) -> Iterable[XPathNode]:
    if step.alternatives is not None:
        found: list[XPathNode] = []
        for alt in step.alternatives:
            found.extend(_candidates(alt, index))
        return _in_document_order(found)
    kind = step.kind
    if kind == "element":
        if step.required_attr is not None:
            return index.attr_owners.get(step.required_attr, ())
        if step.local is not ANY and step.ns is not ANY:
            key = f"{{{step.ns}}}{step.local}" if step.ns else step.local
            return index.by_name.get(key, ())
        if step.ns is not ANY:
            return index.by_ns.get(step.ns, ())
        return index.elements
    if kind == "attribute":
        if step.local is not ANY and step.ns is not ANY:
            key = f"{{{step.ns}}}{step.local}" if step.ns else step.local
            return index.attributes_named(key)
        return index.attributes
    if kind == "text":
        return index.texts
    if kind == "comment":
        return index.comments
    if kind == "pi":
        return index.pis
    if kind == "document":
        return [index.document]
    return _in_document_order([*index.elements, *index.texts, *index.comments, *index.pis])


def _parent(node: XPathNode) -> XPathNode | None:
    return node.parent


def _ancestors(node: XPathNode) -> Iterator[XPathNode]:
    parent = node.parent
    while parent is not None:
        yield parent
        parent = parent.parent


def _match(branch: Branch, i: int, node: XPathNode, make_context: EvalContext) -> bool:
    if i == 0 and branch.anchored and not isinstance(node.parent, DocumentNode):
        return False
    if not _step_ok(branch.steps[i], node, make_context):
        return False
    if i == 0:
        return True
    if branch.separators[i - 1] == "/":
        parent = node.parent
        return parent is not None and _match(branch, i - 1, parent, make_context)
    return any(_match(branch, i - 1, anc, make_context) for anc in _ancestors(node))


def _step_ok(step: Step, node: XPathNode, make_context: EvalContext) -> bool:
    if not step.name_ok(node):
        return False
    if not step.predicates:
        return True
    if step.positional:
        return _step_from_parent(step, node, make_context)
    for predicate in step.predicates:
        ctx = make_context(node)
        value = list(predicate.select(ctx))
        if (
            len(value) == 1
            and isinstance(value[0], int | float | Decimal)
            and not isinstance(value[0], bool)
        ):
            return _step_from_parent(step, node, make_context)
        if not predicate.boolean_value(value):
            return False
    return True


def _step_from_parent(step: Step, node: XPathNode, make_context: EvalContext) -> bool:
    parent = node.parent
    if parent is None:
        return False
    ctx = make_context(parent)
    return any(found is node for found in step.token.select(ctx))


def evaluation_context_factory(template: Any) -> EvalContext:
    """``make_context(item)``: a copy of ``template`` focused on ``item`` (also current())."""

    def make_context(item: XPathNode) -> Any:
        ctx = copy.copy(template)
        ctx.item = item
        ctx.position = 1
        ctx.size = 1
        ctx.variables = dict(template.variables)
        setattr(ctx, CURRENT_ATTR, item)
        return ctx

    return make_context
