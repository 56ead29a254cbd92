"""Source positions (line and column) of elements, attributes and text in a parsed document.

lxml gives an element's line (the line where its start tag ends) but no column. A
:class:`Locator` re-reads the document's bytes with expat (only when a document has something
to report) and records where each start tag is, so every issue points at ``line:column``: the
``<`` of the element's start tag, the attribute's name, or the first character of a piece of
text (the Schematron engine places its findings the same way). Columns count characters,
from 1. The n-th start tag expat sees is the n-th element of lxml's tree; where the two could
disagree (entities that expand to elements, encodings expat does not read), positions fall
back to lxml's line and column 0 ("unknown").
"""

from __future__ import annotations

import bisect
import codecs
import re
from array import array
from xml.parsers import expat

from lxml import etree

from .namespaces import XML

_TAG_END = re.compile(rb"""[^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*>""")
_SPACE = re.compile(rb"[ \t\r\n]*")
#: an attribute in a start tag: its name, then its quoted value (skipped whole)
_ATTRIBUTE = re.compile(rb"""[ \t\r\n]([^ \t\r\n=/>]+)[ \t\r\n]*=[ \t\r\n]*(?:"[^"]*"|'[^']*')""")
#: document-order lookups by XPath before building a table of every element
_LOOKUPS_BEFORE_TABLE = 16


class Locator:
    """Positions in one document's source, computed from its bytes on first use."""

    def __init__(self, data: bytes, root: etree._Element, encoding: str | None = None) -> None:
        self._data = data
        self._root = root
        self._encoding = _python_encoding(encoding)
        self._starts: array | None = None  # byte offset of each start tag's "<"
        self._ends: array | None = None  # byte offset of each end tag's "<"
        self._index: dict[etree._Element, int] | None = None
        self._lookups = 0
        self._lines: list[int] | None = None  # byte offset where each line starts
        self._attribute_offsets: dict[int, dict[bytes, int]] = {}  # start tag -> name -> offset
        self._usable = _ascii_compatible(self._encoding)

    # -- public ----

    def element(self, element: etree._Element) -> tuple[int, int]:
        """Line and column of the ``<`` that starts the element's start tag."""
        offset = self._start_offset(element)
        if offset is None:
            return _fallback(element)
        return self._checked(element, offset)

    def attribute(self, element: etree._Element, qname: str) -> tuple[int, int]:
        """Line and column of the attribute's name in the element's start tag."""
        offset = self._start_offset(element)
        if offset is None:
            return _fallback(element)
        names = self._attribute_offsets.get(offset)
        if names is None:  # one scan of the start tag serves all its attributes
            tag = self._data[offset : self._tag_end(offset)]
            names = {}
            for found in _ATTRIBUTE.finditer(tag):
                names.setdefault(found.group(1), offset + found.start(1))
            self._attribute_offsets[offset] = names
        at = names.get(qname.encode("utf-8"))
        if at is None:
            return self._checked(element, offset)
        return self._position(at)

    def attribute_named(self, element: etree._Element, clark: str) -> tuple[int, int]:
        """Like :meth:`attribute`, for a name in Clark notation (``{ns}local``): the prefix
        is the one the element has in scope for that namespace."""
        if not clark.startswith("{"):
            return self.attribute(element, clark)
        ns, _, local = clark[1:].partition("}")
        if ns == XML:
            return self.attribute(element, f"xml:{local}")
        prefixes = [p for p, uri in element.nsmap.items() if uri == ns and p]
        for prefix in prefixes[:-1]:
            found = self._attribute_offset(element, f"{prefix}:{local}")
            if found is not None:
                return self._position(found)
        return self.attribute(element, f"{prefixes[-1]}:{local}" if prefixes else local)

    def _attribute_offset(self, element: etree._Element, qname: str) -> int | None:
        offset = self._start_offset(element)
        if offset is None:
            return None
        names = self._attribute_offsets.get(offset)
        if names is None:
            self.attribute(element, qname)
            names = self._attribute_offsets.get(offset, {})
        return names.get(qname.encode("utf-8"))

    def text(self, parent: etree._Element, child_index: int) -> tuple[int, int]:
        """Where the text before ``parent``'s element child ``child_index`` begins.

        ``child_index`` 0 is the text right after the start tag; ``n`` the text after the end
        of child ``n - 1`` (its tail). Leading whitespace is skipped.
        """
        if child_index == 0:
            offset = self._start_offset(parent)
            begin = None if offset is None else self._tag_end(offset)
        else:
            children = [c for c in parent if isinstance(c.tag, str)]
            begin = self._after(children[min(child_index, len(children)) - 1])
        if begin is None:
            return _fallback(parent)
        return self._position(_SPACE.match(self._data, begin).end())  # type: ignore[union-attr]

    # -- internals ----

    def _scan(self, ends: bool = False) -> None:
        """One expat pass: where each start tag (and, if asked, each end tag) is."""
        if not self._usable or (self._starts is not None and (self._ends is not None or not ends)):
            return
        if not ends and self._starts is None:
            found = _start_tags(self._data)
            if found is not None and len(found) == _count_elements(self._root):
                self._starts = found  # the same tags expat would find, without a callback each
                return
        starts = array("q")
        stack: list[int] = []
        end_offsets = array("q")
        parser = expat.ParserCreate()
        if ends:

            def start(_name: str, _attrs: object) -> None:
                stack.append(len(starts))
                starts.append(parser.CurrentByteIndex)
                end_offsets.append(-1)

            def end(_name: str) -> None:
                end_offsets[stack.pop()] = parser.CurrentByteIndex

            parser.StartElementHandler = start
            parser.EndElementHandler = end
        else:
            parser.StartElementHandler = lambda _n, _a: starts.append(parser.CurrentByteIndex)
        try:
            parser.Parse(self._data, True)
        except (expat.ExpatError, ValueError, LookupError):
            self._usable = False
        self._starts = starts
        if ends:
            self._ends = end_offsets

    def _element_index(self, element: etree._Element) -> int | None:
        """The element's number in document order (0 for the root)."""
        if self._index is None:
            self._lookups += 1
            if self._lookups <= _LOOKUPS_BEFORE_TABLE:
                if element.getroottree().getroot() is not self._root:
                    return None
                return int(element.xpath("count(preceding::*) + count(ancestor::*)"))
            self._index = {el: i for i, el in enumerate(self._root.iter(etree.Element))}
        return self._index.get(element)

    def _start_offset(self, element: etree._Element) -> int | None:
        self._scan()
        if not self._usable or self._starts is None:
            return None
        index = self._element_index(element)
        if index is None or index >= len(self._starts) or self._starts[index] < 0:
            return None
        return self._starts[index]

    def _after(self, element: etree._Element) -> int | None:
        """Byte offset just after the element's end tag (or its empty-element tag)."""
        self._scan(ends=True)
        offset = self._start_offset(element)
        index = self._element_index(element)
        if offset is None or index is None or self._ends is None or self._ends[index] < 0:
            return None
        start_end = self._tag_end(offset)
        if self._data[start_end - 2 : start_end] == b"/>":
            return start_end
        return self._tag_end(self._ends[index])

    def _tag_end(self, offset: int) -> int:
        """Byte offset just after the ``>`` closing the tag that starts at ``offset``."""
        found = _TAG_END.match(self._data, offset)
        return found.end() if found else offset

    def _position(self, offset: int) -> tuple[int, int]:
        data = self._data
        if self._lines is None:  # line starts, found once: each position is then a bisection
            ends = rb"\r\n|\n|\r" if b"\r" in data else rb"\n"
            self._lines = [0] + [m.end() for m in re.finditer(ends, data)]
        line = bisect.bisect_right(self._lines, offset)
        start = self._lines[line - 1]
        column = len(data[start:offset].decode(self._encoding, "replace")) + 1
        return line, column

    def _checked(self, element: etree._Element, offset: int) -> tuple[int, int]:
        """The position of a start tag, if libxml2's line for it (where it ends) agrees."""
        line, column = self._position(offset)
        if element.sourceline is not None and line != element.sourceline:
            end_line = self._position(self._tag_end(offset))[0]
            if not line <= element.sourceline <= end_line:
                return _fallback(element)
        return line, column


def locate(
    locator: Locator | None, element: etree._Element, attribute: str | None = None
) -> tuple[int, int]:
    """Where an element (or its attribute, a Clark name) is: from the source when there is a
    locator, else the element's line and column 0 (unknown)."""
    if locator is None:
        return _fallback(element)
    if attribute:
        return locator.attribute_named(element, attribute)
    return locator.element(element)


def _fallback(element: etree._Element) -> tuple[int, int]:
    return element.sourceline or 0, 0


def _ascii_compatible(encoding: str) -> bool:
    return not encoding.startswith(("utf-16", "utf-32", "utf_16", "utf_32"))


#: what may hide a ``<`` that starts no element (comments, CDATA, processing instructions,
#: the document type declaration), or the ``<`` of a start tag (group 1)
_MARKUP = re.compile(
    rb"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|<!DOCTYPE(?:[^\[>]|\[.*?\]\s*)*>|<([^/!?])",
    re.S,
)


def _start_tags(data: bytes) -> array | None:
    """Byte offsets of the ``<`` of every start tag, found by a scan of the bytes (``None``
    where anything unusual is declared: entities and the like are expat's to read)."""
    if b"<!ENTITY" in data:
        return None
    return array("q", (m.start() for m in _MARKUP.finditer(data) if m.group(1) is not None))


def _count_elements(root: etree._Element) -> int:
    return int(root.xpath("count(//*)"))


def _python_encoding(encoding: str | None) -> str:
    if not encoding:
        return "utf-8"
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return "utf-8"
