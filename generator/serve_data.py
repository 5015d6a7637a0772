"""The data files during ``serve``: made again in the background once edits
pause, so that an edit's pages are not held up by the exports (a second
or more of STIX and FollowTheMoney at a thousand records, several at
10,000, on a core the next rebuild would otherwise share).

The files live in a scratch folder kept for the server's life; the engine
publishes them from there (so the data page's links resolve, and a broken
corpus keeps the last good files), and each refresh also writes them
straight into the served site. A refresh that a newer rebuild has
overtaken writes nothing; one under way when an edit comes is stopped (at
10,000 records the exports take longer than an analyst's pause between
saves, and refreshes that no one would see had piled up, one more core
busy at each save), and made again once edits pause.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path

from generator.export_context import DATA_DIR
from generator.exports import write_export
from generator.staging import scratch
from generator.workers import stop

log = logging.getLogger("briefing")

Make = Callable[[], "Future[dict[str, bytes]]"]  # the files, made in a worker (generator.exports)

QUIET_S = 2.0  # seconds without a rebuild before the data files are made again


class ServedData:
    """The data files of the last good corpus, for one ``serve``."""

    def __init__(self) -> None:
        self._stack = contextlib.ExitStack()
        self.folder = self._stack.enter_context(scratch("data"))
        self.paths: tuple[str, ...] = ()
        self._generation = 0
        self._lock = threading.Lock()
        self._pending: tuple[int, Make] | None = None
        self._timer: threading.Timer | None = None
        self._waiting: tuple[int, Make] | None = None  # what the timer will make
        self._running: tuple[int, Make, Future[dict[str, bytes]]] | None = None  # what a worker is making

    def first(self, make: Make) -> None:
        """The first build waits for its files: there are none to serve yet."""
        files = make().result()
        write_export(files, self.folder)
        self.paths = tuple(files)

    def later(self, make: Make) -> None:
        """A rebuild: its files are made after its pages are served (``start``)."""
        self._generation += 1
        self._pending = (self._generation, make)

    def start(self, site_dir: Path, quiet: float = QUIET_S) -> threading.Timer | None:
        """Make the pending files in the background, into the folder and
        the site, once ``quiet`` seconds pass without another rebuild (whose
        own files would replace them)."""
        with self._lock:
            if self._pending is None:  # a rebuild that kept the last good pages: their files are coming
                return None
            if self._timer is not None:  # overtaken: it would write nothing
                self._timer.cancel()
            generation, make = self._waiting = self._pending
            self._pending = None
            self._timer = threading.Timer(quiet, self._refresh, args=(generation, make, site_dir))
            self._timer.daemon, self._timer.name = True, "briefing-data"
            self._timer.start()
            return self._timer

    def hold(self) -> None:
        """A rebuild has begun: the files wait until it is done (``start``),
        not to take a core from it, and a refresh under way is stopped; they
        are made then, unless the rebuild brings its own."""
        with self._lock:
            timer, running = self._timer, self._running
            self._timer = self._running = None
            if timer is not None:
                timer.cancel()
            if self._pending is None:  # not begun, or stopped: made after this rebuild
                self._pending = self._waiting or (running[:2] if running is not None else None)
            self._waiting = None
        if running is not None:
            stop(running[2])
            log.debug("data files: the refresh under way stopped for a rebuild")

    def _refresh(self, generation: int, make: Make, site_dir: Path) -> None:
        with self._lock:
            if self._waiting is None or self._waiting[0] != generation:
                return  # held since the timer fired
            self._waiting = None
            running = self._running = (generation, make, make())
        try:
            files = running[2].result()
        except Exception:
            if self._running is running:  # a bug: the pages are served; the data stay as they were
                log.exception("briefing could not make the data files")
            return  # else stopped by a rebuild, which makes them again
        with self._lock:
            if self._running is not running or generation != self._generation:
                return  # a newer rebuild has its own refresh coming
            self._running = None
            write_export(files, self.folder)
            write_export(files, site_dir / DATA_DIR)
            log.info("data files made again (%d)", len(files))

    def close(self) -> None:
        with self._lock:
            timer, running = self._timer, self._running
            self._timer = self._running = None
        if timer is not None:
            timer.cancel()
        if running is not None:
            stop(running[2])
        self._stack.close()
