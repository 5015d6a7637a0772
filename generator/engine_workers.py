"""The engine's page loop on two cores: every other page built in a forked worker.

Bare MkDocs reads, converts and templates its pages one by one on one core;
at 10,000 records that loop is most of a clean build (about 140 s), and
MkDocs itself has no parallel build. What one page's steps need is fixed
once the engine has made its navigation: the config, the files, the
navigation and the theme. So at that point (``on_nav``) a worker forked with
all of it builds every other page the engine is to build, with the engine's
own per-page steps, straight into the new site; the engine skips those
pages (its dirty build), as it skips the pages placed from the page cache.

What the engine's own process still needs of the worker's pages comes back
before it checks anchors: their search index entries (the index is put
together in page order, as for the page cache), what each page's JSON-LD
read, the anchors each page has and the anchors it links to, and the
worker's log records, said again here, so that strict mode counts a
warning on a worker's page as on any other. A worker that fails costs only
time: its pages are then built here, so an error is said as a serial build
says it. The pages are the same whichever process built them (a test
compares them with a serial build). Pages in the navigation stay with the
engine (their titles are its); `serve`, small sites and systems without
fork build serially.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

import jinja2
from mkdocs.commands.build import _build_page, _populate_page  # the engine's steps for one page
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from generator.render_workers import cores
from generator.search_entries import PageText, SearchEntries
from generator.workers import die_with_parent

log = logging.getLogger(__name__)

PARALLEL_FROM = 1000  # pages to build: below this, a worker costs more than it saves
# Whose records the worker sends back (ProperDocs logs under its own name,
# Material's plugins under MkDocs', the plugin under ours).
LOGGERS = ("mkdocs", "properdocs", "briefing")

# The plugin's part of a page built elsewhere: its search entries (or its
# text, while its indexing is deferred) and what it read, by page.
Taken = tuple[dict[str, SearchEntries | PageText], dict[str, frozenset[str]]]


class PageFile(File):
    """A generated page that counts as modified only when its Markdown
    changed since the last build: `serve` rebuilds (MkDocs' dirty builds)
    then redo only the pages an edit touched. A page showing an edited
    title renders differently, so it is redone too. A page the worker
    builds is not the engine's to build."""

    changed: bool = True
    elsewhere: bool = False

    def is_modified(self) -> bool:
        if self.elsewhere:
            return False
        return self.changed or not os.path.isfile(self.abs_dest_path)


@dataclass(frozen=True, slots=True)
class Built:
    """What the worker sends back of its pages, by page path."""

    search: dict[str, SearchEntries | PageText]
    reads: dict[str, frozenset[str]]
    anchors: dict[str, set[str]]  # the ids each page has
    links: dict[str, dict[str, dict[str, str]]]  # page -> page linked to -> anchor -> link
    logs: list[dict[str, Any]]  # the worker's log records, as plain data


@dataclass(slots=True)
class EngineShare:
    """The pages a worker is building, and what the engine's process needs
    to take them back (or to build them itself)."""

    config: MkDocsConfig
    files: Files
    nav: Navigation
    pages: list[PageFile]  # the worker's
    last_own: str  # the last page the engine builds: its post_page takes the worker's back
    process: BaseProcess
    conn: Connection
    env: jinja2.Environment | None = None  # the engine's, once made: a failed worker's pages are built with it

    @classmethod
    def start(cls, config: MkDocsConfig, files: Files, nav: Navigation, take: Callable[[list[str]], Taken],
              parallel_from: int | None = None) -> EngineShare | None:
        """The worker started on every other page the engine is to build
        (None, and the engine builds all, where that does not pay)."""
        if cores() < 2 or "fork" not in multiprocessing.get_all_start_methods():
            return None
        in_nav = {page.file.src_uri for page in nav.pages}
        todo = [f for f in files.documentation_pages(inclusion=InclusionLevel.is_included) if f.is_modified()]
        shared = [f for f in todo if isinstance(f, PageFile) and f.src_uri not in in_nav]
        if len(shared) < (PARALLEL_FROM if parallel_from is None else parallel_from):
            return None
        # Every other page: neighbours in the engine's order are of a kind,
        # so both processes get half of each kind's cost.
        theirs = shared[1::2]
        taken = {f.src_uri for f in theirs}
        own = [f for f in todo if f.src_uri not in taken]
        context = multiprocessing.get_context("fork")
        receive, send = context.Pipe(duplex=False)
        process = context.Process(target=_work, args=(send, config, files, nav, [f.src_uri for f in theirs], take),
                                  daemon=True)
        process.start()
        send.close()  # the worker's end: a worker that dies is then an end of file here
        for page in theirs:
            page.elsewhere = True
        log.debug("the engine's page worker builds %d of %d pages", len(theirs), len(todo))
        return cls(config, files, nav, theirs, own[-1].src_uri, process, receive)

    def take_back(self, current: Page) -> Built | None:
        """The worker's result, once it is done, with its log records said
        here; None when it failed, and then its pages were built here."""
        result = _result(self.conn)
        if isinstance(result, Built):
            _taken_here(result, [f.page for f in self.pages if f.page is not None], self.files)
            return result
        log.info("the engine's page worker failed (%s): its pages are built here", result)
        self._build_here(current)
        return None

    def cancel(self) -> None:
        """The build failed: the worker stops writing into its folder."""
        _stop(self.process, self.conn)

    def _build_here(self, current: Page) -> None:
        """The worker's pages built in this process, as the engine would have
        (their errors raised as its are); the page being written is not the
        navigation's current page meanwhile."""
        assert self.env is not None, "the engine made its environment before its first page"
        doc_files = self.files.documentation_pages(inclusion=InclusionLevel.is_included)
        for page_file in self.pages:
            page_file.elsewhere = False
        current.active = False
        try:
            for page_file in self.pages:
                assert page_file.page is not None
                _populate_page(page_file.page, self.config, self.files)
                _build_page(page_file.page, self.config, doc_files, self.nav, self.env)
        finally:
            current.active = True


@dataclass(slots=True)
class RebuildShare:
    """Some pages of `serve`'s quick rebuild (``generator.serve_quick``),
    built by a forked worker while the server's process builds the others:
    at 10,000 records the pages an edit changes include listing parts of
    hundreds of rows, whose Markdown is most of a rebuild's engine steps."""

    pages: list[Page]  # the worker's
    process: BaseProcess
    conn: Connection

    @classmethod
    def start(cls, config: MkDocsConfig, files: Files, nav: Navigation, env: jinja2.Environment,
              pages: list[Page], take: Callable[[list[str]], Taken], doc_files: Sequence[File]) -> RebuildShare | None:
        """A worker started on about half the pages' Markdown (none of the
        navigation's pages: their titles are the engine's); None where that
        does not pay, and the server's process builds all. ``doc_files``:
        the documentation pages as `serve` lists them, kept from the last
        full build."""
        if cores() < 2 or "fork" not in multiprocessing.get_all_start_methods():
            return None
        theirs = share_of(pages, {page.file.src_uri for page in nav.pages})
        if not theirs:
            return None
        context = multiprocessing.get_context("fork")
        receive, send = context.Pipe(duplex=False)
        process = context.Process(target=_work, args=(send, config, files, nav, [p.file.src_uri for p in theirs],
                                                      take, env, doc_files), daemon=True)
        process.start()
        send.close()
        return cls(theirs, process, receive)

    def take_back(self, files: Files) -> Built | None:
        """The worker's result, its log records said here and its pages'
        anchors set for the anchor check; None when it failed (its pages
        are then to be built here)."""
        result = _result(self.conn)
        if isinstance(result, Built):
            _taken_here(result, self.pages, files)
            return result
        log.debug("the rebuild's page worker failed (%s): its pages are built here", result)
        return None

    def cancel(self) -> None:
        """The rebuild failed: the worker stops writing its pages."""
        _stop(self.process, self.conn)


def _result(conn: Connection) -> Built | str:
    """A page worker's result once it is done, or why it failed. Its exit is
    not waited for: a worker that has answered writes nothing more, and
    letting go of its copy of the heap took 0.03 s at 10,000 records (the
    next process started reaps it, as ``multiprocessing`` does)."""
    try:
        status, value = conn.recv()
    except (EOFError, OSError) as exc:
        status, value = "failed", f"it ended without its pages ({type(exc).__name__})"
    finally:
        conn.close()
    if status == "ok":
        assert isinstance(value, Built)
        return value
    return str(value)


def _taken_here(built: Built, pages: Iterable[Page], files: Files) -> None:
    """A worker's log records said again here (strict mode counts its
    warnings), and its pages' anchors set for the engine's anchor check."""
    for record in built.logs:
        logging.getLogger(record["name"]).handle(logging.makeLogRecord(record))
    for page in pages:
        page.present_anchor_ids = built.anchors.get(page.file.src_uri, set())
        page.links_to_anchors = {target: anchors for uri, anchors in built.links.get(page.file.src_uri, {}).items()
                                 if (target := files.get_file_from_path(uri)) is not None}


def _stop(process: BaseProcess, conn: Connection) -> None:
    """A page worker stopped: it writes no more pages."""
    if process.is_alive():
        process.kill()
    process.join()
    conn.close()


SHARED_FROM = 400  # lines of Markdown to convert: below this, a fork costs more than it saves


def share_of(pages: list[Page], in_nav: set[str]) -> list[Page]:
    """The pages a worker takes: the costliest first, each to the lighter
    of the two processes, until the worker has about half; none when the
    whole is small. A page's cost is its lines of Markdown, and half a line
    for each row of HTML (``<li``, ``<tr``), which the engine passes through
    (measured in one process at 10,000 records: a topic's part of 213
    lines of Markdown, 0.06 s; the timeline part of 274 HTML rows, 0.06 s
    with its filter; an events index part of 278 HTML rows, 0.04 s; an
    event's page of 59 lines with its map, 0.01 s)."""
    def cost(page: Page) -> float:
        lines = page.file.content_string.splitlines()
        return sum(0.5 if line.startswith(("<li", "<tr")) else 0.0 if line.startswith("<") else 1.0
                   for line in lines)

    weighed = [(cost(page), page) for page in pages]  # each page read once: a rebuild's hot path
    if sum(c for c, _ in weighed) < SHARED_FROM:
        return []
    here = sum(c for c, page in weighed if page.file.src_uri in in_nav)
    there, theirs = 0.0, []
    for c, page in sorted(((c, p) for c, p in weighed if p.file.src_uri not in in_nav),
                          key=lambda cp: (-cp[0], cp[1].file.src_uri)):
        if there < here:
            theirs.append(page)
            there += c
        else:
            here += c
    return theirs


def _work(conn: Connection, config: MkDocsConfig, files: Files, nav: Navigation, paths: list[str],
          take: Callable[[list[str]], Taken], env: jinja2.Environment | None = None,
          doc_files: Sequence[File] | None = None) -> None:
    """In the worker: its pages, as the engine's loop builds them (every
    page read and converted, the plugins' environment event unless ``env``
    is the one made already, every page templated and written against
    ``doc_files``, or the build's list of pages); what the engine's process
    needs back is sent."""
    die_with_parent()
    records = _Records()
    for name in LOGGERS:  # said again by the engine's process, not here
        logger = logging.getLogger(name)
        logger.handlers, logger.propagate = [records], False
    try:
        pages = [_page(files, path) for path in paths]
        for page in pages:
            _populate_page(page, config, files)
        if env is None:
            env = config.plugins.on_env(config.theme.get_env(), config=config, files=files)
        if doc_files is None:  # the clean build's: listed as the engine lists them for a build
            doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
        for page in pages:
            _build_page(page, config, doc_files, nav, env)
        search, reads = take(paths)
        conn.send(("ok", Built(search, reads, anchors={p.file.src_uri: set(p.present_anchor_ids or ()) for p in pages},
                               links={p.file.src_uri: _links(p) for p in pages}, logs=records.kept)))
    except BaseException as exc:  # said in the engine's process, which builds these pages itself
        with contextlib.suppress(OSError):
            conn.send(("failed", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def _links(page: Page) -> dict[str, dict[str, str]]:
    """The anchors a page links to, by the path of the page they are on."""
    return {target.src_uri: dict(anchors) for target, anchors in (page.links_to_anchors or {}).items()}


def _page(files: Files, path: str) -> Page:
    file = files.get_file_from_path(path)
    assert file is not None and file.page is not None, f"{path} is a page of this build"
    return file.page


class _Records(logging.Handler):
    """A worker's log records, as plain data (their arguments already in
    the message: they need not pickle)."""

    def __init__(self) -> None:
        super().__init__()
        self.kept: list[dict[str, Any]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.kept.append({"name": record.name, "levelno": record.levelno, "levelname": record.levelname,
                          "msg": record.getMessage(), "args": (), "pathname": record.pathname,
                          "lineno": record.lineno, "funcName": record.funcName, "created": record.created})
