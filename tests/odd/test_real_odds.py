"""Published ODDs of real TEI projects: our schema against the project's own RELAX NG, with
Jing, on the project's documents (verdicts and every error, position and message)."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import SHARED, jing
from odd_helpers import CORPUS, P5SUBSET, need

from tei_cable.diagnostics import Severity
from tei_cable.odd import compile_odd

CMIF = SHARED / "formats" / "cmif"


def errors(output: str) -> list[str]:
    """Jing's errors, one per line, the alternatives of a message in a stable order."""
    found = []
    for line in output.splitlines():
        match = re.match(r"(.*?:\d+:\d+: error: .*?; )(must be .*)$", line)
        if match:
            alternatives = re.split(r", (?:must be )?| or (?:must be )?", match.group(2)[8:])
            line = match.group(1) + "must be " + " | ".join(sorted(alternatives))
        if ": error: " in line:
            found.append(line)
    return sorted(found)


def test_cmif_odd_gives_the_verdicts_of_the_published_cmif_schema(tmp_path):
    """The correspondence SIG's CMIF: 34 documents (its examples and templates, letters of
    two editions), 476 errors from Jing: the same ones, at the same places."""
    odd = need(CMIF / "cmi-customization.odd")
    compiled = compile_odd(odd, source=need(P5SUBSET), download=False)
    assert not [d for d in compiled.diagnostics if d.severity >= Severity.WARNING]
    ours = tmp_path / "cmif.rng"
    ours.write_bytes(compiled.rng_bytes())
    docs = sorted(
        [
            *CMIF.glob("examples/*.xml"),
            *CMIF.glob("templates/*.xml"),
            *need(CORPUS / "TEI-Correspondence-SIG__CMIF").glob("*/*.xml"),
            *need(CORPUS / "arthur-schnitzler__schnitzler-cmif").glob("*.xml"),
        ]
    )
    assert len(docs) >= 30
    theirs = errors(jing(CMIF / "cmi-customization.rng", *docs).stdout)
    mine = errors(jing(ours, *docs).stdout)
    assert len(theirs) > 100  # the published schema finds real faults in these files
    assert mine == theirs
    invalid = {Path(line.split(":")[0]).name for line in theirs}
    assert invalid == {Path(line.split(":")[0]).name for line in mine}
