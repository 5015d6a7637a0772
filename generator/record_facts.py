"""What is read off one record alone: the date it is placed at, its order
among events of that date, and the sources it rests on. Linking, listings,
publishing and the exports all place and cite records this way."""

from __future__ import annotations

from generator.dates import PartialDate
from generator.model import Brief, Claim, Event, Quote, Source
from generator.validate import Entry


def when(entry: Entry) -> PartialDate | None:
    """The date a record is placed at: an event's or claim's date, when a
    quote was said, a source's publication, a brief's as-of."""
    return date_of(entry.model)


def date_of(model: object) -> PartialDate | None:
    """``when`` for a record's model."""
    if isinstance(model, Event | Claim):
        return model.date
    if isinstance(model, Quote):
        return model.said
    if isinstance(model, Source):
        return model.published
    if isinstance(model, Brief):
        return model.as_of
    return None


def sources_of(model: object) -> list[str]:
    """The sources a record rests on: an event's or claim's, a quote's one."""
    if isinstance(model, Event | Claim):
        return list(model.sources)
    if isinstance(model, Quote):
        return [model.source]
    return []


def sequence_of(model: object) -> int:
    """An event's place among events of the same date (0 when not given):
    ties of imprecise dates are broken by it, then by id."""
    return model.sequence or 0 if isinstance(model, Event) else 0
