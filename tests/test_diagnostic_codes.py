"""One table of codes (:data:`tei_cable.findings.CODES`): every code and every validation rule
id of the xml and rng engines the code base uses is in it, and the README lists the table."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from conftest import REPO

from tei_cable.diagnostics import CODES as OLD_NAME
from tei_cable.findings import CODES, Finding, Issue, Severity, diagnostic
from tei_cable.odd.problems import CODES as ODD_CODES
from tei_cable.validate import Validator

CODE_RE = re.compile(r"""["']([RIEOVX]\d{3})["']""")


def _sources() -> dict[str, str]:
    return {
        str(path): path.read_text(encoding="utf-8") for path in (REPO / "tei_cable").rglob("*.py")
    }


def used_codes() -> set[str]:
    found: set[str] = set()
    for text in _sources().values():
        found.update(CODE_RE.findall(text))
    return found


def _strings(node: ast.AST) -> set[str]:
    return {
        n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    }


def used_rules() -> set[str]:
    """The rules of every ``Issue(line, column, severity, message, "xml"|"rng", rule)`` and
    every explanation's ``self._report(where, message, rule)`` in the code."""
    found: set[str] = set()
    for text in _sources().values():
        for call in (n for n in ast.walk(ast.parse(text)) if isinstance(n, ast.Call)):
            func = call.func
            if isinstance(func, ast.Name) and func.id == "Issue" and len(call.args) >= 6:
                engine = call.args[4]
                if isinstance(engine, ast.Constant) and engine.value in ("xml", "rng"):
                    found.update(f"{engine.value}:{r}" for r in _strings(call.args[5]))
            elif isinstance(func, ast.Attribute) and func.attr == "_report" and len(call.args) == 3:
                found.update(f"rng:{r}" for r in _strings(call.args[2]))
    return found


def test_every_code_used_is_in_the_table() -> None:
    assert used_codes() - set(CODES) == set()


def test_every_engine_rule_used_is_in_the_table() -> None:
    used = used_rules()
    # the scan sees what it should: the xml engine's and the explanation's rules
    assert {"xml:not-well-formed", "xml:duplicate-id", "rng:unknown-element"} <= used
    assert len([r for r in used if r.startswith("rng:")]) >= 8
    assert used - set(CODES) == set()


def test_the_old_tables_are_views_of_the_one_table() -> None:
    assert OLD_NAME is CODES
    assert {k: v for k, v in CODES.items() if k.startswith("O")} == ODD_CODES
    assert len(ODD_CODES) >= 20


def test_the_readme_lists_the_table() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Diagnostic codes", 1)[1].split("\n## ", 1)[0]
    listed = dict(re.findall(r"^\| `([^`]+)` \| (.+) \|$", section, re.M))
    assert set(listed) == set(CODES)


def test_a_real_validation_finding_has_a_listed_rule(tmp_path: Path) -> None:
    """What the validator reports on a broken document carries rules of the table."""
    bad = tmp_path / "bad.xml"
    bad.write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc xml:id="a">'
        '<titleStmt xml:id="a"><title>t</title></titleStmt></fileDesc></teiHeader>'
        "<text><body><pp>x</pp></body></text></TEI>",
        encoding="utf-8",
    )
    result = Validator("tei_cable", engines=["rng"]).validate_file(bad)
    rules = {f"{i.engine}:{i.rule}" for i in result.issues}
    assert "xml:duplicate-id" in rules
    assert any(r.startswith("rng:") for r in rules)
    assert rules <= set(CODES), rules - set(CODES)


def test_one_type_one_severity_scale() -> None:
    """A reader's finding and a validator's finding are the same type, on the same scale."""
    reader = diagnostic("R101", "no title block", line=3, path="letter.md")
    validation = Issue(4, 2, "error", "element not allowed", "rng", "element-not-allowed")
    assert type(reader) is type(validation) is Finding
    assert reader.severity is Severity.WARNING and validation.severity is Severity.ERROR
    assert Severity.INFO < reader.severity < validation.severity < Severity.FATAL
    assert validation.severity == "error" and validation.severity >= "warning"
    assert reader.format() == "letter.md:3: warning: no title block [R101]"
    assert validation.format("a.xml") == (
        "a.xml:4:2: error: element not allowed [rng:element-not-allowed]"
    )
    assert validation.as_dict()["severity"] == "error"
    assert reader.code == "R101" and reader.rule == "R101"


def test_the_old_name_of_the_finding_type_warns() -> None:
    """``diagnostics.Diagnostic`` still gives the one finding type, with a deprecation warning;
    the package itself uses the new name only."""
    import tei_cable.diagnostics as old

    with pytest.warns(DeprecationWarning, match=r"tei_cable\.findings\.Finding"):
        assert old.Diagnostic is Finding
    with pytest.raises(AttributeError, match="no attribute 'Diagnosis'"):
        old.Diagnosis  # noqa: B018
    users = [
        path for path, text in _sources().items() if re.search(r"\bDiagnostic\b(?! codes)", text)
    ]
    assert users == [str(REPO / "tei_cable" / "diagnostics.py")]
