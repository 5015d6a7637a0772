"""The benchmark runs and prints every figure (not the figures' values:
timings belong to the benchmark, not to tests on a shared machine)."""

import subprocess
import sys
from pathlib import Path

from bench.synth import generate
from generator.corpus import read_corpus

FIGURES = [
    "records, N=40", "PyYAML C loader, parse only (floor), N=40", "`check`, N=40", "`check` / C loader, N=40",
    "page generation (records to Markdown), N=40", "locator maps (", "data exports: JSON, CSV, JSON-LD, FtM, STIX (",
    "bare `mkdocs build` of the same pages (floor), N=40",
    "full `briefing build`, N=40", "`briefing build` / bare MkDocs, N=40", "peak memory of `briefing build`, N=40",
    "peak memory of bare MkDocs, N=40", "`briefing build` again, nothing changed (page cache), N=40",
    "`briefing build` after one record edited (page cache), N=40",
    "bare `mkdocs build --dirty` after one page edited, N=40",
    "one-record rebuild / MkDocs --dirty, N=40", "Hugo ", "history, one `git log` pass (10 commits), N=40",
    "history, one git call per file", "`briefing diff` of two editions, N=40", "records, N=80",
    "build growth, N=80 / N=40",
    "`serve`: saved edit to rebuilt page served, N=40", "`serve`: saved edit to rebuilt page served, N=80",
    "PDF of the ceasefire brief (sample corpus)",
    "all PDFs of the sample corpus",
]


def test_bench_prints_every_figure(repo: Path) -> None:
    proc = subprocess.run([sys.executable, str(repo / "bench" / "bench.py"), "--sizes", "40,80", "--runs", "1"],
                          capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].split() == ["figure", "value", "target"]
    for figure in FIGURES:
        row = next((line for line in lines if line.startswith(figure)), None)
        assert row is not None, figure
        assert any(unit in row for unit in (" s", " x", " MB")) or figure.startswith("records"), row


def test_synthetic_corpus_is_deterministic_and_clean(tmp_path: Path) -> None:
    generate(tmp_path / "a", 200)
    generate(tmp_path / "b", 200)
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.yaml"))
    assert files_a == sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*.yaml"))
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files_a)
    result = read_corpus(tmp_path / "a")
    assert result.problems == []
    assert result.corpus is not None and len(result.corpus.disputes) > 0
