"""What the reader is told when background work fails (no Textual: screens and widgets
both use it)."""

from __future__ import annotations

from reader.errors import ReaderError
from reader.text import clean_line


def failure_text(description: str, error: BaseException | None) -> str:
    """What the reader is told when the work described as `description` raised `error`."""
    if isinstance(error, ReaderError):
        return clean_line(str(error), 400)
    reason = str(error).strip() if error is not None else ""
    reason = reason or (type(error).__name__ if error is not None else "unknown error")
    text = clean_line(f"Something went wrong while {description}: {reason}", 400)
    return text if text.endswith((".", "!", "?", "…")) else text + "."
