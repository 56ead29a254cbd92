"""The package's rooms import each other in one direction only: the ODD compiler and
validation share ``relaxng/`` and ``schematron/``, which import neither, and neither imports
the other."""

from __future__ import annotations

import ast
import re

from conftest import REPO

PACKAGE = REPO / "tei_cable"


def _imports(room: str) -> dict[str, set[str]]:
    """Module path -> the tei_cable rooms it imports (``odd``, ``validate``…)."""
    found: dict[str, set[str]] = {}
    for path in sorted((PACKAGE / room).rglob("*.py")):
        package = path.relative_to(REPO).with_suffix("").parts[:-1]
        rooms = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package[: len(package) - node.level + 1]
                    target = [*base, *(node.module or "").split(".")]
                else:
                    target = (node.module or "").split(".")
                names = [target] if node.module else [[*target, a.name] for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name.split(".") for a in node.names]
            else:
                continue
            for name in names:
                name = [part for part in name if part]
                if len(name) > 1 and name[0] == "tei_cable":
                    rooms.add(name[1])
        found[str(path.relative_to(PACKAGE))] = rooms
    return found


def test_odd_and_validate_do_not_import_each_other() -> None:
    for module, rooms in _imports("odd").items():
        assert "validate" not in rooms, module
    for module, rooms in _imports("validate").items():
        assert "odd" not in rooms, module


def test_the_shared_rooms_import_neither() -> None:
    for room in ("relaxng", "schematron"):
        for module, rooms in _imports(room).items():
            assert not rooms & {"odd", "validate", "cli"}, module
    assert _imports("schematron")["schematron/engine.py"] >= {"findings", "locate"}


def test_both_use_the_shared_rooms() -> None:
    odd = set().union(*_imports("odd").values())
    validate = set().union(*_imports("validate").values())
    assert {"relaxng", "schematron", "namespaces"} <= odd
    assert {"relaxng", "schematron", "findings"} <= validate


def test_the_relaxng_core_stands_on_its_own() -> None:
    """relaxng/ imports nothing of the package but the namespaces and safe XML parsing."""
    for module, rooms in _imports("relaxng").items():
        assert rooms <= {"relaxng", "namespaces", "xmlio"}, (module, rooms)


def _defined(name: str) -> list[str]:
    """The modules of the package that define a class or function called ``name``."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            kinds = (ast.ClassDef, ast.FunctionDef)
            if isinstance(node, kinds) and node.name == name:
                found.append(str(path.relative_to(PACKAGE)))
    return found


def test_one_pattern_algebra_one_reader_one_name_class_encoding() -> None:
    """One interned pattern type, one reader of RELAX NG files (following include and
    externalRef), one test of a name against a name class, one datatype library: all in
    relaxng/, used by the ODD compiler and the validator alike."""
    assert _defined("Pattern") == _defined("Patterns") == ["relaxng/patterns.py"]
    assert _defined("Datatype") == ["relaxng/datatypes.py"]
    assert _defined("contains") == ["relaxng/names.py"]
    assert _defined("nc_contains") == []
    # the modules that follow a grammar's rng:include (odd/modules.py did, with its own walk)
    following = re.compile(r'rng\("include"\)|_R \+ "include"|\{_R\}include|local == "include"')
    readers = [
        str(path.relative_to(PACKAGE))
        for path in sorted(PACKAGE.rglob("*.py"))
        if following.search(path.read_text(encoding="utf-8"))
    ]
    assert readers == ["relaxng/read.py"]
    odd = set().union(*_imports("odd").values())
    validate = set().union(*_imports("validate").values())
    assert "relaxng" in odd and "relaxng" in validate
