"""What `serve` watches beyond the engine's own watches: a templates
folder created while serving, and the corpus folder by the system's
notifications rather than the engine's polling."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer
from watchdog.events import (
    EVENT_TYPE_CREATED,
    EVENT_TYPE_DELETED,
    EVENT_TYPE_MODIFIED,
    EVENT_TYPE_MOVED,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, EventEmitter

from generator.serve_quick import Pending
from generator.templating import template_dirs

log = logging.getLogger("briefing")


def notify_records(server: LiveReloadServer, config: MkDocsConfig, pending: Pending) -> BaseObserver | None:
    """The engine polls every file it watches twice a second: at 10,000
    records a scan takes a tenth of a second of the server's own process,
    and sees a save up to half a second late. The corpus folder is
    watched by the system's notifications instead (inotify on Linux;
    watchdog's Observer picks each system's own), and each change is
    handed to the engine through its watch of mkdocs.yml, as that watch
    would hand it over. The paths changed are noted in ``pending`` first
    (a rebuild after records alone may be quick: ``generator.serve_quick``)."""
    config_file = os.path.abspath(config.config_file_path or "")
    relay = next((e for e in server.observer.emitters if e.watch.is_file and e.watch.resolved_path == config_file),
                 None)
    if relay is None:  # no live reload: nothing watched
        return None
    try:
        server.unwatch(config.docs_dir)
    except KeyError:
        return None
    observer = Observer()
    # Only the events that change a file: a build reads every record, and
    # told of each open and close the watch's thread would take the
    # interpreter from the build 20,000 times (a rebuild at 10,000 records
    # took twice as long).
    observer.schedule(_Relay(relay, config_file, pending), os.path.abspath(config.docs_dir), recursive=True,
                      event_filter=list(_CHANGED_BY))
    observer.start()
    return observer


class TemplateWatch:
    """The engine's watch of the template folders: each watched once, and a
    ``templates/`` folder created while serving watched and built with (the
    engine ignores folder events)."""

    def __init__(self, root: Callable[[], Path]) -> None:
        self.root = root  # the corpus root, once the settings are read
        self.server: LiveReloadServer | None = None
        self.watched: set[Path] = set()

    def start(self, server: LiveReloadServer) -> None:
        self.server = server
        self.watch()
        server.observer.schedule(FolderCreated(self.root() / "templates", self.created), str(self.root()),
                                 recursive=False)

    def watch(self) -> None:
        """Every template folder there is now, watched by the engine (when serving)."""
        if self.server is None:
            return
        for folder in template_dirs(self.root()):
            if folder not in self.watched:
                self.server.watch(str(folder))
                self.watched.add(folder)

    def created(self) -> None:
        if self.server is None:
            return
        folder = str(self.root() / "templates")
        if any(e.watch.path == folder and e.is_alive() for e in self.server.observer.emitters):
            # A rebuild found the folder first: it watches it, and rendered
            # with what the folder held (it watches before it renders).
            return
        self.watch()
        # Ask for a rebuild the way a changed file does: an event from the
        # folder's watch reaches the engine's own handler (public watchdog
        # API; the watch of a folder deleted and made again has stopped, but
        # its events still reach the handler).
        for emitter in self.server.observer.emitters:
            if emitter.watch.path == folder:
                emitter.queue_event(FileCreatedEvent(folder))


class FolderCreated(FileSystemEventHandler):
    """Calls ``then`` when ``folder`` is created (the engine ignores folder events)."""

    def __init__(self, folder: Path, then: Callable[[], None]) -> None:
        super().__init__()
        self.folder, self.then = folder, then

    def on_created(self, event: FileSystemEvent) -> None:
        if event.is_directory and Path(str(event.src_path)) == self.folder:
            self.then()


class _Relay(FileSystemEventHandler):
    """Asks the engine for a rebuild when a record changes, through its
    watch of mkdocs.yml (watchdog's public ``queue_event``): a watch of a
    file passes on only that file's events, and the engine rebuilds the
    same whichever file changed."""

    def __init__(self, emitter: EventEmitter, config_file: str, pending: Pending) -> None:
        super().__init__()
        self.emitter, self.config_file, self.pending = emitter, config_file, pending

    def on_any_event(self, event: FileSystemEvent) -> None:
        # Not a file merely opened or closed: a build reads the records, and
        # that must not ask for another build.
        if not event.is_directory and event.event_type in _CHANGES:
            log.debug("%s: rebuilding", event)
            self.pending.add(str(event.src_path), str(getattr(event, "dest_path", "") or ""))
            self.emitter.queue_event(FileModifiedEvent(self.config_file))


_CHANGES = frozenset({EVENT_TYPE_CREATED, EVENT_TYPE_DELETED, EVENT_TYPE_MODIFIED, EVENT_TYPE_MOVED})
_CHANGED_BY = (FileCreatedEvent, FileDeletedEvent, FileModifiedEvent, FileMovedEvent)
