"""The store's part of the cross-story index: the SQL that reads and writes the entity index,
the fact index and the merged timeline.

Which names are one entity and which facts are one event is decided in reader.index; this
module only moves rows. Writing goes through an IndexBatch, one transaction per batch of
stories (reader.index.build.update_index). The triggers of migrations 3 and 4 keep counts and
mark entities dirty as stories come and go.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from reader.models import EntityCorrection, IndexedEntity, Story
from reader.store import rows
from reader.store.db import Database


@dataclass(frozen=True, slots=True)
class EntitySummary:
    """What the index shows of an entity: its display name, kind and aliases, and the text
    its searches match (each form folded and normalised, one a line)."""

    key: str
    name: str
    kind: str
    aliases: tuple[str, ...]
    search: str


class IndexBatch:
    """The reads and writes of one indexing batch, all inside one transaction."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def unindexed(self, limit: int) -> list[rows.StoryToIndex]:
        """Analysed stories not yet in the index, oldest id first."""
        found = self._conn.execute(
            "SELECT s.id, s.feed_id, coalesce(s.published, s.fetched) AS published FROM stories s"
            " WHERE s.analysed = 1 AND NOT EXISTS"
            " (SELECT 1 FROM indexed_stories i WHERE i.story_id = s.id) ORDER BY s.id LIMIT ?",
            (limit,),
        ).fetchall()
        return [rows.story_to_index(r) for r in found]

    def entities_of(self, ids: Sequence[int]) -> dict[int, list[rows.ExtractedEntity]]:
        out: dict[int, list[rows.ExtractedEntity]] = {i: [] for i in ids}
        for r in self._conn.execute(
            f"SELECT story_id, name, kind, aliases, count FROM story_entities"
            f" WHERE story_id IN ({_marks(ids)}) ORDER BY story_id, rank", ids,
        ):
            out[r["story_id"]].append(rows.extracted_entity(r))
        return out

    def corrections_of(self, ids: Sequence[int]) -> dict[int, list[EntityCorrection]]:
        out: dict[int, list[EntityCorrection]] = {}
        for r in self._conn.execute(
            f"SELECT * FROM entity_corrections WHERE story_id IN ({_marks(ids)}) ORDER BY id",
            ids,
        ):
            out.setdefault(r["story_id"], []).append(rows.correction(r))
        return out

    def facts_of(self, ids: Sequence[int]) -> dict[int, list[rows.StoredFact]]:
        out: dict[int, list[rows.StoredFact]] = {i: [] for i in ids}
        for r in self._conn.execute(
            f"SELECT story_id, position, date, sentence, entities FROM story_facts"
            f" WHERE story_id IN ({_marks(ids)})", ids,
        ):
            out[r["story_id"]].append(rows.stored_fact(r))
        return out

    # Aliases: normalised name -> entity key ---------------------------------------------------

    def aliases(self) -> dict[str, str]:
        return dict(self._conn.execute("SELECT norm, key FROM entity_alias"))

    def save_aliases(self, items: Iterable[tuple[str, str]]) -> None:
        self._conn.executemany("INSERT OR REPLACE INTO entity_alias (norm, key) VALUES (?, ?)",
                               list(items))

    def merge_keys(self, old: str, new: str) -> None:
        """Move everything indexed under `old` to `new` (an alias showed they are one)."""
        conn = self._conn
        conn.execute("UPDATE entity_alias SET key = ? WHERE key = ?", (new, old))
        # A story indexed under both keys keeps one row with the mentions added up.
        conn.execute(
            "UPDATE entity_story SET mentions = mentions + (SELECT o.mentions FROM entity_story o"
            " WHERE o.key = ? AND o.story_id = entity_story.story_id) WHERE key = ? AND story_id"
            " IN (SELECT story_id FROM entity_story WHERE key = ?)", (old, new, old))
        conn.execute("DELETE FROM entity_story WHERE key = ? AND story_id IN"
                     " (SELECT story_id FROM entity_story WHERE key = ?)", (old, new))
        # Renaming fires no insert or delete trigger: move the counts and spellings here.
        conn.execute("UPDATE entity_story SET key = ? WHERE key = ?", (new, old))
        conn.execute(
            "INSERT INTO entity_form (key, form, name, kind, n) SELECT ?, form, name, kind, n"
            " FROM entity_form WHERE key = ? AND n > 0 ON CONFLICT (key, form, name, kind)"
            " DO UPDATE SET n = n + excluded.n", (new, old))
        conn.execute("DELETE FROM entity_form WHERE key = ?", (old,))
        conn.execute("DELETE FROM entity_index WHERE key = ?", (old,))
        conn.execute(
            "INSERT INTO entity_index (key, name, kind, stories, mentions)"
            " SELECT ?, ?, '', count(*), coalesce(sum(mentions), 0) FROM entity_story"
            " WHERE key = ? ON CONFLICT (key) DO UPDATE SET stories = excluded.stories,"
            " mentions = excluded.mentions", (new, new, new))
        conn.execute("UPDATE OR IGNORE fact_entity SET key = ? WHERE key = ?", (new, old))
        conn.execute("DELETE FROM fact_entity WHERE key = ?", (old,))
        conn.execute("DELETE FROM entity_dirty WHERE key = ?", (old,))
        conn.execute("INSERT OR IGNORE INTO entity_dirty (key) VALUES (?)", (new,))

    # Events -------------------------------------------------------------------------------

    def event_representatives(self, sort_keys: Sequence[str]
                              ) -> dict[str, list[tuple[int, str]]]:
        """(event, tokens) of the representative fact of each event on these dates."""
        out: dict[str, list[tuple[int, str]]] = {key: [] for key in sort_keys}
        for i in range(0, len(sort_keys), 500):
            chunk = sort_keys[i : i + 500]
            for skey, event, tokens in self._conn.execute(
                f"SELECT sort_key, event, tokens FROM fact_index WHERE rep = 1 AND sort_key IN"
                f" ({_marks(chunk)})", chunk):
                out[skey].append((event, tokens))
        return out

    def orphaned_events(self) -> list[tuple[int, rows.StoredFact]]:
        """Events whose representative fact was deleted, each with its earliest remaining fact
        as (story id, fact); the list of orphans is emptied."""
        out = []
        for skey, event in self._conn.execute("SELECT sort_key, event FROM fact_orphans"
                                              ).fetchall():
            r = self._conn.execute(
                "SELECT fi.story_id, sf.position, sf.date, sf.sentence, sf.entities"
                " FROM fact_index fi JOIN story_facts sf ON sf.story_id = fi.story_id"
                " AND sf.position = fi.position WHERE fi.sort_key = ? AND fi.event = ?"
                " ORDER BY fi.story_id, fi.position LIMIT 1", (skey, event)).fetchone()
            if r is not None:
                out.append((r["story_id"], rows.stored_fact(r)))
        self._conn.execute("DELETE FROM fact_orphans")
        return out

    def make_representative(self, story_id: int, position: int, tokens: str) -> None:
        self._conn.execute("UPDATE fact_index SET rep = 1, tokens = ? WHERE story_id = ?"
                           " AND position = ?", (tokens, story_id, position))

    # Writing a batch ------------------------------------------------------------------------

    def write(self, ids: Sequence[int], entity_rows: Sequence[tuple[object, ...]],
              fact_rows: Sequence[tuple[object, ...]],
              fact_entity_rows: Sequence[tuple[object, ...]]) -> None:
        """Index these stories: entity_story (key, story_id, day, published, mentions, kind,
        forms), fact_index (story_id, position, sort_key, feed_id, event, rep, tokens) and
        fact_entity (key, sort_key, story_id, position) rows."""
        conn = self._conn
        # Normally there is nothing to delete; if there is, the triggers must see it go.
        for table in ("entity_story", "fact_index", "fact_entity"):
            conn.execute(f"DELETE FROM {table} WHERE story_id IN ({_marks(ids)})", ids)
        conn.executemany(
            "INSERT INTO entity_story (key, story_id, day, published, mentions, kind,"
            " forms) VALUES (?, ?, ?, ?, ?, ?, ?)", entity_rows)
        conn.executemany("INSERT INTO fact_index (story_id, position, sort_key, feed_id,"
                         " event, rep, tokens) VALUES (?, ?, ?, ?, ?, ?, ?)", fact_rows)
        conn.executemany("INSERT OR IGNORE INTO fact_entity (key, sort_key, story_id, position)"
                         " VALUES (?, ?, ?, ?)", fact_entity_rows)
        conn.executemany("INSERT OR IGNORE INTO indexed_stories (story_id) VALUES (?)",
                         [(i,) for i in ids])

    def dirty_forms(self) -> list[tuple[str, str, bool, str, int]]:
        """(key, form, is a name, kind, count) of every entity whose stories changed, after
        dropping those left with no story and bringing their first and last dates up to date."""
        conn = self._conn
        dirty = "(SELECT key FROM entity_dirty)"
        conn.execute(f"DELETE FROM entity_index WHERE stories <= 0 AND key IN {dirty}")
        conn.execute(f"DELETE FROM entity_form WHERE n <= 0 AND key IN {dirty}")
        span = "(published) FROM entity_story es WHERE es.key = entity_index.key"
        conn.execute(f"UPDATE entity_index SET first_seen = (SELECT min{span}),"
                     f" last_seen = (SELECT max{span}) WHERE key IN {dirty}")
        return [(key, form, bool(is_name), kind, n) for key, form, is_name, kind, n in
                conn.execute(f"SELECT key, form, name, kind, n FROM entity_form"
                             f" WHERE key IN {dirty}")]

    def finish_dirty(self, summaries: Sequence[EntitySummary]) -> None:
        """Store what the dirty entities are now called and known as; mark them clean."""
        self._conn.executemany(
            "UPDATE entity_index SET name = ?, kind = ?, aliases = ?, search = ? WHERE key = ?",
            [(e.name, e.kind, json.dumps(list(e.aliases), ensure_ascii=False), e.search, e.key)
             for e in summaries])
        self._conn.execute("DELETE FROM entity_dirty")


def _marks(items: Sequence[object]) -> str:
    return ",".join("?" * len(items))


class IndexStore:
    """Reading the entity index and the fact index; writing them through batch().

    Store.index, made on first use: showing the story list needs none of it."""

    def __init__(self, db: Database) -> None:
        self.db = db

    @contextlib.contextmanager
    def batch(self) -> Iterator[IndexBatch]:
        """One indexing batch: everything written together or not at all."""
        with self.db.transaction() as conn:
            yield IndexBatch(conn)

    def indexed_entities(self, *, kind: str | None = None, search: Sequence[str] = (),
                         limit: int = 200, offset: int = 0) -> list[IndexedEntity]:
        """Entities in the most stories first (then most mentions), optionally of one kind
        and whose search text holds any of `search` (already folded or normalised)."""
        clauses: list[str] = []
        params: list[object] = []
        if kind:
            clauses.append("e.kind = ?")
            params.append(kind)
        if search:
            clauses.append("(" + " OR ".join(["instr(e.search, ?) > 0"] * len(search)) + ")")
            params += search
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        found = self.db.query(
            f"SELECT {rows.INDEXED_ENTITY_COLUMNS} FROM entity_index e {where}"
            " ORDER BY e.stories DESC, e.mentions DESC, e.key LIMIT ? OFFSET ?",
            (*params, limit, offset))
        return [rows.indexed_entity(r) for r in found]

    def indexed_entity(self, key: str) -> IndexedEntity | None:
        found = self.db.query(
            f"SELECT {rows.INDEXED_ENTITY_COLUMNS} FROM entity_index e WHERE e.key = ?", (key,))
        return rows.indexed_entity(found[0]) if found else None

    def entity_key(self, key: str, norm: str) -> str | None:
        """The key of the indexed entity whose key is `key` or one of whose names normalises
        to `norm`; None if there is none."""
        if self.db.query("SELECT 1 FROM entity_index WHERE key = ?", (key,)):
            return key
        found = self.db.query(
            "SELECT a.key FROM entity_alias a JOIN entity_index e ON e.key = a.key"
            " WHERE a.norm = ?", (norm,))
        return str(found[0][0]) if found else None

    def entity_stories(self, key: str, limit: int) -> list[Story]:
        """The stories naming an entity, newest first."""
        found = self.db.query(
            f"SELECT {rows.STORY_COLUMNS} FROM entity_story es"
            " JOIN stories s ON s.id = es.story_id JOIN feeds f ON f.id = s.feed_id"
            " WHERE es.key = ? ORDER BY es.published DESC, s.id DESC LIMIT ?", (key, limit))
        return [rows.story(r) for r in found]

    def related_entities(self, key: str, limit: int) -> list[tuple[IndexedEntity, int]]:
        """The entities most often in the same stories as `key`, with how many they share."""
        found = self.db.query(
            f"SELECT {rows.INDEXED_ENTITY_COLUMNS}, shared FROM"
            " (SELECT b.key AS other, count(*) AS shared FROM entity_story a"
            "  JOIN entity_story b ON b.story_id = a.story_id AND b.key != a.key"
            "  WHERE a.key = ? GROUP BY b.key ORDER BY shared DESC, b.key LIMIT ?)"
            " JOIN entity_index e ON e.key = other ORDER BY shared DESC, e.stories DESC, e.key",
            (key, limit))
        return [(rows.indexed_entity(r), int(r["shared"])) for r in found]

    def daily_mentions(self, keys: Sequence[str], first: int | None = None,
                       last: int | None = None) -> dict[str, dict[int, int]]:
        """Mentions per UTC day number (unix time // 86400) for each key, between the days
        `first` and `last` when given."""
        out: dict[str, dict[int, int]] = {key: {} for key in keys}
        if not keys:
            return out
        span = "" if first is None or last is None else " AND day BETWEEN ? AND ?"
        bounds = () if first is None or last is None else (first, last)
        for key, day, n in self.db.query(
                f"SELECT key, day, sum(mentions) FROM entity_story WHERE key IN ({_marks(keys)})"
                f"{span} GROUP BY key, day", (*keys, *bounds)):
            out[key][int(day)] = int(n)
        return out

    def newest_day(self) -> int | None:
        """The day number of the newest indexed story, None when the index is empty."""
        found = self.db.query("SELECT max(day) FROM entity_story")
        return int(found[0][0]) if found and found[0][0] is not None else None

    def fact_rows(self, *, key: str | None = None, feed_id: int | None = None,
                  low: str | None = None, high: str | None = None, after: str | None = None,
                  newest_first: bool = False) -> Iterator[rows.FactRow]:
        """Indexed facts in date order (sort key ascending, or descending), read lazily so a
        reader that has enough stops the query. `key` keeps facts naming that entity,
        `feed_id` facts of that feed; sort keys are >= `low`, < `high`, and past `after` in
        reading order."""
        clauses: list[str] = []
        params: list[object] = []
        if key is not None:
            source = ("fact_entity x JOIN fact_index fi ON fi.story_id = x.story_id"
                      " AND fi.position = x.position")
            event, feed = "fi.event", "fi.feed_id"
            clauses.append("x.key = ?")
            params.append(key)
        else:
            source, event, feed = "fact_index x", "x.event", "x.feed_id"
        if feed_id is not None:
            clauses.append(f"{feed} = ?")
            params.append(feed_id)
        if low is not None:
            clauses.append("x.sort_key >= ?")
            params.append(low)
        if high is not None:
            clauses.append("x.sort_key < ?")
            params.append(high)
        if after is not None:
            clauses.append(f"x.sort_key {'<' if newest_first else '>'} ?")
            params.append(after)
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        sql = (
            "SELECT x.sort_key, sf.date, sf.sentence, sf.span_start, sf.span_end, sf.entities,"
            " x.story_id, x.position, s.feed_id, f.title AS feed_title, s.title,"
            f" coalesce(s.published, s.fetched) AS published, {event} AS event"
            f" FROM {source} CROSS JOIN story_facts sf ON sf.story_id = x.story_id"
            " AND sf.position = x.position CROSS JOIN stories s ON s.id = x.story_id"
            f" CROSS JOIN feeds f ON f.id = s.feed_id {where}"
            f" ORDER BY x.sort_key {'DESC' if newest_first else 'ASC'}"
        )
        return map(rows.fact_row, self.db.rows(sql, params))
