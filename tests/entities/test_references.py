"""Every name of every delivered document points at one entry of its own document.

Over the TEI the converter writes for every fixture record (``tests/fixtures/records``) and every
real record (``encoded/``), both kept equal to the converter's output by their golden tests:

- every ``persName``/``placeName``/``geogName``/``orgName`` in ``text`` has a ``@ref`` whose
  pointers resolve in the document, to an entry of the name's kind (person, place, org);
- one entity has one ``@ref``: mentions with the same reading and kind share it;
- distinct entities never share one: the reading of every mention is a name form of the entry it
  points at (or the entry's form in the gloss that follows it, ``FYN SI [Stalin]``, or that form
  with its initials after the surname, ``Beria L.P.``), so an entry only ever gathers the names
  it lists as its own.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest
from lxml import etree

from tei_cable.xmlio import TEI_NS, XML_NS

T = f"{{{TEI_NS}}}"
XML_ID = f"{{{XML_NS}}}id"
REPO = Path(__file__).resolve().parents[2]
OUTPUTS = sorted((REPO / "encoded").glob("*.xml")) + sorted(
    (REPO / "tests" / "fixtures" / "records").glob("*.xml")
)
NAME_KINDS = {
    f"{T}persName": "person",
    f"{T}placeName": "place",
    f"{T}geogName": "place",
    f"{T}orgName": "org",
}
ENTRY_KINDS = {f"{T}person": "person", f"{T}place": "place", f"{T}org": "org"}
EDITORIAL = {f"{T}corr", f"{T}reg", f"{T}expan", f"{T}note"}  # readings not in the source


def reading(el: etree._Element) -> str:
    """The source reading of a name (editorial alternatives left out), spaces normalised."""
    parts: list[str] = []

    def walk(e: etree._Element) -> None:
        parts.append(e.text or "")
        for child in e:
            if child.tag == f"{T}lb" and child.get("break") != "no":
                parts.append(" ")  # a name written over two lines
            elif isinstance(child.tag, str) and child.tag not in EDITORIAL:
                walk(child)
            parts.append(child.tail or "")

    walk(el)
    return " ".join("".join(parts).split())


def key(name: str) -> str:
    """A name compared without brackets, apostrophes, dots and case."""
    return re.sub(r"[.\s]+", " ", re.sub(r"[\[\]’'`]", "", name)).strip().casefold()


def initials_after(form: str) -> str:
    """``Lavrentii Pavlovich Beria`` read as ``Beria L P`` (surname, then initials)."""
    words = key(form).split()
    return " ".join([words[-1], *(w[0] for w in words[:-1])]) if len(words) > 1 else ""


def glossed_by(el: etree._Element) -> list[str]:
    """The readings of the names in the gloss right after ``el`` (``CKS [Jiang Jieshi]``)."""
    gloss = el.getnext()
    if gloss is None or gloss.tag != f"{T}gloss" or (el.tail or "").strip() not in ("", "["):
        return []
    return [key(reading(n)) for n in gloss.iter(*NAME_KINDS)]


def problems(path: Path) -> list[str]:
    root = etree.parse(str(path)).getroot()
    entries = {e.get(XML_ID): e for e in root.iter(*ENTRY_KINDS) if e.get(XML_ID)}
    forms = {
        entity_id: {key(reading(n)) for n in entry.iter(*NAME_KINDS)}
        for entity_id, entry in entries.items()
    }
    found: list[str] = []
    refs_of: dict[tuple[str, str], set[str]] = defaultdict(set)
    for el in root.find(f"{T}text").iter(*NAME_KINDS):
        kind, name, ref = NAME_KINDS[el.tag], reading(el), el.get("ref")
        where = f"line {el.sourceline}: <{etree.QName(el).localname}> {name!r}"
        if not ref:
            found.append(f"{where} has no @ref")
            continue
        refs_of[(kind, key(name))].add(ref)
        for token in ref.split():
            entry = entries.get(token[1:]) if token.startswith("#") else None
            if entry is None:
                found.append(f"{where}: {token} resolves to no entry of the document")
            elif ENTRY_KINDS[entry.tag] != kind:
                found.append(f"{where}: {token} is a {ENTRY_KINDS[entry.tag]}, not a {kind}")
            elif not (
                key(name) in forms[token[1:]]
                or key(name) in {initials_after(f) for f in forms[token[1:]]}
                or set(glossed_by(el)) & forms[token[1:]]
            ):
                found.append(f"{where}: not a name form of {token} {sorted(forms[token[1:]])}")
    for (kind, name), refs in sorted(refs_of.items()):
        if len(refs) > 1:
            found.append(f"the {kind} {name!r} has several @ref: {sorted(refs)}")
    return found


def test_there_are_outputs_of_every_source() -> None:
    assert len(OUTPUTS) >= 40


@pytest.mark.parametrize("path", OUTPUTS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_name_points_at_one_entry_of_its_own(path: Path) -> None:
    assert problems(path) == []


def test_the_check_finds_what_it_looks_for(tmp_path: Path) -> None:
    doc = tmp_path / "doc.xml"
    doc.write_text(
        f'<TEI xmlns="{TEI_NS}"><standOff><listPerson>'
        '<person xml:id="a"><persName>Ivan Petrov</persName></person>'
        '<person xml:id="b"><persName>Lavrentii Pavlovich Beria</persName></person>'
        "</listPerson></standOff><text><body><p>"
        '<persName ref="#a">Ivan Petrov</persName> <persName ref="#b">Beria L.P.</persName>'
        '<persName ref="#b">Ivan Petrov</persName> <persName>Kim</persName>'
        '<persName ref="#c">Pak</persName> <placeName ref="#a">Petrov</placeName>'
        "</p></body></text></TEI>",
        encoding="utf-8",
    )
    found = problems(doc)
    assert [f.removeprefix("line 1: ") for f in found] == [
        "<persName> 'Ivan Petrov': not a name form of #b ['lavrentii pavlovich beria']",
        "<persName> 'Kim' has no @ref",
        "<persName> 'Pak': #c resolves to no entry of the document",
        "<placeName> 'Petrov': #a is a person, not a place",
        "the person 'ivan petrov' has several @ref: ['#a', '#b']",
    ]
