"""The XPath 2.0 constructs translated for libxml2 (node comparisons, ``castable as``, string
ordering, ``max``/``min`` of string values, tokens of several nodes, arguments that may be
several nodes, variables written in place or kept per document, name alternatives) give the
findings elementpath gives, on generated documents (Hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from schematron_findings import findings

from tei_cable.schematron.engine import SchematronValidator

XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
RULES = {
    "follows": "id(substring(@to, 2)) >> .",
    "precedes": "not(id(substring(@to, 2)) << .)",
    "castable": "empty((@when | @from)[not(. castable as xs:date or . castable as xs:gYear)])",
    "optional-cast": "@when castable as xs:gYearMonth?",
    "ordering": "substring(@when, 1, 4) le concat(@from, '')",
    "max": "empty(@when) or @when = max(//e/@when/string())",
    "min": "min(e/@from/string()) = @from or empty(e)",
    "tokens": "empty((@ref | @to)/tokenize(normalize-space(.), ' ')[starts-with(., '#')]"
    "[not(substring(., 2) = $ids)])",
    "single": "string-length(e/@when) lt 5",
    "names": "count(e/(@when | @from)) le 1 and exists(./(e | f))",
    "rebased": "empty($mine) or $mine = //e[@ref = $mine-ref]/@when",
    "memo": "not(@ref = $ids) or @when",
    "in-memo": "not(substring(@ref, 2) = $ids) or @when",
}
LETS = {
    "rebased": '<let name="mine-ref" value="@ref"/><let name="mine" value="(e/@when)[1]"/>',
}
SCHEMA = (
    '<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">'
    '<ns prefix="xs" uri="http://www.w3.org/2001/XMLSchema"/>'
    '<pattern id="with-ids"><let name="ids" value="//@xml:id"/>'
    + "".join(
        f"<rule context=\"e[@k = '{name}']\">{LETS.get(name, '')}"
        f'<assert test="{test.replace("<", "&lt;")}" id="{name}">{name} fails</assert></rule>'
        for name, test in RULES.items()
    )
    + "</pattern></schema>"
)


@pytest.fixture(scope="module")
def engines() -> tuple[SchematronValidator, SchematronValidator]:
    data = SCHEMA.encode()
    compiled = SchematronValidator(data)
    assert compiled.libxml2_pattern_count == 1  # every rule above translates
    return compiled, SchematronValidator(data, compiled=False)


VALUES = st.sampled_from(
    ["1950", "1950-02-29", "1952-02-29", "1950-05", "x", "", " 1951 ", "0000", "#a", "#b #c"]
)
POINTERS = st.one_of(
    st.sampled_from(["a", "b"]),
    st.lists(st.sampled_from(["#a", "#b", "#c", "#z", "a", "#"]), max_size=3).map(" ".join),
)


@st.composite
def documents(draw: st.DrawFn) -> bytes:
    ids = iter(["a", "b", "c", "d", "e", "f"])
    counter = [0]

    def element(depth: int) -> etree._Element:
        node = etree.Element(draw(st.sampled_from(["e", "e", "f"])))
        node.set("k", draw(st.sampled_from(sorted(RULES))))
        for attribute, values in (("when", VALUES), ("from", VALUES), ("ref", POINTERS)):
            if draw(st.booleans()):
                node.set(attribute, draw(values))
        if draw(st.booleans()):
            node.set("to", "#" + draw(st.sampled_from(["a", "b", "c", "z", "a b"])))
        if draw(st.booleans()):
            node.set(XML_ID, next(ids, f"n{counter[0]}"))
            counter[0] += 1
        if depth < 3:
            for _ in range(draw(st.integers(0, 3))):
                node.append(element(depth + 1))
        return node

    root = etree.Element("doc")
    for _ in range(draw(st.integers(1, 4))):
        root.append(element(0))
    return etree.tostring(root)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_libxml2_gives_elementpaths_findings(engines, data: bytes) -> None:
    compiled, elementpath_only = engines
    assert findings(compiled, data) == findings(elementpath_only, data)


def test_values_kept_per_document_are_compared_as_elementpath_compares_them(engines) -> None:
    compiled, elementpath_only = engines
    data = (
        b'<doc><e k="in-memo" ref="#a" xml:id="a"/><e k="memo" ref="a"/>'
        b'<e k="in-memo" ref="#b"/><e k="memo" ref="b"/></doc>'
    )
    found = findings(compiled, data)
    assert found == findings(elementpath_only, data)
    assert [(rule, line, column) for rule, line, column, _ in found] == [
        ("in-memo", 1, 6),
        ("memo", 1, 42),
    ]
