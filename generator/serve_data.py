"""The data files during ``serve``: made again in the background once edits
pause, so that an edit's pages are not held up by the exports (a second
or more of STIX and FollowTheMoney at a thousand records, several at
10,000, on a core the next rebuild would otherwise share).

The files live in a scratch folder kept for the server's life; the engine
publishes them from there (so the data page's links resolve, and a broken
corpus keeps the last good files), and each refresh also writes them
straight into the served site. A refresh that a newer rebuild has
overtaken writes nothing.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from pathlib import Path

from generator.export_context import DATA_DIR
from generator.exports import write_export
from generator.staging import scratch

log = logging.getLogger("briefing")

Make = Callable[[], dict[str, bytes]]

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

    def first(self, make: Make) -> None:
        """The first build waits for its files: there are none to serve yet."""
        files = make()
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
        not to take a core from it; they are made then, unless it brings its own."""
        timer, self._timer = self._timer, None
        if timer is None:
            return
        timer.cancel()
        if self._pending is None and self._waiting is not None:  # not begun: made after this rebuild
            self._pending = self._waiting

    def _refresh(self, generation: int, make: Make, site_dir: Path) -> None:
        self._waiting = None
        try:
            files = make()
        except Exception:  # a bug: the pages are served; the data stay as they were
            log.exception("briefing could not make the data files")
            return
        with self._lock:
            if generation != self._generation:
                return  # a newer rebuild has its own refresh coming
            write_export(files, self.folder)
            write_export(files, site_dir / DATA_DIR)
            log.info("data files made again (%d)", len(files))

    def close(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._stack.close()
