"""`serve`'s rebuild after an edit to records alone, without the engine's whole build.

At 10,000 records the engine's own rebuild takes seconds whatever an edit
changed: it reads the configuration again, lists and wraps every file of the
corpus folder, makes a page object for each of 10,000 pages and the
navigation, and writes its templates and sitemap again, before it skips the
pages that did not change. After an edit to records alone none of that
changes. So the pages whose Markdown changed (and the record pages rendered
again, whose JSON-LD may have) go through the engine's own per-page steps
(``_populate_page``, ``_build_page``, as ``generator.engine_workers`` uses
them) with the files, navigation and theme environment of the last build,
and then through the plugins' post-build steps, as after any build: the
briefing plugin's here (the data files started in the background), and in
a forked worker once the pages are written, so that the reload does not
wait for them, the rest: the rebuilt pages indexed for search and the
index put together (``generator.search_entries``: the pages' text is kept
as they are built, and parsed only there), Material's search index written
(21 MB at 10,000 records) and the offline plugin's copy of it, a second of
writing. The rest of the site is as that build wrote it.

Anything else is the engine's full rebuild: a change outside the corpus
folder's records (mkdocs.yml, a template, a media file), a page added or removed, a corpus
with errors (its banner goes on every page), or a plugin whose whole-build
steps this does not know (it would see only the rebuilt pages).
"""

from __future__ import annotations

import gc
import logging
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import jinja2
from mkdocs.commands.build import _build_page, _populate_page  # the engine's steps for one page
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from generator.discover import CORPUS_FOLDER, MEDIA_FOLDER
from generator.engine_workers import Built, RebuildShare, Taken
from generator.search_entries import SearchEntries
from generator.templating import own_theme_dirs, template_stamps
from generator.workers import forked

log = logging.getLogger(__name__)

# The plugins whose work on a rebuild is known to be per page plus their
# post-build step (the search index; offline's copy of it as a script).
QUICK_PLUGINS = frozenset({"briefing", "search", "material/search", "offline", "material/offline"})


@dataclass(frozen=True, slots=True)
class Sharing:
    """What the plugin gives a quick rebuild besides its post-build steps."""

    take: Callable[[list[str]], Taken]  # in a page worker: what it sends back of its pages (search, reads)
    took: Callable[[Built], None]  # here: a page worker's pages taken back
    index: Callable[..., None]  # its post-build step that puts the search index together: in the index worker
    indexed: Callable[[dict[str, SearchEntries]], None]  # here: what the index worker before made, handed back
    made: Callable[[], dict[str, SearchEntries]]  # in the index worker: the pages' entries it made


class Pending:
    """The paths the corpus folder's watch saw change since the last
    rebuild: added by the watch's thread, taken by the server's build thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._paths: set[str] = set()

    def add(self, *paths: str) -> None:
        with self._lock:
            self._paths.update(os.path.abspath(p) for p in paths if p)

    def take(self) -> frozenset[str]:
        with self._lock:
            taken, self._paths = frozenset(self._paths), set()
        return taken


@dataclass(frozen=True, slots=True)
class LastBuild:
    """What the engine's last full build made that one page's steps need,
    and the settings it was made with."""

    config: MkDocsConfig
    files: Files
    nav: Navigation
    env: jinja2.Environment
    config_stamp: int  # mkdocs.yml's modification time (ns) when it was read
    theme_stamps: tuple[tuple[str, int], ...]  # the theme's own overrides (custom_dir), as built with
    # The documentation pages as `serve` lists them, for each page's context:
    # a quick rebuild adds or removes none (0.03 s a listing, in each process).
    doc_files: tuple[File, ...]

    @classmethod
    def of(cls, config: MkDocsConfig, files: Files, nav: Navigation, env: jinja2.Environment) -> LastBuild | None:
        """The last build, when a quick rebuild may follow it (not under a
        plugin this does not know, nor with files of the user's own watch list)."""
        unknown = set(config.plugins) - QUICK_PLUGINS
        if unknown or config.watch:
            log.debug("every rebuild is the engine's: %s", ", ".join(sorted(unknown)) or "watch list")
            return None
        return cls(config, files, nav, env, _stamp(config.config_file_path),
                   template_stamps(own_theme_dirs(config.theme.dirs)),
                   tuple(files.documentation_pages(inclusion=InclusionLevel.is_in_serve)))

    def holds(self, changes: frozenset[str]) -> bool:
        """Whether ``changes`` (absolute paths) are edits within the corpus
        folder that publish no file as it is (records, and what is neither
        read nor published, such as an editor's swap file), under the
        settings this build was made with."""
        docs = os.path.abspath(self.config.docs_dir) + os.sep
        media = os.path.join(docs, MEDIA_FOLDER) + os.sep
        return (bool(changes) and _stamp(self.config.config_file_path) == self.config_stamp
                and template_stamps(own_theme_dirs(self.config.theme.dirs)) == self.theme_stamps
                and all(path.startswith(docs) and not path.startswith(media) for path in changes))

    def records_changed(self, changes: frozenset[str], root: Path) -> frozenset[str] | None:
        """``changes`` named as the corpus reader names files
        (``briefings/events/x.yaml``), when the folder watched is the one it
        reads; None (every file read) when it is not."""
        docs, corpus = os.path.abspath(self.config.docs_dir), root / CORPUS_FOLDER
        try:
            if not os.path.samefile(docs, corpus):
                return None
        except OSError:
            return None
        return frozenset(f"{CORPUS_FOLDER}/{Path(os.path.relpath(p, docs)).as_posix()}" for p in changes)

    def rebuild(self, pages: dict[str, str], own: object, share: Sharing,
                after: Future[dict[str, SearchEntries]] | None = None) -> Future[dict[str, SearchEntries]]:
        """The pages (path to new Markdown) through the engine's per-page
        steps, in its order (all read and converted, then all written), then
        the plugins' post-build steps in their order: those of the plugin
        ``own`` here but the one that puts the search index together, which
        runs with the others' in an index worker (returned, to wait for),
        once the index worker of the rebuild before (``after``) is done and
        what it made is handed back. A forked worker builds about half the
        pages meanwhile (``generator.engine_workers.RebuildShare``), and
        what the plugin needs of them is handed back to it."""
        config, files = self.config, self.files
        targets = [self._page(path, text) for path, text in pages.items()]
        worker = RebuildShare.start(config, files, self.nav, self.env, targets, share.take, self.doc_files)
        theirs = worker.pages if worker is not None else []
        try:
            self._build([page for page in targets if page not in theirs])
        except BaseException:  # the engine's whole build follows, and writes these pages itself
            if worker is not None:
                worker.cancel()
            raise
        if worker is not None:
            built = worker.take_back(files)
            if built is None:
                self._build(theirs)
            else:
                share.took(built)
        for page in targets:
            page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)
        share.indexed(written(after))  # one writer of the index at a time, the newest last
        steps = config.plugins.events["post_build"]
        here = [s for s in steps if getattr(s, "__self__", None) is own and s != share.index]
        for step in here:
            step(config=config)
        return forked(partial(_post_build, [s for s in steps if s not in here], config, share.made))

    def _build(self, targets: list[Page]) -> None:
        for page in targets:
            _populate_page(page, self.config, self.files)
        for page in targets:
            _build_page(page, self.config, self.doc_files, self.nav, self.env)

    def _page(self, path: str, text: str) -> Page:
        file = self.files.get_file_from_path(path)
        assert file is not None and file.page is not None, f"{path} is a page of the last build"
        file.content_string = text
        return file.page


def settle() -> None:
    """The heap the engine's build left (10,000 pages, files and records)
    set aside from the cyclic collector until the next such build: a quick
    rebuild's collections then scan only what it makes, and a page worker
    forked from the server copies fewer of the parent's memory pages (the
    collector writes to every object it scans). Measured at 10,000
    records: an edit served in 1.06-1.30 s (median 1.24) instead of
    1.25-2.26 s (median 1.44), each after a session's first edit."""
    gc.freeze()


def unfrozen(build: Callable[[], None]) -> None:
    """The engine's whole build, with the heap set aside before given back
    to the collector (what the build replaces is garbage), and set aside again after."""
    gc.unfreeze()
    try:
        build()
    finally:
        settle()


def written(job: Future[dict[str, SearchEntries]] | None) -> dict[str, SearchEntries]:
    """Waits for a quick rebuild's index worker: the pages' entries it made."""
    if job is None:
        return {}
    try:
        return job.result()
    except Exception:  # a bug: the next rebuild writes the index again
        log.exception("briefing could not write the search index")
        return {}


def _post_build(steps: list[Callable[..., None]], config: MkDocsConfig,
                made: Callable[[], dict[str, SearchEntries]]) -> dict[str, SearchEntries]:
    for step in steps:
        step(config=config)
    return made()


def _stamp(path: str | None) -> int:
    try:
        return os.stat(path or "").st_mtime_ns
    except OSError:
        return -1
