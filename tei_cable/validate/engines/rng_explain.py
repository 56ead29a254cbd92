"""Jing-style RELAX NG messages for a document libxml2 found invalid.

libxml2 stops checking an element's content at the first mismatch and names little. The
:class:`Explainer` walks the whole document through the grammar's derivatives (see
:mod:`tei_cable.relaxng.derivatives`) and, like Jing, recovers after each error: an element
that is not allowed is still checked against its own definition, a wrong attribute is
skipped, a missing child is reported and the walk goes on. Each message says what was
expected there::

    element "foo" not allowed here; expected the element end-tag, text or element "hi", …
    value "1999-13-45" of attribute "when" is invalid; must be an ISO date (YYYY-MM-DD), …
    element "titleStmt" incomplete; missing required element "title"
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from pathlib import Path

from lxml import etree

from ...findings import Issue
from ...namespaces import XML
from ...relaxng.datatypes import is_xml_space, xml_split
from ...relaxng.derivatives import Grammar, Pattern
from ...relaxng.names import contains as nc_contains
from ...relaxng.names import parts as nc_names
from ..document import Document

XML_NS = XML
#: longest list of names a message spells out
MAX_LISTED = 12
#: bad attributes of one element reported one by one; the rest are counted in one issue
MAX_ATTRIBUTE_ISSUES = 100


class Explainer:
    """A grammar read once, walking any number of documents."""

    def __init__(self, path: Path) -> None:
        self.grammar = Grammar(path)
        self.P = self.grammar.patterns
        self._known_locals: list[str] | None = None
        self._shown: dict[tuple, list[str]] = {}
        self._close: dict[str, str | None] = {}
        self._named: dict[Pattern, Callable[[tuple[str, str]], bool]] = {}
        #: elements walked so far (stepped over or not)
        self.walked = 0

    def issues(
        self,
        document: Document,
        first_error: etree._Element | None = None,
        valid: Callable[[etree._Element, tuple[str, str]], bool] | None = None,
    ) -> list[Issue]:
        """Every RELAX NG error in the document, with a position and what was expected.

        ``first_error``: the first element (in document order) libxml2 complained about.
        libxml2 checks in document order, so every element that ends before it is valid and
        is stepped over instead of walked. ``valid(element, name)``: whether libxml2 finds an
        element valid with its content against the one definition of its name; such an
        element is stepped over too (see :class:`.rng.Subtrees`).
        """
        assert document.tree is not None
        root = document.tree.getroot()
        walk = _Walk(self, document, _checked_before(root, first_error), valid)
        walk.element(self.grammar.start, root)
        self.walked += walk.walked
        return walk.issues

    def close_match(self, name: str) -> str | None:
        """A defined element name close to ``name`` (a likely misspelling), if there is one."""
        if name not in self._close:
            found = difflib.get_close_matches(name, self.known_locals(), n=1, cutoff=0.8)
            self._close[name] = found[0] if found and found[0] != name else None
        return self._close[name]

    def attribute_names(self, p: Pattern) -> Callable[[tuple[str, str]], bool]:
        """A test of whether ``p`` has an attribute of a name (any value), remembered per
        pattern: exact names in a set, wildcards (``anyName``, ``nsName``) checked in turn."""
        found = self._named.get(p)
        if found is None:
            exact: set[tuple[str, str]] = set()
            wild: list[tuple] = []
            for nc, _value in self.P.attributes(p):
                parts = nc_names(nc)
                if all(part[0] == "name" for part in parts):
                    exact.update((part[1], part[2]) for part in parts)
                else:
                    wild.append(nc)

            def found(qn: tuple[str, str]) -> bool:
                return qn in exact or any(nc_contains(nc, qn) for nc in wild)

            self._named[p] = found
        return found

    def known_locals(self) -> list[str]:
        """Local names of every element the grammar defines (for "did you mean")."""
        if self._known_locals is None:
            names = {
                part[2]
                for e in self.grammar.elements()
                for part in nc_names(self.P.name_class(e))
                if part[0] == "name"
            }
            self._known_locals = sorted(names)
        return self._known_locals


class _BadAttributes:
    """What one element's bad attributes share: a count, and lists worked out once."""

    def __init__(self, el: etree._Element) -> None:
        self.el = el
        self.count = 0
        self.unlisted = 0
        self.first_unlisted = (0, 0)
        self.expected: dict[Pattern, list[str]] = {}
        self._present: set[tuple[str, str]] | None = None

    def present(self) -> set[tuple[str, str]]:
        """The element's attribute names, ``(ns, local)``."""
        if self._present is None:
            self._present = {q for q, _, _ in _attributes(self.el)}
        return self._present


class _Walk:
    """One document's walk: the current patterns and the issues found so far."""

    def __init__(
        self,
        explainer: Explainer,
        document: Document,
        valid: set[etree._Element],
        judge: Callable[[etree._Element, tuple[str, str]], bool] | None = None,
    ) -> None:
        self.x = explainer
        self.P = explainer.P
        self.doc = document
        self.valid = valid
        self.judge = judge
        self.walked = 0
        self.issues: list[Issue] = []

    # -- the walk ----

    def element(self, p: Pattern, el: etree._Element) -> Pattern:
        """Match element ``el`` in state ``p``; the state after it (``p`` itself on error)."""
        P = self.P
        self.walked += 1
        qn = _qname(el)
        inside = P.start_tag_open(p, qn)
        if inside is not P.not_allowed and (
            el in self.valid or (self.judge is not None and self.judge(el, qn))
        ):
            return P.force_end(inside)  # libxml2 found it valid: step over it
        if inside is P.not_allowed:
            candidates = self.x.grammar.elements_named(qn)
            self._not_allowed(p, el, qn, known=bool(candidates))
            if candidates:  # check it against its own definition anyway, as Jing does
                body = P.choice(*(P.body(c) for c in candidates))
                self._inside(P.after(body, P.empty), el)
            return p
        return self._inside(inside, el)

    def _inside(self, p: Pattern, el: etree._Element) -> Pattern:
        P = self.P
        origin = p
        named = self.x.attribute_names(origin)
        bad = _BadAttributes(el)
        for name, value in el.items():
            qn = _ATTRIBUTE_NAMES.get(name) or _attribute_qname(name)
            if not named(qn):  # no attribute of that name here, whatever the value
                self._bad_attribute(p, el, qn, _written_attribute(el, name), value, True, bad)
                continue
            q = P.attribute_deriv(p, qn, value, origin)
            if q is P.not_allowed:
                by_name = P.attribute_name_deriv(p, qn, origin)
                self._bad_attribute(
                    p, el, qn, _written_attribute(el, name), value, by_name is P.not_allowed, bad
                )
                if by_name is not P.not_allowed:
                    q = by_name
                else:
                    continue
            p = q
        if bad.unlisted:
            self._report(
                bad.first_unlisted,
                f'{bad.unlisted} more attributes not allowed on element "{_written(el)}" '
                f"(only the first {MAX_ATTRIBUTE_ISSUES} are listed one by one)",
                "attribute-not-allowed",
            )
        closed = P.start_tag_close(p)
        if closed is P.not_allowed:
            self._missing_attributes(p, el)
            closed = P.start_tag_close_lenient(p)
        p = self._children(closed, el)
        end = P.end_tag(p)
        if end is P.not_allowed:
            self._incomplete(p, el)
            end = P.force_end(p)
        return end

    def _children(self, p: Pattern, el: etree._Element) -> Pattern:
        P = self.P
        text = el.text or ""
        index = 0
        for child in el:
            if isinstance(child.tag, str):
                if text and not is_xml_space(text):
                    p = self._text(p, el, index, text)
                p = self.element(p, child)
                index += 1
                text = child.tail or ""
            elif child.tail:  # a comment or processing instruction: its tail runs on
                text += child.tail
        if index:
            if text and not is_xml_space(text):
                p = self._text(p, el, index, text)
            return p
        # text only (perhaps none): a datatype may need all of it, or none
        q = P.text_deriv(p, text)
        if is_xml_space(text):
            return P.choice(p, q)
        if q is P.not_allowed:
            self._bad_text(p, el, 0, text, data_only=True)
            return p
        return q

    def _text(self, p: Pattern, el: etree._Element, index: int, text: str) -> Pattern:
        q = self.P.text_deriv(p, text)
        if q is self.P.not_allowed:
            self._bad_text(p, el, index, text, data_only=False)
            return p
        return q

    # -- messages ----

    def _report(self, where: tuple[int, int], message: str, rule: str) -> None:
        self.issues.append(Issue(where[0], where[1], "error", message, "rng", rule))

    def _not_allowed(
        self, p: Pattern, el: etree._Element, qn: tuple[str, str], known: bool
    ) -> None:
        names, text, end = self.P.expected(p)
        written = _written(el)
        where = "anywhere" if not known else "yet" if self.P.mentions(p, qn) else "here"
        message = f'element "{written}" not allowed {where}'
        message += _expectation(self._names(names, el), text, end)
        if not known:
            close = self.x.close_match(qn[1])
            if close:
                message += f'; did you mean "{close}"?'
        self._report(
            self.doc.element_position(el),
            message,
            "element-not-allowed" if known else "unknown-element",
        )

    def _bad_attribute(
        self,
        p: Pattern,
        el: etree._Element,
        qn: tuple[str, str],
        written: str,
        value: str,
        bad_name: bool,
        bad: _BadAttributes,
    ) -> None:
        bad.count += 1
        if bad.count > MAX_ATTRIBUTE_ISSUES:  # a hostile element: count the rest, say so once
            if not bad.unlisted:
                bad.first_unlisted = self.doc.attribute_position(el, written)
            bad.unlisted += 1
            return
        where = self.doc.attribute_position(el, written)
        attributes = self.P.attributes(p)
        if bad_name:
            names = bad.expected.get(p)
            if names is None:
                present = bad.present()
                names = bad.expected[p] = sorted(
                    {
                        _display_attribute(part, el)
                        for nc, _ in attributes
                        for part in nc_names(nc)
                        if not (part[0] == "name" and (part[1], part[2]) in present)
                    }
                )
            message = f'attribute "{written}" not allowed here'
            if names:
                message += "; expected attribute " + _listing(names)
            self._report(where, message, "attribute-not-allowed")
            return
        allowed = self.P.choice(*(vp for nc, vp in attributes if nc_contains(nc, qn)))
        message = f'value {_quote(value)} of attribute "{written}" is invalid'
        if allowed.kind == "list":  # say which token is wrong, as Jing does
            q = allowed.kids[0]
            for token in xml_split(value):
                after = self.P.text_deriv(q, token)  # type: ignore[arg-type]
                if after is self.P.not_allowed:
                    message += f"; token {_quote(token)} invalid"
                    break
                q = after
            else:
                message += "; missing token"
            self._report(
                where,
                message + _must_be(*self.P.describe_values(q)),  # type: ignore
                "attribute-value",
            )
            return
        self._report(where, message + _must_be(*self.P.describe_values(allowed)), "attribute-value")

    def _missing_attributes(self, p: Pattern, el: etree._Element) -> None:
        required = sorted(
            {
                _display_attribute(part, el)
                for nc in self.P.required_attributes(p)
                for part in nc_names(nc)
                if part[0] == "name"
            }
        )
        written = _written(el)
        if len(required) == 1:
            message = f'element "{written}" missing required attribute "{required[0]}"'
        elif required:
            message = f'element "{written}" missing required attributes ' + ", ".join(
                f'"{n}"' for n in required
            )
        else:
            names = sorted(
                {
                    _display_attribute(part, el)
                    for nc, _ in self.P.attributes(p)
                    for part in nc_names(nc)
                }
            )
            message = (
                f'element "{written}" missing a required attribute; expected attribute '
                + _listing(names)
            )
        self._report(self.doc.element_position(el), message, "missing-attribute")

    def _incomplete(self, p: Pattern, el: etree._Element) -> None:
        names, text, _ = self.P.expected(p)
        listed = self._names(names, el)
        written = _written(el)
        if len(listed) == 1 and not text:
            message = f'element "{written}" incomplete; missing required element "{listed[0]}"'
        else:
            message = f'element "{written}" incomplete' + _expectation(listed, text, False)
        self._report(self.doc.element_position(el), message, "incomplete-element")

    def _bad_text(
        self, p: Pattern, el: etree._Element, index: int, text: str, data_only: bool
    ) -> None:
        names, text_ok, end = self.P.expected(p)
        where = self.doc.text_position(el, index)
        if data_only and text_ok and not names:
            kinds, values = self.P.describe_values(p)
            message = (
                f'character content {_quote(text.strip())} of element "{_written(el)}" '
                "is invalid" + _must_be(kinds, values)
            )
            self._report(where, message, "character-content")
            return
        message = "text not allowed here" + _expectation(self._names(names, el), False, end)
        self._report(where, message, "text-not-allowed")

    def _names(self, names: frozenset[tuple], el: etree._Element) -> list[str]:
        key = (names, tuple(sorted((k or "", v) for k, v in el.nsmap.items())))
        found = self.x._shown.get(key)
        if found is None:
            shown = set()
            for nc in names:
                for part in nc_names(nc):
                    shown.add(_display_element(part, el))
            found = self.x._shown[key] = sorted(shown)
        return found


def not_a_root(document: Document, roots: frozenset[tuple[str, str]]) -> Issue:
    """The issue of a document whose element the grammar allows, but not as the document
    element (``roots``: the names it allows there), in the words the walk uses, without it."""
    assert document.tree is not None
    root = document.tree.getroot()
    names = sorted({_display_element(("name", ns, local), root) for ns, local in roots})
    message = f'element "{_written(root)}" not allowed here' + _expectation(names, False, False)
    line, column = document.element_position(root)
    return Issue(line, column, "error", message, "rng", "element-not-allowed")


# -- the document side ----


def _checked_before(
    root: etree._Element, first_error: etree._Element | None
) -> set[etree._Element]:
    """The elements that end before ``first_error`` starts (none without one)."""
    if first_error is None:
        return set()
    ancestors = set(first_error.iterancestors())
    before = set()
    for element in root.iter(etree.Element):
        if element is first_error:
            return before - ancestors
        before.add(element)
    return set()  # not in this tree: check everything


_QNAMES: dict[str, tuple[str, str]] = {}


def _qname(el: etree._Element) -> tuple[str, str]:
    tag = el.tag
    found = _QNAMES.get(tag)
    if found is None:
        ns, _, local = tag[1:].rpartition("}") if tag[0] == "{" else ("", "", tag)
        found = _QNAMES[tag] = (ns, local)
    return found


def _written(el: etree._Element) -> str:
    local = etree.QName(el).localname
    return f"{el.prefix}:{local}" if el.prefix else local


_ATTRIBUTE_NAMES: dict[str, tuple[str, str]] = {}


def _attribute_qname(name: str) -> tuple[str, str]:
    """``(ns, local)`` of an lxml attribute name (``{ns}local`` or ``local``), remembered."""
    if name.startswith("{"):
        ns, _, local = name[1:].partition("}")
        found = (ns, local)
    else:
        found = ("", name)
    _ATTRIBUTE_NAMES[name] = found
    return found


def _written_attribute(el: etree._Element, name: str) -> str:
    """An attribute's name as the document writes it (``xml:id``, ``x:a``)."""
    ns, local = _ATTRIBUTE_NAMES.get(name) or _attribute_qname(name)
    if not ns:
        return local
    prefix = "xml" if ns == XML_NS else _prefix(el, ns)
    return f"{prefix}:{local}" if prefix else local


def _attributes(el: etree._Element) -> list[tuple[tuple[str, str], str, str]]:
    """``((ns, local), name as written, value)`` for each attribute, in document order."""
    return [
        (_attribute_qname(name), _written_attribute(el, name), value) for name, value in el.items()
    ]


def _prefix(el: etree._Element, ns: str) -> str | None:
    for prefix, uri in el.nsmap.items():
        if uri == ns and prefix:
            return prefix
    return None


def _display_element(part: tuple, el: etree._Element) -> str:
    if part[0] == "anyName":
        return "any element"
    if part[0] == "nsName":
        return f'any element in namespace "{part[1]}"'
    ns, local = part[1], part[2]
    if ns == (el.nsmap.get(None) or ""):
        return local
    prefix = _prefix(el, ns)
    return f"{prefix}:{local}" if prefix else f"{{{ns}}}{local}"


def _display_attribute(part: tuple, el: etree._Element) -> str:
    if part[0] == "anyName":
        return "any attribute"
    if part[0] == "nsName":
        return f'any attribute in namespace "{part[1]}"'
    ns, local = part[1], part[2]
    if not ns:
        return local
    if ns == XML_NS:
        return f"xml:{local}"
    prefix = _prefix(el, ns)
    return f"{prefix}:{local}" if prefix else f"{{{ns}}}{local}"


def _listing(names: list[str], conjunction: str = "or") -> str:
    if len(names) > MAX_LISTED:  # quote only what is shown (a list may have hundreds)
        shown = ", ".join(n if n.startswith("any ") else f'"{n}"' for n in names[:MAX_LISTED])
        return f"{shown} {conjunction} one of {len(names) - MAX_LISTED} more"
    quoted = [n if n.startswith("any ") else f'"{n}"' for n in names]
    if len(quoted) == 1:
        return quoted[0]
    return ", ".join(quoted[:-1]) + f" {conjunction} " + quoted[-1]


def _expectation(names: list[str], text: bool, end: bool) -> str:
    parts = []
    if end:
        parts.append("the element end-tag")
    if text:
        parts.append("text")
    if names:
        parts.append("element " + _listing(names))
    if not parts:
        return ""
    if len(parts) == 1:
        return "; expected " + parts[0]
    return "; expected " + ", ".join(parts[:-1]) + " or " + parts[-1]


def _must_be(kinds: list[str], values: list[str]) -> str:
    parts = list(kinds)
    if values:
        shown = _listing(sorted(values))
        parts.append("equal to " + shown)
    if not parts:
        return ""
    return "; must be " + (
        ", ".join(parts[:-1]) + " or " + parts[-1] if len(parts) > 1 else parts[0]
    )


def _quote(value: str, limit: int = 60) -> str:
    value = " ".join(value.split()) if len(value) > limit else value
    if len(value) > limit:
        value = value[: limit - 1] + "…"
    return '"' + value.replace('"', '\\"') + '"'
