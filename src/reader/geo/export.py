"""A map as GeoJSON (RFC 7946) or as a standalone SVG picture.

GeoJSON: a FeatureCollection of Points ([longitude, latitude]); each feature's properties
carry name, kind, stories (or mentions, for one story), first_seen and last_seen (ISO 8601
dates or null). Names that could not be placed are listed in the foreign member "unplaced"
with the reason, so nothing is dropped silently.

SVG: country and oblast outlines, markers sized by weight, labels. Every name passes through
XML escaping: a place name is web text and may contain anything.
"""

from __future__ import annotations

import math
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from reader.geo.basemap import BaseMap
from reader.geo.model import PlaceMap
from reader.geo.view import fit
from reader.text import clean_line


def _x(text: str) -> str:
    """Text fit for an XML text node: controls (which XML 1.0 forbids) removed, escaped."""
    return escape(clean_line(text, 200))


def to_geojson(pm: PlaceMap, *, weight_name: str = "stories") -> dict[str, Any]:
    features = []
    for m in pm.markers:
        features.append({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(m.lon, 5), round(m.lat, 5)]},
            "properties": {
                "name": m.name,
                "kind": m.kind,
                weight_name: m.weight,
                "first_seen": m.first_seen.date().isoformat() if m.first_seen else None,
                "last_seen": m.last_seen.date().isoformat() if m.last_seen else None,
                "country": m.country or None,
            },
        })
    out: dict[str, Any] = {"type": "FeatureCollection", "features": features}
    if pm.markers:
        out["bbox"] = [min(m.lon for m in pm.markers), min(m.lat for m in pm.markers),
                       max(m.lon for m in pm.markers), max(m.lat for m in pm.markers)]
    out["unplaced"] = [{"name": p.name, "reason": p.note} for p in pm.unplaced]
    return out


def to_svg(pm: PlaceMap, basemap: BaseMap | None, *, width: int = 720, height: int = 480,
           title: str | None = None) -> str:
    """The map as an SVG document (no script, no external references)."""
    view = fit(pm.markers, width, height)
    lon0, lat0, lon1, lat1 = view.bounds(width, height)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" font-family="sans-serif">',
        f"<title>{_x(title if title is not None else pm.title or 'Map')}</title>",
        f'<rect width="{width}" height="{height}" fill="#eef3f7"/>',
    ]

    def path(rings: tuple[tuple[tuple[float, float], ...], ...]) -> str:
        d = []
        for ring in rings:
            pts = [view.project(x, y, width, height) for x, y in ring]
            d.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in pts) + "Z")
        return "".join(d)

    if basemap is not None:
        for group, style in ((basemap.countries, 'fill="#fbfaf5" stroke="#8a8f98" '
                                                 'stroke-width="1"'),
                             (basemap.regions, 'fill="#fbfaf5" stroke="#b9bec6" '
                                               'stroke-width="0.6"')):
            for shape in group:
                bx0, by0, bx1, by1 = shape.bbox
                if bx1 < lon0 or bx0 > lon1 or by1 < lat0 or by0 > lat1:
                    continue
                parts.append(f"<path {style} d={quoteattr(path(shape.rings))}>"
                             f"<title>{_x(shape.name)}</title></path>")
    top = max((m.weight for m in pm.markers), default=1) or 1
    labels = []
    boxes: list[tuple[float, float, float, float]] = []
    shown = []
    for m in pm.markers:
        x, y = view.project(m.lon, m.lat, width, height)
        if 0 <= x <= width and 0 <= y <= height:
            r = 3 + 9 * math.sqrt(m.weight / top)
            shown.append((m, x, y, r))
            boxes.append((x - r, y - r, x + r, y + r))
    for m, x, y, r in shown:
        colour = "#2a6f97" if m.is_area else "#c0392b"
        tip = _x(f"{m.name} ({m.kind}, {m.weight})")
        if m.is_area:
            parts.append(f'<rect x="{x - r / 2:.1f}" y="{y - r / 2:.1f}" width="{r:.1f}" '
                         f'height="{r:.1f}" fill="none" stroke="{colour}" stroke-width="2">'
                         f"<title>{tip}</title></rect>")
        else:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{colour}" '
                         f'fill-opacity="0.75" stroke="#fff"><title>{tip}</title></circle>')
        # Heaviest first: right, left, above, below the marker; left out where it would
        # cover another label or marker (the marker's tooltip still names it).
        tw = 7.0 * len(clean_line(m.name, 200))
        for lx, ly in ((x + r + 3, y + 4), (x - r - 3 - tw, y + 4), (x - tw / 2, y - r - 4),
                       (x - tw / 2, y + r + 13)):
            box = (lx, ly - 11, lx + tw, ly + 2)
            if box[0] < 0 or box[2] > width or box[1] < 0 or box[3] > height:
                continue
            if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3]
                   for b in boxes if b != (x - r, y - r, x + r, y + r)):
                continue
            boxes.append(box)
            labels.append(f'<text x="{lx:.1f}" y="{ly:.1f}" font-size="12" '
                          f'fill="#222">{_x(m.name)}</text>')
            break
    parts += labels
    if pm.unplaced:
        names = ", ".join(p.name for p in pm.unplaced)
        parts.append(f'<text x="8" y="{height - 8}" font-size="11" fill="#555">'
                     f"{_x('Not placed: ' + names)}</text>")
    parts.append("</svg>")
    return "\n".join(parts)
