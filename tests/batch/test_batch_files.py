"""Walking the file list: path order, hidden files, each file once, lazily."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tei_cable.batch.files import count_files, iter_files
from tei_cable.diagnostics import InputError


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    for name in ["b.xml", "a/z.xml", "a/b/c.xml", "a.xml", "a-b/x.XML", ".h/no.xml", "a/.no.xml"]:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("<x/>")
    (tmp_path / "notes.txt").write_text("x")
    return tmp_path


def rel(paths, root: Path) -> list[str]:
    return [Path(p).relative_to(root).as_posix() for p in paths]


def test_folders_are_walked_in_path_order_without_hidden_files(tree: Path) -> None:
    found = rel(iter_files([tree]), tree)
    assert found == ["a/b/c.xml", "a/z.xml", "a-b/x.XML", "a.xml", "b.xml"]
    assert found == sorted(found, key=lambda p: Path(p).parts)
    assert count_files([tree]) == 5


def test_each_file_once_however_often_it_is_named(tree: Path) -> None:
    a = str(tree / "a")
    named = [str(tree / "b.xml"), str(tree), a, str(tree / "a" / "z.xml"), str(tree / "b.xml")]
    found = rel(iter_files(named), tree)
    assert found == ["b.xml", "a/b/c.xml", "a/z.xml", "a-b/x.XML", "a.xml"]
    # an inner folder first, then its parent: the parent adds only the rest
    assert rel(iter_files([a, str(tree)]), tree) == [
        "a/b/c.xml",
        "a/z.xml",
        "a-b/x.XML",
        "a.xml",
        "b.xml",
    ]
    # a hidden file named explicitly is checked; within its folder's walk it is not
    hidden = str(tree / ".h" / "no.xml")
    assert rel(iter_files([tree, hidden]), tree)[-1] == ".h/no.xml"


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_a_link_to_a_listed_file_is_left_out_a_link_to_another_is_kept(tree: Path) -> None:
    os.symlink(tree / "b.xml", tree / "link-to-b.xml")
    os.symlink(tree / ".h" / "no.xml", tree / "link-to-hidden.xml")
    found = rel(iter_files([tree]), tree)
    assert "link-to-b.xml" not in found and "b.xml" in found
    assert "link-to-hidden.xml" in found


def test_a_missing_path_fails_before_any_file_is_given(tree: Path) -> None:
    with pytest.raises(InputError, match="no such file or folder"):
        iter_files([tree, tree / "missing"])


def test_standard_input_once(tree: Path) -> None:
    assert list(iter_files(["-", str(tree / "b.xml"), "-"])) == ["-", str(tree / "b.xml")]
