"""The W3C XML Schema engine: ``xmlschema`` (XSD 1.0 or 1.1) on the parsed lxml tree."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from ...findings import Issue
from ...namespaces import XSD_VERSIONING
from ..document import Document
from . import SchemaError

_VC = XSD_VERSIONING
_XSD11_ONLY = ("assert", "alternative", "openContent", "defaultOpenContent", "override")


class XsdEngine:
    """An XSD compiled once with ``xmlschema``; the version comes from the schema itself.

    A schema that declares ``vc:minVersion="1.1"`` or uses a construct only XSD 1.1 has
    (``xs:assert``, ``xs:alternative``, ``xs:openContent``, ``xs:override``) is read as 1.1;
    any other as 1.0.
    """

    name = "xsd"

    def __init__(self, path: Path) -> None:
        import xmlschema  # slow to import: only when the xsd engine is asked for

        self.version = xsd_version(path)
        cls = xmlschema.XMLSchema11 if self.version == "1.1" else xmlschema.XMLSchema10
        try:
            self._schema = cls(str(path))
        except (xmlschema.XMLSchemaException, etree.XMLSyntaxError, OSError) as exc:
            reason = getattr(exc, "reason", None) or getattr(exc, "message", None) or str(exc)
            raise SchemaError(
                f"cannot load XSD: {str(reason).splitlines()[0]}", path=str(path)
            ) from None
        self._errors = xmlschema.XMLSchemaValidationError

    def check(self, document: Document) -> list[Issue]:
        return list(self.iter_issues(document))

    def iter_issues(self, document: Document, *, explain: bool = True) -> Iterator[Issue]:
        assert document.tree is not None
        for error in self._schema.iter_errors(document.tree, use_location_hints=False):
            yield self._issue(document, error)

    def _issue(self, document: Document, error: object) -> Issue:
        element = getattr(error, "elem", None)
        child = getattr(error, "invalid_child", None)
        reason = str(getattr(error, "reason", None) or getattr(error, "message", "invalid"))
        message = _message(error, reason, element)
        line, column = 0, 0
        attribute = re.match(r"attribute ([\w:.-]+)=", reason)
        if child is not None and isinstance(child.tag, str):
            line, column = document.element_position(child)
        elif element is not None and attribute:
            line, column = document.attribute_position(element, attribute.group(1))
        elif element is not None:
            line, column = document.element_position(element)
        return Issue(line, column, "error", message, "xsd", _component(error))


def _message(error: object, reason: str, element: etree._Element | None) -> str:
    """xmlschema's reason, in the words the RELAX NG engine uses where the case is common."""
    kind = type(error).__name__
    if kind == "XMLSchemaDecodeError":
        value = str(getattr(error, "obj", ""))
        must = _must_be(getattr(error, "validator", None))
        detail = reason.split(": ", 1)[1] if reason.startswith("attribute ") else reason
        if re.match(r"invalid literal|could not convert", detail):  # Python's words: drop
            detail = ""
        detail = f" ({detail.rstrip('.')})" if detail else ""
        attribute = re.match(r"attribute ([\w:.-]+)=", reason)
        if attribute:
            return f'value "{value}" of attribute "{attribute.group(1)}" is invalid{must}{detail}'
        if element is not None:
            return (
                f'character content "{value}" of element "{_written(element)}" is '
                f"invalid{must}{detail}"
            )
    if kind == "XMLSchemaChildrenValidationError" and element is not None:
        expected = [
            getattr(x, "local_name", None) or str(x)
            for x in (getattr(error, "expected", None) or ())
        ]
        wanted = ", ".join(f'"{n}"' for n in expected)
        child = getattr(error, "invalid_child", None)
        if child is not None and isinstance(child.tag, str):
            return f'element "{_written(child)}" not allowed here' + (
                f"; expected element {wanted}" if wanted else ""
            )
        if "not complete" in reason:
            return f'element "{_written(element)}" incomplete' + (
                f"; missing required element {wanted}" if wanted else ""
            )
    return _short_names(reason, element).rstrip(".")


def _must_be(validator: object) -> str:
    if validator is None:
        return ""
    enumeration = getattr(validator, "enumeration", None)
    if enumeration:
        return "; must be equal to " + ", ".join(f'"{v}"' for v in enumeration)
    from ...relaxng.datatypes import describe_xsd_type

    name = getattr(getattr(validator, "primitive_type", None), "local_name", None)
    name = getattr(validator, "local_name", None) or name
    return f"; must be {describe_xsd_type(name)}" if name else ""


def _written(element: etree._Element) -> str:
    local = etree.QName(element).localname
    return f"{element.prefix}:{local}" if element.prefix else local


def xsd_version(path: Path) -> str:
    """``"1.1"`` if the schema needs XSD 1.1, else ``"1.0"``."""
    try:
        root = etree.parse(str(path)).getroot()
    except (etree.XMLSyntaxError, OSError) as exc:
        raise SchemaError(f"cannot read XSD: {exc}", path=str(path)) from None
    if root.get(f"{{{_VC}}}minVersion", "1.0") >= "1.1":
        return "1.1"
    xs = "http://www.w3.org/2001/XMLSchema"
    for local in _XSD11_ONLY:
        if root.find(f".//{{{xs}}}{local}") is not None:
            return "1.1"
    return "1.0"


def _component(error: object) -> str:
    validator = getattr(error, "validator", None)
    name = getattr(validator, "prefixed_name", None) or getattr(validator, "model", None)
    return str(name) if name else type(error).__name__


def _short_names(text: str, element: etree._Element | None) -> str:
    """``{ns}local`` as the document writes it: ``local`` or ``prefix:local``."""
    prefixes = {}
    if element is not None:
        prefixes = {uri: prefix for prefix, uri in element.nsmap.items()}

    def short(match: re.Match[str]) -> str:
        uri, local = match.group(1), match.group(2)
        prefix = prefixes.get(uri)
        return f"{prefix}:{local}" if prefix else local

    return re.sub(r"\{([^}]*)\}([\w.-]+)", short, text)
