"""A built site's search in headless Chromium: bytes and time to the first result.

Opens the site's home page over http (a local server) and from file://,
types a query into Material's search box as a user does, and measures from
the first key to the first result drawn, with every byte the page fetched
until then (the page itself included). Runs --runs times per address, each
in a fresh browser context (nothing cached), and prints each run.

    .venv/bin/python bench/search_latency.py SITE --query Khankendi
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from conftest_site import chromium, serve_directory  # type: ignore[import-not-found]  # noqa: E402  (the tests' own)
from playwright.sync_api import Browser, Response  # noqa: E402

CEILING_MS = 300_000  # the slowest index measured took 15 s: a ceiling, not a target


def one_search(browser: Browser, address: str, query: str) -> tuple[float, float, str]:
    """(seconds from the first key to the first result, MB fetched by then, what the count says)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(CEILING_MS)
    fetched: list[int] = []

    def counted(response: Response) -> None:
        if response.url.startswith("file://"):  # read from disk: its size
            path = Path(url2pathname(urlsplit(response.url).path))
            fetched.append(path.stat().st_size if path.is_file() else 0)
        else:  # the local server says each file's length
            fetched.append(int(response.headers.get("content-length", "0")))

    page = context.new_page()
    page.on("response", counted)
    try:
        page.goto(address, wait_until="load")
        box = page.locator("input.md-search__input")
        box.click()
        start = time.perf_counter()
        box.press_sequentially(query, delay=20)
        page.wait_for_selector(".md-search-result__item", timeout=CEILING_MS)
        seconds = time.perf_counter() - start
        return seconds, sum(fetched) / 2**20, page.locator(".md-search-result__meta").text_content() or ""
    finally:
        context.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path)
    parser.add_argument("--query", default="Khankendi")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--http-only", action="store_true", help="skip file:// (Material's whole index, slow at scale)")
    args = parser.parse_args()
    site = args.site.resolve()
    with chromium() as browser, serve_directory(site) as url:
        addresses = [("http", f"{url}/index.html"), ("file://", (site / "index.html").as_uri())]
        for name, address in addresses[:1] if args.http_only else addresses:
            for _ in range(args.runs):
                seconds, mb, results = one_search(browser, address, args.query)
                print(f"{name:8} first result after {seconds:6.2f} s, {mb:6.2f} MB fetched, {results}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
