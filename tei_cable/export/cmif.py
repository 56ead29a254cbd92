"""CMIF (Correspondence Metadata Interchange Format, v1.1) for correspSearch.

One CMIF file for all letters of all inputs, nested letters included: a ``correspDesc`` per
letter with a ``sent`` and a ``received`` ``correspAction`` holding only ``persName``,
``orgName``, ``placeName`` and ``date``, as CMIF's documentation and its RELAX NG and
Schematron require:

- names carry the authority URI CMIF prefers in ``@ref`` (VIAF, GND, … for persons and
  organisations, GeoNames for places, Wikidata where that is all the TEI gives); a name
  without one is kept without ``@ref``;
- a letter whose sender or addressee is not known gets ``<persName>Unknown</persName>``;
- dates keep ``@when``/``@from``/``@to``/``@notBefore``/``@notAfter`` cut to what CMIF
  accepts (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``); a date with none of these is left out;
- ``@cert``: CMIF knows only ``low`` ("the attribution is uncertain"), so ``low`` and
  ``medium`` become ``low`` and ``high`` is dropped; ``@evidence``: only ``conjecture``, which
  is what TEI's ``external`` and ``conjecture`` say (not stated in the source itself);
  ``internal`` (read from the document) is dropped;
- each source is a ``bibl`` with a UUID ``xml:id`` made with UUID 5 from its address (or its
  text), so the same source keeps its UUID from one export to the next.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence

from lxml import etree

from ..xmlio import TEI_NS, XML_NS, serialize
from .authority import preferred
from .options import LICENCES, ExportError, ExportOptions, export_time
from .teidoc import DateValue, Letter, Party, TeiDocument

T = f"{{{TEI_NS}}}"
XML_ID = f"{{{XML_NS}}}id"
#: the namespace for the UUIDs of sources without an address
UUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/tei-cable/cmif-bibl")
_UUID = re.compile(r"^[a-f][0-9a-f]{7}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_CMIF_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?")
UNKNOWN = "Unknown"


def cmif_date(value: str) -> str:
    """A date cut to what CMIF accepts: ``1951-07-10T11:45:00`` is ``1951-07-10``."""
    found = _CMIF_DATE.match(value or "")
    if not found:
        return ""
    rest = value[found.end() :]
    return found[0] if not rest or rest[0] in "TZ+-" else ""


def write_cmif(documents: Sequence[TeiDocument], options: ExportOptions) -> bytes:
    """One CMIF file describing every letter of ``documents``."""
    if not options.url:
        raise ExportError("CMIF needs the address where the file will be published: give --url URL")
    if not options.editors:
        raise ExportError("CMIF names a contact person for the file: give --editor 'NAME <EMAIL>'")
    root = etree.Element(f"{T}TEI", nsmap={None: TEI_NS})
    header = _sub(root, "teiHeader")
    file_desc = _sub(header, "fileDesc")
    title_stmt = _sub(file_desc, "titleStmt")
    _sub(title_stmt, "title", options.title or _default_title(documents))
    for editor in options.editors:
        node = _sub(title_stmt, "editor", (editor.name + " ") if editor.email else editor.name)
        if editor.email:
            _sub(node, "email", editor.email)
    pub = _sub(file_desc, "publicationStmt")
    publisher = options.publisher or _common(d.publishers for d in documents)
    _sub(pub, "publisher", publisher or options.editors[0].name or options.editors[0].email)
    _sub(pub, "idno", options.url, type="url")
    _sub(pub, "date", when=export_time(options, [d.path for d in documents]))
    target, text = LICENCES.get(options.licence, LICENCES["cc-by"])
    _sub(_sub(pub, "availability"), "licence", text, target=target)
    source_desc = _sub(file_desc, "sourceDesc")
    profile = _sub(header, "profileDesc")
    bibls: dict[str, str] = {}
    for document in documents:
        letters = [letter for letter in document.letters if letter.actions]
        if not letters:
            continue
        own = _bibl(source_desc, bibls, document) if any(x.source is None for x in letters) else ""
        for letter in letters:
            bibl_id = (
                _cited_bibl(source_desc, bibls, letter.source) if letter.source is not None else own
            )
            _corresp_desc(profile, document, letter, bibl_id)
    if not len(source_desc):
        # CMIF needs one bibl even when no input had a letter
        _bibl(source_desc, bibls, None)
    _sub(_sub(_sub(root, "text"), "body"), "p")
    etree.indent(root, space="  ")
    return serialize(root)


def letter_count(documents: Sequence[TeiDocument]) -> int:
    """How many letters a CMIF file of ``documents`` describes."""
    return sum(1 for d in documents for letter in d.letters if letter.actions)


def _default_title(documents: Sequence[TeiDocument]) -> str:
    if len(documents) == 1:
        return f"Letters in: {documents[0].title}"
    return f"Letters in {len(documents)} TEI documents"


def _common(groups) -> str:
    """The one value every group shares, else empty."""
    values = {tuple(g) for g in groups}
    if len(values) == 1:
        only = next(iter(values))
        return only[0] if only else ""
    return ""


def bibl_uuid(url: str, text: str = "") -> str:
    """A UUID 5 for a source: from its address, else from its text; the same every time.

    ``xml:id`` must be an XML name, which cannot start with a digit, so the first UUID of
    the series (``url``, ``url#1``, ``url#2``…) that starts with a letter is taken.
    """
    namespace, name = (uuid.NAMESPACE_URL, url) if url else (UUID_NAMESPACE, text)
    n = 0
    while True:
        value = str(uuid.uuid5(namespace, name if n == 0 else f"{name}#{n}"))
        if value[0].isalpha():
            return value
        n += 1


def _bibl(source_desc: etree._Element, seen: dict[str, str], document: TeiDocument | None) -> str:
    """A ``bibl`` for a document's source (the archive's citation and address when the TEI
    gives them, else the TEI's own title, publisher and address); its UUID."""
    if document is None:
        text, url = "Letters exported by tei-cable", ""
    elif document.source_url or document.source_citation:
        text = document.source_citation or document.title
        url = document.source_url
    else:
        parts = [document.title, *document.publishers[:1]]
        text, url = ". ".join(p.rstrip(".") for p in parts if p), document.url
    key = url or text
    if key in seen:
        return seen[key]
    value = bibl_uuid(url, text)
    seen[key] = value
    bibl = _sub(source_desc, "bibl", text, type="online")
    bibl.set(XML_ID, value)
    if url:
        _sub(bibl, "ref", url, target=url).tail = None
        bibl.text = f"{text} " if text else None
    return value


def _cited_bibl(source_desc: etree._Element, seen: dict[str, str], bibl: etree._Element) -> str:
    """A ``bibl`` the input's ``correspDesc/@source`` points to (a CMIF file as input): its
    text, type and address kept, its UUID kept when it has one."""
    from .teidoc import plain_text

    text = plain_text(bibl)
    url = next(
        (
            str(v).strip()
            for v in bibl.xpath(".//t:ref/@target | .//t:ptr/@target", namespaces={"t": TEI_NS})
            if str(v).strip().lower().startswith(("http://", "https://"))
        ),
        "",
    )
    key = f"{url} {text}"
    if key in seen:
        return seen[key]
    given = bibl.get(XML_ID) or ""
    value = given if _UUID.match(given) and given not in seen.values() else bibl_uuid(url, text)
    seen[key] = value
    kind = bibl.get("type") if bibl.get("type") in ("print", "online") else "online"
    node = _sub(source_desc, "bibl", text, type=kind)
    node.set(XML_ID, value)
    if url and url not in text:
        node.text = f"{text} "
        _sub(node, "ref", url, target=url)
    return value


def _corresp_desc(
    profile: etree._Element, document: TeiDocument, letter: Letter, bibl_id: str
) -> None:
    attrs = {}
    address = _letter_address(document, letter)
    if address:
        attrs["ref"] = address
    attrs["source"] = f"#{bibl_id}"
    desc = _sub(profile, "correspDesc", **attrs)
    for kind in ("sent", "received"):
        actions = letter.actions_of(kind) or []
        main = [a for a in actions if a.subtype != "cc"] or actions[:1]
        copies = [a for a in actions if a.subtype == "cc" and a not in main]
        _action(desc, kind, "", [p for a in main for p in a.agents], main)
        for copy in copies:
            if copy.agents:
                _action(desc, kind, "cc", copy.agents, [copy])


def _action(desc, kind: str, subtype: str, agents: list[Party], actions) -> None:
    node = _sub(desc, "correspAction", type=kind, **({"subtype": subtype} if subtype else {}))
    for party in agents or [Party("person", UNKNOWN)]:
        _name(node, "persName" if party.kind == "person" else "orgName", party)
    if subtype:
        return
    for action in actions:
        for place in action.places:
            _name(node, "placeName", place)
    dates = [d for a in actions for d in a.dates]
    for date in dates:
        _date(node, date)


def _name(parent, tag: str, party: Party) -> None:
    attrs = {}
    chosen = preferred(party.authorities, party.kind)
    if chosen is not None:
        attrs["ref"] = chosen.uri
    attrs.update(_certainty(party.cert, party.evidence))
    _sub(parent, tag, party.name, **attrs)


def _date(parent, date: DateValue) -> None:
    attrs = {}
    for name, value in date.attrs:
        cut = cmif_date(value)
        if cut:
            attrs[name] = cut
    if not attrs:
        return
    attrs.update(_certainty(date.cert, date.evidence))
    _sub(parent, "date", **attrs)


def _certainty(cert: str, evidence: str) -> dict[str, str]:
    attrs = {}
    if cert in ("low", "medium", "unknown"):
        attrs["cert"] = "low"
    if evidence in ("conjecture", "external"):
        attrs["evidence"] = "conjecture"
    return attrs


def _letter_address(document: TeiDocument, letter: Letter) -> str:
    """Where the letter can be read online: its own address if the TEI gives one, else the
    document's (a nested letter with its fragment), else its source's (where the whole
    document is). A description without a letter text of its own (a CMIF file as input)
    gets only its own address."""
    if letter.ref:
        return letter.ref
    if letter.element is None and len(document.letters) > 1:
        return ""
    if document.url:
        return (
            f"{document.url}#{letter.id}"
            if letter.parent and letter.element is not None
            else document.url
        )
    return document.source_url


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    node = etree.SubElement(parent, f"{T}{tag}", {k: v for k, v in attrs.items() if v})
    if text:
        node.text = text
    return node
