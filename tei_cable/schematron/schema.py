"""Loading an ISO Schematron schema: includes, abstract patterns and rules, phases.

The result is a plain ``sch:schema`` element in which every pattern and rule is concrete:
``sch:include`` replaced by the included element (local files only, no network),
``pattern is-a`` instantiated from its abstract pattern with ``sch:param`` values substituted
into every query attribute, ``sch:extends rule=…`` replaced by the abstract rule's content,
abstract patterns and rules removed, and only the patterns of the selected phase kept.
Schematron embedded in another schema (``sch:pattern`` inside RELAX NG, as in the TEI's own
``tei_all.rng``) is gathered into a schema of its own.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ..diagnostics import TeiCableError
from ..namespaces import SCH
from ..xmlio import safe_parser

SCH_NS = SCH
SCH = f"{{{SCH_NS}}}"
QUERY_ATTRS = ("context", "test", "select", "value", "path", "subject")
MAX_INCLUDE_DEPTH = 16


class SchematronSchemaError(TeiCableError):
    """A Schematron schema that cannot be used: unreadable, malformed, or a bad query."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        super().__init__(message, path=path, line=line, code="V310")


@dataclass
class LoadedSchema:
    """A normalised schema and where it came from (for error messages)."""

    root: etree._Element
    path: str | None
    phase: str | None  # the phase in force, None for all patterns


def load_schema(
    schema: str | os.PathLike[str] | bytes | etree._ElementTree | etree._Element,
    *,
    phase: str | None = None,
) -> LoadedSchema:
    """Parse (safely) and normalise ``schema``; the caller's tree is never modified."""
    path: str | None = None
    if isinstance(schema, etree._ElementTree):
        root = _copy(schema.getroot())
        path = schema.docinfo.URL
    elif isinstance(schema, etree._Element):
        root = _copy(schema)
        path = schema.getroottree().docinfo.URL
    elif isinstance(schema, bytes):
        root = _parse_bytes(schema, None)
    else:
        path = os.fspath(schema)
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise SchematronSchemaError(
                f"cannot read schema: {exc.strerror or exc}", path=path
            ) from None
        root = _parse_bytes(data, path)
    if root.tag != f"{SCH}schema":
        root = _gather_embedded(root, path)
    _resolve_includes(root, path, 0)
    _expand_abstract_patterns(root, path)
    _expand_abstract_rules(root, path)
    active = _select_phase(root, phase, path)
    return LoadedSchema(root, path, active)


def _copy(element: etree._Element) -> etree._Element:
    """A deep copy that keeps source line numbers (lxml's copy does)."""
    from copy import deepcopy

    return deepcopy(element)


def _parse_bytes(data: bytes, path: str | None) -> etree._Element:
    parser = safe_parser()
    try:
        root = etree.fromstring(data, parser, base_url=path)
    except etree.XMLSyntaxError as exc:
        line = exc.position[0] if exc.position else None
        raise SchematronSchemaError(
            f"schema is not well-formed XML: {exc.msg}", path=path, line=line
        ) from None
    return root


def _gather_embedded(root: etree._Element, path: str | None) -> etree._Element:
    """Schematron embedded in RELAX NG or XSD: its ``sch:ns`` and ``sch:pattern`` elements."""
    patterns = [p for p in root.iter(f"{SCH}pattern")]
    if not patterns:
        raise SchematronSchemaError(
            f"not a Schematron schema (root element {etree.QName(root).localname!r}) and "
            "no embedded sch:pattern",
            path=path,
            line=root.sourceline,
        )
    schema = etree.Element(f"{SCH}schema", nsmap={None: SCH_NS})
    schema.set("queryBinding", "xslt2")  # the TEI's convention for embedded rules
    seen: set[tuple[str | None, str | None]] = set()
    for ns in root.iter(f"{SCH}ns"):
        key = (ns.get("prefix"), ns.get("uri"))
        if key not in seen:
            seen.add(key)
            schema.append(_copy(ns))
    for other in ("let", "phase", "diagnostics"):
        for element in root.iter(f"{SCH}{other}"):
            if element.getparent() is not None and not _inside_sch(element):
                schema.append(_copy(element))
    for pattern in patterns:
        copied = _copy(pattern)
        # Prefixes bound on the host document (e.g. tei: on the RNG root) stay usable.
        for prefix, uri in (pattern.nsmap or {}).items():
            if prefix and (prefix, uri) not in seen:
                seen.add((prefix, uri))
                ns = etree.SubElement(schema, f"{SCH}ns")
                ns.set("prefix", prefix)
                ns.set("uri", uri)
        schema.append(copied)
    # sch:ns must precede patterns: move them to the front.
    for ns in reversed([e for e in schema if e.tag == f"{SCH}ns"]):
        schema.remove(ns)
        schema.insert(0, ns)
    # Elements moved out of the host keep its default namespace declaration (TEI's RNG declares
    # xmlns="…tei…" on them); drop such shadowing declarations, or copies of this tree would
    # put the Schematron elements in the host's namespace.
    etree.cleanup_namespaces(schema, top_nsmap={None: SCH_NS})
    return schema


def _inside_sch(element: etree._Element) -> bool:
    parent = element.getparent()
    return parent is not None and isinstance(parent.tag, str) and parent.tag.startswith(SCH)


def _resolve_includes(root: etree._Element, path: str | None, depth: int) -> None:
    for include in list(root.iter(f"{SCH}include", f"{SCH}extends")):
        href = include.get("href")
        if include.tag == f"{SCH}extends" and href is None:
            continue  # extends rule=…: handled with abstract rules
        if href is None:
            raise SchematronSchemaError(
                "sch:include without @href", path=path, line=include.sourceline
            )
        if depth >= MAX_INCLUDE_DEPTH:
            raise SchematronSchemaError(
                "sch:include nested too deeply", path=path, line=include.sourceline
            )
        target = _local_target(href, include.base or path, path, include.sourceline)
        try:
            data = target.read_bytes()
        except OSError as exc:
            raise SchematronSchemaError(
                f"cannot read included schema {href!r}: {exc.strerror or exc}",
                path=path,
                line=include.sourceline,
            ) from None
        doc, _, fragment = href.partition("#")
        included = _parse_bytes(data, str(target))
        if fragment:
            found = [e for e in included.iter() if e.get("id") == fragment]
            if not found:
                raise SchematronSchemaError(
                    f"no element with id {fragment!r} in {doc!r}",
                    path=path,
                    line=include.sourceline,
                )
            included = found[0]
        _resolve_includes(included, str(target), depth + 1)
        parent = include.getparent()
        if parent is None:
            continue
        if include.tag == f"{SCH}extends":
            # extends href=…: the referenced element's children join the extending element.
            index = parent.index(include)
            parent.remove(include)
            for offset, child in enumerate(list(included)):
                parent.insert(index + offset, child)
        else:
            parent.replace(include, included)


def _local_target(href: str, base: str | None, path: str | None, line: int | None) -> Path:
    doc = href.partition("#")[0]
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", doc) and not doc.startswith("file:"):
        raise SchematronSchemaError(
            f"sch:include of {href!r}: only local files are read", path=path, line=line
        )
    if doc.startswith("file:"):
        doc = re.sub(r"^file:(//)?", "", doc)
    folder = Path(base).parent if base and "://" not in base else Path.cwd()
    return (folder / doc).resolve()


def _substitute(text: str, params: dict[str, str]) -> str:
    """Replace ``$name`` by its value, longest names first, whole names only."""
    for name in sorted(params, key=len, reverse=True):
        text = re.sub(r"\$" + re.escape(name) + r"(?![\w.\-])", lambda _m, n=name: params[n], text)
    return text


def _expand_abstract_patterns(root: etree._Element, path: str | None) -> None:
    abstract = {p.get("id"): p for p in root.iter(f"{SCH}pattern") if p.get("abstract") == "true"}
    for pattern in list(root.iter(f"{SCH}pattern")):
        base_id = pattern.get("is-a")
        if base_id is None:
            continue
        base = abstract.get(base_id)
        if base is None:
            raise SchematronSchemaError(
                f"pattern is-a={base_id!r}: no abstract pattern with that id",
                path=path,
                line=pattern.sourceline,
            )
        params = {p.get("name", ""): p.get("value", "") for p in pattern.iter(f"{SCH}param")}
        used = {
            name
            for element in base.iter()
            if isinstance(element.tag, str)
            for attr in QUERY_ATTRS
            for name in re.findall(r"\$([\w.\-]+)", element.get(attr) or "")
        }
        declared = {p.get("name") for p in base.findall(f"{SCH}param")}  # ISO 2025 declarations
        for name in params:
            if name not in used and name not in declared:
                raise SchematronSchemaError(
                    f"pattern is-a={base_id!r}: parameter {name!r} is not a parameter of the "
                    "abstract pattern (it uses no $" + name + ")",
                    path=path,
                    line=pattern.sourceline,
                )
        for child in list(pattern):
            if child.tag == f"{SCH}param":
                pattern.remove(child)
        for child in base:
            copied = _copy(child)
            for element in copied.iter():
                if not isinstance(element.tag, str):
                    continue
                for attr in QUERY_ATTRS:
                    value = element.get(attr)
                    if value is not None:
                        element.set(attr, _substitute(value, params))
            pattern.append(copied)
        del pattern.attrib["is-a"]
    for pattern in abstract.values():
        parent = pattern.getparent()
        if parent is not None:
            parent.remove(pattern)


def _expand_abstract_rules(root: etree._Element, path: str | None) -> None:
    abstract = {r.get("id"): r for r in root.iter(f"{SCH}rule") if r.get("abstract") == "true"}

    def expand(rule: etree._Element, stack: tuple[str, ...]) -> None:
        for extends in list(rule.iter(f"{SCH}extends")):
            rule_id = extends.get("rule")
            if rule_id is None:
                continue
            base = abstract.get(rule_id)
            if base is None:
                raise SchematronSchemaError(
                    f"extends rule={rule_id!r}: no abstract rule with that id",
                    path=path,
                    line=extends.sourceline,
                )
            if rule_id in stack:
                raise SchematronSchemaError(
                    f"extends rule={rule_id!r}: circular", path=path, line=extends.sourceline
                )
            if not _same_scope(base, extends):
                raise SchematronSchemaError(
                    f"extends rule={rule_id!r}: the abstract rule is in another pattern (an "
                    "abstract rule serves the rules of its own pattern, or of a sch:rules)",
                    path=path,
                    line=extends.sourceline,
                )
            expand(base, (*stack, rule_id))
            parent = extends.getparent()
            if parent is None:
                continue
            index = parent.index(extends)
            parent.remove(extends)
            for offset, child in enumerate(c for c in base if isinstance(c.tag, str)):
                parent.insert(index + offset, _copy(child))

    for rule in list(root.iter(f"{SCH}rule")):
        if rule.get("abstract") != "true":
            expand(rule, ())
    for rule in abstract.values():
        parent = rule.getparent()
        if parent is not None:
            parent.remove(rule)


def _same_scope(abstract: etree._Element, extends: etree._Element) -> bool:
    """Whether an abstract rule may be extended from where ``extends`` is: it sits in a
    ``sch:rules`` (shared by the schema) or in the pattern of the extending rule."""
    container = abstract.getparent()
    if container is None or container.tag != f"{SCH}pattern":
        return True
    return any(a is container for a in extends.iterancestors(f"{SCH}pattern"))


def _select_phase(root: etree._Element, phase: str | None, path: str | None) -> str | None:
    if phase is None or phase == "#DEFAULT":
        phase = root.get("defaultPhase")
    if phase is None or phase == "#ALL":
        return None
    phases = {p.get("id"): p for p in root.iter(f"{SCH}phase")}
    chosen = phases.get(phase)
    if chosen is None:
        known = ", ".join(sorted(k for k in phases if k)) or "none"
        raise SchematronSchemaError(
            f"no phase {phase!r} in the schema (phases: {known})", path=path, line=root.sourceline
        )
    active = {a.get("pattern") for a in chosen.iter(f"{SCH}active")}
    for pattern in list(root.iter(f"{SCH}pattern")):
        if pattern.get("id") not in active:
            parent = pattern.getparent()
            if parent is not None:
                parent.remove(pattern)
    # The phase's own lets join the schema-level ones.
    for let in chosen.iter(f"{SCH}let"):
        root.insert(_first_pattern_index(root), _copy(let))
    return phase


def _first_pattern_index(root: etree._Element) -> int:
    for index, child in enumerate(root):
        if child.tag == f"{SCH}pattern":
            return index
    return len(root)
