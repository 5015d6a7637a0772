"""The spine: a corpus and its settings to everything the writers need.

``prepare`` is the one place the stages are put together, top to bottom, in
the manner of MkDocs' own ``build()``: load, validate and link the records;
publish what may be published; read the history; find what changed since
the previous edition; and settle the options the pages are rendered with.
``render_site`` then renders the site's pages from what it prepared. Every
output goes through them: the MkDocs plugin (``build`` and ``serve``),
``briefing pages``, ``briefing pdf`` and ``briefing export`` (through
``export_data``); each only writes what they give.

A ``Session`` holds what ``serve`` keeps between rebuilds (records
unchanged on disk, the history at a commit, the compiled templates, the
pages rendered last); a single build uses a fresh one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment

from generator.corpus import CheckResult, FileCache, Reading, read_corpus
from generator.editions import EditionNote, PreviousCorpora, since_previous
from generator.export_context import ExportContext
from generator.exports import export
from generator.fidelity import check_quotes
from generator.history import History, head_commit, read_history
from generator.incremental import RenderState, render_incremental
from generator.link import Corpus
from generator.options import Settings
from generator.page_cache import PageCache
from generator.publish import Policy, Published, clock, publish
from generator.render import SiteOptions
from generator.render_workers import render_all
from generator.templating import make_env, template_dirs, template_stamps

log = logging.getLogger(__name__)

Progress = Callable[[str], None]

# The files every site carries beside its pages, from the templates folder.
SHIM = "assets/vendor/iframe-worker-shim.js"  # search from file:// without Material's CDN copy
ASSETS = ("assets/briefing.css", "assets/briefing.js", SHIM)


@dataclass(slots=True)
class Session:
    """What is kept from one run of the pipeline to the next (``serve``)."""

    files: FileCache = field(default_factory=dict)  # records unchanged on disk are not read again
    reading: Reading = field(default_factory=Reading)  # the folder's walk and the briefs' selections
    history: History | None = None  # read again only when HEAD moves
    previous: PreviousCorpora = field(default_factory=dict)  # the previous edition, read once from git
    env: Environment | None = None  # the page templates, compiled once
    env_stamps: tuple[tuple[str, int], ...] = ()
    rendered: RenderState | None = None  # the last pages, to render only what an edit touched
    # Handed over by `briefing build`, which prepares the corpus before the
    # engine starts (a corpus with errors never reaches it).
    ready: Prepared | None = None
    progress: Progress = log.info
    # `briefing build`'s page cache (generator.page_cache): the renderer's
    # state and the pages' HTML from the last build with the same inputs.
    cache: PageCache | None = None
    # `briefing build` runs the engine's dirty build in a new folder: the
    # engine skips the pages placed from the cache or built by a worker.
    elsewhere: bool = False


@dataclass(frozen=True, slots=True)
class Prepared:
    """Everything the writers need: the checked corpus and, when it has no
    errors, what is published and how."""

    checked: CheckResult
    published: Published | None = None  # the corpus as published, and what was withheld
    editions: dict[str, EditionNote] = field(default_factory=dict)  # brief id -> changes since the last edition
    site: SiteOptions = field(default_factory=SiteOptions)  # the history and the as-of among them

    @property
    def ok(self) -> bool:
        return self.published is not None

    @property
    def corpus(self) -> Corpus:
        """The published corpus (only when ``ok``)."""
        assert self.published is not None, "the corpus has errors: nothing is published"
        return self.published.corpus


def prepare(settings: Settings, *, policy: Policy | None = None, session: Session | None = None,
            pdf_links: bool = False, progress: Progress = log.info, changed: Collection[str] | None = None) -> Prepared:
    """Read, check and publish the corpus at ``settings.root``; stop after
    the check when a record has an error. ``policy`` says when (now, or an
    as-of moment); ``pdf_links`` that the pages link to their PDFs;
    ``changed``, the only files that may have changed since the session's
    last reading (`serve`'s watch says which), that the others are not read."""
    root = settings.root
    session = session or Session()
    # 1. Load, validate and link every record (unchanged files from the session).
    checked = read_corpus(root, session.files, changed, session.reading)
    #    And each quote against its source's archived text, where there is one.
    fidelity = check_quotes(checked, settings.archive)
    if fidelity.note:
        progress(fidelity.note)
    if not checked.ok or checked.corpus is None:
        return Prepared(checked)
    # 2. Publish: drafts, embargoed records and what is after the as-of are
    #    withheld, with every mention of them.
    policy = policy or Policy(clock())
    published = publish(checked.corpus, policy)
    for line in published.summary():
        progress(line)
    corpus = published.corpus
    # 3. History: when each record last changed, read from git once per commit.
    history = _history(root, session) if settings.history else None
    # 4. Editions: for each brief, what changed since the previous edition.
    editions = since_previous(root, corpus, policy, settings.editions, session.previous)
    # 5. Options: what every page needs to know of the site around it.
    site = SiteOptions(settings.site_name, pdf_links, policy.as_of, history, editions or None,
                       settings.geography, fidelity.passages, settings.exports, settings.directory_urls)
    return Prepared(checked, published, editions, site)


def render_site(prepared: Prepared, root: Path, session: Session | None = None) -> dict[str, str]:
    """The site's pages, ``{path: markdown}``. With a session, templates are
    compiled once and only the pages an edit can have changed are rendered
    again (``serve``)."""
    if session is None:
        return render_all(prepared.corpus, root, prepared.site)
    dirs = template_dirs(root)
    stamps = template_stamps(dirs)
    # A new environment when a template was added, removed or edited:
    # Jinja's own reloading misses an override added beside a default.
    if session.env is None or stamps != session.env_stamps:
        session.env, session.env_stamps = make_env(dirs), stamps
    # A build's pages come from the cache; those whose HTML it lost are rendered.
    lost = session.cache.lost() if session.cache is not None else set()
    session.rendered, count = render_incremental(prepared.corpus, session.rendered, session.env, dirs, prepared.site,
                                                 lost=lost)
    log.debug("rendered %d record pages of %d", count, len(prepared.corpus.records))
    return session.rendered.pages


def export_context(prepared: Prepared, settings: Settings) -> ExportContext:
    """What the exporters read: the published corpus and where its pages are."""
    return ExportContext(prepared.corpus, settings.site_name, settings.site_url, settings.directory_urls)


def export_data(prepared: Prepared, settings: Settings, formats: tuple[str, ...] | None = None) -> dict[str, bytes]:
    """The data files (``generator.exports``) of the published corpus,
    ``{path under data/: bytes}``: the formats the settings publish, or those given."""
    return export(export_context(prepared, settings), settings.exports if formats is None else formats)


def _history(root: Path, session: Session) -> History | None:
    if session.history is None or session.history.head != head_commit(root):
        session.history = read_history(root)
    return session.history
