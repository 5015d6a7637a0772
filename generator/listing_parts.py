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

Parts live in a folder named after their hub (``timeline.md`` →
``timeline/2023-09.md``; ``events/index.md`` → ``events/index/2023-09.md``),
where no record's page can be: a record's id is never ``index``
(``generator.slugs.RESERVED``) and topics and the timeline are not record
folders.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from generator.dates import PartialDate, Precision
from generator.wording import MONTHS

PART_ROWS = 400  # a listing longer than this is cut into parts


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
