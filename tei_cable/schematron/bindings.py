"""Schematron query bindings and the names the engine shares with its XPath evaluators
(without importing elementpath, which only the patterns left to it need)."""

from __future__ import annotations

from ..namespaces import XSL

XSLT_NS = XSL

#: Schematron ``@queryBinding`` values (lower-cased) and the XPath version each needs.
QUERY_BINDINGS: dict[str, str] = {
    "xslt": "1.0",
    "xpath": "1.0",
    "exslt": "1.0",
    "xslt2": "2.0",
    "xpath2": "2.0",
    "xslt3": "3.1",
    "xpath3": "3.0",
    "xpath31": "3.1",
}

# Attribute names set on an XPathContext (carried into the copies elementpath makes).
CURRENT_ATTR = "sch_current"
STATE_ATTR = "sch_state"
