"""The D of ODD: a customization's encoding manual, as static HTML and Markdown.

``tei-cable schema doc ODD -o DIR`` writes ``DIR/index.html`` (one page, no script, no
external resource) and ``DIR/IDENT.md``: every element of the schema with its gloss,
description, content model in readable form, attributes with datatypes and value lists, the
ODD's own examples, its Schematron constraints in words, the classes and macros they name, and
what the customization changed against the TEI, all cross-linked.
"""

from __future__ import annotations

import os
from pathlib import Path

from ...xmlio import write_atomic
from ..compiler import CompiledOdd
from .html import write_html
from .markdown import write_markdown
from .model import Manual, build_manual

__all__ = ["Manual", "build_manual", "write_html", "write_manual", "write_markdown"]


def write_manual(compiled: CompiledOdd, out_dir: str | os.PathLike[str]) -> list[Path]:
    """Write ``index.html`` and ``IDENT.md`` into ``out_dir``; return their paths."""
    manual = build_manual(compiled)
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in (
        ("index.html", write_html(manual)),
        (f"{compiled.ident}.md", write_markdown(manual)),
    ):
        write_atomic(folder / name, data, force=True)
        written.append(folder / name)
    return written
