"""The corpus' history, read from git: when each record last changed,
which revisions are editions, and the corpus as it was at any of them.

History is read in one pass (one ``git log`` for every file), not one git
call per record. Outside a git repository, or without git, there is no
history and pages simply do not show it.
"""

from __future__ import annotations

import fnmatch
import logging
import subprocess
import tarfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from generator.corpus import CheckResult, read_corpus
from generator.dates import DateError, PartialDate
from generator.discover import CORPUS_FOLDER
from generator.errors import BriefingError
from generator.staging import scratch

log = logging.getLogger(__name__)

DEFAULT_EDITIONS = "edition-*"
_TIMEOUT = 120


class GitError(BriefingError):
    """A git command failed, or the folder is not in a git repository."""


def git(root: Path, *args: str) -> str:
    """Run git in ``root``; its output, or GitError with git's own message."""
    try:
        done = subprocess.run(["git", "-C", str(root), "-c", "core.quotePath=false", *args], capture_output=True,
                              timeout=_TIMEOUT, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        raise GitError(f"git could not be run: {exc}") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(message[-1] if message else f"git {args[0]} failed")
    return done.stdout.decode("utf-8", "replace")


def in_git(root: Path) -> bool:
    try:
        return git(root, "rev-parse", "--is-inside-work-tree").strip() == "true"
    except GitError:
        return False


# --- when each record last changed ---------------------------------------------


@dataclass(frozen=True, slots=True)
class Change:
    """The last commit that changed a file."""

    commit: str
    date: str  # committer date, ISO 8601 with offset

    @property
    def short(self) -> str:
        return self.commit[:7]

    @property
    def day(self) -> str:
        return self.date[:10]


@dataclass(frozen=True, slots=True)
class History:
    head: str  # the commit the history was read at
    last: dict[str, Change]  # file relative to the corpus root -> last change

    def of(self, rel: str) -> Change | None:
        return self.last.get(rel)


def read_history(root: Path) -> History | None:
    """The last commit to change each file under root/briefings, from one
    ``git log``; None outside a git repository or before the first commit."""
    try:
        head = git(root, "rev-parse", "HEAD").strip()
        out = git(root, "log", "--relative", "--no-renames", "--name-only", "--format=%x01%H %cI", "--",
                  CORPUS_FOLDER)
    except GitError:
        return None
    last: dict[str, Change] = {}
    current: Change | None = None
    for line in out.splitlines():
        if line.startswith("\x01"):
            commit, _, date = line[1:].partition(" ")
            current = Change(commit, date)
        elif line and current is not None:
            last.setdefault(line, current)  # newest first: the first seen is the last change
    return History(head, last)


def head_commit(root: Path) -> str:
    try:
        return git(root, "rev-parse", "HEAD").strip()
    except GitError:
        return ""


# --- editions ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Edition:
    tag: str
    commit: str
    date: str  # ISO 8601: the tag's date (annotated) or its commit's

    @property
    def day(self) -> str:
        return self.date[:10]


def editions(root: Path, pattern: str = DEFAULT_EDITIONS, reachable: bool = True) -> list[Edition]:
    """Tags matching ``pattern`` (a glob), oldest first; with ``reachable``,
    only those in the history of HEAD."""
    args = ["for-each-ref", "--sort=creatordate", "--format=%(refname:short)%09%(objectname)%09%(*objectname)"
            "%09%(creatordate:iso-strict)"]
    if reachable:
        args.append("--merged=HEAD")
    try:
        out = git(root, *args, "refs/tags/")
    except GitError:
        return []
    found = []
    for line in out.splitlines():
        tag, obj, peeled, date = line.split("\t")
        if fnmatch.fnmatchcase(tag, pattern):
            found.append(Edition(tag, peeled or obj, date))
    return found


@dataclass(frozen=True, slots=True)
class EditionPlace:
    """Where a build stands among the editions."""

    current: Edition | None  # the edition being built, when HEAD is one and nothing is uncommitted
    previous: Edition | None  # the edition before it (or the latest one before HEAD)


def place_among(root: Path, pattern: str = DEFAULT_EDITIONS) -> EditionPlace:
    found = editions(root, pattern)
    if not found:
        return EditionPlace(None, None)
    head = head_commit(root)
    clean = not _uncommitted(root)
    at_head = [e for e in found if e.commit == head]
    if at_head and clean:
        index = found.index(at_head[-1])
        # Earlier tags on the same commit are the same edition under another name.
        earlier = [e for e in found[:index] if e.commit != head]
        return EditionPlace(at_head[-1], earlier[-1] if earlier else None)
    return EditionPlace(None, found[-1])


def _uncommitted(root: Path) -> bool:
    try:
        return bool(git(root, "status", "--porcelain", "--", CORPUS_FOLDER).strip())
    except GitError:
        return False


def describe_edition(root: Path | None, pattern: str = DEFAULT_EDITIONS) -> str:
    """For a PDF's cover: the edition's tag and commit, marked when records
    have uncommitted changes; empty outside git."""
    if root is None or not in_git(root):
        return ""
    head = head_commit(root)
    if not head:
        return ""
    dirty = _uncommitted(root)
    tags = [e.tag for e in editions(root, pattern) if e.commit == head]
    name = f"{tags[-1]}, commit {head[:7]}" if tags and not dirty else f"commit {head[:7]}"
    return name + (" with uncommitted changes" if dirty else "")


# --- the corpus at a revision ----------------------------------------------------


def resolve(root: Path, spec: str) -> str:
    """A revision (tag, branch, commit) or a date to a commit: for a date,
    the last commit made by the end of that date (read as the analyst
    wrote it: "2023-09-20" is the whole day)."""
    if not in_git(root):
        raise GitError(f"{root} is not in a git repository: diff compares revisions of a corpus kept in git")
    try:
        return git(root, "rev-parse", "--verify", "--quiet", spec + "^{commit}").strip()
    except GitError:
        pass
    try:
        date = PartialDate.parse(spec)
    except DateError:
        raise GitError(f"'{spec}' is neither a revision nor a date (YYYY, YYYY-MM, YYYY-MM-DD, "
                       f"YYYY-MM-DDTHH:MM+HH:MM)") from None
    moment = date.latest if date.has_zone else date.local_end
    # isoformat pads years before 1000 (strftime does not, on glibc).
    before = moment.isoformat(sep=" ", timespec="seconds")[:19] + (" +0000" if date.has_zone else "")
    commit = git(root, "rev-list", "-1", f"--before={before}", "HEAD").strip()
    if not commit:
        raise GitError(f"no commit was made by {spec}")
    return commit


@contextmanager
def checkout(root: Path, commit: str) -> Iterator[Path]:
    """The corpus folder as it was at ``commit``, extracted into a temporary
    folder (with the mkdocs.yml and templates of that commit); the work
    tree is not touched."""
    prefix = git(root, "rev-parse", "--show-prefix").strip()
    treeish = f"{commit}:{prefix}" if prefix else commit
    with scratch("rev") as tmp:
        archive = tmp / "rev.tar"
        git(root, "archive", "--format=tar", f"--output={archive}", treeish)
        out = tmp / "corpus"
        out.mkdir()
        with tarfile.open(archive) as tar:
            tar.extractall(out, filter="data")  # no links or paths out of the folder
        (out / CORPUS_FOLDER).mkdir(exist_ok=True)
        yield out


def corpus_at(root: Path, commit: str) -> CheckResult:
    """Read and check the corpus as it was at ``commit``."""
    with checkout(root, commit) as folder:
        result = read_corpus(folder)
    return result
