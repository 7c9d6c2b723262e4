"""Keeping the cross-story entity index and the fact index up to date, incrementally.

Each analysed story is indexed once: its entities are mapped to canonical keys (merging
spellings and aliases across stories), and its dated facts get a sort key. Deleting stories
or re-analysing one is handled by the schema (cascades and triggers in migration 3): the
rows go, the entities they touched are marked dirty, and the next update recomputes them.
A correction of a story's entities (reader.store.corrections) forgets that story
the same way (migration 4), and re-indexing it applies the corrections.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from dataclasses import dataclass, field

from reader.corrections import apply_corrections
from reader.index.dates import sort_key
from reader.index.events import NewFact, adopt_orphans, assign_events
from reader.index.names import display_fold, fold, normalise, strip_possessive
from reader.index.words import fact_tokens
from reader.models import Entity, EntityCorrection
from reader.store import Store
from reader.store.index import EntitySummary, IndexBatch
from reader.store.rows import ExtractedEntity

BATCH = 500  # stories per transaction: short enough that readers and refreshes never wait long
_MAX_ALIASES = 12


def update_index(store: Store, *, cancel: threading.Event | None = None) -> int:
    """Index every analysed story not yet in the index, and recompute the entities whose
    stories changed (added, deleted or re-analysed). Returns how many stories were indexed.

    Safe to run from any thread and from two processes at once: each batch is one
    transaction that picks its stories inside it. Cancelling stops between batches and keeps
    what was done.
    """
    total = 0
    while cancel is None or not cancel.is_set():
        with store.index.batch() as batch:
            adopt_orphans(batch)  # before new facts look for events to join
            done = _index_batch(batch)
            _recompute_dirty(batch)
        total += done
        if done < BATCH:
            break
    return total


@dataclass
class _StoryEntity:
    key: str
    kind: str
    mentions: int
    forms: list[str] = field(default_factory=list)


def _index_batch(batch: IndexBatch) -> int:
    stories = batch.unindexed(BATCH)
    if not stories:
        return 0
    ids = [story.id for story in stories]
    alias = _Aliases(batch)
    per_story = batch.entities_of(ids)
    fixes = batch.corrections_of(ids)
    facts = batch.facts_of(ids)

    found_by_story: list[tuple[int, int, list[_StoryEntity]]] = []
    new_facts: list[NewFact] = []
    fact_keys: list[tuple[str, str, int, int]] = []
    for story in stories:
        sid, published = story.id, story.published
        found: list[_StoryEntity] = []
        by_name: dict[str, str] = {}
        corrected, removed = _corrected(per_story[sid], fixes.get(sid, []))
        for forms, kind, count, local in corrected:
            key = alias.resolve(forms)
            for form in (*forms, *local):
                by_name.setdefault(form, key)
            found.append(_StoryEntity(key, kind, count, forms))
        found_by_story.append((sid, published, found))
        for fact in facts[sid]:
            skey = sort_key(fact.date)
            if skey is None:
                continue  # PRESENT_REF and the like have no place on a calendar
            names = list(fact.entities)
            new_facts.append(NewFact(sid, fact.position, skey, story.feed_id,
                                     fact.sentence, fact_tokens(fact.sentence, names)))
            for name in names:
                if name in removed:
                    continue
                named = by_name.get(name) or alias.lookup(name)
                if named is not None:
                    fact_keys.append((named, skey, sid, fact.position))

    # Keys are final only now: a later story in the batch may have merged two of them.
    story_rows: list[tuple[object, ...]] = []
    for sid, published, found in found_by_story:
        merged: dict[str, _StoryEntity] = {}
        for e in found:
            key = alias.final(e.key)
            item = merged.setdefault(key, _StoryEntity(key, e.kind, 0, []))
            item.mentions += e.mentions
            item.forms += [f for f in e.forms if f not in item.forms]
        story_rows += [(e.key, sid, published // 86400, published, e.mentions, e.kind,
                        json.dumps(e.forms, ensure_ascii=False)) for e in merged.values()]
    fact_entity_rows = sorted({(alias.final(k), *rest) for k, *rest in fact_keys})
    batch.write(ids, story_rows, assign_events(batch, new_facts), fact_entity_rows)
    alias.save()
    return len(ids)


def _corrected(extracted: list[ExtractedEntity], fixes: list[EntityCorrection]
               ) -> tuple[list[tuple[list[str], str, int, list[str]]], set[str]]:
    """A story's entities after the reader's corrections, as (forms, kind, mentions, local
    names), and the names the reader removed.

    Forms decide the entity's key and become its aliases across stories. A name merged into
    another is only a local name: the reader said what it means in this story, which must not
    join two entities in every other story.
    """
    plain: list[tuple[list[str], str, int, list[str]]] = [
        ([e.name, *e.aliases], e.kind, e.mentions, []) for e in extracted]
    if not fixes:
        return plain, set()
    originals = [Entity(e.name, e.kind, e.aliases) for e in extracted]
    fixed, renamed = apply_corrections(originals, fixes)
    counts: Counter[str] = Counter()
    local: dict[str, list[str]] = {}
    for forms, _, n, _ in plain:
        now = renamed.get(forms[0], forms[0])
        if now:
            counts[now] += n
            if now != forms[0]:
                local.setdefault(now, []).extend(forms)
    own = {forms[0]: forms for forms, *_ in plain}
    out = []
    for e in fixed:
        # A merge target keeps its own spellings; a renamed entity has only its new name.
        forms = own.get(e.name) or [e.name]
        out.append((forms, e.kind, counts[e.name] or 1, local.get(e.name, [])))
    return out, {name for name, now in renamed.items() if not now}


def _single(norm: str) -> bool:
    return " " not in norm


class _Aliases:
    """The normalised-name → key table, loaded once per batch and written back at its end.

    A key is the normalised full name (else the name) of the first entity that needed one.
    A story's entity joins an existing key when its name or any alias normalises to a name
    already known, and two known keys it links are merged; but when the entity has a full
    name, a one-word name (a surname) that leads to a different full name is ignored, so
    "Smith" never makes John Smith and Jane Smith one person. A story that names someone only
    by surname joins whoever first claimed it.
    """

    def __init__(self, batch: IndexBatch) -> None:
        self.batch = batch
        self.table: dict[str, str] = batch.aliases()
        self.new: dict[str, str] = {}
        self.renamed: dict[str, str] = {}

    def final(self, key: str) -> str:
        """Where `key` ended up after this batch's merges."""
        while key in self.renamed:
            key = self.renamed[key]
        return key

    def lookup(self, name: str) -> str | None:
        return self.table.get(normalise(name))

    def resolve(self, forms: list[str]) -> str:
        norms = list(dict.fromkeys(n for n in map(normalise, forms) if n))
        if not norms:
            norms = [display_fold(forms[0]) or "?"]
        full = next((n for n in norms if not _single(n)), None)
        # A hit is weak when only a one-word name (a surname) leads to a full name's key.
        hits: dict[str, bool] = {}
        for norm in norms:
            key = self.table.get(norm)
            if key is not None:
                key = self.final(key)
                hits[key] = hits.get(key, False) or not _single(norm) or _single(key)
        if full is not None:  # this entity has a full name: surnames alone do not decide
            hits = {k: strong for k, strong in hits.items() if strong}
        if not hits:
            key = full or norms[0]
        else:
            key = next((k for k in hits if not _single(k)), next(iter(hits)))
            for other in hits:
                if other != key:
                    self._merge(other, key)
        for norm in norms:
            if norm not in self.table:
                self.table[norm] = self.new[norm] = key
        return key

    def _merge(self, old: str, new: str) -> None:
        """Move everything indexed under `old` to `new` (an alias showed they are one)."""
        self.renamed[old] = new
        for norm, key in self.table.items():
            if key == old:
                self.table[norm] = self.new[norm] = new
        self.batch.merge_keys(old, new)

    def save(self) -> None:
        self.batch.save_aliases(self.new.items())
        self.new.clear()


def _recompute_dirty(batch: IndexBatch) -> None:
    """Finish the index rows of entities whose stories changed (the triggers keep their
    counts): dates, name, kind and aliases; drop entities left with no story."""
    names: dict[str, Counter[str]] = {}
    kinds: dict[str, Counter[str]] = {}
    others: dict[str, Counter[str]] = {}
    for key, form, is_name, kind, n in batch.dirty_forms():
        if is_name:
            names.setdefault(key, Counter())[form] += n
            kinds.setdefault(key, Counter())[kind] += n
        else:
            others.setdefault(key, Counter())[form] += n
    summaries = []
    for key in names.keys() | others.keys():
        every = names.get(key, Counter()) + others.get(key, Counter())
        # Prefer spellings of the key itself: the full name over a surname used as a name.
        own = Counter({f: n for f, n in every.items() if normalise(f) == key})
        name = _display_name(key, own or names.get(key) or Counter({key: 1}))
        seen = {display_fold(name)}
        aliases: list[str] = []
        for form, _ in every.most_common():
            folded = display_fold(form)
            if folded not in seen and len(aliases) < _MAX_ALIASES:
                seen.add(folded)
                aliases.append(form)
        kind = (kinds.get(key) or Counter({"other": 1})).most_common(1)[0][0]
        forms = (name, *aliases)
        search = "\n".join(dict.fromkeys([*map(normalise, forms), *map(fold, forms)]))
        summaries.append(EntitySummary(key, name, kind, tuple(aliases), search))
    batch.finish_dirty(summaries)


def _display_name(key: str, counted: Counter[str]) -> str:
    """The spelling most stories use ("Kyiv's" counts for "Kyiv"); on a tie, the canonical
    spelling of the variant table, then mixed case over a headline's capitals."""
    groups: dict[str, Counter[str]] = {}
    for form, n in counted.items():
        groups.setdefault(display_fold(form), Counter())[strip_possessive(form)] += n
    best = max(groups.values(), key=lambda g: (
        sum(g.values()), any(fold(f) == key for f in g), -min(map(len, g))))
    return max(best, key=lambda f: (best[f], not f.isupper(), f))
