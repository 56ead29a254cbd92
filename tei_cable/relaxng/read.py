"""Read a RELAX NG grammar (XML syntax, one file) into :mod:`~tei_cable.relaxng.patterns`.

Each ``define`` whose body is an ``element`` stays a named element pattern; every other
``define`` is inlined, with the simplifications of the pattern constructors. Two grammars read
this way can be compared element by element: :func:`canonical` gives a form in which the
order of alternatives and annotations no longer matter. The ODD compiler's tests compare its
output with the TEI's own schemas this way.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from ..namespaces import RNG, XSD_DATATYPES, rng
from . import names
from .inherit import inherited
from .names import NameClass, qualified
from .patterns import Grammar, Pattern, Patterns

_R = f"{{{RNG}}}"


def read_rng(tree: etree._ElementTree | etree._Element) -> Grammar:
    """The grammar of a RELAX NG document (``include``/``externalRef`` are not supported)."""
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    P = Patterns()
    defines: dict[str, list[etree._Element]] = {}
    combine: dict[str, str] = {}
    start_nodes: list[etree._Element] = []

    def collect(grammar: etree._Element) -> None:
        for child in grammar:
            if not isinstance(child.tag, str):
                continue
            if child.tag == rng("define"):
                name = child.get("name", "")
                defines.setdefault(name, []).append(child)
                if child.get("combine"):
                    combine[name] = child.get("combine", "")
            elif child.tag == rng("start"):
                start_nodes.append(child)
            elif child.tag == rng("div"):
                collect(child)

    collect(root)
    element_defs = {
        name for name, nodes in defines.items() if len(nodes) == 1 and _single_element(nodes[0])
    }
    memo: dict[str, Pattern] = {}
    busy: set[str] = set()
    elements: dict[str, Pattern] = {}

    def body(name: str) -> Pattern:
        found = memo.get(name)
        if found is not None:
            return found
        if name in busy:
            raise ValueError(f"define {name} refers to itself without an element in between")
        busy.add(name)
        parts = [group(d, "") for d in defines.get(name, [])]
        if not parts:
            result = P.not_allowed
        elif combine.get(name) == "interleave":
            result = P.interleave(parts)
        else:
            result = P.choice(parts) if len(parts) > 1 else parts[0]
        busy.discard(name)
        memo[name] = result
        return result

    def lib_of(node: etree._Element) -> str:
        return inherited(node, "datatypeLibrary")

    def ns_of(node: etree._Element) -> str:
        return inherited(node, "ns", counts=lambda e: e.tag.startswith(_R))

    def group(node: etree._Element, _ns: str) -> Pattern:
        return P.group(pattern(k) for k in _patterns(node))

    def pattern(node: etree._Element) -> Pattern:
        local = etree.QName(node).localname
        if local == "ref":
            name = node.get("name", "")
            if name in element_defs:
                return P.ref(name)
            return body(name)
        if local == "empty":
            return P.empty
        if local == "notAllowed":
            return P.not_allowed
        if local == "text":
            return P.text
        if local == "group":
            return group(node, "")
        if local == "choice":
            return P.choice(pattern(k) for k in _patterns(node))
        if local == "interleave":
            return P.interleave(pattern(k) for k in _patterns(node))
        if local == "mixed":
            return P.interleave([P.text, group(node, "")])
        if local == "optional":
            return P.optional(group(node, ""))
        if local == "zeroOrMore":
            return P.zero_or_more(group(node, ""))
        if local == "oneOrMore":
            return P.one_or_more(group(node, ""))
        if local == "list":
            return P.list_(group(node, ""))
        if local == "value":
            if node.get("type") is None:
                return P.value(node.text or "")
            return P.value(node.text or "", node.get("type", ""), lib_of(node))
        if local == "data":
            params = tuple((p.get("name", ""), p.text or "") for p in node.findall(rng("param")))
            except_el = node.find(rng("except"))
            except_ = (
                P.choice(pattern(k) for k in _patterns(except_el))
                if except_el is not None
                else None
            )
            return P.data(node.get("type", ""), lib_of(node), params, except_)
        if local == "attribute":
            name = _name_class(node, attribute=True, ns=ns_of(node))
            kids = _patterns(node)
            value = P.group(pattern(k) for k in kids) if kids else P.text
            return P.attribute(name, value)
        if local == "element":
            raise ValueError("an element pattern outside a define of its own")
        raise ValueError(f"unsupported RELAX NG pattern {local}")

    for name in sorted(element_defs):
        element = next(
            k for k in defines[name][0] if isinstance(k.tag, str) and k.tag == rng("element")
        )
        nc = _name_class(element, attribute=False, ns=ns_of(element))
        kids = _patterns(element)
        elements[name] = P.element(nc, P.group(pattern(k) for k in kids), P.empty)
    start = P.choice(P.group(pattern(k) for k in _patterns(s)) for s in start_nodes)
    names = {n: n for n in elements}
    return Grammar(P, start, elements, names, root.get("ns", ""))


def _single_element(define: etree._Element) -> bool:
    kids = [k for k in define if isinstance(k.tag, str) and k.tag.startswith(_R)]
    return len(kids) == 1 and kids[0].tag == rng("element")


def _patterns(node: etree._Element) -> list[etree._Element]:
    return [
        k
        for k in node
        if isinstance(k.tag, str)
        and k.tag.startswith(_R)
        and k.tag not in (rng("name"), rng("anyName"), rng("nsName"), rng("param"), rng("except"))
        and not (
            node.tag in (rng("element"), rng("attribute"))
            and k.tag == rng("choice")
            and node.get("name") is None
            and k is _first_name_class(node)
        )
    ]


def _first_name_class(node: etree._Element) -> etree._Element | None:
    for kid in node:
        if isinstance(kid.tag, str) and kid.tag.startswith(_R):
            return kid
    return None


def _name_class(node: etree._Element, *, attribute: bool, ns: str) -> NameClass:
    name = node.get("name")
    if name is not None:
        return qualified(name, node, node.get("ns", "") if attribute else ns)
    first = _first_name_class(node)
    return names.read(first, ns) if first is not None else ("anyName", None)


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
