"""Output folders replaced whole, and what killed runs left behind cleaned up.

A build writes the new site into a staging folder beside the old one
(``.site.building-*``) and replaces the old one in one step: Linux's
``renameat2(RENAME_EXCHANGE)`` swaps the two folders atomically, so a web
server or an ``rsync`` reading ``site/`` sees the old site or the new one,
never neither. Where the system cannot exchange (not Linux, or a file
system without it) the swap is two renames; a build killed between them
leaves the old site as ``.site.old-*``, and the next build puts it back.

Every build holds a shared lock on the folder the site is in while it runs
(``flock`` on the folder itself: no lock file is left behind). A build that
can take that lock exclusively knows no other build there is running, and
removes the staging and old folders that killed builds left. Scratch folders in the system's temporary folder
(``briefing-scratch-*``) are held by a lock on the folder itself while in use, and
removed by the next build once nobody holds them.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)

try:
    import fcntl
except ImportError:  # not POSIX: no locks, and nothing stale is cleaned
    fcntl = None  # type: ignore[assignment]

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
# A scratch folder is locked right after it is made; one younger than this
# may be between the two, and is left alone.
_SCRATCH_GRACE_S = 60.0
# Only folders of this prefix are ever swept: another program's (or a
# user's) /tmp/briefing-notes, or the benchmark's /tmp/briefing-bench-*, is
# not ours to remove (a build once swept the benchmark's corpus away).
SCRATCH_PREFIX = "briefing-scratch-"


def leftover_patterns(final: Path) -> list[str]:
    """What a build of ``final`` may leave beside it if killed (for .gitignore)."""
    return [f".{final.name}.building-*", f".{final.name}.old-*"]


@dataclass(slots=True)
class Stage:
    """A staging folder for ``final``; ``commit()`` swaps it in."""

    final: Path
    path: Path
    committed: bool = field(default=False)

    def commit(self) -> None:
        # Either way self.path then holds the old site, removed on leaving.
        if not self.final.exists():
            os.rename(self.path, self.final)
        elif not exchange(self.path, self.final):
            _swap_by_renames(self.path, self.final)
        self.committed = True


@contextlib.contextmanager
def staged(final: Path) -> Iterator[Stage]:
    """A folder to build ``final`` in; left (and removed) unless committed.
    Holds the site's lock meanwhile, after cleaning what killed builds left."""
    final = Path(os.path.abspath(final))
    final.parent.mkdir(parents=True, exist_ok=True)
    with _site_lock(final):
        stage = Stage(final, Path(tempfile.mkdtemp(prefix=f".{final.name}.building-", dir=final.parent)))
        try:
            yield stage
        finally:
            shutil.rmtree(stage.path, ignore_errors=True)


@contextlib.contextmanager
def _site_lock(final: Path) -> Iterator[None]:
    if fcntl is None:
        yield
        return
    fd = os.open(final.parent, os.O_RDONLY | os.O_CLOEXEC)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pass  # another build is running: it cleans, or the next one will
        else:
            clean_stale(final)
            clean_scratch()
        fcntl.flock(fd, fcntl.LOCK_SH)
        yield
    finally:
        os.close(fd)  # releases the lock


def clean_stale(final: Path) -> list[Path]:
    """Remove what killed builds of ``final`` left; call only while no other
    build of it runs. An old site left by a kill between two renames is put
    back first when there is no site."""
    building = sorted(final.parent.glob(f".{final.name}.building-*"))
    olds = sorted(final.parent.glob(f".{final.name}.old-*"), key=lambda p: p.stat().st_mtime)
    if not final.exists() and olds:
        olds.pop().rename(final)
        log.info("put back %s, which a killed build had moved aside", final)
    for path in [*building, *olds]:
        shutil.rmtree(path, ignore_errors=True)
    return [*building, *olds]


def exchange(a: Path, b: Path) -> bool:
    """Swap two folders atomically (Linux ``renameat2``); False where the
    system or the file system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:  # a C library older than glibc 2.28
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _swap_by_renames(staging: Path, final: Path) -> None:
    # A name the next build recognises, should this one be killed in between.
    old = final.parent / f".{final.name}.old-{os.getpid()}-{time.monotonic_ns()}"
    os.rename(final, old)
    try:
        os.rename(staging, final)
    except OSError:
        os.rename(old, final)
        raise
    os.rename(old, staging)  # removed with the staging folder


# --- scratch folders in the temporary folder ---------------------------------------


@contextlib.contextmanager
def scratch(what: str) -> Iterator[Path]:
    """A temporary folder that a later build removes if this run is killed:
    it is locked for as long as it is in use."""
    path = Path(tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{what}-"))
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield path
    finally:
        os.close(fd)
        shutil.rmtree(path, ignore_errors=True)


def clean_scratch(now: float | None = None) -> list[Path]:
    """Remove this user's scratch folders that no running process holds."""
    if fcntl is None:
        return []
    now = time.time() if now is None else now
    removed = []
    base = Path(tempfile.gettempdir())
    for path in base.glob(f"{SCRATCH_PREFIX}*"):
        with contextlib.suppress(OSError):
            info = path.lstat()
            if not path.is_dir() or path.is_symlink() or info.st_uid != os.getuid():
                continue
            if now - info.st_mtime < _SCRATCH_GRACE_S:
                continue
            fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # in use
            finally:
                os.close(fd)
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed
