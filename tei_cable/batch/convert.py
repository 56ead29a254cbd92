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


def context_key(registry_files: tuple[str, ...], publisher: str | None) -> str:
    """What decides a record's TEI besides the record: the converter, registry, options."""
    registry = hashlib.sha256()
    for path in registry_files:
        try:
            registry.update(Path(path).read_bytes())
        except OSError as exc:
            registry.update(f"unreadable {path}: {exc}".encode())
        registry.update(b"\0")
    return keys.combine("convert", keys.code_digest(), registry.hexdigest(), publisher or "")


@dataclass
class Converted:
    """A record's outcome: its TEI (``None`` when it failed or came from the cache), the hash
    of that TEI, the diagnostics as printed, and the error that stopped it, if any."""

    data: bytes | None = None
    digest: bytes | None = None
    diagnostics: list[str] = field(default_factory=list)
    error: str | None = None
    #: the hash of the record's bytes (``None``: not to be cached)
    source: bytes | None = None

    def payload(self) -> bytes:
        """What the cache keeps: the TEI's hash and the diagnostics."""
        assert self.digest is not None
        shown = {"out": self.digest.hex(), "d": self.diagnostics}
        return json.dumps(shown, ensure_ascii=False).encode()

    @classmethod
    def from_payload(cls, payload: bytes) -> Converted:
        """A cached outcome (no TEI bytes: the output file already holds them)."""
        data = json.loads(payload)
        return cls(None, bytes.fromhex(data["out"]), list(data["d"]))


@dataclass(frozen=True)
class ConvertJob:
    """Convert one record: an item ``(name, path, ...)``, or ``(name, bytes, ...)`` for
    standard input (what follows is the caller's: where the TEI goes). The state each worker
    builds once is the registry and the header options."""

    registry_files: tuple[str, ...]
    publisher: str | None
    token: str
    warn: bool = True

    def setup(self) -> tuple[Any, Any]:
        from ..entities import Registry
        from ..writers.tei import HeaderOptions

        return Registry.load(*self.registry_files), HeaderOptions(publisher=self.publisher)

    def run(self, state: tuple[Any, Any], item: tuple[Any, ...]) -> Converted:
        from ..convert import convert_record, decode_source
        from ..diagnostics import Severity, TeiCableError

        registry, options = state
        name, source = item[0], item[1]
        try:
            if isinstance(source, bytes):
                raw, path = source, "<stdin>"
            else:
                raw, path = _read(source, name), name
            text = decode_source(raw, path)
            result = convert_record(text, path=path, registry=registry, options=options)
            data = result.to_bytes()
        except TeiCableError as exc:
            return Converted(error=str(exc))
        except Exception as exc:  # one record's failure must not stop a batch
            return Converted(error=f"{name}: cannot convert: {type(exc).__name__}: {exc}")
        shown = [d.format() for d in result.diagnostics if d.severity >= Severity.WARNING]
        digest = digest_bytes(raw) if not isinstance(source, bytes) else None
        return Converted(data, digest_bytes(data), shown, None, digest)


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
