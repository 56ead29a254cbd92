"""A RELAX NG grammar cut down to the element names one document uses: same verdict, fast load.

libxml2 spends almost all of a one-file validation against a large grammar (``tei_all``) on
compiling the grammar. But an ``element`` pattern whose name does not occur in the document
cannot match anything in it: for that document it means what ``notAllowed`` means. Replacing
those patterns by ``notAllowed`` and simplifying as RELAX NG's own rules do (a ``choice``
loses the branch, ``optional`` and ``zeroOrMore`` become ``empty``, a ``group``,
``interleave``, ``oneOrMore``, ``list`` or ``attribute`` that needs it is ``notAllowed``
itself, and so is a ``ref`` to a ``define`` that is) leaves a grammar that accepts exactly the
same documents among those made of these names: so the document gets the same verdict, and so
does each of its subtrees. An element whose content needs a name the document lacks keeps its
name, with ``notAllowed`` for content: no element of that name in the document can be valid,
in either grammar. Only the definitions its names can reach are kept, so the grammar to
compile is a fraction of the whole.

:func:`restrict` returns ``None`` (use the whole grammar) for grammars it does not handle
(``include``, ``externalRef``, ``parentRef``, nested grammars, ``div``, ``@combine``) and
where the cut would leave ``notAllowed`` in the start (the document element is then not one
the grammar allows, and the whole grammar says why).
"""

from __future__ import annotations

from collections.abc import Iterable

from lxml import etree

from ..namespaces import RNG
from .inherit import inherited
from .names import qualified

_R = f"{{{RNG}}}"
_UNHANDLED = {f"{_R}{name}" for name in ("include", "externalRef", "parentRef", "div")}
_NAME_CLASSES = {f"{_R}{name}" for name in ("name", "anyName", "nsName")}
#: patterns that are notAllowed when one of their parts is
_ALL_NEEDED = {
    f"{_R}{name}"
    for name in ("group", "interleave", "oneOrMore", "list", "mixed", "define", "start")
}
_OPTIONAL = {f"{_R}optional", f"{_R}zeroOrMore"}
_REPEATS = {f"{_R}optional", f"{_R}zeroOrMore", f"{_R}oneOrMore"}
#: patterns whose parts follow one another (an element's and a define's content too)
_SEQUENCES = {
    f"{_R}{name}"
    for name in (
        "group",
        "interleave",
        "oneOrMore",
        "zeroOrMore",
        "optional",
        "element",
        "define",
        "start",
    )
}


class _Bail(Exception):
    """The cut is not worth it or not safe: validate with the whole grammar."""


def document_names(tree: etree._ElementTree | etree._Element) -> set[tuple[str, str]]:
    """The (namespace, local name) of every element of a document."""
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    names = set()
    for element in root.iter(etree.Element):
        qname = etree.QName(element)
        names.add((qname.namespace or "", qname.localname))
    return names


def restrict(grammar: etree._Element, names: Iterable[tuple[str, str]]) -> etree._Element | None:
    """A copy of ``grammar`` (a RELAX NG ``grammar`` element) for documents made of ``names``."""
    try:
        return _Restriction(grammar, set(names)).run()
    except _Bail:
        return None


class _Restriction:
    def __init__(self, grammar: etree._Element, names: set[tuple[str, str]]) -> None:
        if grammar.tag != f"{_R}grammar":
            raise _Bail
        self.root = etree.fromstring(etree.tostring(grammar))
        self.names = names
        self.defines: dict[str, etree._Element] = {}
        self.start: etree._Element | None = None
        for child in self.root:
            if child.tag == f"{_R}define":
                if child.get("combine") or child.get("name") in self.defines:
                    raise _Bail
                self.defines[child.get("name")] = child  # type: ignore[index]
            elif child.tag == f"{_R}start":
                if self.start is not None or child.get("combine"):
                    raise _Bail
                self.start = child
            elif isinstance(child.tag, str) and child.tag.startswith(_R):
                raise _Bail
        if self.start is None:
            raise _Bail
        for node in self.root.iter():
            if node.tag in _UNHANDLED or (node.tag == f"{_R}grammar" and node is not self.root):
                raise _Bail
        self.dead: dict[str, bool] = dict.fromkeys(self.defines, False)

    # -- which patterns cannot match anything in the document ------------------------------

    def _element_kept(self, element: etree._Element) -> bool:
        name = element.get("name")
        if name is None:
            return True  # a name class: kept as it is
        _kind, ns, local = qualified(name, element, inherited(element, "ns"))
        return (ns, local) in self.names

    def _is_dead(self, node: etree._Element) -> bool:
        tag = node.tag
        if tag == f"{_R}notAllowed":
            return True
        if tag == f"{_R}element":
            return not self._element_kept(node)
        if tag == f"{_R}ref":
            return self.dead.get(node.get("name"), False)  # type: ignore[arg-type]
        if tag == f"{_R}choice":
            kids = _patterns(node)
            return bool(kids) and all(self._is_dead(k) for k in kids)
        if tag in _ALL_NEEDED or tag == f"{_R}attribute":
            return any(self._is_dead(k) for k in _patterns(node))
        return False  # optional, zeroOrMore, data, value, text, empty

    def _settle(self) -> None:
        """Which defines are notAllowed: repeat until nothing changes (refs can recurse)."""
        changed = True
        while changed:
            changed = False
            for name, define in self.defines.items():
                if not self.dead[name] and self._is_dead(define):
                    self.dead[name] = True
                    changed = True

    # -- the cut ------------------------------------------------------------------------------

    def _clean(self, node: etree._Element) -> None:
        """Remove what cannot match from the patterns under ``node`` (which itself can)."""
        for kid in _patterns(node):
            if self._is_dead(kid):
                if node.tag == f"{_R}choice":
                    node.remove(kid)
                elif node.tag in _OPTIONAL:
                    node.getparent().replace(node, etree.Element(f"{_R}empty"))  # type: ignore[union-attr]
                    return
                elif node.tag == f"{_R}element":
                    # content that needs a name the document lacks: no element of this name
                    # in the document is valid, whichever grammar judges it
                    for dead in _patterns(node):
                        node.remove(dead)
                    etree.SubElement(node, f"{_R}notAllowed")
                    return
                else:  # the start: the whole grammar explains
                    raise _Bail
            elif kid.tag != f"{_R}ref":  # a define is cleaned when a ref first reaches it
                self._clean(kid)

    def run(self) -> etree._Element:
        self._settle()
        assert self.start is not None
        if self._is_dead(self.start):
            raise _Bail
        kept: set[str] = set()
        todo = [self.start]
        while todo:
            node = todo.pop()
            self._clean(node)
            for ref in node.iter(f"{_R}ref"):
                name = ref.get("name")
                if name not in kept and name in self.defines:
                    kept.add(name)  # type: ignore[arg-type]
                    todo.append(self.defines[name])  # type: ignore[index]
        for name, define in self.defines.items():
            if name not in kept:
                self.root.remove(define)
        _tidy(self.root)
        return self.root


def _tidy(root: etree._Element) -> None:
    """Take out the ``empty`` patterns the cut left in sequences.

    They mean nothing there, but libxml2 mishandles some of them (``group { empty }`` in a
    choice, ``empty`` before a repetition): an element the whole grammar accepts would then be
    refused. Children before parents, so a container emptied in turn is tidied too.
    """
    for node in reversed(list(root.iter(f"{_R}*"))):
        if node.tag not in _SEQUENCES:
            continue
        kids = _patterns(node)
        empties = [k for k in kids if k.tag == f"{_R}empty"]
        if empties:
            # keep one empty only where nothing else is left
            for empty in empties[: len(empties) - (len(empties) == len(kids))]:
                node.remove(empty)
            kids = _patterns(node)
        parent = node.getparent()
        if parent is None or node.tag in (f"{_R}element", f"{_R}define", f"{_R}start"):
            continue
        single_part = node.tag in (f"{_R}group", f"{_R}interleave") and len(kids) == 1
        repeats_nothing = node.tag in _REPEATS and [k.tag for k in kids] == [f"{_R}empty"]
        if single_part or repeats_nothing:
            parent.replace(node, kids[0])


def _patterns(node: etree._Element) -> list[etree._Element]:
    """The child patterns of ``node`` (not its name class, parameters or annotations)."""
    kids = [k for k in node if isinstance(k.tag, str) and k.tag.startswith(_R)]
    if node.tag in (f"{_R}element", f"{_R}attribute") and node.get("name") is None and kids:
        kids = kids[1:]  # the first child is the name class
    if node.tag == f"{_R}data":
        return []
    return [k for k in kids if k.tag not in _NAME_CLASSES and k.tag != f"{_R}param"]
