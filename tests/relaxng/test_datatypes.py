"""RELAX NG datatypes: the quick checks of plain values agree with libxml2, and messages
name types as Jing does."""

from __future__ import annotations

import random

from tei_cable.relaxng.datatypes import (
    _PLAIN,
    _PLAIN_PATTERNS,
    XSD_LIBRARY,
    Datatype,
    describe_xsd_type,
    is_xml_space,
    xml_split,
)


def test_quick_datatype_checks_never_accept_what_libxml2_rejects() -> None:
    # the explanations accept plain values without asking libxml2; they must agree with it
    rnd = random.Random(7)
    samples = [
        "2024-02-29",
        "2023-02-29",
        "1900-02-29",
        "0000-01-01",
        "2024-04-31",
        "--02-29",
        "24:00:00",
        "#a#b",
        ":a",
        "a:b:c",
        "1p",
        " a",
        "a  b",
        "",
        "-0",
        ".5",
        "5.",
    ]
    samples += [
        "".join(rnd.choice("0123456789-:T.Z+#/abAZ_ %é") for _ in range(rnd.randint(0, 11)))
        for _ in range(1500)
    ]
    accepted = 0
    for name in _PLAIN:
        for params in [(), *((("pattern", p),) for p in _PLAIN_PATTERNS)]:
            datatype = Datatype(XSD_LIBRARY, name, params)
            if datatype._fast is None:
                continue
            for value in samples:
                if datatype._fast(value):
                    accepted += 1
                    grammar = f'<data type="{name}">{datatype._param_xml()}</data>'
                    assert datatype._check(grammar, value), (name, params, value)
    assert accepted > 1000


def test_values_compare_as_their_datatype_says() -> None:
    token = Datatype("", "token", ())
    assert token.equal("a  b", " a b ", {}) and not token.equal("ab", "a b", {})
    string = Datatype("", "string", ())
    assert not string.equal("a  b", "a b", {})
    year = Datatype(XSD_LIBRARY, "gYear", ())
    assert year.allows("1950") and not year.allows("50")
    assert Datatype(XSD_LIBRARY, "integer", ()).equal("7", "007", {})
    assert describe_xsd_type("date") == "an ISO date (YYYY-MM-DD)"
    assert xml_split("a\u00a0b c") == ["a\u00a0b", "c"] and is_xml_space(" \t\n")
