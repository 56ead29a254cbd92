"""(c) The real corpus (../shared/tei/corpus, 590 files) against tei_all: verdicts and time.

Run by hand::

    python bench/validate_tei_all.py [--schema tei_all|FILE.rng] [--jing-schema FILE.rng]

``--schema tei_all`` (default) is tei_all compiled by our ODD compiler from the TEI's
``tei_all`` ODD; a ``.rng`` path (e.g. ``../shared/tei/derived/tei_all-4.9.0.rng``, the TEI's
own build) can stand in for it. Jing reads ``--jing-schema`` (default: the TEI's
``tei_all.rng``).

Reports: tei-cable's wall time over the whole corpus in one process (RELAX NG engine; one
process and all cores); Jing's in one JVM over the files it can load; the verdicts compared
with Jing's (``jing-verdicts.tsv``), each difference with its first message; and, in one
process, lxml's bare parse-and-validate time against tei-cable's RELAX NG engine on the same
files with the same compiled schema, split into schema load, valid files and invalid files.
"""

from __future__ import annotations

import argparse
import csv
import json
import time
from pathlib import Path

from validate_common import (
    CORPUS,
    TEI,
    fmt,
    machine,
    pyjing,
    schema_paths,
    tei_cable_command,
    wall,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--schema", default="tei_all")
    parser.add_argument("--jing-schema", type=Path, default=TEI / "tei_all.rng")
    args = parser.parse_args()
    schema, rng = schema_paths(args.schema)
    rows = list(csv.reader((CORPUS / "jing-verdicts.tsv").open(encoding="utf-8"), delimiter="\t"))[
        1:
    ]
    jing_verdict = {row[0]: (row[1], row[2] if len(row) > 2 else "") for row in rows}
    print(machine())
    print(f"schema: {schema} ({rng}); Jing: {args.jing_schema}; {len(rows)} files\n")

    ours: dict[str, dict] = {}
    every = [str(CORPUS / row[0]) for row in rows]  # named one by one: the .odd files too
    for label, jobs in (
        ("tei-cable rng, 1 process", ["--jobs", "1"]),
        ("tei-cable rng, all cores", []),
    ):
        seconds, done = wall(
            [
                *tei_cable_command(),
                "--schema",
                schema,
                "--engine",
                "rng",
                "--format",
                "json",
                *jobs,
                *every,
            ]
        )
        data = json.loads(done.stdout)
        ours = {str(Path(f["path"]).relative_to(CORPUS)): f for f in data["files"]}
        print(
            f"{label:32} {fmt(seconds):>9}  {data['summary']['invalid']} invalid "
            f"of {data['summary']['files']}"
        )
    loadable = [CORPUS / p for p, (v, _) in jing_verdict.items() if v in ("valid", "invalid")]
    jing = pyjing()
    if jing:
        seconds, _ = wall([jing, str(args.jing_schema), *map(str, loadable)])
        print(f"{'jing, 1 JVM (loadable files)':32} {fmt(seconds):>9}  ({len(loadable)} files)")

    print(
        "\nverdicts (Jing's from jing-verdicts.tsv; not-well-formed and unloadable count as "
        "invalid):"
    )
    agree = 0
    for path, (verdict, first) in sorted(jing_verdict.items()):
        mine = ours.get(path)
        if mine is None:
            print(f"  not validated by tei-cable: {path}")
            continue
        theirs_valid = verdict == "valid"
        if mine["valid"] == theirs_valid:
            agree += 1
            continue
        message = mine["issues"][0] if mine["issues"] else {}
        print(
            f"  DIFFER {path}: Jing {verdict} ({first[:80]}); tei-cable "
            f"{'valid' if mine['valid'] else 'invalid'}: {message.get('line')}:"
            f" {message.get('message', '')[:100]} [{message.get('engine')}:"
            f"{message.get('rule')}]"
        )
    print(f"  {agree} of {len(jing_verdict)} agree")
    in_process(rng, loadable)


def in_process(rng: Path, files: list[Path]) -> None:
    """lxml's bare parse + RelaxNG against tei-cable's RELAX NG engine, same compiled schema."""
    from lxml import etree

    from tei_cable.schemas import SchemaSet
    from tei_cable.validate.runner import Validator
    from tei_cable.xmlio import safe_parser

    start = time.perf_counter()
    validator = Validator(SchemaSet("bench", {"rng": rng}), "rng").compile()
    relaxng = validator._engines[0]._whole()  # type: ignore[index, union-attr]
    load = time.perf_counter() - start
    bare = {True: 0.0, False: 0.0}
    verdict = {}
    for path in files:
        start = time.perf_counter()
        try:
            ok = bool(relaxng.validate(etree.parse(str(path), safe_parser())))
        except (etree.XMLSyntaxError, OSError):
            ok = False
        bare[ok] += time.perf_counter() - start
        verdict[path] = ok
    ours = {True: 0.0, False: 0.0}
    for path in files:
        start = time.perf_counter()
        validator.validate_file(path)
        ours[verdict[path]] += time.perf_counter() - start
    total_bare, total_ours = sum(bare.values()), sum(ours.values())
    print(f"\nin one process, {len(files)} files; schema load (lxml RelaxNG) {fmt(load)}")
    print(
        f"  lxml bare parse + validate: {fmt(total_bare)} (valid files {fmt(bare[True])}, "
        f"invalid {fmt(bare[False])})"
    )
    print(
        f"  tei-cable RELAX NG engine:  {fmt(total_ours)} (valid files {fmt(ours[True])}, "
        f"invalid, with explanations, {fmt(ours[False])})"
    )
    valid_ratio = ours[True] / max(bare[True], 1e-9)
    invalid_ratio = ours[False] / max(bare[False], 1e-9)
    print(
        f"  ratio {total_ours / total_bare:.2f} (valid files {valid_ratio:.2f}, "
        f"invalid {invalid_ratio:.2f})"
    )


if __name__ == "__main__":
    main()
