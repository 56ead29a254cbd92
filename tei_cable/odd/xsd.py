"""Write a compiled ODD's grammar as W3C XML Schema 1.0.

:func:`write_xsd` turns the resolved grammar of a :class:`~tei_cable.odd.CompiledOdd` (the one
:mod:`~tei_cable.relaxng.write` writes as RELAX NG) into one XSD document:

- the schema's namespace (TEI's) is the ``targetNamespace``; each element is a named
  ``complexType`` (named as the RELAX NG ``define``) used by local element declarations, so
  only the start elements (``TEI``, ``teiCorpus``…) are global, and can be a document's root,
  as in the RELAX NG;
- ``xml:`` attributes refer to the XML namespace's own schema, imported with its usual
  location (``http://www.w3.org/2001/xml.xsd``); validators with the XML namespace built in
  (``xmlschema``) or an XML catalog need no network for it;
- class attributes are ``attributeGroup``\\ s named after their class; datatypes, closed value
  lists (enumerations), required and optional attributes and element content models are as
  exact as XSD 1.0 allows (:mod:`~tei_cable.odd.xsd_types`, :mod:`~tei_cable.odd.xsd_model`).

Where XSD cannot say what the RELAX NG says the XSD says something *looser*: it accepts every
document the RELAX NG accepts, and some more. Each such place is listed in an XML comment
``<!-- loosened (kind): … -->`` at that place in the schema; :func:`loosened` reads them
back (``tei-cable schema build`` prints them). The kinds are in
:data:`tei_cable.odd.xsd_model.KINDS` and :data:`LOOSENING_KINDS`.

One looseness is XSD's own and has no comment: the ``xsi:`` attributes (``xsi:schemaLocation``,
``xsi:type``…) are allowed on every element; the header says so.

The output is deterministic: the same grammar gives the same bytes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from lxml import etree

from ..namespaces import TEI, XML
from ..relaxng.names import NameClass
from ..relaxng.patterns import EXT, Grammar, Pattern
from .xsd_model import (
    ANY_TYPE,
    KINDS,
    OTHER,
    UNBOUNDED,
    Loosening,
    Model,
    ModelBuilder,
    Particle,
    is_epsilon,
    namespaces_of,
)
from .xsd_types import XS, SimpleType, SimpleTypes

if TYPE_CHECKING:
    from .compiler import CompiledOdd

XML_XSD = "http://www.w3.org/2001/xml.xsd"
_X = f"{{{XS}}}"
#: loosenings of attributes and values, beside the content-model ones of ``KINDS``
LOOSENING_KINDS: dict[str, str] = {
    **KINDS,
    "attributes": "a choice between attributes: each is optional (required only if every "
    "alternative requires it), with the values of every alternative",
    "datatype": "a datatype XSD lacks, or one XSD checks more strictly, is checked by its "
    "lexical form or as any string",
    "list": "a list whose items differ in type by position is checked item by item",
    "xml attribute": "an xml: attribute uses the XML namespace schema's declaration, which "
    "is looser than the ODD's (or, when it would be stricter, any xml: "
    "attribute is allowed)",
}
#: what the XML namespace schema declares: xml:id ID, xml:lang language or "", xml:space
#: default or preserve, xml:base anyURI
_XML_ATTRIBUTES = ("id", "lang", "space", "base")
_COMMENT = "loosened"
#: sequences and choices of at least this many particles, found twice, become a named group
SHARE_AT = 4


def write_xsd(compiled: CompiledOdd) -> etree._ElementTree:
    """The XSD of ``compiled`` as an lxml tree (deterministic)."""
    return write_grammar(compiled.grammar, header=compiled.provenance("W3C XML Schema"))


def write_grammar(grammar: Grammar, *, header: Iterable[str] = ()) -> etree._ElementTree:
    """The XSD of a resolved grammar (see the module docstring)."""
    return _Writer(grammar).write(list(header))


def loosened(xsd: etree._ElementTree | etree._Element | bytes) -> list[str]:
    """Every loosened place of an XSD written by :func:`write_xsd`, one line each:
    ``where: kind: what``, in document order."""
    root = (
        etree.fromstring(xsd)
        if isinstance(xsd, bytes)
        else (xsd.getroot() if isinstance(xsd, etree._ElementTree) else xsd)
    )
    out = []
    for comment in root.iter(etree.Comment):
        text = (comment.text or "").strip()
        if not text.startswith(f"{_COMMENT} ("):
            continue
        kind, _, detail = text[len(_COMMENT) + 2 :].partition("): ")
        out.append(f"{_owner(comment)}: {kind}: {detail}")
    return out


def build_notes(
    xsd: etree._ElementTree | etree._Element | bytes, name: str, *, limit: int = 12
) -> list[str]:
    """What ``tei-cable schema build`` says about an XSD's loosened places: one line each,
    or, past ``limit``, a count by kind and where the full list is."""
    places = loosened(xsd)
    if not places:
        return []
    if len(places) <= limit:
        return [f"{name}: looser than the RELAX NG at {p}" for p in places]
    counts: dict[str, int] = {}
    for place in places:
        kind = place.split(": ", 2)[1]
        counts[kind] = counts.get(kind, 0) + 1
    summary = ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))
    return [
        f"{name}: looser than the RELAX NG at {len(places)} places ({summary}); each is "
        f'an XML comment "<!-- {_COMMENT} (…" in {name}'
    ]


def _owner(node: etree._Element) -> str:
    parent = node.getparent()
    while parent is not None:
        name = parent.get("name")
        if (
            name is not None
            and parent.getparent() is not None
            and (parent.getparent().tag == _X + "schema")
        ):
            local = etree.QName(parent).localname
            what = {
                "complexType": "element",
                "attributeGroup": "attributes",
                "simpleType": "type",
                "group": "group",
            }.get(local, local)
            return f"{what} {name}"
        parent = parent.getparent()
    return "schema"


# -- attributes ------------------------------------------------------------------------------------


@dataclass
class _Attr:
    """One attribute of an element or class: its name, whether required, its values."""

    ns: str
    local: str
    required: bool
    values: list[Pattern]
    doc: str | None = None


@dataclass
class _Atts:
    """The attributes of an element (or of a class's attribute group)."""

    items: list[_Attr | str] = field(default_factory=list)  # str: an attribute group
    wild: set[str] = field(default_factory=set)
    notes: list[Loosening] = field(default_factory=list)

    def extend(self, other: _Atts) -> None:
        self.items += other.items
        self.wild |= other.wild
        self.notes += other.notes


def _xs(parent: etree._Element | None, local: str, **attrs: str) -> etree._Element:
    if parent is None:
        return etree.Element(_X + local, **attrs)
    return etree.SubElement(parent, _X + local, **attrs)


def _note(parent: etree._Element, note: Loosening, index: int | None = None) -> None:
    text = f" {_COMMENT} ({note.kind}): {note.detail.replace('--', '- -')} "
    comment = etree.Comment(text)
    if index is None:
        parent.append(comment)
    else:
        parent.insert(index, comment)


class _Writer:
    def __init__(self, grammar: Grammar) -> None:
        self.g = grammar
        self.target = grammar.ns
        self.prefix = "tei" if grammar.ns == TEI else "t"
        self.types = SimpleTypes(self._share)
        self.models = ModelBuilder(self.target, self._element_of, lambda p: self._origin(p.uid))
        #: content model groups shared by several elements: body key -> group name
        self.model_groups: dict[tuple[object, ...], str] = {}
        self.model_group_names: set[str] = set()
        self.model_group_defs: dict[str, etree._Element] = {}
        self._keys: dict[int, tuple[object, ...]] = {}
        #: names taken in the schema's symbol spaces
        self.type_names: set[str] = set()
        self.group_names: set[str] = set()
        #: value pattern uid -> named simple type; and their definitions
        self.named_types: dict[int, str] = {}
        self.type_defs: dict[str, etree._Element] = {}
        #: bundle uid -> attribute group name; and their definitions
        self.bundles: dict[int, str] = {}
        self.bundle_defs: dict[str, etree._Element] = {}
        self._pending_bundles: list[str] = []
        self._bundle_patterns: dict[str, Pattern] = {}
        self._bundle_summaries: dict[str, _Atts] = {}
        self._attribute_memo: dict[int, bool] = {}
        self.value_uses: dict[int, int] = {}
        self.schema_notes: list[Loosening] = []
        self._whitespace: str | None = None

    # -- names --------------------------------------------------------------------------------
    def _element_of(self, name: str) -> tuple[NameClass, str]:
        pattern = self.g.elements[name]
        return pattern.data[0], self.g.names[name]

    def _qname(self, local: str) -> str:
        return f"{self.prefix}:{local}"

    def _unique(self, taken: set[str], base: str, p: Pattern | None = None) -> str:
        name = base
        if name in taken:
            digest = hashlib.sha1(
                repr(p).encode() if p is not None else base.encode(), usedforsecurity=False
            ).hexdigest()[:8]
            name = f"{base}-{digest}"
            n = 2
            while name in taken:
                name = f"{base}-{digest}-{n}"
                n += 1
        taken.add(name)
        return name

    # -- the document ---------------------------------------------------------------------------
    def write(self, header: list[str]) -> etree._ElementTree:
        g = self.g
        emitted = [n for n in sorted(g.elements) if self._declared(n)]
        self.type_names |= {g.names[n] for n in emitted}
        summaries = {n: self._attributes(n) for n in emitted}
        self._count_values(summaries)
        by_content: dict[int, Model] = {}
        models: dict[str, Model] = {}
        for name in emitted:
            content = self.g.elements[name].kids[0]
            if _has_elements(content):
                found = by_content.get(content.uid)
                if found is None:
                    found = by_content[content.uid] = self.models.model(content)
                models[name] = found
        self._plan_groups([m.particle for m in models.values()])

        root = etree.Element(_X + "schema", nsmap={"xs": XS, self.prefix: self.target})
        root.set("targetNamespace", self.target)
        root.set("elementFormDefault", "qualified")
        root.set("attributeFormDefault", "unqualified")
        intro = etree.Comment("")
        root.append(intro)
        _xs(root, "import", namespace=XML, schemaLocation=XML_XSD)
        for name in self._start_names():
            _xs(root, "element", name=g.elements[name].data[0][2], type=self._qname(g.names[name]))
        for name in emitted:
            root.append(self._complex_type(name, summaries[name], models.get(name)))
        while self._pending_bundles:
            name = self._pending_bundles.pop(0)
            self.bundle_defs[name] = self._attribute_group(name)
        for name in sorted(self.model_group_defs):
            root.append(self.model_group_defs[name])
        for name in sorted(self.bundle_defs):
            root.append(self.bundle_defs[name])
        for name in sorted(self.type_defs):
            root.append(self.type_defs[name])
        for index, note in enumerate(_unique_notes(self.schema_notes)):
            _note(root, note, 2 + index)
        count = len(loosened(root))
        looser = (
            f"XML Schema 1.0 cannot say everything the RELAX NG says: this schema is "
            f"looser at {count} place{'s' if count != 1 else ''}, each marked by a "
            f'comment "{_COMMENT} (kind): …". The RELAX NG is the normative grammar.'
            if count
            else "XML Schema 1.0 says everything the RELAX NG says here: nothing "
            "is loosened. The RELAX NG is the normative grammar."
        )
        lines = [
            *header,
            looser,
            "As in any XSD, XML Schema's own xsi: attributes (xsi:schemaLocation, "
            "xsi:type…) are allowed on every element; the RELAX NG does not allow them.",
        ]
        if root.find(f".//{_X}attribute[@ref='xml:id']") is not None:
            lines.append(
                "xml:id is the XML namespace schema's xs:ID: a repeated xml:id value "
                "is an error here, as the xml:id Recommendation says (not every "
                "RELAX NG validator checks it)."
            )
        intro.text = "\n" + "\n".join(lines) + "\n"
        return root.getroottree()

    def _declared(self, name: str) -> bool:
        nc = self.g.elements[name].data[0]
        return nc[0] == "name" and (nc[1] or "") == self.target

    def _start_names(self) -> list[str]:
        start = self.g.start
        refs = [start] if start.kind == "ref" else [k for k in start.kids if k.kind == "ref"]
        out = []
        for ref in refs:
            name = ref.data[0]
            if name in self.g.elements and self._declared(name):
                out.append(name)
            elif name in self.g.elements:
                self.schema_notes.append(
                    Loosening(
                        "other namespace",
                        f"start element {name} is in another namespace, which "
                        "this schema cannot declare: documents it starts are "
                        "not covered",
                    )
                )
        return out

    # -- elements -----------------------------------------------------------------------------
    def _complex_type(self, name: str, atts: _Atts, model: Model | None) -> etree._Element:
        pattern = self.g.elements[name]
        _nc, doc = pattern.data
        content = pattern.kids[0]
        ctype = _xs(None, "complexType", name=self.g.names[name])
        if doc:
            _xs(_xs(ctype, "annotation"), "documentation").text = doc
        notes: list[Loosening] = []
        if model is None:
            value, separable = _value_part(content)
            if not separable:
                notes.append(
                    Loosening("datatype", "a value tied to attributes in the content is any text")
                )
                value = self.g.patterns.text
            if value is None:
                base = self._whitespace_type()
            else:
                base, value_notes = self._type_ref(value, name, named=True)
                notes += value_notes
            holder = _xs(_xs(ctype, "simpleContent"), "extension", base=base)
        else:
            notes += model.loosenings
            if model.mixed:
                ctype.set("mixed", "true")
            if not is_epsilon(model.particle):
                self._particle(ctype, model.particle, top=True)
            holder = ctype
        notes += self._emit_attributes(holder, atts)
        self._place_notes(ctype, notes)
        return ctype

    def _place_notes(self, parent: etree._Element, notes: list[Loosening]) -> None:
        index = 1 if len(parent) and parent[0].tag == _X + "annotation" else 0
        for offset, note in enumerate(_unique_notes(notes)):
            _note(parent, note, index + offset)

    def _whitespace_type(self) -> str:
        """An element with empty content: RELAX NG lets it hold whitespace, XSD's empty
        content does not, so it is simple content of whitespace only."""
        if self._whitespace is None:
            self._whitespace = self._unique(self.type_names, "whitespace")
            body = _xs(None, "simpleType", name=self._whitespace)
            _xs(
                _xs(body, "annotation"), "documentation"
            ).text = "Empty content: whitespace only, which RELAX NG's empty allows"
            restriction = _xs(body, "restriction", base="xs:string")
            _xs(restriction, "pattern", value=r"\s*")
            self.type_defs[self._whitespace] = body
        return self._qname(self._whitespace)

    def _particle(
        self, parent: etree._Element, p: Particle, *, top: bool = False, body: bool = False
    ) -> None:
        if top and p.leaf:
            parent = _xs(parent, "sequence")
        shared = None if p.leaf or body else self.model_groups.get(self._body(p))
        if shared is not None:
            node = _xs(parent, "group", ref=self._qname(shared))
            if shared not in self.model_group_defs:
                definition = _xs(None, "group", name=shared)
                self.model_group_defs[shared] = definition
                self._particle(definition, _once(p), body=True)
        elif p.kind == "element":
            node = _xs(
                parent,
                "element",
                name=p.name,
                type=p.type if p.type == ANY_TYPE else self._qname(p.type),
            )
        elif p.kind == "any":
            node = _xs(
                parent, "any", namespace=self._namespace_list(p.namespaces), processContents="skip"
            )
        else:
            node = _xs(parent, p.kind)
            for kid in p.kids:
                self._particle(node, kid)
        if p.min != 1:
            node.set("minOccurs", str(p.min))
        if p.max != 1:
            node.set("maxOccurs", "unbounded" if p.max == UNBOUNDED else str(p.max))

    # -- shared content groups ------------------------------------------------------------------
    def _key(self, p: Particle) -> tuple[object, ...]:
        found = self._keys.get(id(p))
        if found is None:
            found = (
                p.kind,
                p.min,
                p.max,
                p.name,
                p.type,
                tuple(sorted(p.namespaces)),
                tuple(self._key(k) for k in p.kids),
            )
            self._keys[id(p)] = found
        return found

    def _body(self, p: Particle) -> tuple[object, ...]:
        """A group's identity without its own occurrence (a shared group's ref has that)."""
        return (p.kind, tuple(self._key(k) for k in p.kids))

    def _plan_groups(self, roots: list[Particle]) -> None:
        """Sequences and choices of at least :data:`SHARE_AT` particles that occur in more
        than one place become named model groups (``xs:group``), named after the class or
        macro they come from."""
        nodes: dict[tuple[object, ...], Particle] = {}
        sizes: dict[tuple[object, ...], int] = {}
        inner: dict[tuple[object, ...], dict[tuple[object, ...], int]] = {}
        occ: dict[tuple[object, ...], int] = {}

        def visit(p: Particle) -> tuple[object, ...] | None:
            if p.leaf:
                return None
            body = self._body(p)
            if body not in nodes:
                nodes[body] = p
                counts: dict[tuple[object, ...], int] = {}
                size = 0
                for kid in p.kids:
                    kid_body = visit(kid)
                    size += 1 if kid.leaf else sizes[kid_body]  # type: ignore[index]
                    if kid_body is not None:
                        counts[kid_body] = counts.get(kid_body, 0) + 1
                sizes[body] = size
                inner[body] = counts
            return body

        for root in roots:
            body = visit(root)
            if body is not None:
                occ[body] = occ.get(body, 0) + 1
        for body in sorted(nodes, key=lambda b: -sizes[b]):
            count = occ.get(body, 0)
            shared = count >= 2 and sizes[body] >= SHARE_AT
            if shared:
                p = nodes[body]
                base = p.origin or f"{p.kind}-{_digest(body)}"
                self.model_groups[body] = self._unique(self.model_group_names, base)
            for kid, n in inner[body].items():
                occ[kid] = occ.get(kid, 0) + n * (1 if shared else count)

    def _namespace_list(self, tokens: Iterable[str]) -> str:
        tokens = set(tokens)
        if "##any" in tokens:
            return "##any"
        if OTHER in tokens:
            return OTHER
        words = []
        for token in sorted(tokens):
            words.append(
                "##targetNamespace" if token == self.target else "##local" if token == "" else token
            )
        return " ".join(words)

    # -- attributes ---------------------------------------------------------------------------
    def _attributes(self, name: str) -> _Atts:
        pattern = self.g.elements[name]
        atts = self._summary(pattern.kids[1], required=True, top=True)
        if self._has_attributes(pattern.kids[0]):
            atts.extend(self._summary(pattern.kids[0], required=True, top=False))
        return self._resolve_clashes(atts)

    def _has_attributes(self, p: Pattern) -> bool:
        found = self._attribute_memo.get(p.uid)
        if found is None:
            found = p.kind == "attribute" or any(
                self._has_attributes(k) for k in p.kids if k.kind != "element"
            )
            self._attribute_memo[p.uid] = found
        return found

    def _summary(self, p: Pattern, *, required: bool, top: bool) -> _Atts:
        kind = p.kind
        out = _Atts()
        if kind == "attribute":
            nc, _default, doc = p.data
            if nc[0] == "name":
                ns, local = nc[1] or "", nc[2]
                if ns == XML and _xml_fit(local, p.kids[0]) == "wider":
                    out.wild.add(XML)
                    out.notes.append(
                        Loosening(
                            "xml attribute",
                            f"xml:{local}: any value (the XML namespace schema "
                            "declares it more strictly than the ODD)",
                        )
                    )
                elif ns not in ("", XML, self.target):
                    out.wild.add(ns)
                    out.notes.append(
                        Loosening(
                            "other namespace",
                            f"attribute {{{ns}}}{local} is any attribute of its namespace",
                        )
                    )
                else:
                    out.items.append(_Attr(ns, local, required, [p.kids[0]], doc))
            else:
                tokens, exact = namespaces_of(nc, self.target)
                out.wild |= tokens
                if not exact:
                    out.notes.append(
                        Loosening(
                            "wildcard",
                            "attributes of any name: some names the RELAX NG excludes are allowed",
                        )
                    )
            return out
        if kind in ("group", "interleave"):
            for kid in p.kids:
                out.extend(self._summary(kid, required=required, top=top))
            return out
        if kind == "bundle":
            if top and required:
                out.items.append(self._bundle(p))
                return out
            return self._summary(p.kids[0], required=required, top=False)
        if kind in ("optional", "zeroOrMore"):
            return self._summary(p.kids[0], required=False, top=False)
        if kind == "oneOrMore":
            return self._summary(p.kids[0], required=required, top=top)
        if kind == "choice":
            return self._choice(p, required)
        return out

    def _choice(self, p: Pattern, required: bool) -> _Atts:
        alternatives = [self._flat(self._summary(k, required=required, top=False)) for k in p.kids]
        with_attributes = [a for a in alternatives if a.items or a.wild]
        out = _Atts()
        if not with_attributes:
            return out
        merged: dict[tuple[str, str], _Attr] = {}
        for alt in alternatives:
            out.wild |= alt.wild
            out.notes += alt.notes
            for item in alt.items:
                assert isinstance(item, _Attr)
                key = (item.ns, item.local)
                found = merged.get(key)
                if found is None:
                    merged[key] = _Attr(
                        item.ns, item.local, item.required, list(item.values), item.doc
                    )
                else:
                    found.required = found.required and item.required
                    found.values += [v for v in item.values if v not in found.values]
        for key, item in merged.items():
            if not all(
                any((i.ns, i.local) == key for i in alt.items if isinstance(i, _Attr))
                for alt in alternatives
            ):
                item.required = False
        out.items = list(merged.values())
        names = " | ".join(
            "(" + ", ".join(_attr_label(i) for i in alt.items if isinstance(i, _Attr)) + ")"
            if len(alt.items) != 1
            else _attr_label(alt.items[0])  # type: ignore[arg-type]
            for alt in alternatives
        )
        out.notes.append(
            Loosening(
                "attributes",
                f"one of {names}: checked as "
                + ", ".join(_attr_label(i) + ("" if i.required else "?") for i in out.items),
            )
        )
        return out

    def _flat(self, atts: _Atts) -> _Atts:
        """``atts`` with every attribute group expanded into its attributes."""
        out = _Atts(wild=set(atts.wild), notes=list(atts.notes))
        for item in atts.items:
            if isinstance(item, str):
                out.extend(self._flat(self._bundle_summary(item)))
            else:
                out.items.append(item)
        return out

    def _bundle(self, p: Pattern) -> str:
        name = self.bundles.get(p.uid)
        if name is None:
            name = self._unique(self.group_names, p.data[0], p)
            self.bundles[p.uid] = name
            self._bundle_patterns[name] = p
        return name

    def _bundle_summary(self, name: str) -> _Atts:
        found = self._bundle_summaries.get(name)
        if found is None:
            pattern = self._bundle_patterns[name]
            found = self._resolve_clashes(self._summary(pattern.kids[0], required=True, top=True))
            self._bundle_summaries[name] = found
        return found

    def _wildcards(self, atts: _Atts) -> set[str]:
        """The attribute wildcard namespaces of ``atts`` and of the groups it refers to."""
        out = set(atts.wild)
        for item in atts.items:
            if isinstance(item, str):
                out |= self._wildcards(self._bundle_summary(item))
        return out

    def _names_of(self, item: _Attr | str) -> list[tuple[str, str]]:
        if isinstance(item, _Attr):
            return [(item.ns, item.local)]
        return [n for sub in self._bundle_summary(item).items for n in self._names_of(sub)]

    def _resolve_clashes(self, atts: _Atts) -> _Atts:
        """Attribute groups whose attributes clash with others are expanded; the same
        attribute twice becomes one (XSD allows each attribute once per element)."""
        counts: dict[tuple[str, str], int] = {}
        for item in atts.items:
            for key in self._names_of(item):
                counts[key] = counts.get(key, 0) + 1
        clashing = {k for k, n in counts.items() if n > 1}
        if not clashing:
            return atts
        out = _Atts(wild=set(atts.wild), notes=list(atts.notes))
        merged: dict[tuple[str, str], _Attr] = {}
        for item in atts.items:
            if isinstance(item, str) and not clashing.intersection(self._names_of(item)):
                out.items.append(item)
                continue
            expanded = self._flat(_Atts(items=[item]))
            out.wild |= expanded.wild
            out.notes += expanded.notes
            for attr in expanded.items:
                assert isinstance(attr, _Attr)
                key = (attr.ns, attr.local)
                found = merged.get(key)
                if found is None:
                    merged[key] = _Attr(
                        attr.ns, attr.local, attr.required, list(attr.values), attr.doc
                    )
                    out.items.append(merged[key])
                else:
                    found.required = found.required or attr.required
                    found.values += [v for v in attr.values if v not in found.values]
        return out

    def _count_values(self, summaries: dict[str, _Atts]) -> None:
        seen_bundles: set[str] = set()

        def count(atts: _Atts) -> None:
            for item in atts.items:
                if isinstance(item, str):
                    if item not in seen_bundles:
                        seen_bundles.add(item)
                        count(self._bundle_summary(item))
                elif item.ns != XML and len(item.values) == 1:
                    uid = item.values[0].uid
                    self.value_uses[uid] = self.value_uses.get(uid, 0) + 1

        for atts in summaries.values():
            count(atts)

    def _attribute_group(self, name: str) -> etree._Element:
        group = _xs(None, "attributeGroup", name=name)
        notes = self._emit_attributes(group, self._bundle_summary(name), wildcard=False)
        self._place_notes(group, notes)
        return group

    def _emit_attributes(
        self, parent: etree._Element, atts: _Atts, *, wildcard: bool = True
    ) -> list[Loosening]:
        """Declare ``atts`` in ``parent``; attribute wildcards only in complex types (XSD
        1.0 intersects the wildcards of attribute groups, which would make them stricter)."""
        notes = list(atts.notes)
        groups: list[str] = []
        for item in atts.items:
            if isinstance(item, str):
                groups.append(item)
                if item not in self.bundle_defs and item not in self._pending_bundles:
                    self._pending_bundles.append(item)
            elif item.ns == XML:
                self._xml_attribute(parent, item, notes)
            else:
                self._attribute(parent, item, notes)
        for name in groups:
            _xs(parent, "attributeGroup", ref=self._qname(name))
        wild = self._wildcards(atts) if wildcard else set()
        if wild:
            _xs(
                parent,
                "anyAttribute",
                namespace=self._attribute_wildcard(wild, notes),
                processContents="skip",
            )
        return notes

    def _attribute_wildcard(self, wild: set[str], notes: list[Loosening]) -> str:
        """One ``anyAttribute`` (XSD 1.0 allows one): ``##other`` cannot be combined with
        the target namespace or none, so such a set becomes ``##any``."""
        if "##any" in wild or {OTHER, "", self.target} <= wild:
            return "##any"
        if OTHER in wild and wild & {"", self.target}:
            notes.append(
                Loosening(
                    "wildcard",
                    "attributes of other namespaces: "
                    + ("no namespace" if "" not in wild else "the target namespace")
                    + " is allowed too",
                )
            )
            return "##any"
        return self._namespace_list(wild)

    def _attribute(self, parent: etree._Element, item: _Attr, notes: list[Loosening]) -> None:
        node = _xs(parent, "attribute", name=item.local)
        if item.ns == self.target and item.ns:
            node.set("form", "qualified")
        if item.doc:
            _xs(_xs(node, "annotation"), "documentation").text = item.doc
        value = item.values[0] if len(item.values) == 1 else None
        if value is None:
            value = self.g.patterns.choice(item.values)
        if value.kind != "text":
            shared = self.value_uses.get(value.uid, 0) > 1
            ref, value_notes = self._type_ref(value, item.local, named=shared, parent=node)
            notes += [Loosening(n.kind, f"attribute {item.local}: {n.detail}") for n in value_notes]
            if ref:
                node.set("type", ref)
        if item.required:
            node.set("use", "required")

    def _xml_attribute(self, parent: etree._Element, item: _Attr, notes: list[Loosening]) -> None:
        """An ``xml:`` attribute: a reference to the XML namespace schema's declaration."""
        value = item.values[0] if len(item.values) == 1 else self.g.patterns.choice(item.values)
        if _xml_fit(item.local, value) == "narrower":
            notes.append(
                Loosening(
                    "xml attribute",
                    f"xml:{item.local}: checked as the XML namespace schema declares it",
                )
            )
        node = _xs(parent, "attribute", ref=f"xml:{item.local}")
        if item.required:
            node.set("use", "required")

    # -- simple types -------------------------------------------------------------------------
    def _type_ref(
        self, value: Pattern, hint: str, *, named: bool, parent: etree._Element | None = None
    ) -> tuple[str | None, list[Loosening]]:
        """A simple type for ``value``: its QName, or (``named`` false and ``parent`` given)
        an anonymous ``xs:simpleType`` put into ``parent`` (then the QName is ``None``)."""
        built = self.types.convert(value)
        if built.name is None and (named or parent is None):
            built = self._define(value, built, hint)
        if built.name is not None:
            return built.name, list(built.loosenings)
        assert built.body is not None and parent is not None
        _xs(parent, "simpleType").append(built.body)
        return None, list(built.loosenings)

    def _share(self, value: Pattern, built: SimpleType) -> SimpleType:
        """Types from the ODD's datatypes and macros (``teidata.enumerated``…), datatypes
        with facets and values used more than once get a name, so they are defined once."""
        found = self.named_types.get(value.uid)
        if found is not None:
            return SimpleType(name=self._qname(found), is_list=built.is_list)
        if (
            value.uid in self.g.origins
            or value.kind == "data"
            or self.value_uses.get(value.uid, 0) > 1
        ):
            return self._define(value, built, None)
        return built

    def _origin(self, uid: int) -> str | None:
        """The name of the spec or external define a pattern comes from (an external
        module's define under its own name)."""
        origin = self.g.origins.get(uid)
        return origin[len(EXT) :] if origin and origin.startswith(EXT) else origin

    def _define(self, value: Pattern, built: SimpleType, hint: str | None) -> SimpleType:
        found = self.named_types.get(value.uid)
        if found is None:
            base = self._origin(value.uid) or (
                f"{hint}.content"
                if hint
                else f"{value.kind}.{value.data[0]}"
                if value.kind == "data"
                else "values"
            )
            found = self._unique(self.type_names, base, value)
            self.named_types[value.uid] = found
            definition = _xs(None, "simpleType", name=found)
            assert built.body is not None
            definition.append(built.body)
            self.type_defs[found] = definition
            for index, note in enumerate(_unique_notes(built.loosenings)):
                _note(definition, note, index)
        return SimpleType(name=self._qname(found), is_list=built.is_list)


def _once(p: Particle) -> Particle:
    copy = Particle(p.kind, p.kids, name=p.name, type_=p.type, namespaces=p.namespaces)
    copy.origin = p.origin
    return copy


def _digest(key: object) -> str:
    return hashlib.sha1(repr(key).encode(), usedforsecurity=False).hexdigest()[:8]


def _unique_notes(notes: list[Loosening]) -> list[Loosening]:
    return list(dict.fromkeys(notes))


def _attr_label(item: _Attr) -> str:
    return (
        f"xml:{item.local}"
        if item.ns == XML
        else (item.local if not item.ns else f"{{{item.ns}}}{item.local}")
    )


def _has_elements(p: Pattern) -> bool:
    """Whether a content pattern refers to elements (not counting inside attributes)."""
    if p.kind == "ref":
        return True
    if p.kind == "attribute":
        return False
    return any(_has_elements(k) for k in p.kids)


_VALUE_KINDS = frozenset(("data", "value", "list", "text", "empty"))


def _value_like(p: Pattern) -> bool:
    if p.kind in _VALUE_KINDS:
        return True
    return p.kind in ("choice", "optional") and all(_value_like(k) for k in p.kids)


def _has_value(p: Pattern) -> bool:
    if p.kind in ("data", "value", "list", "text"):
        return True
    if p.kind == "attribute":
        return False
    return any(_has_value(k) for k in p.kids)


def _value_part(p: Pattern) -> tuple[Pattern | None, bool]:
    """The value (text, datatype) of a content pattern without elements (``None`` if it
    has none: empty content), and whether it can be said apart from the attributes."""
    if not _has_value(p):
        return None, True
    if p.kind in ("zeroOrMore", "oneOrMore") and p.kids[0].kind == "text":
        return p.kids[0], True  # text repeated is text
    if _value_like(p):
        return p, True
    if p.kind in ("group", "bundle", "interleave", "oneOrMore"):
        parts = [k for k in p.kids if _has_value(k)]
        if len(parts) == 1:
            return _value_part(parts[0])
    return p, False


def _xml_fit(local: str, value: Pattern) -> str:
    """How the XML namespace schema's type of ``xml:local`` compares with ``value``:
    ``"exact"``, ``"narrower"`` (the ODD's is narrower: the XSD is looser) or ``"wider"``."""
    if local not in _XML_ATTRIBUTES:
        return "wider"
    members = list(value.kids) if value.kind == "choice" else [value]

    def data_in(types: tuple[str, ...]) -> list[Pattern]:
        return [m for m in members if m.kind == "data" and m.data[0] in types and not m.kids]

    if local == "id":
        if value.kind == "data" and value.data[0] == "ID" and not value.data[2]:
            return "exact"
        return "narrower" if len(data_in(("ID", "NCName"))) == len(members) else "wider"
    if local == "space":
        texts = {m.data[3] for m in members if m.kind == "value"}
        if len(texts) != len(members) or not texts <= {"default", "preserve"}:
            return "wider"
        return "exact" if texts == {"default", "preserve"} else "narrower"
    if local == "base":
        if len(data_in(("anyURI",))) != len(members):
            return "wider"
        return "exact" if all(not m.data[2] for m in members) else "narrower"
    # lang: language or ""
    import re

    language = re.compile(r"[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*")
    ok = 0
    exact_parts = set()
    for m in members:
        if m.kind == "data" and m.data[0] == "language" and not m.kids:
            ok += 1
            if not m.data[2]:
                exact_parts.add("language")
        elif m.kind == "value" and (m.data[3] == "" or language.fullmatch(m.data[3])):
            ok += 1
            if m.data[3] == "":
                exact_parts.add("")
    if ok != len(members):
        return "wider"
    return "exact" if exact_parts == {"language", ""} else "narrower"
