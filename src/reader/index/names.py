"""Name normalisation for the cross-story entity index.

Names are compared after folding (case, accents, apostrophes, hyphens), dropping a possessive,
and mapping known variant spellings to one canonical form. The variant table is the one the
entity extractor uses (reader/nlp/data/aliases.json, read directly: the extractor's own index
of it is keyed for its tokenizer); if it cannot be read, a small built-in table of the
commonest variants stands in.
"""

from __future__ import annotations

import json
import re
from functools import cache, lru_cache
from importlib import resources

from reader.text import fold  # re-exported: the one fold

_POSSESSIVE = re.compile(r"(?:['’]s|(?<=s)['’])$", re.IGNORECASE)

# Used only when the extractor's table is unavailable.
_FALLBACK_VARIANTS: dict[str, tuple[str, ...]] = {
    "Kyiv": ("Kiev",),
    "Kharkiv": ("Kharkov",),
    "Kupiansk": ("Kupyansk", "Kup'yansk"),
    "Izium": ("Izyum",),
    "Zaporizhzhia": ("Zaporozhye", "Zaporizhzhya", "Zaporizhia"),
    "Odesa": ("Odessa",),
    "Mykolaiv": ("Nikolaev", "Mykolayiv"),
    "Donbas": ("Donbass",),
    "Volodymyr Zelenskiy": ("Zelenskiy", "Zelensky", "Zelenskyy", "Volodymyr Zelensky",
                            "Volodymyr Zelenskyy", "Vladimir Zelensky"),
    "Vladimir Putin": ("Putin",),
}


@cache
def _variants() -> dict[str, str]:
    """Folded variant → folded canonical name."""
    table: dict[str, str] = {}
    try:
        raw = resources.files("reader.nlp").joinpath("data", "aliases.json").read_text("utf-8")
        for names in json.loads(raw).values():
            for canon, variants in names.items():
                for variant in (canon, *variants):
                    table.setdefault(fold(variant), fold(canon))
    except (ImportError, OSError, ValueError, AttributeError, TypeError):
        table.clear()
    if not table:
        for canon, variants in _FALLBACK_VARIANTS.items():
            for variant in (canon, *variants):
                table[fold(variant)] = fold(canon)
    return table


def strip_possessive(name: str) -> str:
    """ "Zelensky's" → "Zelensky"; "Forces'" → "Forces"; other names unchanged."""
    return _POSSESSIVE.sub("", name.strip()) or name.strip()


@lru_cache(maxsize=100_000)  # names and words repeat across thousands of stories
def normalise(name: str) -> str:
    """The comparison form of a name: possessive dropped, folded, known variants mapped to
    their canonical spelling. Two names are the same entity when these are equal."""
    folded = fold(strip_possessive(name))
    return _variants().get(folded, folded)


def display_fold(name: str) -> str:
    """A looser key that only collapses case and possessives: used to drop repeated aliases
    while keeping genuine spelling variants ("Kiev" beside "Kyiv") visible."""
    return strip_possessive(name).casefold()
