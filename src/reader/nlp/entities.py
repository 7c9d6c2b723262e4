"""People, places and organisations named in article text.

    extract_entities(text) -> list[Entity], most salient first

A learned tagger (ner_tagger) finds the names; this module trims titles and possessives,
types and canonicalises names with a hand-made table of the region's spellings
(data/aliases.json), merges the ways a text refers to one thing (variants, a surname after
the full name, an acronym defined in brackets), finds further mentions of the names it
knows, and ranks entities by how much and how early the story talks about them.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter, defaultdict

from reader.models import Entity
from reader.nlp import ner_tagger
from reader.nlp.ner_lexicon import (
    AMBIGUOUS_TITLES,
    PERSON_TITLES,
    Name,
    alias_index,
    alias_starts,
    key_of,
    teaser_lines,
)
from reader.nlp.textutil import fold, mask_urls, sentence_starts, tokenize

KINDS = {"PER": "person", "LOC": "place", "ORG": "organization"}
_TRIM_END = frozenset(["'s", "’s", "'", "’", "of", "and", "the", "&", "-", ",", "."])
# Words capitalised only because they open a sentence or heading ("With Kupiansk gone",
# "Who is leading..."): never the first word of a name.
_TRIM_START = frozenset(["with", "who", "what", "when", "where", "why", "how", "after",
                         "before", "as", "while", "since", "until", "despite", "without",
                         "if", "but", "so", "yet", "although", "though", "because"])
TEASER_WEIGHT = 0.2  # a mention in a headline, caption or teaser counts this much


class _Mention:
    __slots__ = ("end", "group", "i", "j", "key", "kind", "start", "surface")

    def __init__(self, i: int, j: int, text: str, spans: list[tuple[int, int]],
                 key: Name, kind: str) -> None:
        self.i, self.j = i, j
        self.start, self.end = spans[i][0], spans[j - 1][1]
        self.surface = text[self.start : self.end]
        self.key, self.kind = key, kind
        self.group: Name = key


def extract_entities(text: str) -> list[Entity]:
    """Entities named in text, most salient first. Each mention is the exact (start, end)
    character span of one occurrence; variants of one name share an Entity."""
    if not text or not text.strip():
        return []
    masked = mask_urls(text)
    spans = tokenize(masked)
    inits = sentence_starts(masked, spans)
    words = [masked[a:b] for a, b in spans]
    caps = [k for k, w in enumerate(words) if w[:1].isupper()]
    folded = list(words)
    for k in caps:
        folded[k] = fold(words[k])
    mentions = _tagged(masked, spans, inits, words, folded)
    mentions = _known_names(masked, spans, words, folded, caps, mentions)
    _acronyms(masked, spans, words, mentions)
    _group(mentions)
    mentions += _more_mentions(masked, spans, words, folded, caps, mentions)
    return _entities(text, mentions, inits)


def _tagged(text: str, spans: list[tuple[int, int]], inits: list[bool], words: list[str],
            folded: list[str]) -> list[_Mention]:
    """The tagger's names, titles trimmed, typed by the alias table when it knows them."""
    aliases = alias_index()
    out: list[_Mention] = []
    for i, j, typ in ner_tagger.tagger().tag(text, spans, inits):
        kind = KINDS.get(typ)
        i, j, title = _trim(words, i, j, kind)
        if i >= j:
            continue
        key = tuple(folded[i:j])
        known = aliases.get(key)
        if known:
            kind = known[1]
        elif title and kind != "person" and (kind is not None or j - i > 1):
            kind = "person"
        if kind is not None:
            out.append(_Mention(i, j, text, spans, key, kind))
    return out


def _trim(words: list[str], i: int, j: int, kind: str | None) -> tuple[int, int, bool]:
    """Drop titles before a name and possessives or connectors after it; report whether a
    person's title was seen just before (inside the span or right before it)."""
    title = i > 0 and words[i - 1].lower() in PERSON_TITLES
    while i < j - 1 and words[i].lower() in PERSON_TITLES:
        if kind != "person" and words[i].lower() in AMBIGUOUS_TITLES:
            break
        title = True
        i += 1
    while i < j and words[i].lower() in _TRIM_START:
        i += 1
    while j > i and words[j - 1].lower() in _TRIM_END:
        j -= 1
    return i, j, title


def _known_names(text: str, spans: list[tuple[int, int]], words: list[str],
                 folded: list[str], caps: list[int],
                 mentions: list[_Mention]) -> list[_Mention]:
    """Add the alias table's names; one that covers a tagged name entirely replaces it
    ("Armed Forces of Ukraine" over "Armed Forces"), one inside a longer name does not."""
    owner = [-1] * len(words)
    for n, m in enumerate(mentions):
        for k in range(m.i, m.j):
            owner[k] = n
    aliases = alias_index()
    dropped: set[int] = set()
    added: list[_Mention] = []
    for i, j, key in _scan(caps, folded, alias_starts()):
        if any(owner[k] >= 0 and (mentions[owner[k]].i < i or mentions[owner[k]].j > j)
               for k in range(i, j)):
            continue
        _, kind, upper = aliases[key]
        if upper and not words[i].isupper():
            continue  # "US" the country, not "Us" the word
        dropped.update(owner[k] for k in range(i, j) if owner[k] >= 0)
        added.append(_Mention(i, j, text, spans, key, kind))
    return [m for n, m in enumerate(mentions) if n not in dropped] + added


def _scan(caps: list[int], folded: list[str],
          starts: dict[str, list[Name]]) -> list[tuple[int, int, Name]]:
    """Non-overlapping occurrences of the names in `starts` (first token → names, longest
    first) that begin at one of the capitalised tokens `caps`, as (first, end, name)."""
    out: list[tuple[int, int, Name]] = []
    free = 0  # the first token not inside a name found already
    for k in caps:
        names = starts.get(folded[k]) if k >= free else None
        if names:
            for key in names:
                size = len(key)
                if tuple(folded[k : k + size]) == key:
                    out.append((k, k + size, key))
                    free = k + size
                    break
    return out


def _acronyms(text: str, spans: list[tuple[int, int]], words: list[str],
              mentions: list[_Mention]) -> None:
    """"Security Service of Ukraine (SBU)": the bracketed capitals name the same thing.
    Adds them as a mention when the tagger left them out, and files both under one group."""
    starts = {m.i: m for m in mentions}
    for m in list(mentions):
        k = m.j
        if m.j - m.i < 2 or k + 2 >= len(words) or words[k] != "(" or words[k + 2] != ")":
            continue
        acr = words[k + 1]
        if not (len(acr) >= 2 and acr.isupper() and acr.isalpha()):
            continue
        inner = starts.get(k + 1)
        if inner is None:
            inner = _Mention(k + 1, k + 2, text, spans, (fold(acr),), m.kind)
            mentions.append(inner)
        inner.kind = m.kind
        inner.group = m.key  # _group maps every other use of the acronym the same way


def _group(mentions: list[_Mention]) -> None:
    """Give every mention a group: the canonical name from the alias table, the full name
    a lone surname or a defined acronym stands for, or else its own folded name."""
    aliases = alias_index()
    defined = {m.key: m.group for m in mentions if m.group != m.key}  # acronyms
    for m in mentions:
        group = defined.get(m.key, m.group)
        known = aliases.get(group)
        m.group = key_of(known[0]) if known else group
    surnames: dict[str, Name] = {}
    for m in mentions:
        if m.kind == "person" and len(m.group) > 1:
            surnames.setdefault(m.group[-1], m.group)
    for m in mentions:
        if len(m.group) == 1 and m.group[0] in surnames and m.kind != "place":
            m.group = surnames[m.group[0]]
            m.kind = "person"


def _more_mentions(text: str, spans: list[tuple[int, int]], words: list[str],
                   folded: list[str], caps: list[int],
                   mentions: list[_Mention]) -> list[_Mention]:
    """Uncovered occurrences of names found elsewhere in the text: full names of two
    words or more, and people's surnames. A lone capitalised word is too often something
    else (a sports team named after its town, a headline word) to be added on its own."""
    covered = [False] * len(words)
    for m in mentions:
        for k in range(m.i, m.j):
            covered[k] = True
    forms: dict[Name, tuple[Name, str]] = {}
    for m in mentions:
        if m.j - m.i > 1:
            forms.setdefault(m.key, (m.group, m.kind))
        if m.kind == "person" and len(m.group) > 1:
            forms.setdefault(m.group[-1:], (m.group, m.kind))
    if not forms:
        return []
    starts: dict[str, list[Name]] = {}
    for key in sorted(forms, key=len, reverse=True):
        starts.setdefault(key[0], []).append(key)
    out: list[_Mention] = []
    for i, j, key in _scan(caps, folded, starts):
        if any(covered[i:j]) or (j - i == 1 and words[i].isupper() and len(words[i]) > 1):
            continue
        group, kind = forms[key]
        m = _Mention(i, j, text, spans, key, kind)
        m.group = group
        out.append(m)
    return out


def _entities(text: str, mentions: list[_Mention], inits: list[bool]) -> list[Entity]:
    """One Entity per group, ranked by salience: every mention counts, early ones more,
    those in headlines, captions and teasers much less.

    A one-word "person" seen only at the start of sentences ("Video released by...",
    "Water was cut...") is dropped: a capital letter there says nothing about a name."""
    groups: dict[Name, list[_Mention]] = defaultdict(list)
    for m in mentions:
        groups[m.group].append(m)
    aliases = alias_index()
    teasers = teaser_lines(text)
    teaser_starts = [a for a, _ in teasers]
    size = max(len(text), 1)
    ranked: list[tuple[float, int, Entity]] = []
    for key, ms in groups.items():
        ms.sort(key=lambda m: m.start)
        known = aliases.get(key)
        kind = known[1] if known else Counter(m.kind for m in ms).most_common(1)[0][0]
        if (not known and kind == "person"
                and all(m.j - m.i == 1 and inits[m.i] for m in ms)):
            continue
        name = known[0] if known else _best_name(ms, kind)
        surfaces = dict.fromkeys(m.surface for m in ms)
        others = tuple(s for s in surfaces if s.lower() != name.lower())
        score = 0.0
        for m in ms:
            weight = 1.5 - m.start / size
            at = bisect_right(teaser_starts, m.start) - 1
            if at >= 0 and m.start < teasers[at][1]:
                weight *= TEASER_WEIGHT
            score += weight
        offsets = tuple(dict.fromkeys((m.start, m.end) for m in ms))
        ranked.append((-score, ms[0].start, Entity(name, kind, others, offsets)))
    ranked.sort(key=lambda r: (r[0], r[1]))
    return [e for _, _, e in ranked]


def _best_name(ms: list[_Mention], kind: str) -> str:
    """The name to show: the longest form for a person, otherwise the most frequent;
    forms written in capitals (headlines) only when there is nothing else."""
    forms = Counter(m.surface for m in ms)
    mixed = [f for f in forms if not (f.isupper() and len(f) > 4)] or list(forms)
    if kind == "person":
        return max(mixed, key=lambda f: (len(f.split()), forms[f], len(f)))
    return max(mixed, key=lambda f: (forms[f], -mixed.index(f)))
