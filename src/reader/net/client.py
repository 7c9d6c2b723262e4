"""Fetching URLs: one shared httpx client with the limits a feed reader needs.

Every request is bounded in time (connect, read, and a total deadline per attempt, covering
the whole redirect chain and stopping a body that trickles in a byte at a time), in size
(counted on the decoded body, so a gzip bomb stops at the cap), and in redirects.
Concurrency is bounded globally and per host. Failures become `FetchError` with a message
fit to show a reader. Use one Fetcher per event loop: its semaphores belong to that loop.

Retries: connect errors, 408, 429 (with a Retry-After of at most `MAX_RETRY_AFTER` seconds),
502, 503 and 504 are retried up to `NetworkConfig.retries` times with exponential backoff.
A 500 is retried once, since it is as often a restart as a real bug. Timeouts are not retried:
the attempt already used the whole time budget.
"""

from __future__ import annotations

import asyncio
import email.utils
import errno
import socket
import ssl
import time
import zlib
from http import HTTPStatus
from urllib.parse import urlsplit

import httpx

from reader.config import NetworkConfig
from reader.errors import FetchError
from reader.net.types import FetchResult
from reader.net.urls import check_url

USER_AGENT = "warreader/0.1 (+https://pypi.org/project/warreader/)"
MAX_RETRY_AFTER = 10.0  # seconds; a server asking for a longer wait gets a FetchError instead
_REDIRECTS = {301, 302, 303, 307, 308}
_RETRY_STATUSES = {408, 429, 502, 503, 504}
_CHUNK = 64 * 1024


class _Retry(Exception):
    """An attempt failed in a way worth trying again after `delay` seconds."""

    def __init__(self, error: FetchError, delay: float | None = None) -> None:
        super().__init__(str(error))
        self.error = error
        self.delay = delay



def _seconds(value: float) -> str:
    return f"{value:g}"


def _status_message(status: int) -> str:
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        return f"The server answered {status}."
    return f"The server answered {status} {phrase}."


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _connect_reason(exc: BaseException) -> str:
    """A few words on why a connection failed, from the OS error at the bottom of `exc`."""
    chain: list[BaseException] = []
    cause: BaseException | None = exc
    while cause is not None and len(chain) < 10:
        chain.append(cause)
        cause = cause.__cause__ or cause.__context__
    for error in chain:
        if isinstance(error, ConnectionRefusedError):
            return "connection refused"
        if isinstance(error, socket.gaierror):
            return "no such host" if error.errno == socket.EAI_NONAME else (
                "the name could not be looked up")
        if isinstance(error, ssl.SSLCertVerificationError):
            return "its security certificate is not valid"
        if isinstance(error, ssl.SSLError):
            return "the secure connection failed"
        if isinstance(error, ConnectionResetError):
            return "connection reset"
        if isinstance(error, OSError) and error.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
            return "network unreachable"
    text = " ".join(str(e) for e in chain).lower()
    if "name or service not known" in text or "nodename nor servname" in text:
        return "no such host"
    return "the connection failed"


class _Decoder:
    """Inflates gzip/deflate bodies in bounded steps, so no single step can exceed `limit`."""

    def __init__(self, encoding: str, limit: int) -> None:
        self.encoding = encoding
        self.limit = limit
        self._raw_deflate = False
        self._obj = self._new()

    def _new(self) -> zlib._Decompress:
        if self.encoding == "gzip":
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        return zlib.decompressobj(-zlib.MAX_WBITS if self._raw_deflate else zlib.MAX_WBITS)

    def feed(self, data: bytes, room: int) -> list[bytes]:
        """Decoded pieces of `data`; stops early once more than `room` bytes came out."""
        out: list[bytes] = []
        produced = 0
        while data and produced <= room:
            try:
                piece = self._obj.decompress(data, room - produced + 1)
            except zlib.error:
                if self.encoding == "deflate" and not self._raw_deflate and not out:
                    # Some servers send raw deflate without the zlib header.
                    self._raw_deflate = True
                    self._obj = self._new()
                    continue
                raise
            out.append(piece)
            produced += len(piece)
            if self._obj.eof:  # another gzip member may follow
                data = self._obj.unused_data
                if not data.startswith(b"\x1f\x8b"):
                    break  # trailing bytes after the last member are ignored, as browsers do
                self._obj = self._new()
            else:
                data = self._obj.unconsumed_tail
        return out


class Fetcher:
    """Fetches URLs for the whole app. Use as `async with Fetcher(config) as fetcher:`."""

    def __init__(self, config: NetworkConfig | None = None, *, user_agent: str = USER_AGENT,
                 backoff: float = 0.5) -> None:
        self.config = config or NetworkConfig()
        self.backoff = backoff
        cfg = self.config
        self._client = httpx.AsyncClient(
            follow_redirects=False,  # followed by hand: each hop is checked and counted
            timeout=httpx.Timeout(cfg.timeout, connect=cfg.connect_timeout),
            headers={"User-Agent": user_agent, "Accept-Encoding": "gzip, deflate"},
            limits=httpx.Limits(max_connections=max(cfg.jobs, 1),
                                max_keepalive_connections=max(cfg.jobs, 1)),
        )
        self._jobs = asyncio.Semaphore(max(cfg.jobs, 1))
        self._hosts: dict[str, asyncio.Semaphore] = {}

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()

    def _host_slot(self, host: str) -> asyncio.Semaphore:
        slot = self._hosts.get(host)
        if slot is None:
            slot = self._hosts[host] = asyncio.Semaphore(max(self.config.per_host, 1))
        return slot

    async def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
                    accept: str | None = None, max_bytes: int | None = None) -> FetchResult:
        """Fetch `url`, following redirects. Returns status 200 or 304; raises FetchError."""
        check_url(url)
        headers = {"Accept": accept or "*/*"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        limit = max_bytes if max_bytes is not None else self.config.max_bytes
        attempt = 0
        while True:
            try:
                async with self._jobs:
                    return await self._follow(url, headers, limit, first=attempt == 0)
            except _Retry as retry:
                attempt += 1
                if attempt > self.config.retries:
                    raise retry.error from None
                delay = self.backoff * 2 ** (attempt - 1)
                if retry.delay is not None:
                    delay = max(delay, retry.delay)
                await asyncio.sleep(delay)

    async def _follow(self, url: str, headers: dict[str, str], limit: int,
                      first: bool) -> FetchResult:
        host = check_url(url)
        timeout = self.config.timeout
        left = timeout  # one time budget for the whole redirect chain
        try:
            for _hop in range(self.config.max_redirects + 1):
                host = check_url(url)
                # The clock runs only while a request is under way: waiting for a free slot
                # on a host that other pages keep busy costs this page nothing.
                async with self._host_slot(host.lower()):
                    started = time.monotonic()
                    try:
                        async with asyncio.timeout(left):
                            result = await self._errors(url, host, headers, limit, first)
                    finally:
                        left -= time.monotonic() - started
                if isinstance(result, FetchResult):
                    return result
                url = result
        except TimeoutError:
            raise FetchError(f"Timed out after {_seconds(timeout)} s waiting for {host}.",
                             url=url, transient=True) from None
        raise FetchError(f"Too many redirects (more than {self.config.max_redirects}).",
                         url=url, status=None)

    async def _errors(self, url: str, host: str, headers: dict[str, str], limit: int,
                      first: bool) -> FetchResult | str:
        """_once with httpx's exceptions turned into FetchError (or _Retry for transient ones)."""
        timeout = self.config.timeout
        try:
            return await self._once(url, host, headers, limit, first)
        except httpx.TimeoutException as exc:
            what = "connecting to" if isinstance(exc, httpx.ConnectTimeout) else "waiting for"
            spent = (self.config.connect_timeout if isinstance(exc, httpx.ConnectTimeout)
                     else timeout)
            raise FetchError(f"Timed out after {_seconds(spent)} s {what} {host}.",
                             url=url, transient=True) from None
        except httpx.ConnectError as exc:
            error = FetchError(f"Could not connect to {host}: {_connect_reason(exc)}.",
                               url=url, transient=True)
            raise _Retry(error) from None
        except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as exc:
            error = FetchError(f"The connection to {host} broke off while reading"
                               f" ({type(exc).__name__}).", url=url, transient=True)
            raise _Retry(error) from None
        except httpx.InvalidURL:
            raise FetchError("This address is not valid.", url=url) from None
        except httpx.HTTPError as exc:
            raise FetchError(f"Could not fetch from {host}: {exc}.", url=url,
                             transient=True) from None

    async def _once(self, url: str, host: str, headers: dict[str, str], limit: int,
                    first: bool) -> FetchResult | str:
        """One request: a FetchResult, or the next URL when the server redirects."""
        request = self._client.build_request("GET", url, headers=headers)
        response = await self._client.send(request, stream=True)
        try:
            status = response.status_code
            if status in _REDIRECTS:
                location = response.headers.get("location")
                if not location:
                    raise FetchError(f"The server answered {status} but gave no new address.",
                                     url=url, status=status)
                target = str(response.url.join(location))
                if urlsplit(target).scheme.lower() not in ("http", "https"):
                    raise FetchError("The server redirected to an address that is not http or"
                                     " https.", url=url, status=status)
                return target
            if status == 304:
                return self._result(response, b"")
            if status >= 400:
                raise self._status_error(response, first)
            body = await self._read(response, host, limit)
            return self._result(response, body)
        finally:
            await response.aclose()

    def _status_error(self, response: httpx.Response, first: bool) -> Exception:
        status = response.status_code
        url = str(response.url)
        message = _status_message(status)
        if status in _RETRY_STATUSES or (status == 500 and first):
            wait = _retry_after(response.headers.get("retry-after"))
            error = FetchError(message, url=url, status=status, transient=True)
            if wait is not None and wait > MAX_RETRY_AFTER:
                return FetchError(f"{message[:-1]}; it asks to wait {wait:.0f} s.", url=url,
                                  status=status, transient=True)
            return _Retry(error, wait)
        return FetchError(message, url=url, status=status, transient=status >= 500)

    async def _read(self, response: httpx.Response, host: str, limit: int) -> bytes:
        too_big = FetchError(f"The response is larger than {_size(limit)}; stopped reading.",
                             url=str(response.url), status=response.status_code)
        length = response.headers.get("content-length", "")
        if length.isdigit() and int(length) > limit:
            raise too_big
        coding = response.headers.get("content-encoding", "identity").strip().lower()
        decoder = None
        if coding in ("gzip", "x-gzip", "deflate"):
            decoder = _Decoder("deflate" if coding == "deflate" else "gzip", limit)
        elif coding not in ("", "identity"):
            raise FetchError(f"The server used a compression warreader cannot read"
                             f" ({coding[:20]}).", url=str(response.url),
                             status=response.status_code)
        parts: list[bytes] = []
        size = 0
        try:
            async for raw in response.aiter_raw(_CHUNK):
                pieces = decoder.feed(raw, limit - size) if decoder else [raw]
                for piece in pieces:
                    size += len(piece)
                    if size > limit:
                        raise too_big
                    parts.append(piece)
        except zlib.error:
            raise FetchError(f"The compressed response from {host} is corrupt.",
                             url=str(response.url), status=response.status_code) from None
        return b"".join(parts)

    @staticmethod
    def _result(response: httpx.Response, body: bytes) -> FetchResult:
        headers = {k.lower(): v for k, v in response.headers.items()}
        return FetchResult(
            url=str(response.url), status=response.status_code, body=body, headers=headers,
            etag=headers.get("etag"), last_modified=headers.get("last-modified"),
            content_type=headers.get("content-type", ""), encoding=response.charset_encoding,
        )


def _size(limit: int) -> str:
    if limit >= 1_000_000:
        return f"{limit / 1_000_000:.3g} MB"
    if limit >= 1000:
        return f"{limit / 1000:.3g} kB"
    return f"{limit} bytes"
