"""The OAI-PMH data provider: every verb and error valid against OAI-PMH.xsd, resumption
tokens, sets, and a harvest over loopback with a real harvester (Sickle)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import pytest
from export_helpers import ENCODED, HERE, RECORDS, SEED_TEI, every_tei
from export_helpers import shared_format as fmt
from lxml import etree

from tei_cable.export.oai import OAI, Repository, Settings
from tei_cable.export.serve import make_server, serve_in_thread
from tei_cable.xmlio import TEI_NS, safe_parser

NS = {"o": OAI, "t": TEI_NS, "dc": "http://purl.org/dc/elements/1.1/"}
BASE = "http://127.0.0.1:1/oai"
_SCHEMA: list[object] = []


def oai_schema():
    if not _SCHEMA:
        import xmlschema

        locations = [
            ("http://www.openarchives.org/OAI/2.0/oai_dc/", str(fmt("oai", "oai_dc.xsd"))),
            (
                "http://www.openarchives.org/OAI/2.0/oai-identifier",
                str(fmt("oai", "descriptions", "oai-identifier.xsd")),
            ),
            (TEI_NS, str(HERE / "data" / "tei-envelope.xsd")),
        ]
        _SCHEMA.append(
            xmlschema.XMLSchema10(
                str(fmt("oai", "OAI-PMH.xsd")), allow="local", locations=locations
            )
        )
    return _SCHEMA[0]


#: a list of TEI records repeats the documents' xml:ids (each is unique in its own document)
RESPONSE_PARSER = etree.XMLParser(
    collect_ids=False, resolve_entities=False, load_dtd=False, no_network=True
)


def check(data: bytes) -> etree._Element:
    """A response, checked against OAI-PMH.xsd (with oai_dc and oai-identifier)."""
    root = etree.fromstring(data, RESPONSE_PARSER)
    errors = [
        str(e.reason)
        for e in oai_schema().iter_errors(root.getroottree(), use_location_hints=False)
    ]
    assert errors == []
    return root


def ask(repo: Repository, **arguments: str | list[str]) -> etree._Element:
    args = {k: v if isinstance(v, list) else [v] for k, v in arguments.items()}
    return check(repo.respond(args, BASE))


def error_code(root: etree._Element) -> str | None:
    found = root.find("o:error", NS)
    return found.get("code") if found is not None else None


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """encoded/ in a sub-folder (a set), the fixture records at the top, one non-TEI file."""
    (tmp_path / "letters").mkdir()
    for path in sorted(ENCODED.glob("*.xml"))[:6]:
        shutil.copy(path, tmp_path / "letters" / path.name)
    for name in ("memcon", "diary", "report-form"):
        shutil.copy(RECORDS / f"{name}.xml", tmp_path / f"{name}.xml")
    (tmp_path / "notes.xml").write_text("<notes/>")
    return tmp_path


def repo(folder: Path, **settings: object) -> Repository:
    return Repository(folder, Settings(**settings), clock=lambda: datetime(2026, 1, 1, tzinfo=UTC))


def test_identify(folder: Path) -> None:
    root = ask(repo(folder, admin_emails=("archive@example.org",)), verb="Identify")
    node = root.find("o:Identify", NS)
    assert node.findtext("o:baseURL", namespaces=NS) == BASE
    assert node.findtext("o:adminEmail", namespaces=NS) == "archive@example.org"
    assert node.findtext("o:granularity", namespaces=NS) == "YYYY-MM-DDThh:mm:ssZ"
    assert root.find("o:request", NS).get("verb") == "Identify"


def test_list_metadata_formats(folder: Path) -> None:
    r = repo(folder)
    prefixes = ask(r, verb="ListMetadataFormats").xpath("//o:metadataPrefix/text()", namespaces=NS)
    assert prefixes == ["oai_dc", "tei", "cmif"]
    one = ask(
        r, verb="ListMetadataFormats", identifier="oai:tei-cable.localhost:letters/wilson-117409"
    )
    assert one.xpath("//o:metadataPrefix/text()", namespaces=NS) == ["oai_dc", "tei", "cmif"]


def test_sets_and_set_filter(folder: Path) -> None:
    r = repo(folder)
    root = ask(r, verb="ListSets")
    assert root.xpath("//o:setSpec/text()", namespaces=NS) == ["letters"]
    listed = ask(r, verb="ListIdentifiers", metadataPrefix="oai_dc", set="letters")
    assert len(listed.findall(".//o:header", NS)) == 6
    assert (
        error_code(ask(r, verb="ListIdentifiers", metadataPrefix="oai_dc", set="nowhere"))
        == "noRecordsMatch"
    )
    flat = tmp = folder / "letters"
    assert error_code(ask(repo(tmp), verb="ListSets")) == "noSetHierarchy"
    assert (
        error_code(ask(repo(flat), verb="ListRecords", metadataPrefix="oai_dc", set="x"))
        == "noSetHierarchy"
    )


def test_records_and_payloads(folder: Path) -> None:
    r = repo(folder)
    ident = "oai:tei-cable.localhost:letters/wilson-117409"
    dc = ask(r, verb="GetRecord", identifier=ident, metadataPrefix="oai_dc")
    assert dc.xpath("//dc:title/text()", namespaces=NS) == ["Cable, Mao Zedong to Joseph Stalin"]
    tei = ask(r, verb="GetRecord", identifier=ident, metadataPrefix="tei")
    served = tei.find(".//o:metadata/t:TEI", NS)
    original = etree.parse(str(SEED_TEI), safe_parser()).getroot()
    c14n = {"method": "c14n", "exclusive": True}
    assert etree.tostring(served, **c14n) == etree.tostring(original, **c14n)
    cmif = ask(r, verb="GetRecord", identifier=ident, metadataPrefix="cmif")
    payload = cmif.find(".//o:metadata/t:TEI", NS)
    rng = etree.RelaxNG(etree.parse(str(fmt("cmif", "cmi-customization.rng")), safe_parser()))
    assert rng.validate(etree.ElementTree(etree.fromstring(etree.tostring(payload))))
    assert len(payload.findall(".//t:correspDesc", NS)) == 5
    records = ask(r, verb="ListRecords", metadataPrefix="oai_dc")
    assert len(records.findall(".//o:record", NS)) == 9  # the non-TEI file is not listed
    assert not records.xpath("//o:resumptionToken", namespaces=NS)


@pytest.mark.parametrize(
    ("arguments", "code"),
    [
        ({}, "badVerb"),
        ({"verb": "ListThings"}, "badVerb"),
        ({"verb": ["Identify", "Identify"]}, "badVerb"),
        ({"verb": "Identify", "set": "x"}, "badArgument"),
        ({"verb": "GetRecord", "identifier": "oai:tei-cable.localhost:diary"}, "badArgument"),
        ({"verb": "ListRecords"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": ["oai_dc", "tei"]}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2020-13-45"}, "badArgument"),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2020-01-01",
                "until": "2020-01-01T00:00:00Z",
            },
            "badArgument",
        ),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2021-01-01",
                "until": "2020-01-01",
            },
            "badArgument",
        ),
        (
            {"verb": "ListRecords", "resumptionToken": "x", "metadataPrefix": "oai_dc"},
            "badArgument",
        ),
        ({"verb": "ListRecords", "resumptionToken": "bm90IGEgdG9rZW4"}, "badResumptionToken"),
        ({"verb": "ListSets", "resumptionToken": "abc"}, "badResumptionToken"),
        ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
        (
            {
                "verb": "GetRecord",
                "identifier": "oai:tei-cable.localhost:diary",
                "metadataPrefix": "cmif",
            },
            "cannotDisseminateFormat",
        ),
        (
            {
                "verb": "GetRecord",
                "identifier": "oai:tei-cable.localhost:nothing",
                "metadataPrefix": "tei",
            },
            "idDoesNotExist",
        ),
        ({"verb": "ListMetadataFormats", "identifier": "oai:x:y"}, "idDoesNotExist"),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "until": "1990-01-01"},
            "noRecordsMatch",
        ),
        (
            {"verb": "ListMetadataFormats", "identifier": "oai:tei-cable.localhost:notes"},
            "noMetadataFormats",
        ),
        (
            {
                "verb": "GetRecord",
                "identifier": "oai:tei-cable.localhost:notes",
                "metadataPrefix": "tei",
            },
            "cannotDisseminateFormat",
        ),
        ({"verb": "ListSets"}, None),
    ],
)
def test_errors(folder: Path, arguments: dict, code: str | None) -> None:
    root = ask(repo(folder), **arguments)
    assert error_code(root) == code
    if code in ("badVerb", "badArgument"):
        assert root.find("o:request", NS).attrib == {}  # the request is not echoed


def test_every_record_in_every_format(tmp_path: Path) -> None:
    """Every record of encoded/ and the fixtures, harvested as oai_dc, tei and cmif: each
    response valid against OAI-PMH.xsd, each CMIF payload against CMIF's RELAX NG."""
    for path in every_tei():
        shutil.copy(path, tmp_path / path.name)
    r = repo(tmp_path, page_size=1000)
    rng = etree.RelaxNG(etree.parse(str(fmt("cmif", "cmi-customization.rng")), safe_parser()))
    counts = {}
    for prefix in ("oai_dc", "tei", "cmif"):
        root = ask(r, verb="ListRecords", metadataPrefix=prefix)
        payloads = root.xpath("//o:metadata/*", namespaces=NS)
        counts[prefix] = len(payloads)
        if prefix == "cmif":
            for payload in payloads:
                assert rng.validate(etree.ElementTree(etree.fromstring(etree.tostring(payload))))
    assert counts["oai_dc"] == counts["tei"] == len(every_tei())
    assert 0 < counts["cmif"] <= counts["tei"]


def test_identifiers_are_uris(folder: Path) -> None:
    shutil.copy(RECORDS / "diary.xml", folder / "letters" / "Brief vom 3. Mai.xml")
    root = ask(repo(folder), verb="ListIdentifiers", metadataPrefix="oai_dc", set="letters")
    assert "oai:tei-cable.localhost:letters/Brief%20vom%203.%20Mai" in root.xpath(
        "//o:identifier/text()", namespaces=NS
    )
    one = ask(
        repo(folder),
        verb="GetRecord",
        identifier="oai:tei-cable.localhost:letters/Brief%20vom%203.%20Mai",
        metadataPrefix="oai_dc",
    )
    assert error_code(one) is None


def test_resumption_tokens_page_through_everything(folder: Path) -> None:
    r = repo(folder, page_size=4)
    seen, cursors, token = [], [], None
    while True:
        args = {"resumptionToken": token} if token else {"metadataPrefix": "oai_dc"}
        root = ask(r, verb="ListIdentifiers", **args)
        seen += root.xpath("//o:header/o:identifier/text()", namespaces=NS)
        element = root.find(".//o:resumptionToken", NS)
        cursors.append((element.get("cursor"), element.get("completeListSize")))
        token = element.text
        if token is None:
            break
        if len(cursors) == 1:  # a file added while harvesting: the others neither repeat nor vanish
            shutil.copy(RECORDS / "memcon.xml", folder / "zz-late.xml")
    assert cursors == [("0", "9"), ("4", "10"), ("8", "10")]
    assert len(seen) == len(set(seen)) == 10
    assert seen == sorted(seen)


def test_from_until_by_file_time(folder: Path) -> None:
    old = datetime(2001, 5, 6, 7, 8, 9, tzinfo=UTC).timestamp()
    os.utime(folder / "diary.xml", (old, old))
    r = repo(folder)
    root = ask(r, verb="ListIdentifiers", metadataPrefix="oai_dc", until="2001-05-06")
    assert root.xpath("//o:identifier/text()", namespaces=NS) == ["oai:tei-cable.localhost:diary"]
    assert root.findtext(".//o:datestamp", namespaces=NS) == "2001-05-06T07:08:09Z"
    later = ask(
        r, verb="ListIdentifiers", metadataPrefix="oai_dc", **{"from": "2001-05-06T07:08:10Z"}
    )
    assert "oai:tei-cable.localhost:diary" not in later.xpath(
        "//o:identifier/text()", namespaces=NS
    )
    earliest = ask(r, verb="Identify").findtext(".//o:earliestDatestamp", namespaces=NS)
    assert earliest == "2001-05-06T07:08:09Z"


def make_copies(target: Path, count: int) -> list[str]:
    """``count`` distinct TEI documents made from the real ones (each title made unique), in
    ten sub-folders."""
    sources = sorted(ENCODED.glob("*.xml")) + sorted(RECORDS.glob("*.xml"))
    trees = [etree.parse(str(p), safe_parser()) for p in sources]
    titles = []
    for n in range(count):
        tree = trees[n % len(trees)]
        title = tree.find(f".//{{{TEI_NS}}}titleStmt/{{{TEI_NS}}}title")
        original = title.text
        title.text = f"{original} [{n:04d}]"
        sub = target / f"part{n % 10}"
        sub.mkdir(exist_ok=True)
        tree.write(str(sub / f"doc-{n:04d}.xml"), xml_declaration=True, encoding="UTF-8")
        titles.append(title.text)
        title.text = original
    return titles


def test_harvest_500_documents_with_sickle(tmp_path: Path) -> None:
    sickle = pytest.importorskip(
        "sickle", reason="Sickle is a test dependency: pip install '.[test]'"
    )
    titles = make_copies(tmp_path, 500)
    server = make_server(tmp_path, "127.0.0.1", 0, settings=Settings(page_size=100))
    thread = serve_in_thread(server)
    try:
        harvester = sickle.Sickle(server.base_url, max_retries=1, timeout=30)
        identify = harvester.Identify()
        assert identify.baseURL == server.base_url
        started = time.perf_counter()
        records = list(harvester.ListRecords(metadataPrefix="oai_dc"))
        elapsed = time.perf_counter() - started
        print(f"harvested {len(records)} oai_dc records in {elapsed:.2f} s")
        assert len(records) == 500
        assert len({r.header.identifier for r in records}) == 500
        assert sorted(r.metadata["title"][0] for r in records) == sorted(titles)
        # pages of 100: the harvester followed four resumption tokens; a page is valid
        page = urllib.request.urlopen(
            f"{server.base_url}?verb=ListRecords&metadataPrefix=oai_dc"
        ).read()
        root = check(page)
        assert len(root.findall(".//o:record", NS)) == 100
        assert root.find(".//o:resumptionToken", NS).get("completeListSize") == "500"
        part = list(harvester.ListIdentifiers(metadataPrefix="oai_dc", set="part3"))
        assert len(part) == 50
        one = harvester.GetRecord(identifier=records[0].header.identifier, metadataPrefix="tei")
        assert one.xml.find(f".//{{{TEI_NS}}}TEI") is not None
        formats = [f.metadataPrefix for f in harvester.ListMetadataFormats()]
        assert formats == ["oai_dc", "tei", "cmif"]
        with pytest.raises(sickle.oaiexceptions.IdDoesNotExist):
            harvester.GetRecord(identifier="oai:tei-cable.localhost:none", metadataPrefix="tei")
        # POST, as OAI-PMH allows, gives the same answer as GET
        request = urllib.request.Request(
            server.base_url,
            data=b"verb=ListSets",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        sets = check(urllib.request.urlopen(request).read())
        assert len(sets.findall(".//o:set", NS)) == 10
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


def test_serve_command(tmp_path: Path) -> None:
    shutil.copy(SEED_TEI, tmp_path / "seed.xml")
    command = [sys.executable, "-c", "from tei_cable.cli import main; main()"]
    process = subprocess.Popen(
        [*command, "serve", str(tmp_path), "--port", "0", "-q"],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stderr.readline()
        found = re.search(r"at (http://127\.0\.0\.1:\d+/oai)", line)
        assert found, line
        answer = urllib.request.urlopen(f"{found[1]}?verb=Identify", timeout=10).read()
        assert check(answer).find(".//o:Identify", NS) is not None
        missing = urllib.request.Request(found[1].replace("/oai", "/elsewhere"))
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(missing, timeout=10)
    finally:
        process.terminate()
        process.wait(10)
