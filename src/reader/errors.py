"""The project's errors. Their messages are written to be shown to a reader as they are."""

from __future__ import annotations


class ReaderError(Exception):
    """Base of every error warreader raises on purpose.

    Messages often quote what a server sent (a header, an address): they are cleaned here,
    once, so no error can carry an escape sequence to a terminal or a widget.
    """

    def __init__(self, message: str = "") -> None:
        from reader.text import strip_controls

        super().__init__(strip_controls(str(message)))


class FetchError(ReaderError):
    """A URL could not be fetched: network, HTTP status, size or time limits."""

    def __init__(self, message: str, *, url: str | None = None, status: int | None = None,
                 transient: bool = False) -> None:
        super().__init__(message)
        self.url = url
        self.status = status
        self.transient = transient


class FeedError(ReaderError):
    """A document was fetched but is not a feed we can read."""


class ExtractError(ReaderError):
    """No article text could be found in a page."""


class StoreError(ReaderError):
    """The local cache could not be read or written (disk full, read-only, corrupt)."""


class ConfigError(ReaderError):
    """The configuration file is invalid."""


class SaveError(ReaderError):
    """A story could not be saved to a file."""
