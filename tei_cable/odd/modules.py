"""External RELAX NG modules (``moduleRef/@url``): their ``define``\\ s, by name.

A module is a RELAX NG grammar in XML syntax, read by :func:`tei_cable.relaxng.read.read_defines`:
its ``include``\\ s are followed (relative to the module, local or on the web; the
``define``\\ s inside an ``include`` replace the included ones), its ``div``\\ s opened, its
``start`` ignored. Files on the web are downloaded once into the user cache
(:func:`tei_cable.odd.source.resolve_module`).
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from ..relaxng.read import read_defines
from .catalog import Catalogs
from .source import resolve_module


def load_grammar(
    location: str,
    base: str,
    *,
    download: bool = True,
    catalogs: Catalogs | None = None,
) -> dict[str, list[etree._Element]]:
    """The defines of an external RELAX NG grammar (with its includes), by name."""

    def resolve(href: str, here: str) -> tuple[Path, str]:
        path, found = resolve_module(href, here, download=download, catalogs=catalogs).split("|", 1)
        return Path(path), found

    path, here = resolve(location, base)
    return read_defines(path, here, resolve=resolve, label=location)
