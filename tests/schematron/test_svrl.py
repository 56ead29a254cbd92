"""The SVRL report (``--format svrl``) and the same facts in the JSON report."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from lxml import etree

import tei_cable

HERE = Path(__file__).parent
SVRL = "http://purl.oclc.org/dsdl/svrl"
SCHEMA = """<sch:schema xmlns:sch="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">
  <sch:title>Letters</sch:title>
  <sch:pattern id="dates">
    <sch:rule context="date" id="date-rule" role="warning">
      <sch:assert test="@when" id="date-when" diagnostics="d-text" properties="p-src"
          xml:lang="en">A date needs @when</sch:assert>
      <sch:report test="@when = '1900'" id="date-1900" role="info" flag="old">1900</sch:report>
    </sch:rule>
  </sch:pattern>
  <sch:pattern id="unused"><sch:rule context="nothing"><sch:assert test="false()"/>
  </sch:rule></sch:pattern>
  <sch:diagnostics><sch:diagnostic id="d-text">it says <sch:value-of select="."/>
  </sch:diagnostic></sch:diagnostics>
  <sch:properties><sch:property id="p-src" role="source" scheme="x">line
  <sch:value-of select="count(preceding::date) + 1"/></sch:property></sch:properties>
</sch:schema>"""
DOCUMENT = "<letter>\n  <date>spring</date>\n  <date when='1900'/>\n</letter>\n"


def _command(schema: Path) -> list[str]:
    validate = [sys.executable, "-m", "tei_cable", "validate"]
    return [*validate, "--schema", str(schema), "--format", "svrl"]


def _files(tmp_path: Path) -> tuple[Path, Path]:
    schema = tmp_path / "letters.sch"
    schema.write_text(SCHEMA, encoding="utf-8")
    document = tmp_path / "letter.xml"
    document.write_text(DOCUMENT, encoding="utf-8")
    return schema, document


def test_svrl_names_every_pattern_rule_and_finding_and_is_valid(tmp_path: Path) -> None:
    schema, document = _files(tmp_path)
    done = subprocess.run(
        [*_command(schema), str(document)],
        capture_output=True,
    )
    assert done.returncode == 0, done.stderr  # role="warning": the file is valid
    report = etree.fromstring(done.stdout)
    rng = etree.RelaxNG(etree.parse(str(HERE / "data" / "svrl.rng")))
    assert rng.validate(report), rng.error_log
    names = [etree.QName(e).localname for e in report]
    assert names == [
        "active-pattern",
        "fired-rule",
        "failed-assert",
        "fired-rule",
        "successful-report",
        "active-pattern",
    ]
    ns = {"svrl": SVRL}
    failed = report.find("svrl:failed-assert", ns)
    assert failed.get("location") == "/Q{}letter[1]/Q{}date[1]"
    assert failed.get("id") == "date-when" and failed.get("test") == "@when"
    assert failed.findtext("svrl:diagnostic-reference/svrl:text", namespaces=ns) == (
        "it says spring"
    )
    prop = failed.find("svrl:property-reference", ns)
    assert (prop.get("property"), prop.get("role"), prop.get("scheme")) == ("p-src", "source", "x")
    assert prop.findtext("svrl:text", namespaces=ns) == "line 1"
    text = failed.find("svrl:text", ns)
    assert text.text == "A date needs @when"
    assert text.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    reported = report.find("svrl:successful-report", ns)
    assert (reported.get("role"), reported.get("flag")) == ("info", "old")
    assert report.get("title") == "Letters"


def test_svrl_takes_one_file(tmp_path: Path) -> None:
    schema, document = _files(tmp_path)
    other = document.with_name("b.xml")
    other.write_text(DOCUMENT, encoding="utf-8")
    done = subprocess.run(
        [*_command(schema), str(document), str(other)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2 and "--format svrl reports one document" in done.stderr


def test_the_json_report_carries_the_same_facts(tmp_path: Path) -> None:
    schema, document = _files(tmp_path)
    report = tei_cable.validate(document, schema=str(schema))
    entries = json.loads(json.dumps(report.as_dict()))["files"][0]["issues"]
    first, second = entries
    assert first == {
        "line": 2,
        "column": 3,
        "severity": "warning",
        "message": "A date needs @when (it says spring)",
        "engine": "sch",
        "rule": "date-when",
        "kind": "assert",
        "test": "@when",
        "location": "/Q{}letter[1]/Q{}date[1]",
        "lang": "en",
        "diagnostics": [{"id": "d-text", "text": "it says spring"}],
        "properties": [{"id": "p-src", "role": "source", "scheme": "x", "text": "line 1"}],
    }
    assert (second["kind"], second["role"], second["flag"]) == ("report", "info", "old")
