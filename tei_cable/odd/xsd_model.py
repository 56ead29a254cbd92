"""Element content models for the XSD writer: particles, determinism and loosening.

An element's content pattern (from the resolved grammar) becomes a tree of W3C XML Schema
*particles*: element declarations, wildcards, ``sequence`` and ``choice``, each with
``minOccurs``/``maxOccurs``. RELAX NG allows any regular content model; XML Schema allows only
those where each child element can be matched to one particle without looking ahead (the
*Unique Particle Attribution* constraint, UPA). :func:`content_model` converts a pattern,
checks UPA on the Glushkov positions of the particles (two particles that could match the
same element where the model may continue are a conflict) and, where it fails, *loosens* the
smallest part of the model that contains the conflict into a repeatable choice of the
particles in it: a model that accepts every sequence the original accepts (and more), until
the whole model is deterministic. Each loosened place is described in a :class:`Loosening`.

Other things a content model in XSD cannot say, also loosened and reported: text allowed in
only part of a mixed model (XSD's ``mixed`` allows it everywhere), ``interleave``, values or
datatypes among element children, elements of other namespaces (a wildcard for their
namespace, contents not checked) and name classes with exceptions an XSD 1.0 wildcard cannot
make.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..relaxng.names import NameClass
from ..relaxng.patterns import Pattern

UNBOUNDED = -1
#: the namespace token of an XSD 1.0 wildcard for "any namespace but the target and none"
OTHER = "##other"


class Particle:
    """One particle: ``element``, ``any`` (wildcard), ``sequence`` or ``choice``."""

    __slots__ = ("kids", "kind", "max", "min", "name", "namespaces", "origin", "type")

    def __init__(
        self,
        kind: str,
        kids: list[Particle] | None = None,
        *,
        min_: int = 1,
        max_: int = 1,
        name: str = "",
        type_: str = "",
        namespaces: frozenset[str] = frozenset(),
    ) -> None:
        self.kind = kind
        self.kids = kids if kids is not None else []
        self.min = min_
        self.max = max_
        self.name = name
        self.type = type_
        self.namespaces = namespaces
        #: the class or macro the particle comes from (a name for a shared group)
        self.origin = ""

    @property
    def leaf(self) -> bool:
        return self.kind in ("element", "any")

    def key(self) -> tuple[object, ...]:
        """Structural identity (for sharing and deduplication)."""
        return (
            self.kind,
            self.min,
            self.max,
            self.name,
            self.type,
            tuple(sorted(self.namespaces)),
            tuple(k.key() for k in self.kids),
        )

    def __repr__(self) -> str:
        occ = {(1, 1): "", (0, 1): "?", (0, UNBOUNDED): "*", (1, UNBOUNDED): "+"}.get(
            (self.min, self.max), f"{{{self.min},{self.max}}}"
        )
        if self.kind == "element":
            return f"{self.name}{occ}"
        if self.kind == "any":
            spaces = " ".join(sorted(n or "##local" for n in self.namespaces))
            return f"any[{spaces}]{occ}"
        sep = ", " if self.kind == "sequence" else " | "
        return f"({sep.join(map(repr, self.kids))}){occ}"


@dataclass(frozen=True)
class Loosening:
    """One place where the XSD accepts more than the RELAX NG: what and why."""

    kind: str
    detail: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.detail}"


#: the kinds of loosening, with the one-line reason given for each
KINDS: dict[str, str] = {
    "not deterministic": "the content model breaks XSD's Unique Particle Attribution rule; "
    "the ambiguous part accepts its elements in any order and number",
    "mixed": "text is allowed in only part of the content; XSD allows it everywhere or nowhere",
    "interleave": "interleave has no XSD form; its parts accept their elements in any order",
    "data among elements": "a datatype or value beside child elements is taken as text",
    "other namespace": "an element of another namespace is a wildcard for that namespace; its "
    "content is not checked",
    "wildcard": "elements matched by a name class are not checked inside; some names the "
    "RELAX NG excludes are allowed",
    "same name": "elements of one name with different definitions in one content model (XSD "
    "requires one type per name there) accept any content and attributes",
}
#: the type of elements of one name with several definitions in one content model
ANY_TYPE = "xs:anyType"


def occurs(p: Particle, min_: int, max_: int) -> Particle:
    """``p`` repeated ``min_..max_`` times (min 0 or 1, max 1 or unbounded)."""
    if (min_, max_) == (1, 1):
        return p
    if p.kind == "sequence" and not p.kids:
        return p
    if p.min in (0, 1) and p.max in (1, UNBOUNDED):
        return _with(p, p.min * min_, UNBOUNDED if UNBOUNDED in (p.max, max_) else 1)
    return Particle("sequence", [p], min_=min_, max_=max_)


def _with(p: Particle, min_: int, max_: int) -> Particle:
    copy = Particle(
        p.kind,
        list(p.kids),
        min_=min_,
        max_=max_,
        name=p.name,
        type_=p.type,
        namespaces=p.namespaces,
    )
    copy.origin = p.origin
    return copy


def epsilon() -> Particle:
    return Particle("sequence")


def is_epsilon(p: Particle) -> bool:
    return p.kind == "sequence" and not p.kids


def group(kind: str, kids: Iterable[Particle]) -> Particle:
    """A ``sequence`` or ``choice`` of ``kids``, flattened where that keeps the meaning."""
    flat: list[Particle] = []
    nullable_alternative = False
    for kid in kids:
        if is_epsilon(kid):
            if kind == "choice":
                nullable_alternative = True
            continue
        if kid.kind == kind and (kid.min, kid.max) == (1, 1):
            flat.extend(kid.kids)
        else:
            flat.append(kid)
    if kind == "choice":
        unique: dict[tuple[object, ...], Particle] = {}
        for kid in flat:
            unique.setdefault(kid.key(), kid)
        flat = list(unique.values())
    if not flat:
        return epsilon()
    result = flat[0] if len(flat) == 1 else Particle(kind, flat)
    return occurs(result, 0, 1) if nullable_alternative else result


# -- from patterns -------------------------------------------------------------------------------


@dataclass
class Model:
    """The XSD content model of one element."""

    particle: Particle
    mixed: bool
    loosenings: list[Loosening]


class ModelBuilder:
    """Turns content patterns into deterministic particle trees.

    ``element_of`` maps a ``ref`` name to ``(name class, type name)`` of the element it
    defines; ``target`` is the target namespace.
    """

    def __init__(
        self,
        target: str,
        element_of: Callable[[str], tuple[NameClass, str]],
        origin_of: Callable[[Pattern], str | None] = lambda p: None,
    ) -> None:
        self.target = target
        self.element_of = element_of
        self.origin_of = origin_of

    def model(self, content: Pattern) -> Model:
        notes: list[Loosening] = []
        texts: list[Pattern] = []
        particle = self._conv(content, notes, texts)
        _consistent(particle, notes)
        mixed = bool(texts)
        if mixed and not _text_everywhere(content):
            notes.append(Loosening("mixed", "text is allowed anywhere among the children"))
        particle = determinise(particle, notes, self.target)
        return Model(particle, mixed, _unique(notes))

    # -- conversion --------------------------------------------------------------------------
    def _conv(self, p: Pattern, notes: list[Loosening], texts: list[Pattern]) -> Particle:
        kind = p.kind
        if kind == "ref":
            return self._ref(p.data[0], notes)
        if kind in ("empty", "attribute"):
            return epsilon()
        if kind == "text":
            texts.append(p)
            return epsilon()
        if kind in ("data", "value", "list"):
            texts.append(p)
            notes.append(Loosening("data among elements", f"{_describe_value(p)} is taken as text"))
            return epsilon()
        if kind == "notAllowed":
            return Particle("choice")  # no alternative: matches nothing
        if kind in ("group", "bundle", "choice"):
            kids = p.kids if kind != "bundle" else (p.kids[0],)
            made = [self._conv(k, notes, texts) for k in kids]
            result = group("choice" if kind == "choice" else "sequence", made)
            if not result.leaf and not any(result is k for k in made):
                result.origin = self.origin_of(p) or ""
            return result
        if kind in ("optional", "zeroOrMore", "oneOrMore"):
            low, high = {
                "optional": (0, 1),
                "zeroOrMore": (0, UNBOUNDED),
                "oneOrMore": (1, UNBOUNDED),
            }[kind]
            kid = self._conv(p.kids[0], notes, texts)
            result = occurs(kid, low, high)
            if not result.leaf and not result.origin:
                result.origin = self.origin_of(p) or ""
            return result
        if kind == "interleave":
            parts = [self._conv(k, notes, texts) for k in p.kids]
            whole = group("sequence", parts)
            loose = collapse(whole, self.target)
            notes.append(Loosening("interleave", f"{whole!r} is loosened to {loose!r}"))
            return loose
        raise ValueError(f"unexpected pattern in element content: {kind}")

    def _ref(self, name: str, notes: list[Loosening]) -> Particle:
        nc, type_name = self.element_of(name)
        if nc[0] == "name":
            _, ns, local = nc
            if (ns or "") == self.target:
                return Particle("element", name=local, type_=type_name)
            notes.append(
                Loosening(
                    "other namespace",
                    f"element {{{ns or ''}}}{local} is any element of its namespace",
                )
            )
            return Particle("any", namespaces=frozenset((ns or "",)))
        allowed, exact = self.wildcard(nc)
        what = _describe_nc(nc)
        notes.append(
            Loosening(
                "wildcard",
                f"{what}: content not checked"
                + ("" if exact else "; names it excludes are allowed"),
            )
        )
        return allowed

    def wildcard(self, nc: NameClass) -> tuple[Particle, bool]:
        """The XSD 1.0 wildcard(s) for a name class, and whether they are exact."""
        tokens, exact = namespaces_of(nc, self.target)
        wildcards = _wildcards(tokens, self.target)
        return (wildcards[0] if len(wildcards) == 1 else group("choice", wildcards)), exact


def namespaces_of(nc: NameClass, target: str) -> tuple[set[str], bool]:
    """The namespaces a name class allows, as XSD 1.0 wildcard tokens (a superset), and
    whether that is exact (no name-level exclusion lost)."""
    kind = nc[0]
    if kind == "name":
        return {nc[1] or ""}, False
    if kind == "nsName":
        return {nc[1] or ""}, nc[2] is None
    if kind == "anyName":
        if nc[1] is None:
            return {OTHER, target, ""}, True
        excluded, exact = _excluded(nc[1])
        allowed = {OTHER}
        allowed |= {t for t in (target, "") if t not in excluded}
        # namespaces excluded that ##other covers cannot be taken out in XSD 1.0
        exact = exact and excluded <= {target, ""}
        return allowed, exact
    out: set[str] = set()
    exact = True
    for part in nc[1]:
        found, part_exact = namespaces_of(part, target)
        out |= found
        exact = exact and part_exact
    return out, exact


def _excluded(nc: NameClass) -> tuple[set[str], bool]:
    """Namespaces wholly excluded by an ``except`` name class, and whether nothing else is."""
    kind = nc[0]
    if kind == "nsName" and nc[2] is None:
        return {nc[1] or ""}, True
    if kind == "nameChoice":
        out: set[str] = set()
        exact = True
        for part in nc[1]:
            found, part_exact = _excluded(part)
            out |= found
            exact = exact and part_exact
        return out, exact
    return set(), False  # a single name (or a nested except) cannot be excluded


def _describe_nc(nc: NameClass) -> str:
    kind = nc[0]
    if kind == "name":
        return f"{{{nc[1] or ''}}}{nc[2]}"
    if kind == "nsName":
        base = f"any element in {{{nc[1] or ''}}}"
        return base if nc[2] is None else f"{base} except {_describe_nc(nc[2])}"
    if kind == "anyName":
        return "any element" if nc[1] is None else f"any element except {_describe_nc(nc[1])}"
    return " or ".join(_describe_nc(part) for part in nc[1])


def _describe_value(p: Pattern) -> str:
    if p.kind == "data":
        return f"datatype {p.data[0]}"
    if p.kind == "value":
        return f'value "{p.data[3]}"'
    return "a list"


def _unique(notes: list[Loosening]) -> list[Loosening]:
    return list(dict.fromkeys(notes))


def _consistent(root: Particle, notes: list[Loosening]) -> None:
    """XSD's Element Declarations Consistent rule: elements of one name in a content model
    must have one type; where they have several, they get ``xs:anyType``."""
    types: dict[str, set[str]] = {}
    for leaf in _leaves(root):
        if leaf.kind == "element":
            types.setdefault(leaf.name, set()).add(leaf.type)
    clashing = {name for name, found in types.items() if len(found) > 1}
    for name in sorted(clashing):
        notes.append(
            Loosening(
                "same name",
                f"element {name} ({', '.join(sorted(types[name]))})"
                " accepts any content and attributes",
            )
        )
    if clashing:
        for leaf in _leaves(root):
            if leaf.kind == "element" and leaf.name in clashing:
                leaf.type = ANY_TYPE


def _text_everywhere(p: Pattern) -> bool:
    """Whether ``p`` lets text appear between any two children (as XSD ``mixed`` does)."""
    if p.kind == "text":
        return True
    if p.kind == "zeroOrMore":
        kid = p.kids[0]
        return kid.kind == "text" or (
            kid.kind == "choice" and any(k.kind == "text" for k in kid.kids)
        )
    if p.kind == "interleave":
        return any(k.kind == "text" for k in p.kids)
    return False


# -- determinism ---------------------------------------------------------------------------------


class _Analysis:
    """Glushkov positions of a particle tree: the first particles and what follows each."""

    def __init__(self, root: Particle) -> None:
        self.leaves: list[Particle] = []
        self.parent: dict[int, Particle | None] = {id(root): None}
        self.follow: list[list[tuple[int, ...]]] = []
        _nullable, first, _last = self._walk(root)
        self.first = first

    def _walk(self, p: Particle) -> tuple[bool, tuple[int, ...], tuple[int, ...]]:
        if p.leaf:
            pos = len(self.leaves)
            self.leaves.append(p)
            self.follow.append([])
            first = last = (pos,)
            nullable = p.min == 0
        elif p.kind == "sequence":
            parts = []
            for kid in p.kids:
                self.parent[id(kid)] = p
                parts.append(self._walk(kid))
            nullable = all(n for n, _, _ in parts)
            first_l: list[int] = []
            for n, f, _ in parts:
                first_l.extend(f)
                if not n:
                    break
            last_l: list[int] = []
            for n, _, last_part in reversed(parts):
                last_l.extend(last_part)
                if not n:
                    break
            for index, (_n, _f, last_part) in enumerate(parts):
                following: list[int] = []
                for n2, f2, _ in parts[index + 1 :]:
                    following.extend(f2)
                    if not n2:
                        break
                if following:
                    after = tuple(following)
                    for pos in last_part:
                        self.follow[pos].append(after)
            first, last = tuple(first_l), tuple(last_l)
            nullable = nullable or p.min == 0
        else:  # choice
            parts = []
            for kid in p.kids:
                self.parent[id(kid)] = p
                parts.append(self._walk(kid))
            nullable = any(n for n, _, _ in parts) or p.min == 0
            first = tuple(pos for _, f, _ in parts for pos in f)
            last = tuple(pos for _, _, la in parts for pos in la)
        if p.max == UNBOUNDED or p.max > 1:
            for pos in last:
                self.follow[pos].append(first)
        return nullable, first, last

    def conflict(self, target: str) -> tuple[int, int] | None:
        """Two positions that compete for the same element, or ``None``."""
        found = self._clash((self.first,), target)
        if found:
            return found
        checked: set[tuple[int, ...]] = set()
        for sets in self.follow:
            signature = tuple(id(s) for s in sets)
            if not sets or signature in checked:
                continue
            checked.add(signature)
            found = self._clash(tuple(sets), target)
            if found:
                return found
        return None

    def _clash(self, sets: tuple[tuple[int, ...], ...], target: str) -> tuple[int, int] | None:
        by_name: dict[str, int] = {}
        wild: list[int] = []
        seen: set[int] = set()
        for positions in sets:
            for pos in positions:
                if pos in seen:
                    continue
                seen.add(pos)
                leaf = self.leaves[pos]
                if leaf.kind == "element":
                    other = by_name.get(leaf.name)
                    if other is not None:
                        return other, pos
                    by_name[leaf.name] = pos
                else:
                    wild.append(pos)
        for index, pos in enumerate(wild):
            spaces = self.leaves[pos].namespaces
            if _matches(spaces, target, target) and by_name:
                return pos, next(iter(by_name.values()))
            for other in wild[index + 1 :]:
                if _overlap(spaces, self.leaves[other].namespaces, target):
                    return pos, other
        return None


def _matches(spaces: frozenset[str], ns: str, target: str) -> bool:
    if "##any" in spaces or ns in spaces:
        return True
    return OTHER in spaces and ns not in (target, "")


def _overlap(a: frozenset[str], b: frozenset[str], target: str) -> bool:
    if "##any" in a or "##any" in b or (OTHER in a and OTHER in b):
        return True
    return any(_matches(b, ns, target) for ns in a if ns != OTHER) or any(
        _matches(a, ns, target) for ns in b if ns != OTHER
    )


def is_deterministic(p: Particle, target: str) -> bool:
    return _Analysis(p).conflict(target) is None


def determinise(root: Particle, notes: list[Loosening], target: str = "") -> Particle:
    """``root`` made UPA-deterministic by loosening the parts that are not."""
    holder = Particle("sequence", [root])
    while True:
        analysis = _Analysis(holder)
        found = analysis.conflict(target)
        if found is None:
            return holder.kids[0]
        a, b = (analysis.leaves[i] for i in found)
        node = _common_ancestor(analysis, a, b)
        parent = analysis.parent[id(node)]
        loose = collapse(node, target)
        notes.append(
            Loosening(
                "not deterministic",
                f"{_clip(repr(node))} is loosened to {_clip(repr(loose))} "
                f"({_clip(repr(_with(a, 1, 1)))} could match two particles)",
            )
        )
        if parent is None:  # pragma: no cover - the holder is always there
            return loose
        parent.kids[parent.kids.index(node)] = loose


def _common_ancestor(analysis: _Analysis, a: Particle, b: Particle) -> Particle:
    chain: list[int] = []
    node: Particle | None = a
    while node is not None:
        chain.append(id(node))
        node = analysis.parent.get(id(node))
    ancestors = set(chain)
    node = b
    while node is not None and id(node) not in ancestors:
        node = analysis.parent.get(id(node))
    assert node is not None
    if node is a:  # the same particle twice (a repeated leaf): loosen its parent
        parent = analysis.parent.get(id(node))
        return parent if parent is not None else node
    return node


def collapse(p: Particle, target: str) -> Particle:
    """The loosest deterministic stand-in for ``p``: its particles in any order and number."""
    leaves: dict[tuple[object, ...], Particle] = {}
    wild: set[str] = set()
    for leaf in _leaves(p):
        if leaf.kind == "any":
            wild |= leaf.namespaces
        else:
            leaves.setdefault((leaf.name, leaf.type), _with(leaf, 1, 1))
    wildcards = _wildcards(wild, target) if wild else []
    kids = [
        leaf
        for leaf in leaves.values()
        if not any(_matches(w.namespaces, target, target) for w in wildcards)
    ]
    kids.extend(wildcards)
    nullable = _nullable(p)
    body = kids[0] if len(kids) == 1 else Particle("choice", kids)
    return occurs(body, 0 if nullable else 1, UNBOUNDED) if kids else epsilon()


def _wildcards(tokens: set[str], target: str) -> list[Particle]:
    """Wildcards for a set of namespace tokens (``##other`` cannot share a wildcard)."""
    if "##any" in tokens or {OTHER, target, ""} <= tokens:
        return [Particle("any", namespaces=frozenset(("##any",)))]
    if OTHER in tokens:
        out = [Particle("any", namespaces=frozenset((OTHER,)))]
        extra = frozenset(t for t in tokens if t in (target, ""))
        if extra:
            out.append(Particle("any", namespaces=extra))
        return out
    return [Particle("any", namespaces=frozenset(tokens))]


def _leaves(p: Particle) -> Iterable[Particle]:
    if p.leaf:
        yield p
    for kid in p.kids:
        yield from _leaves(kid)


def _nullable(p: Particle) -> bool:
    if p.min == 0:
        return True
    if p.leaf:
        return False
    if p.kind == "sequence":
        return all(_nullable(k) for k in p.kids)
    return any(_nullable(k) for k in p.kids)


def _clip(text: str, size: int = 160) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"
