"""Export objects remembered by what they are made from, across builds.

The STIX and FollowTheMoney libraries check every object as it is made,
which is most of an export's time (STIX alone takes seconds at 10,000
records). An object is the same whenever what it is made from is the same,
so each is kept under a hash of its inputs (its kind and every property
given to the library), as the plain data it serialises to: after an edit,
only the objects whose inputs changed are made again. Nothing is inferred
about which records an object depends on, so nothing can go stale: a
changed input is a different key.

Between builds the objects live in the page cache's folder
(``generator.page_cache`` gives the store); without one, a run remembers
them only while it lasts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Protocol, TypeVar, cast

T = TypeVar("T")

_PLAIN = (str, int, float, bool, type(None))
_MISSING = object()


class MemoStore(Protocol):
    """Where a memo is kept between runs."""

    def load(self) -> dict[bytes, object]: ...

    def save(self, known: dict[bytes, object]) -> None: ...


class Memo:
    """The objects made in this run, and those an earlier run left."""

    def __init__(self, known: dict[bytes, object] | None = None) -> None:
        self.known = known or {}
        self.used: dict[bytes, object] = {}  # what this run made or took: what is kept for the next
        self.made_here = 0

    def made(self, kind: str, inputs: object, make: Callable[[], T]) -> T:
        """``make()``, or what it gave before for the same ``kind`` and
        ``inputs`` (plain data only: its text is the key). The value is
        shared: callers do not change it."""
        key = hashlib.blake2b(f"{kind}\0{_key_text(inputs)}".encode(), digest_size=16).digest()
        value = self.used.get(key, _MISSING)
        if value is _MISSING:
            value = self.known.get(key, _MISSING)
            if value is _MISSING:
                value = make()
                self.made_here += 1
            self.used[key] = value
        return cast(T, value)


def _key_text(value: object) -> str:
    """The inputs as text that says all of them: plain data only, so that
    no object's own repr (an address, a summary) can stand for its content."""
    _check_plain(value)
    return repr(value)


def _check_plain(value: object) -> None:
    if type(value) in _PLAIN:
        return
    if type(value) in (list, tuple):
        for item in cast("list[object]", value):
            _check_plain(item)
        return
    if type(value) is dict:
        for k, v in cast("dict[object, object]", value).items():
            _check_plain(k)
            _check_plain(v)
        return
    raise TypeError(f"an export memo's key holds a {type(value).__name__}, not plain data")
