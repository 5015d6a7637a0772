"""Locator maps: the shipped geography read back, the drawing, its text
alternative, and that it asks nothing of the network."""

from __future__ import annotations

import math
import re
from pathlib import Path

from generator.corpus import read_corpus
from generator.maps import DATA_CREDIT, Spot, countries, figure_html, locator_svg, view_of
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
    assert re.findall(r"(?:href|src)=|url\((?!#frame\))", svg) == []
    assert re.findall(r"https?://", svg) == ["http://"]  # the SVG namespace, a name, not a request
    # The same places, the same bytes.
    locator_svg.cache_clear()
    assert locator_svg(spots, "Map") == svg


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
            anchor = found.get("text-anchor", "middle" if found.get("class") == "country-name" else "start")
            w = len(text) * (8.4 if found.get("class") == "country-name" else 8.0)
            left = x if anchor == "start" else x - (w if anchor == "end" else w / 2)
            boxes.append((left, y - 12, left + w, y + 2, text))
        names = [b for b in boxes if not b[4].endswith(("km", "de facto"))]
        assert names, key
        for i, a in enumerate(names):
            for b in names[i + 1:]:
                assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (key, a[4], b[4])
        assert all(a[0] >= 0 and a[1] >= 0 and a[2] <= width + 1 and a[3] <= height + 1 for a in names), key
