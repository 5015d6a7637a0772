"""Pages rendered on two cores (generator.render_workers) are the pages a
serial rendering makes, byte for byte and in the same order, with the same
records read by each."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bench.synth import generate
from generator import render_workers
from generator.corpus import read_corpus
from generator.link import Corpus
from generator.render import Renderer, SiteOptions
from generator.templating import make_env, template_dirs

REPO = Path(__file__).resolve().parent.parent


class _Noting(Renderer):
    """A renderer that notes which processes rendered pages (in a file: the
    worker's memory is its own)."""

    log: Path

    def pages(self, only: set[str] | None = None, reads: dict[str, frozenset[str]] | None = None,
              listings: bool = True) -> dict[str, str]:
        with self.log.open("a", encoding="utf-8") as out:
            out.write(f"{os.getpid()}\n")
        return super().pages(only, reads, listings)


def _corpus(root: Path) -> Corpus:
    result = read_corpus(root)
    assert result.corpus is not None, result.problems
    return result.corpus


@pytest.mark.parametrize("source", ["sample", "synthetic"])
def test_two_processes_render_what_one_does(source: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if source == "sample":
        root = REPO
    else:
        root = tmp_path / "corpus"
        generate(root, 120)
    corpus = _corpus(root)
    env = make_env(template_dirs(root))
    serial_reads: dict[str, frozenset[str]] = {}
    serial = Renderer(corpus, env, SiteOptions("Briefing")).pages(reads=serial_reads)
    monkeypatch.setattr(render_workers, "cores", lambda: 2)  # whatever this machine has
    noting = _Noting(corpus, env, SiteOptions("Briefing"))
    noting.log = tmp_path / "pids"
    reads: dict[str, frozenset[str]] = {}
    pages = render_workers.all_pages(noting, reads, parallel_from=0)
    assert len(set(noting.log.read_text(encoding="utf-8").split())) == 2, "the pages were not shared out"
    assert list(pages) == list(serial)
    assert [path for path in serial if pages[path] != serial[path]] == []
    assert reads == serial_reads


class _Failing(Renderer):
    """A renderer whose pages fail in a worker process only (a template's
    error, a worker killed): what is said must be what a serial rendering says."""

    parent: int

    def event(self, page: str, rid: str) -> str:
        if os.getpid() != self.parent:
            raise RuntimeError("the worker failed")
        return super().event(page, rid)


def test_a_failed_worker_costs_only_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "corpus"
    generate(root, 120)
    corpus = _corpus(root)
    env = make_env(template_dirs(root))
    serial = Renderer(corpus, env, SiteOptions("Briefing")).pages()
    monkeypatch.setattr(render_workers, "cores", lambda: 2)
    failing = _Failing(corpus, env, SiteOptions("Briefing"))
    failing.parent = os.getpid()
    reads: dict[str, frozenset[str]] = {}
    pages = render_workers.all_pages(failing, reads, parallel_from=0)
    assert pages == serial and list(pages) == list(serial)
    assert all(path in reads for path in pages if path.startswith("events/event-"))
