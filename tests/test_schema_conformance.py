"""What we write and what our ODD allows stay in step.

Every record we convert (the fixtures and the real records of ``encoded/sources``) and every
registry entry as the writer copies it into a ``standOff`` is valid against the schemas
derived from ``schemas/tei_cable.odd`` (RELAX NG and Schematron); the ODD selects exactly the
elements we write; each closed value list and each of our Schematron constraints rejects a
document that breaks it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest
from conftest import RECORDS, SEED
from lxml import etree

from tei_cable.convert import convert_record, convert_records
from tei_cable.resources import schemas_dir
from tei_cable.validate.runner import Validator
from tei_cable.writers.tei import HeaderOptions

TEI = "http://www.tei-c.org/ns/1.0"
NS = {"t": TEI}
ODD = schemas_dir() / "tei_cable.odd"
ENCODED = SEED.parent
SOURCES = [*sorted(ENCODED.glob("*.txt")), *sorted(RECORDS.glob("*.txt"))]


@pytest.fixture(scope="module")
def validator() -> Validator:
    return Validator("tei_cable").compile()


@pytest.fixture(scope="module")
def outputs() -> dict[str, bytes]:
    found = {
        s.stem: convert_record(s.read_text(encoding="utf-8"), path=s.name).to_bytes()
        for s in SOURCES
    }
    published = convert_record(
        SEED.read_text(encoding="utf-8"), options=HeaderOptions(publisher="An Archive")
    )
    found["published"] = published.to_bytes()
    export = "\n".join(s.read_text(encoding="utf-8") for s in SOURCES[:3])
    found["corpus"] = etree.tostring(convert_records(export).to_corpus(), encoding="UTF-8")
    return found


def problems(validator: Validator, data: bytes) -> list[str]:
    result = validator.validate_bytes(data, "doc.xml")
    return [f"{i.line}: {i.message} [{i.engine}:{i.rule}]" for i in result.issues]


def test_every_conversion_is_valid_against_our_schemas(validator, outputs) -> None:
    for name, data in outputs.items():
        assert problems(validator, data) == [], name


def test_every_registry_entry_is_valid_in_a_stand_off(validator, outputs) -> None:
    from tei_cable.entities import builtin_registry

    registry = builtin_registry()
    root = etree.fromstring(outputs["wilson-117409"])
    stand_off = root.find(f"{{{TEI}}}standOff")
    for entry in stand_off.findall("*/*"):
        if entry.find(f"{{{TEI}}}note[@type='unregistered']") is None:
            entry.getparent().remove(entry)  # keep the document's own entries
    for lst in list(stand_off):
        if not len(lst):
            stand_off.remove(lst)
    for lst in registry.to_tei(e.id for e in registry):
        stand_off.append(lst)
    assert len(stand_off.findall(f".//{{{TEI}}}person")) >= 40
    assert problems(validator, etree.tostring(root)) == []


def test_the_odd_selects_exactly_the_elements_we_write(outputs) -> None:
    written = {
        etree.QName(e).localname
        for data in outputs.values()
        for e in etree.fromstring(data).iter()
        if isinstance(e.tag, str)
    }
    odd = etree.parse(str(ODD))
    included = {
        name
        for ref in odd.iterfind(f".//{{{TEI}}}moduleRef")
        for name in (ref.get("include") or "").split()
    }
    assert written - included == set(), "written but not in the ODD"
    assert included - written == set(), "in the ODD but never written"


def closed_lists() -> list[tuple[str, str, list[str]]]:
    odd = etree.parse(str(ODD))
    found = []
    for spec in odd.iterfind(f".//{{{TEI}}}elementSpec"):
        for att in spec.iterfind(f".//{{{TEI}}}attDef"):
            vals = att.find(f"{{{TEI}}}valList[@type='closed']")
            if vals is not None:
                idents = [v.get("ident") for v in vals.iterfind(f"{{{TEI}}}valItem")]
                found.append((spec.get("ident"), att.get("ident"), idents))
    return found


def test_registry_entries_are_copied_within_the_closed_lists() -> None:
    from tei_cable.entities.registry import IDNO_TYPES, NAME_FORM_TYPES, NOTE_TYPES

    lists = {(el, att): set(vals) for el, att, vals in closed_lists()}
    for tag in ("persName", "placeName", "orgName"):
        assert lists[(tag, "type")] == NAME_FORM_TYPES
    assert lists[("idno", "type")] >= IDNO_TYPES
    assert lists[("note", "type")] >= NOTE_TYPES


def test_a_users_registry_outside_our_schema_still_gives_valid_output(validator, tmp_path) -> None:
    from tei_cable.entities import Registry

    path = tmp_path / "mine.xml"
    path.write_text(
        '<listOrg xmlns="http://www.tei-c.org/ns/1.0"><org xml:id="vaganov_office">'
        '<orgName type="part">Cipher Section</orgName><orgName type="preferred">'
        "<addName>Deciphered by</addName> Vaganov</orgName>"
        '<location><geo>55.75 37.61</geo></location><idno type="LCCN">n123</idno>'
        '<idno type="isni">https://isni.org/isni/0000000121032683</idno><note>mine</note>'
        "</org></listOrg>",
        encoding="utf-8",
    )
    result = convert_record(
        SEED.read_text(encoding="utf-8"), registry=Registry.load(path), path=SEED.name
    )
    data = result.to_bytes()
    assert b'<org xml:id="vaganov_office" sameAs="https://isni.org/isni/0000000121032683">' in data
    assert b'<orgName type="variant" subtype="part">Cipher Section</orgName>' in data
    assert b'<orgName type="preferred">Deciphered by Vaganov</orgName>' in data
    assert b'<idno type="URI">https://isni.org/isni/0000000121032683</idno>' in data
    assert b"LCCN" not in data and b"<location" not in data
    assert problems(validator, data) == []


def test_values_we_write_are_in_the_closed_lists(outputs) -> None:
    lists = {(el, att): set(vals) for el, att, vals in closed_lists()}
    seen: dict[tuple[str, str], set[str]] = defaultdict(set)
    for data in outputs.values():
        for e in etree.fromstring(data).iter():
            if isinstance(e.tag, str):
                for att, value in e.attrib.items():
                    seen[(etree.QName(e).localname, etree.QName(att).localname)].add(value)
    for key, allowed in lists.items():
        assert seen[key] <= allowed, f"{key}: {sorted(seen[key] - allowed)}"


@pytest.mark.parametrize(
    ("element", "attribute", "values"),
    closed_lists(),
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_each_closed_list_rejects_a_value_outside_it(
    validator, outputs, element, attribute, values
) -> None:
    pattern = re.compile(rf'(<{element}\b[^>]*?\s{attribute}=")([^"]*)(")'.encode())
    for data in outputs.values():
        match = pattern.search(data)
        if match:
            break
    else:
        # the attribute is never written: add it to the first such element with a value
        for data in outputs.values():
            match = re.search(rf"<{element}\b".encode(), data)
            if match:
                data = (
                    data[: match.end()]
                    + f' {attribute}="{values[0]}"'.encode()
                    + data[match.end() :]
                )
                match = pattern.search(data)
                break
        else:
            pytest.skip(f"we never write {element}")
    assert match is not None
    bad = data[: match.start(2)] + b"not-in-the-list" + data[match.end(2) :]
    found = problems(validator, bad)
    assert any("[rng:" in p for p in found), found


def mutate(data: bytes, old: str, new: str) -> bytes:
    assert old.encode() in data, old
    return data.replace(old.encode(), new.encode(), 1)


CONSTRAINTS = {
    "local-pointers": (
        '<persName ref="#li_kenong" role="sender">',
        '<persName ref="#li_kenongg" role="sender">',
    ),
    "real-dates": ('<date when="1951-07-10T12:00:00">', '<date when="1951-06-31T12:00:00">'),
    "corresp-points-at-a-letter": (
        '<floatingText type="telegram" xml:id="L1.2" decls="#cd-L1.2">',
        '<floatingText type="telegram" xml:id="L1.2">',
    ),
    "letter-has-one-correspDesc": (
        '<correspDesc xml:id="cd-L1.3" corresp="#L1.3"',
        '<correspDesc xml:id="cd-L1.3" corresp="#L1.2"',
    ),
    "quoted-not-later": (
        '<date when="1951-07-10T12:00:00" evidence="internal"',
        '<date when="1951-07-12T12:00:00" evidence="internal"',
    ),
    "not-a-message": (
        '<correspDesc xml:id="cd-L1.4" corresp="#L1.4"',
        '<correspDesc xml:id="cd-L1.4" corresp="#L1.4.1"',
    ),
    "context-ref-type": (
        '<ref type="quotedIn" target="#L1">quoted in cable L1</ref>',
        '<ref type="partOf" target="#L1">quoted in cable L1</ref>',
    ),
}


@pytest.mark.parametrize("rule", sorted(CONSTRAINTS))
def test_each_constraint_rejects_a_document_that_breaks_it(validator, outputs, rule) -> None:
    old, new = CONSTRAINTS[rule]
    found = problems(validator, mutate(outputs["wilson-117409"], old, new))
    assert any(re.search(rf"\[sch:(\w+-)?{re.escape(rule)}\]", p) for p in found), found


def test_our_constraints_are_in_the_odd() -> None:
    odd = etree.parse(str(ODD))
    idents = {c.get("ident") for c in odd.iterfind(f".//{{{TEI}}}constraintSpec")}
    assert idents == set(CONSTRAINTS)


def test_derived_schemas_are_up_to_date() -> None:
    from click.testing import CliRunner

    from tei_cable.cli import main

    result = CliRunner().invoke(main, ["schema", "check"])
    assert result.exit_code == 0, result.output


def test_packaged_schemas_exist() -> None:
    for suffix in (".rng", ".sch", ".compiled.odd"):
        assert Path(schemas_dir() / f"tei_cable{suffix}").is_file()


def test_the_odd_is_itself_valid_tei() -> None:
    from conftest import jing, tei_all_rng

    result = jing(tei_all_rng(), ODD)
    assert result.returncode == 0, result.stdout


def test_the_odd_names_the_tei_version_of_its_source() -> None:
    from tei_cable.odd.source import bundled_source, load_source

    spec = etree.parse(str(ODD)).find(f".//{{{TEI}}}schemaSpec")
    assert spec.get("source") == "tei:4.9.0"
    assert spec.get("ident") == "tei_cable" and spec.get("start") == "TEI teiCorpus"
    assert load_source(bundled_source("4.9.0")).version == "4.9.0"


@pytest.mark.parametrize("seed", range(40))
def test_random_bodies_give_valid_tei(validator, seed: int) -> None:
    import random

    from test_reader_rules import FRONT, PIECES

    rng = random.Random(seed)
    text = " ".join(rng.choice(PIECES) for _ in range(rng.randint(1, 60)))
    assert problems(validator, convert_record(FRONT + text).to_bytes()) == [], text
