"""Where warreader keeps its files. Nothing is created at import time.

Every location comes from platformdirs; `WARREADER_HOME` (or the CLI's `--data-dir`) puts all
of them under one folder, which the tests use to stay out of the real home directory.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from reader.errors import StoreError

APP_NAME = "warreader"
HOME_ENV = "WARREADER_HOME"


class Paths(NamedTuple):  # not a dataclass: cheaper to define at every start
    config_dir: Path
    data_dir: Path
    cache_dir: Path
    save_dir: Path

    @property
    def config_file(self) -> Path:
        return self.config_dir / "config.toml"

    @property
    def db_file(self) -> Path:
        return self.data_dir / "warreader.sqlite3"

    def ensure(self) -> Paths:
        """Create the data and cache folders (not the save folder: that waits for a save)."""
        for folder in (self.data_dir, self.cache_dir):
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"The folder {folder} could not be created"
                                 f" ({exc.strerror.lower() if exc.strerror else exc});"
                                 " use --data-dir to choose another.") from None
        return self


def default_paths(home: str | os.PathLike[str] | None = None) -> Paths:
    """Paths for this user, or all under `home` when given (or when WARREADER_HOME is set)."""
    root = home if home is not None else os.environ.get(HOME_ENV)
    if root:
        base = Path(root).expanduser().resolve()
        return Paths(
            config_dir=base / "config",
            data_dir=base / "data",
            cache_dir=base / "cache",
            save_dir=base / "saved",
        )
    import platformdirs

    return Paths(
        config_dir=Path(platformdirs.user_config_dir(APP_NAME)),
        data_dir=Path(platformdirs.user_data_dir(APP_NAME)),
        cache_dir=Path(platformdirs.user_cache_dir(APP_NAME)),
        save_dir=Path(platformdirs.user_documents_dir()) / APP_NAME,
    )
