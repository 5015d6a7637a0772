"""Helpers for the browser, live-reload and build tests (test_browser.py, test_serve.py, ...).

Not a conftest: the test modules import what they need from here. Chromium is
Debian's (/usr/bin/chromium), driven by Playwright through ``executable_path``;
no browser is ever downloaded and no request may leave 127.0.0.1.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium tries to reach the network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_SCHEMES = ("data:", "blob:", "about:")


def record(kind_folder: str, rid: str, root: Path = REPO) -> dict[str, Any]:
    """A record of the corpus, as YAML data (the expected values come from here)."""
    data = yaml.safe_load((root / "briefings" / kind_folder / f"{rid}.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def site_files(site: Path) -> dict[str, bytes]:
    """Every file of a built folder, by its path in it: two builds compared byte for byte."""
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def copy_corpus(dest: Path, source: Path = REPO) -> Path:
    """A corpus folder outside the repository: its records and mkdocs.yml, nothing else."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(source / "briefings", dest / "briefings")
    shutil.copy(source / "mkdocs.yml", dest / "mkdocs.yml")
    return dest


def make_corpus(dest: Path, source: Path) -> Path:
    """A corpus folder outside the repository: ``source``'s records (a golden
    corpus has no mkdocs.yml of its own) and the repository's mkdocs.yml."""
    shutil.copytree(source / "briefings", dest / "briefings")
    shutil.copy(REPO / "mkdocs.yml", dest / "mkdocs.yml")
    return dest


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve_directory(directory: Path) -> Iterator[str]:
    """Serve a folder over http on 127.0.0.1 (a free port); yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's Chromium, headless, through Playwright."""
    assert Path(CHROMIUM).is_file(), f"{CHROMIUM} is missing: apt-get install chromium"
    with sync_playwright() as p:
        browser = launch(p)
        try:
            yield browser
        finally:
            browser.close()


def launch(p: Playwright) -> Browser:
    return p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


H1_TEXT = """() => {
  const h1 = document.querySelector("article h1");
  if (!h1) return null;
  const copy = h1.cloneNode(true);
  copy.querySelectorAll(".headerlink").forEach((a) => a.remove());
  return copy.textContent.trim();
}"""


def h1_text(page: Page) -> str | None:
    """The page's title (its h1) without Material's permalink sign."""
    text: str | None = page.evaluate(H1_TEXT)
    return text
