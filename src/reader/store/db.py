"""Opening the SQLite cache: WAL, migrations, one connection per thread, transactions."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from reader.errors import StoreError
from reader.store.schema import MIGRATIONS

# How long a connection waits for another writer (another warreader, a refresh) to finish.
BUSY_SECONDS = 10.0


def _friendly(exc: sqlite3.Error, path: Path) -> StoreError:
    text = str(exc).lower()
    if "disk is full" in text or "database or disk is full" in text:
        return StoreError("The disk is full: the cache could not be saved. Nothing was lost.")
    if "readonly" in text or "read-only" in text:
        return StoreError(f"The cache at {path} is read-only: it can be read, but changes"
                          " cannot be saved. Make its folder writable, or use --data-dir.")
    if "locked" in text or "busy" in text:
        return StoreError("The cache is busy in another warreader; try again in a moment.")
    if any(sign in text for sign in ("not a database", "malformed", "corrupt",
                                      "vtable constructor failed")):
        return StoreError(damaged_message(path))
    return StoreError(f"The cache could not be used: {exc}")


def damaged_message(path: Path) -> str:
    return (f"The cache at {path} is damaged or not a warreader database. Run"
            " `warreader repair` to move it aside and rebuild it from what can still be read"
            " (subscriptions, stories, notes, tags); or move it aside yourself, or use"
            " --data-dir to start with another folder.")


def _writable(path: Path) -> bool:
    """Whether warreader can write the cache: its folder (for the -wal and -shm files) and
    the file itself, if it exists. False on a read-only mount, even for root."""
    folder = path.parent
    if not os.access(folder, os.W_OK):
        return False
    return not path.exists() or os.access(path, os.W_OK)


def _enable_wal(conn: sqlite3.Connection) -> None:
    # Switching a new file to WAL needs an exclusive lock, and SQLite reports "locked" at
    # once instead of calling the busy handler when two processes create the file together.
    deadline = time.monotonic() + BUSY_SECONDS
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc).lower() or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _rollback(conn: sqlite3.Connection) -> None:
    # SQLite may already have rolled back by itself (a full disk): then there is nothing to
    # undo, and the error worth reporting is the one that got us here.
    if conn.in_transaction:
        conn.execute("ROLLBACK")


class Database:
    """A SQLite file shared by threads: each thread gets its own connection.

    WAL lets the UI read while a refresh writes, and lets two processes share the file.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._closed = False
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # A read-only folder or file is opened for reading: list, show, search and saves
        # work, and a write says the cache is read-only instead of "unable to open".
        self.read_only = not _writable(self.path)
        if self.read_only and not self.path.exists():
            raise StoreError(f"The folder {self.path.parent} is read-only, so warreader cannot"
                             " create its cache there. Use --data-dir to choose another.")
        self._migrate(self.conn())

    def conn(self) -> sqlite3.Connection:
        if self._closed:
            raise StoreError("The cache has been closed.")
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            try:
                conn = self._connect()
                conn.row_factory = sqlite3.Row
                if not self.read_only:
                    _enable_wal(conn)
                conn.execute("PRAGMA synchronous=NORMAL")
                conn.execute("PRAGMA foreign_keys=ON")
                conn.execute(f"PRAGMA busy_timeout={int(BUSY_SECONDS * 1000)}")
            except sqlite3.Error as exc:
                raise _friendly(exc, self.path) from None
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    def _connect(self) -> sqlite3.Connection:
        if not self.read_only:
            return sqlite3.connect(self.path, timeout=BUSY_SECONDS, isolation_level=None,
                                   check_same_thread=False)
        # In a read-only folder SQLite cannot create the -shm file WAL reading needs; nobody
        # can write there either, so the file is read as immutable.
        mode = "ro&immutable=1" if not os.access(self.path.parent, os.W_OK) else "ro"
        uri = f"{self.path.resolve().as_uri()}?mode={mode}"
        return sqlite3.connect(uri, uri=True, timeout=BUSY_SECONDS, isolation_level=None,
                               check_same_thread=False)

    def _migrate(self, conn: sqlite3.Connection) -> None:
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > len(MIGRATIONS):
                raise StoreError(
                    f"The cache at {self.path} was made by a newer warreader; please upgrade."
                )
            if version == len(MIGRATIONS):
                return
            if self.read_only:
                raise StoreError(f"The cache at {self.path} is read-only and was made by an"
                                 " older warreader: open it once from a writable folder to"
                                 " bring it up to date.")
            # BEGIN IMMEDIATE so two processes starting at once do not both migrate.
            conn.execute("BEGIN IMMEDIATE")
            try:
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                    for statement in split_statements(script):
                        conn.execute(statement)
                    conn.execute(f"PRAGMA user_version = {number}")
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise _friendly(exc, self.path) from None

    @contextlib.contextmanager
    def translated(self) -> Iterator[None]:
        """Any sqlite3 error inside as a StoreError in the reader's words: the one place
        the store's entry points (query, rows, transaction) translate errors."""
        try:
            yield
        except sqlite3.Error as exc:
            raise _friendly(exc, self.path) from None

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Everything inside is written together or not at all."""
        with self.translated():
            conn = self.conn()
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                _rollback(conn)
                raise
            try:
                conn.execute("COMMIT")
            except sqlite3.Error:
                _rollback(conn)
                raise

    def query(self, sql: str, params: Sequence[object] | Mapping[str, object] = ()
              ) -> list[sqlite3.Row]:
        with self.translated():
            return self.conn().execute(sql, params).fetchall()

    def rows(self, sql: str, params: Sequence[object] = ()) -> Iterator[sqlite3.Row]:
        """The rows one at a time, so a reader that stops early stops the query."""
        with self.translated():
            cursor = self.conn().execute(sql, params)
            try:
                yield from cursor
            finally:
                cursor.close()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            for conn in self._all:
                with contextlib.suppress(sqlite3.Error):
                    conn.close()
            self._all.clear()


def split_statements(script: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies whole."""
    out: list[str] = []
    buf = ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out
