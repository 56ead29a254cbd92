"""A real headless browser for tests of generated HTML: Debian's Chromium, driven through the
DevTools protocol over a pipe (no extra package). Tests skip, saying why, without Chromium."""

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

import pytest

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "chrome")


def chromium() -> str:
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("Chromium is not installed (Debian: apt-get install chromium)")
    raise AssertionError  # not reached


@dataclass
class Page:
    """What the browser saw: console errors and thrown exceptions, and answers to scripts."""

    errors: list[str] = field(default_factory=list)
    values: dict[str, object] = field(default_factory=dict)


class _Pipe:
    def __init__(self, proc: subprocess.Popen[bytes], write_fd: int, read_fd: int) -> None:
        self.proc = proc
        self.write = os.fdopen(write_fd, "wb", buffering=0)
        self.read = os.fdopen(read_fd, "rb", buffering=0)
        self.next_id = 0
        self.buffer = b""
        self.events: list[dict] = []

    def send(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        self.next_id += 1
        message: dict = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self.write.write(json.dumps(message).encode() + b"\0")
        while True:
            reply = self._receive()
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method: str, timeout: float = 30) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for event in self.events:
                if event.get("method") == method:
                    return event
            self.events.append(self._receive())
        raise TimeoutError(method)

    def _receive(self) -> dict:
        while b"\0" not in self.buffer:
            chunk = self.read.read(1 << 16)
            if not chunk:
                raise RuntimeError("the browser closed the pipe")
            self.buffer += chunk
        data, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(data)


def open_page(path: Path, scripts: dict[str, str], *, screenshot: Path | None = None) -> Page:
    """Load ``path`` in headless Chromium, run each script (an expression) and collect the
    console errors and uncaught exceptions of the page."""
    binary = chromium()
    to_child_r, to_child_w = os.pipe()
    from_child_r, from_child_w = os.pipe()
    profile = tempfile.mkdtemp(prefix="chromium-")
    args = [
        binary,
        "--headless=new",
        "--remote-debugging-pipe",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-extensions",
        "--disable-dev-shm-usage",
        f"--user-data-dir={profile}",
        "about:blank",
    ]

    def fds() -> None:  # the protocol's pipe is the child's fds 3 (in) and 4 (out)
        high_r, high_w = os.dup(to_child_r) + 100, os.dup(from_child_w) + 100
        os.dup2(to_child_r, high_r)
        os.dup2(from_child_w, high_w)
        os.dup2(high_r, 3)
        os.dup2(high_w, 4)
        os.set_inheritable(3, True)
        os.set_inheritable(4, True)

    proc = subprocess.Popen(
        args,
        close_fds=False,  # fds 3 and 4 must stay open in the child
        preexec_fn=fds,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(to_child_r)
    os.close(from_child_w)
    pipe = _Pipe(proc, to_child_w, from_child_r)
    page = Page()
    try:
        target = pipe.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = pipe.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        for domain in ("Page", "Runtime", "Log"):
            pipe.send(f"{domain}.enable", session=session)
        pipe.events.clear()
        pipe.send("Page.navigate", {"url": path.resolve().as_uri()}, session=session)
        pipe.wait_for("Page.loadEventFired")
        for name, expression in scripts.items():
            result = pipe.send(
                "Runtime.evaluate",
                {"expression": expression, "returnByValue": True},
                session=session,
            )
            page.values[name] = result.get("result", {}).get("value")
        if screenshot is not None:
            shot = pipe.send("Page.captureScreenshot", {"format": "png"}, session=session)
            screenshot.write_bytes(base64.b64decode(shot["data"]))
        for event in pipe.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.exceptionThrown":
                page.errors.append(str(params.get("exceptionDetails", {}).get("text")))
            elif method == "Runtime.consoleAPICalled" and params.get("type") == "error":
                page.errors.append(str(params.get("args")))
            elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
                page.errors.append(str(params["entry"].get("text")))
    finally:
        with contextlib.suppress(RuntimeError, OSError):
            pipe.send("Browser.close")
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(profile, ignore_errors=True)
    return page
