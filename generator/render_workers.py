"""Every page rendered on two cores: half the record pages in a forked worker.

A clean build's page generation is ours alone, before the engine's loop
starts, and ran on one core while the other waited (about 41 s at 10,000
records, 30 s of it drawing locator maps). Each record page depends only on
the corpus, so the record pages of every other record of each kind are
rendered in a worker forked with the renderer (nothing is pickled on the
way in), while this process renders the rest and every listing page; the
worker's pages and what each read come back and are merged. The pages are
the same whichever process rendered them (a test compares them with a
serial rendering); small corpora, and systems without fork, render serially.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from functools import partial
from pathlib import Path

from generator.corpus import paused_gc
from generator.link import Corpus
from generator.render import Renderer, SiteOptions
from generator.templating import make_env, template_dirs
from generator.workers import forked

log = logging.getLogger(__name__)

PARALLEL_FROM = 1000  # records: below this, a worker costs more than it saves

Reads = dict[str, frozenset[str]]


def render_all(corpus: Corpus, root: Path, options: SiteOptions) -> dict[str, str]:
    """``generator.render.render_pages``, on two cores where that helps."""
    with paused_gc():
        return all_pages(Renderer(corpus, make_env(template_dirs(root)), options))


def all_pages(renderer: Renderer, reads: Reads | None = None, parallel_from: int = PARALLEL_FROM) -> dict[str, str]:
    """``renderer.pages(reads=reads)``, on two cores where that helps."""
    corpus = renderer.corpus
    if len(corpus.records) < parallel_from or cores() < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return renderer.pages(reads=reads)
    # Every other record of each kind: the kinds' pages differ in cost (an
    # event's map, a source's list), so each process gets half of each.
    theirs = {rid for ids in corpus.by_kind.values() for rid in ids[1::2]}
    ours = set(corpus.records) - theirs
    job = forked(partial(_share, renderer, theirs, reads is not None))
    pages = renderer.pages(only=ours, reads=reads)
    try:
        their_pages, their_reads = job.result()
    except Exception as exc:
        # Its half rendered here: a template's failure is then said as a
        # serial rendering says it (an exception pickled back loses its
        # details), and a worker that died costs only time.
        log.info("the page worker failed (%s): its pages are rendered here", exc)
        their_reads = {}
        their_pages = renderer.pages(only=theirs, reads=their_reads if reads is not None else None, listings=False)
    pages.update(their_pages)
    if reads is not None:
        reads.update(their_reads)
    return dict(sorted(pages.items()))


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _share(renderer: Renderer, only: set[str], tracked: bool) -> tuple[dict[str, str], Reads]:
    """The worker's pages, and what each read."""
    reads: Reads = {}
    return renderer.pages(only=only, reads=reads if tracked else None, listings=False), reads
