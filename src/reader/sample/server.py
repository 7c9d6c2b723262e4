"""Serving the bundled sample stories on 127.0.0.1, so they go through the real pipeline."""

from __future__ import annotations

import contextlib
import hashlib
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources

SAMPLE_FEED_PATH = "/feed.xml"
_TYPES = {".xml": "application/rss+xml; charset=utf-8", ".html": "text/html; charset=utf-8"}


def sample_feed_url(base: str) -> str:
    """The address of the sample feed on a server started by `serve_sample`."""
    return base + SAMPLE_FEED_PATH


def _read(path: str) -> bytes | None:
    """The file at a URL path under the bundled `stories` folder, or None."""
    parts = [p for p in path.split("?")[0].split("#")[0].split("/") if p]
    if not parts or any(p in (".", "..") or "\\" in p for p in parts):
        return None
    node = resources.files("reader.sample").joinpath("stories", *parts)
    try:
        return node.read_bytes() if node.is_file() else None
    except OSError:
        return None


@contextlib.contextmanager
def serve_sample() -> Iterator[str]:
    """Serve the sample feed and pages in a background thread; yields the base URL
    ("http://127.0.0.1:PORT"). Every `{BASE}` in a file is replaced by that URL. The server
    answers conditional GETs with 304 and logs nothing; it stops when the block exits."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass  # a TUI owns the terminal

        def do_HEAD(self) -> None:
            self._answer(with_body=False)

        def do_GET(self) -> None:
            self._answer(with_body=True)

        def _answer(self, with_body: bool) -> None:
            body = _read(self.path)
            status = 200
            ctype = next((t for ext, t in _TYPES.items() if self.path.split("?")[0].endswith(ext)),
                         "application/octet-stream")
            if body is None:
                status, body, ctype = 404, b"not found", "text/plain"
            else:
                body = body.replace(b"{BASE}", base.encode())
            etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
            if status == 200 and etag in self.headers.get("If-None-Match", ""):
                status, body = 304, b""
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            if status != 304:  # a 304 has no body, and no length of its own
                self.send_header("Content-Length", str(len(body)))
            self.send_header("ETag", etag)
            self.end_headers()
            if with_body:
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()
