"""Reading a document for validation: safely, with XML's own errors reported as issues.

:func:`load` never raises for a bad document: whatever is wrong with it (not well-formed, not
XML at all, an external DTD or entity it asks for, entity expansion past libxml2's limits, a
repeated ``xml:id``) becomes an :class:`~tei_cable.findings.Issue` of the ``xml`` engine,
with the parser's position. Only an unreadable path raises :class:`InputError`. Nothing a
document points to is ever read, and nothing is fetched from the network.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from ..diagnostics import InputError
from ..findings import Issue
from ..xmlio import XML_NS, safe_parser

if TYPE_CHECKING:
    from ..locate import Locator

XML_ID = f"{{{XML_NS}}}id"
_SNIFF = 4096


@dataclass
class Document:
    """A parsed document (``tree`` is ``None`` when it could not be parsed) and its XML issues."""

    name: str
    tree: etree._ElementTree | None
    issues: list[Issue] = field(default_factory=list)
    source: bytes | Path | None = None
    encoding: str | None = None
    _locator: Locator | None = field(default=None, repr=False)

    @property
    def data(self) -> bytes | None:
        """The document's bytes (read again from its file on first use), if it has a source."""
        if isinstance(self.source, Path):
            try:
                self.source = _read(self.source, self.name)
            except InputError:  # gone since it was parsed: positions fall back to lines
                self.source = None
        return self.source

    @property
    def locator(self) -> Locator | None:
        """Positions in the source; ``None`` for a tree given without its source."""
        if self._locator is None and self.tree is not None:
            data = self.data
            if data is not None:
                from ..locate import Locator  # only for a document with something to place

                self._locator = Locator(data, self.tree.getroot(), self.encoding)
        return self._locator

    def element_position(self, element: etree._Element) -> tuple[int, int]:
        """Line and column of an element (just after its start tag)."""
        locator = self.locator
        return locator.element(element) if locator else (element.sourceline or 0, 0)

    def attribute_position(self, element: etree._Element, qname: str) -> tuple[int, int]:
        """Line and column of an attribute's name (``qname`` as written, e.g. ``xml:id``)."""
        locator = self.locator
        return locator.attribute(element, qname) if locator else (element.sourceline or 0, 0)

    def text_position(self, parent: etree._Element, child_index: int) -> tuple[int, int]:
        """Where the text before ``parent``'s element child ``child_index`` starts."""
        locator = self.locator
        return locator.text(parent, child_index) if locator else (parent.sourceline or 0, 0)


def load(source: str | os.PathLike[str] | bytes, name: str | None = None) -> Document:
    """Parse a file (path) or its bytes for validation.

    Raises :class:`InputError` only when a path cannot be read (missing, a folder, no
    permission): every problem with the content is an issue of the returned document.
    """
    if isinstance(source, bytes):
        data: bytes | None = source
        path: Path | None = None
        display = name or "-"
        head = source[:_SNIFF]
    else:
        path = Path(source)
        display = name or os.fspath(source)
        data = None
        head = _read(path, display, limit=_SNIFF)
    sniffed = _sniff(head)
    if sniffed is not None:
        return Document(display, None, [sniffed])
    parser = safe_parser()
    id_errors: list[etree._LogEntry] = []
    try:
        tree = _parse(parser, data, path)
    except etree.XMLSyntaxError as exc:
        if not _only_id_errors(parser.error_log):
            return Document(display, None, [_syntax_issue(exc, head, parser.error_log)])
        # a repeated or malformed xml:id: report it, and still check the rest of the document
        parser = safe_parser(recover=True)
        tree = _parse(parser, data, path)
        id_errors = [e for e in parser.error_log if e.type_name in _ID_ERRORS]
    except OSError as exc:
        if len(parser.error_log):  # lxml reports bad encodings in a file as read errors
            return Document(display, None, [_syntax_issue(None, head, parser.error_log)])
        raise InputError(f"cannot read: {exc.strerror or exc}", path=display) from None
    issues = _dtd_issues(tree, parser, data if data is not None else head)
    if issues is None:  # internal entities in use: parse again expanding them
        try:
            tree = _parse(safe_parser(internal_entities=True), data, path)
        except etree.XMLSyntaxError as exc:
            return Document(display, None, [_syntax_issue(exc, head)])
        issues = []
    document = Document(
        display, tree, issues, data if data is not None else path, tree.docinfo.encoding
    )
    if id_errors:
        document.issues.extend(id_issues(document))
        for entry in id_errors:
            if entry.type_name == "DTD_XMLID_VALUE":
                value = entry.message.partition("attribute value ")[2].partition(" is not")[0]
                document.issues.append(
                    Issue(
                        entry.line,
                        entry.column,
                        "error",
                        f'xml:id "{value}" is not an NCName (an XML name without colons)',
                        "xml",
                        "invalid-id",
                    )
                )
    return document


def from_tree(tree: etree._ElementTree | etree._Element, name: str = "<tree>") -> Document:
    """A document for an already parsed tree (positions are lines only, columns 0)."""
    if isinstance(tree, etree._Element):
        tree = tree.getroottree()
    document = Document(name, tree)
    document.issues.extend(id_issues(document))
    return document


_ID_ERRORS = {"DTD_ID_REDEFINED", "DTD_XMLID_VALUE"}


def _only_id_errors(log: etree._ListErrorLog) -> bool:
    serious = [e for e in log if e.level >= etree.ErrorLevels.ERROR]
    return bool(serious) and all(e.type_name in _ID_ERRORS for e in serious)


def id_issues(document: Document) -> list[Issue]:
    """XML's own rule for ``xml:id``: each value is used once in a document."""
    assert document.tree is not None
    seen: dict[str, etree._Element] = {}
    issues = []
    for value in document.tree.xpath("//@xml:id"):
        element = value.getparent()
        first = seen.setdefault(str(value), element)
        if first is element:
            continue
        line, column = document.attribute_position(element, "xml:id")
        issues.append(
            Issue(
                line,
                column,
                "error",
                f'duplicate xml:id "{value}" (first used on line {first.sourceline})',
                "xml",
                "duplicate-id",
            )
        )
    return issues


# -- reading and parsing ----


def _read(path: Path, display: str, limit: int = -1) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read(limit)
    except IsADirectoryError:
        raise InputError("is a folder, not a file", path=display) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=display) from None


def _parse(parser: etree.XMLParser, data: bytes | None, path: Path | None) -> etree._ElementTree:
    if data is not None:
        return etree.fromstring(data, parser).getroottree()
    assert path is not None
    return etree.parse(os.fsencode(path), parser)  # bytes: a name need not be UTF-8


def _sniff(head: bytes) -> Issue | None:
    """Content that is plainly not XML, named before the parser gives a vaguer message."""
    if not head:
        return Issue(1, 1, "fatal", "empty file: not an XML document", "xml", "not-xml")
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00")):
        return None  # UTF-16/32 with a byte order mark
    if head[:2] in (b"<\x00", b"\x00<"):
        return None  # UTF-16 without one
    if b"\x00" in head:
        return Issue(1, 1, "fatal", "binary data: not an XML document", "xml", "not-xml")
    return None


_LIMITS = (
    ("Excessive depth in document", "elements nested too deeply (more than 256 levels)"),
    ("Text node too long", "text node too long (more than 10,000,000 characters)"),
    ("entity amplification", "entity expansion too large (an entity expansion attack?)"),
    ("Detected an entity reference loop", "entity reference loop"),
)


def _syntax_issue(
    exc: etree.XMLSyntaxError | None, head: bytes, log: etree._ListErrorLog | None = None
) -> Issue:
    line, column = exc.position if exc is not None and exc.position else (1, 1)
    message = _strip_position(exc.msg if exc is not None and exc.msg else "not well-formed")
    entries = list(log or ())
    fatal = [e for e in entries if e.level >= etree.ErrorLevels.FATAL] or (
        [e for e in entries if e.level >= etree.ErrorLevels.ERROR] if exc is None else []
    )
    if fatal:  # the first error that stopped the parser, not an xml:id complaint before it
        line, column, message = fatal[0].line, fatal[0].column, fatal[0].message.strip()
    for needle, plain in _LIMITS:
        if needle in message:
            message = f"{plain}; refused"
            break
    else:
        if "Invalid bytes in character encoding" in message or "not proper UTF-8" in message:
            message += " (the bytes do not match the document's encoding: UTF-8 unless the XML "
            message += "declaration names another)"
        elif "Premature end of data" in message:
            message += " (the file ends before the document does: truncated?)"
        message = f"not well-formed: {message}"
        if re.match(rb"\s*(<!--.*?-->\s*)*<(!DOCTYPE\s+html|html)[\s>]", head, re.I | re.S):
            message += " (this looks like HTML, not XML)"
    return Issue(line or 1, column or 1, "fatal", message, "xml", "not-well-formed")


def _strip_position(message: str) -> str:
    """libxml2 messages end in ', line N, column M'; the position is reported separately."""
    return re.sub(r",? line \d+, column \d+$", "", message.strip())


def _dtd_issues(
    tree: etree._ElementTree, parser: etree.XMLParser, head: bytes
) -> list[Issue] | None:
    """Errors for what the DOCTYPE asks to read; ``None`` if internal entities need expanding."""
    docinfo = tree.docinfo
    dtd = docinfo.internalDTD
    if dtd is None and not docinfo.system_url and not docinfo.public_id:
        return []
    line, column = _doctype_position(head)
    issues: list[Issue] = []
    if docinfo.system_url or docinfo.public_id:
        what = f'SYSTEM "{docinfo.system_url}"' if docinfo.system_url else ""
        if docinfo.public_id:
            what = f'PUBLIC "{docinfo.public_id}"' + (f' "{docinfo.system_url}"' if what else "")
        issues.append(
            Issue(
                line,
                column,
                "error",
                f"external DTD {what} not read: tei-cable never reads a file or URL "
                "a document points to",
                "xml",
                "external-dtd",
            )
        )
    external: dict[str, str] = {}
    internal: set[str] = set()
    parameter = {m.decode("utf-8", "replace") for m in re.findall(rb"<!ENTITY\s+%\s+(\S+)", head)}
    for entity in dtd.iterentities() if dtd is not None else ():
        if entity.system_url is None:
            internal.add(entity.name)
        elif entity.name in parameter:
            name, url = entity.name, entity.system_url
            issues.append(
                Issue(
                    line,
                    column,
                    "error",
                    f'external parameter entity "%{name};" '
                    f'(SYSTEM "{url}") not read: tei-cable never reads a file or URL '
                    "a document points to",
                    "xml",
                    "external-entity",
                )
            )
        elif entity.content is None:  # an unparsed (NDATA) entity is only a name
            external[entity.name] = entity.system_url
    used_internal = False
    reported: set[str] = set()
    for ref in tree.getroot().iter(etree.Entity):
        name = ref.name
        if name in external and name not in reported:
            issues.append(
                Issue(
                    ref.sourceline or line,
                    0,
                    "error",
                    f'external entity "{name}" '
                    f'(SYSTEM "{external[name]}") not read: tei-cable never reads a '
                    "file or URL a document points to",
                    "xml",
                    "external-entity",
                )
            )
            reported.add(name)
        elif name in internal:
            used_internal = True
    undeclared: dict[str, list[tuple[int, int]]] = {}
    for entry in parser.error_log:
        found = re.match(r"Entity '([^']+)' not defined", entry.message)
        if entry.type_name == "WAR_UNDECLARED_ENTITY" and found:
            undeclared.setdefault(found.group(1), []).append((entry.line, entry.column))
    for name, places in undeclared.items():
        more = f" ({len(places)} uses)" if len(places) > 1 else ""
        issues.append(
            Issue(
                *places[0],
                "error",
                f'entity "{name}" is not declared in the '
                f"document{more}; an external DTD is not read",
                "xml",
                "undeclared-entity",
            )
        )
    if used_internal and not issues:
        return None
    return issues


def _doctype_position(head: bytes) -> tuple[int, int]:
    found = head.find(b"<!DOCTYPE")
    if found < 0:
        return 1, 1
    before = head[:found]
    line = before.count(b"\n") + 1
    return line, len(before) - (before.rfind(b"\n") + 1) + 1
