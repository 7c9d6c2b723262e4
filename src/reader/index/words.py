"""The words a timeline fact is compared on when near-duplicates from several stories fold."""

from __future__ import annotations

import re

from reader.index.names import normalise

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_STOPWORDS = (
    """a an the and or but of to in on at by for from with without into onto over under about
    after before during since until as than then that this these those there here it its is
    are was were be been being has have had do does did will would shall should can could may
    might must not no nor so if while which who whom whose what when where why how all any
    both each few more most other some such only own same too very s said says say told
    also just up out off again further once he she they them their his her we our you your i
    me my us one two three new according reported report reports"""
)
STOPWORDS = frozenset(_STOPWORDS.split())


def content_words(sentence: str) -> frozenset[str]:
    """The set of content words of a sentence, normalised like names (so "Kiev's" and
    "Kyiv" are one word), stopwords and 1-letter words dropped."""
    words = (normalise(w) for w in _WORD.findall(sentence))
    return frozenset(w for w in words if len(w) > 1 and w not in STOPWORDS)


def fact_tokens(sentence: str, names: list[str]) -> str:
    """What a fact is compared on when folding near-duplicates, as stored in the index:
    its content words and "@" + each entity it names, space-separated (words never hold
    spaces; a multi-word name's spaces become underscores)."""
    tokens = content_words(sentence) | {"@" + normalise(n) for n in names}
    return " ".join(sorted(t.replace(" ", "_") for t in tokens))
