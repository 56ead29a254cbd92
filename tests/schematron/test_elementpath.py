"""elementpath, which the Schematron engine builds on, is a version pyproject.toml allows,
and has the classes and behaviour the engine relies on."""

from __future__ import annotations

import re
from importlib.metadata import version
from pathlib import Path

import elementpath
from conftest import REPO
from lxml import etree

from tei_cable.schematron.xpath import make_parser


def _declared_range() -> tuple[tuple[int, ...], tuple[int, ...]]:
    text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    found = re.search(r'"elementpath>=([\d.]+),<([\d.]+)"', text)
    assert found, "elementpath is declared with a lower and an upper bound"
    low, high = (tuple(int(n) for n in part.split(".")) for part in found.groups())
    return low, high


def test_the_installed_elementpath_is_in_the_declared_range() -> None:
    low, high = _declared_range()
    installed = tuple(int(n) for n in re.findall(r"\d+", version("elementpath"))[:3])
    assert low <= installed[: len(low)] and installed[: len(high)] < high, installed


def test_the_node_tree_and_parsers_the_engine_uses_are_there() -> None:
    from elementpath.xpath_nodes import AttributeNode, DocumentNode, ElementNode, TextNode

    tree = etree.ElementTree(etree.fromstring('<a xmlns="urn:x" n="1"><b>t</b></a>'))
    document = elementpath.get_node_tree(tree)
    assert isinstance(document, DocumentNode)
    root = document.getroot()
    assert isinstance(root, ElementNode) and root.elem is tree.getroot()
    assert isinstance(root.attributes[0], AttributeNode)
    assert isinstance(root.children[0].children[0], TextNode)
    for binding in ("xslt", "xslt2", "xslt3"):
        parser = make_parser(binding, {"x": "urn:x"})
        token = parser.parse("count(//x:b) = 1 and @n = '1'")
        context = elementpath.XPathContext(document, item=root)
        assert token.evaluate(context) is True
    assert Path(elementpath.__file__).is_file()
