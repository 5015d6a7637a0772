"""Worker processes that end with their build."""

from __future__ import annotations

import multiprocessing
import os
import sys
import weakref
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def forked(job: Callable[[], T]) -> Future[T]:
    """``job()`` in a worker process of its own, while the caller goes on;
    the worker ends with the job, or with the build. Forked where the system
    can (Linux): the job and all it holds (a corpus, a renderer) are the
    parent's, and nothing is pickled on the way in; only the result comes
    back pickled."""
    context = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None
    executor = ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=_start, initargs=(job,))
    future: Future[T] = executor.submit(_run)
    # The pool's worker processes, which its shutdown forgets (CPython's
    # pool keeps them in ``_processes``; Python 3.14 has ``kill_workers``).
    _WORKERS[future] = dict(getattr(executor, "_processes", None) or {})
    executor.shutdown(wait=False)  # the future still completes; the worker then ends
    return future


# Each job's worker processes, while its future lives: what ``stop`` ends.
_WORKERS: weakref.WeakKeyDictionary[Future[Any], dict[int, Any]] = weakref.WeakKeyDictionary()


def stop(future: Future[Any]) -> None:
    """Ends a job's worker now, when a newer job makes its result useless
    (its future then fails with ``BrokenProcessPool``): a pool's shutdown
    would let the job run to its end."""
    workers = _WORKERS.pop(future, None)
    if workers is None or future.done():
        return
    for process in workers.values():
        process.kill()


_JOBS: list[Callable[[], Any]] = []


def _start(job: Callable[[], Any]) -> None:
    die_with_parent()
    _JOBS.append(job)


def _run() -> Any:
    return _JOBS[-1]()


def die_with_parent() -> None:
    """A worker process (typesetting, exports) ends when its build does, even when the build is
    killed outright (SIGKILL leaves no time to stop the pool): Linux sends
    the worker SIGKILL when its parent dies. Elsewhere the pool's own
    shutdown is all there is."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import multiprocessing
    import signal

    pr_set_pdeathsig = 1
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    parent = multiprocessing.parent_process()
    if parent is not None and not parent.is_alive():  # it died before the line above
        os._exit(1)
