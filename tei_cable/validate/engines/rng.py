"""The RELAX NG engine: libxml2 (through lxml) decides; our grammar reader explains.

libxml2 validates fast but says little ("Did not expect element foo there", "Expecting an
element , got nothing", "Invalid attribute when for element date"). For each element it
complains about, :mod:`.rng_explain` reads the same grammar and works out what is wrong and what
was expected there, in the words Jing uses ("element "foo" not allowed here; expected element
"p" or "ab""). Valid documents never pay for that.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from copy import deepcopy
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from ...findings import Issue
from ...namespaces import RNG
from ...xmlio import safe_parser
from ..document import Document
from . import SchemaError

if TYPE_CHECKING:
    from .rng_explain import Explainer

#: libxml2 error types that only repeat, on an ancestor, an error already reported below it
_CASCADE = {"RELAXNG_ERR_CONTENTVALID", "RELAXNG_ERR_ATTRVALID", "RELAXNG_ERR_EXTRACONTENT"}


class RngEngine:
    """A RELAX NG grammar (XML syntax) compiled once by libxml2.

    A grammar that tei-cable compiled itself (a cached ``tei_all`` or ``.odd``) is not compiled
    whole for the first documents: each is checked against the grammar cut down to its own
    element names (:mod:`.rng_restrict`), which gives the same verdict and compiles in a
    fraction of the time. That is what makes a one-file run against ``tei_all`` fast; from the
    third document on the whole grammar is used (and for libxml2's own messages, where the
    explanation of an invalid document fails).
    """

    name = "rng"
    #: documents checked against a cut-down grammar before the whole one is compiled
    CUT_FIRST = 2
    #: elements walked by explanations in this process before libxml2 is asked to judge
    #: subtrees (:class:`Subtrees`: a second compile of the grammar, which pays for itself
    #: only over a long run: on the 582 corpus files it saves about as much as it costs)
    JUDGE_AFTER = 200_000

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._grammar = etree.parse(str(path), safe_parser())
        except etree.XMLSyntaxError as exc:
            raise SchemaError(f"cannot read RELAX NG: {exc}", path=str(path)) from None
        except OSError as exc:
            raise SchemaError(f"cannot read: {exc.strerror or exc}", path=str(path)) from None
        self._rng: etree.RelaxNG | None = None
        self._cuts_left = self.CUT_FIRST if _compiled_by_us(path) else 0
        if not self._cuts_left:
            self._whole()
        self._explainer: Explainer | bool | None = None  # False: the grammar is beyond it
        #: libxml2 judging an element's subtree alone (``False``: this grammar cannot)
        self._subtrees: Subtrees | bool | None = None

    def _whole(self) -> etree.RelaxNG:
        if self._rng is None:
            try:
                self._rng = etree.RelaxNG(self._grammar)
            except etree.RelaxNGParseError as exc:
                raise SchemaError(
                    f"cannot compile RELAX NG: {_first(exc.error_log)}", path=str(self.path)
                ) from None
        return self._rng

    def _cut(self, tree: etree._ElementTree) -> etree.RelaxNG | None:
        """The grammar cut down to the names of ``tree``, while cuts are worth it."""
        if self._rng is not None or self._cuts_left <= 0:
            return None
        self._cuts_left -= 1
        from ...relaxng.restrict import document_names, restrict

        cut = restrict(self._grammar.getroot(), document_names(tree))
        if cut is None:
            return None
        try:
            return etree.RelaxNG(cut)
        except etree.RelaxNGParseError:
            return None

    def check(self, document: Document) -> list[Issue]:
        return list(self.iter_issues(document))

    def iter_issues(self, document: Document, *, explain: bool = True) -> Iterator[Issue]:
        tree = document.tree
        assert tree is not None
        rng = self._cut(tree) or self._whole()
        if rng.validate(tree):
            return
        if not explain:  # a verdict is wanted, not a walk: libxml2's first words suffice
            yield from self._libxml2_issues(document, list(rng.error_log)[:1])
            return
        yield from self._explained(document, rng)

    def _explained(self, document: Document, rng: etree.RelaxNG) -> list[Issue]:
        tree = document.tree
        assert tree is not None
        # a cut grammar finds the same first error (everything before it is valid in both), so
        # the explanation, which walks the whole grammar, is the same
        errors = list(rng.error_log)
        explainer = self._explain()
        if explainer is not None:
            nodes = [_node(tree, entry.path) for entry in errors]
            first = _first_in_document_order(tree, nodes) if None not in nodes else None
            subtrees = self._subtree_judge() if explainer.walked > self.JUDGE_AFTER else None
            try:
                if subtrees is not None:
                    suspects = {a for n in nodes if n is not None for a in _self_and_up(n)}
                    issues = explainer.issues(document, first, subtrees.judge(explainer, suspects))
                else:
                    issues = explainer.issues(document, first)
            except Exception:  # never lose libxml2's verdict to a failed explanation
                issues = []
            if issues:
                return issues
        if rng is not self._rng:  # libxml2's own words: from the whole grammar
            self._whole().validate(tree)
            errors = list(self._whole().error_log)
        return self._libxml2_issues(document, errors)

    def _libxml2_issues(self, document: Document, errors: list[etree._LogEntry]) -> list[Issue]:
        """libxml2's own messages, placed on their elements, without the cascades."""
        assert document.tree is not None
        nodes = [(entry, _node(document.tree, entry.path)) for entry in errors]
        reported = {id(node) for _, node in nodes if node is not None}
        issues = []
        for entry, node in nodes:
            rule = _rule(entry.type_name)
            if node is None:
                issues.append(
                    Issue(entry.line or 0, 0, "error", _plain(entry.message), "rng", rule)
                )
            elif not (entry.type_name in _CASCADE and _has_reported_descendant(node, reported)):
                line, column = document.element_position(node)
                issues.append(Issue(line, column, "error", _plain(entry.message), "rng", rule))
        return issues

    def prepare(self) -> None:
        """Compile the grammar and read it for explanations now (before forking workers, who
        then share both)."""
        self._whole()
        explainer = self._explain()
        if explainer is not None:
            explainer.known_locals()  # builds every element pattern and the name index

    def _subtree_judge(self) -> Subtrees | None:
        """The grammar of every element definition, compiled once explanations have walked
        :attr:`JUDGE_AFTER` elements."""
        if self._subtrees is None:
            self._subtrees = Subtrees.of(self._grammar) or False
        return self._subtrees or None

    def _explain(self) -> Explainer | None:
        if self._explainer is None:
            try:
                from .rng_explain import Explainer

                self._explainer = Explainer(self.path)
            except Exception:  # a grammar our reader cannot follow: keep libxml2's words
                self._explainer = False
        return self._explainer or None


class Subtrees:
    """libxml2 judging one element and its content against that element's own definition.

    The grammar is the schema's with a start that allows every element defined once, by a
    name, directly in a ``define``: an element of such a name is valid in it exactly when it
    matches its one definition. The explanation steps over such an element when libxml2
    accepts it (as it steps over what precedes the first error), so a document's walk in
    Python covers only the elements on the way to an error, not every element after the first.
    """

    def __init__(self, rng: etree.RelaxNG, names: frozenset[tuple[str, str]]) -> None:
        self._rng = rng
        self.names = names

    @classmethod
    def of(cls, grammar: etree._ElementTree) -> Subtrees | None:
        """The judge for a grammar, or ``None`` where its shape is beyond this (includes,
        nested grammars, no element defined once by name) or libxml2 refuses it."""
        root = grammar.getroot()
        foreign = (el for el in root.iter(*_FOREIGN_GRAMMAR) if el is not root)
        if root.tag != _RNG_GRAMMAR or next(foreign, None) is not None:
            return None
        counted: dict[tuple[str, str], int] = {}
        for element in root.iter(_RNG_ELEMENT):
            qn = _element_name(element)
            if qn is not None:
                counted[qn] = counted.get(qn, 0) + 1
        defines: dict[str, int] = {}
        for define in root.iter(_RNG_DEFINE):
            defines[define.get("name", "")] = defines.get(define.get("name", ""), 0) + 1
        chosen: list[tuple[str, tuple[str, str]]] = []
        for define in root.iterchildren(_RNG_DEFINE):
            kids = [k for k in define if isinstance(k.tag, str)]
            name = define.get("name", "")
            if len(kids) != 1 or kids[0].tag != _RNG_ELEMENT or define.get("combine"):
                continue
            qn = _element_name(kids[0]) if kids[0].get("name") else None
            if qn is not None and counted.get(qn) == 1 and defines.get(name) == 1:
                chosen.append((name, qn))
        if not chosen:
            return None
        copy = etree.Element(root.tag, nsmap=root.nsmap)
        copy.attrib.update(root.attrib)
        start = etree.SubElement(copy, _RNG_START)
        choice = etree.SubElement(start, f"{{{RNG}}}choice")
        for name, _qn in chosen:
            etree.SubElement(choice, f"{{{RNG}}}ref", name=name)
        for child in root:
            if child.tag != _RNG_START:
                copy.append(deepcopy(child))
        try:
            rng = etree.RelaxNG(copy)
        except etree.RelaxNGParseError:
            return None
        return cls(rng, frozenset(qn for _name, qn in chosen))

    def judge(
        self, explainer: Explainer, suspects: set[etree._Element]
    ) -> Callable[[etree._Element, tuple[str, str]], bool]:
        """Whether an element (not an ancestor of an error libxml2 reported) of a name defined
        once in the whole grammar is valid with its content."""
        names = self.names
        grammar = explainer.grammar
        validate = self._rng.validate

        def valid(el: etree._Element, qn: tuple[str, str]) -> bool:
            if el in suspects or qn not in names or len(grammar.elements_named(qn)) != 1:
                return False
            return bool(validate(el))

        return valid


def _element_name(element: etree._Element) -> tuple[str, str] | None:
    """``(ns, local)`` of an ``element`` pattern named by ``@name`` or a ``name`` child."""
    name = element.get("name")
    holder = element
    if name is None:
        kids = [k for k in element if isinstance(k.tag, str)]
        if not kids or kids[0].tag != _RNG_NAME:
            return None
        holder = kids[0]
        name = (holder.text or "").strip()
    name = name.strip()
    if ":" in name:
        prefix, _, local = name.partition(":")
        uri = holder.nsmap.get(prefix)
        return (uri, local) if uri is not None else None
    ns = holder.get("ns")
    for ancestor in holder.iterancestors():
        if ns is not None:
            break
        ns = ancestor.get("ns")
    return (ns or "", name)


def _self_and_up(node: etree._Element) -> Iterator[etree._Element]:
    yield node
    yield from node.iterancestors()


_RNG_GRAMMAR = f"{{{RNG}}}grammar"
_RNG_INCLUDE = f"{{{RNG}}}include"
_RNG_EXTERNAL = f"{{{RNG}}}externalRef"
_RNG_ELEMENT = f"{{{RNG}}}element"
_RNG_DEFINE = f"{{{RNG}}}define"
_RNG_START = f"{{{RNG}}}start"
_RNG_NAME = f"{{{RNG}}}name"
_FOREIGN_GRAMMAR = (_RNG_GRAMMAR, _RNG_INCLUDE, _RNG_EXTERNAL)


def _compiled_by_us(path: Path) -> bool:
    """A grammar our ODD compiler wrote into the cache (so known to compile)."""
    from ...resources import cache_dir

    try:
        path.resolve().relative_to((cache_dir() / "schemas").resolve())
    except ValueError:
        return False
    return True


def _node(tree: etree._ElementTree, path: str | None) -> etree._Element | None:
    if not path:
        return None
    try:
        found = tree.xpath(path)
    except etree.XPathError:
        return None
    return found[0] if found and isinstance(found[0], etree._Element) else None


def _first_in_document_order(
    tree: etree._ElementTree, nodes: list[etree._Element | None]
) -> etree._Element | None:
    wanted = {node for node in nodes if node is not None}
    for element in tree.getroot().iter(etree.Element):
        if element in wanted:
            return element
    return None


def _has_reported_descendant(node: etree._Element, reported: set[int]) -> bool:
    return any(id(d) in reported for d in node.iterdescendants())


def _first(log: etree._ListErrorLog) -> str:
    return log[0].message if len(log) else "unknown error"


def _rule(type_name: str) -> str:
    return type_name.removeprefix("RELAXNG_ERR_").lower().replace("_", "-")


def _plain(message: str) -> str:
    return re.sub(r"\s+", " ", message).strip()
