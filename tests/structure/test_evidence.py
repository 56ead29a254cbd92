"""Document-wide rules of correspondence and structure, on every fixture and every real record.

- every ``persName``/``orgName``/``placeName``/``date`` of a ``correspAction`` says where it
  comes from (``@evidence``, ``@source``), and that element names it: the text element carries
  the same entity (``@ref``) or the same words, the title carries the name;
- documents that are not messages (a journal, minutes, a record of a conversation, a quoted
  statement) have no ``correspDesc``;
- ``sp`` only in dialogue (minutes, a conversation), and no field label as a speaker;
- conversion is deterministic (lossless and tei_all validity are held by the golden tests).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

import pytest
from conftest import RECORDS, REPO
from lxml import etree

from tei_cable.convert import convert_record
from tei_cable.kinds import BY_VALUE

T = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
SOURCES = sorted(RECORDS.glob("*.txt")) + sorted((REPO / "encoded" / "sources").glob("*.txt"))
NOT_MESSAGES = {k.value for k in BY_VALUE.values() if k.message == "no"}
#: the archive's title forms that name parties: "Kind, X to Y", "Kind [No. N] from X [to Y]"
TITLE_FORM_RE = re.compile(
    r"^(?:[\w.]+\s+){0,3}?(?:Cable|Telegram|Letter|Memorandum|Note|Report|Petition|Message)s?"
    r"(?:\s+(?:No\.\s*)?[\w./-]*\d[\w./-]*)?(?:,\s|\s+from\s)",
    re.IGNORECASE,
)
FIELD_LABELS = {"classification", "signed", "subject", "date", "from", "to", "sender", "re"}


@cache
def converted(source: Path) -> etree._Element:
    result = convert_record(source.read_text(encoding="utf-8"), path=source.name)
    return result.tree.getroot()


def words(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    return " ".join(re.sub(r"[^\w\s]", " ", text).split()).casefold()


def name_forms(root: etree._Element, ref: str) -> set[str]:
    """The forms of an entity's name in the document's standOff."""
    entry = next((e for e in root.iter() if e.get(XML_ID) == ref.lstrip("#")), None)
    if entry is None:
        return set()
    return {
        words("".join(n.itertext()))
        for n in entry.iter(f"{T}persName", f"{T}orgName", f"{T}placeName", f"{T}geogName")
    }


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_every_correspondent_is_stated_where_it_points(source: Path) -> None:
    root = converted(source)
    ids = {e.get(XML_ID): e for e in root.iter() if e.get(XML_ID)}
    text = root.find(f"{T}text")
    for action in root.iter(f"{T}correspAction"):
        for fact in action:
            if fact.tag == f"{T}note":
                continue
            where = f"{source.stem}: {etree.tostring(fact, encoding='unicode')[:160]}"
            assert fact.get("evidence") in ("internal", "external"), where
            target = ids.get((fact.get("source") or "#").lstrip("#"))
            assert target is not None, f"@source does not resolve: {where}"
            if fact.get("evidence") == "external":
                assert target.tag == f"{T}title" and target.getparent().tag == f"{T}titleStmt"
                title = "".join(target.itertext())
                assert TITLE_FORM_RE.match(title), (
                    f"a title not of the form 'Kind, X to Y': {where}"
                )
            else:
                assert any(a is text for a in target.iterancestors()), f"not in text: {where}"
            stated = words("".join(target.itertext()))
            if fact.tag in (f"{T}date", f"{T}time"):
                values = {fact.get(a) for a in ("when", "from", "notBefore") if fact.get(a)}
                marked = {
                    d.get(a)
                    for d in target.iter(f"{T}date", f"{T}time")
                    for a in ("when", "from", "notBefore")
                    if d.get(a)
                }
                assert values & marked or words(fact.text or "") in stated, where
                continue
            ref = fact.get("ref")
            marked_refs = {e.get("ref") for e in target.iter() if e.get("ref")}
            forms = name_forms(root, ref) if ref else set()
            label = words(fact.text or "")
            assert (
                (ref and ref in marked_refs)
                or (label and label in stated)
                or any(f and f in stated for f in forms)
            ), f"the element it points at does not name it: {where}"


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_documents_that_are_not_messages_have_no_correspondents(source: Path) -> None:
    root = converted(source)
    described = {d.get("corresp", "").lstrip("#") for d in root.iter(f"{T}correspDesc")}
    for letter in root.iter(f"{T}div", f"{T}floatingText"):
        if letter.get("type") in NOT_MESSAGES and letter.get(XML_ID):
            assert letter.get(XML_ID) not in described, (source.stem, letter.get(XML_ID))
            assert letter.get("decls") is None
    kind = root.find(f"{T}text").get("type")
    assert kind in BY_VALUE
    if kind in NOT_MESSAGES:
        assert "L1" not in described


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_speech_only_in_dialogue(source: Path) -> None:
    root = converted(source)
    for sp in root.iter(f"{T}sp"):
        owner = next(
            a
            for a in sp.iterancestors()
            if a.tag in (f"{T}div", f"{T}floatingText") and a.get(XML_ID)
        )
        assert owner.get("type") in ("conversation", "protocol", "document"), source.stem
        speaker = words("".join(sp.find(f"{T}speaker").itertext()))
        assert speaker not in FIELD_LABELS, (source.stem, speaker)


@pytest.mark.parametrize(
    "source", SOURCES[len(list(RECORDS.glob("*.txt"))) :], ids=lambda p: p.stem
)
def test_real_records_convert_deterministically(source: Path) -> None:
    text = source.read_text(encoding="utf-8")
    first = convert_record(text, path=source.name).to_bytes()
    assert convert_record(text, path=source.name).to_bytes() == first


#: what an editor adds around a name: a gloss, a relay note, a description
EDITORIAL_IN_NAME = re.compile(r"[\[\]()]|\bvia\b|\bthrough\b", re.IGNORECASE)


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_a_correspondent_is_named_without_glosses_or_relay_notes(source: Path) -> None:
    """``Mao Zedong [via Terebin]`` and ``Flilippov [Stalin]`` are what the title writes; the
    correspondent is ``Mao Zedong`` (``Stalin`` through the registry), never the bracketed
    note."""
    root = converted(source)
    for action in root.iter(f"{T}correspAction"):
        for fact in action:
            if fact.tag in (f"{T}persName", f"{T}orgName", f"{T}placeName", f"{T}name"):
                label = "".join(fact.itertext())
                assert label.strip() and not EDITORIAL_IN_NAME.search(label), (
                    source.stem,
                    label,
                )


def test_the_cmif_export_names_correspondents_cleanly() -> None:
    """The same on what correspSearch receives: CMIF of every record's TEI."""
    from tei_cable.export import Editor, ExportOptions
    from tei_cable.export.cmif import write_cmif
    from tei_cable.export.teidoc import load

    encoded = sorted(RECORDS.glob("*.xml")) + sorted((REPO / "encoded").glob("*.xml"))
    options = ExportOptions(
        editors=(Editor("Jane Doe", "jane.doe@example.org"),),
        url="https://example.org/cmif.xml",
        date="2026-01-01T00:00:00Z",
    )
    cmif = etree.fromstring(write_cmif([load(p) for p in encoded], options))
    names = [
        "".join(e.itertext())
        for e in cmif.iter(f"{T}persName", f"{T}orgName", f"{T}placeName")
        if any(a.tag == f"{T}correspAction" for a in e.iterancestors())
    ]
    assert len(names) > 50
    assert not [n for n in names if EDITORIAL_IN_NAME.search(n)]


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_the_headers_classification_and_copy_point_at_the_text_that_states_them(
    source: Path,
) -> None:
    root = converted(source)
    ids = {e.get(XML_ID): e for e in root.iter() if e.get(XML_ID)}
    text = root.find(f"{T}text")
    for note in root.iterfind(f"{T}teiHeader//{T}notesStmt/{T}note[@source]"):
        assert note.get("type") in ("classification", "copy")
        target = ids.get(note.get("source").lstrip("#"))
        assert target is not None and any(a is text for a in target.iterancestors())
        assert words(note.text) in words("".join(target.itertext())), source.stem


def test_a_labelled_classification_and_a_copy_line_reach_the_header() -> None:
    tree = convert_record(
        "**May 1, 1950  \nTelegram from the Embassy in Pyongyang**\n\n**Summary:**\n\nA test.\n\n"
        "Classification: Strictly Secret\nCopy No. 4\nTo: Comrade Deputy Minister\n"
        "The talks began.\n"
    ).tree.getroot()
    notes = {
        n.get("type"): (n.text, n.get("source")) for n in tree.iterfind(f".//{T}notesStmt/{T}note")
    }
    assert notes["classification"] == ("Strictly Secret", "#L1-classification")
    assert notes["copy"] == ("Copy No. 4", "#L1-copy")
    stated = convert_record(
        "**May 1, 1950  \nTelegram from the Embassy in Pyongyang**\n\n**Summary:**\n\nA test.\n\n"
        "**Original Classification:**\n\nSecret\n\nClassification: Strictly Secret\n"
        "The talks began.\n"
    ).tree.getroot()
    kept = [n.text for n in stated.iterfind(f".//{T}notesStmt/{T}note[@type='classification']")]
    assert kept == ["Secret"]  # the record's own statement, once


def _bound(date: etree._Element, names: tuple[str, ...]) -> str | None:
    return next((date.get(n) for n in names if date.get(n)), None)


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_no_letter_is_received_before_it_is_sent(source: Path) -> None:
    """A received date before the sent date is not the addressee's receipt (an outgoing
    telegram's copy says when the cipher office received the text): it is left out."""
    root = converted(source)
    for desc in root.iter(f"{T}correspDesc"):
        sent = desc.find(f"{T}correspAction[@type='sent']/{T}date")
        received = desc.find(f"{T}correspAction[@type='received']/{T}date")
        if sent is None or received is None:
            continue
        earliest = _bound(sent, ("when", "notBefore", "from"))
        latest = _bound(received, ("when", "notAfter", "to"))
        if earliest and latest:
            n = min(len(earliest), len(latest))
            assert latest[:n] >= earliest[:n], (source.stem, desc.get("corresp"))
