"""The MkDocs plugin: a thin adapter between the engine and the pipeline.

The pipeline (``generator.pipeline``) reads, checks, publishes and renders
the corpus; this adds each page as a generated file (``File.generated``).
It runs on ProperDocs (``briefing build`` and ``serve``) and on MkDocs 1.6
(``mkdocs build``) alike: both answer for the ``mkdocs.*`` imports below.
The corpus folder is the engine's ``docs_dir``, so ``serve`` already
watches the records; the plugin adds the templates to the watch list.

Nothing the engine finds in the corpus folder is published as it is: the
site holds the generated pages, the theme's and our assets, and the files of
``media/`` that the corpus check vetted (``generator.discover``).

During ``serve`` a broken record, a broken template or a bug keeps the last
good pages and shows the problems on every page and in the terminal: the
server never stops answering. During ``build`` they fail the build.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from watchdog.observers.api import BaseObserver

from generator.corpus import CheckResult
from generator.discover import MediaFile
from generator.engine_config import adjusted, corpus_date
from generator.engine_workers import Built, EngineShare, PageFile, Taken
from generator.errors import BriefingError
from generator.export_context import DATA_DIR, ExportContext
from generator.export_memo import MemoStore
from generator.exports import export_in_background, write_export
from generator.link import link
from generator.options import BriefingConfig, Settings, settings_of
from generator.page_cache import CachedPage, is_digest, open_cache
from generator.pipeline import ASSETS, Prepared, Session, export_context, prepare, render_site
from generator.placeholders import data_files, pdf_files
from generator.problems import format_text
from generator.render import SiteOptions, render_pages
from generator.search_chunks import PRELUDE, wanted, write_index
from generator.search_entries import PageText, SearchCapture, SearchEntries
from generator.serve_banner import Broken, failure_of
from generator.serve_data import ServedData
from generator.serve_quick import LastBuild, Pending, Sharing, settle, unfrozen, written
from generator.serve_watch import TemplateWatch, notify_records
from generator.site_paths import record_at
from generator.templating import own_theme_dirs, template_dirs, template_file, template_stamps

# Not under "mkdocs.": MkDocs' strict mode counts warnings there, and a broken
# record during `serve` must not abort the rebuild that keeps the last pages.
log = logging.getLogger("briefing")

class BriefingPlugin(BasePlugin[BriefingConfig]):
    """Adds the briefing pages to an MkDocs build: the pipeline
    (``generator.pipeline``) prepares and renders, this hands the pages over."""

    def __init__(self) -> None:
        self.settings: Settings | None = None
        self.serving = False
        # What the pipeline keeps across `serve` rebuilds; a build's own.
        self.session = Session()
        self.last_pages: dict[str, str] | None = None
        self.last_media: list[MediaFile] = []
        self.broken: Broken | None = None
        self.redo_all = False  # after a broken corpus: every page carried the banner
        self.updated = ""
        self.pdf_job: Prepared | None = None  # typeset after the pages are written
        self.theme_env: tuple[Any, jinja2.Environment] | None = None
        self.templates = TemplateWatch(lambda: self.root)  # serve: the template folders, watched
        self.structured: ExportContext | None = None  # for each record page's JSON-LD
        self.data_job: Future[dict[str, bytes]] | None = None  # a build's data files, being made
        self.served_data: ServedData | None = None  # serve's, made again in the background
        self.export_store: MemoStore | None = None  # where the exports' objects are kept between builds
        self.fresh: frozenset[str] | None = None  # the record pages rendered again this time
        self.last_good: Prepared | None = None  # serve: the corpus of the last good pages
        self.records_observer: BaseObserver | None = None  # serve: the corpus folder, by notification
        self.search = SearchCapture()  # each built page's search entries, for the page cache
        self.order: list[str] = []  # the pages in the engine's order
        self.dests: dict[str, str] = {}  # page path -> where the engine writes it
        self.share: EngineShare | None = None  # the pages a worker is building (generator.engine_workers)
        self.elsewhere = 0  # pages of the last quick rebuild a worker built
        # serve: each page's search entries (or text, not indexed yet), the changes
        # seen since the last rebuild, and what a quick rebuild needs of the engine's last build.
        self.indexed: dict[str, SearchEntries | PageText] = {}
        self.pending = Pending()
        self.engine_parts: tuple[Files, Navigation] | None = None
        self.last_build: LastBuild | None = None
        self.index_job: Future[dict[str, SearchEntries]] | None = None  # a quick rebuild's search index, being written
        self.read_watched = False  # the corpus was last read with the watch running

    @property
    def root(self) -> Path:
        assert self.settings is not None, "on_config sets the settings"
        return self.settings.root

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup keeps this instance across `serve` rebuilds (and with it the last good pages).
        self.serving = command == "serve"

    @event_priority(100)  # before Material's offline plugin looks for a polyfill
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        try:
            self.settings = settings_of(config)
        except BriefingError as exc:  # a setting the config class cannot check alone (a folder's contents)
            raise PluginError(str(exc)) from None
        return adjusted(config)

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        """Material's search dialog has no accessible name (axe: aria-dialog-name):
        give it one in the page itself, so that it needs no script. A record's
        page carries its schema.org JSON-LD in its head, where search
        engines read it (and Material's search index does not)."""
        self.search.took(page.file.src_uri)
        output = output.replace(SEARCH_DIALOG, SEARCH_DIALOG[:-1] + ' aria-label="Search">', 1)
        structured = self.structured
        if structured is not None and (rid := record_at(page.file.src_uri, structured.corpus.records)):
            from generator.export_jsonld import page_jsonld

            graph, holds = page_jsonld(structured, rid)
            self._graph_read(page.file.src_uri, holds)
            script = f'<script type="application/ld+json">{graph}</script>\n'
            output = output.replace("</head>", script + "</head>", 1)
        if self.share is not None and page.file.src_uri == self.share.last_own:  # the engine's last page
            self._take_back(page)
        return output

    @event_priority(-100)  # after any plugin's change to the navigation: the worker builds with it
    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        """`briefing build`'s engine builds every other page in a worker
        (``generator.engine_workers``) where that pays."""
        if self.session.elsewhere and self.search.usable and self.broken is None:
            self.share = EngineShare.start(config, files, nav, self._taken)
        self.engine_parts = (files, nav) if self.serving else None
        return nav

    def _taken(self, paths: list[str]) -> Taken:
        """In the worker: its pages' search entries and reads."""
        reads = self.session.rendered.reads if self.session.rendered is not None else {}
        return ({p: self.search.built[p] for p in paths if p in self.search.built},
                {p: reads[p] for p in paths if p in reads})

    def _take_back(self, page: Page) -> None:
        share, self.share = self.share, None
        assert share is not None
        if (built := share.take_back(page)) is not None:
            self._took(built)

    def _took(self, built: Built) -> None:
        """A worker's pages' search entries and reads, as if built here."""
        self.elsewhere += len(built.anchors)  # one entry a page
        self.search.built.update(built.search)
        if self.session.rendered is not None:
            self.session.rendered.reads.update(built.reads)

    def on_build_error(self, *, error: Exception) -> None:
        if self.share is not None:
            self.share.cancel()
            self.share = None

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """A build reads and checks the corpus before MkDocs lists the files
        of its folder: a corpus with errors (a link out of it among them,
        which MkDocs' listing would follow) stops the build here."""
        if self.serving or self.session.ready is not None:
            return
        try:
            self.session.ready = self._prepare()
        except BriefingError as exc:  # a setting (SOURCE_DATE_EPOCH): said in one line
            raise PluginError(str(exc)) from None
        if not self.session.ready.ok:
            self._broken(Files([]), config, self.session.ready.checked)

    def _prepare(self, changed: frozenset[str] | None = None) -> Prepared:
        """``changed``: the files the watch saw change, the only ones read
        again when the last reading was all watched (not serve's first build's)."""
        assert self.settings is not None
        trusted, self.read_watched = (changed if self.read_watched else None), False
        # PDFs are typeset for builds, not for each `serve` rebuild (seconds).
        # Only `serve` keeps what it read for the next rebuild.
        prepared = prepare(self.settings, session=self.session if self.serving else None,
                           pdf_links=self.config.pdf and not self.serving, progress=self.session.progress,
                           changed=trusted)
        self.read_watched = self.records_observer is not None  # read whole, or all that changed
        return prepared

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        ready, self.session.ready = self.session.ready, None
        self.search = SearchCapture.of(config)
        if not self.serving:
            try:
                return self._files(files, config, ready or self._prepare())
            except BriefingError as exc:
                raise PluginError(str(exc)) from None
        # Serving: whatever the records or templates hold, and whatever goes
        # wrong in here, the server keeps answering with the last good pages
        # (MkDocs' server would wait for a build that never comes).
        try:  # prepared already when a quick rebuild gave way to this one
            return self._files(files, config, ready or self._prepare())
        except Exception as exc:
            failure = failure_of(exc, self.root)
            if failure.startswith("internal error"):  # a bug: its traceback helps whoever reports it
                log.error("briefing could not build this corpus", exc_info=exc)
            return self._broken(files, config, None, failure)

    def _files(self, files: Files, config: MkDocsConfig, prepared: Prepared) -> Files:
        if not prepared.ok:
            return self._broken(files, config, prepared.checked)
        self.broken = None
        self.updated = corpus_date(prepared.corpus)
        self.templates.watch()
        if self.redo_all:  # every page carried the banner; those placed from the cache have no Markdown here
            self.session.rendered = None
        self._serve_cache(config)
        # The data files under data/, and the context each page's JSON-LD is made from.
        assert self.settings is not None
        # Links in the data as the engine writes pages: Material's offline
        # plugin, after ours, may have turned directory URLs off.
        self.settings = replace(self.settings, directory_urls=config.use_directory_urls)
        data = export_context(prepared, self.settings)
        if not self.serving:  # made beside the pages (from here: the exports read no page), written after them
            cache = self.session.cache
            self.export_store = cache.exports if cache is not None else None
            self.data_job = export_in_background(data, self.settings.exports, self.export_store)
            self.structured = data if "jsonld" in self.settings.exports else None
        incremental = self.serving or self.session.cache is not None
        pages = render_site(prepared, self.root, self.session if incremental else None)
        media = prepared.checked.media
        rendered = self.session.rendered
        self.fresh = rendered.fresh if incremental and rendered is not None else None
        # A build writes into a new, empty folder: its last pages (this plugin
        # outlives a build run in-process) say nothing of what is there.
        previous = self.last_pages if self.serving and not self.redo_all else None
        files = self._add(files, config, pages, media, previous=previous)
        self.last_pages, self.last_media, self.redo_all = pages, media, False
        self.last_good = prepared if self.serving else None
        if self.serving:
            self._serve_data(data)
        files = data_files(files, config, self.settings.exports, self.served_data)
        if prepared.site.pdf_links:
            files = pdf_files(files, config, prepared.corpus)
            self.pdf_job = prepared
        return files

    def _serve_data(self, data: ExportContext) -> None:
        """`serve`'s data files, made in a worker so that the server's own
        process stays free for the next edit (seconds of STIX at 10,000);
        and the context of each record page's JSON-LD."""
        assert self.settings is not None
        make = partial(export_in_background, data, self.settings.exports, self.export_store)
        if self.served_data is None:
            self.served_data = ServedData()
            self.served_data.first(make)
        else:  # made again after this rebuild's pages are served
            self.served_data.later(make)
        self.structured = data if "jsonld" in self.settings.exports else None

    def _serve_cache(self, config: MkDocsConfig) -> None:
        """`serve`'s first build starts from the page cache (minutes at
        10,000 records without it) and leaves it for the next."""
        assert self.settings is not None
        if not self.serving or self.last_pages is not None or not self.settings.cache or self.served_data is not None:
            return
        cache = open_cache(self.root, config.config_file_path, config.theme.dirs, link=False)
        if cache is not None:
            self.session.cache, self.session.rendered = cache, cache.state
            self.export_store = cache.exports

    @event_priority(50)  # before the search plugin writes its index
    def _index(self, *, config: MkDocsConfig) -> None:
        """The index as a clean build makes it: every page's entries, in the
        engine's order; those built here and by a worker as indexed now, the
        pages placed from the cache as stored, and (serve) the others as
        indexed by an earlier rebuild. (A quick rebuild's runs in its index worker.)"""
        cache = self.session.cache
        merged = cache is not None or self.session.elsewhere or self.serving
        if merged and self.search.usable and self.last_pages is not None:
            self.indexed = {**self.search.merge(self.order, cache.stored if cache is not None else {}, self.indexed)}
            for path, value in self.search.built.items():
                if cache is not None:
                    cache.store(path, self.last_pages[path], Path(config.site_dir) / self.dests[path],
                                self.search.entries_of(path, value))

    def _indexed(self, made: dict[str, SearchEntries]) -> None:
        """Before a quick rebuild's index worker starts: the pages the one
        before indexed, then this rebuild's (their entries, or their text)."""
        self.indexed.update(made)
        self.indexed.update(self.search.built)

    @event_priority(50)  # after the index is put together, before the search plugin writes it
    def _post_build(self, *, config: MkDocsConfig) -> None:
        cache = self.session.cache
        if cache is not None and self.serving:  # serve's first build: kept for the next, and let go
            self.session.cache = None
            cache.leave(self.session.rendered, self.session.files)
            cache.close()
        if self.engine_parts is not None:  # the engine's own build (not a quick rebuild)
            (files, nav), self.engine_parts = self.engine_parts, None
            env = self.theme_env[1] if self.theme_env is not None else None
            self.last_build = None
            # Not under another search plugin: its index could not be put together from the pages' entries.
            if self.broken is None and env is not None and self.search.usable:
                self.last_build = LastBuild.of(config, files, nav, env)
        if self.served_data is not None:
            self.served_data.start(Path(config.site_dir))
        if self.data_job is not None:
            job, self.data_job = self.data_job, None
            write_export(job.result(), Path(config.site_dir) / DATA_DIR)
        if self.pdf_job is None or self.settings is None:
            return
        from generator.pdf import pdf_options, write_pdfs

        prepared, self.pdf_job = self.pdf_job, None
        write_pdfs(prepared.corpus, self.root, Path(config.site_dir) / "pdf",
                   options=pdf_options(self.settings, prepared), progress=self.session.progress)

    @event_priority(-110)  # after the search plugin's index and the offline plugin's copy of it
    def _search_at_scale(self, *, config: MkDocsConfig) -> None:
        """A large site's search from an index in chunks (not in `serve`),
        kept in the page cache's folder and patched by the next build."""
        if self.settings is not None and not self.serving and wanted(self.settings.search_index, len(self.order)):
            cache = self.session.cache
            write_index(Path(config.site_dir), template_file(template_dirs(self.root), PRELUDE),
                        cache.folder / "search" if cache is not None else None)

    on_post_build = CombinedEvent(_index, _post_build, _search_at_scale)

    def _broken(self, files: Files, config: MkDocsConfig, result: CheckResult | None,
                failure: str = "") -> Files:
        problems = [] if result is None else [p for p in result.problems if p.is_error]
        text = failure or format_text(problems)
        if not self.serving:
            raise PluginError(f"the corpus has problems, nothing was built:\n{text}")
        log.error("the corpus has problems; serving the last good pages:\n%s", text)
        self.broken = Broken(problems, failure, first=self.last_pages is None)
        self.redo_all = True
        if self.last_pages is None:  # nothing good yet: the site's pages, empty, under the banner
            self.last_pages = render_pages(link([])[0], self.root, SiteOptions(config.site_name))
        elif self.last_good is not None and any(map(is_digest, self.last_pages.values())):
            # Pages placed from the page cache have no Markdown here, and every
            # page is to carry the banner: the last good corpus, rendered whole.
            self.last_pages = render_pages(self.last_good.corpus, self.root, self.last_good.site)
        media = result.media if result is not None else self.last_media
        return data_files(self._add(files, config, self.last_pages, media), config,
                          self.settings.exports if self.settings is not None else (), self.served_data)

    def _add(self, files: Files, config: MkDocsConfig, pages: dict[str, str], media: list[MediaFile],
             previous: dict[str, str] | None = None) -> Files:
        # Nothing MkDocs found in the corpus folder is published as it is
        # (records, stray files, links out of the corpus): only the theme's
        # files, the generated pages, our assets and the vetted media. (One
        # new Files, not files.remove() per record: that is O(n) each.)
        docs = os.path.abspath(config.docs_dir)
        files = Files([f for f in files if f.generated_by is not None
                       or f.src_dir is None or os.path.abspath(f.src_dir) != docs])
        cache = self.session.cache if self.search.usable else None
        placed = 0
        for path, text in pages.items():
            page = PageFile.generated(config, path, content=text)
            assert isinstance(page, PageFile)
            page.changed = self._changed(path, text, previous)
            self.dests[path] = page.dest_uri
            if page.changed and cache is not None and (cached := self._cached(path, text)):
                cache.place(cached, Path(page.abs_dest_path))  # and the engine skips the page
                cache.keep(path, cached)
                page.changed = False
                placed += 1
            files.append(page)
        if cache is not None:
            log.info("%d of %d pages from the page cache (%s)", placed, len(pages), cache.folder.parent)
        dirs = template_dirs(self.root)
        for asset in ASSETS:
            files.append(File.generated(config, asset, abs_src_path=str(template_file(dirs, asset))))
        for item in media:
            files.append(File.generated(config, item.uri, abs_src_path=str(item.path)))
        return files

    def _changed(self, path: str, text: str, previous: dict[str, str] | None) -> bool:
        """Whether the engine builds this page: its Markdown changed, or it
        is a record page rendered again (its JSON-LD may have changed)."""
        if previous is None or previous.get(path) != text:
            return True
        return self.fresh is None or path in self.fresh

    def _cached(self, path: str, text: str) -> CachedPage | None:
        """A build's page from the page cache: its HTML for this Markdown,
        unless it is a record page rendered again (its JSON-LD may differ)."""
        cache = self.session.cache
        if cache is None or self.fresh is None or path in self.fresh:
            return None
        return cache.html_for(path, text)

    def _graph_read(self, path: str, holds: frozenset[str]) -> None:
        """What a page's JSON-LD holds counts as read by the page: an edit
        to one of those records renders it again (``generator.incremental``)."""
        rendered = self.session.rendered
        if rendered is not None and path in rendered.reads:
            rendered.reads[path] |= holds

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if self.broken is None:
            return markdown
        return self.broken.banner() + markdown

    def on_env(self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        """During `serve`, keep the theme's template environment across
        rebuilds while the theme is unchanged: MkDocs makes a new one per
        rebuild and recompiles Material's templates (a tenth of a second)."""
        # Every page's date (the sitemap's), also for pages the engine skips
        # (a cached build): it follows the corpus, not the clock.
        self.order = [f.src_uri for f in files.documentation_pages()]
        for file in files.documentation_pages():
            if self.updated and file.page is not None:
                file.page.update_date = self.updated
        if self.share is not None:  # a failed worker's pages are built with it
            self.share.env = env
        if not self.serving:
            return env
        key = (repr(sorted(config.theme.items())), tuple(config.theme.dirs),
               template_stamps(own_theme_dirs(config.theme.dirs)))
        if self.theme_env is None or self.theme_env[0] != key:
            self.theme_env = (key, env)
        return self.theme_env[1]

    def on_shutdown(self) -> None:
        if self.records_observer is not None:
            self.records_observer.stop()
            self.records_observer.join()
            self.records_observer = None
        if self.served_data is not None:
            self.served_data.close()
            self.served_data = None

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        # The engine waits 0.1 s after a change; 0.05 s takes an editor's write-then-rename as one.
        server.build_delay = 0.05
        self.templates.start(server)
        self.records_observer = notify_records(server, config, self.pending)
        server.builder = partial(self._rebuild, server.builder)
        settle()  # after the first build
        return server

    def _rebuild(self, engine_build: Callable[[], None]) -> None:
        """`serve`'s rebuild: quick after an edit to records alone
        (``generator.serve_quick``), else the engine's."""
        if self.served_data is not None:
            self.served_data.hold()
        if not self._quick():
            self.indexed.update(written(self.index_job))  # the engine writes the index itself
            self.index_job = None
            unfrozen(engine_build)

    def _quick(self) -> bool:
        """The pages an edit to records changed, rebuilt without the engine's
        whole build; False (nothing done that the engine's build would not
        redo) where that build is needed."""
        last, changes, before = self.last_build, self.pending.take(), self.session.rendered
        if last is None or self.broken is not None or self.last_pages is None or not last.holds(changes):
            return False
        start = time.perf_counter()
        # Only the files the watch saw change are read; the engine's build takes this, if it comes to that.
        prepared = self.session.ready = self._prepare(last.records_changed(changes, self.root))
        if not prepared.ok:  # its banner goes on every page
            return False
        read = time.perf_counter()
        pages = render_site(prepared, self.root, self.session)
        rendered = time.perf_counter()
        if (pages.keys() != self.last_pages.keys() or prepared.checked.media != self.last_media
                or corpus_date(prepared.corpus) != self.updated or self.session.rendered is None):
            self.session.rendered = before  # a page added or gone, new media or a new date: rendered there again
            return False
        self.fresh = self.session.rendered.fresh
        changed = {path: text for path, text in pages.items() if self._changed(path, text, self.last_pages)}
        assert self.settings is not None
        self._serve_data(export_context(prepared, self.settings))
        self.search, self.elsewhere = SearchCapture.of(last.config), 0
        try:
            with self.search.deferred(last.config):
                self.index_job = last.rebuild(changed, own=self, after=self.index_job, share=Sharing(
                    self._taken, self._took, self._index, self._indexed, lambda: self.search.made))
        except Exception as exc:  # said again by the engine's build, which redoes these pages
            log.debug("quick rebuild failed, the engine rebuilds: %s", exc)
            self.session.rendered = before
            return False
        self.last_pages, self.last_good = pages, prepared
        by = f", {self.elsewhere} by a second process" if self.elsewhere else ""
        log.info("rebuilt %d of %d pages%s (%s: reading %.2f s, rendering %.2f s, the engine's steps %s)",
                 len(changed), len(pages), by, _seconds(start), read - start, rendered - read, _seconds(rendered))
        return True


# Material's search box, as its theme writes it (mkdocs-material 9.x).
SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'


def _seconds(start: float) -> str:
    return f"{time.perf_counter() - start:.2f} s"
