"""Maps (key M): where the open story happens, and where the developing story happens over
time. Geocoding and the base map load in a worker on first use; nothing here is imported
until M is pressed, so start-up does not pay for it.

The story map marks the places the open story names, sized by mentions; Enter on a marker
goes back to the story at that place's next mention. The developing-story map marks the
places of every indexed story that passes the filters, sized by stories; it steps through
time a day or a week at a time (or plays), always saying which dates are in view, and Enter
on a marker lists the stories that name the place then.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Footer, Label, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker

from reader.models import Entity, Story
from reader.text import clean_line
from reader.ui.data.failures import failure_text
from reader.ui.dialogs.base import Dialog
from reader.ui.messages import OpenStory
from reader.ui.screens.base import ReaderScreen
from reader.ui.widgets.map_view import MapView

if TYPE_CHECKING:
    from reader.geo.basemap import BaseMap
    from reader.geo.model import Marker, PlaceMap
    from reader.geo.places import Developing
    from reader.geo.resolve import Placed

PLAY_SECONDS = 0.8
# The last developing story read, by its filters and the state of the index.
_DEVELOPING: dict[tuple[object, ...], Developing] = {}


def _date(day: dt.date | None) -> str:
    return day.strftime("%-d %b %Y") if day else "?"


def unplaced_line(unplaced: tuple[Placed, ...], hidden: int = 0, width: int = 200) -> Content:
    """The names that could not be placed, and how many placed ones are out of view."""
    out = Content.styled(f"{hidden} outside this view (a shows all) · ", "$text-muted") \
        if hidden else Content("")
    if not unplaced:
        return out + Content.styled("Every place named is on the map.", "$text-muted")
    names = ", ".join(clean_line(p.name, 40) for p in unplaced)
    return Content.assemble(out, Content.styled(f"Not placed ({len(unplaced)}): ",
                                                 "$text-warning"),
                            Content(clean_line(names, width)))


def marker_line(m: Marker | None, weight_word: str, empty: str = "No place to show.") -> Content:
    if m is None:
        return Content.styled(empty, "$text-muted")
    kind = {"settlement": "town", "district": "district"}.get(m.kind, m.kind)
    word = weight_word if m.weight != 1 else weight_word[:-1]  # "1 story", "2 stories"
    word = "story" if word == "storie" else word
    parts = [Content.styled(clean_line(m.name, 60), "bold"),
             Content.styled(f"  {kind} · {m.weight} {word}", "$text-muted")]
    if m.first_seen and m.last_seen:
        parts.append(Content.styled(
            f" · {_date(m.first_seen.date())} – {_date(m.last_seen.date())}", "$text-muted"))
    return Content.assemble(*parts)


class MapScreen(ReaderScreen[object]):
    """Title line, the map, the selected place and the places left off the map."""

    DEFAULT_CSS = """
    #map-title {
        height: auto;
        padding: 0 1;
        background: $panel;
    }
    #map {
        height: 1fr;
        background: $surface;
    }
    #map-info, #map-unplaced {
        height: 1;
        padding: 0 1;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q", "back", "Back")]
    KEY_WIDGETS = (MapView,)  # pan, zoom and step between places: on the help screen too
    weight_word = "mentions"
    empty_text = "The story names no place the gazetteer knows."

    def __init__(self, title: str) -> None:
        super().__init__()
        self.map_title = title
        self.place_map: PlaceMap | None = None

    def compose(self) -> ComposeResult:
        yield Static(Content(clean_line(self.map_title, 200)), id="map-title")
        yield MapView(id="map")
        yield Label(Content.styled("Placing the names on the map…", "$text-muted"),
                    id="map-info")
        yield Label("", id="map-unplaced")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(MapView).focus()

    def action_back(self) -> None:
        self.dismiss(None)

    def show_map(self, pm: PlaceMap, *, selected: str | None = None,
                 recent: frozenset[str] = frozenset(), refit: bool = True) -> None:
        self.place_map = pm
        view = self.query_one(MapView)
        view.show(pm.markers, selected=selected, recent=recent, refit=refit)
        self.query_one("#map-unplaced", Label).update(unplaced_line(pm.unplaced))

    @on(MapView.Moved)
    def _moved(self, event: MapView.Moved) -> None:
        self.query_one("#map-info", Label).update(
            marker_line(event.marker, self.weight_word, self.empty_text))

    @on(MapView.Drawn)
    def _drawn(self, event: MapView.Drawn) -> None:
        if self.place_map is not None:
            self.query_one("#map-unplaced", Label).update(
                unplaced_line(self.place_map.unplaced, event.hidden))

    def worker_failed(self, worker: Worker[object], error: BaseException | None) -> None:
        super().worker_failed(worker, error)
        if worker.group == "map":  # the map never came: say so where it would be
            self.query_one("#map-info", Label).update(
                Content.styled(failure_text(worker.description, error), "$text-error"))


class StoryMapScreen(MapScreen):
    """The places one story names. Dismisses with the entity whose marker was chosen."""

    @dataclass
    class Placed(Message):
        """The story's places, placed (from the worker)."""

        basemap: BaseMap
        place_map: PlaceMap

    def __init__(self, title: str, entities: list[Entity], selected: str | None = None) -> None:
        super().__init__(f"Where: {title}")
        self.entities = entities
        self.selected_name = selected

    def on_mount(self) -> None:
        super().on_mount()
        self._place()

    @work(thread=True, exclusive=True, group="map", exit_on_error=False,
          description="placing the story's places on the map")
    def _place(self) -> None:
        from reader.geo.basemap import load_basemap
        from reader.geo.places import story_map

        self.post_message(self.Placed(load_basemap(), story_map(self.entities, self.map_title)))

    @on(Placed)
    def _placed(self, event: Placed) -> None:
        self.query_one(MapView).basemap = event.basemap
        self.show_map(event.place_map, selected=self.selected_name)

    @on(MapView.Chosen)
    def _chosen(self, event: MapView.Chosen) -> None:
        entity = next((e for e in self.entities if e.name == event.marker.key), None)
        self.dismiss(entity)


class DevelopingMapScreen(MapScreen):
    """The places of the developing story, stepped through time."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "back", "Back"),
        Binding("full_stop", "step(1, 1)", "Day", key_display="."),
        Binding("comma", "step(-1, 1)", "Day back", key_display=",", show=False),
        Binding("greater_than_sign", "step(1, 7)", "Week", key_display=">"),
        Binding("less_than_sign", "step(-1, 7)", "Week back", show=False),
        Binding("space", "play", "Play"),
        Binding("A", "all_dates", "All dates"),
    ]
    weight_word = "stories"
    empty_text = "No indexed story names a place within these filters and dates."

    @dataclass
    class Loaded(Message):
        """The developing story's places over the whole period (from the worker)."""

        basemap: BaseMap
        data: Developing
        whole: PlaceMap

    @dataclass
    class WindowRead(Message):
        """The places of one window of dates (None: all of them)."""

        place_map: PlaceMap
        window: tuple[int, int] | None
        refit: bool

    @dataclass
    class StoriesRead(Message):
        """The stories that name a place, for the reader to pick one."""

        marker: Marker
        stories: list[Story]

    def __init__(self, *, entity: str | None = None, feed_id: int | None = None,
                 since: str | None = None, until: str | None = None, label: str = "") -> None:
        super().__init__("Where the story is")
        self.entity = entity or None
        self.feed_id = feed_id
        self.since = since or None
        self.until = until or None
        self.label = label
        self.data: Developing | None = None
        self.window: tuple[int, int] | None = None  # None: every date
        self._timer: Timer | None = None

    def on_mount(self) -> None:
        super().on_mount()
        self._load()

    @work(thread=True, exclusive=True, group="map", exit_on_error=False,
          description="reading the places of the developing story")
    def _load(self) -> None:
        from reader.geo.basemap import load_basemap
        from reader.geo.places import developing

        store = self.reader_app.store
        basemap = load_basemap()
        # Read again only when the index has changed (or the filters differ).
        key = (store, self.entity, self.feed_id, self.since, self.until,
               store.places.index_version())
        data = _DEVELOPING.get(key)
        if data is None:
            data = developing(store, entity=self.entity, feed_id=self.feed_id,
                              since=self.since, until=self.until)
            _DEVELOPING.clear()
            _DEVELOPING[key] = data
        self.post_message(self.Loaded(basemap, data, data.window()))

    @on(Loaded)
    def _loaded(self, event: Loaded) -> None:
        self.query_one(MapView).basemap = event.basemap
        self.data = event.data
        self._shown(self.WindowRead(event.whole, None, True))

    def _redraw(self, refit: bool = False) -> None:
        """Read the window in view (a worker: it is a query) and show it."""
        if self.data is not None:
            self._read_window(self.data, self.window, refit)

    @work(thread=True, exclusive=True, group="map-window", exit_on_error=False,
          description="reading the places of those dates")
    def _read_window(self, data: Developing, window: tuple[int, int] | None,
                     refit: bool) -> None:
        lo, hi = window or (data.first_day, data.last_day)
        self.post_message(self.WindowRead(data.window(lo, hi), window, refit))

    @on(WindowRead)
    def _shown(self, event: WindowRead) -> None:
        if event.window != self.window or self.data is None:
            return  # the reader has stepped on since: a newer read is coming
        lo, hi = event.window or (self.data.first_day, self.data.last_day)
        self.show_map(event.place_map, refit=event.refit, recent=self._new_places(lo, hi))
        self._title(event.place_map)

    def _new_places(self, lo: int | None, hi: int | None) -> frozenset[str]:
        """Places first reported in the window (for the whole period: in its last week)."""
        data = self.data
        if data is None or lo is None or hi is None:
            return frozenset()
        if self.window is None:
            lo = max(lo, hi - 6)
        return frozenset(k for k, (_, first, _) in data.totals.items() if lo <= first <= hi)

    def _title(self, pm: PlaceMap) -> None:
        span = "no dates" if pm.since is None else (
            _date(pm.since) if pm.since == pm.until else f"{_date(pm.since)} – {_date(pm.until)}")
        mode = "all dates" if self.window is None else (
            "one day" if self.window[0] == self.window[1] else "one week")
        filters = [f"{k}: {clean_line(str(v), 40)}" for k, v in
                   (("about", self.entity), ("feed", self.label or None)) if v]
        if self.since or self.until:
            filters.append(f"from {self.since or '…'} to {self.until or '…'}")
        playing = "  ▶ playing" if self._timer is not None else ""
        self.query_one("#map-title", Static).update(Content.assemble(
            Content.styled(f"{span}", "bold $text-accent"),
            Content.styled(f"  ({mode}){playing}", "$text-muted"), "  ",
            Content(clean_line(" · ".join(filters) or "every story", 120))))

    def action_step(self, direction: int, days: int) -> None:
        data = self.data
        if data is None or data.first_day is None or data.last_day is None:
            return
        if self.window is None or self.window[1] - self.window[0] + 1 != days:
            start = data.first_day if direction > 0 or self.window is None else self.window[0]
            if self.window is not None and direction > 0:
                start = self.window[0]
            self.window = (start, start + days - 1)
        else:
            lo = self.window[0] + direction * days
            lo = max(data.first_day, min(lo, data.last_day))
            self.window = (lo, lo + days - 1)
        self._redraw()

    def action_all_dates(self) -> None:
        self._stop()
        self.window = None
        self._redraw()

    def action_play(self) -> None:
        if self._timer is not None:
            self._stop()
            self._redraw()
            return
        data = self.data
        if data is None or data.first_day is None:
            return
        if self.window is None:
            self.window = (data.first_day, data.first_day + 6)
        self._timer = self.set_interval(PLAY_SECONDS, self._tick)
        self._redraw()

    def _tick(self) -> None:
        data = self.data
        if data is None or self.window is None or data.last_day is None:
            self._stop()
            return
        length = self.window[1] - self.window[0] + 1
        if self.window[1] >= data.last_day:
            self._stop()
            self._redraw()
            return
        self.window = (self.window[0] + length, self.window[1] + length)
        self._redraw()

    def _stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def on_unmount(self) -> None:
        self._stop()

    @on(MapView.Chosen)
    def _chosen(self, event: MapView.Chosen) -> None:
        data = self.data
        if data is None or data.first_day is None or data.last_day is None:
            return
        lo, hi = self.window or (data.first_day, data.last_day)
        self._stories(event.marker, lo, hi)

    @work(thread=True, exclusive=True, group="map-stories", exit_on_error=False,
          description="finding the stories that name the place")
    def _stories(self, marker: Marker, lo: int, hi: int) -> None:
        from reader.geo.places import stories_at

        store = self.reader_app.store
        ids = stories_at(store, marker.key, lo, hi, entity=self.entity, feed_id=self.feed_id)
        stories = [s for s in (store.story(i) for i in ids) if s is not None]
        self.post_message(self.StoriesRead(marker, stories))

    @on(StoriesRead)
    def _pick(self, event: StoriesRead) -> None:
        def chosen(story: Story | None) -> None:
            if story is not None:
                self._stop()
                self.post_message(OpenStory(story.id))

        self.app.push_screen(PlaceStoriesDialog(event.marker.name, event.stories), chosen)


class PlaceStoriesDialog(Dialog[Story | None]):
    """The stories that name a place: Enter opens one."""

    def __init__(self, place: str, stories: list[Story]) -> None:
        super().__init__()
        self.place = place
        self.stories = stories

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog sources"):
            yield Label(Content(clean_line(f"Stories naming {self.place}", 80)),
                        classes="dialog-title")
            yield OptionList(*(Option(Content.assemble(
                Content.styled(clean_line(s.feed_title, 40) or "?", "bold"), "  ",
                Content.styled(s.published.date().isoformat() if s.published else "",
                               "$text-muted"), "\n", Content(clean_line(s.title, 200))),
                ) for s in self.stories), id="place-stories", markup=False)
            yield Label("Enter opens the story · Escape goes back to the map",
                        classes="dialog-help")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.stories[event.option_index])
