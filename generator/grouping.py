"""Items joined by pairs into connected groups (union-find): revision
series of claims, groups of related actors."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from typing import TypeVar

T = TypeVar("T", bound=Hashable)


def connected(items: Sequence[T], pairs: Iterable[tuple[T, T]]) -> list[list[T]]:
    """The groups the pairs join the items into, each in the items' order,
    the groups in the order of their first items. Pairs naming an item not
    in ``items`` are left out."""
    parent = {item: item for item in items}

    def root(item: T) -> T:
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    for a, b in pairs:
        if a in parent and b in parent:
            parent[root(a)] = root(b)
    groups: dict[T, list[T]] = {}
    for item in items:
        groups.setdefault(root(item), []).append(item)
    return list(groups.values())
