"""Build the base map of src/reader/geo: src/reader/geo/data/basemap.json.gz.

    uv run --no-project --with pyogrio --with pyshp --with pygal-maps-ua --with pycountry \
        python scripts/build_basemap.py

The packages are needed here only, not at run time. Sources:

- Country outlines: Natural Earth 1:110m admin-0 countries (public domain), the copy that
  pyogrio ships as naturalearth_lowres, read with pyshp.
- Ukraine's oblasts (and Kyiv and Sevastopol cities): geoBoundaries UKR ADM1, simplified
  (CC BY 4.0), as drawn by pygal-maps-ua (LGPL 3). That file is in Web Mercator pixels;
  they are turned back into longitude and latitude by fitting the drawing's bounding box to
  Ukraine's extreme points (22.137-40.228 E, 44.387-52.379 N). The fit puts Kyiv, Odesa,
  Sevastopol and the oblast centres inside their regions within a few kilometres of the
  coast or border where they lie (checked by tests/core/test_basemap.py).

Natural Earth's default 1:110m countries draw Crimea as part of Russia; this map follows
the internationally recognised border (UN General Assembly resolution 68/262): the Russian
polygon over Crimea is dropped and Ukraine is drawn from its oblasts, Crimea included.
"""

from __future__ import annotations

import gzip
import importlib.util
import itertools
import json
import math
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "reader" / "geo" / "data" / "basemap.json.gz"

WEST, EAST, SOUTH, NORTH = 22.1372, 40.2278, 44.3869, 52.3792
CRIMEA = (32.4, 36.7, 44.3, 46.3)  # lon min, lon max, lat min, lat max
TOKEN = re.compile(r"[MmLlHhVvCcSsQqTtZz]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
ARGS = {"m": 2, "l": 2, "h": 1, "v": 1, "c": 6, "s": 4, "q": 4, "t": 2}

Ring = list[tuple[float, float]]


def path_rings(d: str) -> list[Ring]:
    """The vertices of an SVG path (curves by their end points, which is what this drawing's
    few hand-smoothed corners need), one list per closed sub-path."""
    out: list[Ring] = []
    cur: Ring = []
    x = y = sx = sy = 0.0
    cmd = "M"
    toks = TOKEN.findall(d)
    i = 0
    while i < len(toks):
        t = toks[i]
        if t.isalpha():
            cmd = t
            i += 1
            if cmd in "zZ":
                if cur:
                    out.append(cur)
                cur = []
                x, y = sx, sy
            continue
        n = ARGS[cmd.lower()]
        args = [float(v) for v in toks[i:i + n]]
        i += n
        rel = cmd.islower()
        c = cmd.lower()
        if c == "m":
            if cur:
                out.append(cur)
            x, y = (x + args[0], y + args[1]) if rel else (args[0], args[1])
            sx, sy = x, y
            cur = [(x, y)]
            cmd = "l" if rel else "L"
        elif c == "h":
            x = x + args[0] if rel else args[0]
            cur.append((x, y))
        elif c == "v":
            y = y + args[0] if rel else args[0]
            cur.append((x, y))
        else:
            x, y = (x + args[-2], y + args[-1]) if rel else (args[-2], args[-1])
            cur.append((x, y))
    if cur:
        out.append(cur)
    return out


def merc(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def inv_merc(y: float) -> float:
    return math.degrees(2 * math.atan(math.exp(y)) - math.pi / 2)


def simplify(ring: Ring, tol: float) -> Ring:
    """Douglas-Peucker in degrees."""
    if len(ring) < 4:
        return ring
    keep = [False] * len(ring)
    keep[0] = keep[-1] = True
    stack = [(0, len(ring) - 1)]
    while stack:
        a, b = stack.pop()
        (ax, ay), (bx, by) = ring[a], ring[b]
        dx, dy = bx - ax, by - ay
        norm = math.hypot(dx, dy) or 1e-12
        worst, at = 0.0, -1
        for k in range(a + 1, b):
            px, py = ring[k]
            d = abs(dy * (px - ax) - dx * (py - ay)) / norm if (dx or dy) else math.hypot(
                px - ax, py - ay)
            if d > worst:
                worst, at = d, k
        if worst > tol and at > 0:
            keep[at] = True
            stack += [(a, at), (at, b)]
    return [p for p, k in zip(ring, keep, strict=True) if k]


def area_centroid(rings: list[Ring]) -> tuple[float, float]:
    """Centroid of the largest ring (a country's mainland, not its islands)."""
    best = max(rings, key=lambda r: abs(_area(r)))
    a = _area(best) or 1e-12
    cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(best, best[1:] + best[:1], strict=True):
        f = x1 * y2 - x2 * y1
        cx += (x1 + x2) * f
        cy += (y1 + y2) * f
    return cx / (6 * a), cy / (6 * a)


def _area(r: Ring) -> float:
    return sum(x1 * y2 - x2 * y1
               for (x1, y1), (x2, y2) in zip(r, r[1:] + r[:1], strict=True)) / 2


def _rounded(rings: list[Ring]) -> list[list[list[float]]]:
    return [[[round(x, 3), round(y, 3)] for x, y in r] for r in rings if len(r) >= 3]


def countries() -> list[dict]:
    import pycountry
    import shapefile

    spec = importlib.util.find_spec("pyogrio")
    assert spec and spec.submodule_search_locations
    base = (Path(next(iter(spec.submodule_search_locations))) / "tests" / "fixtures"
            / "naturalearth_lowres" / "naturalearth_lowres")
    out = []
    with shapefile.Reader(str(base)) as reader:
        for sr in reader.iterShapeRecords():
            name, iso3 = sr.record["name"], sr.record["iso_a3"]
            if name == "Ukraine":
                continue  # drawn from its oblasts
            pts = sr.shape.points
            parts = [*sr.shape.parts, len(pts)]
            rings = [[(x, y) for x, y in pts[a:b]] for a, b in itertools.pairwise(parts)]
            if name == "Russia":
                rings = [r for r in rings if not _in_crimea(r)]
            country = pycountry.countries.get(alpha_3=iso3) if iso3 != "-99" else None
            if country is None:
                found = pycountry.countries.get(name=name)
                country = found
            cc = country.alpha_2 if country else ""
            rings = [simplify(r, 0.02) for r in rings]
            lon, lat = area_centroid(rings)
            out.append({"name": name, "cc": cc, "centre": [round(lon, 3), round(lat, 3)],
                        "rings": _rounded(rings)})
    return out


def _in_crimea(ring: Ring) -> bool:
    lon = sum(x for x, _ in ring) / len(ring)
    lat = sum(y for _, y in ring) / len(ring)
    w, e, s, n = CRIMEA
    return w <= lon <= e and s <= lat <= n


def oblasts() -> list[dict]:
    from pygal_maps_ua import maps

    svg = Path(maps.__file__).with_name("UKR-ADM1_simplified.Svg").read_text("utf-8")
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.S)
    groups = re.findall(r'<g\s+class="ua_([a-z-]+) region map-element"[^>]*>(.*?)</g>', svg,
                        flags=re.S)
    raw = {name: [r for d in re.findall(r'\sd="([^"]*)"', body) for r in path_rings(d)]
           for name, body in groups}
    xs = [x for rings in raw.values() for r in rings for x, _ in r]
    ys = [y for rings in raw.values() for r in rings for _, y in r]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    m_s, m_n = merc(SOUTH), merc(NORTH)

    def unproject(x: float, y: float) -> tuple[float, float]:
        lon = WEST + (x - x0) / (x1 - x0) * (EAST - WEST)
        return lon, inv_merc(m_s + (y1 - y) / (y1 - y0) * (m_n - m_s))

    out = []
    for key, rings in sorted(raw.items()):
        geo = [simplify([unproject(x, y) for x, y in r], 0.01) for r in rings]
        geo = [r for r in geo if len(r) >= 3]
        lon, lat = area_centroid(geo)
        out.append({"name": maps.REGIONS_ENG[key], "cc": "UA",
                    "centre": [round(lon, 3), round(lat, 3)], "rings": _rounded(geo)})
    return out


def main() -> None:
    data = {"countries": countries(), "regions": oblasts()}
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    OUT.write_bytes(gzip.compress(payload, 9, mtime=0))
    points = sum(len(r) for group in data.values() for f in group for r in f["rings"])
    print(f"{len(data['countries'])} countries, {len(data['regions'])} regions, {points} points, "
          f"{OUT.stat().st_size} bytes -> {OUT}")


if __name__ == "__main__":
    main()
