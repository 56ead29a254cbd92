"""The progress line: counts, rate, time left, failures; never off a terminal or in CI."""

from __future__ import annotations

import io

import pytest

from tei_cable.batch.progress import Progress, wanted


def test_the_line_says_done_rate_time_left_and_failures() -> None:
    out = io.StringIO()
    progress = Progress("validating", 1000, stream=out, enabled=True)
    progress._started -= 10  # ten seconds ago
    for index in range(200):
        progress.update(failed=index % 10 == 0, cached=index < 50)
    line = progress.line()
    assert line.startswith("validating 200/1,000 files  ")
    assert "files/s" in line and "ETA " in line
    assert line.endswith("20 invalid  50 cached")
    progress.close()
    assert out.getvalue().startswith("\rvalidating") and out.getvalue().endswith("\r")


def test_no_line_off_a_terminal_in_ci_or_for_a_few_files(monkeypatch: pytest.MonkeyPatch) -> None:
    assert not wanted(io.StringIO())
    monkeypatch.setenv("CI", "true")

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert not wanted(Tty())
    monkeypatch.delenv("CI")
    assert wanted(Tty())
    small = Progress("validating", 5, stream=Tty())
    small.update(5)
    assert not small.enabled and small.stream.getvalue() == ""
