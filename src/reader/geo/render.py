"""Drawing a map on a character grid: borders in braille dots, markers and labels in cells.

Pure: returns rows of (text, tag) cells for a UI to colour as it likes. Tags:
    ""          empty
    border      country border          oblast      oblast border
    area        the outline of the highlighted region
    marker      a town                  region      a region or country marker
    recent      a town reported in the last part of the period in view
    selected    the selected marker     label       a label   label-selected   its label
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from reader.geo.basemap import BaseMap, Shape
from reader.geo.model import Marker
from reader.geo.view import View

# Braille dot bits by (x, y) within a 2 x 4 cell.
_BITS = ((0x01, 0x02, 0x04, 0x40), (0x08, 0x10, 0x20, 0x80))
_TOWN = ("•", "●", "◉")  # by weight, lightest to heaviest
_AREA = "◆"
_COUNTRY = "◇"
LABEL_MAX = 18

Cell = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Drawn:
    """Where a marker landed on the grid."""

    marker: Marker
    col: int
    row: int


@dataclass(frozen=True, slots=True)
class MapGrid:
    rows: tuple[tuple[Cell, ...], ...]
    drawn: tuple[Drawn, ...]  # markers in view, heaviest first
    hidden: int  # markers outside the view
    stacked: int = 0  # markers in view under a heavier one in the same cell

    def text(self) -> str:
        return "\n".join("".join(c for c, _ in row) for row in self.rows)


def _draw_shape(shape: Shape, view: View, w: int, h: int, dots: bytearray, cols: int,
                bounds: tuple[float, float, float, float]) -> None:
    x0, y0, x1, y1 = bounds
    bx0, by0, bx1, by1 = shape.bbox
    if bx1 < x0 or bx0 > x1 or by1 < y0 or by0 > y1:
        return
    k = math.cos(math.radians(view.lat)) / view.scale
    inv = 1 / view.scale
    for ring in shape.rings:
        pts = [((lon - view.lon) * k + w / 2, (view.lat - lat) * inv + h / 2) for lon, lat in ring]
        for (ax, ay), (bx, by) in zip(pts, pts[1:] + pts[:1], strict=True):
            if (ax < 0 and bx < 0) or (ay < 0 and by < 0) or (ax >= w and bx >= w) or (
                    ay >= h and by >= h):
                continue
            steps = int(max(abs(bx - ax), abs(by - ay))) + 1
            if steps > 4 * (w + h):  # a segment crossing the whole view many times over
                steps = 4 * (w + h)
            for s in range(steps + 1):
                t = s / steps
                x = int(ax + (bx - ax) * t)
                y = int(ay + (by - ay) * t)
                if 0 <= x < w and 0 <= y < h:
                    cell = (y >> 2) * cols + (x >> 1)
                    dots[cell] |= _BITS[x & 1][y & 3]


_BASE: dict[tuple[int, View, int, int], tuple[bytes, bytes]] = {}


def _base_layer(basemap: BaseMap, view: View, cols: int, rows: int) -> tuple[bytes, bytes]:
    """Country and oblast border dots for a view: the costly part of a frame, and the same
    while only markers, the selection or the dates change, so the last few are kept."""
    key = (id(basemap), view, cols, rows)
    if key not in _BASE:
        w, h = cols * 2, rows * 4
        bounds = view.bounds(w, h)
        land = bytearray(cols * rows)
        oblast = bytearray(cols * rows)
        for shape in basemap.countries:
            _draw_shape(shape, view, w, h, land, cols, bounds)
        for shape in basemap.regions:
            _draw_shape(shape, view, w, h, oblast, cols, bounds)
        if len(_BASE) >= 8:
            _BASE.pop(next(iter(_BASE)))
        _BASE[key] = (bytes(land), bytes(oblast))
    return _BASE[key]


def _size(weight: int, top: int) -> str:
    if top <= 1:
        return _TOWN[1]
    share = weight / top
    return _TOWN[2] if share > 0.6 else _TOWN[1] if share > 0.25 else _TOWN[0]


def render(view: View, cols: int, rows: int, markers: Sequence[Marker], *,
           basemap: BaseMap | None = None, selected: str | None = None,
           region: Shape | None = None, recent: Collection[str] = ()) -> MapGrid:
    """The map of `markers` (heaviest first) in `view` on a cols x rows grid. `selected`
    is a marker key; `region` an oblast to outline; `recent` marker keys to tag as recent."""
    cols, rows = max(cols, 1), max(rows, 1)
    w, h = cols * 2, rows * 4
    bounds = view.bounds(w, h)
    land, oblast = _base_layer(basemap, view, cols, rows) if basemap is not None else (
        bytes(cols * rows), bytes(cols * rows))
    area = bytearray(cols * rows)
    if region is not None:
        _draw_shape(region, view, w, h, area, cols, bounds)
    grid: list[list[Cell]] = []
    for r in range(rows):
        line: list[Cell] = []
        for c in range(cols):
            i = r * cols + c
            if area[i]:
                line.append((chr(0x2800 | area[i] | land[i] | oblast[i]), "area"))
            elif land[i]:
                line.append((chr(0x2800 | land[i] | oblast[i]), "border"))
            elif oblast[i]:
                line.append((chr(0x2800 | oblast[i]), "oblast"))
            else:
                line.append((" ", ""))
        grid.append(line)

    taken = [[False] * cols for _ in range(rows)]
    drawn: list[Drawn] = []
    hidden = stacked = 0
    top = max((m.weight for m in markers if not m.is_area), default=1)
    # Selected first, so it is never hidden under another marker; then heaviest first.
    order = sorted(markers, key=lambda m: (m.key != selected, m.kind in ("country", "continent"),
                                           -m.weight))
    for m in order:
        x, y = view.project(m.lon, m.lat, w, h)
        c, r = int(x) >> 1, int(y) >> 2
        if not (0 <= x < w and 0 <= y < h):
            hidden += 1
            continue
        if taken[r][c]:
            stacked += 1
            continue
        glyph = (_COUNTRY if m.kind in ("country", "continent") else _AREA) if m.is_area \
            else _size(m.weight, top)
        tag = "selected" if m.key == selected else "region" if m.is_area \
            else "recent" if m.key in recent else "marker"
        grid[r][c] = (glyph, tag)
        taken[r][c] = True
        drawn.append(Drawn(m, c, r))

    # Labels, heaviest (and the selected) first: right of the marker, else left, else the
    # row above or below; a label that fits nowhere is left out rather than overlap another.
    for d in drawn:
        text = d.marker.name if len(d.marker.name) <= LABEL_MAX else \
            d.marker.name[:LABEL_MAX - 1] + "…"
        n = len(text)
        for c0, r0 in ((d.col + 2, d.row), (d.col - n - 1, d.row), (d.col - n // 2, d.row - 1),
                       (d.col - n // 2, d.row + 1)):
            if c0 < 0 or c0 + n > cols or not 0 <= r0 < rows:
                continue
            lo, hi = max(c0 - 1, 0), min(c0 + n + 1, cols)
            if any(taken[r0][cc] for cc in range(lo, hi)):
                continue
            tag = "label-selected" if d.marker.key == selected else "label"
            for i, ch in enumerate(text):
                grid[r0][c0 + i] = (ch, tag)
            for cc in range(c0, c0 + n):
                taken[r0][cc] = True
            break
    return MapGrid(tuple(tuple(line) for line in grid), tuple(drawn), hidden, stacked)
