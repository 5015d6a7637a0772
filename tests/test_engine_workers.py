"""The engine's page loop on two cores (generator.engine_workers): a build
whose worker built every other page is the build one process makes, byte for
byte (search index, JSON-LD and the page cache's reads included); the
worker's warnings and its pages' anchors are checked as the engine's own;
a worker that fails costs only time."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest_site import site_files

from bench.synth import generate
from generator import engine_workers, plugin
from generator.build import BuildResult, build_site
from generator.page_cache import CACHE_DIR
from generator.pipeline import Prepared, Session

OWN = os.getpid()


def _build(root: Path, site: Path, parallel: bool, monkeypatch: pytest.MonkeyPatch,
           fresh: bool = True) -> BuildResult:
    """A build of ``root``, its engine's pages shared with a worker or not
    (and with no page cache, unless ``fresh`` is False)."""
    if fresh:
        shutil.rmtree(root / CACHE_DIR, ignore_errors=True)
    monkeypatch.setattr(engine_workers, "cores", lambda: 2)  # whatever this machine has
    monkeypatch.setattr(engine_workers, "PARALLEL_FROM", 1 if parallel else 10**9)
    return build_site(root, progress=lambda _: None, site_dir=site)


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    generate(root, 60)
    return root


@pytest.fixture()
def noted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A file naming each page a worker built (its memory is its own)."""
    log = tmp_path / "built-by"
    build_page = engine_workers._build_page

    def noting(page: Any, *args: Any, **kwargs: Any) -> None:
        build_page(page, *args, **kwargs)
        with log.open("a", encoding="utf-8") as out:
            out.write(f"{os.getpid()} {page.file.src_uri}\n")

    monkeypatch.setattr(engine_workers, "_build_page", noting)
    yield log


def _by_worker(log: Path) -> set[str]:
    lines = log.read_text(encoding="utf-8").split("\n") if log.exists() else []
    return {line.split(" ", 1)[1] for line in lines if line and int(line.split(" ", 1)[0]) != OWN}


def test_a_worker_builds_half_the_pages_and_the_site_is_the_same(corpus: Path, tmp_path: Path, noted: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    assert _build(corpus, tmp_path / "serial", False, monkeypatch).ok
    serial = site_files(tmp_path / "serial")
    assert _build(corpus, tmp_path / "shared", True, monkeypatch).ok
    shared = site_files(tmp_path / "shared")
    pages = [p for p in serial if p.endswith(".html")]
    by_worker = _by_worker(noted)
    # Every other page outside the navigation; the navigation's stay.
    assert len(pages) // 3 < len(by_worker) < len(pages) // 2 + 1, (len(by_worker), len(pages))
    assert "index.md" not in by_worker and "timeline.md" not in by_worker
    assert shared.keys() == serial.keys()
    assert [p for p in serial if shared[p] != serial[p]] == []
    # The search index holds the worker's pages, in the engine's order.
    assert b"events/event-00010" in shared["search/search_index.json"]


def test_what_a_workers_pages_read_is_kept_for_the_next_build(corpus: Path, tmp_path: Path, noted: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A record page's JSON-LD reads records two steps away; the worker's
    pages' reads reach the page cache, so an edit to such a record renders
    the page again, as a serial clean build shows it."""
    assert _build(corpus, tmp_path / "first", True, monkeypatch).ok
    assert _by_worker(noted)
    event = corpus / "briefings" / "events" / "event-00010.yaml"
    event.write_text(re.sub(r"(?m)^title: .*$", 'title: "Retitled <event> & more"',
                            event.read_text(encoding="utf-8")), encoding="utf-8")
    assert _build(corpus, tmp_path / "cached", True, monkeypatch, fresh=False).ok
    assert _build(corpus, tmp_path / "clean", False, monkeypatch).ok
    cached, clean = site_files(tmp_path / "cached"), site_files(tmp_path / "clean")
    assert [p for p in clean if cached.get(p) != clean[p]] == []
    assert any(b"Retitled &lt;event&gt; &amp; more" in clean[p] for p in clean if p.startswith("claims/"))


def _with_broken_links(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every record page links to a page that does not exist and to an
    anchor that its hub does not have."""
    render = plugin.render_site

    def broken(prepared: Prepared, root: Path, session: Session | None = None) -> dict[str, str]:
        pages = render(prepared, root, session)
        return {path: text + ("\n[gone](../no-such-page.md) [nowhere](index.md#no-such-anchor)\n"
                              if re.fullmatch(r"[a-z]+/[a-z]+-\d+\.md", path) else "")
                for path, text in pages.items()}

    monkeypatch.setattr(plugin, "render_site", broken)


def _warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return sorted(r.getMessage() for r in caplog.records if r.levelname == "WARNING"
                  and ("no-such-page" in r.getMessage() or "no-such-anchor" in r.getMessage()))


def test_a_workers_warnings_and_anchors_are_checked_as_the_engines(corpus: Path, tmp_path: Path, noted: Path,
                                                                   monkeypatch: pytest.MonkeyPatch,
                                                                   caplog: pytest.LogCaptureFixture) -> None:
    _with_broken_links(monkeypatch)
    with (corpus / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write("validation:\n  anchors: warn\n")  # as the sample's
    serial = _build(corpus, tmp_path / "serial", False, monkeypatch)
    serial_warnings = _warnings(caplog)
    caplog.clear()
    shared = _build(corpus, tmp_path / "shared", True, monkeypatch)
    assert _by_worker(noted)
    assert not serial.ok and not shared.ok
    # The same count of warnings fails strict mode.
    aborted = [re.search(r"Aborted with \d+ warnings", r.error) for r in (serial, shared)]
    assert aborted[0] is not None and aborted[1] is not None, shared.error
    assert aborted[0].group() == aborted[1].group()
    # Each said once, the worker's pages' among them: links to missing pages
    # (said in the worker) and to missing anchors (checked after the loop).
    assert _warnings(caplog) == serial_warnings
    assert sum("no-such-anchor" in w for w in serial_warnings) == sum("no-such-page" in w for w in serial_warnings) > 1
    assert not (tmp_path / "shared").exists()


def test_a_failed_worker_costs_only_time(corpus: Path, tmp_path: Path, noted: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    populate: Callable[..., None] = engine_workers._populate_page

    def failing_in_a_worker(page: Any, *args: Any, **kwargs: Any) -> None:
        if os.getpid() != OWN:
            raise RuntimeError("the worker fails")
        populate(page, *args, **kwargs)

    monkeypatch.setattr(engine_workers, "_populate_page", failing_in_a_worker)
    assert _build(corpus, tmp_path / "serial", False, monkeypatch).ok
    assert _build(corpus, tmp_path / "shared", True, monkeypatch).ok
    assert _by_worker(noted) == set()  # it built nothing; this process built its pages
    assert noted.read_text(encoding="utf-8").count("\n") > 20
    assert site_files(tmp_path / "shared") == site_files(tmp_path / "serial")


def test_a_failed_build_stops_its_worker(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The engine's own process fails on a page while the worker is
    building: the worker is stopped before the build returns, and no
    folder is left behind."""
    import mkdocs.commands.build as engine_build

    shares: list[engine_workers.EngineShare] = []
    start = engine_workers.EngineShare.start

    def noted_start(*args: Any, **kwargs: Any) -> engine_workers.EngineShare | None:
        share = start(*args, **kwargs)
        if share is not None:
            shares.append(share)
        return share

    def full_disk(page: Any, *args: Any, **kwargs: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(engine_workers.EngineShare, "start", noted_start)
    monkeypatch.setattr(engine_build, "_build_page", full_disk)  # the engine's loop; the worker has its own
    result = _build(corpus, tmp_path / "site", True, monkeypatch)
    assert not result.ok and "No space left on device" in result.error
    assert len(shares) == 1 and not shares[0].process.is_alive()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus"]


def _page(path: str, lines: int) -> Any:
    """A page as ``share_of`` sees it: its path and its Markdown."""
    file = type("F", (), {"src_uri": path, "content_string": "row\n" * lines})()
    return type("P", (), {"file": file})()


def test_a_quick_rebuild_shares_about_half_its_markdown_and_no_page_of_the_navigation() -> None:
    pages = [_page("timeline/2023-07.md", 570), _page("events/index/2023-07.md", 288), _page("index.md", 40),
             _page("topics/x/2023-07.md", 212), *(_page(f"events/e{i}.md", 58) for i in range(3))]
    theirs = engine_workers.share_of(pages, in_nav={"index.md"})
    lines = {p.file.src_uri: p.file.content_string.count("\n") for p in pages}
    there = sum(lines[p.file.src_uri] for p in theirs)
    assert "index.md" not in {p.file.src_uri for p in theirs}
    assert abs(there - (sum(lines.values()) - there)) <= max(lines.values())  # about half: no page could move
    assert 0 < len(theirs) < len(pages)
    # A rebuild too small to pay for a fork is built in one process.
    assert engine_workers.share_of([_page("a.md", 50), _page("b.md", 50)], in_nav=set()) == []
    # Rows of HTML, which the engine passes through, cost half a line each, their cells nothing:
    # 600 rows (1,800 lines) and 50 lines of Markdown are still too small.
    table = type("F", (), {"src_uri": "events/index/2023-07.md", "content_string": "<tr>\n<td>x</td>\n</tr>\n" * 600})()
    assert engine_workers.share_of([type("P", (), {"file": table})(), _page("b.md", 50)], in_nav=set()) == []
