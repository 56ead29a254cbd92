"""The one reader of RELAX NG grammars (XML syntax) into :mod:`~tei_cable.relaxng.patterns`.

It applies the simplification rules of RELAX NG section 4 that matter for the pattern
algebra: ``ns`` and ``datatypeLibrary`` inheritance (4.3, 4.4), ``include`` with its
overriding ``define``\\ s and ``start`` and ``externalRef`` (local files, 4.5-4.7), ``div``,
``combine`` (4.17), nested ``grammar``\\ s with ``parentRef`` (4.18), ``mixed``, name classes
(:mod:`~tei_cable.relaxng.names`). Every ``element`` becomes a named element pattern
(4.19: a ``define`` whose body is one element keeps the define's name; other elements get a
name of their own) and is referred to by ``ref``; every other ``define`` is inlined, with the
simplifications of the pattern constructors.

Two grammars read this way can be compared element by element: :func:`canonical` gives a form
in which the order of alternatives and annotations no longer matter. The ODD compiler's tests
compare its output with the TEI's own schemas this way; the validator matches documents
against the patterns by derivatives (:mod:`~tei_cable.relaxng.derivatives`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lxml import etree

from ..namespaces import RNG, XSD_DATATYPES
from ..xmlio import safe_parser
from . import names
from .names import NameClass, NameClassError
from .patterns import COMBINATORS, LEAVES, Grammar, Pattern, Patterns

_R = f"{{{RNG}}}"
_NAME_CLASSES = frozenset(_R + n for n in ("name", "anyName", "nsName", "choice"))


class GrammarError(ValueError):
    """The grammar uses something the reader does not follow, or is not a grammar."""


def read_rng(tree: etree._ElementTree | etree._Element) -> Grammar:
    """The grammar of a RELAX NG document already parsed (its ``include``\\ s and
    ``externalRef``\\ s are read relative to the document's URL)."""
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    return _Reader(None).read(root)


def read_file(path: Path | str) -> Grammar:
    """The grammar of a RELAX NG file."""
    reader = _Reader(Path(path))
    return reader.read(reader.load(Path(path)))


#: where an ``include``/``externalRef`` leads: ``(href, base) -> (local file, its own base)``
Resolver = Callable[[str, str], tuple[Path, str]]


def local_file(href: str, base: str) -> tuple[Path, str]:
    """The default :data:`Resolver`: a file relative to ``base`` (a folder); no URLs."""
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", href):
        raise GrammarError(f"remote grammar {href} not read")
    path = Path(base) / href
    return path, str(path.parent)


def read_defines(
    path: Path, base: str, *, resolve: Resolver = local_file, label: str = ""
) -> dict[str, list[etree._Element]]:
    """The ``define``\\ s of a grammar file by name, in the order they come: its ``div``\\ s
    opened, its ``include``\\ s followed (``resolve`` finds them from ``base``; the defines
    inside an ``include`` replace the included ones), its ``start`` ignored."""
    reader = _Reader(path, resolve)
    root = reader.load(path, base, label)
    if root.tag != _R + "grammar":
        raise GrammarError(f"{label or path} is not a RELAX NG grammar (XML syntax)")
    scope = _Scope(None)
    reader._collect(root, scope, _Inherit("", "").under(root))
    return {name: [node for _, node, _ in parts] for name, parts in scope.defines.items()}


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


class _Scope:
    """One ``grammar`` element: its defines and start, and the grammar around it."""

    def __init__(self, parent: _Scope | None) -> None:
        self.parent = parent
        #: name -> (combine, define element, inheritance where it stands)
        self.defines: dict[str, list[tuple[str | None, etree._Element, _Inherit]]] = {}
        self.start: list[tuple[str | None, etree._Element, _Inherit]] = []
        self.built: dict[str, Pattern] = {}
        self.building: set[str] = set()


class _Reader:
    """One grammar's reading: files, scopes, and the element patterns named so far."""

    def __init__(self, path: Path | None, resolve: Resolver = local_file) -> None:
        self.P = Patterns()
        self.path = path
        self.resolve = resolve
        self._files: set[Path] = set()
        #: root of each file read -> the base its own references are resolved from
        self._bases: dict[etree._Element, str] = {}
        #: element node -> its name; elements named but not built yet
        self._named: dict[etree._Element, str] = {}
        self._todo: list[tuple[str, etree._Element, _Scope | None, _Inherit]] = []
        self._taken: set[str] = set()
        self._top: _Scope | None = None
        self.elements: dict[str, Pattern] = {}

    def load(self, path: Path, base: str | None = None, label: str = "") -> etree._Element:
        """The root of a grammar file (``label``: its name as the grammar wrote it)."""
        label = label or str(path)
        resolved = path.resolve()
        if resolved in self._files:
            raise GrammarError(f"{label} includes itself")
        self._files.add(resolved)
        root = etree.parse(str(path), safe_parser()).getroot()
        if not isinstance(root.tag, str) or not root.tag.startswith(_R):
            raise GrammarError(f"{label} is not a RELAX NG grammar (XML syntax)")
        self._bases[root] = str(path.parent) if base is None else base
        return root

    def read(self, root: etree._Element) -> Grammar:
        P = self.P
        inh = _Inherit("", "").under(root)
        if root.tag == _R + "grammar":
            scope = self._top = _Scope(None)
            self._collect(root, scope, inh)
            # every define that is one element keeps its name, reached from the start or not
            for name in sorted(scope.defines):
                parts = scope.defines[name]
                if len(parts) == 1 and _only_element(parts[0][1]) is not None:
                    self._ref(name, scope)
            if not scope.start:
                raise GrammarError("grammar without start")
            start = self._combined(scope.start, scope)
        else:
            start = self._pattern(root, None, _Inherit("", ""))
        while self._todo:
            name, node, scope, inh = self._todo.pop(0)
            self.elements[name] = self._element(node, scope, inh)
        names = {n: n for n in self.elements}
        return Grammar(P, start, dict(sorted(self.elements.items())), names, root.get("ns", ""))

    # -- patterns --

    def _pattern(self, node: etree._Element, scope: _Scope | None, inh: _Inherit) -> Pattern:
        tag = node.tag
        if not isinstance(tag, str) or not tag.startswith(_R):
            return self.P.empty  # an annotation
        inh = inh.under(node)
        local = tag[len(_R) :]
        P = self.P
        if local == "element":
            return P.ref(self._element_name(node, scope, inh))
        if local in LEAVES:
            return P.leaf(local)
        if local == "ref":
            return self._ref(node.get("name", "").strip(), scope)
        kids = _kids(node)
        if local == "attribute":
            nc, content = self._name_and_content(node, kids, inh, attribute=True)
            value = self._group(content, scope, inh) if content else P.text
            return P.attribute(nc, value)
        if local in COMBINATORS:
            return P.combine(local, (self._pattern(k, scope, inh) for k in kids))
        if local == "div":
            return self._group(kids, scope, inh)
        if local == "parentRef":
            if scope is None or scope.parent is None:
                raise GrammarError("parentRef outside a nested grammar")
            return self._ref(node.get("name", "").strip(), scope.parent)
        if local == "grammar":
            inner = _Scope(scope)
            self._collect(node, inner, inh)
            if not inner.start:
                raise GrammarError("grammar without start")
            return self._combined(inner.start, inner)
        if local == "externalRef":
            written = node.get("href", "").strip()
            href, base = self._href(node, written)
            other = self.load(href, base, written)
            try:
                return self._pattern(other, None, inh.external(other))
            finally:
                self._files.discard(href.resolve())
        if local == "data":
            params = tuple(
                (k.get("name", "").strip(), k.text or "") for k in kids if k.tag == _R + "param"
            )
            excepts = [k for k in kids if k.tag == _R + "except"]
            except_ = (
                P.choice(self._pattern(k, scope, inh) for k in _kids(excepts[0]))
                if excepts
                else None
            )
            return P.data(node.get("type", "").strip(), inh.library, params, except_)
        if local == "value":
            type_ = node.get("type")
            if type_ is None:
                return P.value(node.text or "")
            return P.value(node.text or "", type_.strip(), inh.library)
        raise GrammarError(f"unsupported RELAX NG element {local!r}")

    def _group(self, kids: list[etree._Element], scope: _Scope | None, inh: _Inherit) -> Pattern:
        return self.P.group(self._pattern(k, scope, inh) for k in kids)

    def _name_and_content(
        self, node: etree._Element, kids: list[etree._Element], inh: _Inherit, attribute: bool
    ) -> tuple[NameClass, list[etree._Element]]:
        name = node.get("name")
        try:
            if name is not None:
                default = node.get("ns", "") if attribute else inh.ns
                return names.qualified(name, node, default, strict=True), kids
            if not kids:
                raise GrammarError("element or attribute without a name")
            return names.read(kids[0], inh.ns, strict=True), kids[1:]
        except NameClassError as exc:
            raise GrammarError(str(exc)) from exc

    # -- elements --

    def _element_name(self, node: etree._Element, scope: _Scope | None, inh: _Inherit) -> str:
        """The name of an element pattern (given on first sight; built after the start)."""
        found = self._named.get(node)
        if found is not None:
            return found
        parent = node.getparent()
        name = ""
        if (
            scope is not None
            and scope is self._top
            and parent is not None
            and parent.tag == _R + "define"
            and _only_element(parent) is node
            and len(scope.defines.get(parent.get("name", "").strip(), ())) == 1
        ):
            name = parent.get("name", "").strip()
        if not name or name in self._taken:
            base = (parent.get("name", "") if parent is not None else "") or "element"
            count = len(self._named) + 1
            name = f"{base.strip()}#{count}"
            while name in self._taken:
                count += 1
                name = f"{base.strip()}#{count}"
        self._taken.add(name)
        self._named[node] = name
        self._todo.append((name, node, scope, inh))
        return name

    def _element(self, node: etree._Element, scope: _Scope | None, inh: _Inherit) -> Pattern:
        nc, content = self._name_and_content(node, _kids(node), inh, attribute=False)
        return self.P.element(nc, self._group(content, scope, inh), self.P.empty)

    # -- grammars, defines, includes --

    def _collect(
        self,
        node: etree._Element,
        scope: _Scope,
        inh: _Inherit,
        overridden: frozenset[str] = frozenset(),
    ) -> None:
        for kid in _kids(node):
            local = kid.tag[len(_R) :]
            kinh = inh.under(kid)
            if local == "define":
                name = kid.get("name", "").strip()
                if name not in overridden:
                    scope.defines.setdefault(name, []).append((kid.get("combine"), kid, kinh))
            elif local == "start":
                if "\0start" not in overridden:
                    scope.start.append((kid.get("combine"), kid, kinh))
            elif local == "div":
                self._collect(kid, scope, kinh, overridden)
            elif local == "include":
                written = kid.get("href", "").strip()
                href, base = self._href(kid, written)
                other = self.load(href, base, written)
                if other.tag != _R + "grammar":
                    raise GrammarError(f"{written} is not a RELAX NG grammar (XML syntax)")
                replaced = {d.get("name", "").strip() for d in kid.iter(_R + "define")}
                if kid.find(f".//{_R}start") is not None:
                    replaced.add("\0start")
                self._collect(other, scope, inh.external(other).under(other), overridden | replaced)
                self._files.discard(href.resolve())
                self._collect(kid, scope, kinh, overridden)

    def _href(self, node: etree._Element, href: str) -> tuple[Path, str]:
        """The file an ``include``/``externalRef`` names, and the base of its own."""
        base = self._bases.get(node.getroottree().getroot())
        if base is None:
            url = node.getroottree().docinfo.URL
            if url is None and self.path is None:
                raise GrammarError(f"{href}: a grammar read from memory cannot include files")
            base = str(Path(url or str(self.path)).parent)
        return self.resolve(href, base)

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

    def _combined(
        self, parts: list[tuple[str | None, etree._Element, _Inherit]], scope: _Scope
    ) -> Pattern:
        combine = next((c for c, _, _ in parts if c), None)
        bodies = [self._group(_kids(node), scope, inh) for _, node, inh in parts]
        if not bodies:
            return self.P.not_allowed
        if len(bodies) == 1:
            return bodies[0]
        if combine == "interleave":
            return self.P.interleave(bodies)
        return self.P.choice(bodies)


def _kids(node: etree._Element) -> list[etree._Element]:
    """The RELAX NG children of ``node`` (annotations left out)."""
    return [k for k in node if isinstance(k.tag, str) and k.tag.startswith(_R)]


def _only_element(define: etree._Element) -> etree._Element | None:
    kids = _kids(define)
    return kids[0] if len(kids) == 1 and kids[0].tag == _R + "element" else None


def canonical(
    p: Pattern, memo: dict[int, Any] | None = None, names: dict[str, Any] | None = None
) -> Any:
    """A comparable form of ``p``: alternatives sorted, annotations and bundles left out.

    ``names`` maps element define names to what should stand for them (e.g. the element's
    name class, so that grammars naming their defines differently compare equal).
    """
    memo = {} if memo is None else memo
    names = {} if names is None else names
    found = memo.get(p.uid)
    if found is not None:
        return found
    kind = p.kind
    if kind == "ref":
        name = p.data[0]
        result = ("ref", names.get(name, name))
    elif kind == "bundle":
        result = canonical(p.kids[0], memo, names)
    elif kind == "attribute":
        result = ("attribute", _canon_nc(p.data[0]), canonical(p.kids[0], memo, names))
    elif kind == "element":
        content = canonical(p.kids[0], memo, names)
        attributes = canonical(p.kids[1], memo, names)
        result = ("element", _canon_nc(p.data[0]), _merge_group(content, attributes))
    elif kind in ("choice", "interleave"):
        result = (kind, tuple(sorted((canonical(k, memo, names) for k in p.kids), key=repr)))
    elif kind == "group":
        result = _merge_group(*(canonical(k, memo, names) for k in p.kids))
    elif kind == "data":
        type_, library, params = p.data
        result = (
            "data",
            type_,
            library or XSD_DATATYPES,
            params,
            tuple(canonical(k, memo, names) for k in p.kids),
        )
    else:
        result = (kind, p.data, tuple(canonical(k, memo, names) for k in p.kids))
    memo[p.uid] = result
    return result


def _merge_group(*parts: Any) -> Any:
    """A group in canonical form: attributes sorted apart from the content (their order and
    their position do not matter in RELAX NG), the rest in order."""
    flat: list[Any] = []
    for part in parts:
        if part == ("empty", (), ()):
            continue
        if isinstance(part, tuple) and part and part[0] == "group":
            flat.extend(part[1])
        else:
            flat.append(part)
    attributes = sorted((x for x in flat if _is_attribute_part(x)), key=repr)
    others = [x for x in flat if not _is_attribute_part(x)]
    items = tuple(others + attributes)
    if not items:
        return ("empty", (), ())
    if len(items) == 1:
        return items[0]
    return ("group", items)


def _is_attribute_part(x: Any) -> bool:
    if not isinstance(x, tuple) or not x:
        return False
    if x[0] == "attribute":
        return True
    return bool(x[0] == "optional" and x[2] and x[2][0][0] == "attribute")


def _canon_nc(nc: NameClass) -> Any:
    if nc[0] == "nameChoice":
        return ("nameChoice", tuple(sorted((_canon_nc(n) for n in nc[1]), key=repr)))
    if nc[0] == "anyName":
        return ("anyName", _canon_nc(nc[1]) if nc[1] else None)
    if nc[0] == "nsName":
        return ("nsName", nc[1], _canon_nc(nc[2]) if nc[2] else None)
    return nc
