"""What an encoding manual says, gathered from a compiled ODD (the writers only lay it out).

Every element of the schema (those its RELAX NG defines, so the counts agree), with its gloss,
description, module, content model in readable form, attributes (datatype, closed or
semi-open value lists with their glosses, required or not, the class they come from), the
elements it may appear in, its classes, the ODD's own examples and remarks, and its Schematron
constraints in words; the classes and the macros and datatypes the content models name; and
what the customization changed against the TEI.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from ...namespaces import SCH, TEI, TEIX, XML_LANG, tei
from ...relaxng.patterns import Pattern
from ..compiler import CompiledOdd
from ..grammar import EXT
from ..source import TeiSource

#: a piece of readable text: the words, and the anchor they link to (or None)
Token = tuple[str, str | None]


@dataclass
class Value:
    ident: str
    gloss: str = ""


@dataclass
class Attribute:
    name: str
    required: bool
    gloss: str
    datatype: list[Token]
    values: list[Value] = field(default_factory=list)
    #: "closed", "semi-open" or "" (no list)
    list_type: str = ""
    default: str | None = None
    origin: str = ""


@dataclass
class Constraint:
    kind: str  # "assert" or "report"
    message: str
    test: str
    context: str
    role: str

    def words(self) -> str:
        """How the test is read: an assert must hold, a report fires."""
        return "must be true:" if self.kind == "assert" else "reported when true:"


@dataclass
class Entry:
    """One element, class, macro or datatype of the manual."""

    anchor: str
    name: str
    kind: str
    gloss: str = ""
    desc: str = ""
    module: str = ""
    changed: list[str] = field(default_factory=list)
    content: list[Token] = field(default_factory=list)
    attributes: list[Attribute] = field(default_factory=list)
    #: the attribute classes whose attributes the element has as they are (linked)
    attribute_classes: list[Token] = field(default_factory=list)
    classes: list[Token] = field(default_factory=list)
    parents: list[Token] = field(default_factory=list)
    members: list[Token] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)
    constraints: list[Constraint] = field(default_factory=list)
    namespace: str = ""


@dataclass
class Manual:
    ident: str
    title: str
    source: str
    elements: list[Entry]
    classes: list[Entry]
    macros: list[Entry]
    changes: list[tuple[str, list[Token]]]
    left_out: dict[str, list[str]]


def anchor(kind: str, name: str) -> str:
    """A stable HTML id: ``el-persName``, ``cl-model.pLike``, ``dt-teidata.enumerated``."""
    return f"{kind}-" + re.sub(r"[^A-Za-z0-9._-]", "_", name)


def text_of(node: etree._Element | None) -> str:
    return " ".join("".join(node.itertext()).split()) if node is not None else ""


def prose(spec: etree._Element, local: str, lang: str = "en") -> str:
    nodes = spec.findall(tei(local))
    chosen = [n for n in nodes if n.get(XML_LANG) == lang] or [
        n for n in nodes if n.get(XML_LANG) in (None, "en")
    ]
    return text_of(chosen[0]) if chosen else ""


def build_manual(compiled: CompiledOdd) -> Manual:
    """The manual of ``compiled``: every element of its RELAX NG, and what they name."""
    return _Builder(compiled).build()


class _Builder:
    def __init__(self, compiled: CompiledOdd) -> None:
        self.c = compiled
        self.g = compiled.grammar
        self.cust = compiled.customization
        self.specs = self.cust.by_ident()
        self.source: TeiSource = compiled.source
        #: define name -> (element local name, namespace)
        self.names = {
            define: (p.data[0][2], p.data[0][1] or "")
            if p.data[0][0] == "name"
            else (_any_label(p.data[0]), "")
            for define, p in self.g.elements.items()
        }
        self.macros: dict[str, Pattern] = {}
        self.classes_used: set[str] = set()
        #: attribute class -> its own attributes (as the elements' patterns have them)
        self.class_attributes: dict[str, dict[str, Attribute]] = {}

    # -- the whole -------------------------------------------------------------------------
    def build(self) -> Manual:
        parents: dict[str, set[str]] = {d: set() for d in self.g.elements}
        for define, pattern in self.g.elements.items():
            for child in _refs(pattern.kids[0]):
                if child in parents:
                    parents[child].add(define)
        elements = [self._element(d, p, parents[d]) for d, p in self.g.elements.items()]
        elements.sort(key=lambda e: (e.name.lower(), e.namespace, e.anchor))
        classes = self._classes()
        macros = [self._macro(name, p) for name, p in sorted(self.macros.items())]
        header = self.cust.odd_root.find(
            f"{tei('teiHeader')}/{tei('fileDesc')}/{tei('titleStmt')}/{tei('title')}"
        )
        changes, left_out = self._changes()
        return Manual(
            ident=self.c.ident,
            title=text_of(header) or self.c.ident,
            source=self.source.edition or f"TEI P5 {self.source.version}",
            elements=elements,
            classes=classes,
            macros=macros,
            changes=changes,
            left_out=left_out,
        )

    # -- elements --------------------------------------------------------------------------
    def _element(self, define: str, pattern: Pattern, parents: set[str]) -> Entry:
        local, ns = self.names.get(define, (define, ""))
        spec = self.specs.get(define) if not define.startswith(EXT) else None
        entry = Entry(anchor("el", define), local, "element", namespace=ns if ns != TEI else "")
        if spec is not None:
            entry.gloss = prose(spec, "gloss")
            entry.desc = prose(spec, "desc")
            entry.module = spec.get("module", "")
            entry.classes = [
                (key, anchor("cl", key))
                for key in (m.get("key", "") for m in spec.iter(tei("memberOf")))
                if key in self.specs
            ]
            self.classes_used.update(k for k, _ in entry.classes)
            entry.examples = _examples(spec)
            entry.remarks = [text_of(r) for r in spec.findall(tei("remarks"))]
            entry.constraints = _constraints(spec, local)
            entry.changed = self._change_notes(define)
        else:
            entry.module = "external RELAX NG module" if define.startswith(EXT) else ""
        entry.content = self.render(pattern.kids[0], top=True)
        found = self._attributes(pattern.kids[1], spec)
        entry.attributes = [att for att, top in found if not top]
        tops = dict.fromkeys(top for _att, top in found if top)
        entry.attribute_classes = [(top, anchor("cl", top)) for top in tops]
        entry.parents = [
            (self.names[p][0], anchor("el", p))
            for p in sorted(parents, key=lambda n: self.names.get(n, (n,))[0].lower())
        ]
        return entry

    def _attributes(
        self, attrs: Pattern, spec: etree._Element | None
    ) -> list[tuple[Attribute, str]]:
        """Each attribute with the outermost class it comes from ("" for the element's own);
        a class's attributes are also kept for the class's entry."""
        found: list[tuple[Attribute, str]] = []

        def walk(p: Pattern, required: bool, origin: str, top: str) -> None:
            if p.kind == "attribute":
                nc = p.data[0]
                name = nc[2] if nc[0] == "name" else "(any attribute)"
                if nc[0] == "name" and nc[1] == "http://www.w3.org/XML/1998/namespace":
                    name = f"xml:{nc[2]}"
                att = self._attribute(name, p, required, origin, spec if not top else None)
                found.append((att, top))
                if origin:
                    known = self.class_attributes.setdefault(origin, {})
                    known.setdefault(name, att)
                return
            if p.kind == "bundle":
                origin = p.data[0].removesuffix(".attributes")
                top = top or origin
                self.classes_used.add(origin)
            optional = p.kind in ("optional", "zeroOrMore", "choice")
            for kid in p.kids:
                walk(kid, required and not optional, origin, top)

        walk(attrs, True, "", "")
        found.sort(key=lambda a: a[0].name.lower())
        return found

    def _attribute(
        self,
        name: str,
        p: Pattern,
        required: bool,
        origin: str,
        spec: etree._Element | None,
    ) -> Attribute:
        doc = p.data[2] or ""
        value = p.kids[0] if p.kids else None
        values, open_ = _values(value) if value is not None else ([], True)
        att = Attribute(
            name,
            required,
            doc,
            self.render(value) if value is not None and (open_ or not values) else [],
            default=p.data[1],
            origin=origin,
        )
        if values:
            glosses = self._value_glosses(name, spec, origin)
            att.values = [Value(v, glosses.get(v, "")) for v in values]
            att.list_type = "semi-open" if open_ else "closed"
        if origin:
            self.classes_used.add(origin)
        return att

    def _value_glosses(self, name: str, spec: etree._Element | None, origin: str) -> dict[str, str]:
        for holder in (spec, self.specs.get(origin)):
            if holder is None:
                continue
            for att in holder.iter(tei("attDef")):
                if att.get("ident") == name.removeprefix("xml:"):
                    return {
                        item.get("ident", ""): prose(item, "gloss") or prose(item, "desc")
                        for item in att.iter(tei("valItem"))
                    }
        return {}

    # -- content models ---------------------------------------------------------------------
    def render(self, p: Pattern, *, top: bool = False) -> list[Token]:
        """A content model as readable tokens: ``( p | list | model.divLike )*``."""
        origin = self.g.origins.get(p.uid)
        if origin and not top and p.kind not in ("ref", "text", "empty", "attribute"):
            return [self._name_token(origin, p)]
        kind = p.kind
        if kind == "ref":
            name = self.names.get(p.data[0], (p.data[0], ""))[0]
            return [(name, anchor("el", p.data[0]))]
        if kind == "text":
            return [("text", None)]
        if kind == "empty":
            return [("empty", None)]
        if kind == "notAllowed":
            return [("nothing", None)]
        if kind == "data":
            return [(_data(p), None)]
        if kind == "value":
            return [(f'"{p.data[3]}"', None)]
        if kind in ("optional", "zeroOrMore", "oneOrMore"):
            mark = {"optional": "?", "zeroOrMore": "*", "oneOrMore": "+"}[kind]
            return [*self._wrapped(p.kids[0]), (mark, None)]
        if kind == "list":
            return [("list of ", None), *self._wrapped(p.kids[0])]
        if kind in ("group", "choice", "interleave", "bundle"):
            sep = {"group": ", ", "choice": " | ", "interleave": " & ", "bundle": ", "}[kind]
            out: list[Token] = [("( ", None)]
            for i, kid in enumerate(p.kids):
                if i:
                    out.append((sep, None))
                out += self.render(kid)
            return [*out, (" )", None)]
        if kind == "element":
            return [("an element", None)]
        if kind == "attribute":
            return [("an attribute", None)]
        return [(kind, None)]

    def _wrapped(self, p: Pattern) -> list[Token]:
        inner = self.render(p)
        if len(inner) > 1 and inner[0] != ("( ", None):
            return [("( ", None), *inner, (" )", None)]
        return inner

    def _name_token(self, origin: str, p: Pattern) -> Token:
        spec = self.specs.get(origin)
        if spec is not None and spec.tag == tei("classSpec"):
            self.classes_used.add(origin)
            return (origin, anchor("cl", origin))
        self.macros.setdefault(origin, p)
        return (origin, anchor("dt", origin))

    # -- classes, macros -------------------------------------------------------------------
    def _classes(self) -> list[Entry]:
        members: dict[str, list[str]] = {}
        for define in self.g.elements:
            spec = self.specs.get(define)
            for m in spec.iter(tei("memberOf")) if spec is not None else ():
                members.setdefault(m.get("key", ""), []).append(define)
        for spec in self.cust.specs:
            if spec.tag == tei("classSpec"):
                for m in spec.iter(tei("memberOf")):
                    members.setdefault(m.get("key", ""), []).append(spec.get("ident", ""))
        out: list[Entry] = []
        for ident in sorted(self.classes_used):
            spec = self.specs.get(ident)
            if spec is None:
                continue
            entry = Entry(anchor("cl", ident), ident, f"{spec.get('type', '')} class")
            entry.gloss, entry.desc = prose(spec, "gloss"), prose(spec, "desc")
            entry.module = spec.get("module", "")
            entry.changed = self._change_notes(ident)
            for member in sorted(set(members.get(ident, [])), key=str.lower):
                if member in self.names:
                    entry.members.append((self.names[member][0], anchor("el", member)))
                elif member in self.specs and member in self.classes_used:
                    entry.members.append((member, anchor("cl", member)))
                elif member in self.specs:
                    entry.members.append((member, None))
            entry.attributes = sorted(
                self.class_attributes.get(ident, {}).values(), key=lambda a: a.name.lower()
            )
            for att in entry.attributes:
                att.origin = ""
            entry.constraints = _constraints(spec, ident)
            out.append(entry)
        return out

    def _macro(self, name: str, p: Pattern) -> Entry:
        spec = self.specs.get(name)
        kind = "datatype" if spec is not None and spec.tag == tei("dataSpec") else "macro"
        entry = Entry(anchor("dt", name), name, kind)
        if spec is not None:
            entry.gloss, entry.desc = prose(spec, "gloss"), prose(spec, "desc")
            entry.module = spec.get("module", "")
            entry.changed = self._change_notes(name)
        entry.content = self.render(p, top=True)
        return entry

    # -- what the customization changed ----------------------------------------------------
    def _change_notes(self, ident: str) -> list[str]:
        """What the ODD did to this spec, in words."""
        origin = self.cust.origin.get(ident)
        if origin is None:
            return []
        mode = origin.get("mode") or "add"
        if mode == "add" and ident not in self.source.specs:
            return ["added by this customization"]
        if mode == "replace":
            return ["replaced by this customization"]
        notes: list[str] = []
        for att in origin.iter(tei("attDef")):
            name = att.get("ident", "")
            att_mode = att.get("mode") or "add"
            if att_mode == "delete":
                notes.append(f"attribute @{name} removed")
            elif att_mode == "add":
                notes.append(f"attribute @{name} added")
            else:
                parts = []
                if att.get("usage") == "req":
                    parts.append("required")
                vallist = att.find(tei("valList"))
                if vallist is not None and vallist.get("type") == "closed":
                    parts.append("restricted to a closed list of values")
                elif vallist is not None:
                    parts.append("values changed")
                if att.find(tei("datatype")) is not None:
                    parts.append("datatype changed")
                what = ", ".join(parts) or "changed"
                notes.append(f"attribute @{name} {what}")
        if origin.find(tei("content")) is not None:
            notes.append("content model changed")
        classes = origin.find(tei("classes"))
        if classes is not None:
            notes.append("class memberships changed")
        for constraint in origin.iter(tei("constraintSpec")):
            notes.append(f"constraint {constraint.get('ident', '')} added".replace("  ", " "))
        if origin.find(tei("valList")) is not None:
            notes.append("values changed")
        return notes or ["changed by this customization"]

    def _changes(self) -> tuple[list[tuple[str, list[Token]]], dict[str, list[str]]]:
        changes: list[tuple[str, list[Token]]] = []
        for ident in sorted(self.cust.odd_declared, key=str.lower):
            spec = self.specs.get(ident)
            if spec is None:
                continue
            if ident in self.names:
                link: Token = (self.names[ident][0], anchor("el", ident))
            elif ident in self.classes_used:
                link = (ident, anchor("cl", ident))
            elif ident in self.macros:
                link = (ident, anchor("dt", ident))
            else:
                link = (ident, None)
            notes = self._change_notes(ident)
            changes.append(("; ".join(notes), [link]))
        deleted = sorted(self.cust.deleted, key=str.lower)
        for ident in deleted:
            changes.append(("deleted by this customization", [(ident, None)]))
        left_out: dict[str, list[str]] = {}
        in_schema = {self.names[d][0] for d in self.names}
        for module in self.cust.modules:
            members = self.source.module_members.get(module, [])
            gone = sorted(
                {
                    m.get("ident", "")
                    for m in members
                    if m.tag == tei("elementSpec")
                    and m.get("ident") not in in_schema
                    and m.get("ident") not in self.cust.deleted
                },
                key=str.lower,
            )
            if gone:
                left_out[module] = gone
        return changes, left_out


def _refs(p: Pattern, seen: set[int] | None = None) -> set[str]:
    """The element definitions a content pattern names."""
    seen = set() if seen is None else seen
    if p.uid in seen:
        return set()
    seen.add(p.uid)
    if p.kind == "ref":
        return {p.data[0]}
    if p.kind in ("element", "attribute"):
        return set()
    out: set[str] = set()
    for kid in p.kids:
        out |= _refs(kid, seen)
    return out


def _values(p: Pattern) -> tuple[list[str], bool]:
    """The values of a value list and whether other values are allowed (semi-open)."""
    while p.kind in ("list", "oneOrMore", "zeroOrMore", "optional") and p.kids:
        p = p.kids[0]
    kids = p.kids if p.kind == "choice" else (p,)
    values = [k.data[3] for k in kids if k.kind == "value"]
    others = [k for k in kids if k.kind != "value"]
    return values, bool(others)


def _data(p: Pattern) -> str:
    type_, _lib, params = p.data
    facets = ", ".join(f"{name} {value}" for name, value in params)
    return f"{type_} ({facets})" if facets else type_


def _examples(spec: etree._Element) -> list[str]:
    out: list[str] = []
    for example in spec.findall(tei("exemplum")):
        for eg in example.iter(f"{{{TEIX}}}egXML"):
            parts = [eg.text or ""]
            for child in eg:
                parts.append(etree.tostring(child, encoding="unicode"))
            text = "".join(parts)
            text = re.sub(r'\s+xmlns(:\w+)?="[^"]*"', "", text)
            out.append(_dedent(text))
    return out


def _dedent(text: str) -> str:
    lines = text.strip("\n").splitlines()
    indents = [len(line) - len(line.lstrip()) for line in lines[1:] if line.strip()]
    cut = min(indents) if indents else 0
    first = lines[0].strip() if lines else ""
    return "\n".join([first, *(line[cut:] for line in lines[1:])]).strip()


def _constraints(spec: etree._Element, context: str) -> list[Constraint]:
    out: list[Constraint] = []
    for constraint in spec.iter(tei("constraintSpec")):
        for rule in constraint.iter(f"{{{SCH}}}assert", f"{{{SCH}}}report"):
            rule_el = rule.getparent()
            where = rule_el.get("context") if rule_el is not None else None
            message = " ".join(_message(rule).split())
            out.append(
                Constraint(
                    etree.QName(rule).localname,
                    message,
                    rule.get("test", ""),
                    where or context,
                    rule.get("role", "error"),
                )
            )
    return out


def _message(node: etree._Element) -> str:
    """A Schematron message in words: what ``value-of`` and ``name`` compute shows as "…"."""
    parts = [node.text or ""]
    for child in node:
        if not isinstance(child.tag, str):
            pass
        elif etree.QName(child).localname in ("value-of", "name"):
            parts.append("…")
        else:
            parts.append(_message(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _any_label(nc: tuple) -> str:
    """How a wildcard element is named: ``any element`` (``from namespace …``)."""
    if nc[0] == "nsName":
        return f"any element in {nc[1] or 'no namespace'}"
    return "any element"
