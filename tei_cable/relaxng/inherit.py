"""RELAX NG's inherited attributes (``ns``, ``datatypeLibrary``) read from the tree upward.

Section 4.3 and 4.4 of the specification: an element without the attribute takes the value
of its nearest ancestor that has it, or ``""``. Grammars embedded in another vocabulary (an
ODD's ``content``) stop where the embedding starts.
"""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree


def _always(_element: etree._Element) -> bool:
    return True


def inherited(
    node: etree._Element,
    attribute: str,
    *,
    counts: Callable[[etree._Element], bool] = _always,
    within: Callable[[etree._Element], bool] = _always,
) -> str:
    """The value of ``attribute`` in force at ``node``: from the nearest of ``node`` and its
    ancestors that carries it (among those that ``counts``), going up through ancestors
    while ``within`` holds; ``""`` where none does."""
    found = declared(node, attribute, counts=counts, within=within)
    return "" if found is None else found


def declared(
    node: etree._Element,
    attribute: str,
    *,
    counts: Callable[[etree._Element], bool] = _always,
    within: Callable[[etree._Element], bool] = _always,
) -> str | None:
    """Like :func:`inherited`, but ``None`` where no element declares the attribute."""
    current: etree._Element | None = node
    while current is not None:
        value = current.get(attribute)
        if value is not None and counts(current):
            return value
        current = current.getparent()
        if current is not None and not within(current):
            break
    return None
