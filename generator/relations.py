"""The reverse relations the site's pages show: which events an actor took
part in and took place where, who said which quotes, what cites a source,
which records carry a topic, which places lie in another.

Each relation is read off one record's own fields, so a rendering after an
edit (`serve`, cached builds) patches the rendering before's: the lists a
changed record was in, or is in now, are made again, and every other list
is kept. At 10,000 records making them all takes a tenth of a second a
rendering.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass

from generator.model import Claim, Event, Place, Quote, Record
from generator.record_facts import sources_of

# An entry of a relation: a record's id, or an event's id with the role an actor had in it.
Value = str | tuple[str, str]
Relation = dict[str, list[Value]]
# A rendering's relations from the rendering before's, given each record's
# place in the order of every list (None: made whole).
Patch = Callable[[Mapping[str, int]], "Relations | None"]


@dataclass(frozen=True, slots=True)
class Relations:
    """Each relation, by the record related to: lists in the order of every
    list (``Reader.sorted_ids``)."""

    events_of_actor: dict[str, list[tuple[str, str]]]  # actor -> (event, role)
    events_at: dict[str, list[str]]  # place -> events
    events_of_claim: dict[str, list[str]]  # claim -> events reporting it
    quotes_of: dict[str, list[str]]  # speaker -> quotes
    quotes_at_event: dict[str, list[str]]
    claims_by: dict[str, list[str]]  # actor -> claims about it
    cited_by: dict[str, list[str]]  # source -> records citing it
    topics: dict[str, list[str]]  # topic -> records carrying it
    contains: dict[str, list[str]]  # place -> places in it

    @classmethod
    def of(cls, models: Mapping[str, Record], ordered: list[str]) -> Relations:
        """Every relation of the records ``ordered`` (all of them, in the order of every list)."""
        maps: dict[str, Relation] = {name: defaultdict(list) for name in _NAMES}
        for rid in ordered:
            for name, key, value in _entries(rid, models[rid]):
                maps[name][key].append(value)
        return cls._of(maps)

    def patched(self, old: Mapping[str, Record], new: Mapping[str, Record], changed: Collection[str],
                rank: Mapping[str, int]) -> Relations:
        """These relations after an edit: ``changed`` holds every record
        whose model is not the same in ``old`` and ``new``; ``rank`` is each
        record's place in the order of every list, after the edit. The
        unchanged records keep their order among themselves, so a list no
        changed record was or is in is kept as it is."""
        maps: dict[str, Relation] = {name: defaultdict(list, getattr(self, name)) for name in _NAMES}
        touched: dict[tuple[str, str], list[Value]] = {}

        def values(name: str, key: str) -> list[Value]:
            if (name, key) not in touched:
                touched[name, key] = [v for v in maps[name].get(key, ()) if _id(v) not in changed]
            return touched[name, key]

        for rid in changed:
            if rid in old:
                for name, key, _ in _entries(rid, old[rid]):
                    values(name, key)
        for rid in changed:
            if rid in new:
                for name, key, value in _entries(rid, new[rid]):
                    values(name, key).append(value)
        for (name, key), made in touched.items():
            if made:
                made.sort(key=lambda v: rank[_id(v)])  # stable: one record's entries keep their order
                maps[name][key] = made
            else:
                maps[name].pop(key, None)
        return self._of(maps)

    @classmethod
    def _of(cls, maps: dict[str, Relation]) -> Relations:
        return cls(**maps)  # type: ignore[arg-type]  # each map holds its relation's values


_NAMES = ("events_of_actor", "events_at", "events_of_claim", "quotes_of", "quotes_at_event", "claims_by",
          "cited_by", "topics", "contains")


def _id(value: Value) -> str:
    return value if isinstance(value, str) else value[0]


def _entries(rid: str, model: Record) -> Iterator[tuple[str, str, Value]]:
    """The entries one record makes: (relation, record related to, entry)."""
    if isinstance(model, Event):
        for p in model.actors:
            yield "events_of_actor", p.actor, (rid, p.role)
        for pid in model.places:
            yield "events_at", pid, rid
        for cid in model.claims:
            yield "events_of_claim", cid, rid
    if isinstance(model, Quote):
        yield "quotes_of", model.speaker, rid
        if model.event:
            yield "quotes_at_event", model.event, rid
    if isinstance(model, Claim):
        for aid in model.actors:
            yield "claims_by", aid, rid
    for sid in sources_of(model):
        yield "cited_by", sid, rid
    for topic in getattr(model, "topics", ()):
        yield "topics", topic, rid
    if isinstance(model, Place) and model.part_of:
        yield "contains", model.part_of, rid
