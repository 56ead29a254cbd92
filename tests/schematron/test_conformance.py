"""Schematron to the standard (ISO/IEC 19757-3): the project's own conformance cases in
``conformance/``. Each case is a schema, documents, the verdict expected (``valid``,
``invalid``, or ``error`` for a schema that must be refused, with the words the refusal must
contain) and XPath assertions over the SVRL report, which is also checked against the SVRL
schema of ISO/IEC 19757-3 (``data/svrl.rng``). Each names, in ``@covers``, the case of the
public ISO conformance suite (``Schematron/schematron-conformance``) or of SchXslt's tests
whose point of the standard it tests; ``conformance/README.md`` lists them."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import elementpath
import pytest
from lxml import etree

from tei_cable.schematron.engine import SchematronSchemaError, SchematronValidator
from tei_cable.xmlio import safe_parser

HERE = Path(__file__).parent
CASES = sorted((HERE / "conformance").glob("*.xml"))
SCH = "http://purl.oclc.org/dsdl/schematron"
SVRL = "http://purl.oclc.org/dsdl/svrl"


@pytest.fixture(scope="module")
def svrl_schema() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(HERE / "data" / "svrl.rng")))


def _case(path: Path) -> etree._Element:
    return etree.parse(str(path), safe_parser()).getroot()


def _documents(case: etree._Element) -> list[bytes]:
    found = []
    for document in case.iterchildren("document"):
        content = next((c for c in document if isinstance(c.tag, str)), None)
        assert content is not None, "a document has a root element"
        found.append(etree.tostring(copy.deepcopy(content)))
    return found


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_conformance_case(path: Path, svrl_schema: etree.RelaxNG) -> None:
    case = _case(path)
    expect = case.get("expect")
    assert expect in ("valid", "invalid", "error"), path
    schema = copy.deepcopy(case.find(f"{{{SCH}}}schema"))
    assert schema is not None, "a case has a schema"
    phase = case.get("phase")
    if expect == "error":
        with pytest.raises(SchematronSchemaError) as refused:
            SchematronValidator(schema, phase)
        assert re.search(case.get("error", ""), str(refused.value)), str(refused.value)
        return
    validator = SchematronValidator(schema, phase)
    documents = _documents(case)
    assert documents, "a case has a document"
    for data in documents:
        tree = etree.fromstring(data, safe_parser()).getroottree()
        report = validator.svrl(tree, source=data)
        assert svrl_schema.validate(report), svrl_schema.error_log
        fired = report.xpath(
            "//svrl:failed-assert | //svrl:successful-report", namespaces={"svrl": SVRL}
        )
        shown = etree.tostring(report).decode()
        assert ("invalid" if fired else "valid") == expect, shown
        assert len(validator.validate(tree)) == len(fired)
        for assertion in case.iterchildren("svrl"):
            test = assertion.get("test", "")
            namespaces = {"svrl": SVRL, "sch": SCH}
            result = elementpath.select(report, f"boolean({test})", namespaces=namespaces)
            assert result is True, (test, shown)


def test_every_case_says_what_it_covers() -> None:
    """Each case names the suite's case it covers, says what it tests, and is listed in the
    README (which lists no case that is not there)."""
    readme = (HERE / "conformance" / "README.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"`([a-z0-9-]+)\.xml`", readme))
    assert listed == {p.stem for p in CASES}
    for path in CASES:
        case = _case(path)
        assert re.fullmatch(r"(iso|schxslt) [a-z0-9-]+", case.get("covers", "")), path
        assert (case.findtext("about") or "").strip(), path


def test_subordinate_documents_are_refused_with_a_warning(tmp_path: Path) -> None:
    """A pattern with ``@documents`` would read other files: it is not run, and every
    document validated says so (V311); the other patterns run."""
    secret = tmp_path / "secret.xml"
    secret.write_text("<secret/>", encoding="utf-8")
    schema = f"""<sch:schema xmlns:sch="{SCH}" queryBinding="xslt2">
      <sch:pattern documents="'{secret}'"><sch:rule context="/"><sch:report test="true()"/>
      </sch:rule></sch:pattern>
      <sch:pattern id="p"><sch:rule context="root"><sch:report test="true()">seen</sch:report>
      </sch:rule></sch:pattern></sch:schema>"""
    tree = etree.fromstring(b"<root/>").getroottree()
    issues = SchematronValidator(schema.encode()).validate(tree)
    assert [(i.severity, i.rule) for i in issues] == [("error", "p"), ("warning", "V311")]
    assert "subordinate documents" in issues[1].message
