"""Locator maps, drawn at build time as SVG from public-domain geography.

The base geography (``generator.geography``) is Natural Earth's 1:10m
countries (version 4.1.0, as TopoJSON from the world-atlas package;
``generator/geodata/README.md``), shipped with the package: no tile server,
no request to another host, no download. A map shows the countries around its places (filled, bordered and
named), the places as dots with their names (or as the area or line a
place's shape gives), a scale bar, and an inset that locates the map in the
wider region.

Natural Earth draws de facto borders. A briefing on a territorial dispute
must not silently take a side, so the maps hatch the areas Natural Earth
marks as disputed or breakaway (its 1:10m disputed-areas layer, version
4.0.0), say whose view the borders are in, and let a corpus choose one of
the points of view that layer records (``Geography.view``).

The projection is equirectangular, centred on the map: a degree of longitude
is drawn as long as it is at the map's central latitude (its cosine), which
keeps a region of a few hundred kilometres true to shape. Coordinates are
rounded, so the same places give the same bytes.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from hashlib import sha256
from html import escape

from generator.geography import (
    Box,
    Country,
    DisputedArea,
    Geography,
    Ring,
    bounds,
    countries,
    disputed,
    simplified,
)

# In the SVG itself, so that the map looks the same on the site and in the
# PDFs (WeasyPrint styles an inline SVG from its own <style>). A place's name
# and the credit sit on a pale ground, so they stay legible over borders and
# hatching (a halo by paint-order would be simpler, but WeasyPrint paints the
# stroke over the letters).
STYLE = (
    ".locator .water{fill:#dce9f2}"
    ".locator .country{fill:#f4f1ea;stroke:#8a8f96;stroke-width:0.8;stroke-linejoin:round}"
    ".locator .inset .country{stroke-width:0.3}"
    ".locator .disputed{stroke:#6b4e16;stroke-width:1;stroke-dasharray:4 2.5}"
    ".locator .hatch-ground{fill:none}"
    ".locator .hatch{stroke:#b08d4a;stroke-width:1.2}"
    ".locator .area{fill:#8a1c1c;fill-opacity:0.18;stroke:#8a1c1c;stroke-width:1.5}"
    ".locator .route{fill:none;stroke:#8a1c1c;stroke-width:3;stroke-linecap:round;stroke-linejoin:round}"
    ".locator .country-name{font:12px sans-serif;fill:#5b6470;text-anchor:middle;letter-spacing:0.05em;"
    "text-transform:uppercase}"
    ".locator .disputed-name{font-family:sans-serif;font-size:11px;font-style:italic;fill:#6b4e16;"
    "text-anchor:middle}"
    ".locator .spot circle{fill:#8a1c1c;stroke:#fff;stroke-width:1.5}"
    ".locator .spot text{font-family:sans-serif;font-size:14px;font-weight:bold;fill:#1d2b3a}"
    ".locator .ground{fill:#fff;fill-opacity:0.8}"
    ".locator .spot.shaped text{font-style:italic}"
    ".locator .scale path{fill:none;stroke:#1d2b3a;stroke-width:1.5}"
    ".locator .scale text{font:11px sans-serif;fill:#1d2b3a}"
    ".locator .frame{fill:none;stroke:#8a1c1c;stroke-width:1.5}"
    ".locator .inset .border{fill:none;stroke:#1d2b3a}"
    ".locator .credit{font:10px sans-serif;fill:#3d4650;text-anchor:end}"
)
DE_FACTO = Geography()  # the shipped Natural Earth files, borders de facto
_EARTH_KM = 6371.0
_MIN_SPAN_KM = 320.0  # a map shows at least this much, so that a single place has its surroundings


Line = tuple[tuple[float, float], ...]  # (lon, lat), as a place's shape gives it


@dataclass(frozen=True, slots=True)
class Spot:
    """A place a map marks: its name (both usages where they differ), where
    it is, and its shape when the corpus gives one (areas: outer rings)."""

    name: str
    lat: float
    lon: float
    lines: tuple[Line, ...] = ()
    areas: tuple[Line, ...] = ()

    def points(self) -> list[tuple[float, float]]:
        """Every (lon, lat) the map must show of this place."""
        return [(self.lon, self.lat), *(p for part in (*self.lines, *self.areas) for p in part)]


def _overlap(a: Box, b: Box) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def _meets(box: Box, view: View) -> bool:
    return box[2] >= view.west and box[0] <= view.east and box[3] >= view.south and box[1] <= view.north


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


def view_of(spots: Sequence[Spot], width: float, aspect: float = 0.75) -> View:
    """A view around the spots (and their shapes), padded, at least
    ``_MIN_SPAN_KM`` across, at least ``aspect`` times as high as wide (more
    when the places need it), its height following from the projection."""
    points = [p for s in spots for p in s.points()]
    lats, lons = [p[1] for p in points], [p[0] for p in points]
    mid_lat, mid_lon = (min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2
    kx = math.cos(math.radians(mid_lat))
    deg_km = math.radians(1) * _EARTH_KM
    span_lat = max((max(lats) - min(lats)) * 1.4 + 0.6, _MIN_SPAN_KM / deg_km * 0.75)
    span_lon = max((max(lons) - min(lons)) * 1.6 + 2.4, _MIN_SPAN_KM / (deg_km * kx), span_lat / aspect / kx)
    span_lat = max(span_lat, span_lon * kx * aspect)
    height = round(width * span_lat / (span_lon * kx), 1)
    return View(mid_lon - span_lon / 2, mid_lat - span_lat / 2, mid_lon + span_lon / 2, mid_lat + span_lat / 2,
                width, height)


def _visible(view: View, source: str = "") -> Iterator[Country]:
    """The countries the view shows, with only their parts in it (an island far
    off is left out), from the level of detail its pixels need."""
    per_pixel = (view.east - view.west) / view.width
    level = next((t for t in (0.2, 0.05, 0.01) if t <= 2 * per_pixel), 0.0)
    for country in simplified(level, source) if level else countries(source):
        if _meets(country.bbox, view):
            parts = [(p, b) for p, b in zip(country.polygons, country.boxes, strict=True) if _meets(b, view)]
            yield Country(country.name, tuple(p for p, _ in parts), tuple(b for _, b in parts), country.bbox)


def _path(view: View, polygons: tuple[tuple[Ring, ...], ...], lasting: bool = True) -> str:
    """The polygons as an SVG path. What lies beyond the view is pressed onto a
    frame just outside it (the clip hides it), and a stretch of coast wholly
    beyond one side of the view becomes its two ends on that side: a country
    as large as Russia costs a map of the Caucasus a few points."""
    pad = 20.0
    parts = []
    for polygon in polygons:
        for ring in polygon:
            points: list[tuple[float, float]] = []
            for start, box in _stretches(ring) if lasting else _stretch_boxes(ring):
                stretch = ring[start:start + _STRETCH + 1]
                if box[3] < view.south or box[1] > view.north or box[2] < view.west or box[0] > view.east:
                    stretch = [stretch[0], stretch[-1]]  # wholly beyond one side of the view
                points += [(min(max(x, -pad), view.width + pad), min(max(y, -pad), view.height + pad))
                           for x, y in (view.xy(lon, lat) for lon, lat in stretch)]
            kept = _thin(points)
            if len(kept) > 2:
                parts.append("M" + "L".join(f"{x:g},{y:g}" for x, y in kept) + "Z")
    return "".join(parts)


_STRETCH_BOXES: dict[int, tuple[tuple[int, Box], ...]] = {}


def _stretches(ring: Ring) -> tuple[tuple[int, Box], ...]:
    """Where each stretch of a ring starts, and its box: worked out once per
    ring in a process (the rings are the cached geography's, which lives as
    long), so that a map tests a stretch against its view in four comparisons."""
    found = _STRETCH_BOXES.get(id(ring))
    if found is None:
        found = _STRETCH_BOXES[id(ring)] = _stretch_boxes(ring)
    return found


def _stretch_boxes(ring: Ring) -> tuple[tuple[int, Box], ...]:
    return tuple((start, bounds(ring[start:start + _STRETCH + 1])) for start in range(0, len(ring), _STRETCH))


_STRETCH = 64  # points a stretch of coast holds when it is tested against the view


def _thin(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Points within a pixel of the last kept one dropped: a smaller file, the same picture."""
    out = points[:1]
    for p in points[1:]:
        if abs(p[0] - out[-1][0]) + abs(p[1] - out[-1][1]) >= 1.0:
            out.append(p)
    return out


def _label_at(view: View, polygons: tuple[tuple[Ring, ...], ...]) -> tuple[float, tuple[float, float]] | None:
    """Where a country's name goes, and how large (square pixels) the part of it is:
    the middle of its largest part within the view."""
    best: tuple[float, tuple[float, float]] | None = None
    for polygon in polygons:
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
# A country name's places to try, from the middle of its part in view outwards.
_NEAR = ((0, 0), (0, 30), (0, -30), (0, 60), (0, -60), (-80, 0), (80, 0), (0, 90), (0, -90), (-80, 40),
         (80, 40), (-80, -40), (80, -40), (-160, 0), (160, 0))


def _within(view: View, polygons: tuple[tuple[Ring, ...], ...], x: float, y: float) -> bool:
    """Whether a point of the map lies within one of the polygons' outer rings
    (even-odd ray casting, in degrees)."""
    lon = view.west + x / view.width * (view.east - view.west)
    lat = view.north - y / view.height * (view.north - view.south)
    for polygon in polygons:
        ring, inside = polygon[0], False
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
            if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
                inside = not inside
        if inside:
            return True
    return False


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


_FOCUS_KM = 700.0  # a map shows the places within this of their middle; the caption names the rest


def focus(spots: tuple[Spot, ...]) -> tuple[tuple[Spot, ...], tuple[Spot, ...]]:
    """The places a map shows and those it leaves to its caption: a brief
    about Karabakh that quotes Kyiv is a map of the Caucasus, not of Europe.
    The middle is the median place, so one far place cannot move it; places
    spread with no cluster holding most of them are all shown."""
    if len(spots) < 3:
        return spots, ()
    lat = sorted(s.lat for s in spots)[len(spots) // 2]
    lon = sorted(s.lon for s in spots)[len(spots) // 2]
    near = tuple(s for s in spots if _km(lat, lon, s.lat, s.lon) <= _FOCUS_KM)
    if len(near) * 2 <= len(spots):  # no cluster most places are in: the map shows them all
        return spots, ()
    return near, tuple(s for s in spots if s not in near)


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * _EARTH_KM * math.asin(math.sqrt(a))


def figure_html(spots: tuple[Spot, ...], title: str, geography: Geography = DE_FACTO,
                with_coordinates: bool = True, aspect: float = 0.75) -> str:
    """The map in a figure, its caption the text alternative: each place (with
    its coordinates, on the site), those too far off to show, each hatched
    area with Natural Earth's note on it, and where the borders come from."""
    shown, beyond = focus(spots)
    svg, hatched = _drawing(shown, title, 640.0, geography, aspect)

    def listed(group: tuple[Spot, ...]) -> str:
        return "; ".join(escape(s.name) + (f" ({_degrees(s.lat, 'N', 'S')}, {_degrees(s.lon, 'E', 'W')})"
                                           if with_coordinates else "") for s in group)

    # Natural Earth's note on who holds and who claims an area is given for the
    # areas among the places; a wide map names the others only.
    points = [p for spot in shown for p in spot.points()]
    pad = max(max(p[0] for p in points) - min(p[0] for p in points), 1.0) / 10
    among = (min(p[0] for p in points) - pad, min(p[1] for p in points) - pad,
             max(p[0] for p in points) + pad, max(p[1] for p in points) + pad)
    areas = "; ".join(f"{escape(a.name)} (Natural Earth’s note: “{escape(a.note)}”)"
                      if a.note and _overlap(a.bbox, among) else escape(a.name) for a in hatched)
    far = f" Beyond the map: {listed(beyond)}." if beyond else ""
    disputes = f" Hatched, as disputed: {areas}." if areas else ""
    return (f'<figure class="map-figure">{svg}'
            f"<figcaption>Map: {listed(shown)}.{far}{disputes} {escape(geography.credit())}.</figcaption></figure>")


def _degrees(value: float, positive: str, negative: str) -> str:
    return f"{abs(value):.4f}° {positive if value >= 0 else negative}"


def locator_svg(spots: tuple[Spot, ...], title: str, width: float = 640.0,
                geography: Geography = DE_FACTO, aspect: float = 0.75) -> str:
    """A locator map of the spots, as SVG."""
    return _drawing(spots, title, width, geography, aspect)[0]


# Where a map's title and own id go in a drawing kept for every map of the
# same places: a character record text cannot hold (generator.chars), and
# the slots are counted before it is trusted.
_SLOT = "\x00"


def _drawing(spots: tuple[Spot, ...], title: str, width: float, geography: Geography,
             aspect: float = 0.75) -> tuple[str, tuple[DisputedArea, ...]]:
    """The map, and the disputed areas it hatches. Every map of the same
    places is the same drawing but for its title and its ids, so it is drawn
    once per process (``serve`` keeps it between rebuilds): at 10,000
    records, 3,600 maps of 400 places."""
    # Ids of its own, so that maps on one page (the briefing book) do not share a clip.
    uid = sha256(repr((spots, title, width, geography, aspect)).encode()).hexdigest()[:10]
    pieces, hatched = _kept(spots, width, geography, aspect)
    if len(pieces) != len(hatched) + 5:  # a slot character among the names: drawn for this map alone
        return _draw(spots, title, uid, width, geography, aspect)
    return pieces[0] + escape(title) + uid.join(pieces[1:]), hatched


@lru_cache(maxsize=2048)
def _kept(spots: tuple[Spot, ...], width: float, geography: Geography,
          aspect: float) -> tuple[tuple[str, ...], tuple[DisputedArea, ...]]:
    """A drawing with slots for its title and its ids, cut at them: the
    title's, then one per use of the id (the frame and its use, the
    hatching and each area hatched)."""
    svg, hatched = _draw(spots, _SLOT, _SLOT, width, geography, aspect)
    return tuple(svg.split(_SLOT)), hatched


def _draw(spots: tuple[Spot, ...], title: str, uid: str, width: float, geography: Geography,
          aspect: float) -> tuple[str, tuple[DisputedArea, ...]]:
    view = view_of(spots, width, aspect)
    shown = list(_visible(view, geography.countries))
    per_px = (view.east - view.west) / width
    # An area under two pixels across would be a speck, not a hatching: left out.
    hatched = tuple(a for a in disputed(geography.disputed, geography.view)
                    if _meets(a.bbox, view) and max(a.bbox[2] - a.bbox[0], a.bbox[3] - a.bbox[1]) >= 2 * per_px)
    # Out of the search index (data-search-exclude): its labels would run
    # together there ("IranArmenia…50 km"); the caption names the places.
    out = [f'<svg class="locator" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:g} {view.height:g}" '
           f'role="img" aria-label="{escape(title)}" data-search-exclude>',
           f"<style>{STYLE}</style>",
           f'<defs><clipPath id="frame-{uid}"><rect width="{width:g}" height="{view.height:g}"/></clipPath>'
           f'<pattern id="hatch-{uid}" width="6" height="6" patternUnits="userSpaceOnUse" '
           f'patternTransform="rotate(45)"><rect class="hatch-ground" width="6" height="6"/>'
           f'<line class="hatch" x1="0" y1="0" x2="0" y2="6"/></pattern></defs>',
           f'<rect class="water" width="{width:g}" height="{view.height:g}"/>',
           f'<g clip-path="url(#frame-{uid})">']
    out += [f'<path class="country" d="{_path(view, c.polygons)}"/>' for c in shown]
    out += [f'<path class="disputed" fill="url(#hatch-{uid})" d="{_path(view, a.polygons)}"/>' for a in hatched]
    for spot in spots:
        # A place's area is a ring made for this map: its boxes are not kept
        # (keyed by id, they would outlive it and match the next ring at its address).
        out += [f'<path class="area" d="{_path(view, ((list(area),),), lasting=False)}"/>' for area in spot.areas]
        out += [f'<path class="route" d="{_line(view, line)}"/>' for line in spot.lines]
    # Names are placed so that none covers another: the places' first, each beside
    # its dot where there is room; then the countries', largest first, where there is.
    taken: list[Rect] = [(x - 5, y - 5, x + 5, y + 5) for x, y in (view.xy(s.lon, s.lat) for s in spots)]
    taken += [(0, view.height - 30, 110, view.height), (width - 146, 0, width, 146)]  # the scale bar and the inset
    labels = []
    for spot in spots:
        x, y = view.xy(spot.lon, spot.lat)
        w = _text_width(spot.name, 9.0)
        spaces = [(x + 8, y + 5, "start"), (x - 8, y + 5, "end"), (x, y - 9, "middle"), (x, y + 19, "middle")]
        if spot.lines or spot.areas:  # a shape is drawn: its name goes on it, where there is room
            spaces = [(x, y + 5, "middle"), *spaces]
        room = next((c for c in spaces if _inside(_box_of(*c, w, 14), view) and not _hits(_box_of(*c, w, 14), taken)),
                    None)
        label = ""
        if room is not None:  # else the dot alone: the caption names every place
            lx, ly, anchor = room
            box = _box_of(lx, ly, anchor, w, 14)
            taken.append(box)
            label = (_ground(box) +
                     f'<text x="{lx:g}" y="{ly:g}" text-anchor="{anchor}">{escape(spot.name)}</text>')
        dot = "" if spot.lines or spot.areas else f'<circle cx="{x:g}" cy="{y:g}" r="4.5"/>'
        labels.append(f'<g class="spot{" shaped" if not dot else ""}">{dot}{label}</g>')
    names = []
    # Then the countries' names, largest first, and the hatched areas' (italic).
    areas = [(c.name, c.polygons, "country-name") for c in shown] + [(a.name, a.polygons, "disputed-name")
                                                                    for a in hatched]
    candidates = [(found[0], found[1], name, polygons, kind) for name, polygons, kind in areas
                  if (found := _label_at(view, polygons)) is not None]
    for size, (x, y), name, polygons, kind in sorted(candidates, key=lambda item: (item[4], -item[0], item[2])):
        if size < 0.01 * view.width * view.height:
            continue
        w = _text_width(name, 8.4)
        # At the middle of the area's part in view, or near it where a place's
        # name is; within the area itself: the middle of its part in view can
        # lie beyond it (a border that curves), and a name there names the neighbour.
        at = next(((x + dx, y + dy) for dx, dy in _NEAR
                   if _inside(b := _box_of(x + dx, y + dy, "middle", w, 12), view) and not _hits(b, taken)
                   and _within(view, polygons, x + dx, y + dy - 4)), None)
        if at is not None:
            taken.append(_box_of(at[0], at[1], "middle", w, 12))
            names.append(f'<text class="{kind}" x="{at[0]:g}" y="{at[1]:g}">{escape(name)}</text>')
    out += names + labels
    out.append("</g>")
    out.append(_scale_bar(view))
    out.append(_inset(view, geography.countries))
    credit = geography.credit()
    out.append(_ground(_box_of(width - 6, view.height - 6, "end", _text_width(credit, 5.0), 10)))
    out.append(f'<text class="credit" x="{width - 6:g}" y="{view.height - 6:g}">{escape(credit)}</text>')
    out.append("</svg>")
    return "".join(out), hatched


def _ground(box: Rect) -> str:
    """A pale ground under a name, a little larger than the name."""
    left, top, right, bottom = box
    return (f'<rect class="ground" x="{left - 2:g}" y="{top + 1:g}" width="{right - left + 4:g}" '
            f'height="{bottom - top:g}" rx="2"/>')


def _line(view: View, line: Line) -> str:
    """A place's line (a road, a corridor) as an open SVG path."""
    points = _thin([view.xy(lon, lat) for lon, lat in line])
    return "M" + "L".join(f"{x:g},{y:g}" for x, y in points) if len(points) > 1 else ""


def _scale_bar(view: View) -> str:
    """A bar of a round number of kilometres, about a fifth of the map's width."""
    target = view.km_per_px() * view.width / 5
    km = next(k for k in (1000, 500, 200, 100, 50, 20, 10, 5, 2, 1) if k <= target) if target >= 1 else 1
    length = round(km / view.km_per_px(), 1)
    x, y = 12.0, view.height - 14
    return (f'<g class="scale"><path d="M{x:g},{y - 5:g}V{y:g}H{x + length:g}V{y - 5:g}"/>'
            f'<text x="{x:g}" y="{y - 8:g}">{km:,} km</text></g>')


def _inset(view: View, source: str = "") -> str:
    """A small map of the wider region (about six times the span), the map's
    frame marked on it. The region is snapped to a grid, so that the maps
    of places near each other share one drawing of it."""
    size = 130.0
    span = max(view.east - view.west, (view.north - view.south) / view.kx) * 6
    span = 2 ** (math.ceil(math.log2(span) * 4) / 4)  # steps of about 19%
    grid = span / 8
    mid_lon = round((view.west + view.east) / 2 / grid) * grid
    mid_lat = round((view.south + view.north) / 2 / grid) * grid
    kx = round(math.cos(math.radians(mid_lat)), 2)
    wide = View(mid_lon - span / 2, mid_lat - span * kx / 2, mid_lon + span / 2, mid_lat + span * kx / 2, size, size)
    x0, y0 = view.width - size - 8, 8.0
    (fx1, fy1), (fx2, fy2) = wide.xy(view.west, view.north), wide.xy(view.east, view.south)
    return (f'<g class="inset" transform="translate({x0:g},{y0:g})">'
            f'<svg width="{size:g}" height="{size:g}" viewBox="0 0 {size:g} {size:g}">'
            f'<rect class="water" width="{size:g}" height="{size:g}"/>{_inset_paths(wide, source)}'
            f'<rect class="frame" x="{fx1:g}" y="{fy1:g}" width="{max(fx2 - fx1, 2):g}" '
            f'height="{max(fy2 - fy1, 2):g}"/></svg>'
            f'<rect class="border" width="{size:g}" height="{size:g}"/></g>')


@lru_cache(maxsize=256)
def _inset_paths(wide: View, source: str) -> str:
    return "".join(f'<path class="country" d="{_path(wide, c.polygons)}"/>' for c in _visible(wide, source))
