"""Line and column of an element or attribute in the source text of a parsed document.

libxml2 records only the line of each element's start tag (``sourceline``). Columns come
from the source itself: one pass of a regular expression over the decoded text finds every
start tag in document order (skipping comments, CDATA sections, processing instructions and
the DOCTYPE, the only places where ``<`` is not markup), and the n-th start tag is the n-th
element of the tree. The pass is checked against libxml2's line numbers; if anything
disagrees (entities that expand to elements, a tree changed after parsing), columns are
reported as 1 and lines come from ``sourceline`` alone.
"""

from __future__ import annotations

import bisect
import re

from lxml import etree

_MARKUP = re.compile(
    r"<!--.*?-->"
    r"|<!\[CDATA\[.*?\]\]>"
    r"|<\?.*?\?>"
    r"|<!DOCTYPE(?:[^\[>]|\[.*?\])*>"
    r"|</[^>]*>"
    r"|<(?P<tag>[^\s/>!?][^\s/>]*)(?P<attrs>(?:[^>\"']|\"[^\"]*\"|'[^']*')*)>",
    re.DOTALL,
)
_ATTR = re.compile(r"\s(?P<name>[^\s=]+)\s*=\s*(?:\"[^\"]*\"|'[^']*')")


class SourceLocator:
    """Maps elements (and their attributes) of ``root`` to 1-based (line, column)."""

    def __init__(self, source: bytes, root: etree._Element, encoding: str | None) -> None:
        self._starts: dict[etree._Element, tuple[int, str, int]] = {}
        self._line_starts: list[int] = []
        self._text = ""
        try:
            text = source.decode(encoding or "utf-8", errors="replace")
        except LookupError:
            text = source.decode("utf-8", errors="replace")
        text = text.lstrip("\ufeff")
        self._text = text
        line_starts = [0]
        line_starts.extend(m.end() for m in re.finditer(r"\r\n|\r|\n", text))
        self._line_starts = line_starts
        elements = [e for e in root.iter() if isinstance(e.tag, str)]
        tags = [m for m in _MARKUP.finditer(text) if m.group("tag")]
        if len(tags) != len(elements):
            return
        starts: dict[etree._Element, tuple[int, str, int]] = {}
        for element, match in zip(elements, tags, strict=True):
            line = bisect.bisect_right(line_starts, match.start())
            if (
                element.sourceline is not None
                and element.sourceline != line
                and not _line_in_tag(line_starts, match, element.sourceline)
            ):
                return
            starts[element] = (match.start(), match.group("attrs"), match.start("attrs"))
        self._starts = starts

    @property
    def usable(self) -> bool:
        """False when the source and the tree disagree; columns are then unknown."""
        return bool(self._starts)

    def _position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1

    def element(self, element: etree._Element) -> tuple[int, int] | None:
        """(line, column) of the ``<`` that starts the element's start tag."""
        found = self._starts.get(element)
        return None if found is None else self._position(found[0])

    def attribute(self, element: etree._Element, qname: str) -> tuple[int, int] | None:
        """(line, column) of the attribute's name in the start tag (``qname`` as in Clark
        notation); the element's position if it is not found."""
        found = self._starts.get(element)
        if found is None:
            return None
        _, attrs, attrs_offset = found
        ns, _, local = qname[1:].rpartition("}") if qname.startswith("{") else ("", "", qname)
        for match in _ATTR.finditer(attrs):
            name = match.group("name")
            prefix, _, name_local = name.rpartition(":")
            if name_local != local:
                continue
            if not ns and not prefix:
                return self._position(attrs_offset + match.start("name"))
            if (
                ns
                and prefix
                and (
                    element.nsmap.get(prefix) == ns
                    or (prefix == "xml" and ns.endswith("XML/1998/namespace"))
                )
            ):
                return self._position(attrs_offset + match.start("name"))
        return self._position(found[0])


def _line_in_tag(line_starts: list[int], match: re.Match[str], line: int) -> bool:
    """libxml2 may give the line where a multi-line start tag ends; accept any line inside."""
    first = bisect.bisect_right(line_starts, match.start())
    last = bisect.bisect_right(line_starts, match.end() - 1)
    return first <= line <= last
