"""Identifiers: every ``xml:id`` the writer gives is an NCName and unique in its document.

The writers ask one :class:`IdAllocator` per document for the identifiers they give (a
repeated footnote label gets ``fn2`` and ``fn2-2``). :func:`make_ids_unique` is the last step
of writing a document: whatever its parts asked for, a later repeat of an ``xml:id`` is renamed
(pointers keep naming the first), so no input can make the output ill-formed.
"""

from __future__ import annotations

import re

from lxml import etree

from .build import XML_ID

_NCNAME_RE = re.compile(r"^[^\W\d][\w.\-]*$")


def ncname(wanted: str) -> str:
    """``wanted`` as an NCName: characters other than letters, digits, ``.``, ``-`` and ``_``
    become ``-``; one that does not start with a letter or ``_`` gets ``id-`` before it."""
    cleaned = re.sub(r"[^\w.\-]", "-", wanted) or "id"
    return cleaned if _NCNAME_RE.match(cleaned) else f"id-{cleaned}"


class IdAllocator:
    """Gives each identifier once: the one asked for, else ``NAME-2``, ``NAME-3`` …"""

    def __init__(self, taken: set[str] | None = None) -> None:
        self.taken: set[str] = set(taken or ())

    def take(self, wanted: str) -> str:
        base = ncname(wanted)
        candidate, n = base, 1
        while candidate in self.taken:
            n += 1
            candidate = f"{base}-{n}"
        self.taken.add(candidate)
        return candidate

    @classmethod
    def of(cls, root: etree._Element) -> IdAllocator:
        """An allocator that knows every ``xml:id`` already under ``root``."""
        return cls({i for e in root.iter() if isinstance(e.tag, str) and (i := e.get(XML_ID))})


def make_ids_unique(root: etree._Element) -> int:
    """Rename each repeat of an ``xml:id`` (and any that is not an NCName) under ``root``, in
    document order; the first keeps it. Returns how many were renamed."""
    every = [e for e in root.iter() if isinstance(e.tag, str) and e.get(XML_ID) is not None]
    allocator = IdAllocator()
    # the ids already right are reserved first, so that a renamed one never takes them
    seen: set[str] = set()
    keep: list[bool] = []
    for element in every:
        ident = element.get(XML_ID) or ""
        ok = ident not in seen and _NCNAME_RE.match(ident) is not None
        keep.append(ok)
        if ok:
            seen.add(ident)
    allocator.taken |= seen
    renamed = 0
    for element, ok in zip(every, keep, strict=True):
        if not ok:
            element.set(XML_ID, allocator.take(element.get(XML_ID) or "id"))
            renamed += 1
    return renamed
