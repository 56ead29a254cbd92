"""Namespace URIs tei-cable reads and writes, in one place, and Clark-name helpers."""

from __future__ import annotations

TEI = "http://www.tei-c.org/ns/1.0"
TEIX = "http://www.tei-c.org/ns/Examples"
RNG = "http://relaxng.org/ns/structure/1.0"
ANN = "http://relaxng.org/ns/compatibility/annotations/1.0"
SCH = "http://purl.oclc.org/dsdl/schematron"
SCH1X = "http://www.ascc.net/xml/schematron"
SVRL = "http://purl.oclc.org/dsdl/svrl"
XSL = "http://www.w3.org/1999/XSL/Transform"
XML = "http://www.w3.org/XML/1998/namespace"
XS = "http://www.w3.org/2001/XMLSchema"
XSD_DATATYPES = "http://www.w3.org/2001/XMLSchema-datatypes"
XSD_VERSIONING = "http://www.w3.org/2007/XMLSchema-versioning"
XINCLUDE = "http://www.w3.org/2001/XInclude"

XML_ID = f"{{{XML}}}id"
XML_LANG = f"{{{XML}}}lang"


def tei(local: str) -> str:
    """The Clark name ``{TEI}local``."""
    return f"{{{TEI}}}{local}"


def rng(local: str) -> str:
    """The Clark name ``{RELAX NG}local``."""
    return f"{{{RNG}}}{local}"


SPEC_TAGS = (tei("elementSpec"), tei("classSpec"), tei("macroSpec"), tei("dataSpec"))
REF_TAGS = (tei("elementRef"), tei("classRef"), tei("macroRef"), tei("dataRef"))
