"""Pages cached by their inputs, across builds: ``.cache/briefing/``.

A build leaves these for the next one, in a folder named by a hash of
everything outside the corpus that shapes a page (this package's, the
engine's and the export libraries' versions, mkdocs.yml as read, the theme's
overrides, the page templates, the format of this cache):

- the renderer's state (``generator.incremental.RenderState``): the records
  rendered, what each record page read, and a digest of every page's
  Markdown (the text itself is hundreds of MB at 10,000 records), so that
  the next build renders only the pages an edit can have changed, by the
  same tracking ``serve`` uses (a page whose HTML is lost is rendered);
- every page's HTML as the engine wrote it, named by a hash of its path and
  Markdown, with the search index's entries for it;
- each record file's checked record and problems, by a hash of its bytes,
  so that the check reads again only what changed;
- the exports' STIX and FtM objects by their inputs (``MemoFile``, written
  by the export worker: ``generator.export_memo``).

A page whose Markdown is unchanged and whose record page was not rendered
again is linked into the new site from here, and the engine skips it (its
dirty build); the search index is put together from the cached and the new
entries in the engine's page order, so a cached build gives the same bytes
as a clean one. The cache is never trusted across versions (they are in
the folder's name), a cached file that changed since it was stored is not
used, and deleting the folder changes nothing but the time.
"""

from __future__ import annotations

import contextlib
import copyreg
import hashlib
import hmac
import io
import json
import logging
import os
import pickle
import secrets
import shutil
import sys
from dataclasses import dataclass, field, replace
from importlib import metadata
from pathlib import Path
from types import MappingProxyType
from typing import Any

from mkdocs.utils.yaml import yaml_load

from generator.corpus import FileCache, paused_gc
from generator.incremental import RenderState
from generator.search_entries import SearchEntries
from generator.templating import own_theme_dirs, template_dirs

log = logging.getLogger(__name__)

try:
    import fcntl
except ImportError:  # not POSIX: builds are not kept from sharing the cache
    fcntl = None  # type: ignore[assignment]

CACHE_DIR = Path(".cache") / "briefing"
FORMAT = 7  # bumped whenever what is stored here changes shape
_PACKAGES = ("briefing", "properdocs", "mkdocs", "mkdocs-material", "markdown", "jinja2", "pymdown-extensions",
             "pyyaml", "pydantic", "stix2", "followthemoney")

@dataclass(frozen=True, slots=True)
class CachedPage:
    """A page's HTML in the cache: its name there, the file's size and
    mtime when stored (a file changed since is not used), its search entries."""

    digest: str
    size: int
    mtime_ns: int
    search: tuple[str, ...]  # each entry as JSON (keys in their order: the index is made of them)


@dataclass(slots=True)
class PageCache:
    """One build's view of the cache folder for its inputs' key."""

    folder: Path
    lock: int = -1  # the cache folder's lock, held from opening to closing
    # Hard links between the site and the cache, for a build's new folder;
    # `serve` rewrites its pages in place, so it copies.
    link: bool = True
    state: RenderState | None = None  # the previous build's renderer state
    files: FileCache = field(default_factory=dict)  # the previous build's checked records, by file
    pages: dict[str, CachedPage] = field(default_factory=dict)  # page path -> its HTML in the cache
    stored: dict[str, CachedPage] = field(default_factory=dict)  # what this build leaves
    reused: int = 0  # pages placed from the cache
    checked: dict[str, bool] = field(default_factory=dict)  # digest -> its file is intact

    @property
    def html_dir(self) -> Path:
        return self.folder / "html"

    @property
    def exports(self) -> MemoFile:
        """Where the exports' objects are kept (``generator.export_memo``)."""
        return MemoFile(self.folder / "exports.pickle")

    def html_for(self, path: str, markdown: str) -> CachedPage | None:
        """The cached HTML of this page with this Markdown (or this
        Markdown's digest, as a loaded state holds it), if intact."""
        cached = self.pages.get(path)
        if cached is None or cached.digest != page_digest(path, markdown):
            return None
        return cached if self._intact(cached) else None

    def _intact(self, cached: CachedPage) -> bool:
        """Its file is as stored (asked once a build: ``lost`` and the
        placement of every page both ask)."""
        known = self.checked.get(cached.digest)
        if known is None:
            try:
                info = (self.html_dir / f"{cached.digest}.html").stat()
            except OSError:
                known = False
            else:
                known = (info.st_size, info.st_mtime_ns) == (cached.size, cached.mtime_ns)
            self.checked[cached.digest] = known
        return known

    def close(self) -> None:
        if self.lock >= 0:
            os.close(self.lock)  # releases the lock
            self.lock = -1

    def lost(self) -> set[str]:
        """The record pages and parts of long listings of the loaded state
        whose HTML is not here, or not intact: their Markdown is not kept
        either, so they are rendered."""
        if self.state is None:
            return set()
        return {path for path in [*self.state.reads, *self.state.parts]
                if self.html_for(path, self.state.pages.get(path, "")) is None}

    def place(self, cached: CachedPage, dest: Path) -> None:
        """The cached HTML at ``dest`` in the new site: a hard link (the
        engine does not write a page it skips), or a copy across devices."""
        dest.parent.mkdir(parents=True, exist_ok=True)
        put_file(self.html_dir / f"{cached.digest}.html", dest, self.link)

    def store(self, path: str, markdown: str, written: Path, search: SearchEntries) -> None:
        """Keep a page the engine just wrote (linked; copied for `serve`)."""
        digest = page_digest(path, markdown)
        target = self.html_dir / f"{digest}.html"
        self.html_dir.mkdir(parents=True, exist_ok=True)
        tmp = self.html_dir / f".{digest}.{os.getpid()}"
        put_file(written, tmp, self.link)
        tmp.replace(target)  # whole: a site holding the old file keeps it
        info = target.stat()
        self.stored[path] = CachedPage(digest, info.st_size, info.st_mtime_ns,
                                       tuple(json.dumps(e, default=str) for e in search))

    def keep(self, path: str, cached: CachedPage) -> None:
        """A page placed from the cache stays in it."""
        self.stored[path] = cached
        self.reused += 1

    def leave(self, state: RenderState | None, files: FileCache | None = None) -> None:
        """``save``, for a build whose output is done: a cache that cannot be
        written costs only the next build's time, so it is said, not raised."""
        try:
            self.save(state, files)
        except Exception as exc:
            log.warning("the page cache could not be saved in %s: %s", self.folder, exc)

    def save(self, state: RenderState | None, files: FileCache | None = None) -> None:
        """Write what this build leaves, whole (a temporary file renamed),
        and remove what no page uses any more, and other keys' folders."""
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self.folder / f".state.{os.getpid()}"
        buffer = io.BytesIO()
        pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
        # The vocabulary's read-only mappings, pickled as what they show.
        pickler.dispatch_table = {**copyreg.dispatch_table, MappingProxyType: _proxy}
        # The pages' Markdown is kept as its digest: a page that is not
        # rendered again is placed from its HTML (hundreds of MB at 10,000).
        if state is not None:
            state = replace(state, pages={path: _as_digest(path, text) for path, text in state.pages.items()})
        pickler.dump((FORMAT, state, self.stored, files or {}))
        _write_signed(self.folder / "state.pickle", tmp, buffer.getvalue())
        # What a killed build left: its state half written (the lock says no
        # other build is using this folder), its pages' temporary names below.
        for stale in [*self.folder.glob(".state.*"), *self.folder.glob(".exports.*")]:
            stale.unlink(missing_ok=True)
        used = {f"{c.digest}.html" for c in self.stored.values()}
        if self.html_dir.is_dir():
            for entry in os.scandir(self.html_dir):
                if entry.name not in used:
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)
        for other in self.folder.parent.iterdir():
            if other != self.folder and other.is_dir():
                shutil.rmtree(other, ignore_errors=True)


def put_file(source: Path, dest: Path, link: bool) -> None:
    """``source`` at ``dest``: a hard link (the file is shared, so neither is
    ever rewritten in place), or a copy across devices."""
    if link:
        try:
            os.link(source, dest)
            return
        except OSError:  # another device, or links not allowed: a copy
            pass
    shutil.copyfile(source, dest)


def open_cache(root: Path, config_file: str | None, theme_dirs: list[str], link: bool = True) -> PageCache | None:
    """The cache for these inputs, with what the last build with the same
    inputs left (nothing when there is none, or it cannot be read); None
    while another build holds it (this one then builds every page), or
    where it cannot be made."""
    base = root / CACHE_DIR
    try:
        base.mkdir(parents=True, exist_ok=True)
        lock = os.open(base, os.O_RDONLY | os.O_CLOEXEC)
    except OSError as exc:
        log.info("no page cache in %s (%s): building every page", base, exc.strerror)
        return None
    if fcntl is not None:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(lock)
            log.info("another build is using the page cache: building every page")
            return None
    try:
        config = _config(config_file)
    except Exception as exc:  # the engine read it already; should this fail now, no cache
        log.info("no page cache: %s cannot be read again (%s)", config_file, exc)
        os.close(lock)
        return None
    cache = PageCache(base / inputs_key(root, config, theme_dirs), lock, link)
    loaded = _read_signed(cache.folder / "state.pickle")
    if (isinstance(loaded, tuple) and len(loaded) == 4 and loaded[0] == FORMAT
            and isinstance(loaded[1], RenderState) and isinstance(loaded[2], dict) and isinstance(loaded[3], dict)):
        cache.state, cache.pages, cache.files = loaded[1], loaded[2], loaded[3]
    return cache


@dataclass(frozen=True, slots=True)
class MemoFile:
    """The exports' objects in a cache folder, signed as the state is; read
    and written by the export worker, beside the engine's build."""

    path: Path

    def load(self) -> dict[bytes, object]:
        known = _read_signed(self.path)
        return known if isinstance(known, dict) else {}

    def save(self, known: dict[bytes, object]) -> None:
        """Written whole; a cache that cannot be written costs only time."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            _write_signed(self.path, self.path.with_name(f".exports.{os.getpid()}"),
                          pickle.dumps(known, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError as exc:
            log.info("the exports' objects could not be kept in %s: %s", self.path.parent, exc)


def _read_signed(path: Path) -> object:
    """What a cache file holds, unpickled only when this user's key signed
    it (a file that came with a cloned corpus is not ours, and unpickling
    runs code); None when there is none or it cannot be read."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    signature, data = data[:_SIGNATURE], data[_SIGNATURE:]
    if not hmac.compare_digest(signature, _sign(data)):
        log.info("%s was not written by this user's builds: not used", path)
        return None
    try:
        with paused_gc():  # thousands of records' objects, none of them garbage: a third of the time
            return pickle.loads(data)
    except Exception as exc:  # a damaged file: not used, and replaced
        log.info("%s could not be read (%s): not used", path, exc)
        return None


def _write_signed(path: Path, tmp: Path, data: bytes) -> None:
    """``data`` signed, at ``path`` whole (written to ``tmp``, renamed)."""
    try:
        tmp.write_bytes(_sign(data) + data)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


def _config(config_file: str | None) -> object:
    """mkdocs.yml as the engine's loader reads it (``!ENV`` resolved,
    ``INHERIT`` merged), for its hash."""
    if config_file is None:
        return {}
    with open(config_file, "rb") as stream:
        return yaml_load(stream)


def inputs_key(root: Path, config: object, theme_dirs: list[str]) -> str:
    """A hash of everything outside the corpus that shapes a page."""
    h = hashlib.sha256()
    h.update(f"format {FORMAT}; python {sys.version}\n".encode())
    for name in _PACKAGES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "-"
        h.update(f"{name} {version}\n".encode())
    h.update(json.dumps(config, sort_keys=True, default=_stable).encode())
    h.update(os.environ.get("SOURCE_DATE_EPOCH", "").encode())
    # The page templates, and the theme's overrides (not the installed
    # theme, whose version is above): by content, so a checkout that only
    # touches them keeps the cache.
    for folder in [*template_dirs(root), *own_theme_dirs(theme_dirs)]:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                h.update(str(path).encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()[:32]


_SIGNATURE = 32  # bytes of HMAC-SHA256 before the pickle


def _sign(data: bytes) -> bytes:
    return hmac.new(_user_key(), data, hashlib.sha256).digest()


def _user_key() -> bytes:
    """This user's secret for signing caches, made once (mode 0600) in the
    user's cache folder, outside any corpus."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "briefing"
    path = base / "cache-key"
    with contextlib.suppress(FileNotFoundError):
        return path.read_bytes()
    base.mkdir(parents=True, exist_ok=True)
    tmp = base / f".cache-key.{os.getpid()}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as stream:
        stream.write(secrets.token_bytes(32))
    with contextlib.suppress(FileExistsError):  # another build made it first: theirs is kept
        os.link(tmp, path)
    tmp.unlink()
    return path.read_bytes()


def _proxy(mapping: MappingProxyType[Any, Any]) -> tuple[Any, tuple[dict[Any, Any]]]:
    return _read_only, (dict(mapping),)


def _read_only(mapping: dict[Any, Any]) -> MappingProxyType[Any, Any]:
    return MappingProxyType(mapping)


# A page's Markdown in a loaded state: its digest, marked as one.
_DIGEST = "\0briefing page digest: "


def page_digest(path: str, markdown: str) -> str:
    if is_digest(markdown):
        return markdown[len(_DIGEST):]
    return hashlib.sha256(path.encode() + b"\0" + markdown.encode()).hexdigest()


def is_digest(markdown: str) -> bool:
    """Whether this is a page's Markdown as a loaded state holds it: its digest."""
    return markdown.startswith(_DIGEST)


def _as_digest(path: str, markdown: str) -> str:
    return markdown if is_digest(markdown) else _DIGEST + page_digest(path, markdown)


def _stable(value: object) -> str:
    """A config value that is not plain data (a function named by
    ``!!python/name:``, a path placeholder) by a name stable across runs."""
    if isinstance(value, os.PathLike):
        return str(os.fspath(value))
    name = getattr(value, "__qualname__", None)
    if name is not None:
        return f"{getattr(value, '__module__', '')}.{name}"
    return f"{type(value).__module__}.{type(value).__qualname__}"
