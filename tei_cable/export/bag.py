"""BagIt (RFC 8493, BagIt 1.0): a bag of TEI documents, their exports and checksums.

The payload (``data/``) holds the TEI files as they are (``data/tei/``) and what tei-cable
makes of them: ``data/dc/``, ``data/jsonld/``, ``data/html/`` (one file per document, the
folder structure of the input kept) and, when a CMIF address and editor are given,
``data/cmif/cmif.xml``. ``manifest-sha256.txt`` and ``manifest-sha512.txt`` list every
payload file, ``tagmanifest-*`` the tag files, ``bag-info.txt`` says who made the bag and
when (``Payload-Oxum`` included).

The bag is written here rather than with the ``bagit`` package: ``bagit.make_bag`` writes
BagIt 0.97, not 1.0, turns a folder into a bag in place by changing the process's working
directory, and lists tag files in directory order; here the bag is BagIt 1.0, built in a
temporary folder beside its destination and renamed into place (a reader sees no bag or a
whole one), and the same inputs give the same bytes. The tests check every bag with
``bagit`` (the Library of Congress's implementation).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from ..diagnostics import OutputError, TeiCableError
from .formats import FORMATS
from .options import ExportOptions, export_time
from .run import expand, read, render
from .teidoc import TeiDocument

ALGORITHMS = ("sha256", "sha512")
#: the per-document formats a bag holds, in this order
BAG_FORMATS = ("dc", "jsonld", "html")


@dataclass
class BagResult:
    """What went into a bag: documents, payload files, inputs that failed."""

    path: str
    documents: int = 0
    files: int = 0
    bytes: int = 0
    failures: list[TeiCableError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


def make_bag(
    inputs: Iterable[str | os.PathLike[str]],
    destination: str | os.PathLike[str],
    *,
    options: ExportOptions | None = None,
    force: bool = False,
    report: Callable[[TeiCableError], None] | None = None,
) -> BagResult:
    """Write a bag of the TEI ``inputs`` (files and folders) and their exports at
    ``destination``. Inputs that are not TEI are reported and left out."""
    options = options or ExportOptions()
    target = Path(destination)
    if target.exists() and not force:
        raise OutputError("output exists; use --force to replace it", path=str(target))
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError("output folder does not exist", path=str(parent))
    items, failures = expand(inputs)
    result = BagResult(str(target), failures=list(failures))
    for failure in failures:
        if report:
            report(failure)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent))
    try:
        data = work / "data"
        documents: list[TeiDocument] = []
        for item in items:
            try:
                document = read(item, options.validate)
            except TeiCableError as exc:
                result.failures.append(exc)
                if report:
                    report(exc)
                continue
            documents.append(document)
            _write(data / "tei" / f"{item.stem}.xml", Path(item.path).read_bytes())
            for name in BAG_FORMATS:
                fmt = FORMATS[name]
                _write(data / name / f"{item.stem}{fmt.extension}", render(document, name, options))
        if not documents and result.failures:
            shutil.rmtree(work, ignore_errors=True)
            return result  # nothing was read: no bag
        if documents and options.url and options.editors:
            _write(data / "cmif" / "cmif.xml", render(documents, "cmif", options))
        data.mkdir(exist_ok=True)
        result.documents = len(documents)
        stamp = export_time(options, [i.path for i in items if i.path != "-"])
        result.files, result.bytes = _finish(work, options, stamp)
        _replace(work, target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return result


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _finish(bag: Path, options: ExportOptions, stamp: str) -> tuple[int, int]:
    """Manifests, ``bagit.txt``, ``bag-info.txt`` and tag manifests of a payload in place."""
    payload = sorted(
        (p for p in (bag / "data").rglob("*") if p.is_file()),
        key=lambda p: p.relative_to(bag).as_posix(),
    )
    total = sum(p.stat().st_size for p in payload)
    for algorithm in ALGORITHMS:
        lines = [
            f"{_digest(p, algorithm)}  {_name(p.relative_to(bag).as_posix())}\n" for p in payload
        ]
        (bag / f"manifest-{algorithm}.txt").write_text("".join(lines), encoding="utf-8")
    (bag / "bagit.txt").write_text(
        "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n", encoding="utf-8"
    )
    info = []
    if options.publisher:
        info.append(("Source-Organization", options.publisher))
    for editor in options.editors:
        if editor.name:
            info.append(("Contact-Name", editor.name))
        if editor.email:
            info.append(("Contact-Email", editor.email))
    formats = [f for f in ("tei", *BAG_FORMATS, "cmif") if (bag / "data" / f).is_dir()]
    info += [
        (
            "External-Description",
            f"TEI documents and their exports ({', '.join(formats)}) made by tei-cable",
        ),
        ("Bagging-Date", stamp[:10]),
        ("Bag-Software-Agent", f"tei-cable {__version__}"),
        ("Payload-Oxum", f"{total}.{len(payload)}"),
    ]
    (bag / "bag-info.txt").write_text(
        "".join(f"{key}: {' '.join(value.split())}\n" for key, value in info), encoding="utf-8"
    )
    tags = ["bag-info.txt", "bagit.txt", *(f"manifest-{a}.txt" for a in ALGORITHMS)]
    for algorithm in ALGORITHMS:
        lines = [f"{_digest(bag / t, algorithm)}  {t}\n" for t in sorted(tags)]
        (bag / f"tagmanifest-{algorithm}.txt").write_text("".join(lines), encoding="utf-8")
    for path in bag.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    bag.chmod(0o755)
    return len(payload), total


def _digest(path: Path, algorithm: str) -> str:
    h = hashlib.new(algorithm)
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _name(path: str) -> str:
    """A manifest path: ``%``, CR and LF percent-encoded (RFC 8493, 2.1.3)."""
    return path.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _replace(work: Path, target: Path) -> None:
    """Move the finished bag into place; an existing one is replaced only once the new one
    is complete."""
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
        old.rmdir()
        os.replace(target, old)
        os.replace(work, target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(work, target)
