"""The one RELAX NG reader: section 4's simplifications into the one pattern algebra, and
matching by derivatives over it, checked against libxml2's verdicts."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from tei_cable.namespaces import XSD_DATATYPES
from tei_cable.relaxng.derivatives import Grammar
from tei_cable.relaxng.names import contains
from tei_cable.relaxng.read import GrammarError, read_defines, read_file, read_rng

R = 'xmlns="http://relaxng.org/ns/structure/1.0"'
XSD = f'datatypeLibrary="{XSD_DATATYPES}"'

BASE = f"""<grammar {R} ns="urn:base" {XSD}>
  <start><ref name="doc"/></start>
  <define name="doc">
    <element name="doc">
      <zeroOrMore><ref name="item"/></zeroOrMore>
      <optional><ref name="extra"/></optional>
    </element>
  </define>
  <define name="item">
    <element name="item"><attribute name="n"><data type="integer"/></attribute><text/></element>
  </define>
  <div>
    <define name="extra"><element name="note"><ref name="words"/></element></define>
    <define name="words"><text/></define>
  </div>
</grammar>"""

MAIN = f"""<grammar {R} xmlns:x="urn:x">
  <include href="base.rng">
    <define name="item">
      <element name="item"><attribute name="n"><value>one</value></attribute></element>
    </define>
  </include>
  <define name="words" combine="choice"><element name="x:w"><empty/></element></define>
  <define name="extra" combine="choice">
    <element><nsName ns="urn:x"><except><name>x:w</name></except></nsName><empty/></element>
  </define>
</grammar>"""


@pytest.fixture
def grammars(tmp_path: Path) -> Path:
    (tmp_path / "base.rng").write_text(BASE, encoding="utf-8")
    (tmp_path / "main.rng").write_text(MAIN, encoding="utf-8")
    return tmp_path


def _by_local(grammar) -> dict[str, list]:
    found: dict[str, list] = {}
    for pattern in grammar.elements.values():
        nc = pattern.data[0]
        found.setdefault(nc[2] if nc[0] == "name" else nc[0], []).append(pattern)
    return found


def test_include_overrides_div_combine_and_inherited_ns(grammars: Path) -> None:
    grammar = read_file(grammars / "main.rng")
    elements = _by_local(grammar)
    # ns and datatypeLibrary inherited from the included file's grammar element
    assert elements["doc"][0].data[0] == ("name", "urn:base", "doc")
    # the include's own item replaced the included one: a value, no text, no data
    (item,) = elements["item"]
    attribute = item.kids[0]
    assert attribute.kind == "attribute" and attribute.data[0] == ("name", "", "n")
    assert attribute.kids[0].kind == "value" and attribute.kids[0].data[3] == "one"
    # the define inside a div is combined with the main grammar's by choice
    (note,) = elements["note"]
    assert note.kids[0].kind == "choice"
    assert {k.kind for k in note.kids[0].kids} == {"text", "ref"}
    assert ("name", "urn:x", "w") in [e.data[0] for e in elements["w"]]
    # a name class with an exception, in the namespace it names
    (wild,) = elements["nsName"]
    nc = wild.data[0]
    assert nc == ("nsName", "urn:x", ("name", "urn:x", "w"))
    assert contains(nc, ("urn:x", "v")) and not contains(nc, ("urn:x", "w"))


def test_datatypes_come_from_the_inherited_library(tmp_path: Path) -> None:
    path = tmp_path / "base.rng"
    path.write_text(BASE, encoding="utf-8")
    grammar = read_file(path)
    (item,) = _by_local(grammar)["item"]
    data = item.kids[0].kids[0].kids[0]
    assert data.kind == "data" and data.data == ("integer", XSD_DATATYPES, ())
    # read from a tree already parsed, a grammar without includes reads the same
    same = read_rng(etree.parse(str(path)))
    assert sorted(same.elements) == sorted(grammar.elements) == ["doc", "extra", "item"]


def test_nested_grammar_parent_ref_and_external_ref(tmp_path: Path) -> None:
    (tmp_path / "leaf.rng").write_text(
        f'<element {R} name="leaf"><text/></element>', encoding="utf-8"
    )
    (tmp_path / "outer.rng").write_text(
        f"""<grammar {R} ns="urn:o">
          <start><element name="outer"><grammar>
            <start><element name="inner"><parentRef name="inside"/></element></start>
          </grammar></element></start>
          <define name="inside"><externalRef href="leaf.rng"/></define>
        </grammar>""",
        encoding="utf-8",
    )
    elements = _by_local(read_file(tmp_path / "outer.rng"))
    # the external file inherits the ns of the place that refers to it
    assert elements["leaf"][0].data[0] == ("name", "urn:o", "leaf")
    assert elements["inner"][0].kids[0].kind == "ref"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (f'<grammar {R}><start><element name="p:a"><empty/></element></start></grammar>', "prefix"),
        (f'<grammar {R}><start><ref name="nowhere"/></start></grammar>', "undefined"),
        (
            f'<grammar {R}><start><ref name="a"/></start><define name="a"><ref name="a"/>'
            "</define></grammar>",
            "itself",
        ),
        (f'<grammar {R}><start><include href="x.rng"/></start></grammar>', "unsupported"),
        (f'<grammar {R}><define name="a"><empty/></define></grammar>', "without start"),
    ],
)
def test_what_the_reader_refuses(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.rng"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GrammarError, match=message):
        read_file(path)


def test_a_file_that_includes_itself(tmp_path: Path) -> None:
    path = tmp_path / "loop.rng"
    path.write_text(f'<grammar {R}><include href="loop.rng"/></grammar>', encoding="utf-8")
    with pytest.raises(GrammarError, match="includes itself"):
        read_file(path)


def _matches(grammar: Grammar, root: etree._Element) -> bool:
    """A document's verdict by derivatives alone (no recovery)."""
    D = grammar.patterns

    def element(p, el):
        qn = etree.QName(el)
        p = D.start_tag_open(p, (qn.namespace or "", qn.localname))
        for name, value in el.items():
            q = etree.QName(name)
            p = D.attribute_deriv(p, (q.namespace or "", q.localname), value)
        p = D.start_tag_close(p)
        kids = [k for k in el if isinstance(k.tag, str)]
        if kids:
            for kid in kids:
                p = element(p, kid)
        else:
            text = el.text or ""
            q = D.text_deriv(p, text)
            p = D.choice(p, q) if not text.strip() else q
        return D.end_tag(p)

    return element(grammar.start, root).nullable


DOCUMENTS = [
    '<doc xmlns="urn:base"/>',
    '<doc xmlns="urn:base"><item n="one"/><item n="one"/></doc>',
    '<doc xmlns="urn:base"><item n="two"/></doc>',
    '<doc xmlns="urn:base"><item/></doc>',
    '<doc xmlns="urn:base"><item n="one">text</item></doc>',
    '<doc xmlns="urn:base"><note>words</note></doc>',
    '<doc xmlns="urn:base"><note><w xmlns="urn:x"/></note></doc>',
    '<doc xmlns="urn:base"><note><v xmlns="urn:x"/></note></doc>',
    '<doc xmlns="urn:base"><v xmlns="urn:x"/></doc>',
    '<doc xmlns="urn:base"><w xmlns="urn:x"/></doc>',
    '<doc xmlns="urn:base"><v xmlns="urn:x"/><item n="one"/></doc>',
    '<doc><item n="one"/></doc>',
]


def test_derivatives_agree_with_libxml2(grammars: Path) -> None:
    grammar = Grammar(grammars / "main.rng")
    libxml2 = etree.RelaxNG(etree.parse(str(grammars / "main.rng")))
    verdicts = []
    for text in DOCUMENTS:
        root = etree.fromstring(text)
        ours = _matches(grammar, root)
        assert ours == libxml2.validate(root), text
        verdicts.append(ours)
    assert verdicts.count(True) >= 4 and verdicts.count(False) >= 4


def test_the_defines_of_a_module_with_a_resolver(grammars: Path) -> None:
    """What the ODD compiler reads of an external module: defines by name, in order, the
    include's own replacing the included ones, found through the resolver it is given."""
    asked = []

    def resolve(href: str, base: str) -> tuple[Path, str]:
        asked.append((href, base))
        return grammars / href, "urn:base-of-" + href

    defines = read_defines(grammars / "main.rng", "urn:main", resolve=resolve)
    assert asked == [("base.rng", "urn:main")]
    assert list(defines) == ["doc", "extra", "words", "item"]
    (item,) = defines["item"]
    assert item.getparent().tag.endswith("include")  # the override, not base.rng's
    assert [d.get("combine") for d in defines["words"]] == [None, "choice"]
    with pytest.raises(GrammarError, match="not a RELAX NG grammar"):
        (grammars / "leaf.rng").write_text(f'<element {R} name="a"><empty/></element>')
        read_defines(grammars / "leaf.rng", str(grammars))
