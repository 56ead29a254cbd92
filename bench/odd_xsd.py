"""Benchmark and full checks of the XSD writer. Run by hand::

    .venv/bin/python bench/odd_xsd.py [--corpus] [--examples] [--variants] [--all]

Always measured, for ``tei_cable`` (ours), ``tei_min`` (a small TEI customization) and
``tei_all``: the time to write the XSD from the compiled ODD (median of 3), its size, its
loosened places by kind, and the time to load it with ``xmlschema`` (in a fresh process:
imports and xmlschema's own meta-schema included; and again in the same process) and with
lxml (libxml2); then the time each takes to validate our converter outputs.

``--corpus``: every file of ``../shared/tei/corpus`` that the compiled ``tei_all`` RELAX NG
accepts (lxml) is validated with the ``tei_all`` XSD: the XSD must accept all of them.
``--examples``: every document built from the Guidelines' examples that the RELAX NG accepts,
and each one's six systematic mutations, judged by both. ``--variants``: every systematic
variant of our outputs (the test suite checks one in two) against ``tei_cable``'s RELAX NG and
XSD. Any document the XSD rejects but the RELAX NG accepts is listed (there should be none).
"""

from __future__ import annotations

import argparse
import collections
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "tests"), str(REPO / "tests" / "odd"), str(REPO / "bench")]

import xmlschema  # noqa: E402
from lxml import etree  # noqa: E402
from odd_helpers import (  # noqa: E402
    CORPUS,
    P5SUBSET,
    TEI_ALL_ODD,
    TEI_MIN_ODD,
    Mutator,
    children_allowed,
    compiled,
    corpus_files,
    example_documents,
    parse_corpus_file,
)
from test_xsd import OUTPUTS, lxml_schema, variants  # noqa: E402
from validate_common import machine  # noqa: E402

from tei_cable.odd.xsd import loosened, write_xsd  # noqa: E402
from tei_cable.resources import schemas_dir  # noqa: E402

LOAD = """
import sys, time
started = time.perf_counter()
import xmlschema
schema = xmlschema.XMLSchema10(sys.argv[1], allow="sandbox")
print(time.perf_counter() - started)
"""


def seconds(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def measure(name: str, odd: Path, source: Path | None, folder: Path) -> dict[str, object]:
    compiled_odd = compiled(str(odd), str(source) if source else None, False)
    times = []
    for _ in range(3):
        started = time.perf_counter()
        tree = write_xsd(compiled_odd)
        times.append(time.perf_counter() - started)
    path = folder / f"{name}.xsd"
    tree.write(str(path), xml_declaration=True, encoding="UTF-8", pretty_print=True)
    kinds = collections.Counter(p.split(": ")[1] for p in loosened(tree))
    fresh = float(subprocess.run([sys.executable, "-c", LOAD, str(path)], capture_output=True,
                                 text=True, check=True).stdout)
    started = time.perf_counter()
    schema = xmlschema.XMLSchema10(str(path), allow="local")
    again = time.perf_counter() - started
    started = time.perf_counter()
    lxml = lxml_schema(path)
    lxml_load = time.perf_counter() - started
    print(f"{name:10} write {seconds(statistics.median(times)):>8}  "
          f"{path.stat().st_size / 1024:7.0f} KiB  xmlschema load {seconds(fresh):>8} (fresh "
          f"process) {seconds(again):>8} (again)  lxml load {seconds(lxml_load):>7}")
    print(f"{'':10} loosened: {sum(kinds.values())} "
          f"({', '.join(f'{n} {k}' for k, n in sorted(kinds.items())) or 'none'})")
    return {"compiled": compiled_odd, "path": path, "xsd": schema, "lxml": lxml}


def validate_outputs(schemas: dict[str, dict[str, object]]) -> None:
    trees = [etree.parse(str(p)) for p in OUTPUTS]
    for name in ("tei_cable", "tei_all"):
        if name not in schemas:
            continue
        found = schemas[name]
        rng = etree.RelaxNG(found["compiled"].to_rng())  # type: ignore[attr-defined]
        row = []
        for label, check in (("xmlschema", found["xsd"].is_valid),  # type: ignore[attr-defined]
                             ("lxml XSD", found["lxml"].validate),  # type: ignore[attr-defined]
                             ("lxml RNG", rng.validate)):
            started = time.perf_counter()
            verdicts = [bool(check(t)) for t in trees]
            spent = (time.perf_counter() - started) / len(trees)
            row.append(f"{label} {seconds(spent)}/file ({sum(verdicts)}/{len(trees)} valid)")
        print(f"{name:10} our {len(trees)} outputs: " + "; ".join(row))


def check_corpus(found: dict[str, object]) -> None:
    rng = etree.RelaxNG(found["compiled"].to_rng())  # type: ignore[attr-defined]
    schema = found["xsd"]
    accepted = rejected = 0
    spent = 0.0
    wrong = []
    for path in corpus_files():
        root = parse_corpus_file(path)
        if root is None or not rng.validate(root):
            continue
        accepted += 1
        started = time.perf_counter()
        errors = list(schema.iter_errors(root))  # type: ignore[attr-defined]
        spent += time.perf_counter() - started
        if errors:
            rejected += 1
            wrong.append(f"  {path.relative_to(CORPUS)}: {errors[0].reason}")
    print(f"corpus: {accepted} files valid per the tei_all RELAX NG; the XSD rejects "
          f"{rejected}; xmlschema validation {seconds(spent)} in all "
          f"({seconds(spent / max(accepted, 1))}/file)")
    print("\n".join(wrong[:20]))


def check_examples(found: dict[str, object]) -> None:
    odd = found["compiled"]
    rng = etree.RelaxNG(odd.to_rng())  # type: ignore[attr-defined]
    schema = found["xsd"]
    mutator = Mutator(odd)  # type: ignore[arg-type]
    valid = 0
    agree: collections.Counter[tuple[str, bool, bool]] = collections.Counter()
    wrong = []
    started = time.perf_counter()
    for label, doc in example_documents(P5SUBSET, children_allowed(odd)):  # type: ignore[arg-type]
        if not rng.validate(doc):
            continue
        valid += 1
        if not schema.is_valid(doc):  # type: ignore[attr-defined]
            wrong.append(f"  {label}")
        for kind, mutated in mutator.mutations(doc):
            r, x = bool(rng.validate(mutated)), schema.is_valid(mutated)  # type: ignore
            agree[(kind, r, x)] += 1
            if r and not x:
                wrong.append(f"  {label}, {kind}")
    print(f"examples: {valid} valid per the RELAX NG, the XSD rejects {len(wrong)} of them or "
          f"of their RELAX NG-valid mutations ({seconds(time.perf_counter() - started)})")
    for (kind, r, x), n in sorted(agree.items()):
        print(f"  {kind:28} RELAX NG {'valid' if r else 'invalid':7} XSD "
              f"{'valid' if x else 'invalid':7} {n}")
    print("\n".join(wrong[:20]))


def check_variants(found: dict[str, object]) -> None:
    rng = etree.RelaxNG(found["compiled"].to_rng())  # type: ignore[attr-defined]
    schema = found["xsd"]
    counts: collections.Counter[tuple[bool, bool]] = collections.Counter()
    wrong = []
    seen: set[tuple[str, ...]] = set()
    started = time.perf_counter()
    for path in sorted(OUTPUTS, key=lambda p: p.stat().st_size):
        for label, mutated in variants(etree.parse(str(path)).getroot(), seen):
            r, x = bool(rng.validate(mutated)), schema.is_valid(mutated)  # type: ignore
            counts[(r, x)] += 1
            if r != x:
                wrong.append(f"  {path.name}: {label}: RELAX NG {r}, XSD {x}")
    print(f"variants of our outputs: {sum(counts.values())} "
          f"({seconds(time.perf_counter() - started)}); both valid {counts[(True, True)]}, "
          f"both invalid {counts[(False, False)]}, only the XSD rejects "
          f"{counts[(True, False)]}, only the RELAX NG rejects {counts[(False, True)]}")
    print("\n".join(wrong[:20]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", action="store_true")
    parser.add_argument("--examples", action="store_true")
    parser.add_argument("--variants", action="store_true")
    parser.add_argument("--all", action="store_true")
    args = parser.parse_args()
    print(machine())
    print(f"xmlschema {xmlschema.__version__}, lxml {etree.__version__}\n")
    folder = Path(tempfile.mkdtemp(prefix="odd_xsd-"))
    schemas = {"tei_cable": measure("tei_cable", schemas_dir() / "tei_cable.odd", None, folder)}
    if P5SUBSET.exists():
        schemas["tei_min"] = measure("tei_min", TEI_MIN_ODD, P5SUBSET, folder)
        schemas["tei_all"] = measure("tei_all", TEI_ALL_ODD, P5SUBSET, folder)
    print()
    validate_outputs(schemas)
    print()
    if (args.corpus or args.all) and "tei_all" in schemas:
        check_corpus(schemas["tei_all"])
    if (args.examples or args.all) and "tei_all" in schemas:
        check_examples(schemas["tei_all"])
    if args.variants or args.all:
        check_variants(schemas["tei_cable"])


if __name__ == "__main__":
    main()
