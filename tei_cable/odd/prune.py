"""The TEI Stylesheets' clean-up of the raw RELAX NG they write (``odd2relax.xsl``, passes 2
and 3), on :class:`RN` nodes.

After a customization removes elements (or leaves a module out), content models still refer
to them. The TEI build then:

- drops every reference to a pattern that is not defined; a reference that was the only
  child of its parent becomes ``empty`` (:func:`drop_undefined`);
- drops an ``optional``/``zeroOrMore``/``oneOrMore`` left with nothing (or only ``empty``) in
  it; turns a ``choice`` or ``group`` without any reference, text, data or value into
  ``empty``; unwraps a ``group`` of one; drops a repetition of a reference that the next
  sibling repeats anyway; gives an element left without content ``empty``
  (:func:`clean_up`).

These rules are syntactic, and tei-cable applies them as written, so that a customization
means what the TEI's own build makes of it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

_CONTENT_TAGS = frozenset(("text", "ref", "anyName", "attribute", "data", "name", "value"))


class RN:
    """A raw RELAX NG node (step 1 and 2 work on these)."""

    __slots__ = ("attrs", "kids", "tag")

    def __init__(self, tag: str, kids: Iterable[RN] = (), **attrs: Any) -> None:
        self.tag = tag
        self.kids = list(kids)
        self.attrs = attrs

    def __repr__(self) -> str:
        return f"RN({self.tag}, {self.attrs}, {self.kids})"


def drop_undefined(nodes: list[RN], defined: set[str], documented: bool = False) -> list[RN]:
    """Drop references to undefined patterns; an only child becomes ``empty``."""
    count = len(nodes) + (1 if documented else 0)
    out: list[RN] = []
    for node in nodes:
        if node.tag == "ref":
            if node.attrs["name"] in defined:
                out.append(node)
            elif count == 1:
                out.append(RN("empty"))
            continue
        if node.kids:
            node.kids = drop_undefined(node.kids, defined, bool(node.attrs.get("documented")))
        out.append(node)
    return out


def _has_content(nodes: list[RN]) -> bool:
    for node in nodes:
        if node.tag in _CONTENT_TAGS or (node.tag == "_attrs" and node.kids):
            return True
        if node.tag == "attribute" or node.tag == "element":
            return True
        if _has_content(node.kids):
            return True
    return False


def _has_ref_text_data(nodes: list[RN]) -> bool:
    for node in nodes:
        if node.tag in ("ref", "text", "data"):
            return True
        if _has_ref_text_data(node.kids):
            return True
    return False


def clean_up(nodes: list[RN]) -> list[RN]:
    """Pass 3: empty repetitions dropped, contentless choices and groups made ``empty``."""
    out: list[RN] = []
    for index, node in enumerate(nodes):
        following = nodes[index + 1] if index + 1 < len(nodes) else None
        out += _pass3(node, following)
    return out


def _pass3(node: RN, following: RN | None) -> list[RN]:
    tag = node.tag
    if tag in ("list", "element"):
        kids = clean_up(node.kids)
        if not _has_content(kids):
            kids = [k for k in kids if k.tag == "_attrs"] + [RN("empty")]
        node.kids = kids
        return [node]
    if tag == "group" and len(node.kids) == 1:
        return clean_up(node.kids)
    if tag in ("choice", "group"):
        if any(k.tag in ("value", "name") for k in node.kids) or _has_ref_text_data(node.kids):
            node.kids = clean_up(node.kids)
            return [node]
        return [RN("empty")]
    if tag in ("optional", "zeroOrMore", "oneOrMore"):
        kids = node.kids
        if not kids or (len(kids) == 1 and kids[0].tag == "empty"):
            return []
        if len(kids) == 1:
            what = kids[0].attrs.get("name") if kids[0].tag == "ref" else None
            if what is not None and following is not None and len(following.kids) == 1:
                inner = following.kids[0]
                if any(k.tag == "ref" and k.attrs.get("name") == what for k in inner.kids):
                    return []
                if (
                    inner.tag == "group"
                    and len(inner.kids) == 1
                    and any(
                        k.tag == "ref" and k.attrs.get("name") == what for k in inner.kids[0].kids
                    )
                ):
                    return []
            if kids[0].tag == "zeroOrMore":
                return clean_up(kids)
            if (
                kids[0].tag == "group"
                and len(kids[0].kids) == 1
                and kids[0].kids[0].tag == "zeroOrMore"
            ):
                return clean_up(kids)
        node.kids = clean_up(kids)
        return [node]
    if node.kids:
        node.kids = clean_up(node.kids)
    return [node]


def copy_nodes(nodes: list[RN]) -> list[RN]:
    return [_copy(n) for n in nodes]


def _copy(node: RN) -> RN:
    return RN(node.tag, [_copy(k) for k in node.kids], **node.attrs)
