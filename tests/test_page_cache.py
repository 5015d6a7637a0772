"""The page cache (generator.page_cache): a build after edits, with the
pages an earlier build left, gives the same bytes as a clean build; the
cache is used, and a damaged, tampered or foreign cache changes nothing but
the time."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest_site import site_files

from bench.synth import generate
from generator import listing_parts
from generator.build import build_site
from generator.page_cache import CACHE_DIR
from generator.templating import default_templates

Edit = Callable[[Path], None]


def _set(rel: str, key: str, value: str) -> Edit:
    def edit(root: Path) -> None:
        path = root / "briefings" / rel
        lines = path.read_text(encoding="utf-8").splitlines()
        assert any(line.startswith(f"{key}:") for line in lines)
        lines = [f'{key}: "{value}"' if line.startswith(f"{key}:") else line for line in lines]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return edit


def _add_source(root: Path) -> None:
    (root / "briefings" / "sources" / "source-new.yaml").write_text(
        'title: "A new report"\npublisher: Outlet 9\npublished: 2023-12-02\nkind: news-report\n', encoding="utf-8")


def _remove_source(root: Path) -> None:
    (root / "briefings" / "sources" / "source-new.yaml").unlink()


def _cite_new_source(root: Path) -> None:
    path = root / "briefings" / "claims" / "claim-00003.yaml"
    text = path.read_text(encoding="utf-8")
    head, _, rest = text.partition("sources: [")
    path.write_text(f"{head}sources: [source-new, {rest}", encoding="utf-8")


# An analyst's day: an event retitled (its neighbours, the timeline, a
# claim's JSON-LD two steps away change), a claim restated, a source added,
# cited, then removed again along with its citation.
EDITS: list[tuple[str, list[Edit]]] = [
    ("retitle-event", [_set("events/event-00010.yaml", "title", "Shelling <near> the line & more")]),
    # To another month: out of one part of the long listings and into another.
    ("redate-event", [_set("events/event-00011.yaml", "date", "2023-02-03T10:00+04:00")]),
    ("restate-claim", [_set("claims/claim-00011.yaml", "statement", "A revised claim")]),
    ("add-source", [_add_source]),
    ("cite-source", [_cite_new_source]),
]


def _clean_build(root: Path, site: Path) -> dict[str, bytes]:
    """A build with no cache at all; the cache put back as it was."""
    cache = root / CACHE_DIR
    aside = root / ".cache-aside"
    if cache.exists():
        cache.rename(aside)
    try:
        assert build_site(root, progress=lambda _: None, site_dir=site).ok
    finally:
        shutil.rmtree(cache, ignore_errors=True)
        if aside.exists():
            aside.rename(cache)
    return site_files(site)


def _cached_pages(root: Path, site: Path) -> int:
    """How many of the site's pages are the cache's own files (linked)."""
    inodes = {p.stat().st_ino for p in (root / CACHE_DIR).glob("*/html/*.html")}
    return sum(1 for p in site.rglob("*.html") if p.stat().st_ino in inodes)


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    generate(root, 60)
    return root


@pytest.mark.parametrize("part_rows", [None, 6], ids=["one-page-listings", "listings-in-parts"])
def test_cached_builds_equal_clean_builds_edit_after_edit(corpus: Path, tmp_path: Path, part_rows: int | None,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    if part_rows is not None:
        monkeypatch.setattr(listing_parts, "PART_ROWS", part_rows)
    assert build_site(corpus, progress=lambda _: None, site_dir=tmp_path / "first").ok
    pages = len(list((tmp_path / "first").rglob("*.html")))
    parts = list((tmp_path / "first").glob("timeline/*.html"))
    assert bool(parts) == (part_rows is not None)
    # The exports' objects are kept too, and used by every build below.
    assert list((corpus / CACHE_DIR).glob("*/exports.pickle"))
    for name, edits in EDITS:
        for edit in edits:
            edit(corpus)
        cached = tmp_path / f"cached-{name}"
        assert build_site(corpus, progress=lambda _: None, site_dir=cached).ok
        reused = _cached_pages(corpus, cached)
        got = site_files(cached)
        want = _clean_build(corpus, tmp_path / f"clean-{name}")
        assert got.keys() == want.keys(), name
        differ = [path for path in want if got[path] != want[path]]
        assert differ == [], f"{name}: the cached build differs from a clean one in {differ[:5]}"
        # The cache did the work: most pages came from it, not the engine.
        assert reused > pages // 2, f"{name}: only {reused} of {pages} pages were reused"
    _remove_source(corpus)
    _cite_new_source_undo(corpus)
    assert build_site(corpus, progress=lambda _: None, site_dir=tmp_path / "last").ok
    assert site_files(tmp_path / "last") == _clean_build(corpus, tmp_path / "last-clean")


def test_a_template_touched_keeps_what_pages_read(corpus: Path, tmp_path: Path) -> None:
    """A template touched (its content the same) renders every page again
    and the engine still reuses their HTML; what each page's JSON-LD holds
    must survive that, or a later edit two references away is missed."""
    override = corpus / "templates" / "claim.md.j2"
    override.parent.mkdir()
    shutil.copyfile(default_templates() / "claim.md.j2", override)
    # Each build its own process, as an editor runs them (the cache is what
    # carries over, nothing held in memory).
    _build(corpus, tmp_path / "first")
    stamp = override.stat().st_mtime_ns + 10**9
    os.utime(override, ns=(stamp, stamp))
    assert "87 of 87 pages from the page cache" in _build(corpus, tmp_path / "touched")
    _set("events/event-00010.yaml", "title", "Retitled after the touch")(corpus)
    _build(corpus, tmp_path / "edited")
    got = site_files(tmp_path / "edited")
    want = _clean_build(corpus, tmp_path / "clean")
    assert [path for path in want if got.get(path) != want[path]] == []


def _build(corpus: Path, site: Path) -> str:
    """`briefing build` in a process of its own; what it said."""
    briefing = Path(sys.executable).parent / "briefing"
    done = subprocess.run([str(briefing), "build", "-C", str(corpus), "-d", str(site)], capture_output=True,
                          text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout + done.stderr


def _cite_new_source_undo(root: Path) -> None:
    path = root / "briefings" / "claims" / "claim-00003.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("sources: [source-new, ", "sources: ["),
                    encoding="utf-8")


def test_a_damaged_cache_is_rebuilt(corpus: Path, tmp_path: Path) -> None:
    assert build_site(corpus, progress=lambda _: None, site_dir=tmp_path / "first").ok
    want = site_files(tmp_path / "first")
    # A cached page edited in place (a deploy step minifying site/ would do
    # this through the shared file): not used, and the page is made again.
    html = sorted((corpus / CACHE_DIR).glob("*/html/*.html"))
    html[0].write_bytes(html[0].read_bytes().replace(b"<body", b"<body data-tampered"))
    # Another lost outright.
    html[1].unlink()
    assert build_site(corpus, progress=lambda _: None, site_dir=tmp_path / "second").ok
    assert site_files(tmp_path / "second") == want
    # A state file cut short: a clean build, and a good cache again after it.
    state = next((corpus / CACHE_DIR).glob("*/state.pickle"))
    state.write_bytes(state.read_bytes()[: len(state.read_bytes()) // 2])
    assert build_site(corpus, progress=lambda _: None, site_dir=tmp_path / "third").ok
    assert site_files(tmp_path / "third") == want
    assert build_site(corpus, progress=lambda _: None, site_dir=tmp_path / "fourth").ok
    assert _cached_pages(corpus, tmp_path / "fourth") > len(want) // 4


class _Planted:
    """What a hostile corpus could commit as its cache: unpickling it runs code."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Callable[..., object], tuple[str, str]]:
        return (os.rename, (str(self.marker) + ".absent", str(self.marker)))


def test_a_cache_this_user_did_not_sign_is_not_unpickled(corpus: Path, tmp_path: Path) -> None:
    assert build_site(corpus, progress=lambda _: None, site_dir=tmp_path / "first").ok
    state = next((corpus / CACHE_DIR).glob("*/state.pickle"))
    marker = tmp_path / "ran"
    Path(str(marker) + ".absent").write_text("", encoding="utf-8")
    state.write_bytes(b"\0" * 32 + pickle.dumps(_Planted(marker)))
    result = build_site(corpus, progress=lambda _: None, site_dir=tmp_path / "second")
    assert result.ok
    assert not marker.exists(), "a state file this user's builds did not write was unpickled"
    assert site_files(tmp_path / "second") == site_files(tmp_path / "first")


def test_an_edit_that_keeps_the_files_time_and_size_is_seen(corpus: Path, tmp_path: Path) -> None:
    """Checked records are kept by their files' bytes: an edit restored with
    the file's old time (an archive, a copy keeping times) is still read."""
    assert build_site(corpus, progress=lambda _: None, site_dir=tmp_path / "first").ok
    path = corpus / "briefings" / "events" / "event-00010.yaml"
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title: "))
    same_length = 'title: "' + "Z" * (len(title) - len('title: ""')) + '"'
    path.write_text(text.replace(title, same_length), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    assert build_site(corpus, progress=lambda _: None, site_dir=tmp_path / "second").ok
    page = tmp_path / "second" / "events" / "event-00010.html"
    assert "Z" * 12 in page.read_text(encoding="utf-8")
    assert site_files(tmp_path / "second") == _clean_build(corpus, tmp_path / "clean")
