"""Which files under briefings/ are records, which are published as they
are, and what is stray; and reading a file without trusting what it is.

A corpus is a git repository many people write to. Whatever lies in its
folder reaches every machine that builds it, so nothing is read or
published because it happens to be there:

* records are ``<kind folder>/<id>.yaml`` files; they are read, never copied;
* ``vocabulary.yaml``, at the top, holds the corpus' own terms and subjects
  (``generator.vocabulary``);
* ``media/`` holds the only files published as they are: images and PDF
  documents, under web-safe names;
* anything else is reported (``stray-file``, ``not-a-record``) and neither
  read nor published, at every level of the folder;
* a symbolic link that leaves the corpus folder is refused wherever it is
  (``outside-link``); a link is never followed into a folder, so links cannot
  loop; FIFOs, devices and sockets are refused (``special-file``) and never
  opened, and a folder that cannot be listed is a problem, not a crash.

Names are shown as text whatever bytes they hold: a name that is not UTF-8,
or holds a control character, is shown with backslash escapes.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from difflib import get_close_matches
from pathlib import Path

from generator.chars import printable
from generator.model import FOLDERS, KIND_OF_FOLDER
from generator.problems import Problem, Severity
from generator.slugs import RESERVED, SLUG_MAX, is_slug, slugify
from generator.vocabulary import VOCABULARY_FILE

CORPUS_FOLDER = "briefings"
TEMPLATES_FOLDER = "templates"
RECORD_SUFFIXES = (".yaml", ".yml")
MEDIA_FOLDER = "media"
# Published as they are: images a theme or a page can show, and documents.
# Not SVG or HTML: either runs script when opened from the site.
MEDIA_SUFFIXES = (".avif", ".gif", ".ico", ".jpeg", ".jpg", ".pdf", ".png", ".webp")
_MEDIA_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


@dataclass(frozen=True, slots=True)
class RecordFile:
    """A record file found in the corpus."""

    path: Path
    rel: str  # as shown in problems: "briefings/events/ceasefire.yaml"
    kind: str
    id: str
    link: bool = False  # a symbolic link (within the corpus): its target may change under another name


@dataclass(frozen=True, slots=True)
class MediaFile:
    """A file of media/, published at ``uri`` in the site."""

    path: Path
    uri: str  # "media/logo.png"


@dataclass(slots=True)
class Found:
    records: list[RecordFile] = field(default_factory=list)
    media: list[MediaFile] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    vocabulary: RecordFile | None = None  # briefings/vocabulary.yaml, when there is one


def shown(name: str) -> str:
    """A file name as text: bytes that are not UTF-8 and control characters
    as backslash escapes, so that a report is one line per problem."""
    try:
        text = name.encode("utf-8", "surrogateescape").decode("utf-8")
    except UnicodeDecodeError:
        text = os.fsencode(name).decode("utf-8", "backslashreplace")
    return printable(text)


def discover(root: Path, folder: str = CORPUS_FOLDER) -> Found:
    """Every record file and media file under root/folder, and a problem for
    everything else that lies there."""
    base = root / folder
    walker = _Walker(Path(os.path.realpath(base)), Found())
    for entry, rel in walker.entries(base, folder):
        walker.top_entry(entry, rel)
    return walker.found


def scan_templates(root: Path) -> list[Problem]:
    """The corpus' template overrides are read and published too: the same
    rules for links and special files, with the corpus folder as the bound."""
    base = root / TEMPLATES_FOLDER
    if not base.is_dir() and not base.is_symlink():
        return []
    walker = _Walker(Path(os.path.realpath(root)), Found())
    if walker.escapes(base, TEMPLATES_FOLDER):
        return walker.found.problems
    pending = [(base, TEMPLATES_FOLDER)]
    while pending:
        folder, rel_folder = pending.pop()
        for entry, rel in walker.entries(folder, rel_folder):
            kind = walker.kind(entry, rel)
            if kind == "dir":
                pending.append((Path(entry.path), rel))
    return walker.found.problems


class _Walker:
    def __init__(self, boundary: Path, found: Found) -> None:
        self.boundary = boundary
        self.found = found

    def problem(self, rel: str, code: str, message: str, hint: str = "",
                severity: Severity = Severity.ERROR) -> None:
        self.found.problems.append(Problem(rel, 0, 0, "", code, message, hint, severity))

    def entries(self, folder: Path, rel_folder: str) -> list[tuple[os.DirEntry[str], str]]:
        """A folder's entries by name, each with the name problems show.
        Hidden names (.gitkeep, .DS_Store) are left out, but a hidden link
        that leaves the corpus is still reported."""
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            self.problem(rel_folder, "unreadable", f"cannot list the folder: {exc.strerror or exc}",
                         "give the folder read and search permission (chmod u+rx), or move it out of the corpus")
            return []
        out = []
        for entry in entries:
            rel = f"{rel_folder}/{shown(entry.name)}"
            if entry.name.startswith("."):
                if entry.is_symlink():
                    self.escapes(Path(entry.path), rel)
                continue
            out.append((entry, rel))
        return out

    def escapes(self, path: Path, rel: str) -> bool:
        """Whether ``path`` is a link that resolves outside the boundary (reported)."""
        if not path.is_symlink():
            return False
        target = Path(os.path.realpath(path))
        if target == self.boundary or self.boundary in target.parents:
            return False
        self.problem(rel, "outside-link", f"a symbolic link to {printable(os.readlink(path))}, outside the corpus "
                     "folder: it is neither read nor published",
                     "copy the file into the corpus, or remove the link: a link out of the corpus would publish "
                     "whatever it points to on the machine that builds")
        return True

    def kind(self, entry: os.DirEntry[str], rel: str) -> str | None:
        """"dir", "file", or None when the entry is reported and skipped:
        a link out of the corpus, a link loop or to nothing, a link to a
        folder, a FIFO, a device or a socket."""
        link = entry.is_symlink()
        if not link:  # the common case, answered from the folder listing without a system call
            if entry.is_dir(follow_symlinks=False):
                return "dir"
            if entry.is_file(follow_symlinks=False):
                return "file"
        path = Path(entry.path)
        if link and self.escapes(path, rel):
            return None
        try:
            mode = os.stat(path).st_mode  # follows a link; never opens the file
        except OSError as exc:
            why = "a symbolic link loop" if link and exc.errno == 40 else (
                f"a symbolic link to nothing ({printable(os.readlink(path))})" if link else exc.strerror)
            self.problem(rel, "unreadable", f"cannot read: {why}", "fix or remove the link" if link else "")
            return None
        if stat.S_ISDIR(mode):
            if link:
                self.problem(rel, "stray-file", "a symbolic link to a folder: links to folders are not followed",
                             "move the folder itself here, or remove the link", Severity.WARNING)
                return None
            return "dir"
        if stat.S_ISREG(mode):
            return "file"
        self.problem(rel, "special-file", f"{_special(mode)}, not a regular file: it is never opened",
                     "remove it: a corpus holds regular files only")
        return None

    # --- the top of the corpus folder, kind folders, media/ --------------------

    def top_entry(self, entry: os.DirEntry[str], rel: str) -> None:
        kind = self.kind(entry, rel)
        if kind == "dir":
            if entry.name in KIND_OF_FOLDER:
                self.kind_folder(Path(entry.path), rel, KIND_OF_FOLDER[entry.name])
            elif entry.name == MEDIA_FOLDER:
                self.media_folder(Path(entry.path), rel)
            else:
                self.problem(rel, "unknown-folder",
                             f"'{shown(entry.name)}' is not a record folder (known: {', '.join(FOLDERS.values())}, "
                             f"and {MEDIA_FOLDER} for published files)", _near_folder(entry.name))
        elif kind == "file":
            if entry.name == VOCABULARY_FILE:
                self.found.vocabulary = RecordFile(Path(entry.path), rel, "vocabulary", "vocabulary")
            elif entry.name.endswith(RECORD_SUFFIXES):
                self.problem(rel, "misplaced-file", "a record file outside a kind folder is not read",
                             f"move it into one of: {', '.join(f + '/' for f in FOLDERS.values())}")
            else:
                self.problem(rel, "stray-file", "not a record: it is neither read nor published",
                             f"records go in a kind folder, images and documents for the site in {MEDIA_FOLDER}/; "
                             "move anything else out of briefings/", Severity.WARNING)

    def kind_folder(self, folder: Path, rel_folder: str, kind: str) -> None:
        for entry, rel in self.entries(folder, rel_folder):
            what = self.kind(entry, rel)
            if what is None:
                continue
            suffix = os.path.splitext(entry.name)[1]
            if what == "dir":
                self.problem(rel, "not-a-record", "a folder inside a kind folder: nothing in it is read",
                             "records are <id>.yaml files directly in their kind folder; move the folder out of "
                             "briefings/", Severity.WARNING)
                continue
            if suffix not in RECORD_SUFFIXES:
                self.problem(rel, "not-a-record", "not a record file: it is not read",
                             "records are <id>.yaml files; move anything else out of briefings/", Severity.WARNING)
                continue
            stem = entry.name[: -len(suffix)]
            if not is_slug(stem):
                readable = os.fsencode(stem).decode("utf-8", "ignore")
                self.problem(rel, "bad-id", f"file name '{shown(stem)}' is not an id: ids are lower-case slugs"
                             + ("" if readable == stem else " (and the name is not UTF-8)"),
                             f"rename it to {slugify(readable) or 'a-slug'}{suffix} "
                             f"(a-z, 0-9 and single hyphens, at most {SLUG_MAX} characters)")
                continue
            if stem in RESERVED:
                self.problem(rel, "bad-id", f"'{stem}' cannot be an id: it is the name of the page that lists "
                             f"every {kind}, which would replace this record's page",
                             f"rename the file to one that says what the {kind} is")
                continue
            self.found.records.append(RecordFile(Path(entry.path), rel, kind, stem, entry.is_symlink()))

    def media_folder(self, folder: Path, rel_folder: str) -> None:
        for entry, rel in self.entries(folder, rel_folder):
            what = self.kind(entry, rel)
            if what == "dir":
                self.media_folder(Path(entry.path), rel)
            elif what == "file":
                self.media_file(entry, rel)

    def media_file(self, entry: os.DirEntry[str], rel: str) -> None:
        suffix = os.path.splitext(entry.name)[1].lower()
        if suffix not in MEDIA_SUFFIXES:
            self.problem(rel, "stray-file", f"not published: {MEDIA_FOLDER}/ publishes images and PDF documents only",
                         f"allowed: {', '.join(MEDIA_SUFFIXES)}; move anything else out of briefings/",
                         Severity.WARNING)
            return
        uri = rel.split("/", 1)[1]
        if not all(_MEDIA_NAME.fullmatch(part) for part in uri.split("/")):
            self.problem(rel, "bad-file-name", f"'{uri}' is not a web-safe name: it is not published",
                         "use letters, digits, '.', '_' and '-' only, e.g. media/map-2023.png")
            return
        self.found.media.append(MediaFile(Path(entry.path), uri))


def _near_folder(name: str) -> str:
    near = get_close_matches(name, [*FOLDERS.values(), MEDIA_FOLDER], n=1, cutoff=0.6)
    return f"did you mean '{near[0]}'?" if near else "records live in one folder per kind"


def _special(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


# --- reading ------------------------------------------------------------------------


class Refused(Exception):
    """A file that is not read: carries the problem's code, message and hint."""

    def __init__(self, code: str, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.code, self.message, self.hint = code, message, hint

    def problem(self, rel: str) -> Problem:
        return Problem(rel, 0, 0, "", self.code, self.message, self.hint)


def read_limited(path: Path, limit: int) -> bytes:
    """A regular file's bytes, at most ``limit`` of them. The file is opened
    without blocking (a FIFO named like a record cannot hang the run) and
    its type and size are taken from the open file, so that nothing is read
    from a device, and never more than ``limit`` plus one byte."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        why = "a symbolic link loop" if exc.errno == 40 else exc.strerror
        raise Refused("unreadable", f"cannot read: {why}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise Refused("special-file", f"{_special(info.st_mode)}, not a regular file: it is never read",
                          "remove it: a corpus holds regular files only")
        if info.st_size > limit:
            raise too_large(info.st_size, limit)
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, limit + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:  # it grew while being read
            raise too_large(size, limit)
        return b"".join(chunks)
    except OSError as exc:
        raise Refused("unreadable", f"cannot read: {exc.strerror}") from None
    finally:
        os.close(fd)


def too_large(size: int, limit: int) -> Refused:
    return Refused("too-large", f"{size:,} bytes is more than a record may hold ({limit:,})",
                   "split it into several records")
