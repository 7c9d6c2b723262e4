"""What a link really points at, split the way a browser reads it (no Textual here)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from reader.text import clean_line


@dataclass(frozen=True, slots=True)
class LinkParts:
    """A URL split the way a browser will read it: where it goes comes first."""

    scheme: str
    host: str  # as the browser will look it up (IDNA form when not ASCII)
    shown_host: str  # as written, when that differs from `host`
    port: int | None
    userinfo: str  # anything before "@" in the authority: never part of the site
    rest: str  # path, query and fragment

    @property
    def site(self) -> str:
        return f"{self.host}:{self.port}" if self.port else self.host


def link_parts(url: str) -> LinkParts | None:
    """The parts of an http(s) link; None for any other scheme or an unreadable address."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    written = parts.hostname
    try:
        host = written.encode("idna").decode("ascii") if not written.isascii() else written
    except UnicodeError:
        return None
    userinfo = parts.netloc.rpartition("@")[0] if "@" in parts.netloc else ""
    rest = url.strip()[len(parts.scheme) + 3 + len(parts.netloc):]
    return LinkParts(scheme=parts.scheme.lower(), host=host,
                     shown_host=written if written != host else "", port=port,
                     userinfo=clean_line(userinfo, 10_000), rest=clean_line(rest, 10_000))
