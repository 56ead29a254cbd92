"""The TEI source an ODD customises (``p5subset.xml``): finding it, loading it, caching it.

Where the source comes from, in order:

1. ``--source`` (a path, a ``tei:VERSION`` or an ``http(s)`` URL);
2. the schemaSpec's ``@source`` when it is a local path (relative to the ODD);
3. for ``tei:VERSION`` (and URLs): the user cache (``$TEI_CABLE_CACHE_DIR`` or
   ``$XDG_CACHE_HOME/tei-cable``, file ``p5subset-VERSION.xml``), then the copy bundled with
   tei-cable (TEI P5 :data:`BUNDLED_VERSION`), then a download into the cache;
4. no ``@source`` at all: the bundled copy.

Every source is read in the same *compact* form: the specs and module declarations with their
English glosses and descriptions, without examples, remarks and reference lists (see
:func:`compact`). The bundled file is that form of the TEI's own ``p5subset.xml``, so a full
``p5subset.xml`` passed with ``--source`` gives byte-identical output.

TEI material is dual-licensed, CC BY 3.0 and BSD-2-Clause (Copyright TEI Consortium); the
bundled file keeps the TEI's header with its licence statement.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from ..diagnostics import TeiCableError
from ..namespaces import SPEC_TAGS, TEI, XML_LANG, tei
from ..resources import cache_dir
from ..xmlio import remove_keeping_text, safe_parser, write_atomic

if TYPE_CHECKING:
    from .catalog import Catalogs

BUNDLED_VERSION = "4.9.0"
VAULT = "https://www.tei-c.org/Vault/P5/{version}/xml/tei/odd/p5subset.xml"
COMPACT_PI = "tei-cable-compact"
_DATA = Path(__file__).resolve().parent / "data"
_DROP = (tei("exemplum"), tei("remarks"), tei("listRef"))


class SourceError(TeiCableError):
    """The TEI source cannot be found, read or downloaded."""

    def __init__(self, message: str, *, path: str | None = None) -> None:
        super().__init__(message, path=path, code="O100")


@dataclass
class TeiSource:
    """A loaded TEI source: its specs by name, its modules, its edition."""

    path: str
    root: etree._Element
    edition: str
    version: str
    specs: dict[str, etree._Element] = field(default_factory=dict)
    modules: dict[str, etree._Element] = field(default_factory=dict)
    module_members: dict[str, list[etree._Element]] = field(default_factory=dict)
    order: dict[str, int] = field(default_factory=dict)
    #: an ODD to compile first (a project's library ODD, not a TEI release or a compiled ODD)
    is_customization: bool = False
    #: for a library ODD: the TEI source it was compiled from
    base: TeiSource | None = None

    @property
    def label(self) -> str:
        """How messages name this source: ``TEI 4.9.0``, or the library and its TEI."""
        if self.base is not None:
            return f"{Path(self.path).name} (on TEI {self.version})"
        return f"TEI {self.version}"

    @cached_property
    def default_exceptions(self) -> str:
        """The default ``@defaultExceptions`` of a schemaSpec (for ``anyElement``)."""
        spec = self.specs.get("schemaSpec")
        found = (
            spec.xpath(
                ".//t:attDef[@ident='defaultExceptions']/t:defaultVal", namespaces={"t": TEI}
            )
            if spec is not None
            else []
        )
        return (
            " ".join(found[0].text.split())
            if found and found[0].text
            else ("http://www.tei-c.org/ns/1.0 teix:egXML")
        )

    def availability(self) -> str:
        """The licence statement of the source (kept in every derived schema)."""
        found = self.root.find(
            f"{tei('teiHeader')}/{tei('fileDesc')}/{tei('publicationStmt')}/{tei('availability')}"
        )
        if found is None:
            return self.base.availability() if self.base is not None else ""
        return " ".join("".join(found.itertext()).split())


_LOADED: dict[tuple[str, int, int], TeiSource] = {}


def load_source(path: str | os.PathLike[str]) -> TeiSource:
    """Load (and compact) a TEI source file; kept in memory for the rest of the process."""
    file = Path(path)
    try:
        stat = file.stat()
    except OSError as exc:
        raise SourceError(
            f"TEI source not readable: {exc.strerror or exc}", path=str(file)
        ) from None
    key = (str(file.resolve()), stat.st_mtime_ns, stat.st_size)
    cached = _LOADED.get(key)
    if cached is not None:
        return cached
    try:
        tree = etree.parse(str(file), safe_parser(huge_tree=True))
    except etree.XMLSyntaxError as exc:
        raise SourceError(f"TEI source is not well-formed XML: {exc.msg}", path=str(file)) from None
    except OSError as exc:
        raise SourceError(f"TEI source not readable: {exc}", path=str(file)) from None
    root = tree.getroot()
    if root.tag != tei("TEI"):
        raise SourceError("not a TEI source: the root element is not TEI", path=str(file))
    customization = not _is_compact(root) and is_customization(root)
    if not _is_compact(root):
        root = compact(root)
    source = _index(str(file), root)
    source.is_customization = customization
    declared = _declared_version(tree.getroot())
    if declared and source.version == "unknown":
        source.version = declared
    if not source.specs and not customization:
        raise SourceError("not a TEI source: it has no elementSpec or classSpec", path=str(file))
    _LOADED.clear()  # one source at a time is the norm; do not grow without bound
    _LOADED[key] = source
    return source


def is_customization(root: etree._Element) -> bool:
    """An ODD that selects modules or spec groups: it must be compiled to serve as a source
    (a TEI release or a compiled ODD has its specs written out)."""
    for spec in root.iter(tei("schemaSpec")):
        if spec.find(tei("moduleRef")) is not None or spec.find(tei("specGrpRef")) is not None:
            return True
    return False


def library_source(path: str, root: etree._Element, base: TeiSource) -> TeiSource:
    """A compiled library ODD (the tree of ``CompiledOdd.to_odd()``) as a TEI source."""
    source = _index(path, compact(root))
    source.version = base.version
    source.edition = f"{Path(path).name}, compiled on {base.edition or 'TEI ' + base.version}"
    source.base = base
    return source


def _declared_version(root: etree._Element) -> str | None:
    """The TEI version a compiled ODD says it was made from (the Stylesheets' TEIVERSION,
    inside the document or, as tei-cable writes it, before its root element)."""
    before = []
    node = root.getprevious()
    while node is not None:
        before.append(node)
        node = node.getprevious()
    for node in [*before, *root.iter(etree.ProcessingInstruction)]:
        if isinstance(node, etree._ProcessingInstruction) and node.target == "TEIVERSION":
            match = re.search(r"(\d+\.\d+\.\d+)", node.text or "")
            if match:
                return match.group(1)
    return None


def _is_compact(root: etree._Element) -> bool:
    prev = root.getprevious()
    while prev is not None:
        if isinstance(prev, etree._ProcessingInstruction) and prev.target == COMPACT_PI:
            return True
        prev = prev.getprevious()
    return False


def _index(path: str, root: etree._Element) -> TeiSource:
    edition_el = root.find(
        f"{tei('teiHeader')}/{tei('fileDesc')}/{tei('editionStmt')}/{tei('edition')}"
    )
    edition = " ".join("".join(edition_el.itertext()).split()) if edition_el is not None else ""
    match = re.search(r"(\d+\.\d+\.\d+)", edition)
    source = TeiSource(path, root, edition, match.group(1) if match else "unknown")
    for spec in root.iter(*SPEC_TAGS, tei("moduleSpec")):
        ident = spec.get("ident")
        if not ident:
            continue
        if spec.tag == tei("moduleSpec"):
            source.modules.setdefault(ident, spec)
            continue
        if ident in source.specs:
            continue
        source.specs[ident] = spec
        source.order[ident] = len(source.order)
        module = spec.get("module")
        if module:
            source.module_members.setdefault(module, []).append(spec)
    return source


def compact(root: etree._Element) -> etree._Element:
    """The compact form of a TEI source: header, module and spec declarations, English prose.

    Keeps every ``moduleSpec``, ``elementSpec``, ``classSpec``, ``macroSpec`` and
    ``dataSpec`` in document order, with their ``gloss``/``desc`` in English (or without a
    language), and drops ``exemplum``, ``remarks`` and ``listRef``; the header keeps the title,
    the edition, the publication statement (with the licence) and the ``constraintDecl``.
    """
    new_root = etree.Element(tei("TEI"), nsmap={None: TEI})
    header = etree.SubElement(new_root, tei("teiHeader"))
    file_desc = etree.SubElement(header, tei("fileDesc"))
    old_desc = root.find(f"{tei('teiHeader')}/{tei('fileDesc')}")
    if old_desc is not None:
        for part in ("titleStmt", "editionStmt", "publicationStmt"):
            found = old_desc.find(tei(part))
            if found is not None:
                file_desc.append(_clean(found))
    source_desc = etree.SubElement(file_desc, tei("sourceDesc"))
    etree.SubElement(source_desc, tei("p")).text = (
        "Compact form of the TEI source (p5subset.xml): module and specification "
        "declarations only, with their English glosses and descriptions; examples, remarks "
        "and reference lists removed."
    )
    old_decls = root.findall(f"{tei('teiHeader')}/{tei('encodingDesc')}/{tei('constraintDecl')}")
    if old_decls:  # the namespaces the TEI's own constraints use (sch1x, rng, rna…)
        encoding = etree.SubElement(header, tei("encodingDesc"))
        for decl in old_decls:
            encoding.append(_clean(decl))
    body = etree.SubElement(etree.SubElement(new_root, tei("text")), tei("body"))
    div = etree.SubElement(body, tei("div"))
    for spec in root.iter(*SPEC_TAGS, tei("moduleSpec")):
        if spec.getparent() is not None and _inside_spec(spec):
            continue
        div.append(_clean(spec))
    return new_root


def _inside_spec(node: etree._Element) -> bool:
    parent = node.getparent()
    while parent is not None:
        if parent.tag in SPEC_TAGS:
            return True
        parent = parent.getparent()
    return False


def _clean(node: etree._Element) -> etree._Element:
    copy = etree.fromstring(etree.tostring(node, with_tail=False))
    for drop in list(copy.iter(*_DROP)):
        remove_keeping_text(drop)
    for prose in list(copy.iter(tei("desc"), tei("gloss"))):
        lang = prose.get(XML_LANG)
        if lang not in (None, "en"):
            remove_keeping_text(prose)
    return copy


def write_compact(source: str | os.PathLike[str], dest: str | os.PathLike[str]) -> None:
    """Write the compact form of a full ``p5subset.xml`` (how the bundled copy is made)."""
    tree = etree.parse(os.fspath(source), safe_parser(huge_tree=True))
    root = compact(tree.getroot())
    pi = etree.ProcessingInstruction(COMPACT_PI, "1")
    data = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        + etree.tostring(pi)
        + b"\n"
        + etree.tostring(root, encoding="UTF-8")
        + b"\n"
    )
    write_atomic(dest, data, force=True)


def bundled_source(version: str = BUNDLED_VERSION) -> Path | None:
    """The TEI source shipped with tei-cable for ``version``, if there is one."""
    path = _DATA / f"p5subset-{version}.xml"
    return path if path.is_file() else None


_HINT = (
    "pass a local copy of the TEI source with --source PATH (p5subset.xml, from a TEI "
    "release or the TEI Stylesheets' source/ folder)"
)


def resolve_source(
    explicit: str | None,
    declared: str | None,
    odd_dir: Path,
    *,
    download: bool = True,
    catalogs: Catalogs | None = None,
) -> Path:
    """The file to read the TEI source from (see the module docstring for the order)."""
    if explicit:
        return _resolve_one(explicit, Path.cwd(), download, what="--source", catalogs=catalogs)
    if declared:
        return _resolve_one(
            declared, odd_dir, download, what="schemaSpec/@source", catalogs=catalogs
        )
    bundled = bundled_source()
    if bundled is None:
        raise SourceError(f"the ODD names no TEI source (@source) and none is bundled; {_HINT}")
    return bundled


def _resolve_one(
    value: str, base: Path, download: bool, *, what: str, catalogs: Catalogs | None = None
) -> Path:
    value = value.strip()
    if catalogs:
        url = VAULT.format(version=value[4:].strip()) if value.startswith("tei:") else value
        local = catalogs.resolve(url)
        if local is not None:
            return local
    if value.startswith("tei:"):
        version = value[4:].strip()
        if not re.fullmatch(r"\d+\.\d+\.\d+", version):
            raise SourceError(
                f"{what} {value!r}: give tei:VERSION with a release number such "
                f"as tei:{BUNDLED_VERSION}, or a path; {_HINT}"
            )
        cached = cache_dir() / f"p5subset-{version}.xml"
        if cached.is_file():
            return cached
        bundled = bundled_source(version)
        if bundled is not None:
            return bundled
        if not download:
            raise SourceError(f"TEI P5 {version} source is not in the cache ({cached}); {_HINT}")
        return _download(VAULT.format(version=version), cached, f"TEI P5 {version}")
    if value.startswith(("http://", "https://")):
        cached = cache_dir() / f"p5subset-{hashlib.sha256(value.encode()).hexdigest()[:16]}.xml"
        if cached.is_file():
            return cached
        if not download:
            raise SourceError(f"TEI source {value} is not in the cache; {_HINT}")
        return _download(value, cached, value)
    if value.startswith("file:"):
        import urllib.request

        value = urllib.request.url2pathname(value[5:].lstrip("/") if os.name == "nt" else value[5:])
    path = Path(value)
    if not path.is_absolute():
        path = base / path
    if path.is_file():
        return path
    raise SourceError(f"{what}: TEI source not found: {value}; {_HINT}", path=str(path))


def resolve_module(
    location: str, base: str, *, download: bool = True, catalogs: Catalogs | None = None
) -> str:
    """A local file for an external RELAX NG module (``moduleRef/@url``, or an ``include``
    inside one): a path relative to ``base`` (a folder or a URL), or an ``http(s)`` URL,
    downloaded once into the user cache (``modules/``). Returns the path, or the URL the
    module was found at (for resolving its own includes) joined with ``|``."""
    import urllib.error
    import urllib.parse
    import urllib.request  # only here: it costs a tenth of a second to import

    if not location.startswith(("http://", "https://")) and base.startswith(
        ("http://", "https://")
    ):
        location = urllib.parse.urljoin(base, location)
    if location.startswith(("http://", "https://")):
        local = catalogs.resolve(location) if catalogs else None
        if local is not None:
            return f"{local}|{local.parent}"
        name = Path(urllib.parse.urlparse(location).path).name or "module.rng"
        digest = hashlib.sha256(location.encode()).hexdigest()[:16]
        cached = cache_dir() / "modules" / f"{digest}-{name}"
        if not cached.is_file():
            if not download:
                raise SourceError(
                    f"RELAX NG module {location} is not in the cache; give a local copy "
                    "through an XML catalog (--catalog FILE or XML_CATALOG_FILES) or its "
                    "local path in moduleRef/@url"
                )
            try:
                with urllib.request.urlopen(location, timeout=30) as response:
                    data = response.read()
            except (urllib.error.URLError, OSError, ValueError) as exc:
                reason = getattr(exc, "reason", exc)
                raise SourceError(
                    f"cannot download the RELAX NG module {location} ({reason}); give a "
                    "local copy through an XML catalog (--catalog FILE or XML_CATALOG_FILES) "
                    "or its local path in moduleRef/@url"
                ) from None
            cached.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(cached, data, force=True)
        return f"{cached}|{location}"
    if location.startswith("file:"):
        location = urllib.request.url2pathname(location[5:])
    path = Path(location)
    if not path.is_absolute():
        path = Path(base) / path
    if not path.is_file():
        raise SourceError(f"RELAX NG module not found: {path}")
    return f"{path}|{path.parent}"


def _download(url: str, dest: Path, label: str) -> Path:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            data = response.read()
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise SourceError(
            f"cannot download the {label} source from {url} ({reason}); {_HINT}"
        ) from None
    try:
        root = etree.fromstring(data, safe_parser(huge_tree=True))
    except etree.XMLSyntaxError:
        raise SourceError(f"the download from {url} is not XML; {_HINT}") from None
    if root.tag != tei("TEI") or next(root.iter(tei("elementSpec")), None) is None:
        raise SourceError(f"the download from {url} is not a TEI source; {_HINT}")
    dest.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(dest, data, force=True)
    return dest
