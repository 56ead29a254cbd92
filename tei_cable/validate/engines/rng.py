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
from dataclasses import dataclass
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


@dataclass
class _Compiled:
    """A grammar compiled by libxml2. Where it could be, with a start that allows every
    element defined once by name (:meth:`Subtrees.open`): ``roots`` are then the document
    elements the grammar's own start allows, and ``subtrees`` judges an element's subtree with
    the same compiled grammar. ``roots`` ``None``: the grammar as written."""

    rng: etree.RelaxNG
    roots: frozenset[tuple[str, str]] | None = None
    subtrees: Subtrees | None = None

    @classmethod
    def open(cls, grammar: etree._ElementTree) -> _Compiled | None:
        """The grammar compiled open; ``None`` where its shape is beyond
        :meth:`Subtrees.open` or libxml2 cannot compile it so."""
        opened = Subtrees.open(grammar)
        if opened is None:
            return None
        tree, roots, names = opened
        try:
            rng = etree.RelaxNG(tree)
        except etree.RelaxNGParseError:
            return None
        return cls(rng, roots, Subtrees(rng, names))

    def valid(self, tree: etree._ElementTree) -> bool:
        """libxml2's verdict, with the document element checked where the open grammar
        allows any element there."""
        if not self.rng.validate(tree):
            return False
        return self.roots is None or _qname(tree.getroot()) in self.roots


class RngEngine:
    """A RELAX NG grammar (XML syntax) compiled once by libxml2.

    A grammar that tei-cable compiled itself (a cached ``tei_all`` or ``.odd``) is not compiled
    whole for the first documents: each is checked against the grammar cut down to its own
    element names (:mod:`tei_cable.relaxng.restrict`), which gives the same verdict on it and on
    each of its subtrees, and compiles in a fraction of the time (a document whose element the
    start does not allow, such as a chapter in a file of its own, is cut from the open grammar:
    :meth:`_open_cut`). That is what makes a one-file run against ``tei_all`` fast, for a valid
    document and for an invalid one alike; from the third document on the whole grammar is used
    (and for libxml2's own messages, where the explanation of an invalid document fails).
    """

    name = "rng"
    #: documents checked against a cut-down grammar before the whole one is compiled
    CUT_FIRST = 2

    def __init__(self, path: Path, *, judge: bool = True) -> None:
        self.path = path
        try:
            self._grammar = etree.parse(str(path), safe_parser())
        except etree.XMLSyntaxError as exc:
            raise SchemaError(f"cannot read RELAX NG: {exc}", path=str(path)) from None
        except OSError as exc:
            raise SchemaError(f"cannot read: {exc.strerror or exc}", path=str(path)) from None
        #: the whole grammar compiled (open where it can be: see :class:`_Compiled`)
        self._compiled: _Compiled | None = None
        #: the grammar as written: the verdict until the open one is compiled (for the
        #: first invalid document, or by :meth:`prepare`), and where that cannot stand in
        self._as_written: _Compiled | None = None
        self._judge = judge
        #: a grammar our ODD compiler wrote: documents are first checked against cuts of it
        self._cut_first = _compiled_by_us(path)
        self._cuts_left = self.CUT_FIRST if self._cut_first else 0
        if not self._cuts_left:
            self._written()  # a grammar libxml2 cannot compile stops the run here
        self._explainer: Explainer | bool | None = None  # False: the grammar is beyond it

    def _whole(self) -> _Compiled:
        """The whole grammar compiled open where it can be (see :class:`_Compiled`)."""
        if self._compiled is None:
            compiled = _Compiled.open(self._grammar) if self._judge else None
            self._compiled = compiled or self._written()
        return self._compiled

    @property
    def _strict(self) -> etree.RelaxNG | None:
        """The grammar as written, if compiled."""
        return None if self._as_written is None else self._as_written.rng

    def _written(self) -> _Compiled:
        """The grammar as written, compiled once."""
        if self._as_written is None:
            try:
                self._as_written = _Compiled(etree.RelaxNG(self._grammar))
            except etree.RelaxNGParseError as exc:
                raise SchemaError(
                    f"cannot compile RELAX NG: {_first(exc.error_log)}", path=str(self.path)
                ) from None
        return self._as_written

    def _cut(self, tree: etree._ElementTree) -> _Compiled | None:
        """The grammar cut down to the names of ``tree``, while cuts are worth it."""
        if self._compiled is not None or self._cuts_left <= 0:
            return None
        self._cuts_left -= 1
        from ...relaxng.restrict import document_names, restrict

        names = document_names(tree)
        cut = restrict(self._grammar.getroot(), names)
        if cut is None:
            return self._open_cut(names) if self._judge else None
        compiled = _Compiled.open(etree.ElementTree(cut)) if self._judge else None
        if compiled is None:
            try:
                compiled = _Compiled(etree.RelaxNG(cut))
            except etree.RelaxNGParseError:
                return None
        return compiled

    def _open_cut(self, names: set[tuple[str, str]]) -> _Compiled | None:
        """The open grammar (see :class:`Subtrees`) cut down to ``names``: for a document
        whose element the start does not allow, where the grammar as written cuts down to
        nothing. It judges each element of the document as the whole grammar does, and the
        document element against the whole grammar's start."""
        from ...relaxng.restrict import restrict

        opened = Subtrees.open(self._grammar)
        if opened is None:
            return None
        tree, roots, defined = opened
        cut = restrict(tree, names)
        if cut is None:
            return None
        try:
            rng = etree.RelaxNG(cut)
        except etree.RelaxNGParseError:
            return None
        return _Compiled(rng, roots, Subtrees(rng, defined))

    def check(self, document: Document) -> list[Issue]:
        return list(self.iter_issues(document))

    def iter_issues(self, document: Document, *, explain: bool = True) -> Iterator[Issue]:
        tree = document.tree
        assert tree is not None
        compiled = self._cut(tree) or self._verdict()
        if compiled.valid(tree):
            return
        if not explain:  # a verdict is wanted, not a walk: libxml2's first words suffice
            yield from self._libxml2_words(document, compiled, list(compiled.rng.error_log)[:1])
            return
        if compiled is self._as_written and self._judge:
            # an invalid document: the open grammar, whose judge spares the walk the elements
            # libxml2 finds valid, is worth compiling now
            opened = self._whole()
            if opened.rng is not compiled.rng:
                opened.valid(tree)  # its own log of the errors, for the walk
                compiled = opened
        yield from self._explained(document, compiled)

    def _verdict(self) -> _Compiled:
        """The whole grammar for a verdict: open where it is compiled already, else as
        written (a valid document never needs the open one). A grammar of ours (large, and
        one that cuts served first) is compiled once, open: a run of many documents meets an
        invalid one sooner or later, and libxml2 judges valid ones no slower with it."""
        if self._compiled is not None:
            return self._compiled
        if self._cut_first:
            return self._whole()
        return self._written()

    def _explained(self, document: Document, compiled: _Compiled) -> list[Issue]:
        tree = document.tree
        assert tree is not None
        # a cut grammar judges the document and each of its subtrees as the whole one does, so
        # everything before the first error it finds is valid in both, and the explanation
        # (which walks the whole grammar) is the same
        errors = list(compiled.rng.error_log)
        explainer = self._explain()
        if explainer is not None:
            nodes = [_node(tree, entry.path) for entry in errors]
            first = _first_in_document_order(tree, nodes) if None not in nodes else None
            subtrees = compiled.subtrees
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
        whole = self._whole()
        if compiled is not whole or not errors:  # libxml2's own words: from the whole grammar
            # (again: the judge used the same compiled grammar, so its log is another's now)
            whole.rng.validate(tree)
            errors = list(whole.rng.error_log)
        return self._libxml2_words(document, whole, errors)

    def _libxml2_words(
        self, document: Document, compiled: _Compiled, errors: list[etree._LogEntry]
    ) -> list[Issue]:
        """What libxml2 said (``errors``) of a document ``compiled`` found invalid. Where it
        said nothing, the open grammar accepted the document's element, which its start does
        not allow: that issue, in the explanation's words (no other grammar is compiled for
        libxml2's)."""
        assert document.tree is not None
        roots = compiled.roots
        if not errors and roots is not None and _qname(document.tree.getroot()) not in roots:
            from .rng_explain import not_a_root

            return [not_a_root(document, roots)]
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
    name, directly in a ``define`` (:meth:`open`): an element of such a name is valid in it
    exactly when it matches its one definition, and a document is valid in the schema exactly
    when it is valid in it and its document element is one the schema's start allows (so one
    compiled grammar serves both). The explanation steps over such an element when libxml2
    accepts it (as it steps over what precedes the first error), so a document's walk in
    Python covers only the elements on the way to an error, not every element after the first.
    """

    def __init__(self, rng: etree.RelaxNG, names: frozenset[tuple[str, str]]) -> None:
        self._rng = rng
        self.names = names

    @staticmethod
    def open(
        grammar: etree._ElementTree,
    ) -> tuple[etree._Element, frozenset[tuple[str, str]], frozenset[tuple[str, str]]] | None:
        """The grammar with a start that allows every element defined once by name, the
        names its own start allows, and the names of the elements it defines once; ``None``
        where its shape is beyond this (includes, nested grammars, a start that is not a
        choice of such elements)."""
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
        chosen: dict[str, tuple[str, str]] = {}
        for define in root.iterchildren(_RNG_DEFINE):
            kids = [k for k in define if isinstance(k.tag, str)]
            name = define.get("name", "")
            if len(kids) != 1 or kids[0].tag != _RNG_ELEMENT or define.get("combine"):
                continue
            qn = _element_name(kids[0]) if kids[0].get("name") else None
            if qn is not None and counted.get(qn) == 1 and defines.get(name) == 1:
                chosen[name] = qn
        starts = list(root.iterchildren(_RNG_START))
        if len(starts) != 1 or starts[0].get("combine") or not chosen:
            return None
        refs = [k for k in starts[0] if isinstance(k.tag, str)]
        if len(refs) == 1 and refs[0].tag == f"{{{RNG}}}choice":
            refs = [k for k in refs[0] if isinstance(k.tag, str)]
        if not refs or any(r.tag != _RNG_REF or r.get("name") not in chosen for r in refs):
            return None
        roots = frozenset(chosen[r.get("name", "")] for r in refs)
        copy = etree.Element(root.tag, nsmap=root.nsmap)
        copy.attrib.update(root.attrib)
        start = etree.SubElement(copy, _RNG_START)
        choice = etree.SubElement(start, f"{{{RNG}}}choice")
        for name in chosen:
            etree.SubElement(choice, _RNG_REF, name=name)
        for child in root:
            if child.tag != _RNG_START:
                copy.append(deepcopy(child))
        return copy, roots, frozenset(chosen.values())

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


def _qname(el: etree._Element) -> tuple[str, str]:
    tag = el.tag
    ns, _, local = tag[1:].rpartition("}") if tag[0] == "{" else ("", "", tag)
    return (ns, local)


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
_RNG_REF = f"{{{RNG}}}ref"
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
