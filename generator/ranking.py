"""The order of every list: chronological (undated last), then by id, and
each record's date as that order reads it.

A record's place depends on its own model alone, so after an edit the
records that did not change keep their order among themselves: `serve`
places only the changed ones among them (``Ranking.patched``) instead of
sorting ten thousand records again (0.03-0.05 s an edit at 10,000).
"""

from __future__ import annotations

from bisect import insort
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

from generator.dates import PartialDate
from generator.model import Record
from generator.record_facts import date_of, sequence_of


@dataclass(frozen=True, slots=True)
class Ranking:
    """The records in the order of every list, each one's place in it, and
    each one's date (``record_facts.date_of``)."""

    order: tuple[str, ...]
    ranks: dict[str, int]
    dates: dict[str, PartialDate | None]

    @classmethod
    def of(cls, models: Mapping[str, Record]) -> Ranking:
        dates = {rid: date_of(model) for rid, model in models.items()}
        return cls._made(sorted(models, key=_place(dates, models)), dates)

    def patched(self, models: Mapping[str, Record], changed: Collection[str]) -> Ranking:
        """This ranking after an edit: ``models`` are the records now, and
        ``changed`` holds at least every record added, removed or whose
        model is not the same as when this ranking was made."""
        again = frozenset(changed)  # placed again, where they are still records
        dates = {rid: d for rid, d in self.dates.items() if rid not in again}
        dates.update((rid, date_of(models[rid])) for rid in again if rid in models)
        order = [rid for rid in self.order if rid not in again]
        key = _place(dates, models)
        for rid in sorted(again & models.keys()):
            insort(order, rid, key=key)
        return self._made(order, dates)

    @classmethod
    def _made(cls, order: list[str], dates: dict[str, PartialDate | None]) -> Ranking:
        return cls(tuple(order), {rid: i for i, rid in enumerate(order)}, dates)


def _place(dates: Mapping[str, PartialDate | None], models: Mapping[str, Record]) -> Callable[[str], tuple[Any, ...]]:
    """A record's sort key: dated records by date (an event's sequence
    breaking ties of imprecise dates), then undated ones; the id last."""
    def key(rid: str) -> tuple[Any, ...]:
        d = dates[rid]
        return (0, *d.sort_key, sequence_of(models[rid]), rid) if d is not None else (1, rid)
    return key
