"""Brief selections: the records each section of a brief takes, by its
listed ids and its criteria (kinds, topics, actors, places, dates).

Linking chooses them for every brief. Under ``serve`` a linking starts from
the one before (``Selected``): a section is chosen again only when an edit
touched a record it takes or would take, before or after the edit, and
then only those records move in or out of it. A full choice and a choice
from the one before are the same lists (a property test draws edits).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from generator.dates import PartialDate
from generator.model import Brief, Claim, Event, Quote, Selection
from generator.problems import Problem, Severity
from generator.record_facts import sequence_of, when
from generator.validate import Entry, problem_at

# A brief is read in minutes: a section listing more than this is a listing,
# which the topic pages and the timeline already are (the sample's longest has 44).
SECTION_RECORDS = 100

_NEVER = PartialDate.parse("9999")


@dataclass(frozen=True, slots=True)
class Facts:
    """What selections ask of a record."""

    id: str
    kind: str
    when: PartialDate | None
    sequence: int
    topics: frozenset[str]  # its own, and a claim's or quote's events'
    actors: frozenset[str]
    places: frozenset[str]

    @property
    def order(self) -> tuple[tuple[datetime, int], int, str]:
        """Where sections list it: by date (undated last), then sequence and id."""
        return (self.when or _NEVER).sort_key, self.sequence, self.id


@dataclass(frozen=True, slots=True)
class Selected:
    """What one linking chose, for the next in the same process to start from."""

    records: dict[str, Entry]  # the records chosen among
    facts: dict[str, Facts]
    inherits: dict[str, tuple[str, ...]]  # record id -> the events whose topics it took
    selections: dict[str, list[list[str]]]  # brief id -> one list of ids per section


def select_briefs(records: dict[str, Entry], briefs: list[str], referrers: Mapping[str, Collection[str]],
                  problems: list[Problem], before: Selected | None = None) -> Selected:
    """Every brief's selections (``briefs``: their ids, in order), with a
    warning for each section that takes nothing or too much. ``referrers``:
    record id -> the records that refer to it (an event lists its claims)."""
    if not briefs:
        return Selected(records, {}, {}, {})
    if before is None or not before.facts:
        before = None
        affected = set(records)
        facts, inherits = {}, {}
    else:
        affected = _affected(records, before, referrers)
        facts, inherits = dict(before.facts), dict(before.inherits)
    for rid in affected:
        facts.pop(rid, None)
        inherits.pop(rid, None)
        if rid in records:
            facts[rid], inherits[rid] = _facts_of(rid, records, referrers)
    choice = _Choice(facts, before, frozenset(affected), records)
    selections = {bid: _select_brief(records[bid], choice, problems) for bid in briefs}
    return Selected(records, facts, inherits, selections)


def _affected(records: dict[str, Entry], before: Selected, referrers: Mapping[str, Collection[str]]) -> set[str]:
    """The records whose facts may differ from the linking before: those
    changed (a record unchanged on disk is the same object), the records
    that took a changed event's topics, and those that may take them now
    (the claims it lists, the quotes that name it)."""
    old = before.records
    changed = {rid for rid in records.keys() | old.keys() if records.get(rid) is not old.get(rid)}
    affected = set(changed)
    affected.update(rid for rid, events in before.inherits.items() if events and not changed.isdisjoint(events))
    for rid in changed:
        entry = records.get(rid)
        if entry is not None and isinstance(entry.model, Event):
            affected.update(entry.model.claims)
            affected.update(referrers.get(rid, ()))
    return affected


def _facts_of(rid: str, records: dict[str, Entry], referrers: Mapping[str, Collection[str]]
              ) -> tuple[Facts, tuple[str, ...]]:
    """A record's facts, and the events whose topics it took: claims and
    quotes take on the topics of their events."""
    entry = records[rid]
    model = entry.model
    topics = set(getattr(model, "topics", ()))
    events = [eid for eid in sorted(referrers.get(rid, ()))
              if (ev := records.get(eid)) is not None and isinstance(ev.model, Event) and rid in ev.model.claims]
    if isinstance(model, Quote) and model.event is not None:
        event = records.get(model.event)
        if event is not None and isinstance(event.model, Event):
            events.append(model.event)
    for eid in events:
        topics.update(getattr(records[eid].model, "topics", ()))
    facts = Facts(rid, entry.kind, when(entry), sequence_of(model), frozenset(topics),
                  frozenset(_actors_of(model)), frozenset(model.places if isinstance(model, Event) else ()))
    return facts, tuple(events)


@dataclass(slots=True)
class _Choice:
    """What sections are chosen from: every record's facts and, built only
    when a section must be chosen whole, where each kind's and each kind's
    on a topic are among them in order (a section looks only at its kinds
    on its topics: a hundred sections at 10,000 records each went through
    every record)."""

    facts: dict[str, Facts]
    before: Selected | None
    affected: frozenset[str]
    records: dict[str, Entry]
    _ordered: list[Facts] | None = None
    _of_kind: dict[str, list[int]] = field(default_factory=dict)
    _on_topic: dict[tuple[str, str], list[int]] = field(default_factory=dict)

    def section(self, brief_id: str, i: int, sel: Selection) -> list[str]:
        """The listed ids first (in their order), then matching records by date."""
        listed = _listed(sel, self.records)
        if not sel.has_criteria:
            return listed
        earlier = self._earlier(brief_id, i, sel, listed)
        if earlier is None:
            taken = set(listed)
            return listed + [f.id for f in self._candidates(sel) if f.id not in taken and _matches(f, sel)]
        return self._moved(earlier, sel, listed)

    def _earlier(self, brief_id: str, i: int, sel: Selection, listed: list[str]) -> list[str] | None:
        """The section as the linking before chose it, when it can be the
        start: its brief unchanged and its listed ids the same records."""
        before = self.before
        if before is None or brief_id in self.affected:
            return None
        chosen = before.selections.get(brief_id)
        if chosen is None or i >= len(chosen):
            return None
        if listed != _listed(sel, before.records):
            return None
        return chosen[i]

    def _moved(self, earlier: list[str], sel: Selection, listed: list[str]) -> list[str]:
        """The earlier choice with the records an edit affected taken out
        and put back where they match now."""
        assert self.before is not None
        old = self.before.facts
        touched = [rid for rid in self.affected if _fits(old.get(rid), sel) or _fits(self.facts.get(rid), sel)]
        if not touched:
            return list(earlier)
        taken = set(listed)
        rest = [rid for rid in earlier[len(listed):] if rid not in self.affected]
        rest += [rid for rid in touched if rid not in taken and _fits(self.facts.get(rid), sel)]
        rest.sort(key=lambda rid: self.facts[rid].order)
        return listed + rest

    def _candidates(self, sel: Selection) -> list[Facts]:
        """The facts of the selection's kinds (on one of its topics, if it
        names topics), in order: the others cannot match."""
        ordered = self._index()
        kinds, topics = set(sel.kinds), set(sel.topics)
        if topics:
            at = {i for kind in kinds for topic in topics for i in self._on_topic.get((kind, topic), ())}
        else:
            at = {i for kind in kinds for i in self._of_kind.get(kind, ())}
        return [ordered[i] for i in sorted(at)]

    def _index(self) -> list[Facts]:
        if self._ordered is None:
            self._ordered = sorted(self.facts.values(), key=lambda f: f.order)
            for i, f in enumerate(self._ordered):
                self._of_kind.setdefault(f.kind, []).append(i)
                for topic in f.topics:
                    self._on_topic.setdefault((f.kind, topic), []).append(i)
        return self._ordered


def _select_brief(entry: Entry, choice: _Choice, problems: list[Problem]) -> list[list[str]]:
    assert isinstance(entry.model, Brief)
    out: list[list[str]] = []
    for i, section in enumerate(entry.model.sections):
        if section.select is None:
            out.append([])  # prose only
            continue
        chosen = choice.section(entry.id, i, section.select)
        if not chosen:
            problems.append(problem_at(entry, ("sections", i, "select"), "empty-section",
                                       f"section '{section.title}' selects no records",
                                       "check its ids, topics, actors, places and dates", Severity.WARNING))
        elif len(chosen) > SECTION_RECORDS:
            problems.append(problem_at(
                entry, ("sections", i, "select"), "long-section",
                f"section '{section.title}' selects {len(chosen):,} records: a brief is read, not searched "
                f"(at most {SECTION_RECORDS} a section)",
                "narrow it with from/to, kinds or ids; every record stays listed in the indexes and on its "
                "topics' pages", Severity.WARNING))
        out.append(chosen)
    return out


def _listed(sel: Selection, records: dict[str, Entry]) -> list[str]:
    """The section's listed ids that are records, once each, in their order."""
    return [rid for rid in dict.fromkeys(sel.ids) if rid in records]


def _fits(f: Facts | None, sel: Selection) -> bool:
    return f is not None and f.kind in sel.kinds and _matches(f, sel)


def _matches(f: Facts, sel: Selection) -> bool:
    if sel.topics and f.topics.isdisjoint(sel.topics):
        return False
    if sel.actors and f.actors.isdisjoint(sel.actors):
        return False
    if sel.places and f.places.isdisjoint(sel.places):
        return False
    if sel.from_ is not None or sel.to is not None:
        # A record is in range when its span on the local calendar overlaps
        # it: "September 2023" is in "from 20 September" and "to 1 September".
        if f.when is None:
            return False
        if sel.from_ is not None and f.when.local_end <= sel.from_.local_start:
            return False
        if sel.to is not None and f.when.local_start >= sel.to.local_end:
            return False
    return True


def _actors_of(model: object) -> set[str]:
    if isinstance(model, Event):
        return {p.actor for p in model.actors}
    if isinstance(model, Claim):
        return set(model.actors)
    if isinstance(model, Quote):
        return {model.speaker}
    return set()
