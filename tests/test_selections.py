"""Brief selections chosen from the linking before (`serve`) are the ones a
full linking chooses, whatever the edits: records moving into and out of
sections by topic, date, actor, place, a claim's events, a quote's event,
records added and removed, a brief's own selection changed."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import prose, selections
from generator.corpus import FileCache, Reading, read_corpus
from generator.dates import PartialDate
from generator.link import Corpus, link
from generator.model import Brief, Claim, Event, Quote, Source
from generator.problems import Problem
from generator.record_facts import sources_of
from generator.validate import Entry

REPO = Path(__file__).parent.parent

_SAMPLE = read_corpus(REPO).corpus
assert _SAMPLE is not None
SAMPLE: Corpus = _SAMPLE
ENTRIES = list(SAMPLE.records.values())
# A topic no vocabulary defines and a place no record is: saves that make problems.
TOPICS = [*sorted({t for e in ENTRIES for t in getattr(e.model, "topics", ())}), "a-topic-nobody-defined"]
ACTORS = list(SAMPLE.by_kind["actor"])
PLACES = [*SAMPLE.by_kind["place"], "a-place-nobody-recorded"]
EVENTS = list(SAMPLE.by_kind["event"])
CLAIMS = list(SAMPLE.by_kind["claim"])
DATES = [PartialDate.parse(d) for d in ("2020-09-27", "2023-09-19", "2023-09-20T13:00+04:00", "2023-09", "2024")]
SELECTS = [s.select for e in ENTRIES if isinstance(e.model, Brief) for s in e.model.sections if s.select]


def _edited(entry: Entry, data: st.DataObject) -> Entry | None:
    """The entry with one field redrawn, or None (removed)."""
    model = entry.model
    fields: dict[str, Any] = {}
    if data.draw(st.integers(0, 9), label="remove") == 0:
        return None
    if isinstance(model, Event):
        which = data.draw(st.sampled_from(["topics", "date", "places", "claims"]))
        fields[which] = {
            "topics": lambda: data.draw(st.lists(st.sampled_from(TOPICS), max_size=2, unique=True)),
            "date": lambda: data.draw(st.sampled_from(DATES)),
            "places": lambda: data.draw(st.lists(st.sampled_from(PLACES), max_size=2, unique=True)),
            "claims": lambda: data.draw(st.lists(st.sampled_from(CLAIMS), max_size=3, unique=True)),
        }[which]()
    elif isinstance(model, Claim):
        which = data.draw(st.sampled_from(["actors", "date", "topics"]))
        fields[which] = {
            "actors": lambda: data.draw(st.lists(st.sampled_from(ACTORS), max_size=2, unique=True)),
            "date": lambda: data.draw(st.sampled_from([None, *DATES])),
            "topics": lambda: data.draw(st.lists(st.sampled_from(TOPICS), max_size=2, unique=True)),
        }[which]()
    elif isinstance(model, Quote):
        which = data.draw(st.sampled_from(["event", "speaker", "said"]))
        fields[which] = {
            "event": lambda: data.draw(st.sampled_from([None, *EVENTS])),
            "speaker": lambda: data.draw(st.sampled_from(ACTORS)),
            "said": lambda: data.draw(st.sampled_from(DATES)),
        }[which]()
    elif isinstance(model, Source):  # its claims and quotes may now be dated after it was published
        fields["published"] = data.draw(st.sampled_from(DATES))
    elif isinstance(model, Brief) and model.sections:
        i = data.draw(st.integers(0, len(model.sections) - 1))
        section = model.sections[i].model_copy(update={"select": data.draw(st.sampled_from([None, *SELECTS]))})
        fields["sections"] = [*model.sections[:i], section, *model.sections[i + 1:]]
    return Entry(entry.file, model.model_copy(update=fields), entry.text)


def _choose(entries: dict[str, Entry], data: st.DataObject) -> dict[str, Entry]:
    """One analyst's save: a record edited or removed, or a removed one back."""
    gone = [e for rid, e in ((e.id, e) for e in ENTRIES) if rid not in entries]
    if gone and data.draw(st.booleans(), label="restore"):
        back = data.draw(st.sampled_from(gone))
        return {**entries, back.id: back}
    rid = data.draw(st.sampled_from(sorted(entries)))
    edited = _edited(entries[rid], data)
    out = dict(entries)
    if edited is None:
        del out[rid]
    else:
        out[rid] = edited
    return out


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_selections_from_the_linking_before_equal_a_full_linking(data: st.DataObject) -> None:
    """...and so do the per-record checks kept from it (``link.Checks``:
    references, terms, dates): the same problems in the same order, the
    same backlinks."""
    entries = {e.id: e for e in ENTRIES}
    before, checked = SAMPLE.selected, SAMPLE.checks
    for step in range(data.draw(st.integers(1, 4), label="saves")):
        entries = _choose(entries, data)
        kept, kept_problems = link(entries.values(), vocabulary=SAMPLE.vocabulary, before=before, checked=checked)
        full, full_problems = link(entries.values(), vocabulary=SAMPLE.vocabulary)
        assert kept.selections == full.selections, step
        assert list(map(repr, kept_problems)) == list(map(repr, full_problems)), step
        assert list(kept.backlinks.items()) == list(full.backlinks.items()), step  # in the same order
        before, checked = kept.selected, kept.checks


def _problems_once_published(sources: list[str], when: str) -> list[Problem]:
    """The sample's problems, linked with the checks kept from its own
    linking, once ``sources`` (nothing else) say they were published ``when``."""
    entries = {e.id: e for e in ENTRIES}
    for sid in sources:
        source = entries[sid]
        entries[sid] = Entry(source.file, source.model.model_copy(update={"published": PartialDate.parse(when)}),
                             source.text)
    return link(entries.values(), vocabulary=SAMPLE.vocabulary, before=SAMPLE.selected, checked=SAMPLE.checks)[1]


def test_a_claims_date_check_is_made_again_when_its_source_moves_before_it() -> None:
    """A claim is dated no later than its sources' publication: its check is
    not kept when one of its sources changes (the claim itself unchanged)."""
    claim = next(e for e in ENTRIES if isinstance(e.model, Claim) and e.model.date is not None and e.model.sources)
    assert isinstance(claim.model, Claim)
    sid = claim.model.sources[0]
    problems = _problems_once_published([sid], "2000")
    assert any(p.code == "date-order" and p.file == claim.file.rel and sid in p.message for p in problems)


def test_a_briefs_date_check_is_made_again_when_what_it_cites_rests_on_moves_after_it() -> None:
    """A brief's dates are checked against the sources of what it cites:
    its check is not kept when one of those sources changes."""
    records = SAMPLE.records
    brief, cited = next((e, rid) for e in ENTRIES if isinstance(e.model, Brief)
                        for _, text in e.model.prose() for rid in prose.cited(text)
                        if rid in records and sources_of(records[rid].model))
    problems = _problems_once_published(sources_of(records[cited].model), "2030")
    assert any(p.code == "cites-later-source" and p.file == brief.file.rel and cited in p.message for p in problems)


def test_an_event_removed_and_put_back_gives_its_quotes_its_topics_again() -> None:
    """Found by the property above: a quote takes its event's topics, and
    when the event comes back the quote (itself unchanged) takes them again."""
    quote = next(e for e in ENTRIES if isinstance(e.model, Quote) and e.model.event is not None)
    assert isinstance(quote.model, Quote) and quote.model.event is not None
    entries = {e.id: e for e in ENTRIES}
    event = entries.pop(quote.model.event)
    without, _ = link(entries.values(), vocabulary=SAMPLE.vocabulary, before=SAMPLE.selected)
    entries[event.id] = event
    back, _ = link(entries.values(), vocabulary=SAMPLE.vocabulary, before=without.selected)
    assert back.selections == SAMPLE.selections
    assert back.selected is not None and SAMPLE.selected is not None
    assert back.selected.facts[quote.id] == SAMPLE.selected.facts[quote.id]


def test_an_edit_no_section_takes_keeps_every_selection(monkeypatch: pytest.MonkeyPatch) -> None:
    """A record no section takes, edited: the selections are the same
    lists as before, chosen without going through every record's facts."""
    entries = {e.id: e for e in ENTRIES}
    assert SAMPLE.selected is not None
    taken = {rid for sections in SAMPLE.selections.values() for ids in sections for rid in ids}
    rid = next(rid for rid in sorted(entries) if rid not in taken and entries[rid].kind != "brief")
    entries[rid] = Entry(entries[rid].file, entries[rid].model.model_copy(update={"notes": "seen"}), entries[rid].text)

    def whole(self: object) -> None:
        raise AssertionError("every record's facts were gone through")

    monkeypatch.setattr(selections._Choice, "_index", whole)
    kept, _ = link(entries.values(), vocabulary=SAMPLE.vocabulary, before=SAMPLE.selected)
    assert kept.selections == SAMPLE.selections
    assert kept.selected is not None and kept.selected.facts[rid] is not SAMPLE.selected.facts[rid]


def test_a_reading_walks_the_folder_again_only_when_files_may_have_come_or_gone(tmp_path: Path) -> None:
    """`serve`'s readings: a record the watch saw change does not walk the
    folder again; a file added (or one the watch names that is not a
    record) does, and the new record is read."""
    shutil.copytree(REPO / "briefings", tmp_path / "briefings")
    reading, cache = Reading(), FileCache()
    first = read_corpus(tmp_path, cache, None, reading)
    walked = reading.found
    assert first.ok and walked is not None
    event = sorted((tmp_path / "briefings" / "events").glob("*.yaml"))[0]
    event.write_text(event.read_text(encoding="utf-8").replace("title:", "title: Edited", 1), encoding="utf-8")
    again = read_corpus(tmp_path, cache, {f"briefings/events/{event.name}"}, reading)
    assert reading.found is walked
    assert again.corpus is not None and again.corpus.get(event.stem).model.title.startswith("Edited")  # type: ignore[union-attr]
    copy = event.with_name("a-new-event.yaml")
    copy.write_text(event.read_text(encoding="utf-8"), encoding="utf-8")
    added = read_corpus(tmp_path, cache, {"briefings/events/a-new-event.yaml"}, reading)
    assert reading.found is not walked
    assert added.corpus is not None and "a-new-event" in added.corpus.records
