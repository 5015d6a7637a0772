"""Worker processes that end with their build."""

from __future__ import annotations

import os
import sys


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
