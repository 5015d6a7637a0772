"""Search at scale: a large site's search answered from Pagefind's index.

Material's search hands every page the whole index: 24.6 MB at 10,000
records, 13–15 s from typing to the first result in Chromium. Pagefind
(a registry package with its own binary) writes an index in chunks, and a
query fetches only the chunks it needs (0.3 MB, about a second). Its module
cannot load from ``file://``, so both are kept:

- ``pagefind/``: Pagefind's index of the built pages;
- ``search/search_index.json`` (what a page over http fetches): the config
  alone, no documents;
- ``search/search_index.js`` (what a page from ``file://`` loads, written by
  Material's offline plugin): the whole index, as before;
- Material's search worker, with a prelude that answers from Pagefind when
  it is handed no documents and otherwise leaves the answer to Material's
  own code (``templates/assets/search-worker.js``).

Built by ``briefing build`` (the plugin's last post-build step), not by
``serve``, whose pages keep Material's index.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import time
from pathlib import Path

from generator.errors import BriefingError

log = logging.getLogger(__name__)

# "auto" turns Pagefind on from this many pages: below it Material's index
# is small enough (about 2.5 MB at 1,000 records, first result in about a
# second) and answers from file:// as well.
AUTO_FROM = 2000
ROOT_SELECTOR = "article.md-content__inner"  # the page's own text: not the navigation, header or footer
EXCLUDED = ".headerlink, svg, script, style"  # permalink signs, maps and graphs, scripts
WORKERS = "assets/javascripts/workers"
PRELUDE = "assets/search-worker.js"


def wanted(mode: str, pages: int) -> bool:
    """Whether a site of ``pages`` pages is searched with Pagefind."""
    return mode == "pagefind" or (mode == "auto" and pages >= AUTO_FROM)


def write_index(site: Path, prelude: Path, directory_urls: bool) -> bool:
    """Index the built site with Pagefind and point its search there; False
    (and the site as it was) when the site has no Material search to
    answer for (another theme, or no search plugin)."""
    workers = sorted((site / WORKERS).glob("search.*.js"))
    index = site / "search" / "search_index.json"
    if len(workers) != 1 or not index.is_file():
        log.info("no Material search in %s: no Pagefind index", site)
        return False
    start = time.perf_counter()
    _index(site, directory_urls)
    log.info("Pagefind indexed the site's pages for search in %.1f s", time.perf_counter() - start)
    worker, ours = workers[0], prelude.read_text(encoding="utf-8")
    theirs = worker.read_text(encoding="utf-8")
    if not theirs.startswith(ours):  # the engine's dirty build into a site leaves the file it copied before
        worker.write_text(ours + theirs, encoding="utf-8")
    # Over http the page fetches this file and hands it to the worker:
    # with no documents, the worker answers from Pagefind.
    config = json.loads(index.read_text(encoding="utf-8"))["config"]
    index.write_text(json.dumps({"config": config, "docs": []}, ensure_ascii=False, separators=(",", ":")),
                     encoding="utf-8")
    return True


def _index(site: Path, directory_urls: bool) -> None:
    """Pagefind's command over the written pages, one index per language
    the pages declare (deterministic: the same pages give the same files)."""
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--output-subdir", "pagefind",
               "--root-selector", ROOT_SELECTOR, "--exclude-selectors", EXCLUDED, "--quiet"]
    if not directory_urls:  # pages link to folder/index.html (from file:// too): results as well
        command.append("--keep-index-url")
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise BriefingError(f"Pagefind could not be run ({exc}); install briefing's dependencies again") from None
    if done.returncode != 0 or not (site / "pagefind" / "pagefind.js").is_file():
        said = " ".join(dict.fromkeys((done.stderr or done.stdout).split("\n"))).strip()  # it says each line 4 times
        raise BriefingError(f"Pagefind could not index the site (exit {done.returncode}): {said}"
                            " (set the briefing plugin's search_index: material to build without it)")
