"""(a) One file per process, as a pre-commit hook or a CI step per file runs the validator.

Run by hand::

    python bench/validate_startup.py [--schema tei_cable|tei_all|FILE.rng] [--repeat N] [FILE...]

For each file: the median wall-clock time of one ``tei-cable validate`` process (RELAX NG only,
as Jing checks; and with the schema's default engines), of one Jing process (``pyjing``) on
the same file and schema, and where tei-cable's time goes (interpreter and imports, schema
load, validation). Default files: the encoded seed and a copy with one error.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from validate_common import (
    REPO,
    fmt,
    machine,
    median_wall,
    pyjing,
    schema_paths,
    tei_cable_command,
)

BREAKDOWN = r"""
import sys, time, json
t0 = time.perf_counter()
from tei_cable.validate.runner import Validator
import lxml.etree
t1 = time.perf_counter()
v = Validator(sys.argv[1], sys.argv[2] or None).compile()
t2 = time.perf_counter()
r = v.validate_file(sys.argv[3])
t3 = time.perf_counter()
print(json.dumps({"imports": t1 - t0, "schema": t2 - t1, "validate": t3 - t2}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--schema", default="tei_cable")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("files", nargs="*", type=Path)
    args = parser.parse_args()
    schema, rng = schema_paths(args.schema)
    files = args.files or default_files()
    print(machine())
    print(f"schema: {schema} (Jing reads {rng})\n")
    interpreter = median_wall([sys.executable, "-c", "pass"], args.repeat)
    print(f"bare Python start-up: {fmt(interpreter)}")
    print(f"{'file':38} {'tei-cable rng':>14} {'tei-cable default':>18} {'jing':>8}")
    jing = pyjing()
    for path in files:
        ours_rng = median_wall(
            [*tei_cable_command(), "--schema", schema, "--engine", "rng", str(path)], args.repeat
        )
        ours_all = median_wall([*tei_cable_command(), "--schema", schema, str(path)], args.repeat)
        theirs = median_wall([jing, str(rng), str(path)], args.repeat) if jing else float("nan")
        print(f"{path.name[:38]:38} {fmt(ours_rng):>14} {fmt(ours_all):>18} {fmt(theirs):>8}")
    for engines in ("rng", ""):
        done = subprocess.run(
            [sys.executable, "-c", BREAKDOWN, schema, engines, str(files[0])],
            capture_output=True,
            text=True,
            check=True,
        )
        parts = json.loads(done.stdout)
        label = engines or "default engines"
        print(
            f"where the time goes ({label}): interpreter {fmt(interpreter)}, "
            + ", ".join(f"{k} {fmt(v)}" for k, v in parts.items())
        )


def default_files() -> list[Path]:
    seed = REPO / "encoded" / "wilson-117409.xml"
    broken = Path(tempfile.mkdtemp()) / "wilson-117409-broken.xml"
    text = seed.read_text(encoding="utf-8")
    broken.write_text(text.replace("<body>", "<body><unknownElement/>", 1), encoding="utf-8")
    return [seed, broken]


if __name__ == "__main__":
    main()
