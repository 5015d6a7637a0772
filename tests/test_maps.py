"""Locator maps: the shipped geography read back, the drawing, its text
alternative, and that it asks nothing of the network."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest
from pydantic import ValidationError as ModelError

from generator.corpus import read_corpus
from generator.errors import BriefingError
from generator.fmt import format_record
from generator.geography import DATA_CREDIT, Geography, countries, disputed
from generator.maps import Spot, _draw, _drawing, _kept, figure_html, focus, locator_svg, view_of
from generator.model import Place
from generator.options import default_options, geography_of
from generator.render import render_pages

REPO = Path(__file__).resolve().parent.parent


def test_the_shipped_geography_is_natural_earth_10m_and_reads_back() -> None:
    by_name = {c.name: c for c in countries()}
    assert len(by_name) > 240
    west, south, east, north = by_name["Armenia"].bbox
    assert 43.3 < west < 43.6 and 38.8 < south < 39.0 and 46.5 < east < 46.7 and 41.2 < north < 41.4
    # Azerbaijan's exclave, Nakhchivan, is a part of its own.
    assert len(by_name["Azerbaijan"].polygons) >= 2
    assert "version 4.1.0" in (REPO / "generator" / "geodata" / "README.md").read_text(encoding="utf-8")


def test_a_map_shows_its_places_the_countries_around_them_a_scale_and_its_source() -> None:
    spots = (Spot("Stepanakert (Khankendi)", 39.8153, 46.7519), Spot("Yerevan", 40.1792, 44.4991))
    svg = locator_svg(spots, "Map")
    assert svg.startswith('<svg class="locator"') and svg.endswith("</svg>")
    for text in ("Stepanakert (Khankendi)", "Yerevan", "Azerbaijan", "Armenia", "Iran", DATA_CREDIT):
        assert f">{text}<" in svg, text
    assert re.search(r"<text x=\"[\d.]+\" y=\"[\d.]+\">\d+ km</text>", svg)
    assert 'class="inset"' in svg and 'class="frame"' in svg
    # Nothing is asked of another host: no link, image or font outside the drawing.
    assert re.findall(r"(?:href|src)=|url\((?!#(?:frame|hatch)-[0-9a-f]{10}\))", svg) == []
    assert re.findall(r"https?://", svg) == ["http://"]  # the SVG namespace, a name, not a request
    # The same places, the same bytes.
    _kept.cache_clear()
    assert locator_svg(spots, "Map") == svg


def test_maps_of_the_same_places_share_one_drawing_but_not_their_title_or_ids() -> None:
    """Every event at a place has that place's map: drawn once, then given
    each map's own title and ids, byte for byte what drawing it alone gives."""
    spots = (Spot("Stepanakert (Khankendi)", 39.8153, 46.7519), Spot("Lachin", 39.6406, 46.5469))
    geography = Geography()
    _kept.cache_clear()
    first = _drawing(spots, "Where it happened: <one> & \"two\"", 640.0, geography)
    second = _drawing(spots, "Where it happened: three", 640.0, geography)
    assert _kept.cache_info().misses == 1 and _kept.cache_info().hits == 1
    for title, (svg, hatched) in (("Where it happened: <one> & \"two\"", first),
                                  ("Where it happened: three", second)):
        uid = re.findall(r'clipPath id="frame-([0-9a-f]{10})"', svg)[0]
        assert (svg, hatched) == _draw(spots, title, uid, 640.0, geography, 0.75)
        assert "\x00" not in svg
    assert 'aria-label="Where it happened: &lt;one&gt; &amp; &quot;two&quot;"' in first[0]
    ids = {re.findall(r'id="(frame-[0-9a-f]{10})"', svg)[0] for svg, _ in (first, second)}
    assert len(ids) == 2  # two maps on one page (the book) never share a clip


def test_a_name_holding_the_slot_character_is_drawn_alone_and_still_right() -> None:
    spots = (Spot("Odd\x00name", 39.8153, 46.7519),)
    svg, _ = _drawing(spots, "Map", 640.0, Geography())
    uid = re.findall(r'clipPath id="frame-([0-9a-f]{10})"', svg)[0]
    assert svg == _draw(spots, "Map", uid, 640.0, Geography(), 0.75)[0]
    assert 'aria-label="Map"' in svg and f"url(#frame-{uid})" in svg


def test_one_place_gets_its_surroundings_and_true_proportions() -> None:
    view = view_of([Spot("Yevlakh", 40.6183, 47.15)], 640.0)
    km_across = math.radians(view.east - view.west) * 6371 * view.kx
    km_down = math.radians(view.north - view.south) * 6371
    assert km_across >= 320
    assert abs(km_across / km_down - view.width / view.height) < 0.01  # a kilometre is as long both ways


def test_names_are_escaped_and_the_caption_lists_each_place_with_its_coordinates() -> None:
    html = figure_html((Spot("<script>alert(1)</script>", 40.0, 46.0), Spot("Baku", 40.4093, 49.8671)), "a & b")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'aria-label="a &amp; b"' in html
    caption = html.split("<figcaption>")[1]
    assert "Baku (40.4093° N, 49.8671° E)" in caption and DATA_CREDIT in caption


def test_sample_places_and_events_with_coordinates_have_maps() -> None:
    corpus = read_corpus(REPO).corpus
    assert corpus is not None
    pages = render_pages(corpus)
    page = pages["places/stepanakert-khankendi.md"]
    assert page.count('<figure class="map-figure">') == 1
    assert ">Stepanakert (Khankendi)<" in page and "Stepanakert (Khankendi) (39.8153° N, 46.7519° E)" in page
    event = pages["events/yevlakh-talks-2023-09-21.md"]
    assert ">Yevlakh<" in event
    # A place without coordinates has no map (and no empty figure).
    assert "map-figure" not in pages["places/south-caucasus.md"]


def test_a_brief_maps_its_places_and_no_name_covers_another() -> None:
    corpus = read_corpus(REPO).corpus
    assert corpus is not None
    pages = render_pages(corpus)
    brief = pages["briefs/ceasefire-20-september-2023.md"]
    caption = brief.split('<figure class="map-figure">')[1].split("<figcaption>")[1]
    for place in ("Stepanakert (Khankendi) (39.8153° N", "Yerevan (40.1792° N", "Yevlakh (40.6183° N"):
        assert place in caption
    # Wide or crowded, a map sets each name where it covers no other (or leaves it to the caption).
    for key in ("briefs/ceasefire-20-september-2023.md", "briefs/nagorno-karabakh-september-2023-overview.md",
                "places/stepanakert-khankendi.md"):
        svg = re.search(r'<svg class="locator".*?</svg>', pages[key], re.DOTALL).group(0)  # type: ignore[union-attr]
        width, height = map(float, re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg).groups())  # type: ignore[union-attr]
        boxes = []
        for attributes, text in re.findall(r"<text ([^>]*)>([^<]+)</text>", svg):
            found = dict(re.findall(r'([\w-]+)="([^"]*)"', attributes))
            x, y = float(found["x"]), float(found["y"])
            area = found.get("class") in ("country-name", "disputed-name")
            anchor = found.get("text-anchor", "middle" if area else "start")
            w = len(text) * (8.4 if area else 9.0)
            left = x if anchor == "start" else x - (w if anchor == "end" else w / 2)
            boxes.append((left, y - 12, left + w, y + 2, text))
        names = [b for b in boxes if not b[4].endswith(("km", "de facto"))]
        assert names, key
        for i, a in enumerate(names):
            for b in names[i + 1:]:
                assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (key, a[4], b[4])
        assert all(a[0] >= 0 and a[1] >= 0 and a[2] <= width + 1 and a[3] <= height + 1 for a in names), key


STEPANAKERT = Spot("Stepanakert (Khankendi)", 39.8153, 46.7519)


def test_disputed_areas_are_hatched_and_the_caption_says_whose_view_the_borders_are() -> None:
    html = figure_html((STEPANAKERT,), "Map")
    svg = html.split("<figcaption>")[0]
    assert svg.count('class="disputed"') >= 1 and re.search(r'<pattern id="hatch-[0-9a-f]{10}"', svg)
    caption = html.split("<figcaption>")[1]
    assert ("Hatched, as disputed: Nagorno-Karabakh (Natural Earth’s note: “Self admin.; Claimed by Azer.”)"
            in caption)
    assert caption.endswith(f"{DATA_CREDIT}.</figcaption></figure>") and "de facto" in DATA_CREDIT
    # Far from any dispute, nothing is hatched, and the caption does not speak of it.
    canberra = figure_html((Spot("Canberra", -35.2809, 149.13),), "Map")
    assert 'class="disputed"' not in canberra and "Hatched" not in canberra


def test_a_point_of_view_natural_earth_records_decides_what_is_hatched() -> None:
    de_facto = {a.name for a in disputed()}
    assert {"Nagorno-Karabakh", "Abkhazia", "Crimea"} <= de_facto
    us = {a.name for a in disputed(view="US")}
    # The US view gives Abkhazia to Georgia, which holds it on the base map; it
    # gives Crimea to Ukraine, not to Russia, which administers it; Karabakh
    # is an area of its own.
    assert "Abkhazia" not in us and {"Crimea", "Nagorno-Karabakh"} <= us
    geography = Geography(view="US")
    assert "as the United States views them" in geography.credit()
    abkhazia = Spot("Sukhumi", 43.0015, 41.0234)
    assert "Abkhazia" in figure_html((abkhazia,), "Map")
    assert "Abkhazia" not in figure_html((abkhazia,), "Map", geography).split("<figcaption>")[1]


def test_the_borders_setting_and_a_corpus_own_geodata(tmp_path: Path) -> None:
    options = default_options()
    assert geography_of(tmp_path, options) == Geography()
    options.borders = "UN"
    assert geography_of(tmp_path, options) == Geography(view="UN")
    options.geodata = "geo"
    with pytest.raises(BriefingError, match="option 'geodata': .*countries-10m.json does not exist"):
        geography_of(tmp_path, options)
    # A corpus' own base map: one square country around Stepanakert.
    (tmp_path / "geo").mkdir()
    square = {"type": "Topology", "transform": {"scale": [0.1, 0.1], "translate": [46, 39.2]},
              "arcs": [[[0, 0], [15, 0], [0, 12], [-15, 0], [0, -12]]],
              "objects": {"countries": {"type": "GeometryCollection", "geometries": [
                  {"type": "Polygon", "arcs": [[0]], "properties": {"name": "Squareland"}}]}}}
    (tmp_path / "geo" / "countries-10m.json").write_text(json.dumps(square), encoding="utf-8")
    geography = geography_of(tmp_path, options)
    assert geography.countries.endswith("countries-10m.json") and geography.disputed == ""
    html = figure_html((STEPANAKERT,), "Map", geography)
    assert ">Squareland<" in html and ">Azerbaijan<" not in html
    assert "Borders: countries-10m.json" in html


def test_a_place_shape_is_drawn_as_a_line_or_an_area_and_placed_on_the_map() -> None:
    corridor = Spot("Lachin corridor", 39.64, 46.55, lines=(((46.752, 39.815), (46.546, 39.64), (46.38, 39.52)),))
    region = Spot("Region", 40.0, 45.5, areas=(((45.0, 39.8), (46.0, 39.8), (46.0, 40.2), (45.0, 39.8)),))
    svg = locator_svg((corridor, region), "Map")
    assert re.search(r'<path class="route" d="M[\d.,L]+"/>', svg)
    assert re.search(r'<path class="area" d="M[\d.,L]+Z"/>', svg)
    assert ">Lachin corridor<" in svg and ">Region<" in svg
    assert "<circle" not in svg.split('class="spot')[1]  # a shape is drawn instead of a dot
    view = view_of([corridor], 640.0)
    assert view.west < 46.38 and view.east > 46.752 and view.south < 39.52 and view.north > 39.815


def test_a_shape_is_checked_as_geojson() -> None:
    def place(shape: object) -> Place:
        return Place.model_validate({"name": "X", "type": "region", "shape": shape})

    line = place({"type": "LineString", "coordinates": [[46.7, 39.8], [46.5, 39.6]]})
    assert line.shape is not None and line.shape.lines() == (((46.7, 39.8), (46.5, 39.6)),)
    ring = [[45.0, 39.8], [46.0, 39.8], [46.0, 40.2], [45.0, 39.8]]
    assert place({"type": "MultiPolygon", "coordinates": [[ring]]}).shape.areas() == (  # type: ignore[union-attr]
        tuple((p[0], p[1]) for p in ring),)
    for shape, says in (
        ({"type": "LineString", "coordinates": [[39.8, 146.7], [39.6, 46.5]]}, "is not [longitude, latitude]"),
        ({"type": "Polygon", "coordinates": [ring[:3]]}, "ends where it starts"),
        ({"type": "Polygon", "coordinates": ring}, "a Polygon's coordinates are [[[lon, lat], ...], ...]"),
        ({"type": "Point", "coordinates": [46.7, 39.8]}, "LineString"),
    ):
        with pytest.raises(ModelError, match=re.escape(says)):
            place(shape)


def test_fmt_writes_a_position_on_one_line() -> None:
    text = ("name: Lachin corridor\ntype: corridor\nshape:\n  type: LineString\n  coordinates:\n"
            "  - - 46.752\n    - 39.815\n  - - 46.380\n    - 39.520\n")
    out = format_record(text, "place", "places/x.yaml").text
    assert out is not None and "  - [46.752, 39.815]\n  - [46.380, 39.520]\n" in out


def test_far_places_are_left_to_the_caption() -> None:
    near = (STEPANAKERT, Spot("Baku", 40.4093, 49.8671), Spot("Yerevan", 40.1792, 44.4991))
    kyiv = Spot("Kyiv", 50.4501, 30.5234)
    shown, beyond = focus((*near, kyiv))
    assert shown == near and beyond == (kyiv,)
    # Three places far apart: no cluster, all on the map.
    spread = (Spot("Yerevan", 40.1792, 44.4991), kyiv, Spot("St. Petersburg", 59.9343, 30.3351))
    assert focus(spread) == (spread, ())
    html = figure_html((*near, kyiv), "Map")
    assert ">Kyiv<" not in html.split("<figcaption>")[0]
    assert "Beyond the map: Kyiv (50.4501° N, 30.5234° E)." in html


def test_maps_of_the_sample_corridor_region_and_city() -> None:
    corpus = read_corpus(REPO).corpus
    assert corpus is not None
    pages = render_pages(corpus)
    corridor = pages["places/lachin-corridor.md"]
    assert '<path class="route"' in corridor and ">Lachin corridor<" in corridor
    region = pages["places/nagorno-karabakh.md"]
    assert ">Stepanakert (Khankendi)<" in region and 'class="disputed"' in region
    assert "Hatched, as disputed: Nagorno-Karabakh" in region
    city = pages["places/stepanakert-khankendi.md"]
    assert ">Stepanakert (Khankendi)<" in city and ">Azerbaijan<" in city and ">Armenia<" in city
