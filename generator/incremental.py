"""Incremental rendering, for ``briefing serve`` and cached builds
(``generator.page_cache``): after an edit, render only the record pages (and
parts of long listings) the edit can have changed, and keep the others.

Each rendering leaves a ``RenderState`` for the next: the records it
rendered and what each record page read (``generator.reader`` notes it).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment

from generator.corpus import paused_gc
from generator.fields import iter_refs
from generator.link import Corpus
from generator.listing_parts import Cut, EarlierParts, PartMemo, date_cut
from generator.model import Claim, Record
from generator.ranking import Ranking
from generator.record_facts import date_of
from generator.relations import Patch, Relations
from generator.render import Renderer, SiteOptions
from generator.render_workers import all_pages
from generator.site_paths import page_id, record_at
from generator.templating import template_stamps
from generator.vocabulary import Vocabulary


@dataclass(slots=True)
class RenderState:
    """What one rendering leaves for the next: the records it rendered, what
    each record page read, and the pages."""

    models: dict[str, Record]
    backlinks: dict[str, list[str]]
    selections: dict[str, list[list[str]]]
    reads: dict[str, frozenset[str]]  # and what its JSON-LD holds (the plugin adds it)
    pages: dict[str, str]
    options: SiteOptions
    templates: tuple[tuple[str, int], ...]  # template files and their mtimes
    vocabulary: Vocabulary  # labels are on every page: a change renders everything
    # The record pages whose records, or records they show, may have changed
    # since the previous rendering (those rendered again for it): what is on
    # a record page beyond its Markdown (its JSON-LD) is made again for these.
    fresh: frozenset[str] = frozenset()
    parts: dict[str, PartMemo] = field(default_factory=dict)  # what each part of a long listing was made of
    relations: Relations | None = None  # the reverse relations the pages showed (generator.relations)
    cuts: dict[str, Cut] = field(default_factory=dict)  # how each dated listing was cut
    ranking: Ranking | None = None  # the order of every list (generator.ranking)


def render_incremental(corpus: Corpus, previous: RenderState | None, env: Environment, dirs: Sequence[Path],
                       options: SiteOptions | None = None, lost: Collection[str] = ()) -> tuple[RenderState, int]:
    """Render only the record pages an edit can have changed; the rest are
    the previous pages. Returns the new state and how many record pages were
    rendered. A page is rendered again when it read a changed record, or is
    the page of a record linked to a changed one (before or after the edit),
    of a claim on the same subject, or of a record a changed brief selects
    or selected. A part of a long listing is kept while its rows, its pager
    and the records it read are unchanged; every other page that is not a
    record's is always rendered. Template and vocabulary changes render
    everything. ``lost``: pages whose output was lost (their Markdown is
    not kept either), rendered whatever changed: record pages and parts."""
    options = options or SiteOptions()
    models = {rid: entry.model for rid, entry in corpus.records.items()}
    templates = template_stamps(dirs)
    with paused_gc():
        return _render_incremental(corpus, previous, env, options, models, templates, lost)


def _render_incremental(corpus: Corpus, previous: RenderState | None, env: Environment, options: SiteOptions,
                        models: dict[str, Record], templates: tuple[tuple[str, int], ...],
                        lost: Collection[str]) -> tuple[RenderState, int]:
    reads: dict[str, frozenset[str]] = {}
    if previous is None or previous.vocabulary != corpus.vocabulary:
        renderer = Renderer(corpus, env, options)
        pages = all_pages(renderer, reads)
        return RenderState(models, corpus.backlinks, corpus.selections, reads, pages, options, templates,
                           corpus.vocabulary, frozenset(reads), renderer.part_memo, renderer.relations,
                           renderer.cuts, renderer.ranking()), len(pages)
    # A record unchanged on disk is the same object: compared only when not.
    changed = {rid for rid in models.keys() | previous.models.keys()
               if (model := models.get(rid)) is not (was := previous.models.get(rid)) and model != was}
    ranking = previous.ranking.patched(models, changed) if previous.ranking is not None else None
    renderer = Renderer(corpus, env, options, _relations(previous, models, frozenset(changed)), ranking)
    # A claim's rivals change with it: whether they are disputed, and with whom.
    changed |= _rivals(changed, previous.models, models)
    stale = _affected(changed, previous, corpus, models)
    stale.update(rid for path, read in previous.reads.items() if read & changed for rid in [page_id(path)])
    # A brief whose selection changed (a record added that its query takes).
    stale.update(rid for rid, selected in corpus.selections.items() if previous.selections.get(rid) != selected)
    # A record page whose output was lost (previous.reads holds exactly the record pages).
    stale.update(page_id(path) for path in lost if path in previous.reads)
    if previous.options != options or previous.templates != templates:
        # Every page is rendered again; the records' data changed only where it did.
        pages = all_pages(renderer, reads)
        fresh = frozenset(path for path in reads if page_id(path) in stale)
        # A page not made again keeps what it read before (its JSON-LD's
        # records among it, which only making the page adds).
        for path in reads.keys() - fresh:
            reads[path] |= previous.reads.get(path, frozenset())
        return RenderState(models, corpus.backlinks, corpus.selections, reads, pages, options, templates,
                           corpus.vocabulary, fresh, renderer.part_memo, renderer.relations,
                           renderer.cuts, renderer.ranking()), len(pages)
    # A part of a long listing is kept as a record page is: nothing it read may have changed.
    moved = {rid for rid in changed if rid not in models or rid not in previous.models
             or date_cut(date_of(models[rid])) != date_cut(date_of(previous.models[rid]))}
    renderer.earlier = EarlierParts(previous.parts, previous.pages, frozenset(changed), frozenset(lost),
                                    previous.cuts, frozenset(moved))
    rendered = renderer.pages(only=stale, reads=reads)
    # Kept: the previous pages of records that still exist as the same kind
    # (previous.reads holds exactly the record pages): all of them, when no
    # record came, went or changed its kind.
    if models.keys() == previous.models.keys() and all(type(models[r]) is type(previous.models[r]) for r in changed):
        kept = previous.reads.keys() - rendered.keys()
    else:
        kept = {path for path in previous.reads if path not in rendered and record_at(path, corpus.records)}
    pages = {path: previous.pages[path] for path in kept}
    pages.update(rendered)
    all_reads = {path: previous.reads[path] for path in kept}
    all_reads.update(reads)
    state = RenderState(models, corpus.backlinks, corpus.selections, all_reads, dict(sorted(pages.items())),
                        options, templates, corpus.vocabulary, frozenset(reads), renderer.part_memo,
                        renderer.relations, renderer.cuts, renderer.ranking())
    return state, sum(1 for path in rendered if path in reads)


def _relations(previous: RenderState, models: dict[str, Record], changed: frozenset[str]) -> Patch:
    """The rendering before's reverse relations, patched for the records
    that changed (made whole where it kept none)."""
    def patch(rank: Mapping[str, int]) -> Relations | None:
        if previous.relations is None:
            return None
        return previous.relations.patched(previous.models, models, changed, rank)
    return patch


def _rivals(changed: set[str], old: dict[str, Record], new: dict[str, Record]) -> set[str]:
    subjects = {m.subject for rid in changed for m in (old.get(rid), new.get(rid))
                if isinstance(m, Claim) and m.subject}
    if not subjects:
        return set()
    return {rid for models in (old, new) for rid, m in models.items() if isinstance(m, Claim) and m.subject in subjects}


def _affected(changed: set[str], previous: RenderState, corpus: Corpus, models: dict[str, Record]) -> set[str]:
    stale = set(changed)
    for rid in changed:
        for model in (previous.models.get(rid), models.get(rid)):
            if model is not None:
                stale.update(site.target for site in iter_refs(model))
        stale.update(previous.backlinks.get(rid, ()))
        stale.update(corpus.backlinks.get(rid, ()))
        for selections in (previous.selections.get(rid, []), corpus.selections.get(rid, [])):
            for ids in selections:
                stale.update(ids)
    return stale
