"""Dublin Core: one ``oai_dc`` record per document, as OAI-PMH harvesters take it in.

The record is valid against OAI's ``oai_dc.xsd``. What goes where:

=============== ==========================================================================
``title``       the TEI title (``titleStmt/title``, the main one first)
``creator``     the authors in ``titleStmt``, else the senders of the document's outer letter
``contributor`` the editors (``titleStmt/editor``, ``respStmt`` names, software left out)
``subject``     the ``textClass`` keywords
``description`` the ``abstract``
``publisher``   ``publicationStmt/publisher`` and ``distributor``, else ``--publisher``
``date``        ``creation/date`` (or the outer letter's date sent) as W3C-DTF
``type``        ``Text`` (DCMI Type) and the letter's kind (``cable``, ``letter``…)
``format``      ``application/tei+xml``
``identifier``  where the TEI is published (``--base-url`` + name), its own address
``source``      the cited source, its address, its repository and shelfmark
``language``    the text's language (``text/@xml:lang``), else ``langUsage``
``rights``      the licence and its address
=============== ==========================================================================
"""

from __future__ import annotations

from urllib.parse import quote

from lxml import etree

from ..xmlio import XML_NS, serialize
from .options import ExportOptions
from .teidoc import TeiDocument

OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{OAI_DC} http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
TEI_MEDIA_TYPE = "application/tei+xml"


def dc_element(document: TeiDocument, options: ExportOptions) -> etree._Element:
    """The ``oai_dc:dc`` element for a document (for embedding in an OAI-PMH response)."""
    root = etree.Element(f"{{{OAI_DC}}}dc", nsmap={"oai_dc": OAI_DC, "dc": DC, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", SCHEMA_LOCATION)
    lang = document.lang

    def add(name: str, value: str, *, langed: bool = False) -> None:
        value = " ".join(value.split())
        if value:
            node = etree.SubElement(root, f"{{{DC}}}{name}")
            node.text = value
            if langed and lang:
                node.set(f"{{{XML_NS}}}lang", lang)

    add("title", document.title, langed=True)
    outer = next((letter for letter in document.letters if letter.parent is None), None)
    creators = document.authors or (
        [p.name for p in outer.parties("sent")] if outer is not None else []
    )
    for name in _unique(creators):
        add("creator", name)
    for name in document.keywords:
        add("subject", name, langed=True)
    add("description", document.abstract, langed=True)
    for name in document.publishers or ([options.publisher] if options.publisher else []):
        add("publisher", name)
    for name in document.editors:
        add("contributor", name)
    if document.date is not None:
        add("date", document.date.iso)
    add("type", "Text")
    if outer is not None and outer.type:
        add("type", outer.type)
    add("format", TEI_MEDIA_TYPE)
    identifiers = []
    if options.base_url:
        identifiers.append(published(options.base_url, document.name, ".xml"))
    if document.url:
        identifiers.append(document.url)
    for value in _unique(identifiers):
        add("identifier", value)
    add("source", document.source_citation)
    add("source", document.source_url)
    holding = ", ".join(p for p in (document.repository, document.shelfmark) if p)
    if holding and holding not in document.source_citation:
        add("source", holding)
    languages = [lang] if lang else [code for code, _ in document.languages]
    for code in _unique(languages):
        add("language", code)
    text, target = document.licence
    add("rights", text)
    if target and target not in text:
        add("rights", target)
    return root


def write_dc(document: TeiDocument, options: ExportOptions) -> bytes:
    """A standalone ``oai_dc`` record for one document."""
    root = dc_element(document, options)
    etree.indent(root, space="  ")
    return serialize(root)


def published(base_url: str, name: str, extension: str) -> str:
    """The address of a document's file under ``base_url``."""
    return f"{base_url.rstrip('/')}/{quote(name)}{extension}"


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))
