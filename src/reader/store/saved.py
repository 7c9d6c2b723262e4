"""The store's record of saved files: which file holds which story, so saving again updates
the story's own file and never takes another story's name."""

from __future__ import annotations

import time
from pathlib import Path

from reader.store.base import StoreBase


class SavedFilesMixin(StoreBase):
    def record_saved(self, path: Path, story_id: int, fmt: str) -> None:
        with self.db.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO saved_files (path, story_id, format, saved)"
                         " VALUES (?, ?, ?, ?)", (str(path), story_id, fmt, int(time.time())))

    def saved_paths(self, story_id: int, fmt: str) -> list[Path]:
        """The files this story was saved to in format `fmt`, latest first."""
        found = self.db.query("SELECT path FROM saved_files WHERE story_id = ? AND format = ?"
                              " ORDER BY saved DESC", (story_id, fmt))
        return [Path(r[0]) for r in found]

    def saved_file_owner(self, path: Path) -> int | None:
        """The story last saved to `path`, if any."""
        found = self.db.query("SELECT story_id FROM saved_files WHERE path = ?", (str(path),))
        return int(found[0][0]) if found else None
