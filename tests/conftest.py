"""Shared fixtures: an isolated home for every test, and a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from reader.paths import HOME_ENV, Paths, default_paths
from reader.store import Store


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Paths:
    """Point every warreader and XDG folder at tmp_path so no test touches the real home."""
    home = tmp_path / "home"
    monkeypatch.setenv(HOME_ENV, str(home))
    for var, sub in (("XDG_CONFIG_HOME", "xdg-config"), ("XDG_DATA_HOME", "xdg-data"),
                     ("XDG_CACHE_HOME", "xdg-cache")):
        monkeypatch.setenv(var, str(tmp_path / sub))
    return default_paths()


# A route answers (status, headers, body) for a request; body may be bytes or a callable
# that writes to the handler itself (for slow or endless bodies).
Handler = Callable[[BaseHTTPRequestHandler], tuple[int, dict[str, str], bytes] | None]


@dataclass
class LocalServer:
    """A threaded HTTP server on 127.0.0.1 serving a dict of path -> handler or bytes."""

    routes: dict[str, Handler | bytes | str] = field(default_factory=dict)
    hits: dict[str, int] = field(default_factory=dict)
    base: str = ""

    def url(self, path: str) -> str:
        return self.base + path


@pytest.fixture
def local_server() -> Iterator[LocalServer]:
    state = LocalServer()

    class _Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # quiet tests
            pass

        def do_GET(self) -> None:
            path = self.path
            state.hits[path] = state.hits.get(path, 0) + 1
            route = state.routes.get(path)
            if route is None:
                self._send(404, {"Content-Type": "text/plain"}, b"not found")
                return
            if isinstance(route, (bytes, str)):
                body = route.encode() if isinstance(route, str) else route
                ctype = "text/html; charset=utf-8"
                if path.endswith((".xml", ".rss", ".atom")):
                    ctype = "application/xml"
                elif path.endswith(".json"):
                    ctype = "application/json"
                self._send(200, {"Content-Type": ctype}, body)
                return
            answer = route(self)
            if answer is not None:  # a handler that wrote its own response returns None
                self._send(*answer)

        def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            if "Content-Length" not in headers:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """An empty cache in a real SQLite file."""
    s = Store(tmp_path / "cache.sqlite3")
    yield s
    s.close()
