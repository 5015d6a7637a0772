"""What every exporter reads: the published corpus, where its pages live,
and every link between its records (``generator.exports`` runs them)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from generator.export_memo import Memo
from generator.fields import iter_refs
from generator.link import Corpus
from generator.model import FOLDERS, Brief
from generator.validate import Entry
from generator.wording import title_of

DATA_DIR = "data"  # where the site publishes the exports

@dataclass(frozen=True, slots=True)
class ExportContext:
    """What every exporter reads: the published corpus, and where its pages live."""

    corpus: Corpus
    site_name: str
    site_url: str = ""  # where the site is published; "" when unset: URLs are then relative to its root
    directory_urls: bool = True
    # The library objects made for this corpus (and, through the page
    # cache, for an earlier one): each made again only when its inputs change.
    memo: Memo = field(default_factory=Memo, compare=False, repr=False)
    # claim -> the disputes it is a side of (indexes into corpus.disputes):
    # asked for every claim's page, so worked out once.
    _disputed: dict[str, list[int]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        disputed: dict[str, list[int]] = {}
        for i, dispute in enumerate(self.corpus.disputes):
            for claim in dispute.claims:
                disputed.setdefault(claim, []).append(i)
        object.__setattr__(self, "_disputed", disputed)

    def path(self, rid: str) -> str:
        """A record's page, relative to the site's root: events/x/."""
        folder = FOLDERS[self.corpus.get(rid).kind]
        return f"{folder}/{rid}/" if self.directory_urls else f"{folder}/{rid}.html"

    def url(self, rid: str) -> str:
        """A record's page as a link: absolute when the site's URL is known."""
        return self.link(self.path(rid))

    def disputes_path(self, subject: str) -> str:
        """A dispute's section of the disputes page, relative to the site's root."""
        return f"{'disputes/' if self.directory_urls else 'disputes.html'}#{subject}"

    def disputes_url(self, subject: str) -> str:
        return self.link(self.disputes_path(subject))

    def link(self, path: str) -> str:
        """A path from the site's root as a link: absolute when the site's URL is known."""
        return self.site_url.rstrip("/") + "/" + path if self.site_url else path

    def events_listing(self, claim: str) -> list[str]:
        """The events that list a claim, in id order (an event refers to a
        claim only in its ``claims``: its backlinks of that kind)."""
        return [rid for rid in self.corpus.backlinks.get(claim, []) if self.corpus.get(rid).kind == "event"]

    def disputes_of(self, claim: str) -> list[int]:
        """The disputes a claim is a side of, by their index in the corpus'."""
        return self._disputed.get(claim, [])

    @property
    def stamp(self) -> str:
        """The corpus' own date (the latest as-of of its briefs, ISO, UTC): a
        date formats require (STIX's created) that must not be the clock's."""
        dates = [e.model.as_of.earliest for e in self.corpus.of_kind("brief") if isinstance(e.model, Brief)]
        return timestamp(max(dates)) if dates else "1970-01-01T00:00:00Z"

    def entries(self) -> Iterator[Entry]:
        """Every published record, by kind (in the folders' order), then id."""
        for kind in FOLDERS:
            yield from self.corpus.of_kind(kind)

    def title(self, rid: str) -> str:
        return title_of(self.corpus.get(rid))


def timestamp(moment: datetime) -> str:
    """A UTC moment as RFC 3339 (STIX's timestamps): the year in four digits
    even before 1000, which strftime's %Y does not give."""
    return f"{moment.year:04d}-{moment:%m-%dT%H:%M:%S}Z"


@dataclass(frozen=True, slots=True)
class Link:
    """One reference between two published records: both ends, and where it sits."""

    source: str
    field: str  # where in the source record: sources[1], actors[0].actor
    target: str


def links(ctx: ExportContext) -> list[Link]:
    """Every reference each published record makes, in record order."""
    out: list[Link] = []
    for entry in ctx.entries():
        for site in iter_refs(entry.model):
            if site.target in ctx.corpus.records:
                out.append(Link(entry.id, field_path(site.path), site.target))
    return list(dict.fromkeys(out))  # prose may cite one record twice in a field


def field_path(path: tuple[str | int, ...]) -> str:
    """A path into a record as readers of JSON write it: sections[2].select.ids[0]."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out
