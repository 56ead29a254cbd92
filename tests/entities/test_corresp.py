"""Correspondence metadata per letter: senders, addressees, copies, places and dates."""

from __future__ import annotations

from lxml import etree

from tei_cable.convert import Conversion
from tei_cable.model import ArchivalNote, Letter, Paragraph, Part, Record, Text
from tei_cable.xmlio import TEI_NS

NS = {"t": TEI_NS}


def summary(letter: Letter) -> dict[str, object]:
    c = letter.corresp
    return {
        "from": c.senders,
        "to": c.addressees,
        "cc": c.copies,
        "place": c.sent_place,
        "sent": c.sent_when.when if c.sent_when else None,
        "received": c.received_when.when if c.received_when else None,
    }


def test_the_seed_cable_and_its_telegrams(seed_conversion: Conversion) -> None:
    letters = {letter.id: letter for letter in seed_conversion.record.letters()}
    assert summary(letters["L1"]) == {
        "from": ["mao_zedong"],
        "to": ["joseph_stalin"],
        "cc": [],
        "place": "beijing",
        "sent": "1951-07-11",
        "received": "1951-07-11T17:50:00",
    }
    sent = {
        "L1.1": "1951-07-10T11:45:00",
        "L1.2": "1951-07-10T12:00:00",
        "L1.3": "1951-07-10T11:45:00",
        "L1.4": "1951-07-10",
    }
    for ident, when in sent.items():
        assert summary(letters[ident]) == {
            "from": ["li_kenong"],
            "to": ["mao_zedong"],
            "cc": ["kim_il_sung", "peng_dehuai"],
            "place": None,
            "sent": when,
            "received": None,
        }, ident
    assert letters["L1"].corresp.addressee_names == ["FILIPPOV"]


def test_the_seed_correspdesc_in_tei(seed_conversion: Conversion) -> None:
    tree = seed_conversion.tree
    outer = tree.find(".//t:correspDesc[@corresp='#L1']", NS)
    sent = outer.find("t:correspAction[@type='sent']", NS)
    assert sent.find("t:persName", NS).get("ref") == "#mao_zedong"
    assert sent.find("t:placeName", NS).get("ref") == "#beijing"
    received = outer.find("t:correspAction[@type='received']", NS)
    assert received.find("t:persName", NS).get("ref") == "#joseph_stalin"
    assert received.find("t:date", NS).get("when") == "1951-07-11T17:50:00"
    telegram = tree.find(".//t:correspDesc[@corresp='#L1.2']", NS)
    cc = telegram.find("t:correspAction[@type='received'][@subtype='cc']", NS)
    assert [p.get("ref") for p in cc.findall("t:persName", NS)] == ["#kim_il_sung", "#peng_dehuai"]
    assert telegram.find("t:correspContext/t:ref", NS).get("target") == "#L1"
    # every person of every correspAction points into the document's own standOff
    ids = {
        e.get("{http://www.w3.org/XML/1998/namespace}id")
        for e in tree.iterfind(".//t:standOff//t:person", NS)
    }
    refs = {p.get("ref")[1:] for p in tree.iterfind(".//t:correspAction/t:persName", NS)}
    assert refs <= ids


def test_salutation_organisation_fields_and_unresolved_signatures(enrich_record) -> None:
    salute_only = Letter(
        kind="letter",
        opener=[Part("salute", [Text("Dear Comrade Stalin,")])],
        closer=[
            Part("signed", [Text("Ivanov")]),
            Part("dateline", [Text("Pyongyang, 14 March 1949")]),
        ],
    )
    to_org = Letter(
        kind="letter",
        opener=[
            Part("addressee", [Text("To the Central Committee of the Chinese Communist Party")]),
            Part("salute", [Text("Dear comrades!")]),
        ],
    )
    fields = Letter(
        kind="telegram",
        opener=[
            Part("sender", [Text("FROM: Beijing")], label="FROM"),
            Part("addressee", [Text("TO: Moscow")], label="TO"),
            Part("dateline", [Text("DATE SENT: 2 October 1950, 2145 hrs.")]),
        ],
    )
    record = Record(
        title="T",
        document=Letter(
            kind="document", body=[Paragraph([Text("Three letters.")]), salute_only, to_org, fields]
        ),
    )
    enrich_record(record)
    assert summary(salute_only) == {
        "from": ["ivanov"],  # the document's own entry: the registry does not know him
        "to": ["joseph_stalin"],
        "cc": [],
        "place": "pyongyang",
        "sent": "1949-03-14",
        "received": None,
    }
    assert salute_only.corresp.sender_names == ["Ivanov"]
    assert summary(to_org)["to"] == ["ccp_cc"]
    assert summary(fields) == {
        "from": [],
        "to": [],
        "cc": [],
        "place": "beijing",
        "sent": "1950-10-02T21:45:00",
        "received": None,
    }
    assert fields.corresp.received_place == "moscow"


def test_the_catalogue_title_names_the_parties_of_an_unsigned_document(enrich_record) -> None:
    record = Record(
        title="Cable, Mao Zedong to Joseph Stalin",
        title_senders=["Mao Zedong"],
        title_addressees=["Joseph Stalin"],
        document=Letter(
            kind="cable",
            head=[ArchivalNote("transmission", [Text("from Peking received 1750 11 July 1951")])],
        ),
    )
    enrich_record(record)
    assert summary(record.document) == {
        "from": ["mao_zedong"],
        "to": ["joseph_stalin"],
        "cc": [],
        "place": "beijing",
        "sent": None,
        "received": "1951-07-11T17:50:00",
    }


def test_names_in_correspdesc_carry_their_position(seed_conversion: Conversion) -> None:
    text = seed_conversion.tree.find(f"{{{TEI_NS}}}text")
    roles = [(p.text, p.get("role")) for p in text.iter(f"{{{TEI_NS}}}persName") if p.get("role")]
    assert ("MAO ZEDONG", "sender") in roles and ("FILIPPOV", "addressee") in roles
    assert ("KIM IL SUNG", "copy") in roles
    assert etree.QName(text).localname == "text"
