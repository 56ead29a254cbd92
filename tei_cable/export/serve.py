"""``tei-cable serve``: the OAI-PMH repository of a folder behind the standard library's
threaded HTTP server (GET and POST, as OAI-PMH asks)."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from .oai import Repository, Settings

#: the path of the OAI-PMH endpoint
ENDPOINT = "/oai"
#: the largest POST body read (OAI-PMH requests are a few arguments)
MAX_BODY = 64 * 1024


class OaiServer(ThreadingHTTPServer):
    """A threaded HTTP server answering OAI-PMH requests from one repository."""

    daemon_threads = True

    def __init__(
        self,
        address: tuple[str, int],
        repository: Repository,
        *,
        public_url: str = "",
        log: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__(address, OaiHandler)
        self.repository = repository
        self.public_url = public_url
        self.log = log

    @property
    def base_url(self) -> str:
        """The OAI-PMH base URL: the public address if given, else this server's own."""
        if self.public_url:
            return self.public_url
        host, port = self.server_address[:2]
        host = f"[{host}]" if ":" in str(host) else host
        return f"http://{host}:{port}{ENDPOINT}"


class OaiHandler(BaseHTTPRequestHandler):
    server: OaiServer
    server_version = "tei-cable-oai"

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        if parts.path.rstrip("/") != ENDPOINT:
            self._plain(404, f"Not found. The OAI-PMH endpoint is {self.server.base_url}\n")
            return
        self._answer(parse_qs(parts.query, keep_blank_values=True))

    def do_POST(self) -> None:
        if urlsplit(self.path).path.rstrip("/") != ENDPOINT:
            self._plain(404, "Not found\n")
            return
        kind = self.headers.get("Content-Type", "").split(";")[0].strip()
        length = int(self.headers.get("Content-Length") or 0)
        if kind != "application/x-www-form-urlencoded" or length > MAX_BODY:
            self._plain(415, "OAI-PMH requests are sent as application/x-www-form-urlencoded\n")
            return
        body = self.rfile.read(length).decode("utf-8", "replace")
        self._answer(parse_qs(body, keep_blank_values=True))

    def _answer(self, arguments: dict[str, list[str]]) -> None:
        data = self.server.repository.respond(arguments, self.server.base_url)
        self.send_response(200)
        self.send_header("Content-Type", "text/xml; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _plain(self, status: int, text: str) -> None:
        data = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        if self.server.log is not None:
            self.server.log(f"{self.address_string()} {format % args}")


def make_server(
    folder: str | Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    settings: Settings | None = None,
    public_url: str = "",
    log: Callable[[str], None] | None = None,
    warn: Callable[[str], None] | None = None,
) -> OaiServer:
    """An :class:`OaiServer` for a folder (``port=0``: any free port); call
    ``serve_forever()`` on it, or :func:`serve_in_thread`."""
    repository = Repository(Path(folder), settings or Settings(), warn=warn)
    return OaiServer((host, port), repository, public_url=public_url, log=log)


def serve_in_thread(server: OaiServer) -> threading.Thread:
    """Run a server in a daemon thread (stop it with ``server.shutdown()``)."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return thread


def stderr_line(text: str) -> None:
    print(text, file=sys.stderr, flush=True)
