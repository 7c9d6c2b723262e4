"""The SQLite schema as numbered migrations, applied in order under `PRAGMA user_version`.

A migration is never edited once released: add a new one instead.
"""

from __future__ import annotations

MIGRATIONS: tuple[str, ...] = (
    # 1: feeds, stories, full-text search, per-story entities and timeline facts.
    """
    CREATE TABLE feeds (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL DEFAULT '',
        site_url TEXT,
        full_text INTEGER NOT NULL DEFAULT 1,
        is_page_list INTEGER NOT NULL DEFAULT 0,
        etag TEXT,
        last_modified TEXT,
        last_checked INTEGER,
        last_error TEXT,
        added INTEGER NOT NULL
    );
    CREATE TABLE stories (
        id INTEGER PRIMARY KEY,
        feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
        guid TEXT NOT NULL,
        title TEXT NOT NULL DEFAULT '',
        url TEXT,
        published INTEGER,
        author TEXT,
        body TEXT NOT NULL DEFAULT '',
        full_text INTEGER NOT NULL DEFAULT 0,
        image_url TEXT,
        extract_error TEXT,
        page_state INTEGER NOT NULL DEFAULT 0,
        analysed INTEGER NOT NULL DEFAULT 0,
        read INTEGER NOT NULL DEFAULT 0,
        starred INTEGER NOT NULL DEFAULT 0,
        scroll REAL NOT NULL DEFAULT 0,
        fetched INTEGER NOT NULL,
        UNIQUE (feed_id, guid)
    );
    CREATE INDEX stories_by_date ON stories (published DESC, id DESC);
    CREATE INDEX stories_by_feed ON stories (feed_id, published DESC, id DESC);
    CREATE INDEX stories_unread ON stories (feed_id) WHERE read = 0;
    CREATE INDEX stories_pending_page ON stories (page_state) WHERE page_state = 1;
    CREATE INDEX stories_pending_nlp ON stories (analysed) WHERE analysed = 0;

    CREATE VIRTUAL TABLE stories_fts USING fts5(
        title, body, content='stories', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER stories_ai AFTER INSERT ON stories BEGIN
        INSERT INTO stories_fts (rowid, title, body) VALUES (new.id, new.title, new.body);
    END;
    CREATE TRIGGER stories_ad AFTER DELETE ON stories BEGIN
        INSERT INTO stories_fts (stories_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
    END;
    CREATE TRIGGER stories_au AFTER UPDATE OF title, body ON stories BEGIN
        INSERT INTO stories_fts (stories_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
        INSERT INTO stories_fts (rowid, title, body) VALUES (new.id, new.title, new.body);
    END;

    CREATE TABLE story_entities (
        story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
        rank INTEGER NOT NULL,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        aliases TEXT NOT NULL DEFAULT '[]',
        mentions TEXT NOT NULL DEFAULT '[]',
        count INTEGER NOT NULL,
        PRIMARY KEY (story_id, rank)
    ) WITHOUT ROWID;
    CREATE INDEX story_entities_by_name ON story_entities (name, story_id);

    CREATE TABLE story_facts (
        story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        date TEXT NOT NULL,
        span_start INTEGER NOT NULL,
        span_end INTEGER NOT NULL,
        sentence TEXT NOT NULL,
        entities TEXT NOT NULL DEFAULT '[]',
        relative INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (story_id, position)
    ) WITHOUT ROWID;
    CREATE INDEX story_facts_by_date ON story_facts (date);
    """,
    # 2: the reader's annotations: notes (optionally on a quoted passage), highlights, tags,
    # corrections to extracted entities, and where each story was saved. Tags compare
    # without (ASCII) case, so "Kharkiv" and "kharkiv" are one tag. A saved file is keyed by
    # its path, so a story may be saved to several folders and each file knows its story.
    """
    CREATE TABLE notes (
        id INTEGER PRIMARY KEY,
        story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
        quote TEXT,
        quote_start INTEGER,
        quote_end INTEGER,
        text TEXT NOT NULL,
        created INTEGER NOT NULL,
        updated INTEGER NOT NULL
    );
    CREATE INDEX notes_by_story ON notes (story_id);
    CREATE TABLE highlights (
        id INTEGER PRIMARY KEY,
        story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        text TEXT NOT NULL,
        created INTEGER NOT NULL
    );
    CREATE INDEX highlights_by_story ON highlights (story_id);
    CREATE TABLE tags (
        story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
        tag TEXT NOT NULL COLLATE NOCASE,
        PRIMARY KEY (story_id, tag)
    ) WITHOUT ROWID;
    CREATE INDEX tags_by_tag ON tags (tag);
    CREATE TABLE entity_corrections (
        id INTEGER PRIMARY KEY,
        story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        action TEXT NOT NULL CHECK (action IN ('remove', 'retype', 'merge')),
        kind TEXT,
        target TEXT,
        created INTEGER NOT NULL
    );
    CREATE INDEX entity_corrections_by_story ON entity_corrections (story_id);
    CREATE TABLE saved_files (
        path TEXT PRIMARY KEY,
        story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
        format TEXT NOT NULL,
        saved INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX saved_files_by_story ON saved_files (story_id, format);
    """,
    # 3: the cross-story entity index and merged timeline (reader.index.queries keeps them).
    # entity_story, fact_index and fact_entity hang off stories(id), so deleting stories
    # drops their contributions. Triggers on entity_story keep each entity's counts and
    # spellings (entity_index, entity_form) and mark it dirty for reader.index.queries to
    # finish; a story whose analysis is rewritten (analysed set again) is forgotten so the
    # next update indexes it afresh.
    """
    CREATE TABLE entity_index (
        key TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        aliases TEXT NOT NULL DEFAULT '[]',
        search TEXT NOT NULL DEFAULT '',
        stories INTEGER NOT NULL DEFAULT 0,
        mentions INTEGER NOT NULL DEFAULT 0,
        first_seen INTEGER,
        last_seen INTEGER
    ) WITHOUT ROWID;
    CREATE INDEX entity_index_by_kind ON entity_index (kind, stories DESC, mentions DESC);
    CREATE INDEX entity_index_by_stories ON entity_index (stories DESC, mentions DESC);
    CREATE TABLE entity_story (
        key TEXT NOT NULL,
        story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
        day INTEGER NOT NULL,
        published INTEGER NOT NULL,
        mentions INTEGER NOT NULL,
        kind TEXT NOT NULL,
        forms TEXT NOT NULL DEFAULT '[]',
        PRIMARY KEY (key, story_id)
    ) WITHOUT ROWID;
    CREATE INDEX entity_story_by_story ON entity_story (story_id, key);
    CREATE INDEX entity_story_by_day ON entity_story (day, key, mentions);
    CREATE INDEX entity_story_by_date ON entity_story (key, published);
    CREATE TABLE entity_form (
        key TEXT NOT NULL,
        form TEXT NOT NULL,
        name INTEGER NOT NULL,
        kind TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (key, form, name, kind)
    ) WITHOUT ROWID;
    CREATE TABLE entity_alias (
        norm TEXT PRIMARY KEY,
        key TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX entity_alias_by_key ON entity_alias (key);
    CREATE TABLE entity_dirty (key TEXT PRIMARY KEY) WITHOUT ROWID;
    CREATE TABLE indexed_stories (
        story_id INTEGER PRIMARY KEY REFERENCES stories(id) ON DELETE CASCADE
    );
    CREATE TABLE fact_index (
        story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        sort_key TEXT NOT NULL,
        feed_id INTEGER NOT NULL,
        event INTEGER NOT NULL,
        rep INTEGER NOT NULL DEFAULT 0,
        tokens TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (story_id, position)
    ) WITHOUT ROWID;
    CREATE INDEX fact_index_by_date ON fact_index (sort_key, event);
    CREATE INDEX fact_index_reps ON fact_index (sort_key) WHERE rep = 1;
    CREATE INDEX fact_index_by_feed ON fact_index (feed_id, sort_key, event);
    CREATE TABLE fact_orphans (
        sort_key TEXT NOT NULL,
        event INTEGER NOT NULL,
        PRIMARY KEY (sort_key, event)
    ) WITHOUT ROWID;
    CREATE TRIGGER fact_index_ad AFTER DELETE ON fact_index WHEN old.rep = 1 BEGIN
        INSERT OR IGNORE INTO fact_orphans (sort_key, event) VALUES (old.sort_key, old.event);
    END;
    CREATE TABLE fact_entity (
        key TEXT NOT NULL,
        sort_key TEXT NOT NULL,
        story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        PRIMARY KEY (key, sort_key, story_id, position)
    ) WITHOUT ROWID;
    CREATE INDEX fact_entity_by_story ON fact_entity (story_id);
    CREATE TRIGGER entity_story_ai AFTER INSERT ON entity_story BEGIN
        INSERT INTO entity_index (key, name, kind, stories, mentions)
        VALUES (new.key, new.key, new.kind, 1, new.mentions)
        ON CONFLICT (key) DO UPDATE SET stories = stories + 1,
            mentions = mentions + excluded.mentions;
        INSERT INTO entity_form (key, form, name, kind, n)
        SELECT new.key, j.value, j.key = 0, iif(j.key = 0, new.kind, ''), 1
        FROM json_each(new.forms) AS j WHERE true
        ON CONFLICT (key, form, name, kind) DO UPDATE SET n = n + 1;
        INSERT OR IGNORE INTO entity_dirty (key) VALUES (new.key);
    END;
    CREATE TRIGGER entity_story_ad AFTER DELETE ON entity_story BEGIN
        UPDATE entity_index SET stories = stories - 1, mentions = mentions - old.mentions
        WHERE key = old.key;
        UPDATE entity_form SET n = n - 1 WHERE key = old.key AND (form, name, kind) IN
            (SELECT j.value, j.key = 0, iif(j.key = 0, old.kind, '')
             FROM json_each(old.forms) AS j);
        INSERT OR IGNORE INTO entity_dirty (key) VALUES (old.key);
    END;
    CREATE TRIGGER stories_reanalysed AFTER UPDATE OF analysed ON stories BEGIN
        DELETE FROM indexed_stories WHERE story_id = new.id;
        DELETE FROM entity_story WHERE story_id = new.id;
        DELETE FROM fact_index WHERE story_id = new.id;
        DELETE FROM fact_entity WHERE story_id = new.id;
    END;
    """,
    # 4: a correction of a story's entities (added or undone) forgets the story's entity
    # rows, so the next update of the index re-indexes that story with its corrections.
    # Its fact_index rows stay until then: the timeline keeps showing its facts.
    """
    CREATE TRIGGER entity_corrections_ai AFTER INSERT ON entity_corrections BEGIN
        DELETE FROM indexed_stories WHERE story_id = new.story_id;
        DELETE FROM entity_story WHERE story_id = new.story_id;
        DELETE FROM fact_entity WHERE story_id = new.story_id;
    END;
    CREATE TRIGGER entity_corrections_ad AFTER DELETE ON entity_corrections BEGIN
        DELETE FROM indexed_stories WHERE story_id = old.story_id;
        DELETE FROM entity_story WHERE story_id = old.story_id;
        DELETE FROM fact_entity WHERE story_id = old.story_id;
    END;
    """,
    # 5: counting starred stories (the feed list's Starred view, at every start) read the
    # whole stories table; a partial index keeps it to the starred rows.
    """
    CREATE INDEX stories_starred ON stories (feed_id) WHERE starred = 1;
    """,
    # 6: the reader's own name for a feed, which a refresh (bringing the feed's title)
    # leaves alone.
    """
    ALTER TABLE feeds ADD COLUMN user_title TEXT;
    """,
    # 7: a page whose fetch failed for a passing reason (a timeout, a 503, a dropped
    # connection) is tried again by later refreshes, each wait twice the one before:
    # page_tries counts failed attempts, page_retry_at is when the next may start (NULL:
    # not to be tried again).
    """
    ALTER TABLE stories ADD COLUMN page_tries INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE stories ADD COLUMN page_retry_at INTEGER;
    CREATE INDEX stories_page_retry ON stories (page_retry_at) WHERE page_retry_at IS NOT NULL;
    """,
)

# page_state values: what the full-text fetch of a story's page has done.
PAGE_NONE = 0  # not wanted (feed has full text off) or not yet decided
PAGE_PENDING = 1  # wanted, not fetched yet (or the fetch was interrupted)
PAGE_DONE = 2  # fetched and extracted
PAGE_FAILED = 3  # fetch or extraction failed; extract_error says why

# Retrying pages that failed for a passing reason: first after RETRY_AFTER seconds, then twice
# as long each time, for at most PAGE_TRIES attempts in all.
RETRY_AFTER = 600
PAGE_TRIES = 5
