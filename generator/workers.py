"""Worker processes that end with their build."""

from __future__ import annotations

import multiprocessing
import os
import sys
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
    executor.shutdown(wait=False)  # the future still completes; the worker then ends
    return future


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
