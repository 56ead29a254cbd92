"""External RELAX NG modules (``moduleRef/@url``): their ``define``\\ s, by name.

A module is a RELAX NG grammar in XML syntax; its ``include``\\ s are followed (relative to the
module, local or on the web; the ``define``\\ s inside an ``include`` replace the included
ones), its ``div``\\ s opened, its ``start`` ignored. Files on the web are downloaded once into
the user cache (:func:`tei_cable.odd.source.resolve_module`).
"""

from __future__ import annotations

from lxml import etree

from ..namespaces import rng
from ..xmlio import safe_parser
from .catalog import Catalogs
from .source import resolve_module


def load_grammar(
    location: str,
    base: str,
    *,
    download: bool = True,
    seen: frozenset[str] = frozenset(),
    catalogs: Catalogs | None = None,
) -> dict[str, list[etree._Element]]:
    """The defines of an external RELAX NG grammar (with its includes), by name."""
    path, here = resolve_module(location, base, download=download, catalogs=catalogs).split("|", 1)
    if path in seen:
        raise ValueError(f"{location} includes itself")
    seen = seen | {path}
    root = etree.parse(path, safe_parser()).getroot()
    if root.tag != rng("grammar"):
        raise ValueError(f"{location} is not a RELAX NG grammar (XML syntax)")
    defines: dict[str, list[etree._Element]] = {}

    def collect(parent: etree._Element, into: dict[str, list[etree._Element]]) -> None:
        for child in parent:
            if not isinstance(child.tag, str):
                continue
            if child.tag == rng("define"):
                into.setdefault(child.get("name", ""), []).append(child)
            elif child.tag == rng("div"):
                collect(child, into)
            elif child.tag == rng("include"):
                included = load_grammar(
                    child.get("href", ""), here, download=download, seen=seen, catalogs=catalogs
                )
                overrides: dict[str, list[etree._Element]] = {}
                collect(child, overrides)
                for name, nodes in included.items():
                    if name not in overrides:
                        into.setdefault(name, []).extend(nodes)
                for name, nodes in overrides.items():
                    into.setdefault(name, []).extend(nodes)

    collect(root, defines)
    return defines
