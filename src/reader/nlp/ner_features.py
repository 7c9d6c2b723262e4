"""Features of the entity tagger, shared by training (scripts/train_ner.py) and tagging.

Every feature depends on one token at a fixed offset from the tagged one (or on a
per-token flag), so a tagger can cache the summed weights per word and offset: tagging
then costs a few vector additions per capitalised token instead of dozens of lookups.
"""

from __future__ import annotations

TAGS = ("O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC")
CONTEXT_OFFSETS = (-2, -1, 1, 2)
LINE_BREAK = "<NL>"

# Lowercase tokens that may sit inside a name ("Bank of England", "Ludwig van Beethoven")
CONNECTORS = frozenset(
    ["of", "and", "de", "'s", "’s", "&", "van", "der", "den", "da", "della", "del", "di",
     "for", "the", "von", "la", "le", "du", "al", "bin", "ibn", "on", "upon"]
)


def candidates(words: list[str]) -> list[bool]:
    """Which tokens the tagger looks at: tokens with a capital letter, and connectors
    between two of them. Every other token is outside any entity."""
    caps = [w != w.lower() for w in words]
    out = list(caps)
    n = len(words)
    for i in range(1, n - 1):
        if not caps[i] and caps[i - 1] and words[i] in CONNECTORS:
            if caps[i + 1]:
                out[i] = True
            elif i + 2 < n and caps[i + 2] and words[i + 1] in CONNECTORS:
                out[i] = out[i + 1] = True
    return out


def shape(word: str) -> str:
    """Character classes with runs longer than two shortened: "Kharkiv" → "Xxx"."""
    out: list[str] = []
    prev, run = "", 0
    for c in word[:16]:
        k = "X" if c.isupper() else "x" if c.islower() else "d" if c.isdigit() else c
        if k == prev:
            run += 1
            if run > 2:
                continue
        else:
            prev, run = k, 1
        out.append(k)
    return "".join(out)


def short_shape(word: str) -> str:
    """Character classes with every run collapsed: "Kharkiv" → "Xx", "U.S." → "X.X."."""
    out: list[str] = []
    prev = ""
    for c in word[:16]:
        k = "X" if c.isupper() else "x" if c.islower() else "d" if c.isdigit() else c
        if k != prev:
            out.append(k)
            prev = k
    return "".join(out)


def word_features(word: str, init: bool, upline: bool, gaz: str) -> list[str]:
    """Features of the tagged token itself. `init`: first in its sentence; `upline`: its
    line is all capitals (a headline); `gaz`: its gazetteer flags, one letter each."""
    low = word.lower()
    feats = ["b", "w=" + word, "l=" + low, "sh=" + shape(word), "ss=" + short_shape(word)]
    n = len(low)
    for k in (1, 2, 3, 4):
        if n > k:
            feats.append(f"s{k}=" + low[-k:])
    for k in (1, 2, 3):
        if n > k:
            feats.append(f"p{k}=" + word[:k])
    if init:
        feats.append("i=" + low)
        feats.append("iss=" + short_shape(word))
    if upline:
        feats.append("u=" + low)
    else:
        feats.append("nu")
    for flag in gaz:
        feats.append("g=" + flag)
        if init:
            feats.append("ig=" + flag)
    if n > 12:
        feats.append("long")
    return feats


def context_features(word: str, offset: int) -> list[str]:
    """Features of the token at `offset` from the tagged one."""
    low = word.lower()
    if offset in (-1, 1):
        return [f"{offset}l=" + low, f"{offset}ss=" + short_shape(word), f"{offset}s3=" + low[-3:]]
    return [f"{offset}l=" + low]


def doc_flags(words: list[str], inits: list[bool], cand: list[bool]) -> list[str]:
    """Per token, a string of one-letter document-level flags (only for candidates):
    "L" the word also appears in lowercase, "C" it opens a sentence and appears
    capitalised mid-sentence elsewhere."""
    seen = set(words)
    lows = [w.lower() if c else "" for w, c in zip(words, cand, strict=True)]
    cap_seen = {low for low, init, c in zip(lows, inits, cand, strict=True) if c and not init}
    out: list[str] = []
    for w, low, init, c in zip(words, lows, inits, cand, strict=True):
        if not c:
            out.append("")
            continue
        flags = "L" if low in seen and low != w else ""
        if init and low in cap_seen:
            flags += "C"
        out.append(flags)
    return out


def is_upper_line(line: str) -> bool:
    """A line in capitals with at least four letters (a headline or dateline)."""
    return line.upper() == line and sum(1 for c in line if c.isalpha()) >= 4


def line_flags(
    text: str, spans: list[tuple[int, int]]
) -> tuple[list[bool], list[bool], list[bool]]:
    """Per token: (its line is all capitals, it starts its line, it ends its line)."""
    n = len(spans)
    upline = [False] * n
    first = [False] * n
    last = [False] * n
    i = 0
    while i < n:
        line_start = text.rfind("\n", 0, spans[i][0]) + 1
        line_end = text.find("\n", spans[i][0])
        if line_end < 0:
            line_end = len(text)
        j = i
        while j < n and spans[j][0] < line_end:
            j += 1
        if is_upper_line(text[line_start:line_end]):
            for k in range(i, j):
                upline[k] = True
        first[i] = True
        last[j - 1] = True
        i = j
    return upline, first, last
