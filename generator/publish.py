"""Publish, between link and render: the checked corpus to what readers may see.

``check`` reads everything; what is published is narrower. A record is
withheld when it is a ``draft``, while its ``embargo_until`` has not
passed, or, in an as-of build (``briefing build --as-of``), when it could
not have been known at that moment. Withholding cascades: every mention of
a withheld record is removed from the records that remain (an event's list
of claims, a brief's citations, a participant, a relation), and a record
that cannot stand without it (a quote whose source is withheld, a claim all
of whose sources are, a key point that cites nothing left) goes too. The
result is linked again, so backlinks, disputes, selections and topics know
nothing of what was withheld, and nor does any page, PDF, search index or
export made from it.

The rules, read from the model, not from hand-kept lists: a reference in a
list is dropped from the list; an optional reference is cleared; a required
reference takes the smallest enclosing list item with it (a participant, a
relation), or, at the top of the record, the record itself. Whatever then
fails validation (an emptied ``sources``, a key point's emptied ``cites``,
a section that selects nothing) is dropped the same way.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import BaseModel, ValidationError

from generator.dates import PartialDate, shift
from generator.errors import BriefingError
from generator.fields import field_by_alias, iter_refs, model_at
from generator.link import Corpus, link
from generator.model import Actor, Event, Record, Source
from generator.problems import RecordPath
from generator.record_facts import date_of
from generator.validate import Entry

log = logging.getLogger(__name__)

# A date without a time is taken to begin when that day has begun
# everywhere: at 00:00 in UTC-12, the last zone to reach it.
_LAST_ZONE = timedelta(hours=12)
_MAX_ROUNDS = 50


def clock() -> datetime:
    """Now, or the moment SOURCE_DATE_EPOCH names: the convention for
    reproducible builds, and how tests fix the clock. A value that is not
    a moment stops the run, as the convention asks: a build must not
    silently take another date than the one it was given."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return datetime.now(UTC)
    if not (epoch.isascii() and epoch.isdigit()) or len(epoch) > 12:
        raise ClockError(f"SOURCE_DATE_EPOCH={epoch[:40]!r} is not a moment: it must be seconds since "
                         "1970-01-01 UTC (digits), before the year 10000")
    try:
        return datetime.fromtimestamp(int(epoch), UTC)
    except (OverflowError, OSError, ValueError):
        raise ClockError(f"SOURCE_DATE_EPOCH={epoch} is beyond the year 9999") from None


class ClockError(BriefingError):
    """SOURCE_DATE_EPOCH holds something that is not a moment."""


@dataclass(frozen=True, slots=True)
class Policy:
    """What may be published: at ``now`` (for embargoes), and, for an as-of
    build, what could have been known at ``as_of``."""

    now: datetime
    as_of: PartialDate | None = None
    drafts: bool = False  # include drafts (a local preview); never for builds


# How each reason for withholding begins, and what a build's summary calls it.
_REASONS = {"draft": "drafts", "embargoed until": "embargoed", "dated": "after the as-of",
            "it cannot stand": "resting on those"}


@dataclass(slots=True)
class Published:
    corpus: Corpus
    withheld: dict[str, str] = field(default_factory=dict)  # id -> why
    trimmed: dict[str, int] = field(default_factory=dict)  # id -> mentions removed from it

    def summary(self) -> list[str]:
        """What a build says it withheld, in a line or two."""
        lines = []
        if self.withheld:
            counts: dict[str, int] = {}
            for why in self.withheld.values():
                label = next(label for start, label in _REASONS.items() if why.startswith(start))
                counts[label] = counts.get(label, 0) + 1
            detail = ", ".join(f"{n} {label}" for label, n in sorted(counts.items()))
            lines.append(f"withheld {len(self.withheld)} records from every output ({detail})")
        if self.trimmed:
            lines.append(f"removed {sum(self.trimmed.values())} mentions of them from {len(self.trimmed)} "
                         f"published records")
        return lines


def begun(d: PartialDate, moment: datetime) -> bool:
    """Whether the date had begun by ``moment`` (an aware datetime)."""
    if d.has_zone:
        return d.earliest <= moment
    return shift(d.local_start.replace(tzinfo=UTC), _LAST_ZONE) <= moment


def known_by(d: PartialDate, as_of: PartialDate) -> bool:
    """Whether something dated ``d`` could have been known at ``as_of``:
    it may have happened (or been published) by then. Two dates without a
    zone are read on one calendar; a zoned pair as instants; otherwise the
    local calendar and clock of each, as an analyst reads "published on
    20 September" against "as of 20 September, 12:00"."""
    if d.has_zone and as_of.has_zone:
        return d.earliest <= as_of.earliest
    return d.local_start <= as_of.local_start


def publish(corpus: Corpus, policy: Policy) -> Published:
    """The corpus as readers may see it under ``policy``, private notes
    removed from every record."""
    published = _withhold(corpus, policy)
    published.corpus = _without_notes(published.corpus)
    return published


def _without_notes(corpus: Corpus) -> Corpus:
    """``notes`` are the editors' own: no page, PDF or export can read them."""
    if not any(e.model.notes is not None for e in corpus.records.values()):
        return corpus
    records = {rid: e if e.model.notes is None else Entry(e.file, e.model.model_copy(update={"notes": None}), e.text)
               for rid, e in corpus.records.items()}
    return replace(corpus, records=records)


def _withhold(corpus: Corpus, policy: Policy) -> Published:
    withheld = _initial(corpus, policy)
    if not withheld and policy.as_of is None:
        return Published(corpus)  # the common case, and serve's: nothing to walk
    models: dict[str, Record] = {}
    trimmed: dict[str, int] = {}
    for _ in range(_MAX_ROUNDS):
        grew = False
        for rid, entry in corpus.records.items():
            if rid in withheld:
                continue
            model, removed, why = _trim(_dated(entry.model, policy.as_of), withheld)
            if model is None:
                withheld[rid] = why
                grew = True
            else:
                models[rid] = model
                if removed:
                    trimmed[rid] = removed
        if not grew:
            break
    if not withheld and not any(models[r] is not corpus.records[r].model for r in models):
        return Published(corpus)
    entries = [entry if models[rid] is entry.model else Entry(entry.file, models[rid], entry.text)
               for rid, entry in corpus.records.items() if rid not in withheld]
    linked, _ = link(entries, vocabulary=corpus.vocabulary)  # problems are the full corpus' business (check)
    for rid, why in sorted(withheld.items()):
        log.info("withheld %s: %s", rid, why)
    return Published(linked, dict(sorted(withheld.items())), dict(sorted(trimmed.items())))


# --- the first reasons ----------------------------------------------------------


def _initial(corpus: Corpus, policy: Policy) -> dict[str, str]:
    withheld: dict[str, str] = {}
    for rid, entry in corpus.records.items():
        why = _reason(entry.model, policy)
        if why:
            withheld[rid] = why
    return withheld


def _reason(model: Record, policy: Policy) -> str:
    if model.draft and not policy.drafts:
        return "draft"
    if model.embargo_until is not None and not begun(model.embargo_until, policy.now):
        return f"embargoed until {model.embargo_until}"
    as_of = policy.as_of
    if as_of is None:
        return ""
    date = date_of(model)
    if date is not None and not known_by(date, as_of):
        return f"dated {date}, after the as-of {as_of}"
    return ""


def _dated(model: Record, as_of: PartialDate | None) -> Record:
    """In an as-of build, what a record says about later times goes: an
    event's end, a retraction, an actor's later roles and relations."""
    if as_of is None:
        return model
    update: dict[str, Any] = {}
    if isinstance(model, Event) and model.end is not None and not known_by(model.end, as_of):
        update["end"] = None
    if isinstance(model, Source) and model.retracted is not None and not known_by(model.retracted, as_of):
        update["retracted"] = None
    if isinstance(model, Actor):
        roles = [r for r in model.roles if r.start is None or known_by(r.start, as_of)]
        relations = [r for r in model.relations if r.start is None or known_by(r.start, as_of)]
        if len(roles) != len(model.roles):
            update["roles"] = roles
        if len(relations) != len(model.relations):
            update["relations"] = relations
    return model.model_copy(update=update) if update else model


# --- removing mentions ------------------------------------------------------------


def _trim(model: Record, withheld: dict[str, str]) -> tuple[Record | None, int, str]:
    """The record without its mentions of withheld records: (model, how
    many mentions went, "") or (None, 0, why) when it cannot stand."""
    sites = [s for s in iter_refs(model) if s.target in withheld]
    if not sites:
        return model, 0, ""
    targets = sorted({s.target for s in sites})
    why = "it cannot stand without " + ", ".join(targets[:3]) + (" and others" if len(targets) > 3 else "")
    cls = type(model)
    data = model.model_dump(mode="json", by_alias=True, exclude_unset=True)
    cuts: set[RecordPath] = set()
    for site in sites:
        cut = _cut_for(cls, site.path)
        if cut is None:
            return None, 0, why
        cuts.add(cut)
    for _ in range(_MAX_ROUNDS):
        _remove(data, cuts)
        try:
            return cls.model_validate(data), len(sites), ""
        except ValidationError as exc:
            cuts = {c for c in (_item_of(tuple(e["loc"])) for e in exc.errors()) if c is not None}
            if len(cuts) < len(exc.errors()):
                return None, 0, why
    return None, 0, why


def _cut_for(cls: type[BaseModel], path: RecordPath) -> RecordPath | None:
    """What to remove for a withheld reference at ``path``: the list item,
    the optional field, or the list item holding a required field; None
    when only the whole record will do."""
    if isinstance(path[-1], int):
        return path
    owner = model_at(cls, path[:-1])
    info = field_by_alias(owner, str(path[-1])) if owner is not None else None
    if info is not None and not info.is_required():
        return path
    return _item_of(path[:-1])


def _item_of(path: RecordPath) -> RecordPath | None:
    """The innermost list item on ``path`` (itself included), if any."""
    for i in range(len(path) - 1, -1, -1):
        if isinstance(path[i], int):
            return path[: i + 1]
    return None


def _remove(data: dict[str, Any], cuts: Iterable[RecordPath]) -> None:
    # Deepest and last first, so that list indices still point where they did.
    for cut in sorted(cuts, key=_sort_key, reverse=True):
        parent: Any = data
        for part in cut[:-1]:
            parent = parent[part]
        last = cut[-1]
        if isinstance(parent, list) and isinstance(last, int) and last < len(parent):
            del parent[last]
        elif isinstance(parent, dict):
            parent.pop(last, None)


def _sort_key(path: RecordPath) -> tuple[tuple[int, int | str], ...]:
    return tuple((0, p) if isinstance(p, int) else (1, p) for p in path)
