"""Agreement of our compiled schemas with the projects' own published RELAX NG. Run by hand:

    .venv/bin/python bench/odd_agreement.py [--shared DIR] [--case NAME]... [--keep DIR]

For each real customization whose ODD and published RELAX NG are in the reference data
(``../shared``, or ``--shared``), the ODD is compiled by tei-cable (by default, as a user
would: lenient, library ODDs chained through ``@source``) and Jing validates the project's
documents against both schemas. Reported per case: documents compared, documents with the
same verdict (valid or invalid), documents with the same Jing errors (position and
message, without the list of what Jing expected instead), documents with the same errors
and alternatives (that list compared as a set), and the errors counted on each side. A
case whose files are not there is skipped with the reason.

Cases and where their files are looked for (``DIR`` = ``--shared``):

* ``cmif``: the correspondence SIG's CMIF: ``DIR/formats/cmif/cmi-customization.odd`` and
  ``.rng``; documents: its examples and templates and the CMIF files of the corpus.
* ``eltec-0``, ``eltec-1``: the ELTeC's level ODDs ``DIR/odd-agreement/eltec/eltec-N.xml``
  (with ``eltec-library.xml`` beside them, their ``@source``), the published
  ``eltec-N.rng`` beside them; documents: the ELTeC level-1 novels of the corpus, brought
  to the shape the published schema (October 2019) expects, and copies of them with one
  fault each (see ``eltec_documents``).
* ``dtabf``: the DTA base format ``DIR/odd-agreement/dtabf/dtabf.odd`` and ``dtabf.rng``;
  documents: ``DIR/odd-agreement/dtabf/documents/*.xml``.
* ``tei_simplePrint``: ``DIR/odd-agreement/simplePrint/tei_simplePrint.odd`` and
  ``tei_simplePrint.rng``; documents: the corpus files Jing judges against tei_all.

Jing runs once per schema over all the documents of a case (``pyjing``, needs Java).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from validate_common import machine

REPO = Path(__file__).resolve().parent.parent


@dataclass
class Case:
    """One customization: its ODD, the project's RELAX NG, and how to find its documents."""

    name: str
    odd: Callable[[Path], Path]
    published: Callable[[Path], Path]
    documents: Callable[[Path, Path], list[Path]]  # (shared, scratch folder) -> files
    source_relative: bool = False  # the ODD names its source (a library ODD) itself


def cmif_documents(shared: Path, _work: Path) -> list[Path]:
    cmif = shared / "formats" / "cmif"
    corpus = shared / "tei" / "corpus"
    return sorted(
        [
            *cmif.glob("examples/*.xml"),
            *cmif.glob("templates/*.xml"),
            *(corpus / "TEI-Correspondence-SIG__CMIF").glob("*/*.xml"),
            *(corpus / "arthur-schnitzler__schnitzler-cmif").glob("*.xml"),
        ]
    )


#: One fault each, put into copies of the novels (each on about a third of them): faults
#: the ELTeC's schemas are there to catch, and faults they let through.
ELTEC_FAULTS = {
    "no-id": (r'<TEI([^>]*?) xml:id="[^"]*"', r"<TEI\1"),
    "author-key": (r"<author([ >])", r'<author key="x"\1'),
    "change-no-when": (r'<change when="[^"]*"', "<change"),
    "measure-text": (r'(<measure unit="words">)(\d+)', r"\g<1>12 345"),
    "hi-rendition": (r"<hi([ >])", r'<hi rendition="#b"\1'),
    "title-type": (r"<title([ >])", r'<title type="main"\1'),
    "encoding-level": (r'<encodingDesc n="[^"]*"', '<encodingDesc n="eltec-9"'),
    "seg": (r"<p>", "<p><seg>x</seg>"),
    "bibl-no-type": (r'<bibl type="[^"]*"', "<bibl"),
    "gap-reason": (r"<gap([ />])", r'<gap reason="illegible"\1'),
    "note-anchored": (r"<note([ >])", r'<note anchored="true"\1'),
    "div-type-free": (r'<div type="chapter"', '<div type="section"'),
    "pb-facs": (r"<pb([ />])", r'<pb facs="p1.png"\1'),
    "milestone-no-unit": (r'<milestone([^>]*?) unit="[^"]*"', r"<milestone\1"),
    "licence-no-target": (r'<licence target="[^"]*"', "<licence"),
    "timeslot-bad": (r'(timeSlot key=")[^"]*"', r'\1T9"'),
    "lang-usage-p": (r"<langUsage>", "<langUsage><p>English</p>"),
    "ref-in-head": (r"<head>", '<head><ref target="#x">1</ref>'),
}


def eltec_documents(shared: Path, work: Path) -> list[Path]:
    """The corpus' ELTeC level-1 novels in the shape of the ELTeC's ODD of October 2019 (no
    ``publisher`` in ``publicationStmt``; ``canonicity`` where ``reprintCount`` is now),
    and copies of them with one fault each."""
    novels = sorted((shared / "tei" / "corpus").glob("COST-ELTeC__ELTeC-*/level1/*.xml"))
    out = work / "eltec-documents"
    out.mkdir(exist_ok=True)
    made = []
    for i, novel in enumerate(novels):
        text = novel.read_text(encoding="utf-8")
        text = re.sub(
            r"(<publicationStmt>\s*)<publisher[^>]*>.*?</publisher>\s*", r"\1", text, flags=re.S
        )
        text = text.replace('reprintCount key="medium"', 'reprintCount key="unspecified"')
        text = text.replace("reprintCount", "canonicity")
        made.append(out / f"{novel.stem}.xml")
        made[-1].write_text(text, encoding="utf-8")
        for j, (fault, (pattern, replacement)) in enumerate(ELTEC_FAULTS.items()):
            if (i + j) % 3:
                continue
            faulty, count = re.subn(pattern, replacement, text, count=1)
            if count:
                made.append(out / f"{novel.stem}--{fault}.xml")
                made[-1].write_text(faulty, encoding="utf-8")
    return made


def folder_documents(folder: str) -> Callable[[Path, Path], list[Path]]:
    return lambda shared, _work: sorted((shared / folder).glob("*.xml"))


def tei_all_judged(shared: Path, _work: Path) -> list[Path]:
    """The corpus files Jing could judge against tei_all (``jing-verdicts.tsv``)."""
    corpus = shared / "tei" / "corpus"
    listing = corpus / "jing-verdicts.tsv"
    if not listing.is_file():
        return []
    out = []
    for line in listing.read_text(encoding="utf-8").splitlines()[1:]:
        path, verdict = line.split("\t")[:2]
        if verdict in ("valid", "invalid"):
            out.append(corpus / path)
    return out


AGREE = Path("odd-agreement")
CASES = [
    Case(
        "cmif",
        lambda s: s / "formats" / "cmif" / "cmi-customization.odd",
        lambda s: s / "formats" / "cmif" / "cmi-customization.rng",
        cmif_documents,
    ),
    *(
        Case(
            f"eltec-{level}",
            lambda s, level=level: s / AGREE / "eltec" / f"eltec-{level}.xml",
            lambda s, level=level: s / AGREE / "eltec" / f"eltec-{level}.rng",
            eltec_documents,
            source_relative=True,
        )
        for level in (0, 1)
    ),
    Case(
        "dtabf",
        lambda s: s / AGREE / "dtabf" / "dtabf.odd",
        lambda s: s / AGREE / "dtabf" / "dtabf.rng",
        folder_documents(str(AGREE / "dtabf" / "documents")),
    ),
    Case(
        "tei_simplePrint",
        lambda s: s / AGREE / "simplePrint" / "tei_simplePrint.odd",
        lambda s: s / AGREE / "simplePrint" / "tei_simplePrint.rng",
        tei_all_judged,
    ),
]


def jing_errors(schema: Path, documents: list[Path], base: Path) -> dict[str, list[str]]:
    """Jing's errors per document (path relative to ``base``), each alternative list of a
    message in a stable order."""
    pyjing = Path(sys.executable).parent / "pyjing"
    command = str(pyjing) if pyjing.exists() else shutil.which("pyjing")
    env = dict(os.environ, JAVA_TOOL_OPTIONS="-Xss8m")
    done = subprocess.run(
        [command, str(schema), *map(str, documents)], capture_output=True, text=True, env=env
    )
    found: dict[str, list[str]] = {str(d.relative_to(base)): [] for d in documents}
    for line in done.stdout.splitlines():
        match = re.match(r"(.*?):(\d+:\d+: (?:fatal|error): .*)$", line)
        if not match:
            continue
        message = match.group(2)
        alternatives = re.match(r"(.*?; )(must be |expected )(.*)$", message)
        if alternatives:
            words = re.split(r", (?:must be )?| or (?:must be )?", alternatives.group(3))
            message = alternatives.group(1) + alternatives.group(2) + " | ".join(sorted(words))
        key = str(Path(match.group(1)).resolve().relative_to(base))
        found.setdefault(key, []).append(message)
    return {key: sorted(messages) for key, messages in found.items()}


def without_alternatives(messages: list[str]) -> list[str]:
    """The errors without the list of what Jing expected instead (it names every attribute
    an element may have, so a schema of a later TEI version lists ``generatedBy`` too)."""
    return sorted(re.sub(r"; (?:must be|expected) .*$", "", m) for m in messages)


def missing(case: Case, shared: Path) -> str | None:
    if not case.odd(shared).is_file():
        return f"the ODD is not in the reference data ({case.odd(shared)})"
    if shutil.which("java") is None:
        return "Java is not installed (Jing needs it)"
    return None


def run_case(case: Case, shared: Path, work: Path) -> dict[str, object] | str:
    """The numbers of one case, or why it was skipped."""
    from tei_cable.diagnostics import Severity
    from tei_cable.odd import OddError, compile_odd

    reason = missing(case, shared)
    if reason:
        return reason
    p5subset = shared / "tei" / "p5subset.xml"
    source = None if case.source_relative else (p5subset if p5subset.is_file() else None)
    started = time.perf_counter()
    try:
        compiled = compile_odd(case.odd(shared), source=source, download=False)
    except OddError as error:
        return f"our compiler refused the ODD: {error}"
    seconds = time.perf_counter() - started
    errors = [d for d in compiled.diagnostics if d.severity >= Severity.ERROR]
    warnings = [d for d in compiled.diagnostics if d.severity == Severity.WARNING]
    if errors:
        return f"our compiler refused the ODD: {errors[0]}"
    ours = work / f"{case.name}.rng"
    ours.write_bytes(compiled.rng_bytes())
    if not case.published(shared).is_file():
        elements = compiled.rng_bytes().count(b"<element name=")
        return (
            f"compiled ({len(warnings)} warnings, {elements} elements, {seconds:.2f} s); not "
            f"compared: the published RELAX NG is not in the reference data "
            f"({case.published(shared)})"
        )
    documents = case.documents(shared, work)
    if not documents:
        return "no documents found"
    base = Path(os.path.commonpath([d.resolve() for d in documents]))
    if base.is_file():
        base = base.parent
    documents = [d.resolve() for d in documents]
    theirs = jing_errors(case.published(shared), documents, base)
    mine = jing_errors(ours, documents, base)
    same_verdict = sum(bool(theirs[d]) == bool(mine[d]) for d in theirs)
    same_places = sum(
        without_alternatives(theirs[d]) == without_alternatives(mine[d]) for d in theirs
    )
    same_errors = sum(theirs[d] == mine[d] for d in theirs)
    differing = sorted(d for d in theirs if theirs[d] != mine[d])
    return {
        "documents": len(theirs),
        "invalid (published)": sum(bool(e) for e in theirs.values()),
        "same verdict": same_verdict,
        "same errors": same_places,
        "same errors and alternatives": same_errors,
        "errors (published)": sum(len(e) for e in theirs.values()),
        "errors (ours)": sum(len(e) for e in mine.values()),
        "warnings compiling": len(warnings),
        "compile s": round(seconds, 2),
        "differing": differing[:5],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--case", action="append", choices=[c.name for c in CASES])
    parser.add_argument("--keep", type=Path, help="keep the schemas and documents made here")
    args = parser.parse_args(argv)
    print(machine())
    print(f"load average {os.getloadavg()[0]:.1f}; reference data {args.shared}")
    chosen = [c for c in CASES if not args.case or c.name in args.case]
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        for case in chosen:
            result = run_case(case, args.shared, work)
            if isinstance(result, str):
                print(
                    f"{case.name}: {'' if result.startswith('compiled') else 'skipped: '}{result}"
                )
                continue
            numbers = ", ".join(f"{k} {v}" for k, v in result.items() if k != "differing")
            print(f"{case.name}: {numbers}")
            for name in result["differing"]:
                print(f"  differs: {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
