"""Which TEI P5 version an ODD was written for, and one diagnostic when it is not the source's.

An ODD written against TEI P5 2.x and compiled with a newer source changes specs that are no
longer there (``att.responsibility``, ``att.readFrom``…): each is a warning of its own, and
:func:`version_note` adds one that says why, naming both versions and the specs that differ.
The version an ODD was written for is read, in this order, from:

- the ``TEIVERSION`` processing instruction the TEI Stylesheets put into a compiled ODD;
- the ODD's ``TEI/@version`` (a P5 release number);
- its published schema beside it (``IDENT.rng`` or ``NAME.rng`` in the ODD's folder or the
  one above, as projects keep their ``ODD/`` and schemas apart), whose header the TEI
  Stylesheets write as ``TEI Edition: P5 Version 2.9.1. …``.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from .customize import Customization
from .problems import Problems

_RELEASE = re.compile(r"^\d+\.\d+\.\d+$")
_EDITION = re.compile(rb"TEI Edition:\s*P5 Version (\d+\.\d+\.\d+)")
#: how many of the differing specs the message names before "and N more"
SHOWN = 8


def declared_version(root: etree._Element, odd_path: str, ident: str) -> tuple[str, str] | None:
    """The P5 version the ODD says it was written for, and where it says so."""
    for node in root.getroottree().getroot().itersiblings(preceding=True):
        found = _from_pi(node)
        if found:
            return found, "its TEIVERSION processing instruction"
    for node in root.iter(etree.ProcessingInstruction):
        found = _from_pi(node)
        if found:
            return found, "its TEIVERSION processing instruction"
    version = (root.get("version") or "").strip()
    if _RELEASE.match(version):
        return version, "TEI/@version"
    odd = Path(odd_path)
    for folder in (odd.parent, odd.parent.parent):
        for name in dict.fromkeys((f"{ident}.rng", f"{odd.stem}.rng")):
            schema = folder / name
            try:
                with schema.open("rb") as handle:
                    head = handle.read(4096)
            except OSError:
                continue
            match = _EDITION.search(head)
            if match:
                return match.group(1).decode(), f"its published schema {schema.name}"
    return None


def _from_pi(node: object) -> str | None:
    if isinstance(node, etree._ProcessingInstruction) and node.target == "TEIVERSION":
        match = re.search(r"\d+\.\d+\.\d+", node.text or "")
        return match.group(0) if match else None
    return None


def version_note(cust: Customization, problems: Problems) -> None:
    """One warning (O121) when the ODD was written for another P5 version than the source's
    and uses specs the source lacks."""
    if not problems.lacking:
        return
    found = declared_version(cust.odd_root, cust.odd_path, cust.ident)
    used = cust.source.version
    if found is None or found[0] == used:
        return
    declared, where = found
    names = [n for n in problems.lacking if n]
    shown = ", ".join(names[:SHOWN]) + (
        f" and {len(names) - SHOWN} more" if len(names) > SHOWN else ""
    )
    problems.warning(
        "O121",
        f"this ODD was written for TEI P5 {declared} ({where}) and is compiled with "
        f"{cust.source.label}, which has no {shown}; for the schema it was written for, "
        f"compile with --source and the p5subset.xml of TEI P5 {declared} "
        f"(or --source tei:{declared})",
        cust.schema_spec,
    )
