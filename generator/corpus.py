"""The read side of the pipeline: load, validate and link a corpus folder.

Nothing here writes. Callers (the CLI, the MkDocs plugin, tests) get every
problem of the run at once and a corpus only when there is no error.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import time
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from generator.discover import CORPUS_FOLDER, Found, MediaFile, RecordFile, Refused, discover, scan_templates
from generator.errors import BriefingError
from generator.link import Checks, Corpus, link
from generator.load import load_file, read_record
from generator.problems import Problem, sorted_problems
from generator.publish import clock
from generator.selections import Selected
from generator.terms import read_vocabulary
from generator.validate import Entry, Invalid, review_due, validate
from generator.vocabulary import Vocabulary

log = logging.getLogger(__name__)


class CorpusNotFound(BriefingError):
    """The folder is not a corpus: a usage error, not a problem in records."""


@dataclass(slots=True)
class CheckResult:
    problems: list[Problem]
    files: int
    corpus: Corpus | None  # None when any problem is an error
    timings: dict[str, float] = field(default_factory=dict)
    media: list[MediaFile] = field(default_factory=list)  # published as they are

    @property
    def ok(self) -> bool:
        return not any(p.is_error for p in self.problems)

    def failed(self, strict: bool = False) -> bool:
        return bool(self.problems) if strict else not self.ok


# What one file gave, kept by `serve` between rebuilds and by the page cache
# between builds: a digest of the file's bytes -> the checked record and its
# problems (checking a record reads nothing but its file).
FileCache = dict[str, tuple[bytes, "Entry | Invalid", list[Problem]]]


@dataclass(slots=True)
class Reading:
    """What one reading of the corpus leaves for the next in the same
    process (`serve`): the folder as walked, and what the briefs'
    selections were made of (``generator.selections``)."""

    found: Found | None = None
    selected: Selected | None = None
    checks: Checks | None = None  # what each record's checks found (``generator.link``)
    # The vocabulary file as read, and what was read of it: kept while the
    # watch says it did not change (read and merged again, 0.016 s an edit).
    vocabulary: tuple[RecordFile, Vocabulary, list[Problem]] | None = None


@contextmanager
def paused_gc() -> Iterator[None]:
    """Reading a corpus makes about a hundred small objects per record and
    keeps them; the cyclic garbage collector would scan every live object
    again and again meanwhile (a fifth of `check`'s time at 10,000 records).
    The records make no reference cycles, so collection waits until after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def read_corpus(root: Path, cache: FileCache | None = None, changed: Collection[str] | None = None,
                reading: Reading | None = None) -> CheckResult:
    """Load, validate and link every record under root/briefings.

    With ``cache`` (kept by the caller between runs), files whose bytes are
    unchanged are not parsed and checked again. With ``changed`` (files
    named as in problems, ``briefings/events/x.yaml``: those `serve`'s watch
    saw change since the cache was filled), the cached files not among them
    are not even read, and when all of them are records that were there,
    the folder is not walked again either. ``reading``: what the reading
    before left (it is updated), where the walk and the selections start."""
    with paused_gc():
        return _read_corpus(root, cache, changed, reading or Reading())


def _read_corpus(root: Path, cache: FileCache | None, changed: Collection[str] | None,
                 reading: Reading) -> CheckResult:
    base = root / CORPUS_FOLDER
    if not base.is_dir():
        raise CorpusNotFound(f"no {CORPUS_FOLDER}/ folder in {root}: run this where mkdocs.yml and "
                             f"{CORPUS_FOLDER}/ are, or pass the corpus folder with --root")
    timings: dict[str, float] = {}
    start = time.perf_counter()
    discovered = reading.found = _walked(root, reading.found, changed)
    files, problems = discovered.records, [*discovered.problems, *scan_templates(root)]
    entries: list[Entry] = []
    invalid: list[Invalid] = []
    load_time = 0.0
    seen: set[str] = set()
    held: list[RecordFile] = []
    for file in files:
        t0 = time.perf_counter()
        checked, found = _checked(file, cache, seen, changed)
        load_time += time.perf_counter() - t0
        problems += found
        held.append(checked.file)
        if isinstance(checked, Entry):
            entries.append(checked)
        else:
            invalid.append(checked)
    # The walk kept for the next reading holds the very files the records
    # hold (equal to those walked): the next reading compares them by
    # identity. Records from the page cache hold files of their own, and
    # comparing 10,000 of them field by field took 0.04 s an edit.
    discovered.records[:] = held
    if cache is not None:
        for gone in set(cache) - seen:
            del cache[gone]
    vocabulary, found = _vocabulary(discovered.vocabulary, changed, reading)
    problems += found
    now = clock()
    problems += [p for e in entries if e.model.review_by is not None and (p := review_due(e, now)) is not None]
    timings["load+validate"] = time.perf_counter() - start
    timings["load"] = load_time
    t0 = time.perf_counter()
    corpus, found = link(entries, invalid, vocabulary, reading.selected, reading.checks)
    reading.selected, reading.checks = corpus.selected, corpus.checks
    problems += found
    timings["link"] = time.perf_counter() - t0
    result = CheckResult(sorted_problems(problems), len(files), None, timings, discovered.media)
    if result.ok:
        result.corpus = corpus
    log.debug("read %d files in %.3fs", len(files), time.perf_counter() - start)
    return result


def _walked(root: Path, last: Found | None, changed: Collection[str] | None) -> Found:
    """The corpus folder's files: as walked last time when the watch saw
    only files change that were records (or the vocabulary) then and are
    regular files still, since what a walk finds depends on names and
    kinds of file alone; else walked again (a file added, removed or
    renamed, an editor's temporary file, a link)."""
    if last is not None and changed is not None:
        known = {file.rel: file for file in last.records}
        if last.vocabulary is not None:
            known[last.vocabulary.rel] = last.vocabulary
        files = [known.get(rel) for rel in changed]
        if all(f is not None and not f.link and f.path.is_file() and not f.path.is_symlink() for f in files):
            return last
    return discover(root, CORPUS_FOLDER)


def _vocabulary(file: RecordFile | None, changed: Collection[str] | None,
                reading: Reading) -> tuple[Vocabulary, list[Problem]]:
    """The corpus' vocabulary: the reading before's, when the watch saw no
    change to the file it read; else read (and kept for the next)."""
    kept = reading.vocabulary
    if (file is not None and kept is not None and changed is not None and _same(kept[0], file)
            and not file.link and file.rel not in changed):
        return kept[1], list(kept[2])
    vocabulary, problems = read_vocabulary(file)
    reading.vocabulary = (file, vocabulary, list(problems)) if file is not None else None
    return vocabulary, problems


def _same(kept: RecordFile, file: RecordFile) -> bool:
    """By identity first: a walk kept from the reading before holds the same
    objects, and comparing 10,000 of them field by field took 0.03 s an edit."""
    return kept is file or kept == file


def _checked(file: RecordFile, cache: FileCache | None, seen: set[str],
             changed: Collection[str] | None = None) -> tuple[Entry | Invalid, list[Problem]]:
    if cache is None:
        loaded, found = load_file(file)
        checked, more = validate(loaded)
        return checked, found + more
    seen.add(file.rel)
    hit = cache.get(file.rel)
    # Unchanged by the watch's word; a link's target changes under another name.
    if (changed is not None and hit is not None and _same(hit[1].file, file)
            and not file.link and file.rel not in changed):
        return hit[1], hit[2]
    try:  # read once, as every record is read (a regular file, within the size limit)
        raw = read_record(file)
    except Refused:  # said by load_file, and not kept
        cache.pop(file.rel, None)
        return _checked(file, None, seen)
    # By content, not modification time: a cache kept on disk meets files
    # restored with their old times (an archive, a copy that keeps them).
    stamp = hashlib.blake2b(raw, digest_size=16).digest()
    if hit is not None and hit[0] == stamp and _same(hit[1].file, file):
        return hit[1], hit[2]
    loaded, found = load_file(file, raw)
    checked, more = validate(loaded)
    cache[file.rel] = (stamp, checked, found + more)
    return checked, found + more
