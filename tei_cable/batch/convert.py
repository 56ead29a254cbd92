"""Converting many records: the per-record job, its cache context, and what is cached.

A conversion is decided by the record's bytes, the converter (tei-cable's version and code),
the entity registry (the built-in one and every ``--registry`` file, by content) and the
options (the publisher). The cache keeps, for each record, the hash of the TEI it gave and the
reader's diagnostics, not the TEI itself: a rerun whose output file still holds exactly that
TEI has nothing to convert or write, and prints the same diagnostics; any other record (or an
output that was changed or removed) is converted again.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import keys
from .cache import digest_bytes


def context_key(registry_files: tuple[str, ...], publisher: str | None, split: bool) -> str:
    """What decides an input's TEI besides the input: the converter, registry, options."""
    registry = hashlib.sha256()
    for path in registry_files:
        try:
            registry.update(Path(path).read_bytes())
        except OSError as exc:
            registry.update(f"unreadable {path}: {exc}".encode())
        registry.update(b"\0")
    return keys.combine(
        "convert", keys.code_digest(), registry.hexdigest(), publisher or "", str(split)
    )


@dataclass
class Converted:
    """An input's outcome: what it gives to write (``parts``: one ``(name, TEI)`` per record
    with ``--out-dir``, the name from the record id or the input; else one ``(None, TEI)``,
    a ``teiCorpus`` for several records), the hash of each part, the diagnostics as printed,
    and the error that stopped it, if any. From the cache the parts have no bytes."""

    parts: list[tuple[str | None, bytes | None]] = field(default_factory=list)
    digests: list[bytes] = field(default_factory=list)
    diagnostics: list[str] = field(default_factory=list)
    error: str | None = None
    #: the hash of the input's bytes (``None``: not to be cached)
    source: bytes | None = None

    def payload(self) -> bytes:
        """What the cache keeps: each part's name and hash, and the diagnostics."""
        pairs = zip(self.parts, self.digests, strict=True)
        parts = [[name, digest.hex()] for (name, _), digest in pairs]
        return json.dumps({"out": parts, "d": self.diagnostics}, ensure_ascii=False).encode()

    @classmethod
    def from_payload(cls, payload: bytes) -> Converted:
        """A cached outcome (no TEI bytes: the output files should already hold them)."""
        data = json.loads(payload)
        parts: list[tuple[str | None, bytes | None]] = [(n, None) for n, _ in data["out"]]
        return cls(parts, [bytes.fromhex(h) for _, h in data["out"]], list(data["d"]))


@dataclass(frozen=True)
class ConvertJob:
    """Convert one input: an item ``(name, path, stem, ...)``, or ``(name, bytes, stem, ...)``
    for standard input (``stem`` names its output; what follows is the caller's). The state
    each worker builds once is the registry and the header options."""

    registry_files: tuple[str, ...]
    publisher: str | None
    token: str
    #: one output per record (``--out-dir``) rather than one per input
    split: bool = False

    def setup(self) -> tuple[Any, Any]:
        from ..entities import Registry
        from ..writers.tei import HeaderOptions

        return Registry.load(*self.registry_files), HeaderOptions(publisher=self.publisher)

    def run(self, state: tuple[Any, Any], item: tuple[Any, ...]) -> Converted:
        from ..convert import convert_records, decode_source
        from ..diagnostics import Severity, TeiCableError

        registry, options = state
        name, source, stem = item[0], item[1], item[2]
        try:
            if isinstance(source, bytes):
                raw, path = source, "<stdin>"
            else:
                raw, path = _read(source, name), name
            text = decode_source(raw, path)
            results = convert_records(text, path=path, registry=registry, options=options)
            parts: list[tuple[str | None, bytes | None]]
            if self.split:  # one file per record, named from its id (or the input)
                names = [stem] if len(results) == 1 else results.names(stem)
                parts = [(n, c.to_bytes()) for n, c in zip(names, results, strict=True)]
            else:
                parts = list(results.outputs(stem, options=options, source=path))  # type: ignore[arg-type]
        except TeiCableError as exc:
            return Converted(error=str(exc))
        except Exception as exc:  # one input's failure must not stop a batch
            return Converted(error=f"{name}: cannot convert: {type(exc).__name__}: {exc}")
        shown = [d.format() for d in results.diagnostics if d.severity >= Severity.WARNING]
        digests = [digest_bytes(data or b"") for _, data in parts]
        digest = digest_bytes(raw) if not isinstance(source, bytes) else None
        return Converted(parts, digests, shown, None, digest)


def _read(path: str, name: str) -> bytes:
    """A record's bytes, with the messages of :func:`tei_cable.convert.read_source`."""
    from ..diagnostics import InputError

    try:
        with open(path, "rb") as handle:
            return handle.read()
    except IsADirectoryError:
        raise InputError("is a folder, not a record file", path=name) from None
    except FileNotFoundError:
        raise InputError("no such file", path=name) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=name) from None


def output_digest(path: str | os.PathLike[str]) -> bytes | None:
    """The hash of an output file as it is now (``None`` if there is none)."""
    from .cache import digest_file

    try:
        return digest_file(path)
    except OSError:
        return None
