"""Faults found compiling the ELTeC's published ODDs (a library ODD and its level ODDs),
each reproduced on an ODD of our own: the schema the TEI Stylesheets make, checked with Jing
and libxml2 on documents.

- A spec changed twice (the ELTeC library changes ``TEI`` three times and ``att.canonical``
  twice): the Stylesheets read every change of a spec, so the attribute changes of all of them
  count; only the first change's ``attList`` counted (``key`` stayed on ``att.canonical``,
  ``xml:id`` stayed optional on ``TEI``).
- A compiled library keeps an ``attDef mode="delete"`` for an attribute its TEI source no
  longer has (the ELTeC deletes ``att.datable/@calendar``, which P5 4.x moved to
  ``att.calendarSystem``): a level ODD compiled against it got that attribute back, with no
  datatype, on every element that changes another of the class's attributes (``change``).
- The library's TEI version (its ``TEIVERSION`` before the root element) was read as
  "unknown" in messages.
"""

from __future__ import annotations

from odd_helpers import HEADER, compile_text, odd_text, tei, verdicts

from tei_cable.diagnostics import Severity
from tei_cable.odd import compile_odd

TEI_NS = "http://www.tei-c.org/ns/1.0"

TWICE = """
      <classSpec ident="att.canonical" type="atts" mode="change">
        <attList><attDef ident="ref" mode="change"><desc>an authority record</desc></attDef>
        </attList>
      </classSpec>
      <elementSpec ident="TEI" mode="change">
        <attList><attDef ident="version" mode="delete"/></attList>
      </elementSpec>
      <classSpec ident="att.canonical" type="atts" mode="change">
        <attList><attDef ident="key" mode="delete"/></attList>
      </classSpec>
      <elementSpec ident="TEI" mode="change">
        <attList><attDef ident="xml:id" mode="change" usage="req"/></attList>
      </elementSpec>
      <elementSpec ident="TEI" mode="change">
        <desc>A novel.</desc>
      </elementSpec>"""
#: the same changes, each spec changed once
ONCE = """
      <classSpec ident="att.canonical" type="atts" mode="change">
        <attList><attDef ident="ref" mode="change"><desc>an authority record</desc></attDef>
          <attDef ident="key" mode="delete"/></attList>
      </classSpec>
      <elementSpec ident="TEI" mode="change">
        <desc>A novel.</desc>
        <attList><attDef ident="version" mode="delete"/>
          <attDef ident="xml:id" mode="change" usage="req"/></attList>
      </elementSpec>"""


def document(body: str, tei_attrs: str = ' xml:id="n1"') -> bytes:
    return (
        f'<TEI xmlns="{TEI_NS}"{tei_attrs}>{HEADER}<text><body>{body}</body></text></TEI>'
    ).encode()


def schema_text(rng: bytes) -> bytes:
    return rng.split(b"-->", 1)[1]


def test_a_spec_changed_several_times_keeps_every_change(tmp_path):
    text = odd_text(TWICE)
    compiled = compile_text(text, tmp_path, "twice.odd")
    warnings = [d for d in compiled.diagnostics if d.code == "O116"]
    assert [d.severity for d in warnings] == [Severity.WARNING] * 3
    # the schema the changes give made in one go, as the TEI Stylesheets read them
    once = compile_text(odd_text(ONCE), tmp_path, "once.odd")
    assert once.diagnostics == []
    assert schema_text(compiled.rng_bytes()) == schema_text(once.rng_bytes())
    docs = {
        "valid.xml": document('<p><name ref="#x">Emma</name></p>'),
        "key-deleted.xml": document('<p><name key="x">Emma</name></p>'),
        "id-required.xml": document("<p>x</p>", tei_attrs=""),
        "version-deleted.xml": document("<p>x</p>", tei_attrs=' xml:id="n1" version="4.0"'),
    }
    by_jing, by_lxml = verdicts(compiled.rng_bytes(), docs, tmp_path)
    assert by_jing == by_lxml == {"key-deleted.xml", "id-required.xml", "version-deleted.xml"}


def test_changes_of_classes_and_content_across_two_changes(tmp_path):
    """A later ``classes mode="change"`` adds to (or takes from) the classes an earlier change
    gave; a later ``classes`` without it replaces them; a later content model wins."""
    text = odd_text("""
      <elementSpec ident="hi" mode="change">
        <classes mode="change"><memberOf key="att.typed"/></classes>
        <content><textNode/></content>
      </elementSpec>
      <elementSpec ident="hi" mode="change">
        <classes mode="change"><memberOf key="att.canonical"/></classes>
        <content><elementRef key="emph" minOccurs="0"/></content>
      </elementSpec>
      <elementSpec ident="term" mode="change">
        <classes><memberOf key="att.global"/><memberOf key="model.emphLike"/>
          <memberOf key="att.canonical"/></classes>
      </elementSpec>
      <elementSpec ident="term" mode="change">
        <classes mode="change"><memberOf key="att.canonical" mode="delete"/>
          <memberOf key="att.typed"/></classes>
      </elementSpec>
      <elementSpec ident="label" mode="change">
        <classes mode="change"><memberOf key="att.canonical"/></classes>
      </elementSpec>
      <elementSpec ident="label" mode="change">
        <classes><memberOf key="att.global"/><memberOf key="model.labelLike"/></classes>
      </elementSpec>""")
    compiled = compile_text(text, tmp_path, "classes.odd")
    docs = {
        "hi-both-classes.xml": document('<p><hi type="a" key="k"><emph>x</emph></hi></p>'),
        "hi-text.xml": document("<p><hi>text</hi></p>"),
        "term-typed.xml": document('<p><term type="t">x</term></p>'),
        "term-not-canonical.xml": document('<p><term key="k">x</term></p>'),
        "label-replaced.xml": document('<p><label key="k">x</label></p>'),
        "label.xml": document('<p><label n="1">x</label></p>'),
    }
    by_jing, by_lxml = verdicts(compiled.rng_bytes(), docs, tmp_path)
    invalid = {"hi-text.xml", "term-not-canonical.xml", "label-replaced.xml"}
    assert by_jing == by_lxml == invalid


LIBRARY = """
      <moduleRef key="tei"/>
      <moduleRef key="core" include="p hi title author bibl date"/>
      <moduleRef key="textstructure" include="TEI text body"/>
      <moduleRef key="header" include="teiHeader fileDesc titleStmt publicationStmt
        sourceDesc revisionDesc change"/>
      <classSpec ident="att.datable" type="atts" mode="change">
        <attList><attDef ident="calendar" mode="delete"/><attDef ident="period" mode="delete"/>
        </attList>
      </classSpec>
      <elementSpec ident="change" mode="change">
        <attList><attDef ident="when" mode="change" usage="req"/></attList>
      </elementSpec>"""
LEVEL = """
      <moduleRef key="tei"/>
      <moduleRef key="header" include="teiHeader fileDesc titleStmt publicationStmt
        sourceDesc revisionDesc change taxonomy"/>
      <elementRef key="TEI"/><elementRef key="text"/><elementRef key="body"/>
      <elementRef key="p"/><elementRef key="title"/>"""


def test_a_level_odd_over_a_compiled_library_with_deletes_of_absent_attributes(tmp_path):
    library = compile_text(odd_text(LIBRARY, modules=""), tmp_path, "library.odd")
    # P5 4.x has no att.datable/@calendar: the delete changes nothing (a warning says so),
    # and the compiled library keeps it, as the TEI's odd2odd does
    [warning] = library.diagnostics
    assert warning.code == "O110" and "att.datable: attDef calendar" in warning.message
    assert b'<attDef ident="calendar" mode="delete"/>' in library.odd_bytes()
    compiled_library = tmp_path / "library.compiled.odd"
    compiled_library.write_bytes(library.odd_bytes())
    level_odd = tmp_path / "level.odd"
    level_odd.write_text(
        odd_text(LEVEL, modules="").replace('source="tei:4.9.0"', 'source="library.compiled.odd"'),
        encoding="utf-8",
    )
    level = compile_odd(level_odd, download=False)
    [missing] = [d for d in level.diagnostics if d.code == "O103"]
    assert "taxonomy is not an element of module header in TEI 4.9.0" in missing.message
    assert level.source.version == "4.9.0"
    assert b'name="calendar"' not in level.rng_bytes()

    def with_change(change: str) -> bytes:
        header = HEADER.replace("</fileDesc>", f"</fileDesc><revisionDesc>{change}</revisionDesc>")
        return tei("<p>x</p>", header=header)

    docs = {
        "valid.xml": with_change('<change when="2020-01-01">Proofread.</change>'),
        "calendar.xml": with_change('<change when="2020-01-01" calendar="#g">x</change>'),
        "period.xml": with_change('<change when="2020-01-01" period="#p">x</change>'),
        "no-when.xml": with_change("<change>Proofread.</change>"),
    }
    by_jing, by_lxml = verdicts(level.rng_bytes(), docs, tmp_path)
    assert by_jing == by_lxml == {"calendar.xml", "period.xml", "no-when.xml"}
