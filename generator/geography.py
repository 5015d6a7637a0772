"""The base geography of the locator maps: Natural Earth's countries and
its disputed areas, read from the files shipped in ``generator/geodata/``
(or a corpus' own, ``Geography``), once per process.

The countries are TopoJSON (world-atlas' shape: quantised, delta-encoded
arcs); the disputed areas GeoJSON, reduced by ``tools/disputed_areas.py``
to each area's name, Natural Earth's note on it, its type, the country that
administers it, and the country each of the layer's points of view gives it
to. ``generator.maps`` draws from them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

DATA = "geodata/countries-10m.json"
DISPUTED = "geodata/disputed-10m.json"
DATA_CREDIT = "Borders: Natural Earth 4.1.0 (1:10m), de facto"
VIEWS = {"ISO": "ISO 3166", "US": "the United States", "UN": "the United Nations", "WB": "the World Bank"}
# Natural Earth's kinds of area that are a dispute, not a dependency or a lease.
DISPUTED_TYPES = frozenset({"Disputed", "Breakaway", "Indeterminate"})

Ring = list[tuple[float, float]]  # (lon, lat)
Box = tuple[float, float, float, float]  # west, south, east, north


@dataclass(frozen=True, slots=True)
class Geography:
    """Where a map's base geography comes from and whose view its borders are
    in: the shipped Natural Earth files unless a corpus names its own (paths),
    de facto unless it names one of the disputed-areas layer's views."""

    countries: str = ""  # a world-atlas-shaped TopoJSON file; "": the shipped one
    disputed: str = ""  # a disputed-areas GeoJSON in the shipped file's shape; "": the shipped one
    view: str = ""  # "": de facto; else a key of VIEWS

    def credit(self) -> str:
        if self.countries:
            return f"Borders: {Path(self.countries).name}"
        if self.view:
            return (f"Borders: Natural Earth 4.1.0 (1:10m); disputed areas (Natural Earth 4.0.0) as "
                    f"{VIEWS[self.view]} views them")
        return DATA_CREDIT


@dataclass(frozen=True, slots=True)
class DisputedArea:
    """An area Natural Earth marks as disputed, with its note on who
    administers it and who claims it, and the view that hatches it."""

    name: str
    note: str
    polygons: tuple[tuple[Ring, ...], ...]
    bbox: Box



@dataclass(frozen=True, slots=True)
class Country:
    name: str
    polygons: tuple[tuple[Ring, ...], ...]  # each: an outer ring, then its holes
    boxes: tuple[Box, ...]  # each polygon's
    bbox: Box


def _read(path: str, shipped: str) -> Any:
    if path:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    return json.loads(resources.files("generator").joinpath(shipped).read_text(encoding="utf-8"))


@cache
def countries(source: str = "") -> tuple[Country, ...]:
    """The countries of a TopoJSON file (Natural Earth's, shipped, unless
    ``source`` names another), read once per process."""
    data = _read(source, DATA)
    arcs = _arcs(data)
    out = []
    for geometry in data["objects"]["countries"]["geometries"]:
        kind = geometry.get("type")
        parts = [geometry["arcs"]] if kind == "Polygon" else geometry.get("arcs", []) if kind == "MultiPolygon" else []
        polygons = tuple(tuple(_ring(arcs, ring) for ring in polygon) for polygon in parts)
        boxes = tuple(bounds(polygon[0]) for polygon in polygons if polygon and polygon[0])
        if not boxes:
            continue
        bbox = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
        out.append(Country(geometry["properties"]["name"], polygons, boxes, bbox))
    return tuple(out)


@cache
def disputed(source: str = "", view: str = "") -> tuple[DisputedArea, ...]:
    """The disputed areas a map hatches: every one Natural Earth marks, or,
    in a view, those the view does not give to the country that holds them."""
    out = []
    for feature in _read(source, DISPUTED)["features"]:
        p, geometry = feature["properties"], feature["geometry"]
        if p.get("type") not in DISPUTED_TYPES or (view and p.get("views", {}).get(view) == p.get("admin")):
            continue
        parts = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        polygons = tuple(tuple([(float(x), float(y)) for x, y in ring] for ring in polygon) for polygon in parts)
        boxes = [bounds(polygon[0]) for polygon in polygons]
        bbox = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
        out.append(DisputedArea(str(p["name"]), str(p.get("note") or ""), polygons, bbox))
    return tuple(out)


@cache
def simplified(tolerance: float, source: str = "") -> tuple[Country, ...]:
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
                 for c in countries(source))


def bounds(ring: Ring) -> Box:
    lons, lats = [p[0] for p in ring], [p[1] for p in ring]
    return min(lons), min(lats), max(lons), max(lats)


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
