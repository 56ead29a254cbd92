"""Which schema files a ``--schema`` value means, and which engines can use them.

Shared by validation and the command line; an ``.odd`` (and ``tei_all``) is compiled here
through the ODD compiler's API, so validation itself never imports the compiler.

- ``tei_cable`` (the default): the packaged RELAX NG, Schematron and XSD derived from our ODD
  (``tei_cable.resources.schemas_dir()``); the RELAX NG validation compiles is the copy
  ``schema build`` writes for libxml2 (``libxml2/tei_cable.rng``: the same grammar).
- ``tei_all``: the TEI's whole vocabulary (a schemaSpec with every module of the TEI source,
  as the TEI's own ``tei_all.odd``), compiled by our ODD compiler and cached. The TEI source
  is ``source`` or the one bundled with tei-cable. Its RELAX NG runs by default; the TEI's own
  Schematron constraints with ``sch``.
- a file: ``.rng``, ``.xsd``, ``.sch`` as they are (the Schematron patterns a RELAX NG or
  XSD file embeds, as the TEI's do, are its Schematron part); an ``.odd`` compiled on the fly
  with the ODD compiler (``source`` is the TEI P5 source, as in ``tei-cable schema build
  --source``), cached by the content of both.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .diagnostics import TeiCableError
from .namespaces import SCH, TEI
from .resources import LIBXML2_DIR, cache_dir, schemas_dir

#: engine name -> what it checks, in the order engines run and are listed
ENGINES: dict[str, str] = {
    "rng": "RELAX NG (lxml)",
    "sch": "ISO Schematron",
    "xsd": "W3C XML Schema 1.0/1.1 (xmlschema)",
}


class SchemaError(TeiCableError):
    """A schema cannot be found, read or compiled, or an engine is not available."""

    def __init__(self, message: str, *, path: str | None = None, code: str = "V001") -> None:
        super().__init__(message, path=path, code=code)


DEFAULT_ENGINES = ("rng", "sch")
SCHEMATRON_NS = SCH.encode()
TEI_NS = TEI
#: what a cache folder holds; a new layout gets new folders
_CACHE_LAYOUT = 3
NAMED = ("tei_cable", "tei_all")
_SUFFIX_ENGINE = {".rng": "rng", ".sch": "sch", ".xsd": "xsd"}


@dataclass(frozen=True)
class SchemaSet:
    """The files of one schema, one per engine, and the engines that run by default."""

    name: str
    files: dict[str, Path] = field(default_factory=dict)
    #: the engines run when none are asked for; others in ``files`` run on request
    defaults: tuple[str, ...] = ()

    def engines(self, requested: tuple[str, ...] | None = None) -> tuple[str, ...]:
        """The engines to run: ``requested`` (each must be provided) or the defaults."""
        if requested:
            unknown = [e for e in requested if e not in ENGINES]
            if unknown:
                raise SchemaError(
                    f"unknown engine {unknown[0]!r}; choose from " + ", ".join(ENGINES)
                )
            missing = [e for e in requested if e not in self.files]
            if missing:
                raise SchemaError(
                    f"schema {self.name} has no {ENGINES[missing[0]]} part "
                    f"for engine {missing[0]!r}"
                )
            return tuple(dict.fromkeys(requested))
        if self.defaults:
            return self.defaults
        chosen = tuple(e for e in DEFAULT_ENGINES if e in self.files)
        return chosen or tuple(e for e in ENGINES if e in self.files)


def resolve(
    schema: str | os.PathLike[str] = "tei_cable", *, source: str | None = None
) -> SchemaSet:
    """The :class:`SchemaSet` for a ``--schema`` value; :class:`SchemaError` if there is none."""
    text = os.fspath(schema)
    if text == "tei_cable":
        return _packaged()
    if text == "tei_all":
        return _tei_all(source)
    path = Path(text)
    suffix = path.suffix.lower()
    if suffix not in (*_SUFFIX_ENGINE, ".odd"):
        raise SchemaError(
            f"unknown schema {text!r}: give tei_cable, tei_all, or a .rng, .sch, .xsd or .odd file"
        )
    if not path.is_file():
        raise SchemaError("schema file not found", path=text)
    if suffix == ".odd":
        return compile_odd(path, source)
    return _file_set(text, path, _SUFFIX_ENGINE[suffix])


def _file_set(name: str, path: Path, engine: str) -> SchemaSet:
    """A schema file, with what lies beside it: ``x.rng`` brings ``x.sch`` (run by default)
    and ``x.xsd`` (on request); Schematron embedded in the file itself runs on request."""
    files = {engine: path}
    defaults = [engine]
    for suffix, other in _SUFFIX_ENGINE.items():
        sibling = path.with_suffix(suffix)
        if other != engine and engine != "sch" and sibling.is_file():
            files[other] = sibling
            if engine == "rng" and other == "sch":
                defaults.append("sch")
    if "sch" not in files and engine != "sch" and _embeds_schematron(path):
        files["sch"] = path  # the TEI's schemas carry their constraints as sch:pattern
    order = tuple(e for e in ENGINES if e in defaults)
    return SchemaSet(name, files, order)


def _embeds_schematron(path: Path) -> bool:
    """Whether a RELAX NG or XSD file has ISO Schematron patterns in it."""
    try:
        data = path.read_bytes()
    except OSError:
        return False
    return SCHEMATRON_NS in data and re.search(rb"<[\w.-]+:pattern[\s>]", data) is not None


def _packaged() -> SchemaSet:
    """The schema derived from our ODD; its RELAX NG is the flat copy written for libxml2
    where it is there (as in :func:`_compiled`), else ``tei_cable.rng``."""
    folder = schemas_dir()
    candidates = {e: folder / f"tei_cable{suffix}" for suffix, e in _SUFFIX_ENGINE.items()}
    files = {engine: path for engine, path in candidates.items() if path.is_file()}
    flat = folder / LIBXML2_DIR / "tei_cable.rng"
    if flat.is_file():
        files["rng"] = flat
    if "rng" not in files:
        raise SchemaError(
            "the packaged schema is missing (tei_cable.rng); build it with "
            "`tei-cable schema build`",
            path=str(folder),
        )
    return SchemaSet("tei_cable", files)


def _tei_all(source: str | None) -> SchemaSet:
    """Every module of the TEI source, compiled by our ODD compiler (cached)."""
    try:
        from .odd.source import load_source, resolve_source
    except ImportError:
        raise SchemaError("the ODD compiler is not available in this installation") from None

    path = Path(resolve_source(source, None, Path.cwd()))
    key = _digest(b"tei_all: every module", str(path), path)

    def compile_() -> object:
        refs = "".join(f'<moduleRef key="{m}"/>' for m in sorted(load_source(path).modules))
        odd = (
            f'<TEI xmlns="{TEI_NS}"><teiHeader><fileDesc><titleStmt><title>tei_all</title>'
            "</titleStmt><publicationStmt><p>Generated by tei-cable: every TEI module.</p>"
            "</publicationStmt><sourceDesc><p>The TEI source it is compiled from.</p>"
            "</sourceDesc></fileDesc></teiHeader><text><body>"
            f'<schemaSpec ident="tei_all" start="TEI teiCorpus">{refs}</schemaSpec>'
            "</body></text></TEI>"
        )
        tree = etree.ElementTree(etree.fromstring(odd))
        return _compiler()(tree, source=str(path), odd_path="tei_all.odd")

    compiled = _compiled("tei_all", key, compile_)
    # the TEI's own constraints (XPath 3, every module) run when asked for, as with tei_all.rng
    return SchemaSet("tei_all", compiled.files, ("rng",))


def compile_odd(odd: Path, source: str | None) -> SchemaSet:
    """An ODD compiled into RELAX NG, Schematron and XSD, once per content (cached).

    The cache key is the ODD's bytes and those of every local file it reads (XIncludes,
    specGrp files, a library ODD as source), the TEI source's (its bytes when it is a local
    file, its name when it is a ``tei:VERSION`` or URL), and the compiler's own code.
    """
    local = Path(source) if source and Path(source).is_file() else None
    from .odd.reader import local_inputs

    data = odd.read_bytes()
    for path in local_inputs(odd):
        data += b"\0" + str(path).encode("utf-8") + b"\0" + path.read_bytes()
    key = _digest(data, source or "", local)
    return _compiled(os.fspath(odd), key, lambda: _compiler()(odd, source=source))


def _compiler() -> Callable[..., object]:
    try:
        from .odd.compiler import compile_odd as compiler
    except ImportError:
        raise SchemaError("the ODD compiler is not available in this installation") from None
    return compiler


def _compiled(name: str, key: str, compile_: Callable[[], object]) -> SchemaSet:
    """The derived files in the cache folder ``key``, compiling them first if missing.

    The folder holds what ``schema build`` writes (:func:`tei_cable.odd.api.derived_files`):
    ``ident.rng`` loads in Jing and every other RELAX NG tool, and validation reads the copy
    in ``libxml2/`` with the same meaning: its long choices are flat, which libxml2 compiles
    about twice as fast, but on which Jing, walking the grammar recursively, overflows Java's
    default stack for ``tei_all`` (``tei_cable/odd/LIBXML2.md``).
    """
    from .xmlio import write_atomic

    folder = cache_dir() / "schemas" / key
    done = folder / "complete"
    flat = folder / LIBXML2_DIR
    if not done.is_file():
        compiled = compile_()
        folder.mkdir(parents=True, exist_ok=True)
        try:
            from .odd.api import derived_files
        except ImportError:  # an older compiler: its RELAX NG only
            files = {f"{compiled.ident}.rng": compiled.rng_bytes()}  # type: ignore[attr-defined]
        else:
            files, _notes = derived_files(compiled)  # type: ignore[arg-type]
        for file_name, data in files.items():
            if Path(file_name).suffix in _SUFFIX_ENGINE or file_name.endswith(".sch.json"):
                path = folder / file_name
                path.parent.mkdir(parents=True, exist_ok=True)
                write_atomic(path, data, force=True)
        write_atomic(done, name.encode("utf-8"), force=True)
    files = {
        engine: path
        for suffix, engine in _SUFFIX_ENGINE.items()
        for path in sorted(folder.glob(f"*{suffix}"))
    }
    for path in sorted(flat.glob("*.rng")):
        files["rng"] = path
    if "rng" not in files:
        raise SchemaError("the ODD compiler gave no RELAX NG", path=name)
    return SchemaSet(name, files)


def _digest(odd: bytes, source: str, local_source: Path | None) -> str:
    """A content hash of an ODD, its TEI source and the compiler that compiles it."""
    import hashlib

    from . import __version__
    from .resources import PACKAGE_DIR

    h = hashlib.sha256(f"{__version__}:{_CACHE_LAYOUT}".encode())
    for part in (
        odd,
        source.encode("utf-8"),
        local_source.read_bytes() if local_source is not None else b"",
    ):
        h.update(len(part).to_bytes(8, "big"))
        h.update(part)
    for room in ("odd", "relaxng", "schematron"):  # a changed compiler: recompile
        for code in sorted((PACKAGE_DIR / room).rglob("*.py")):
            h.update(code.read_bytes())
    for data in sorted((PACKAGE_DIR / "odd").rglob("*.xml")):  # the bundled TEI source
        stat = data.stat()
        h.update(f"{data.name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return h.hexdigest()[:24]
