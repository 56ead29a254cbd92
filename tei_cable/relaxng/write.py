"""Write a resolved :class:`~tei_cable.odd.grammar.Grammar` as RELAX NG (XML syntax).

The output is the simplified grammar: one ``define`` per element, the patterns several
elements share (a class's attributes, a macro's content) as named ``define``\\ s, and nothing
else: no ``notAllowed``, no empty class, no chains of references. Shared patterns are found by
their structure (patterns are interned), and keep the name of the class or macro they come
from where there is one.

Two things are there for libxml2 (lxml's validator), which compiles each element's content
into an automaton and checks it for determinism: choices are flat and free of duplicates (so
the automata are deterministic and validation runs on them), and a large choice is followed
by ``<choice><empty/><empty/></choice>``. That pattern means ``empty``; it changes how libxml2
builds the automaton of a repeated choice of *n* elements from *n* states of *n* transitions
each (cubic work to check) to a few states (quadratic). On ``tei_all`` it is the difference
between seconds and a fraction of a second. See ``tei_cable/odd/LIBXML2.md``.
"""

from __future__ import annotations

import hashlib
from typing import Any

from lxml import etree

from ..namespaces import ANN, RNG, XML, XSD_DATATYPES
from .patterns import EXT, Grammar, Pattern, element_refs

#: choices with at least this many alternatives get the libxml2 guard
GUARD_AT = 8
#: alternatives per choice element (longer choices are nested, for Jing)
CHUNK = 32
INNER_GUARD = True
SORT_CHOICES = True
#: patterns at least this big that occur in two places become a named define
SHARE_AT = 6
_SHAREABLE = frozenset(
    (
        "group",
        "choice",
        "interleave",
        "optional",
        "zeroOrMore",
        "oneOrMore",
        "list",
        "bundle",
        "attribute",
    )
)
_IMPLICIT_GROUP = frozenset(
    ("group", "element", "define", "oneOrMore", "zeroOrMore", "optional", "list", "start")
)
_R = f"{{{RNG}}}"
_A = f"{{{ANN}}}"


def write_rng(
    grammar: Grammar,
    *,
    comments: list[str] | None = None,
    guard: bool = True,
    chunk: int | None = CHUNK,
) -> etree._ElementTree:
    """The grammar as an lxml tree (deterministic: same grammar, same bytes).

    ``chunk`` bounds the alternatives of one ``choice`` element, nesting longer choices so
    that Jing, with Java's default stack, can load the grammar; ``None`` keeps every choice
    flat, which libxml2 loads two to three times faster (the same meaning either way).
    """
    return _Writer(grammar, guard, chunk).write(comments or [])


class _Writer:
    def __init__(self, grammar: Grammar, guard: bool, chunk: int | None = CHUNK) -> None:
        self.g = grammar
        self.guard = guard
        self.chunk = chunk
        self.shared: dict[int, str] = {}
        self.bodies: dict[str, Pattern] = {}
        self._digests: dict[int, str] = {}
        self._weights: dict[str, int] = {}
        self._ref_memo: dict[int, frozenset[str]] = {}

    # -- sharing -------------------------------------------------------------------------------
    def _plan(self) -> None:
        occ: dict[int, int] = {}
        nodes: dict[int, Pattern] = {}

        def collect(p: Pattern) -> None:
            if p.uid in nodes:
                return
            nodes[p.uid] = p
            for kid in p.kids:
                collect(kid)

        for element in self.g.elements.values():
            for part in element.kids:
                collect(part)
                occ[part.uid] = occ.get(part.uid, 0) + 1
        taken = set(self.g.names.values())
        for p in sorted(nodes.values(), key=lambda n: (-n.size, n.uid)):
            count = occ.get(p.uid, 0)
            factor = (
                count >= 2 and p.kind in _SHAREABLE and (p.size >= SHARE_AT or p.kind == "bundle")
            )
            if factor:
                name = self._name_for(p, taken)
                taken.add(name)
                self.shared[p.uid] = name
                self.bodies[name] = p
            multiplier = 1 if factor else count
            for kid in p.kids:
                occ[kid.uid] = occ.get(kid.uid, 0) + multiplier

    def _name_for(self, p: Pattern, taken: set[str]) -> str:
        origin = self.g.origins.get(p.uid)
        if p.kind == "bundle":
            origin = p.data[0]
        prefix = self.g.prefix
        if origin and origin.startswith(EXT):  # a pattern of an external module: its own name
            origin, prefix = origin[len(EXT) :], ""
        if origin and f"{prefix}{origin}" not in taken:
            return f"{prefix}{origin}"
        base = f"{prefix}{origin or p.kind}-{self._digest(p)[:8]}"
        name = base
        n = 2
        while name in taken:
            name = f"{base}-{n}"
            n += 1
        return name

    def _digest(self, p: Pattern) -> str:
        found = self._digests.get(p.uid)
        if found is None:
            h = hashlib.sha1(repr((p.kind, p.data)).encode(), usedforsecurity=False)
            for kid in p.kids:
                h.update(self._digest(kid).encode())
            found = h.hexdigest()
            self._digests[p.uid] = found
        return found

    # -- output ---------------------------------------------------------------------------------
    def write(self, comments: list[str]) -> etree._ElementTree:
        self._plan()
        root = etree.Element(_R + "grammar", nsmap={None: RNG, "a": ANN})
        root.set("ns", self.g.ns)
        root.set("datatypeLibrary", XSD_DATATYPES)
        for text in comments:
            root.append(etree.Comment(f" {text} " if "\n" not in text else f"\n{text}\n"))
        start = etree.SubElement(root, _R + "start")
        self._emit(start, self.g.start, in_attr=False)
        for ident in sorted(self.g.elements):
            define = etree.SubElement(root, _R + "define", name=self.g.names[ident])
            self._element(define, self.g.elements[ident])
        for name in sorted(self.bodies):
            define = etree.SubElement(root, _R + "define", name=name)
            body = self.bodies[name]
            in_attr = body.kind == "attribute" or _inside_attribute(body)
            self._emit(define, body, in_attr=in_attr, as_body=True)
        return root.getroottree()

    def _element(self, parent: etree._Element, p: Pattern) -> None:
        name, doc = p.data
        element = etree.SubElement(parent, _R + "element")
        self._name_class(element, name, is_element=True)
        if doc:
            etree.SubElement(element, _A + "documentation").text = doc
        content, attributes = p.kids
        before = len(element)
        self._emit(element, content, in_attr=False, unwrap=True)
        self._emit(element, attributes, in_attr=False, unwrap=True)
        if len(element) == before:
            etree.SubElement(element, _R + "empty")

    def _emit(
        self,
        parent: etree._Element,
        p: Pattern,
        *,
        in_attr: bool,
        unwrap: bool = False,
        as_body: bool = False,
    ) -> None:
        if not as_body and p.uid in self.shared:
            etree.SubElement(parent, _R + "ref", name=self.shared[p.uid])
            return
        kind = p.kind
        if kind == "empty":
            if not unwrap:
                etree.SubElement(parent, _R + "empty")
            return
        if kind in ("notAllowed", "text"):
            etree.SubElement(parent, _R + kind)
            return
        if kind == "ref":
            etree.SubElement(parent, _R + "ref", name=self.g.names.get(p.data[0], p.data[0]))
            return
        if kind in ("group", "bundle"):
            kids = p.kids if kind == "group" else _group_kids(p.kids[0])
            local = etree.QName(parent).localname
            target = (
                parent
                if (unwrap or as_body or local in _IMPLICIT_GROUP)
                else (etree.SubElement(parent, _R + "group"))
            )
            for kid in kids:
                self._emit(target, kid, in_attr=in_attr)
            return
        if kind == "choice":
            local = etree.QName(parent).localname
            guarded = self.guard and not in_attr and len(p.kids) >= GUARD_AT
            host = parent
            if guarded and local not in _IMPLICIT_GROUP and not unwrap and not as_body:
                host = etree.SubElement(parent, _R + "group")
            kids = sorted(p.kids, key=self._weight) if SORT_CHOICES else list(p.kids)
            self._choice(host, kids, in_attr=in_attr)
            if guarded:
                guard = etree.SubElement(host, _R + "choice")
                etree.SubElement(guard, _R + "empty")
                etree.SubElement(guard, _R + "empty")
            return
        if kind == "optional" and in_attr:
            # the same meaning, but libxml2 takes optional { data } in an attribute value
            # as "any value": choice { empty, data } it checks as Jing does
            node = etree.SubElement(parent, _R + "choice")
            etree.SubElement(node, _R + "empty")
            self._emit(node, p.kids[0], in_attr=True, unwrap=False)
            return
        if kind in ("interleave", "optional", "zeroOrMore", "oneOrMore", "list"):
            node = etree.SubElement(parent, _R + kind)
            if kind == "interleave":
                for kid in p.kids:
                    self._emit(node, kid, in_attr=in_attr)
            else:
                self._emit(node, p.kids[0], in_attr=in_attr or kind == "list", unwrap=False)
            return
        if kind == "attribute":
            name, default, doc = p.data
            node = etree.SubElement(parent, _R + "attribute")
            self._name_class(node, name, is_element=False)
            if default is not None:
                node.set(_A + "defaultValue", default)
            if doc:
                etree.SubElement(node, _A + "documentation").text = doc
            value = p.kids[0]
            if value.kind != "text":
                self._emit(node, value, in_attr=True)
            return
        if kind == "data":
            type_, library, params = p.data
            node = etree.SubElement(parent, _R + "data", type=type_)
            if library != XSD_DATATYPES:
                node.set("datatypeLibrary", library)
            for pname, pvalue in params:
                etree.SubElement(node, _R + "param", name=pname).text = pvalue
            if p.kids:
                except_ = etree.SubElement(node, _R + "except")
                self._emit(except_, p.kids[0], in_attr=True)
            return
        if kind == "value":
            type_, library, ns, text = p.data
            node = etree.SubElement(parent, _R + "value")
            if (type_, library) != ("token", ""):
                node.set("type", type_)
                if library != XSD_DATATYPES:
                    node.set("datatypeLibrary", library)
            if ns:
                node.set("ns", ns)
            node.text = text
            return
        if kind == "element":
            self._element(parent, p)
            return
        raise ValueError(f"cannot write pattern {kind}")

    def _weight(self, p: Pattern) -> tuple[int, str]:
        """Leaves first: how much of the grammar a reference leads into (for Jing's stack)."""
        if p.kind != "ref":
            return (-1, "")
        name = p.data[0]
        found = self._weights.get(name)
        if found is None:
            element = self.g.elements.get(name)
            found = len(element_refs(element.kids[0], self._ref_memo)) if element is not None else 0
            self._weights[name] = found
        return (found, name)

    def _choice(self, parent: etree._Element, kids: list[Pattern], *, in_attr: bool) -> None:
        """A choice; a long one as a balanced tree of choices of at most :data:`CHUNK`.

        Jing keeps each ``choice`` element as a chain of binary choices and walks it
        recursively: a flat choice of a few hundred alternatives, met on every level of a
        deep document grammar, overflows its stack. Nesting keeps the chains short.
        """
        choice = etree.SubElement(parent, _R + "choice")
        chunk = self.chunk
        if chunk is None or len(kids) <= chunk:
            for kid in kids:
                self._emit(choice, kid, in_attr=in_attr)
            return
        parts = -(-len(kids) // chunk)
        if parts > chunk:
            parts = chunk
        size = -(-len(kids) // parts)
        for start in range(0, len(kids), size):
            piece = kids[start : start + size]
            if len(piece) == 1:
                self._emit(choice, piece[0], in_attr=in_attr)
            elif INNER_GUARD and not in_attr:
                group = etree.SubElement(choice, _R + "group")
                self._choice(group, piece, in_attr=in_attr)
                guard = etree.SubElement(group, _R + "choice")
                etree.SubElement(guard, _R + "empty")
                etree.SubElement(guard, _R + "empty")
            else:
                self._choice(choice, piece, in_attr=in_attr)

    def _name_class(self, node: etree._Element, nc: tuple[Any, ...], *, is_element: bool) -> None:
        if nc[0] == "name":
            _, ns, local = nc
            if ns == XML:
                node.set("name", f"xml:{local}")
                return
            node.set("name", local)
            default = self.g.ns if is_element else ""
            if (ns or "") != default:
                node.set("ns", ns or "")
            return
        self._name_class_element(node, nc)

    def _name_class_element(self, parent: etree._Element, nc: tuple[Any, ...]) -> None:
        kind = nc[0]
        if kind == "name":
            _, ns, local = nc
            node = etree.SubElement(parent, _R + "name", ns=ns or "")
            node.text = local
        elif kind == "anyName":
            node = etree.SubElement(parent, _R + "anyName")
            if nc[1] is not None:
                self._name_class_element(etree.SubElement(node, _R + "except"), nc[1])
        elif kind == "nsName":
            node = etree.SubElement(parent, _R + "nsName", ns=nc[1] or "")
            if nc[2] is not None:
                self._name_class_element(etree.SubElement(node, _R + "except"), nc[2])
        else:
            if etree.QName(parent).localname == "except":
                for part in nc[1]:
                    self._name_class_element(parent, part)
            else:
                node = etree.SubElement(parent, _R + "choice")
                for part in nc[1]:
                    self._name_class_element(node, part)


def _group_kids(p: Pattern) -> tuple[Pattern, ...]:
    return p.kids if p.kind == "group" else (p,)


def _inside_attribute(p: Pattern) -> bool:
    """Whether a shared pattern is an attribute value (no element content, no guard)."""
    return p.kind in ("data", "value", "list") or (
        p.kind == "choice" and all(k.kind in ("value", "data", "list") for k in p.kids)
    )
