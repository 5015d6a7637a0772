"""The benchmark script runs and prints every figure (not the figures' values:
timings belong to the benchmark, not to tests on a shared machine)."""

import subprocess
import sys
from pathlib import Path

from bench.synth import generate
from generator.corpus import read_corpus


def test_check_bench_prints_every_figure(repo: Path) -> None:
    proc = subprocess.run([sys.executable, str(repo / "bench" / "check_bench.py"), "--sizes", "60", "--runs", "1"],
                          capture_output=True, text=True, timeout=120, check=True)
    lines = proc.stdout.splitlines()
    for figure in ("files (N=60)", "C loader parse only, N=60", "check in-process, N=60", "check / C loader, N=60",
                   "`briefing check` command, N=60"):
        assert any(line.startswith(figure) for line in lines), figure


def test_synthetic_corpus_is_deterministic_and_clean(tmp_path: Path) -> None:
    generate(tmp_path / "a", 200)
    generate(tmp_path / "b", 200)
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.yaml"))
    assert files_a == sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*.yaml"))
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files_a)
    result = read_corpus(tmp_path / "a")
    assert result.problems == []
    assert result.corpus is not None and len(result.corpus.disputes) > 0
