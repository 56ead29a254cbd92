"""The RELAX NG engine: libxml2 (through lxml) decides; our grammar reader explains.

libxml2 validates fast but says little ("Did not expect element foo there", "Expecting an
element , got nothing", "Invalid attribute when for element date"). For each element it
complains about, :mod:`.rng_explain` reads the same grammar and works out what is wrong and what
was expected there, in the words Jing uses ("element "foo" not allowed here; expected element
"p" or "ab""). Valid documents never pay for that.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from ...findings import Issue
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
            try:
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

    def _explain(self) -> Explainer | None:
        if self._explainer is None:
            try:
                from .rng_explain import Explainer

                self._explainer = Explainer(self.path)
            except Exception:  # a grammar our reader cannot follow: keep libxml2's words
                self._explainer = False
        return self._explainer or None


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
