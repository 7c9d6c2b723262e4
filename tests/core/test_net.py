"""reader.net.client against a real HTTP server on 127.0.0.1: limits, redirects, retries, errors."""

from __future__ import annotations

import asyncio
import gzip
import socket
import threading
import time
import tracemalloc
import zlib
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest

from reader.config import NetworkConfig
from reader.errors import FetchError
from reader.net.client import USER_AGENT, Fetcher
from reader.net.urls import check_url

FAST = NetworkConfig(timeout=2.0, connect_timeout=1.0, max_bytes=1_000_000, retries=2)


def fetcher(**changes: Any) -> Fetcher:
    return Fetcher(FAST._replace(**changes), backoff=0.01)


async def test_fetch_returns_body_headers_and_sends_user_agent(local_server) -> None:
    seen: dict[str, str] = {}

    def route(handler: BaseHTTPRequestHandler):
        seen.update({k.lower(): v for k, v in handler.headers.items()})
        return 200, {"Content-Type": "application/rss+xml; charset=windows-1251",
                     "ETag": '"v1"', "Last-Modified": "Sat, 10 Sep 2022 10:00:00 GMT"}, b"<rss/>"

    local_server.routes["/feed"] = route
    async with fetcher() as f:
        result = await f.fetch(local_server.url("/feed"), accept="application/rss+xml")
    assert result.status == 200
    assert result.body == b"<rss/>"
    assert result.url == local_server.url("/feed")
    assert result.etag == '"v1"'
    assert result.last_modified == "Sat, 10 Sep 2022 10:00:00 GMT"
    assert result.content_type.startswith("application/rss+xml")
    assert result.encoding == "windows-1251"
    assert result.headers["etag"] == '"v1"'
    assert seen["user-agent"] == USER_AGENT
    assert seen["accept"] == "application/rss+xml"


async def test_conditional_get_gives_304_with_empty_body(local_server) -> None:
    stamp = "Sat, 10 Sep 2022 10:00:00 GMT"

    def route(handler: BaseHTTPRequestHandler):
        if handler.headers.get("If-None-Match") == '"abc"' or (
                handler.headers.get("If-Modified-Since") == stamp):
            return 304, {"ETag": '"abc"'}, b""
        return 200, {"ETag": '"abc"', "Last-Modified": stamp}, b"<rss>full</rss>"

    local_server.routes["/feed"] = route
    async with fetcher() as f:
        first = await f.fetch(local_server.url("/feed"))
        by_etag = await f.fetch(local_server.url("/feed"), etag=first.etag)
        by_date = await f.fetch(local_server.url("/feed"), last_modified=first.last_modified)
    assert (first.status, first.body) == (200, b"<rss>full</rss>")
    assert (by_etag.status, by_etag.body) == (304, b"")
    assert (by_date.status, by_date.body) == (304, b"")


async def test_redirect_is_followed_and_final_url_reported(local_server) -> None:
    local_server.routes["/old"] = lambda h: (301, {"Location": "/new"}, b"")
    local_server.routes["/new"] = b"moved here"
    async with fetcher() as f:
        result = await f.fetch(local_server.url("/old"))
    assert result.url == local_server.url("/new")
    assert result.body == b"moved here"


async def test_redirect_loop_gives_clear_error(local_server) -> None:
    local_server.routes["/loop"] = lambda h: (302, {"Location": "/loop"}, b"")
    async with fetcher(max_redirects=3) as f:
        with pytest.raises(FetchError, match=r"^Too many redirects \(more than 3\)\.$"):
            await f.fetch(local_server.url("/loop"))
    assert local_server.hits["/loop"] == 4


async def test_redirect_to_file_scheme_is_refused(local_server) -> None:
    local_server.routes["/evil"] = lambda h: (302, {"Location": "file:///etc/passwd"}, b"")
    async with fetcher() as f:
        with pytest.raises(FetchError, match="not http or https"):
            await f.fetch(local_server.url("/evil"))


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/feed",
                                 "javascript:alert(1)", "data:text/xml,<rss/>", "", "http://",
                                 "example.org/feed"])
async def test_non_http_urls_are_rejected_before_any_io(url: str) -> None:
    with pytest.raises(FetchError) as info:
        check_url(url)
    async with fetcher() as f:
        with pytest.raises(FetchError):
            await f.fetch(url)
    assert "http" in str(info.value) or "host" in str(info.value)


async def test_content_length_over_cap_is_rejected_early(local_server) -> None:
    local_server.routes["/big"] = b"x" * 5000
    async with fetcher(max_bytes=1000) as f:
        with pytest.raises(FetchError, match=r"larger than 1 kB; stopped reading"):
            await f.fetch(local_server.url("/big"))
        small = await f.fetch(local_server.url("/big"), max_bytes=5000)
    assert len(small.body) == 5000


async def test_content_length_over_cap_is_rejected_before_reading(local_server) -> None:
    def route(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", str(10**9))  # announced, never sent
        handler.end_headers()
        handler.wfile.write(b"<rss>")
        handler.close_connection = True

    local_server.routes["/liar"] = route
    async with fetcher(max_bytes=20_000_000) as f:
        with pytest.raises(FetchError) as info:
            await f.fetch(local_server.url("/liar"))
    assert str(info.value) == "The response is larger than 20 MB; stopped reading."


def _stream(chunks: int, chunk: bytes, delay: float = 0.0, headers: dict[str, str] | None = None):
    """A route that writes its own response with no Content-Length, piece by piece."""
    sent = {"bytes": 0}

    def route(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        for key, value in (headers or {"Content-Type": "application/xml"}).items():
            handler.send_header(key, value)
        handler.send_header("Connection", "close")
        handler.end_headers()
        try:
            for _ in range(chunks):
                handler.wfile.write(chunk)
                handler.wfile.flush()
                sent["bytes"] += len(chunk)
                if delay:
                    time.sleep(delay)
        except (BrokenPipeError, ConnectionResetError):
            pass
        handler.close_connection = True

    return route, sent


async def test_streamed_body_over_cap_is_cut_off(local_server) -> None:
    route, sent = _stream(chunks=2000, chunk=b"x" * 65536)  # 131 MB if read to the end
    local_server.routes["/endless"] = route
    async with fetcher(max_bytes=200_000) as f:
        with pytest.raises(FetchError, match=r"larger than 200 kB"):
            await f.fetch(local_server.url("/endless"))
    await asyncio.sleep(0.2)
    assert sent["bytes"] < 50_000_000  # the client hung up long before the end


async def test_gzip_bomb_stops_at_cap_without_inflating(local_server) -> None:
    bomb = gzip.compress(b" " * (64 * 1024 * 1024), compresslevel=9)
    assert len(bomb) < 200_000
    local_server.routes["/bomb"] = lambda h: (
        200, {"Content-Type": "application/rss+xml", "Content-Encoding": "gzip"}, bomb)
    tracemalloc.start()
    try:
        async with fetcher(max_bytes=1_000_000) as f:
            with pytest.raises(FetchError, match=r"larger than 1 MB; stopped reading"):
                await f.fetch(local_server.url("/bomb"))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8_000_000, f"peak {peak / 1e6:.1f} MB while reading a 1 MB-capped bomb"


@pytest.mark.parametrize("coding", ["gzip", "deflate", "raw-deflate"])
async def test_compressed_bodies_are_decoded(local_server, coding: str) -> None:
    body = ("<rss><channel><title>Харків</title></channel></rss>" * 200).encode()
    if coding == "gzip":
        data = gzip.compress(body)
    elif coding == "deflate":
        data = zlib.compress(body)
    else:
        packer = zlib.compressobj(wbits=-15)
        data = packer.compress(body) + packer.flush()
    name = "gzip" if coding == "gzip" else "deflate"
    local_server.routes["/z"] = lambda h: (200, {"Content-Encoding": name}, data)
    async with fetcher() as f:
        result = await f.fetch(local_server.url("/z"))
    assert result.body == body


async def test_slow_body_hits_total_timeout(local_server) -> None:
    route, _sent = _stream(chunks=12, chunk=b"<", delay=0.25)  # 3 s if read to the end
    local_server.routes["/slow"] = route
    started = time.monotonic()
    async with fetcher(timeout=1.0) as f:
        with pytest.raises(FetchError) as info:
            await f.fetch(local_server.url("/slow"))
    elapsed = time.monotonic() - started
    assert str(info.value) == "Timed out after 1 s waiting for 127.0.0.1."
    assert info.value.transient
    assert elapsed < 2.0


async def test_total_timeout_covers_the_whole_redirect_chain(local_server) -> None:
    def hop(target: str):
        def route(handler: BaseHTTPRequestHandler):
            time.sleep(0.5)
            return (302, {"Location": target}, b"") if target else (200, {}, b"<rss/>")
        return route

    local_server.routes.update({"/h1": hop("/h2"), "/h2": hop("/h3"), "/h3": hop("")})
    async with fetcher(timeout=1.0) as f:
        with pytest.raises(FetchError, match=r"^Timed out after 1 s waiting for 127.0.0.1.$"):
            await f.fetch(local_server.url("/h1"))  # each hop alone is well within 1 s
        result = await f.fetch(local_server.url("/h3"))
    assert result.body == b"<rss/>"


async def test_http_errors_have_reader_messages(local_server) -> None:
    local_server.routes["/gone"] = lambda h: (404, {}, b"no")
    local_server.routes["/broken"] = lambda h: (500, {}, b"oops")
    async with fetcher(retries=2) as f:
        with pytest.raises(FetchError) as missing:
            await f.fetch(local_server.url("/missing-page"))
        with pytest.raises(FetchError) as broken:
            await f.fetch(local_server.url("/broken"))
    assert str(missing.value) == "The server answered 404 Not Found."
    assert (missing.value.status, missing.value.transient) == (404, False)
    assert str(broken.value) == "The server answered 500 Internal Server Error."
    assert broken.value.status == 500
    assert local_server.hits["/missing-page"] == 1  # a 404 is not retried
    assert local_server.hits["/broken"] == 2  # a 500 is retried once only


async def test_503_is_retried_until_success(local_server) -> None:
    def route(handler: BaseHTTPRequestHandler):
        if local_server.hits["/busy"] < 3:
            return 503, {"Retry-After": "0"}, b"busy"
        return 200, {}, b"<rss/>"

    local_server.routes["/busy"] = route
    async with fetcher(retries=2) as f:
        result = await f.fetch(local_server.url("/busy"))
    assert result.body == b"<rss/>"
    assert local_server.hits["/busy"] == 3


async def test_503_gives_up_after_retries(local_server) -> None:
    local_server.routes["/down"] = lambda h: (503, {}, b"")
    async with fetcher(retries=1) as f:
        with pytest.raises(FetchError, match="503 Service Unavailable") as info:
            await f.fetch(local_server.url("/down"))
    assert info.value.transient
    assert local_server.hits["/down"] == 2


async def test_429_with_long_retry_after_is_not_waited_for(local_server) -> None:
    local_server.routes["/limited"] = lambda h: (429, {"Retry-After": "3600"}, b"")
    started = time.monotonic()
    async with fetcher(retries=3) as f:
        with pytest.raises(FetchError, match="asks to wait 3600 s"):
            await f.fetch(local_server.url("/limited"))
    assert time.monotonic() - started < 1.0
    assert local_server.hits["/limited"] == 1


async def test_connection_refused_message() -> None:
    with socket.socket() as sock:  # a port that was free a moment ago and is now closed
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    async with fetcher(retries=1) as f:
        with pytest.raises(FetchError) as info:
            await f.fetch(f"http://127.0.0.1:{port}/feed")
    assert str(info.value) == "Could not connect to 127.0.0.1: connection refused."
    assert info.value.transient


def _counting_route(delay: float):
    state = {"now": 0, "max": 0}
    lock = threading.Lock()

    def route(handler: BaseHTTPRequestHandler):
        with lock:
            state["now"] += 1
            state["max"] = max(state["max"], state["now"])
        time.sleep(delay)
        with lock:
            state["now"] -= 1
        return 200, {}, b"ok"

    return route, state


@pytest.mark.parametrize(("jobs", "per_host", "expected"), [(10, 2, 2), (3, 10, 3)])
async def test_concurrency_is_bounded(local_server, jobs: int, per_host: int,
                                      expected: int) -> None:
    route, state = _counting_route(0.15)
    for i in range(8):
        local_server.routes[f"/c{i}"] = route
    async with fetcher(jobs=jobs, per_host=per_host) as f:
        results = await asyncio.gather(*(f.fetch(local_server.url(f"/c{i}")) for i in range(8)))
    assert all(r.body == b"ok" for r in results)
    assert state["max"] == expected
