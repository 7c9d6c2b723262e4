"""Rebuilding a damaged cache from whatever can still be read of it.

The damaged file is moved aside (never deleted) with its -wal and -shm files, a fresh cache
is created in its place, and the reader's own data is copied over table by table and, where
a table is damaged, row by row: subscriptions, stories with their reading state, notes,
highlights, tags, entity corrections and saved files. Entities, timeline facts and the
cross-story index are derived data: stories are marked for analysis again and rebuild them.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path

from reader.store.db import Database

# The reader's data, parents before children so foreign keys hold.
TABLES = ("feeds", "stories", "notes", "highlights", "tags", "entity_corrections",
          "saved_files")
_CHUNK = 500


@dataclass
class RepairReport:
    moved_to: Path
    copied: dict[str, int] = field(default_factory=dict)
    lost: dict[str, int] = field(default_factory=dict)  # rows known to exist but unreadable
    unreadable: list[str] = field(default_factory=list)  # tables that could not be read at all


def move_aside(path: Path) -> Path:
    """Rename the cache (and its -wal/-shm files) to `<name>.damaged-<time>`; the new name."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.damaged-{stamp}")
    for suffix in ("", "-wal", "-shm"):
        source = Path(f"{path}{suffix}")
        if source.exists():
            os.replace(source, f"{aside}{suffix}")
    return aside


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]


def _rows(old: sqlite3.Connection, table: str, columns: list[str],
          report: RepairReport) -> list[tuple[object, ...]]:
    """Every readable row of `table`: in rowid chunks, and row by row inside a bad chunk."""
    cols = ", ".join(columns)
    try:
        return old.execute(f"SELECT {cols} FROM {table}").fetchall()
    except sqlite3.DatabaseError:
        pass
    try:  # WITHOUT ROWID tables have no rowid to step through
        top = old.execute(f"SELECT max(rowid) FROM {table}").fetchone()[0] or 0
    except sqlite3.DatabaseError:
        report.unreadable.append(table)
        return []
    rows: list[tuple[object, ...]] = []
    for start in range(0, top + 1, _CHUNK):
        sql = f"SELECT {cols} FROM {table} WHERE rowid BETWEEN ? AND ?"
        try:
            rows += old.execute(sql, (start, start + _CHUNK - 1)).fetchall()
            continue
        except sqlite3.DatabaseError:
            pass
        for rowid in range(start, start + _CHUNK):
            try:
                rows += old.execute(f"SELECT {cols} FROM {table} WHERE rowid = ?",
                                    (rowid,)).fetchall()
            except sqlite3.DatabaseError:
                report.lost[table] = report.lost.get(table, 0) + 1
    return rows


def repair(path: Path) -> RepairReport:
    """Move the cache at `path` aside and rebuild it from what can be read."""
    path = Path(path)
    report = RepairReport(moved_to=move_aside(path))
    old = sqlite3.connect(f"{report.moved_to.resolve().as_uri()}?mode=ro", uri=True)
    new = Database(path)
    try:
        for table in TABLES:
            try:
                columns = [c for c in _columns(old, table) if c in _columns(new.conn(), table)]
            except sqlite3.DatabaseError:
                columns = []
            if not columns:
                report.unreadable.append(table)
                continue
            rows = _rows(old, table, columns, report)
            marks = ", ".join("?" * len(columns))
            with new.transaction() as conn:
                before = conn.total_changes
                for row in rows:
                    with contextlib.suppress(sqlite3.IntegrityError):  # orphans of lost rows
                        conn.execute(f"INSERT OR IGNORE INTO {table} ({', '.join(columns)})"
                                     f" VALUES ({marks})", row)
                if table == "stories":  # entities and timeline are rebuilt by analysis
                    conn.execute("UPDATE stories SET analysed = 0")
                    copied = conn.execute("SELECT count(*) FROM stories").fetchone()[0]
                else:
                    copied = conn.total_changes - before
            report.copied[table] = copied
    finally:
        old.close()
        new.close()
    return report
