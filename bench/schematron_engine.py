"""Benchmark of the Schematron engine (tei_cable.schematron.engine). Run by hand:

    .venv/bin/python bench/schematron_engine.py [--quick] [--pyschematron PYTHON312]

Measures, on this machine:
* schema compile time: CMIF's cmif.sch, the TEI's embedded tei_all rules (4.9.0), and the
  rules extracted from p5subset.xml (extraction + compile);
* per-file time over the TEI corpus (../shared/tei/corpus), split into node-tree/index setup
  and rule evaluation, with the name index (default) and with every rule context evaluated as
  ``//(pattern)`` (what a straightforward elementpath engine does), to show why the index;
* per-file time on small documents (CMIF examples, a small TEI letter);
* lxml's isoschematron (XSLT 1, XPath 1) on the TEI rules that are valid XPath 1.0;
* pyschematron (needs Python >= 3.12: pass its interpreter with --pyschematron; it is run in
  a subprocess) on CMIF and on the TEI rules it can compile.
"""

from __future__ import annotations

import argparse
import copy
import gc
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from elementpath import XPath1Parser
from lxml import etree, isoschematron

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tei_cable.odd.schematron import extract_schematron  # noqa: E402
from tei_cable.schematron import match as schematron_match  # noqa: E402
from tei_cable.schematron.engine import SchematronValidator  # noqa: E402
from tei_cable.schematron.schema import SCH, load_schema  # noqa: E402
from tei_cable.xmlio import safe_parser  # noqa: E402

SHARED = REPO.parent / "shared"
TEI = SHARED / "tei"
CMIF = SHARED / "formats" / "cmif"
SMALL_TEI = REPO / "tests" / "validate" / "fixtures" / "schematron" / "tei_constraints.xml"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def timed(func, repeat: int = 1):  # type: ignore[no-untyped-def]
    best = float("inf")
    result = None
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = func()
        best = min(best, time.perf_counter() - start)
    return best, result


def corpus_files(quick: bool) -> list[tuple[Path, bytes, etree._ElementTree]]:
    files = []
    paths = sorted((TEI / "corpus").rglob("*.xml"))
    if quick:
        paths = paths[::10]
    for path in paths:
        data = path.read_bytes()
        try:
            tree = etree.fromstring(data, safe_parser()).getroottree()
        except etree.XMLSyntaxError:
            continue
        files.append((path, data, tree))
    return files


def summary(times: list[float]) -> str:
    times = sorted(times)
    p95 = times[int(len(times) * 0.95) - 1] if len(times) > 20 else times[-1]
    return (
        f"mean {ms(statistics.mean(times))}, median {ms(statistics.median(times))}, "
        f"p95 {ms(p95)}, max {ms(times[-1])}, total {sum(times):.2f} s"
    )


def run_corpus(validator: SchematronValidator, files: list, label: str) -> dict[str, int]:  # type: ignore[type-arg]
    times, counts = [], {}
    for path, data, tree in files:
        start = time.perf_counter()
        issues = validator.validate(tree, source=data)
        times.append(time.perf_counter() - start)
        counts[str(path)] = len(issues)
    print(f"  {label}: {len(files)} files, {summary(times)}; issues {sum(counts.values())}")
    return counts


def setup_share(files: list) -> None:  # type: ignore[type-arg]
    """How much of a run is building elementpath's node tree and our name index."""
    from elementpath import get_node_tree

    total = 0.0
    for _, _, tree in files:
        start = time.perf_counter()
        schematron_match.NodeIndex(get_node_tree(tree))
        total += time.perf_counter() - start
    print(f"  of which node tree + name index: {total:.2f} s over {len(files)} files")


def naive(validator: SchematronValidator) -> SchematronValidator:
    """A copy whose rule contexts are all evaluated as //(pattern) over the document."""
    slow = copy.copy(validator)
    slow.patterns = copy.deepcopy(validator.patterns)
    parse = validator._parser.parse
    for pattern in slow.patterns:
        for rule in pattern.rules:
            matcher = rule.matcher
            matcher.branches = None
            matcher.fallback = parse(f"//({matcher.source})")
    return slow


def xpath1_subset(schema_root: etree._Element) -> bytes:
    """The rules whose every query is valid XPath 1.0 (lxml's isoschematron can run those)."""
    root = copy.deepcopy(schema_root)
    namespaces = {n.get("prefix"): n.get("uri") for n in root.iter(f"{SCH}ns")}
    parser = XPath1Parser(namespaces=namespaces)
    for pattern in list(root.iter(f"{SCH}pattern")):
        ok = True
        for element in pattern.iter():
            for attr in ("context", "test", "select", "value"):
                value = element.get(attr) if isinstance(element.tag, str) else None
                if value is None:
                    continue
                if "current()" in value or "generate-id" in value:
                    ok = False
                    continue
                try:
                    parser.parse(value)
                except Exception:
                    ok = False
        if not ok:
            pattern.getparent().remove(pattern)
    root.set("queryBinding", "xslt")
    return etree.tostring(root)


PYSCH_DRIVER = r"""
import sys, time, json
from pathlib import Path
from lxml import etree
from pyschematron import create_validator
schema, files = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
validator = create_validator(Path(schema))
compile_time = time.perf_counter() - start
times, failures = [], 0
for f in files:
    tree = etree.parse(f)
    start = time.perf_counter()
    result = validator.validate(tree)
    times.append(time.perf_counter() - start)
    svrl = result.get_svrl()
    ns = '{http://purl.oclc.org/dsdl/svrl}'
    failures += len(list(svrl.iter(ns + 'failed-assert', ns + 'successful-report')))
print(json.dumps({"compile": compile_time, "times": times, "failures": failures}))
"""


def pyschematron(python: str, schema: Path, files: list[Path], label: str) -> None:
    proc = subprocess.run(
        [python, "-c", PYSCH_DRIVER, str(schema), *map(str, files)],
        capture_output=True,
        text=True,
        timeout=3600,
    )
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["?"])[-1]
        print(f"  pyschematron, {label}: cannot run it: {last[:160]}")
        return
    import json

    data = json.loads(proc.stdout.strip().splitlines()[-1])
    print(
        f"  pyschematron, {label}: compile {ms(data['compile'])}; {len(files)} files, "
        f"{summary(data['times'])}; failures {data['failures']}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="every 10th corpus file only")
    ap.add_argument(
        "--pyschematron",
        metavar="PYTHON312",
        help="a Python >= 3.12 interpreter with pyschematron installed",
    )
    ap.add_argument("--no-naive", action="store_true", help="skip the full-scan comparison")
    args = ap.parse_args()
    if not TEI.exists():
        sys.exit(f"reference data not found at {TEI}")

    print("== schema compile (best of 3)")
    t, cmif = timed(lambda: SchematronValidator(CMIF / "cmif.sch"), 3)
    print(f"  cmif.sch: {ms(t)} ({cmif.rule_count} rules)")
    embedded_rng = TEI / "derived" / "tei_all-4.9.0.rng"
    t, embedded = timed(lambda: SchematronValidator(embedded_rng), 3)
    print(
        f"  tei_all 4.9.0 embedded rules (incl. reading the 1 MB RNG): {ms(t)} "
        f"({len(embedded.patterns)} patterns, {embedded.rule_count} rules, "
        f"{embedded.indexed_rule_count} with indexed contexts)"
    )
    p5 = etree.parse(str(TEI / "p5subset.xml"), safe_parser())
    t, extracted = timed(lambda: extract_schematron(p5), 3)
    print(f"  extraction from p5subset.xml (parsed): {ms(t)}")
    t, ours = timed(lambda: SchematronValidator(extracted), 3)
    print(f"  compile of the extracted schema: {ms(t)} ({ours.rule_count} rules)")

    print("== small documents (best of 20)")
    for path in (CMIF / "examples" / "example01_basic.xml", SMALL_TEI):
        data = path.read_bytes()
        tree = etree.fromstring(data, safe_parser()).getroottree()
        validator = cmif if path.parent.parent == CMIF else ours
        t, issues = timed(lambda v=validator, tr=tree, d=data: v.validate(tr, source=d), 20)
        print(
            f"  {path.name} ({sum(1 for _ in tree.iter())} elements) with "
            f"{'cmif.sch' if validator is cmif else 'tei_all rules'}: {ms(t)}, "
            f"{len(issues)} issues"
        )

    print("== TEI corpus (parsed beforehand; times are validation only)")
    files = corpus_files(args.quick)
    print(f"  {sum(len(d) for _, d, _ in files) / 1e6:.1f} MB in {len(files)} files")
    counts = run_corpus(embedded, files, "tei_all embedded rules, name index")
    setup_share(files)
    mine = run_corpus(ours, files, "tei_all extracted rules, name index")
    same = sum(1 for k in counts if counts[k] == mine[k])
    print(
        f"  files with the same number of issues under both schemas: {same}/{len(files)}"
        " (the extracted schema adds deprecation warnings)"
    )
    if not args.no_naive:
        small = [f for f in files if len(f[1]) < 60_000][::8][:12]
        run_corpus(
            naive(embedded),
            small,
            f"tei_all embedded rules, //(context) scans ({len(small)} files under 60 kB)",
        )
        run_corpus(embedded, small, "tei_all embedded rules, name index (same files)")

    print("== lxml isoschematron (XSLT 1.0 / XPath 1.0), rules valid in XPath 1.0 only")
    subset = xpath1_subset(load_schema(embedded_rng).root)
    subset_root = etree.fromstring(subset)
    n_patterns = len(subset_root.findall(f"{SCH}pattern"))
    t, lxml_sch = timed(lambda: isoschematron.Schematron(etree.fromstring(subset)), 3)
    print(f"  {n_patterns} of {len(embedded.patterns)} patterns; lxml compile {ms(t)}")
    ours_subset = SchematronValidator(subset)
    lxml_times, our_times = [], []
    for _, data, tree in files:
        start = time.perf_counter()
        lxml_sch.validate(tree)
        lxml_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        ours_subset.validate(tree, source=data)
        our_times.append(time.perf_counter() - start)
    print(f"  lxml isoschematron: {summary(lxml_times)} (no line numbers)")
    print(f"  tei-cable, same rules, xslt binding: {summary(our_times)}")

    if args.pyschematron:
        print("== pyschematron (subprocess)")
        examples = sorted((CMIF / "examples").glob("*.xml"))
        pyschematron(args.pyschematron, CMIF / "cmif.sch", examples, "cmif.sch on the examples")
        # pyschematron has no current()/generate-id(): drop the rules that use them.
        root = load_schema(embedded_rng).root
        for pattern in list(root.iter(f"{SCH}pattern")):
            text = etree.tostring(pattern, encoding="unicode")
            if "current()" in text or "generate-id" in text:
                pattern.getparent().remove(pattern)
        with tempfile.NamedTemporaryFile("wb", suffix=".sch", delete=False) as handle:
            handle.write(etree.tostring(root))
        portable = Path(handle.name)
        under = [f for f in files if len(f[1]) < 100_000]
        sub = under[:: max(1, len(under) // 6)][:6]  # pyschematron takes seconds per file
        pyschematron(
            args.pyschematron,
            portable,
            [p for p, _, _ in sub],
            f"tei_all rules without current() ({len(root.findall(f'{SCH}pattern'))} "
            f"patterns), {len(sub)} corpus files under 100 kB",
        )
        reduced = SchematronValidator(portable)
        run_corpus(reduced, sub, "tei-cable, the same reduced rules and files")
        portable.unlink()


if __name__ == "__main__":
    main()
