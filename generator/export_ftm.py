"""The FollowTheMoney export: the corpus as entities Aleph and the other
FtM tools load (``ftm`` / ``alephclient write-entities``), one JSON object
per line, made with the ``followthemoney`` library's own model so that every
schema and property is checked by it.

Sources are ``Article``; actors ``Person``, ``PublicBody`` or
``Organization``; places ``Address`` (with their coordinates); events
``Event`` (``involved``, ``addressEntity``, ``proof``); claims and quotes
``Note`` on what they are about, with their sources as ``proof``; briefs
``Article`` with a ``Documentation`` link to each record they cite. An
actor's relation is a ``Membership`` (member of an organisation) or an
``UnknownLink`` with the relation as its role; so is an actor's part in an
event, and a place's part in a larger one.
"""

from __future__ import annotations

import json
from typing import Any

from followthemoney import model
from followthemoney.util import make_entity_id

from generator.export_context import ExportContext
from generator.model import Actor, Brief, Claim, Event, Place, Quote, Source
from generator.prose import words
from generator.reader import spot_of

FILE = "briefing.ftm.json"

# Our default actor types as FtM schemata; any other is an Organization.
PUBLIC = frozenset({"state", "government-body", "de-facto-authority", "military", "authority", "court"})


Entity = dict[str, Any]  # an entity as plain data, as FtM's to_dict gives it


def export_ftm(ctx: ExportContext) -> dict[str, bytes]:
    entities = sorted(entities_of(ctx), key=lambda e: str(e["id"]))
    lines = [json.dumps(e, ensure_ascii=False, sort_keys=True) for e in entities]
    return {FILE: ("\n".join(lines) + "\n").encode() if lines else b""}


def entities_of(ctx: ExportContext) -> list[Entity]:
    out: list[Entity] = []
    for entry in ctx.entries():
        m, rid = entry.model, entry.id
        if isinstance(m, Source):
            out.append(_source(ctx, rid, m))
        elif isinstance(m, Actor):
            out += _actor(ctx, rid, m)
        elif isinstance(m, Place):
            out += _place(ctx, rid, m)
        elif isinstance(m, Event):
            out += _event(ctx, rid, m)
        elif isinstance(m, Claim):
            out.append(_note(ctx, rid, m.statement, [*ctx.events_listing(rid), *m.actors], m.sources,
                             f"Claim asserted by {m.asserted_by}", ctx.url(rid)))
        elif isinstance(m, Quote):
            said = f"Quote of {ctx.title(m.speaker)}, said {m.said}"
            out.append(_note(ctx, rid, m.text, [m.speaker, *([m.event] if m.event else [])], [m.source], said,
                             ctx.url(rid)))
        elif isinstance(m, Brief):
            out += _brief(ctx, rid, m)
    return out


def _entity(ctx: ExportContext, schema: str, eid: str, cleaned: dict[str, str] | None = None, /,
            **props: object) -> Entity:
    """An entity made and checked by FtM's model, as plain data: remembered
    by what it is made of (``generator.export_memo``). ``cleaned``: values
    added as they are, not as FtM would clean them."""
    values = {prop: [str(v) for v in (value if isinstance(value, list) else [value]) if v is not None and v != ""]
              for prop, value in props.items()}

    def make() -> Entity:
        entity = model.make_entity(schema)
        entity.id = eid
        for prop, texts in values.items():
            for text in texts:
                entity.add(prop, text)
        for prop, text in (cleaned or {}).items():
            entity.add(prop, text, cleaned=True)
        return entity.to_dict()
    return ctx.memo.made("ftm", (schema, eid, values, cleaned), make)


def _source(ctx: ExportContext, rid: str, m: Source) -> Entity:
    return _entity(ctx, "Article", rid, title=m.title, name=m.title, author=list(m.authors),
                   publishedAt=str(m.published), publisher=m.publisher, sourceUrl=m.url, summary=m.summary,
                   language=m.language)


def _actor(ctx: ExportContext, rid: str, m: Actor) -> list[Entity]:
    schema = "Person" if m.type == "person" else "PublicBody" if m.type in PUBLIC else "Organization"
    positions = [role.title for role in m.roles] if schema == "Person" else []
    out = [_entity(ctx, schema, rid, name=m.name, alias=sorted({n.name for n in m.names} - {m.name}),
                   summary=m.summary, sourceUrl=ctx.url(rid), position=positions)]
    for i, rel in enumerate(m.relations):
        target = rel.actor or rel.place
        if target is None or target not in ctx.corpus.records:
            continue
        label = ctx.corpus.vocabulary.label("relation_types", rel.type)
        dates = {"startDate": str(rel.start) if rel.start else None, "endDate": str(rel.end) if rel.end else None}
        target_model = ctx.corpus.get(target).model
        eid = _edge_id(rid, "relation", i)
        if rel.type == "member-of" and isinstance(target_model, Actor) and target_model.type != "person":
            out.append(_entity(ctx, "Membership", eid, member=rid, organization=target, role=label,
                               description=rel.note, **dates))
        else:
            out.append(_entity(ctx, "UnknownLink", eid, subject=rid, object=target, role=label,
                               description=rel.note, **dates))
    return out


def _place(ctx: ExportContext, rid: str, m: Place) -> list[Entity]:
    spot = spot_of(m)
    # Coordinates as given, not as FtM would round them.
    where = {"latitude": f"{spot.lat:g}", "longitude": f"{spot.lon:g}"} if spot is not None else None
    out = [_entity(ctx, "Address", rid, where, full=m.name, name=m.name,
                   alias=sorted({n.name for n in m.names} - {m.name}), summary=m.summary)]
    if m.part_of:
        out.append(_entity(ctx, "UnknownLink", _edge_id(rid, "part_of"), subject=rid, object=m.part_of, role="part of"))
    return out


def _event(ctx: ExportContext, rid: str, m: Event) -> list[Entity]:
    vocabulary = ctx.corpus.vocabulary
    event = _entity(ctx, "Event", rid, name=m.title, date=str(m.date), startDate=str(m.date),
                    endDate=str(m.end) if m.end else None, summary=m.summary, involved=[p.actor for p in m.actors],
                    addressEntity=list(m.places), location=[ctx.title(p) for p in m.places], proof=list(m.sources),
                    keywords=[vocabulary.label("topics", t) for t in m.topics], sourceUrl=ctx.url(rid))
    parts = [_entity(ctx, "UnknownLink", _edge_id(rid, "actor", i), subject=p.actor, object=rid,
                     role=vocabulary.label("roles", p.role), date=str(m.date))
             for i, p in enumerate(m.actors)]
    return [event, *parts]


def _note(ctx: ExportContext, rid: str, text: str, about: list[str], sources: list[str], summary: str,
          url: str) -> Entity:
    return _entity(ctx, "Note", rid, name=text if len(text) <= 120 else text[:117] + "...", description=text,
                   entity=list(dict.fromkeys(about)), proof=sources, summary=summary, sourceUrl=url)


def _brief(ctx: ExportContext, rid: str, m: Brief) -> list[Entity]:
    brief = _entity(ctx, "Article", rid, title=m.title, name=m.title, publishedAt=str(m.as_of), publisher=ctx.site_name,
                    summary=words(m.bottom_line), sourceUrl=ctx.url(rid))
    cited = [c for c in m.cited() if c in ctx.corpus.records]
    return [brief, *(_entity(ctx, "Documentation", _edge_id(rid, "cites", c), document=rid, entity=c, role="cited")
                     for c in cited)]


def _edge_id(*parts: object) -> str:
    """A link's id: stable across builds, as FtM makes them (a hash of its parts)."""
    made = make_entity_id("briefing", *parts)
    assert made is not None  # None only when every part is empty
    return made
