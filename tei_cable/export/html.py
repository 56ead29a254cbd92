"""An HTML reading view: one standalone page per document, nothing loaded from elsewhere.

The page has a metadata panel (date, source, holding archive, languages, abstract, licence,
a table of the letters with their senders, addressees and dates, and the persons, places and
organisations with links to their authority pages) and the text, in which:

- every letter quoted in another (``floatingText``) is an ``article`` inside the letter
  quoting it, indented with a rule and a tint, with a heading saying what it is;
- names are links to their authority page (VIAF, GND, GeoNames, Wikidata…; the entry in the
  entity list where the TEI gives no identifier), coloured by kind, described on hover;
- dates and times are ``time`` elements whose normalised value shows on hover;
- corrected readings (``choice``: ``corr``/``reg``/``expan``) are shown, the original
  (``sic``/``orig``/``abbr``) on hover and, for the whole page, with the "Show the original
  readings" switch (CSS only, no script);
- ``xml:lang`` becomes ``lang``, ``xml:id`` becomes ``id``.
"""

from __future__ import annotations

from importlib import resources

from lxml import etree

from .. import __version__
from .authority import preferred
from .dc import published
from .options import ExportOptions
from .teidoc import (
    NAME_TAGS,
    XML_ID,
    XML_LANG,
    DateValue,
    Entity,
    Letter,
    T,
    TeiDocument,
    date_value,
)

#: TEI element -> (HTML tag, class) for the simple cases
INLINE = {
    "roleName": ("span", "role"),
    "seg": ("span", "seg"),
    "idno": ("span", "idno"),
    "num": ("span", "num"),
    "measure": ("span", "measure"),
    "term": ("span", "term"),
    "title": ("cite", "title"),
    "q": ("span", "q"),
    "said": ("span", "q"),
    "mentioned": ("span", "mentioned"),
    "soCalled": ("span", "socalled"),
    "foreign": ("span", "foreign"),
    "emph": ("em", "emph"),
    "signed": ("span", "signed"),
    "salute": ("span", "salute"),
    "dateline": ("span", "dateline"),
    "address": ("span", "address"),
    "addrLine": ("span", "addrline"),
    "stamp": ("span", "stamp"),
    "gloss": ("span", "gloss"),
    "unclear": ("span", "unclear"),
    "add": ("ins", "add"),
    "del": ("del", "del"),
    "c": ("span", "c"),
    "w": ("span", "w"),
    "speaker": ("strong", "speaker"),
    "label": ("span", "label"),
}
BLOCK = {
    "opener": "opener",
    "closer": "closer",
    "postscript": "postscript",
    "byline": "byline",
    "docAuthor": "byline",
    "argument": "argument",
    "epigraph": "epigraph",
    "trailer": "trailer",
    "sp": "sp",
    "lg": "lg",
    "l": "l",
    "ab": "ab",
    "stage": "stage",
    "castList": "castlist",
    "castGroup": "castgroup",
    "castItem": "castitem",
    "titlePage": "titlepage",
    "docTitle": "doctitle",
    "titlePart": "titlepart",
    "docImprint": "docimprint",
    "figure": "figure",
}
HI = {
    "superscript": "sup",
    "sup": "sup",
    "subscript": "sub",
    "sub": "sub",
    "italic": "em",
    "italics": "em",
    "bold": "strong",
    "underline": "u",
    "strikethrough": "s",
}
SKIP = {
    "listPerson",
    "listPlace",
    "listOrg",
    "listBibl",
    "listEvent",
    "teiHeader",
    "standOff",
    "facsimile",
    "graphic",
    "media",
    "fw",
    "anchor",
    "index",
    "interpGrp",
    "linkGrp",
    "spanGrp",
}
CORRECTED = {"corr", "reg", "expan"}
ORIGINAL = {"sic", "orig", "abbr"}
READING_NAMES = {
    "corr": "corrected",
    "reg": "regularised",
    "expan": "expanded",
    "sic": "original",
    "orig": "original",
    "abbr": "abbreviated",
}
BLOCK_CHILDREN = {
    "p",
    "floatingText",
    "div",
    "list",
    "lg",
    "sp",
    "table",
    "opener",
    "closer",
    "ab",
    "figure",
    "head",
    "postscript",
    "l",
    "castList",
    "castGroup",
    "castItem",
    "titlePage",
    "docTitle",
    "titlePart",
}
KIND_LABEL = {"person": "person", "place": "place", "org": "organisation"}


def write_html(document: TeiDocument, options: ExportOptions) -> bytes:
    """The reading view of one document: a complete HTML5 page, UTF-8."""
    return Page(document, options).render()


class Page:
    """Builds the page of one document."""

    def __init__(self, document: TeiDocument, options: ExportOptions) -> None:
        self.doc = document
        self.options = options
        self.letters = {
            letter.element: letter for letter in document.letters if letter.element is not None
        }
        self.by_id = {letter.id: letter for letter in document.letters}
        self.entities: dict[str, Entity] = {}

    # -- the page

    def render(self) -> bytes:
        doc = self.doc
        html = etree.Element("html", lang=doc.language or "und")
        head = _sub(html, "head")
        _sub(head, "meta", charset="utf-8")
        _sub(head, "meta", name="viewport", content="width=device-width, initial-scale=1")
        _sub(head, "meta", name="generator", content=f"tei-cable {__version__}")
        _sub(head, "title", doc.title)
        _sub(
            head,
            "style",
            "\n" + resources.files(__package__).joinpath("html.css").read_text("utf-8"),
        )
        body = _sub(html, "body")
        header = _sub(body, "header")
        _sub(header, "h1", doc.title)
        row = _sub(body, "p", **{"class": "toggle-row"})
        label = _sub(row, "label")
        _sub(
            label, "input", type="checkbox", id="show-original"
        ).tail = " Show the original readings (before correction)"
        main = _sub(body, "main")
        text_section = etree.Element("section", **{"class": "text", "aria-labelledby": "tc-text"})
        _sub(text_section, "h2", "Text", id="tc-text")
        text = doc.root.find(f"{T}text")
        if text is not None:
            self.children(text, text_section, depth=0, block=True)
        main.append(self.metadata())
        main.append(text_section)
        footer = _sub(body, "footer")
        _sub(footer, "p", f"Made by tei-cable {__version__} from the TEI document {doc.name}.xml.")
        _indent_skeleton(html)
        return b"<!DOCTYPE html>\n" + etree.tostring(html, method="html", encoding="utf-8") + b"\n"

    def metadata(self) -> etree._Element:
        doc = self.doc
        section = etree.Element("section", **{"class": "about", "aria-labelledby": "tc-about"})
        _sub(section, "h2", "About this document", id="tc-about")
        dl = _sub(section, "dl", **{"class": "meta"})

        def row(label: str, value: str | etree._Element | None) -> None:
            if value is None or (isinstance(value, str) and not value):
                return
            _sub(dl, "dt", label)
            dd = _sub(dl, "dd")
            if isinstance(value, str):
                dd.text = value
            else:
                dd.append(value)

        if doc.date is not None:
            row("Date", self.time(doc.date, doc.date.text or doc.date.iso))
        if doc.source_citation or doc.source_url:
            span = etree.Element("span")
            span.text = doc.source_citation + (" " if doc.source_url else "")
            if doc.source_url:
                _sub(span, "a", doc.source_url, href=doc.source_url)
            row("Source", span)
        row("Held by", ", ".join(p for p in (doc.repository, doc.shelfmark) if p))
        row("Languages", "; ".join(label or code for code, label in doc.languages))
        row("Summary", doc.abstract)
        row("Funded by", "; ".join(doc.funders))
        row("Published by", "; ".join(doc.publishers))
        if self.options.base_url:
            span = etree.Element("span")
            for n, (label, extension) in enumerate((("TEI", ".xml"), ("JSON-LD", ".jsonld"))):
                link = _sub(
                    span, "a", label, href=published(self.options.base_url, doc.name, extension)
                )
                if n:
                    link.getprevious().tail = ", "
            row("This document as", span)
        licence, target = doc.licence
        if licence or target:
            span = etree.Element("span")
            span.text = licence + (" " if target and licence else "")
            if target:
                _sub(span, "a", target, href=target)
            row("Licence", span)
        if doc.letters:
            _sub(section, "h3", "Letters", id="tc-letters")
            table = _sub(section, "table", **{"class": "letters"})
            tr = _sub(_sub(table, "thead"), "tr")
            for label in ("Letter", "From", "To", "Copies to", "Sent", "Received"):
                _sub(tr, "th", label, scope="col")
            tbody = _sub(table, "tbody")
            for letter in doc.letters:
                tr = _sub(tbody, "tr")
                cell = _sub(tr, "td")
                label = self.letter_label(letter)
                if letter.element is not None and letter.element.get(XML_ID):
                    _sub(cell, "a", label, href=f"#{letter.element.get(XML_ID)}")
                else:
                    cell.text = label
                _sub(tr, "td", "; ".join(p.name for p in letter.parties("sent")))
                _sub(tr, "td", "; ".join(p.name for p in letter.parties("received")))
                _sub(tr, "td", "; ".join(p.name for p in letter.parties("received", cc=True)))
                for kind in ("sent", "received"):
                    td = _sub(tr, "td")
                    places = [p.name for p in letter.places(kind)]
                    if places:
                        td.text = ", ".join(places) + (" " if letter.dates(kind) else "")
                    for value in letter.dates(kind)[:1]:
                        td.append(self.time(value, readable(value.iso)))
        mentioned = self.all_entities()
        if mentioned:
            _sub(section, "h3", "Persons, places and organisations", id="tc-entities")
            ul = _sub(section, "ul", **{"class": "entities"})
            for entity in mentioned:
                li = _sub(ul, "li", id=_entity_anchor(entity))
                _sub(li, "strong", entity.name)
                li[-1].tail = f" ({KIND_LABEL.get(entity.kind, entity.kind)}"
                life = "–".join(v[:4] for v in (entity.birth, entity.death) if v)
                if life:
                    li[-1].tail += f", {life}"
                li[-1].tail += ")"
                if entity.description:
                    li[-1].tail += f": {entity.description}"
                for n, auth in enumerate(entity.authorities):
                    link = _sub(li, "a", auth.label, href=auth.page)
                    link.getprevious().tail = (link.getprevious().tail or "") + (
                        " · " if n else " — "
                    )
        return section

    def all_entities(self) -> list[Entity]:
        found: dict[str, Entity] = {}
        text = self.doc.root.find(f"{T}text")
        for entity in self.doc.mentions(text, nested=True) if text is not None else []:
            found.setdefault(entity.key, entity)
        for letter in self.doc.letters:
            for action in letter.actions:
                for party in action.agents + action.places:
                    if party.entity is not None and party.entity.name:
                        found.setdefault(party.entity.key, party.entity)
        return list(found.values())

    def letter_label(self, letter: Letter) -> str:
        kind = (letter.type or "letter").capitalize()
        return f"{kind} {letter.id}" if letter.id not in ("letter",) else kind

    def letter_heading(self, letter: Letter | None, element: etree._Element) -> str:
        if letter is None:
            kind = (element.get("type") or "text").capitalize()
            xml_id = element.get(XML_ID)
            return f"{kind} {xml_id}" if xml_id else kind
        text = self.letter_label(letter)
        senders = ", ".join(p.name for p in letter.parties("sent"))
        recipients = ", ".join(p.name for p in letter.parties("received"))
        if senders or recipients:
            text += f": {senders or 'unknown'} to {recipients or 'unknown'}"
        dates = letter.dates("sent")
        if dates and dates[0].iso:
            text += f", {readable(dates[0].iso)}"
        return text

    # -- the text

    def children(
        self, element: etree._Element, out: etree._Element, depth: int, block: bool
    ) -> None:
        _append_text(out, element.text)
        for child in element:
            if isinstance(child.tag, str):
                self.node(child, out, depth, block)
            _append_text(out, child.tail)

    def node(self, el: etree._Element, out: etree._Element, depth: int, block: bool) -> None:
        name = etree.QName(el).localname if el.tag.startswith(T) else ""
        if not name or name in SKIP:
            return
        letter = self.letters.get(el)
        if name == "floatingText" or (letter is not None and name in ("div", "text", "body")):
            self.letter(el, out, depth, letter, nested=name == "floatingText")
            return
        target = None
        if name in ("body", "front", "back", "group", "text"):
            target = _sub(out, "div", **{"class": name})
            self.children(el, target, depth, True)
        elif name == "div":
            target = _sub(out, "section", **{"class": f"div {el.get('type') or ''}".strip()})
            self.children(el, target, depth + 1, True)
        elif name == "head":
            level = min(6, max(3, 2 + depth))  # below the page's own h2 "Text"
            target = _sub(out, f"h{level}" if block else "strong", **{"class": "head"})
            self.children(el, target, depth, False)
        elif name == "p":
            tag = "div" if _has_block(el) or not block else "p"
            target = _sub(out, tag if block else "span", **{"class": "p"})
            self.children(el, target, depth, tag == "div")
        elif name == "quote":
            if _has_block(el):
                target = _sub(out, "blockquote" if block else "span", **{"class": "quoted"})
                self.children(el, target, depth, block)
            else:
                target = _sub(out, "span", **{"class": "quote"})
                self.children(el, target, depth, False)
        elif name == "note":
            self.note(el, out, depth, block)
            return
        elif name == "list":
            self.list(el, out, depth, block)
            return
        elif name == "table":
            target = _sub(out, "table" if block else "span", **{"class": "tei-table"})
            for row_el in el.findall(f"{T}row"):
                tr = _sub(target, "tr")
                for cell in row_el.findall(f"{T}cell"):
                    self.children(cell, _sub(tr, "td"), depth, False)
        elif name in BLOCK:
            target = _sub(out, "div" if block else "span", **{"class": BLOCK[name]})
            self.children(el, target, depth, block and _has_block(el))
        elif name == "lb":
            _sub(out, "br")
            return
        elif name == "pb":
            _sub(out, "span", **{"class": "pb", "role": "separator", "title": "page break"})
            return
        elif name == "milestone":
            if (el.get("rend") or "") == "rule" and block:
                _sub(out, "hr")
            return
        elif name == "hi":
            tags = [HI.get(r) for r in (el.get("rend") or "").split() if HI.get(r)]
            target = _sub(out, tags[0] if tags else "span", **{"class": "hi"})
            self.children(el, target, depth, False)
        elif name in NAME_TAGS_LOCAL:
            target = self.name(el, out)
            self.children(el, target, depth, False)
        elif name in ("date", "time"):
            value = date_value(el)
            target = self.time(value, None, el)
            out.append(target)
            self.children(el, target, depth, False)
        elif name == "choice":
            self.choice(el, out, depth)
            return
        elif name == "supplied":
            reason = el.get("reason")
            title = "supplied by the editor" + (f" ({reason})" if reason else "")
            target = _sub(out, "span", **{"class": "supplied", "title": title})
            self.children(el, target, depth, False)
        elif name == "gap":
            reason = el.get("reason") or "not transcribed"
            desc = el.find(f"{T}desc")
            target = _sub(out, "span", **{"class": "gap", "title": f"gap: {reason}"})
            target.text = _text(desc) if desc is not None else "…"
            return
        elif name in ("ref", "ptr"):
            href = (el.get("target") or "").split(" ")[0]
            if _in_link(out):
                href = ""  # a link inside a link is not HTML
            target = _sub(out, "a" if href else "span", **({"href": href} if href else {}))
            if name == "ptr" and not len(el) and not el.text:
                target.text = href
            self.children(el, target, depth, False)
        elif name in INLINE:
            tag, cls = INLINE[name]
            target = _sub(out, tag, **{"class": cls})
            self.children(el, target, depth, False)
        else:
            target = _sub(
                out, "div" if block and _has_block(el) else "span", **{"class": f"tei-{name}"}
            )
            self.children(el, target, depth, block and _has_block(el))
        _copy_global(el, target)

    def letter(self, el, out, depth: int, letter: Letter | None, *, nested: bool) -> None:
        classes = "letter nested" if nested else "letter"
        article = _sub(out, "article", **{"class": classes})
        xml_id = el.get(XML_ID)
        heading_id = f"tc-h-{xml_id}" if xml_id else None
        if heading_id:
            article.set("aria-labelledby", heading_id)
        level = min(6, 3 + depth)
        heading = _sub(
            article, f"h{level}", self.letter_heading(letter, el), **{"class": "letter-head"}
        )
        if heading_id:
            heading.set("id", heading_id)
        _copy_global(el, article)
        for child in el:
            if isinstance(child.tag, str) and child.tag in (
                f"{T}body",
                f"{T}front",
                f"{T}back",
                f"{T}group",
            ):
                self.children(child, article, depth + 1, True)
            elif isinstance(child.tag, str):
                self.node(child, article, depth + 1, True)
            _append_text(article, child.tail)

    def note(self, el, out, depth: int, block: bool) -> None:
        kind = el.get("type") or ""
        if block:
            target = _sub(out, "aside", **{"class": "note-block"})
            if kind:
                _sub(target, "span", kind.replace("-", " "), **{"class": "note-label"})
            self.children(el, target, depth, False)
        else:
            target = _sub(out, "span", **{"class": "note", "role": "note"})
            _append_text(target, " [")
            self.children(el, target, depth, False)
            _append_text(target, "]")
        _copy_global(el, target)

    def list(self, el, out, depth: int, block: bool) -> None:
        labelled = el.find(f"{T}label") is not None
        tag = "ul" if labelled or el.get("type") not in ("ordered",) else "ol"
        if not block:
            target = _sub(out, "span", **{"class": "list"})
        else:
            target = _sub(out, tag, **({"class": "labelled"} if labelled else {}))
        _copy_global(el, target)
        label = None
        for child in el:
            if not isinstance(child.tag, str):
                continue
            local = etree.QName(child).localname
            if local == "label":
                label = child
            elif local == "item":
                li = _sub(target, "li" if block else "span")
                if label is not None:
                    span = _sub(li, "span", **{"class": "label"})
                    self.children(label, span, depth, False)
                    span.tail = " "
                    label = None
                self.children(child, li, depth, block and _has_block(child))
                _copy_global(child, li)
            elif local == "head":
                self.node(child, out if block else target, depth, block)

    def name(self, el, out) -> etree._Element:
        kind = NAME_TAGS.get(el.tag) or {"person": "person", "place": "place", "org": "org"}.get(
            (el.get("type") or "").lower(), "person"
        )
        entity = self.doc.entity(el.get("ref"), kind, "") if el.get("ref") else None
        classes = f"entity {entity.kind if entity else kind}"
        if entity is not None and _in_link(out):
            return _sub(out, "span", **{"class": classes, "title": entity.name or ""})
        if entity is None:
            return _sub(
                out,
                "span",
                **{"class": classes, "title": f"{KIND_LABEL.get(kind, kind)}, not identified"},
            )
        chosen = preferred(entity.authorities, entity.kind) or (
            entity.authorities[0] if entity.authorities else None
        )
        href = chosen.page if chosen else f"#{_entity_anchor(entity)}"
        parts = [entity.name or "", KIND_LABEL.get(entity.kind, entity.kind)]
        life = "–".join(v[:4] for v in (entity.birth, entity.death) if v)
        if life:
            parts.append(life)
        parts += [a.label for a in entity.authorities]
        return _sub(
            out, "a", **{"class": classes, "href": href, "title": " · ".join(p for p in parts if p)}
        )

    def time(
        self, value: DateValue, text: str | None, el: etree._Element | None = None
    ) -> etree._Element:
        node = etree.Element("time")
        when = value.get("when")
        if when:
            node.set("datetime", when)
        title = readable(value.iso)
        notes = []
        if value.cert:
            notes.append(f"certainty: {value.cert}")
        if value.evidence == "internal":
            notes.append("inferred from the document")
        elif value.evidence:
            notes.append(f"evidence: {value.evidence}")
        if title:
            node.set("title", title + (f" ({', '.join(notes)})" if notes else ""))
        if text is not None:
            node.text = text
        return node

    def choice(self, el, out, depth: int) -> None:
        readings = [c for c in el if isinstance(c.tag, str)]
        corrected = next((c for c in readings if etree.QName(c).localname in CORRECTED), None)
        original = next((c for c in readings if etree.QName(c).localname in ORIGINAL), None)
        wrap = _sub(out, "span", **{"class": "choice"})
        if corrected is None or original is None:
            for child in readings:
                self.children(child, wrap, depth, False)
            return
        shown, hidden = _text(corrected), _text(original)
        a = _sub(
            wrap,
            "span",
            **{
                "class": "reading reading-corr",
                "title": f"{READING_NAMES[etree.QName(original).localname]}: {hidden}",
            },
        )
        self.children(corrected, a, depth, False)
        b = _sub(
            wrap,
            "span",
            **{
                "class": "reading reading-sic",
                "title": f"{READING_NAMES[etree.QName(corrected).localname]}: {shown}",
            },
        )
        self.children(original, b, depth, False)


def readable(iso: str) -> str:
    """An ISO date or date-time for people: ``1951-07-10 11:45``, ranges with "to"."""
    parts = []
    for value in iso.split("/"):
        day, _, clock = value.partition("T")
        if clock.endswith(":00") and clock.count(":") == 2:
            clock = clock[:-3]
        parts.append(f"{day} {clock}".strip())
    return " to ".join(p for p in parts if p)


NAME_TAGS_LOCAL = {etree.QName(tag).localname for tag in NAME_TAGS}


def _entity_anchor(entity: Entity) -> str:
    return f"entity-{''.join(c if c.isalnum() or c in '-_.' else '_' for c in entity.key)}"


def _in_link(out: etree._Element) -> bool:
    return out.tag == "a" or any(a.tag == "a" for a in out.iterancestors())


def _has_block(el: etree._Element) -> bool:
    for child in el.iter():
        if child is el or not isinstance(child.tag, str):
            continue
        if etree.QName(child).localname in BLOCK_CHILDREN:
            return True
    return False


def _text(el: etree._Element) -> str:
    return " ".join("".join(el.itertext()).split())


def _copy_global(el: etree._Element, target: etree._Element | None) -> None:
    if target is None:
        return
    if el.get(XML_LANG):
        target.set("lang", el.get(XML_LANG))
    if el.get(XML_ID) and target.get("id") is None:
        target.set("id", el.get(XML_ID))


def _append_text(out: etree._Element, text: str | None) -> None:
    if not text:
        return
    if len(out):
        out[-1].tail = (out[-1].tail or "") + text
    else:
        out.text = (out.text or "") + text


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    node = etree.SubElement(parent, tag, {k: v for k, v in attrs.items() if v is not None})
    if text:
        node.text = text
    return node


def _indent_skeleton(html: etree._Element) -> None:
    """Line breaks between the page's structural elements (never inside the text)."""
    for el in html.iter(
        "head",
        "body",
        "header",
        "main",
        "section",
        "footer",
        "dl",
        "table",
        "thead",
        "tbody",
        "tr",
        "ul",
    ):
        if el.tag == "section" and "text" in (el.get("class") or ""):
            continue
        for child in el:
            if not (child.tail or "").strip():
                child.tail = "\n"
        if not (el.text or "").strip():
            el.text = "\n"
