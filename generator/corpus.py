"""The read side of the pipeline: load, validate and link a corpus folder.

Nothing here writes. Callers (the CLI, the MkDocs plugin, tests) get every
problem of the run at once and a corpus only when there is no error.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

from generator.link import Corpus, link
from generator.load import discover, load_file
from generator.problems import Problem, sorted_problems
from generator.validate import Entry, Invalid, validate

log = logging.getLogger(__name__)

CORPUS_FOLDER = "briefings"


class CorpusNotFound(Exception):
    """The folder is not a corpus: a usage error, not a problem in records."""


@dataclass(slots=True)
class CheckResult:
    problems: list[Problem]
    files: int
    corpus: Corpus | None  # None when any problem is an error
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not any(p.is_error for p in self.problems)

    def failed(self, strict: bool = False) -> bool:
        return bool(self.problems) if strict else not self.ok


def read_corpus(root: Path) -> CheckResult:
    base = root / CORPUS_FOLDER
    if not base.is_dir():
        raise CorpusNotFound(f"no {CORPUS_FOLDER}/ folder in {root}: run this where mkdocs.yml and "
                             f"{CORPUS_FOLDER}/ are, or pass the corpus folder with --root")
    timings: dict[str, float] = {}
    start = time.perf_counter()
    files, problems = discover(root, CORPUS_FOLDER)
    entries: list[Entry] = []
    invalid: list[Invalid] = []
    load_time = 0.0
    for file in files:
        t0 = time.perf_counter()
        loaded, found = load_file(file)
        load_time += time.perf_counter() - t0
        problems += found
        checked, found = validate(loaded)
        problems += found
        if isinstance(checked, Entry):
            entries.append(checked)
        else:
            invalid.append(checked)
    timings["load+validate"] = time.perf_counter() - start
    timings["load"] = load_time
    t0 = time.perf_counter()
    corpus, found = link(entries, invalid)
    problems += found
    timings["link"] = time.perf_counter() - t0
    result = CheckResult(sorted_problems(problems), len(files), None, timings)
    if result.ok:
        result.corpus = corpus
    log.debug("read %d files in %.3fs", len(files), time.perf_counter() - start)
    return result
