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
