"""Mutated ODDs for property tests of ``schema build`` (the suite's fast run and bench/'s long one).

A mutation changes the schemaSpec of a real ODD the way hands and tools damage them: an element
deleted, repeated, moved or renamed, an attribute set to a wrong name, a number, a mode or
random text. The property: the compiler never raises anything but its own error, every
diagnostic has an O-code and a line in the ODD, and any grammar it writes loads in libxml2.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

from hypothesis import strategies as st
from lxml import etree

from tei_cable.diagnostics import Severity
from tei_cable.odd import CODES

TEI = "http://www.tei-c.org/ns/1.0"
RNG = "http://relaxng.org/ns/structure/1.0"
#: tags a renamed element may get
TAGS = [
    f"{{{TEI}}}{n}"
    for n in (
        "elementSpec classSpec macroSpec dataSpec moduleRef elementRef classRef macroRef "
        "dataRef attDef attList valList valItem content sequence alternate textNode empty "
        "anyElement memberOf classes constraintSpec specGrp specGrpRef datatype attRef"
    ).split()
] + [f"{{{RNG}}}{n}" for n in "ref element attribute choice group zeroOrMore data".split()]
ATTRIBUTES = "mode ident key include except minOccurs maxOccurs name type usage start source expand"
#: values an attribute may get: real names, modes, numbers, nonsense
VALUES = [
    "add",
    "change",
    "replace",
    "delete",
    "explode",
    "",
    "0",
    "1",
    "-1",
    "unbounded",
    "99999",
    "p",
    "TEI",
    "persName",
    "noSuchThing",
    "att.global",
    "att.typed",
    "model.pLike",
    "macro.paraContent",
    "teidata.enumerated",
    "teidata.noSuch",
    "core",
    "header",
    "nosuchmodule",
    "p hi",
    "alternation",
    "sequenceRepeatable",
    "req",
    "opt",
    "#nowhere",
    "tei:1.0.0",
]

MUTATIONS = ("delete", "duplicate", "move", "rename", "attribute", "unwrap")

mutation = st.tuples(
    st.sampled_from(MUTATIONS),
    st.integers(min_value=0, max_value=10**6),
    st.integers(min_value=0, max_value=10**6),
    st.sampled_from(ATTRIBUTES.split()),
    st.one_of(st.sampled_from(VALUES), st.text(max_size=12)),
    st.sampled_from(TAGS),
)


def _clean(value: str) -> str:
    """Text an XML attribute can hold."""
    return re.sub(r"[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]", "", value)


def mutate(root: etree._Element, steps: list[tuple]) -> etree._Element:
    """Apply ``steps`` (from :data:`mutation`) to a copy of an ODD's schemaSpec."""
    root = copy.deepcopy(root)
    spec = next(root.iter(f"{{{TEI}}}schemaSpec"))
    for kind, a, b, attr, value, tag in steps:
        nodes = [n for n in spec.iter() if isinstance(n.tag, str) and n is not spec]
        if not nodes:
            break
        node = nodes[a % len(nodes)]
        parent = node.getparent()
        if kind == "delete":
            parent.remove(node)
        elif kind == "duplicate":
            node.addnext(copy.deepcopy(node))
        elif kind == "move":
            others = [n for n in [spec, *nodes] if node not in n.iterancestors() and n is not node]
            target = others[b % len(others)]
            if node not in target.iterancestors():
                target.append(node)
        elif kind == "rename":
            node.tag = tag
        elif kind == "attribute":
            (node if b % 4 else spec).set(attr, _clean(value))
        elif kind == "unwrap":
            index = parent.index(node)
            for child in reversed(list(node)):
                parent.insert(index + 1, child)
            parent.remove(node)
    return root


def check_diagnostics(diagnostics, odd: Path) -> None:
    """Every diagnostic: an O-code of the table, and (for the ODD's faults) a line in it."""
    for d in diagnostics:
        assert d.code in CODES, d
        if d.severity >= Severity.WARNING and d.code not in ("O100", "O114"):
            assert d.path is not None and d.line is not None, d
            assert Path(d.path).exists(), d


def load_rng(data: bytes) -> None:
    """libxml2 must accept any grammar the compiler writes."""
    etree.RelaxNG(etree.fromstring(data))
