"""The listing pages: each kind's index, the timeline, the topics.

A long listing is a hub page and a page per part (``generator.listing_parts``
says which records each part holds); a part links to the parts before and
after it and to its hub. A listing that fits on one page is that page alone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from generator.citations import page_citations
from generator.link import Corpus
from generator.listing_parts import (
    Cut,
    EarlierParts,
    Part,
    PartKey,
    PartMemo,
    by_date,
    by_initial,
    part_key,
    part_path,
)
from generator.model import FOLDERS, Actor, Brief, Claim, Event, Place, Quote, Record, Source
from generator.prose import words
from generator.ranking import Ranking
from generator.record_facts import when
from generator.relations import Patch
from generator.site_paths import href, page_path, rel
from generator.site_views import SiteViews
from generator.text import html_text, md_text
from generator.validate import Entry
from generator.views import FilterOption, IndexRow, Link, Pager, PartLink, RowLink, TimelineRow, TopicCount
from generator.wording import capital, in_sentence, month_heading, short_date, title_of, within_month

if TYPE_CHECKING:
    from generator.editions import EditionNote

KIND_TITLES = {"brief": "Briefs", "event": "Events", "actor": "Actors", "place": "Places", "claim": "Claims",
               "quote": "Quotes", "source": "Sources"}

# A part's page: (its path, its title, the ids it lists, its pager) to Markdown.
PartPage = Callable[[str, str, tuple[str, ...], Pager | None], str]


class ListingPages(SiteViews):
    """Renders the listing pages; ``generator.render.Renderer`` renders the
    rest and gives every page its template."""

    def __init__(self, corpus: Corpus, editions: dict[str, EditionNote] | None = None,
                 relations: Patch | None = None, directory_urls: bool = True, ranking: Ranking | None = None) -> None:
        super().__init__(corpus, editions, relations, ranking)
        self.directory_urls = directory_urls  # the engine's URLs, which the HTML rows' links are written as
        self.earlier: EarlierParts | None = None  # the previous rendering's parts, to keep what is unchanged
        self.part_memo: dict[str, PartMemo] = {}  # what each part's page was made of, for the next
        self.cuts: dict[str, Cut] = {}  # how each dated listing was cut, for the next

    def render(self, template: str, title: str = "", boost: int = 0, **context: object) -> str:
        raise NotImplementedError  # the Renderer's: front matter, then the template

    def listings(self) -> dict[str, str]:
        """Every listing page, its parts included."""
        out: dict[str, str] = {}
        for kind in self.corpus.by_kind:
            out.update(self.kind_index(kind))
        out.update(self.timeline())
        out["topics/index.md"] = self.topics_index()
        for topic in sorted(self.topics):
            out.update(self.topic(topic))
        return out

    def in_parts(self, hub: str, title: str, parts: list[Part] | None, ids: Sequence[str], noun: str,
                 page: PartPage, description: str = "", by: str = "When", unit: str = "") -> dict[str, str]:
        """The listing on one page, or its hub (its parts, each with how
        many ``noun`` it lists, in columns ``by`` and ``unit``) and a page per part."""
        if parts is None:  # kept as a part is: at 10,000 records the actors' is 800 rows, 0.03 s an edit
            return {hub: self.part_page(page, hub, title, tuple(ids), None)}
        paths = [part_path(hub, p.key) for p in parts]

        def link(j: int, here: str) -> Link:
            return Link(md_text(parts[j].label), rel(here, paths[j]))

        def near(j: int, here: str) -> Link | None:
            return link(j, here) if 0 <= j < len(parts) else None

        out = {path: self.part_page(page, path, f"{title}, {part.label}", part.ids,
                                    Pager(Link(md_text(f"All {noun}"), rel(path, hub)), near(i - 1, path),
                                          near(i + 1, path)))
               for i, (part, path) in enumerate(zip(parts, paths, strict=True))}
        out[hub] = self.render(
            "parts.md.j2", title=title, description=description, about=f"{len(ids):,} {noun}, in {len(parts)} parts:",
            by=by, unit=unit or capital(noun), parts=[PartLink(link(i, hub), len(p.ids)) for i, p in enumerate(parts)])
        return out

    def part_page(self, page: PartPage, path: str, title: str, ids: tuple[str, ...], pager: Pager | None) -> str:
        """A part's page: the previous rendering's when nothing it is made
        of changed, else rendered, noting the records it reads."""
        return self.kept_page(path, part_key(path, title, ids, pager), lambda: page(path, title, ids, pager))

    def kept_page(self, path: str, key: PartKey, make: Callable[[], str]) -> str:
        """The previous rendering's page when its ``key`` (a digest of what
        it shows besides its records) is the same and no record it read
        changed; else ``make()``, noting the records it reads."""
        if self.earlier is not None and (was := self.earlier.kept(path, key)) is not None:
            self.part_memo[path] = was
            return self.earlier.pages[path]
        outer, self.reads = self.reads, set()
        try:
            text = make()
            self.part_memo[path] = PartMemo(key, frozenset(self.reads))
        finally:
            self.reads = outer
        return text

    def by_date(self, listing: str, ids: Sequence[str]) -> list[Part] | None:
        """``listing_parts.by_date`` of the listing's rows, or the rendering
        before's cut where it stands (the same rows, none moved)."""
        rows = tuple(ids)
        cut = self.earlier.cut(listing, rows) if self.earlier is not None else None
        if cut is None:
            cut = rows, by_date(rows, self.date_at)
        self.cuts[listing] = cut
        return cut[1]

    def row_link(self, page: str, rid: str) -> RowLink:
        """A link in a listing's rows. The rows are HTML, which the engine
        passes through as it is: at 10,000 records the 53 listing pages
        convert in 1.55 s of Markdown, against 4.59 s with the rows as
        Markdown (a timeline part of 274 rows: 0.02-0.04 s, was 0.08-0.10 s)."""
        return RowLink(self.title_row(rid), href(page, page_path(self.get(rid).kind, rid), self.directory_urls))

    # kinds ----------------------------------------------------------------------------------

    def briefs_in_order(self) -> list[str]:
        """Latest as-of first: the newest brief is what a reader wants."""
        ids = self.corpus.by_kind["brief"]
        return sorted(ids, key=lambda b: (self.model(b, Brief).as_of.earliest, b), reverse=True)

    def kind_index(self, kind: str) -> dict[str, str]:
        hub = f"{FOLDERS[kind]}/index.md"
        ids = self.briefs_in_order() if kind == "brief" else self.sorted_ids(self.corpus.by_kind[kind])
        by_name = kind in ("actor", "place")
        if by_name:
            ids = sorted(ids, key=lambda i: (title_of(self.get(i)).casefold(), i))
            parts = by_initial(ids, lambda i: title_of(self.get(i)))
        else:
            parts = self.by_date(hub, ids)
        return self.in_parts(hub, KIND_TITLES[kind], parts, ids, KIND_TITLES[kind].lower(),
                             lambda path, title, shown, pager: self.kind_rows(kind, path, title, shown, pager),
                             by="Names" if by_name else "When")

    def kind_rows(self, kind: str, page: str, title: str, ids: tuple[str, ...], pager: Pager | None) -> str:
        rows = []
        for rid in ids:
            entry = self.get(rid)
            d = when(entry)
            rows.append(IndexRow(self.row_link(page, rid), html_text(short_date(d) if d else ""),
                                 html_text(self.index_detail(entry))))
        return self.render("index.md.j2", title=title, kind=kind, rows=rows, pager=pager)

    def index_detail(self, entry: Entry) -> str:
        model: Record = entry.model
        if isinstance(model, Actor):
            return capital(self.term("actor_types", model.type))
        if isinstance(model, Place):
            return capital(self.term("place_types", model.type))
        if isinstance(model, Claim):
            return f"according to {in_sentence(model.asserted_by)}"
        if isinstance(model, Quote):
            return title_of(self.get(model.speaker))
        if isinstance(model, Source):
            return model.publisher
        if isinstance(model, Brief):
            return words(model.bottom_line)
        return ""

    # timeline -------------------------------------------------------------------------------

    def timeline(self) -> dict[str, str]:
        ids = self.sorted_ids(self.corpus.by_kind["event"])
        return self.in_parts("timeline.md", "Timeline", self.by_date("timeline.md", ids), ids, "events",
                             self.timeline_page)

    def timeline_page(self, page: str, title: str, ids: tuple[str, ...], pager: Pager | None) -> str:
        years: dict[str, dict[str, list[TimelineRow]]] = {}
        for eid in ids:
            event = self.model(eid, Event)
            row = TimelineRow(html_text(within_month(event.date)), self.row_link(page, eid),
                              html_text(" ".join(sorted({p.actor for p in event.actors}))),
                              html_text(" ".join(sorted(event.topics))))
            years.setdefault(event.date.text[:4], {}).setdefault(month_heading(event.date), []).append(row)
        actors = {p.actor for e in ids for p in self.model(e, Event).actors}
        topics = {t for e in ids for t in self.model(e, Event).topics}
        # A part's title says its year (and month): its headings would say it again.
        one_year = pager is not None and len(years) == 1
        one_month = one_year and len(next(iter(years.values()))) == 1
        return self.render("timeline.md.j2", title=title, years=years, pager=pager,
                           year_headings=not one_year, month_headings=not one_month,
                           actors=[FilterOption(html_text(a), self.title_row(a)) for a in
                                   sorted(actors, key=lambda a: (title_of(self.get(a)).casefold(), a))],
                           topics=[FilterOption(html_text(t), html_text(self.term("topics", t)))
                                   for t in self.topics_in_order() if t in topics],
                           actors_page=rel(page, "actors/index.md"), topics_page=rel(page, "topics/index.md"))

    # topics ---------------------------------------------------------------------------------

    def topics_in_order(self) -> list[str]:
        """Topics by label, as readers look for them."""
        return sorted(self.topics, key=lambda t: (self.term("topics", t).casefold(), t))

    def topics_index(self) -> str:
        page = "topics/index.md"
        return self.render("topics.md.j2", title="Topics", topics=[
            TopicCount(self.topic_link(page, t), len(self.topics[t]), self.corpus.vocabulary.description("topics", t))
            for t in self.topics_in_order()])

    def topic(self, topic: str) -> dict[str, str]:
        ids = self.topics[topic]
        description = self.corpus.vocabulary.description("topics", topic)

        def page(path: str, title: str, shown: tuple[str, ...], pager: Pager | None) -> str:
            cites = page_citations(path, self)
            of = {k: [i for i in shown if self.get(i).kind == k] for k in ("event", "claim", "quote")}
            return self.render("topic.md.j2", title=title, topic=self.term("topics", topic),
                               description=description if pager is None else "", pager=pager,
                               events=[self.event_row(path, e) for e in of["event"]],
                               claims=[self.claim_view(path, c, cites) for c in of["claim"]],
                               quotes=[self.quote_view(path, q, cites) for q in of["quote"]],
                               sources=cites.sources())

        return self.in_parts(f"topics/{topic}.md", f"Topic: {self.term('topics', topic)}",
                             self.by_date(f"topics/{topic}.md", ids), ids, "records on this topic", page,
                             description, unit="Records")
