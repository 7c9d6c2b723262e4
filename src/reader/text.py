"""Cleaning untrusted text from the web before it reaches a widget, a terminal or a file,
and the folded form names are compared in."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

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
# Bidi embeddings, overrides and isolates reorder the text after them on screen (a title can
# show one address and hold another), so they never reach a terminal. Zero-width spaces,
# word joiners, byte-order marks and direction marks hide text and misalign single-line
# rows. ZWJ and ZWNJ stay: emoji and several scripts (Persian, Hindi) need them.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
_INVISIBLE = re.compile("[\u202a-\u202e\u2066-\u2069\u200b\u200e\u200f\u2060-\u2064"
                        "\ufeff\u180e\u061c]")
_SPACES = re.compile(r"\s+")


def strip_controls(text: str) -> str:
    """Text fit for a terminal or a file: no escape sequences, control characters or bidi
    overrides; tabs and newlines kept. Everything warreader prints goes through this."""
    return _BIDI.sub("", _CONTROLS.sub("", _ESCAPES.sub("", text)))


def clean_line(text: str | None, limit: int = 500) -> str:
    """A single line of display text: no controls, whitespace collapsed, length capped."""
    if not text:
        return ""
    text = _INVISIBLE.sub("", _CONTROLS_ALL.sub(" ", _ESCAPES.sub("", text)))
    text = _SPACES.sub(" ", text).strip()
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


# Markdown punctuation anywhere in a line, and what starts a heading, list, quote or rule.
_MD_SPECIAL = re.compile(r"[\\`*_\[\]<>#|~=!]")
_MD_LEAD = re.compile(r"^[ \t]*(?:[+\-]|\d{1,9}(?=[.)]))", re.M)


def md_literal(text: str) -> str:
    """Text from the web as literal Markdown: its characters show as written, and no link,
    image, emphasis, HTML, heading, list, quote, table cell or highlight can come of it."""
    return _MD_LEAD.sub(_escape_lead, _MD_SPECIAL.sub(r"\\\g<0>", text))


def _escape_lead(match: re.Match[str]) -> str:
    lead = match.group()  # "1" of "1." takes the backslash after it, "-" before it
    return lead + "\\" if lead[-1].isdigit() else lead[:-1] + "\\" + lead[-1]


# The extractor folds every capitalised token: a cache keeps that off its profile.
@lru_cache(maxsize=65536)
def fold(name: str) -> str:
    """A comparison key for a name: accents removed, case folded, apostrophes dropped,
    hyphens as spaces, spaces collapsed ("Zelenskyy’s" and "zelenskyys" fold alike). The
    extractor and the index compare names in this one form."""
    if not name.isascii():
        name = unicodedata.normalize("NFKD", name)
        name = "".join(c for c in name if not unicodedata.combining(c))
    name = name.casefold().replace("’", "").replace("'", "").replace("-", " ")
    return " ".join(name.split())


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
