"""RELAX NG's grammar-level simplification: unsatisfiable elements and unreachable ones."""

from __future__ import annotations

from lxml import etree

from tei_cable.relaxng.read import read_rng
from tei_cable.relaxng.simplify import drop_unsatisfiable, reachable

GRAMMAR = """<grammar xmlns="http://relaxng.org/ns/structure/1.0">
  <start><ref name="doc"/></start>
  <define name="doc"><element name="doc">
    <choice><ref name="loop"/><ref name="p"/></choice><optional><ref name="loop"/></optional>
  </element></define>
  <define name="loop"><element name="loop"><ref name="loop"/></element></define>
  <define name="p"><element name="p"><text/></element></define>
  <define name="lost"><element name="lost"><empty/></element></define>
</grammar>"""


def test_unsatisfiable_elements_become_not_allowed_and_unreachable_ones_go() -> None:
    grammar = read_rng(etree.fromstring(GRAMMAR))
    assert set(grammar.elements) == {"doc", "loop", "p", "lost"}
    origins = {grammar.elements["doc"].kids[0].uid: "doc content"}
    elements, productive = drop_unsatisfiable(grammar.patterns, grammar.elements, origins)
    assert productive == {"doc", "p", "lost"}
    assert set(elements) == {"doc", "p", "lost"}
    # loop can never end: doc's content is p alone, the optional loop is gone
    content = elements["doc"].kids[0]
    assert content.kind == "ref" and content.data == ("p",)
    assert origins[content.uid] == "doc content"
    assert reachable(elements, ["doc"]) == {"doc", "p"}
    assert reachable(grammar.elements, ["doc"]) == {"doc", "loop", "p"}
    unchanged, every = drop_unsatisfiable(grammar.patterns, elements, {})
    assert unchanged is elements and every == set(elements)
