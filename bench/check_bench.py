"""How long `briefing check` takes, beside the floor: PyYAML's C loader
parsing the same files and nothing else.

    python bench/check_bench.py [--sizes 1000,10000] [--runs 3]

Each figure is the median of --runs runs. The corpora are synthetic
(bench/synth.py), deterministic, written to a temporary folder.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synth import generate
from generator.corpus import read_corpus


def median_time(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def c_loader_floor(root: Path) -> None:
    for path in sorted((root / "briefings").glob("*/*.yaml")):
        yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)


def cli_check(root: Path) -> None:
    subprocess.run([sys.executable, "-m", "generator", "check", "-C", str(root)], check=True,
                   stdout=subprocess.DEVNULL)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated record counts")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (the median is shown)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory(prefix="briefing-bench-") as tmp:
        for n in sizes:
            root = Path(tmp) / f"n{n}"
            generate(root, n)
            files = len(list((root / "briefings").glob("*/*.yaml")))
            result = read_corpus(root)
            if result.problems:
                print(f"synthetic corpus has problems: {result.problems[:3]}", file=sys.stderr)
                return 1
            floor = median_time(partial(c_loader_floor, root), args.runs)
            check = median_time(partial(read_corpus, root), args.runs)
            cli = median_time(partial(cli_check, root), args.runs)
            rows += [
                (f"files (N={n})", f"{files}"),
                (f"C loader parse only, N={n}", f"{floor:.3f} s"),
                (f"check in-process, N={n}", f"{check:.3f} s"),
                (f"check / C loader, N={n}", f"{check / floor:.2f} x"),
                (f"`briefing check` command, N={n}", f"{cli:.3f} s"),
            ]
    width = max(len(name) for name, _ in rows)
    print(f"{'figure'.ljust(width)}  value")
    for name, value in rows:
        print(f"{name.ljust(width)}  {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
