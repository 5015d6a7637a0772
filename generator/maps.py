"""Locator maps, drawn at build time as SVG from public-domain geography.

The base geography is Natural Earth's 1:10m countries (version 4.1.0, as
TopoJSON from the world-atlas package; ``generator/geodata/README.md``),
shipped with the package: no tile server, no request to another host, no
download. A map shows the countries around its places (filled, bordered and
named), the places as dots with their names, a scale bar, and an inset that
locates the map in the wider region. Natural Earth draws de facto borders,
and the caption says so.

The projection is equirectangular, centred on the map: a degree of longitude
is drawn as long as it is at the map's central latitude (its cosine), which
keeps a region of a few hundred kilometres true to shape. Coordinates are
rounded, so the same places give the same bytes.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from html import escape
from importlib import resources
from typing import Any

DATA = "geodata/countries-10m.json"
DATA_CREDIT = "Borders: Natural Earth 4.1.0 (1:10m), de facto"
_EARTH_KM = 6371.0
_MIN_SPAN_KM = 320.0  # a map shows at least this much, so that a single place has its surroundings


@dataclass(frozen=True, slots=True)
class Spot:
    """A place a map marks: its name (both usages where they differ) and where it is."""

    name: str
    lat: float
    lon: float


Ring = list[tuple[float, float]]  # (lon, lat)


Box = tuple[float, float, float, float]  # west, south, east, north


@dataclass(frozen=True, slots=True)
class Country:
    name: str
    polygons: tuple[tuple[Ring, ...], ...]  # each: an outer ring, then its holes
    boxes: tuple[Box, ...]  # each polygon's
    bbox: Box


@cache
def countries() -> tuple[Country, ...]:
    """Natural Earth's countries, read once per process from the shipped TopoJSON."""
    data = json.loads(resources.files("generator").joinpath(DATA).read_text(encoding="utf-8"))
    arcs = _arcs(data)
    out = []
    for geometry in data["objects"]["countries"]["geometries"]:
        kind = geometry.get("type")
        parts = [geometry["arcs"]] if kind == "Polygon" else geometry.get("arcs", []) if kind == "MultiPolygon" else []
        polygons = tuple(tuple(_ring(arcs, ring) for ring in polygon) for polygon in parts)
        boxes = tuple(_box(polygon[0]) for polygon in polygons if polygon and polygon[0])
        if not boxes:
            continue
        bbox = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
        out.append(Country(geometry["properties"]["name"], polygons, boxes, bbox))
    return tuple(out)


@cache
def simplified(tolerance: float) -> tuple[Country, ...]:
    """The countries with points closer than ``tolerance`` degrees to the last
    kept one dropped, made once per tolerance: a map draws from the level as
    fine as its pixels, an inset of a continent from a coarse one."""
    def thin(ring: Ring) -> Ring:
        out = ring[:1]
        for p in ring[1:-1]:
            if abs(p[0] - out[-1][0]) + abs(p[1] - out[-1][1]) >= tolerance:
                out.append(p)
        return [*out, ring[-1]] if len(ring) > 1 else out

    return tuple(Country(c.name, tuple(tuple(thin(r) for r in polygon) for polygon in c.polygons), c.boxes, c.bbox)
                 for c in countries())


def _box(ring: Ring) -> Box:
    lons, lats = [p[0] for p in ring], [p[1] for p in ring]
    return min(lons), min(lats), max(lons), max(lats)


def _meets(box: Box, view: View) -> bool:
    return box[2] >= view.west and box[0] <= view.east and box[3] >= view.south and box[1] <= view.north


def _arcs(data: dict[str, Any]) -> list[Ring]:
    """TopoJSON's quantised, delta-encoded arcs as longitudes and latitudes."""
    (sx, sy), (tx, ty) = data["transform"]["scale"], data["transform"]["translate"]
    out = []
    for arc in data["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        out.append(points)
    return out


def _ring(arcs: list[Ring], indexes: list[int]) -> Ring:
    points: Ring = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        points.extend(arc[1:] if points else arc)
    return points


@dataclass(frozen=True, slots=True)
class View:
    """What a map shows, and how a longitude and latitude become a point on it."""

    west: float
    south: float
    east: float
    north: float
    width: float
    height: float

    @property
    def kx(self) -> float:
        return math.cos(math.radians((self.south + self.north) / 2))

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        x = (lon - self.west) / (self.east - self.west) * self.width
        y = (self.north - lat) / (self.north - self.south) * self.height
        return round(x, 1), round(y, 1)

    def km_per_px(self) -> float:
        return math.radians(self.east - self.west) * _EARTH_KM * self.kx / self.width


def view_of(spots: Sequence[Spot], width: float) -> View:
    """A view around the spots, padded, at least ``_MIN_SPAN_KM`` across, its
    height following from the projection."""
    lats, lons = [s.lat for s in spots], [s.lon for s in spots]
    mid_lat, mid_lon = (min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2
    kx = math.cos(math.radians(mid_lat))
    deg_km = math.radians(1) * _EARTH_KM
    span_lat = max((max(lats) - min(lats)) * 1.4 + 0.6, _MIN_SPAN_KM / deg_km * 0.75)
    span_lon = max((max(lons) - min(lons)) * 1.6 + 2.4, _MIN_SPAN_KM / (deg_km * kx), span_lat * 4 / 3 / kx)
    span_lat = max(span_lat, span_lon * kx * 3 / 4)
    height = round(width * span_lat / (span_lon * kx), 1)
    return View(mid_lon - span_lon / 2, mid_lat - span_lat / 2, mid_lon + span_lon / 2, mid_lat + span_lat / 2,
                width, height)


def _visible(view: View) -> Iterator[Country]:
    """The countries the view shows, with only their parts in it (an island far
    off is left out), from the level of detail its pixels need."""
    per_pixel = (view.east - view.west) / view.width
    level = next((t for t in (0.2, 0.05, 0.01) if t <= 2 * per_pixel), 0.0)
    for country in simplified(level) if level else countries():
        if _meets(country.bbox, view):
            parts = [(p, b) for p, b in zip(country.polygons, country.boxes, strict=True) if _meets(b, view)]
            yield Country(country.name, tuple(p for p, _ in parts), tuple(b for _, b in parts), country.bbox)


def _path(view: View, polygons: tuple[tuple[Ring, ...], ...]) -> str:
    """The polygons as an SVG path. What lies beyond the view is pressed onto a
    frame just outside it (the clip hides it), and a stretch of coast wholly
    beyond one side of the view becomes its two ends on that side: a country
    as large as Russia costs a map of the Caucasus a few points."""
    pad = 20.0
    parts = []
    for polygon in polygons:
        for ring in polygon:
            points: list[tuple[float, float]] = []
            for start in range(0, len(ring), _STRETCH):
                stretch = ring[start:start + _STRETCH + 1]
                if _beyond_one_side(stretch, view):
                    stretch = [stretch[0], stretch[-1]]
                points += [(min(max(x, -pad), view.width + pad), min(max(y, -pad), view.height + pad))
                           for x, y in (view.xy(lon, lat) for lon, lat in stretch)]
            kept = _thin(points)
            if len(kept) > 2:
                parts.append("M" + "L".join(f"{x:g},{y:g}" for x, y in kept) + "Z")
    return "".join(parts)


_STRETCH = 64  # points a stretch of coast holds when it is tested against the view


def _beyond_one_side(stretch: Ring, view: View) -> bool:
    """Whether every point lies beyond the same side of the view (north of it, say)."""
    lons, lats = [p[0] for p in stretch], [p[1] for p in stretch]
    return (min(lats) > view.north or max(lats) < view.south or min(lons) > view.east or max(lons) < view.west)


def _thin(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Points within a pixel of the last kept one dropped: a smaller file, the same picture."""
    out = points[:1]
    for p in points[1:]:
        if abs(p[0] - out[-1][0]) + abs(p[1] - out[-1][1]) >= 1.0:
            out.append(p)
    return out


def _label_at(view: View, country: Country) -> tuple[float, tuple[float, float]] | None:
    """Where a country's name goes, and how large (square pixels) the part of it is:
    the middle of its largest part within the view."""
    best: tuple[float, tuple[float, float]] | None = None
    for polygon in country.polygons:
        inside = [view.xy(lon, lat) for lon, lat in polygon[0]
                  if view.west < lon < view.east and view.south < lat < view.north]
        if len(inside) < 3:
            continue
        xs, ys = [p[0] for p in inside], [p[1] for p in inside]
        size = (max(xs) - min(xs)) * (max(ys) - min(ys))
        middle = (round((min(xs) + max(xs)) / 2, 1), round((min(ys) + max(ys)) / 2, 1))
        if best is None or size > best[0]:
            best = (size, middle)
    return best


Rect = tuple[float, float, float, float]  # left, top, right, bottom, in pixels
_NEAR = ((0, 0), (0, 30), (0, -30), (0, 60), (0, -60), (-80, 0), (80, 0))  # a country name's places to try


def _text_width(text: str, per_char: float) -> float:
    """About how wide a name is set: its letters times an average letter's width."""
    return len(text) * per_char


def _box_of(x: float, y: float, anchor: str, width: float, height: float) -> Rect:
    left = x if anchor == "start" else x - width if anchor == "end" else x - width / 2
    return left, y - height, left + width, y + 3


def _inside(box: Rect, view: View) -> bool:
    return box[0] >= 2 and box[1] >= 2 and box[2] <= view.width - 2 and box[3] <= view.height - 2


def _hits(box: Rect, taken: list[Rect]) -> bool:
    return any(box[0] < t[2] and t[0] < box[2] and box[1] < t[3] and t[1] < box[3] for t in taken)


def figure_html(spots: tuple[Spot, ...], title: str) -> str:
    """The map in a figure, its caption the text alternative: each place with
    its coordinates, and where the borders come from."""
    listed = "; ".join(f"{escape(s.name)} ({_degrees(s.lat, 'N', 'S')}, {_degrees(s.lon, 'E', 'W')})" for s in spots)
    return (f'<figure class="map-figure">{locator_svg(spots, title)}'
            f"<figcaption>Map: {listed}. {escape(DATA_CREDIT)}.</figcaption></figure>")


def _degrees(value: float, positive: str, negative: str) -> str:
    return f"{abs(value):.4f}° {positive if value >= 0 else negative}"


@lru_cache(maxsize=512)
def locator_svg(spots: tuple[Spot, ...], title: str, width: float = 640.0) -> str:
    """A locator map of the spots, as SVG; drawn once for the same places in a
    process (``serve`` keeps it between rebuilds)."""
    view = view_of(spots, width)
    shown = list(_visible(view))
    out = [f'<svg class="locator" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:g} {view.height:g}" '
           f'role="img" aria-label="{escape(title)}">',
           f'<defs><clipPath id="frame"><rect width="{width:g}" height="{view.height:g}"/></clipPath></defs>',
           f'<rect class="water" width="{width:g}" height="{view.height:g}"/>',
           '<g clip-path="url(#frame)">']
    out += [f'<path class="country" d="{_path(view, c.polygons)}"/>' for c in shown]
    # Names are placed so that none covers another: the places' first, each beside
    # its dot where there is room; then the countries', largest first, where there is.
    taken: list[Rect] = [(x - 5, y - 5, x + 5, y + 5) for x, y in (view.xy(s.lon, s.lat) for s in spots)]
    taken += [(0, view.height - 30, 110, view.height), (width - 146, 0, width, 146)]  # the scale bar and the inset
    labels = []
    for spot in spots:
        x, y = view.xy(spot.lon, spot.lat)
        w = _text_width(spot.name, 8.0)
        spaces = [(x + 8, y + 5, "start"), (x - 8, y + 5, "end"), (x, y - 9, "middle"), (x, y + 19, "middle")]
        room = next((c for c in spaces if _inside(_box_of(*c, w, 14), view) and not _hits(_box_of(*c, w, 14), taken)),
                    None)
        label = ""
        if room is not None:  # else the dot alone: the caption names every place
            lx, ly, anchor = room
            taken.append(_box_of(lx, ly, anchor, w, 14))
            label = f'<text x="{lx:g}" y="{ly:g}" text-anchor="{anchor}">{escape(spot.name)}</text>'
        labels.append(f'<g class="spot"><circle cx="{x:g}" cy="{y:g}" r="4.5"/>{label}</g>')
    names = []
    candidates = [(found[0], found[1], c) for c in shown if (found := _label_at(view, c)) is not None]
    for size, (x, y), country in sorted(candidates, key=lambda item: (-item[0], item[2].name)):
        if size < 0.01 * view.width * view.height:
            continue
        w = _text_width(country.name, 8.4)
        # At the middle of the country's part in view, or near it when a place's name is there.
        at = next(((x + dx, y + dy) for dx, dy in _NEAR
                   if _inside(b := _box_of(x + dx, y + dy, "middle", w, 12), view) and not _hits(b, taken)), None)
        if at is not None:
            taken.append(_box_of(at[0], at[1], "middle", w, 12))
            names.append(f'<text class="country-name" x="{at[0]:g}" y="{at[1]:g}">{escape(country.name)}</text>')
    out += names + labels
    out.append("</g>")
    out.append(_scale_bar(view))
    out.append(_inset(view))
    out.append(f'<text class="credit" x="{width - 6:g}" y="{view.height - 6:g}">{escape(DATA_CREDIT)}</text>')
    out.append("</svg>")
    return "".join(out)


def _scale_bar(view: View) -> str:
    """A bar of a round number of kilometres, about a fifth of the map's width."""
    target = view.km_per_px() * view.width / 5
    km = next(k for k in (1000, 500, 200, 100, 50, 20, 10, 5, 2, 1) if k <= target) if target >= 1 else 1
    length = round(km / view.km_per_px(), 1)
    x, y = 12.0, view.height - 14
    return (f'<g class="scale"><path d="M{x:g},{y - 5:g}V{y:g}H{x + length:g}V{y - 5:g}"/>'
            f'<text x="{x:g}" y="{y - 8:g}">{km:,} km</text></g>')


def _inset(view: View) -> str:
    """A small map of the wider region (six times the span), the map's frame marked on it."""
    size = 130.0
    span = max(view.east - view.west, (view.north - view.south) / view.kx) * 6
    mid_lon, mid_lat = (view.west + view.east) / 2, (view.south + view.north) / 2
    wide = View(mid_lon - span / 2, mid_lat - span * view.kx / 2, mid_lon + span / 2, mid_lat + span * view.kx / 2,
                size, size)
    x0, y0 = view.width - size - 8, 8.0
    (fx1, fy1), (fx2, fy2) = wide.xy(view.west, view.north), wide.xy(view.east, view.south)
    paths = "".join(f'<path class="country" d="{_path(wide, c.polygons)}"/>' for c in _visible(wide))
    return (f'<g class="inset" transform="translate({x0:g},{y0:g})">'
            f'<svg width="{size:g}" height="{size:g}" viewBox="0 0 {size:g} {size:g}">'
            f'<rect class="water" width="{size:g}" height="{size:g}"/>{paths}'
            f'<rect class="frame" x="{fx1:g}" y="{fy1:g}" width="{max(fx2 - fx1, 2):g}" '
            f'height="{max(fy2 - fy1, 2):g}"/></svg>'
            f'<rect class="border" width="{size:g}" height="{size:g}"/></g>')
