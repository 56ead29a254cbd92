"""The TEI's Simple Print ODD (its specifications, ``fixtures/odds/simplePrint``): compiled by
default with the warnings the TEI pipeline survives, every element it selects and no other, and
documents get the verdicts its specifications ask for, from lxml and from Jing alike."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from odd_helpers import FIXTURES, P5SUBSET, need, tei, verdicts

from tei_cable.diagnostics import Severity
from tei_cable.odd import OddError, compile_odd

SIMPLE = FIXTURES / "simplePrint" / "tei_simplePrint.odd"


def _compile(**kw):
    return compile_odd(SIMPLE, source=need(P5SUBSET), download=False, **kw)


def test_it_compiles_by_default_with_the_warnings_of_an_older_odd():
    compiled = _compile()
    assert not [d for d in compiled.diagnostics if d.severity >= Severity.ERROR]
    codes = Counter(d.code for d in compiled.diagnostics if d.severity == Severity.WARNING)
    # #simplechanges is referred to, never defined; gaiji lost charProp; model.glossLike is
    # gone; am, ex, spGrp are changed but not selected; gap/@hand, unclear/@hand and
    # teiHeader/@type are deleted but P5 4.9 has them no more; classRef/@exclude
    assert codes == {"O108": 1, "O103": 1, "O105": 1, "O106": 3, "O110": 3, "O122": 1}
    with pytest.raises(OddError):
        _compile(warnings_as_errors=True)


def test_every_element_it_selects_and_no_other():
    text = SIMPLE.read_text(encoding="utf-8")
    selected = set(re.findall(r'<elementRef key="([^"]+)"', text))
    for names in re.findall(r'<moduleRef key="(?:header|corpus|gaiji)"\s+include="([^"]+)"', text):
        selected |= set(names.split())
    selected.discard("charProp")  # not in P5 4.9 (O103)
    rng = _compile().rng_bytes().decode()
    assert set(re.findall(r'<element name="([^"]+)"', rng)) == selected
    assert len(selected) == 167


DOCS = {
    # att.placement: a closed list replacing P5's
    "note-margin": ('<p>x<note place="margin">n</note></p>', True),
    "note-foot": ('<p>x<note place="foot">n</note></p>', False),
    # gap: at most one desc
    "gap-desc": ("<p><gap><desc>x</desc></gap></p>", True),
    "gap-two-desc": ("<p><gap><desc>x</desc><desc>y</desc></gap></p>", False),
    # att.global.rendition: @rend and @style deleted, @rendition semi-open
    "p-rend": ('<p rend="x">x</p>', False),
    "hi-rendition": ('<p><hi rendition="simple:italic">x</hi></p>', True),
    # closed lists added to cell/@role and name/@type
    "cell-data": ('<table><row><cell role="data">x</cell></row></table>', True),
    "cell-other": ('<table><row><cell role="other">x</cell></row></table>', False),
    "name-person": ('<p><name type="person">x</name></p>', True),
    "name-dog": ('<p><name type="dog">x</name></p>', False),
    # attribute classes selected with @include; @exclude is ignored (O122)
    "w-lemma": ('<p><w lemma="x">x</w></p>', True),
    "w-pos": ('<p><w pos="NN">x</w></p>', False),
    "l-rhyme": ('<lg><l rhyme="a">x</l></lg>', True),
    "l-met": ('<lg><l met="x">x</l></lg>', False),
    "div-org": ('<div org="composite"><p>x</p></div>', True),
    # att.global.linking: @sameAs deleted
    "ref-sameAs": ('<p><ref sameAs="#a">x</ref></p>', False),
}


def test_documents_get_the_verdicts_its_specifications_ask_for(tmp_path):
    docs = {f"{name}.xml": tei(body) for name, (body, _ok) in DOCS.items()}
    # TEI/@version deleted
    docs["tei-version.xml"] = tei("<p>x</p>").replace(b"<TEI ", b'<TEI version="4.0" ', 1)
    invalid = {f"{name}.xml" for name, (_b, ok) in DOCS.items() if not ok} | {"tei-version.xml"}
    by_jing, by_lxml = verdicts(_compile().rng_bytes(), docs, tmp_path)
    assert by_jing == by_lxml == invalid
