#!/usr/bin/env python3
"""Coverage-guided fuzzing of the read side with atheris (``make fuzz``).

An input is one record file: its first byte picks which file of the fuzz
target's small valid corpus it replaces (tests/fuzzing.py, ``BASE``), its
second byte the as-of moment of the published run, and the rest is the
file's bytes. The corpus then goes through load, validate, link, publish
and render (``fuzzing.exercise``); any exception is a crash, written to
``.fuzz/crash-*`` by libFuzzer, and ends the run.

Seeds: the target's own files, every record of the sample corpus and of
the golden error cases, each put in the place of a file of its kind. New
inputs that reach new code are kept in ``.fuzz/corpus`` (git-ignored) and
start the next run.

    tools/fuzz.py --seconds 600        # the default run of `make fuzz`
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import atheris

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

with atheris.instrument_imports(include=["generator", "fuzzing"]):
    from fuzzing import KINDS_OF_FILES, base_files, exercise

AS_OF = ["2023-09-20T12:00+04:00", "0001-01-01", "9999-12-31T23:59-12:00", "9999", "2023", "0001-01-01T00:00+14:00"]
BASE = base_files()


def one_input(data: bytes) -> None:
    if len(data) < 2:
        return
    files = dict(BASE)
    files[KINDS_OF_FILES[data[0] % len(KINDS_OF_FILES)]] = data[2:]
    exercise(files, AS_OF[data[1] % len(AS_OF)])


def seed(folder: Path) -> int:
    """Write the seeds into ``folder``; how many."""
    folder.mkdir(parents=True, exist_ok=True)
    index = {rel.split("/")[1]: i for i, rel in enumerate(KINDS_OF_FILES)}
    sources = [(rel, text) for rel, text in BASE.items()]
    for base in [REPO / "briefings", *sorted((REPO / "tests" / "golden" / "errors").glob("*/briefings"))]:
        for path in sorted(base.glob("*/*.yaml")):
            if path.is_file() and not path.is_symlink() and path.parent.name in index:
                sources.append((f"briefings/{path.parent.name}/{path.name}", path.read_bytes()))
    for n, (rel, raw) in enumerate(sources):
        (folder / f"seed-{n:04d}").write_bytes(bytes([index[rel.split("/")[1]], n % len(AS_OF)]) + raw)
    return len(sources)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=600, help="how long to fuzz (default: 600)")
    parser.add_argument("--out", type=Path, default=REPO / ".fuzz", help="corpus and crashes (default: .fuzz/)")
    args, rest = parser.parse_known_args()
    corpus = args.out / "corpus"
    print(f"seeds: {seed(corpus)}", flush=True)
    atheris.Setup([sys.argv[0], *rest, str(corpus), f"-artifact_prefix={args.out}/",
                   f"-max_total_time={args.seconds}", "-print_final_stats=1", "-timeout=60", "-rss_limit_mb=4096"],
                  one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
