"""What the templates are given: one frozen dataclass per thing a page or a
PDF brief shows.

Views hold presentation-ready values (words, escaped Markdown, links and
citation marks), so templates only lay them out. The site's views come from
``generator.site_views``, the PDF's (``Print*``) from ``generator.pdf``, the
entries of either's source list from ``generator.citations``. Sequences are
tuples: a view does not change once built.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from markupsafe import Markup, escape

E = TypeVar("E")


# --- shared --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ChangeGroup(Generic[E]):
    """Changed records of one kind: "Events", each entry a changed record."""

    heading: str
    entries: tuple[E, ...]


@dataclass(frozen=True, slots=True)
class EditionView(Generic[E]):
    """A brief's changes since the previous edition, grouped by kind."""

    since: str  # the previous edition's tag
    day: str  # its date, in words
    new_brief: bool
    groups: tuple[ChangeGroup[E], ...]


@dataclass(frozen=True, slots=True)
class FrontPart:
    """One of a brief's opening parts: "What's new", its paragraphs."""

    heading: str
    paragraphs: tuple[Markup, ...]


@dataclass(frozen=True, slots=True)
class FigureLine:
    """One figure in a brief's key figures box, with who gives it."""

    figure: str  # "at least 25 people"
    by: str  # who gives it, as printed: "Karabakh Armenian sources"
    when: str
    revision: str  # "revises ..." within one asserter's series, else ""
    cites: Markup


@dataclass(frozen=True, slots=True)
class KeyFigure:
    """A subject in the key figures box: its question, each asserter's
    latest figure, and what they come to."""

    question: str
    standing: str  # "The figures differ but can all be true." ...; "" for a single figure
    disputed: bool
    lines: tuple[FigureLine, ...]


# --- the site's pages ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Link:
    """A Markdown link to another page; templates print it as it is."""

    text: Markup
    url: str

    def __str__(self) -> str:  # what templates print: a Markdown link
        return f"[{self.text}]({self.url})"

    def __html__(self) -> str:
        return str(self)


@dataclass(frozen=True, slots=True)
class RowLink:
    """A link in a long listing's HTML rows (which the engine passes through
    as they are): the URL is the one the engine would write for the Markdown
    link (``generator.site_paths.href``)."""

    text: Markup  # HTML (``generator.text.html_text``)
    href: str

    def __html__(self) -> str:  # what templates print: an HTML link
        return f'<a href="{escape(self.href)}">{self.text}</a>'


@dataclass(frozen=True, slots=True)
class DataFile:
    link: Link
    about: str


@dataclass(frozen=True, slots=True)
class DataFormat:
    """One format on the data page: what it is, and its files."""

    label: str
    about: str
    files: tuple[DataFile, ...]


@dataclass(frozen=True, slots=True)
class SourceNote:
    """A numbered entry of a page's source list."""

    number: int
    link: Link
    publisher: str
    published: str
    retracted: str = ""  # when the source was retracted, in words


@dataclass(frozen=True, slots=True)
class KindLink:
    """A record of any kind, with a few words that place it for a reader:
    "Ilham Aliyev — President of Azerbaijan"."""

    link: Link
    about: str


@dataclass(frozen=True, slots=True)
class NameView:
    """A name a place or actor goes by, and who uses it."""

    name: str  # as English text writes it (a transliteration carries no language of its own)
    script: Markup  # in its own script, marked with its language
    lang: str  # the language's name: Armenian
    used_by: tuple[Link, ...]
    note: str


@dataclass(frozen=True, slots=True)
class ClaimView:
    link: Link
    details: Link  # the same page, as "details"
    statement: str
    asserted_by: str  # as it reads in a cell of its own
    according_to: str  # as it reads after "according to": "the agreement"
    figure: str
    date: str  # when it was made; or "reported ..." when only its source's date is known
    cites: Markup
    disputed: Link | None  # the dispute on the disputes page
    revision: str  # "revises US$9 million (2 April 2024)", "revised on 10 May 2024 to US$6 million"; ''


@dataclass(frozen=True, slots=True)
class QuoteView:
    link: Link
    text: Markup  # marked with its language when it is not the pages'
    speaker: Link
    said: str
    cites: Markup
    language: str  # the language's name
    context: str
    original: Markup  # the words as said, marked with their language; '' when none is recorded
    translation: str  # "Translated from Arabic by the source"; '' when not a translation


@dataclass(frozen=True, slots=True)
class EventRow:
    """An event as a row of a table (the timeline's rows are ``TimelineRow``)."""

    date: str
    link: Link
    cites: Markup  # empty where rows are not cited


@dataclass(frozen=True, slots=True)
class TimelineRow:
    """An event as a row of the timeline, written as HTML: every value is escaped for it."""

    date: Markup
    link: RowLink
    actors: Markup  # ids, space-separated: the timeline's filter reads them
    topics: Markup


@dataclass(frozen=True, slots=True)
class ActorEvent:
    """An event on an actor's page, with the actor's part in it."""

    date: str
    link: Link
    role: str


@dataclass(frozen=True, slots=True)
class DisputeSide:
    link: Link
    by: Link | Markup  # who asserts it, linked to the claim unless the page shows it: a column's heading
    figure: str  # the figure, or the statement when there is none
    statement: str
    asserted_by: str
    date: str  # when the claim was made, or "reported ..."
    cites: Markup
    sources: tuple[Link, ...]


@dataclass(frozen=True, slots=True)
class DisputeView:
    subject: str  # the anchor on the disputes page
    title: str  # the subject's label: the question
    measures: str  # what the question measures; '' when the subject does not say
    sides: tuple[DisputeSide, ...]  # in date order


@dataclass(frozen=True, slots=True)
class KeyPoint:
    text: str
    see: tuple[Link, ...]
    cites: Markup


@dataclass(frozen=True, slots=True)
class SectionView:
    """A brief's section: the records its selection found, by kind."""

    title: str
    summary: tuple[Markup, ...]  # paragraphs
    prose: tuple[Markup, ...]  # the analyst's paragraphs, with citations and links
    events: tuple[EventRow, ...]
    claims: tuple[ClaimView, ...]
    quotes: tuple[QuoteView, ...]
    others: tuple[KindLink, ...]


@dataclass(frozen=True, slots=True)
class ChangedRecord:
    """A record in a brief's changes: linked while it is still published."""

    link: Link | Markup
    change: str  # what changed, in words


@dataclass(frozen=True, slots=True)
class RoleView:
    title: str
    of: Link | None
    start: str
    end: str


@dataclass(frozen=True, slots=True)
class TieView:
    """A row of a network's table (its text alternative): who is related to
    whom, how, and when."""

    source: Link
    relation: str  # the relation type's label: "Member of"
    target: Link  # an actor, or a place (which the graph does not draw)
    when: str  # "from 1991", "" when undated
    note: str
    kind: str  # the relation type's slug, for the network page's filter
    start: str  # the first and last day the tie may hold (ISO), for the filter
    end: str


@dataclass(frozen=True, slots=True)
class Choice:
    """An option of a filter: the value it sets and what readers see."""

    value: str
    label: str


@dataclass(frozen=True, slots=True)
class NetworkView:
    """A graph of actors and the table that is its text alternative."""

    svg: Markup  # drawn at build time; no script needed
    ties: tuple[TieView, ...]


@dataclass(frozen=True, slots=True)
class Participant:
    """An actor on an event's page, with its part in the event."""

    link: Link
    role: str


@dataclass(frozen=True, slots=True)
class IndexRow:
    """A row of a kind's index page, written as HTML: every value is escaped for it."""

    link: RowLink
    date: Markup
    detail: Markup


@dataclass(frozen=True, slots=True)
class FilterOption:
    """An actor or topic the timeline can be filtered by, written as HTML."""

    id: Markup
    label: Markup


@dataclass(frozen=True, slots=True)
class PartLink:
    """A long listing's part, as its hub page lists it: "September 2023", 290."""

    link: Link
    count: int


@dataclass(frozen=True, slots=True)
class Pager:
    """On a part of a long listing: the part before, the whole listing, the part after."""

    up: Link
    previous: Link | None
    next: Link | None


@dataclass(frozen=True, slots=True)
class TopicCount:
    link: Link
    count: int
    description: str


@dataclass(frozen=True, slots=True)
class NamesRow:
    """A place or actor on the names page, with its names."""

    link: Link
    kind: str
    names: tuple[NameView, ...]


@dataclass(frozen=True, slots=True)
class BriefSummary:
    """A brief on the home page."""

    link: Link
    as_of: str
    bottom_line: str


# --- the PDF's briefs ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Ref:
    """A record named in print: linked to its site page when there is one."""

    text: str
    url: str


@dataclass(frozen=True, slots=True)
class PrintChange:
    """A record in a printed brief's changes."""

    text: str
    url: str  # '' once the record is no longer published
    change: str


@dataclass(frozen=True, slots=True)
class PrintSource:
    """An entry of a printed brief's source list: footnotes point here."""

    number: int
    title: Markup  # escaped, marked with its language when it is not the pages'
    publisher: str
    authors: str
    contributors: str
    published: str
    url: str
    accessed: str  # when the url was last opened, in words; ''
    reliability: str


@dataclass(frozen=True, slots=True)
class PrintKeyPoint:
    text: str
    see: tuple[Ref, ...]
    note: Markup  # the footnote


@dataclass(frozen=True, slots=True)
class PrintEvent:
    date: str
    text: str
    url: str
    summary: str
    note: Markup


@dataclass(frozen=True, slots=True)
class PrintClaim:
    statement: str
    figure: str
    according_to: str  # as it reads after "according to": "the agreement"
    url: str
    note: Markup
    revision: str  # as on the site: what the claim revises, or what revised it; ''


@dataclass(frozen=True, slots=True)
class PrintQuote:
    text: Markup  # escaped, marked with its language when it is not the pages'
    speaker: Ref
    said: str
    note: Markup
    original: Markup  # the words as said, marked with their language; '' when none
    translation: str  # "Translated from Arabic by the source"; ''


@dataclass(frozen=True, slots=True)
class PrintOther:
    """A record of another kind a section selects."""

    about: str  # a few words that place it: a role, a type, a publisher and date
    text: str
    url: str
    names: Markup  # its other names, in their own script where recorded


@dataclass(frozen=True, slots=True)
class PrintSection:
    title: str
    summary: str
    prose: tuple[Markup, ...]
    events: tuple[PrintEvent, ...]
    claims: tuple[PrintClaim, ...]
    quotes: tuple[PrintQuote, ...]
    others: tuple[PrintOther, ...]


@dataclass(frozen=True, slots=True)
class PrintSide:
    says: str  # the figure, or the statement when there is none
    statement: str
    asserted_by: str
    date: str  # when the claim was made, or "reported ..."
    note: Markup


@dataclass(frozen=True, slots=True)
class PrintDispute:
    title: str
    sides: tuple[PrintSide, ...]


@dataclass(frozen=True, slots=True)
class PrintBrief:
    """A brief as print HTML shows it."""

    id: str
    title: str
    subtitle: str
    as_of: str
    as_of_iso: str  # the document's date in its metadata
    handling: str
    bottom_line: tuple[Markup, ...]  # paragraphs, with their citations
    summary: str  # the bottom line as plain words: the document's description
    front: tuple[FrontPart, ...]
    key_figures: tuple[KeyFigure, ...]
    key_points: tuple[PrintKeyPoint, ...]
    sections: tuple[PrintSection, ...]
    disputes: tuple[PrintDispute, ...]
    related: tuple[Ref, ...]
    url: str
    sources: tuple[PrintSource, ...]
    footnotes: int  # how many were made: tests hold the PDF to this number
    changes: EditionView[PrintChange] | None
    known_at: str  # an as-of build's date, in words
    map: Markup  # a locator map of the brief's places, in a figure; empty when none has coordinates


@dataclass(frozen=True, slots=True)
class InContext:
    """A quote in the sentence around it, as its source's archived text
    prints it (generator.fidelity), each part as Markdown text."""

    before: Markup
    quoted: Markup
    after: Markup
