"""Decoding page bytes and turning a cleaned HTML tree into safe Markdown.

Shared by reader.content.article for whole pages and for feed summaries. Nothing here chooses
what the story is; it only makes whatever HTML it is given safe and readable.
"""

from __future__ import annotations

import codecs
import html as html_module
import re
from typing import Any
from urllib.parse import urljoin, urlsplit

from reader.text import strip_controls

# Elements whose content is never story text.
_DROP = ("script", "style", "noscript", "iframe", "object", "embed", "form", "button", "input",
         "select", "textarea", "svg", "template", "canvas", "video", "audio", "source", "head",
         "link", "meta")
_KEEP_ATTRS = {"href", "src", "alt", "title"}
_LINK_SCHEMES = {"http", "https", "mailto"}
_IMAGE_SCHEMES = {"http", "https"}

_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_:.\-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([a-zA-Z0-9_.\-]+)""", re.I)
# Browsers read these labels as windows-1252 (WHATWG Encoding), so must we.
_AS_CP1252 = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "us-ascii", "ascii", "l1"}

# Raw escape sequences in page source. Bounded, unlike reader.text's, so an unterminated
# OSC cannot swallow the rest of the document; what is left is removed by strip_controls.
_RAW_ESCAPES = re.compile(
    r"\x1b\[[0-?]{0,32}[ -/]{0,8}[@-~]"
    r"|\x1b\][^\x07\x1b<]{0,256}(?:\x07|\x1b\\)?"
    r"|\x9b[0-?]{0,32}[ -/]{0,8}[@-~]"
)
# Character references that would put control characters into the parsed text. Browsers
# read &#128;-&#159; as windows-1252 (html.unescape does too); C0 controls are dropped.
_CONTROL_REFS = re.compile(r"&#(?:[xX]0*([0-9a-fA-F]{1,6})|0*([0-9]{1,7}));?")
_BLANK_RUNS = re.compile(r"\n[ \t]*(?:\n[ \t]*)+")
_TRAILING_SPACE = re.compile(r"[ \t]+\n")
_URL_ESCAPES = str.maketrans({"(": "%28", ")": "%29", " ": "%20", "<": "%3C", ">": "%3E"})
_EMPTY_LINK = re.compile(r"(?<!!)\[\s*\]\([^)]*\)")


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in _AS_CP1252:
        return "cp1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode_html(data: bytes | str, content_type: str | None = None) -> str:
    """Page bytes as text: BOM, then the HTTP charset, then <meta charset>, then UTF-8,
    then windows-1252. Never raises on bad bytes; undecodable bytes become U+FFFD."""
    if isinstance(data, str):
        return data
    for bom, name in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                      (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(name, errors="replace")
    declared = None
    if content_type and "charset=" in content_type.lower():
        declared = _codec(content_type.lower().split("charset=", 1)[1].split(";")[0])
    if declared is None:
        head = data[:4096]
        match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
        declared = _codec(match.group(1).decode("ascii", "ignore")) if match else None
    if declared and declared.startswith("utf-16"):
        declared = "utf-8"  # a page that reached us as bytes and says UTF-16 in ASCII is lying
    if declared:
        try:
            return data.decode(declared)
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    return data.decode(declared or _guess_charset(data), errors="replace")


def _guess_charset(data: bytes) -> str:
    """The likeliest charset of undeclared, non-UTF-8 bytes (windows-1252 if unsure)."""
    try:  # installed with trafilatura, which uses it for the same purpose
        from charset_normalizer import from_bytes
    except ImportError:
        return "cp1252"
    best = from_bytes(data[:65536]).best()
    return _codec(best.encoding if best else None) or "cp1252"


def _control_ref(match: re.Match[str]) -> str:
    hex_digits, digits = match.groups()
    code = int(hex_digits, 16) if hex_digits else int(digits)
    if code in (9, 10, 13) or 32 <= code < 127 or code > 159:
        return match.group(0)
    return html_module.unescape(match.group(0)) if code >= 128 else ""


def strip_raw_controls(html: str) -> str:
    """Page source without escape sequences, control characters (tabs/newlines kept) or
    character references to control characters."""
    return _CONTROL_REFS.sub(_control_ref, strip_controls(_RAW_ESCAPES.sub("", html)))


def absolute_url(value: str | None, base: str | None, schemes: set[str]) -> str | None:
    """`value` resolved against `base`, or None unless it ends up with an allowed scheme."""
    if not value:
        return None
    value = "".join(value.split())  # browsers ignore whitespace inside URLs ("java script:")
    if base:
        try:
            value = urljoin(base, value)
        except ValueError:
            return None
    try:
        scheme = urlsplit(value).scheme.lower()
    except ValueError:
        return None
    return value if scheme in schemes else None


def text_of(el: Any) -> str:
    """All the text inside an element (works on lxml.etree and lxml.html elements)."""
    return "".join(el.itertext())


def drop_tree(el: Any) -> None:
    """Remove an element and its content, keeping the text that follows it."""
    parent = el.getparent()
    if parent is None:
        return
    _move_tail(el, el.tail)
    parent.remove(el)


def drop_tag(el: Any) -> None:
    """Replace an element by its content (text and children)."""
    parent = el.getparent()
    if parent is None:
        return
    _move_tail(el, el.text)
    index = parent.index(el)
    for offset, child in enumerate(list(el)):
        parent.insert(index + offset, child)  # moves the child out of el, in front of it
    _move_tail(el, el.tail)
    parent.remove(el)


def _move_tail(el: Any, text: str | None) -> None:
    """Append `text` to whatever precedes `el` in document order."""
    if not text:
        return
    prev = el.getprevious()
    if prev is not None:
        prev.tail = (prev.tail or "") + text
    else:
        parent = el.getparent()
        parent.text = (parent.text or "") + text


def _md_safe(url: str) -> str:
    """A URL that cannot end a Markdown link early: parentheses, spaces and angle brackets
    percent-encoded (image CDNs write "filters:focal(0x0:20x20)/" into paths)."""
    return url.translate(_URL_ESCAPES)


def clean_tree(root: Any, base_url: str | None) -> None:
    """Make an lxml HTML tree safe in place: drop non-content elements and attributes,
    resolve links and images against `base_url`, unwrap links that are not http(s)/mailto,
    remove images that are not http(s)."""
    for el in list(root.iter(*_DROP)):
        if el is not root and el.getparent() is not None:
            drop_tree(el)
    for el in list(root.iter("a", "img")):
        if el.tag == "a":
            href = absolute_url(el.get("href"), base_url, _LINK_SCHEMES)
            if href is None:
                drop_tag(el)  # keep the words, lose the link
                continue
            el.set("href", _md_safe(href))
        else:
            src = el.get("src")
            if not src or src.startswith("data:"):
                src = el.get("data-src") or el.get("data-original") or src
            url = absolute_url(src, base_url, _IMAGE_SCHEMES)
            if url is None:
                drop_tree(el)
                continue
            el.set("src", _md_safe(url))
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue  # comments and processing instructions
        for name in list(el.attrib):
            if name not in _KEEP_ATTRS:
                del el.attrib[name]


def tree_to_markdown(root: Any) -> str:
    """Markdown for a cleaned tree (see clean_tree), tidied and free of control characters."""
    import lxml.html
    from markdownify import markdownify

    html = lxml.html.tostring(root, encoding="unicode", method="html")
    try:
        md = markdownify(html, heading_style="ATX", bullets="-", newline_style="backslash",
                         strip=list(_DROP))
    except RecursionError:  # absurdly deep nesting: keep the words, lose the formatting
        md = "\n\n".join(t.strip() for t in root.itertext() if t.strip())
    return tidy_markdown(md)


def tidy_markdown(md: str) -> str:
    """No control characters, no empty links, no trailing spaces, at most one blank line."""
    md = strip_controls(md).replace("\xa0", " ")
    md = _EMPTY_LINK.sub("", md)
    md = _TRAILING_SPACE.sub("\n", md + "\n")
    md = _BLANK_RUNS.sub("\n\n", md)
    return md.strip()
