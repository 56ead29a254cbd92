"""ISO Schematron on lxml trees, with XPath 2.0–3.1, rule ids and source lines.

Engine choice. lxml's ``isoschematron`` runs XPath 1.0 only, refuses ``xslt2`` schemas (the
TEI's and CMIF's) and reports no lines; PyPI's ``pyschematron`` needs Python 3.12, has no
``current()`` (so it cannot compile the TEI's rules) and is slow; ``saxonche`` (XSLT 3) is a
39 MB binary wheel, needs a Schematron-to-XSLT compiler on top, and returns nodes that are not
lxml's, so lines need extra round trips. This engine compiles the schema itself and evaluates
the queries with ``elementpath`` (already a dependency through xmlschema), which implements
XPath 1.0, 2.0, 3.0 and 3.1 on lxml trees. elementpath is pure Python, so the engine avoids
work rather than racing: every query is parsed once per schema; rule contexts take their
candidate nodes from a per-document name index (:mod:`.schematron_match`) instead of being
evaluated against every node; ``//name`` and ``id()`` in tests use the same index.
Measured on this machine (2 shared cores, ``bench/schematron_engine.py``): the TEI's 96
rules over the 547 parseable corpus files (34 MB) take 14.7 ms per file on average (median
2.7 ms, largest 0.21 s), about 40% of it building elementpath's node tree and the index;
compiling them takes 34 ms (CMIF's: 1.7 ms). Evaluating each context as ``//(pattern)``
instead: 120 ms against 2.1 ms per small file. lxml's isoschematron, on the 53 patterns that
are XPath 1.0: 61 ms per file against our 11.9 ms on the same patterns. pyschematron: 56 ms per
CMIF example (ours 1.6 ms), 9.8 s per TEI file under 100 kB (ours 3.0 ms).

Semantics follow ISO/IEC 19757-3 with the XSLT query bindings: patterns (optionally of one
phase), abstract patterns and rules, ``sch:let`` at schema, phase, pattern and rule scope
(evaluated in order, later ones may use earlier ones), ``sch:ns``, ``sch:value-of`` and
``sch:name`` in messages, diagnostics, ``@subject``, ``@role`` as severity and ``@flag``.
In a pattern a node is handled by the first rule whose context matches it. ``document()``,
``doc()`` and ``unparsed-text()`` read nothing.

Patterns run in libxml2 where every part of them translates to XPath 1.0 (:mod:`.xpath1`),
with the same findings; what compiling for libxml2 gives is kept (the compiled form: beside
the schema as ``NAME.sch.json``, else in the user cache, keyed by the schema's content and
this package's code), so that a fresh process parses no XPath 2.0. elementpath is imported
only for a pattern left to it, a failure's message, or a schema compiled afresh.

Each failure becomes an :class:`~tei_cable.findings.Issue` (engine ``sch``) at the
line and column of the failing node (its ``@subject`` if given) in the validated file: the
element's start tag, or the attribute itself for attribute contexts. Columns need the source
bytes (``source=``); without them the column is 1. ``rule`` is the id of the assert or
report, else of its rule, else of its pattern.
"""

from __future__ import annotations

import copy
import datetime
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from itertools import chain
from typing import TYPE_CHECKING, Any

from lxml import etree

from ..findings import Issue
from .bindings import CURRENT_ATTR, QUERY_BINDINGS, XSLT_NS
from .schema import SCH, SchematronSchemaError, load_schema
from .xpath1 import (
    CURRENT_VARIABLE,
    EXTENSIONS_NS,
    EXTENSIONS_PREFIX,
    KNOWN_REGEXES,
    Untranslatable,
    casts,
    check_inlinable,
    context_gate,
    document_nodes,
    evaluation,
    extensions,
    failing_condition,
    focus_free,
    forget_memos,
    may_fail,
    regex_source,
    regexes_of,
    selects_attributes,
    set_now,
    translate,
    translate_context,
)

if TYPE_CHECKING:
    from elementpath.xpath_nodes import XPathNode

    from ..locate import Locator
    from .match import ContextMatcher

__all__ = ["SchematronOutcome", "SchematronSchemaError", "SchematronValidator", "severity_of"]

ENGINE = "sch"
#: the variable holding a rule's context nodes, for its checks to be run among them
NODES_VARIABLE = "tcx2nodes"

_ROLES = {
    "fatal": "fatal",
    "error": "error",
    "warning": "warning",
    "warn": "warning",
    "nonfatal": "warning",
    "info": "info",
    "information": "info",
    "informational": "info",
}

#: what evaluating a query on elementpath may raise (ElementPathError added when it loads)
_EVAL_ERRORS: tuple[type[BaseException], ...] = (
    TypeError,
    ValueError,
    ArithmeticError,
    LookupError,
    AttributeError,
    RecursionError,
)


def _load_xpath2() -> None:
    """Import elementpath and what runs on it: only for a pattern left to it, a message of a
    failure, or a schema compiled afresh (a fresh process that needs none imports none)."""
    global _EVAL_ERRORS, ElementPathError, get_node_tree
    global AttributeNode, DocumentNode, ElementNode, TextNode
    global NodeIndex, evaluation_context_factory, DocumentState, make_parser, new_context
    if "get_node_tree" in globals():
        return
    from elementpath import ElementPathError, get_node_tree
    from elementpath.xpath_nodes import AttributeNode, DocumentNode, ElementNode, TextNode

    from .match import NodeIndex, evaluation_context_factory
    from .xpath import DocumentState, make_parser, new_context

    _EVAL_ERRORS = (ElementPathError, *_EVAL_ERRORS)


def _is_node(value: Any) -> bool:
    from elementpath.xpath_nodes import XPathNode

    return isinstance(value, XPathNode)


def severity_of(role: str | None, flag: str | None = None) -> str:
    """The Issue severity for a Schematron ``@role`` (or, lacking one, ``@flag``)."""
    for value in (role, flag):
        if value:
            found = _ROLES.get(value.strip().lower())
            if found:
                return found
    return "error"


# ----------------------------------------------------------------------------- compiled model


class _Query:
    """A query of the schema: its text, and its elementpath token (parsed when first used,
    where the schema's compiled form came from the cache)."""

    __slots__ = ("_parse", "_token", "line", "source")

    def __init__(self, source: str, token: Any, line: int | None, parse: Any | None = None) -> None:
        self.source = source
        self._token = token
        self.line = line
        self._parse = parse

    @property
    def token(self) -> Any:
        if self._token is None:
            assert self._parse is not None
            self._token = self._parse(self.source)
        return self._token

    def __repr__(self) -> str:
        return f"_Query({self.source!r}, line={self.line})"


@dataclass
class _Check:
    kind: str  # "assert" or "report"
    test: _Query
    message: list[Any]  # str | ("value-of", _Query) | ("name", _Query | None)
    diagnostics: list[list[Any]]
    severity: str
    rule_id: str
    flag: str | None
    subject: _Query | None
    #: for the SVRL report: the element's own attributes, its diagnostics and properties
    own: dict[str, str] = field(default_factory=dict)
    diagnostic_refs: list[tuple[str, dict[str, str], list[Any]]] = field(default_factory=list)
    properties: list[tuple[dict[str, str], list[Any]]] = field(default_factory=list)


@dataclass
class _Rule:
    context: _Query
    make_matcher: Any  # () -> ContextMatcher, built when first needed
    body: list[Any]  # ("let", name, _Query) | _Check
    subject: _Query | None
    rule_id: str
    own: dict[str, str] = field(default_factory=dict)  # the rule's attributes, for SVRL

    @cached_property
    def matcher(self) -> ContextMatcher:
        return self.make_matcher()


@dataclass
class _Pattern:
    pattern_id: str
    lets: list[tuple[str, _Query]]
    rules: list[_Rule]
    #: the rules compiled for libxml2, when every part of the pattern translates
    compiled: list[_CompiledRule] | None = None
    #: element names (Clark) one of which a document must have for any rule to fire
    gate: frozenset[str] | None = None
    #: a pattern left to elementpath: its rules' contexts for libxml2 (where they translate),
    #: to skip a document none of them matches and to take the nodes that do from libxml2
    contexts: list[etree.XPath] | None = None
    own: dict[str, str] = field(default_factory=dict)  # the pattern's attributes, for SVRL


@dataclass
class _CompiledRule:
    """A rule run by libxml2: its context and, per check, the context nodes that fail it.

    Set at a time where the rule has no variables: ``failing`` holds, per check,
    ``(context)[not(test)]`` (an assert) or ``(context)[test]`` (a report). A rule with
    ``sch:let`` or ``current()`` is run node by node: ``steps`` holds its lets and checks
    in order, each query taking the rule's lets so far and the context node as variables.
    """

    context: etree.XPath
    gate: frozenset[str] | None  # names one of which must occur (None: always run)
    failing: list[etree.XPath] | None = None
    #: the same as ``failing``, among the context nodes given as :data:`NODES_VARIABLE`
    among: list[etree.XPath] | None = None
    steps: list[tuple[str, etree.XPath] | tuple[_Check, etree.XPath]] | None = None
    #: for a rule run node by node: the context nodes on which a check may fail (given as
    #: :data:`NODES_VARIABLE`; see :func:`.xpath1.failing_condition`), the others need no run
    prefilter: etree.XPath | None = None
    #: absolute paths of elements the queries take as variables, by name: each evaluated
    #: once per document (see ``hoisted`` of :func:`.xpath1.translate`)
    documents: dict[str, etree.XPath] = field(default_factory=dict)


@dataclass
class _KeyDef:
    name: str
    make_matcher: Any  # () -> ContextMatcher, built when first needed
    use: Any  # a query token, a _Constant, or () -> token

    @cached_property
    def matcher(self) -> ContextMatcher:  # (built once, not for every document)
        return self.make_matcher()


@dataclass
class SchematronOutcome:
    """Everything one run found: the issues, the flags raised, and how much work it did."""

    issues: list[Issue]
    flags: frozenset[str] = frozenset()
    fired: int = 0  # (rule, node) pairs evaluated
    failed: int = 0  # asserts that failed plus reports that fired
    errors: list[str] = field(default_factory=list)  # dynamic errors, already in issues
    svrl: etree._ElementTree | None = None  # the SVRL report, when asked for


class SchematronValidator:
    """An ISO Schematron schema compiled once, to validate many documents.

    ``schema``: a path, bytes, or an lxml tree/element of a ``sch:schema`` (or of a RELAX NG
    or XSD document with embedded ``sch:pattern`` elements). ``phase``: a phase id,
    ``#ALL`` or ``#DEFAULT`` (the schema's ``@defaultPhase``, else all patterns).
    ``query_binding`` overrides the schema's ``@queryBinding``. ``now`` fixes
    ``current-date()``/``current-dateTime()`` (for reproducible runs); default: the clock.
    ``compiled``: run the patterns that translate to XPath 1.0 in libxml2 (the default; the
    findings are the same, see :mod:`.xpath1`); ``False`` runs every pattern on elementpath.
    Raises :class:`SchematronSchemaError` for a schema that cannot be compiled.
    """

    def __init__(
        self,
        schema: str | os.PathLike[str] | bytes | etree._ElementTree | etree._Element,
        phase: str | None = None,
        *,
        query_binding: str | None = None,
        now: datetime.datetime | None = None,
        compiled: bool = True,
        _fresh: bool = False,
    ) -> None:
        loaded = load_schema(schema, phase=phase)
        self.path = loaded.path
        self.phase = loaded.phase
        root = loaded.root
        binding = (query_binding or root.get("queryBinding") or "xslt").strip().lower()
        if binding not in QUERY_BINDINGS:
            raise SchematronSchemaError(
                f"unsupported queryBinding {binding!r} (supported: "
                f"{', '.join(sorted(QUERY_BINDINGS))})",
                path=self.path,
                line=root.sourceline,
            )
        self.query_binding = binding
        self.xpath_version = QUERY_BINDINGS[binding]
        self.title = " ".join("".join(root.findtext(f"{SCH}title") or "").split())
        self.namespaces = self._namespaces(root)
        self._xpath2_parser: Any = None
        #: the compiled form from the cache: the queries are parsed only when first used
        form_key = _form_key(root, binding, loaded.phase) if compiled else None
        form = None
        if form_key is not None and not _fresh:
            form = _read_form(self.path, form_key)
        self._lazy = form is not None
        self._now = now
        self._diagnostics = {d.get("id"): d for d in root.iter(f"{SCH}diagnostic")}
        self._properties = {d.get("id"): d for d in root.iter(f"{SCH}property")}
        self.schema_root = root
        self._lets = [self._let(let) for let in root.findall(f"{SCH}let")]
        self._unique(root.findall(f"{SCH}let"), "the schema")
        self._keys = [self._key(key) for key in root.iter(f"{{{XSLT_NS}}}key")]
        self.patterns: list[_Pattern] = []
        for index, pattern in enumerate(root.iter(f"{SCH}pattern"), start=1):
            self.patterns.append(self._pattern(pattern, index))
        self.compiled = compiled
        if form is None:  # a schema with a compiled form passed this check before
            self._check_variables(root)
        #: pattern variables that later patterns use (ISO: a pattern's lets are global)
        self._global_lets = self._shared_pattern_lets()
        if form is not None and self._apply_form(form):
            return
        for pattern in self.patterns:
            pattern.gate = self._gate(pattern)
            if compiled:
                pattern.compiled = self._compile_for_libxml2(pattern)
                if pattern.compiled is None:
                    pattern.contexts = self._contexts_for_libxml2(pattern)
        if form_key is not None and not _fresh:
            _write_form(form_key, self._form(form_key))

    @property
    def _parser(self) -> Any:
        """The schema's elementpath parser (imported and made when first needed)."""
        if self._xpath2_parser is None:
            _load_xpath2()
            self._xpath2_parser = make_parser(self.query_binding, self.namespaces)
        return self._xpath2_parser

    # ------------------------------------------------------------------ compiled form

    def _form(self, key: str) -> dict[str, Any]:
        """What compiling for libxml2 found, as JSON: per pattern its gate, its rules'
        XPath 1.0 queries (or its contexts' where it stays with elementpath)."""

        def text(query: etree.XPath | None) -> str | None:
            return None if query is None else query.path

        patterns = []
        for pattern in self.patterns:
            rules = None
            if pattern.compiled is not None:
                rules = []
                for rule, compiled in zip(pattern.rules, pattern.compiled, strict=True):
                    steps = None
                    if compiled.steps is not None:
                        steps = [
                            [
                                ["let", what]
                                if isinstance(what, str)
                                else ["check", _position(rule.body, what)],
                                query.path,
                            ]
                            for what, query in compiled.steps
                        ]
                    rules.append(
                        {
                            "context": compiled.context.path,
                            "gate": _names(compiled.gate),
                            "failing": _texts(compiled.failing),
                            "among": _texts(compiled.among),
                            "steps": steps,
                            "prefilter": text(compiled.prefilter),
                            "documents": {n: q.path for n, q in compiled.documents.items()},
                        }
                    )
            patterns.append(
                {
                    "id": pattern.pattern_id,
                    "gate": _names(pattern.gate),
                    "compiled": rules,
                    "contexts": _texts(pattern.contexts),
                }
            )
        regexes: set[tuple[str, str]] = set()
        for pattern in self.patterns:
            if pattern.compiled is None:
                continue
            for _name, query in pattern.lets:
                regexes.update(regexes_of(query.token))
            for rule in pattern.rules:
                for item in rule.body:
                    query = item[2] if isinstance(item, tuple) else item.test
                    regexes.update(regexes_of(query.token))
        return {
            "key": key,
            "patterns": patterns,
            # matches() in libxml2 without importing elementpath to translate its patterns
            "regexes": [[p, f, regex_source(p, f)] for p, f in sorted(regexes)],
        }

    def _apply_form(self, form: dict[str, Any]) -> bool:
        """Take the patterns' compiled queries from ``form``; False where it does not fit
        (the schema is then compiled afresh)."""
        namespaces = {**self.namespaces, EXTENSIONS_PREFIX: EXTENSIONS_NS}
        namespaces.pop("xml", None)

        def xpath(expression: str) -> etree.XPath:
            return _LazyXPath(expression, namespaces)  # type: ignore[return-value]

        def xpaths(texts: list[str] | None) -> list[etree.XPath] | None:
            return None if texts is None else [xpath(t) for t in texts]

        try:
            found = form["patterns"]
            if len(found) != len(self.patterns):
                return False
            for pattern_text, flags, source in form.get("regexes", []):
                KNOWN_REGEXES[(str(pattern_text), str(flags))] = str(source)
            for pattern, entry in zip(self.patterns, found, strict=True):
                if entry["id"] != pattern.pattern_id:
                    return False
                pattern.gate = _gate_of(entry["gate"])
                pattern.contexts = xpaths(entry["contexts"])
                if entry["compiled"] is None:
                    pattern.compiled = None
                    continue
                rules = []
                for rule, item in zip(pattern.rules, entry["compiled"], strict=True):
                    steps = None
                    if item["steps"] is not None:
                        steps = [
                            (what[1] if what[0] == "let" else rule.body[what[1]], xpath(query))
                            for what, query in item["steps"]
                        ]
                        if any(
                            not isinstance(what, str | _Check) for what, _ in steps
                        ):  # pragma: no cover - a form that does not fit the schema
                            return False
                    prefilter = item["prefilter"]
                    rules.append(
                        _CompiledRule(
                            etree.XPath(  # compiled now: a damaged form is found here
                                item["context"], namespaces=namespaces, extensions=_EXTENSIONS
                            ),
                            _gate_of(item["gate"]),
                            failing=xpaths(item["failing"]),
                            among=xpaths(item["among"]),
                            steps=steps,
                            prefilter=None if prefilter is None else xpath(prefilter),
                            documents={n: xpath(q) for n, q in item["documents"].items()},
                        )
                    )
                pattern.compiled = rules
        except (KeyError, IndexError, TypeError, ValueError, etree.XPathSyntaxError):
            return False
        return True

    def _unique(self, lets: list[etree._Element], where: str) -> None:
        """ISO 19757-3 5.4.5: a variable is defined once in its scope."""
        seen: set[str] = set()
        for let in lets:
            name = let.get("name", "")
            if name in seen:
                raise SchematronSchemaError(
                    f"variable ${name} is defined twice in {where}",
                    path=self.path,
                    line=let.sourceline,
                )
            seen.add(name)

    def _check_variables(self, root: etree._Element) -> None:
        """Every ``$name`` a query uses is defined: by the schema, the phase, any pattern (a
        pattern's variables are global), the rule before it, or the query itself."""
        known = {name for name, _ in self._lets}
        for pattern in root.iter(f"{SCH}pattern"):
            known |= {let.get("name", "") for let in pattern.findall(f"{SCH}let")}
        for pattern in root.iter(f"{SCH}pattern"):
            for rule in pattern.findall(f"{SCH}rule"):
                lets = rule.findall(f"{SCH}let")
                self._unique(lets, f"rule {rule.get('id') or rule.get('context')!r}")
                local = set(known)
                self._defined(rule, "context", known)
                for child in rule:
                    if not isinstance(child.tag, str):
                        continue
                    for node in child.iter():
                        if isinstance(node.tag, str):
                            for attr in ("value", "test", "select", "path", "subject"):
                                self._defined(node, attr, local)
                    if child.tag == f"{SCH}let":
                        local.add(child.get("name", ""))

    def _defined(self, element: etree._Element, attr: str, known: set[str]) -> None:
        query = element.get(attr)
        if not query or "$" not in query:
            return
        text = re.sub(r"'[^']*'|\"[^\"]*\"", "''", query)
        bound = set(re.findall(r"\$([\w.\-]+)\s*(?:in\b|:=)", text))
        for name in re.findall(r"\$([\w.\-]+)", text):
            if name not in known and name not in bound:
                raise SchematronSchemaError(
                    f"variable ${name} in @{attr} {query!r} is not defined",
                    path=self.path,
                    line=element.sourceline,
                )

    def _shared_pattern_lets(self) -> list[tuple[str, _Query]]:
        """The lets of patterns whose names a query outside their own pattern uses."""
        shared = []
        for pattern in self.patterns:
            for name, query in pattern.lets:
                needle = re.compile(r"\$" + re.escape(name) + r"(?![\w.\-])")
                elsewhere = (
                    other
                    for other in self.patterns
                    if other is not pattern and not any(n == name for n, _ in other.lets)
                )
                if any(_uses(other, needle) for other in elsewhere):
                    shared.append((name, query))
        return shared

    def _gate(self, pattern: _Pattern) -> frozenset[str] | None:
        """The names one of which a document needs for the pattern to fire at all (``None``
        where a rule's context could match without any of them)."""
        names: set[str] = set()
        for rule in pattern.rules:
            gate = context_gate(rule.context.token, self.namespaces)
            if gate is None:
                return None
            names |= gate
        return frozenset(names) if pattern.rules else None

    def _compile_for_libxml2(self, pattern: _Pattern) -> list[_CompiledRule] | None:
        """The pattern's rules as XPath 1.0 for libxml2, or ``None`` where any part does not
        translate (``@subject``, XPath 2.0 only constructs: see :mod:`.xpath1`). The
        pattern's variables are written in place where their values do not depend on the
        focus (they are evaluated on the document)."""
        shared: dict[str, Any] = {}
        try:
            for name, query in pattern.lets:
                if isinstance(query.token, _Content | _Constant) or casts(query.token):
                    return None  # (a cast that fails: the pattern's variable fails)
                check_inlinable(query.token, self.namespaces, shared)
                if not focus_free(query.token, self.namespaces, shared):
                    return None
                shared[name] = query.token
        except Untranslatable:
            return None
        namespaces = {**self.namespaces, EXTENSIONS_PREFIX: EXTENSIONS_NS}
        namespaces.pop("xml", None)
        compiled = []

        def xpath(expression: str) -> etree.XPath:
            return etree.XPath(expression, namespaces=namespaces, extensions=_EXTENSIONS)

        try:
            for rule in pattern.rules:
                if rule.subject is not None:
                    return None
                context, gate = translate_context(rule.context.token, self.namespaces)
                checks = [c for c in rule.body if isinstance(c, _Check)]
                if any(c.subject is not None for c in checks):
                    return None
                hoisted: dict[str, str] = {}
                try:
                    tests = []
                    inline: dict[str, Any] = dict(shared)
                    touches: list[str] = []
                    for item in rule.body:
                        if isinstance(item, tuple):  # a let: its value written where used
                            _, name, query = item
                            check_inlinable(query.token, self.namespaces, inline)
                            self._touch(query.token, touches, hoisted, inline=dict(inline))
                            inline[name] = query.token
                            continue
                        test = _touching(
                            touches,
                            translate(
                                item.test.token,
                                self.namespaces,
                                inline=dict(inline),
                                condition=True,
                                hoisted=hoisted,
                            ),
                        )
                        tests.append(
                            f"[boolean({test})]" if item.kind == "report" else f"[not({test})]"
                        )
                    failing = [xpath(f"({context}){test}") for test in tests]
                    among = [xpath(f"${NODES_VARIABLE}{test}") for test in tests]
                    documents = {n: xpath(q) for n, q in hoisted.items()}
                    compiled.append(
                        _CompiledRule(
                            xpath(context), gate, failing=failing, among=among, documents=documents
                        )
                    )
                    continue
                except Untranslatable:
                    if selects_attributes(rule.context.token):
                        return None  # lxml evaluates queries on elements only
                hoisted = {}
                steps = self._rebased_steps(rule, shared, xpath, hoisted)
                if steps is None:
                    hoisted = {}
                    steps = self._bound_steps(rule, shared, xpath, hoisted)
                conditions = [
                    failing_condition(item.test.token, item.kind, self.namespaces, hoisted)
                    for item in rule.body
                    if isinstance(item, _Check)
                ]
                prefilter = None
                if (
                    conditions
                    and None not in conditions
                    and not selects_attributes(rule.context.token)
                    and not self._lets_may_fail(rule, shared)
                ):
                    prefilter = xpath(f"${NODES_VARIABLE}[{' or '.join(conditions)}]")  # type: ignore[arg-type]
                compiled.append(
                    _CompiledRule(
                        xpath(context),
                        gate,
                        steps=steps,
                        prefilter=prefilter,
                        documents={n: xpath(q) for n, q in hoisted.items()},
                    )
                )
        except (Untranslatable, etree.XPathSyntaxError):
            return None
        return compiled

    def _touch(
        self,
        token: Any,
        touches: list[str],
        hoisted: dict[str, str],
        variables: frozenset[str] = frozenset(),
        inline: dict[str, Any] | None = None,
        *,
        rebase: bool = False,
    ) -> bool:
        """Add to ``touches`` the evaluation of a rule variable written in place, where it
        may fail (a cast, an extension function that fails; see :func:`.xpath1.evaluation`):
        XPath 2.0 evaluates the variable before the tests, which might not reach it. Whether
        it may fail; :class:`Untranslatable` for a cast that does not translate so."""
        trial = dict(hoisted)
        try:
            text = evaluation(
                token, self.namespaces, variables, inline, rebase=rebase, hoisted=trial
            )
        except Untranslatable:
            if casts(token):
                raise
            return False
        if not (casts(token) or may_fail(text)):
            return False
        hoisted.update(trial)
        touches.append(text)
        return True

    def _lets_may_fail(self, rule: _Rule, shared: dict[str, Any]) -> bool:
        """Whether a rule variable may fail (see :meth:`_touch`): then every context node
        is run, none left out by a prefilter of the tests alone."""
        inline = dict(shared)
        for item in rule.body:
            if isinstance(item, tuple):
                try:
                    if self._touch(item[2].token, [], {}, inline=dict(inline)):
                        return True
                except Untranslatable:
                    return True
                inline[item[1]] = item[2].token
        return False

    def _rebased_steps(
        self, rule: _Rule, shared: dict[str, Any], xpath: Any, hoisted: dict[str, str]
    ) -> list[tuple[str, etree.XPath] | tuple[_Check, etree.XPath]] | None:
        """A rule's checks run node by node with its variables written in place, their
        steps taken from the context node (bound as :data:`CURRENT_VARIABLE`); ``None``
        where a variable does not translate so."""
        inline = dict(shared)
        steps: list[tuple[str, etree.XPath] | tuple[_Check, etree.XPath]] = []
        touches: list[str] = []
        try:
            for item in rule.body:
                if isinstance(item, tuple):
                    _, name, query = item
                    translate(
                        query.token,
                        self.namespaces,
                        frozenset({CURRENT_VARIABLE}),
                        inline,
                        rebase=True,
                    )
                    self._touch(
                        query.token,
                        touches,
                        hoisted,
                        frozenset({CURRENT_VARIABLE}),
                        dict(inline),
                        rebase=True,
                    )
                    inline[name] = query.token
                    continue
                test = _touching(
                    touches,
                    translate(
                        item.test.token,
                        self.namespaces,
                        frozenset({CURRENT_VARIABLE}),
                        dict(inline),
                        condition=True,
                        rebase=True,
                        hoisted=hoisted,
                    ),
                )
                steps.append((item, xpath(f"boolean({test})")))
        except (Untranslatable, etree.XPathSyntaxError):
            return None
        return steps

    def _bound_steps(
        self, rule: _Rule, shared: dict[str, Any], xpath: Any, hoisted: dict[str, str]
    ) -> list[tuple[str, etree.XPath] | tuple[_Check, etree.XPath]]:
        """A rule's lets and checks run node by node, each let's value bound as a variable."""
        known = {CURRENT_VARIABLE}
        steps: list[tuple[str, etree.XPath] | tuple[_Check, etree.XPath]] = []
        for item in rule.body:
            if isinstance(item, _Check):
                test = translate(
                    item.test.token,
                    self.namespaces,
                    frozenset(known),
                    dict(shared),
                    condition=True,
                    hoisted=hoisted,
                )
                steps.append((item, xpath(f"boolean({test})")))
            else:
                _, name, query = item
                steps.append(
                    (
                        name,
                        xpath(
                            translate(
                                query.token,
                                self.namespaces,
                                frozenset(known),
                                dict(shared),
                                hoisted=hoisted,
                            )
                        ),
                    )
                )
                known.add(name)
        return steps

    def _contexts_for_libxml2(self, pattern: _Pattern) -> list[etree.XPath] | None:
        """The rule contexts of a pattern left to elementpath, as libxml2 queries, when every
        one translates and selects elements only."""
        namespaces = {**self.namespaces, EXTENSIONS_PREFIX: EXTENSIONS_NS}
        namespaces.pop("xml", None)
        contexts = []
        for rule in pattern.rules:
            try:
                if selects_attributes(rule.context.token):
                    return None
                context, _gate = translate_context(rule.context.token, self.namespaces)
                contexts.append(etree.XPath(context, namespaces=namespaces, extensions=_EXTENSIONS))
            except (Untranslatable, etree.XPathSyntaxError):
                return None
        return contexts or None

    def warm(self) -> None:
        """Import and set up now what later documents will need (before worker processes
        fork, so that each starts with it): elementpath and the queries of the patterns
        left to it, when there are such patterns."""
        if self.compiled and all(p.compiled is not None for p in self.patterns):
            return
        for pattern in self.patterns:
            if pattern.compiled is None:
                for rule in pattern.rules:
                    rule.matcher  # noqa: B018 - parses the rule's queries
                    for item in rule.body:
                        (item[2] if isinstance(item, tuple) else item.test).token  # noqa: B018

    @cached_property
    def context_names(self) -> dict[str, str | None]:
        """Rule contexts (libxml2's text) that select every element of one name: that name
        (see :func:`_named_context`), filled as they are first run."""
        return {}

    @cached_property
    def gate_elements(self) -> frozenset[str]:
        """The element names (Clark) of every gate of the patterns and their rules."""
        names: set[str] = set()
        for pattern in self.patterns:
            names |= pattern.gate or frozenset()
            for rule in pattern.compiled or ():
                names |= rule.gate or frozenset()
        return frozenset(n for n in names if not n.startswith("@"))

    @property
    def libxml2_pattern_count(self) -> int:
        """Patterns whose rules libxml2 runs (the rest run on elementpath)."""
        return sum(1 for p in self.patterns if p.compiled is not None)

    # ------------------------------------------------------------------ compiling

    def _namespaces(self, root: etree._Element) -> dict[str, str]:
        namespaces: dict[str, str] = {}
        for ns in root.iter(f"{SCH}ns"):
            prefix, uri = ns.get("prefix"), ns.get("uri")
            if not prefix or uri is None:
                raise SchematronSchemaError(
                    "sch:ns needs @prefix and @uri", path=self.path, line=ns.sourceline
                )
            if namespaces.get(prefix, uri) != uri:
                raise SchematronSchemaError(
                    f"sch:ns prefix {prefix!r} is bound to two namespaces: "
                    f"{namespaces[prefix]!r} and {uri!r}",
                    path=self.path,
                    line=ns.sourceline,
                )
            namespaces[prefix] = uri
        return namespaces

    def _query(self, element: etree._Element, attr: str) -> _Query:
        source = element.get(attr)
        if source is None:
            raise SchematronSchemaError(
                f"sch:{etree.QName(element).localname} needs @{attr}",
                path=self.path,
                line=element.sourceline,
            )
        if self._lazy:
            return _Query(source, None, element.sourceline, self._parse_later)
        _load_xpath2()
        try:
            token = self._parser.parse(source)
        except ElementPathError as exc:
            raise SchematronSchemaError(
                f"bad XPath {self.xpath_version} in @{attr} {source!r}: {_clean(str(exc))}",
                path=self.path,
                line=element.sourceline,
            ) from None
        return _Query(source, token, element.sourceline)

    def _parse_later(self, source: str) -> Any:
        """A query parsed when first used (its schema compiled before, so it parses)."""
        return self._parser.parse(source)

    def _let(self, let: etree._Element) -> tuple[str, _Query]:
        name = let.get("name")
        if not name:
            raise SchematronSchemaError("sch:let needs @name", path=self.path, line=let.sourceline)
        if let.get("value") is None:  # ISO 2016: the let's content is its value (nodes)
            return name, _Query("(element content)", _Content(let), let.sourceline)
        return name, self._query(let, "value")

    def _key(self, key: etree._Element) -> _KeyDef:
        match = self._query(key, "match")
        if key.get("use") is None and len(key) + len((key.text or "").strip()):
            use: Any = _Constant(" ".join("".join(key.itertext()).split()))  # xsl:key content
        elif key.get("use") is None:
            raise SchematronSchemaError(
                "xsl:key needs @use or content", path=self.path, line=key.sourceline
            )
        else:
            use = self._query(key, "use")
        return _KeyDef(key.get("name", ""), self._matcher_of(match), use)

    def _matcher_of(self, query: _Query) -> Any:
        """A function making the matcher of a rule context or key pattern."""

        def make() -> ContextMatcher:
            from .match import ContextMatcher

            return ContextMatcher(query.source, query.token, self._parser.parse, self.namespaces)

        return make

    def _pattern(self, pattern: etree._Element, index: int) -> _Pattern:
        pattern_id = pattern.get("id") or f"pattern-{index}"
        self._unique(pattern.findall(f"{SCH}let"), f"pattern {pattern_id!r}")
        lets = [self._let(let) for let in pattern.findall(f"{SCH}let")]
        rules = []
        for number, rule in enumerate(pattern.findall(f"{SCH}rule"), start=1):
            rules.append(self._rule(rule, pattern_id, number))
        return _Pattern(pattern_id, lets, rules, own=_svrl_attributes(pattern))

    def _rule(self, rule: etree._Element, pattern_id: str, number: int) -> _Rule:
        context = self._query(rule, "context")
        matcher = self._matcher_of(context)
        rule_id = rule.get("id") or pattern_id
        rule_role = rule.get("role")
        body: list[Any] = []
        for child in rule:
            if not isinstance(child.tag, str):
                continue
            if child.tag == f"{SCH}let":
                name, query = self._let(child)
                body.append(("let", name, query))
            elif child.tag in (f"{SCH}assert", f"{SCH}report"):
                body.append(self._check(child, rule_id, rule_role))
        subject = self._query(rule, "subject") if rule.get("subject") else None
        return _Rule(context, matcher, body, subject, rule_id, own=_svrl_attributes(rule))

    def _check(self, check: etree._Element, rule_id: str, rule_role: str | None) -> _Check:
        kind = etree.QName(check).localname
        diagnostics = []
        for ref in (check.get("diagnostics") or "").split():
            diagnostic = self._diagnostics.get(ref)
            if diagnostic is None:
                raise SchematronSchemaError(
                    f"unknown diagnostic {ref!r}", path=self.path, line=check.sourceline
                )
            diagnostics.append(self._message(diagnostic))
        return _Check(
            kind=kind,
            test=self._query(check, "test"),
            message=self._message(check),
            diagnostics=diagnostics,
            severity=severity_of(check.get("role") or rule_role, check.get("flag")),
            rule_id=check.get("id") or rule_id,
            flag=check.get("flag"),
            subject=self._query(check, "subject") if check.get("subject") else None,
            own=_svrl_attributes(check),
            diagnostic_refs=[
                (
                    ref,
                    _svrl_attributes(self._diagnostics[ref]),
                    self._message(self._diagnostics[ref]),
                )
                for ref in (check.get("diagnostics") or "").split()
            ],
            properties=[
                (_svrl_attributes(self._properties[ref]), self._message(self._properties[ref]))
                for ref in (check.get("properties") or "").split()
                if ref in self._properties
            ],
        )

    def _message(self, element: etree._Element) -> list[Any]:
        parts: list[Any] = []
        if element.text:
            parts.append(element.text)
        for child in element:
            if isinstance(child.tag, str):
                if child.tag == f"{SCH}value-of":
                    parts.append(("value-of", self._query(child, "select")))
                elif child.tag == f"{SCH}name":
                    path = self._query(child, "path") if child.get("path") else None
                    parts.append(("name", path))
                else:  # emph, dir, span, foreign elements: their content
                    parts.extend(self._message(child))
            if child.tail:
                parts.append(child.tail)
        return parts

    # ------------------------------------------------------------------ statistics

    @property
    def rule_count(self) -> int:
        return sum(len(p.rules) for p in self.patterns)

    @property
    def indexed_rule_count(self) -> int:
        """Rules whose contexts select candidates from the name index (the rest scan)."""
        return sum(1 for p in self.patterns for r in p.rules if r.matcher.indexed)

    # ------------------------------------------------------------------ running

    def validate(
        self, document: etree._ElementTree | etree._Element, *, source: bytes | None = None
    ) -> list[Issue]:
        """The sorted issues of ``document`` (an lxml tree or element).

        ``source``: the bytes the tree was parsed from, for exact columns (else column 1).
        """
        return self.run(document, source=source).issues

    def iter_issues(
        self, document: etree._ElementTree | etree._Element, *, source: bytes | None = None
    ) -> Iterator[Issue]:
        """The issues of ``document`` one by one, in document order."""
        yield from self.validate(document, source=source)

    def is_valid(self, document: etree._ElementTree | etree._Element) -> bool:
        """True when no failure has severity error or fatal."""
        return not any(i.severity in ("error", "fatal") for i in self.validate(document))

    def run(
        self,
        document: etree._ElementTree | etree._Element,
        *,
        source: bytes | None = None,
        svrl: bool = False,
    ) -> SchematronOutcome:
        """Validate ``document``; the issues plus the flags raised and counters, and with
        ``svrl`` the report in ISO Schematron's own format (see :mod:`.svrl`)."""
        tree = document if isinstance(document, etree._ElementTree) else document.getroottree()
        run = _Run(self, tree, source)
        if svrl:
            run.events = []
        try:
            outcome = run.execute()
            if svrl:
                from .svrl import write_svrl

                outcome.svrl = write_svrl(self, run.events or [])
        finally:
            forget_memos()  # what they keep of this document must not outlive its run
        return outcome

    def svrl(
        self, document: etree._ElementTree | etree._Element, *, source: bytes | None = None
    ) -> etree._ElementTree:
        """The SVRL report of ``document``: active patterns, fired rules, failed asserts and
        successful reports with their locations, diagnostics and properties."""
        found = self.run(document, source=source, svrl=True).svrl
        assert found is not None
        return found


class _Run:
    """The state of one validation: node tree, indexes, variables, results."""

    def __init__(
        self, validator: SchematronValidator, tree: etree._ElementTree, source: bytes | None
    ) -> None:
        self.v = validator
        self.tree = tree
        self.source = source
        self._locator: Locator | None = None
        self._located = False
        self._names: frozenset[str] | None = None
        #: the elements of each gate name, in document order (with ``_names``)
        self._elements: dict[str, list[etree._Element]] = {}
        self._tree_built = False
        self.issues: list[Issue] = []
        self.flags: set[str] = set()
        self.errors: list[str] = []
        self.fired = 0
        self.failed = 0
        #: what the SVRL report needs, in order, when one is asked for
        self.events: list[tuple[Any, ...]] | None = None
        #: ``current-date()`` and the like: the validator's, else the clock's (local time,
        #: no time zone, as elementpath's own default)
        self.now = validator._now or datetime.datetime.now()

    def _build_tree(self) -> None:
        """elementpath's node tree, its index and the evaluation context: built only for a
        document that a pattern on elementpath, or a message, needs."""
        if self._tree_built:
            return
        self._tree_built = True
        _load_xpath2()
        validator = self.v
        self.document = get_node_tree(self.tree)
        self.index = NodeIndex(self.document)
        self.state = DocumentState(self.document)
        self.state.ids = self.index.ids
        self.state.index = self.index
        template = new_context(self.document, self.state)
        template.current_dt = self.now
        self.template = template
        self.make_context = evaluation_context_factory(template)
        template.sch_make_context = self.make_context  # for key()
        self.state.key_defs = {}
        for key in validator._keys:
            self.state.key_defs.setdefault(key.name, []).append(
                (
                    lambda st, m=key.matcher: m.select(self.index, self.make_context),
                    key.use.token if isinstance(key.use, _Query) else key.use,
                )
            )
        template.variables = dict(self._schema_variables)

    def execute(self) -> SchematronOutcome:
        set_now(self.now)  # current-date() in libxml2: the same as elementpath's
        self._schema_variables: dict[str, Any] = {}
        if self.v._lets or self.v._global_lets:
            self._build_tree()
            try:
                self._set_lets(self.template, self.v._lets, self.document, "schema")
                self._set_lets(self.template, self.v._global_lets, self.document, "schema")
            except _LetError:
                return self._outcome()
            self._schema_variables = dict(self.template.variables)
        for pattern in self.v.patterns:
            if pattern.own.get("documents"):  # never read another file: say so, run nothing
                root = self.tree.getroot()
                self.issues.append(
                    Issue(
                        root.sourceline or 0,
                        0,
                        "warning",
                        f"pattern {pattern.pattern_id} is not run: it checks subordinate "
                        f"documents (@documents={pattern.own['documents']!r}), and the "
                        "validator reads no file but the one validated",
                        ENGINE,
                        "V311",
                    )
                )
                continue
            if self.events is not None:
                self.events.append(("pattern", pattern))
            if not self._possible(pattern.gate):
                continue  # no rule of it can match in this document
            if (
                pattern.compiled is not None
                and self.events is None  # the report names every fired rule: elementpath's
                and self._compiled_pattern(pattern)
            ):
                continue
            selected = self._selected(pattern) if self.events is None else None
            if selected is not None and not any(selected):
                continue  # libxml2 finds no node any rule of it matches
            self._build_tree()
            self._pattern(pattern, selected)
        return self._outcome()

    def _selected(self, pattern: _Pattern) -> list[list[etree._Element]] | None:
        """The nodes each rule context of a pattern left to elementpath matches, found by
        libxml2 (``None`` where they do not translate or libxml2 fails)."""
        if pattern.contexts is None:
            return None
        try:
            found = [context(self.tree) for context in pattern.contexts]
        except (etree.XPathError, ValueError, TypeError, re.error):
            return None
        if not all(isinstance(n, etree._Element) for nodes in found for n in nodes):
            return None
        return found

    # -- patterns on libxml2 ----

    def _possible(self, gate: frozenset[str] | None) -> bool:
        """Whether the document has one of the names of a gate (element Clark names, or
        ``@`` and an attribute's), so that what the gate guards may match."""
        if gate is None:
            return True
        if self._names is None:
            self._names, self._elements = _names_of(self.tree, self.v.gate_elements)
        return not gate.isdisjoint(self._names)

    def _context_nodes(self, context: etree.XPath) -> list[Any]:
        """What a rule's context selects: for ``//p:name`` the elements of that name the
        gates' pass over the document gathered (in document order), else libxml2's."""
        name = self.v.context_names.get(context.path, "")
        if name == "":
            name = self.v.context_names[context.path] = _named_context(context.path, self.v)
        if name is not None and self._names is not None and name in self.v.gate_elements:
            return self._elements.get(name, [])
        return context(self.tree)

    def _compiled_pattern(self, pattern: _Pattern) -> bool:
        """Run a pattern in libxml2, set at a time; False (nothing kept) if libxml2 fails on
        this document, which the elementpath run then reports in its own words."""
        assert pattern.compiled is not None
        before = (len(self.issues), set(self.flags), self.fired, self.failed, len(self.errors))
        handled: set[object] = set()
        try:
            for rule, compiled in zip(pattern.rules, pattern.compiled, strict=True):
                if not self._possible(compiled.gate):
                    continue
                nodes = self._context_nodes(compiled.context)
                own: set[object] | None = None
                if len(pattern.compiled) == 1:  # one rule: no node was handled before
                    fresh = nodes
                else:
                    fresh = [n for n in nodes if _key(n) not in handled]
                    own = {_key(n) for n in fresh} if len(fresh) != len(nodes) else None
                    handled.update(own if own is not None else (_key(n) for n in fresh))
                if not fresh:
                    continue
                self.fired += len(fresh)
                documents = {
                    name: document_nodes(query, self.tree)
                    for name, query in compiled.documents.items()
                }
                if compiled.among is not None and all(isinstance(n, etree._Element) for n in fresh):
                    # the checks among the context nodes found, rather than searching again
                    for check, among in zip(_checks(rule), compiled.among, strict=True):
                        for node in among(self.tree, **{NODES_VARIABLE: fresh}, **documents):
                            self._report_node(rule, check, node, pattern)
                    continue
                if compiled.failing is not None:
                    for check, failing in zip(_checks(rule), compiled.failing, strict=True):
                        for node in failing(self.tree, **documents):
                            if own is None or _key(node) in own:
                                self._report_node(rule, check, node, pattern)
                    continue
                assert compiled.steps is not None
                candidates = fresh
                if compiled.prefilter is not None and all(
                    isinstance(n, etree._Element) for n in fresh
                ):
                    candidates = compiled.prefilter(
                        self.tree, **{NODES_VARIABLE: fresh}, **documents
                    )
                for node in candidates:
                    self._node_by_node(pattern, rule, compiled.steps, node, documents)
        except (etree.XPathError, ValueError, TypeError, re.error):
            del self.issues[before[0] :]
            del self.errors[before[4] :]
            self.flags, self.fired, self.failed = before[1], before[2], before[3]
            return False
        return True

    def _node_by_node(
        self,
        pattern: _Pattern,
        rule: _Rule,
        steps: list[tuple[str, etree.XPath] | tuple[_Check, etree.XPath]],
        node: etree._Element,
        documents: dict[str, list[etree._Element]],
    ) -> None:
        variables: dict[str, Any] = {CURRENT_VARIABLE: node, **documents}
        for what, query in steps:
            value = query(node, **variables)
            if isinstance(what, str):
                variables[what] = value
            elif bool(value) != (what.kind == "assert"):
                self._report_node(rule, what, node, pattern)

    def _report_node(self, rule: _Rule, check: _Check, node: Any, pattern: _Pattern) -> None:
        """A check failed on an lxml node: its message, worked out on elementpath's tree."""
        self._build_tree()
        found = self._xpath_node(node)
        if found is None:
            raise ValueError("a node elementpath's tree does not have")
        ctx = self._pattern_context(pattern)(found)
        for item in rule.body:  # the rule's variables before the check, for its message
            if item is check:
                break
            if isinstance(item, tuple):
                _, name, query = item
                try:
                    ctx.variables[name] = query.token.evaluate(self._focus(ctx, found))
                except _EVAL_ERRORS as exc:  # elementpath's run reports it in its words
                    raise ValueError(f"let ${name}: {exc}") from None
        self._failure(rule, check, ctx, found, found)

    def _pattern_context(self, pattern: _Pattern) -> Any:
        """The context factory with the pattern's variables (evaluated once per document)."""
        if not pattern.lets:
            return self.make_context
        factories = self.__dict__.setdefault("_pattern_factories", {})
        factory = factories.get(id(pattern))
        if factory is None:
            base = copy.copy(self.template)
            base.variables = dict(self.template.variables)
            try:
                self._set_lets(base, pattern.lets, self.document, pattern.pattern_id)
            except _LetError:  # elementpath's run reports it in its words
                raise ValueError(f"pattern {pattern.pattern_id}: a variable fails") from None
            factory = factories[id(pattern)] = evaluation_context_factory(base)
        return factory

    def _xpath_node(self, node: Any) -> XPathNode | None:
        if isinstance(node, etree._Element):
            return self.document.get_element_node(node)
        if getattr(node, "is_attribute", False):
            parent = self.document.get_element_node(node.getparent())
            if isinstance(parent, ElementNode):
                for attribute in parent.attributes:
                    if attribute.name == node.attrname:
                        return attribute
        return None

    def _outcome(self) -> SchematronOutcome:
        return SchematronOutcome(
            sorted(self.issues), frozenset(self.flags), self.fired, self.failed, self.errors
        )

    def _set_lets(
        self, ctx: Any, lets: Iterable[tuple[str, _Query]], node: XPathNode, rule_id: str
    ) -> None:
        for name, query in lets:
            try:
                eval_ctx = copy.copy(ctx)
                eval_ctx.variables = ctx.variables
                eval_ctx.item = node
                setattr(eval_ctx, CURRENT_ATTR, node)
                value = query.token.evaluate(eval_ctx)
            except _EVAL_ERRORS as exc:
                self._error(node, rule_id, f"cannot evaluate let ${name} = {query.source!r}", exc)
                raise _LetError from None
            ctx.variables = {**ctx.variables, name: value}

    def _pattern(
        self, pattern: _Pattern, selected: list[list[etree._Element]] | None = None
    ) -> None:
        """Run a pattern on elementpath; ``selected``: the nodes of each rule's context, as
        libxml2 found them (else elementpath matches the contexts)."""
        base = self.template
        if pattern.lets:
            base = copy.copy(self.template)
            base.variables = dict(self.template.variables)
            try:
                self._set_lets(base, pattern.lets, self.document, pattern.pattern_id)
            except _LetError:
                return
        make_context = (
            evaluation_context_factory(base) if base is not self.template else self.make_context
        )
        handled: set[int] = set()
        for number, rule in enumerate(pattern.rules):
            if selected is not None:
                mapped = [self.document.get_element_node(el) for el in selected[number]]
                if all(isinstance(n, ElementNode) for n in mapped):
                    for node in mapped:
                        if id(node) not in handled:
                            handled.add(id(node))
                            self._fire(rule, node, make_context)
                    continue
            try:
                nodes = rule.matcher.select(self.index, make_context)
            except _EVAL_ERRORS as exc:
                self._error(
                    self.document,
                    rule.rule_id,
                    f"cannot evaluate rule context {rule.context.source!r}",
                    exc,
                )
                continue
            for node in nodes:
                if id(node) in handled:
                    continue
                handled.add(id(node))
                self._fire(rule, node, make_context)

    def _fire(self, rule: _Rule, node: XPathNode, make_context: Any) -> None:
        self.fired += 1
        if self.events is not None:
            self.events.append(("rule", rule, node))
        ctx = make_context(node)
        where = node
        if rule.subject is not None:
            where = self._subject(rule.subject, ctx, node)
        for item in rule.body:
            if isinstance(item, tuple):
                _, name, query = item
                try:
                    ctx.variables[name] = query.token.evaluate(self._focus(ctx, node))
                except _EVAL_ERRORS as exc:
                    self._error(
                        node, rule.rule_id, f"cannot evaluate let ${name} = {query.source!r}", exc
                    )
                    return
                continue
            check: _Check = item
            try:
                value = check.test.token.boolean_value(
                    list(check.test.token.select(self._focus(ctx, node)))
                )
            except _EVAL_ERRORS as exc:
                self._error(
                    node,
                    check.rule_id,
                    f"cannot evaluate {check.kind} test {check.test.source!r}",
                    exc,
                )
                continue
            if value == (check.kind == "assert"):
                continue
            self._failure(rule, check, ctx, node, where)

    def _failure(
        self, rule: _Rule, check: _Check, ctx: Any, node: XPathNode, where: XPathNode
    ) -> None:
        """A failed assert or a successful report on ``node``: the issue, its message."""
        self.failed += 1
        if check.flag:
            self.flags.add(check.flag)
        target = where
        if check.subject is not None:
            target = self._subject(check.subject, ctx, node)
        message = self._text(check.message, ctx, node)
        for diagnostic in check.diagnostics:
            extra = self._text(diagnostic, ctx, node)
            if extra:
                message = f"{message} ({extra})" if message else extra
        if not message:
            message = (
                f"{check.kind} failed: {check.test.source}"
                if check.kind == "assert"
                else f"report: {check.test.source}"
            )
        line, column = self._location(target)
        diagnostics = [
            (ref, own, self._text(parts, ctx, node)) for ref, own, parts in check.diagnostic_refs
        ]
        properties = [(own, self._text(parts, ctx, node)) for own, parts in check.properties]
        facts: list[tuple[str, Any]] = [
            ("kind", check.kind),
            ("test", check.test.source),
            ("location", str(getattr(target, "path", None) or "/")),
        ]
        for name in ("role", "flag", "lang"):
            if name in check.own:
                facts.append((name, check.own[name]))
        if diagnostics:
            facts.append(
                ("diagnostics", [{"id": ref, "text": text} for ref, _, text in diagnostics])
            )
        if properties:
            facts.append(
                (
                    "properties",
                    [
                        {"id": own.get("id", ""), **_only(own, ("role", "scheme")), "text": text}
                        for own, text in properties
                    ],
                )
            )
        self.issues.append(
            Issue(line, column, check.severity, message, ENGINE, check.rule_id, tuple(facts))
        )
        if self.events is not None:
            self.events.append(
                (
                    "failure",
                    check,
                    target,
                    self._text(check.message, ctx, node),
                    diagnostics,
                    properties,
                )
            )

    @staticmethod
    def _focus(ctx: Any, node: XPathNode) -> Any:
        focused = copy.copy(ctx)
        focused.item = node
        focused.position = 1
        focused.size = 1
        return focused

    def _subject(self, query: _Query, ctx: Any, node: XPathNode) -> XPathNode:
        try:
            for found in query.token.select(self._focus(ctx, node)):
                if _is_node(found):
                    return found
        except _EVAL_ERRORS:
            pass
        return node

    def _text(self, parts: list[Any], ctx: Any, node: XPathNode) -> str:
        out: list[str] = []
        for part in parts:
            if isinstance(part, str):
                out.append(part)
            elif part[0] == "value-of":
                query: _Query = part[1]
                try:
                    value = query.token.evaluate(self._focus(ctx, node))
                except _EVAL_ERRORS as exc:
                    out.append(f"[value-of {query.source!r}: {_clean(str(exc))}]")
                    continue
                out.append(self._string(value))
            elif part[1] is not None:  # name with @path: the value of the path (ISO 2016)
                query = part[1]
                try:
                    value = query.token.evaluate(self._focus(ctx, node))
                except _EVAL_ERRORS as exc:
                    out.append(f"[name {query.source!r}: {_clean(str(exc))}]")
                    continue
                out.append(self._string(value))
            else:  # name: the context node's name
                out.append(_lexical_name(node))
        return " ".join("".join(out).split())

    def _string(self, value: Any) -> str:
        items = value if isinstance(value, list | tuple) else [value]
        if self.v.xpath_version == "1.0":
            items = items[:1]
        strings = []
        for item in items:
            if item is None:
                continue
            if _is_node(item):
                strings.append(item.string_value)
            elif isinstance(item, bool):
                strings.append("true" if item else "false")
            elif isinstance(item, float) and item.is_integer() and abs(item) < 1e15:
                strings.append(str(int(item)))
            else:
                strings.append(str(item))
        return " ".join(strings)

    @property
    def locator(self) -> Locator | None:
        """Positions in the source (when its bytes were given), read on the first issue."""
        if not self._located:
            self._located = True
            if self.source is not None:
                from ..locate import Locator  # read only for a document with findings

                self._locator = Locator(
                    self.source, self.tree.getroot(), self.tree.docinfo.encoding
                )
        return self._locator

    def _location(self, node: XPathNode) -> tuple[int, int]:
        element = node
        attr_name: str | None = None
        if isinstance(node, AttributeNode):
            attr_name = node.name
            element = node.parent
        while element is not None and not isinstance(element, ElementNode):
            if isinstance(element, DocumentNode):
                break
            element = element.parent
        if element is None or isinstance(element, DocumentNode):
            lxml_element = self.tree.getroot()
            attr_name = None
        else:
            lxml_element = element.value
        from ..locate import locate

        return locate(self.locator, lxml_element, attr_name)

    def _error(self, node: XPathNode, rule_id: str, what: str, exc: BaseException) -> None:
        message = f"{what}: {_clean(str(exc))}"
        self.errors.append(message)
        line, column = self._location(node)
        self.issues.append(Issue(line, column, "error", message, ENGINE, rule_id))


class _LetError(Exception):
    pass


class _LazyXPath:
    """An XPath 1.0 query of a compiled form, compiled by libxml2 when first run."""

    __slots__ = ("_compiled", "_namespaces", "path")

    def __init__(self, path: str, namespaces: dict[str, str]) -> None:
        self.path = path
        self._namespaces = namespaces
        self._compiled: etree.XPath | None = None

    def __call__(self, *args: Any, **variables: Any) -> Any:
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = etree.XPath(
                self.path, namespaces=self._namespaces, extensions=_EXTENSIONS
            )
        return compiled(*args, **variables)


class _Constant:
    """A value written as content (``xsl:key`` without ``@use``), as a query token."""

    def __init__(self, value: str) -> None:
        self.value = value

    def evaluate(self, _context: Any = None) -> str:
        return self.value

    def select(self, _context: Any = None) -> Iterator[str]:
        yield self.value


class _Content:
    """The value of a ``sch:let`` written as element content: its nodes (elements and text),
    as a query token that evaluates to them."""

    def __init__(self, let: etree._Element) -> None:
        _load_xpath2()
        wrapper = copy.deepcopy(let)
        wrapper.tail = None
        self._document = get_node_tree(etree.ElementTree(wrapper))
        root = self._document.getroot()
        self._nodes = [
            n
            for n in root.children
            if not (isinstance(n, TextNode) and not n.value.strip())  # indentation
        ]

    def evaluate(self, _context: Any = None) -> list[XPathNode]:
        return list(self._nodes)

    def select(self, _context: Any = None) -> Iterator[XPathNode]:
        yield from self._nodes


def _touching(touches: list[str], test: str) -> str:
    """A test that first evaluates the rule's variables written in place that may fail
    (``touches``, as conditions), as XPath 2.0 evaluates a rule's variables before its
    tests: a failure makes libxml2's run fail, and elementpath's then reports it."""
    if not touches:
        return test
    return "(" + " and ".join(f"(boolean({t}) or true())" for t in touches) + f" and {test})"


def _uses(pattern: _Pattern, needle: re.Pattern[str]) -> bool:
    """Whether a query of the pattern mentions a variable."""
    for rule in pattern.rules:
        queries = [rule.context.source]
        for item in rule.body:
            if isinstance(item, tuple):
                queries.append(item[2].source)
            else:
                queries.append(item.test.source)
        if any(needle.search(q) for q in queries):
            return True
    return False


def _only(values: dict[str, str], names: tuple[str, ...]) -> dict[str, str]:
    return {name: values[name] for name in names if name in values}


def _svrl_attributes(element: etree._Element) -> dict[str, str]:
    """The attributes of a schema element that its SVRL counterpart repeats, with the
    ``xml:lang`` in scope."""
    kept = {
        name: value
        for name in ("id", "name", "role", "flag", "documents", "scheme", "see", "icon", "fpi")
        if (value := element.get(name)) is not None
    }
    node: etree._Element | None = element
    while node is not None:  # the nearest xml:lang, as ancestor-or-self::*[@xml:lang][1]
        lang = node.get(_XML_LANG)
        if lang is not None:
            if lang:
                kept["lang"] = lang
            break
        node = node.getparent()
    return kept


_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


_EXTENSIONS = extensions()


# -- the compiled form, kept across processes ----

#: what the compiled form's layout is (a new one ignores older files)
_FORM_LAYOUT = 1


def _code_digest() -> str:
    """tei-cable's version and the code of this package: a change of either makes every
    compiled form stale."""
    global _CODE_DIGEST
    if _CODE_DIGEST is None:
        from pathlib import Path

        from ..resources import package_digest

        _CODE_DIGEST = package_digest(Path(__file__).resolve().parent)
    return _CODE_DIGEST


_CODE_DIGEST: str | None = None


def _form_key(root: etree._Element, binding: str, phase: str | None) -> str:
    """The key of a schema's compiled form: its content (includes resolved), the query
    binding and phase, and the code that compiles it."""
    import hashlib

    digest = hashlib.sha256(f"{_code_digest()}\0{_FORM_LAYOUT}\0".encode())
    digest.update(f"{binding}\0{phase}\0".encode())
    digest.update(etree.tostring(root, encoding="UTF-8"))
    return digest.hexdigest()[:32]


def form_path_beside(schema_path: str | os.PathLike[str]) -> str:
    """Where a schema file's shipped compiled form is: ``NAME.sch`` -> ``NAME.sch.json``."""
    return os.fspath(schema_path) + ".json"


def _cached_form_path(key: str) -> str:
    from ..resources import cache_dir

    return os.fspath(cache_dir() / "schemas" / "schematron" / f"{key}.json")


def _read_form(schema_path: str | None, key: str) -> dict[str, Any] | None:
    """The compiled form with ``key``: shipped beside the schema, else in the user cache;
    ``None`` if neither has it (a missing, stale or corrupt file is no error)."""
    import json

    places = [form_path_beside(schema_path)] if schema_path else []
    places.append(_cached_form_path(key))
    for place in places:
        try:
            with open(place, "rb") as handle:
                form = json.loads(handle.read())
        except (OSError, ValueError):
            continue
        if isinstance(form, dict) and form.get("key") == key:
            return form
    return None


def _write_form(key: str, form: dict[str, Any]) -> None:
    """Keep a compiled form in the user cache (atomically; a failure is no error)."""
    from ..xmlio import write_atomic

    path = _cached_form_path(key)
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        write_atomic(path, form_bytes(form), force=True)
    except OSError:
        pass


def form_bytes(form: dict[str, Any]) -> bytes:
    """A compiled form as the bytes written (deterministic JSON)."""
    import json

    return (json.dumps(form, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode()


def compiled_form(schema: str | os.PathLike[str] | bytes, path: str | None = None) -> bytes:
    """The compiled form of a schema, to ship beside it (``tei-cable schema build``)."""
    validator = SchematronValidator(schema, _fresh=True)
    key = _form_key(validator.schema_root, validator.query_binding, validator.phase)
    return form_bytes(validator._form(key))


def _position(items: list[Any], item: Any) -> int:
    """Where ``item`` itself (not an equal one) is in ``items``."""
    return next(i for i, other in enumerate(items) if other is item)


def _names(gate: frozenset[str] | None) -> list[str] | None:
    return None if gate is None else sorted(gate)


def _gate_of(names: list[str] | None) -> frozenset[str] | None:
    return None if names is None else frozenset(names)


def _texts(queries: list[etree.XPath] | None) -> list[str] | None:
    return None if queries is None else [q.path for q in queries]


def _checks(rule: _Rule) -> list[_Check]:
    """A rule's asserts and reports, in order (without its variables)."""
    return [item for item in rule.body if isinstance(item, _Check)]


def _names_of(
    tree: etree._ElementTree, elements: frozenset[str]
) -> tuple[frozenset[str], dict[str, list[etree._Element]]]:
    """What the gates of rules and patterns are made of: the element names (Clark) of a
    document among ``elements`` (the gates' element names: libxml2 skips the others without
    a Python object for each) and its attribute names, each as ``@`` and its Clark name;
    and the elements of each of those element names, in document order."""
    root = tree.getroot()
    found: dict[str, list[etree._Element]] = {}
    if elements:
        for element in root.iter(*elements):
            tag = element.tag
            same = found.get(tag)
            if same is None:
                found[tag] = [element]
            else:
                same.append(element)
    keys = etree._Element.keys
    attributes = set(chain.from_iterable(map(keys, root.iter(etree.Element))))
    return frozenset(chain(found, ("@" + name for name in attributes))), found


def _named_context(path: str, validator: SchematronValidator) -> str | None:
    """The Clark name of a rule context that is ``//p:name`` (every element of that name),
    else ``None``."""
    match = re.fullmatch(r"//([A-Za-z_][\w.\-]*):([A-Za-z_][\w.\-]*)", path)
    if match is None or match.group(1) not in validator.namespaces:
        return None
    return f"{{{validator.namespaces[match.group(1)]}}}{match.group(2)}"


def _key(node: Any) -> object:
    """What identifies a node libxml2 returned: an element itself, an attribute by owner and
    name (lxml gives attributes as new strings on every query)."""
    if isinstance(node, etree._Element):
        return node
    return (node.getparent(), getattr(node, "attrname", None))


def _clean(message: str) -> str:
    """elementpath's message from its error code on, on one line, without Python class names."""
    message = " ".join(message.split())
    start = message.find("[err:")
    if start > 0:
        message = message[start:]
    return re.sub(r" for <class '[^']*'>", "", message)


def _lexical_name(node: XPathNode) -> str:
    """The name as written in the document (prefix:local), as XSLT's name() gives it."""
    if isinstance(node, ElementNode):
        element = node.value
        qname = etree.QName(element)
        return f"{element.prefix}:{qname.localname}" if element.prefix else qname.localname
    if isinstance(node, AttributeNode):
        name = node.name or ""
        if not name.startswith("{"):
            return name
        ns, _, local = name[1:].partition("}")
        if ns == "http://www.w3.org/XML/1998/namespace":
            return f"xml:{local}"
        parent = node.parent
        if isinstance(parent, ElementNode):
            for prefix, uri in parent.value.nsmap.items():
                if uri == ns and prefix:
                    return f"{prefix}:{local}"
        return local
    name = getattr(node, "name", None)
    return str(name) if name else ""
