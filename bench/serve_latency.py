"""Time from saving an edited record to its rebuilt page being served.

Starts `briefing serve` on a corpus, edits one event's title, and polls the
event's page over HTTP until the new title is served. Runs --edits times,
prints each delay.
"""

from __future__ import annotations

import argparse
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # loopback only
            return str(response.read().decode("utf-8"))
    except OSError:
        return ""


def wait_for(predicate: object, timeout: float, step: float = 0.01) -> float:
    """Seconds until predicate() is true; raises TimeoutError past timeout."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if predicate():  # type: ignore[operator]
            return time.perf_counter() - start
        time.sleep(step)
    raise TimeoutError(f"not within {timeout} s")


def middle_event(root: Path) -> Path:
    """The record an edit is made to: an event in the middle of the corpus."""
    events = sorted((root / "briefings" / "events").glob("*.yaml"))
    return events[len(events) // 2]


def with_title(text: str, title: str) -> str:
    """A record's text retitled, as an analyst would."""
    return re.sub(r"^title: .*$", f'title: "{title}"', text, count=1, flags=re.MULTILINE)


def measure(root: Path, edits: int = 3, timeout: float = 120.0, first: float = 1800.0,
            log: Path | None = None, pause: float = 0.5) -> list[float]:
    """Delays (s) from saving an edit to the new page being served. The
    first build waits up to ``first`` s: without a page cache, `serve`'s
    first build of 10,000 records takes minutes on one core. ``log``: where
    the server's log goes (each rebuild's phases are in it); ``pause``: the
    seconds between one edit served and the next saved."""
    event = middle_event(root)
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "generator", "serve", "-C", str(root), "-a", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL if log is None else log.open("w", encoding="utf-8"))
    url = f"http://127.0.0.1:{port}/events/{event.stem}.html"
    delays = []
    try:
        wait_for(lambda: "<h1" in fetch(url), first, step=0.2)
        text = event.read_text(encoding="utf-8")
        for i in range(edits):
            marker = f"Edited title {i} {time.time_ns()}"
            edited = with_title(text, marker)
            start = time.perf_counter()
            event.write_text(edited, encoding="utf-8")
            wait_for(lambda m=marker: m in fetch(url), timeout)
            delays.append(time.perf_counter() - start)
            time.sleep(pause)  # let the server settle between edits
        event.write_text(text, encoding="utf-8")
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return delays


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("root", type=Path)
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--log", type=Path, help="write the server's log here")
    parser.add_argument("--pause", type=float, default=0.5, help="seconds between one edit served and the next")
    args = parser.parse_args()
    print(" ".join(f"{d:.3f}" for d in measure(args.root, args.edits, log=args.log, pause=args.pause)))
