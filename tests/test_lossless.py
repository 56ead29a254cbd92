"""Nothing of the source is lost, and the check cannot be fooled (issue 13, cases 1–3).

The check covers the whole source: the front matter in the header, the document in the text,
every line of the input in some record. Each case the check once missed is here: a repeated
section, several records in one file, shuffled paragraphs and a doubled label line; and the
check is shown to fail, with the line, when the TEI really lacks something.
"""

from __future__ import annotations

import copy
import random
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import RECORDS, REPO
from lxml import etree

from tei_cable.cli import main
from tei_cable.convert import convert_record, convert_records
from tei_cable.diagnostics import InputError
from tei_cable.lossless import check_record, front_matter_items
from tei_cable.readers import read_record, read_records

NS = {"t": "http://www.tei-c.org/ns/1.0"}
ENCODED = REPO / "encoded" / "sources"
FIXTURES = sorted(RECORDS.glob("*.txt"))
SOURCES = [*FIXTURES, *sorted(ENCODED.glob("*.txt"))]


def lines_of(text: str) -> list[str]:
    return text.split("\n")


# -- case 1: a repeated section ---------------------------------------------------------------


def test_a_citation_line_given_twice_loses_nothing() -> None:
    seed = (ENCODED / "wilson-117409.txt").read_text(encoding="utf-8")
    doubled = seed.replace("**Citation:**\n", "**Citation:**\n\n**Citation:**\n", 1)
    result = convert_record(doubled)
    bibl = result.tree.getroot().find(".//t:sourceDesc/t:bibl[@type='citation']", NS)
    assert "".join(bibl.itertext()).startswith('"Cable, Mao Zedong to Joseph Stalin,"')
    assert result.lossless().ok, result.lossless().explain()


@pytest.mark.parametrize("label", ["Summary", "Credits", "Original Language", "Contents"])
def test_any_section_given_twice_loses_nothing(label: str) -> None:
    seed = (ENCODED / "wilson-117409.txt").read_text(encoding="utf-8")
    doubled = seed.replace(f"**{label}:**\n", f"**{label}:**\n\n**{label}:**\n", 1)
    result = convert_record(doubled)
    assert result.lossless().ok, result.lossless().explain()
    assert result.to_bytes() == convert_record(doubled).to_bytes()


def test_a_lost_citation_is_reported_with_its_line() -> None:
    text = (ENCODED / "wilson-117409.txt").read_text(encoding="utf-8")
    result = convert_record(text)
    tree = copy.deepcopy(result.tree)
    bibl = tree.getroot().find(".//t:sourceDesc/t:bibl[@type='citation']", NS)
    bibl.text = ""
    for element in tree.getroot().iter(f"{{{NS['t']}}}msDesc"):
        element.getparent().remove(element)
    report = check_record(result.record, tree, lines_of(text))
    assert not report.ok
    assert any(loss.line == 8 and "section 'Citation'" in loss.part for loss in report.losses)
    assert "wilson-117409.txt:8: lost from the section 'Citation'" in report.explain(
        "wilson-117409.txt"
    )


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_every_front_matter_line_is_checked_in_the_header(source: Path) -> None:
    """Take each front-matter line's text out of the header: the check names that line."""
    text = source.read_text(encoding="utf-8")
    result = convert_record(text, path=source.name)
    assert result.lossless().ok, result.lossless().explain()
    items = front_matter_items(result.record)
    rng = random.Random(source.name)
    for line, part, value, is_address in rng.sample(items, min(4, len(items))):
        tree = copy.deepcopy(result.tree)
        header = tree.getroot().find("t:teiHeader", NS)
        for element in header.iter():
            if element.text and value in element.text:
                element.text = element.text.replace(value, "")
            if element.tail and value in element.tail:
                element.tail = element.tail.replace(value, "")
            for name, attr in element.attrib.items():
                if is_address and attr == value:
                    del element.attrib[name]
        report = check_record(result.record, tree, lines_of(text))
        assert any(loss.line == line for loss in report.losses), (line, part, value)


# -- case 2: several records in one file ------------------------------------------------------


def joined(*names: str, separator: str = "") -> str:
    return separator.join((ENCODED / f"{name}.txt").read_text(encoding="utf-8") for name in names)


THREE = ("wilson-110296", "wilson-node-88057", "wilson-117409")


@pytest.mark.parametrize("separator", ["", "\n", "\n\n\n"], ids=["cat", "blank", "blanks"])
def test_several_records_in_one_file_are_each_read(separator: str) -> None:
    text = joined(*THREE, separator=separator)
    records = read_records(text)
    singles = [read_record((ENCODED / f"{n}.txt").read_text(encoding="utf-8")) for n in THREE]
    assert [r.title for r in records] == [r.title for r in singles]
    assert [r.summary for r in records] == [r.summary for r in singles]
    assert [r.body_text.strip() for r in records] == [r.body_text.strip() for r in singles]
    results = convert_records(text)
    assert results.lossless().ok, results.lossless().explain()
    assert results.names() == [
        "wilson-cable-stalin-kuznetsov-mao-zedong-terebin-1",
        "wilson-node-88057",
        "wilson-117409",
    ]


def test_a_hundred_records_in_one_file_are_a_hundred() -> None:
    sources = sorted(ENCODED.glob("*.txt"))
    texts = [sources[k % len(sources)].read_text(encoding="utf-8") for k in range(100)]
    records = read_records("".join(texts))
    assert len(records) == 100
    assert [r.title for r in records] == [read_record(t).title for t in texts]


def test_one_record_where_one_is_expected_and_an_error_otherwise() -> None:
    text = joined(*THREE)
    with pytest.raises(InputError) as error:
        convert_record(text, path="three.txt")
    assert error.value.code == "R106"
    assert str(error.value).startswith("three.txt:16: the input holds 3 records")
    with pytest.raises(InputError):
        read_record(text)


def test_a_record_left_out_is_reported_line_by_line() -> None:
    text = joined(*THREE)
    results = convert_records(text)
    partial = [(c.record, c.tree) for c in results]
    del partial[1]
    from tei_cable.lossless import check_source

    report = check_source(text, partial)
    assert not report.ok
    lost = {loss.line for loss in report.losses}
    assert results[1].record.span[0] in lost and results[1].record.span[1] in lost
    assert all(loss.part == "input" for loss in report.losses)


def test_records_without_title_blocks_are_split_at_their_sections() -> None:
    text = (
        "**Summary:**\n\nThe first summary of a telegram.\n\nTo Comrade A\n\nText one.\n\n"
        "**Summary:**\n\nThe second summary of a telegram.\n\nTo Comrade B\n\nText two.\n"
    )
    records = read_records(text)
    assert [r.summary for r in records] == [
        "The first summary of a telegram.",
        "The second summary of a telegram.",
    ]
    assert convert_records(text).lossless().ok


def test_cli_out_dir_writes_one_file_per_record(tmp_path: Path) -> None:
    source = tmp_path / "search-results.txt"
    source.write_text(joined(*THREE), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    result = CliRunner().invoke(main, ["convert", "-q", str(source), "--out-dir", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "wilson-117409.xml",
        "wilson-cable-stalin-kuznetsov-mao-zedong-terebin-1.xml",
        "wilson-node-88057.xml",
    ]
    single = convert_record((ENCODED / "wilson-117409.txt").read_text(encoding="utf-8"))
    assert (out / "wilson-117409.xml").read_bytes() == single.to_bytes()


def test_cli_same_record_twice_never_overwrites(tmp_path: Path) -> None:
    source = tmp_path / "twice.txt"
    source.write_text(joined("wilson-117409", "wilson-117409"), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    result = CliRunner().invoke(main, ["convert", "-q", str(source), "--out-dir", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["wilson-117409-2.xml", "wilson-117409.xml"]


def test_cli_output_is_a_tei_corpus_with_distinct_ids(tmp_path: Path) -> None:
    source = tmp_path / "three.txt"
    source.write_text(joined(*THREE), encoding="utf-8")
    target = tmp_path / "corpus.xml"
    result = CliRunner().invoke(main, ["convert", "-q", str(source), "-o", str(target)])
    assert result.exit_code == 0, result.output
    root = etree.parse(str(target)).getroot()
    assert root.tag == f"{{{NS['t']}}}teiCorpus"
    members = root.findall("t:TEI", NS)
    assert [m.get("{http://www.w3.org/XML/1998/namespace}id") for m in members] == [
        "wilson-cable-stalin-kuznetsov-mao-zedong-terebin-1",
        "wilson-node-88057",
        "wilson-117409",
    ]
    ids = [e.get("{http://www.w3.org/XML/1998/namespace}id") for e in root.iter()]
    ids = [i for i in ids if i]
    assert len(ids) == len(set(ids))
    decls = members[2].find(".//t:body/t:div", NS).get("decls")
    assert decls == "#wilson-117409.cd-L1"
    assert members[2].find(".//t:correspDesc", NS).get("corresp") == "#wilson-117409.L1"
    stdout = CliRunner().invoke(main, ["convert", "-q", str(source)])
    assert stdout.stdout_bytes == target.read_bytes(), "standard output gets the same corpus"


def test_tei_corpus_is_valid_against_our_schema_and_tei_all(tmp_path: Path) -> None:
    from tei_cable.validate.runner import Validator

    corpus = convert_records(joined(*THREE)).to_corpus()
    target = tmp_path / "corpus.xml"
    target.write_bytes(etree.tostring(corpus, xml_declaration=True, encoding="UTF-8"))
    assert not Validator().validate_file(str(target)).issues
    from conftest import jing, tei_all_rng

    result = jing(tei_all_rng(), target)
    assert result.returncode == 0, result.stdout


# -- case 3: shuffled paragraphs, a doubled label line ----------------------------------------


@pytest.mark.parametrize("source", FIXTURES, ids=lambda p: p.stem)
def test_shuffled_or_doubled_source_lines_lose_nothing(source: Path) -> None:
    text = source.read_text(encoding="utf-8")
    rng = random.Random(source.name)
    paragraphs = text.split("\n\n")
    head, rest = paragraphs[:3], paragraphs[3:]
    rng.shuffle(rest)
    labels = [line for line in text.split("\n") if line.startswith("**") and line.endswith(":**")]
    variants = ["\n\n".join(head + rest)]
    if labels:
        label = rng.choice(labels)
        variants.append(text.replace(label, f"{label}\n{label}", 1))
    for variant in variants:
        results = convert_records(variant)
        assert results.lossless().ok, results.lossless().explain()


@pytest.mark.parametrize("source", FIXTURES[:6], ids=lambda p: p.stem)
def test_a_lost_word_or_moved_paragraph_in_the_tei_is_found_with_its_line(source: Path) -> None:
    text = source.read_text(encoding="utf-8")
    result = convert_record(text)
    paragraphs = result.tree.getroot().findall(".//t:text//t:p", NS)
    long_ones = [p for p in paragraphs if p.text and len(p.text.split()) > 3]
    if len(long_ones) < 2:
        pytest.skip("no two paragraphs with text of their own")
    tree = copy.deepcopy(result.tree)
    first = tree.getroot().findall(".//t:text//t:p", NS)[paragraphs.index(long_ones[0])]
    word = first.text.split()[1]
    first.text = first.text.replace(word, "", 1)
    report = check_record(result.record, tree, lines_of(text))
    assert not report.ok
    lost = [loss for loss in report.losses if loss.kind == "lost"]
    assert lost and word.startswith(lost[0].text[:3])
    source_line = next(k for k, line in enumerate(lines_of(text), 1) if long_ones[0].text in line)
    assert lost[0].line == source_line

    moved = copy.deepcopy(result.tree)
    ps = [moved.getroot().findall(".//t:text//t:p", NS)[paragraphs.index(p)] for p in long_ones[:2]]
    ps[0].text, ps[1].text = ps[1].text, ps[0].text
    report = check_record(result.record, moved, lines_of(text))
    assert not report.ok
    assert {loss.kind for loss in report.losses} == {"lost", "added"}


def test_a_line_the_reader_set_aside_is_reported() -> None:
    text = (ENCODED / "wilson-117409.txt").read_text(encoding="utf-8")
    result = convert_record(text)
    record = copy.deepcopy(result.record)
    credits = next(s for s in record.sections if s.label == "Credits")
    record.sections.remove(credits)
    report = check_record(record, result.tree, lines_of(text))
    assert [(loss.line, loss.part) for loss in report.losses] == [
        (credits.line, "record"),
        (credits.line_numbers[0], "record"),
    ]
