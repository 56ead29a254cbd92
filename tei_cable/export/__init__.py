"""Export TEI to the formats other archives take in: CMIF, Dublin Core, JSON-LD, HTML, BagIt.

Exporters read TEI (any TEI P5 document, not only tei-cable's), never the converter's model::

    from tei_cable import export
    doc = export.load("letter.xml")                       # a TeiDocument
    export.render(doc, "dc")                              # oai_dc bytes
    export.render([doc], "cmif", export.ExportOptions(url=..., editors=[...]))
    outcome = export.export(["tei/"], "html", out_dir="site/")   # files, atomically
    outcome.ok, outcome.written, outcome.failures

``FORMATS`` maps each format's name to its writer (one module per format in this package).
"""

from __future__ import annotations

from .formats import FORMATS, Format
from .options import Editor, ExportError, ExportOptions
from .run import Outcome, export, render
from .teidoc import NotTeiError, TeiDocument, load

__all__ = [
    "FORMATS",
    "Editor",
    "ExportError",
    "ExportOptions",
    "Format",
    "NotTeiError",
    "Outcome",
    "TeiDocument",
    "export",
    "load",
    "render",
]
