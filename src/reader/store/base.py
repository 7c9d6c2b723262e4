"""What every part of the store shares: the database, and the checks writes begin with."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Self

from reader.errors import StoreError
from reader.store.db import Database


class StoreBase:
    """The shared base of the store's mixins (feeds, stories, annotations, corrections,
    saved files).

    Each part is a mixin holding one domain's SQL; reader.store.Store puts them together.
    """

    def __init__(self, path: Path) -> None:
        self.db = Database(path)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @staticmethod
    def _require_story(conn: sqlite3.Connection, story_id: int) -> None:
        if conn.execute("SELECT 1 FROM stories WHERE id = ?", (story_id,)).fetchone() is None:
            raise StoreError(f"There is no story {story_id}; it may have been removed.")
