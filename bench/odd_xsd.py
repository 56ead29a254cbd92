"""Benchmark and full checks of the XSD writer. Run by hand::

    .venv/bin/python bench/odd_xsd.py [--corpus] [--examples] [--variants] [--all]

Always measured, for ``tei_cable`` (ours), ``tei_min`` (a small TEI customization) and
``tei_all``: the time to write the XSD from the compiled ODD (median of 3), its size, its
loosened places by kind, and the time to load it with ``xmlschema`` (in a fresh process:
imports and xmlschema's own meta-schema included; and again in the same process) and with
lxml (libxml2); then the time each takes to validate our converter outputs.

``--corpus``: every file of ``../shared/tei/corpus``, judged by the compiled ``tei_all``'s
RELAX NG (lxml) and XSD (xmlschema). ``--examples``: every document built from the
Guidelines' examples that the RELAX NG accepts, and each one's six systematic mutations.
``--variants``: every systematic variant of our outputs (the test suite checks one in two)
with ``tei_cable``, and of the examples with ``tei_all``. Where lxml and the XSD disagree,
Jing (the reference RELAX NG validator) decides; any document the XSD rejects and Jing
accepts is listed (there should be none), and so is each place the XSD is looser.
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
from test_xsd import OUTPUTS, Judge, lxml_schema, variants  # noqa: E402
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
    fresh = float(
        subprocess.run(
            [sys.executable, "-c", LOAD, str(path)], capture_output=True, text=True, check=True
        ).stdout
    )
    started = time.perf_counter()
    schema = xmlschema.XMLSchema10(str(path), allow="local")
    again = time.perf_counter() - started
    started = time.perf_counter()
    lxml = lxml_schema(path)
    lxml_load = time.perf_counter() - started
    print(
        f"{name:10} write {seconds(statistics.median(times)):>8}  "
        f"{path.stat().st_size / 1024:7.0f} KiB  xmlschema load {seconds(fresh):>8} (fresh "
        f"process) {seconds(again):>8} (again)  lxml load {seconds(lxml_load):>7}"
    )
    print(
        f"{'':10} loosened: {sum(kinds.values())} "
        f"({', '.join(f'{n} {k}' for k, n in sorted(kinds.items())) or 'none'})"
    )
    return {"compiled": compiled_odd, "path": path, "xsd": schema, "lxml": lxml}


def validate_outputs(schemas: dict[str, dict[str, object]]) -> None:
    trees = [etree.parse(str(p)) for p in OUTPUTS]
    for name in ("tei_cable", "tei_all"):
        if name not in schemas:
            continue
        found = schemas[name]
        rng = etree.RelaxNG(found["compiled"].to_rng())  # type: ignore[attr-defined]
        row = []
        for label, check in (
            ("xmlschema", found["xsd"].is_valid),  # type: ignore[attr-defined]
            ("lxml XSD", found["lxml"].validate),  # type: ignore[attr-defined]
            ("lxml RNG", rng.validate),
        ):
            started = time.perf_counter()
            verdicts = [bool(check(t)) for t in trees]
            spent = (time.perf_counter() - started) / len(trees)
            row.append(f"{label} {seconds(spent)}/file ({sum(verdicts)}/{len(trees)} valid)")
        print(f"{name:10} our {len(trees)} outputs: " + "; ".join(row))


def settle(judge: Judge, found: dict[str, object], what: str) -> None:
    """Print the disagreements between lxml's RELAX NG and the XSD, settled by Jing."""
    rng_data = found["compiled"].rng_bytes()  # type: ignore[attr-defined]
    try:
        stricter, looser = judge.settle(rng_data, Path(tempfile.mkdtemp(prefix="jing-")))
    except BaseException as exc:  # pytest.skip without Java
        print(
            f"  (Jing not available to settle {len(judge.only_xsd_rejects)} + "
            f"{len(judge.only_rng_rejects)} disagreements: {exc})"
        )
        return
    print(
        f"{what}: {judge.total} documents, {judge.accepted} valid per lxml's RELAX NG; "
        f"only the XSD rejects {len(judge.only_xsd_rejects)} (Jing accepts {len(stricter)} "
        f"of them: the XSD is stricter there), only lxml rejects "
        f"{len(judge.only_rng_rejects)} (Jing rejects {len(looser)}: the XSD is looser "
        f"there; Jing accepts the other {len(judge.only_rng_rejects) - len(looser)}: "
        "libxml2 is stricter than RELAX NG)"
    )
    for label in stricter[:20]:
        print(f"  XSD stricter: {label}")
    for label in looser[:40]:
        print(f"  XSD looser: {label[:200]}")


def check_corpus(found: dict[str, object]) -> None:
    rng = etree.RelaxNG(found["compiled"].to_rng())  # type: ignore[attr-defined]
    judge = Judge(rng, found["xsd"])  # type: ignore[arg-type]
    started = time.perf_counter()
    for path in corpus_files():
        root = parse_corpus_file(path)
        if root is not None:
            judge(str(path.relative_to(CORPUS)), root)
    print(f"corpus ({seconds(time.perf_counter() - started)}, both engines)")
    settle(judge, found, "corpus")


def check_examples(found: dict[str, object]) -> None:
    odd = found["compiled"]
    rng = etree.RelaxNG(odd.to_rng())  # type: ignore[attr-defined]
    judge = Judge(rng, found["xsd"])  # type: ignore[arg-type]
    mutator = Mutator(odd)  # type: ignore[arg-type]
    kinds: collections.Counter[tuple[str, bool, bool]] = collections.Counter()
    started = time.perf_counter()
    for label, doc in example_documents(P5SUBSET, children_allowed(odd)):  # type: ignore[arg-type]
        if not rng.validate(doc):
            continue
        judge(label, doc)
        for kind, mutated in mutator.mutations(doc):
            judge(f"{label}, {kind}", mutated)
            kinds[(kind, bool(rng.validate(mutated)), found["xsd"].is_valid(mutated))] += 1  # type: ignore
    print(f"examples and their mutations ({seconds(time.perf_counter() - started)})")
    for (kind, r, x), n in sorted(kinds.items()):
        print(
            f"  {kind:28} RELAX NG {'valid' if r else 'invalid':7} XSD "
            f"{'valid' if x else 'invalid':7} {n}"
        )
    settle(judge, found, "examples")


def check_variants(
    found: dict[str, object], roots: list[tuple[str, etree._Element]], what: str
) -> None:
    rng = etree.RelaxNG(found["compiled"].to_rng())  # type: ignore[attr-defined]
    judge = Judge(rng, found["xsd"])  # type: ignore[arg-type]
    seen: set[tuple[str, ...]] = set()
    started = time.perf_counter()
    for name, root in roots:
        if not rng.validate(root):
            continue
        for label, mutated in variants(root, seen):
            judge(f"{name}: {label}", mutated)
    print(f"{what} ({seconds(time.perf_counter() - started)})")
    settle(judge, found, what)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
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
        outputs = [
            (p.name, etree.parse(str(p)).getroot())
            for p in sorted(OUTPUTS, key=lambda p: p.stat().st_size)
        ]
        check_variants(schemas["tei_cable"], outputs, "variants of our outputs, tei_cable")
        if "tei_all" in schemas:
            odd = schemas["tei_all"]["compiled"]
            examples = list(example_documents(P5SUBSET, children_allowed(odd)))  # type: ignore
            check_variants(schemas["tei_all"], examples, "variants of the examples, tei_all")


if __name__ == "__main__":
    main()
