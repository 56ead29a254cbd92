"""Every diagnostic code the code base uses is documented, in the code and in the README."""

from __future__ import annotations

import re

from conftest import REPO

from tei_cable.diagnostics import CODES
from tei_cable.odd.problems import CODES as ODD_CODES

CODE_RE = re.compile(r"""["']([RIEOVX]\d{3})["']""")


def used_codes() -> set[str]:
    found: set[str] = set()
    for path in (REPO / "tei_cable").rglob("*.py"):
        found.update(CODE_RE.findall(path.read_text(encoding="utf-8")))
    return found


def test_every_code_used_is_in_a_table() -> None:
    assert used_codes() - set(CODES) - set(ODD_CODES) == set()


def test_every_code_is_listed_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    missing = sorted(code for code in {*CODES, *ODD_CODES} if f"`{code}`" not in readme)
    assert missing == []
