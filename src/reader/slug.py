"""File-name slugs for saved stories.

A slug is lower-case letters and digits joined by single hyphens. Latin letters lose their
accents ("Bucha Café" -> "bucha-cafe"); letters of other scripts are kept as they are, so a
Ukrainian or Russian title stays readable ("Балаклія" -> "балаклія", with й, ї and ё intact)
instead of becoming a lossy transliteration. Everything else (punctuation, dots, slashes,
spaces, control and formatting characters) becomes a hyphen, so a slug can never hold a path
separator, "..", a leading dot or an escape sequence.
"""

from __future__ import annotations

import unicodedata

from reader.text import strip_controls

UNTITLED = "untitled"
MAX_BYTES = 180  # with a date prefix, counter and extension, well under 255-byte file names
_WINDOWS_RESERVED = frozenset(
    ["con", "prn", "aux", "nul"]
    + [f"com{i}" for i in range(10)] + [f"lpt{i}" for i in range(10)]
)
# Latin letters with no Unicode decomposition to an ASCII base.
_LATIN_EXTRA = {
    "ß": "ss", "ẞ": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ø": "o", "Ø": "o",
    "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "þ": "th", "Þ": "th",
    "ı": "i", "ħ": "h", "Ħ": "h",
}


def _fold(ch: str) -> str:
    """One character as slug text: accented Latin to ASCII, other letters unchanged."""
    if ch.isascii():
        return ch
    if ch in _LATIN_EXTRA:
        return _LATIN_EXTRA[ch]
    decomposed = unicodedata.normalize("NFKD", ch)
    if decomposed[0].isascii():
        # é -> e + U+0301, ﬁ -> fi, ² -> 2: keep the ASCII part, drop the marks.
        return "".join(c for c in decomposed if c.isascii())
    return ch  # й, ї, ё, Cyrillic and other scripts: keep the composed letter


def slugify(title: str, max_len: int = 80) -> str:
    """A safe, readable file-name stem for `title`.

    Promises: non-empty ("untitled" when nothing is left); at most `max_len` characters and
    `MAX_BYTES` UTF-8 bytes; only letters, digits, combining marks following a letter, and
    single inner hyphens; never a Windows device name (CON, NUL, COM1, ...), which get a
    leading underscore. `max_len` must be at least 8.
    """
    if max_len < len(UNTITLED):
        raise ValueError(f"max_len must be at least {len(UNTITLED)}")
    out: list[str] = []
    for ch in unicodedata.normalize("NFC", strip_controls(title)):
        for c in _fold(ch).lower():
            if c.isalnum() and c.isprintable():
                out.append(c)
            elif unicodedata.category(c).startswith("M") and out and out[-1] != "-":
                out.append(c)  # Devanagari vowel signs and the like belong to the word
            elif out and out[-1] != "-":
                out.append("-")
    slug = _cap("".join(out).strip("-"), max_len)
    if not slug:
        return UNTITLED
    if slug in _WINDOWS_RESERVED:
        slug = "_" + slug
    return slug


def _cap(slug: str, max_len: int) -> str:
    """Cut `slug` to the limits, at a hyphen when one falls in the last 40% of the room."""
    room = max_len
    while len(slug[:room].encode("utf-8")) > MAX_BYTES:
        room -= 1
    if len(slug) <= room:
        return slug
    cut = slug[:room]
    hyphen = cut.rfind("-")
    if hyphen >= room * 0.6:
        cut = cut[:hyphen]
    return cut.strip("-")
