"""The parts of `serve`'s quick rebuild that need no server: which changes
it takes, the changes the watch hands it, the search index put together from
earlier rebuilds, and the data files made again once edits pause. (The
rebuild itself, in a running server, is in test_serve.py.)"""

from __future__ import annotations

import gc
import os
import re
import threading
import time
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from conftest_site import copy_corpus

from generator import serve_quick
from generator.search_entries import PageText, SearchCapture
from generator.serve_data import ServedData
from generator.serve_quick import LastBuild, Pending, Sharing
from generator.settings import load_engine_config
from generator.workers import forked


def last_build_of(root: Path) -> LastBuild | None:
    # Imported here, after generator (above), which picks the engine that
    # answers for mkdocs.*: imported first, MkDocs' own modules would keep
    # this whole test process on MkDocs, and its in-process builds with it.
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation

    config = load_engine_config(root, strict=False)
    return LastBuild.of(config, Files([]), Navigation([], []), config.theme.get_env())


def last_build(root: Path) -> LastBuild:
    built = last_build_of(root)
    assert built is not None, "the sample's plugins are search, briefing and offline"
    return built


def test_only_changes_within_the_corpus_that_publish_no_file_as_it_is_are_quick(tmp_path: Path) -> None:
    root = copy_corpus(tmp_path / "corpus")
    built = last_build(root)
    docs = str(root / "briefings")
    record, swap = f"{docs}/events/e.yaml", f"{docs}/events/.e.yaml.swp"
    assert built.holds(frozenset({record}))
    assert built.holds(frozenset({record, swap}))  # an editor's swap file is neither read nor published
    assert not built.holds(frozenset())  # a change the engine's own watch saw (a template, mkdocs.yml)
    assert not built.holds(frozenset({record, f"{docs}/media/map.png"}))  # published as it is
    assert not built.holds(frozenset({str(root / "templates" / "event.md.j2")}))
    config = root / "mkdocs.yml"
    os.utime(config, ns=(config.stat().st_atime_ns, config.stat().st_mtime_ns + 1_000_000_000))
    assert not built.holds(frozenset({record}))  # mkdocs.yml changed since the build
    # Named as the corpus reader names files, when the folder watched is the one it reads.
    assert built.records_changed(frozenset({record, swap}), root) == {"briefings/events/e.yaml",
                                                                      "briefings/events/.e.yaml.swp"}
    assert built.records_changed(frozenset({record}), tmp_path) is None  # no briefings/ there


def test_a_plugin_whose_build_steps_are_unknown_makes_every_rebuild_the_engines(tmp_path: Path) -> None:
    root = copy_corpus(tmp_path / "corpus")
    yml = root / "mkdocs.yml"
    yml.write_text(yml.read_text(encoding="utf-8").replace("  - offline", "  - offline\n  - tags"), encoding="utf-8")
    assert last_build_of(root) is None


def test_pending_changes_are_taken_once(tmp_path: Path) -> None:
    pending = Pending()
    pending.add(str(tmp_path / "a.yaml"), "")  # a move's destination, or none
    pending.add(str(tmp_path / "sub" / ".." / "b.yaml"))
    assert pending.take() == {str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml")}
    assert pending.take() == frozenset()


def test_the_index_keeps_earlier_rebuilds_entries_in_the_engines_order() -> None:
    entries: list[dict[str, Any]] = [{"location": "b.html", "title": "B, new"}]
    capture = SearchCapture(entries, seen=0)
    capture.took("b.md")
    earlier = {"a.md": [{"location": "a.html", "title": "A"}], "b.md": [{"location": "b.html", "title": "B, old"}],
               "gone.md": [{"location": "gone.html", "title": "Gone"}]}
    by_page = capture.merge(["a.md", "b.md", "c.md"], {}, earlier)
    assert [e["title"] for e in entries] == ["A", "B, new"]  # once each, in order; a page gone is gone
    assert list(by_page) == ["a.md", "b.md"]


def test_a_deferred_page_is_indexed_and_written_as_materials_search_plugin_does(tmp_path: Path) -> None:
    """A quick rebuild keeps each page's text for the index worker instead of
    having Material's search plugin parse it before the page is written: the
    entries made later, and the page as written, are the plugin's own."""
    config = load_engine_config(copy_corpus(tmp_path / "corpus"), strict=False)
    search = config.plugins["material/search"]
    search.on_config(config)
    html = ('<h1 id="ceasefire">Ceasefire</h1><p>Talks <em>began</em>.</p><h2 id="terms" data-search-exclude="true">'
            'Terms</h2><p>Not indexed.</p><h2 id="after">After</h2><p>Later.</p>')

    def page() -> Any:
        return SimpleNamespace(content=html, toc=[], url="events/ceasefire.html", title="Ceasefire",
                               meta={"search": {"boost": 2}}, file=SimpleNamespace(src_uri="events/ceasefire.md"))

    eager, deferred = page(), page()
    config.plugins.on_page_context({}, page=eager, config=config, nav=None)
    indexed = list(search.search_index.entries)
    assert [e["location"] for e in indexed] == ["events/ceasefire.html", "events/ceasefire.html#after"]
    capture = SearchCapture.of(config)
    with capture.deferred(config):
        config.plugins.on_page_context({}, page=deferred, config=config, nav=None)
    assert search.search_index.entries == indexed  # nothing indexed meanwhile
    assert deferred.content == eager.content != html  # written as the plugin leaves it
    capture.merge(["events/ceasefire.md"], {})
    assert capture.made == {"events/ceasefire.md": indexed} and search.search_index.entries == indexed
    config.plugins.on_page_context({}, page=page(), config=config, nav=None)  # the plugin's own step, back
    assert len(search.search_index.entries) == 2 * len(indexed)


def test_the_pages_of_a_failed_index_worker_are_indexed_by_the_next(tmp_path: Path,
                                                                     caplog: pytest.LogCaptureFixture) -> None:
    """A quick rebuild's pages keep their text until an index worker has
    indexed them: after one that failed (a bug, said in the log), the next
    rebuild's worker indexes them too."""
    from generator.plugin import BriefingPlugin

    config = load_engine_config(copy_corpus(tmp_path / "corpus"), strict=False)
    config.plugins["material/search"].on_config(config)
    plugin = BriefingPlugin()
    plugin.indexed = {"a.md": [{"location": "a.html", "title": "A, before the edit", "text": ""}]}
    plugin.search = SearchCapture.of(config)
    plugin.search.built["a.md"] = PageText('<h1 id="a">A, edited</h1>', [], "a.html", "A", {})
    failed: Future[dict[str, Any]] = Future()
    failed.set_exception(RuntimeError("a bug"))
    plugin._indexed(serve_quick.written(failed))
    assert "could not write the search index" in caplog.text
    later = SearchCapture.of(config)  # the next rebuild's, in its index worker
    later.merge(["a.md"], {}, plugin.indexed)
    assert [e["title"] for e in config.plugins["material/search"].search_index.entries] == ["A, edited"]


def test_data_files_are_made_once_edits_pause(tmp_path: Path) -> None:
    """Of three rebuilds in a row, only the last one's files are made."""
    made: list[int] = []
    done = threading.Event()

    def make(n: int) -> Future[dict[str, bytes]]:
        made.append(n)
        done.set()
        return finished({"n.txt": str(n).encode()})

    data = ServedData()
    try:
        for n in (1, 2, 3):
            data.later(lambda n=n: make(n))  # type: ignore[misc]
            # The overtaken ones would wait long: they are cancelled, not merely overtaken.
            timer = data.start(tmp_path, quiet=300 if n < 3 else 0.01)
        assert timer is not None
        timer.join(timeout=300)
        assert done.wait(timeout=300)
        assert made == [3]
        assert (tmp_path / "data" / "n.txt").read_text() == "3"
        assert data.start(tmp_path) is None  # nothing new to make: the last files stay coming
    finally:
        data.close()


def test_only_the_files_the_watch_saw_change_are_read_again(tmp_path: Path) -> None:
    """`serve`'s quick rebuild reads only the files its watch reported; a
    file changed without a report stays as read (until a whole reading), and
    a link is read whatever the watch says (its target changes under another name)."""
    from generator.corpus import FileCache, read_corpus

    root = copy_corpus(tmp_path / "corpus")
    events = root / "briefings" / "events"
    reported, unreported = sorted(events.glob("*.yaml"))[:2]
    cache: FileCache = {}
    assert read_corpus(root, cache).ok

    def title(result: Any, path: Path) -> str:
        return str(result.corpus.records[path.stem].model.title)

    for path in (reported, unreported):
        path.write_text(re.sub(r"(?m)^title: .*$", f"title: Edited {path.stem}", path.read_text(encoding="utf-8"),
                               count=1), encoding="utf-8")
    watched = read_corpus(root, cache, changed=frozenset({reported.relative_to(root).as_posix()}))
    assert title(watched, reported) == f"Edited {reported.stem}"
    assert title(watched, unreported) != f"Edited {unreported.stem}"  # not read: the watch did not say
    whole = read_corpus(root, cache)
    assert title(whole, unreported) == f"Edited {unreported.stem}"
    # A record that is a link to another file of the corpus is read every time.
    target = root / "briefings" / "linked.txt"
    target.write_text(unreported.read_text(encoding="utf-8"), encoding="utf-8")
    unreported.unlink()
    unreported.symlink_to(target)
    assert read_corpus(root, cache).ok
    target.write_text(target.read_text(encoding="utf-8").replace("Edited", "Linked"), encoding="utf-8")
    linked = read_corpus(root, cache, changed=frozenset({target.relative_to(root).as_posix()}))
    assert title(linked, unreported) == f"Linked {unreported.stem}"


def test_a_reading_keeps_the_very_files_its_records_hold(tmp_path: Path) -> None:
    """Records read from the page cache hold files of their own, equal to
    those walked: the walk kept for the next reading holds the records'
    own, so that the next reading compares each file by identity."""
    import pickle

    from generator.corpus import FileCache, Reading, read_corpus

    root = copy_corpus(tmp_path / "corpus")
    cache: FileCache = {}
    assert read_corpus(root, cache).ok
    cache = pickle.loads(pickle.dumps(cache))  # as the page cache gives it back
    reading = Reading()
    result = read_corpus(root, cache, reading=reading)
    assert result.corpus is not None and reading.found is not None
    walked = {file.rel: file for file in reading.found.records}
    assert all(walked[entry.file.rel] is entry.file for entry in result.corpus.records.values())


def test_the_vocabulary_is_kept_until_the_watch_says_it_changed(tmp_path: Path) -> None:
    """The vocabulary is read again when the watch reports it, not on every
    quick rebuild (read and merged, 0.016 s an edit at 10,000 records)."""
    from generator.corpus import FileCache, Reading, read_corpus

    root = copy_corpus(tmp_path / "corpus")
    vocabulary = root / "briefings" / "vocabulary.yaml"
    event = sorted((root / "briefings" / "events").glob("*.yaml"))[0]
    cache: FileCache = {}
    reading = Reading()
    first = read_corpus(root, cache, reading=reading)
    assert first.corpus is not None
    vocabulary.write_text(vocabulary.read_text(encoding="utf-8").replace("label: Ceasefire of 20 September 2023",
                                                                         "label: The ceasefire"), encoding="utf-8")
    unreported = read_corpus(root, cache, changed=frozenset({event.relative_to(root).as_posix()}), reading=reading)
    assert unreported.corpus is not None and unreported.corpus.vocabulary is first.corpus.vocabulary
    watched = read_corpus(root, cache, changed=frozenset({vocabulary.relative_to(root).as_posix()}), reading=reading)
    assert watched.corpus is not None and watched.corpus.vocabulary.label("topics", "ceasefire") == "The ceasefire"


def test_a_rebuild_holds_the_data_files_until_it_is_done(tmp_path: Path) -> None:
    """A rebuild that begins before the files are made holds them back; a
    rebuild that kept the last good pages (bringing no files of its own)
    then starts them again, so the last good corpus' files are made."""
    made: list[int] = []
    data = ServedData()
    try:
        data.later(lambda: made.append(1) or finished({"n.txt": b"1"}))  # type: ignore[func-returns-value]
        assert data.start(tmp_path, quiet=300) is not None
        data.hold()  # a rebuild begins; it ends broken: no files of its own
        timer = data.start(tmp_path, quiet=0.01)
        assert timer is not None
        timer.join(timeout=300)
        assert made == [1]
        assert (tmp_path / "data" / "n.txt").read_text() == "1"
    finally:
        data.close()


def finished(files: dict[str, bytes]) -> Future[dict[str, bytes]]:
    future: Future[dict[str, bytes]] = Future()
    future.set_result(files)
    return future


def _slow_files(gate: str) -> dict[str, bytes]:
    """A worker's export that runs until ``gate`` (a file) exists."""
    while not os.path.exists(gate):
        time.sleep(0.01)
    return {"n.txt": b"slow"}


def test_a_rebuild_stops_the_refresh_under_way_and_makes_it_again(tmp_path: Path) -> None:
    """At 10,000 records the exports take longer than a pause between
    saves: a refresh under way when a rebuild begins is stopped (its worker
    killed, not left to take a core), and made again after the rebuild."""
    gate, started = str(tmp_path / "gate"), threading.Event()
    jobs: list[Future[dict[str, bytes]]] = []

    def make() -> Future[dict[str, bytes]]:
        job = forked(partial(_slow_files, gate))
        jobs.append(job)
        started.set()
        return job

    data = ServedData()
    try:
        data.later(make)
        data.start(tmp_path, quiet=0.01)
        assert started.wait(timeout=300)
        data.hold()  # a rebuild begins while the worker runs
        with pytest.raises(BrokenProcessPool):
            jobs[0].result(timeout=300)  # killed: the gate is still shut
        assert not (tmp_path / "data" / "n.txt").exists()
        Path(gate).touch()
        timer = data.start(tmp_path, quiet=0.01)  # the rebuild ended broken: no files of its own
        assert timer is not None
        timer.join(timeout=300)
        jobs[-1].result(timeout=300)
        assert len(jobs) == 2
        deadline = time.monotonic() + 300
        while not (tmp_path / "data" / "n.txt").exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert (tmp_path / "data" / "n.txt").read_text() == "slow"
    finally:
        data.close()


def test_a_change_to_the_themes_own_overrides_is_the_engines_rebuild(tmp_path: Path) -> None:
    root = copy_corpus(tmp_path / "corpus")
    yml = root / "mkdocs.yml"
    yml.write_text(yml.read_text(encoding="utf-8").replace("  name: material\n", "  name: material\n"
                                                           "  custom_dir: overrides\n", 1), encoding="utf-8")
    override = root / "overrides" / "main.html"
    override.parent.mkdir()
    override.write_text('{% extends "base.html" %}\n', encoding="utf-8")
    built = last_build(root)
    record = str(root / "briefings" / "events" / "e.yaml")
    assert built.holds(frozenset({record}))
    stat = override.stat()
    os.utime(override, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert not built.holds(frozenset({record}))  # saved with a record: the theme's environment is rebuilt


def test_the_engines_build_gets_the_heap_back_and_sets_it_aside_after() -> None:
    """`serve` sets the heap of a build aside from the cyclic collector
    (serve_quick.settle); the engine's next build, which replaces it, runs
    with it given back, so that what it replaces can be collected."""
    during: list[int] = []
    try:
        serve_quick.settle()
        assert gc.get_freeze_count() > 0
        serve_quick.unfrozen(lambda: during.append(gc.get_freeze_count()))
        assert during == [0]
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def _sleeper() -> None:
    time.sleep(600)


def test_a_rebuild_that_fails_stops_its_page_worker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The engine's whole build follows a failed quick rebuild and writes its
    pages itself: the worker building some of them must not write after it."""
    import multiprocessing

    from generator.engine_workers import RebuildShare

    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_sleeper, daemon=True)
    process.start()
    send.close()
    share = RebuildShare([], process, receive)
    monkeypatch.setattr(RebuildShare, "start", classmethod(lambda cls, *args: share))

    def broken(self: LastBuild, targets: list[Any]) -> None:
        raise RuntimeError("a template's error")

    monkeypatch.setattr(LastBuild, "_build", broken)
    monkeypatch.setattr(LastBuild, "_page", lambda self, path, text: object())
    built = last_build(copy_corpus(tmp_path / "corpus"))
    with pytest.raises(RuntimeError, match="a template's error"):
        built.rebuild({"events/x.md": "# X"}, own=None, share=Sharing(lambda paths: ({}, {}), lambda b: None,
                                                                      lambda **kw: None, lambda made: None, dict))
    assert not process.is_alive()
    assert process.exitcode is not None and process.exitcode < 0  # killed, not ended by itself
