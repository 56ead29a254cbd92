"""A progress line on a terminal: files done, files per second, time left, failures so far.

Shown on standard error only when it is a terminal and the run is not in CI (``CI`` set), so
logs and pipes never see it; redrawn at most a few times a second and erased at the end.
"""

from __future__ import annotations

import os
import sys
import time
from collections import deque
from typing import TextIO

#: a run with fewer files than this shows no progress line
MIN_FILES = 20
#: seconds between redraws
INTERVAL = 0.2
#: the rate is measured over this many recent seconds (cached files are much faster)
RATE_WINDOW = 10.0


def wanted(stream: TextIO | None = None) -> bool:
    """Whether a progress line belongs on ``stream`` (default: standard error)."""
    stream = stream or sys.stderr
    if os.environ.get("CI"):
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _clock(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


class Progress:
    """``validating 12,345/50,000 files  412 files/s  ETA 1:31  27 invalid``."""

    def __init__(
        self,
        label: str,
        total: int | None = None,
        *,
        failed: str = "invalid",
        stream: TextIO | None = None,
        enabled: bool | None = None,
    ) -> None:
        self.label = label
        self.total = total
        self.failed_word = failed
        self.stream = stream or sys.stderr
        self.enabled = wanted(self.stream) if enabled is None else enabled
        if total is not None and total < MIN_FILES:
            self.enabled = False
        self.done = 0
        self.failed = 0
        self.cached = 0
        self._started = time.monotonic()
        self._drawn = 0.0
        self._width = 0
        self._recent: deque[tuple[float, int]] = deque()

    def update(self, n: int = 1, *, failed: int = 0, cached: int = 0) -> None:
        """``n`` more files done, ``failed`` of them failed, ``cached`` of them from the cache."""
        self.done += n
        self.failed += failed
        self.cached += cached
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._drawn >= INTERVAL or (self.total is not None and self.done >= self.total):
            self._recent.append((now, self.done))
            while len(self._recent) > 2 and now - self._recent[0][0] > RATE_WINDOW:
                self._recent.popleft()
            self._draw(now)

    def line(self, now: float | None = None) -> str:
        """The progress line as it is drawn now."""
        now = time.monotonic() if now is None else now
        total = f"/{self.total:,}" if self.total is not None else ""
        parts = [f"{self.label} {self.done:,}{total} files"]
        first_time, first_done = self._recent[0] if self._recent else (self._started, 0)
        span = now - first_time
        rate = (self.done - first_done) / span if span > 0 else 0.0
        if rate > 0:
            parts.append(f"{rate:,.0f} files/s")
            if self.total is not None and self.total > self.done:
                parts.append(f"ETA {_clock((self.total - self.done) / rate)}")
        if self.failed:
            parts.append(f"{self.failed:,} {self.failed_word}")
        if self.cached:
            parts.append(f"{self.cached:,} cached")
        return "  ".join(parts)

    def _draw(self, now: float) -> None:
        text = self.line(now)
        pad = " " * max(0, self._width - len(text))
        self._width = len(text)
        self.stream.write(f"\r{text}{pad}")
        self.stream.flush()
        self._drawn = now

    def close(self) -> None:
        """Erase the line (the report's summary says the rest)."""
        if self.enabled and self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
            self._width = 0

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
