"""The order of every list, patched after an edit (`serve`), is the order
made whole from the records after the edit."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from generator.model import Actor, Event, Record
from generator.ranking import Ranking

# Dates of every precision, several sharing a day, a month or a year.
DATES = st.sampled_from(["2023", "2023-09", "2023-09-19", "2023-09-19T13:00+04:00", "2023-09-19T09:00+02:00",
                         "2020", "2020-11-10", "2024-01"])
IDS = st.sampled_from([f"r{i}" for i in range(12)])


def event(rid: str, date: str, sequence: int | None) -> Record:
    return Event.model_validate({"id": rid, "title": rid, "date": date, "summary": "s", "sources": ["s"],
                                 "sequence": sequence})


def actor(rid: str) -> Record:  # undated: after every dated record
    return Actor.model_validate({"id": rid, "name": rid, "type": "state"})


# A record as (date, sequence), None for an undated one.
RECORD = st.none() | st.tuples(DATES, st.none() | st.integers(1, 3))
CORPUS = st.dictionaries(IDS, RECORD, max_size=10)


def models(drawn: dict[str, tuple[str, int | None] | None]) -> dict[str, Record]:
    return {rid: actor(rid) if d is None else event(rid, *d) for rid, d in drawn.items()}


@given(CORPUS, CORPUS, st.sets(IDS))
def test_a_patched_ranking_is_the_one_made_whole(first: dict[str, tuple[str, int | None] | None],
                                                  edits: dict[str, tuple[str, int | None] | None],
                                                  removed: set[str]) -> None:
    before = models(first)
    # An unchanged record is the same object, as a reading keeps it.
    edited = {rid: m for rid, m in before.items() if rid not in edits}
    edited.update(models(edits))
    after = {rid: model for rid, model in edited.items() if rid not in removed}
    changed = {rid for rid in before.keys() | after.keys() if before.get(rid) is not after.get(rid)}
    patched = Ranking.of(before).patched(after, changed)
    assert patched == Ranking.of(after)
    assert list(patched.ranks) == list(patched.order) == sorted(after, key=patched.ranks.__getitem__)


def test_undated_records_come_last_and_ties_of_a_date_go_by_sequence_then_id() -> None:
    models = {"b": event("b", "2023-09", 2), "a": event("a", "2023-09", 2), "c": event("c", "2023-09", 1),
              "x": actor("x"), "d": event("d", "2020", None)}
    assert Ranking.of(models).order == ("d", "c", "a", "b", "x")
