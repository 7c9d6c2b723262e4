"""What the pipeline needs of a fetcher, without importing httpx: the result and a protocol.

reader.net.client.Fetcher is the real one; code that only calls `fetch` types its argument as
UrlFetcher, so importing it costs nothing and a test may hand in another.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class FetchResult:
    """A fetched response. `status` is 200 (body read in full) or 304 (body empty)."""

    url: str  # final URL, after redirects
    status: int
    body: bytes
    headers: dict[str, str]  # lowercase names
    etag: str | None
    last_modified: str | None
    content_type: str  # the Content-Type header as sent, charset included ("" if none)
    encoding: str | None  # charset from Content-Type, if any


class UrlFetcher(Protocol):
    async def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
                    accept: str | None = None, max_bytes: int | None = None) -> FetchResult:
        """Fetch `url`, following redirects: status 200 or 304, or a FetchError."""
        ...
