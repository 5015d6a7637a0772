"""The actors' network: who is related to whom (part of, member of, allied
with ...), with dates, laid out and drawn at build time as SVG.

The layout is deterministic, so the same corpus gives the same picture,
byte for byte: an actor's own graph puts it at the centre and the actors it
is related to on a circle around it, in a fixed order; the whole network lays
out each group of connected actors around its best-connected one, ring by
ring, and sets the groups side by side, with coordinates rounded. The SVG needs no
script; the network page's filters are a progressive layer over it
(``templates/assets/briefing.js``), and every picture comes with a table
listing each of its ties, its text alternative.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from html import escape

from generator.dates import PartialDate
from generator.grouping import connected
from generator.link import Corpus
from generator.model import Actor, Relation
from generator.vocabulary import Vocabulary
from generator.wording import format_date

_MARGIN = 90.0  # room for names around the drawing
_RING = 120.0  # the distance between rings of a group, before the drawing is scaled to fit
_WIDE = 1.6  # rings are ellipses this much wider than tall: names run across


@dataclass(frozen=True, slots=True)
class Tie:
    """One relation between two actors, as the graph draws it."""

    source: str  # actor id
    target: str  # actor id
    kind: str  # the relation type's slug
    label: str  # the relation type's label: "member of"
    start: PartialDate | None
    end: PartialDate | None
    note: str

    @property
    def when(self) -> str:
        """The dates in words: "from 1991", "2020–2023", "" when none."""
        if self.start and self.end:
            return f"{format_date(self.start)} – {format_date(self.end)}"
        if self.start:
            return f"from {format_date(self.start)}"
        if self.end:
            return f"until {format_date(self.end)}"
        return ""


def ties(corpus: Corpus, kinds: Iterable[str] | None = None) -> list[Tie]:
    """Every relation of one actor to another, sorted; only of ``kinds`` when given."""
    wanted = set(kinds) if kinds is not None else None
    out = []
    for entry in corpus.of_kind("actor"):
        actor = entry.model
        assert isinstance(actor, Actor)
        for r in actor.relations:
            if r.actor is None or r.actor not in corpus.records or (wanted is not None and r.type not in wanted):
                continue
            out.append(relation_tie(entry.id, r, corpus.vocabulary))
    return sorted(out, key=lambda t: (t.source, t.kind, t.target))


def relation_tie(actor: str, relation: Relation, vocabulary: Vocabulary) -> Tie:
    """An actor's relation as a tie (to an actor, or to a place, which graphs do not draw)."""
    return Tie(actor, relation.actor or relation.place or "", relation.type,
               vocabulary.label("relation_types", relation.type), relation.start, relation.end, relation.note or "")


def ego(all_ties: Sequence[Tie], actor: str) -> list[Tie]:
    """An actor's own ties: its relations, and those of others to it."""
    return [t for t in all_ties if actor in (t.source, t.target)]


Point = tuple[float, float]


def circle_layout(centre: str, ties_of: Sequence[Tie], width: float, height: float) -> dict[str, Point]:
    """The actor at the centre, the others around it, in the order of their ties."""
    others = list(dict.fromkeys(t.target if t.source == centre else t.source for t in ties_of))
    cx, cy = width / 2, height / 2
    places = {centre: (cx, cy)}
    # An ellipse, wider than tall: names run across.
    rx, ry = width / 2 - 1.6 * _MARGIN, height / 2 - _MARGIN / 2
    for i, other in enumerate(others):
        angle = -math.pi / 2 + 2 * math.pi * i / len(others)
        places[other] = (round(cx + rx * math.cos(angle), 1), round(cy + ry * math.sin(angle), 1))
    return places


def network_layout(nodes: Sequence[str], edges: Sequence[tuple[str, str]],
                   width: float) -> tuple[dict[str, Point], float]:
    """Each group of connected actors laid out on its own (``_radial``), the
    largest first, then the groups set side by side in rows: the same input,
    the same places. Returns the places and the drawing's height."""
    groups = _components(nodes, edges)
    placed: dict[str, tuple[float, ...]] = {}
    row_width = math.sqrt(len(nodes)) * _RING * 1.5
    x = y = row_height = 0.0
    for group in groups:
        inner = [e for e in edges if e[0] in group]
        places, (w, h) = _radial(group, inner)
        if x > 0 and x + w > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        for node, (px, py) in places.items():
            placed[node] = (x + px, y + py)
        x, row_height = x + w + _RING / 2, max(row_height, h + _RING / 3)
    if not placed:
        return {}, 0.0
    xs, ys = [p[0] for p in placed.values()], [p[1] for p in placed.values()]
    height = round(2 * _MARGIN + (max(ys) - min(ys)) * (width - 2 * _MARGIN) / max(max(xs) - min(xs), 1.0), 1)
    return _fit(placed, width, height), height


def _components(nodes: Sequence[str], edges: Sequence[tuple[str, str]]) -> list[list[str]]:
    """Connected groups of nodes, largest first (then by their first node)."""
    return sorted(connected(nodes, edges), key=lambda g: (-len(g), g[0]))


def _radial(nodes: Sequence[str], edges: Sequence[tuple[str, str]]) -> tuple[dict[str, Point], Point]:
    """A group as a radial tree around its best-connected actor: each actor
    one ring further out than the actor that reaches it first, within its
    share of that actor's angle (shares by the number of actors beyond). No
    two ties of the tree cross. Returns the places and the room they take."""
    near: dict[str, list[str]] = {n: [] for n in nodes}
    for a, b in edges:
        near[a].append(b)
        near[b].append(a)
    hub = min(nodes, key=lambda n: (-len(near[n]), n))
    children: dict[str, list[str]] = {n: [] for n in nodes}
    depth, queue = {hub: 0}, [hub]
    for node in queue:  # breadth first: an actor hangs from the first that reaches it
        for other in sorted(set(near[node])):
            if other not in depth:
                depth[other] = depth[node] + 1
                children[node].append(other)
                queue.append(other)
    weight: dict[str, int] = {}
    for node in reversed(queue):
        weight[node] = max(1, sum(weight[c] for c in children[node]))
    radius = max(depth.values())
    room = (2 * radius * _RING * _WIDE, 2 * radius * _RING) if radius else (_RING, _RING / 2)
    middle = room[0] / 2, room[1] / 2
    places: dict[str, Point] = {}

    def place(node: str, start: float, end: float) -> None:
        angle = (start + end) / 2
        r = depth[node] * _RING
        places[node] = (middle[0] + r * _WIDE * math.cos(angle), middle[1] + r * math.sin(angle))
        at = start
        for child in children[node]:
            share = (end - start) * weight[child] / weight[node]
            place(child, at, at + share)
            at += share

    place(hub, -math.pi / 2, 3 * math.pi / 2)
    return places, room


def _fit(places: dict[str, tuple[float, ...]], width: float, height: float) -> dict[str, Point]:
    """Places scaled into the drawing, margins kept, rounded (what makes the bytes the same)."""
    xs = [p[0] for p in places.values()]
    ys = [p[1] for p in places.values()]
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
    scale = min((width - 2 * _MARGIN) / span_x, (height - 2 * _MARGIN) / span_y)
    return {node: (round(_MARGIN + (p[0] - min(xs)) * scale, 1), round(_MARGIN + (p[1] - min(ys)) * scale, 1))
            for node, p in places.items()}


def svg(drawn: Sequence[Tie], places: dict[str, Point], names: dict[str, str], title: str, width: float,
        height: float, centre: str = "") -> str:
    """The graph as SVG: a line a tie, with an arrow towards the actor
    related to and its label and dates at the middle; a dot and name an
    actor. Ties carry their type and dates as data, for the page's filters."""
    # Out of the search index (data-search-exclude): its names and labels
    # would run together there; the table beside it says each tie in words.
    out = [f'<svg class="network" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:g} {height:g}" '
           f'role="img" aria-label="{escape(title)}" data-search-exclude>',
           '<defs><marker id="arrow" viewBox="0 0 10 10" refX="16" refY="5" markerWidth="7" markerHeight="7" '
           'orient="auto-start-reverse"><path d="M0,0L10,5L0,10z"/></marker></defs>']
    for t in drawn:
        (x1, y1), (x2, y2) = places[t.source], places[t.target]
        words = t.label + (f" ({t.when})" if t.when else "")
        out.append(f'<g class="tie" data-kind="{escape(t.kind)}" data-source="{escape(t.source)}" '
                   f'data-target="{escape(t.target)}" data-from="{iso_day(t.start, True)}" '
                   f'data-until="{iso_day(t.end, False)}">'
                   f'<line x1="{x1:g}" y1="{y1:g}" x2="{x2:g}" y2="{y2:g}" marker-end="url(#arrow)"/>'
                   f'<text x="{(x1 + x2) / 2:.1f}" y="{(y1 + y2) / 2:.1f}">{escape(words)}</text></g>')
    for node, (x, y) in places.items():
        cls = "actor centre" if node == centre else "actor"
        out.append(f'<g class="{cls}" data-actor="{escape(node)}"><circle cx="{x:g}" cy="{y:g}" r="6"/>'
                   f'<text x="{x:g}" y="{y - 11:.1f}">{escape(names[node])}</text></g>')
    out.append("</svg>")
    return "".join(out)


def iso_day(day: PartialDate | None, first: bool) -> str:
    """A date as the filter compares it: the first or last day it may mean."""
    if day is None:
        return ""
    moment = day.local_start if first else day.local_end - timedelta(microseconds=1)  # local_end is exclusive
    return moment.date().isoformat()
