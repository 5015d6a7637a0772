"""Publishing: drafts and embargoes withheld, with every mention of them."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.corpus import read_corpus
from generator.dates import PartialDate
from generator.fields import iter_refs
from generator.link import Corpus, link
from generator.model import Brief, Claim, Event, Record
from generator.publish import Policy, begun, known_by, publish
from generator.validate import Entry

REPO = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 11, 23, tzinfo=UTC)


def corpus_of(tmp_path: Path, files: dict[str, dict[str, object]]) -> Corpus:
    for rel, data in files.items():
        path = tmp_path / "briefings" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    result = read_corpus(tmp_path)
    assert result.corpus is not None, result.problems
    return result.corpus


BASE: dict[str, dict[str, object]] = {
    "sources/open.yaml": {"title": "Open", "publisher": "P", "published": "2023-09-20", "kind": "news-report"},
    "sources/hidden.yaml": {"draft": True, "title": "Hidden", "publisher": "P", "published": "2023-09-20",
                            "kind": "news-report"},
    "actors/state.yaml": {"name": "State", "type": "state"},
    "actors/ghost.yaml": {"draft": True, "name": "Ghost", "type": "person",
                          "roles": [{"title": "Envoy", "of": "state"}]},
    "actors/minister.yaml": {"name": "Minister", "type": "person", "roles": [{"title": "Envoy", "of": "ghost"}],
                             "relations": [{"type": "allied-with", "actor": "ghost"},
                                           {"type": "member-of", "actor": "state"}]},
    "events/e.yaml": {"title": "E", "date": "2023-09-20", "summary": "S", "sources": ["open", "hidden"],
                      "actors": [{"actor": "ghost", "role": "envoy"}, {"actor": "state", "role": "host"}],
                      "topics": ["t"], "claims": ["c-hidden", "c-open"]},
    "claims/c-open.yaml": {"statement": "Open claim", "asserted_by": "X", "sources": ["open", "hidden"],
                           "topics": ["t"]},
    "claims/c-hidden.yaml": {"statement": "Only the hidden source says so", "asserted_by": "X",
                             "sources": ["hidden"], "topics": ["t"]},
    "quotes/q.yaml": {"text": "Words", "speaker": "state", "said": "2023-09-20", "source": "hidden",
                      "event": "e"},
    "briefs/b.yaml": {"title": "B", "as_of": "2023-09-20T18:00+04:00", "bottom_line": "BL",
                      "key_points": [{"text": "Open point", "cites": ["e"]},
                                     {"text": "Hidden point", "cites": ["c-hidden"]}],
                      "sections": [{"title": "All", "select": {"topics": ["t"]}},
                                   {"title": "Hidden only", "select": {"ids": ["c-hidden", "q"]}}]},
    "briefs/hidden-brief.yaml": {"title": "HB", "as_of": "2023-09-20T18:00+04:00", "bottom_line": "BL",
                                 "key_points": [{"text": "P", "cites": ["c-hidden"]}],
                                 "sections": [{"title": "S", "select": {"ids": ["q"]}}]},
}


def test_withholding_cascades_by_the_model(tmp_path: Path) -> None:
    published = publish(corpus_of(tmp_path, BASE), Policy(NOW))
    c = published.corpus
    assert published.withheld["hidden"] == "draft" and published.withheld["ghost"] == "draft"
    # Cannot stand without them: a quote from the hidden source, a claim only it carries, a brief with nothing left.
    assert {"q", "c-hidden", "hidden-brief"} <= set(published.withheld)
    assert set(c.records) == {"open", "state", "minister", "e", "c-open", "b"}
    event = c.get("e").model
    assert isinstance(event, Event)
    assert event.sources == ["open"] and event.claims == ["c-open"]
    assert [p.actor for p in event.actors] == ["state"]  # the participant went with its actor
    claim = c.get("c-open").model
    assert isinstance(claim, Claim) and claim.sources == ["open"]
    minister = c.get("minister").model
    assert minister.roles[0].of is None  # an optional reference is cleared  # type: ignore[attr-defined]
    assert [r.actor for r in minister.relations] == ["state"]  # type: ignore[attr-defined]
    brief = c.get("b").model
    assert isinstance(brief, Brief)
    assert [k.text for k in brief.key_points] == ["Open point"]
    assert [s.title for s in brief.sections] == ["All"]
    assert c.selections["b"] == [["e", "c-open"]]
    assert "hidden" not in c.backlinks and all("hidden" not in v for v in c.backlinks.values())


def test_nothing_withheld_is_the_same_corpus(tmp_path: Path) -> None:
    files = {k: v for k, v in BASE.items() if "hidden" not in k and "ghost" not in k}
    files["events/e.yaml"] = {**BASE["events/e.yaml"], "sources": ["open"], "claims": ["c-open"],
                              "actors": [{"actor": "state", "role": "host"}]}
    files["claims/c-open.yaml"] = {**BASE["claims/c-open.yaml"], "sources": ["open"]}
    files["actors/minister.yaml"] = {"name": "Minister", "type": "person"}
    files["quotes/q.yaml"] = {**BASE["quotes/q.yaml"], "source": "open"}
    files["briefs/b.yaml"] = {**BASE["briefs/b.yaml"], "key_points": [{"text": "Open point", "cites": ["e"]}],
                              "sections": [{"title": "All", "select": {"topics": ["t"]}}]}
    corpus = corpus_of(tmp_path, files)
    published = publish(corpus, Policy(NOW))
    assert published.corpus is corpus and not published.withheld


def test_embargo_dates() -> None:
    day = PartialDate.parse("2023-09-21")
    # A day begins everywhere only when it begins in UTC-12.
    assert not begun(day, datetime(2023, 9, 21, 11, 59, tzinfo=UTC))
    assert begun(day, datetime(2023, 9, 21, 12, 0, tzinfo=UTC))
    moment = PartialDate.parse("2023-09-21T09:00+04:00")
    assert not begun(moment, datetime(2023, 9, 21, 4, 59, tzinfo=UTC))
    assert begun(moment, datetime(2023, 9, 21, 5, 0, tzinfo=UTC))


def test_known_by() -> None:
    as_of = PartialDate.parse("2023-09-20T12:00+04:00")
    assert known_by(PartialDate.parse("2023-09-20"), as_of)  # that day had begun
    assert not known_by(PartialDate.parse("2023-09-21"), as_of)
    assert known_by(PartialDate.parse("2023-09-20T11:59+04:00"), as_of)
    assert not known_by(PartialDate.parse("2023-09-20T09:00+00:00"), as_of)  # 13:00 at +04:00
    assert known_by(PartialDate.parse("2023-09"), as_of)


# --- a property over the sample corpus -------------------------------------------------


def _sample() -> Corpus:
    result = read_corpus(REPO)
    assert result.corpus is not None
    return result.corpus


SAMPLE = _sample()
IDS = sorted(SAMPLE.records)


def _with_drafts(drafts: set[str]) -> Corpus:
    entries = [Entry(e.file, e.model.model_copy(update={"draft": True}) if rid in drafts else e.model, e.text)
               for rid, e in SAMPLE.records.items()]
    corpus, _ = link(entries)
    return corpus


def _refs_resolve(corpus: Corpus) -> None:
    for rid, entry in corpus.records.items():
        model: Record = entry.model
        for site in iter_refs(model):
            assert site.target in corpus.records, f"{rid} {site.path} still mentions withheld {site.target}"


@settings(max_examples=40)
@given(st.sets(st.sampled_from(IDS), max_size=12))
def test_published_corpus_never_mentions_what_it_withholds(drafts: set[str]) -> None:
    published = publish(_with_drafts(drafts), Policy(NOW))
    corpus = published.corpus
    assert drafts <= set(published.withheld)
    assert not set(published.withheld) & set(corpus.records)
    _refs_resolve(corpus)
    _, problems = link(corpus.records.values())
    assert not [p for p in problems if p.is_error]
    for ids in corpus.selections.values():
        for section in ids:
            assert set(section) <= set(corpus.records)
    for dispute in corpus.disputes:
        assert set(dispute.claims) <= set(corpus.records)
    # Publishing what is published withholds nothing more.
    again = publish(corpus, Policy(NOW))
    assert not again.withheld and set(again.corpus.records) == set(corpus.records)


@pytest.mark.parametrize("as_of", ["2023-09-19", "2023-09-20T12:00+04:00", "2020"])
def test_as_of_on_the_sample_corpus(as_of: str) -> None:
    moment = PartialDate.parse(as_of)
    published = publish(SAMPLE, Policy(NOW, moment))
    _refs_resolve(published.corpus)
    for entry in published.corpus.records.values():
        model = entry.model
        for date in (getattr(model, "published", None), getattr(model, "date", None), getattr(model, "said", None)):
            if isinstance(date, PartialDate):
                assert known_by(date, moment), (entry.id, date)
