"""The XSD derived from an ODD: it loads, accepts what we write, rejects what it can say is
wrong, and never rejects a document the RELAX NG accepts.

Our own schema (``schemas/tei_cable.odd``) is checked in full: every converter output, the
mistakes the validator tests make in the encoded seed, and systematic variants of every
output, each judged by the RELAX NG (lxml) and the XSD (xmlschema). The TEI's ``tei_all`` is
checked on a sample of the reference corpus and of documents built from the Guidelines'
examples, with their mutations (``bench/odd_xsd.py`` runs all of them).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path

import pytest
import xmlschema
from click.testing import CliRunner
from conftest import RECORDS, REPO, jing
from lxml import etree
from odd_helpers import (
    CORPUS,
    P5SUBSET,
    Mutator,
    children_allowed,
    compiled,
    corpus_files,
    example_documents,
    need,
    parse_corpus_file,
    relaxng_bytes,
    tei_all,
)

from tei_cable.odd.api import derived_files
from tei_cable.odd.compiler import CompiledOdd
from tei_cable.odd.xsd import XML_XSD, build_notes, loosened, write_xsd
from tei_cable.resources import schemas_dir
from tei_cable.validate.engines.xsd import xsd_version
from tei_cable.validate.runner import Validator

XS = "http://www.w3.org/2001/XMLSchema"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XML_BASE = f"{{{XML_NS}}}base"
SEED = REPO / "encoded" / "wilson-117409.xml"
OUTPUTS = [SEED, *sorted(RECORDS.glob("*.xml"))]
#: the validator tests' mistakes in the encoded seed: (old, new)
MISTAKES = {
    "unknown element": (
        "<funder>Leon Levy Foundation</funder>",
        "<funder>Leon Levy Foundation</funder><fundr/>",
    ),
    "element in a wrong place": (
        "<authority>Unpublished TEI encoding</authority>",
        "<authority>Unpublished TEI encoding</authority><funder>x</funder>",
    ),
    "missing required child": ("        <title>Cable, Mao Zedong to Joseph Stalin</title>\n", ""),
    "missing required attribute": (
        '<correspDesc xml:id="cd-L1" corresp="#L1" type="cable">',
        '<correspDesc xml:id="cd-L1" corresp="#L1">',
    ),
    "value outside a closed list": (
        '<correspDesc xml:id="cd-L1" corresp="#L1" type="cable">',
        '<correspDesc xml:id="cd-L1" corresp="#L1" type="memo">',
    ),
    "bad datatype": (
        '<date when="1951-07-11">July 11, 1951</date>',
        '<date when="1951-07-32">July 11, 1951</date>',
    ),
}


def write(compiled_odd: CompiledOdd, folder: Path) -> Path:
    path = folder / f"{compiled_odd.ident}.xsd"
    write_xsd(compiled_odd).write(
        str(path), xml_declaration=True, encoding="UTF-8", pretty_print=True
    )
    return path


def lxml_schema(path: Path) -> etree.XMLSchema:
    """lxml's XSD validator, with the XML namespace schema taken from xmlschema's copy."""
    bundled = Path(xmlschema.__file__).parent / "schemas" / "XML" / "xml.xsd"

    class Local(etree.Resolver):
        def resolve(self, url, public_id, context):  # type: ignore[no-untyped-def]
            return self.resolve_filename(str(bundled), context) if url == XML_XSD else None

    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(Local())
    return etree.XMLSchema(etree.parse(str(path), parser))


@pytest.fixture(scope="module")
def ours() -> CompiledOdd:
    return compiled(str(schemas_dir() / "tei_cable.odd"))


@pytest.fixture(scope="module")
def xsd_path(ours: CompiledOdd, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write(ours, tmp_path_factory.mktemp("xsd"))


@pytest.fixture(scope="module")
def xsd(xsd_path: Path) -> xmlschema.XMLSchema10:
    return xmlschema.XMLSchema10(str(xsd_path), allow="local")


@pytest.fixture(scope="module")
def rng(ours: CompiledOdd) -> etree.RelaxNG:
    return relaxng_bytes(ours.rng_bytes())


# -- loading ------------------------------------------------------------------------------------


@pytest.mark.parametrize("allow", ["sandbox", "local", "none"])
def test_it_loads_in_xmlschema_without_the_network(xsd_path: Path, allow: str) -> None:
    if allow == "none":  # nothing may be read but the schema itself
        with xsd_path.open("rb") as handle:
            schema = xmlschema.XMLSchema10(handle, allow="none", base_url=str(xsd_path.parent))
    else:
        schema = xmlschema.XMLSchema10(str(xsd_path), allow=allow)
    assert schema.target_namespace == "http://www.tei-c.org/ns/1.0"
    assert sorted(e.local_name for e in schema.elements.values()) == ["TEI", "teiCorpus"]  # starts
    assert xsd_version(xsd_path) == "1.0"
    assert xmlschema.XMLSchema11(str(xsd_path), allow="local").is_valid(etree.parse(str(SEED)))


def test_it_loads_in_lxml(xsd_path: Path) -> None:
    schema = lxml_schema(xsd_path)
    for path in OUTPUTS:
        assert schema.validate(etree.parse(str(path))), (path.name, schema.error_log)


def test_the_output_is_deterministic(ours: CompiledOdd) -> None:
    once = etree.tostring(write_xsd(ours))
    again = etree.tostring(write_xsd(compiled(str(schemas_dir() / "tei_cable.odd"), strict=False)))
    assert once == again


def test_the_packaged_xsd_is_the_one_the_validator_uses() -> None:
    path = schemas_dir() / "tei_cable.xsd"
    assert path.is_file(), "run `tei-cable schema build`"
    result = Validator("tei_cable", engines="xsd").validate_file(SEED)
    assert not result.issues, result.issues


# -- what we write -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", OUTPUTS, ids=lambda p: p.name)
def test_every_output_is_valid(xsd: xmlschema.XMLSchema10, rng: etree.RelaxNG, path: Path) -> None:
    tree = etree.parse(str(path))
    assert rng.validate(tree), rng.error_log
    assert [str(e.reason) for e in xsd.iter_errors(tree)] == []


@pytest.mark.parametrize("kind", list(MISTAKES))
def test_each_mistake_is_rejected_by_the_validator_xsd_engine(xsd_path: Path, kind: str) -> None:
    old, new = MISTAKES[kind]
    text = SEED.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"the seed changed: {old!r} is not in it once"
    checker = Validator(xsd_path, engines="xsd")
    assert not checker.validate_bytes(text.encode(), "seed.xml").issues
    found = checker.validate_bytes(text.replace(old, new).encode(), "seed.xml").issues
    assert found and {i.engine for i in found} == {"xsd"}
    assert all(i.line > 0 for i in found)


# -- never stricter than the RELAX NG -----------------------------------------------------------

#: one variant in STRIDE is checked here (xmlschema takes ~15 ms a document);
#: ``bench/odd_xsd.py --variants`` checks them all
STRIDE = 2


def variants(
    root: etree._Element, seen: set[tuple[str, ...]]
) -> Iterator[tuple[str, etree._Element]]:
    """Systematic changes to a document, one per element name (or attribute) and kind of
    change not ``seen`` before: some keep it valid, some do not."""
    elements = [e for e in root.iter() if isinstance(e.tag, str)]
    for index, element in enumerate(elements):
        name = etree.QName(element).localname
        for kind in (
            "delete",
            "duplicate",
            "swap",
            "unwrap",
            "empty",
            "text",
            "whitespace",
            "move up",
        ):
            key = (name, kind)
            if key in seen or (element is root and kind != "text"):
                continue
            mutated = copy.deepcopy(root)
            target = [e for e in mutated.iter() if isinstance(e.tag, str)][index]
            if _change(target, kind):
                seen.add(key)
                yield f"{kind} {name}", mutated
        for attribute in element.attrib:
            for kind in ("drop", "empty value", "odd value", "padded value"):
                key = (name, attribute, kind)
                if key in seen:
                    continue
                seen.add(key)
                mutated = copy.deepcopy(root)
                target = [e for e in mutated.iter() if isinstance(e.tag, str)][index]
                value = target.get(attribute) or ""
                if kind == "drop":
                    del target.attrib[attribute]
                else:
                    target.set(
                        attribute,
                        {
                            "empty value": "",
                            "odd value": "zz-no such value",
                            "padded value": f" {value} ",
                        }[kind],
                    )
                yield f"{kind} of {name}/@{attribute}", mutated


def _change(target: etree._Element, kind: str) -> bool:
    parent = target.getparent()
    if kind == "delete":
        _remove(target)
    elif kind == "duplicate":
        twin = copy.deepcopy(target)
        for node in twin.iter():
            node.attrib.pop(f"{{{XML_NS}}}id", None)  # a repeated xml:id breaks XML's rules
        twin.tail = None
        parent.insert(parent.index(target) + 1, twin)
    elif kind == "swap":
        following = target.getnext()
        while following is not None and not isinstance(following.tag, str):
            following = following.getnext()
        if following is None:
            return False
        parent.remove(following)
        parent.insert(parent.index(target), following)
    elif kind == "unwrap":
        index = parent.index(target)
        previous = target.getprevious()
        lead = target.text or ""
        if previous is not None:
            previous.tail = (previous.tail or "") + lead
        else:
            parent.text = (parent.text or "") + lead
        for offset, kid in enumerate(list(target)):
            parent.insert(index + offset, kid)
        _remove(target)
    elif kind == "empty":
        if not len(target) and not target.text:
            return False
        for kid in list(target):
            target.remove(kid)
        target.text = None
    elif kind == "text":
        if len(target):
            target[-1].tail = (target[-1].tail or "") + " stray text"
        else:
            target.text = (target.text or "") + " stray text"
    elif kind == "whitespace":
        if len(target) or target.text:
            return False
        target.text = "\n   "
    elif kind == "move up":
        grandparent = parent.getparent()
        if grandparent is None:
            return False
        _remove(target)
        target.tail = None
        grandparent.insert(grandparent.index(parent) + 1, target)
    return True


def _remove(element: etree._Element) -> None:
    parent = element.getparent()
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def jing_rejects(rng_data: bytes, docs: dict[str, etree._Element], folder: Path) -> set[str]:
    """The labels of ``docs`` that Jing, the reference RELAX NG validator, finds invalid.

    Asked only where lxml's RELAX NG and the XSD disagree: libxml2 has errors of its own
    (it accepts any value for ``attribute { optional { data } }``, and rejects values with
    spaces around them that XSD datatypes collapse, when patterns or unions are involved).
    """
    if not docs:
        return set()
    folder.mkdir(parents=True, exist_ok=True)
    schema = folder / "schema.rng"
    schema.write_bytes(rng_data)
    paths: dict[str, str] = {}
    for number, (label, tree) in enumerate(docs.items()):
        path = folder / f"doc{number}.xml"
        path.write_bytes(etree.tostring(tree))
        paths[str(path)] = label
    result = jing(schema, *map(Path, paths))
    failed = {
        line.split(":")[0]
        for line in (result.stdout + result.stderr).splitlines()
        if ": error:" in line or ": fatal:" in line
    }
    return {paths[p] for p in failed if p in paths}


class Judge:
    """Verdicts of the RELAX NG and the XSD on many documents; disagreements go to Jing."""

    def __init__(self, rng: etree.RelaxNG, xsd: xmlschema.XMLSchema10) -> None:
        self.rng, self.xsd = rng, xsd
        self.total = self.accepted = 0
        self.only_xsd_rejects: dict[str, etree._Element] = {}
        self.only_rng_rejects: dict[str, etree._Element] = {}

    def __call__(self, label: str, tree: etree._Element) -> None:
        r, x = bool(self.rng.validate(tree)), self.xsd.is_valid(tree)
        self.total += 1
        self.accepted += r
        if r and not x:
            self.only_xsd_rejects[f"{label}: {next(self.xsd.iter_errors(tree)).reason}"] = tree
        elif x and not r:
            self.only_rng_rejects[f"{label}: {self.rng.error_log.last_error}"] = tree

    def settle(self, rng_data: bytes, folder: Path) -> tuple[list[str], list[str]]:
        """(documents the XSD rejects but Jing accepts, documents only the XSD accepts)."""
        rejected = jing_rejects(
            rng_data, {**self.only_xsd_rejects, **self.only_rng_rejects}, folder
        )
        return (
            [label for label in self.only_xsd_rejects if label not in rejected],
            [label for label in self.only_rng_rejects if label in rejected],
        )


@pytest.fixture(scope="module")
def verdicts(
    ours: CompiledOdd,
    xsd: xmlschema.XMLSchema10,
    rng: etree.RelaxNG,
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[list[str], list[str], Judge]:
    """(XSD stricter, XSD looser, the judge) over the variants of our outputs."""
    judge = Judge(rng, xsd)
    seen: set[tuple[str, ...]] = set()
    for path in sorted(OUTPUTS, key=lambda p: p.stat().st_size):
        root = etree.parse(str(path)).getroot()
        for number, (label, mutated) in enumerate(variants(root, seen)):
            if number % STRIDE == 0:
                judge(f"{path.name}: {label}", mutated)
    stricter, looser = judge.settle(ours.rng_bytes(), tmp_path_factory.mktemp("jing"))
    return stricter, [n for n in looser if f"@{XML_BASE}:" not in n], judge


def test_the_xsd_never_rejects_a_variant_the_relax_ng_accepts(verdicts) -> None:
    stricter, _looser, judge = verdicts
    assert stricter == []
    # both verdicts are well represented
    assert judge.total > 250 and 50 < judge.accepted < judge.total


def test_our_xsd_is_as_exact_as_the_relax_ng_on_those_variants(verdicts) -> None:
    # tei_cable.xsd is looser than the RELAX NG only for xml:base (its comments say so)
    _stricter, looser, _judge = verdicts
    assert looser == []


def test_loosened_places_are_listed_by_schema_build(ours: CompiledOdd, tmp_path: Path) -> None:
    tree = write_xsd(ours)
    places = loosened(tree)
    comments = [
        c.text
        for c in tree.getroot().iter(etree.Comment)
        if (c.text or "").startswith(" loosened (")
    ]
    assert len(places) == len(comments) > 0
    assert all("xml:base" in p for p in places)  # the only thing tei_cable loses in XSD
    _files, notes = derived_files(ours)
    assert [n for n in notes if n.startswith("tei_cable.xsd")] == build_notes(tree, "tei_cable.xsd")
    from tei_cable.cli import main

    result = CliRunner().invoke(main, ["schema", "build", "--out-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    printed = [line for line in result.output.splitlines() if "tei_cable.xsd: looser" in line]
    assert len(printed) == len(places)
    assert (tmp_path / "tei_cable.xsd").read_bytes() == (
        schemas_dir() / "tei_cable.xsd"
    ).read_bytes()


def test_many_loosened_places_are_summed_up() -> None:
    comments = "".join(f"<!-- loosened (mixed): place {n} -->" for n in range(20))
    xsd_doc = (
        f'<xs:schema xmlns:xs="{XS}"><xs:complexType name="p">{comments}'
        "</xs:complexType></xs:schema>"
    )
    notes = build_notes(xsd_doc.encode(), "big.xsd")
    assert len(notes) == 1
    assert "20 places (20 mixed)" in notes[0]
    assert loosened(xsd_doc.encode())[0] == "element p: mixed: place 0"


# -- tei_all --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def all_xsd(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, xmlschema.XMLSchema10]:
    path = write(tei_all(), tmp_path_factory.mktemp("tei_all"))
    return path, xmlschema.XMLSchema10(str(path), allow="local")


def test_tei_all_xsd_loads_in_xmlschema_and_lxml(all_xsd) -> None:
    path, schema = all_xsd
    assert {e.local_name for e in schema.elements.values()} == {"TEI", "teiCorpus"}
    assert lxml_schema(path) is not None
    kinds = {p.split(": ")[1] for p in loosened(etree.parse(str(path)))}
    assert "not deterministic" not in kinds  # the TEI's content models are all deterministic


def test_tei_all_xsd_accepts_a_sample_of_the_corpus_the_relax_ng_accepts(
    all_xsd, tmp_path: Path
) -> None:
    _path, schema = all_xsd
    rng = relaxng_bytes(tei_all().rng_bytes())
    by_folder: dict[str, list[Path]] = {}
    for path in corpus_files():
        if path.stat().st_size < 40_000:
            by_folder.setdefault(path.relative_to(CORPUS).parts[0], []).append(path)
    judge = Judge(rng, schema)
    for folder in sorted(by_folder):
        for path in sorted(by_folder[folder])[:3]:
            root = parse_corpus_file(path)
            if root is not None:
                judge(str(path.relative_to(CORPUS)), root)
    stricter, _looser = judge.settle(tei_all().rng_bytes(), tmp_path)
    assert stricter == []
    assert judge.accepted >= 15


def test_tei_all_xsd_on_guidelines_examples_and_their_mutations(all_xsd, tmp_path: Path) -> None:
    _path, schema = all_xsd
    need(P5SUBSET)
    odd = tei_all()
    rng = relaxng_bytes(odd.rng_bytes())
    mutator = Mutator(odd)
    judge = Judge(rng, schema)
    valid = 0
    for number, (label, doc) in enumerate(example_documents(P5SUBSET, children_allowed(odd))):
        if number % 16 or not rng.validate(doc):
            continue
        valid += 1
        judge(label, doc)
        for kind, mutated in mutator.mutations(doc):
            judge(f"{label}, {kind}", mutated)
    stricter, looser = judge.settle(odd.rng_bytes(), tmp_path)
    assert stricter == []
    assert looser == []  # each kind of mutation is one XSD can express
    assert valid >= 50


def test_disagreements_with_lxml_are_settled_by_jing(tmp_path: Path) -> None:
    from test_xsd_constructs import G, doc

    from tei_cable.odd.xsd import write_grammar
    from tei_cable.relaxng.write import write_rng

    g = G()
    grammar = g.grammar(g.el("r", None, g.att("p", g.P.optional(g.data("NCName")))))
    rng_data = etree.tostring(write_rng(grammar))
    path = tmp_path / "g.xsd"
    write_grammar(grammar).write(str(path))
    judge = Judge(
        etree.RelaxNG(etree.fromstring(rng_data)), xmlschema.XMLSchema10(str(path), allow="local")
    )
    for value in ("", "a", "not a name"):
        judge(repr(value), doc(attrs=f' p="{value}"'))
    # libxml2 would accept any value for attribute { optional { data } }; the RELAX NG we
    # write says choice { empty, data }, which it checks as Jing and the XSD do
    assert b'<choice><empty/><data type="NCName"/></choice>' in rng_data
    assert not judge.only_xsd_rejects and not judge.only_rng_rejects
    assert judge.settle(rng_data, tmp_path / "jing") == ([], [])
