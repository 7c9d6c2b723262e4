"""Shared text utilities for the NLP extractors: tokens with offsets, sentences, masking.

Pure functions over plain strings; every offset is a character offset into the text given.
"""

from __future__ import annotations

import re

_TOKEN_RE = re.compile(
    r"[A-Z]{2,}/[A-Z]{2,}(?![\w/])"  # RFE/RL
    r"|[^\W\d_](?:\w|-(?=[^\W_])|['’](?!s\b)(?=[^\W_]))*"  # words, compounds, O'Brien
    r"(?:(?<=\b[A-Za-z])\.(?:[A-Za-z]\.)+(?![A-Za-z])"  # U.S., U.N., a.m.
    r"|(?<=\b[A-Z])\.(?!\S)"  # an initial: "J. Smith"
    r"|(?<=\b(?:Mr|Ms|Dr|Lt|St|Jr|Sr|Mt|Ft|Co))\.(?!\S)"  # titles and shortenings
    r"|(?<=\b(?:Mrs|Gen|Col|Maj|Sgt|Sen|Rep|Gov|Adm|Rev|Jan|Feb|Aug|Oct|Nov|Dec|Inc|Ltd))\.(?!\S)"
    r"|(?<=\b(?:Capt|Prof|Brig|Sept|Corp))\.(?!\S))?"
    r"|['’]s\b"  # possessive, split from its word
    r"|\d+(?:[.,:]\d+)*"  # 1,000  3.5  10:30
    r"|\S",
)

_SENTENCE_END = frozenset(".!?")
_QUOTES_BRACKETS = frozenset("\"'“”‘’()[]«»*_")
# Marks a sentence may open with, after which the next word still opens it: list bullets.
_OPENERS = _QUOTES_BRACKETS | frozenset("•·▪►‣◦-–—")

URL_RE = re.compile(r"(?:https?://|www\.)[^\s)\]>\"']+|\]\([^)\s]*\)")


def tokenize(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of every token in text: words, numbers, abbreviations such as
    "U.S." or "Gen.", a possessive "'s" as its own token, and single punctuation marks."""
    return [m.span() for m in _TOKEN_RE.finditer(text)]


def sentence_starts(text: str, spans: list[tuple[int, int]]) -> list[bool]:
    """For each token, whether it begins a sentence: the first token of a line, or the first
    after ".", "!" or "?" (closing quotes and brackets may sit between)."""
    flags: list[bool] = []
    after_end = True
    prev_end = 0
    find = text.find
    for start, end in spans:
        if find("\n", prev_end, start) >= 0:
            after_end = True
        flags.append(after_end)
        if end - start > 1:
            after_end = False
        elif text[start] in _SENTENCE_END:
            after_end = True
        elif text[start] not in _OPENERS:
            after_end = False
        prev_end = end
    return flags


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of text; line breaks always end a sentence and
    abbreviations like "Gen." or "U.S." do not."""
    spans = tokenize(text)
    starts = sentence_starts(text, spans)
    out: list[tuple[int, int]] = []
    begin: int | None = None
    last_end = 0
    prev_first = prev_quote = False
    for (start, end), first in zip(spans, starts, strict=True):
        # an opening quote and the word after it both count as starts: split once
        if first and begin is not None and not (prev_first and prev_quote):
            out.append((begin, last_end))
            begin = None
        if begin is None:
            begin = start
        last_end = end
        prev_first = first
        prev_quote = end - start == 1 and text[start] in _QUOTES_BRACKETS
    if begin is not None:
        out.append((begin, last_end))
    return out


# One character for one, so that every offset into the normalised text is one into the
# original: curly and prime quotes, no-break and thin spaces, the modifier apostrophe.
_PLAIN = str.maketrans({
    "\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2032": "'", "\u00b4": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
    "\u00a0": " ", "\u2007": " ", "\u2009": " ", "\u202f": " ", "\u2002": " ",
    "\u2003": " ", "\u200a": " ", "\u3000": " ",
    "\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2212": "-", "\u2010": "-",
    "\u2011": "-",
})


def normalise(text: str) -> str:
    """text with typographic quotes, dashes and spaces as their plain ASCII forms, one
    character for one (offsets unchanged). An en or em dash with no space around it between
    two words stays as written, so that "Hlyboke—Lyptsi" never becomes one compound."""
    if text.isascii():
        return text
    out = text.translate(_PLAIN)
    if "-" in out:
        out = _JOINED_DASH.sub(
            lambda m: "-" if text[m.start()] in "-\u2010\u2011" else text[m.start()], out)
    return out


_JOINED_DASH = re.compile(r"(?<=\w)-(?=\w)")


def mask_urls(text: str) -> str:
    """text with URLs and Markdown link targets replaced by spaces (offsets unchanged)."""
    if "http" not in text and "www." not in text and "](" not in text:
        return text
    return URL_RE.sub(lambda m: " " * len(m.group()), text)

