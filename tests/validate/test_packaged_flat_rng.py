"""The packaged schema's RELAX NG as validation reads it: the flat copy written for libxml2.

``schema build`` writes ``schemas/tei_cable.rng`` (every RELAX NG tool loads it) and
``schemas/libxml2/tei_cable.rng``, the same grammar with its long choices flat and no
documentation, which libxml2 compiles faster. ``--schema tei_cable`` compiles the flat copy,
and the explanations read it too: each document must get the same verdict and the same
issues (message, line, column, rule) from either.
"""

from __future__ import annotations

import random
from copy import deepcopy
from pathlib import Path

import pytest
from conftest import REPO, jing
from lxml import etree
from test_validate_tei_cable import MUTATIONS, SEED

import tei_cable.schemas
from tei_cable.resources import schemas_dir
from tei_cable.schemas import SchemaSet, resolve
from tei_cable.validate.runner import Validator

NESTED = schemas_dir() / "tei_cable.rng"
FLAT = schemas_dir() / "libxml2" / "tei_cable.rng"
RNG = "{http://relaxng.org/ns/structure/1.0}"
TEI = "{http://www.tei-c.org/ns/1.0}"
#: names an element is renamed to: TEI elements of the schema, and one it does not know
NAMES = ("p", "hi", "date", "persName", "note", "div", "title", "placeName", "bogus")
#: values an attribute is set to: an invalid date, a value outside a list, empty, a space
VALUES = ("1951-13-45", "memo", "", " ", "#nowhere")


def test_the_packaged_schema_compiles_the_flat_copy() -> None:
    files = resolve("tei_cable").files
    assert files["rng"] == FLAT
    assert files["sch"] == schemas_dir() / "tei_cable.sch"


def test_without_the_flat_copy_the_packaged_schema_reads_tei_cable_rng(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("tei_cable.rng", "tei_cable.sch"):
        (tmp_path / name).write_bytes((schemas_dir() / name).read_bytes())
    monkeypatch.setattr(tei_cable.schemas, "schemas_dir", lambda: tmp_path)
    assert resolve("tei_cable").files["rng"] == tmp_path / "tei_cable.rng"
    (tmp_path / "libxml2").mkdir()
    (tmp_path / "libxml2" / "tei_cable.rng").write_bytes(FLAT.read_bytes())
    assert resolve("tei_cable").files["rng"] == tmp_path / "libxml2" / "tei_cable.rng"


def test_the_flat_copy_is_the_flat_form_of_the_same_grammar() -> None:
    def shape(path: Path) -> tuple[list[str], int, int]:
        root = etree.parse(str(path)).getroot()
        elements = sorted(e.get("name", "") for e in root.iter(f"{RNG}element"))
        widest = max(len(c) for c in root.iter(f"{RNG}choice"))
        notes = sum(1 for e in root.iter() if not str(e.tag).startswith(RNG))
        return elements, widest, notes

    nested, flat = shape(NESTED), shape(FLAT)
    assert flat[0] == nested[0] and len(flat[0]) > 50  # the same elements
    assert nested[1] <= 32 < flat[1]  # long choices: nested for Jing, flat for libxml2
    assert nested[2] > 0 and flat[2] == 0  # no documentation, no comment
    assert len(FLAT.read_bytes()) < len(NESTED.read_bytes()) / 1.5


def _variants(data: bytes, rnd: random.Random, count: int) -> list[bytes]:
    """``count`` invalid-leaning variants of a document, each changed in one element."""
    found = []
    for _ in range(count):
        tree = etree.fromstring(data).getroottree()
        elements = [e for e in tree.getroot().iter(etree.Element) if e.getparent() is not None]
        el = rnd.choice(elements)
        kind = rnd.choice(("rename", "remove", "move", "duplicate", "attribute", "text"))
        if kind == "rename":
            el.tag = TEI + rnd.choice(NAMES)
        elif kind == "remove":
            el.getparent().remove(el)  # type: ignore[union-attr]
        elif kind == "move":
            rnd.choice([e for e in elements if e is not el and el not in e.iterancestors()]).append(
                el
            )
        elif kind == "duplicate":
            el.addnext(deepcopy(el))
        elif kind == "attribute":
            names = [*el.attrib, "type", "when", "rend", "unknown"]
            name = rnd.choice(names)
            if name in el.attrib and rnd.random() < 0.3:
                del el.attrib[name]
            else:
                el.set(name, rnd.choice(VALUES))
        else:
            el.insert(0, etree.Element(f"{TEI}hi"))
            el.text = "stray words"
        found.append(etree.tostring(tree, encoding="UTF-8", xml_declaration=True))
    return found


def _documents() -> dict[str, bytes]:
    """The project's encoded documents, the seed's mistakes of each kind, and variants of
    every document changed at random (seeded) in one element."""
    documents = {p.name: p.read_bytes() for p in sorted((REPO / "encoded").glob("*.xml"))}
    seed = SEED.read_text(encoding="utf-8")
    for name, (old, new, *_) in MUTATIONS.items():
        assert seed.count(old) == 1, name
        documents[name] = seed.replace(old, new).encode("utf-8")
    rnd = random.Random(20261206)
    for name, data in list(documents.items())[: len(documents) - len(MUTATIONS)]:
        for i, variant in enumerate(_variants(data, rnd, 6)):
            documents[f"{name} variant {i}"] = variant
    return documents


def _issues(validator: Validator, data: bytes, name: str) -> tuple[bool, list[tuple]]:
    result = validator.validate_bytes(data, name)
    issues = [(i.line, i.column, i.severity, i.engine, i.rule, i.message) for i in result.issues]
    return result.valid, issues


def test_the_flat_and_the_nested_grammar_give_the_same_issues() -> None:
    nested = Validator(SchemaSet("nested", {"rng": NESTED}), ["rng"])
    flat = Validator(SchemaSet("flat", {"rng": FLAT}), ["rng"])
    documents = _documents()
    invalid = 0
    rules: set[str] = set()
    for name, data in documents.items():
        verdict, issues = _issues(flat, data, name)
        assert (verdict, issues) == _issues(nested, data, name), name
        invalid += not verdict
        rules.update(i[4] for i in issues if i[3] == "rng")
        # a verdict alone (libxml2's first words, no explanation) agrees too
        assert flat.is_valid(data) == nested.is_valid(data) == verdict, name
    assert len(documents) > 100
    assert invalid > len(documents) / 2  # the variants are mostly invalid, in every way
    assert rules >= {
        "unknown-element",
        "element-not-allowed",
        "incomplete-element",
        "missing-attribute",
        "attribute-not-allowed",
        "attribute-value",
        "text-not-allowed",
    }


def test_jing_loads_the_flat_copy_and_agrees() -> None:
    """Jing loads the flat tei_cable (its choices are short enough for Java's default stack,
    unlike tei_all's: ``tests/odd/test_jing_cached.py``)."""
    seed = SEED.read_text(encoding="utf-8")
    old, new, *_ = MUTATIONS["unknown element"]
    for schema in (FLAT, NESTED):
        ok = jing(schema, SEED)
        assert ok.returncode == 0 and "StackOverflowError" not in ok.stderr, ok.stdout + ok.stderr
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        bad = Path(folder) / "bad.xml"
        bad.write_text(seed.replace(old, new), encoding="utf-8")
        out = [jing(schema, bad) for schema in (FLAT, NESTED)]
    assert [r.returncode for r in out] == [1, 1]
    assert out[0].stdout == out[1].stdout
    assert 'element "fundr" not allowed' in out[0].stdout


def test_an_installation_ships_the_flat_copy() -> None:
    """``tei_cable/schemas/libxml2`` has no ``__init__.py``: setuptools must find it as a
    namespace package and its package data must take ``*.rng``."""
    import fnmatch
    import tomllib

    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    setuptools = config["tool"]["setuptools"]
    find = setuptools["packages"]["find"]
    package = "tei_cable.schemas.libxml2"
    assert find.get("namespaces", True)
    assert any(fnmatch.fnmatchcase(package, p) for p in find["include"])
    data = setuptools["package-data"]
    assert any(fnmatch.fnmatchcase(FLAT.name, p) for p in [*data["*"], *data.get(package, [])])
