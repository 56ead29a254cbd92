"""The entities one document refers to: registry entries and the document's own entries.

Writers see both through one object (:class:`DocumentEntities`), so a pointer at a name the
registry does not know resolves like any other: its entry is in the document's ``standOff``,
typed like the registry's (``person``, ``place``, ``org``), with ``@cert="low"`` and a note
saying that it is not in the registry and has no authority identifier.
"""

from __future__ import annotations

from collections.abc import Iterable

from lxml import etree

from ..model import LocalEntity
from ..xmlio import TEI_NS, XML_NS
from .registry import KINDS, Registry

T = f"{{{TEI_NS}}}"
XML_ID = f"{{{XML_NS}}}id"

#: the note of a document's own entry
UNREGISTERED_NOTE = (
    "Not in the entity registry: an entry of this document only, made from the names it "
    "writes; no authority identifier."
)


def local_element(entity: LocalEntity) -> etree._Element:
    """The TEI entry of a document's own entity."""
    tag, _list, names = KINDS[entity.kind]
    entry = etree.Element(f"{T}{tag}", nsmap={None: TEI_NS})
    entry.set(XML_ID, entity.id)
    entry.set("cert", "low")
    for k, form in enumerate(entity.names):
        name = etree.SubElement(entry, f"{T}{names[0]}")
        name.set("type", "preferred" if k == 0 else "variant")
        name.text = form
    note = etree.SubElement(entry, f"{T}note", type="unregistered")
    note.text = UNREGISTERED_NOTE
    return entry


class DocumentEntities:
    """A registry seen from one document: its entries plus the document's own."""

    def __init__(self, registry: Registry | None, local: Iterable[LocalEntity] = ()) -> None:
        self.registry = registry
        self.local = {e.id: e for e in local}

    def __contains__(self, entity_id: object) -> bool:
        return entity_id in self.local or (self.registry is not None and entity_id in self.registry)

    def kind_of(self, entity_id: str) -> str | None:
        """``person``, ``place`` or ``org``, else None."""
        if entity_id in self.local:
            return self.local[entity_id].kind
        return self.registry.kind_of(entity_id) if self.registry is not None else None

    def preferred_name(self, entity_id: str) -> str | None:
        """The preferred name, else None."""
        if entity_id in self.local:
            return self.local[entity_id].names[0] if self.local[entity_id].names else None
        return self.registry.preferred_name(entity_id) if self.registry is not None else None

    def lookup(self, name: str, kind: str | None = None) -> list:
        """Registry entities with the name form ``name`` (see :meth:`Registry.lookup`)."""
        return self.registry.lookup(name, kind) if self.registry is not None else []

    def to_tei(self, ids: Iterable[str]) -> list[etree._Element]:
        """``listPerson``, ``listPlace``, ``listOrg`` with the entries of ``ids``: registry
        entries first (in registry order), then the document's own (in order of first
        mention). Ids that are neither are left out."""
        wanted = set(ids)
        known = sorted(i for i in wanted if self.registry is not None and i in self.registry)
        out: dict[str, etree._Element] = {}
        for lst in self.registry.to_tei(known) if known else []:
            out[etree.QName(lst).localname] = lst
        for entity in self.local.values():
            if entity.id not in wanted or entity.id in known:
                continue
            list_name = KINDS[entity.kind][1]
            if list_name not in out:
                out[list_name] = etree.Element(f"{T}{list_name}", nsmap={None: TEI_NS})
            out[list_name].append(local_element(entity))
        return [out[name] for _kind, (_e, name, _n) in KINDS.items() if name in out]
