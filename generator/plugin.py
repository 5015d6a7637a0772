"""The MkDocs plugin: a thin layer that hands MkDocs the generated pages.

It reads the corpus (``generator.corpus``), renders it (``generator.render``)
and adds each page as a generated file (MkDocs 1.6 ``File.generated``). The
corpus folder is MkDocs' ``docs_dir``, so ``mkdocs serve`` already watches
the records; the plugin adds the templates to the watch list. During
``serve`` a broken record keeps the last good pages and shows the problems
on every page and in the terminal; during ``build`` it fails the build.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import Environment
from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from watchdog.events import FileSystemEvent, FileSystemEventHandler

from generator.corpus import CheckResult, FileCache, read_corpus
from generator.editions import since_previous
from generator.history import DEFAULT_EDITIONS, History, head_commit, read_history
from generator.link import Corpus
from generator.load import RECORD_SUFFIXES
from generator.model import Brief
from generator.problems import format_text
from generator.publish import Policy, clock, publish
from generator.render import (
    RenderState,
    SiteOptions,
    make_env,
    nav,
    render_incremental,
    render_pages,
    template_dirs,
    template_file,
    template_stamps,
)
from generator.text import md_text

# Not under "mkdocs.": MkDocs' strict mode counts warnings there, and a broken
# record during `serve` must not abort the rebuild that keeps the last pages.
log = logging.getLogger("briefing")

ASSETS = ("assets/briefing.css", "assets/briefing.js", "assets/vendor/iframe-worker-shim.js")
SHIM = "assets/vendor/iframe-worker-shim.js"
REQUIRED_EXTENSIONS = ("tables", "attr_list", "admonition", "md_in_html", "toc")
BANNER_PROBLEMS = 10


class PageFile(File):
    """A generated page that counts as modified only when its Markdown
    changed since the last build: `serve` rebuilds (MkDocs' dirty builds)
    then redo only the pages an edit touched. A page showing an edited
    title renders differently, so it is redone too."""

    changed: bool = True

    def is_modified(self) -> bool:
        return self.changed or not os.path.isfile(self.abs_dest_path)


class BriefingConfig(Config):
    pdf = config_options.Type(bool, default=False)  # typeset briefs into pdf/ and link them
    paper = config_options.Choice(("a4", "letter"), default="a4")
    handling = config_options.Type(str, default="")  # e.g. "For internal use"
    history = config_options.Type(bool, default=True)  # show when each record last changed (git)
    editions = config_options.Type(str, default=DEFAULT_EDITIONS)  # tags that are editions (a glob)


class BriefingPlugin(BasePlugin[BriefingConfig]):
    """Adds the briefing pages to an MkDocs build."""

    def __init__(self) -> None:
        self.root = Path(".")
        self.preloaded: CheckResult | None = None  # handed over by generator.build
        self.last_pages: dict[str, str] | None = None
        self.broken: CheckResult | None = None
        self.updated = ""
        self.serving = False
        self.pdf_dir: Path | None = None
        # Kept across `serve` rebuilds: records unchanged on disk are not read
        # again, and the templates are compiled once (Jinja reloads edited ones).
        self.cache: FileCache = {}
        self.env: Environment | None = None
        self.env_stamps: tuple[tuple[str, int], ...] = ()
        self.server: LiveReloadServer | None = None
        self.watched: set[Path] = set()
        self.redo_all = False  # after a broken corpus: every page carried the banner
        self.theme_env: tuple[Any, jinja2.Environment] | None = None
        self.state: RenderState | None = None
        self.progress: Callable[[str], None] = log.info
        self.policy: Policy | None = None  # set by generator.build for --as-of; else: now
        self.history: History | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup keeps this instance across `serve` rebuilds,
        # which is what lets it keep the last good pages.
        self.serving = command == "serve"

    @event_priority(100)  # before Material's offline plugin looks for a polyfill
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.root = Path(config.config_file_path or "mkdocs.yml").resolve().parent
        if config.nav is None:
            config.nav = nav()
        # Record pages are out of the navigation by design; MkDocs would list
        # every one of them on each build.
        config.validation.nav.omitted_files = logging.DEBUG
        for ext in REQUIRED_EXTENSIONS:
            if ext not in config.markdown_extensions:
                config.markdown_extensions.append(ext)
        config.extra_css.append("assets/briefing.css")
        config.extra_javascript.append("assets/briefing.js")
        # A local iframe-worker (search from file://) so that Material's
        # offline plugin does not add its CDN copy.
        polyfills = config.extra.setdefault("polyfills", [])
        if not any("iframe-worker" in str(p) for p in polyfills):
            polyfills.append(SHIM)
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        result, self.preloaded = self.preloaded or read_corpus(self.root, self.cache if self.serving else None), None
        if not result.ok or result.corpus is None:
            return self._broken(files, config, result)
        self.broken = None
        policy = self.policy or Policy(clock())
        published = publish(result.corpus, policy)
        for line in published.summary():
            self.progress(line)
        corpus = published.corpus
        self.updated = _updated(corpus)
        # PDFs are typeset for builds, not for each `serve` rebuild (seconds).
        with_pdf = self.config.pdf and not self.serving
        dirs = template_dirs(self.root)
        stamps = template_stamps(dirs)
        # A new environment when a template was added, removed or edited:
        # Jinja's own reloading misses an override added beside a default.
        if self.env is None or not self.serving or stamps != self.env_stamps:
            self.env, self.env_stamps = make_env(dirs), stamps
        self._watch(dirs)
        editions = since_previous(self.root, corpus, policy, self.config.editions)
        options = SiteOptions(config.site_name, with_pdf, policy.as_of, self._history(), editions or None)
        if self.serving:  # render only what an edit can have changed
            self.state, rendered = render_incremental(corpus, self.state, self.env, dirs, options)
            pages = self.state.pages
            log.debug("rendered %d record pages of %d", rendered, len(corpus.records))
        else:
            pages = render_pages(corpus, self.root, options, env=self.env)
        files = self._add(files, config, pages, previous=None if self.redo_all else self.last_pages)
        self.last_pages, self.redo_all = pages, False
        if with_pdf:
            files = self._add_pdfs(files, config, corpus, options)
        return files

    def _history(self) -> History | None:
        """Read from git once per commit: `serve` rebuilds keep it."""
        if not self.config.history:
            return None
        if self.history is None or self.history.head != head_commit(self.root):
            self.history = read_history(self.root)
        return self.history

    def _add_pdfs(self, files: Files, config: MkDocsConfig, corpus: Corpus, site: SiteOptions) -> Files:
        from generator.pdf import PdfOptions, write_pdfs

        self.pdf_dir = Path(tempfile.mkdtemp(prefix="briefing-pdf-"))
        options = PdfOptions(self.config.paper, self.config.handling, config.site_url or "", as_of=site.as_of,
                             editions=site.editions, edition_tags=self.config.editions)
        for result in write_pdfs(corpus, self.root, self.pdf_dir, options=options, progress=self.progress):
            files.append(File.generated(config, f"pdf/{result.path.name}", abs_src_path=str(result.path)))
        return files

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.pdf_dir is not None:
            shutil.rmtree(self.pdf_dir, ignore_errors=True)
            self.pdf_dir = None

    def _broken(self, files: Files, config: MkDocsConfig, result: CheckResult) -> Files:
        text = format_text([p for p in result.problems if p.is_error])
        if not self.serving or self.last_pages is None:
            raise PluginError(f"the corpus has problems, nothing was built:\n{text}")
        log.error("the corpus has problems; serving the last good pages:\n%s", text)
        self.broken = result
        self.redo_all = True
        return self._add(files, config, self.last_pages)

    def _add(self, files: Files, config: MkDocsConfig, pages: dict[str, str],
             previous: dict[str, str] | None = None) -> Files:
        # The records themselves are not published: only their pages. (One
        # new Files, not files.remove() per record: that is O(n) each.)
        files = Files([f for f in files if not f.src_uri.endswith(RECORD_SUFFIXES)])
        for path, text in pages.items():
            page = PageFile.generated(config, path, content=text)
            assert isinstance(page, PageFile)
            page.changed = previous is None or previous.get(path) != text
            files.append(page)
        dirs = template_dirs(self.root)
        for asset in ASSETS:
            files.append(File.generated(config, asset, abs_src_path=str(template_file(dirs, asset))))
        return files

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        # The sitemap's dates, and so the build's bytes, follow the corpus,
        # not the clock.
        if self.updated:
            page.update_date = self.updated
        if self.broken is None:
            return markdown
        errors = [p for p in self.broken.problems if p.is_error]
        lines = "\n".join(f"    - {md_text(f'{p.file}:{p.line}:{p.column}: {p.message}')}"
                          for p in errors[:BANNER_PROBLEMS])
        more = f"\n    - and {len(errors) - BANNER_PROBLEMS} more" if len(errors) > BANNER_PROBLEMS else ""
        banner = (f'!!! failure "The corpus has {len(errors)} error(s): this is the last good build"\n\n'
                  f"{lines}{more}\n\n")
        return banner + markdown

    def on_env(self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        """During `serve`, keep the theme's template environment across
        rebuilds while the theme is unchanged: MkDocs makes a new one per
        rebuild and recompiles Material's templates (a tenth of a second)."""
        if not self.serving:
            return env
        key = (repr(sorted(config.theme.items())), tuple(config.theme.dirs),
               template_stamps([Path(d) for d in config.theme.dirs if not d.startswith(sys.prefix)]))
        if self.theme_env is not None and self.theme_env[0] == key:
            return self.theme_env[1]
        self.theme_env = (key, env)
        return env

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        self.server = server
        self._watch(template_dirs(self.root))
        # MkDocs ignores folder events, so a templates/ folder created during
        # serve is caught here, then watched and built with.
        server.observer.schedule(_FolderCreated(self.root / "templates", self._templates_created), str(self.root),
                                 recursive=False)
        return server

    def _templates_created(self) -> None:
        if self.server is None:
            return
        self._watch(template_dirs(self.root))
        # What MkDocs' own watch callback does on a change: ask for a rebuild.
        with self.server._rebuild_cond:
            self.server._want_rebuild = True
            self.server._rebuild_cond.notify_all()

    def _watch(self, dirs: list[Path]) -> None:
        if self.server is None:
            return
        for folder in dirs:
            if folder not in self.watched:
                self.server.watch(str(folder))
                self.watched.add(folder)


class _FolderCreated(FileSystemEventHandler):
    def __init__(self, folder: Path, then: Callable[[], None]) -> None:
        super().__init__()
        self.folder, self.then = folder, then

    def on_created(self, event: FileSystemEvent) -> None:
        if event.is_directory and Path(str(event.src_path)) == self.folder:
            self.then()


def _updated(corpus: Corpus) -> str:
    """The corpus' own date: the latest as-of of its briefs (ISO day)."""
    dates = [e.model.as_of for e in corpus.of_kind("brief") if isinstance(e.model, Brief)]
    if not dates:
        return ""
    latest = max(dates, key=lambda d: d.earliest)
    return latest.earliest.date().isoformat() if latest.has_zone else latest.text[:10]
