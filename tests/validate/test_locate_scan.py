"""The locator's scan for start tags finds what expat finds, or leaves it to expat."""

from __future__ import annotations

from array import array

import pytest
from lxml import etree

from tei_cable import locate
from tei_cable.xmlio import safe_parser

DOCUMENTS = [
    b"<a><b/><c x='1'>t<d/></c></a>",
    b'<?xml version="1.0"?>\n<!-- <not> --><a><![CDATA[<no/>]]><?pi <nor/>?><b>&lt;x</b></a>',
    b'<!DOCTYPE a [\n<!ELEMENT a ANY>\n<!-- <hidden> -->\n]>\n<a>\n  <b y="&gt;"/>\n</a>',
    "<a>\n<é attr='<'/>\n<ü/>\n</a>".replace("'<'", "'&lt;'").encode(),
]


def _expat_starts(data: bytes, root: etree._Element) -> array:
    found = locate.Locator(data, root)
    original = locate._start_tags
    locate._start_tags = lambda _data: None  # type: ignore[assignment]
    try:
        found._scan()
    finally:
        locate._start_tags = original
    assert found._starts is not None
    return found._starts


@pytest.mark.parametrize("data", DOCUMENTS)
def test_the_scan_finds_the_start_tags_expat_finds(data: bytes) -> None:
    root = etree.fromstring(data, safe_parser())
    scanned = locate._start_tags(data)
    assert scanned is not None
    assert list(scanned) == list(_expat_starts(data, root))
    assert len(scanned) == len(list(root.iter(etree.Element)))


def test_declared_entities_are_left_to_expat() -> None:
    data = b'<!DOCTYPE a [<!ENTITY e "text">]><a>&e;<b/></a>'
    assert locate._start_tags(data) is None
    root = etree.fromstring(data, safe_parser())
    assert locate.Locator(data, root).element(root.find("b")) == (1, 40)
