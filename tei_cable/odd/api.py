"""Build and check the files derived from an ODD (what ``tei-cable schema`` runs).

For a schemaSpec ``ident`` the derived files are ``ident.rng`` (RELAX NG), ``ident.sch``
(ISO Schematron, from :mod:`tei_cable.odd.schematron`), ``ident.xsd`` (when an XSD writer is
installed) and ``ident.compiled.odd``. Each is deterministic: building twice from the same
ODD and TEI source gives the same bytes, which is what :func:`check` relies on.
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..diagnostics import Diagnostic
from ..resources import schemas_dir
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

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return self.compiled.diagnostics


def default_odd() -> Path:
    return schemas_dir() / DEFAULT_ODD


def derived_files(
    compiled: CompiledOdd, formats: tuple[str, ...] = FORMATS
) -> tuple[dict[str, bytes], list[str]]:
    """The derived files of ``compiled`` (name -> bytes) and notes on what was left out.

    ``formats`` picks among ``rng``, ``sch``, ``xsd`` and ``odd`` (the compiled ODD).
    """
    ident = compiled.ident
    files: dict[str, bytes] = {}
    notes: list[str] = []
    if "rng" in formats:
        files[f"{ident}.rng"] = compiled.rng_bytes()
    odd_tree = compiled.to_odd()
    schematron = _optional("tei_cable.odd.schematron", "extract_schematron")
    if "sch" not in formats:
        pass
    elif schematron is None:
        notes.append(f"{ident}.sch skipped: the Schematron extractor is not installed")
    else:
        sch = schematron(odd_tree)
        files[f"{ident}.sch"] = etree.tostring(sch, xml_declaration=True, encoding="UTF-8",
                                               pretty_print=True)
    xsd = _optional("tei_cable.odd.xsd", "write_xsd") if "xsd" in formats else None
    if "xsd" not in formats:
        pass
    elif xsd is None:
        notes.append(f"{ident}.xsd skipped: the XSD writer is not available yet")
    else:
        result = xsd(compiled)
        data = result if isinstance(result, bytes) else etree.tostring(
            result, xml_declaration=True, encoding="UTF-8", pretty_print=True)
        files[f"{ident}.xsd"] = data
        from .xsd import build_notes  # where the XSD is looser than the RELAX NG

        notes += build_notes(data, f"{ident}.xsd")
    if "odd" in formats:
        files[f"{ident}.compiled.odd"] = etree.tostring(odd_tree, xml_declaration=True,
                                                        encoding="UTF-8")
    return files, notes


def _optional(module: str, name: str) -> object | None:
    try:
        found = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name == module:
            return None
        raise
    return getattr(found, name, None)


def build(
    odd: str | os.PathLike[str] | None = None,
    *,
    source: str | os.PathLike[str] | None = None,
    out_dir: str | os.PathLike[str] | None = None,
    strict: bool = True,
    formats: tuple[str, ...] = FORMATS,
) -> Build:
    """Compile ``odd`` (default: our ``schemas/tei_cable.odd``) and write its derived files
    into ``out_dir`` (default: ``schemas/``); ``formats`` as in :func:`derived_files`."""
    odd_path = Path(odd) if odd is not None else default_odd()
    folder = Path(out_dir) if out_dir is not None else schemas_dir()
    compiled = compile_odd(odd_path, source=source, strict=strict)
    files, notes = derived_files(compiled, formats)
    result = Build(compiled, files, notes=notes)
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        path = folder / name
        if path.is_file() and path.read_bytes() == data:
            continue
        write_atomic(path, data, force=True)
        result.written.append(path)
    return result


def check(
    odd: str | os.PathLike[str] | None = None,
    *,
    source: str | os.PathLike[str] | None = None,
    out_dir: str | os.PathLike[str] | None = None,
) -> list[str]:
    """One message per derived file that is missing or not what the ODD gives now."""
    odd_path = Path(odd) if odd is not None else default_odd()
    folder = Path(out_dir) if out_dir is not None else schemas_dir()
    compiled = compile_odd(odd_path, source=source)
    files, _notes = derived_files(compiled)
    stale: list[str] = []
    for name, data in files.items():
        path = folder / name
        if not path.is_file():
            stale.append(f"{path}: missing; run `tei-cable schema build`")
        elif path.read_bytes() != data:
            stale.append(f"{path}: out of date with {odd_path.name}; run "
                         "`tei-cable schema build`")
    return stale
