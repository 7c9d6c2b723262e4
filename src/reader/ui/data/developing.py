"""The developing story's places for the map, kept between openings of the map: the index
screens prepare it in a worker once the index is up to date, and M shows it."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.geo.places import Developing
    from reader.store import Store

# The last developing story read, by its filters and the state of the index; the lock makes
# a map opened while the index screen is still preparing it wait for that, not repeat it.
_DEVELOPING: dict[tuple[object, ...], Developing] = {}
_LOCK = threading.Lock()


def developing_for(store: Store, entity: str | None = None, feed_id: int | None = None,
                   since: str | None = None, until: str | None = None) -> Developing:
    """The developing story's places within these filters, read again only when the index
    has changed (or the filters differ). Called from workers: it reads the store."""
    from reader.geo.places import developing

    key = (store, entity, feed_id, since, until, store.places.index_version())
    with _LOCK:
        data = _DEVELOPING.get(key)
        if data is None:
            data = developing(store, entity=entity, feed_id=feed_id, since=since,
                              until=until)
            data.window()  # the whole period, which the map shows first
            _DEVELOPING.clear()
            _DEVELOPING[key] = data
    return data
