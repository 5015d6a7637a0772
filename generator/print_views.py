"""A brief as print HTML: the views the print templates lay out, built from
the same corpus the site uses, and the environment that renders them.

Citations are footnotes (``generator.citations``); ``generator.pdf``
typesets the HTML, and plans which citations carry a note: one note per
source per page.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from generator import __version__
from generator.citations import Citations, footnotes
from generator.dates import PartialDate
from generator.geography import Geography
from generator.history import DEFAULT_EDITIONS, describe_edition
from generator.languages import html_in
from generator.link import Corpus
from generator.maps import figure_html
from generator.model import Brief, Claim, Event, Quote
from generator.naming import double_names, first_mention_only
from generator.prose import Presenter, cited, parse, words
from generator.reader import Reader
from generator.site_paths import page_path
from generator.site_views import edition_note_view, translation
from generator.subjects import Dispute
from generator.templating import template_dirs
from generator.views import (
    EditionView,
    FrontPart,
    PrintBrief,
    PrintChange,
    PrintClaim,
    PrintDispute,
    PrintEvent,
    PrintKeyPoint,
    PrintOther,
    PrintQuote,
    PrintSection,
    PrintSide,
    PrintSource,
    Ref,
)
from generator.wording import capital, format_date, in_sentence, short_date, title_of

if TYPE_CHECKING:
    from generator.editions import EditionNote

log = logging.getLogger(__name__)

PAPER = {"a4": "A4", "letter": "letter"}
Notes = Citations[PrintSource]  # a brief's footnotes
# Which sources each citation gives a note (the others are bare numbers):
# citation id -> source numbers. Worked out by generator.pdf from a typeset page.
NotePlan = Mapping[str, frozenset[int]]


@dataclass(frozen=True, slots=True)
class PdfOptions:
    paper: str = "a4"  # a4 or letter
    handling: str = ""  # default handling line; a brief's own wins
    site_url: str = ""  # when set, records link to their pages on the site
    edition: str = ""  # git tag and commit, or version; found when empty
    as_of: PartialDate | None = None  # an as-of build: the cover says so
    editions: dict[str, EditionNote] | None = None  # brief id -> changes since the previous edition
    edition_tags: str = DEFAULT_EDITIONS
    subject: str = ""  # what the briefing book covers: the site's name
    geography: Geography = Geography()  # the maps' base geography and point of view


# --- a brief as print HTML -------------------------------------------------------------


class PrintRenderer:
    """Builds a brief's print view from the same corpus the site uses.
    Citations are footnotes (``generator.citations``)."""

    def __init__(self, corpus: Corpus, root: Path | None, options: PdfOptions, plan: NotePlan | None = None) -> None:
        self.corpus = corpus
        self.options = options
        self.records = Reader(corpus)
        self.env = print_env(root)
        self.plan = plan  # which citations carry which notes; None: all of them
        self.double_names = double_names(corpus)
        self.calls: list[tuple[str, tuple[int, ...]]] = []  # every citation made, in order: what a plan is made from

    def url(self, rid: str) -> str:
        """The record's page on the published site, if there is one."""
        if not self.options.site_url:
            return ""
        page = page_path(self.records.get(rid).kind, rid).removesuffix(".md")
        return f"{self.options.site_url.rstrip('/')}/{page}.html"

    def ref(self, rid: str) -> Ref:
        return Ref(title_of(self.records.get(rid)), self.url(rid))

    def brief_view(self, rid: str) -> PrintBrief:
        brief = self.records.model(rid, Brief)
        notes, style = footnotes(self.records, rid, self.plan)
        # In reading order, so that the notes are numbered as they are read.
        bottom_line = self.prose(brief.bottom_line, notes)
        key_figures = tuple(f for s in brief.key_figures if (f := self.records.key_figure(s, notes.cite)) is not None)
        front = tuple(FrontPart(heading, self.prose(text, notes))
                      for key, heading in Brief.FRONT if (text := getattr(brief, key)))
        key_points = tuple(PrintKeyPoint(p.text, tuple(self.ref(r) for r in p.cites),
                                         notes.cite(s for r in p.cites for s in self.records.sources_of(r)))
                           for p in brief.key_points)
        scope: set[str] = set(brief.cited())
        # The same places as the site's map of the brief: what it cites and selects.
        places = self.records.places_of({*scope, *(i for ids in self.corpus.selections[rid] for i in ids)})
        spots = self.records.spots(places)
        sections = []
        for section, ids in zip(brief.sections, self.corpus.selections[rid], strict=True):
            if section.text:  # the prose is the section; its evidence is on the site
                sections.append(PrintSection(section.title, section.summary or "", self.prose(section.text, notes),
                                             (), (), (), ()))
            else:
                scope.update(ids)
                sections.append(self.section_view(section.title, section.summary or "", ids, notes))
        # A dispute the prose already gives both sides of, citing each, or the key
        # figures box shows, is not boxed again.
        in_prose = {r for _, text in brief.prose() for r in cited(text)}
        disputes = tuple(self.dispute_view(d, notes) for d in self.corpus.disputes
                         if scope.intersection(d.claims) and d.subject not in brief.key_figures
                         and not in_prose.issuperset(d.claims))
        view = PrintBrief(
            id=rid, title=brief.title, subtitle=brief.subtitle or "", as_of=format_date(brief.as_of),
            as_of_iso=brief.as_of.earliest.isoformat().replace("+00:00", "Z"),
            handling=brief.handling or self.options.handling, bottom_line=bottom_line,
            summary=" ".join(words(brief.bottom_line).split()), front=front,
            key_figures=key_figures, key_points=key_points, sections=tuple(sections), disputes=disputes,
            related=tuple(self.ref(r) for r in brief.related), url=self.url(rid),
            sources=tuple(notes.sources()), footnotes=notes.marks, changes=self.changes_view(rid),
            known_at=format_date(self.options.as_of) if self.options.as_of else "",
            # Wider than high, so that it fits below the key figures on page one.
            map=Markup(figure_html(spots, f"Places in {brief.title}", self.options.geography,
                                   with_coordinates=False, aspect=0.55)) if spots else Markup(""),
        )
        self.calls += style.calls
        return view

    def prose(self, text: str, notes: Notes) -> tuple[Markup, ...]:
        """An analyst's paragraphs in print: citations are footnotes; links go
        to the published site when there is one, else are plain words."""
        def link(words: str, rid: str) -> Markup:
            url = self.url(rid)
            return Markup('<a href="{}">{}</a>').format(url, words) if url else Markup("{}").format(words)

        presenter = Presenter(
            text=lambda t: Markup("{}").format(t), link=link, join=Markup("").join,
            cite=lambda ids: notes.cite(s for r in ids for s in self.records.sources_of(r)))
        return tuple(presenter.paragraph(p) for p in parse(text))

    def changes_view(self, rid: str) -> EditionView[PrintChange] | None:
        note = (self.options.editions or {}).get(rid)
        if note is None:
            return None
        return edition_note_view(note, lambda r, change: PrintChange(
            r.title, self.url(r.id) if r.id in self.corpus.records else "", change))

    def section_view(self, title: str, summary: str, ids: list[str], notes: Notes) -> PrintSection:
        kinds: dict[str, list[str]] = {"event": [], "claim": [], "quote": [], "other": []}
        for i in ids:
            kind = self.records.get(i).kind
            kinds[kind if kind in kinds else "other"].append(i)
        # One statement a field: the footnotes are numbered in this order.
        events = tuple(self.event_view(e, notes) for e in kinds["event"])
        claims = tuple(self.claim_view(c, notes) for c in kinds["claim"])
        quotes = tuple(self.quote_view(q, notes) for q in kinds["quote"])
        others = tuple(self.other_view(o) for o in kinds["other"])
        return PrintSection(title, summary, (), events, claims, quotes, others)

    def other_view(self, rid: str) -> PrintOther:
        ref = self.ref(rid)
        return PrintOther(self.records.about(rid), ref.text, ref.url, self.names(rid))

    def names(self, rid: str) -> Markup:
        """Other names, in their own script where recorded: Khankendi (Xankəndi)."""
        model = self.records.get(rid).model
        names = getattr(model, "names", [])
        return Markup(", ").join(Markup("{} ({})").format(n.name, html_in(n.script, n.lang)) if n.script
                                 else Markup("{}").format(n.name) for n in names)

    def event_view(self, eid: str, notes: Notes) -> PrintEvent:
        event = self.records.model(eid, Event)
        ref = self.ref(eid)
        return PrintEvent(short_date(event.date), ref.text, ref.url, event.summary, notes.cite(event.sources))

    def claim_view(self, cid: str, notes: Notes) -> PrintClaim:
        claim = self.records.model(cid, Claim)
        return PrintClaim(claim.statement, self.records.figure(cid), in_sentence(claim.asserted_by), self.url(cid),
                          notes.cite(claim.sources), self.records.revision(cid))

    def quote_view(self, qid: str, notes: Notes) -> PrintQuote:
        quote = self.records.model(qid, Quote)
        return PrintQuote(html_in(quote.text, quote.language), self.ref(quote.speaker), format_date(quote.said),
                          notes.cite([quote.source]),
                          html_in(quote.original, quote.said_in) if quote.original else Markup(""), translation(quote))

    def dispute_view(self, dispute: Dispute, notes: Notes) -> PrintDispute:
        sides = []
        for cid in dispute.claims:
            claim = self.records.model(cid, Claim)
            sides.append(PrintSide(capital(self.records.figure(cid) or claim.statement), claim.statement,
                                   claim.asserted_by,
                                   self.records.claim_when(cid), notes.cite(claim.sources)))
        return PrintDispute(self.records.dispute_title(dispute), tuple(sides))

    def document(self, brief_id: str) -> tuple[str, PrintBrief]:
        """A brief's print HTML, and the view it was made from."""
        brief = self.brief_view(brief_id)
        html = self.env.get_template("print/brief.html.j2").render(
            brief=brief, css=print_css(self.env, self.options), edition=self.options.edition or edition(None),
            generator=f"briefing {__version__}")
        return self.named(html), brief

    def book(self, brief_ids: Sequence[str], subject: str) -> tuple[str, list[PrintBrief]]:
        """The briefing book's print HTML: one document, numbered as one, with
        a cover giving the subject, as-of and handling, then the briefs."""
        briefs = [self.brief_view(b) for b in brief_ids]
        latest = max(brief_ids, key=lambda b: self.records.model(b, Brief).as_of.earliest)
        handlings = {b.handling for b in briefs}
        html = self.env.get_template("print/book.html.j2").render(
            title="Briefing book", subject=subject, briefs=briefs,
            as_of=format_date(self.records.model(latest, Brief).as_of),
            handling=self.options.handling or (handlings.pop() if len(handlings) == 1 else ""),
            created=max(b.as_of_iso for b in briefs), css=print_css(self.env, self.options),
            edition=self.options.edition or edition(None), generator=f"briefing {__version__}")
        return self.named(html), briefs

    def named(self, html: str) -> str:
        """The naming rule, brief by brief: both names at a brief's first
        mention, one after."""
        head, *articles = html.split("<article ")
        return "<article ".join([head, *(first_mention_only(a, self.double_names, escape) for a in articles)])


def book_order(corpus: Corpus, brief_ids: Sequence[str]) -> list[str]:
    """The book opens with the brief that relates the most others (the
    overview), then those it relates in its order, then the rest by as-of,
    latest first."""
    def model(b: str) -> Brief:
        m = corpus.get(b).model
        assert isinstance(m, Brief)
        return m

    ids = list(brief_ids)
    first = max(ids, key=lambda b: (len(set(model(b).related) & set(ids)), model(b).as_of.earliest, b))
    order = [first, *(r for r in model(first).related if r in ids and r != first)]
    rest = sorted((b for b in ids if b not in order), key=lambda b: (model(b).as_of.earliest, b), reverse=True)
    return [*order, *rest]


def print_css(env: Environment, options: PdfOptions) -> Markup:
    assert env.loader is not None
    css = env.loader.get_source(env, "print/brief.css")[0]
    return Markup(css.replace("{{PAPER}}", PAPER[options.paper]))


def print_env(root: Path | None) -> Environment:
    return Environment(
        loader=ChoiceLoader([FileSystemLoader(str(d)) for d in template_dirs(root)]),
        undefined=StrictUndefined,
        autoescape=select_autoescape(["html", "j2"], default_for_string=True, default=True),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def edition(root: Path | None, pattern: str = DEFAULT_EDITIONS) -> str:
    """The edition's tag and the corpus' git commit (short), marked when
    there are local changes; the package version outside a git repository."""
    return describe_edition(root, pattern) or f"briefing {__version__}"


