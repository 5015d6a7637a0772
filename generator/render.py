"""Stage 4, render: a linked corpus to Markdown pages, through Jinja.

``render_pages`` is a pure function: corpus in, ``{path: markdown}`` out. The
MkDocs plugin serves the pages from memory; ``briefing pages --out`` writes
them to a folder for any other builder. All decisions (what links where,
citation numbers, ordering, date wording) are made in Python: the views of
records come from ``generator.site_views``, the words from
``generator.wording``; this module gives each page its views and renders its
template, which only presents them. (Serve renders only what an edit can
have changed: ``generator.incremental``.)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment

from generator.citations import page_citations
from generator.corpus import paused_gc
from generator.dates import PartialDate
from generator.export_context import DATA_DIR
from generator.exports import FORMATS
from generator.fidelity import Passage
from generator.geography import Geography
from generator.languages import language_name, md_in
from generator.link import Corpus
from generator.listing_parts import part_key
from generator.model import FOLDERS, Actor, Brief, Claim, Event, Place, Quote, Source
from generator.naming import double_names, first_mention_only
from generator.network import circle_layout, ego, network_layout, relation_tie, ties
from generator.prose import cited, words
from generator.ranking import Ranking
from generator.relations import Patch
from generator.render_listings import KIND_TITLES, ListingPages
from generator.site_paths import page_path
from generator.templating import front_matter, make_env, template_dirs
from generator.text import html_text, md_inline, md_text, paragraphs
from generator.views import (
    ActorEvent,
    BriefSummary,
    Choice,
    DataFile,
    DataFormat,
    FrontPart,
    InContext,
    KeyPoint,
    Link,
    NamesRow,
    Participant,
    RoleView,
    SectionView,
)
from generator.wording import (
    CREDIBILITY,
    RELIABILITY,
    capital,
    format_date,
    opening,
    title_of,
)

if TYPE_CHECKING:
    from generator.editions import EditionNote
    from generator.history import History

LATEST_EVENTS = 8


@dataclass(frozen=True, slots=True)
class SiteOptions:
    """What pages need to know of the site around them."""

    site_name: str = "Briefing"
    pdf_links: bool = False  # link each brief to pdf/<id>.pdf
    as_of: PartialDate | None = None  # an as-of build: every page says so
    history: History | None = None  # when each record last changed (git)
    editions: dict[str, EditionNote] | None = None  # brief id -> changes since the previous edition
    geography: Geography = Geography()  # the maps' base geography and point of view
    passages: dict[str, Passage] = field(default_factory=dict)  # quote id -> where it sits in its source's archive
    exports: tuple[str, ...] = ()  # the data formats published under data/ (generator.exports)
    directory_urls: bool = True  # the engine's URLs (events/x/, else events/x.html), for links written as HTML


def render_pages(corpus: Corpus, root: Path | None = None, options: SiteOptions | None = None,
                 env: Environment | None = None) -> dict[str, str]:
    """Every page of the site as Markdown: ``{path: text}``, in path order."""
    env = env or make_env(template_dirs(root))
    with paused_gc():
        return Renderer(corpus, env, options).pages()


def nav() -> list[dict[str, str] | str]:
    """The site's small navigation: indexes only, never record pages."""
    return [
        {"Home": "index.md"},
        {"Briefs": "briefs/index.md"},
        {"Timeline": "timeline.md"},
        {"Where sources disagree": "disputes.md"},
        {"Quotes": "quotes/index.md"},
        {"Names": "names.md"},
        {"Network": "network.md"},
        {"Actors": "actors/index.md"},
        {"Places": "places/index.md"},
        {"Events": "events/index.md"},
        {"Claims": "claims/index.md"},
        {"Sources": "sources/index.md"},
        {"Topics": "topics/index.md"},
        {"Data": "data.md"},
    ]


def evidence(brief: Brief, selections: list[list[str]]) -> tuple[list[tuple[str, list[str]]], list[list[str]],
                                                                  set[str]]:
    """What a brief page lists under its prose (the site's evidence): for the
    bottom line and each opening part, the records it cites; for each section,
    those it cites and selects. Each record once a page, where first met;
    also every record so listed."""
    shown: set[str] = set()

    def fresh(ids: Iterable[str]) -> list[str]:
        out = [i for i in dict.fromkeys(ids) if i not in shown]
        shown.update(out)
        return out

    parts = [("Bottom line", brief.bottom_line), *((heading, getattr(brief, key)) for key, heading in Brief.FRONT)]
    front = [(heading, fresh(cited(text))) for heading, text in parts if text]
    sections = [fresh([*cited(s.text or ""), *ids]) for s, ids in zip(brief.sections, selections, strict=True)]
    return front, sections, shown


EGO_SIZE = (640.0, 400.0)  # an actor's own graph
NETWORK_WIDTH = 960.0  # the whole network (its height follows from its shape)


class Renderer(ListingPages):
    """Gives each page its views and renders its template."""

    def __init__(self, corpus: Corpus, env: Environment, options: SiteOptions | None = None,
                 relations: Patch | None = None, ranking: Ranking | None = None) -> None:
        self.options = options or SiteOptions()
        super().__init__(corpus, self.options.editions, relations, self.options.directory_urls, ranking)
        self.env = env
        self.double_names = double_names(corpus)
        self.ties = ties(corpus)  # every relation between actors, for the graphs

    def render(self, template: str, title: str = "", boost: int = 0, **context: object) -> str:
        """A page: front matter from Python, then the template's Markdown
        (after the as-of notice, in an as-of build)."""
        notice = ""
        if self.options.as_of is not None:
            notice = self.env.get_template("_as_of.md.j2").render(as_of=format_date(self.options.as_of))
        body = self.env.get_template(template).render(title=title, **context)
        return front_matter(title, boost) + notice + first_mention_only(body, self.double_names, md_text, html_text)

    def record_footer(self, rid: str) -> str:
        """When the record last changed (git) and was last reviewed."""
        entry = self.get(rid)
        change = self.options.history.of(entry.file.rel) if self.options.history else None
        reviewed = entry.model.reviewed
        if change is None and reviewed is None:
            return ""
        return self.env.get_template("_record_footer.md.j2").render(
            changed=format_date(PartialDate.parse(change.day)) if change else "",
            reviewed=format_date(reviewed) if reviewed else "")

    def pages(self, only: set[str] | None = None, reads: dict[str, frozenset[str]] | None = None,
              listings: bool = True) -> dict[str, str]:
        """Every page; with ``only``, the record pages of those ids alone
        (plus, unless ``listings`` is False, every page that is not a
        record's). With ``reads``, each record page's path is mapped to the
        ids of the records it read."""
        c = self.corpus
        out: dict[str, str] = {}
        builders = {"brief": self.brief, "event": self.event, "actor": self.actor, "place": self.place,
                    "claim": self.claim, "quote": self.quote, "source": self.source}
        for kind, ids in c.by_kind.items():
            for rid in ids:
                if only is not None and rid not in only:
                    continue
                path = page_path(kind, rid)
                self.reads = {rid} if reads is not None else None
                out[path] = builders[kind](path, rid) + self.record_footer(rid)
                if reads is not None and self.reads is not None:
                    reads[path] = frozenset(self.reads)
                self.reads = None
        if not listings:
            return out
        out.update(self.listings())
        out.update(self.whole_pages())
        return dict(sorted(out.items()))

    def whole_pages(self) -> dict[str, str]:
        """The pages made from the whole corpus, each kept from the previous
        rendering as a part is: when no record it read changed, and neither
        did what it shows without reading a record (how many records of
        each kind there are, which claims dispute, the ties between actors)."""
        c = self.corpus
        counts = tuple((kind, len(ids)) for kind, ids in c.by_kind.items())
        made: dict[str, tuple[Callable[[], str], object]] = {
            "index.md": (self.home, (counts, len(c.disputes))),
            "disputes.md": (self.disputes, (counts, c.disputes)),
            "names.md": (self.names_page, counts),
            "network.md": (self.network_page, (counts, self.ties)),
            "data.md": (self.data_page, ()),
        }
        return {path: self.kept_page(path, part_key(path, "", (), shape), make)
                for path, (make, shape) in made.items()}

    # record pages -------------------------------------------------------------------------

    def brief(self, page: str, rid: str) -> str:
        brief = self.model(rid, Brief)
        cites = page_citations(page, self)
        # In reading order, so that the citations are numbered as they are read.
        bottom_line = self.prose(page, brief.bottom_line, cites)
        key_figures = [f for s in brief.key_figures if (f := self.key_figure(s, cites.cite)) is not None]
        front = [FrontPart(heading, self.prose(page, text, cites))
                 for key, heading in Brief.FRONT if (text := getattr(brief, key))]
        key_points = [KeyPoint(point.text, tuple(self.link(page, r) for r in point.cites),
                               cites.cite(s for r in point.cites for s in self.sources_of(r)))
                      for point in brief.key_points]
        scope: set[str] = set(brief.cited())
        front_evidence, section_ids, shown = evidence(brief, self.corpus.selections[rid])
        listed = list(front_evidence)
        sections = []
        for section, ids, fresh in zip(brief.sections, self.corpus.selections[rid], section_ids, strict=True):
            scope.update(ids)
            if section.text:
                sections.append(SectionView(section.title, tuple(paragraphs(section.summary or "")),
                                            self.prose(page, section.text, cites), (), (), (), ()))
                listed.append((section.title, fresh))
            else:
                sections.append(self.section_view(page, section.title, section.summary or "", fresh, cites))
        evidence_views = [self.section_view(page, title, "", ids, cites) for title, ids in listed if ids]
        # Events and quotes the key points cite that nothing above shows.
        pointed = [r for point in brief.key_points for r in point.cites if r not in shown]
        events = [i for i in self.sorted_ids(pointed) if self.get(i).kind == "event"]
        quotes = [i for i in self.sorted_ids(pointed) if self.get(i).kind == "quote"]
        in_box = set(brief.key_figures)
        disputes = [d for d in self.corpus.disputes if scope.intersection(d.claims) and d.subject not in in_box]
        return self.render(
            "brief.md.j2", title=brief.title, subtitle=brief.subtitle or "", as_of=format_date(brief.as_of),
            handling=brief.handling or "", bottom_line=bottom_line, front=front,
            key_figures=key_figures, key_points=key_points, sections=sections, evidence=evidence_views,
            map=self.map_of(self.places_of(scope), f"Places in {brief.title}", self.options.geography),
            timeline=[self.event_row(page, e, cites) for e in events], partial_timeline=bool(shown),
            disputes=[self.dispute_view(page, d, cites, shown) for d in disputes],
            quotes=[self.quote_view(page, q, cites) for q in quotes],
            related=[self.link(page, r) for r in brief.related],
            pdf=f"../pdf/{rid}.pdf" if self.options.pdf_links else "",
            changes=self.edition_view(page, rid), sources=cites.sources())

    def event(self, page: str, rid: str) -> str:
        event = self.model(rid, Event)
        cites = page_citations(page, self)
        reported = cites.cite(event.sources)
        return self.render(
            "event.md.j2", title=event.title, date=format_date(event.date),
            end=format_date(event.end) if event.end else "", summary=paragraphs(event.summary), reported=reported,
            actors=[Participant(self.link(page, p.actor), self.term("roles", p.role)) for p in event.actors],
            places=[self.link(page, p) for p in event.places],
            map=self.map_of(event.places, f"Where it happened: {event.title}", self.options.geography),
            topics=[self.topic_link(page, t) for t in event.topics],
            claims=[self.claim_view(page, c, cites) for c in event.claims],
            quotes=[self.quote_view(page, q, cites) for q in self.quotes_at_event.get(rid, [])],
            related=[self.event_row(page, r) for r in self.sorted_ids(event.related)],
            backlinks=self.backlinks(page, rid), note=event.reader_note or "", sources=cites.sources())

    def actor(self, page: str, rid: str) -> str:
        actor = self.model(rid, Actor)
        cites = page_citations(page, self)
        own = ego(self.ties, rid)
        network = self.network_view(page, own, circle_layout(rid, own, *EGO_SIZE),
                                    f"Relations of {actor.name}", EGO_SIZE, rid) if own else None
        # Relations to places are listed, not drawn: the graph is of actors.
        places = [self.tie_view(page, relation_tie(rid, r, self.corpus.vocabulary))
                  for r in actor.relations if r.place is not None]
        return self.render(
            "actor.md.j2", title=actor.name, boost=2, type=capital(self.term("actor_types", actor.type)),
            summary=paragraphs(actor.summary) if actor.summary else [], names=self.names(page, actor.names),
            roles=[RoleView(r.title, self.link(page, r.of) if r.of else None,
                            format_date(r.start) if r.start else "", format_date(r.end) if r.end else "")
                   for r in actor.roles],
            network=network, relations=[*(network.ties if network else ()), *places],
            events=[self.actor_event(page, e, role) for e, role in self.events_of_actor.get(rid, [])],
            quotes=[self.quote_view(page, q, cites) for q in self.quotes_of.get(rid, [])],
            claims=[self.claim_view(page, c, cites) for c in self.claims_by.get(rid, [])],
            backlinks=self.backlinks(page, rid), note=actor.reader_note or "", sources=cites.sources())

    def actor_event(self, page: str, eid: str, role: str) -> ActorEvent:
        row = self.event_row(page, eid)
        return ActorEvent(row.date, row.link, self.term("roles", role))

    def place(self, page: str, rid: str) -> str:
        place = self.model(rid, Place)
        coords = place.coordinates
        return self.render(
            "place.md.j2", title=place.name, boost=2, type=capital(self.term("place_types", place.type)),
            names=self.names(page, place.names),
            summary=paragraphs(place.summary) if place.summary else [],
            coordinates=f"{coords.lat:.4f}, {coords.lon:.4f}" if coords else "",
            map=self.map_of([rid, *sorted(self.contains.get(rid, []))], f"Map of {place.name}",
                            self.options.geography),
            part_of=self.link(page, place.part_of) if place.part_of else None,
            contains=[self.link(page, p) for p in sorted(self.contains.get(rid, []))],
            events=[self.event_row(page, e) for e in self.events_at.get(rid, [])],
            backlinks=self.backlinks(page, rid), note=place.reader_note or "")

    def claim(self, page: str, rid: str) -> str:
        claim = self.model(rid, Claim)
        cites = page_citations(page, self)
        view = self.claim_view(page, rid, cites)
        finding = self.finding(rid)
        current = finding.current if finding is not None else ()
        series = finding.series_of(rid) if finding is not None else ()
        # The latest claims of other asserters, by date. A claim a later one
        # revised is compared with nothing: its series says what replaced it.
        others = [self.claim_view(page, c, cites) for c in current if c != rid and c not in series]
        compared = rid in current
        disputed = finding is not None and finding.verdict == "dispute"
        return self.render(
            "claim.md.j2", claim=view, title=f"Claim: {claim.statement}",
            subject=self.subject_title(claim.subject, current) if claim.subject else "",
            actors=[self.link(page, a) for a in claim.actors],
            events=[self.link(page, e) for e in self.events_of_claim.get(rid, [])],
            rivals=others if compared and disputed else [],
            compatible=others if compared and not disputed else [],
            revisions=[self.claim_view(page, c, cites) for c in series],
            backlinks=self.backlinks(page, rid), note=claim.reader_note or "", sources=cites.sources())

    def quote(self, page: str, rid: str) -> str:
        quote = self.model(rid, Quote)
        cites = page_citations(page, self)
        view = self.quote_view(page, rid, cites)
        title = f"{title_of(self.get(quote.speaker))}: “{opening(quote.text)}”"
        passage = self.options.passages.get(rid)
        context = InContext(md_inline(passage.before), md_inline(passage.quoted),
                            md_inline(passage.after)) if passage else None
        return self.render("quote.md.j2", quote=view, title=title, context=context,
                           event=self.link(page, quote.event) if quote.event else None,
                           backlinks=self.backlinks(page, rid), note=quote.reader_note or "",
                           sources=cites.sources())

    def source(self, page: str, rid: str) -> str:
        source = self.model(rid, Source)
        cites = page_citations(page, self)
        citing = self.cited_by.get(rid, [])
        kinds: dict[str, list[str]] = defaultdict(list)
        for r in citing:
            kinds[self.get(r).kind].append(r)
        return self.render(
            "source.md.j2", title=source.title, heading=md_in(source.title, source.language),
            publisher=source.publisher, authors=source.authors,
            contributors=source.contributors, published=format_date(source.published),
            kind=capital(self.term("source_kinds", source.kind)), url=source.url or "",
            accessed=format_date(source.accessed) if source.accessed else "",
            language=language_name(source.language),
            reliability=f"{source.reliability} ({RELIABILITY[source.reliability]})" if source.reliability else "",
            credibility=f"{source.credibility} ({CREDIBILITY[source.credibility]})" if source.credibility else "",
            summary=paragraphs(source.summary) if source.summary else [],
            retracted=format_date(source.retracted) if source.retracted else "",
            claims=[self.claim_view(page, c, cites) for c in kinds["claim"]],
            quotes=[self.quote_view(page, q, cites) for q in kinds["quote"]],
            events=[self.event_row(page, e) for e in kinds["event"]], note=source.reader_note or "")

    # other pages --------------------------------------------------------------------------

    def home(self) -> str:
        page = "index.md"
        briefs = [BriefSummary(self.link(page, b), format_date(self.model(b, Brief).as_of),
                               words(self.model(b, Brief).bottom_line))
                  for b in self.briefs_in_order()]
        latest = list(reversed(self.sorted_ids(self.corpus.by_kind["event"])))[:LATEST_EVENTS]
        counts = {kind: len(ids) for kind, ids in self.corpus.by_kind.items()}
        return self.render("home.md.j2", title=self.options.site_name, site_name=self.options.site_name, briefs=briefs,
                           latest=[self.event_row(page, e) for e in latest],
                           counts=counts, kind_titles=KIND_TITLES, folders=FOLDERS,
                           disputes=len(self.corpus.disputes))

    def disputes(self) -> str:
        page = "disputes.md"
        cites = page_citations(page, self)
        views = [self.dispute_view(page, d, cites) for d in self.corpus.disputes]
        return self.render("disputes.md.j2", title="Where sources disagree", disputes=views, sources=cites.sources())

    def names_page(self) -> str:
        page = "names.md"
        rows = []
        for kind in ("place", "actor"):
            for rid in sorted(self.corpus.by_kind[kind], key=lambda i: title_of(self.get(i)).casefold()):
                model = self.get(rid).model
                assert isinstance(model, Actor | Place)
                if model.names:
                    rows.append(NamesRow(self.link(page, rid), kind, tuple(self.names(page, model.names))))
        return self.render("names.md.j2", title="Names", rows=rows)

    def data_page(self) -> str:
        """The data published with the site: each format and its files."""
        formats = [DataFormat(f.label, f.about, tuple(DataFile(Link(md_text(path), f"{DATA_DIR}/{path}"), about)
                                                      for path, about in f.files))
                   for name, f in FORMATS.items() if name in self.options.exports]
        return self.render("data.md.j2", title="Data", formats=formats)

    def network_page(self) -> str:
        """Every tie between actors in one graph, filterable by relation type and by date."""
        page = "network.md"
        actors = sorted({rid for t in self.ties for rid in (t.source, t.target)})
        places, height = network_layout(actors, [(t.source, t.target) for t in self.ties], NETWORK_WIDTH)
        kinds = sorted({t.kind for t in self.ties})
        return self.render(
            "network.md.j2", title="Network",
            network=self.network_view(page, self.ties, places, "The actors and their relations",
                                      (NETWORK_WIDTH, height)),
            kinds=[Choice(k, capital(self.term("relation_types", k))) for k in kinds])
