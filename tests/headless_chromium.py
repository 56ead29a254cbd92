"""A real headless browser for the tests of generated HTML (the export's pages, the schema's
manual): Debian's Chromium, driven over the DevTools protocol through a pipe (no port, no
network, no extra package).

Chromium starts with a fresh profile and no network services; a page is loaded from a file,
its console errors and uncaught exceptions are collected while it loads and runs, JavaScript
measures it, and a screenshot is taken. Tests skip, saying why, where Chromium is missing.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "chrome")
FLAGS = [
    "--headless=new",
    "--remote-debugging-pipe",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1200,900",
]


def chromium_path() -> str | None:
    """The Chromium to use: ``$CHROMIUM``, else the first of :data:`CANDIDATES` on the PATH."""
    configured = os.environ.get("CHROMIUM")
    if configured and os.path.exists(configured):
        return configured
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def chromium() -> str:
    """:func:`chromium_path`, or skip the test saying how to install it."""
    found = chromium_path()
    if found is None:
        pytest.skip(
            "Chromium is not installed (Debian: apt-get install chromium): no browser check"
        )
    return found


class Browser:
    """One Chromium process with one page, over the DevTools pipe (the child's fds 3 and 4)."""

    def __init__(self, executable: str | None = None) -> None:
        self.profile = tempfile.mkdtemp(prefix="tei-cable-chromium-")
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()

        def fds() -> None:  # the protocol's pipe is the child's fds 3 (in) and 4 (out)
            high_r, high_w = os.dup(to_child_r) + 100, os.dup(from_child_w) + 100
            os.dup2(to_child_r, high_r)
            os.dup2(from_child_w, high_w)
            os.dup2(high_r, 3)
            os.dup2(high_w, 4)
            os.set_inheritable(3, True)
            os.set_inheritable(4, True)

        self.process = subprocess.Popen(
            [executable or chromium(), *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
            close_fds=False,  # fds 3 and 4 must stay open in the child
            preexec_fn=fds,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_child_r)
        os.close(from_child_w)
        self._write = os.fdopen(to_child_w, "wb", buffering=0)
        self._read = os.fdopen(from_child_r, "rb", buffering=0)
        self._buffer = b""
        self._next_id = 0
        self.session: str | None = None
        self.events: list[dict[str, Any]] = []
        try:
            target = self.call("Target.createTarget", url="about:blank")["targetId"]
            attached = self.call("Target.attachToTarget", targetId=target, flatten=True)
            self.session = attached["sessionId"]
            for domain in ("Page", "Runtime", "Log"):
                self.call(f"{domain}.enable")
        except Exception:
            self.close()
            raise

    # -- the protocol ---------------------------------------------------------------------
    def call(self, method: str, **params: Any) -> dict[str, Any]:
        """Send one command (to the page once attached) and return its result; the events
        that arrive meanwhile are kept in :attr:`events`."""
        self._next_id += 1
        ident = self._next_id
        message: dict[str, Any] = {"id": ident, "method": method, "params": params}
        if self.session:
            message["sessionId"] = self.session
        self._write.write(json.dumps(message).encode() + b"\0")
        while True:
            reply = self._receive()
            if reply.get("id") == ident:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def _receive(self, deadline: float | None = None) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            if deadline is not None and time.monotonic() > deadline:
                raise TimeoutError("no answer from the browser")
            chunk = self._read.read(1 << 16)
            if not chunk:
                raise RuntimeError("the browser closed the pipe")
            self._buffer += chunk
        data, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(data)

    # -- what the tests do ----------------------------------------------------------------
    def load(self, path: Path, timeout: float = 60) -> None:
        """Open a file and wait until it has loaded; forget the events of earlier pages."""
        self.events.clear()
        self.call("Page.navigate", url=path.resolve().as_uri())
        deadline = time.monotonic() + timeout
        while not any(e.get("method") == "Page.loadEventFired" for e in self.events):
            self.events.append(self._receive(deadline))

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (an exception is an error)."""
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(str(result["exceptionDetails"]))
        return result["result"].get("value")

    def console_errors(self) -> list[str]:
        """Errors the page logged and exceptions it threw since it was loaded."""
        found = []
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.exceptionThrown":
                found.append(str(params.get("exceptionDetails", {}).get("text")))
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                found.append(str(params.get("args")))
            elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
                found.append(str(params["entry"].get("text")))
        return found

    def screenshot(self, path: Path, max_height: int = 6000) -> Path:
        """A PNG of the page, its whole width and up to ``max_height`` pixels of its length."""
        metrics = self.call("Page.getLayoutMetrics")
        size = metrics.get("cssContentSize") or metrics["contentSize"]
        clip = {
            "x": 0,
            "y": 0,
            "width": size["width"],
            "height": min(size["height"], max_height),
            "scale": 1,
        }
        data = self.call(
            "Page.captureScreenshot", format="png", clip=clip, captureBeyondViewport=True
        )
        path.write_bytes(base64.b64decode(data["data"]))
        return path

    def close(self) -> None:
        with contextlib.suppress(RuntimeError, OSError, ValueError):
            self.session = None
            self.call("Browser.close")
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for stream in (self._write, self._read):
            with contextlib.suppress(OSError):
                stream.close()
        shutil.rmtree(self.profile, ignore_errors=True)


@dataclass
class Page:
    """What the browser saw of one page: console errors and thrown exceptions, and the
    values of the scripts run in it."""

    errors: list[str] = field(default_factory=list)
    values: dict[str, object] = field(default_factory=dict)


def open_page(path: Path, scripts: dict[str, str], *, screenshot: Path | None = None) -> Page:
    """Load ``path`` in a new headless Chromium, run each script (an expression), take a
    screenshot if asked, and collect the page's console errors and uncaught exceptions."""
    browser = Browser()
    try:
        browser.load(path)
        page = Page()
        for name, expression in scripts.items():
            page.values[name] = browser.evaluate(expression)
        if screenshot is not None:
            browser.screenshot(screenshot)
        page.errors = browser.console_errors()
        return page
    finally:
        browser.close()
