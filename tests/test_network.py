"""The actors' network: ties, layout, the SVG and its text alternative."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_link import write

from generator.corpus import read_corpus
from generator.link import Corpus
from generator.model import Actor
from generator.network import circle_layout, ego, network_layout, ties
from generator.render import render_pages

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    result = read_corpus(REPO)
    assert result.corpus is not None
    return result.corpus


@pytest.fixture(scope="module")
def pages(corpus: Corpus) -> dict[str, str]:
    return render_pages(corpus)


def test_every_relation_between_actors_is_a_tie(corpus: Corpus) -> None:
    expected = sorted((e.id, r.type, r.actor) for e in corpus.of_kind("actor")
                      for r in e.model.relations if r.actor is not None and isinstance(e.model, Actor))
    assert sorted((t.source, t.kind, t.target) for t in ties(corpus)) == expected
    assert len(expected) >= 15


def rows(markdown: str) -> list[list[str]]:
    """The tie table's rows: actor, relation, with, when, note."""
    table = markdown.split("| Actor | Relation | With | When | Note |", 1)[1].split("\n\n", 1)[0]
    return [[c.strip() for c in line.strip("|").split(" | ")] for line in table.splitlines()[2:] if line]


def test_network_page_draws_every_tie_and_lists_each_in_its_table(corpus: Corpus, pages: dict[str, str]) -> None:
    page = pages["network.md"]
    drawn = re.findall(r'<g class="tie" data-kind="([a-z-]+)" data-source="([a-z0-9-]+)" '
                       r'data-target="([a-z0-9-]+)"', page)
    all_ties = ties(corpus)
    assert [(t.kind, t.source, t.target) for t in all_ties] == drawn
    table = rows(page)
    assert len(table) == len(all_ties)
    for row, tie in zip(table, all_ties, strict=True):
        assert row[0].endswith(f"(actors/{tie.source}.md)") and row[2].endswith(f"(actors/{tie.target}.md)")
        assert row[1].lower() == tie.label.lower()
    # Every actor drawn is named, inside the drawing.
    actors = {rid for t in all_ties for rid in (t.source, t.target)}
    named = re.findall(r'<g class="actor" data-actor="([a-z0-9-]+)"><circle cx="([\d.]+)" cy="([\d.]+)"', page)
    assert {a for a, _, _ in named} == actors
    width, height = map(float, re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', page).groups())  # type: ignore[union-attr]
    assert all(0 <= float(x) <= width and 0 <= float(y) <= height for _, x, y in named)
    # The filter's choices are the relation types drawn, by their labels.
    assert '<option value="member-of">Member of</option>' in page


def test_an_actor_page_shows_its_own_ties_both_ways(corpus: Corpus, pages: dict[str, str]) -> None:
    page = pages["actors/armenia.md"]
    own = ego(ties(corpus), "armenia")
    assert any(t.target == "armenia" for t in own) and any(t.source == "armenia" for t in own)
    assert len(re.findall(r'<g class="tie"', page)) == len(own)
    assert '<g class="actor centre" data-actor="armenia">' in page
    listed = rows(page)
    assert len(listed) == len(own)
    assert ["[Azerbaijan](azerbaijan.md)", "Opposed to", "[Armenia](armenia.md)"] in [r[:3] for r in listed]


def test_layout_is_deterministic_and_a_tree_has_no_crossing_ties(corpus: Corpus) -> None:
    all_ties = ties(corpus)
    nodes = sorted({rid for t in all_ties for rid in (t.source, t.target)})
    edges = [(t.source, t.target) for t in all_ties]
    first = network_layout(nodes, edges, 960.0)
    assert first == network_layout(nodes, edges, 960.0)
    assert render_pages(corpus)["network.md"] == render_pages(corpus)["network.md"]
    # A star and a chain, around the best-connected actor: no two ties cross.
    star = [("hub", f"leaf{i}") for i in range(5)] + [("leaf0", "far0"), ("leaf0", "far1"), ("leaf3", "far2")]
    places, _ = network_layout(sorted({n for e in star for n in e}), star, 960.0)
    for i, a in enumerate(star):
        for b in star[i + 1:]:
            if set(a) & set(b):
                continue
            assert not _cross(places[a[0]], places[a[1]], places[b[0]], places[b[1]]), (a, b)
    around = circle_layout("c", [t for t in all_ties[:3]], 640.0, 400.0)
    assert around["c"] == (320.0, 200.0)


def _cross(p: tuple[float, float], q: tuple[float, float], r: tuple[float, float], s: tuple[float, float]) -> bool:
    def turn(a: tuple[float, float], b: tuple[float, float], c: tuple[float, float]) -> float:
        return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])

    return turn(p, q, r) * turn(p, q, s) < 0 and turn(r, s, p) * turn(r, s, q) < 0


def test_names_and_notes_are_escaped_in_the_drawing(tmp_path: Path) -> None:
    write(tmp_path, "sources/s.yaml", "title: S\npublisher: P\npublished: 2024-01-01\nkind: news-report\n")
    write(tmp_path, "actors/a.yaml", "name: <script>alert(1)</script> & Co\ntype: company\nrelations:\n"
                                     "- type: owner-of\n  actor: b\n  start: 2020\n")
    write(tmp_path, "actors/b.yaml", "name: Vessel \"B\"\ntype: vessel\n")
    result = read_corpus(tmp_path)
    assert result.corpus is not None, result.problems
    page = render_pages(result.corpus)["network.md"]
    svg = re.search(r"<svg.*?</svg>", page).group(0)  # type: ignore[union-attr]
    assert "<script>" not in svg and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in svg
    assert "Vessel &quot;B&quot;" in svg
    assert 'data-from="2020-01-01" data-until=""' in svg and "owner of (from 2020)" in svg
