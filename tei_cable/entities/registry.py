"""The entity registry: persons, places and organisations kept as TEI lists.

A registry file is any TEI document (or a bare ``listPerson``/``listPlace``/``listOrg``) whose
lists hold ``person``, ``place`` and ``org`` entries, each with an ``xml:id``. An entry's name
elements (``persName``, ``placeName``/``geogName``, ``orgName``, or ``name``) are its name forms:
the one typed ``preferred`` (else the first) is the preferred name, the others carry their kind in
``@type`` (``alias``, ``pseudonym``, ``cipher``, ``variant``, ``transcription-error``…). Authority
identifiers are ``idno`` elements typed ``wikidata``, ``viaf``, ``gnd`` or ``geonames``.

The package ships one registry (``data/registry.xml``); users merge their own files over it. An
entry whose ``xml:id`` is already known replaces the earlier one; a name form that two entities
share is a conflict: it is reported, and the entity loaded last gets the form.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from lxml import etree

from ..diagnostics import InputError, Severity, diagnostic
from ..findings import Finding
from ..xmlio import TEI_NS, XML_NS, parse_xml
from .names import Candidate, NameIndex, fold, form_candidate, name_key, normalise_space

T = f"{{{TEI_NS}}}"
XML_ID = f"{{{XML_NS}}}id"

#: entity kinds, their TEI entry element, list element, and name elements
KINDS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "person": ("person", "listPerson", ("persName", "name")),
    "place": ("place", "listPlace", ("placeName", "geogName", "name")),
    "org": ("org", "listOrg", ("orgName", "name")),
}
_ENTRY_KIND = {entry: kind for kind, (entry, _, _) in KINDS.items()}
_LIST_ELEMENTS = frozenset(f"{T}{lst}" for _, lst, _ in KINDS.values())
_PREFERRED = frozenset({"preferred", "main", "full"})

#: identifier types and the URI each value stands for
AUTHORITIES: dict[str, str] = {
    "wikidata": "http://www.wikidata.org/entity/{}",
    "viaf": "https://viaf.org/viaf/{}",
    "gnd": "https://d-nb.info/gnd/{}",
    "geonames": "https://sws.geonames.org/{}/",
}

#: diagnostic codes of the registry
OVERRIDE = "E101"  # an entry replaces one loaded earlier
NAME_CONFLICT = "E102"  # one name form, two entities
BAD_FILE = "E103"  # a registry file cannot be used


@dataclass(frozen=True, slots=True)
class NameForm:
    """One way of writing an entity's name; ``type`` is its kind (None for the preferred)."""

    text: str
    type: str | None = None
    lang: str | None = None
    not_before: str | None = None  # the name names the entity from this date (ISO) on
    not_after: str | None = None  # … up to this date


@dataclass(frozen=True, slots=True)
class Identifier:
    """An authority identifier (``type`` is ``wikidata``, ``viaf``, ``gnd``, ``geonames``…)."""

    type: str
    value: str
    source: str | None = None

    @property
    def uri(self) -> str | None:
        """The identifier as a URI, for the known authorities."""
        template = AUTHORITIES.get(self.type.lower())
        return template.format(self.value) if template else None

    def __str__(self) -> str:
        return f"{self.type}:{self.value}"


@dataclass(slots=True)
class Entity:
    """A person, place or organisation of the registry."""

    id: str
    kind: str  # person | place | org
    names: list[NameForm]
    identifiers: list[Identifier] = field(default_factory=list)
    birth: str | None = None
    death: str | None = None
    role: str | None = None
    origin: str = ""  # file:line it was loaded from
    element: etree._Element | None = field(default=None, repr=False, compare=False)

    @property
    def preferred(self) -> str:
        """The preferred name."""
        return self.names[0].text if self.names else self.id

    def identifier(self, type_: str) -> str | None:
        """The first identifier of ``type_`` (case-insensitive), or None."""
        return next((i.value for i in self.identifiers if i.type.lower() == type_.lower()), None)


@dataclass(frozen=True, slots=True)
class Conflict:
    """One name form claimed by several entities; ``winner`` is the one the index uses."""

    form: str
    entity_ids: tuple[str, ...]
    origins: tuple[str, ...]
    winner: str


class Registry:
    """Entities by id, their name forms, and the index that finds them in text."""

    def __init__(self) -> None:
        self._entities: dict[str, Entity] = {}
        self.diagnostics: list[Finding] = []
        self.sources: list[str] = []
        self._index: NameIndex | None = None
        self._conflicts: list[Conflict] | None = None

    # ---------------------------------------------------------------- loading
    @classmethod
    def load(cls, *paths: str | os.PathLike[str], builtin: bool = True) -> Registry:
        """The built-in registry (unless ``builtin`` is false) with ``paths`` merged over it,
        in order. Unreadable or malformed files raise :class:`~tei_cable.diagnostics.InputError`;
        overrides and name conflicts are listed in :attr:`diagnostics`."""
        registry = cls()
        if builtin:
            registry.merge(builtin_registry())
        for path in paths:
            registry.add_file(path)
        return registry

    @classmethod
    def from_tei(cls, source: bytes | etree._Element, name: str = "<registry>") -> Registry:
        """A registry of the entries in one TEI document given as bytes or an element."""
        registry = cls()
        if isinstance(source, etree._Element):
            root = source
        else:
            root = parse_xml(source, name=name).getroot()
        registry._add_tree(root, name)
        return registry

    def add_file(self, path: str | os.PathLike[str]) -> None:
        """Merge the entries of one TEI file over this registry."""
        name = os.fspath(path)
        if not Path(name).is_file():
            raise InputError("registry file not found", path=name, code=BAD_FILE)
        self._add_tree(parse_xml(name).getroot(), name)

    def merge(self, other: Registry) -> None:
        """Merge another registry's entries over this one."""
        for entity in other:
            self._add(entity)
        self.sources.extend(other.sources)
        self.diagnostics.extend(d for d in other.diagnostics if d.code != NAME_CONFLICT)

    def _add_tree(self, root: etree._Element, name: str) -> None:
        if not isinstance(root.tag, str) or not root.tag.startswith(T):
            raise InputError(
                f"not a TEI registry file: the root element is not in the TEI namespace ({TEI_NS})",
                path=name,
                line=root.sourceline,
                code=BAD_FILE,
            )
        lists = (
            [root]
            if root.tag in _LIST_ELEMENTS
            else [
                e
                for e in root.iter(*_LIST_ELEMENTS)
                if e.getparent() is None or e.getparent().tag not in _LIST_ELEMENTS
            ]
        )
        if not lists:
            raise InputError(
                "no listPerson, listPlace or listOrg in this file", path=name, code=BAD_FILE
            )
        seen: dict[str, int | None] = {}
        self.sources.append(name)
        for lst in lists:
            for element in lst.iter(f"{T}person", f"{T}place", f"{T}org"):
                entity = _entity(element, name)
                if entity.id in seen:
                    raise InputError(
                        f'xml:id "{entity.id}" is used twice in this file (first at line '
                        f"{seen[entity.id]})",
                        path=name,
                        line=element.sourceline,
                        code=BAD_FILE,
                    )
                seen[entity.id] = element.sourceline
                self._add(entity)

    def _add(self, entity: Entity) -> None:
        old = self._entities.pop(entity.id, None)
        if old is not None:
            self.diagnostics.append(
                diagnostic(
                    OVERRIDE,
                    f'entry "{entity.id}" from {entity.origin} replaces the one from {old.origin}',
                    severity=Severity.INFO,
                )
            )
        self._entities[entity.id] = entity
        self._index = None
        self._conflicts = None

    # ---------------------------------------------------------------- access
    def __iter__(self) -> Iterator[Entity]:
        return iter(self._entities.values())

    def __len__(self) -> int:
        return len(self._entities)

    def __contains__(self, entity_id: object) -> bool:
        return entity_id in self._entities

    def __getitem__(self, entity_id: str) -> Entity:
        return self._entities[entity_id]

    def get(self, entity_id: str) -> Entity | None:
        """The entity with this id, or None."""
        return self._entities.get(entity_id)

    def kind_of(self, entity_id: str) -> str | None:
        """``person``, ``place`` or ``org`` for a known id, else None."""
        entity = self._entities.get(entity_id)
        return entity.kind if entity else None

    def preferred_name(self, entity_id: str) -> str | None:
        """The preferred name of a known id, else None."""
        entity = self._entities.get(entity_id)
        return entity.preferred if entity else None

    def lookup(self, name: str, kind: str | None = None) -> list[Entity]:
        """The entities that have ``name`` as a name form (case, accents, hyphens and spacing
        ignored), optionally only of one ``kind``; the one the index uses comes first."""
        key = name_key(name)
        found = [
            e
            for e in reversed(self._entities.values())
            if (kind is None or e.kind == kind) and any(name_key(f.text) == key for f in e.names)
        ]
        return found

    # ---------------------------------------------------------------- matching
    @property
    def index(self) -> NameIndex:
        """The index of every name form, built on first use."""
        if self._index is None:
            self._index = NameIndex(self._candidates())
        return self._index

    def _candidates(self) -> Iterator[Candidate]:
        for entity in self._entities.values():
            for form in entity.names:
                yield form_candidate(
                    entity.id,
                    entity.kind,
                    form.text,
                    form.type,
                    entity.preferred,
                    not_before=form.not_before,
                    not_after=form.not_after,
                )

    @property
    def conflicts(self) -> list[Conflict]:
        """Name forms that several entities claim at the same time (the entity loaded last
        wins); forms dated apart ("Republic of China" before and after 1949) are none."""
        if self._conflicts is None:
            owners: dict[tuple[str, ...], list[tuple[NameForm, Entity]]] = {}
            for entity in self._entities.values():
                keys: set[tuple[str, ...]] = set()
                for form in entity.names:
                    key = name_key(form.text)
                    if key and key not in keys:
                        keys.add(key)
                        owners.setdefault(key, []).append((form, entity))
            self._conflicts = [
                Conflict(
                    form=claims[0][0].text,
                    entity_ids=tuple(e.id for _, e in claims),
                    origins=tuple(e.origin for _, e in claims),
                    winner=claims[-1][1].id,
                )
                for claims in owners.values()
                if len({e.id for _, e in claims}) > 1 and _overlap([f for f, _ in claims])
            ]
        return self._conflicts

    def conflict_diagnostics(self) -> list[Finding]:
        """One warning per conflict, saying which entities claim the form and which one wins."""
        return [
            diagnostic(
                NAME_CONFLICT,
                f'name form "{c.form}" belongs to '
                + " and ".join(f'"{i}" ({o})' for i, o in zip(c.entity_ids, c.origins, strict=True))
                + f'; "{c.winner}" is used',
            )
            for c in self.conflicts
        ]

    # ---------------------------------------------------------------- output
    def to_tei(self, ids: Iterable[str]) -> list[etree._Element]:
        """``listPerson``, ``listPlace`` and ``listOrg`` (those not empty, in that order) with
        the entries of ``ids`` in registry order, ready for a document's ``standOff``.

        Unknown ids raise KeyError. Nested entries are left out of each copy (each id is listed
        once, on its own).
        """
        wanted = set(ids)
        missing = sorted(wanted - self._entities.keys())
        if missing:
            raise KeyError(f"not in the registry: {', '.join(missing)}")
        out: list[etree._Element] = []
        for kind, (_entry, list_name, _names) in KINDS.items():
            entries = [e for e in self._entities.values() if e.kind == kind and e.id in wanted]
            if not entries:
                continue
            lst = etree.Element(f"{T}{list_name}", nsmap={None: TEI_NS})
            for entity in entries:
                lst.append(entity_element(entity))
            out.append(lst)
        return out


#: name-form types the project's schema allows (``schemas/tei_cable.odd``); others become
#: ``variant`` with the original in ``@subtype``
NAME_FORM_TYPES = frozenset(
    """preferred variant alias pseudonym cipher birth short surname full inverted abbreviation
    translation transliteration native former later transcription-error letterhead""".split()
)
#: identifier types the schema allows on an entry's ``idno``
IDNO_TYPES = frozenset({*AUTHORITIES, "lcnaf", "URI"})
#: note types an entry may carry
NOTE_TYPES = frozenset({"evidence", "unregistered", "editorial"})
#: what an entry may hold in a document's standOff (anything else is left out of the copy)
ENTRY_CHILDREN = frozenset(
    f"{T}{n}"
    for n in (
        "persName placeName geogName orgName name birth death occupation desc note idno".split()
    )
)
_NAME_TAGS = frozenset(f"{T}{n}" for n in ("persName", "placeName", "geogName", "orgName", "name"))


def _overlap(forms: list[NameForm]) -> bool:
    """Do two of ``forms`` name their entities at a common time?"""
    for k, a in enumerate(forms):
        for b in forms[k + 1 :]:
            a_start, a_end = a.not_before or "0000", a.not_after or "9999"
            b_start, b_end = b.not_before or "0000", b.not_after or "9999"
            if a_start <= b_end and b_start <= a_end:
                return True
    return False


def entity_element(entity: Entity) -> etree._Element:
    """A clean copy of the entity's TEI entry for a document's ``standOff``: no nested
    entries, no comments, and only what the project's schema allows (other children left out,
    name forms flattened to their text, unknown types mapped), so every output stays valid."""
    if entity.element is None:
        entry = etree.Element(f"{T}{KINDS[entity.kind][0]}", nsmap={None: TEI_NS})
        entry.set(XML_ID, entity.id)
        name_tag = KINDS[entity.kind][2][0]
        for form in entity.names:
            el = etree.SubElement(entry, f"{T}{name_tag}")
            if form.type:
                el.set("type", form.type)
            el.text = form.text
        for ident in entity.identifiers:
            el = etree.SubElement(entry, f"{T}idno", type=ident.type)
            el.text = ident.value
        _conform(entry)
        return entry
    entry = copy.deepcopy(entity.element)
    for child in list(entry):
        if not isinstance(child.tag, str) or child.tag in (f"{T}person", f"{T}place", f"{T}org"):
            entry.remove(child)  # nested entries are entries of their own
    for el in entry.iter():
        if el.text is not None and not el.text.strip() and len(el):
            el.text = None
        if el.tail is not None and not el.tail.strip():
            el.tail = None
    entry.tail = None
    _conform(entry)
    return entry


def authority_uri(kind: str, value: str) -> str:
    """An authority identifier as the URI consumers follow (``Q5816`` →
    ``http://www.wikidata.org/entity/Q5816``); a value that is already a URI stays."""
    value = normalise_space(value)
    template = AUTHORITIES.get(kind.lower())
    if template is None or "://" in value or not value:
        return value
    return template.format(value)


def short_identifier(kind: str, value: str) -> str:
    """The bare identifier of an authority URI (the inverse of :func:`authority_uri`)."""
    template = AUTHORITIES.get(kind.lower())
    if template:
        prefix, _, suffix = template.partition("{}")
        if value.startswith(prefix) and value.endswith(suffix):
            return value[len(prefix) : len(value) - len(suffix)] if suffix else value[len(prefix) :]
    return value


def _conform(entry: etree._Element) -> None:
    """Bring a copied entry within the project's schema (see :func:`entity_element`), its
    authority identifiers as URIs in ``idno``, the first also in ``@sameAs`` for consumers
    that follow one link."""
    for child in list(entry):
        if child.tag not in ENTRY_CHILDREN:
            entry.remove(child)
            continue
        if child.tag in _NAME_TAGS:
            if len(child):
                text = normalise_space("".join(child.itertext()))
                for inner in list(child):
                    child.remove(inner)
                child.text = text
            kind = child.get("type")
            if kind is not None and kind not in NAME_FORM_TYPES:
                child.set("type", "variant")
                if child.get("subtype") is None and kind.replace("-", "").isalnum():
                    child.set("subtype", kind)
        elif child.tag == f"{T}idno":
            kind = child.get("type") or ""
            if kind.lower() in AUTHORITIES:
                child.set("type", kind.lower())
                child.text = authority_uri(kind.lower(), child.text or "")
            elif kind not in IDNO_TYPES:
                if "://" in (child.text or ""):
                    child.set("type", "URI")
                else:
                    entry.remove(child)
        elif child.tag == f"{T}note" and child.get("type") not in NOTE_TYPES:
            child.set("type", "editorial")
    uris = [
        (child.text or "").strip()
        for child in entry.iterchildren(f"{T}idno")
        if "://" in (child.text or "") and " " not in (child.text or "").strip()
    ]
    if uris:
        entry.set("sameAs", uris[0])  # one URI (TEI's sameAs); every one is in an idno


def _entity(element: etree._Element, origin: str) -> Entity:
    kind = _ENTRY_KIND[etree.QName(element).localname]
    where = f"{origin}:{element.sourceline}" if element.sourceline else origin
    entity_id = element.get(XML_ID)
    if not entity_id:
        raise InputError(
            f"<{etree.QName(element).localname}> has no xml:id",
            path=origin,
            line=element.sourceline,
            code=BAD_FILE,
        )
    name_tags = tuple(f"{T}{n}" for n in KINDS[kind][2])
    forms: list[NameForm] = []
    for child in element:
        if child.tag in name_tags:
            text = normalise_space("".join(child.itertext()))
            if text:
                forms.append(
                    NameForm(
                        text,
                        child.get("type"),
                        child.get(f"{{{XML_NS}}}lang"),
                        child.get("notBefore") or child.get("from"),
                        child.get("notAfter") or child.get("to"),
                    )
                )
    if not forms:
        raise InputError(
            f'entry "{entity_id}" has no name',
            path=origin,
            line=element.sourceline,
            code=BAD_FILE,
        )
    preferred = next((i for i, f in enumerate(forms) if (f.type or "") in _PREFERRED), 0)
    forms.insert(0, forms.pop(preferred))
    identifiers = [
        Identifier(
            (child.get("type") or "").strip() or "other",
            normalise_space(child.text or ""),
            child.get("source"),
        )
        for child in element.iterchildren(f"{T}idno")
        if (child.text or "").strip()
    ]
    return Entity(
        id=entity_id,
        kind=kind,
        names=_dedupe(forms),
        identifiers=identifiers,
        birth=_life_date(element, "birth"),
        death=_life_date(element, "death"),
        role=_role(element),
        origin=where,
        element=element,
    )


def _dedupe(forms: list[NameForm]) -> list[NameForm]:
    seen: set[str] = set()
    out = []
    for form in forms:
        if form.text not in seen:
            seen.add(form.text)
            out.append(form)
    return out


def _life_date(element: etree._Element, tag: str) -> str | None:
    values = []
    for child in element.iterchildren(f"{T}{tag}"):
        when = child.get("when") or "/".join(
            v for v in (child.get("notBefore"), child.get("notAfter")) if v
        )
        if when:
            values.append(when if child.get("cert") in (None, "high") else f"{when}?")
    return " or ".join(values) or None


def _role(element: etree._Element) -> str | None:
    for tag in ("occupation", "roleName", "desc", "note"):
        child = element.find(f"{T}{tag}")
        if child is not None:
            if tag == "note" and child.get("type") not in ("role", None):
                continue
            text = normalise_space("".join(child.itertext()))
            if text:
                return text
    return None


@cache
def builtin_registry() -> Registry:
    """The registry shipped with tei-cable (loaded once)."""
    data = resources.files("tei_cable.entities").joinpath("data").joinpath("registry.xml")
    registry = Registry()
    with resources.as_file(data) as path:
        registry.add_file(path)
    registry.sources = ["built-in registry"]
    for entity in registry:
        entity.origin = "built-in " + entity.origin.rsplit("/", 1)[-1]
    return registry


def fold_key(text: str) -> str:
    """A case- and accent-insensitive key for sorting and comparing names."""
    return fold(normalise_space(text))
