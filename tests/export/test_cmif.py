"""CMIF: golden files, and every export accepted by CMIF's own RELAX NG and Schematron."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import check_golden
from export_helpers import GOLDEN, OPTIONS, RECORDS, SEED_TEI, corpus_files, every_tei, parse
from export_helpers import shared_format as fmt
from lxml import etree

import tei_cable
from tei_cable.cli import main
from tei_cable.export import ExportError, ExportOptions, load, render
from tei_cable.export.authority import authority, from_uri
from tei_cable.export.cmif import bibl_uuid, cmif_date
from tei_cable.xmlio import TEI_NS, XML_NS, safe_parser

NS = {"t": TEI_NS}
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_RNG: list[etree.RelaxNG] = []


def cmif_errors(data: bytes, tmp_path: Path) -> list[str]:
    """What CMIF's RELAX NG (lxml) and Schematron (tei-cable's engine) say of a file."""
    if not _RNG:
        rng = etree.parse(str(fmt("cmif", "cmi-customization.rng")), safe_parser())
        _RNG.append(etree.RelaxNG(rng))
    root = parse(data)
    errors = []
    if not _RNG[0].validate(root.getroottree()):
        errors += [f"rng:{e.line}: {e.message}" for e in _RNG[0].error_log]
    path = tmp_path / "cmif.xml"
    path.write_bytes(data)
    report = tei_cable.validate(path, schema=fmt("cmif", "cmif.sch"))
    errors += [issue.format(str(p)) for p, issue in report.issues]
    return errors


def test_seed_golden(update_golden: bool) -> None:
    data = render([load(SEED_TEI)], "cmif", OPTIONS)
    check_golden(GOLDEN / "wilson-117409.cmif.xml", data, update_golden)


def test_fixture_records_golden(update_golden: bool) -> None:
    documents = [load(p) for p in sorted(RECORDS.glob("*.xml"))]
    check_golden(GOLDEN / "records.cmif.xml", render(documents, "cmif", OPTIONS), update_golden)


def test_every_record_in_one_cmif_is_valid(tmp_path: Path) -> None:
    documents = [load(p) for p in every_tei()]
    data = render(documents, "cmif", OPTIONS)
    assert cmif_errors(data, tmp_path) == []
    root = parse(data)
    described = root.xpath("//t:correspDesc", namespaces=NS)
    expected = sum(len([letter for letter in d.letters if letter.actions]) for d in documents)
    assert len(described) == expected > len(documents) // 2


def test_seed_letters_nested_and_authorities() -> None:
    root = parse(render([load(SEED_TEI)], "cmif", OPTIONS))
    descs = root.xpath("//t:correspDesc", namespaces=NS)
    assert len(descs) == 5  # the cable and the four telegrams it quotes
    first = descs[0]
    sender = first.find("t:correspAction[@type='sent']/t:persName", NS)
    assert (sender.text, sender.get("ref")) == ("Mao Zedong", "http://viaf.org/viaf/51699962")
    place = first.find("t:correspAction[@type='sent']/t:placeName", NS)
    assert place.get("ref") == "http://www.geonames.org/1816670"
    # Kim Il Sung has only a Wikidata identifier: it is used; Peng Dehuai has none: no @ref
    copies = descs[1].find("t:correspAction[@subtype='cc']", NS)
    assert [(p.text, p.get("ref")) for p in copies] == [
        ("Kim Il Sung", "http://www.wikidata.org/entity/Q41117"),
        ("Peng Dehuai", None),
    ]
    # date-times are cut to days; @cert="high" is not a CMIF value and goes
    dates = root.xpath("//t:correspAction/t:date", namespaces=NS)
    assert {d.get("when") for d in dates} == {"1951-07-11", "1951-07-10"}
    assert not root.xpath("//@cert[. != 'low'] | //@evidence[. != 'conjecture']")
    for action in root.xpath("//t:correspAction", namespaces=NS):
        assert {etree.QName(c).localname for c in action} <= {
            "persName",
            "orgName",
            "placeName",
            "date",
        }
    bibl = root.find(".//t:sourceDesc/t:bibl", NS)
    assert UUID.match(bibl.get(f"{{{XML_NS}}}id"))
    assert all(d.get("source") == "#" + bibl.get(f"{{{XML_NS}}}id") for d in descs)
    assert root.findtext(".//t:publicationStmt/t:idno[@type='url']", namespaces=NS) == OPTIONS.url


def test_output_is_deterministic() -> None:
    documents = [load(p) for p in sorted(RECORDS.glob("*.xml"))]
    assert render(documents, "cmif", OPTIONS) == render(documents, "cmif", OPTIONS)


CERT_TEI = """<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc>
<titleStmt><title>Letter</title></titleStmt><publicationStmt><p/></publicationStmt>
<sourceDesc><p/></sourceDesc></fileDesc><profileDesc>
<correspDesc><correspAction type="sent">
  <persName ref="https://d-nb.info/gnd/118609807/" cert="medium" evidence="external">A</persName>
  <date notBefore="1890-05" notAfter="1890-06-03T10:00:00" cert="high"/>
  <date>undated</date></correspAction>
<correspAction type="received"><placeName ref="http://sws.geonames.org/2761369/">Wien</placeName>
  <date when="--05-01"/></correspAction></correspDesc>
<correspDesc><correspAction type="received"><persName evidence="internal">B</persName>
</correspAction><correspAction type="sent" cert="low" evidence="external"><orgName>C</orgName>
<date when="1890"/></correspAction></correspDesc>
</profileDesc></teiHeader><text><body><p/></body></text></TEI>"""


def test_certainty_dates_and_unknown_parties(tmp_path: Path) -> None:
    data = render([load(CERT_TEI.encode(), name="letter.xml")], "cmif", OPTIONS)
    assert cmif_errors(data, tmp_path) == []
    root = parse(data)
    first, second = root.xpath("//t:correspDesc", namespaces=NS)
    name = first.find("t:correspAction[@type='sent']/t:persName", NS)
    assert (name.get("ref"), name.get("cert"), name.get("evidence")) == (
        "http://d-nb.info/gnd/118609807",
        "low",
        "conjecture",
    )
    dates = first.findall("t:correspAction[@type='sent']/t:date", NS)
    assert [dict(d.attrib) for d in dates] == [{"notBefore": "1890-05", "notAfter": "1890-06-03"}]
    received = first.find("t:correspAction[@type='received']", NS)
    assert [c.text for c in received] == ["Unknown", "Wien"]  # a place, nobody named
    assert received.find("t:placeName", NS).get("ref") == "http://www.geonames.org/2761369"
    assert received.find("t:date", NS) is None  # --05-01 has no year: CMIF cannot say it
    # the certainty of a whole action holds for its names and dates
    c = second.find("t:correspAction[@type='sent']/t:orgName", NS)
    assert (c.text, c.get("cert"), c.get("evidence")) == ("C", "low", "conjecture")
    date = second.find("t:correspAction[@type='sent']/t:date", NS)
    assert dict(date.attrib) == {"when": "1890", "cert": "low", "evidence": "conjecture"}
    b = second.find("t:correspAction[@type='received']/t:persName", NS)
    assert (b.text, b.get("evidence")) == ("B", None)  # internal evidence is not a conjecture


def test_cmif_dates() -> None:
    assert cmif_date("1951-07-10T11:45:00") == "1951-07-10"
    assert cmif_date("1951-07") == "1951-07"
    assert cmif_date("1951") == "1951"
    assert cmif_date("1951-07-10+02:00") == "1951-07-10"
    assert cmif_date("--07-10") == ""
    assert cmif_date("19510") == ""


def test_bibl_uuid_is_stable_uuid5_and_an_xml_name() -> None:
    values = {bibl_uuid(f"https://example.org/{n}") for n in range(50)}
    assert len(values) == 50
    assert all(UUID.match(v) and v[0] in "abcdef" and v[14] == "5" for v in values)
    assert bibl_uuid("https://example.org/1") == bibl_uuid("https://example.org/1")


@pytest.mark.parametrize(
    ("text", "types", "uri"),
    [
        ("51699962", ("viaf",), "http://viaf.org/viaf/51699962"),
        ("https://viaf.org/viaf/51699962/", ("URL",), "http://viaf.org/viaf/51699962"),
        ("118577425", ("GND",), "http://d-nb.info/gnd/118577425"),
        ("4035206-7", ("gnd",), "http://d-nb.info/gnd/4035206-7"),
        (
            "http://www.wikidata.org/entity/Q2079",
            ("URL", "wikidata"),
            "http://www.wikidata.org/entity/Q2079",
        ),
        ("q5816", ("wikidata",), "http://www.wikidata.org/entity/Q5816"),
        ("https://sws.geonames.org/2879139/", ("URL",), "http://www.geonames.org/2879139"),
        ("1816670", ("geonames",), "http://www.geonames.org/1816670"),
        ("118577425", ("pmb",), None),  # a bare number of an unknown kind is not an identifier
        ("Q5816", ("viaf",), None),  # the wrong shape for the type
    ],
)
def test_authority_forms(text: str, types: tuple[str, ...], uri: str | None) -> None:
    found = authority(text, *types)
    assert (found.uri if found else None) == uri


def test_other_uris_stay_plain() -> None:
    found = from_uri("https://pmb.acdh.oeaw.ac.at/entity/864/")
    assert found is not None and (found.kind, found.uri) == ("uri", found.id)


def test_corpus_letter_editions(tmp_path: Path) -> None:
    """TEI from other letter editions: entities in back/listPerson with GND URIs in idno."""
    files = (
        corpus_files("arthur-schnitzler__schnitzler-briefe-data", 6)
        + corpus_files("TillichCorrespondence__tillich-briefe-data", 6)
        + corpus_files("stazh__briefedition-escher", 4)
    )
    data = render([load(p) for p in files], "cmif", OPTIONS)
    assert cmif_errors(data, tmp_path) == []
    root = parse(data)
    refs = root.xpath("//t:persName/@ref", namespaces=NS)
    assert "http://d-nb.info/gnd/118609807" in refs  # Arthur Schnitzler, from his idno
    assert len(root.xpath("//t:correspDesc", namespaces=NS)) >= len(files) - 4


def test_schematron_engine_reports_cmif_rules(tmp_path: Path) -> None:
    """The check above can fail: a bad id, a missing action and a bare date are reported."""
    data = render([load(SEED_TEI)], "cmif", OPTIONS).decode()
    bad = re.sub(r'xml:id="[^"]+"', 'xml:id="source-one"', data, count=1)
    bad = bad.replace('<date when="1951-07-11"/>', "<date/>", 1)
    errors = cmif_errors(bad.encode(), tmp_path)
    assert any("W0001" in e for e in errors)
    assert any("E0003" in e for e in errors)
    assert any("E0004" in e for e in errors)


def test_cli_bad_inputs_are_one_line_each(tmp_path: Path) -> None:
    (tmp_path / "notes.xml").write_text("<notes><p>not TEI</p></notes>")
    (tmp_path / "broken.xml").write_text("<TEI xmlns='http://www.tei-c.org/ns/1.0'><teiHeader>")
    out = tmp_path / "out.xml"
    args = ["export", str(SEED_TEI), str(tmp_path / "notes.xml"), str(tmp_path / "broken.xml")]
    args += ["--to", "cmif", "-o", str(out), "--url", OPTIONS.url, "--editor", "Jane Doe"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"tei-cable: error: {tmp_path / 'notes.xml'}: not a TEI document")
    assert lines[1].startswith(f"tei-cable: error: {tmp_path / 'broken.xml'}:1:")
    assert lines[2] == "tei-cable: 2 of 3 inputs failed"
    assert "Traceback" not in result.output
    assert len(parse(out.read_bytes()).xpath("//t:correspDesc", namespaces=NS)) == 5
    # an existing output is kept without --force
    before = out.read_bytes()
    again = CliRunner().invoke(main, [*args[:2], *args[4:]])
    assert again.exit_code == 1 and "output exists" in again.stderr
    assert out.read_bytes() == before


def test_cli_needs_url_and_editor() -> None:
    result = CliRunner().invoke(main, ["export", str(SEED_TEI), "--to", "cmif"])
    assert result.exit_code == 2
    assert "--url" in result.stderr
    with pytest.raises(ExportError):
        render([load(SEED_TEI)], "cmif", ExportOptions(url="https://example.org/c.xml"))


def test_cmif_as_input_round_trip(tmp_path: Path) -> None:
    """CMIF's own example, exported again: letter addresses, sources and their UUIDs kept;
    its date's @cert="medium", which CMIF 1.1 no longer allows, becomes "low"."""
    example = fmt("cmif", "examples", "example01_basic.xml")
    data = render([load(example)], "cmif", OPTIONS)
    assert cmif_errors(data, tmp_path) == []
    root = parse(data)
    descs = root.xpath("//t:correspDesc", namespaces=NS)
    assert [d.get("ref") for d in descs] == [
        "http://www.weber-gesamtausgabe.de/A044980",
        "http://www.weber-gesamtausgabe.de/A044943",
        "http://www.weber-gesamtausgabe.de/A041523",
    ]
    assert {d.get("source") for d in descs} == {"#f5055f00-9182-4728-8f81-a0cf016b616b"}
    bibl = root.find(".//t:sourceDesc/t:bibl", NS)
    assert (
        bibl.get("type") == "online"
        and bibl.get(f"{{{XML_NS}}}id") == "f5055f00-9182-4728-8f81-a0cf016b616b"
    )
    first_date = descs[0].find("t:correspAction[@type='sent']/t:date", NS)
    assert dict(first_date.attrib) == {
        "notBefore": "1810-07-11",
        "notAfter": "1810-07-18",
        "cert": "low",
    }
    unknown = descs[2].find("t:correspAction[@type='received']/t:persName", NS)
    assert (unknown.text, unknown.get("ref")) == ("Pastenaci, E.", None)


def test_printed_sources_keep_their_type(tmp_path: Path) -> None:
    files = corpus_files("arthur-schnitzler__schnitzler-cmif", 2)
    root = parse(render([load(p) for p in files], "cmif", OPTIONS))
    assert root.xpath("//t:sourceDesc/t:bibl/@type", namespaces=NS) == ["print", "print"]
