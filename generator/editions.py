"""Editions: what changed in each brief's scope since the previous edition.

Tagged revisions whose tag matches a pattern (``edition-*`` unless
configured) are editions. A build at an edition's commit, with nothing
uncommitted, is that edition and is compared with the edition before it;
any other build is compared with the latest edition in its history. The
comparison is between what readers could see: both sides are published
(``generator.publish``) under the same policy, then diffed record by record
(``generator.diff``) and restricted to each brief's scope: what it cites,
what its sections select, and the sources of those, before or after.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from generator.corpus import read_corpus
from generator.diff import Changes, diff
from generator.errors import BriefingError
from generator.history import DEFAULT_EDITIONS, GitError, corpus_at, place_among, resolve
from generator.link import Corpus
from generator.model import Brief
from generator.publish import Policy, publish
from generator.record_facts import sources_of
from generator.wording import title_of

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class EditionNote:
    """What one brief shows about the previous edition."""

    tag: str  # the previous edition's tag
    day: str  # its date, ISO
    new_brief: bool  # the brief did not exist then
    changes: Changes  # restricted to the brief's scope


# The previous edition's published corpus, which `serve` keeps between
# rebuilds (in its session): (root, commit, its date, as-of, drafts) -> corpus.
PreviousCorpora = dict[tuple[str, str, str, str, bool], Corpus | None]


def brief_scope(corpus: Corpus, brief_id: str) -> set[str]:
    """The brief, what it cites and selects, and the sources of those."""
    entry = corpus.records.get(brief_id)
    if entry is None or not isinstance(entry.model, Brief):
        return set()
    scope = {brief_id, *(r for p in entry.model.key_points for r in p.cites)}
    scope.update(i for ids in corpus.selections.get(brief_id, []) for i in ids)
    for rid in list(scope):
        if rid in corpus.records:
            scope.update(sources_of(corpus.records[rid].model))
    return scope


def since_previous(root: Path, corpus: Corpus, policy: Policy, pattern: str = DEFAULT_EDITIONS,
                   kept: PreviousCorpora | None = None) -> dict[str, EditionNote]:
    """For each brief of the (published) ``corpus``: the changes in its
    scope since the previous edition; empty when there is none. ``kept``
    holds previous editions already read (git archive and a check: costly)."""
    try:
        place = place_among(root, pattern)
    except GitError as exc:
        log.warning("editions: %s", exc)
        return {}
    previous = place.previous
    if previous is None:
        return {}
    # The previous edition as its readers saw it: embargoes as they stood on
    # its date, so that a record released since counts as new.
    then = Policy(datetime.fromisoformat(previous.date), policy.as_of, policy.drafts)
    old = _previous_corpus(root, previous.commit, then, {} if kept is None else kept)
    if old is None:
        return {}
    this = place.current.tag if place.current else "this edition"
    changes = diff(old.records, corpus.records, title_of, previous.tag, this)
    notes = {}
    for bid in corpus.by_kind["brief"]:
        scope = brief_scope(corpus, bid) | brief_scope(old, bid)
        notes[bid] = EditionNote(previous.tag, previous.day, bid not in old.records, changes.restricted(scope))
    return notes


def _previous_corpus(root: Path, commit: str, policy: Policy, kept: PreviousCorpora) -> Corpus | None:
    key = (str(root.resolve()), commit, policy.now.isoformat(), str(policy.as_of or ""), policy.drafts)
    if key not in kept:
        try:
            result = corpus_at(root, commit)
        except GitError as exc:
            log.warning("editions: cannot read %s: %s", commit[:7], exc)
            result = None
        if result is not None and result.corpus is None:
            log.warning("editions: the corpus at %s does not check; no changes shown", commit[:7])
        kept[key] = publish(result.corpus, policy).corpus if result is not None and result.corpus else None
    return kept[key]


class NotComparable(BriefingError):
    """One side of a comparison is not a valid corpus: problems in records
    (exit 1), not a usage error."""

    exit_code = 1


def compare(root: Path, old: str, new: str | None, policy: Policy | None) -> Changes:
    """Record-level changes from revision (or date) ``old`` to ``new`` (the
    work tree when None). With a ``policy``, both sides as published under
    it; without, every record, drafts included."""
    before = _side(root, old, policy)
    after = _side(root, new, policy)
    return diff(before[1].records, after[1].records, title_of, before[0], after[0])


def _side(root: Path, spec: str | None, policy: Policy | None) -> tuple[str, Corpus]:
    if spec is None:
        label, result = "work tree", read_corpus(root)
    else:
        commit = resolve(root, spec)
        label = spec if spec.startswith(commit[:7]) else f"{spec} ({commit[:7]})"
        result = corpus_at(root, commit)
    if result.corpus is None:
        errors = sum(1 for p in result.problems if p.is_error)
        raise NotComparable(f"the corpus at {label} has {errors} error(s); run 'briefing check' on it")
    return label, publish(result.corpus, policy).corpus if policy is not None else result.corpus
