"""What the reader chose in the app and expects to find next time (the layout), kept in a
small JSON file beside the cache. A missing or damaged file means the defaults."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

STATE_FILE = "ui-state.json"


def load_state(folder: Path) -> dict[str, str]:
    try:
        data = json.loads((folder / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): v for k, v in data.items() if isinstance(v, str)}


def save_state(folder: Path, **values: str) -> None:
    """Merge `values` into the state file, written to a temporary file and renamed."""
    state = load_state(folder) | values
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".ui-state-", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(state, fh)
        os.replace(tmp, folder / STATE_FILE)
    except OSError:
        Path(tmp).unlink(missing_ok=True)
        raise
