"""Which addresses warreader fetches: http and https with a host, checked before any I/O.

No httpx here, so the add-feed dialog can check what the reader typed without loading it.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from reader.errors import FetchError


def check_url(url: str) -> str:
    """The host of an http(s) URL; FetchError, in words fit for the reader, for any other
    scheme, a URL without a host, or one that does not parse."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
    except ValueError:
        raise FetchError("This address is not valid.", url=url) from None
    scheme = parts.scheme.lower()
    if not scheme:
        raise FetchError("Please give a web address starting with http:// or https://.",
                         url=url)
    if scheme not in ("http", "https"):
        raise FetchError("Only web addresses starting with http:// or https:// can be fetched"
                         f" (this one is {scheme[:20]}:).", url=url)
    if not host:
        raise FetchError("This address has no host name.", url=url)
    return host


def web_address(url: str) -> str:
    """`url` trimmed, once check_url accepts it."""
    check_url(url)
    return url.strip()
