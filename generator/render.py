"""Stage 4, render: a linked corpus to Markdown pages, through Jinja.

``render_pages`` is a pure function: corpus in, ``{path: markdown}`` out. The
MkDocs plugin serves the pages from memory; ``briefing pages --out`` writes
them to a folder for any other builder. All decisions (what links where,
citation numbers, ordering, date wording) are made in Python, here and in
``generator.wording`` (the words) and ``generator.templating`` (the Jinja
environment); templates only present what they are given. (Serve renders
only what an edit can have changed: ``generator.incremental``.)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment
from markupsafe import Markup

from generator.corpus import paused_gc
from generator.dates import PartialDate
from generator.link import Corpus, Dispute, when
from generator.model import FOLDERS, Actor, Brief, Claim, Event, NameUse, Place, Quote, Record, Source
from generator.site_paths import page_path, rel
from generator.templating import front_matter, make_env, template_dirs
from generator.text import md_text, paragraphs
from generator.validate import Entry
from generator.wording import (
    CREDIBILITY,
    RELIABILITY,
    figure,
    format_date,
    month_heading,
    short_date,
    subject_title,
    title_of,
)

if TYPE_CHECKING:
    from generator.diff import RecordChange
    from generator.editions import EditionNote
    from generator.history import History

KIND_TITLES = {"brief": "Briefs", "event": "Events", "actor": "Actors", "place": "Places", "claim": "Claims",
               "quote": "Quotes", "source": "Sources"}
LATEST_EVENTS = 8


# --- links and citations --------------------------------------------------------------


@dataclass(slots=True)
class Link:
    text: Markup
    url: str

    def __str__(self) -> str:  # what templates print: a Markdown link
        return f"[{self.text}]({self.url})"

    def __html__(self) -> str:
        return str(self)


@dataclass(slots=True)
class SourceNote:
    number: int
    link: Link
    publisher: str
    published: str
    retracted: str = ""  # when the source was retracted, in words


@dataclass(slots=True)
class Citations:
    """Numbers the sources a page cites, in order of first citation."""

    page: str
    get: Callable[[str], Entry]
    numbers: dict[str, int] = field(default_factory=dict)

    def cite(self, source_ids: Iterable[str]) -> Markup:
        numbered = sorted((self.numbers.setdefault(sid, len(self.numbers) + 1), sid)
                          for sid in dict.fromkeys(source_ids))
        return Markup("".join(f"[\\[{n}\\]]({rel(self.page, page_path('source', sid))}){{.cite}}"
                              for n, sid in numbered))

    def notes(self) -> list[SourceNote]:
        out = []
        for sid, n in sorted(self.numbers.items(), key=lambda item: item[1]):
            source = self.get(sid).model
            assert isinstance(source, Source)
            out.append(SourceNote(n, Link(md_text(source.title), rel(self.page, page_path("source", sid))),
                                  source.publisher, format_date(source.published),
                                  format_date(source.retracted) if source.retracted else ""))
        return out


# --- the renderer -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SiteOptions:
    """What pages need to know of the site around them."""

    site_name: str = "Briefing"
    pdf_links: bool = False  # link each brief to pdf/<id>.pdf
    as_of: PartialDate | None = None  # an as-of build: every page says so
    history: History | None = None  # when each record last changed (git)
    editions: dict[str, EditionNote] | None = None  # brief id -> changes since the previous edition


class Renderer:
    """Builds each page's context and renders its template."""

    def __init__(self, corpus: Corpus, env: Environment, options: SiteOptions | None = None) -> None:
        self.corpus = corpus
        self.env = env
        self.options = options or SiteOptions()
        self.reads: set[str] | None = None  # the records the page being rendered has read
        self._index()

    def _index(self) -> None:
        """Reverse relations the pages show, computed once."""
        c = self.corpus
        self._titles: dict[str, Markup] = {}
        self.selected_by: dict[str, set[str]] = defaultdict(set)  # record -> briefs whose sections select it
        for brief_id, sections in c.selections.items():
            for ids in sections:
                for rid in ids:
                    self.selected_by[rid].add(brief_id)
        self.events_of_actor: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self.events_at: dict[str, list[str]] = defaultdict(list)
        self.events_of_claim: dict[str, list[str]] = defaultdict(list)
        self.quotes_of: dict[str, list[str]] = defaultdict(list)  # speaker -> quotes
        self.quotes_at_event: dict[str, list[str]] = defaultdict(list)
        self.claims_by: dict[str, list[str]] = defaultdict(list)
        self.cited_by: dict[str, list[str]] = defaultdict(list)  # source -> records citing it
        self.contains: dict[str, list[str]] = defaultdict(list)  # place -> places in it
        self.topics: dict[str, list[str]] = defaultdict(list)
        self.dispute_of: dict[str, Dispute] = {}
        for eid in self.sorted_ids(c.by_kind["event"]):
            event = self.model(eid, Event)
            for p in event.actors:
                self.events_of_actor[p.actor].append((eid, p.role))
            for pid in event.places:
                self.events_at[pid].append(eid)
            for cid in event.claims:
                self.events_of_claim[cid].append(eid)
        for qid in self.sorted_ids(c.by_kind["quote"]):
            quote = self.model(qid, Quote)
            self.quotes_of[quote.speaker].append(qid)
            if quote.event:
                self.quotes_at_event[quote.event].append(qid)
        for cid in self.sorted_ids(c.by_kind["claim"]):
            for aid in self.model(cid, Claim).actors:
                self.claims_by[aid].append(cid)
        for rid in self.sorted_ids(c.records):
            for sid in self.sources_of(rid):
                self.cited_by[sid].append(rid)
            for topic in getattr(c.get(rid).model, "topics", ()):
                self.topics[topic].append(rid)
        for pid in c.by_kind["place"]:
            parent = self.model(pid, Place).part_of
            if parent:
                self.contains[parent].append(pid)
        for dispute in c.disputes:
            for cid in dispute.claims:
                self.dispute_of[cid] = dispute

    # helpers ----------------------------------------------------------------------------

    def model(self, rid: str, cls: type[Any]) -> Any:
        model = self.get(rid).model
        assert isinstance(model, cls), (rid, cls)
        return model

    def sorted_ids(self, ids: Iterable[str]) -> list[str]:
        """Chronological (undated last), then by id: the order of every list."""
        def key(rid: str) -> tuple[Any, ...]:
            d = when(self.get(rid))
            return (0, *d.sort_key, rid) if d is not None else (1, rid)
        return sorted(ids, key=key)

    def sources_of(self, rid: str) -> list[str]:
        model = self.get(rid).model
        if isinstance(model, Event | Claim):
            return list(model.sources)
        if isinstance(model, Quote):
            return [model.source]
        return []

    def link(self, page: str, rid: str, text: str | None = None) -> Link:
        entry = self.get(rid)
        label = md_text(text) if text is not None else self.title_md(rid)
        return Link(label, rel(page, page_path(entry.kind, rid)))

    def title_md(self, rid: str) -> Markup:
        """A record's title, escaped once per build, not once per link."""
        title = self._titles.get(rid)
        if title is None:
            title = self._titles[rid] = md_text(title_of(self.get(rid)))
        elif self.reads is not None:
            self.reads.add(rid)
        return title

    def get(self, rid: str) -> Entry:
        """Every record a page shows is read through here, so that a page
        knows what it depends on (see render_incremental)."""
        if self.reads is not None:
            self.reads.add(rid)
        return self.corpus.get(rid)

    def kind_link(self, page: str, rid: str) -> dict[str, Any]:
        entry = self.get(rid)
        return {"kind": entry.kind, "link": self.link(page, rid)}

    def names(self, page: str, names: Sequence[NameUse]) -> list[dict[str, Any]]:
        return [{"name": n.name, "script": n.script or "", "lang": n.lang or "",
                 "used_by": [self.link(page, a) for a in n.used_by], "note": n.note or ""} for n in names]

    def claim_view(self, page: str, cid: str, cites: Citations) -> dict[str, Any]:
        claim = self.model(cid, Claim)
        dispute = self.dispute_of.get(cid)
        return {
            "link": self.link(page, cid), "details": self.link(page, cid, "details"),
            "statement": claim.statement, "asserted_by": claim.asserted_by,
            "figure": figure(claim), "date": format_date(claim.date) if claim.date else "",
            "cites": cites.cite(claim.sources),
            "disputed": Link(md_text(self.dispute_title(dispute)), f"{rel(page, 'disputes.md')}#{dispute.subject}")
            if dispute else None,
        }

    def quote_view(self, page: str, qid: str, cites: Citations) -> dict[str, Any]:
        quote = self.model(qid, Quote)
        return {"link": self.link(page, qid, "quote"), "text": quote.text, "speaker": self.link(page, quote.speaker),
                "said": format_date(quote.said), "cites": cites.cite([quote.source]),
                "language": quote.language, "context": quote.context or ""}

    def event_row(self, page: str, eid: str, cites: Citations | None = None) -> dict[str, Any]:
        event = self.model(eid, Event)
        return {"date": short_date(event.date), "link": self.link(page, eid),
                "cites": cites.cite(event.sources) if cites else Markup(""),
                "actors": " ".join(sorted({p.actor for p in event.actors})), "topics": " ".join(sorted(event.topics))}

    def dispute_view(self, page: str, dispute: Dispute, cites: Citations) -> dict[str, Any]:
        sides = []
        for cid in dispute.claims:
            claim = self.model(cid, Claim)
            sides.append({"link": self.link(page, cid), "figure": figure(claim) or claim.statement,
                          "statement": claim.statement, "asserted_by": claim.asserted_by,
                          "date": format_date(claim.date) if claim.date else "", "cites": cites.cite(claim.sources),
                          "sources": [self.link(page, s) for s in claim.sources]})
        return {"subject": dispute.subject, "title": self.dispute_title(dispute), "sides": sides}

    def dispute_title(self, dispute: Dispute) -> str:
        return subject_title(dispute.subject, (self.model(c, Claim).statement for c in dispute.claims))

    def backlinks(self, page: str, rid: str) -> list[dict[str, Any]]:
        referrers = set(self.corpus.backlinks.get(rid, []))
        referrers.update(self.selected_by.get(rid, ()))
        referrers.discard(rid)
        return [self.kind_link(page, r) for r in self.sorted_ids(referrers)]

    def render(self, template: str, title: str = "", boost: int = 0, **context: Any) -> str:
        """A page: front matter from Python, then the template's Markdown
        (after the as-of notice, in an as-of build)."""
        notice = ""
        if self.options.as_of is not None:
            notice = self.env.get_template("_as_of.md.j2").render(as_of=format_date(self.options.as_of))
        return front_matter(title, boost) + notice + self.env.get_template(template).render(title=title, **context)

    def record_footer(self, rid: str) -> str:
        """When the record last changed (git) and was last reviewed."""
        entry = self.get(rid)
        change = self.options.history.of(entry.file.rel) if self.options.history else None
        reviewed = entry.model.reviewed
        if change is None and reviewed is None:
            return ""
        return self.env.get_template("_record_footer.md.j2").render(
            changed=format_date(PartialDate.parse(change.day)) if change else "",
            commit=change.short if change else "",
            reviewed=format_date(reviewed) if reviewed else "")

    # pages --------------------------------------------------------------------------------

    def pages(self, only: set[str] | None = None,
              reads: dict[str, frozenset[str]] | None = None) -> dict[str, str]:
        """Every page; with ``only``, the record pages of those ids alone
        (plus every page that is not a record's). With ``reads``, each record
        page's path is mapped to the ids of the records it read."""
        c = self.corpus
        out: dict[str, str] = {}
        builders = {"brief": self.brief, "event": self.event, "actor": self.actor, "place": self.place,
                    "claim": self.claim, "quote": self.quote, "source": self.source}
        for kind, ids in c.by_kind.items():
            for rid in ids:
                if only is not None and rid not in only and kind != "brief":
                    continue
                path = page_path(kind, rid)
                self.reads = {rid} if reads is not None else None
                out[path] = builders[kind](path, rid) + self.record_footer(rid)
                if reads is not None and self.reads is not None:
                    reads[path] = frozenset(self.reads)
                self.reads = None
            out[f"{FOLDERS[kind]}/index.md"] = self.kind_index(kind)
        out["index.md"] = self.home()
        out["timeline.md"] = self.timeline()
        out["disputes.md"] = self.disputes()
        out["names.md"] = self.names_page()
        out["topics/index.md"] = self.topics_index()
        for topic in sorted(self.topics):
            out[f"topics/{topic}.md"] = self.topic(topic)
        return dict(sorted(out.items()))

    def home(self) -> str:
        page = "index.md"
        briefs = [{"link": self.link(page, b), "as_of": format_date(self.model(b, Brief).as_of),
                   "bottom_line": self.model(b, Brief).bottom_line}
                  for b in self.briefs_in_order()]
        latest = list(reversed(self.sorted_ids(self.corpus.by_kind["event"])))[:LATEST_EVENTS]
        counts = {kind: len(ids) for kind, ids in self.corpus.by_kind.items()}
        return self.render("home.md.j2", title=self.options.site_name, site_name=self.options.site_name, briefs=briefs,
                           latest=[self.event_row(page, e) for e in latest],
                           counts=counts, kind_titles=KIND_TITLES, folders=FOLDERS,
                           disputes=len(self.corpus.disputes))

    def briefs_in_order(self) -> list[str]:
        """Latest as-of first: the newest brief is what a reader wants."""
        ids = self.corpus.by_kind["brief"]
        return sorted(ids, key=lambda b: (self.model(b, Brief).as_of.earliest, b), reverse=True)

    def brief(self, page: str, rid: str) -> str:
        brief = self.model(rid, Brief)
        cites = Citations(page, self.get)
        key_points = []
        for point in brief.key_points:
            sources = [s for r in point.cites for s in self.sources_of(r)]
            key_points.append({"text": point.text, "see": [self.link(page, r) for r in point.cites],
                               "cites": cites.cite(sources)})
        scope: set[str] = {r for point in brief.key_points for r in point.cites}
        sections = []
        for section, ids in zip(brief.sections, self.corpus.selections[rid], strict=True):
            scope.update(ids)
            sections.append(self.section_view(page, section.title, section.summary or "", ids, cites))
        events = [i for i in self.sorted_ids(scope) if self.get(i).kind == "event"]
        # The closing quotes are those no section shows (a key point's, say).
        shown = {i for ids in self.corpus.selections[rid] for i in ids}
        quotes = [i for i in self.sorted_ids(scope) if self.get(i).kind == "quote" and i not in shown]
        disputes = [d for d in self.corpus.disputes if scope.intersection(d.claims)]
        return self.render(
            "brief.md.j2", title=brief.title, subtitle=brief.subtitle or "", as_of=format_date(brief.as_of),
            handling=brief.handling or "", bottom_line=paragraphs(brief.bottom_line), key_points=key_points,
            sections=sections, timeline=[self.event_row(page, e) for e in events],
            quotes=[self.quote_view(page, q, cites) for q in quotes],
            disputes=[self.dispute_view(page, d, cites) for d in disputes],
            related=[self.link(page, r) for r in brief.related],
            pdf=f"../pdf/{rid}.pdf" if self.options.pdf_links else "",
            changes=self.edition_view(page, rid), sources=cites.notes())

    def edition_view(self, page: str, rid: str) -> dict[str, Any] | None:
        """Changes in the brief's scope since the previous edition, grouped
        by kind; records still published are linked."""
        note = (self.options.editions or {}).get(rid)
        if note is None:
            return None
        return edition_note_view(note, lambda r: {
            "link": self.link(page, r.id) if r.id in self.corpus.records else md_text(r.title)})

    def section_view(self, page: str, title: str, summary: str, ids: list[str], cites: Citations) -> dict[str, Any]:
        by_kind: dict[str, list[str]] = defaultdict(list)
        for i in ids:
            by_kind[self.get(i).kind].append(i)
        return {
            "title": title, "summary": paragraphs(summary) if summary else [],
            "events": [self.event_row(page, e, cites) for e in by_kind["event"]],
            "claims": [self.claim_view(page, c, cites) for c in by_kind["claim"]],
            "quotes": [self.quote_view(page, q, cites) for q in by_kind["quote"]],
            "others": [self.kind_link(page, o) for kind in ("brief", "actor", "place", "source")
                       for o in by_kind[kind]],
        }

    def event(self, page: str, rid: str) -> str:
        event = self.model(rid, Event)
        cites = Citations(page, self.get)
        reported = cites.cite(event.sources)
        return self.render(
            "event.md.j2", title=event.title, date=format_date(event.date), precision=event.date.precision.value,
            end=format_date(event.end) if event.end else "", summary=paragraphs(event.summary), reported=reported,
            actors=[{"link": self.link(page, p.actor), "role": p.role} for p in event.actors],
            places=[self.link(page, p) for p in event.places],
            topics=[Link(md_text(t), rel(page, f"topics/{t}.md")) for t in event.topics],
            claims=[self.claim_view(page, c, cites) for c in event.claims],
            quotes=[self.quote_view(page, q, cites) for q in self.quotes_at_event.get(rid, [])],
            related=[self.event_row(page, r) for r in self.sorted_ids(event.related)],
            backlinks=self.backlinks(page, rid), notes=event.notes or "", sources=cites.notes())

    def actor(self, page: str, rid: str) -> str:
        actor = self.model(rid, Actor)
        cites = Citations(page, self.get)
        return self.render(
            "actor.md.j2", title=actor.name, boost=2, type=actor.type.value.replace("-", " "),
            summary=paragraphs(actor.summary) if actor.summary else [], names=self.names(page, actor.names),
            roles=[{"title": r.title, "of": self.link(page, r.of) if r.of else None,
                    "start": format_date(r.start) if r.start else "", "end": format_date(r.end) if r.end else ""}
                   for r in actor.roles],
            relations=[{"type": r.type.value.replace("-", " "), "actor": self.link(page, r.actor),
                        "start": format_date(r.start) if r.start else "", "end": format_date(r.end) if r.end else "",
                        "note": r.note or ""} for r in actor.relations],
            events=[{**self.event_row(page, e), "role": role} for e, role in self.events_of_actor.get(rid, [])],
            quotes=[self.quote_view(page, q, cites) for q in self.quotes_of.get(rid, [])],
            claims=[self.claim_view(page, c, cites) for c in self.claims_by.get(rid, [])],
            backlinks=self.backlinks(page, rid), notes=actor.notes or "", sources=cites.notes())

    def place(self, page: str, rid: str) -> str:
        place = self.model(rid, Place)
        coords = place.coordinates
        return self.render(
            "place.md.j2", title=place.name, boost=2, type=place.type.value, names=self.names(page, place.names),
            summary=paragraphs(place.summary) if place.summary else [],
            coordinates=f"{coords.lat:.4f}, {coords.lon:.4f}" if coords else "",
            part_of=self.link(page, place.part_of) if place.part_of else None,
            contains=[self.link(page, p) for p in sorted(self.contains.get(rid, []))],
            events=[self.event_row(page, e) for e in self.events_at.get(rid, [])],
            backlinks=self.backlinks(page, rid), notes=place.notes or "")

    def claim(self, page: str, rid: str) -> str:
        claim = self.model(rid, Claim)
        cites = Citations(page, self.get)
        view = self.claim_view(page, rid, cites)
        dispute = self.dispute_of.get(rid)
        rivals = [self.claim_view(page, c, cites) for c in dispute.claims if c != rid] if dispute else []
        return self.render(
            "claim.md.j2", claim=view, title=f"Claim: {claim.statement}",
            actors=[self.link(page, a) for a in claim.actors],
            events=[self.link(page, e) for e in self.events_of_claim.get(rid, [])], rivals=rivals,
            backlinks=self.backlinks(page, rid), notes=claim.notes or "", sources=cites.notes())

    def quote(self, page: str, rid: str) -> str:
        quote = self.model(rid, Quote)
        cites = Citations(page, self.get)
        view = self.quote_view(page, rid, cites)
        return self.render("quote.md.j2", quote=view, title=f"Quote: {title_of(self.get(rid))}",
                           event=self.link(page, quote.event) if quote.event else None,
                           backlinks=self.backlinks(page, rid), notes=quote.notes or "", sources=cites.notes())

    def source(self, page: str, rid: str) -> str:
        source = self.model(rid, Source)
        cites = Citations(page, self.get)
        citing = self.cited_by.get(rid, [])
        kinds: dict[str, list[str]] = defaultdict(list)
        for r in citing:
            kinds[self.get(r).kind].append(r)
        return self.render(
            "source.md.j2", title=source.title, publisher=source.publisher, authors=source.authors,
            contributors=source.contributors, published=format_date(source.published), kind=source.kind.value,
            url=source.url or "", language=source.language,
            reliability=f"{source.reliability} ({RELIABILITY[source.reliability]})" if source.reliability else "",
            credibility=f"{source.credibility} ({CREDIBILITY[source.credibility]})" if source.credibility else "",
            summary=paragraphs(source.summary) if source.summary else [],
            retracted=format_date(source.retracted) if source.retracted else "",
            claims=[self.claim_view(page, c, cites) for c in kinds["claim"]],
            quotes=[self.quote_view(page, q, cites) for q in kinds["quote"]],
            events=[self.event_row(page, e) for e in kinds["event"]], notes=source.notes or "")

    def kind_index(self, kind: str) -> str:
        page = f"{FOLDERS[kind]}/index.md"
        ids = self.briefs_in_order() if kind == "brief" else self.sorted_ids(self.corpus.by_kind[kind])
        if kind in ("actor", "place"):
            ids = sorted(ids, key=lambda i: (title_of(self.get(i)).casefold(), i))
        rows = []
        for rid in ids:
            entry = self.get(rid)
            d = when(entry)
            rows.append({"link": self.link(page, rid), "date": short_date(d) if d else "",
                         "detail": self.index_detail(entry)})
        return self.render("index.md.j2", title=KIND_TITLES[kind], kind=kind, rows=rows)

    def index_detail(self, entry: Entry) -> str:
        model: Record = entry.model
        if isinstance(model, Actor | Place):
            return model.type.value.replace("-", " ")
        if isinstance(model, Claim):
            return f"according to {model.asserted_by}"
        if isinstance(model, Quote):
            return title_of(self.get(model.speaker))
        if isinstance(model, Source):
            return model.publisher
        if isinstance(model, Brief):
            return model.bottom_line
        return ""

    def timeline(self) -> str:
        page = "timeline.md"
        years: dict[str, dict[str, list[dict[str, Any]]]] = {}
        for eid in self.sorted_ids(self.corpus.by_kind["event"]):
            d = self.model(eid, Event).date
            year = d.text[:4]
            years.setdefault(year, {}).setdefault(month_heading(d), []).append(self.event_row(page, eid))
        actors = sorted({a for e in self.corpus.by_kind["event"] for a in
                         (p.actor for p in self.model(e, Event).actors)})
        return self.render("timeline.md.j2", title="Timeline", years=years,
                           actors=[{"id": a, "link": self.link(page, a)} for a in
                                   sorted(actors, key=lambda a: title_of(self.get(a)).casefold())],
                           topics=[{"id": t, "link": Link(md_text(t), f"topics/{t}.md")} for t in sorted(self.topics)])

    def disputes(self) -> str:
        page = "disputes.md"
        cites = Citations(page, self.get)
        views = [self.dispute_view(page, d, cites) for d in self.corpus.disputes]
        return self.render("disputes.md.j2", title="Where sources disagree", disputes=views, sources=cites.notes())

    def names_page(self) -> str:
        page = "names.md"
        rows = []
        for kind in ("place", "actor"):
            for rid in sorted(self.corpus.by_kind[kind], key=lambda i: title_of(self.get(i)).casefold()):
                model = self.get(rid).model
                assert isinstance(model, Actor | Place)
                if model.names:
                    rows.append({"link": self.link(page, rid), "kind": kind, "names": self.names(page, model.names)})
        return self.render("names.md.j2", title="Names", rows=rows)

    def topics_index(self) -> str:
        return self.render("topics.md.j2", title="Topics", topics=[
            {"link": Link(md_text(t), f"{t}.md"), "count": len(ids)} for t, ids in sorted(self.topics.items())])

    def topic(self, topic: str) -> str:
        page = f"topics/{topic}.md"
        cites = Citations(page, self.get)
        ids = self.topics[topic]
        of = {k: [i for i in ids if self.get(i).kind == k] for k in ("event", "claim", "quote")}
        return self.render("topic.md.j2", title=f"Topic: {topic}", topic=topic,
                           events=[self.event_row(page, e) for e in of["event"]],
                           claims=[self.claim_view(page, c, cites) for c in of["claim"]],
                           quotes=[self.quote_view(page, q, cites) for q in of["quote"]], sources=cites.notes())


def edition_note_view(note: EditionNote, record: Callable[[RecordChange], dict[str, Any]]) -> dict[str, Any]:
    """A brief's changes since the previous edition, grouped by kind, for
    its page and its PDF alike; ``record`` gives a changed record's link."""
    from generator.diff import describe, grouped

    return {"since": note.tag, "day": format_date(PartialDate.parse(note.day)), "new_brief": note.new_brief,
            "groups": [{"heading": heading, "entries": [{**record(r), "change": describe(r)} for r in records]}
                       for heading, records in grouped(note.changes)]}


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
        {"Actors": "actors/index.md"},
        {"Places": "places/index.md"},
        {"Events": "events/index.md"},
        {"Claims": "claims/index.md"},
        {"Sources": "sources/index.md"},
        {"Topics": "topics/index.md"},
    ]
