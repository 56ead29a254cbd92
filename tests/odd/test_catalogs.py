"""External modules and sources found offline through OASIS XML catalogs (--catalog FILE,
XML_CATALOG_FILES)."""

from __future__ import annotations

from click.testing import CliRunner
from lxml import etree
from odd_helpers import EXEMPLARS, FIXTURES, P5SUBSET, compile_text, need, odd_text, tei

from tei_cable.cli import main
from tei_cable.diagnostics import Severity
from tei_cable.odd import compile_odd
from tei_cable.odd.catalog import Catalogs

CATALOG = FIXTURES / "catalog" / "catalog.xml"
SVG_DOC = tei(
    '<p><figure><svg xmlns="http://www.w3.org/2000/svg" width="3"><rect/></svg></figure></p>'
)


def test_catalog_entries():
    catalogs = Catalogs([CATALOG], env=False)
    svg = "http://www.tei-c.org/release/xml/tei/custom/schema/relaxng/svg11.rng"
    assert catalogs.resolve(svg) == (FIXTURES / "mini-svg.rng").resolve()
    # http and https name the same module for the TEI's exemplars
    assert catalogs.resolve(svg.replace("http:", "https:")) == (FIXTURES / "mini-svg.rng").resolve()
    # nextCatalog, rewriteURI
    found = catalogs.resolve("https://example.org/modules/mini-svg-shapes.rng")
    assert found == (FIXTURES / "mini-svg-shapes.rng").resolve()
    assert catalogs.resolve("https://example.org/other/x.rng") is None


def test_the_tei_svg_exemplar_compiles_offline_with_a_catalog(monkeypatch):
    odd = need(EXEMPLARS / "tei_svg.odd")
    monkeypatch.delenv("XML_CATALOG_FILES", raising=False)
    compiled = compile_odd(odd, source=need(P5SUBSET), download=False, catalogs=[CATALOG])
    assert not [d for d in compiled.diagnostics if d.severity >= Severity.WARNING]
    schema = etree.RelaxNG(etree.fromstring(compiled.rng_bytes()))
    assert schema.validate(etree.fromstring(SVG_DOC))
    assert not schema.validate(etree.fromstring(SVG_DOC.replace(b'width="3"', b'width="x"')))
    # the same through the environment variable libxml2 users know
    monkeypatch.setenv("XML_CATALOG_FILES", f"file://{CATALOG}")
    again = compile_odd(odd, source=need(P5SUBSET), download=False)
    assert again.rng_bytes() == compiled.rng_bytes()


def test_without_a_catalog_offline_the_message_says_how(tmp_path, monkeypatch):
    monkeypatch.delenv("XML_CATALOG_FILES", raising=False)
    monkeypatch.setenv("TEI_CABLE_CACHE_DIR", str(tmp_path / "cache"))
    text = odd_text('<moduleRef url="https://example.org/nowhere/module.rng"/>')
    compiled = compile_text(text, tmp_path, strict=False, download=False)
    [error] = [d for d in compiled.diagnostics if d.code == "O114"]
    assert "--catalog FILE or XML_CATALOG_FILES" in error.message


def test_schema_build_takes_catalogs_and_a_source_url_through_them(tmp_path, monkeypatch):
    monkeypatch.delenv("XML_CATALOG_FILES", raising=False)
    catalog = tmp_path / "catalog.xml"
    catalog.write_text(
        '<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">'
        '<uri name="https://www.tei-c.org/Vault/P5/9.9.9/xml/tei/odd/p5subset.xml" '
        f'uri="{need(P5SUBSET).as_uri()}"/>'
        f'<nextCatalog catalog="{CATALOG.as_uri()}"/></catalog>',
        encoding="utf-8",
    )
    odd = tmp_path / "svg.odd"
    odd.write_text(
        need(EXEMPLARS / "tei_svg.odd")
        .read_text(encoding="utf-8")
        .replace('<schemaSpec ident="tei_svg"', '<schemaSpec ident="tei_svg" source="tei:9.9.9"'),
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        main,
        ["schema", "build", str(odd), "--catalog", str(catalog), "--out-dir", str(tmp_path)],
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "tei_svg.rng").is_file()


def test_an_unreadable_catalog_is_an_error_naming_it(tmp_path):
    bad = tmp_path / "catalog.xml"
    bad.write_text("<catalog>", encoding="utf-8")
    text = odd_text('<moduleRef url="https://example.org/modules/mini-svg.rng"/>')
    (tmp_path / "x.odd").write_text(text, encoding="utf-8")
    args = ["schema", "build", str(tmp_path / "x.odd"), "--out-dir", str(tmp_path)]
    result = CliRunner().invoke(main, [*args, "--catalog", str(bad)])
    assert result.exit_code == 1
    assert str(bad) in result.output and "XML catalog cannot be read" in result.output
