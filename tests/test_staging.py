"""The site is replaced in one step, and what killed builds leave is cleaned.

(Finding 6 of the attack run: the swap of site/ was two renames, so a kill
between them left no site/; killed builds left staging and temporary
folders, and typesetting workers outlived their build.)
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest_site import copy_corpus

from generator import staging
from generator.scaffold import init_corpus
from generator.staging import clean_scratch, exchange, leftover_patterns, scratch, staged

REPO = Path(__file__).resolve().parent.parent
CEILING_S = 600.0  # for waiting on a condition; never a speed target


def wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + CEILING_S
    while not condition():
        assert time.monotonic() < deadline, f"{what}: not within {CEILING_S} s"
        time.sleep(0.05)


def site_with(folder: Path, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text(text, encoding="utf-8")


def test_exchange_swaps_two_folders(tmp_path: Path) -> None:
    site_with(tmp_path / "a", "A")
    site_with(tmp_path / "b", "B")
    assert exchange(tmp_path / "a", tmp_path / "b")  # this machine's file system supports it
    assert (tmp_path / "a" / "index.html").read_text() == "B"
    assert (tmp_path / "b" / "index.html").read_text() == "A"


def test_readers_never_find_the_site_missing_during_swaps(tmp_path: Path) -> None:
    """A reader polling site/index.html through 300 rebuilds never misses it
    (with two renames, there is a moment with no site/ each time)."""
    final = tmp_path / "site"
    site_with(final, "0")
    misses: list[int] = []
    done = threading.Event()

    def read() -> None:
        while not done.is_set():
            try:
                (final / "index.html").read_text()
            except FileNotFoundError:
                misses.append(1)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for n in range(1, 301):
            with staged(final) as stage:
                site_with(stage.path, str(n))
                stage.commit()
    finally:
        done.set()
        reader.join()
    assert (final / "index.html").read_text() == "300"
    assert misses == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_failed_build_leaves_the_site_and_no_staging(tmp_path: Path) -> None:
    final = tmp_path / "site"
    site_with(final, "old")
    with pytest.raises(RuntimeError), staged(final) as stage:
        site_with(stage.path, "new")
        raise RuntimeError("the build failed")
    assert (final / "index.html").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_without_exchange_a_kill_between_the_renames_is_repaired(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the system cannot exchange, the swap is two renames; a build
    killed between them left no site/. The next build puts the old one back
    before anything else."""
    final = tmp_path / "site"
    site_with(final, "old")
    monkeypatch.setattr(staging, "exchange", lambda a, b: False)
    renames = []
    real_rename = os.rename

    def killed_after_the_first(src: object, dst: object) -> None:
        if renames:
            raise SystemExit("killed")  # what a kill looks like from here: nothing after runs
        renames.append((src, dst))
        real_rename(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "rename", killed_after_the_first)
    monkeypatch.setattr(shutil, "rmtree", lambda *a, **k: None)  # a kill cleans nothing up
    with pytest.raises(SystemExit), staged(final) as stage:
        site_with(stage.path, "new")
        stage.commit()
    monkeypatch.undo()
    assert not final.exists()  # the moment the finding describes
    with staged(final) as stage:  # the next build
        assert (final / "index.html").read_text() == "old"
        site_with(stage.path, "newer")
        stage.commit()
    assert (final / "index.html").read_text() == "newer"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_the_next_build_removes_what_killed_builds_left(tmp_path: Path) -> None:
    final = tmp_path / "site"
    site_with(final, "old")
    for name in (".site.building-1234-abc", ".site.old-99-1", ".site.building-x"):
        site_with(tmp_path / name, "stale")
    (tmp_path / ".other.building-1").mkdir()  # another site's: not this build's business
    with staged(final) as stage:
        site_with(stage.path, "new")
        stage.commit()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other.building-1", "site"]


def test_a_running_build_keeps_its_staging_folder(tmp_path: Path) -> None:
    """Cleaning happens only when no other build of the site runs."""
    final = tmp_path / "site"
    with staged(final) as first:
        site_with(first.path, "first")
        with staged(final) as second:  # a concurrent build: it must not remove the first's folder
            site_with(second.path, "second")
            second.commit()
        assert (first.path / "index.html").read_text() == "first"
        first.commit()
    assert (final / "index.html").read_text() == "first"


def test_scratch_folders_are_removed_once_nobody_holds_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr("tempfile.tempdir", None)
    stale = tmp_path / "briefing-scratch-pdf-left-by-a-kill"
    stale.mkdir()
    # Not ours, though named alike: never swept, however old.
    others = [tmp_path / "briefing-bench-corpus", tmp_path / "briefing-notes"]
    for other in others:
        other.mkdir()
    with scratch("rev") as held:
        removed = clean_scratch(now=time.time() + 3600)
        assert held.is_dir()  # in use: kept
    assert removed == [stale] and not stale.exists()
    assert all(other.is_dir() for other in others)
    assert not held.exists()


def test_init_gitignore_covers_what_a_build_may_leave(tmp_path: Path) -> None:
    corpus = tmp_path / "desk"
    init_corpus(corpus, "Desk")
    ignore = (corpus / ".gitignore").read_text(encoding="utf-8")
    for pattern in leftover_patterns(corpus / "site"):
        assert f"/{pattern}/" in ignore, pattern
    ours = (REPO / ".gitignore").read_text(encoding="utf-8")
    for pattern in leftover_patterns(REPO / "site"):
        assert f"/{pattern}/" in ours, pattern


# --- killed builds, for real ----------------------------------------------------------------------


def children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True, check=False)
    return [int(x) for x in out.stdout.split()]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    state = Path(f"/proc/{pid}/stat")
    return not (state.exists() and state.read_text().split(") ")[-1].startswith("Z"))


def test_typesetting_workers_die_with_a_killed_build(tmp_path: Path) -> None:
    """A build killed with SIGKILL while its workers typeset: the workers go
    too (they are made to wait forever here, as a slow brief would)."""
    script = tmp_path / "typeset.py"
    script.write_text(textwrap.dedent(f"""
        import time
        from pathlib import Path
        from generator import pdf
        from generator.corpus import read_corpus

        pdf.typeset = lambda html, base_url: time.sleep(3600)
        corpus = read_corpus(Path({str(REPO)!r})).corpus
        pdf.write_pdfs(corpus, Path({str(REPO)!r}), Path({str(tmp_path / 'pdf')!r}), progress=print)
    """), encoding="utf-8")
    build = subprocess.Popen([sys.executable, str(script)], cwd=REPO)
    try:
        wait_for(lambda: len(children(build.pid)) >= 2, "the typesetting workers started")
        workers = children(build.pid)
        build.send_signal(signal.SIGKILL)
        build.wait(timeout=CEILING_S)
        wait_for(lambda: not any(alive(w) for w in workers), "the workers ended with their build")
    finally:
        if build.poll() is None:
            build.kill()
        for w in children(build.pid):
            os.kill(w, signal.SIGKILL)


def test_a_build_killed_midway_leaves_the_site_and_the_next_cleans_up(tmp_path: Path) -> None:
    corpus = copy_corpus(tmp_path / "corpus")
    briefing = Path(sys.executable).parent / "briefing"
    first = subprocess.run([str(briefing), "build", "-C", str(corpus)], capture_output=True, text=True,
                           timeout=CEILING_S, check=False)
    assert first.returncode == 0, first.stderr
    before = {p: p.read_bytes() for p in (corpus / "site").rglob("*.html")}
    build = subprocess.Popen([str(briefing), "build", "-C", str(corpus)], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    wait_for(lambda: any((p / "pdf").is_dir() for p in corpus.glob(".site.building-*")) or build.poll() is not None,
             "the build reached its PDFs")
    build.kill()
    assert build.wait(timeout=CEILING_S) == -signal.SIGKILL  # killed midway, not finished
    assert {p: p.read_bytes() for p in (corpus / "site").rglob("*.html")} == before
    again = subprocess.run([str(briefing), "build", "-C", str(corpus)], capture_output=True, text=True,
                           timeout=CEILING_S, check=False)
    assert again.returncode == 0, again.stderr
    assert sorted(p.name for p in corpus.iterdir()) == [".cache", "briefings", "mkdocs.yml", "site"]
    assert (corpus / "site" / "pdf" / "briefing-book.pdf").stat().st_size > 0
    # The page cache keeps no temporary file of the killed build either.
    assert [p for p in (corpus / ".cache").rglob(".*") if p.is_file()] == []
