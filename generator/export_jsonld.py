"""The JSON-LD export: records as schema.org, for search engines and
fact-checking aggregators; the whole corpus in one graph, and each record's
own graph in its page.

A record is a node whose ``@id`` is its page. Claims are ``Claim`` with their
``appearance`` in sources (each with its ``datePublished``), who asserts them
(``author``, and ``creditText`` as printed), and the events they are
``about``; a dispute is a ``CreativeWork`` (its section of the disputes
page) ``about`` every claim in it, and each of those claims is its
``subjectOf``, so a reader of one side's data finds the others. The context
is inline (``@vocab`` schema.org), so no processor fetches anything; ``@base``
is the site's URL, or the way from the file to the site's root.
"""

from __future__ import annotations

import json
from typing import Any

from generator.export_context import DATA_DIR, ExportContext
from generator.model import Actor, Brief, Claim, Event, Place, Quote, Source
from generator.prose import words
from generator.site_paths import rel

FILE = "briefing.jsonld"
VOCAB = "https://schema.org/"
Node = dict[str, Any]

# Our default actor types as schema.org types; any other is an Organization.
ACTOR_TYPES = {"person": "Person", "state": "GovernmentOrganization", "government-body": "GovernmentOrganization",
               "de-facto-authority": "GovernmentOrganization", "military": "GovernmentOrganization",
               "authority": "GovernmentOrganization", "court": "GovernmentOrganization"}
SOURCE_TYPES = {"news-report": "NewsArticle", "report": "Report"}
# Relations schema.org has a property for; the others are in the other exports.
RELATIONS = {"member-of": "memberOf", "part-of": "parentOrganization", "subordinate-to": "parentOrganization"}
DISPUTE_TEXT = "Claims on this question that cannot all be true, each with who asserts it and its sources."


def export_jsonld(ctx: ExportContext) -> dict[str, bytes]:
    graph = [node(ctx, entry.id) for entry in ctx.entries()]
    graph += [dispute_node(ctx, i) for i in range(len(ctx.corpus.disputes))]
    document = {"@context": context(ctx, f"{DATA_DIR}/{FILE}"), "@graph": graph}
    return {FILE: (json.dumps(document, indent=1, ensure_ascii=False, sort_keys=True) + "\n").encode()}


def page_jsonld(ctx: ExportContext, rid: str) -> tuple[str, frozenset[str]]:
    """A record's graph for its page, as the text of a ``<script
    type="application/ld+json">``: the record, what it refers to, and, for a
    claim, its disputes with every side. Also the ids of the records whose
    data it holds: the page is made again when one of them changes."""
    graph = [node(ctx, rid)]
    seen = {rid}
    for i in ctx.disputes_of(rid):
        dispute = ctx.corpus.disputes[i]
        graph.append(dispute_node(ctx, i))
        graph += [node(ctx, other) for other in dispute.claims if other not in seen]
        seen.update(dispute.claims)
    stubs = sorted({t for n in graph for t in _ids(ctx, n)} - seen)
    graph += [stub(ctx, target) for target in stubs]
    document = {"@context": context(ctx, ctx.path(rid)), "@graph": graph}
    text = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # Inside <script>, "</script>" or "<!--" in a record's text must not end it.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"), frozenset(seen | set(stubs))


def context(ctx: ExportContext, at: str) -> Node:
    """schema.org as the vocabulary; ids resolved against the site's root."""
    base = ctx.site_url or rel(at, "") or "./"
    return {"@vocab": VOCAB, "@base": base}


def _ref(ctx: ExportContext, rid: str) -> Node:
    return {"@id": ctx.path(rid)}


def _refs(ctx: ExportContext, ids: list[str]) -> list[Node]:
    return [_ref(ctx, i) for i in ids if i in ctx.corpus.records]


def stub(ctx: ExportContext, rid: str) -> Node:
    """What a page says of a record it refers to: its type and name (a
    source's publisher and date too, which a claim's appearance needs)."""
    full = node(ctx, rid)
    keep = ("@id", "@type", "name", "datePublished", "publisher", "text")
    return {k: v for k, v in full.items() if k in keep}


def node(ctx: ExportContext, rid: str) -> Node:
    model = ctx.corpus.get(rid).model
    out: Node = {"@id": ctx.path(rid)}
    if isinstance(model, Source):
        out |= _source(model)
    elif isinstance(model, Actor):
        out |= _actor(ctx, model)
    elif isinstance(model, Place):
        out |= _place(ctx, model)
    elif isinstance(model, Event):
        out |= _event(ctx, model)
    elif isinstance(model, Claim):
        out |= _claim(ctx, rid, model)
    elif isinstance(model, Quote):
        out |= _quote(ctx, model)
    elif isinstance(model, Brief):
        out |= _brief(ctx, model)
    if model.reader_note:
        out["comment"] = {"@type": "Comment", "text": model.reader_note}
    return {k: v for k, v in out.items() if v not in (None, [], "")}


def dispute_node(ctx: ExportContext, index: int) -> Node:
    dispute = ctx.corpus.disputes[index]
    return {"@id": ctx.disputes_path(dispute.subject), "@type": "CreativeWork",
            "name": ctx.corpus.vocabulary.subject_label(dispute.subject) or dispute.subject.replace("-", " "),
            "description": DISPUTE_TEXT, "about": _refs(ctx, list(dispute.claims))}


def _source(m: Source) -> Node:
    return {"@type": SOURCE_TYPES.get(m.kind, "CreativeWork"), "name": m.title, "headline": m.title,
            "publisher": {"@type": "Organization", "name": m.publisher},
            "author": [{"@type": "Person", "name": a} for a in m.authors], "datePublished": str(m.published),
            "url": {"@id": m.url} if m.url else None, "inLanguage": m.language, "abstract": m.summary}


def _actor(ctx: ExportContext, m: Actor) -> Node:
    out: Node = {"@type": ACTOR_TYPES.get(m.type, "Organization"), "name": m.name,
                 "alternateName": sorted({n.name for n in m.names} - {m.name}), "description": m.summary}
    if m.type == "person":
        out["jobTitle"] = [r.title for r in m.roles]
    for relation in m.relations:
        prop = RELATIONS.get(relation.type)
        if prop and relation.actor and relation.actor in ctx.corpus.records:
            out.setdefault(prop, []).append(_ref(ctx, relation.actor))
    return out


def _place(ctx: ExportContext, m: Place) -> Node:
    geo: list[Node] = []
    if m.coordinates is not None:
        geo.append({"@type": "GeoCoordinates", "latitude": m.coordinates.lat, "longitude": m.coordinates.lon})
    if m.shape is not None:
        geo += [{"@type": "GeoShape", "line": _points(line)} for line in m.shape.lines()]
        geo += [{"@type": "GeoShape", "polygon": _points(area)} for area in m.shape.areas()]
    return {"@type": "Place", "name": m.name, "alternateName": sorted({n.name for n in m.names} - {m.name}),
            "geo": geo, "containedInPlace": _ref(ctx, m.part_of) if m.part_of else None, "description": m.summary}


def _points(points: tuple[tuple[float, float], ...]) -> str:
    """schema.org's GeoShape: "lat lon lat lon ..." (GeoJSON gives lon first)."""
    return " ".join(f"{lat:g} {lon:g}" for lon, lat in points)


def _event(ctx: ExportContext, m: Event) -> Node:
    vocabulary = ctx.corpus.vocabulary
    return {"@type": "Event", "name": m.title, "description": m.summary, "startDate": str(m.date),
            "endDate": str(m.end) if m.end else None, "location": _refs(ctx, m.places),
            "actor": [{"@type": "Role", "roleName": vocabulary.label("roles", p.role), "actor": _ref(ctx, p.actor)}
                      for p in m.actors],
            "subjectOf": _refs(ctx, m.sources),
            "keywords": [vocabulary.label("topics", t) for t in m.topics]}


def _claim(ctx: ExportContext, rid: str, m: Claim) -> Node:
    sources = [s for s in m.sources if s in ctx.corpus.records]
    dates = {s: m_.published for s in sources if isinstance(m_ := ctx.corpus.get(s).model, Source)}
    first = min(sources, key=lambda s: dates[s].sort_key) if sources else None
    about, disputes = ctx.events_listing(rid), ctx.disputes_of(rid)
    return {"@type": "Claim", "text": m.statement, "creditText": m.asserted_by, "author": _refs(ctx, m.actors),
            "dateCreated": str(m.date) if m.date else None, "appearance": _refs(ctx, sources),
            "firstAppearance": _ref(ctx, first) if first else None, "about": _refs(ctx, about),
            "subjectOf": [{"@id": ctx.disputes_path(ctx.corpus.disputes[i].subject)} for i in disputes],
            "keywords": [ctx.corpus.vocabulary.label("topics", t) for t in m.topics]}


def _quote(ctx: ExportContext, m: Quote) -> Node:
    return {"@type": "Quotation", "text": m.text, "spokenByCharacter": _ref(ctx, m.speaker),
            "dateCreated": str(m.said), "isPartOf": _ref(ctx, m.source), "inLanguage": m.language,
            "about": _ref(ctx, m.event) if m.event else None, "description": m.context}


def _brief(ctx: ExportContext, m: Brief) -> Node:
    return {"@type": "Report", "name": m.title, "alternativeHeadline": m.subtitle, "datePublished": str(m.as_of),
            "abstract": words(m.bottom_line), "publisher": {"@type": "Organization", "name": ctx.site_name},
            "citation": _refs(ctx, m.cited())}


def _ids(ctx: ExportContext, value: Any) -> list[str]:
    """The records a node refers to: each ``@id`` that is a record's page
    (not an outside URL that happens to end in a record's id)."""
    found: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "@id" and isinstance(item, str):
                rid = item.rstrip("/").rsplit("/", 1)[-1].removesuffix(".html")
                if rid in ctx.corpus.records and ctx.path(rid) == item:
                    found.append(rid)
            else:
                found += _ids(ctx, item)
    elif isinstance(value, list):
        for item in value:
            found += _ids(ctx, item)
    return found
