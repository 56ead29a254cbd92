"""What a user tells the exporters beyond the TEI itself: who publishes, where, when."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from ..diagnostics import TeiCableError

#: licences a CMIF file may carry (its documentation names these two)
LICENCES = {
    "cc-by": (
        "https://creativecommons.org/licenses/by/4.0/",
        "This file is licensed under the terms of the Creative Commons License CC-BY 4.0",
    ),
    "cc0": (
        "https://creativecommons.org/publicdomain/zero/1.0/",
        "This file is dedicated to the public domain under Creative Commons CC0 1.0",
    ),
}

_EDITOR = re.compile(r"^\s*(?P<name>[^<>]*?)\s*(?:<(?P<email>[^<>\s]+@[^<>\s]+)>)?\s*$")


class ExportError(TeiCableError):
    """An export that cannot be made as asked (a missing option, an unknown format)."""


@dataclass(frozen=True)
class Editor:
    """A contact person: a name and, optionally, an e-mail address."""

    name: str
    email: str = ""

    @classmethod
    def parse(cls, text: str) -> Editor:
        """``Name <email@example.org>``, ``Name`` or ``<email@example.org>``."""
        found = _EDITOR.match(text)
        if not found or not (found["name"] or found["email"]):
            raise ExportError(f"--editor {text!r}: expected NAME or NAME <EMAIL>")
        return cls(found["name"] or "", found["email"] or "")

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>" if self.email else self.name


@dataclass(frozen=True)
class ExportOptions:
    """Options every exporter may read; each format says which it needs.

    ``url`` is where the export itself will be published (a CMIF file's own address);
    ``base_url`` where the documents are published (their exports' addresses are
    ``base_url`` + name); ``date`` the time stamp of the export (ISO 8601), by default
    ``$SOURCE_DATE_EPOCH`` or else the newest input file's modification time, so the same
    inputs give the same bytes. ``validate`` names a schema (``tei_cable``, ``tei_all`` or a
    file) each input must be valid against to be exported.
    """

    title: str = ""
    editors: Sequence[Editor] = field(default_factory=tuple)
    publisher: str = ""
    url: str = ""
    base_url: str = ""
    date: str = ""
    licence: str = "cc-by"
    validate: str = ""


def export_time(options: ExportOptions, paths: Sequence[str]) -> str:
    """The export's time stamp, ``YYYY-MM-DDThh:mm:ssZ``: ``options.date``, else
    ``$SOURCE_DATE_EPOCH``, else the newest input's modification time."""
    if options.date:
        return options.date
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        seconds = int(epoch)
    else:
        times = [os.stat(p).st_mtime for p in paths if p and os.path.exists(p)]
        seconds = int(max(times)) if times else 0
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
