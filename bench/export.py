"""Export speed: 1,000 documents to every format, a bag of them, and an OAI-PMH harvest.

Run by hand: ``python bench/export.py [--documents 1000] [--harvest 500]``. Makes
``--documents`` distinct TEI files from the real ones (encoded/ and the record fixtures, each
copy's title made unique) in a temporary folder, then times, end to end (read the TEI, write
the export atomically): ``tei_cable.export.export`` for each per-document format into a
folder, one CMIF file of all their letters, a BagIt bag of all of them; then serves
``--harvest`` of them over loopback and harvests them with Sickle (``oai_dc`` records,
identifiers, and ``tei`` records), in pages of 100. Needs the test extras (Sickle).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from lxml import etree  # noqa: E402
from validate_common import machine  # noqa: E402

from tei_cable.export import Editor, ExportOptions, export  # noqa: E402
from tei_cable.export.bag import make_bag  # noqa: E402
from tei_cable.export.oai import Settings  # noqa: E402
from tei_cable.export.serve import make_server, serve_in_thread  # noqa: E402
from tei_cable.xmlio import TEI_NS, safe_parser  # noqa: E402

OPTIONS = ExportOptions(
    editors=(Editor("Jane Doe", "jane.doe@example.org"),),
    url="https://example.org/cmif.xml",
    base_url="https://example.org/letters/",
    date="2026-01-01T00:00:00Z",
)


def make_documents(folder: Path, count: int) -> int:
    """``count`` distinct TEI files in ten sub-folders; their total size in bytes."""
    sources = sorted((REPO / "encoded").glob("*.xml")) + sorted(
        (REPO / "tests" / "fixtures" / "records").glob("*.xml")
    )
    trees = [etree.parse(str(p), safe_parser()) for p in sources]
    size = 0
    for n in range(count):
        tree = trees[n % len(trees)]
        title = tree.find(f".//{{{TEI_NS}}}titleStmt/{{{TEI_NS}}}title")
        original = title.text
        title.text = f"{original} [{n:05d}]"
        sub = folder / f"part{n % 10}"
        sub.mkdir(exist_ok=True)
        path = sub / f"doc-{n:05d}.xml"
        tree.write(str(path), xml_declaration=True, encoding="UTF-8")
        size += path.stat().st_size
        title.text = original
    return size


def timed(label: str, count: int, function) -> None:
    started = time.perf_counter()
    result = function()
    elapsed = time.perf_counter() - started
    print(f"{label:44} {elapsed:7.2f} s  {count / elapsed:8.1f} documents/s  {result}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--harvest", type=int, default=500)
    args = parser.parse_args()
    print(machine())
    print(f"load average before: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    work = Path(tempfile.mkdtemp(prefix="tei-cable-bench-"))
    try:
        source = work / "tei"
        source.mkdir()
        size = make_documents(source, args.documents)
        print(f"{args.documents} TEI documents, {size / 1e6:.1f} MB")
        for name in ("dc", "jsonld", "html"):

            def run(name: str = name) -> str:
                outcome = export([source], name, out_dir=str(work / name), options=OPTIONS)
                assert outcome.ok and len(outcome.written) == args.documents
                total = sum(os.path.getsize(p) for p in outcome.written)
                return f"{len(outcome.written)} files, {total / 1e6:.1f} MB"

            timed(f"export --to {name} (one file per document)", args.documents, run)

        def cmif() -> str:
            out = work / "cmif.xml"
            outcome = export([source], "cmif", output=str(out), options=OPTIONS)
            assert outcome.ok
            letters = out.read_bytes().count(b"<correspDesc ")
            return f"1 file, {letters} letters, {out.stat().st_size / 1e6:.1f} MB"

        timed("export --to cmif (one file for all)", args.documents, cmif)

        def bag() -> str:
            result = make_bag([source], work / "bag", options=OPTIONS)
            assert result.ok
            return f"{result.files} payload files, {result.bytes / 1e6:.1f} MB"

        timed("bag (TEI, dc, jsonld, html, cmif, checksums)", args.documents, bag)
        harvest(source, args.harvest)
        print(f"load average after: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def harvest(source: Path, count: int) -> None:
    import sickle

    folder = source.parent / "oai"
    folder.mkdir()
    for path in sorted(source.rglob("*.xml"))[:count]:
        target = folder / path.parent.name / path.name
        target.parent.mkdir(exist_ok=True)
        shutil.copy(path, target)
    server = make_server(folder, "127.0.0.1", 0, settings=Settings(page_size=100))
    thread = serve_in_thread(server)
    try:
        harvester = sickle.Sickle(server.base_url, timeout=60)
        for label, verb, prefix in (
            ("harvest ListRecords oai_dc (first, cold)", "ListRecords", "oai_dc"),
            ("harvest ListRecords oai_dc (again)", "ListRecords", "oai_dc"),
            ("harvest ListIdentifiers oai_dc", "ListIdentifiers", "oai_dc"),
            ("harvest ListRecords tei", "ListRecords", "tei"),
            ("harvest ListRecords cmif", "ListRecords", "cmif"),
        ):

            def run(verb: str = verb, prefix: str = prefix) -> str:
                items = list(getattr(harvester, verb)(metadataPrefix=prefix))
                return f"{len(items)} items in pages of 100"

            timed(label, count, run)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


if __name__ == "__main__":
    main()
