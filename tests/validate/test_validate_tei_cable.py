"""Our own schema on our own encoding: each kind of mistake is caught by the right engine.

The schema is the packaged one (``schemas/tei_cable.rng`` and ``.sch``) or, before it is built,
``schemas/tei_cable.odd`` compiled by our ODD compiler into a temporary cache. Each mutation of
the encoded seed must add exactly the issue it causes, from the engine that can see it, on the
line where the mistake is (issues the seed already has, if any, are not this test's concern).
"""

from __future__ import annotations

import os
from collections import Counter

import pytest
from conftest import REPO
from validate_helpers import column_of, line_of

from tei_cable.validate.runner import Validator

SEED = REPO / "encoded" / "wilson-117409.xml"

# name: (old, new, where the issue points, engine, rule)
MUTATIONS = {
    "unknown element": (
        "<funder>Leon Levy Foundation</funder>",
        "<funder>Leon Levy Foundation</funder><fundr/>",
        "<fundr/>",
        "rng",
        "unknown-element",
    ),
    "element in a wrong place": (
        "<authority>Unpublished TEI encoding</authority>",
        "<authority>Unpublished TEI encoding</authority><funder>x</funder>",
        "<funder>x",
        "rng",
        "element-not-allowed",
    ),
    "missing required child": (
        "        <title>Cable, Mao Zedong to Joseph Stalin</title>\n",
        "",
        "<titleStmt>",
        "rng",
        "incomplete-element",
    ),
    "missing required attribute": (
        '<correspDesc xml:id="cd-L1" corresp="#L1" type="cable">',
        '<correspDesc xml:id="cd-L1" corresp="#L1">',
        '<correspDesc xml:id="cd-L1"',
        "rng",
        "missing-attribute",
    ),
    "value outside a closed list": (
        '<correspDesc xml:id="cd-L1" corresp="#L1" type="cable">',
        '<correspDesc xml:id="cd-L1" corresp="#L1" type="memo">',
        'type="memo"',
        "rng",
        "attribute-value",
    ),
    "bad datatype": (
        '<date when="1951-07-11">11 July 1951</date>',
        '<date when="1951-07-32">11 July 1951</date>',
        'when="1951-07-32"',
        "rng",
        "attribute-value",
    ),
}


@pytest.fixture(scope="module")
def checker(tmp_path_factory: pytest.TempPathFactory) -> Validator:
    from tei_cable.resources import schemas_dir

    if (schemas_dir() / "tei_cable.rng").is_file():
        return Validator("tei_cable").compile()
    odd = schemas_dir() / "tei_cable.odd"
    before = os.environ.get("TEI_CABLE_CACHE_DIR")
    os.environ["TEI_CABLE_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    try:
        return Validator(odd).compile()
    except ImportError as exc:  # pragma: no cover - the compiler ships with tei-cable
        pytest.skip(f"no tei_cable schema and no ODD compiler: {exc}")
    finally:
        if before is None:
            os.environ.pop("TEI_CABLE_CACHE_DIR", None)
        else:
            os.environ["TEI_CABLE_CACHE_DIR"] = before


def issues_of(checker: Validator, text: str) -> list:
    return list(checker.validate_bytes(text.encode("utf-8"), "seed.xml").issues)


def added(checker: Validator, text: str, mutated: str) -> list:
    """The issues ``mutated`` has that ``text`` has not (by engine, rule and message)."""
    before = Counter((i.engine, i.rule, i.message) for i in issues_of(checker, text))
    found = []
    for issue in issues_of(checker, mutated):
        key = (issue.engine, issue.rule, issue.message)
        if before[key]:
            before[key] -= 1
        else:
            found.append(issue)
    return found


@pytest.mark.parametrize("name", list(MUTATIONS))
def test_each_mistake_is_reported_by_the_right_engine_on_its_line(
    checker: Validator, name: str
) -> None:
    old, new, where, engine, rule = MUTATIONS[name]
    text = SEED.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"the seed changed: {old!r} is not in it once"
    mutated = text.replace(old, new)
    new_issues = [i for i in added(checker, text, mutated) if i.engine == engine]
    assert [(i.engine, i.rule) for i in new_issues][:1] == [(engine, rule)], new_issues
    first = new_issues[0]
    assert (first.line, first.column) == (line_of(mutated, where), column_of(mutated, where))


def test_a_pointer_to_nothing_is_reported_by_schematron(checker: Validator) -> None:
    if "sch" not in checker.engine_names:
        pytest.skip("this build of the tei_cable schema has no Schematron yet")
    text = SEED.read_text(encoding="utf-8")
    mutated = text.replace('corresp="#L1" type="cable"', 'corresp="#L9" type="cable"', 1)
    found = [i for i in added(checker, text, mutated) if i.engine == "sch"]
    assert found, "a dangling #L9 pointer must be reported"
    assert found[0].line == line_of(mutated, 'corresp="#L9"')
    assert "#L9" in found[0].message
