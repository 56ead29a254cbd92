"""The HTML reading view: golden files, and the seed checked in a real headless Chromium."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from conftest import check_golden
from export_helpers import GOLDEN, HERE, OPTIONS, RECORDS, SEED_TEI, corpus_files, every_tei
from headless_chromium import Browser, chromium_path
from lxml import html as lxml_html

from tei_cable.export import load, render
from tei_cable.xmlio import TEI_NS


def page(path: Path) -> lxml_html.HtmlElement:
    return lxml_html.document_fromstring(render(load(path), "html", OPTIONS))


def test_seed_golden(update_golden: bool) -> None:
    check_golden(
        GOLDEN / "wilson-117409.html", render(load(SEED_TEI), "html", OPTIONS), update_golden
    )


@pytest.mark.parametrize("path", sorted(RECORDS.glob("*.xml")), ids=lambda p: p.stem)
def test_fixture_golden(path: Path, update_golden: bool) -> None:
    data = render(load(path), "html", OPTIONS)
    check_golden(GOLDEN / "records" / f"{path.stem}.html", data, update_golden)


def test_every_record_is_a_page_with_its_text() -> None:
    for path in every_tei():
        root = page(path)
        assert root.get("lang"), path.name
        assert len(root.findall(".//h1")) == 1, path.name
        text = "".join("".join(root.xpath("//section[@class='text']//text()")).split())
        tei_text = "".join("".join(load(path).root.find(f"{{{TEI_NS}}}text").itertext()).split())
        assert len(text) >= len(tei_text) > 0, path.name  # all of the TEI text is on the page
        # nothing is fetched from elsewhere: no scripts, stylesheets, images or frames
        assert not root.xpath("//script | //link | //img | //iframe | //*[@src]"), path.name


def test_seed_structure() -> None:
    root = page(SEED_TEI)
    outer = root.get_element_by_id("L1")
    nested = outer.xpath(".//article[contains(@class, 'nested')]")
    assert [a.get("id") for a in nested] == ["L1.1", "L1.2", "L1.3", "L1.4", "L1.4.1"]
    statement = root.get_element_by_id("L1.4.1")
    assert statement.xpath("ancestor::article[1]/@id") == ["L1.4"]
    mao = root.xpath("//a[contains(@class, 'entity')][.='MAO ZEDONG']")[0]
    assert mao.get("href") == "https://viaf.org/viaf/51699962"
    assert "Wikidata Q5816" in mao.get("title")
    peng = root.xpath("//a[contains(@class, 'entity')][.='PENG DEHUAI']")[0]
    assert peng.get("href") == "#entity-peng_dehuai"  # no identifier: the entity list
    assert root.get_element_by_id("entity-peng_dehuai") is not None
    time = root.xpath("//time[.='0912']")[0]
    assert (time.get("datetime"), time.get("title")) == (
        "1951-07-10T09:12:00",
        "1951-07-10 09:12 (certainty: medium, inferred from the document)",
    )
    corr, sic = root.xpath("//span[@class='choice'][1]/span")[:2]
    assert (corr.text_content(), sic.text_content()) == ("CABLE", "CABLi")
    assert corr.get("title") == "original: CABLi"


def test_no_link_inside_a_link() -> None:
    tei = b"""<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt>
<title>T</title></titleStmt><publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc>
</fileDesc></teiHeader><text><body><p>See <ref target="https://example.org/a">the letter of
<persName ref="http://viaf.org/viaf/51699962">Mao</persName> and <ref target="#x">this</ref></ref>.
</p></body></text></TEI>"""
    root = lxml_html.document_fromstring(render(load(tei, name="t.xml"), "html", OPTIONS))
    assert not root.xpath("//a//a")
    assert root.xpath(
        "//a[@href='https://example.org/a']//span[@class='entity person']/text()"
    ) == ["Mao"]


def test_corpus_pages_render() -> None:
    for path in corpus_files("arthur-schnitzler__schnitzler-briefe-data", 2) + corpus_files(
        "ISicily__ISicily", 2
    ):
        assert page(path).findall(".//h1"), path.name


CHECKS_JS = (HERE / "data" / "page-checks.js").read_text(encoding="utf-8")


def check(browser: Browser, name: str):
    """Run one of the measurements of data/page-checks.js in the loaded page."""
    browser.evaluate(CHECKS_JS)
    return browser.evaluate(f"window.teiCableChecks.{name}()")


def ordered(levels: list[int]) -> bool:
    """Headings never skip a level going down."""
    return all(b <= a + 1 for a, b in itertools.pairwise(levels))


@pytest.fixture(scope="module")
def browser():
    executable = chromium_path()
    if executable is None:
        pytest.skip(
            "chromium is not installed (Debian: apt-get install chromium): no browser check"
        )
    instance = Browser(executable)
    yield instance
    instance.close()


def test_seed_in_chromium(browser: Browser, tmp_path: Path) -> None:
    html = tmp_path / "wilson-117409.html"
    html.write_bytes(render(load(SEED_TEI), "html", OPTIONS))
    browser.load(html)
    assert browser.console_errors() == []
    assert browser.evaluate("document.documentElement.lang") == "en"
    assert browser.evaluate("document.title") == "Cable, Mao Zedong to Joseph Stalin"
    levels = check(browser, "headings")
    assert levels[0] == 1 and levels.count(1) == 1
    assert ordered(levels), levels
    nesting = check(browser, "nesting")
    assert [n["id"] for n in nesting] == ["L1.1", "L1.2", "L1.3", "L1.4", "L1.4.1"]
    for item in nesting:
        assert item["visible"] and item["indent"] >= 16 and item["border"] >= 3, item
        assert item["background"] != item["outerBackground"], item
    contrast = check(browser, "contrast")
    assert contrast["checked"] > 200 and contrast["bad"] == []
    assert check(browser, "readings") == [False, True]
    browser.evaluate("document.getElementById('show-original').click()")
    assert check(browser, "readings") == [True, False]
    browser.evaluate("document.getElementById('show-original').click()")
    shot = browser.screenshot(tmp_path / "wilson-117409.png")
    print(f"screenshot of the reading view: {shot}")
    assert shot.stat().st_size > 20_000


@pytest.mark.parametrize("name", ["memcon", "letter-footnotes", "chinese-body"])
def test_fixture_in_chromium(browser: Browser, tmp_path: Path, name: str) -> None:
    html = tmp_path / f"{name}.html"
    html.write_bytes(render(load(RECORDS / f"{name}.xml"), "html", OPTIONS))
    browser.load(html)
    assert browser.console_errors() == []
    assert check(browser, "contrast")["bad"] == []
    levels = check(browser, "headings")
    assert ordered(levels), levels


def test_language_from_lang_usage_when_the_text_has_none() -> None:
    tillich = corpus_files("TillichCorrespondence__tillich-briefe-data", 1)[0]
    assert page(tillich).get("lang") == "deu"


@pytest.mark.parametrize(
    ("folder", "index"),
    [
        ("arthur-schnitzler__schnitzler-briefe-data", 0),
        ("TillichCorrespondence__tillich-briefe-data", 3),
    ],
)
def test_other_editions_in_chromium(
    browser: Browser, tmp_path: Path, folder: str, index: int
) -> None:
    """TEI from other letter editions renders cleanly too."""
    source = corpus_files(folder, index + 1)[index]
    html = tmp_path / f"{source.stem}.html"
    html.write_bytes(render(load(source), "html", OPTIONS))
    browser.load(html)
    assert browser.console_errors() == []
    assert check(browser, "contrast")["bad"] == []
    assert ordered(check(browser, "headings"))


def test_every_record_in_chromium(browser: Browser, tmp_path: Path) -> None:
    """Each record's page loads without a console error, declares its language, keeps its
    headings in order and its text readable (contrast)."""
    for path in every_tei():
        html = tmp_path / f"{path.stem}.html"
        html.write_bytes(render(load(path), "html", OPTIONS))
        browser.load(html)
        assert browser.console_errors() == [], path.name
        assert browser.evaluate("document.documentElement.lang"), path.name
        assert ordered(check(browser, "headings")), path.name
        assert check(browser, "contrast")["bad"] == [], path.name
