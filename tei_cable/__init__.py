"""tei-cable: archival records to TEI P5, validated against an ODD, exported to other archives."""

from __future__ import annotations

__version__ = "0.1.0"
