"""Long listings in parts: which records each part of a listing page holds.

A listing (a kind's index, the timeline, a topic) with more than
``PART_ROWS`` rows becomes a hub page that links to its parts, and a page
per part. Dated listings are cut by year, and a year still too long by
month; listings by name are cut by initial. A part is named by what it
holds (``2023``, ``2023-09``, ``a``), so that an edit changes the parts that
hold the record and no other: a build converts a part of a few hundred rows
again, not a page of thousands, and no search section grows past what a
search engine indexes (Zensical stops at 16,384 words a section).

A listing of ``PART_ROWS`` rows or fewer is one page, as it always was.

A part's page is kept from the previous rendering (``serve``, cached
builds) when what it is made of is unchanged: its key (path, title, rows
and pager) and the records it read (``EarlierParts``), as a record page is.

Parts live in a folder named after their hub (``timeline.md`` →
``timeline/2023-09.md``; ``events/index.md`` → ``events/index/2023-09.md``),
where no record's page can be: a record's id is never ``index``
(``generator.slugs.RESERVED``) and topics and the timeline are not record
folders.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from generator.dates import PartialDate, Precision
from generator.wording import MONTHS

PART_ROWS = 400  # a listing longer than this is cut into parts


# What a part's page shows besides its records' content, compared as it is:
# the rows of the rendering before are mostly the same tuples, compared by
# identity (a digest of each key's repr, 660 parts at 10,000 records, took 0.025 s an edit).
PartKey = tuple[str, str, tuple[str, ...], object]


@dataclass(frozen=True, slots=True)
class PartMemo:
    """What a part's page was made of: its path, title, rows and pager
    (``part_key``), and the records it read."""

    key: PartKey
    reads: frozenset[str]


@dataclass(frozen=True, slots=True)
class EarlierParts:
    """The previous rendering's parts, for the next: a part whose key is the
    same and whose records an edit did not touch keeps its page."""

    memo: Mapping[str, PartMemo]
    pages: Mapping[str, str]  # the previous pages (a page's Markdown, or its digest in a loaded state)
    # The records an edit changed, and the claims it may have put in or out
    # of a dispute with them (generator.incremental). Not the records they
    # link to, as for record pages: a part shows only what it reads.
    changed: AbstractSet[str]
    lost: AbstractSet[str] = frozenset()  # pages whose HTML the page cache lost: rendered again
    cuts: Mapping[str, Cut] = field(default_factory=dict)  # how each dated listing was cut
    moved: AbstractSet[str] = frozenset()  # the records an edit gave another year or month, or added or removed

    def cut(self, listing: str, ids: tuple[str, ...]) -> Cut | None:
        """The listing's cut by the rendering before, when its rows are the
        same and no row moved to another year or month."""
        was = self.cuts.get(listing)
        if was is None or was[0] != ids or (self.moved and not self.moved.isdisjoint(ids)):
            return None
        return was

    def kept(self, path: str, key: PartKey) -> PartMemo | None:
        was = self.memo.get(path)
        if was is None or was.key != key or path in self.lost or path not in self.pages or was.reads & self.changed:
            return None
        return was


# A dated listing's rows, and its parts (None: on one page).
Cut = tuple[tuple[str, ...], "list[Part] | None"]


def date_cut(d: PartialDate | None) -> tuple[tuple[str, str], tuple[str, str]]:
    """What a dated listing's cut reads of a row's date: its year's part and its month's."""
    return _year(d), _month(d)


def part_key(path: str, title: str, ids: Sequence[str], pager: object) -> PartKey:
    """What a part's page shows besides its records' content."""
    return path, title, tuple(ids), pager


@dataclass(frozen=True, slots=True)
class Part:
    """The records one part of a listing holds, in the listing's order."""

    key: str  # its page's name: "2023", "2023-09", "a", "undated"
    label: str  # what a reader is told it holds: "September 2023"
    ids: tuple[str, ...]


def part_path(hub: str, key: str) -> str:
    """A part's page, in the folder named after its hub page."""
    return f"{hub.removesuffix('.md')}/{key}.md"


def by_date(ids: Sequence[str], date_of: Callable[[str], PartialDate | None],
            limit: int | None = None) -> list[Part] | None:
    """A dated listing's parts: by year, and a year of more than ``limit``
    rows by month (its dates given only as a year in a part of their own).
    None when the listing fits on one page, or cannot be cut."""
    rows = PART_ROWS if limit is None else limit
    if len(ids) <= rows:
        return None
    parts = []
    for year in _grouped(ids, lambda rid: _year(date_of(rid))):
        if len(year.ids) <= rows or year.key == _UNDATED[0]:
            parts.append(year)
        else:
            parts += _grouped(year.ids, lambda rid: _month(date_of(rid)))
    return _several(parts)


def by_initial(ids: Sequence[str], name_of: Callable[[str], str], limit: int | None = None) -> list[Part] | None:
    """A listing by name's parts, by the names' first letter (its accents
    left aside); names that begin otherwise share a part. None when the
    listing fits on one page, or cannot be cut."""
    if len(ids) <= (PART_ROWS if limit is None else limit):
        return None
    return _several(_grouped(ids, lambda rid: _initial(name_of(rid))))


# The parts no year or initial names: (key, label).
_UNDATED = ("undated", "No date")
_OTHER = ("other", "Other names")


def _several(parts: list[Part]) -> list[Part] | None:
    """A listing in one part is a listing on one page: its rows cannot be
    cut any finer (a single month, names of one initial)."""
    return parts if len(parts) > 1 else None


def _grouped(ids: Sequence[str], key_of: Callable[[str], tuple[str, str]]) -> list[Part]:
    """The ids grouped by key, each group in the listing's order, the groups
    in the order their first id comes."""
    groups: dict[tuple[str, str], list[str]] = {}
    for rid in ids:
        groups.setdefault(key_of(rid), []).append(rid)
    return [Part(key, label, tuple(members)) for (key, label), members in groups.items()]


def _year(d: PartialDate | None) -> tuple[str, str]:
    if d is None:
        return _UNDATED
    return d.text[:4], d.text[:4]


def _month(d: PartialDate | None) -> tuple[str, str]:
    if d is None:
        return _UNDATED
    if d.precision is Precision.YEAR:
        return d.text[:4], f"{d.text[:4]}, month not known"
    return d.text[:7], f"{MONTHS[int(d.text[5:7]) - 1]} {d.text[:4]}"


def _initial(name: str) -> tuple[str, str]:
    """A name's part: its first letter without accents (Ağdam: a), a digit's
    part for names that begin with one, and one part for the rest."""
    first = unicodedata.normalize("NFKD", name.strip()[:1].casefold())[:1]
    if "a" <= first <= "z":
        return first, first.upper()
    if first.isascii() and first.isdigit():
        return "0-9", "0–9"
    return _OTHER
