"""Feed documents made safe before any parser sees them.

We decode a document ourselves (BOM, XML declaration, HTTP charset, in that order), remove
terminal escape sequences and control characters, and remove any DOCTYPE, so that no parser
ever expands entities a feed declares ("billion laughs", external entities). HTML named
entities such as `&eacute;`, which such DOCTYPEs usually exist for, become character
references first. OPML documents go through the same functions.
"""

from __future__ import annotations

import codecs
import html.entities
import re

from reader.errors import FeedError
from reader.text import strip_controls

_DECLARED = re.compile(rb"^\s*<\?xml[^>]{0,200}?encoding\s*=\s*[\"']([A-Za-z0-9._:-]{1,40})[\"']")
_FIRST_TAG = re.compile(r"<\s*([A-Za-z][\w.:-]*)")
NAMED_ENTITY = re.compile(r"&(?!(?:amp|lt|gt|quot|apos);)([A-Za-z][A-Za-z0-9]{1,31});")
_CHAR_REF = re.compile(r"&#([0-9]{1,8}|[xX][0-9a-fA-F]{1,8});")
_XML_ENTITIES = {"amp", "lt", "gt", "quot", "apos"}
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))


def _codec(name: str | bytes | None) -> str | None:
    if not name:
        return None
    text = name.decode("ascii", "ignore") if isinstance(name, bytes) else name
    try:
        return codecs.lookup(text.strip()).name
    except LookupError:
        return None


def decode_document(body: bytes, charset: str | None = None) -> str:
    """The text of a document: BOM first, then the XML declaration, then the HTTP charset."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return body.decode(name, errors="replace")
    if body.startswith(b"<\x00?\x00"):
        return body.decode("utf-16-le", errors="replace")
    if body.startswith(b"\x00<\x00?"):
        return body.decode("utf-16-be", errors="replace")
    declared = _DECLARED.match(body)
    candidates = [_codec(declared.group(1) if declared else None), _codec(charset), "utf-8"]
    for name in dict.fromkeys(c for c in candidates if c):
        if name.startswith(("utf-16", "utf-32")):
            continue  # declared without a BOM on an ASCII-compatible document: a lie
        try:
            return body.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
    return body.decode("windows-1252", errors="replace")


def _control_ref(match: re.Match[str]) -> str:
    ref = match.group(1)
    try:
        code = int(ref[1:], 16) if ref[0] in "xX" else int(ref)
    except ValueError:
        return match.group(0)
    if (code < 32 and code not in (9, 10, 13)) or 0x7F <= code <= 0x9F:
        return chr(code)
    return match.group(0)


def clean_document(text: str) -> str:
    """`text` without terminal escape sequences or control characters, even as &#27; refs.

    Control-character references become the characters first, so that strip_controls removes
    a whole escape sequence ("&#27;[2J") and not only its first byte; XML forbids most of
    them anyway, and lxml's recovery mangles the text around one.
    """
    text = _CHAR_REF.sub(_control_ref, text)
    return strip_controls(text).lstrip("\ufeff \t\r\n")


def remove_doctypes(text: str) -> str:
    """`text` without any <!DOCTYPE ...> declaration, internal subset included.

    Repeated until nothing changes: removing `<!DOCTYPE a>` from `<!DOC<!DOCTYPE a>TYPE rss
    [...]>` would otherwise splice a working DOCTYPE together. Each pass removes at least
    nine characters, so this ends.
    """
    while True:
        removed = _remove_doctypes_once(text)
        if removed == text:
            return text
        text = removed


def _remove_doctypes_once(text: str) -> str:
    lower = text.lower()
    start = lower.find("<!doctype")
    if start < 0:
        return text
    out: list[str] = []
    pos = 0
    while start >= 0:
        out.append(text[pos:start])
        quote, depth, i = "", 0, start + 9
        while i < len(text):
            ch = text[i]
            if quote:
                quote = "" if ch == quote else quote
            elif ch in "\"'":
                quote = ch
            elif ch == "[":
                depth += 1
            elif ch == "]":
                depth -= 1
            elif ch == ">" and depth <= 0:
                break
            i += 1
        else:
            raise FeedError("The feed's DOCTYPE declaration is never closed; it cannot be read.")
        pos = i + 1
        start = lower.find("<!doctype", pos)
    out.append(text[pos:])
    return "".join(out)


def html_entity_to_ref(match: re.Match[str]) -> str:
    """An HTML named entity as a character reference; an unknown one as literal text."""
    name = match.group(1)
    if name in _XML_ENTITIES:
        return match.group(0)
    if name in html.entities.name2codepoint:
        return f"&#{html.entities.name2codepoint[name]};"
    return f"&amp;{name};"  # undefined once the DOCTYPE is gone; lxml would cut the text there


def first_element(text: str) -> str:
    """Lowercase name of the first element, skipping declarations, comments and PIs."""
    pos = 0
    while True:
        match = _FIRST_TAG.search(text, pos)
        if match is None:
            return ""
        before = text.rfind("<!--", 0, match.start())
        if before >= 0 and text.find("-->", before) > match.start():
            pos = text.find("-->", before) + 3
            continue
        return match.group(1).lower()
