"""Vocabularies a corpus extends: merging, checking, listing, relabelling,
and corpora written before vocabularies existed."""

from __future__ import annotations

import subprocess
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from test_link import write

from generator.corpus import read_corpus
from generator.incremental import render_incremental
from generator.render import render_pages
from generator.slugs import SLUG_PATTERN
from generator.templating import make_env, template_dirs
from generator.vocabulary import DEFAULT, VocabularyFile, listing, merged

BIN = Path(__file__).resolve().parent.parent / ".venv" / "bin"


def legacy(root: Path) -> Path:
    """A corpus as written before vocabularies: topics and a subject nobody defined."""
    write(root, "sources/r.yaml", "title: R\npublisher: P\npublished: 2023-09-20\nkind: news-report\n")
    write(root, "actors/a.yaml", "name: A\ntype: state\n")
    write(root, "events/e.yaml", "title: E\ndate: 2023-09-19\nsummary: S\nsources: [r]\n"
                                 "topics: [lachin-corridor]\nactors: [{actor: a, role: the attacking side}]\n"
                                 "claims: [c1, c2]\n")
    write(root, "claims/c1.yaml", "statement: S\nasserted_by: X\nsubject: first-day-deaths\nvalue: 25\n"
                                  "unit: people\nsources: [r]\nnotes: Editor's own.\n")
    write(root, "claims/c2.yaml", "statement: S\nasserted_by: Others\nsubject: first-day-deaths\nvalue: 32\n"
                                  "unit: people\nsources: [r]\n")
    return root


def test_a_corpus_written_before_vocabularies_checks_and_renders(tmp_path: Path) -> None:
    result = read_corpus(legacy(tmp_path))
    assert result.ok
    assert sorted((p.code, p.path) for p in result.problems if p.code != "unreferenced") == [
        ("undefined-term", "subject"), ("undefined-term", "topics[0]")]
    assert result.corpus is not None
    pages = render_pages(result.corpus)
    assert "# Topic: lachin corridor" in pages["topics/lachin-corridor.md"]
    assert "## First day deaths { #first-day-deaths }" in pages["disputes.md"]
    assert "the attacking side" in pages["events/e.md"]  # a role in words of the editor's own


def test_private_notes_are_not_rendered(tmp_path: Path) -> None:
    from generator.publish import Policy, clock, publish

    result = read_corpus(legacy(tmp_path))
    assert result.corpus is not None
    assert result.corpus.get("c1").model.notes == "Editor's own."  # checked ...
    published = publish(result.corpus, Policy(clock())).corpus
    assert published.get("c1").model.notes is None  # ... and removed before anything is made
    assert all("Editor's own" not in text for text in render_pages(published).values())


def test_a_corpus_adds_and_relabels_terms(tmp_path: Path) -> None:
    legacy(tmp_path)
    write(tmp_path, "vocabulary.yaml", "actor_types:\n  state: {label: country}\n"
                                       "  vessel: {label: ship, description: A seagoing ship.}\n"
                                       "topics:\n  lachin-corridor: {label: The Lachin corridor}\n")
    write(tmp_path, "actors/ship.yaml", "name: Example Star\ntype: vessel\n")
    result = read_corpus(tmp_path)
    assert result.corpus is not None
    vocabulary = result.corpus.vocabulary
    assert vocabulary.label("actor_types", "state") == "country"
    assert vocabulary.description("actor_types", "state") == DEFAULT.description("actor_types", "state")
    assert vocabulary.description("actor_types", "vessel") == "A seagoing ship."
    pages = render_pages(result.corpus)
    assert "*Country*" in pages["actors/a.md"] and "*Ship*" in pages["actors/ship.md"]
    assert "# Topic: The Lachin corridor" in pages["topics/lachin-corridor.md"]


def test_briefing_vocabulary_lists_defaults_and_the_corpus_terms(tmp_path: Path) -> None:
    legacy(tmp_path)
    write(tmp_path, "vocabulary.yaml", "place_types:\n  anchorage: {label: anchorage, description: Where ships wait.}\n"
                                       "subjects:\n  first-day-deaths: {label: How many died?, unit: people}\n")
    proc = subprocess.run([str(BIN / "briefing"), "vocabulary", "-C", str(tmp_path)], capture_output=True, text=True,
                          timeout=600, check=False)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert "place_types (closed: another term is an error)" in lines
    anchorage = next(line for line in lines if line.strip().startswith("anchorage"))
    assert "Where ships wait." in anchorage and "[vocabulary.yaml]" in anchorage
    lake = next(line for line in lines if line.strip().startswith("lake "))
    assert "[vocabulary.yaml]" not in lake
    assert any("How many died? (unit: people)" in line for line in lines)


def test_an_invalid_vocabulary_file_stops_vocabulary_and_schema(tmp_path: Path) -> None:
    legacy(tmp_path)
    write(tmp_path, "vocabulary.yaml", "topic:\n  x: {label: X}\n")
    for command in ("vocabulary", "schema"):
        proc = subprocess.run([str(BIN / "briefing"), command, "-C", str(tmp_path)], capture_output=True,
                              text=True, timeout=600, check=False)
        assert proc.returncode == 2, proc.stdout + proc.stderr
        assert "briefings/vocabulary.yaml:1:1: error: unknown field 'topic'" in proc.stderr
        assert "Traceback" not in proc.stderr


def test_editing_the_vocabulary_renders_every_page_again_in_serve(tmp_path: Path) -> None:
    legacy(tmp_path)
    env = make_env(template_dirs(tmp_path))
    first = read_corpus(tmp_path).corpus
    assert first is not None
    state, _ = render_incremental(first, None, env, template_dirs(tmp_path))
    write(tmp_path, "vocabulary.yaml", "topics:\n  lachin-corridor: {label: The Lachin corridor}\n")
    second = read_corpus(tmp_path).corpus
    assert second is not None
    state, rendered = render_incremental(second, state, env, template_dirs(tmp_path))
    assert rendered == len(state.pages)
    assert "[The Lachin corridor](../topics/lachin-corridor.md)" in state.pages["events/e.md"]


terms = st.from_regex(SLUG_PATTERN, fullmatch=True).filter(lambda s: len(s) <= 40)
labels = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=30).filter(
    lambda s: s.strip() == s and s != "")


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(terms, labels, max_size=5), st.sampled_from(["actor_types", "place_types", "topics"]))
def test_merging_keeps_every_default_and_adds_every_term(added: dict[str, str], name: str) -> None:
    own = VocabularyFile.model_validate({name: {slug: {"label": label} for slug, label in added.items()}})
    vocabulary = merged(own)
    for slug, label in added.items():
        assert vocabulary.has(name, slug) and vocabulary.label(name, slug) == label
        assert (name, slug) in vocabulary.own
    for slug in DEFAULT.terms[name]:
        assert vocabulary.has(name, slug)
    text = listing(vocabulary)
    assert all(f"  {slug}" in text for slug in added)


def test_new_offers_the_corpus_terms(tmp_path: Path) -> None:
    legacy(tmp_path)
    write(tmp_path, "vocabulary.yaml", "actor_types:\n  tanker-operator: {label: tanker operator}\n"
                                       "topics:\n  lachin-corridor: {label: The Lachin corridor}\n")
    for kind in ("actor", "event"):
        proc = subprocess.run([str(BIN / "briefing"), "new", kind, f"new-{kind}", "-C", str(tmp_path),
                               *(["--ref", "sources=r"] if kind == "event" else [])],
                              capture_output=True, text=True, timeout=600, check=False)
        assert proc.returncode == 0, proc.stdout + proc.stderr
    actor = (tmp_path / "briefings" / "actors" / "new-actor.yaml").read_text(encoding="utf-8")
    type_line = next(line for line in actor.splitlines() if line.startswith("type:"))
    assert "tanker-operator" in type_line and "vessel" in type_line and "briefings/vocabulary.yaml" in type_line
    event = (tmp_path / "briefings" / "events" / "new-event.yaml").read_text(encoding="utf-8")
    assert "lachin-corridor" in next(line for line in event.splitlines() if line.startswith("# topics:"))


def test_an_invalid_vocabulary_file_still_defines_its_terms_for_the_records(tmp_path: Path) -> None:
    """One mistake in the file is one error, not one more for every use of its terms."""
    legacy(tmp_path)
    write(tmp_path, "vocabulary.yaml", "actor_types:\n  tanker-operator: {label: tanker operator, colour: red}\n"
                                       "topics:\n  lachin-corridor: {description: no label}\n")
    write(tmp_path, "actors/a.yaml", "name: A\ntype: tanker-operator\n")
    problems = read_corpus(tmp_path).problems
    assert [(p.file, p.code) for p in problems if p.is_error] == [
        ("briefings/vocabulary.yaml", "unknown-field"), ("briefings/vocabulary.yaml", "missing-field")]
    assert not any(p.code == "undefined-term" and "lachin-corridor" in p.message for p in problems)
