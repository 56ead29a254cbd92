"""The encoding manual (`schema doc`): what it says, that it is current for tei_cable.odd,
and that a real browser renders it with every link resolving."""

from __future__ import annotations

import re

from click.testing import CliRunner
from headless_chromium import open_page
from lxml import etree
from odd_helpers import compile_text, odd_text

from tei_cable.cli import main
from tei_cable.odd import compile_odd
from tei_cable.odd.api import default_odd
from tei_cable.odd.manual import build_manual, write_html, write_markdown
from tei_cable.resources import schemas_dir

RNG = "{http://relaxng.org/ns/structure/1.0}"
DOC = schemas_dir() / "doc"


def schema_element_names(compiled) -> list[str]:
    """The element names the compiled RELAX NG defines."""
    rng = etree.fromstring(compiled.rng_bytes())
    names = []
    for element in rng.iter(f"{RNG}element"):
        name = element.get("name") or element.findtext(f"{RNG}name")
        names.append(name or "any element")
    return sorted(names)


def test_every_element_of_the_schema_is_documented():
    compiled = compile_odd(default_odd())
    manual = build_manual(compiled)
    assert sorted(e.name for e in manual.elements) == schema_element_names(compiled)
    by_name = {e.name: e for e in manual.elements}
    pers = by_name["persName"]
    assert pers.gloss == "personal name" and pers.module == "namesdates"
    assert "attribute @type restricted to a closed list of values" in pers.changed
    [type_] = [a for a in pers.attributes if a.name == "type"]
    assert type_.list_type == "closed" and {v.ident for v in type_.values} >= {"cipher"}
    assert ("att.global", "cl-att.global") in pers.attribute_classes
    assert ("p", "el-p") in pers.parents
    # classes carry the attributes they give, with datatypes
    classes = {c.name: c for c in manual.classes}
    global_ = classes["att.global"]
    assert {a.name for a in global_.attributes} >= {"xml:id", "xml:lang", "n"}
    # Schematron constraints in words
    texts = [c.message for e in manual.elements for c in e.constraints]
    assert any(t.startswith("Pointer … does not resolve") for t in texts)
    # what changed against TEI
    changed = {tokens[0][0] for _note, tokens in manual.changes}
    assert {"persName", "correspDesc", "note"} <= changed
    assert "core" in manual.left_out and "lg" in manual.left_out["core"]


def test_examples_content_models_and_value_lists(tmp_path):
    text = odd_text(
        '<elementSpec ident="hi" mode="change"><attList><attDef ident="rend" mode="change">'
        '<valList type="closed" mode="replace"><valItem ident="bold"><gloss>in bold type'
        '</gloss></valItem><valItem ident="italic"/></valList></attDef></attList>'
        '<exemplum><egXML xmlns="http://www.tei-c.org/ns/Examples"><p>A <hi rend="bold">bold'
        "</hi> word.</p></egXML></exemplum></elementSpec>"
    )
    manual = build_manual(compile_text(text, tmp_path))
    hi = next(e for e in manual.elements if e.name == "hi")
    assert hi.examples == ['<p>A <hi rend="bold">bold</hi> word.</p>']
    [rend] = [a for a in hi.attributes if a.name == "rend"]
    assert [(v.ident, v.gloss) for v in rend.values] == [("bold", "in bold type"), ("italic", "")]
    p = next(e for e in manual.elements if e.name == "p")
    assert "".join(t for t, _ in p.content).startswith("( text | ")
    html = write_html(manual).decode()
    assert '&lt;hi rend="bold"&gt;bold&lt;/hi&gt;' in html
    md = write_markdown(manual).decode()
    assert '<p>A <hi rend="bold">bold</hi> word.</p>' in md  # inside a code block


def test_the_published_manual_of_tei_cable_is_current():
    compiled = compile_odd(default_odd())
    manual = build_manual(compiled)
    assert (DOC / "index.html").read_bytes() == write_html(manual), (
        "schemas/doc is stale: run `tei-cable schema doc -o schemas/doc`"
    )
    assert (DOC / "tei_cable.md").read_bytes() == write_markdown(manual)


def test_markdown_links_resolve():
    md = (DOC / "tei_cable.md").read_text(encoding="utf-8")
    anchors = set(re.findall(r'<a id="([^"]+)"></a>', md))
    links = set(re.findall(r"\]\(#([^)]+)\)", md))
    assert links and links <= anchors


def test_the_manual_in_a_real_browser(tmp_path):
    compiled = compile_odd(default_odd())
    page = open_page(
        DOC / "index.html",
        {
            "elements": "document.querySelectorAll('section#elements > section').length",
            "broken": "Array.from(document.querySelectorAll('a[href^=\"#\"]'))"
            ".map(a => a.getAttribute('href').slice(1))"
            ".filter(id => !document.getElementById(id))",
            "links": "document.querySelectorAll('a[href^=\"#\"]').length",
            "height": "document.body.scrollHeight",
        },
        screenshot=tmp_path / "manual.png",
    )
    assert page.errors == []
    assert page.values["elements"] == len(schema_element_names(compiled))
    assert page.values["broken"] == []
    assert page.values["links"] > 1000
    assert page.values["height"] > 10000  # laid out, not an empty page
    assert (tmp_path / "manual.png").stat().st_size > 1000


def test_schema_doc_command(tmp_path):
    odd = tmp_path / "test.odd"
    odd.write_text(odd_text(""), encoding="utf-8")
    result = CliRunner().invoke(main, ["schema", "doc", str(odd), "-o", str(tmp_path / "doc")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "doc" / "index.html").is_file()
    assert (tmp_path / "doc" / "test.md").is_file()
