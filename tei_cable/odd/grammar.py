"""The RELAX NG grammar of a customization, with the TEI Stylesheets' meaning.

Second half of the TEI's pipeline (``odd2relax.xsl`` with ``teiodds.xsl`` and
``classatts.xsl``), in three steps:

1. *tangle*: every element, class, macro, datatype and attribute becomes a raw RELAX NG
   definition, as the Stylesheets write it: pure-ODD content (``sequence``, ``alternate``,
   ``elementRef``/``classRef``/``macroRef`` with ``@minOccurs``/``@maxOccurs`` and
   ``@expand``, ``dataRef``, ``textNode``, ``anyElement``, ``valList``) and embedded RELAX NG;
   model classes with their ``_alternation``/``_sequence…`` expansions (``notAllowed`` or
   ``empty`` when a class has no members); attribute classes as attribute groups, with the
   per-element overrides of ``classatts.xsl`` (an element's ``attDef`` that changes, replaces
   or deletes an inherited attribute);
2. *prune*: references to anything the schema does not define are dropped and what they leave
   empty is cleaned up, with the rules of ``odd2relax.xsl``'s passes 2 and 3
   (:mod:`~tei_cable.odd.prune`); external RELAX NG modules (``moduleRef/@url``) come in
   through :mod:`~tei_cable.odd.modules`;
3. *resolve*: every definition but the elements' is inlined into simplified
   :mod:`~tei_cable.relaxng.patterns`; elements no document can satisfy become ``notAllowed``
   (RELAX NG's own simplification), so no ``notAllowed`` and no empty class is left for a
   validator to trip on, and what the start cannot reach is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ..diagnostics import Severity, TeiCableError
from ..namespaces import RNG, TEI, TEIX, XML, XML_LANG, XSD_DATATYPES, rng, tei
from ..relaxng import names
from ..relaxng.inherit import declared, inherited
from ..relaxng.patterns import (
    COMBINATORS,
    EXT,
    LEAVES,
    Grammar,
    NameClass,
    Pattern,
    Patterns,
)
from ..relaxng.simplify import drop_unsatisfiable, reachable
from .catalog import Catalogs
from .customize import Customization, MissingValue, include_member, merge_vallist, tokens
from .modules import load_grammar
from .problems import Problems
from .prune import RN, clean_up, copy_nodes, drop_undefined

EXPANSIONS = (
    "alternation",
    "sequence",
    "sequenceOptional",
    "sequenceOptionalRepeatable",
    "sequenceRepeatable",
)
MAXINT = 400


@dataclass(frozen=True)
class _Member:
    spec: etree._Element
    min: str | None
    max: str | None


def describe(spec: etree._Element, lang: str = "en") -> str:
    """A one-line description of a spec: ``(gloss) desc``, as the TEI's schemas carry."""

    def pick(local: str) -> str:
        nodes = spec.findall(tei(local))
        chosen = [n for n in nodes if n.get(XML_LANG) == lang] or [
            n for n in nodes if n.get(XML_LANG) in (None, "en")
        ]
        return " ".join("".join(chosen[0].itertext()).split()) if chosen else ""

    gloss, desc = pick("gloss"), pick("desc")
    return f"({gloss}) {desc}".strip() if gloss else desc


def _content_defines(parent: etree._Element) -> Iterator[etree._Element]:
    """The RELAX NG ``define``\\ s of a moduleRef's ``content``, also those inside ``div``\\ s
    (as RELAX NG groups them; the TEI's tei_its puts its defines in one)."""
    for child in parent:
        if child.tag == rng("define"):
            yield child
        elif child.tag == rng("div"):
            yield from _content_defines(child)


class GrammarBuilder:
    """Builds the :class:`Grammar` of a :class:`Customization` (one use)."""

    def __init__(
        self,
        cust: Customization,
        problems: Problems,
        *,
        documentation: bool = True,
        doc_lang: str = "en",
        download: bool = True,
        catalogs: Catalogs | None = None,
    ) -> None:
        self.c = cust
        self.catalogs = catalogs
        self.p = problems
        self.documentation = documentation
        self.doc_lang = doc_lang
        self.P = Patterns()
        schema = cust.schema_spec
        self.prefix = schema.get("prefix") or ""
        self.ns = schema.get("ns") or TEI
        self.specs = cust.specs
        self.by_ident: dict[str, etree._Element] = {}
        for spec in self.specs:
            self.by_ident.setdefault(spec.get("ident", ""), spec)
        self.elements = {i: s for i, s in self.by_ident.items() if s.tag == tei("elementSpec")}
        self.classes = {i: s for i, s in self.by_ident.items() if s.tag == tei("classSpec")}
        self.att_classes = {i for i, s in self.classes.items() if s.get("type") == "atts"}
        self.model_classes = {i for i, s in self.classes.items() if s.get("type") == "model"}
        self.macros = {
            i: s for i, s in self.by_ident.items() if s.tag in (tei("macroSpec"), tei("dataSpec"))
        }
        self.members: dict[str, list[_Member]] = {}
        self.defs: dict[str, list[RN]] = {}
        self.element_defs: set[str] = set()
        self.not_allowed_elements: set[str] = set()
        self.any_elements: dict[tuple[str, str], str] = {}
        self._spec_stack: list[etree._Element] = []
        self._known = set(cust.source.specs) | set(self.by_ident) | cust.odd_declared
        base = cust.source.base
        while base is not None:  # a library's specs name TEI specs it left out: no fault
            self._known |= set(base.specs)
            base = base.base
        self.download = download
        self._ref_prefix = ""
        self._extra_defines: list[etree._Element] = []
        #: name of a pattern of an external module -> its key among the definitions
        self.external_names: dict[str, str] = {}
        #: every rng:ref of the schema's specs: (name, node, the spec it is in)
        self._pattern_refs: list[tuple[str, etree._Element, etree._Element]] = []

    # -- entry point -------------------------------------------------------------------------
    def build(self) -> Grammar:
        self._external_modules()
        self._class_members()
        for ident, spec in self.classes.items():
            self._spec_stack = [spec]
            if ident in self.model_classes:
                self._model_class(spec)
            elif ident in self.att_classes:
                self._att_class(spec)
        for _ident, spec in self.macros.items():
            self._spec_stack = [spec]
            self._macro(spec)
        for ident, spec in self.elements.items():
            self._spec_stack = [spec]
            self._element(ident, spec)
        self._spec_stack = []
        self._combine_content_defines()
        self._check_pattern_refs()
        start_names = self._start_names()
        defined = set(self.defs)
        for name in list(self.defs):
            self.defs[name] = clean_up(drop_undefined(self.defs[name], defined))
        return self._resolve(start_names)

    # -- helpers -----------------------------------------------------------------------------
    @property
    def spec(self) -> etree._Element:
        return self._spec_stack[-1]

    def _where(self) -> etree._Element | None:
        for spec in reversed(self._spec_stack):
            origin = self.c.origin.get(spec.get("ident", ""))
            if origin is not None:
                return origin
        return None

    def _error(self, code: str, message: str, node: etree._Element | None = None) -> None:
        self._report(Severity.ERROR, code, message, node)

    def _warning(self, code: str, message: str, node: etree._Element | None = None) -> None:
        self._report(Severity.WARNING, code, message, node)

    def _report(
        self, severity: Severity, code: str, message: str, node: etree._Element | None
    ) -> None:
        ident = self.spec.get("ident") if self._spec_stack else None
        where = self._where()
        text = f"{ident}: {message}" if ident else message
        path, line = self.c.position(node) if node is not None else (None, None)
        if path is not None:
            self.p.add(severity, code, text, path=path, line=line)
        elif where is not None:
            self.p.add(severity, code, text, where)
        elif self.spec is not None and self.spec.get("ident") in self.c.odd_declared:
            self.p.add(severity, code, text)
        else:
            # a problem in the TEI source itself: report it, but do not fail the build
            self.p.info(code, f"{text} (in the TEI source)")

    def _external_modules(self) -> None:
        """``moduleRef/@url``: the defines of an external RELAX NG grammar join the schema.

        Their names get the moduleRef's ``@prefix``; the grammar's ``start`` is ignored;
        ``include``, ``div`` and ``combine`` are followed. RELAX NG ``define``\\ s in the
        moduleRef's ``content`` combine with (``@combine``) or add to the schema's patterns
        (a name with the schema's pattern prefix stands for the TEI class or macro).
        """
        self.external: list[str] = []
        self.external_failed = False
        for ref in self.c.others:
            if ref.tag != tei("moduleRef") or not ref.get("url"):
                continue
            url = ref.get("url", "")
            self.external.append(url)
            where, _ = self.p.where(ref)
            base = str(Path(where).parent) if where else str(Path(self.c.odd_path).parent)
            try:
                defines = load_grammar(url, base, download=self.download, catalogs=self.catalogs)
            except (TeiCableError, etree.XMLSyntaxError, ValueError) as exc:
                self.external_failed = True
                message = exc.message if isinstance(exc, TeiCableError) else str(exc)
                self.p.error(
                    "O114",
                    f"moduleRef @url {url}: {message}; its patterns are left out of the schema",
                    ref,
                )
                continue
            prefix = ref.get("prefix") or ""
            for name in defines:
                self.external_names.setdefault(prefix + name, f"{EXT}{prefix}{name}")
            for name, nodes in defines.items():
                self._external_define(f"{EXT}{prefix}{name}", nodes, prefix)
                self._known.add(prefix + name)
            self._extra_defines.append(ref)

    def _external_define(self, name: str, nodes: list[etree._Element], prefix: str) -> None:
        bodies: list[list[RN]] = []
        combine = "choice"
        old_prefix = self._ref_prefix
        self._ref_prefix = EXT + prefix
        self._spec_stack.append(etree.Element(tei("macroSpec"), ident=name[len(EXT) :]))
        try:
            for define in nodes:
                combine = define.get("combine") or combine
                kids = [
                    k for k in define if isinstance(k.tag, str) and k.tag.startswith(f"{{{RNG}}}")
                ]
                if len(nodes) == 1 and len(kids) == 1 and kids[0].tag == rng("element"):
                    element = kids[0]
                    nc = _rng_name_class(element)
                    if nc[0] == "name" and nc[1] is None:
                        nc = ("name", self.ns, nc[2])
                    content = [n for k in _pattern_children(element) for n in self._rng(k)]
                    self.defs[name] = [
                        RN(
                            "element",
                            [*(content or [RN("empty")]), RN("_attrs", [])],
                            nc=nc,
                            doc=None,
                            documented=False,
                            any=nc[0] != "name",
                        )
                    ]
                    self.element_defs.add(name)
                    return
                bodies.append([n for k in kids for n in self._rng(k)])
        finally:
            self._spec_stack.pop()
            self._ref_prefix = old_prefix
        if len(bodies) == 1:
            self.defs[name] = bodies[0]
        else:
            self.defs[name] = [
                RN(
                    "interleave" if combine == "interleave" else "choice",
                    [RN("group", b) for b in bodies],
                )
            ]

    def _local_name(self, name: str) -> str:
        """A name the ODD refers to: a spec of the schema, else an external module's pattern."""
        if name in self.by_ident or name in self.defs:
            return name
        return self.external_names.get(name, name)

    def _combine_content_defines(self) -> None:
        """RELAX NG defines in a moduleRef's content: new patterns, or more for TEI ones."""
        for ref in self._extra_defines:
            content = ref.find(tei("content"))
            if content is None:
                continue
            for define in _content_defines(content):
                name = define.get("name", "")
                if (
                    self.prefix
                    and name.startswith(self.prefix)
                    and name[len(self.prefix) :] in (self.defs)
                ):
                    name = name[len(self.prefix) :]
                self._spec_stack.append(etree.Element(tei("macroSpec"), ident=name))
                try:
                    body = [
                        n
                        for k in define
                        if isinstance(k.tag, str) and k.tag.startswith(f"{{{RNG}}}")
                        for n in self._rng(k)
                    ]
                finally:
                    self._spec_stack.pop()
                old = self.defs.get(name)
                if old is None or not define.get("combine"):
                    self.defs[name] = body
                else:
                    kind = "interleave" if define.get("combine") == "interleave" else "choice"
                    self.defs[name] = [RN(kind, [RN("group", old), RN("group", body)])]
                self._known.add(name)

    def _check_known(self, key: str, what: str, node: etree._Element | None = None) -> None:
        if key and key not in self._known and self.external_failed:
            path, line = self.c.position(node) if node is not None else (None, None)
            self.p.warning(
                "O104",
                f"{self.spec.get('ident')}: {what} to {key}: not in TEI "
                f"{self.c.source.version} or the ODD (perhaps in the external "
                "module); left out",
                path=path,
                line=line,
            )
            return
        if key and key not in self._known:
            self.p.lacking[key] = None
            self._warning(
                "O104",
                f"{what} to {key}: no such spec in {self.c.source.label} or the ODD; left out",
                node,
            )

    def _check_pattern_refs(self) -> None:
        """An ``rng:ref`` of the ODD to a pattern defined nowhere (not in the schema, the TEI
        source or an external module) is left out, as the TEI Stylesheets do, with a warning."""
        for name, node, spec in self._pattern_refs:
            if self._pattern_known(name) or self.external_failed:
                continue
            self._spec_stack = [spec]
            self._warning(
                "O104",
                f"rng:ref to {name}: no such pattern in {self.c.source.label}, "
                "the ODD or its external modules; left out",
                node,
            )
        self._spec_stack = []

    def _pattern_known(self, name: str) -> bool:
        if self.prefix and name.startswith(self.prefix):
            name = name[len(self.prefix) :]
        if name in self.defs or name in self._known or name in self.external_names:
            return True
        for base in (
            name.split("_", 1)[0],
            name.split(".attribute.", 1)[0],
            name.rsplit(".", 1)[0] if name.endswith((".attributes", ".content")) else "",
        ):
            if base and base in self._known:
                return True
        return False

    def _class_members(self) -> None:
        for spec in self.specs:
            for member in spec.findall(f"{tei('classes')}/{tei('memberOf')}"):
                key = member.get("key", "")
                self.members.setdefault(key, []).append(
                    _Member(spec, member.get("min"), member.get("max"))
                )

    def _member_ref(self, member: _Member, suffix: str | None) -> list[RN]:
        """``classmember`` mode: a class member as a reference (elements with @min/@max)."""
        ident = member.spec.get("ident", "")
        if member.spec.tag == tei("classSpec"):
            name = ident if not suffix or suffix == "NULL" else f"{ident}_{suffix}"
            return [RN("ref", name=name)]
        mini = int(member.min) if member.min and member.min.isdigit() else 1
        out = [RN("ref", name=ident) for _ in range(mini)]
        if member.max == "unbounded":
            out.append(RN("zeroOrMore", [RN("ref", name=ident)]))
        else:
            maxi = int(member.max) if member.max and member.max.isdigit() else 1
            out += [RN("optional", [RN("ref", name=ident)]) for _ in range(mini + 1, maxi + 1)]
        return out

    # -- model classes -----------------------------------------------------------------------
    def _model_class(self, spec: etree._Element) -> None:
        ident = spec.get("ident", "")
        variants = tokens(spec.get("generate")) or ["NULL", *EXPANSIONS]
        if spec.get("generate") and "NULL" not in variants:
            variants = ["NULL", *variants]
        members = self.members.get(ident, [])
        for kind in variants:
            name = ident if kind == "NULL" else f"{ident}_{kind}"
            if not members:
                self.defs[name] = [
                    RN(
                        "empty"
                        if kind in ("sequence", "sequenceOptional", "sequenceOptionalRepeatable")
                        else "notAllowed"
                    )
                ]
                continue
            self.defs[name] = self._expansion(members, ident, kind)

    def _expansion(self, members: list[_Member], ident: str, kind: str) -> list[RN]:
        suffix = kind
        if kind == "sequence":
            return [n for m in members for n in self._member_ref(m, suffix)]
        wrapper = {
            "sequenceOptional": "optional",
            "sequenceRepeatable": "oneOrMore",
            "sequenceOptionalRepeatable": "zeroOrMore",
        }.get(kind)
        if wrapper:
            return [RN(wrapper, self._member_ref(m, suffix)) for m in members]
        return [RN("choice", [n for m in members for n in self._member_ref(m, suffix)])]

    # -- attribute classes -------------------------------------------------------------------
    def _att_class(self, spec: etree._Element) -> None:
        ident = spec.get("ident", "")
        items: list[RN] = []
        for member in spec.findall(f"{tei('classes')}/{tei('memberOf')}"):
            key = member.get("key", "")
            if key in self.att_classes:
                items.append(RN("ref", name=f"{key}.attributes"))
        att_list = spec.find(tei("attList"))
        if att_list is not None:
            for att in att_list.iter(tei("attDef")):
                if att.get("mode") == "delete" or (att.get("ident") or "").startswith("xmlns"):
                    continue
                items.append(RN("ref", name=f"{ident}.attribute.{_flat(att.get('ident', ''))}"))
            for att_ref in att_list.iter(tei("attRef")):
                items += self._att_ref(att_ref)
            for att in att_list.iter(tei("attDef")):
                if att.get("mode") == "delete" or (att.get("ident") or "").startswith("xmlns"):
                    continue  # a delete left in a compiled (library) ODD defines nothing
                self.defs[f"{ident}.attribute.{_flat(att.get('ident', ''))}"] = self._attribute(att)
        self.defs[f"{ident}.attributes"] = [
            RN("bundle", items or [RN("empty")], name=f"{ident}.attributes")
        ]

    def _att_ref(self, att_ref: etree._Element) -> list[RN]:
        cls = att_ref.get("class")
        name = att_ref.get("name")
        if cls:
            if cls not in self.by_ident:
                return []
            if name:
                return [RN("ref", name=f"{cls}.attribute.{_flat(name)}")]
            return [RN("ref", name=f"{cls}.attributes")]
        return [RN("ref", name=self._local_name(name))] if name else []

    # -- macros and datatypes ----------------------------------------------------------------
    def _macro(self, spec: etree._Element) -> None:
        ident = spec.get("ident", "")
        content = spec.find(tei("content"))
        vallist = spec.find(tei("valList"))
        nodes: list[RN] = []
        if vallist is not None and vallist.get("type") == "closed":
            nodes = [self._values(spec)]
        elif content is not None:
            kids = [k for k in content if isinstance(k.tag, str)]
            rng_group = [k for k in kids if k.tag == rng("group")]
            if rng_group and rng_group[0].find(rng("ref")) is None:
                nodes = [
                    RN(
                        "choice",
                        [n for k in rng_group[0] if isinstance(k.tag, str) for n in self._rng(k)],
                    )
                ]
            else:
                for kid in kids:
                    nodes += self._content(kid)
                if len(nodes) > 1 and any(k.tag in (rng("text"), rng("ref")) for k in kids):
                    nodes = [RN("choice", nodes)]
        if not nodes:
            nodes = [RN("choice", [RN("empty")])]
        self.defs[ident] = nodes

    # -- elements ----------------------------------------------------------------------------
    def _element(self, ident: str, spec: etree._Element) -> None:
        content = spec.find(tei("content"))
        if content is not None and content.find(rng("notAllowed")) is not None:
            self.defs[ident] = [RN("notAllowed")]
            self.not_allowed_elements.add(ident)
            self.element_defs.add(ident)
            return
        nodes: list[RN] = []
        vallist = spec.find(tei("valList"))
        if vallist is not None and vallist.get("type") == "closed":
            nodes = [self._values(spec)]
        elif content is not None:
            for kid in content:
                if isinstance(kid.tag, str):
                    nodes += self._content(kid)
        if not nodes:
            nodes = [RN("empty")]
        attrs = self._element_attributes(spec)
        alt = spec.find(tei("altIdent"))
        name = " ".join(alt.text.split()) if alt is not None and alt.text else ident
        ns = spec.get("ns") or self.ns
        doc = describe(spec, self.doc_lang) if self.documentation else None
        self.defs[ident] = [
            RN(
                "element",
                [*nodes, RN("_attrs", attrs)],
                nc=("name", ns, name),
                doc=doc,
                documented=True,
            )
        ]
        self.element_defs.add(ident)

    def _element_attributes(self, spec: etree._Element) -> list[RN]:
        """``classatts.xsl`` then ``defineAttributes``: the attributes of one element."""
        own = spec.find(tei("attList"))
        own_defs = list(own.iter(tei("attDef"))) if own is not None else []
        by_ident: dict[str, list[etree._Element]] = {}
        for att in own_defs:
            by_ident.setdefault(att.get("ident", ""), []).append(att)
        items: list[RN] = []
        encountered: set[str] = set()
        memberships = [
            m.get("key", "") for m in spec.findall(f"{tei('classes')}/{tei('memberOf')}")
        ]
        for key in memberships:
            if key not in self.att_classes:
                continue
            if not own_defs:
                items.append(RN("ref", name=f"{key}.attributes"))
                continue
            refs_out: list[RN] = []
            merged: list[RN] = []
            seen: set[str] = set()
            overridden = self._class_attributes(key, by_ident, refs_out, merged, seen, set())
            if not overridden:
                items.append(RN("ref", name=f"{key}.attributes"))
            else:
                encountered |= seen
                items += refs_out + merged
        if own is not None:
            items += self._own_attributes(own, encountered)
        return items

    def _class_attributes(
        self,
        key: str,
        by_ident: dict[str, list[etree._Element]],
        refs_out: list[RN],
        merged: list[RN],
        seen: set[str],
        visiting: set[str],
    ) -> bool:
        cls = self.classes.get(key)
        if cls is None or key not in self.att_classes or key in visiting:
            return False
        visiting = visiting | {key}
        overridden = False
        for att in cls.iter(tei("attDef")):
            if att.get("mode") == "delete":  # left in a compiled (library) ODD: not there
                continue
            ident = att.get("ident", "")
            seen.add(ident)
            overrides = by_ident.get(ident)
            if overrides:
                overridden = True
                for new in overrides:
                    mode = new.get("mode")
                    if mode == "delete":
                        continue
                    if mode in (None, "replace", "add"):
                        merged += self._attribute(new)
                    else:
                        merged += self._attribute(
                            _merge_class_attribute(new, att, self._missing_value(ident)),
                            context=cls,
                        )
            else:
                refs_out.append(RN("ref", name=f"{key}.attribute.{_flat(ident)}"))
        for member in cls.findall(f"{tei('classes')}/{tei('memberOf')}"):
            if self._class_attributes(
                member.get("key", ""), by_ident, refs_out, merged, seen, visiting
            ):
                overridden = True
        return overridden

    def _own_attributes(self, att_list: etree._Element, encountered: set[str]) -> list[RN]:
        out: list[RN] = []
        for child in att_list:
            if child.tag == tei("attDef"):
                mode = child.get("mode")
                ident = child.get("ident", "")
                if mode == "replace" and ident not in encountered:
                    out += self._attribute(child)
                elif mode and mode != "add":
                    if mode in ("change", "delete") and ident not in encountered:
                        self._missing_attribute(child, mode)
                    continue
                elif not ident.startswith("xmlns"):
                    out += self._attribute(child)
            elif child.tag == tei("attRef"):
                out += self._att_ref(child)
            elif child.tag == tei("attList"):
                inner = self._own_attributes(child, encountered)
                out += self._wrap_att_list(child, inner, nested=True)
        return out

    def _missing_value(self, attribute: str) -> MissingValue:
        """A warning O115 for a valItem change or delete of a value the class's list lacks."""

        def report(item: etree._Element) -> None:
            self._warning(
                "O115",
                f'attribute {attribute}: valItem {item.get("ident")} mode="{item.get("mode")}":'
                " the value list has no such value; ignored",
                item,
            )

        return report

    def _missing_attribute(self, att: etree._Element, mode: str) -> None:
        """An attDef that changes or deletes an attribute the element has no class for."""
        element = self.spec.get("ident", "")
        ident = att.get("ident", "")
        original = self.c.source.specs.get(element)
        if (
            mode == "delete"
            and original is not None
            and original.tag == tei("elementSpec")
            and any(a.get("ident") == ident for a in original.iter(tei("attDef")))
        ):
            return  # the element's own attribute, deleted: nothing left to say
        where = self._where()
        message = (
            f'{element}: attDef {ident} mode="{mode}" has no effect: the element has '
            "no such attribute (neither its own nor from a class)"
        )
        path, line = self.c.position(att)
        if path is not None:
            self.p.warning("O110", message, path=path, line=line)
        elif where is not None:
            self.p.warning("O110", message, where)
        else:
            self.p.info("O110", f"{message} (in the TEI source)")

    def _wrap_att_list(
        self, att_list: etree._Element, inner: list[RN], *, nested: bool
    ) -> list[RN]:
        if not inner:
            return []
        org = att_list.get("org")
        parent_org = att_list.getparent().get("org") if att_list.getparent() is not None else None
        if org == "group" and nested and parent_org == "choice":
            return [RN("group", inner)]
        if org == "choice":
            return [RN("choice", inner)]
        return inner

    # -- attributes --------------------------------------------------------------------------
    def _attribute(self, att: etree._Element, *, context: etree._Element | None = None) -> list[RN]:
        """``makeAnAttribute``: an optional (or, with usage="req", required) attribute."""
        if context is not None:
            self._spec_stack.append(context)
        try:
            node = self._simple_attribute(att)
            name = node.attrs["nc"][2]
            try:
                etree.QName(None, name)
            except ValueError:
                self._error(
                    "O107",
                    f"attDef @ident {att.get('ident', '')!r} is not an attribute name; "
                    "the attribute is left out",
                    att,
                )
                return []
        finally:
            if context is not None:
                self._spec_stack.pop()
        if att.get("usage") == "req":
            return [node]
        return [RN("optional", [node])]

    def _simple_attribute(self, att: etree._Element) -> RN:
        ident = att.get("ident", "")
        alt = att.find(tei("altIdent"))
        ns = att.get("ns") or ""
        if alt is not None and alt.text and " ".join(alt.text.split()) != ident:
            name = " ".join(alt.text.split())
        else:
            name = ident
        if name.startswith("xml:"):
            ns, name = XML, name[4:]
        elif ":" in name and not ns:
            prefix, local = name.split(":", 1)
            ns = att.nsmap.get(prefix) or ""
            name = local
        default_el = att.find(tei("defaultVal"))
        default = (
            " ".join(default_el.text.split())
            if default_el is not None and default_el.text and default_el.text.strip()
            else None
        )
        doc = describe(att, self.doc_lang) if self.documentation else None
        datatype = att.find(tei("datatype"))
        min_, max_ = _min_max(
            datatype.get("minOccurs") if datatype is not None else None,
            datatype.get("maxOccurs") if datatype is not None else None,
        )
        if min_ is None:
            self._error("O107", f"attDef {ident}: bad datatype @minOccurs/@maxOccurs", datatype)
            min_, max_ = 1, 1
        if datatype is None or datatype.find(rng("text")) is not None or max_ == 1:
            value = self._attribute_data(att)
            if min_ == 0 and datatype is not None:
                value = [RN("optional", value)]
        else:
            one = self._attribute_data
            if max_ == -1 and min_ == 1:
                kids = [RN("oneOrMore", one(att))]
            else:
                kids = [n for _ in range(min_) for n in one(att)]
                if max_ == -1:
                    kids.append(RN("zeroOrMore", one(att)))
                else:
                    kids += [RN("optional", one(att)) for _ in range(min_ + 1, max_ + 1)]
            value = [RN("list", kids)]
        return RN(
            "attribute", value, nc=("name", ns, name), default=default, doc=doc, documented=True
        )

    def _attribute_data(self, att: etree._Element) -> list[RN]:
        vallist = att.find(tei("valList"))
        datatype = att.find(tei("datatype"))
        kind = vallist.get("type") if vallist is not None else None
        if kind == "closed":
            return [self._values(att)]
        if kind == "semi":
            values = self._values(att)
            if datatype is None:
                values.kids.append(RN("data", type="Name", lib=XSD_DATATYPES))
            else:
                for kid in datatype:
                    if isinstance(kid.tag, str):
                        values.kids += self._datatype(kid)
            return [values]
        if datatype is not None and any(isinstance(k.tag, str) for k in datatype):
            out: list[RN] = []
            for kid in datatype:
                if isinstance(kid.tag, str):
                    out += self._datatype(kid)
            return out
        return [RN("text")]

    def _values(self, parent: etree._Element) -> RN:
        """``valListChildren``: the values of a spec's (or an attribute's) value list."""
        values = []
        for item in parent.findall(f"{tei('valList')}/{tei('valItem')}"):
            alt = item.find(tei("altIdent"))
            text = (
                " ".join(alt.text.split())
                if alt is not None and alt.text
                else item.get("ident", "")
            )
            values.append(RN("value", text=text))
        return RN("choice", values)

    def _datatype(self, node: etree._Element, restriction: str | None = None) -> list[RN]:
        """A datatype part (``odd2relax``'s ``dataRef``: datatypes are inlined)."""
        tag = node.tag
        if tag == tei("dataRef"):
            if node.get("name"):
                params: list[tuple[str, str]] = []
                facets = node.findall(tei("dataFacet"))
                if facets:
                    params = [(f.get("name", ""), f.get("value", "")) for f in facets]
                elif node.get("restriction"):
                    params = [("pattern", node.get("restriction", ""))]
                elif restriction:
                    params = [("pattern", restriction)]
                return [RN("data", type=node.get("name"), lib=XSD_DATATYPES, params=tuple(params))]
            key = node.get("key", "")
            target = self.macros.get(key)
            if target is None:
                self._check_known(key, "dataRef", node)
                return []
            content = target.find(tei("content"))
            if content is None:
                return []
            self._spec_stack.append(target)
            try:
                out: list[RN] = []
                for kid in content:
                    if isinstance(kid.tag, str):
                        out += self._datatype(kid, node.get("restriction"))
                if len(out) == 1 and not node.get("restriction"):
                    out[0].attrs.setdefault("origin", key)
                return out
            finally:
                self._spec_stack.pop()
        if tag in (
            tei("alternate"),
            tei("sequence"),
            tei("textNode"),
            tei("valList"),
            tei("empty"),
            tei("anyElement"),
            tei("elementRef"),
            tei("classRef"),
            tei("macroRef"),
            tei("interleave"),
        ):
            return self._content(node)
        if tag == rng("ref"):
            name = node.get("name", "")
            target = self.macros.get(name)
            renamed = self.macros.get(f"tei{name}") if name.startswith("data.") else None
            if target is None and renamed is not None and renamed.tag == tei("dataSpec"):
                # TEI P5 3.0 renamed the datatype macros data.* to the dataSpecs teidata.*
                self.p.lacking[name] = None
                self._warning(
                    "O104",
                    f"rng:ref {name}: no such pattern in {self.c.source.label}; it is the "
                    f"name TEI P5 2.x gave tei{name} (renamed in P5 3.0), which is used",
                    node,
                )
                name, target = f"tei{name}", renamed
            if target is not None and target.tag == tei("dataSpec"):
                return self._datatype(etree.Element(tei("dataRef"), key=name))
            self._pattern_refs.append((name, node, self._spec_stack[-1]))
            return [RN("ref", name=self._local_name(name))]
        if isinstance(tag, str) and tag.startswith(f"{{{RNG}}}"):
            return self._rng(node)
        return []

    # -- content: pure ODD -------------------------------------------------------------------
    def _content(self, node: etree._Element) -> list[RN]:
        tag = node.tag
        if not isinstance(tag, str):
            return []
        local = etree.QName(tag).localname
        if tag.startswith(f"{{{RNG}}}"):
            return self._rng(node)
        if tag in (tei("sequence"), tei("alternate"), tei("interleave")):
            kids = [n for k in node for n in self._content(k)]
            if tag == tei("alternate"):
                inner = RN("choice", kids)
            elif tag == tei("interleave"):
                inner = RN("interleave", kids)
            else:
                group = (
                    "list"
                    if all(k.tag == tei("dataRef") for k in node if isinstance(k.tag, str))
                    and len(node)
                    else "group"
                )
                if node.get("preserveOrder") == "false":
                    inner = RN(group, [RN("interleave", kids)])
                else:
                    inner = RN(group, kids)
            return self._occur(node, [inner])
        if tag == tei("textNode"):
            return [RN("text")]
        if tag == tei("empty"):
            return [RN("empty")]
        if tag in (tei("elementRef"), tei("classRef"), tei("macroRef")):
            return self._ref(node)
        if tag == tei("dataRef"):
            return self._datatype(node)
        if tag == tei("anyElement"):
            return self._occur(node, [RN("ref", name=self._any_element(node))])
        if tag == tei("valList"):
            return [self._values(node.getparent())]
        self._error("O107", f"content: unexpected element {local}", node)
        return []

    def _ref(self, node: etree._Element) -> list[RN]:
        """``elementRef``/``classRef``/``macroRef`` with ``@expand`` and repetitions."""
        key = node.get("key", "")
        what = etree.QName(node).localname
        self._check_known(key, what, node)
        expand = node.get("expand")
        include, except_ = node.get("include"), node.get("except")
        members = [
            m
            for m in self.members.get(key, [])
            if include_member(m.spec.get("ident", ""), except_, include)
        ]
        if not expand and (include or except_):
            c = [n for m in members for n in self._member_ref(m, "")]
        elif not expand:
            c = [RN("ref", name=self._local_name(key))]
        elif expand == "sequence":
            c = [n for m in members for n in self._member_ref(m, expand)]
        elif expand in ("sequenceOptional", "sequenceRepeatable", "sequenceOptionalRepeatable"):
            wrapper = {
                "sequenceOptional": "optional",
                "sequenceRepeatable": "oneOrMore",
                "sequenceOptionalRepeatable": "zeroOrMore",
            }[expand]
            c = [RN(wrapper, self._member_ref(m, expand)) for m in members]
        else:
            c = [RN("choice", [n for m in members for n in self._member_ref(m, expand)])]
        return self._occur(node, c)

    def _occur(self, node: etree._Element, c: list[RN]) -> list[RN]:
        """``c`` repeated as ``@minOccurs``/``@maxOccurs`` say (the TEI build's way)."""
        min_, max_ = _min_max(node.get("minOccurs"), node.get("maxOccurs"))
        if min_ is None:
            what = " ".join(filter(None, (etree.QName(node).localname, node.get("key"))))
            self._error(
                "O107",
                f"{what}: bad @minOccurs/@maxOccurs ({node.get('minOccurs')}, "
                f"{node.get('maxOccurs')})",
                node,
            )
            return c
        if (min_, max_) == (1, 1):
            return c
        if min_ in (0, 1) and max_ in (1, -1):
            owe = {(0, 1): "optional", (1, -1): "oneOrMore", (0, -1): "zeroOrMore"}[(min_, max_)]
            return [RN(owe, copy_nodes(c))]
        group: list[RN] = []
        for _ in range(min(min_, MAXINT)):
            group += copy_nodes(c)
        count = max_ - min_
        if max_ == -1 or count >= MAXINT:
            group.append(RN("zeroOrMore", copy_nodes(c)))
        else:
            nested: list[RN] = []
            for _ in range(count):
                nested = [RN("optional", copy_nodes(c) + nested)]
            group += nested
        return [RN("group", group)]

    def _any_element(self, node: etree._Element) -> str:
        spec_ident = self.spec.get("ident", "")
        exclude = node.get("except") or node.get("exclude")
        scope = node
        if exclude is None:
            exclude = self.c.schema_spec.get("defaultExceptions")
            scope = self.c.schema_spec
        if exclude is None:
            exclude = self.c.source.default_exceptions
        key = (spec_ident, " ".join(exclude.split()))
        name = self.any_elements.get(key)
        if name is not None:
            return name
        name = f"anyElement-{spec_ident}"
        if name in self.defs:
            name = f"{name}-{len(self.any_elements) + 1}"
        self.any_elements[key] = name
        excepts: list[NameClass] = []
        for token in dict.fromkeys(exclude.split()):
            if token == "teix:egXML":
                excepts.append(("name", TEIX, "egXML"))
            elif re.fullmatch(r"\w+:\w+", token):
                prefix, local = token.split(":", 1)
                uri = scope.nsmap.get(prefix) or node.nsmap.get(prefix)
                if uri is None and scope is self.c.schema_spec:
                    self.p.warning(
                        "O107",
                        f"@defaultExceptions: the prefix of {token} is not "
                        "declared on the schemaSpec; it is read as a "
                        "namespace name, as the TEI Stylesheets do",
                        self.c.schema_spec,
                    )
                excepts.append(("name", uri, local) if uri else ("nsName", token, None))
            else:
                excepts.append(("nsName", token, None))
        except_nc = (
            (excepts[0] if len(excepts) == 1 else ("nameChoice", tuple(excepts)))
            if excepts
            else None
        )
        any_name: NameClass = ("anyName", except_nc)
        body = RN(
            "element",
            [
                RN("zeroOrMore", [RN("attribute", [RN("text")], nc=("anyName", None))]),
                RN("zeroOrMore", [RN("choice", [RN("text"), RN("ref", name=name)])]),
            ],
            nc=any_name,
            doc=None,
            documented=False,
            any=True,
        )
        self.defs[name] = [body]
        self.element_defs.add(name)
        return name

    # -- content: embedded RELAX NG ----------------------------------------------------------
    def _rng(self, node: etree._Element) -> list[RN]:
        local = etree.QName(node).localname
        kids_el = [k for k in node if isinstance(k.tag, str) and k.tag.startswith(f"{{{RNG}}}")]
        if local == "ref":
            name = node.get("name", "")
            if self._ref_prefix:
                return [RN("ref", name=self._ref_prefix + name)]
            self._pattern_refs.append((name, node, self._spec_stack[-1]))
            return [RN("ref", name=self._local_name(name))]
        if local in ("text", "empty", "notAllowed"):
            return [RN(local)]
        if local == "choice" and len(kids_el) == 1:
            return self._rng(kids_el[0])
        if local == "zeroOrMore":
            if (
                len(kids_el) == 1
                and kids_el[0].tag == rng("ref")
                and kids_el[0].get("name") == "model.global"
            ):
                prev = node.getprevious()
                while prev is not None and not isinstance(prev.tag, str):
                    prev = prev.getprevious()
                if (
                    prev is not None
                    and prev.tag == rng("zeroOrMore")
                    and [k.get("name") for k in prev if isinstance(k.tag, str)] == ["model.global"]
                ):
                    return []
            if len(kids_el) == 1 and kids_el[0].tag == rng("zeroOrMore"):
                return self._rng(kids_el[0])
        if local == "value":
            return [
                RN(
                    "value",
                    text=node.text or "",
                    type=node.get("type"),
                    lib=_library(node),
                    ns=_ns_attr(node),
                )
            ]
        if local == "data":
            params = tuple((p.get("name", ""), p.text or "") for p in node.findall(rng("param")))
            except_ = node.find(rng("except"))
            kids = [n for k in except_ for n in self._rng(k)] if except_ is not None else []
            return [
                RN(
                    "data",
                    [RN("except", kids)] if kids else [],
                    type=node.get("type"),
                    lib=_library(node),
                    params=params,
                )
            ]
        if local in ("element", "attribute"):
            nc = _rng_name_class(node)
            content = [n for k in _pattern_children(node) for n in self._rng(k)]
            if local == "attribute":
                if nc[0] == "name" and nc[1] is None:
                    nc = ("name", "", nc[2])
                return [
                    RN(
                        "attribute",
                        content or [RN("text")],
                        nc=nc,
                        default=None,
                        doc=None,
                        documented=False,
                    )
                ]
            if nc[0] == "name" and nc[1] is None:
                nc = ("name", self.ns, nc[2])
            name = f"{self.spec.get('ident')}-rng-element-{len(self.defs)}"
            self.defs[name] = [
                RN(
                    "element",
                    [*content, RN("_attrs", [])],
                    nc=nc,
                    doc=None,
                    documented=False,
                    any=nc[0] != "name",
                )
            ]
            self.element_defs.add(name)
            return [RN("ref", name=name)]
        if local in COMBINATORS:
            kids = [n for k in kids_el for n in self._rng(k)]
            return [RN(local, kids)]
        if local in ("name", "anyName", "nsName", "param", "except"):
            return []
        self._error("O107", f"content: unexpected RELAX NG element {local}", node)
        return []

    # -- start ---------------------------------------------------------------------------------
    def _start_names(self) -> list[str]:
        start = self.c.schema_spec.get("start")
        if start is not None:
            names = start.split()
            for name in names:
                if name not in self.elements:
                    self.p.error(
                        "O111",
                        f"@start names {name}, which is not an element of the schema",
                        self.c.schema_spec,
                    )
            return [n for n in names if n in self.elements]
        if "teiCorpus" in self.elements:
            return ["TEI", "teiCorpus"]
        return ["TEI"] if "TEI" in self.elements else []

    # -- step 3: resolve ---------------------------------------------------------------------
    def _resolve(self, start_names: list[str]) -> Grammar:
        P = self.P
        memo: dict[str, Pattern] = {}
        busy: set[str] = set()
        origins: dict[int, str] = {}
        elements: dict[str, Pattern] = {}

        def resolve(name: str) -> Pattern:
            if name in self.element_defs:
                return P.not_allowed if name in self.not_allowed_elements else P.ref(name)
            found = memo.get(name)
            if found is not None:
                return found
            if name in busy:
                self.p.error("O107", f"{name} refers to itself without an element in between")
                return P.not_allowed
            busy.add(name)
            result = conv_list(self.defs.get(name, []))
            busy.discard(name)
            memo[name] = result
            origins.setdefault(result.uid, name)
            return result

        def conv_list(nodes: list[RN]) -> Pattern:
            return P.group(conv(n) for n in nodes)

        def conv(node: RN) -> Pattern:
            result = convert(node)
            origin = node.attrs.get("origin")
            if origin is not None:
                origins.setdefault(result.uid, origin)
            return result

        def convert(node: RN) -> Pattern:
            tag = node.tag
            if tag == "ref":
                return resolve(node.attrs["name"])
            if tag in LEAVES:
                return P.leaf(tag)
            if tag in COMBINATORS:
                return P.combine(tag, (conv(k) for k in node.kids))
            if tag == "bundle":
                return P.bundle(node.attrs["name"], conv_list(node.kids))
            if tag == "value":
                type_ = node.attrs.get("type")
                lib = node.attrs.get("lib", "") if type_ else ""
                return P.value(
                    node.attrs.get("text", ""),
                    type_ or "token",
                    lib,
                    node.attrs.get("ns", "") or "",
                )
            if tag == "data":
                except_ = None
                if node.kids and node.kids[0].tag == "except":
                    except_ = P.choice(conv(k) for k in node.kids[0].kids)
                return P.data(
                    node.attrs.get("type") or "string",
                    node.attrs.get("lib", XSD_DATATYPES) or "",
                    tuple(node.attrs.get("params", ())),
                    except_,
                )
            if tag == "attribute":
                value = conv_list(node.kids) if node.kids else P.text
                return P.attribute(
                    node.attrs["nc"],
                    value,
                    default=node.attrs.get("default"),
                    doc=node.attrs.get("doc"),
                )
            if tag == "_attrs":
                return conv_list(node.kids)
            self.p.error("O107", f"unexpected pattern {tag}")
            return P.not_allowed

        for name in sorted(self.element_defs):
            if name in self.not_allowed_elements:
                continue
            nodes = self.defs.get(name, [])
            if len(nodes) != 1 or nodes[0].tag != "element":
                continue
            body = nodes[0]
            content = [k for k in body.kids if k.tag != "_attrs"]
            attrs = [n for k in body.kids if k.tag == "_attrs" for n in k.kids]
            attributes = self._unique_attributes(name, conv_list(attrs))
            elements[name] = P.element(
                body.attrs["nc"], conv_list(content), attributes, doc=body.attrs.get("doc")
            )

        # RELAX NG simplification: elements no document can satisfy are notAllowed
        before = list(elements)
        elements, productive = drop_unsatisfiable(P, elements, origins)
        unsatisfiable = sorted(n for n in before if n not in productive)
        start = P.choice(P.ref(n) for n in start_names if n in productive)
        for name in start_names:
            if name not in productive and name in self.elements:
                self.p.error(
                    "O112",
                    f"the start element {name} can never be valid: its "
                    "required content is not in the schema",
                    self.c.schema_spec,
                )
        # keep what the start can reach
        kept = reachable(elements, start_names)
        for name in unsatisfiable:
            if name in self.elements:
                spec = self.elements[name]
                origin = self.c.origin.get(name)
                self.p.warning(
                    "O112",
                    f"element {name} can never be valid (its required "
                    "content is not in the schema); it is left out",
                    origin if origin is not None else self.c.schema_spec,
                )
                del spec
        elements = {n: p for n, p in elements.items() if n in kept}
        names: dict[str, str] = {}
        taken: set[str] = set()
        for n in sorted(elements, key=lambda n: n.startswith(EXT)):
            base = n[len(EXT) :] if n.startswith(EXT) else f"{self._prefix_of(n)}{n}"
            name, count = base, 2
            while name in taken:
                name, count = f"{base}-{count}", count + 1
            taken.add(name)
            names[n] = name
        return Grammar(P, start, elements, names, self.ns, origins, unsatisfiable, self.prefix)

    def _unique_attributes(self, element: str, attrs: Pattern) -> Pattern:
        """One definition per attribute name: RELAX NG forbids the same attribute twice in a
        group (Jing: 'duplicate attribute', libxml2: 'Attributes conflicts in group'). The
        last definition is kept (an element's own comes after its classes'), with O113."""
        P = self.P
        seen: set[NameClass] = set()
        dropped: list[str] = []

        def names(p: Pattern) -> set[NameClass]:
            if p.kind == "attribute":
                return {p.data[0]} if p.data[0][0] == "name" else set()
            if p.kind in ("element", "ref", "data", "value", "list"):
                return set()
            return set().union(*(names(k) for k in p.kids)) if p.kids else set()

        def strip(p: Pattern, drop: set[NameClass]) -> Pattern:
            if p.kind == "attribute":
                return P.empty if p.data[0] in drop else p
            if p.kind == "bundle":  # a shared class group, changed here: inline it
                return P.group([strip(p.kids[0], drop)])
            if p.kind in ("group", "interleave", "choice", "optional", "zeroOrMore", "oneOrMore"):
                return P.rebuild(p, [strip(k, drop) for k in p.kids])
            return p

        def unique(p: Pattern) -> Pattern:
            if p.kind in ("group", "interleave", "bundle"):
                kids = [unique(k) for k in reversed(p.kids)][::-1]
                if p.kind == "bundle":  # a shared class group: inlined where it changes
                    return p if kids == list(p.kids) else P.group(kids)
                return P.rebuild(p, kids)
            mine = names(p)
            if mine & seen:
                dropped.extend(sorted(n[2] for n in mine & seen))
                p = strip(p, mine & seen)
            seen.update(names(p))
            return p

        if not names(attrs):
            return attrs
        result = unique(attrs)
        if dropped:
            self.p.warning(
                "O113",
                f"element {element}: attribute {', '.join(dropped)} defined more than once "
                "(by its classes and its own attList); the last definition is kept",
                self._odd_node(element),
            )
        return result

    def _odd_node(self, ident: str) -> etree._Element:
        """Where in the ODD to report on spec ``ident``: its origin when that is in the ODD,
        else the ODD's last spec of that name (an ``add`` or ``change`` of a TEI spec), else
        the ``schemaSpec``."""
        origin = self.c.origin.get(ident)
        if origin is not None and self.p.where(origin)[0] is not None:
            return origin
        specs = [
            spec
            for spec in self.c.schema_spec.iter(tei("elementSpec"))
            if spec.get("ident") == ident
        ]
        return specs[-1] if specs else self.c.schema_spec

    def _prefix_of(self, name: str) -> str:
        spec = self.by_ident.get(name)
        if spec is not None and spec.get("prefix") is not None:
            return spec.get("prefix", "")
        return self.prefix


# -- small helpers --------------------------------------------------------------------------------


def _flat(ident: str) -> str:
    return ident.replace(":", "")


def _min_max(min_s: str | None, max_s: str | None) -> tuple[int | None, int]:
    try:
        min_ = int(min_s) if min_s is not None else 1
    except ValueError:
        return None, 0
    if max_s is None:
        max_ = 1
    elif max_s.strip() == "unbounded":
        max_ = -1
    else:
        try:
            max_ = int(max_s)
        except ValueError:
            return None, 0
    if min_ < 0 or (max_ != -1 and max_ < min_):
        return None, 0
    return min_, max_


def _is_rng(node: etree._Element) -> bool:
    return isinstance(node.tag, str) and node.tag.startswith(f"{{{RNG}}}")


def _outside_spec(node: etree._Element) -> bool:
    return node.tag not in (tei("content"), tei("datatype"))


def _library(node: etree._Element) -> str:
    """The ``datatypeLibrary`` in force at ``node`` (not inherited from the spec around it)."""
    return inherited(node, "datatypeLibrary", within=_outside_spec)


def _ns_attr(node: etree._Element) -> str:
    """The ``ns`` in force at ``node``, from RELAX NG elements only."""
    return inherited(node, "ns", counts=_is_rng, within=_is_rng)


def _rng_name_class(node: etree._Element) -> NameClass:
    """The name class of an ``element``/``attribute``; an element's name with no ``ns`` in
    force has namespace ``None`` (the schema's, filled in by the caller)."""
    name = node.get("name")
    if name is not None:
        if node.get("ns") is None and node.tag == rng("element"):
            parent = node.getparent()
            found = None
            if parent is not None:
                found = declared(parent, "ns", counts=_is_rng, within=_is_rng)
            if not found:
                nc = names.qualified(name, node, "")
                return ("name", None, nc[2]) if ":" not in name else nc
            return names.qualified(name, node, found)
        return names.qualified(name, node, node.get("ns") or "")
    for kid in node:
        if isinstance(kid.tag, str) and kid.tag in (
            rng("name"),
            rng("anyName"),
            rng("nsName"),
            rng("choice"),
        ):
            return names.read(kid, _ns_attr(node))
    return ("anyName", None)


def _pattern_children(node: etree._Element) -> list[etree._Element]:
    """The pattern children of an ``element``/``attribute`` (without its name class)."""
    kids = [k for k in node if isinstance(k.tag, str) and k.tag.startswith(f"{{{RNG}}}")]
    if node.get("name") is None and kids:
        kids = kids[1:]
    return kids


def _merge_class_attribute(
    new: etree._Element, old: etree._Element, missing: MissingValue | None = None
) -> etree._Element:
    """``mergeClassAttribute``: an element's attDef in change mode over a class's attDef
    (``missing``: told of a valItem changed or deleted that the class's list lacks)."""
    out = etree.Element(tei("attDef"), ident=old.get("ident", ""))
    if old.get("ns"):
        out.set("ns", old.get("ns", ""))
    usage = new.get("usage") or old.get("usage")
    if usage:
        out.set("usage", usage)
    for local in (
        "altIdent",
        "equiv",
        "gloss",
        "desc",
        "constraintSpec",
        "datatype",
        "defaultVal",
        "valDesc",
    ):
        source = new if new.find(tei(local)) is not None else old
        for part in source.findall(tei(local)):
            out.append(_clone(part))
    mine = new.find(tei("valList"))
    theirs = old.find(tei("valList"))
    if mine is not None:
        mode = mine.get("mode") or "add"
        if mode == "delete":
            pass
        elif mode in ("add", "replace") or theirs is None:
            vl = etree.SubElement(out, tei("valList"))
            for attr in ("type", "repeatable"):
                if mine.get(attr) is not None:
                    vl.set(attr, mine.get(attr, ""))
            for kid in mine:
                vl.append(_clone(kid))
        else:
            out.append(merge_vallist(mine, theirs, missing))
    elif theirs is not None:
        out.append(_clone(theirs))
    return out


def _clone(node: etree._Element) -> etree._Element:
    import copy

    return copy.deepcopy(node)
