"""Cleaning untrusted text from the web before it reaches a widget, a terminal or a file."""

from __future__ import annotations

import re

# ANSI/VT escape sequences: CSI, OSC (ended by BEL or ST), and lone two-byte escapes.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI ... final byte
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC ... BEL/ST
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS/SOS/PM/APC ... ST
    r"|\x1b[@-Z\\-_]"  # two-byte escapes
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
)
# C0 controls except tab/newline, DEL, and C1 controls.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROLS_ALL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"\s+")


def strip_controls(text: str) -> str:
    """Remove escape sequences and control characters, keeping tabs and newlines."""
    return _CONTROLS.sub("", _ESCAPES.sub("", text))


def clean_line(text: str | None, limit: int = 500) -> str:
    """A single line of display text: no controls, whitespace collapsed, length capped."""
    if not text:
        return ""
    text = _CONTROLS_ALL.sub(" ", _ESCAPES.sub("", text))
    text = _SPACES.sub(" ", text).strip()
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def url_name(url: str) -> str:
    """A name for a feed that has no title yet: its host and path ("example.org/world/rss"),
    without the scheme, "www." or a trailing slash."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
    except ValueError:
        return clean_line(url, 200)
    host = parts.netloc.rsplit("@", 1)[-1].removeprefix("www.")
    if not host:
        return clean_line(url, 200)
    path = parts.path.rstrip("/")
    return clean_line(host + path + (f"?{parts.query}" if parts.query else ""), 200)


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key that orders numbers by value: "Feed 6" before "Feed 10"."""
    return tuple((0, int(part)) if part.isdigit() else (1, part)
                 for part in re.split(r"(\d+)", text.casefold()) if part)


def counted(n: int, one: str, many: str | None = None) -> str:
    """`n` with its noun in the right number: "1 story", "2 stories", "1,024 feeds"."""
    return f"{n:,} {one if n == 1 else (many or one + 's')}"
