"""A small builder for TEI elements: ``E("p", {"n": "1"}, "text", child, …)``."""

from __future__ import annotations

from lxml import etree

from ...namespaces import TEI

XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def E(tag: str, attrs: dict[str, str | None] | None = None, *children: object) -> etree._Element:
    """A TEI element with attributes (``None`` values left out) and children (text or elements)."""
    element = etree.Element(f"{{{TEI}}}{tag}", nsmap={None: TEI})
    for key, value in (attrs or {}).items():
        if value is not None and value != "":
            element.set(key, value)
    append(element, *children)
    return element


def append(parent: etree._Element, *children: object) -> etree._Element:
    """Append text and elements in order, merging adjacent text as lxml stores it."""
    for child in children:
        if child is None:
            continue
        if isinstance(child, (list, tuple)):
            append(parent, *child)
        elif isinstance(child, str):
            add_text(parent, child)
        else:
            parent.append(child)  # type: ignore[arg-type]
    return parent


def add_text(parent: etree._Element, text: str) -> None:
    """Add text at the end of ``parent`` (its text, or the tail of its last child)."""
    if not text:
        return
    last = next(parent.iterchildren(reversed=True), None)  # len() would count every child
    if last is not None:
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text
