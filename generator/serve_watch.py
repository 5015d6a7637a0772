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
    FileModifiedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, EventEmitter

log = logging.getLogger("briefing")


def notify_records(server: LiveReloadServer, config: MkDocsConfig) -> BaseObserver | None:
    """The engine polls every file it watches twice a second: at 10,000
    records a scan takes a tenth of a second of the server's own process,
    and sees a save up to half a second late. The corpus folder is
    watched by the system's notifications instead (inotify on Linux;
    watchdog's Observer picks each system's own), and each change is
    handed to the engine through its watch of mkdocs.yml, as that watch
    would hand it over."""
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
    observer.schedule(_Relay(relay, config_file), os.path.abspath(config.docs_dir), recursive=True)
    observer.start()
    return observer


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

    def __init__(self, emitter: EventEmitter, config_file: str) -> None:
        super().__init__()
        self.emitter, self.config_file = emitter, config_file

    def on_any_event(self, event: FileSystemEvent) -> None:
        # Not a file merely opened or closed: a build reads the records, and
        # that must not ask for another build.
        if not event.is_directory and event.event_type in _CHANGES:
            log.debug("%s: rebuilding", event)
            self.emitter.queue_event(FileModifiedEvent(self.config_file))


_CHANGES = frozenset({EVENT_TYPE_CREATED, EVENT_TYPE_DELETED, EVENT_TYPE_MODIFIED, EVENT_TYPE_MOVED})
