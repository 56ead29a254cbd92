"""Schematron extraction from a compiled ODD: each place the TEI's own extraction has had bugs.

The big check compares the extraction of the whole TEI (``p5subset.xml``) with the
``sch:pattern`` elements that the TEI's XSLT pipeline embedded in ``tei_all`` 4.9.0, rule for
rule and on real documents; the small fixture holds one constraint of each kind.
"""

from __future__ import annotations

import copy
from collections import Counter
from pathlib import Path

import pytest
from conftest import SHARED
from lxml import etree

from tei_cable.odd.schematron import extract_schematron
from tei_cable.schematron.engine import SchematronValidator
from tei_cable.schematron.schema import load_schema
from tei_cable.xmlio import safe_parser

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "schematron"
COMPILED = FIXTURES / "compiled.odd"
S = "{http://purl.oclc.org/dsdl/schematron}"
T = "{http://www.tei-c.org/ns/1.0}"
TEI_NS = "http://www.tei-c.org/ns/1.0"


def need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"reference data not found at {path} (only in the development workplace)")
    return path


def norm(text: str | None) -> str:
    return " ".join((text or "").split())


def checks(root: etree._Element) -> Counter[tuple[str, ...]]:
    """Every assert/report as (context, kind, test, role, message text, rule lets)."""
    found: Counter[tuple[str, ...]] = Counter()
    for rule in root.iter(f"{S}rule"):
        lets = " ; ".join(
            f"{let.get('name')}={norm(let.get('value'))}" for let in rule.findall(f"{S}let")
        )
        for check in rule:
            if check.tag in (f"{S}assert", f"{S}report"):
                found[
                    (
                        norm(rule.get("context")),
                        etree.QName(check).localname,
                        norm(check.get("test")),
                        check.get("role") or rule.get("role") or "",
                        norm(etree.tostring(check, method="text", encoding="unicode")),
                        lets,
                    )
                ] += 1
    return found


# ----------------------------------------------------------------------------- tei_all


@pytest.fixture(scope="module")
def p5_schema() -> etree._ElementTree:
    source = etree.parse(str(need(SHARED / "tei" / "p5subset.xml")), safe_parser())
    return extract_schematron(source)


@pytest.fixture(scope="module")
def tei_embedded() -> etree._Element:
    return load_schema(need(SHARED / "tei" / "derived" / "tei_all-4.9.0.rng")).root


def test_tei_all_has_the_same_rules_as_the_teis_own_build(
    p5_schema: etree._ElementTree, tei_embedded: etree._Element
) -> None:
    ours, theirs = checks(p5_schema.getroot()), checks(tei_embedded)
    assert len(tei_embedded.findall(f"{S}pattern")) == 91
    assert sum(theirs.values()) == 101
    assert not theirs - ours  # every assert/report of the TEI's build, unchanged
    extra = ours - theirs
    # Ours adds the deprecation warnings the RNG-embedded rules lack: the two elements of
    # p5subset 4.9.0 with a @validUntil (superEntry, re).
    assert sorted((k[0], k[2], k[3]) for k in extra) == [
        ("tei:re", "true()", "warning"),
        ("tei:superEntry", "true()", "warning"),
    ]
    root = p5_schema.getroot()
    assert root.get("queryBinding") == "xslt2"
    assert len(root.findall(f"{S}pattern")) == 93
    ids = [e.get("id") for e in root.iter(f"{S}pattern", f"{S}rule")]
    assert len(ids) == len(set(ids)) and all(ids)
    rule_ids = {r.get("id") for r in root.iter(f"{S}rule")}
    assert {
        "relation-ref-or-key-or-name",
        "att.spanning-spanTo-spanTo-points-to-following",
        "att.repeatable-MINandMAXoccurs-1",
        "att.repeatable-MINandMAXoccurs-2",
        "elementRef-only_sensible_attrs-1",
        "content-anyElement-require",
        "superEntry-deprecated",
    } <= rule_ids
    namespaces = {n.get("prefix"): n.get("uri") for n in root.findall(f"{S}ns")}
    assert namespaces == {
        n.get("prefix"): n.get("uri")
        for n in tei_embedded.findall(f"{S}ns")
        if n.get("prefix") not in ("xi", "xlink")
    }


def test_tei_all_extraction_gives_the_same_results_on_documents(
    p5_schema: etree._ElementTree, tei_embedded: etree._Element
) -> None:
    ours = SchematronValidator(p5_schema)
    theirs = SchematronValidator(tei_embedded)
    test_dir = need(SHARED / "tei" / "corpus" / "TEIC__TEI" / "P5" / "Test")
    files = [*sorted(test_dir.glob("*.xml"))[:25], test_dir / "detest.xml"]
    compared = 0
    for path in files:
        data = path.read_bytes()
        try:
            tree = etree.fromstring(data, safe_parser()).getroottree()
        except etree.XMLSyntaxError:
            continue
        mine = [
            (i.line, i.column, i.severity, i.message)
            for i in ours.validate(tree, source=data)
            if not i.rule.endswith("-deprecated")
        ]
        tei = [
            (i.line, i.column, i.severity, i.message) for i in theirs.validate(tree, source=data)
        ]
        assert mine == tei, path.name
        compared += len(tei)
    assert compared >= 40  # detest.xml alone breaks dozens of rules


# ----------------------------------------------------------------------------- the fixture


@pytest.fixture(scope="module")
def mini() -> etree._Element:
    return extract_schematron(etree.parse(str(COMPILED), safe_parser())).getroot()


def rule(schema: etree._Element, rule_id: str) -> etree._Element:
    found = [r for r in schema.iter(f"{S}rule") if r.get("id") == rule_id]
    assert len(found) == 1, rule_id
    return found[0]


def test_bare_asserts_get_contexts_from_their_spec(mini: etree._Element) -> None:
    assert rule(mini, "root-is-TEI").get("context") == "/"
    assert rule(mini, "p-p-not-empty").get("context") == "tei:p"
    assert rule(mini, "hi-rend-rend-known").get("context") == "tei:hi/@rend"
    # class: every member, also through a class that is a member (att.sub → p)
    assert rule(mini, "att.typed-typed-members").get("context") == "tei:div | tei:hi | tei:p"
    assert rule(mini, "att.typed-subtype-subtype-needs-type").get("context") == (
        "tei:div/@subtype | tei:hi/@subtype | tei:p/@subtype"
    )
    # macro: the elements whose content uses it; altIdent is the element's real name
    assert rule(mini, "macro.para-para-no-tabs").get("context") == "tei:annotation | tei:p"
    # dataSpec: the attributes whose datatype uses it, directly or through another dataSpec
    context = rule(mini, "teidata.word-word-no-digits").get("context", "")
    assert set(context.split(" | ")) == {
        "tei:hi/@rend",
        "tei:hi/@old",
        "tei:hi/@place",
        "tei:div/@type",
        "tei:hi/@type",
        "tei:p/@type",
        "tei:div/@subtype",
        "tei:hi/@subtype",
        "tei:p/@subtype",
    }
    assert rule(mini, "note-note-ns").get("context") == "tei:annotation"


def test_explicit_contexts_are_kept(mini: etree._Element) -> None:
    assert rule(mini, "div-div-has-p-2").get("context") == "tei:div"


def test_ns_go_to_the_top_once_each(mini: etree._Element) -> None:
    namespaces = [(n.get("prefix"), n.get("uri")) for n in mini.findall(f"{S}ns")]
    # m is declared by two constraints; y only by an xmlns:y on the report that uses it
    assert namespaces == [
        ("tei", TEI_NS),
        ("m", "http://www.w3.org/1998/Math/MathML"),
        ("y", "urn:example:y"),
    ]
    assert not [n for n in mini.iter(f"{S}ns") if n.getparent() is not mini]
    first_pattern = mini.index(mini.find(f"{S}pattern"))
    assert all(mini.index(n) < first_pattern for n in mini.findall(f"{S}ns"))


def test_lets_stay_in_their_scope(mini: etree._Element) -> None:
    # beside bare asserts: inside the generated rule, where the context node is
    assert [x.get("name") for x in rule(mini, "p-p-not-empty").findall(f"{S}let")] == ["words"]
    # beside rules: in the pattern
    pattern = rule(mini, "div-div-has-p-1").getparent()
    assert [x.get("name") for x in pattern.findall(f"{S}let")] == ["paras"]
    # a constraint (or a pattern) of variables only: schema level, before the patterns
    assert [x.get("name") for x in mini.findall(f"{S}let")] == ["allowed-rends", "max-notes"]


def test_class_and_macro_constraints_are_kept(mini: etree._Element) -> None:
    ids = {r.get("id") for r in mini.iter(f"{S}rule")}
    assert {
        "att.typed-typed-members",
        "att.typed-subtype-subtype-needs-type",
        "macro.para-para-no-tabs",
        "teidata.word-word-no-digits",
    } <= ids


def test_rules_naming_removed_elements_are_pruned(mini: etree._Element) -> None:
    ids = {r.get("id") for r in mini.iter(f"{S}rule")}
    assert not any(i.startswith("div-div-not-in-verse") for i in ids)
    # of a union, only the alternative that names an undefined element (lg) goes
    assert rule(mini, "div-div-has-p-1").get("context") == "tei:div[@type = 'letter']"
    assert not any(i.startswith("att.orphan") for i in ids)  # a class without members
    comments = [c.text for c in mini.iter(etree.Comment)]
    assert any("div-not-in-verse" in c for c in comments)
    assert any("att.orphan has no member elements" in c for c in comments)


def test_a_source_customization_is_not_pruned() -> None:
    odd = etree.parse(str(COMPILED), safe_parser())
    spec = odd.find(f".//{T}schemaSpec")
    etree.SubElement(spec, f"{T}moduleRef", key="linking")
    schema = extract_schematron(odd).getroot()
    assert rule(schema, "div-div-not-in-verse").get("context") == "tei:l//tei:div"
    assert rule(schema, "div-div-has-p-1").get("context") == (
        "tei:div[@type = 'letter'] | tei:lg/tei:div"
    )


def test_deprecations_become_warnings(mini: etree._Element) -> None:
    element = rule(mini, "note-deprecated")
    assert element.get("context") == "tei:annotation"
    report = element.find(f"{S}report")
    assert (report.get("test"), report.get("role")) == ("true()", "warning")
    assert norm(report.text) == (
        "The annotation element is deprecated (valid until 2029-12-31). Use a p instead."
    )
    attribute = rule(mini, "hi-old-deprecated").find(f"{S}report")
    assert (attribute.get("test"), attribute.get("role")) == ("@old", "warning")
    value = rule(mini, "hi-place-over-deprecated").find(f"{S}report")
    assert value.get("test") == "tokenize(normalize-space(@place), ' ') = 'over'"


def test_any_element_require_becomes_a_report(mini: etree._Element) -> None:
    report = rule(mini, "note-anyElement-require").find(f"{S}report")
    assert report.get("test") == (
        f"descendant::*[not(namespace-uri(.) = ('http://www.w3.org/1998/Math/MathML', '{TEI_NS}'))]"
    )


def test_examples_and_other_schemes_are_ignored(mini: etree._Element) -> None:
    text = etree.tostring(mini, encoding="unicode")
    assert "From an example" not in text and "example-only" not in text
    assert "Not Schematron" not in text


def test_ids_are_stable_and_unique() -> None:
    odd = etree.parse(str(COMPILED), safe_parser())
    first = extract_schematron(odd)
    spec = odd.find(f".//{T}schemaSpec")
    specs = [e for e in spec if e.tag == f"{T}elementSpec"]
    for element in specs:
        spec.remove(element)
    for element in reversed(specs):  # the same specs in another order
        spec.append(element)
    second = extract_schematron(odd)
    ids = [r.get("id") for r in first.iter(f"{S}rule")]
    assert len(ids) == len(set(ids))
    assert sorted(ids) == sorted(r.get("id") for r in second.iter(f"{S}rule"))
    again = extract_schematron(etree.parse(str(COMPILED), safe_parser()))
    assert etree.tostring(again) == etree.tostring(first)  # byte-identical


def test_lang_keeps_one_language() -> None:
    odd = etree.parse(str(COMPILED), safe_parser())
    everything = {r.get("id") for r in extract_schematron(odd).iter(f"{S}rule")}
    english = {r.get("id") for r in extract_schematron(odd, lang="en").iter(f"{S}rule")}
    assert everything - english == {"div-div-typed-fr"}


def small_odd(constraints: str, decl: str = "") -> etree._ElementTree:
    return etree.fromstring(
        f'<TEI xmlns="{TEI_NS}" xmlns:sch="http://purl.oclc.org/dsdl/schematron"><text><body>'
        f'<schemaSpec ident="x" start="p">{decl}<elementSpec ident="p"><content><textNode/>'
        f"</content>{constraints}</elementSpec></schemaSpec></body></text></TEI>"
    ).getroottree()


@pytest.mark.parametrize(
    ("test", "decl", "binding"),
    [
        ("count(tei:p) = 1", "", "xslt"),
        ("matches(., 'x')", "", "xslt2"),
        ("@n eq '1'", "", "xslt2"),
        ("tei:p ! string(.) = 'x'", "", "xslt3"),
        ("count(tei:p) = 1", '<constraintDecl scheme="schematron" queryBinding="xslt3"/>', "xslt3"),
        ("matches(., 'x')", '<constraintDecl scheme="schematron" queryBinding="xslt"/>', "xslt2"),
    ],
)
def test_query_binding_is_what_the_queries_need(test: str, decl: str, binding: str) -> None:
    odd = small_odd(
        f'<constraintSpec ident="c" scheme="schematron"><constraint>'
        f'<sch:assert test="{test}">m</sch:assert></constraint></constraintSpec>',
        decl,
    )
    assert extract_schematron(odd).getroot().get("queryBinding") == binding


def test_extracted_schema_validates_with_ids_lines_and_severities(mini: etree._Element) -> None:
    validator = SchematronValidator(copy.deepcopy(mini))
    text = (
        f'<TEI xmlns="{TEI_NS}">\n<text>\n<body>\n'
        '<div type="letter" subtype="x"><p>two words</p></div>\n'
        '<div subtype="y"><p><hi rend="u" old="1">bad</hi></p></div>\n'
        "<annotation>note</annotation>\n</body>\n</text>\n</TEI>\n"
    )
    data = text.encode()
    tree = etree.fromstring(data, safe_parser()).getroottree()
    found = sorted(
        (i.line, i.rule, i.severity, i.message) for i in validator.validate(tree, source=data)
    )
    assert found == sorted(
        [
            (5, "div-div-typed", "error", "A div has a type."),
            (5, "div-div-typed-fr", "error", "Une div a un type."),
            (5, "att.typed-subtype-subtype-needs-type", "error", "@subtype without @type."),
            (5, "hi-rend-rend-known", "error", "Unknown rend u."),
            (5, "teidata.word-word-no-digits", "error", "A word with a digit: 1."),
            (
                5,
                "hi-old-deprecated",
                "warning",
                "The @old attribute of the hi element is deprecated (valid until 2030-01-01). "
                "Use rend instead.",
            ),
            (
                6,
                "note-deprecated",
                "warning",
                "The annotation element is deprecated (valid until 2029-12-31). Use a p instead.",
            ),
        ]
    )
