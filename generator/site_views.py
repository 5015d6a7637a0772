"""The views the site's pages are made of (``generator.views``), built from
a corpus and the reverse relations the pages show (who is quoted where,
which events an actor took part in, what cites a source).

``generator.render`` lays the views out as pages; ``edition_note_view`` is
shared with the PDF.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

from markupsafe import Markup

from generator.citations import Citations
from generator.dates import PartialDate
from generator.diff import RecordChange, describe, grouped
from generator.geography import Geography
from generator.languages import language_name, md_in, row_in
from generator.link import Corpus
from generator.maps import figure_html
from generator.model import Claim, Event, NameUse, Quote, Source
from generator.network import Point, Tie, iso_day, svg
from generator.prose import Presenter, parse
from generator.ranking import Ranking
from generator.reader import Reader
from generator.relations import Patch, Relations
from generator.site_paths import page_path, rel
from generator.subjects import Dispute
from generator.text import md_inline, md_text, paragraphs
from generator.views import (
    ChangedRecord,
    ChangeGroup,
    ClaimView,
    DisputeSide,
    DisputeView,
    EditionView,
    EventRow,
    KindLink,
    Link,
    NameView,
    NetworkView,
    QuoteView,
    SectionView,
    SourceNote,
    TieView,
)
from generator.wording import capital, format_date, in_sentence, short_date, title_of

if TYPE_CHECKING:
    from generator.editions import EditionNote

E = TypeVar("E")
Cites = Citations[SourceNote]


class SiteViews(Reader):
    """Builds the views of records a page shows, linked from that page."""

    def __init__(self, corpus: Corpus, editions: dict[str, EditionNote] | None = None,
                 relations: Patch | None = None, ranking: Ranking | None = None) -> None:
        super().__init__(corpus, ranking)
        self.editions = editions or {}  # brief id -> changes since the previous edition
        self._titles: dict[str, Markup] = {}
        self._row_titles: dict[str, Markup] = {}
        # The reverse relations, made here unless patched from a rendering before's (generator.relations).
        made = relations(self.ranks()) if relations is not None else None
        self.relations = made or Relations.of({rid: e.model for rid, e in corpus.records.items()},
                                              self.sorted_ids(corpus.records))
        self._index()

    def _index(self) -> None:
        """Reverse relations the pages show, computed once."""
        c, r = self.corpus, self.relations
        self.selected_by: dict[str, set[str]] = defaultdict(set)  # record -> briefs whose sections select it
        for brief_id, sections in c.selections.items():
            for ids in sections:
                for rid in ids:
                    self.selected_by[rid].add(brief_id)
        self.events_of_actor, self.events_at, self.events_of_claim = r.events_of_actor, r.events_at, r.events_of_claim
        self.quotes_of, self.quotes_at_event, self.claims_by = r.quotes_of, r.quotes_at_event, r.claims_by
        self.cited_by, self.topics, self.contains = r.cited_by, r.topics, r.contains
        self.dispute_of: dict[str, Dispute] = {}
        for dispute in c.disputes:
            for cid in dispute.claims:
                self.dispute_of[cid] = dispute

    # links --------------------------------------------------------------------------------

    def link(self, page: str, rid: str, text: str | None = None) -> Link:
        entry = self.get(rid)
        label = md_text(text) if text is not None else self.title_md(rid)
        return Link(label, rel(page, page_path(entry.kind, rid)))

    def title_md(self, rid: str) -> Markup:
        """A record's title, escaped once per build, not once per link."""
        return self._title(rid, self._titles, md_in)

    def title_row(self, rid: str) -> Markup:
        """``title_md`` for a listing's HTML rows."""
        return self._title(rid, self._row_titles, row_in)

    def _title(self, rid: str, kept: dict[str, Markup], write: Callable[[str, str | None], Markup]) -> Markup:
        title = kept.get(rid)
        if title is None:
            model = self.get(rid).model
            language = model.language if isinstance(model, Quote | Source) else None
            title = kept[rid] = write(title_of(self.get(rid)), language)
        elif self.reads is not None:
            self.reads.add(rid)
        return title

    def kind_link(self, page: str, rid: str) -> KindLink:
        return KindLink(self.link(page, rid), self.about(rid))

    def backlinks(self, page: str, rid: str) -> list[KindLink]:
        """The records that refer to this one, and the briefs that select it."""
        referrers = set(self.corpus.backlinks.get(rid, []))
        referrers.update(self.selected_by.get(rid, ()))
        referrers.discard(rid)
        return [self.kind_link(page, r) for r in self.sorted_ids(referrers)]

    # views of records ---------------------------------------------------------------------

    def names(self, page: str, names: Sequence[NameUse]) -> list[NameView]:
        return [NameView(n.name, md_in(n.script, n.lang) if n.script else Markup(""),
                         language_name(n.lang) if n.lang else "", tuple(self.link(page, a) for a in n.used_by),
                         n.note or "") for n in names]

    def claim_view(self, page: str, cid: str, cites: Cites) -> ClaimView:
        claim = self.model(cid, Claim)
        dispute = self.dispute_of.get(cid)
        return ClaimView(
            link=self.link(page, cid), details=self.link(page, cid, "details"),
            statement=claim.statement, asserted_by=claim.asserted_by, according_to=in_sentence(claim.asserted_by),
            figure=self.figure(cid), date=self.claim_when(cid),
            cites=cites.cite(claim.sources),
            disputed=Link(md_text(self.dispute_title(dispute)), f"{rel(page, 'disputes.md')}#{dispute.subject}")
            if dispute else None,
            revision=self.revision(cid),
        )

    def quote_view(self, page: str, qid: str, cites: Cites) -> QuoteView:
        quote = self.model(qid, Quote)
        return QuoteView(link=self.link(page, qid, "quote"), text=md_in(quote.text, quote.language),
                         speaker=self.link(page, quote.speaker), said=format_date(quote.said),
                         cites=cites.cite([quote.source]), language=language_name(quote.language),
                         context=quote.context or "",
                         original=md_in(quote.original, quote.said_in) if quote.original else Markup(""),
                         translation=translation(quote))

    def event_row(self, page: str, eid: str, cites: Cites | None = None) -> EventRow:
        event = self.model(eid, Event)
        return EventRow(date=short_date(event.date), link=self.link(page, eid),
                        cites=cites.cite(event.sources) if cites else Markup(""))

    def topic_link(self, page: str, topic: str) -> Link:
        return Link(md_text(self.term("topics", topic)), rel(page, f"topics/{topic}.md"))

    def dispute_view(self, page: str, dispute: Dispute, cites: Cites, shown: set[str] | None = None) -> DisputeView:
        """A dispute's sides; a claim in ``shown`` (already on the page) is
        not linked again, and a claim linked here joins it."""
        sides = []
        for cid in dispute.claims:
            claim = self.model(cid, Claim)
            linked = shown is None or cid not in shown
            if shown is not None:
                shown.add(cid)
            sides.append(DisputeSide(
                link=self.link(page, cid),
                by=self.link(page, cid, claim.asserted_by) if linked else md_text(claim.asserted_by),
                figure=self.figure(cid) or claim.statement,
                statement=claim.statement, asserted_by=claim.asserted_by,
                date=self.claim_when(cid), cites=cites.cite(claim.sources),
                sources=tuple(self.link(page, s) for s in claim.sources)))
        subject = self.corpus.vocabulary.subject(dispute.subject)
        return DisputeView(dispute.subject, self.dispute_title(dispute),
                           (subject.measures or "") if subject else "", tuple(sides))

    def section_view(self, page: str, title: str, summary: str, ids: list[str], cites: Cites) -> SectionView:
        """A brief's section: its selection's events, claims and quotes,
        then the records of other kinds it selects."""
        by_kind: dict[str, list[str]] = defaultdict(list)
        for i in ids:
            by_kind[self.get(i).kind].append(i)
        # One statement a field: the citations are numbered in this order.
        events = tuple(self.event_row(page, e, cites) for e in by_kind["event"])
        claims = tuple(self.claim_view(page, c, cites) for c in by_kind["claim"])
        quotes = tuple(self.quote_view(page, q, cites) for q in by_kind["quote"])
        others = tuple(self.kind_link(page, o) for kind in ("brief", "actor", "place", "source")
                       for o in by_kind[kind])
        return SectionView(title, tuple(paragraphs(summary)) if summary else (), (), events, claims, quotes, others)

    def prose(self, page: str, text: str, cites: Cites) -> tuple[Markup, ...]:
        """An analyst's paragraphs: text escaped, citations numbered with the
        page's others, links to the records' pages."""
        def link(words: str, rid: str) -> Markup:
            return Markup(str(self.link(page, rid, words)))

        presenter = Presenter(
            text=md_inline, link=link, join=Markup("").join,
            cite=lambda ids: cites.cite(s for rid in ids for s in self.sources_of(rid)))
        return tuple(presenter.paragraph(p) for p in parse(text))

    def tie_view(self, page: str, tie: Tie) -> TieView:
        return TieView(self.link(page, tie.source), capital(tie.label), self.link(page, tie.target), tie.when,
                       tie.note, tie.kind, iso_day(tie.start, True), iso_day(tie.end, False))

    def network_view(self, page: str, drawn: Sequence[Tie], places: dict[str, Point], title: str,
                     size: tuple[float, float], centre: str = "") -> NetworkView:
        """A graph drawn at build time, and its ties as a table (its text alternative)."""
        names = {rid: title_of(self.get(rid)) for rid in places}
        return NetworkView(Markup(svg(drawn, places, names, title, *size, centre=centre)),
                           tuple(self.tie_view(page, t) for t in drawn))

    def map_of(self, places: Sequence[str], title: str, geography: Geography) -> Markup:
        """A locator map of the places that have coordinates or a shape; nothing when none has."""
        spots = self.spots(places)
        return Markup(figure_html(spots, title, geography)) if spots else Markup("")

    def edition_view(self, page: str, rid: str) -> EditionView[ChangedRecord] | None:
        """Changes in the brief's scope since the previous edition, grouped
        by kind; records still published are linked."""
        note = self.editions.get(rid)
        if note is None:
            return None
        return edition_note_view(note, lambda r, change: ChangedRecord(
            self.link(page, r.id) if r.id in self.corpus.records else md_text(r.title), change))


def translation(quote: Quote) -> str:
    """"Translated from Arabic by the source"; '' when the quote is not a translation."""
    if quote.said_in is None or quote.translated_by is None:
        return ""
    by = "the source" if quote.translated_by == "source" else "the editors"
    return f"Translated from {language_name(quote.said_in)} by {by}"


def edition_note_view(note: EditionNote, entry: Callable[[RecordChange, str], E]) -> EditionView[E]:
    """A brief's changes since the previous edition, grouped by kind, for
    its page and its PDF alike; ``entry`` makes a changed record's entry
    from the change and what changed, in words."""
    return EditionView(note.tag, format_date(PartialDate.parse(note.day)), note.new_brief,
                       tuple(ChangeGroup(heading, tuple(entry(r, describe(r)) for r in records))
                             for heading, records in grouped(note.changes)))
