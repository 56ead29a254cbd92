"""Reading TEI for export: what a document says about itself, its letters and its entities.

Every exporter reads TEI through :func:`load` and the :class:`TeiDocument` it returns, never
the converter's internal model, so any TEI P5 document can be exported: the converter's own
output and reasonable TEI from elsewhere (a letter edition with one ``correspDesc``, entities
in ``standOff`` or ``back``, authority identifiers as bare numbers typed by ``@type`` or as
URIs, or URIs straight in ``@ref``). Reading is lenient: what is missing is left out, never
guessed.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from lxml import etree

from ..diagnostics import InputError
from ..xmlio import TEI_NS, XML_NS, parse_xml
from .authority import Authority, authority, from_uri

T = f"{{{TEI_NS}}}"
XML_ID = f"{{{XML_NS}}}id"
XML_LANG = f"{{{XML_NS}}}lang"
NS = {"t": TEI_NS}

#: entity elements and the kind of thing they describe
ENTITY_TAGS = {
    f"{T}person": "person",
    f"{T}personGrp": "person",
    f"{T}place": "place",
    f"{T}org": "org",
}
#: name elements and the kind of thing they name
NAME_TAGS = {
    f"{T}persName": "person",
    f"{T}placeName": "place",
    f"{T}geogName": "place",
    f"{T}settlement": "place",
    f"{T}country": "place",
    f"{T}orgName": "org",
    f"{T}name": "",
    f"{T}rs": "",
}
#: in ``choice``, the reading a plain-text rendering shows
PREFERRED_READINGS = (f"{T}corr", f"{T}reg", f"{T}expan")
#: never part of a plain-text rendering
SKIPPED = {f"{T}note", f"{T}del", f"{T}fw", f"{T}sic", f"{T}orig", f"{T}abbr"}
#: elements that hold a letter's text
LETTER_TAGS = (f"{T}floatingText", f"{T}div", f"{T}text", f"{T}body", f"{T}group")
DATE_ATTRS = ("when", "from", "to", "notBefore", "notAfter")


class NotTeiError(InputError):
    """A well-formed XML file that is not a TEI P5 document."""

    def __init__(self, message: str, *, path: str | None = None) -> None:
        super().__init__(message, path=path, code="X100")


# ----------------------------------------------------------------------------- values


@dataclass(frozen=True)
class Entity:
    """A person, place or organisation: its name, authority identifiers and life dates."""

    key: str
    kind: str
    name: str
    authorities: tuple[Authority, ...] = ()
    description: str = ""
    birth: str = ""
    death: str = ""
    local: bool = False  # described in the document (has an xml:id there)


@dataclass(frozen=True)
class Party:
    """A name in a ``correspAction``: who or where, with the encoder's certainty."""

    kind: str
    name: str
    entity: Entity | None = None
    cert: str = ""
    evidence: str = ""

    @property
    def authorities(self) -> tuple[Authority, ...]:
        return self.entity.authorities if self.entity else ()


@dataclass(frozen=True)
class DateValue:
    """A ``date``: its normalised attributes (``when``, ``from``…) and its text."""

    attrs: tuple[tuple[str, str], ...]
    text: str = ""
    cert: str = ""
    evidence: str = ""

    def get(self, name: str) -> str:
        return dict(self.attrs).get(name, "")

    @property
    def iso(self) -> str:
        """``when``, or ``from``/``notBefore`` and ``to``/``notAfter`` as an ISO interval."""
        when = self.get("when")
        if when:
            return when
        start = self.get("from") or self.get("notBefore")
        end = self.get("to") or self.get("notAfter")
        return f"{start}/{end}" if start and end else start or end


@dataclass
class Action:
    """A ``correspAction``: sent or received, by whom, where, when."""

    type: str
    subtype: str = ""
    persons: list[Party] = field(default_factory=list)
    orgs: list[Party] = field(default_factory=list)
    places: list[Party] = field(default_factory=list)
    dates: list[DateValue] = field(default_factory=list)

    @property
    def agents(self) -> list[Party]:
        return self.persons + self.orgs


@dataclass
class Letter:
    """One letter of a document (``correspDesc``), the outer one or one nested in it."""

    id: str
    type: str
    actions: list[Action]
    element: etree._Element | None
    parent: str | None = None
    desc_id: str = ""
    #: the letter's own address (``correspDesc/@ref``), where the TEI gives one
    ref: str = ""
    #: the ``bibl`` the description says it comes from (``correspDesc/@source``)
    source: etree._Element | None = None

    def actions_of(self, kind: str, *, cc: bool | None = None) -> list[Action]:
        """Actions of a type; ``cc`` True for copies only, False without them."""
        found = [a for a in self.actions if a.type == kind]
        if cc is not None:
            found = [a for a in found if (a.subtype == "cc") == cc]
        return found

    def parties(self, kind: str, *, cc: bool | None = False) -> list[Party]:
        return [p for a in self.actions_of(kind, cc=cc) for p in a.agents]

    def places(self, kind: str) -> list[Party]:
        return [p for a in self.actions_of(kind) for p in a.places]

    def dates(self, kind: str) -> list[DateValue]:
        return [d for a in self.actions_of(kind) for d in a.dates]


# ----------------------------------------------------------------------------- helpers


def plain_text(element: etree._Element | None) -> str:
    """The text of an element as a reader sees it: corrections and expansions rather than
    the original readings, notes left out, white space collapsed."""
    if element is None:
        return ""
    parts: list[str] = []
    _collect(element, parts, top=True)
    return " ".join("".join(parts).split())


def _collect(node: etree._Element, parts: list[str], *, top: bool = False) -> None:
    if not top and (not isinstance(node.tag, str) or node.tag in SKIPPED):
        if node.tail:
            parts.append(node.tail)
        return
    if node.tag == f"{T}choice":
        chosen = next((c for c in node if c.tag in PREFERRED_READINGS), None)
        if chosen is None:
            chosen = next((c for c in node if isinstance(c.tag, str)), None)
        if chosen is not None:
            _collect(chosen, parts, top=True)
    else:
        if node.text:
            parts.append(node.text)
        for child in node:
            _collect(child, parts)
    if not top and node.tail:
        parts.append(node.tail)
    elif top and node.tag in (f"{T}lb",):
        parts.append(" ")


def _tokens(value: str | None) -> list[str]:
    return value.split() if value else []


def _lower(value: str | None) -> str:
    return (value or "").strip().lower()


_ISO = re.compile(
    r"^-?\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$"
)


def iso_date(value: str | None) -> str:
    """A W3C date, date-time, year or year-month as given; empty when it is none of these."""
    value = (value or "").strip()
    return value if _ISO.match(value) else ""


# ----------------------------------------------------------------------------- the document


class TeiDocument:
    """A TEI document read for export. Everything is read lazily and cached."""

    def __init__(self, tree: etree._ElementTree, path: str, name: str | None = None) -> None:
        self.tree = tree
        self.root = tree.getroot()
        self.path = path
        #: the document's name for output files and identifiers (the file stem)
        self.name = name or Path(path).stem
        header = self.root.find(f"{T}teiHeader")
        if header is None:
            raise NotTeiError("a TEI document without a teiHeader", path=path)
        self.header = header

    # -- lookups

    def xpath(self, expr: str, node: etree._Element | None = None) -> list:
        return (node if node is not None else self.root).xpath(expr, namespaces=NS)

    def first_text(self, expr: str, node: etree._Element | None = None) -> str:
        for found in self.xpath(expr, node):
            text = found if isinstance(found, str) else plain_text(found)
            text = " ".join(str(text).split())
            if text:
                return text
        return ""

    @cached_property
    def ids(self) -> dict[str, etree._Element]:
        return {el.get(XML_ID): el for el in self.root.iter() if el.get(XML_ID)}

    @cached_property
    def prefixes(self) -> dict[str, tuple[str, str]]:
        found = {}
        for pd in self.xpath("//t:prefixDef[@ident][@matchPattern][@replacementPattern]"):
            found[pd.get("ident")] = (pd.get("matchPattern"), pd.get("replacementPattern"))
        return found

    # -- the header

    @cached_property
    def title(self) -> str:
        return (
            self.first_text(
                "t:fileDesc/t:titleStmt/t:title[not(@type) or @type='main']", self.header
            )
            or self.first_text("t:fileDesc/t:titleStmt/t:title", self.header)
            or self.name
        )

    @cached_property
    def lang(self) -> str:
        """The language of the text (``text/@xml:lang``, else the TEI element's)."""
        for node in (self.root.find(f"{T}text"), self.root):
            if node is not None and node.get(XML_LANG):
                return node.get(XML_LANG).strip()
        return ""

    @cached_property
    def languages(self) -> list[tuple[str, str]]:
        """``langUsage`` languages as (code, label)."""
        return [
            (lang.get("ident").strip(), plain_text(lang))
            for lang in self.xpath("t:profileDesc/t:langUsage/t:language[@ident]", self.header)
        ]

    @cached_property
    def language(self) -> str:
        """The text's language, else the first of ``langUsage``; empty when neither says."""
        return self.lang or (self.languages[0][0] if self.languages else "")

    @cached_property
    def abstract(self) -> str:
        return self.first_text("t:profileDesc/t:abstract", self.header)

    @cached_property
    def keywords(self) -> list[str]:
        return _unique(
            plain_text(t) for t in self.xpath("t:profileDesc/t:textClass//t:term", self.header)
        )

    @cached_property
    def licence(self) -> tuple[str, str]:
        """(text, target URL) of the first ``licence``, else of ``availability``."""
        for lic in self.xpath("t:fileDesc/t:publicationStmt/t:availability/t:licence", self.header):
            return plain_text(lic), (lic.get("target") or "").split(" ")[0]
        return self.first_text("t:fileDesc/t:publicationStmt/t:availability", self.header), ""

    @cached_property
    def publishers(self) -> list[str]:
        return _unique(
            plain_text(p)
            for p in self.xpath(
                "t:fileDesc/t:publicationStmt/t:publisher"
                " | t:fileDesc/t:publicationStmt/t:distributor",
                self.header,
            )
        )

    @cached_property
    def authors(self) -> list[str]:
        return _unique(
            plain_text(a) for a in self.xpath("t:fileDesc/t:titleStmt/t:author", self.header)
        )

    @cached_property
    def editors(self) -> list[str]:
        people = self.xpath(
            "t:fileDesc/t:titleStmt/t:editor"
            " | t:fileDesc/t:titleStmt/t:respStmt/t:persName"
            " | t:fileDesc/t:titleStmt/t:respStmt/t:name[not(@type='software')]",
            self.header,
        )
        return _unique(plain_text(p) for p in people)

    @cached_property
    def funders(self) -> list[str]:
        return _unique(
            plain_text(f) for f in self.xpath("t:fileDesc/t:titleStmt/t:funder", self.header)
        )

    @cached_property
    def url(self) -> str:
        """The document's own address, if its header gives one (``publicationStmt/idno``,
        ``ptr``, ``ref``)."""
        for value in self.xpath(
            "t:fileDesc/t:publicationStmt/t:idno/text()"
            " | t:fileDesc/t:publicationStmt/t:ptr/@target"
            " | t:fileDesc/t:publicationStmt/t:ref/@target",
            self.header,
        ):
            value = str(value).strip()
            if value.lower().startswith(("http://", "https://")) and " " not in value:
                return value
        return ""

    @cached_property
    def source_url(self) -> str:
        """The address of the source the TEI was made from (``sourceDesc``'s ``ptr``/``ref``
        or an ``idno`` that is a URL)."""
        for value in self.xpath(
            "t:fileDesc/t:sourceDesc//t:ptr/@target | t:fileDesc/t:sourceDesc//t:ref/@target"
            " | t:fileDesc/t:sourceDesc//t:idno/text()",
            self.header,
        ):
            value = str(value).strip()
            if value.lower().startswith(("http://", "https://")) and " " not in value:
                return value
        return ""

    @cached_property
    def source_citation(self) -> str:
        """The source as cited (``sourceDesc/bibl``), identifiers, notes and pointers left out."""
        for bibl in self.xpath("t:fileDesc/t:sourceDesc/t:bibl", self.header):
            parts: list[str] = [bibl.text or ""]
            for child in bibl:
                if child.tag not in (f"{T}idno", f"{T}ptr", f"{T}ref", f"{T}note"):
                    _collect(child, parts, top=True)
                parts.append(child.tail or "")
            text = " ".join("".join(parts).split())
            if text:
                return text
        return ""

    @cached_property
    def repository(self) -> str:
        return self.first_text(
            "t:fileDesc/t:sourceDesc//t:msIdentifier/t:repository"
            " | t:fileDesc/t:sourceDesc//t:msIdentifier/t:institution",
            self.header,
        )

    @cached_property
    def shelfmark(self) -> str:
        return self.first_text("t:fileDesc/t:sourceDesc//t:msIdentifier/t:idno", self.header)

    @cached_property
    def source_languages(self) -> list[str]:
        return _unique(
            str(v).strip()
            for v in self.xpath("t:fileDesc/t:sourceDesc//t:textLang/@mainLang", self.header)
        )

    @cached_property
    def identifiers(self) -> list[str]:
        """Identifiers the document gives itself or its source (URLs first)."""
        values = [self.url, self.source_url]
        values += [
            str(v).strip()
            for v in self.xpath(
                "t:fileDesc/t:publicationStmt/t:idno/text()"
                " | t:fileDesc/t:sourceDesc/t:bibl/t:idno/text()",
                self.header,
            )
        ]
        return _unique(v for v in values if v)

    @cached_property
    def date(self) -> DateValue | None:
        """When the document was made: ``creation/date``, else the first letter's date sent."""
        for node in self.xpath("t:profileDesc/t:creation//t:date", self.header):
            value = date_value(node)
            if value.attrs:
                return value
        for letter in self.letters:
            for value in letter.dates("sent"):
                if value.attrs:
                    return value
        return None

    # -- entities

    def entity(self, ref: str | None, kind: str = "", name: str = "") -> Entity | None:
        """The entity a ``@ref`` names: a local entry (``#id``), a prefixed pointer, or an
        authority URI. None when the pointer leads nowhere."""
        for token in _tokens(ref):
            token = self._expand_prefix(token)
            if token.startswith("#"):
                found = self.local_entity(token[1:])
                if found is not None:
                    return found
                continue
            auth = from_uri(token)
            if auth is not None:
                return Entity(auth.uri, kind or "person", name, (auth,))
        return None

    def _expand_prefix(self, token: str) -> str:
        prefix, sep, rest = token.partition(":")
        if sep and prefix in self.prefixes and not rest.startswith("//"):
            match, replacement = self.prefixes[prefix]
            try:
                return re.sub(f"^(?:{match})$", replacement, rest)
            except re.error:
                return token
        return token

    def local_entity(self, xml_id: str) -> Entity | None:
        return self._entities.get(xml_id) if xml_id in self.ids else None

    @cached_property
    def _entities(self) -> dict[str, Entity]:
        found = {}
        for xml_id, element in self.ids.items():
            kind = ENTITY_TAGS.get(element.tag)
            if kind:
                found[xml_id] = _entity(element, xml_id, kind)
        return found

    def mentions(self, element: etree._Element | None, *, nested: bool = False) -> list[Entity]:
        """Entities named in an element's text (in order, once each); letters nested in it
        are left out unless ``nested``."""
        if element is None:
            return []
        found: dict[str, Entity] = {}
        for node in _walk(element, nested=nested):
            kind = NAME_TAGS.get(node.tag)
            if kind is None or not node.get("ref"):
                continue
            if node.tag in (f"{T}rs", f"{T}name"):
                kind = {"person": "person", "place": "place", "org": "org"}.get(
                    _lower(node.get("type")), ""
                )
            entity = self.entity(node.get("ref"), kind or "person", plain_text(node))
            if entity is not None and entity.name and entity.key not in found:
                found[entity.key] = entity
        return list(found.values())

    # -- letters

    @cached_property
    def letters(self) -> list[Letter]:
        """Every letter the header describes (``correspDesc``), outer ones first, each with
        the element holding its text and the letter it is nested in."""
        descs = self.xpath("t:profileDesc/t:correspDesc", self.header)
        by_element: dict[etree._Element, Letter] = {}
        letters = []
        for n, desc in enumerate(descs, 1):
            target = self._letter_element(desc, len(descs))
            letter_id = (
                (target.get(XML_ID) if target is not None else None)
                or desc.get(XML_ID)
                or (f"letter{n}" if len(descs) > 1 else "letter")
            )
            letter = Letter(
                id=letter_id,
                type=(desc.get("type") or "").strip(),
                actions=[self._action(a) for a in desc.findall(f"{T}correspAction")],
                element=target,
                desc_id=desc.get(XML_ID) or "",
                ref=next(
                    (
                        t
                        for t in _tokens(desc.get("ref"))
                        if t.lower().startswith(("http://", "https://"))
                    ),
                    "",
                ),
                source=next(
                    (
                        self.ids[t[1:]]
                        for t in _tokens(desc.get("source"))
                        if t.startswith("#")
                        and t[1:] in self.ids
                        and self.ids[t[1:]].tag == f"{T}bibl"
                    ),
                    None,
                ),
            )
            letters.append(letter)
            if target is not None:
                by_element.setdefault(target, letter)
        for letter in letters:
            node = letter.element.getparent() if letter.element is not None else None
            while node is not None:
                if node in by_element and by_element[node] is not letter:
                    letter.parent = by_element[node].id
                    break
                node = node.getparent()
        return letters

    def _letter_element(self, desc: etree._Element, count: int) -> etree._Element | None:
        for token in _tokens(desc.get("corresp")):
            if token.startswith("#") and token[1:] in self.ids:
                return self.ids[token[1:]]
        own = desc.get(XML_ID)
        if own:
            for el in self.xpath(f"//*[@decls][contains(concat(' ', @decls, ' '), ' #{own} ')]"):
                return el
        if count == 1:
            return self.root.find(f"{T}text")
        return None

    def _action(self, node: etree._Element) -> Action:
        """A ``correspAction``; its own ``@cert``/``@evidence`` hold for every name and date
        in it that has none of its own."""
        action = Action(type=_lower(node.get("type")), subtype=_lower(node.get("subtype")))
        cert, evidence = _lower(node.get("cert")), _lower(node.get("evidence"))
        for child in node:
            if child.tag == f"{T}date":
                value = date_value(child)
                if not value.cert and not value.evidence:
                    value = DateValue(value.attrs, value.text, cert, evidence)
                action.dates.append(value)
                continue
            kind = NAME_TAGS.get(child.tag)
            if kind is None:
                continue
            if child.tag in (f"{T}rs", f"{T}name"):
                kind = {"person": "person", "place": "place", "org": "org"}.get(
                    _lower(child.get("type")), "person"
                )
            name = plain_text(child)
            entity = self.entity(child.get("ref"), kind, name)
            if not name and entity is not None:
                name = entity.name
            if not name:
                continue
            own_cert, own_evidence = _lower(child.get("cert")), _lower(child.get("evidence"))
            if not own_cert and not own_evidence:
                own_cert, own_evidence = cert, evidence
            party = Party(kind, name, entity, own_cert, own_evidence)
            {"person": action.persons, "org": action.orgs, "place": action.places}[kind].append(
                party
            )
        return action


def _walk(element: etree._Element, *, nested: bool) -> Iterator[etree._Element]:
    for child in element:
        if not isinstance(child.tag, str):
            continue
        if not nested and child.tag == f"{T}floatingText":
            continue
        yield child
        yield from _walk(child, nested=nested)


def date_value(node: etree._Element) -> DateValue:
    """A ``date`` element's normalised attributes (ISO values only) and text."""
    attrs = []
    for name in DATE_ATTRS:
        value = iso_date(node.get(name))
        if value:
            attrs.append((name, value))
    return DateValue(
        tuple(attrs), plain_text(node), _lower(node.get("cert")), _lower(node.get("evidence"))
    )


def _entity(element: etree._Element, xml_id: str, kind: str) -> Entity:
    names = [
        c
        for c in element
        if c.tag in (f"{T}persName", f"{T}placeName", f"{T}orgName", f"{T}geogName", f"{T}name")
    ]
    preferred = next(
        (n for n in names if _lower(n.get("type")) in ("preferred", "pref", "reg", "main")), None
    )
    chosen = preferred if preferred is not None else (names[0] if names else None)
    name = _name_text(chosen) if chosen is not None else ""
    authorities = []
    for idno in element.findall(f"{T}idno"):
        found = authority(idno.text or "", idno.get("type"), idno.get("subtype"))
        if found is not None and found not in authorities:
            authorities.append(found)
    for token in _tokens(element.get("sameAs")) + _tokens(element.get("ref")):
        found = from_uri(token)
        if found is not None and found not in authorities:
            authorities.append(found)
    description = plain_text(element.find(f"{T}occupation")) or plain_text(element.find(f"{T}desc"))

    def life(tag: str) -> str:
        for event in element.findall(f"{T}{tag}"):
            for node in (event, *event.findall(f"{T}date")):
                value = iso_date(node.get("when"))
                if value and _lower(event.get("cert")) not in ("low", "medium"):
                    return value
        return ""

    return Entity(
        xml_id,
        kind,
        name,
        tuple(authorities),
        description,
        life("birth") if kind == "person" else "",
        life("death") if kind == "person" else "",
        local=True,
    )


def _name_text(name: etree._Element) -> str:
    """A name as people write it: ``forename surname`` for structured names."""
    parts = {c.tag: plain_text(c) for c in name if isinstance(c.tag, str)}
    if f"{T}surname" in parts and f"{T}forename" in parts and not (name.text or "").strip():
        return " ".join(
            plain_text(c)
            for c in sorted(name, key=lambda c: c.tag != f"{T}forename")
            if isinstance(c.tag, str) and plain_text(c)
        )
    return plain_text(name)


def _unique(values: Iterator[str] | list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:
        if value and value not in seen:
            seen[value] = None
    return list(seen)


def load(source: str | os.PathLike[str] | bytes, *, name: str | None = None) -> TeiDocument:
    """Parse a TEI document safely. :class:`InputError` (one line, with the file and, for
    XML errors, the line and column) when it is not well-formed or not TEI P5."""
    path = name or (os.fspath(source) if not isinstance(source, bytes) else "<bytes>")
    tree = parse_xml(source, name=path)
    root = tree.getroot()
    if root.tag == f"{T}teiCorpus":
        raise NotTeiError("a teiCorpus: export the TEI documents it holds one by one", path=path)
    if root.tag != f"{T}TEI":
        local = etree.QName(root).localname
        if local == "TEI":
            raise NotTeiError(
                "the TEI element is not in the TEI namespace (TEI P4 or no xmlns): "
                f"expected {TEI_NS}",
                path=path,
            )
        raise NotTeiError(f"not a TEI document: the root element is <{local}>", path=path)
    return TeiDocument(tree, path, Path(name).stem if name else None)
