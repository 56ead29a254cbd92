"""Build and check the files derived from an ODD (what ``tei-cable schema`` runs).

For a schemaSpec ``ident`` the derived files are ``ident.rng`` (RELAX NG) and
``libxml2/ident.rng`` (the same grammar written for libxml2, which validation compiles),
``ident.sch`` (ISO Schematron, from :mod:`tei_cable.odd.schematron`) and ``ident.sch.json``
(its compiled form), ``ident.xsd`` (when an XSD writer is installed) and
``ident.compiled.odd``. Each is deterministic: building twice from the same
ODD and TEI source gives the same bytes, which is what :func:`check` relies on.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..findings import Finding
from ..resources import LIBXML2_DIR, schemas_dir
from ..xmlio import write_atomic
from .compiler import CompiledOdd, compile_odd

DEFAULT_ODD = "tei_cable.odd"
#: every kind of derived file, in the order they are written
FORMATS = ("rng", "sch", "xsd", "odd")


@dataclass
class Build:
    """The outcome of :func:`build`: what was written, what was skipped and why."""

    compiled: CompiledOdd
    files: dict[str, bytes] = field(default_factory=dict)
    written: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: the folder the files were written into
    out_dir: Path = Path()

    @property
    def diagnostics(self) -> list[Finding]:
        return self.compiled.diagnostics

    def state(self, name: str) -> str:
        """``written`` or ``unchanged``: what :func:`build` did with the file ``name`` (a
        key of :attr:`files`, a path relative to the output folder: ``libxml2/ident.rng``)."""
        return "written" if self.out_dir / name in self.written else "unchanged"


def default_odd() -> Path:
    return schemas_dir() / DEFAULT_ODD


def derived_files(
    compiled: CompiledOdd, formats: tuple[str, ...] = FORMATS
) -> tuple[dict[str, bytes], list[str]]:
    """The derived files of ``compiled`` (name -> bytes) and notes on what was left out.

    ``formats`` picks among ``rng``, ``sch``, ``xsd`` and ``odd`` (the compiled ODD). A name
    is a path relative to the output folder: ``rng`` gives ``ident.rng``, which every RELAX NG
    tool loads, and ``libxml2/ident.rng``, the same grammar with its long choices flat and
    nothing but the grammar, which libxml2 compiles faster (Jing may need more than Java's
    default stack for it: ``LIBXML2.md``).
    """
    from .schematron import extract_schematron
    from .xsd import build_notes, write_xsd

    ident = compiled.ident
    files: dict[str, bytes] = {}
    notes: list[str] = []
    if "rng" in formats:
        files[f"{ident}.rng"] = compiled.rng_bytes()
        files[f"{LIBXML2_DIR}/{ident}.rng"] = compiled.rng_bytes(for_libxml2=True)
    odd_tree = compiled.to_odd() if {"sch", "odd"} & set(formats) else None
    if "sch" in formats:
        files[f"{ident}.sch"] = _serialize(extract_schematron(odd_tree), pretty=True)
        from ..schematron.engine import SchematronSchemaError, compiled_form

        try:  # the engine's compiled form, so that a fresh process parses no query
            files[f"{ident}.sch.json"] = compiled_form(files[f"{ident}.sch"])
        except SchematronSchemaError as exc:
            notes.append(f"{ident}.sch: not compiled: {exc}")
    if "xsd" in formats:
        files[f"{ident}.xsd"] = _serialize(write_xsd(compiled), pretty=True)
        notes += build_notes(files[f"{ident}.xsd"], f"{ident}.xsd")  # where it is looser
    if "odd" in formats:
        files[f"{ident}.compiled.odd"] = _serialize(odd_tree, pretty=False)
    return files, notes


def _serialize(tree: etree._ElementTree | etree._Element | None, *, pretty: bool) -> bytes:
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8", pretty_print=pretty)


def build(
    odd: str | os.PathLike[str] | None = None,
    *,
    source: str | os.PathLike[str] | None = None,
    out_dir: str | os.PathLike[str] | None = None,
    strict: bool = True,
    warnings_as_errors: bool = False,
    formats: tuple[str, ...] = FORMATS,
    catalogs: Iterable[str | os.PathLike[str]] = (),
) -> Build:
    """Compile ``odd`` (default: our ``schemas/tei_cable.odd``) and write its derived files
    into ``out_dir`` (default: ``schemas/``); ``formats`` as in :func:`derived_files`.

    ``strict=False`` writes them even when the ODD has errors; ``warnings_as_errors`` counts
    every warning as an error."""
    odd_path = Path(odd) if odd is not None else default_odd()
    folder = Path(out_dir) if out_dir is not None else schemas_dir()
    compiled = compile_odd(
        odd_path,
        source=source,
        strict=strict,
        warnings_as_errors=warnings_as_errors,
        catalogs=catalogs,
    )
    files, notes = derived_files(compiled, formats)
    result = Build(compiled, files, notes=notes, out_dir=folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        path = folder / name
        if path.is_file() and path.read_bytes() == data:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)  # libxml2/
        write_atomic(path, data, force=True)
        result.written.append(path)
    return result


def check(
    odd: str | os.PathLike[str] | None = None,
    *,
    source: str | os.PathLike[str] | None = None,
    out_dir: str | os.PathLike[str] | None = None,
    catalogs: Iterable[str | os.PathLike[str]] = (),
) -> list[str]:
    """One message per derived file that is missing or not what the ODD gives now."""
    odd_path = Path(odd) if odd is not None else default_odd()
    folder = Path(out_dir) if out_dir is not None else schemas_dir()
    compiled = compile_odd(odd_path, source=source, catalogs=catalogs)
    files, _notes = derived_files(compiled)
    stale: list[str] = []
    for name, data in files.items():
        path = folder / name
        if not path.is_file():
            stale.append(f"{path}: missing; run `tei-cable schema build`")
        elif path.read_bytes() != data:
            stale.append(f"{path}: out of date with {odd_path.name}; run `tei-cable schema build`")
    return stale
