"""Incremental rendering (serve) gives exactly the pages a full rendering gives,
whatever the edit."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from generator import listing_parts
from generator.corpus import read_corpus
from generator.incremental import render_incremental
from generator.link import Corpus
from generator.ranking import Ranking
from generator.render import Renderer, render_pages
from generator.templating import make_env

GOLDEN = Path(__file__).parent / "golden" / "site" / "corpus"
TEMPLATES = [Path(__file__).parent.parent / "templates"]

# Edits an analyst makes: a title, a date, a link added or removed, a figure,
# a subject joining a dispute, a record added or deleted, a brief's selection.
EDITS = {
    "retitle-source": ("sources/wire.yaml", "title: Truce holds after a day of fighting",
                       "title: Truce holds, says the wire"),
    "rename-actor": ("actors/ilham-aliyev.yaml", "name: Ilham Aliyev", "name: İlham Əliyev"),
    "redate-event": ("events/offensive.yaml", "date: 2023-09-19", "date: 2023-09-18"),
    # To another month, in the same order: a dated listing is cut again.
    "redate-event-month": ("events/offensive.yaml", "date: 2023-09-19", "date: 2023-08-19"),
    "unlink-place": ("events/offensive.yaml", "places: [stepanakert]", "places: [karabakh]"),
    "new-speaker": ("quotes/aliyev-sovereignty.yaml", "speaker: ilham-aliyev", "speaker: armenia"),
    "revise-figure": ("claims/deaths-32.yaml", "value: 32", "value: 33"),
    "leave-dispute": ("claims/deaths-32.yaml", "subject: first-day-deaths", "subject: later-deaths"),
    "rename-place-name": ("places/stepanakert.yaml", "name: Khankendi", "name: Xankendi"),
    "reselect-brief": ("briefs/ceasefire-brief.yaml", "select: {topics: [offensive, ceasefire], kinds: [event]}",
                       "select: {topics: [ceasefire], kinds: [event, quote]}"),
    "retopic-event": ("events/ceasefire.yaml", "topics: [ceasefire]", "topics: [truce]"),
    "cite-other-source": ("claims/deaths-25.yaml", "sources: [wire]", "sources: [daily]"),
    # An actor with no ties gains one: the network page read no record that changed.
    "relate-actor": ("actors/armenia.yaml", "type: state\n",  # (the comment: the edit is undone, not done twice)
                     "type: state  # opposed\nrelations: [{type: opposed-to, actor: azerbaijan}]\n"),
}
NEW_ACTOR = ("actors/azerbaijan-mod.yaml", "name: Ministry of Defence\ntype: government-body\n"
             "relations: [{type: part-of, actor: azerbaijan}]\n")


def corpus(root: Path) -> Corpus:
    result = read_corpus(root)
    assert result.corpus is not None, result.problems
    return result.corpus


def apply(root: Path, edit: str) -> None:
    if edit == "add-actor":
        (root / "briefings" / NEW_ACTOR[0]).write_text(NEW_ACTOR[1], encoding="utf-8")
        return
    if edit == "remove-actor":
        path = root / "briefings" / NEW_ACTOR[0]
        if path.exists():
            path.unlink()
        return
    rel, old, new = EDITS[edit]
    path = root / "briefings" / rel
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(old, new) if old in text else text.replace(new, old), encoding="utf-8")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from([*EDITS, "add-actor", "remove-actor"]), min_size=1, max_size=4))
def test_incremental_equals_full(tmp_path_factory: object, edits: list[str]) -> None:
    root = tmp_path_factory.mktemp("inc")  # type: ignore[attr-defined]
    shutil.copytree(GOLDEN / "briefings", root / "briefings")
    env = make_env(TEMPLATES)
    state, _ = render_incremental(corpus(root), None, env, TEMPLATES)
    for edit in edits:
        apply(root, edit)
        current = corpus(root)
        state, _ = render_incremental(current, state, env, TEMPLATES)
        assert state.pages == render_pages(current, env=env), edit
        # The reverse relations, patched from the rendering before's, are the ones made whole.
        assert state.relations == Renderer(current, env).relations, edit
        # And so is the order of every list.
        assert state.ranking == Ranking.of({rid: e.model for rid, e in current.records.items()}), edit


def test_an_edit_renders_few_pages(tmp_path: Path) -> None:
    shutil.copytree(GOLDEN / "briefings", tmp_path / "briefings")
    env = make_env(TEMPLATES)
    state, first = render_incremental(corpus(tmp_path), None, env, TEMPLATES)
    apply(tmp_path, "revise-figure")
    state, again = render_incremental(corpus(tmp_path), state, env, TEMPLATES)
    records = len(corpus(tmp_path).records)
    assert first > records  # the first rendering makes every page
    assert 0 < again < records  # an edit re-renders some record pages, not all


def _each_edit_alone(test: Callable[..., None]) -> Callable[..., None]:
    """Every edit tried once on its own, besides the sequences drawn."""
    for edit in [*EDITS, "add-actor"]:
        test = example(edits=[edit])(test)
    return test


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from([*EDITS, "add-actor", "remove-actor"]), min_size=1, max_size=4))
@_each_edit_alone
def test_incremental_equals_full_with_listings_in_parts(tmp_path_factory: object, edits: list[str]) -> None:
    """Parts of long listings (one row a part here: the corpus is small)
    are kept when nothing they show changed, and are then what a full
    rendering makes."""
    root = tmp_path_factory.mktemp("parts")  # type: ignore[attr-defined]
    shutil.copytree(GOLDEN / "briefings", root / "briefings")
    env = make_env(TEMPLATES)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(listing_parts, "PART_ROWS", 1)
        state, _ = render_incremental(corpus(root), None, env, TEMPLATES)
        assert len(state.parts) >= 5
        for edit in edits:
            apply(root, edit)
            current = corpus(root)
            state, _ = render_incremental(current, state, env, TEMPLATES)
            assert state.pages == render_pages(current, env=env), edit


def test_a_part_a_row_joins_is_rendered_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An event moved to a month whose part is there already: that part read
    nothing that changed, and keeps its title and its pager, but not its rows."""
    monkeypatch.setattr(listing_parts, "PART_ROWS", 1)
    shutil.copytree(GOLDEN / "briefings", tmp_path / "briefings")
    events = tmp_path / "briefings" / "events"
    for name, date in (("in-july", "2023-07-02"), ("in-august", "2023-08-03"), ("also-in-august", "2023-08-04")):
        (events / f"{name}.yaml").write_text(f"title: {name}\ndate: {date}\nsummary: S.\nsources: [wire]\n",
                                             encoding="utf-8")
    env = make_env(TEMPLATES)
    state, _ = render_incremental(corpus(tmp_path), None, env, TEMPLATES)
    (events / "in-august.yaml").write_text("title: in-august\ndate: 2023-09-05\nsummary: S.\nsources: [wire]\n",
                                           encoding="utf-8")
    current = corpus(tmp_path)
    state, _ = render_incremental(current, state, env, TEMPLATES)
    assert "in-august" in state.pages["timeline/2023-09.md"]
    assert state.pages == render_pages(current, env=env)


def test_an_edit_renders_the_parts_that_show_it_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(listing_parts, "PART_ROWS", 1)
    shutil.copytree(GOLDEN / "briefings", tmp_path / "briefings")
    env = make_env(TEMPLATES)
    first, _ = render_incremental(corpus(tmp_path), None, env, TEMPLATES)
    apply(tmp_path, "revise-figure")
    state, _ = render_incremental(corpus(tmp_path), first, env, TEMPLATES)
    again = {path for path, memo in state.parts.items() if memo is not first.parts.get(path)}
    # The parts that show the claim or its rivals, and no other.
    assert any("deaths-32" in state.parts[path].reads for path in again if path.startswith("claims/index/")), again
    assert all(state.parts[path].reads & {"deaths-32", "deaths-25"} for path in again), again
    assert not any(path.startswith(("actors/", "places/")) for path in again), again
    # A part whose page the cache lost is rendered again, changed or not.
    kept = sorted(state.parts.keys() - again)[0]
    apply(tmp_path, "revise-figure")
    redo, _ = render_incremental(corpus(tmp_path), state, env, TEMPLATES, lost={kept})
    assert redo.parts[kept] is not state.parts[kept]


def test_whole_site_pages_are_kept_when_nothing_they_show_changed(tmp_path: Path) -> None:
    shutil.copytree(GOLDEN / "briefings", tmp_path / "briefings")
    env = make_env(TEMPLATES)
    first, _ = render_incremental(corpus(tmp_path), None, env, TEMPLATES)
    apply(tmp_path, "revise-figure")  # a disputed claim's value
    state, _ = render_incremental(corpus(tmp_path), first, env, TEMPLATES)
    made = {path for path in ("index.md", "disputes.md", "names.md", "network.md", "data.md")
            if state.parts[path] is not first.parts[path]}
    assert made == {"disputes.md"}  # the only one that shows the claim
    apply(tmp_path, "relate-actor")  # a tie no page read: the network's shape changed
    again, _ = render_incremental(corpus(tmp_path), state, env, TEMPLATES)
    assert again.parts["network.md"] is not state.parts["network.md"]
    assert again.parts["index.md"] is state.parts["index.md"]  # the home page reads briefs and events
