"""Extract the ISO Schematron schema from a compiled ODD.

Input: a TEI document holding resolved specifications, either a compiled ODD (one
``schemaSpec`` with every elementSpec/classSpec/macroSpec/dataSpec of the schema in full) or
a source like ``p5subset.xml`` (specs anywhere; every element counts as present). Output:
an ISO Schematron ``sch:schema`` tree that the validator runs as it is.

What the extraction does, constraint by constraint (``constraintSpec`` with ``@scheme``
``schematron`` or ``isoschematron``, outside examples):

* one ``sch:pattern`` per constraintSpec, ``@id`` ``{spec}-{attDef}-{constraintSpec}-constraint``
  (the attDef part only for constraints on an attribute); its rules get ``@id``
  ``{spec}-{attDef}-{constraintSpec}`` (``-2``, ``-3``… after the first when there are more),
  the id the validator reports. Ids are stable: they depend on idents only, never on
  document position. ``sch:pattern`` elements written inside a constraint keep their own
  rules and get the same kind of id when they have none;
* a rule without ``@context`` (or bare ``sch:assert``/``sch:report``) gets a context from
  the enclosing spec: the element (``tei:ident``, or its ``altIdent``); for an attribute
  (``attDef``) the attribute on that element (``tei:ident/@att``); for a classSpec every
  member element of the class, directly or through other classes; for a macroSpec every
  element whose content uses the macro; for a dataSpec every attribute whose datatype uses
  it; for a schemaSpec the document node;
* ``sch:ns`` go to the top of the schema, once each, together with a declaration for every
  prefix the queries use that only the ODD's own namespace declarations bind;
* ``sch:let`` stays where its scope is: in the rule when it sits beside bare asserts, in the
  pattern when beside rules, and at the top of the schema when a constraint holds nothing
  but variables (a pattern of lets, as customizations use to share variables); ``xsl:key``
  and ``sch:diagnostics`` go to the schema level;
* in a compiled ODD (a ``schemaSpec`` without ``moduleRef``, or a whole-TEI source), rule
  contexts that can only match elements the schema does not define are pruned: each ``|``
  alternative of a context that names such an element on its path is removed, and a rule
  (pattern) with none left is dropped, with a comment saying why;
  attribute-class constraints of a class without members are dropped the same way;
* deprecations: an ``elementSpec``, ``attDef`` or ``valItem`` with ``@validUntil`` gives a
  ``role="warning"`` report on its use (the date is stated, not compared with today, so the
  output is the same on every day);
* ``anyElement/@require`` (namespaces the descendants must be in, which RELAX NG cannot say)
  becomes a report, as the TEI's own build does.

``@queryBinding`` is the lowest of ``xslt``, ``xslt2``, ``xslt3`` whose XPath parses every
query, unless the ODD's ``constraintDecl`` asks for a higher one. ``lang`` keeps only the
constraintSpecs in that language (and those without ``@xml:lang``); by default all are kept,
as the TEI does (its addSpan, damageSpan and delSpan carry English and French copies).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from ..namespaces import RNG, SCH, TEI, TEIX, XML, XS, XSL
from ..schematron.match import analyse_branch, union_members
from ..schematron.xpath import make_parser
from ..xmlio import remove_keeping_text

TEI_NS, TEIX_NS, SCH_NS, RNG_NS, XSL_NS, XML_NS, XS_NS = TEI, TEIX, SCH, RNG, XSL, XML, XS
T = f"{{{TEI_NS}}}"
S = f"{{{SCH_NS}}}"

SPEC_TAGS = {f"{T}elementSpec", f"{T}classSpec", f"{T}macroSpec", f"{T}dataSpec"}
OWNER_TAGS = SPEC_TAGS | {f"{T}schemaSpec"}
SCHEMES = {"schematron", "isoschematron"}
QUERY_ATTRS = ("context", "test", "select", "value", "path", "subject", "match", "use")
BINDINGS = ("xslt", "xslt2", "xslt3")


def extract_schematron(
    compiled_odd: etree._ElementTree | etree._Element,
    *,
    lang: str | None = None,
    ident: str | None = None,
) -> etree._ElementTree:
    """The ISO Schematron schema of ``compiled_odd`` (see the module documentation).

    ``ident`` chooses the ``schemaSpec`` when the document has several; ``lang`` keeps only
    constraintSpecs in that language (plus those without ``@xml:lang``).
    """
    root = compiled_odd.getroot() if isinstance(compiled_odd, etree._ElementTree) else compiled_odd
    return _Extractor(root, lang=lang, ident=ident).run()


# ----------------------------------------------------------------------------- model of the ODD


def _in_example(element: etree._Element) -> bool:
    return any(a.tag == f"{{{TEIX_NS}}}egXML" for a in element.iterancestors())


def _iter_real(scope: etree._Element, *tags: str) -> Iterable[etree._Element]:
    for element in scope.iter(*tags):
        if not _in_example(element):
            yield element


@dataclass
class _Element:
    ident: str
    name: str  # altIdent or ident
    ns: str
    spec: etree._Element


@dataclass
class _Odd:
    """What the extraction needs to know about the specs: elements, classes, macros."""

    scope: etree._Element
    schema_ident: str
    default_ns: str
    elements: dict[str, _Element] = field(default_factory=dict)
    classes: dict[str, etree._Element] = field(default_factory=dict)
    macros: dict[str, etree._Element] = field(default_factory=dict)
    datas: dict[str, etree._Element] = field(default_factory=dict)
    member_of: dict[str, list[str]] = field(default_factory=dict)
    _closure: dict[str, frozenset[str]] = field(default_factory=dict)

    def class_members(self, class_ident: str) -> list[_Element]:
        """Elements in the class, directly or through classes that are members of it."""
        return [
            self.elements[k] for k in sorted(self.elements) if class_ident in self._classes_of(k)
        ]

    def _classes_of(self, ident: str) -> frozenset[str]:
        """Every class ``ident`` is a member of, directly or transitively (memoised)."""
        cache = self._closure
        found = cache.get(ident)
        if found is not None:
            return found
        cache[ident] = frozenset()  # a membership cycle ends here
        result: set[str] = set()
        for key in self.member_of.get(ident, ()):
            result.add(key)
            result |= self._classes_of(key)
        cache[ident] = frozenset(result)
        return cache[ident]

    def macro_users(self, macro_ident: str) -> list[_Element]:
        """Elements whose content uses the macro (directly or through other macros)."""
        macros = {macro_ident}
        changed = True
        while changed:
            changed = False
            for ident, spec in self.macros.items():
                if ident not in macros and _refers(spec, macros):
                    macros.add(ident)
                    changed = True
        return [e for _, e in sorted(self.elements.items()) if _refers(e.spec, macros)]

    def data_users(self, data_ident: str) -> list[tuple[etree._Element, etree._Element]]:
        """(owner spec, attDef) pairs whose datatype uses the dataSpec."""
        datas = {data_ident}
        changed = True
        while changed:
            changed = False
            for ident, spec in self.datas.items():
                if ident not in datas and _refers(spec, datas):
                    datas.add(ident)
                    changed = True
        users = []
        for att in _iter_real(self.scope, f"{T}attDef"):
            datatype = att.find(f"{T}datatype")
            if datatype is not None and _refers(datatype, datas):
                owner = _owner_spec(att)
                if owner is not None:
                    users.append((owner, att))
        return users


def _refers(spec: etree._Element, idents: set[str]) -> bool:
    for ref in spec.iter(f"{T}macroRef", f"{T}dataRef", f"{{{RNG_NS}}}ref"):
        if (ref.get("key") or ref.get("name")) in idents:
            return True
    return False


def _owner_spec(element: etree._Element) -> etree._Element | None:
    for ancestor in element.iterancestors():
        if ancestor.tag in OWNER_TAGS:
            return ancestor
    return None


def _read_odd(root: etree._Element, ident: str | None) -> _Odd:
    schema_specs = [s for s in _iter_real(root, f"{T}schemaSpec")]
    if ident is not None:
        schema_specs = [s for s in schema_specs if s.get("ident") == ident]
    scope = schema_specs[0] if len(schema_specs) == 1 else root
    schema_ident = (
        (schema_specs[0].get("ident") if len(schema_specs) == 1 else None) or ident or "tei"
    )
    default_ns = (scope.get("ns") if scope.tag == f"{T}schemaSpec" else None) or TEI_NS
    odd = _Odd(scope, schema_ident, default_ns)
    for spec in _iter_real(scope, *SPEC_TAGS):
        if spec.get("mode") == "delete":
            continue
        spec_ident = spec.get("ident")
        if not spec_ident:
            continue
        keys = [
            m.get("key")
            for m in spec.findall(f"{T}classes/{T}memberOf")
            if m.get("key") and m.get("mode") != "delete"
        ]
        odd.member_of[spec_ident] = [k for k in keys if k]
        if spec.tag == f"{T}elementSpec":
            alt = spec.findtext(f"{T}altIdent")
            name = (alt or spec_ident).strip()
            ns = (
                spec.get("ns")
                or next((a.get("ns") for a in spec.iterancestors() if a.get("ns")), None)
                or default_ns
            )
            odd.elements[spec_ident] = _Element(spec_ident, name, ns, spec)
        elif spec.tag == f"{T}classSpec":
            odd.classes[spec_ident] = spec
        elif spec.tag == f"{T}macroSpec":
            odd.macros[spec_ident] = spec
        else:
            odd.datas[spec_ident] = spec
    return odd


# ----------------------------------------------------------------------------- extraction

_NCNAME_BAD = re.compile(r"[^\w.\-]")
_PREFIX_USE = re.compile(r"(?<![\w.\-$:])([A-Za-z_][\w.\-]*):(?![:=])(?=[\w*])")
_STRING = re.compile(r"'[^']*'|\"[^\"]*\"")


def _ncname(text: str) -> str:
    text = _NCNAME_BAD.sub("_", text)
    return text if re.match(r"[A-Za-z_]", text) else f"_{text}"


class _Extractor:
    def __init__(self, root: etree._Element, *, lang: str | None, ident: str | None) -> None:
        self.root = root
        self.lang = lang
        self.odd = _read_odd(root, ident)
        # A source customization (moduleRef not yet expanded) does not say which elements
        # exist: nothing is pruned then.
        self.prunes = (
            self.odd.scope.tag != f"{T}schemaSpec"
            or next(_iter_real(self.odd.scope, f"{T}moduleRef"), None) is None
        )
        self.ns: dict[str, str] = {}  # prefix -> uri, in declaration order
        self.ns_conflicts: list[str] = []
        self.prefix_for_ns: dict[str, str] = {TEI_NS: "tei", TEIX_NS: "teix"}
        self.schema_lets: list[etree._Element] = []
        self.keys: list[etree._Element] = []
        self.diagnostics: list[etree._Element] = []
        self.patterns: list[etree._Element | etree._Comment] = []
        self.used_ids: set[str] = set()
        self.queries: list[str] = []
        self.defined_ns = {TEI_NS, self.odd.default_ns} | {e.ns for e in self.odd.elements.values()}
        self.names_by_ns: dict[str, set[str]] = {}
        for element in self.odd.elements.values():
            self.names_by_ns.setdefault(element.ns, set()).add(element.name)
        for ns in self.defined_ns:
            self.names_by_ns.setdefault(ns, set())

    # ------------------------------------------------------------------ driver

    def run(self) -> etree._ElementTree:
        self._declare("tei", TEI_NS)
        for ns in _iter_real(self.odd.scope.getroottree().getroot(), f"{S}ns"):
            parent = ns.getparent()
            if parent is None or parent.tag != f"{T}constraintDecl":
                continue
            owner = next(parent.iterancestors(f"{T}schemaSpec"), None)
            if owner is None or owner is self.odd.scope:  # the header's, or this schema's
                self._declare(ns.get("prefix", ""), ns.get("uri", ""))
        for spec in _iter_real(self.odd.scope, f"{T}constraintSpec"):
            self._constraint_spec(spec)
        for element in self._sorted_elements():
            self._any_element(element)
        self._deprecations()
        return self._build()

    def _sorted_elements(self) -> list[_Element]:
        return [self.odd.elements[k] for k in sorted(self.odd.elements)]

    def _declare(self, prefix: str, uri: str) -> None:
        if not prefix or not uri:
            return
        known = self.ns.get(prefix)
        if known is None:
            self.ns[prefix] = uri
            self.prefix_for_ns.setdefault(uri, prefix)
        elif known != uri:
            self.ns_conflicts.append(
                f"prefix {prefix!r} is bound to {known!r}; a constraint also binds it to {uri!r}"
            )

    def _prefix(self, uri: str) -> str:
        prefix = self.prefix_for_ns.get(uri)
        if prefix is None:
            prefix = f"ns{len(self.prefix_for_ns) + 1}"
            while prefix in self.ns:
                prefix += "_"
            self.prefix_for_ns[uri] = prefix
        self._declare(prefix, uri)
        return prefix

    def _unique(self, wanted: str) -> str:
        candidate, n = wanted, 1
        while candidate in self.used_ids:
            n += 1
            candidate = f"{wanted}-{n}"
        self.used_ids.add(candidate)
        return candidate

    # ------------------------------------------------------------------ constraintSpecs

    def _constraint_spec(self, spec: etree._Element) -> None:
        if (spec.get("scheme") or "") not in SCHEMES or spec.get("mode") == "delete":
            return
        spec_lang = spec.get(f"{{{XML_NS}}}lang")
        if self.lang is not None and spec_lang is not None and spec_lang != self.lang:
            return
        constraint = spec.find(f"{T}constraint")
        if constraint is None:
            return
        owner = _owner(spec)
        owner_spec = owner if owner.tag != f"{T}attDef" else _owner_spec(owner)
        if owner_spec is None:
            return
        parts = [owner_spec.get("ident")] if owner_spec.tag != f"{T}schemaSpec" else []
        if owner.tag == f"{T}attDef":
            parts.append(owner.get("ident"))
        parts.append(spec.get("ident") or "constraint")
        base = _ncname("-".join(p for p in parts if p))
        where = (
            f"{etree.QName(owner_spec).localname} {owner_spec.get('ident')}"
            + (f" @{owner.get('ident')}" if owner.tag == f"{T}attDef" else "")
            + f", constraintSpec {spec.get('ident')}"
        )

        if (
            owner_spec.tag == f"{T}classSpec"
            and owner_spec.get("type") == "atts"
            and not self.odd.class_members(owner_spec.get("ident", ""))
            and self.odd.scope.tag == f"{T}schemaSpec"
            and self.prunes
        ):
            self.patterns.append(
                etree.Comment(
                    f" pruned {where}: class {owner_spec.get('ident')} has no member elements "
                )
            )
            return

        children = [c for c in constraint if isinstance(c.tag, str)]
        for child in children:
            if child.tag == f"{S}ns":
                self._declare(child.get("prefix", ""), child.get("uri", ""))
        self._bind_used_prefixes(constraint)
        lets = [c for c in children if c.tag == f"{S}let"]
        rules = [c for c in children if c.tag == f"{S}rule"]
        bare = [c for c in children if c.tag in (f"{S}assert", f"{S}report")]
        sch_patterns = [c for c in children if c.tag == f"{S}pattern"]
        for child in children:
            if child.tag == f"{{{XSL_NS}}}key":
                self.keys.append(_clean_copy(child))
            elif child.tag == f"{S}diagnostics":
                self.diagnostics.append(_clean_copy(child))

        if not rules and not bare and not sch_patterns:
            self.schema_lets.extend(_clean_copy(let) for let in lets)
            return

        for number, pattern in enumerate(sch_patterns, start=1):
            pattern_rules = pattern.findall(f"{S}rule")
            if not pattern_rules:
                # A pattern of variables only: they are meant for the whole schema.
                self.schema_lets.extend(_clean_copy(let) for let in pattern.findall(f"{S}let"))
                for key in pattern.findall(f"{{{XSL_NS}}}key"):
                    self.keys.append(_clean_copy(key))
                continue
            wanted = pattern.get("id") or (base if len(sch_patterns) == 1 else f"{base}-{number}")
            self._emit(
                wanted,
                owner,
                where,
                lets + [c for c in pattern if isinstance(c.tag, str) and c.tag != f"{S}rule"],
                pattern_rules,
                [],
                pattern,
            )
        if rules or bare:
            self._emit(base, owner, where, lets, rules, bare, None)

    def _emit(
        self,
        base: str,
        owner: etree._Element,
        where: str,
        pattern_items: list[Any],
        rules: list[etree._Element],
        bare: list[etree._Element],
        source_pattern: etree._Element | None,
    ) -> None:
        pattern = etree.Element(f"{S}pattern", nsmap={None: SCH_NS})
        if source_pattern is not None:
            for name, value in source_pattern.attrib.items():
                if name != "id":
                    pattern.set(name, value)
        pattern_id = self._unique(f"{base}-constraint")
        pattern.set("id", pattern_id)
        rule_lets = [c for c in pattern_items if c.tag == f"{S}let"] if bare and not rules else []
        for item in pattern_items:
            if item.tag == f"{S}let" and item not in rule_lets:
                pattern.append(_clean_copy(item))
            elif item.tag == f"{{{XSL_NS}}}key":
                self.keys.append(_clean_copy(item))
        made: list[etree._Element] = []
        for rule in rules:
            made.append(_clean_copy(rule))
        if bare:
            rule = etree.Element(f"{S}rule")
            for let in rule_lets:
                rule.append(_clean_copy(let))
            for check in bare:
                rule.append(_clean_copy(check))
            made.append(rule)
        count = len(made)
        kept = 0
        for number, rule in enumerate(made, start=1):
            rule_id = rule.get("id")
            if rule_id is None or rule_id in self.used_ids:
                rule_id = base if count == 1 else f"{base}-{number}"
            if rule.get("context") is None:
                context = self._generated_context(owner)
                if context is None:
                    pattern.append(
                        etree.Comment(
                            f" pruned a rule of {where}: its spec gives no context (no element "
                            "uses it) "
                        )
                    )
                    continue
                rule.set("context", context)
            else:
                pruned = (
                    self._prune_context(rule.get("context", ""))
                    if self.prunes
                    else rule.get("context", "")
                )
                if pruned is None:
                    pattern.append(
                        etree.Comment(
                            f" pruned a rule of {where}: its context {rule.get('context')!r} names "
                            "only elements this schema does not define "
                        )
                    )
                    continue
                rule.set("context", pruned)
            rule.set("id", self._unique(rule_id))
            self._collect_queries(rule)
            pattern.append(rule)
            kept += 1
        for item in pattern_items:
            if item.tag == f"{S}let":
                self._collect_queries(item)
        if kept:
            self.patterns.append(pattern)
        else:
            self.used_ids.discard(pattern_id)
            self.patterns.append(
                etree.Comment(f" pruned {where}: no rule can match in this schema ")
            )

    # ------------------------------------------------------------------ contexts

    def _qname(self, element: _Element) -> str:
        return f"{self._prefix(element.ns)}:{element.name}"

    def _union(self, elements: list[_Element], suffix: str = "") -> str | None:
        if not elements:
            return None
        all_tei = [e for e in self.odd.elements.values() if e.ns == TEI_NS]
        if not suffix and len(elements) == len(self.odd.elements) == len(all_tei) > 1:
            return "tei:*"
        return " | ".join(f"{self._qname(e)}{suffix}" for e in elements)

    def _attribute_step(self, att: etree._Element) -> str:
        name = att.get("ident", "")
        ns = att.get("ns")
        if ns and ":" not in name:
            return f"@{self._prefix(ns)}:{name}"
        return f"@{name}"

    def _generated_context(self, owner: etree._Element) -> str | None:
        if owner.tag == f"{T}attDef":
            spec = _owner_spec(owner)
            if spec is None:
                return None
            step = "/" + self._attribute_step(owner)
            if spec.tag == f"{T}elementSpec":
                element = self.odd.elements.get(spec.get("ident", ""))
                return None if element is None else f"{self._qname(element)}{step}"
            if spec.tag == f"{T}classSpec":
                return self._union(self.odd.class_members(spec.get("ident", "")), step)
            return None
        ident = owner.get("ident", "")
        if owner.tag == f"{T}elementSpec":
            element = self.odd.elements.get(ident)
            return None if element is None else self._qname(element)
        if owner.tag == f"{T}classSpec":
            return self._union(self.odd.class_members(ident))
        if owner.tag == f"{T}macroSpec":
            return self._union(self.odd.macro_users(ident))
        if owner.tag == f"{T}dataSpec":
            steps = []
            for spec, att in self.odd.data_users(ident):
                step = "/" + self._attribute_step(att)
                if spec.tag == f"{T}elementSpec":
                    element = self.odd.elements.get(spec.get("ident", ""))
                    if element is not None:
                        steps.append(f"{self._qname(element)}{step}")
                elif spec.tag == f"{T}classSpec":
                    union = self._union(self.odd.class_members(spec.get("ident", "")), step)
                    if union:
                        steps.append(union)
            return " | ".join(dict.fromkeys(steps)) or None
        if owner.tag == f"{T}schemaSpec":
            return "/"
        return None

    def _prune_context(self, context: str) -> str | None:
        """The context without the alternatives that name undefined elements; None if none
        is left. Contexts that cannot be analysed are kept as they are."""
        try:
            try:
                token = make_parser("xslt2", {**self.ns, "xml": XML_NS}).parse(context)
            except Exception:  # XPath 3 syntax, or not XPath at all
                token = make_parser("xslt3", {**self.ns, "xml": XML_NS}).parse(context)
            members = union_members(token)
            branches = [analyse_branch(m, {**self.ns}) for m in members]
        except Exception:  # unparseable or unanalysable: keep it, the validator decides
            return context
        texts = _split_union(context)
        if len(texts) != len(members):
            texts = [m.source for m in members]
        kept = [
            text
            for text, branch in zip(texts, branches, strict=True)
            if not self._impossible(branch)
        ]
        if not kept:
            return None
        return context if len(kept) == len(texts) else " | ".join(t.strip() for t in kept)

    def _impossible(self, branch: Any) -> bool:
        for step in branch.steps:
            alternatives = step.alternatives if step.alternatives is not None else [step]
            if all(self._undefined(alt) for alt in alternatives):
                return True
        return False

    def _undefined(self, step: Any) -> bool:
        if (
            step.kind != "element"
            or not isinstance(step.ns, str)
            or not isinstance(step.local, str)
        ):
            return False
        if step.ns not in self.defined_ns:
            return False
        return step.local not in self.names_by_ns.get(step.ns, set())

    # ------------------------------------------------------------------ namespaces and queries

    def _bind_used_prefixes(self, constraint: etree._Element) -> None:
        """Declare prefixes the queries use that only XML namespace declarations bind."""
        for element in constraint.iter():
            if not isinstance(element.tag, str):
                continue
            for attr in QUERY_ATTRS:
                value = element.get(attr)
                if not value:
                    continue
                for prefix in _PREFIX_USE.findall(_STRING.sub("''", value)):
                    if prefix in self.ns or prefix in ("xml", "fn", "xs", "math", "map", "array"):
                        if prefix == "xs":
                            self._declare("xs", XS_NS)
                        continue
                    uri = element.nsmap.get(prefix)
                    if uri:
                        self._declare(prefix, uri)

    def _collect_queries(self, element: etree._Element) -> None:
        for node in element.iter():
            if isinstance(node.tag, str):
                for attr in QUERY_ATTRS:
                    value = node.get(attr)
                    if value is not None and not (attr == "context" and node.tag != f"{S}rule"):
                        self.queries.append(value)

    def _query_binding(self) -> str:
        namespaces = {**self.ns, "xml": XML_NS}
        needed = 0
        for query in self.queries:
            while needed < len(BINDINGS) - 1:
                try:
                    make_parser(BINDINGS[needed], namespaces).parse(query)
                    break
                except Exception:
                    needed += 1
        declared = None
        for decl in _iter_real(self.odd.scope, f"{T}constraintDecl"):
            if decl.get("scheme") == "schematron" and decl.get("queryBinding"):
                declared = decl.get("queryBinding", "").lower()
        if declared in BINDINGS and BINDINGS.index(declared) > needed:
            return declared
        return BINDINGS[needed]

    # ------------------------------------------------------------------ generated constraints

    def _any_element(self, element: _Element) -> None:
        anys = [
            a
            for a in element.spec.iter(f"{T}anyElement")
            if a.get("require") and not _in_example(a)
        ]
        for number, any_element in enumerate(anys, start=1):
            uris = list(dict.fromkeys([*any_element.get("require", "").split(), element.ns]))
            listed = ", ".join(f"'{u}'" for u in uris)
            base = f"{element.ident}-anyElement-require" + (f"-{number}" if len(anys) > 1 else "")
            pattern = etree.Element(f"{S}pattern", nsmap={None: SCH_NS})
            pattern.set("id", self._unique(f"{base}-constraint"))
            rule = etree.SubElement(pattern, f"{S}rule")
            rule.set("context", self._qname(element))
            rule.set("id", self._unique(base))
            report = etree.SubElement(rule, f"{S}report")
            report.set("test", f"descendant::*[not(namespace-uri(.) = ({listed}))]")
            report.text = f"{element.name} descendants must be in the namespaces {listed}"
            self._collect_queries(rule)
            self.patterns.append(pattern)

    def _deprecations(self) -> None:
        for element in self._sorted_elements():
            spec = element.spec
            if spec.get("validUntil"):
                self._deprecation(
                    f"{element.ident}-deprecated",
                    self._qname(element),
                    "true()",
                    f"The {element.name} element is deprecated (valid until "
                    f"{spec.get('validUntil')}).",
                    spec,
                )
            for att in spec.iter(f"{T}attDef"):
                self._attribute_deprecations(att, [element])
        for ident in sorted(self.odd.classes):
            spec = self.odd.classes[ident]
            if spec.get("type") != "atts":
                continue
            members = None
            for att in spec.iter(f"{T}attDef"):
                if (
                    att.get("validUntil")
                    or spec.get("validUntil")
                    or att.find(f".//{T}valItem[@validUntil]") is not None
                ):
                    members = members if members is not None else self.odd.class_members(ident)
                    self._attribute_deprecations(
                        att, members, class_deprecated=spec.get("validUntil"), class_ident=ident
                    )

    def _attribute_deprecations(
        self,
        att: etree._Element,
        elements: list[_Element],
        *,
        class_deprecated: str | None = None,
        class_ident: str | None = None,
    ) -> None:
        if _in_example(att) or not elements:
            return
        name = att.get("ident", "")
        owner = class_ident or elements[0].ident
        context = self._union(elements)
        if context is None:
            return
        step = self._attribute_step(att)
        until = att.get("validUntil") or class_deprecated
        if until:
            where = f"the {class_ident} class" if class_ident else f"the {elements[0].name} element"
            self._deprecation(
                f"{owner}-{name}-deprecated",
                context,
                step,
                f"The @{name} attribute of {where} is deprecated (valid until {until}).",
                att,
            )
        for item in att.iter(f"{T}valItem"):
            if item.get("validUntil"):
                value = item.get("ident", "")
                literal = "'" + value.replace("'", "''") + "'"
                self._deprecation(
                    f"{owner}-{name}-{value}-deprecated",
                    context,
                    f"tokenize(normalize-space({step}), ' ') = {literal}",
                    f"The value {value!r} of @{name} is deprecated (valid until "
                    f"{item.get('validUntil')}).",
                    item,
                )

    def _deprecation(
        self, base: str, context: str, test: str, message: str, spec: etree._Element
    ) -> None:
        info = self._deprecation_info(spec)
        base = _ncname(base)
        pattern = etree.Element(f"{S}pattern", nsmap={None: SCH_NS})
        pattern.set("id", self._unique(f"{base}-constraint"))
        rule = etree.SubElement(pattern, f"{S}rule")
        rule.set("context", context)
        rule.set("id", self._unique(base))
        report = etree.SubElement(rule, f"{S}report")
        report.set("test", test)
        report.set("role", "warning")
        report.text = f"{message} {info}".strip()
        self._collect_queries(rule)
        self.patterns.append(pattern)

    def _deprecation_info(self, spec: etree._Element) -> str:
        descs = [d for d in spec.findall(f"{T}desc") if d.get("type") == "deprecationInfo"]
        if not descs:
            return ""
        wanted = self.lang or "en"
        chosen = next((d for d in descs if d.get(f"{{{XML_NS}}}lang") == wanted), descs[0])
        return " ".join("".join(chosen.itertext()).split())

    # ------------------------------------------------------------------ output

    def _build(self) -> etree._ElementTree:
        binding = self._query_binding()
        nsmap: dict[str | None, str] = {None: SCH_NS}
        if self.keys:
            nsmap["xsl"] = XSL_NS
        schema = etree.Element(f"{S}schema", nsmap=nsmap)
        schema.set("queryBinding", binding)
        title = etree.SubElement(schema, f"{S}title")
        title.text = f"ISO Schematron rules for {self.odd.schema_ident}"
        for conflict in self.ns_conflicts:
            schema.append(etree.Comment(f" namespace conflict: {conflict} "))
        for prefix, uri in self.ns.items():
            ns = etree.SubElement(schema, f"{S}ns")
            ns.set("prefix", prefix)
            ns.set("uri", uri)
        seen_lets: set[str] = set()
        for let in self.schema_lets:
            if let.get("name") not in seen_lets:
                seen_lets.add(let.get("name", ""))
                schema.append(let)
        for key in self.keys:
            schema.append(key)
        for pattern in self.patterns:
            schema.append(pattern)
        if self.diagnostics:
            merged = etree.SubElement(schema, f"{S}diagnostics")
            for diagnostics in self.diagnostics:
                for child in diagnostics:
                    merged.append(child)
        etree.cleanup_namespaces(schema, top_nsmap=nsmap, keep_ns_prefixes=["sqf"])
        return etree.ElementTree(schema)


def _owner(spec: etree._Element) -> etree._Element:
    for ancestor in spec.iterancestors():
        if ancestor.tag == f"{T}attDef" or ancestor.tag in OWNER_TAGS:
            return ancestor
    return spec.getroottree().getroot()


def _clean_copy(element: etree._Element) -> etree._Element:
    """A copy in the Schematron namespace's terms: comments dropped, text kept as written."""
    from copy import deepcopy

    copied = deepcopy(element)
    for comment in list(copied.iter(etree.Comment)):
        remove_keeping_text(comment, blank=True)
    copied.tail = None
    for node in copied.iter():
        if node.tag in _STRUCTURAL:
            if node.text is not None and not node.text.strip():
                node.text = None
            for child in node:
                if child.tail is not None and not child.tail.strip():
                    child.tail = None
    return copied


_STRUCTURAL = {
    f"{S}{name}"
    for name in ("rule", "pattern", "let", "diagnostics", "phase", "active", "ns", "param")
}


def _split_union(text: str) -> list[str]:
    """Split an XPath on its top-level ``|`` and ``union`` (outside brackets and strings)."""
    parts: list[str] = []
    depth = 0
    start = 0
    i = 0
    quote = ""
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif depth == 0 and ch == "|" and not text.startswith("||", i):
            parts.append(text[start:i])
            start = i + 1
        elif (
            depth == 0
            and text.startswith("union", i)
            and (i == 0 or text[i - 1].isspace())
            and i + 5 < len(text)
            and text[i + 5].isspace()
        ):
            parts.append(text[start:i])
            start = i + 5
            i += 4
        i += 1
    parts.append(text[start:])
    return parts
