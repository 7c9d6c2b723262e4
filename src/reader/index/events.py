"""Folding near-duplicate facts into events, once, as stories are indexed.

Rule: two facts are one event when they have the same date value (same day, or same month,
same ISO week ...) and the sets of content words of their sentences (stopwords dropped,
names normalised, plus "@" + each entity the fact names) have a Jaccard similarity of at
least FOLD_THRESHOLD, and the entities they name agree when both name some (see similar).
A new fact is compared with the first fact of each event already on its date (the event's
representative). Facts of one story join one event only when their sentences are the same,
so a story's two different facts of a day stay two entries.

Doing this at index time makes reading the timeline a plain ordered scan; each new fact costs
a comparison with the few events already known on its date.
"""

from __future__ import annotations

from dataclasses import dataclass

from reader.index.words import fact_tokens
from reader.store.index import IndexBatch

FOLD_THRESHOLD = 0.5
NAMES_THRESHOLD = 2 / 3  # named entities in common, when neither set holds the other
_STRIDE = 1 << 20  # event id of a representative: story id * _STRIDE + fact position


@dataclass(frozen=True, slots=True)
class NewFact:
    story_id: int
    position: int
    sort_key: str
    feed_id: int
    sentence: str
    tokens: str  # space-separated, from reader.index.words.fact_tokens


def _close(a: frozenset[str], b: frozenset[str]) -> bool:
    """Jaccard(a, b) >= FOLD_THRESHOLD, with a cheap size test first."""
    small, large = sorted((len(a), len(b)))
    if not large:
        return True
    if small < FOLD_THRESHOLD * large:
        return False
    shared = len(a & b)
    return shared >= FOLD_THRESHOLD * (len(a) + len(b) - shared)


def similar(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether two facts' tokens make them one event: their tokens are close, and when both
    name entities, one's are all among the other's (an outlet that also names the governor
    reports the same shelling) or they have at least NAMES_THRESHOLD in common. Sentences
    built on one pattern ("Residents of Mykolaiv said supplies from Kharkiv ...", "... of
    Odesa ...") share most words but not who or where: those stay apart."""
    if not _close(a, b):
        return False
    names_a = frozenset(t for t in a if t.startswith("@"))
    names_b = frozenset(t for t in b if t.startswith("@"))
    if not (names_a and names_b) or names_a <= names_b or names_b <= names_a:
        return True
    shared = len(names_a & names_b)
    return shared >= NAMES_THRESHOLD * (len(names_a) + len(names_b) - shared)


def assign_events(batch: IndexBatch, facts: list[NewFact]) -> list[tuple[object, ...]]:
    """fact_index rows (story_id, position, sort_key, feed_id, event, rep, tokens) for new
    facts, given in story order; each joins an existing event or starts its own."""
    known = batch.event_representatives(list(dict.fromkeys(f.sort_key for f in facts)))
    reps = {skey: [(event, frozenset(tokens.split())) for event, tokens in found]
            for skey, found in known.items()}
    rows: list[tuple[object, ...]] = []
    joined: dict[int, set[str]] = {}  # this story's events -> its sentences in each
    story = None
    for f in facts:
        if f.story_id != story:
            story, joined = f.story_id, {}
        tokens = frozenset(f.tokens.split()) or frozenset({"#" + f.sentence.casefold()})
        event = None
        for candidate, rep_tokens in reps[f.sort_key]:
            if candidate in joined and f.sentence not in joined[candidate]:
                continue
            if similar(tokens, rep_tokens):
                event = candidate
                break
        if event is None:
            event = f.story_id * _STRIDE + min(f.position, _STRIDE - 1)
            reps[f.sort_key].append((event, tokens))
            rows.append((f.story_id, f.position, f.sort_key, f.feed_id, event, 1,
                         " ".join(sorted(tokens))))
        else:
            rows.append((f.story_id, f.position, f.sort_key, f.feed_id, event, 0, ""))
        joined.setdefault(event, set()).add(f.sentence)
    return rows


def adopt_orphans(batch: IndexBatch) -> None:
    """Give each event whose representative was deleted a new one (its earliest remaining
    fact), so later reports of the same event still fold into it."""
    for story_id, fact in batch.orphaned_events():
        tokens = fact_tokens(fact.sentence, list(fact.entities)).split()
        tokens = tokens or ["#" + fact.sentence.casefold()]
        batch.make_representative(story_id, fact.position, " ".join(sorted(tokens)))
