"""The entity registry: the shipped data, loading and merging TEI list files, conflicts, output."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from lxml import etree

from tei_cable.diagnostics import InputError
from tei_cable.entities import Registry, builtin_registry
from tei_cable.entities.registry import NAME_CONFLICT, OVERRIDE
from tei_cable.entities.titles import TITLE_RE
from tei_cable.xmlio import TEI_NS

T = f"{{{TEI_NS}}}"
REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tei_cable" / "entities" / "data" / "registry.xml"
SEED_TSV = REPO.parent / "shared" / "authorities" / "seed-entities.tsv"

IDENTIFIER_FORMS = {
    "wikidata": r"Q[1-9]\d*",
    "viaf": r"[1-9]\d*",
    "gnd": r"[0-9]{1,10}[0-9X]?(?:-[0-9X])?",
    "geonames": r"[1-9]\d*",
}


def write(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / name
    path.write_text(
        f'<TEI xmlns="{TEI_NS}"><teiHeader><fileDesc><titleStmt><title>t</title></titleStmt>'
        "<publicationStmt><p>p</p></publicationStmt><sourceDesc><p>s</p></sourceDesc>"
        f"</fileDesc></teiHeader><standOff>{body}</standOff></TEI>",
        encoding="utf-8",
    )
    return path


# ------------------------------------------------------------------------------ shipped data
def test_builtin_registry_is_large_and_free_of_name_conflicts() -> None:
    registry = builtin_registry()
    kinds = {k: sum(1 for e in registry if e.kind == k) for k in ("person", "place", "org")}
    assert kinds["person"] >= 40 and kinds["place"] >= 30 and kinds["org"] >= 30
    assert registry.conflicts == []
    for entity in registry:
        assert entity.names and entity.preferred


def test_every_identifier_is_well_formed_and_has_its_evidence() -> None:
    tree = etree.parse(str(DATA))
    for entry in tree.iter(f"{T}person", f"{T}place", f"{T}org"):
        idnos = list(entry.iterchildren(f"{T}idno"))
        if not idnos:
            continue
        evidence = entry.find(f"{T}note[@type='evidence']")
        assert evidence is not None and evidence.text, entry.get(
            "{http://www.w3.org/XML/1998/namespace}id"
        )
        for idno in idnos:
            form = IDENTIFIER_FORMS[idno.get("type")]
            assert re.fullmatch(form, idno.text or ""), (idno.get("type"), idno.text)


def test_look_alike_identifiers_are_not_used() -> None:
    registry = builtin_registry()
    values = {i.value for e in registry for i in e.identifiers}
    assert "Q39464" not in values  # not Kim Il Sung
    assert "Q7178" not in values  # the Red Cross movement, not the ICRC
    assert registry["kim_il_sung"].identifier("wikidata") == "Q41117"
    assert registry["icrc"].identifier("wikidata") == "Q5987345"
    assert len(values) == len([i for e in registry for i in e.identifiers])  # no id twice


#: labels the seed list gives an organisation that name parts of it, which the registry keeps
#: as organisations of their own (one entity, one @ref)
SUBUNITS = {
    ("wilson_center", "History and Public Policy Program"): "wilson_hppp",
    ("wilson_center", "Wilson Center Digital Archive"): "wilson_digital_archive",
    ("wilson_center", "Cold War International History Project"): "cwihp",
    ("wilson_center", "CWIHP"): "cwihp",
}


def test_builtin_registry_matches_the_seed_authority_list() -> None:
    if not SEED_TSV.exists():
        pytest.skip(f"authority list not found at {SEED_TSV} (only in the development workplace)")
    registry = builtin_registry()
    with SEED_TSV.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    assert len(rows) >= 20
    for row in rows:
        entity = registry[row["key"]]
        assert entity.kind == row["type"]
        assert entity.preferred == row["preferred_label"]
        for kind in ("wikidata", "viaf", "gnd", "geonames"):
            assert entity.identifier(kind) == (row[kind] or None), (row["key"], kind)
        for label in filter(None, row["alt_labels"].split("|")):
            bare = re.sub(r"\s*\((?:cipher|birth|original|name from|letterhead)[^)]*\)$", "", label)
            title = TITLE_RE.match(bare)  # titles are kept outside names: "Vice Admiral …"
            if title and title.end() < len(bare):
                bare = bare[title.end() :].strip()
            owner = registry[SUBUNITS.get((row["key"], bare), row["key"])]
            assert owner in registry.lookup(bare), (row["key"], label)
        if row["birth"] and "|" not in row["birth"]:
            assert entity.birth == row["birth"]
        if row["death"]:
            assert entity.death == row["death"]


def test_registry_file_is_valid_tei(tei_all: etree.RelaxNG) -> None:
    assert tei_all.validate(etree.parse(str(DATA))), tei_all.error_log


# ------------------------------------------------------------------------------ lookup
def test_lookup_ignores_case_spacing_and_hyphens() -> None:
    registry = Registry.load()
    assert [e.id for e in registry.lookup("KIM IL SUNG")] == ["kim_il_sung"]
    assert [e.id for e in registry.lookup("Kim Il-sung")] == ["kim_il_sung"]
    assert [e.id for e in registry.lookup("Filippov")] == ["joseph_stalin"]
    assert [e.id for e in registry.lookup("Kaesŏng", kind="place")] == ["kaesong"]
    assert registry.lookup("Kaesong", kind="person") == []
    assert registry.kind_of("beijing") == "place"
    assert registry.preferred_name("joseph_stalin") == "Joseph Stalin"
    assert registry.kind_of("nobody") is None


def test_identifier_uris() -> None:
    mao = builtin_registry()["mao_zedong"]
    uris = {i.type: i.uri for i in mao.identifiers}
    assert uris["wikidata"] == "http://www.wikidata.org/entity/Q5816"
    assert uris["viaf"] == "https://viaf.org/viaf/51699962"
    assert uris["gnd"] == "https://d-nb.info/gnd/118577425"


# ------------------------------------------------------------------------------ merging
def test_user_file_adds_entities(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "mine.xml",
        (
            '<listPerson><person xml:id="vaganov"><persName>Vaganov</persName>'
            "<occupation>cipher clerk</occupation></person></listPerson>"
        ),
    )
    registry = Registry.load(path)
    assert registry["vaganov"].role == "cipher clerk"
    assert registry["vaganov"].origin == f"{path}:1"
    assert "mao_zedong" in registry
    assert [m.candidate.entity_id for m in registry.index.find("Deciphered by Vaganov")] == [
        "vaganov"
    ]


def test_user_entry_with_a_known_id_replaces_the_builtin_one(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "mine.xml",
        (
            '<listPerson><person xml:id="nam_il"><persName>Nam Il</persName>'
            '<persName type="variant">Nam Ir</persName></person></listPerson>'
        ),
    )
    registry = Registry.load(path)
    assert [f.text for f in registry["nam_il"].names] == ["Nam Il", "Nam Ir"]
    assert any(d.code == OVERRIDE and "nam_il" in d.message for d in registry.diagnostics)
    assert registry.conflicts == []


def test_same_name_form_for_two_entities_is_a_reported_conflict(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "mine.xml",
        (
            '<listPerson><person xml:id="filippov_pi"><persName>P. I. Filippov</persName>'
            '<persName type="short">Filippov</persName></person></listPerson>'
        ),
    )
    registry = Registry.load(path)
    [conflict] = registry.conflicts
    assert conflict.entity_ids == ("joseph_stalin", "filippov_pi")
    assert conflict.winner == "filippov_pi"
    [message] = registry.conflict_diagnostics()
    assert message.code == NAME_CONFLICT
    assert '"Filippov"' in message.message and "joseph_stalin" in message.message
    assert f"{path}:1" in message.message and "filippov_pi" in message.message
    assert registry.index.find("Cde. Filippov")[0].candidate.entity_id == "filippov_pi"


def test_later_user_files_win(tmp_path: Path) -> None:
    one = write(
        tmp_path,
        "one.xml",
        '<listPlace><place xml:id="p1"><placeName>Hill 983</placeName></place></listPlace>',
    )
    two = write(
        tmp_path,
        "two.xml",
        '<listPlace><place xml:id="p2"><placeName>Hill 983</placeName></place></listPlace>',
    )
    registry = Registry.load(one, two)
    assert registry.index.find("on Hill 983")[0].candidate.entity_id == "p2"
    assert registry.lookup("Hill 983")[0].id == "p2"


def test_a_bare_list_is_a_registry_file(tmp_path: Path) -> None:
    path = tmp_path / "orgs.xml"
    path.write_text(
        f'<listOrg xmlns="{TEI_NS}"><org xml:id="o1"><orgName>Fourth Unit</orgName>'
        "</org></listOrg>",
        encoding="utf-8",
    )
    assert Registry.load(path, builtin=False).get("o1") is not None


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("<listPerson><person><persName>X</persName></person></listPerson>", "has no xml:id"),
        (
            '<listPerson><person xml:id="a"><persName>X</persName></person>'
            '<person xml:id="a"><persName>Y</persName></person></listPerson>',
            "already defined",
        ),
        (
            '<listPerson><person xml:id="a"><note>no name</note></person></listPerson>',
            "has no name",
        ),
        ("<p>nothing</p>", "no listPerson"),
    ],
)
def test_unusable_registry_files_give_one_clear_error(
    tmp_path: Path, body: str, message: str
) -> None:
    path = write(tmp_path, "bad.xml", body)
    with pytest.raises(InputError) as err:
        Registry.load(path)
    assert message in str(err.value)
    assert str(err.value).startswith(str(path))


def test_missing_malformed_and_foreign_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        Registry.load(tmp_path / "nope.xml")
    broken = tmp_path / "broken.xml"
    broken.write_text("<listPerson><person>", encoding="utf-8")
    with pytest.raises(InputError) as err:
        Registry.load(broken)
    assert str(err.value).startswith(f"{broken}:1")
    foreign = tmp_path / "foreign.xml"
    foreign.write_text("<listPerson/>", encoding="utf-8")
    with pytest.raises(InputError, match="TEI namespace"):
        Registry.load(foreign)


# ------------------------------------------------------------------------------ output
def test_to_tei_gives_the_lists_of_the_requested_entries() -> None:
    registry = Registry.load()
    lists = registry.to_tei(["kaesong", "mao_zedong", "icrc", "joseph_stalin"])
    assert [etree.QName(lst).localname for lst in lists] == ["listPerson", "listPlace", "listOrg"]
    ids = [[e.get("{http://www.w3.org/XML/1998/namespace}id") for e in lst] for lst in lists]
    assert ids == [["mao_zedong", "joseph_stalin"], ["kaesong"], ["icrc"]]
    mao = lists[0][0]
    # identifiers as URIs consumers can follow, the first also in @sameAs
    assert mao.find(f"{T}idno[@type='wikidata']").text == "http://www.wikidata.org/entity/Q5816"
    assert mao.find(f"{T}idno[@type='viaf']").text == "https://viaf.org/viaf/51699962"
    assert mao.get("sameAs") == "http://www.wikidata.org/entity/Q5816"
    assert registry["mao_zedong"].identifier("wikidata") == "Q5816"  # the registry keeps ids
    assert mao.find(f"{T}persName[@type='cipher']") is None
    assert lists[0][1].find(f"{T}persName[@type='cipher']").text == "Filippov"
    assert registry.to_tei([]) == []
    with pytest.raises(KeyError, match="nobody"):
        registry.to_tei(["nobody"])


def test_to_tei_leaves_nested_entries_out(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "nested.xml",
        (
            '<listPlace><place xml:id="korea2"><placeName>Korea</placeName>'
            '<place xml:id="town"><placeName>Town</placeName></place></place></listPlace>'
        ),
    )
    registry = Registry.load(path, builtin=False)
    [lst] = registry.to_tei(["korea2"])
    assert lst[0].find(f"{T}place") is None
    [lst] = registry.to_tei(["town"])
    assert lst[0].find(f"{T}placeName").text == "Town"
