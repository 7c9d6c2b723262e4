"""What the screens over the cross-story index share: bringing the index up to date once
their first list is shown, and opening the story a merged fact came from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on, work
from textual.message import Message

from reader.index.build import update_index
from reader.index.timeline import FactSource, MergedFact
from reader.ui.messages import OpenStory
from reader.ui.screens.base import ReaderScreen

if TYPE_CHECKING:
    from textual.worker import Worker

class IndexScreen(ReaderScreen[None]):
    """A screen over the cross-story index. Once its first list is shown it brings the
    index up to date (stories a refresh stored, corrections made since), then reads its
    list again if anything was indexed. Subclasses say how to `reload` and show `_status`."""

    @dataclass
    class IndexUpdated(Message):
        added: int  # stories indexed

    def __init__(self) -> None:
        super().__init__()
        self._updating = False
        self._update_started = False

    def reload(self) -> None:
        raise NotImplementedError

    def _status(self) -> None:
        raise NotImplementedError

    def _update_after_first_list(self) -> None:
        if self._updating and not self._update_started:
            # Indexing competes with the first read for the interpreter: start it after.
            self._update_started = True
            self._update()

    @work(thread=True, exclusive=True, group="index-update", exit_on_error=False,
          description="bringing the index up to date")
    def _update(self) -> None:
        self.post_message(self.IndexUpdated(update_index(self.reader_app.store)))

    @on(IndexUpdated)
    def _index_updated(self, event: IndexUpdated) -> None:
        self._updated(event.added)

    @work(thread=True, group="map-warm", exit_on_error=False)
    def _warm_map(self) -> None:
        """Prepare the map M opens here (the developing story over every indexed story), read
        the base map and import the map screen: a few hundred milliseconds once the index is
        up to date, better spent here than after the key press (the import alone is 70 ms of
        the UI thread's). M pressed meanwhile waits for this."""
        from reader.geo.basemap import load_basemap
        from reader.ui.data.developing import developing_for

        self.reader_app.screen_class("developing_map")
        load_basemap()
        developing_for(self.reader_app.store)

    def worker_failed(self, worker: Worker[object], error: BaseException | None) -> None:
        super().worker_failed(worker, error)
        if worker.group == "index-update":
            self._updated(0)  # the list stays as read; the status stops saying "Updating"

    def _updated(self, added: int) -> None:
        self._warm_map()
        self._updating = False
        if added:
            self.reload()
        else:
            self._status()


def open_fact(screen: ReaderScreen[None], fact: MergedFact) -> None:
    """Open the story a fact came from at its sentence; with several sources, ask which."""
    from reader.ui.dialogs.index import SourcesDialog

    def chosen(source: FactSource | None) -> None:
        if source is not None:
            screen.post_message(OpenStory(source.story_id, source.span[0]))

    if len(fact.sources) == 1:
        chosen(fact.sources[0])
    else:
        screen.app.push_screen(SourcesDialog(fact), chosen)
