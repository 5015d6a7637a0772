"""Each page's entries in Material's search index, taken as the engine builds
the page, so that the whole index can be put together in the engine's page
order from pages built in several processes, placed from the page cache, or
built by an earlier `serve` rebuild.

A `serve` quick rebuild defers the indexing itself (``SearchCapture.deferred``):
Material's search plugin parses each page's HTML before the page is written
(0.05-0.1 s a rebuild in each process at 10,000 records), yet the index is
written after the page is served, in a worker of its own. The page's text is
kept instead (``PageText``) and indexed in that worker, by the plugin's own
indexer; the page itself is written as Material writes it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

SearchEntries = list[dict[str, Any]]

# What Material's search plugin takes out of a page's HTML once it has
# indexed it (mkdocs-material 9.x, SearchPlugin.on_page_context).
_SEARCH_ATTRIBUTES = re.compile(r"\s?data-search-\w+=\"[^\"]+\"")


class Stored(Protocol):
    """A page placed from the page cache: its entries as JSON, one a line."""

    @property
    def search(self) -> tuple[str, ...]: ...


@dataclass(frozen=True, slots=True)
class PageText:
    """What Material's search plugin reads of a page to index it (the
    attributes of an engine page it reads), kept to be indexed later."""

    content: str
    toc: Any  # the page's table of contents (the engine's, plain objects)
    url: str
    title: str
    meta: dict[str, Any]


@dataclass(slots=True)
class SearchCapture:
    """The search index's entries of each page the engine builds, taken as
    they are added (Material's search plugin indexes a page just before it
    is written), so that a cached build can put the whole index together.
    ``usable`` is False under another search plugin, whose index this
    cannot put together: the page cache's HTML is then not used."""

    entries: list[dict[str, Any]] | None = None  # Material's search index, as it grows
    usable: bool = True
    # page path -> its entries, or its text while its indexing is deferred
    built: dict[str, SearchEntries | PageText] = field(default_factory=dict)
    seen: int = 0
    plugin: Any = None  # Material's search plugin
    made: dict[str, SearchEntries] = field(default_factory=dict)  # deferred pages indexed by ``merge``

    @classmethod
    def of(cls, config: Any) -> SearchCapture:
        plugins = [p for name, p in config.plugins.items() if name.split("/")[-1] == "search"]
        if not plugins:
            return cls()  # no search index to put together
        index = getattr(plugins[0], "search_index", None)
        entries = getattr(index, "entries", None)
        if type(plugins[0]).__module__.startswith("material.") and isinstance(entries, list):
            return cls(entries, seen=len(entries), plugin=plugins[0])
        return cls(usable=False)

    def took(self, path: str) -> None:
        """The entries added since the last page are this page's (a page
        whose indexing is deferred has its text kept already)."""
        if self.entries is not None and path not in self.built:
            self.built[path] = self.entries[self.seen:]
            self.seen = len(self.entries)

    @contextmanager
    def deferred(self, config: Any) -> Iterator[None]:
        """Within: Material's search plugin does not index the pages built
        (in this process and in the workers forked meanwhile); each page's
        text is kept for ``merge`` to index, and the page is written as
        the plugin leaves it."""
        steps = config.plugins.events["page_context"]
        own = [i for i, step in enumerate(steps) if getattr(step, "__self__", None) is self.plugin]
        if self.plugin is None or not own or not self.plugin.config.enabled:
            yield
            return
        kept = [steps[i] for i in own]
        for i in own:
            steps[i] = self._later
        try:
            yield
        finally:
            for i, step in zip(own, kept, strict=True):
                steps[i] = step

    def _later(self, context: Any, *, page: Any, config: Any, nav: Any) -> None:
        self.built[page.file.src_uri] = PageText(page.content, page.toc, page.url, page.title, dict(page.meta))
        page.content = _SEARCH_ATTRIBUTES.sub("", page.content)

    def entries_of(self, path: str, value: SearchEntries | PageText) -> SearchEntries:
        """A page's entries: as indexed, or indexed now from its text by
        Material's own indexer (noted in ``made``)."""
        if not isinstance(value, PageText):
            return value
        if path not in self.made:
            index = type(self.plugin.search_index)(**self.plugin.search_index.config)
            index.add_entry_from_context(value)
            self.made[path] = index.entries
        return self.made[path]

    def merge(self, order: list[str], stored: Mapping[str, Stored],
              earlier: dict[str, SearchEntries | PageText] | None = None) -> dict[str, SearchEntries]:
        """The index in the engine's page order: built pages' entries as
        indexed now, skipped pages' as stored with their HTML, or else as
        ``earlier`` holds them (an earlier `serve` rebuild's). Returns the
        entries by page."""
        if self.entries is None:
            return {}
        by_page: dict[str, SearchEntries] = {}
        for path in order:
            if path in self.built:
                by_page[path] = self.entries_of(path, self.built[path])
            elif (kept := stored.get(path)) is not None:
                by_page[path] = [json.loads(e) for e in kept.search]
            elif earlier is not None and path in earlier:
                by_page[path] = self.entries_of(path, earlier[path])
        self.entries[:] = [entry for entries in by_page.values() for entry in entries]
        # This is the whole index: Material's own merge with the previous
        # index on a dirty rebuild (which supposes one page rebuilt) is not done.
        if hasattr(self.plugin, "search_index_prev"):
            self.plugin.search_index_prev = None
        return by_page
