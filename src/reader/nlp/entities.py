"""People, places and organisations named in article text.

    extract_entities(text) -> list[Entity], most salient first

A learned tagger (ner_tagger) finds the names; this module trims titles and possessives,
types and canonicalises names with a hand-made table of the region's spellings
(data/aliases.json), merges the ways a text refers to one thing (variants, a surname after
the full name, an acronym defined in brackets), finds further mentions of the names it
knows, and ranks entities by how much and how early the story talks about them.
"""

from __future__ import annotations

import itertools
from bisect import bisect_right
from collections import Counter, defaultdict

from reader.models import Entity, EntityKind
from reader.nlp import ner_rules, ner_tagger
from reader.nlp.ner_lexicon import (
    AMBIGUOUS_TITLES,
    PERSON_TITLES,
    LineKinds,
    Name,
    alias_index,
    alias_starts,
    key_of,
    teaser_lines,
)
from reader.nlp.textutil import mask_urls, normalise, sentence_starts, tokenize
from reader.text import fold

KINDS = {"PER": EntityKind.PERSON, "LOC": EntityKind.PLACE, "ORG": EntityKind.ORGANIZATION,
         "MISC": "misc"}
# "misc" is kept only while a village the tagger called MISC may still turn out a place.
_TRIM_END = frozenset(["'s", "’s", "'", "’", "of", "and", "the", "&", "-", ",", "."])
# Words capitalised only because they open a sentence or heading ("With Kupiansk gone",
# "Who is leading..."): never the first word of a name.
_TRIM_START = frozenset(["with", "who", "what", "when", "where", "why", "how", "after",
                         "before", "as", "while", "since", "until", "despite", "without",
                         "if", "but", "so", "yet", "although", "though", "because",
                         "in", "on", "at", "to", "from", "toward", "towards", "near", "into",
                         "onto", "for", "of", "by", "under", "over", "through", "across",
                         "along", "against", "among", "amid", "during", "within", "outside",
                         "inside", "beyond", "behind", "around", "about", "between", "parts",
                         "part", "residents", "people", "citizens", "less", "more", "most",
                         "much", "many", "some", "several", "both", "each", "every",
                         "other", "another", "such", "no", "not", "only", "also", "then",
                         "here", "there", "meanwhile", "however", "still", "even", "just",
                         "according", "unlike", "like", "capturing", "is", "are", "was",
                         "were", "has", "have", "had", "does", "did", "could", "would",
                         "should", "an", "a",
                         "this", "these", "those", "its", "their", "his", "her", "our",
                         "my", "your", "'s", "’s", "i'm", "i've", "i'd", "i'll",
                         "we're", "we've", "it's", "that's", "there's", "here's"])
TEASER_WEIGHT = 0.2  # a mention in a headline, caption, teaser or another name counts so much


class _Mention:
    __slots__ = ("end", "group", "i", "inside", "j", "key", "kind", "known", "start", "surface",
                 "titled")

    def __init__(self, i: int, j: int, text: str, spans: list[tuple[int, int]],
                 key: Name, kind: str, known: bool = False, titled: bool = False) -> None:
        self.i, self.j = i, j
        self.known, self.titled = known, titled  # in the alias table; after a title
        self.start, self.end = spans[i][0], spans[j - 1][1]
        self.surface = text[self.start : self.end]  # set again from the text as written
        self.key, self.kind = key, kind
        self.group: Name = key
        self.inside = False  # part of a longer name ("Ukraine" of "Armed Forces of Ukraine")


def extract_entities(text: str) -> list[Entity]:
    """Entities named in text, most salient first. Each mention is the exact (start, end)
    character span of one occurrence; variants of one name share an Entity."""
    if not text or not text.strip():
        return []
    # Curly quotes and no-break spaces as plain ones, offsets unchanged: the tagger learnt
    # "Ukraine's" from straight quotes, and "Ukraine’s General Staff" must read the same.
    masked = normalise(mask_urls(text))
    spans = tokenize(masked)
    inits = sentence_starts(masked, spans)
    words = [masked[a:b] for a, b in spans]
    caps = [k for k, w in enumerate(words) if w[:1].isupper()]
    folded = list(words)
    for k in caps:
        folded[k] = fold(words[k])
    mentions = _tagged(masked, spans, inits, words, folded)
    mentions += _untagged_bodies(masked, spans, words, folded, inits, caps, mentions)
    mentions = _known_names(masked, spans, words, folded, caps, mentions)
    mentions = _join_organisations(masked, spans, words, folded, mentions)
    mentions = _attach_owner(masked, spans, words, folded, inits, mentions)
    mentions += _untagged_places(masked, spans, words, inits, caps, mentions)
    _places(words, mentions)
    # facilities (data/aliases.json) are known only so that no part of them is taken for
    # a place or a body: "Azovstal" is a steelworks
    mentions = [m for m in mentions if m.kind not in ("misc", "facility")]
    _acronyms(masked, spans, words, mentions)
    _group(mentions)
    mentions += _more_mentions(masked, spans, words, folded, caps, mentions)
    mentions += _places_in_bodies(masked, spans, words, folded, mentions)
    return _entities(text, mentions, inits, words, masked)


def _tagged(text: str, spans: list[tuple[int, int]], inits: list[bool], words: list[str],
            folded: list[str]) -> list[_Mention]:
    """The tagger's names, titles split off, typed by the alias table when it knows them
    and by the words around them when it does not."""
    aliases = alias_index()
    out: list[_Mention] = []
    tagged = ner_tagger.tagger().tag(text, spans, inits, words)
    ends = {j: i for i, j, _ in tagged}
    grown: list[_Mention] = []
    for i0, j0, typ in tagged:
        for i1, j1, kind, split_title in ner_rules.split(words, i0, j0, KINDS.get(typ)):
            i, j, title = _trim(words, i1, j1, kind)
            if j - i > 1 and words[i] == "The" and (inits[i] or words[i + 1].isupper()):
                i += 1  # "The Commission has proposed"; "the FCC", "The US Supreme Court"
            if i >= j:
                continue
            title = title or split_title
            known = aliases.get(tuple(folded[i:j]))
            kind = known[1] if known else _kind(words, i, j, kind, title)
            start = i
            if kind == "organization" and not known and _described_as(
                    words, j, ner_rules.ORG_NOUNS_AFTER):
                i = _name_start(words, inits, i, ends)  # "Go by the Forest, a ... group"
            key = tuple(folded[i:j])
            if kind is not None:
                out.append(_Mention(i, j, text, spans, key, kind, bool(known), title))
                if i < start:
                    grown.append(out[-1])
    for g in grown:  # what the grown name took in is no name of its own
        out = [m for m in out if m is g or not (g.i <= m.i and m.j <= g.j)]
    return out


def _kind(words: list[str], i: int, j: int, kind: str | None, title: bool) -> str | None:
    """The type of a name the alias table does not know; None when it is no name."""
    low = [w.lower() for w in words[i:j]]
    if any(w in ner_rules.NOT_NAMES for w in low):
        return None
    if (j - i > 1 and low[-1] in ner_rules.GEO_HEADS
            and not _described_as(words, j, ner_rules.ORG_NOUNS_AFTER)):
        return "place"  # "Bystre Canal", "Kerch Strait": a waterway is no body
    if j - i == 1 and (low[0] in ner_rules.PORTFOLIOS or low[0] in ner_rules.GENERIC_BODIES
                       or ner_rules.plant_acronym(words[i]) or ner_rules.is_title(words[i])):
        return None  # "Interior" of "Interior and Defense ministries"; "ZNPP"; "Hero"
    before = words[i - 1].lower() if i > 0 else ""
    if before in ner_rules.THING_CUES:
        return None  # "the ship Razoni"
    if title:
        return "person"
    if kind == "misc":
        if j - i == 1 and (ner_rules.toponym_like(words[i]) or ner_rules.settlement(words[i:j])):
            return "misc"
        return None
    if kind is None:  # split off before a person's name
        if ner_rules.settlement(words[i:j]):
            return "place"
        if j - i > 1 or (words[i].isupper() and len(words[i]) > 1):
            return "organization"
        return None
    if (kind == "organization" and j - i in (2, 3) and ner_rules.is_first_name(words[i])
            and not ner_rules.is_first_name(words[j - 1]) and words[j - 1].isalpha()
            and not {"w", "e"} & set(ner_rules.flags(low[0]) + ner_rules.flags(low[-1]))
            and low[-1] not in ner_rules.ORG_HEADS and low[-1] not in ner_rules.PLACE_NOUNS_AFTER
            and before not in ner_rules.ORG_CUES):
        return "person"  # "Fidel Castro and the Pope": a first name opens it
    if (before in ner_rules.ORG_CUES or (low[-1].rstrip(".") in ner_rules.ORG_HEADS and (
            j - i > 1 or kind == "person"))  # "Patrol" of "Highway Patrol" is no one
            or _described_as(words, j, ner_rules.ORG_NOUNS_AFTER)):
        return "organization"
    if (kind != "place" and j - i == 1 and ner_rules.settlement(words[i:j])
            and not (i > 0 and ner_rules.is_first_name(words[i - 1]))):
        return "place"
    if j - i == 1 and ner_rules.capital(words[i]) and (
            kind == "person" or (j < len(words) and words[j] in ner_rules.SPEECH_VERBS)):
        return "place"  # "Helsinki announces": a capital speaking for its government
    return kind


_NAME_SMALL = frozenset(["by", "the", "of", "for", "and", "on", "in", "to", "with"])


def _name_start(words: list[str], inits: list[bool], i: int, ends: dict[int, int]) -> int:
    """Where a body's name described as one really starts: a capitalised word and up to
    two small words before the tagger's span belong to it ("Go by the" + "Forest"), unless
    the tagger found a name of its own there ("Naroff of First Union"), other than a
    common word ("Leave by the River")."""
    k = i
    while k > 0 and i - k < 2 and words[k - 1] in _NAME_SMALL:
        k -= 1
    if k == i or k == 0 or (k in ends and (ends[k] != k - 1
                                           or "w" not in ner_rules.flags(words[k - 1]))):
        return i
    w = words[k - 1]
    if (w[:1].isupper() and w.isalpha() and not inits[k - 1] and not ner_rules.is_title(w)
            and w.lower() not in ner_rules.DEMONYMS):
        return k - 1
    return i


def _described_as(words: list[str], j: int, nouns: frozenset[str]) -> bool:
    """Whether the words after a name say what it is: "Give Food, a charity", "Give Food
    federal project" (up to two lowercase words, then the noun)."""
    k = j
    if k + 1 < len(words) and words[k] == "," and words[k + 1] in ("a", "an", "the"):
        k += 2
    lower = 0
    for w in words[k : k + 6]:
        if w in nouns:
            return True
        if w.lower() in ner_rules.DEMONYMS or ner_rules.is_modifier(w):
            continue  # "a Russian antiwar organization", "a Moscow-based group"
        lower += 1
        if not w.islower() or w in _NAME_SMALL or lower > 2:
            return False  # "Geraghty at the consulting firm" is no firm
    return False


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
        _, kind, upper = aliases[key]
        if upper and not words[i].isupper():
            continue  # "US" the country, not "Us" the word
        overlap = {owner[k] for k in range(i, j) if owner[k] >= 0}
        if j - i == 1 and any(mentions[n].i < i or mentions[n].j > j for n in overlap):
            continue  # one known word inside a longer name: "Kyiv" in "Kyiv Pechersk Lavra"
        for n in overlap:
            m = mentions[n]
            # a known name of two words or more wins; what sticks out of the tagger's
            # span ("US-based" before "Institute for the Study of War") stays its own
            if m.i < i and _name_like(words[m.i : i]):
                added.append(_Mention(m.i, i, text, spans, tuple(folded[m.i : i]), m.kind))
            if m.j > j and _name_like(words[j : m.j]):
                added.append(_Mention(j, m.j, text, spans, tuple(folded[j : m.j]), m.kind))
        dropped.update(overlap)
        added.append(_Mention(i, j, text, spans, key, kind, known=True))
    return [m for n, m in enumerate(mentions) if n not in dropped] + added


def _name_like(words: list[str]) -> bool:
    """Left over beside a known name, still a name: capitalised at both ends, no title
    or modifier compound alone."""
    return (words[0][:1].isupper() and words[-1][:1].isupper()
            and not (len(words) == 1 and (ner_rules.is_modifier(words[0])
                                          or ner_rules.is_title(words[0]))))


def _join_organisations(text: str, spans: list[tuple[int, int]], words: list[str],
                        folded: list[str], mentions: list[_Mention]) -> list[_Mention]:
    """ "International Institute" + "for" + "Strategic Studies": a body's name split by the
    tagger at its "for", "of" or "on" becomes one organisation."""
    by_start = {m.i: m for m in mentions}
    drop: set[int] = set()
    out: list[_Mention] = []
    for m in sorted(mentions, key=lambda m: m.i):
        if id(m) in drop:
            continue
        k = m.j
        if (not m.known and folded[m.j - 1] in ner_rules.ORG_HEADS and k < len(words)
                and words[k] in ("for", "of", "on")):
            k += 1 + (k + 1 < len(words) and words[k + 1] == "the")
            nxt = by_start.get(k)
            if nxt is not None and not nxt.known and nxt.kind != "person":
                drop.add(id(nxt))
                m = _Mention(m.i, nxt.j, text, spans, tuple(folded[m.i:nxt.j]), "organization")
        out.append(m)
    return out


def _modifiers_before(text: str, spans: list[tuple[int, int]], words: list[str],
                      inits: list[bool], covered: list[bool], lines: LineKinds, i: int) -> int:
    """Where a body's name starts when capitalised words the tagger left out stand right
    before it in running text ("Highway Patrol", "Special Flight Detachment"): up to two
    words, none opening a sentence, a title, a nationality word or part of another name,
    on a line that is not in headline case (where every word is capitalised)."""
    k = i
    while (k > 0 and i - k < 2 and not covered[k - 1] and not inits[k - 1]
           and words[k - 1][:1].isupper() and words[k - 1].isalpha()
           and not ner_rules.is_title(words[k - 1])
           and words[k - 1].lower() not in ner_rules.DEMONYMS
           and words[k - 1].lower() not in ner_rules.CALENDAR_WORDS
           and words[k - 1].lower() not in ("the", "a", "an")
           and text[spans[k - 1][1] : spans[k][0]] == " "):
        k -= 1
    if k < i and lines.at(spans[k][0])[0]:
        return i
    return k


def _attach_owner(text: str, spans: list[tuple[int, int]], words: list[str],
                  folded: list[str], inits: list[bool],
                  mentions: list[_Mention]) -> list[_Mention]:
    """ "Russian" + "Armed Forces", "Russian Federation" + "Armed Forces": a nationality
    word or a place written right before a body is part of its name, and so are
    capitalised words the tagger left out there."""
    covered = [False] * len(words)
    for m in mentions:
        for k in range(m.i, m.j):
            covered[k] = True
    lines = LineKinds(text)
    by_end = {m.j: m for m in mentions}
    drop: set[int] = set()
    out: list[_Mention] = []
    for m in mentions:
        if m.kind != "organization" or m.known or m.i == 0:
            out.append(m)
            continue
        i = _modifiers_before(text, spans, words, inits, covered, lines, m.i)
        if i < m.i:  # "Highway" + "Patrol", "Special" + "Flight Detachment"
            m = _Mention(i, m.j, text, spans, tuple(folded[i : m.j]), "organization")
            if i == 0:
                out.append(m)
                continue
        before = by_end.get(m.i)
        if (m.i >= 3 and words[m.i - 1] == '"' and words[m.i - 3] == '"'
                and words[m.i - 2][:1].isupper()):
            # '"Rossiya" Special Flight Detachment': the quoted name is the body's own
            quoted = by_end.get(m.i - 1)
            if quoted is not None and quoted.i == m.i - 2:
                drop.add(id(quoted))
            out.append(_Mention(m.i - 3, m.j, text, spans, tuple(folded[m.i - 3 : m.j]),
                                "organization"))
            continue
        if "\n" in text[spans[m.i - 1][0] : spans[m.i][0]]:
            out.append(m)  # a line apart: a list or a table, not one name
            continue
        i = m.i
        if before is not None and before.kind == "place" and before.j - before.i <= 2:
            i = before.i
            drop.add(id(before))
        elif folded[m.i - 1] in ner_rules.DEMONYMS and words[m.i - 1][:1].isupper():
            i = m.i - 1
        if i == m.i:
            out.append(m)
        else:
            out.append(_Mention(i, m.j, text, spans, tuple(folded[i : m.j]), "organization"))
    return [m for m in out if id(m) not in drop]


def _untagged_places(text: str, spans: list[tuple[int, int]], words: list[str],
                     inits: list[bool], caps: list[int],
                     mentions: list[_Mention]) -> list[_Mention]:
    """Capitalised words the tagger left out that are places by their context: followed by
    "district", "region" or "direction" ("Izyumsky district"), or spelt like a village and
    listed beside a name ("directions Hlyboke — Lyptsi")."""
    covered = [False] * len(words)
    for m in mentions:
        for k in range(m.i, m.j):
            covered[k] = True
    n = len(words)
    out: list[_Mention] = []
    for k in caps:
        w = words[k]
        if covered[k] or inits[k] or len(w) < 4 or not w[1:].islower():
            continue
        after = words[k + 1] if k + 1 < n else ""
        beside = (after in _SEPARATORS and k + 2 < n and covered[k + 2]) or (
            k > 1 and words[k - 1] in _SEPARATORS and covered[k - 2])
        if after in ner_rules.PLACE_NOUNS_AFTER or (
                beside and (ner_rules.toponym_like(w) or ner_rules.settlement([w]))):
            out.append(_Mention(k, k + 1, text, spans, (fold(w),), "misc"))
    return out


_SEPARATORS = frozenset([",", "-", "—", "–", "and", "or", "/", "&"])


def _untagged_bodies(text: str, spans: list[tuple[int, int]], words: list[str],
                     folded: list[str], inits: list[bool], caps: list[int],
                     mentions: list[_Mention]) -> list[_Mention]:
    """Runs of capitalised words in running text that the tagger left out and that end in
    a body's head word: "escorted by Highway Patrol cars", "the Border Guard Service"."""
    covered = [False] * len(words)
    for m in mentions:
        for k in range(m.i, m.j):
            covered[k] = True
    lines = LineKinds(text)
    out: list[_Mention] = []
    k, n = 0, len(caps)
    while k < n:
        i = j = caps[k]
        while (k < n and caps[k] == j and not covered[j] and words[j].isalpha()
               and (j == i or text[spans[j - 1][1] : spans[j][0]] == " ")):
            j += 1
            k += 1
        if j == i:
            k += 1
            continue
        while i < j and (inits[i] or ner_rules.is_title(words[i])
                         or folded[i] in ner_rules.DEMONYMS):
            i += 1
        if (j - i >= 2 and folded[j - 1] in ner_rules.ORG_HEADS
                and not lines.at(spans[i][0])[0]):
            out.append(_Mention(i, j, text, spans, tuple(folded[i:j]), "organization"))
    return out


def _places(words: list[str], mentions: list[_Mention]) -> None:
    """Villages and towns the tagger typed as people or bodies: a name said to be a
    village, district or direction, one after "near" or "village of", and one listed
    beside places ("Petropavlivka, Pishchane and Kupyansk") that is spelt like a
    settlement of the region. A person's surname named elsewhere stays a person."""
    surnames = {m.key[-1] for m in mentions if m.kind == "person" and m.j - m.i > 1}

    def movable(m: _Mention) -> bool:
        return (m.kind != "place" and not m.known and not m.titled and m.j - m.i <= 3
                and not (m.j - m.i == 1 and m.key[0] in surnames)
                and not (m.kind == "person" and m.j - m.i > 1
                         and ner_rules.is_first_name(words[m.i])))

    n = len(words)
    for m in mentions:
        if not movable(m):
            continue
        after = words[m.j] if m.j < n else ""
        before = words[m.i - 1].lower() if m.i > 0 else ""
        if (after in ner_rules.PLACE_NOUNS_AFTER or before in ner_rules.PLACE_CUES_BEFORE
                or (before == "of" and m.i > 1
                    and words[m.i - 2].lower() in ner_rules.PLACE_CUES_BEFORE)):
            m.kind = "place"
    # lists: neighbours joined by a comma, dash, "and", "or"
    ordered = sorted(mentions, key=lambda m: m.i)
    chains: list[list[_Mention]] = []
    for a, b in itertools.pairwise(ordered):
        if not 0 < b.i - a.j <= 2:
            continue
        if all(w.lower() in _SEPARATORS for w in words[a.j : b.i]):
            if chains and chains[-1][-1] is a:
                chains[-1].append(b)
            else:
                chains.append([a, b])
    for chain in chains:
        last = chain[-1]
        if last.j < n and words[last.j] in ner_rules.PLACE_NOUNS_AFTER and words[last.j].endswith(
                "s"):
            for m in chain:  # "struck Kuprianovka and Novotavrichivske villages"
                if movable(m):
                    m.kind = "place"
        if not any(m.kind == "place" for m in chain):
            continue
        for m in chain:
            if movable(m) and (ner_rules.toponym_like(words[m.j - 1])
                               or ner_rules.settlement(words[m.i : m.j])
                               or ner_rules.settlement(words[m.i : m.i + 1])
                               or alias_kind((m.key[0],)) == "place"):
                m.kind = "place"


def alias_kind(key: Name) -> str | None:
    known = alias_index().get(key)
    return known[1] if known else None


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
    firsts: dict[str, Name] = {}
    for m in mentions:
        if m.kind == "person" and len(m.group) > 1:
            surnames.setdefault(m.group[-1], m.group)
            firsts.setdefault(m.group[0], m.group)
    for m in mentions:
        if len(m.group) == 1 and m.group[0] in surnames and (
                m.kind != "place" or not (m.known or ner_rules.PLACE_LETTERS_KNOWN.intersection(
                    ner_rules.flags(m.group[0])))):
            # "kill Rabin" after "Yitzhak Rabin"; a village of the region stays a place
            m.group = surnames[m.group[0]]
            m.kind = "person"
        elif (len(m.group) == 1 and m.group[0] in firsts and not m.known
              and ner_rules.is_first_name(m.surface)):
            m.group = firsts[m.group[0]]  # "Viktor" after "Viktor Sytnyk"
            m.kind = "person"
    # "Rhodium" after "Rhodium Group", "Akhmat" after "Akhmat Battalion": the same body
    bodies: dict[str, set[Name]] = defaultdict(set)
    for m in mentions:
        if (m.kind == "organization" and len(m.group) > 1 and m.group[-1] in ner_rules.ORG_HEADS
                and m.group[0] not in ner_rules.DEMONYMS):
            bodies[m.group[0]].add(m.group)
    for m in mentions:
        if (len(m.group) == 1 and not m.known and len(bodies.get(m.group[0], ())) == 1
                and m.kind == "organization"
                and not ner_rules.PLACE_LETTERS.intersection(ner_rules.flags(m.group[0]))):
            m.group = next(iter(bodies[m.group[0]]))
            m.kind = "organization"
    # "Defence Ministry" after "Russian Defence Ministry": the same body
    orgs = {m.group for m in mentions if m.kind == "organization" and len(m.group) > 1}
    longer: dict[Name, set[Name]] = defaultdict(set)
    for g in orgs:
        if g[0] in ner_rules.DEMONYMS:
            longer[g[1:]].add(g)
    for g in orgs:  # "the Commission" after "the European Commission"
        if g[0] not in ner_rules.DEMONYMS and g[-1] in ner_rules.ORG_HEADS:
            longer[g[-1:]].add(g)
    for m in mentions:
        if m.kind == "organization" and len(longer.get(m.group, ())) == 1:
            m.group = next(iter(longer[m.group]))


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
    # a first name of the region alone ("Viktor" after "Viktor Sytnyk"), when only one
    # person in the story has it
    firsts = Counter(m.group[0] for m in {id(m): m for m in mentions
                                          if m.kind == "person" and len(m.group) > 1}.values()
                     if ner_rules.is_first_name(m.group[0]))
    people = {m.group for m in mentions if m.kind == "person" and len(m.group) > 1}
    for group in people:
        if firsts[group[0]] == 1 or (group[0] in firsts and
                                     sum(g[0] == group[0] for g in people) == 1):
            forms.setdefault(group[:1], (group, "person"))
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


def _places_in_bodies(text: str, spans: list[tuple[int, int]], words: list[str],
                      folded: list[str], mentions: list[_Mention]) -> list[_Mention]:
    """ "Armed Forces of Ukraine" names Ukraine too: a place of the region's table after
    the last "of" of a body's name is also a mention of that place (not in a brand: "Kyiv
    Post" has no "of")."""
    aliases = alias_index()
    out: list[_Mention] = []
    for m in mentions:
        if m.kind != "organization" or m.j - m.i < 3:
            continue
        k = m.j - 1
        while k > m.i and words[k - 1] != "of":
            k -= 1
        if k <= m.i + 1:
            continue
        key = tuple(folded[k : m.j])
        known = aliases.get(key)
        if known is None or known[1] != "place":
            continue
        place = _Mention(k, m.j, text, spans, key, "place", known=True)
        place.group = key_of(known[0])
        place.inside = True
        out.append(place)
    return out


_ADJECTIVE_ENDS = ("al", "ic", "ical", "ive", "ous", "ary", "ile", "ent", "ant")


class _LowerWords:
    """The words a text writes in lowercase, collected on first use."""

    def __init__(self, words: list[str]) -> None:
        self.words: list[str] | None = words
        self.seen: set[str] = set()

    def __contains__(self, word: str) -> bool:
        # asked only for lowercase words: any token equal to one is written in lowercase
        if self.words is not None:
            self.seen = set(self.words)
            self.words = None
        return word in self.seen


def _junk(ms: list[_Mention], kind: str, words: list[str], inits: list[bool],
          seen: _LowerWords,
          lines: LineKinds) -> bool:
    """Whether a group the alias table does not know is no name at all: a facility, a
    nationality word, a common word capitalised, or a name seen only where every word is
    capitalised (headings, the headline) or at a sentence start while written in lowercase
    elsewhere ("Mobile communication..." beside "mobile connection")."""
    first = ms[0]
    low = [w.lower() for w in words[first.i : first.j]]
    if low[-1] in ner_rules.FACILITY_HEADS or (
            kind == "person" and low[-1] in ner_rules.BUILDING_HEADS):
        return True
    head = low[1] if low[0] == "the" and len(low) > 1 else low[0]
    if (low[-1] in ner_rules.DOCUMENT_HEADS or head in ner_rules.EVENT_HEADS
            or (len(low) > 1 and low[-1] in ner_rules.OFFICE_TITLES)):
        return True  # a document, an event, or a title alone ("Humanitarian Coordinator")
    if all(m.i > 1 and words[m.i - 1] == "of" and ner_rules.is_title(words[m.i - 2])
           for m in ms) and all(w in ner_rules.PORTFOLIOS for w in low):
        return True  # inside a title: "Minister of Foreign Affairs"
    if any(w.split("-")[0] in ner_rules.FACILITY_HEADS for w in low[-1:]) or any(
            m.j + 1 < len(words) and words[m.j] in ("'s", "’s")
            and words[m.j + 1].lower() in ner_rules.BUILDING_HEADS for m in ms):
        return True  # "Kharkiv TPP-5"; "St George" of "St George's Hall"
    if all(_in_facility_name(words, m) for m in ms):
        return True  # "Vnukovo" of "Vnukovo International Airport"
    if all(m.j - m.i == 1 for m in ms):
        word = low[0]
        if word in ner_rules.BUILDING_HEADS or word in ner_rules.FACILITY_HEADS or (
                ner_rules.plant_acronym(words[first.i])):
            return True  # "Hall" left of "St George's Hall"; "ZNPP"
        fl = ner_rules.flags(word)
        if "e" in fl and not ner_rules.KNOWN_FLAGS.intersection(fl) and all(
                inits[m.i] or lines.at(m.start)[0] for m in ms):
            return True  # "Mobile communication in the town...": the word, not the city
        if all(inits[m.i] and m.j < len(words) and words[m.j].islower() for m in ms) and (
                word.endswith(_ADJECTIVE_ENDS) and not ner_rules.NAME_FLAGS.intersection(
                    ner_rules.flags(word))):
            return True  # "International investigators said..."
        if (word in ner_rules.DEMONYMS or "w" in ner_rules.flags(word)
                or word in ner_rules.COMMON_ABBREVIATIONS):
            return True
        if kind != "organization" and any(c.isdigit() for c in word):
            return True  # "MH17", "Su-25": a flight or a model, not a place or a person
        if word in seen and all(inits[m.i] for m in ms):
            return True
        if kind == "person" and all(m.i > 0 and words[m.i - 1] == "the" for m in ms):
            return True  # people take no article: "the Razoni" is a ship
    if not all(w in seen or "w" in ner_rules.flags(w) for w in low):
        # in a heading of its own ("Key Takeaways"), only a name something vouches for
        if any(ner_rules.NAME_FLAGS.intersection(ner_rules.flags(w)) for w in low) or any(
                ner_rules.is_first_name(w) for w in low):
            return False
        return all(lines.at(m.start)[1] for m in ms)
    return all(lines.at(m.start)[0] for m in ms)


def _in_facility_name(words: list[str], m: _Mention) -> bool:
    """Whether capitalised words after the mention end in a facility's kind: "Vnukovo"
    + "International Airport", "Kharkiv" + "Thermal Power Plant"."""
    for k in range(m.j, min(m.j + 4, len(words))):
        w = words[k]
        if not w[:1].isupper():
            return False
        if w.lower() in ner_rules.FACILITY_HEADS:
            return True
    return False


def _entities(text: str, mentions: list[_Mention], inits: list[bool], words: list[str],
              masked: str) -> list[Entity]:
    """One Entity per group, ranked by salience: every mention counts, early ones more,
    those in headlines, captions and teasers much less.

    A one-word "person" seen only at the start of sentences ("Video released by...",
    "Water was cut...") is dropped: a capital letter there says nothing about a name."""
    groups: dict[Name, list[_Mention]] = defaultdict(list)
    for m in mentions:
        groups[m.group].append(m)
    aliases = alias_index()
    seen = _LowerWords(words)
    lines = LineKinds(masked)

    teasers = teaser_lines(text)
    teaser_starts = [a for a, _ in teasers]
    size = max(len(text), 1)
    ranked: list[tuple[float, int, Entity]] = []
    for key, ms in groups.items():
        ms.sort(key=lambda m: m.start)
        for m in ms:
            m.surface = text[m.start : m.end]  # the story's own spelling and quotes
        known = aliases.get(key)
        kind = known[1] if known else Counter(m.kind for m in ms).most_common(1)[0][0]
        if (not known and kind == "person"
                and all(m.j - m.i == 1 and (inits[m.i] or words[m.i - 1] == ":") for m in ms)):
            continue  # also after a colon: "Read also: Enemy launches 540 attacks"
        if not known and _junk(ms, kind, words, inits, seen, lines):
            continue
        name = _best_name(ms, kind)
        surfaces = dict.fromkeys(m.surface for m in ms)
        if known:
            # the story's own spelling ("Izyum") is shown; the table's ("Izium") stays an
            # alias, and the cross-story index maps both to it. A surname alone gives way
            # to the full name.
            canon = known[0]
            folded = {fold(s) for s in surfaces}
            longest = max(surfaces, key=lambda s: (len(s.split()), len(s)))
            if fold(canon) in folded or (name.isupper() and len(name) > 1 and (
                    fold(name) == fold(canon) or len(name) > 5)):
                name = canon  # the story writes it so too, or only in capitals
            elif name.isupper() and len(longest.split()) > 1:
                name = longest  # "Security Service of Ukraine" over "SBU"
            elif kind == "person" and len(name.split()) < len(canon.split()):
                name = canon
            surfaces[canon] = None
        others = tuple(s for s in surfaces if s.lower() != name.lower())
        score = 0.0
        for m in ms:
            weight = 1.5 - m.start / size
            at = bisect_right(teaser_starts, m.start) - 1
            if (at >= 0 and m.start < teasers[at][1]) or m.inside:
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
