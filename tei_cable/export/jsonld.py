"""JSON-LD with schema.org terms: the document, its letters and the entities they name.

The document is an ``ArchiveComponent`` (held by its repository, ``holdingArchive``); each
letter a ``Message`` (``sender``, ``recipient``, ``ccRecipient``, ``dateSent``,
``dateReceived``, ``locationCreated``) in the document's ``hasPart``; a nested letter is in
the ``hasPart`` of the letter quoting it and points back with ``isPartOf``. Persons, places
and organisations are described once in the document's ``mentions`` (name, life dates,
``sameAs`` with every authority URI the TEI gives); letters refer to them by ``@id`` and
list those their own text names in their ``mentions``.

Identifiers: with ``--base-url`` the document is ``BASE/NAME``, its letters and entities
``BASE/NAME#id`` and its reading view ``url`` ``BASE/NAME.html``; without it they are blank
nodes (``_:L1``), never invented addresses. An entity the TEI names by an authority URI in
``@ref`` (no local entry) has that URI as ``@id``.
"""

from __future__ import annotations

import json
from typing import Any

from .dc import published
from .options import ExportOptions
from .teidoc import Entity, Letter, Party, TeiDocument

CONTEXT = "https://schema.org"
TYPES = {"person": "Person", "place": "Place", "org": "Organization"}


def document_node(document: TeiDocument, options: ExportOptions) -> dict[str, Any]:
    """The JSON-LD object (a dict) for one document."""
    base = published(options.base_url, document.name, "") if options.base_url else ""

    def local_id(key: str) -> str:
        return f"{base}#{key}" if base else f"_:{_blank(key)}"

    def entity_id(entity: Entity) -> str:
        return local_id(entity.key) if entity.local else entity.key

    node: dict[str, Any] = {"@context": CONTEXT, "@type": "ArchiveComponent"}
    node["@id"] = base or "_:document"
    node["name"] = document.title
    _put(node, "description", document.abstract)
    _put(node, "inLanguage", document.lang or [code for code, _ in document.languages])
    if document.date is not None and document.date.get("when"):
        node["dateCreated"] = document.date.get("when")
    _put(node, "url", f"{base}.html" if base else document.url)
    if base:
        node["encoding"] = {
            "@type": "MediaObject",
            "contentUrl": f"{base}.xml",
            "encodingFormat": "application/tei+xml",
        }
    _put(node, "identifier", document.identifiers)
    _put(node, "license", document.licence[1])
    _put(node, "keywords", document.keywords)
    _put(node, "citation", document.source_citation)
    _put(node, "isBasedOn", document.source_url)
    if document.repository:
        node["holdingArchive"] = {"@type": "ArchiveOrganization", "name": document.repository}
    _put(node, "publisher", [{"@type": "Organization", "name": p} for p in document.publishers])

    def party(p: Party) -> dict[str, Any]:
        if p.entity is not None:
            return {"@id": entity_id(p.entity)}
        return {"@type": TYPES.get(p.kind, "Person"), "name": p.name}

    def message(letter: Letter) -> dict[str, Any]:
        item: dict[str, Any] = {"@type": "Message", "@id": local_id(letter.id)}
        _put(item, "genre", letter.type)
        _put(item, "url", letter.ref)
        _put(item, "sender", [party(p) for p in letter.parties("sent")])
        _put(item, "recipient", [party(p) for p in letter.parties("received", cc=False)])
        _put(item, "ccRecipient", [party(p) for p in letter.parties("received", cc=True)])
        sent = [d.get("when") for d in letter.dates("sent") if d.get("when")]
        received = [d.get("when") for d in letter.dates("received") if d.get("when")]
        _put(item, "dateSent", sent[:1])
        _put(item, "dateReceived", received[:1])
        _put(item, "locationCreated", [party(p) for p in letter.places("sent")][:1])
        if letter.parent:
            item["isPartOf"] = {"@id": local_id(letter.parent)}
        named = document.mentions(letter.element) if letter.element is not None else []
        _put(item, "mentions", [{"@id": entity_id(e)} for e in named])
        parts = [message(child) for child in document.letters if child.parent == letter.id]
        _put(item, "hasPart", parts)
        return item

    _put(node, "hasPart", [message(letter) for letter in document.letters if not letter.parent])
    entities: dict[str, Entity] = {}
    text = document.root.find(f"{{{_TEI}}}text")
    for entity in document.mentions(text, nested=True) if text is not None else []:
        entities.setdefault(entity.key, entity)
    for letter in document.letters:
        for action in letter.actions:
            for p in action.agents + action.places:
                if p.entity is not None:
                    entities.setdefault(p.entity.key, p.entity)
    _put(node, "mentions", [_entity(e, entity_id(e)) for e in entities.values()])
    return node


def write_jsonld(document: TeiDocument, options: ExportOptions) -> bytes:
    """The JSON-LD of one document, UTF-8, keys in a fixed order."""
    text = json.dumps(document_node(document, options), ensure_ascii=False, indent=2)
    return (text + "\n").encode("utf-8")


_TEI = "http://www.tei-c.org/ns/1.0"


def _entity(entity: Entity, identifier: str) -> dict[str, Any]:
    item: dict[str, Any] = {"@type": TYPES.get(entity.kind, "Thing"), "@id": identifier}
    _put(item, "name", entity.name)
    _put(item, "description", entity.description)
    _put(item, "birthDate", entity.birth)
    _put(item, "deathDate", entity.death)
    _put(item, "sameAs", [a.uri for a in entity.authorities])
    return item


def _put(node: dict[str, Any], key: str, value: Any) -> None:
    """Set a property unless it is empty; a list of one is the value itself."""
    if isinstance(value, list):
        value = [v for v in value if v]
        if not value:
            return
        node[key] = value[0] if len(value) == 1 else value
    elif value:
        node[key] = value


def _blank(key: str) -> str:
    """A blank node label from an xml:id or URI (letters, digits, ``-``, ``.``, ``_``)."""
    return "".join(c if c.isalnum() or c in "-._" else "_" for c in key)
