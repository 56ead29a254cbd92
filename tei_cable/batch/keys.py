"""What decides a result besides the file itself, as one hash (a cache context's key).

Every key includes tei-cable's version and a hash of its own code (so a development checkout
whose code changed does not reuse results of the old code). Commands add their own parts: the
schema files an engine reads, with everything they include; the engines; a converter's
registry and options.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from lxml import etree

from ..resources import PACKAGE_DIR, package_digest

#: the elements through which a schema file reads another one
_REFERENCE = re.compile(rb"<(?:[\w.-]+:)?(?:include|externalRef|import|redefine|override)\b")
#: attributes through which a schema file reads another one
_INCLUDES = (
    "//*[local-name()='include' or local-name()='externalRef']/@href",  # RELAX NG, Schematron
    "//*[local-name()='include' or local-name()='import' or local-name()='redefine'"
    " or local-name()='override']/@schemaLocation",  # XSD
)

#: per command, the parts of the package that cannot change its results (so a change there
#: keeps what is cached): validation results do not depend on the converter, the exporters,
#: the command line, the report formats or the batch plumbing (``validate/stream.py`` only
#: runs the validator and stores its results, in a form versioned by its ``PAYLOAD``; a
#: failure it reports is not cached)
_UNRELATED: dict[str, tuple[str, ...]] = {
    "validate": (
        "validate/stream.py",
        "validate/formats.py",
        "readers/",
        "writers/",
        "enrich/",
        "entities/",
        "export/",
        "cli/",
        "batch/",
        "convert.py",
        "lossless.py",
        "model.py",
        "__main__.py",
    ),
}


@cache
def code_digest(command: str = "") -> str:
    """tei-cable's version and the hash of its Python code and data files: all of them, or
    those that can change the results of ``command`` (``validate``)."""
    return package_digest(PACKAGE_DIR, _UNRELATED.get(command, ()))


def schema_digest(files: Iterable[Path]) -> str:
    """The hash of schema files and of every local file they include or import."""
    import hashlib

    h = hashlib.sha256()
    seen: set[Path] = set()
    todo = [Path(f) for f in files]
    while todo:
        path = todo.pop(0).resolve()
        if path in seen:
            continue
        seen.add(path)
        try:
            data = path.read_bytes()
        except OSError:
            h.update(f"missing:{path}".encode())
            continue
        h.update(f"{path.name}:{len(data)}:".encode() + data)
        todo.extend(_included(path, data))
    return h.hexdigest()


def _included(path: Path, data: bytes) -> list[Path]:
    """Local files a schema file includes (URLs and unreadable references are left out)."""
    from ..xmlio import safe_parser

    if not _REFERENCE.search(data):
        return []
    try:
        root = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError:
        return []
    found = []
    for query in _INCLUDES:
        for href in root.xpath(query):
            ref = str(href).split("#", 1)[0]
            if ref and "://" not in ref:
                found.append(path.parent / ref)
    return found


def combine(*parts: object) -> str:
    """One hash of several parts (strings, bytes, numbers), unambiguous in their boundaries."""
    import hashlib

    h = hashlib.sha256()
    for part in parts:
        data = part if isinstance(part, bytes) else os.fsencode(str(part))
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()
