"""The STIX 2.1 export: the corpus as one bundle for OpenCTI and other
intelligence platforms, made with the ``stix2`` library (which checks every
object as it is made; the tests run ``stix2-validator`` over the bundle).

Actors are ``identity``; places ``location`` (a place with neither
coordinates nor a shape is placed at the middle of its parts, or left out:
STIX requires a position, a region or a country); events ``grouping`` of
their actors and places; sources and briefs ``report``; claims and quotes
``note`` on what they concern; relations, parts in events and a place's
part in a larger one ``relationship``. A dispute is a ``note`` on all its
claims, and, for each side, an ``opinion`` that disagrees with the other
sides (authored by the side's asserter, inferred by the editors: the claims
cannot all be true). A source's Admiralty credibility (1-5) becomes STIX
``confidence`` on the source and on what rests on it, by the STIX 2.1
specification's own scale (``stix2.confidence.scales``); reliability (A-F),
which STIX has no property for, becomes a label.

Ids are deterministic: a hash of the record's id, shaped as the random
UUIDv4 STIX asks for, so the same corpus gives the same bundle.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from typing import Any

import stix2
from stix2.confidence.scales import admiralty_credibility_to_value

from generator.dates import PartialDate
from generator.export_context import ExportContext, timestamp
from generator.model import Actor, Brief, Claim, Event, Place, Quote, Source
from generator.prose import words
from generator.reader import spot_of
from generator.record_facts import sources_of

FILE = "briefing.stix.json"
CREDIBILITY = {1: "1 - Confirmed by other sources", 2: "2 - Probably True", 3: "3 - Possibly True",
               4: "4 - Doubtful", 5: "5 - Improbable"}
INDIVIDUAL, GROUP = frozenset({"person"}), frozenset({"armed-group"})
SECTORS = {"state": "government", "government-body": "government", "de-facto-authority": "government",
           "authority": "government", "court": "government", "military": "defense"}


def stix_id(kind: str, key: str) -> str:
    """A deterministic id: the hash of ``key``, with UUIDv4's version and variant bits."""
    digest = bytearray(hashlib.sha256(f"briefing:{kind}:{key}".encode()).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x40
    digest[8] = (digest[8] & 0x3F) | 0x80
    return f"{kind}--{uuid.UUID(bytes=bytes(digest))}"


def export_stix(ctx: ExportContext) -> dict[str, bytes]:
    # The bundle as stix2.Bundle serialises it, around objects each made
    # (and checked) by stix2; keys sorted by the standard library: stix2's
    # own sort_keys takes time that grows with the square of the bundle.
    data = {"type": "bundle", "id": stix_id("bundle", ctx.site_name), "objects": Stix(ctx).objects()}
    return {FILE: (json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode()}


Obj = dict[str, Any]  # a STIX object as plain data, as stix2 serialises it


def _made(ctx: ExportContext, cls: type[Any], **properties: Any) -> Obj:
    """A STIX object made and checked by stix2, as plain data: remembered by
    its properties (``generator.export_memo``), as made once it is checked."""
    def make() -> Obj:
        obj: Obj = json.loads(cls(**properties).serialize())
        _pad_years(obj)
        return obj
    return ctx.memo.made(f"stix2.{cls.__name__}", properties, make)


class Stix:
    """One corpus' objects: ids are worked out first, so objects can refer
    to one another in any order."""

    def __init__(self, ctx: ExportContext) -> None:
        self.ctx = ctx
        self.stamp = ctx.stamp
        self.producer = stix_id("identity", "")  # the site that publishes the corpus
        self.ids: dict[str, str] = {}
        kinds = {"source": "report", "actor": "identity", "place": "location", "event": "grouping",
                 "claim": "note", "quote": "note", "brief": "report"}
        self.positions = {e.id: pos for e in ctx.corpus.of_kind("place") if (pos := self._position(e.id))}
        for entry in ctx.entries():
            if entry.kind != "place" or entry.id in self.positions:
                self.ids[entry.id] = stix_id(kinds[entry.kind], entry.id)
        self.cited_by: dict[str, list[str]] = {}  # source -> what rests on it
        for entry in ctx.entries():
            for sid in sources_of(entry.model):
                self.cited_by.setdefault(sid, []).append(entry.id)

    def objects(self) -> list[Obj]:
        out: list[Obj] = [self._make(stix2.Identity, id=self.producer, name=self.ctx.site_name,
                                     identity_class="organization",
                                     description="The editors of this briefing corpus.", **self._times())]
        for entry in self.ctx.entries():
            m, rid = entry.model, entry.id
            if rid not in self.ids:
                continue
            if isinstance(m, Source):
                out.append(self._source(rid, m))
            elif isinstance(m, Actor):
                out += self._actor(rid, m)
            elif isinstance(m, Place):
                out += self._place(rid, m)
            elif isinstance(m, Event):
                out += self._event(rid, m)
            elif isinstance(m, Claim):
                about = [*self.ctx.events_listing(rid), *m.actors, *m.sources]
                out.append(self._note(rid, m.statement, [m.asserted_by], about, m.sources, "Claim"))
            elif isinstance(m, Quote):
                refs = [m.speaker, m.source, *([m.event] if m.event else [])]
                out.append(self._note(rid, m.text, [self.ctx.title(m.speaker)], refs, [m.source], "Quote"))
            elif isinstance(m, Brief):
                out.append(self._brief(rid, m))
        for index in range(len(self.ctx.corpus.disputes)):
            out += self._dispute(index)
        return out

    # --- common -------------------------------------------------------------------

    def _make(self, cls: type[Any], **properties: Any) -> Obj:
        return _made(self.ctx, cls, **properties)

    def _times(self) -> dict[str, str]:
        # created and modified are the corpus' own date: never the clock.
        return {"created": self.stamp, "modified": self.stamp}

    def _common(self, rid: str) -> dict[str, Any]:
        return {"id": self.ids[rid], "created_by_ref": self.producer,
                "external_references": [self._page(self.ctx.url(rid), rid)], **self._times()}

    def _page(self, url: str, key: str) -> dict[str, str]:
        """A reference to the record's page: its URL only when the site's is
        known (STIX wants an absolute URI there), its id always."""
        reference = {"source_name": self.ctx.site_name, "external_id": key}
        if self.ctx.site_url:
            reference["url"] = url
        return reference

    def _refs(self, ids: list[str]) -> list[str]:
        return list(dict.fromkeys(self.ids[i] for i in ids if i in self.ids))

    def _confidence(self, sources: list[str]) -> dict[str, int]:
        grades = [m.credibility for s in sources if isinstance(m := self._model(s), Source) and m.credibility]
        values = [admiralty_credibility_to_value(CREDIBILITY[g]) for g in grades if g in CREDIBILITY]
        return {"confidence": max(values)} if values else {}

    def _model(self, rid: str) -> object:
        entry = self.ctx.corpus.records.get(rid)
        return entry.model if entry is not None else None

    # --- kinds ----------------------------------------------------------------------

    def _source(self, rid: str, m: Source) -> Obj:
        refs = self._refs(self.cited_by.get(rid, [])) or [self.producer]
        reference: dict[str, str] = {"source_name": m.publisher, "description": m.title}
        if m.url:
            reference["url"] = m.url
        labels = [f"admiralty-reliability-{m.reliability.lower()}"] if m.reliability else []
        common = self._common(rid)
        common["external_references"] = [reference, *common["external_references"]]
        return self._make(stix2.Report, name=m.title, published=_moment(m.published), description=m.summary,
                          object_refs=refs, labels=labels or None, lang=m.language, **self._confidence([rid]),
                          **common)

    def _actor(self, rid: str, m: Actor) -> list[Obj]:
        identity_class = "individual" if m.type in INDIVIDUAL else "group" if m.type in GROUP else "organization"
        sector = SECTORS.get(m.type)
        out: list[Obj] = [self._make(stix2.Identity, name=m.name, identity_class=identity_class,
                                     description=m.summary, roles=[r.title for r in m.roles] or None,
                                     sectors=[sector] if sector else None, **self._common(rid))]
        for i, rel in enumerate(m.relations):
            target = rel.actor or rel.place
            if target in self.ids:
                label = self.ctx.corpus.vocabulary.label("relation_types", rel.type)
                span = " ".join(p for p in (f"from {rel.start}" if rel.start else "",
                                            f"to {rel.end}" if rel.end else "") if p)
                text = "; ".join(p for p in (f"{m.name} is {label} {self.ctx.title(target)}", span, rel.note) if p)
                out.append(self._relationship(f"{rid}:relation:{i}", rel.type, rid, target, text))
        return out

    def _relationship(self, key: str, kind: str, source: str, target: str, text: str) -> Obj:
        return self._make(stix2.Relationship, id=stix_id("relationship", key), relationship_type=kind,
                          source_ref=self.ids[source], target_ref=self.ids[target], description=text,
                          created_by_ref=self.producer, **self._times())

    def _position(self, rid: str) -> tuple[float, float] | None:
        """Where a place is: its coordinates or shape; else the middle of its parts."""
        model = self._model(rid)
        assert isinstance(model, Place)
        spot = spot_of(model)
        if spot is not None:
            return spot.lat, spot.lon
        # A place refers to another only as its part_of: its backlinks of that kind are its parts.
        parts = [s for part in self.ctx.corpus.backlinks.get(rid, []) if isinstance(m := self._model(part), Place)
                 and (s := spot_of(m)) is not None]
        if not parts:
            return None
        return sum(s.lat for s in parts) / len(parts), sum(s.lon for s in parts) / len(parts)

    def _place(self, rid: str, m: Place) -> list[Obj]:
        lat, lon = self.positions[rid]
        out: list[Obj] = [self._make(stix2.Location, name=m.name, latitude=round(lat, 6), longitude=round(lon, 6),
                                     description=m.summary, **self._common(rid))]
        if m.part_of in self.ids:
            out.append(self._relationship(f"{rid}:part_of", "located-at", rid, m.part_of,
                                          f"{m.name} is part of {self.ctx.title(m.part_of)}"))
        return out

    def _event(self, rid: str, m: Event) -> list[Obj]:
        when = f"{m.date}" + (f" to {m.end}" if m.end else "")
        refs = self._refs([*(p.actor for p in m.actors), *m.places]) or [self.producer]
        out: list[Obj] = [self._make(stix2.Grouping, name=m.title, context="unspecified",
                                     description=f"{when}: {m.summary}", object_refs=refs,
                                     **self._confidence(m.sources), **self._common(rid))]
        vocabulary = self.ctx.corpus.vocabulary
        for i, p in enumerate(m.actors):
            if p.actor in self.ids:
                text = f"{self.ctx.title(p.actor)}: {vocabulary.label('roles', p.role)}"
                out.append(self._relationship(f"{rid}:actor:{i}", "related-to", p.actor, rid, text))
        for place in m.places:
            if place in self.ids:
                out.append(self._relationship(f"{rid}:place:{place}", "located-at", rid, place,
                                              f"{m.title}: at {self.ctx.title(place)}"))
        return out

    def _note(self, rid: str, text: str, authors: list[str], about: list[str], sources: list[str],
              what: str) -> Obj:
        return self._make(stix2.Note, abstract=f"{what}: {_short(text)}", content=text, authors=authors,
                          object_refs=self._refs(about) or [self.producer], **self._confidence(sources),
                          **self._common(rid))

    def _brief(self, rid: str, m: Brief) -> Obj:
        refs = self._refs(m.cited()) or [self.producer]
        return self._make(stix2.Report, name=m.title, published=_moment(m.as_of),
                          description=words(m.bottom_line), object_refs=refs, **self._common(rid))

    def _dispute(self, index: int) -> list[Obj]:
        dispute = self.ctx.corpus.disputes[index]
        question = self.ctx.corpus.vocabulary.subject_label(dispute.subject) or dispute.subject.replace("-", " ")
        claims = [(cid, m) for cid in dispute.claims if cid in self.ids and isinstance(m := self._model(cid), Claim)]
        sides = "\n".join(f"- {m.asserted_by}: {m.statement}" for _, m in claims)
        out: list[Obj] = [self._make(
            stix2.Note,
            id=stix_id("note", f"dispute:{dispute.subject}"), abstract=f"Disputed: {question}",
            content=f"These claims cannot all be true:\n{sides}", authors=[self.ctx.site_name],
            object_refs=[self.ids[cid] for cid, _ in claims], created_by_ref=self.producer,
            external_references=[self._page(self.ctx.disputes_url(dispute.subject), dispute.subject)],
            **self._times())]
        for cid, m in claims:
            others = [self.ids[o] for o, _ in claims if o != cid]
            out.append(self._make(
                stix2.Opinion,
                id=stix_id("opinion", f"dispute:{dispute.subject}:{cid}"), opinion="disagree", authors=[m.asserted_by],
                object_refs=others, created_by_ref=self.producer, **self._times(),
                explanation=f"{m.asserted_by} asserts: {m.statement} The claims referred to cannot be true with it "
                            f"(inferred by the editors of {self.ctx.site_name}: {question})"))
        return out


_SHORT_YEAR = re.compile(r"^(\d{1,3})-")


def _pad_years(obj: dict[str, Any]) -> None:
    """stix2 writes a timestamp before the year 1000 with strftime, as
    1-01-01T00:00:00Z, which its own validator refuses: the year in four digits."""
    for key in ("created", "modified", "published"):
        value = obj.get(key)
        if isinstance(value, str) and (m := _SHORT_YEAR.match(value)):
            obj[key] = f"{int(m[1]):04d}" + value[len(m[1]):]


def _moment(d: PartialDate) -> str:
    return timestamp(d.earliest)


def _short(text: str, limit: int = 100) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3].rstrip() + "..."
