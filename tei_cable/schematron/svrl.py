"""The Schematron Validation Report Language (SVRL, ISO/IEC 19757-3 Annex D) of one run.

``svrl:schematron-output`` holds the schema's title and phase, one
``svrl:ns-prefix-in-attribute-values`` per ``sch:ns``, and then, for every pattern of the
phase in order, an ``svrl:active-pattern`` followed by an ``svrl:fired-rule`` for each node a
rule fired on and, after it, that node's ``svrl:failed-assert`` and ``svrl:successful-report``
elements: ``@test``, ``@location`` (an XPath 3.1 path with ``Q{uri}local[n]`` steps), the
assertion's ``@id``, ``@role`` and ``@flag``, an ``svrl:diagnostic-reference`` per diagnostic
and an ``svrl:property-reference`` per property it names, and its ``svrl:text`` (with the
``xml:lang`` in scope and the ``@see``, ``@icon``, ``@fpi`` of what it comes from). The
report is valid against the SVRL schema of ISO/IEC 19757-3.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lxml import etree

from ..namespaces import SVRL, XML

if TYPE_CHECKING:
    from .engine import SchematronValidator

_S = f"{{{SVRL}}}"


def write_svrl(validator: SchematronValidator, events: list[tuple[Any, ...]]) -> etree._ElementTree:
    """The SVRL document of one run, from the events the run recorded."""
    root = etree.Element(f"{_S}schematron-output", nsmap={"svrl": SVRL})
    if validator.title:
        root.set("title", validator.title)
    if validator.phase and validator.phase not in ("#ALL", "#DEFAULT"):
        root.set("phase", validator.phase)
    version = validator.schema_root.get("schemaVersion")
    if version:
        root.set("schemaVersion", version)
    for paragraph in validator.schema_root.findall("{http://purl.oclc.org/dsdl/schematron}p"):
        _text(root, " ".join("".join(paragraph.itertext()).split()))
    for prefix, uri in validator.namespaces.items():
        etree.SubElement(root, f"{_S}ns-prefix-in-attribute-values", prefix=prefix, uri=uri)
    for event in events:
        kind = event[0]
        if kind == "pattern":
            pattern = event[1]
            active = etree.SubElement(root, f"{_S}active-pattern")
            _copy(active, pattern.own, ("id", "name", "role", "documents"))
        elif kind == "rule":
            rule, node = event[1], event[2]
            fired = etree.SubElement(root, f"{_S}fired-rule", context=rule.context.source)
            _copy(fired, rule.own, ("id", "role", "flag"))
        else:
            check, node, message, diagnostics, properties = event[1:]
            name = "failed-assert" if check.kind == "assert" else "successful-report"
            found = etree.SubElement(
                root, f"{_S}{name}", test=check.test.source, location=_location(node)
            )
            _copy(found, check.own, ("id", "role", "flag"))
            for ref, own, text in diagnostics:
                reference = etree.SubElement(found, f"{_S}diagnostic-reference", diagnostic=ref)
                _text(reference, text, own)
            for own, text in properties:
                reference = etree.SubElement(
                    found, f"{_S}property-reference", property=own.get("id", "")
                )
                _copy(reference, own, ("role", "scheme"))
                _text(reference, text, own)
            _text(found, message, check.own)
    return root.getroottree()


def _copy(target: etree._Element, own: dict[str, str], names: tuple[str, ...]) -> None:
    for name in names:
        if name in own:
            target.set(name, own[name])


def _text(parent: etree._Element, text: str, own: dict[str, str] | None = None) -> None:
    """An ``svrl:text``, with the language and links of the element it comes from."""
    element = etree.SubElement(parent, f"{_S}text")
    element.text = text
    if own:
        if "lang" in own:
            element.set(f"{{{XML}}}lang", own["lang"])
        _copy(element, own, ("see", "icon", "fpi"))


def _location(node: Any) -> str:
    """The node's path, as elementpath writes it (``/Q{ns}TEI[1]/Q{ns}text[1]/@n``)."""
    path = getattr(node, "path", None)
    return str(path) if path else "/"
