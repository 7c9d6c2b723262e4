"""A map drawn in the terminal: the base map in braille dots, markers and labels in cells
(reader.geo.render does the drawing; this widget colours it from the theme and handles
keys and the mouse). Place names are web text: they reach the screen as plain Text spans,
never as markup."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widget import Widget

from reader.geo.basemap import BaseMap, Shape
from reader.geo.model import Marker
from reader.geo.render import MapGrid, render
from reader.geo.view import View, fit

TAGS = ("border", "oblast", "area", "marker", "region", "recent", "selected", "label",
        "label-selected")


class MapView(Widget, can_focus=True):
    """Markers over the base map. Arrows (or h j k l) pan, + and - zoom, 0 fits the markers
    again, a fits every marker, n/N (or tab/shift+tab) move between markers, Enter chooses."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {f"map--{t}" for t in TAGS}
    DEFAULT_CSS = """
    MapView > .map--border { color: $foreground 55%; }
    MapView > .map--oblast { color: $foreground 22%; }
    MapView > .map--area { color: $accent; text-style: bold; }
    MapView > .map--marker { color: $error; text-style: bold; }
    MapView > .map--recent { color: $warning; text-style: bold; }
    MapView > .map--region { color: $primary; text-style: bold; }
    MapView > .map--selected { color: $background; background: $accent; text-style: bold; }
    MapView > .map--label { color: $foreground; }
    MapView > .map--label-selected { color: $accent; text-style: bold underline; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left,h", "pan(-0.25, 0)", "Pan", show=False),
        Binding("right,l", "pan(0.25, 0)", "Pan", show=False),
        Binding("up,k", "pan(0, -0.25)", "Pan", show=False),
        Binding("down,j", "pan(0, 0.25)", "Pan", show=False, ),
        Binding("plus,equals_sign", "zoom(2)", "Zoom", key_display="+-"),
        Binding("minus", "zoom(0.5)", "Zoom out", key_display="-", show=False),
        Binding("0", "reset", "Fit", show=False),
        Binding("a", "fit_all", "All places", show=False),
        Binding("n,tab", "step(1)", "Next place", key_display="n"),
        Binding("N,shift+tab", "step(-1)", "Previous place", show=False),
        Binding("enter", "choose", "Open", show=False),
    ]

    @dataclass
    class Moved(Message):
        """The selected marker changed (None: no marker)."""

        view: MapView
        marker: Marker | None

    @dataclass
    class Drawn(Message):
        """The map was drawn anew: `hidden` markers lie outside the view."""

        view: MapView
        hidden: int

    @dataclass
    class Chosen(Message):
        view: MapView
        marker: Marker

    def __init__(self, basemap: BaseMap | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.basemap = basemap
        self.markers: tuple[Marker, ...] = ()
        self.selected: str | None = None
        self.recent: frozenset[str] = frozenset()
        self.outline: Shape | None = None
        self.view: View | None = None
        self._grid: tuple[tuple[object, ...], MapGrid] | None = None

    # Data --------------------------------------------------------------------------------

    def show(self, markers: Sequence[Marker], *, selected: str | None = None,
             recent: Collection[str] = (), refit: bool = True) -> None:
        """Markers (heaviest first). Keeps the view unless `refit` (or there is none yet)."""
        self.markers = tuple(markers)
        self.recent = frozenset(recent)
        if refit or self.view is None:
            self.view = self._fit()
        keys = {m.key for m in self.markers}
        if selected is not None and selected in keys:
            self.selected = selected
        elif self.selected not in keys:
            self.selected = self._heaviest_in_view()
        self._selection_changed()

    def _heaviest_in_view(self) -> str | None:
        """The heaviest marker the fitted view shows: a country named most often stands at
        its centre, often far from the towns the view is fitted to, and a selection off the
        map would show nothing selected."""
        if not self.markers:
            return None
        if self.view is not None:
            w, h = self.dots
            lon0, lat0, lon1, lat1 = self.view.bounds(w, h)
            for m in self.markers:
                if lon0 <= m.lon <= lon1 and lat0 <= m.lat <= lat1:
                    return m.key
        return self.markers[0].key

    @property
    def marker(self) -> Marker | None:
        return next((m for m in self.markers if m.key == self.selected), None)

    @property
    def dots(self) -> tuple[int, int]:
        return max(self.size.width, 1) * 2, max(self.size.height, 1) * 4

    def _fit(self, everything: bool = False) -> View:
        w, h = self.dots
        return fit(self.markers, w, h, everything=everything)

    def _selection_changed(self) -> None:
        m = self.marker
        region = None
        if m is not None and m.kind == "region" and self.basemap is not None:
            region = self.basemap.region(m.name)
        self.outline = region
        self.refresh()
        self.post_message(self.Moved(self, m))

    def grid(self) -> MapGrid:
        w, h = self.size.width, self.size.height
        if self.view is None:
            self.view = self._fit()
        key = (w, h, self.view, self.markers, self.selected, self.recent, self.outline)
        if self._grid is None or self._grid[0] != key:
            grid = render(self.view, w, h, self.markers, basemap=self.basemap,
                          selected=self.selected, region=self.outline, recent=self.recent)
            if self._grid is None or self._grid[1].hidden != grid.hidden:
                self.post_message(self.Drawn(self, grid.hidden))
            self._grid = (key, grid)
        return self._grid[1]

    # Drawing -----------------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        self.view = self._fit()

    def render(self) -> Text:
        grid = self.grid()
        styles = {t: self.get_component_rich_style(f"map--{t}", partial=True) for t in TAGS}
        text = Text(no_wrap=True, overflow="crop", end="")
        for i, row in enumerate(grid.rows):
            if i:
                text.append("\n")
            run, tag = "", ""
            for ch, t in row:
                if t != tag and run:
                    text.append(run, styles.get(tag))
                    run = ""
                tag = t
                run += ch
            if run:
                text.append(run, styles.get(tag))
        return text

    # Keys and mouse ----------------------------------------------------------------------

    def action_pan(self, dx: float, dy: float) -> None:
        if self.view is not None:
            w, h = self.dots
            self.view = self.view.panned(dx, dy, w, h)
            self.refresh()

    def action_zoom(self, factor: float) -> None:
        if self.view is not None:
            self.view = self.view.zoomed(factor)
            self.refresh()

    def action_reset(self) -> None:
        self.view = self._fit()
        self.refresh()

    def action_fit_all(self) -> None:
        self.view = self._fit(everything=True)
        self.refresh()

    def action_step(self, step: int) -> None:
        """Next or previous marker in view, heaviest first; brings it into view if needed."""
        drawn = [d.marker for d in self.grid().drawn]
        order = sorted(drawn or list(self.markers), key=lambda m: (-m.weight, m.key))
        if not order:
            return
        keys = [m.key for m in order]
        i = keys.index(self.selected) if self.selected in keys else -step
        self.selected = keys[(i + step) % len(keys)]
        self._selection_changed()

    def action_choose(self) -> None:
        m = self.marker
        if m is not None:
            self.post_message(self.Chosen(self, m))

    def on_click(self, event: events.Click) -> None:
        """The marker nearest the click (within a few cells) is selected; a second click on
        it chooses it."""
        best, dist = None, 9.0
        for d in self.grid().drawn:
            dd = abs(d.col - event.x) + 2 * abs(d.row - event.y)
            if dd < dist:
                best, dist = d.marker, dd
        if best is None:
            return
        if best.key == self.selected and event.chain >= 2:
            self.post_message(self.Chosen(self, best))
        else:
            self.selected = best.key
            self._selection_changed()

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        event.stop()
        self.action_zoom(1.5)

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        event.stop()
        self.action_zoom(1 / 1.5)
