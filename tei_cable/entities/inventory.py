"""An inventory of the entities of TEI documents, read from the TEI (not from the model).

For each document: the entries it defines (``person``, ``place``, ``org`` with an ``xml:id``,
in ``standOff``, ``back`` or the header), every name in its ``text`` (``persName``,
``placeName``, ``orgName``, ``geogName``, ``name``, ``rs``) with the letter it stands in, and the
names that point nowhere. A document whose local pointers (``#id`` in ``@ref``, ``@who``,
``@corresp``, ``@target``…) do not resolve is an error: see :func:`unresolved_pointers`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from lxml import etree

from ..diagnostics import InputError, Severity, diagnostic
from ..findings import Finding
from ..xmlio import TEI_NS, XML_NS, parse_xml
from .names import normalise_space
from .registry import short_identifier

T = f"{{{TEI_NS}}}"
XML_ID = f"{{{XML_NS}}}id"
NAME_TAGS = tuple(f"{T}{n}" for n in ("persName", "placeName", "orgName", "geogName", "name", "rs"))
ENTRY_KINDS = {f"{T}person": "person", f"{T}place": "place", f"{T}org": "org"}
NAME_KINDS = {
    f"{T}persName": "person",
    f"{T}placeName": "place",
    f"{T}geogName": "place",
    f"{T}orgName": "org",
}
#: attributes whose ``#id`` values must point at an element of the same document
POINTER_ATTRIBUTES = (
    "ref",
    "target",
    "corresp",
    "who",
    "decls",
    "sameAs",
    "resp",
    "hand",
    "scribeRef",
    "ana",
    "synch",
    "prev",
    "next",
    "start",
    "end",
    "copyOf",
    "spanTo",
    "rendition",
    "select",
)
#: elements whose xml:id names a letter
LETTER_TAGS = frozenset({f"{T}floatingText", f"{T}div", f"{T}text", f"{T}group"})

UNRESOLVED_POINTER = "E120"


@dataclass
class EntityRow:
    """One entity of the inventory."""

    id: str
    kind: str
    name: str
    identifiers: list[str] = field(default_factory=list)
    mentions: int = 0
    letters: list[str] = field(default_factory=list)
    registered: bool = True  # False: the document's own entry for a name no registry knows

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "type": self.kind,
            "name": self.name,
            "registered": self.registered,
            "identifiers": self.identifiers,
            "mentions": self.mentions,
            "letters": self.letters,
        }


@dataclass
class UnresolvedRow:
    """A name in the text that points at no entity."""

    kind: str
    name: str
    path: str
    line: int | None
    letter: str

    def as_dict(self) -> dict[str, object]:
        return {
            "type": self.kind,
            "name": self.name,
            "file": self.path,
            "line": self.line,
            "letter": self.letter,
        }


@dataclass
class Inventory:
    """Entities and unresolved names of one or more documents."""

    entities: list[EntityRow] = field(default_factory=list)
    unresolved: list[UnresolvedRow] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "entities": [e.as_dict() for e in self.entities],
            "unresolved": [u.as_dict() for u in self.unresolved],
        }


def load_document(path: str | os.PathLike[str]) -> etree._ElementTree:
    """Parse a TEI file safely; a one-line :class:`InputError` if it is not TEI."""
    name = os.fspath(path)
    if os.path.isdir(name):
        raise InputError("is a folder, not a TEI file", path=name)
    if not os.path.exists(name):
        raise InputError("no such file", path=name)
    tree = parse_xml(name)
    root = tree.getroot()
    if root.tag not in (f"{T}TEI", f"{T}teiCorpus"):
        raise InputError(
            f"not a TEI document: the root element is <{etree.QName(root).localname}> "
            f"in namespace {etree.QName(root).namespace or '(none)'}",
            path=name,
            line=root.sourceline,
        )
    return tree


def unresolved_pointers(tree: etree._ElementTree, path: str) -> list[Finding]:
    """Every local pointer (``#id``) of the document that names no ``xml:id`` in it."""
    ids = {el.get(XML_ID) for el in tree.iter() if el.get(XML_ID)}
    found: list[Finding] = []
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        for attr in POINTER_ATTRIBUTES:
            value = el.get(attr)
            if not value:
                continue
            for token in value.split():
                if token.startswith("#") and token[1:] not in ids:
                    found.append(
                        diagnostic(
                            UNRESOLVED_POINTER,
                            f'@{attr}="{token}" on <{etree.QName(el).localname}> points at no '
                            f'element: no xml:id="{token[1:]}" in this document',
                            severity=Severity.ERROR,
                            line=el.sourceline,
                            path=path,
                        )
                    )
    return found


def _entries(tree: etree._ElementTree) -> Iterator[tuple[str, str, etree._Element]]:
    for el in tree.iter(*ENTRY_KINDS):
        entity_id = el.get(XML_ID)
        if entity_id:
            yield entity_id, ENTRY_KINDS[el.tag], el


def _preferred(entry: etree._Element) -> str:
    names = [c for c in entry if c.tag in NAME_TAGS]
    chosen = next((c for c in names if c.get("type") in ("preferred", "main", "full")), None)
    chosen = chosen if chosen is not None else (names[0] if names else None)
    return normalise_space("".join(chosen.itertext())) if chosen is not None else ""


def _identifiers(entry: etree._Element) -> list[str]:
    """``type:value`` of each identifier, an authority's URI shortened to its bare id."""
    return [
        f"{c.get('type') or 'id'}:{short_identifier(c.get('type') or '', normalise_space(c.text))}"
        for c in entry.iterchildren(f"{T}idno")
        if (c.text or "").strip()
    ]


def _is_local(entry: etree._Element) -> bool:
    """A document's own entry: a note says it is not in the registry."""
    return entry.find(f"{T}note[@type='unregistered']") is not None


def _letter_of(el: etree._Element) -> str:
    for anc in el.iterancestors():
        if anc.tag in LETTER_TAGS and anc.get(XML_ID):
            return anc.get(XML_ID)  # type: ignore[return-value]
        if anc.tag == f"{T}text":
            return "text"
    return "text"


def _reading(el: etree._Element) -> str:
    """The text of a name as the source reads it (``sic``, not ``corr``)."""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        if node.text and node.tag not in (f"{T}corr", f"{T}reg", f"{T}expan"):
            parts.append(node.text)
        for child in node:
            if isinstance(child.tag, str) and child.tag not in (f"{T}corr", f"{T}reg", f"{T}expan"):
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(el)
    return normalise_space("".join(parts))


def inventory(documents: Iterable[tuple[str, etree._ElementTree]]) -> Inventory:
    """The inventory of documents given as ``(path, tree)``; letters are named ``path#id``
    when there is more than one document."""
    documents = list(documents)
    qualify = len(documents) > 1
    rows: dict[str, EntityRow] = {}
    unresolved: list[UnresolvedRow] = []
    position: dict[str, int] = {}
    for path, tree in documents:
        for el in tree.iter(*LETTER_TAGS):
            if el.get(XML_ID):
                key = f"{path}#{el.get(XML_ID)}" if qualify else el.get(XML_ID)
                position.setdefault(key, len(position))  # type: ignore[arg-type]
        for entity_id, kind, entry in _entries(tree):
            if entity_id not in rows:
                rows[entity_id] = EntityRow(
                    entity_id,
                    kind,
                    _preferred(entry),
                    _identifiers(entry),
                    registered=not _is_local(entry),
                )
        for text in tree.iter(f"{T}text"):
            if any(a.tag == f"{T}text" for a in text.iterancestors()):
                continue  # a nested text is walked with its parent
            for el in text.iter(*NAME_TAGS):
                letter = _letter_of(el)
                label = f"{path}#{letter}" if qualify else letter
                refs = [t[1:] for t in (el.get("ref") or "").split() if t.startswith("#")]
                if not refs and not (el.get("ref") or el.get("key") or el.get("sameAs")):
                    unresolved.append(
                        UnresolvedRow(
                            NAME_KINDS.get(el.tag, el.get("type") or "name"),
                            _reading(el),
                            path,
                            el.sourceline,
                            label,
                        )
                    )
                    continue
                for ref in refs:
                    row = rows.get(ref)
                    if row is None:
                        continue  # a pointer at something else (reported by the pointer check)
                    row.mentions += 1
                    if label not in row.letters:
                        row.letters.append(label)
    for row in rows.values():
        row.letters.sort(key=lambda label: position.get(label, len(position)))
    order = {"person": 0, "place": 1, "org": 2}
    entities = sorted(rows.values(), key=lambda r: (order.get(r.kind, 3), r.name.casefold(), r.id))
    return Inventory(entities, unresolved)
