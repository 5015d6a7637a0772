"""What the briefing plugin sets in the engine's configuration, and the date
the engine gives every page.

The plugin's ``on_config`` hands the config here: the site's navigation
unless mkdocs.yml has its own, the Markdown extensions the pages are written
for, the site's stylesheet and script, Material's search separator, and a
local polyfill for search from ``file://``.
"""

from __future__ import annotations

import logging

from mkdocs.config.defaults import MkDocsConfig

from generator.link import Corpus
from generator.model import Brief
from generator.pipeline import SHIM
from generator.render import nav

REQUIRED_EXTENSIONS = ("tables", "attr_list", "admonition", "md_in_html", "toc")


def adjusted(config: MkDocsConfig) -> MkDocsConfig:
    """The engine's config with what the briefing pages need."""
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
    _search_separator(config)
    # A local iframe-worker (search from file://) so that Material's
    # offline plugin does not add its CDN copy.
    polyfills = config.extra.setdefault("polyfills", [])
    if not any("iframe-worker" in str(p) for p in polyfills):
        polyfills.append(SHIM)
    return config


# The sitemap's date is also the mtime MkDocs writes into sitemap.xml.gz,
# which holds 32-bit seconds since 1970: a corpus dated outside that span
# (a brief as of the year 1, or 9999) is dated at its edge there.
_SITEMAP_SPAN = ("1970-01-01", "2106-02-06")


def corpus_date(corpus: Corpus) -> str:
    """The corpus' own date: the latest as-of of its briefs (ISO day)."""
    dates = [e.model.as_of for e in corpus.of_kind("brief") if isinstance(e.model, Brief)]
    if not dates:
        return ""
    day = max(d.earliest for d in dates).date().isoformat()  # an as_of always has its time and zone
    return min(max(day, _SITEMAP_SPAN[0]), _SITEMAP_SPAN[1])


# Material splits words for search on white space and hyphens only, so that
# "(Khankendi)" is indexed with its parentheses and a search for Khankendi
# misses it. Records put names in parentheses, quotes and lists: split there too.
SEARCH_SEPARATOR = r"""[\s\-()\[\]{}"“”‘’«»,;:!?/]+"""


def _search_separator(config: MkDocsConfig) -> None:
    """Material's search splits words at punctuation too, unless mkdocs.yml
    sets a separator of its own (the search plugin reads it after us)."""
    for name in ("material/search", "search"):
        search = config.plugins.get(name)
        if search is not None and not search.config.get("separator"):
            search.config["separator"] = SEARCH_SEPARATOR
