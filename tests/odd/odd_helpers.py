"""Shared pieces of the ODD compiler tests: reference data, cached compiles, test documents.

Expensive things (compiling ``tei_all``, loading the TEI's own ``tei_all`` RELAX NG into lxml,
which takes seconds) are computed once per test session.
"""

from __future__ import annotations

import copy
import functools
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SHARED, jing
from lxml import etree

from tei_cable.odd import compile_odd
from tei_cable.odd.compiler import CompiledOdd
from tei_cable.relaxng.patterns import Pattern

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures" / "odds"
TEI_REF = SHARED / "tei"
P5SUBSET = TEI_REF / "p5subset.xml"
TEI_ALL_ODD = TEI_REF / "tei_all.odd"
TEI_ALL_RNG_490 = TEI_REF / "derived" / "tei_all-4.9.0.rng"
TEI_MIN_ODD = TEI_REF / "derived" / "tei_min.odd"
TEI_MIN_RNG_490 = TEI_REF / "derived" / "tei_min-4.9.0.rng"
CORPUS = TEI_REF / "corpus"
EXEMPLARS = CORPUS / "TEIC__TEI" / "P5" / "Exemplars"

TEI = "http://www.tei-c.org/ns/1.0"
TEIX = "http://www.tei-c.org/ns/Examples"
T = f"{{{TEI}}}"


def need(path: Path) -> Path:
    """``path``, or skip: the TEI reference data lives only in the development workplace."""
    if not path.exists():
        pytest.skip(f"reference data not found at {path} (only in the development workplace)")
    return path


@functools.cache
def compiled(odd: str, source: str | None = None, strict: bool = True) -> CompiledOdd:
    """Compile once per session (same arguments, same object); never downloads."""
    return compile_odd(odd, source=source, strict=strict, download=False)


@functools.cache
def relaxng(path: str) -> etree.RelaxNG:
    """lxml's RELAX NG validator for a schema file, loaded once per session."""
    return etree.RelaxNG(etree.parse(path))


@functools.cache
def relaxng_bytes(data: bytes) -> etree.RelaxNG:
    return etree.RelaxNG(etree.fromstring(data))


def tei_all() -> CompiledOdd:
    need(P5SUBSET)
    need(TEI_ALL_ODD)
    return compiled(str(TEI_ALL_ODD), str(P5SUBSET))


def fixture(name: str) -> Path:
    return FIXTURES / name


# -- documents -------------------------------------------------------------------------------

HEADER = (
    f'<teiHeader xmlns="{TEI}"><fileDesc><titleStmt><title>Test</title></titleStmt>'
    "<publicationStmt><p>Unpublished.</p></publicationStmt>"
    "<sourceDesc><p>Written for the test.</p></sourceDesc></fileDesc></teiHeader>"
)


def tei(body: str, *, header: str = HEADER, text_attrs: str = "") -> bytes:
    """A small TEI document with ``body`` inside ``text/body``."""
    return (
        f'<TEI xmlns="{TEI}">{header}<text{text_attrs}><body>{body}</body></text></TEI>'
    ).encode()


def valid(schema: etree.RelaxNG, doc: bytes | etree._Element) -> bool:
    tree = etree.fromstring(doc) if isinstance(doc, bytes) else doc
    return bool(schema.validate(tree))


#: host documents for examples: (slot parent, document with a SLOT comment where they go)
HOSTS: list[tuple[str, str]] = [
    ("div", "<TEI><HEADER/><text><body><div><!--SLOT--></div></body></text></TEI>"),
    ("p", "<TEI><HEADER/><text><body><p><!--SLOT--></p></body></text></TEI>"),
    ("body", "<TEI><HEADER/><text><body><!--SLOT--></body></text></TEI>"),
    ("text", "<TEI><HEADER/><text><!--SLOT--></text></TEI>"),
    ("front", "<TEI><HEADER/><text><front><!--SLOT--></front><body><p/></body></text></TEI>"),
    (
        "titlePage",
        "<TEI><HEADER/><text><front><titlePage><!--SLOT--></titlePage></front>"
        "<body><p/></body></text></TEI>",
    ),
    ("listBibl", "<TEI><HEADER/><text><body><listBibl><!--SLOT--></listBibl></body></text></TEI>"),
    ("sp", "<TEI><HEADER/><text><body><sp><!--SLOT--></sp></body></text></TEI>"),
    ("lg", "<TEI><HEADER/><text><body><lg><!--SLOT--></lg></body></text></TEI>"),
    ("entry", "<TEI><HEADER/><text><body><entry><!--SLOT--></entry></body></text></TEI>"),
    (
        "teiHeader",
        "<TEI><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt>"
        "<publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc>"
        "</fileDesc><!--SLOT--></teiHeader><text><body><p/></body></text></TEI>",
    ),
    (
        "fileDesc",
        "<TEI><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt>"
        "<!--SLOT--><sourceDesc><p/></sourceDesc></fileDesc></teiHeader>"
        "<text><body><p/></body></text></TEI>",
    ),
    (
        "sourceDesc",
        "<TEI><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt>"
        "<publicationStmt><p/></publicationStmt><sourceDesc><!--SLOT--></sourceDesc>"
        "</fileDesc></teiHeader><text><body><p/></body></text></TEI>",
    ),
    (
        "msDesc",
        "<TEI><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt>"
        "<publicationStmt><p/></publicationStmt><sourceDesc><msDesc><msIdentifier>"
        "<idno>1</idno></msIdentifier><!--SLOT--></msDesc></sourceDesc></fileDesc>"
        "</teiHeader><text><body><p/></body></text></TEI>",
    ),
    ("fs", "<TEI><HEADER/><text><body><p><fs><!--SLOT--></fs></p></body></text></TEI>"),
]


def _host(xml: str) -> etree._Element:
    root = etree.fromstring(xml.replace("<TEI>", f'<TEI xmlns="{TEI}">'))
    header = root.find(f"{T}HEADER")
    if header is not None:
        root.replace(header, etree.fromstring(HEADER))
    return root


@functools.cache
def _hosts() -> list[tuple[str, etree._Element]]:
    return [(parent, _host(xml)) for parent, xml in HOSTS]


def children_allowed(compiled_odd: CompiledOdd) -> dict[str, set[str]]:
    """For each element (by name), the element names its content refers to."""
    grammar = compiled_odd.grammar
    out: dict[str, set[str]] = {}
    for _name, pattern in grammar.elements.items():
        found: set[str] = set()
        _refs(pattern.kids[0], found, set())
        nc = pattern.data[0]
        if nc[0] == "name":
            out[nc[2]] = {
                grammar.elements[r].data[0][2]
                for r in found
                if r in grammar.elements and grammar.elements[r].data[0][0] == "name"
            }
    return out


def _refs(p: Pattern, out: set[str], seen: set[int]) -> None:
    if p.uid in seen:
        return
    seen.add(p.uid)
    if p.kind == "ref":
        out.add(p.data[0])
    for kid in p.kids:
        _refs(kid, out, seen)


def _to_tei(node: etree._Element) -> etree._Element:
    """A copy of an example with the Examples namespace made the TEI namespace."""
    copied = copy.deepcopy(node)
    for element in copied.iter():
        if isinstance(element.tag, str) and element.tag.startswith(f"{{{TEIX}}}"):
            element.tag = f"{T}{etree.QName(element).localname}"
    etree.cleanup_namespaces(copied)
    return copied


def example_documents(
    p5subset: Path, allowed: dict[str, set[str]]
) -> Iterator[tuple[str, etree._Element]]:
    """Whole TEI documents built from the Guidelines' examples (``egXML``), with a label.

    A whole ``TEI``/``teiCorpus`` example is taken as it is; a fragment is put where the
    compiled tei_all schema allows its root element(s): into a host document whose slot
    element accepts them (or a ``div`` when none does). Identical documents are given once.
    """
    tree = etree.parse(str(p5subset))
    seen: set[bytes] = set()
    for number, eg in enumerate(tree.iter(f"{{{TEIX}}}egXML")):
        roots = [k for k in eg if isinstance(k.tag, str)]
        if not roots:
            continue
        spec = eg
        while spec is not None and not (isinstance(spec.tag, str) and spec.get("ident")):
            spec = spec.getparent()
        label = f"egXML #{number} ({spec.get('ident') if spec is not None else '?'})"
        names = [etree.QName(r).localname for r in roots]
        if (
            len(roots) == 1
            and names[0] in ("TEI", "teiCorpus")
            and roots[0].tag.startswith(f"{{{TEIX}}}")
        ):
            docs = [_to_tei(roots[0])]
        else:
            fitting = [(p, h) for p, h in _hosts() if all(n in allowed.get(p, ()) for n in names)]
            docs = []
            for _parent, host in fitting[:2] or _hosts()[:1]:
                doc = copy.deepcopy(host)
                slot = next(c for c in doc.iter(etree.Comment) if c.text == "SLOT")
                parent = slot.getparent()
                index = parent.index(slot)
                parent.remove(slot)
                for offset, root in enumerate(roots):
                    item = _to_tei(root)
                    item.tail = None
                    parent.insert(index + offset, item)
                docs.append(doc)
        for doc in docs:
            key = etree.tostring(doc)
            if key in seen:
                continue
            seen.add(key)
            yield label, doc


# -- mutations -------------------------------------------------------------------------------


class Mutator:
    """Systematic mutations of a valid document, guided by the compiled schema."""

    KINDS = (
        "unknown element",
        "element in a wrong place",
        "missing required child",
        "missing required attribute",
        "value outside a closed list",
        "bad datatype",
    )

    def __init__(self, compiled_odd: CompiledOdd) -> None:
        self.attributes: dict[str, list[tuple[str, str, bool, Pattern]]] = {}
        grammar = compiled_odd.grammar
        for pattern in grammar.elements.values():
            nc = pattern.data[0]
            if nc[0] != "name":
                continue
            found: list[tuple[str, str, bool, Pattern]] = []
            _attributes(pattern.kids[1], found, required=True)
            _attributes(pattern.kids[0], found, required=True)
            self.attributes[nc[2]] = found

    def mutations(self, doc: etree._Element) -> Iterator[tuple[str, etree._Element]]:
        for kind in self.KINDS:
            mutated = copy.deepcopy(doc)
            if getattr(self, "_" + kind.replace(" ", "_"))(mutated):
                yield kind, mutated

    def _tei_elements(self, doc: etree._Element) -> list[etree._Element]:
        return [e for e in doc.iter() if isinstance(e.tag, str) and e.tag.startswith(T)]

    def _unknown_element(self, doc: etree._Element) -> bool:
        found = doc.find(f".//{T}text")
        target = found if found is not None else doc
        target.insert(0, etree.Element(f"{T}noSuchElement"))
        return True

    def _element_in_a_wrong_place(self, doc: etree._Element) -> bool:
        header = doc.find(f".//{T}teiHeader")
        body = doc.find(f".//{T}body")
        if header is None or body is None:
            return False
        body.insert(0, copy.deepcopy(header))
        return True

    def _missing_required_child(self, doc: etree._Element) -> bool:
        title_stmt = doc.find(f".//{T}fileDesc/{T}titleStmt")
        if title_stmt is None:
            return False
        title_stmt.getparent().remove(title_stmt)
        return True

    def _missing_required_attribute(self, doc: etree._Element) -> bool:
        for element in self._tei_elements(doc):
            for name, ns, required, _value in self.attributes.get(
                etree.QName(element).localname, []
            ):
                key = f"{{{ns}}}{name}" if ns else name
                if required and element.get(key) is not None:
                    del element.attrib[key]
                    return True
        return False

    def _value_outside_a_closed_list(self, doc: etree._Element) -> bool:
        for element in self._tei_elements(doc):
            for name, ns, _required, value in self.attributes.get(
                etree.QName(element).localname, []
            ):
                if ns or not _closed(value):
                    continue
                element.set(name, "zzz-not-in-the-list")
                return True
        return False

    def _bad_datatype(self, doc: etree._Element) -> bool:
        for element in self._tei_elements(doc):
            for name, ns, _required, value in self.attributes.get(
                etree.QName(element).localname, []
            ):
                if ns or not _typed(value):
                    continue
                element.set(name, "not a valid value %%")
                return True
        return False


def _attributes(
    p: Pattern,
    out: list[tuple[str, str, bool, Pattern]],
    *,
    required: bool,
    seen: set[int] | None = None,
) -> None:
    seen = set() if seen is None else seen
    if p.kind == "attribute":
        nc = p.data[0]
        if nc[0] == "name":
            out.append((nc[2], nc[1] or "", required, p.kids[0]))
        return
    if p.kind in ("element", "ref"):
        return
    for kid in p.kids:
        _attributes(
            kid, out, required=required and p.kind in ("group", "bundle", "element"), seen=seen
        )


def _closed(value: Pattern) -> bool:
    return (value.kind == "choice" and all(k.kind == "value" for k in value.kids)) or (
        value.kind == "value"
    )


def _typed(value: Pattern) -> bool:
    if value.kind == "data":
        type_, _lib, params = value.data
        return type_ not in ("string", "token", "normalizedString") or any(
            n == "pattern" and not re.fullmatch(r"\.\+|\.\*", v) for n, v in params
        )
    if value.kind == "choice":
        return all(_typed(k) for k in value.kids if k.kind != "value") and any(
            k.kind == "data" for k in value.kids
        )
    return False


def corpus_files() -> list[Path]:
    """The corpus files Jing could judge (jing-verdicts.tsv), in a stable order."""
    listing = need(CORPUS / "jing-verdicts.tsv").read_text(encoding="utf-8").splitlines()[1:]
    out = []
    for line in listing:
        path, verdict = line.split("\t")[:2]
        if verdict in ("valid", "invalid"):
            out.append(CORPUS / path)
    return out


def parse_corpus_file(path: Path) -> etree._Element | None:
    from tei_cable.xmlio import safe_parser

    try:
        return etree.parse(os.fspath(path), safe_parser(huge_tree=True)).getroot()
    except etree.XMLSyntaxError:
        return None


# -- small ODDs written in the tests ---------------------------------------------------------

ODD_HEAD = f"""<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="{TEI}" xmlns:rng="http://relaxng.org/ns/structure/1.0"
     xmlns:sch="http://purl.oclc.org/dsdl/schematron" xml:lang="en">
  <teiHeader><fileDesc><titleStmt><title>A test customization</title></titleStmt>
    <publicationStmt><p>Test fixture.</p></publicationStmt>
    <sourceDesc><p>Written for the tests.</p></sourceDesc></fileDesc></teiHeader>
  <text><body>
"""
ODD_TAIL = """
  </body></text>
</TEI>
"""
BASE_MODULES = """
      <moduleRef key="tei"/>
      <moduleRef key="core"/>
      <moduleRef key="header"/>
      <moduleRef key="textstructure"/>
"""


def odd_text(
    specs: str,
    *,
    modules: str = BASE_MODULES,
    attrs: str = 'start="TEI"',
    before: str = "",
    after: str = "",
) -> str:
    """An ODD whose schemaSpec holds ``modules`` then ``specs`` (bundled TEI 4.9.0 source)."""
    return (
        f'{ODD_HEAD}{before}\n    <schemaSpec ident="test" {attrs} source="tei:4.9.0">'
        f"{modules}{specs}\n    </schemaSpec>{after}{ODD_TAIL}"
    )


def compile_text(text: str, tmp_path: Path, name: str = "test.odd", **kw) -> CompiledOdd:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return compile_odd(path, **kw)


def schema_of(compiled_odd: CompiledOdd) -> etree.RelaxNG:
    return etree.RelaxNG(etree.fromstring(compiled_odd.rng_bytes()))


def verdicts(rng: bytes, docs: dict[str, bytes], tmp_path: Path) -> tuple[set[str], set[str]]:
    """The documents (by name) Jing and libxml2 each find invalid against ``rng``."""
    schema_path = tmp_path / "schema.rng"
    schema_path.write_bytes(rng)
    paths = []
    for name, data in docs.items():
        paths.append(tmp_path / name)
        paths[-1].write_bytes(data)
    output = jing(schema_path, *paths).stdout
    assert "schema.rng" not in output, output
    by_jing = {name for name in docs if f"{tmp_path / name}:" in output}
    schema = etree.RelaxNG(etree.fromstring(rng))
    by_lxml = {name for name, data in docs.items() if not schema.validate(etree.fromstring(data))}
    return by_jing, by_lxml
