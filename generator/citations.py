"""Citation numbers: the sources a page or a brief cites, numbered in order
of first citation, for the site and the PDF alike.

``Citations`` does the numbering; a style presents it. On the site
(``PageCitations``) a citation is a row of Markdown links to the sources'
pages, ``[1][2]``, and the list closes the page; in a PDF (``Footnotes``)
a citation is the sources' numbers, each with a footnote naming the source
the first time it is cited on a page.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

from markupsafe import Markup

from generator.languages import html_in, md_in
from generator.model import Source
from generator.pagination import note_id
from generator.reader import Reader
from generator.site_paths import page_path, rel
from generator.views import Link, PrintSource, SourceNote
from generator.wording import format_date

N = TypeVar("N")
N_co = TypeVar("N_co", covariant=True)


class CitationStyle(Protocol[N_co]):
    """How citations are presented."""

    def mark(self, cited: Sequence[tuple[int, str]]) -> Markup:
        """A citation of one or more sources: (number, source id), in the order cited."""

    def listed(self, number: int, source_id: str) -> N_co:
        """A source's entry in the list of sources."""


@dataclass(slots=True)
class Citations(Generic[N]):
    """Numbers the sources a page or brief cites, in order of first citation."""

    style: CitationStyle[N]
    numbers: dict[str, int] = field(default_factory=dict)
    marks: int = 0  # the citations made (a PDF's footnotes)

    def cite(self, source_ids: Iterable[str]) -> Markup:
        """A citation of these sources; a source cited before keeps its number."""
        cited = [(self.numbers.setdefault(sid, len(self.numbers) + 1), sid) for sid in dict.fromkeys(source_ids)]
        if not cited:
            return Markup("")
        self.marks += 1
        return self.style.mark(cited)

    def sources(self) -> list[N]:
        """Every source cited so far, in number order."""
        return [self.style.listed(n, sid) for sid, n in sorted(self.numbers.items(), key=lambda item: item[1])]


@dataclass(slots=True)
class PageCitations:
    """The site's style: links to the sources' pages, numbered in order."""

    page: str
    records: Reader  # read through it: a page depends on the sources it lists

    def mark(self, cited: Sequence[tuple[int, str]]) -> Markup:
        return Markup("".join(f"[\\[{n}\\]]({rel(self.page, page_path('source', sid))}){{.cite}}"
                              for n, sid in sorted(cited)))

    def listed(self, number: int, source_id: str) -> SourceNote:
        source = self.records.model(source_id, Source)
        return SourceNote(number, Link(md_in(source.title, source.language),
                                       rel(self.page, page_path("source", source_id))),
                          source.publisher, format_date(source.published),
                          format_date(source.retracted) if source.retracted else "")


@dataclass(slots=True)
class Footnotes:
    """The PDF's style: a citation is the sources' numbers as footnote calls.
    A source's first citation on a page carries its note (publisher, title,
    date, linked to its entry in the source list); later ones on that page
    are bare numbers. Which is which, ``plan`` says, worked out from where
    the pages break (``generator.pdf``); without a plan, every call carries
    its note. Each citation is anchored (``calls``) so the plan can find its page."""

    records: Reader
    prefix: str  # anchors are per brief: a briefing book holds several
    plan: Mapping[str, frozenset[int]] | None = None
    calls: list[tuple[str, tuple[int, ...]]] = field(default_factory=list)  # (anchor, source numbers), in order

    def mark(self, cited: Sequence[tuple[int, str]]) -> Markup:
        anchor = f"{self.prefix}-call-{len(self.calls) + 1}"
        numbers = tuple(n for n, _ in cited)
        self.calls.append((anchor, numbers))
        noted = self.plan.get(anchor, frozenset(numbers)) if self.plan is not None else frozenset(numbers)
        parts = [self._note(n, sid, anchor) if n in noted else
                 Markup('<a class="ref" href="#{}-source-{}">{}</a>').format(self.prefix, n, n)
                 for n, sid in sorted(cited)]
        return Markup('<a class="call" id="{}"></a>').format(anchor) + Markup('<span class="sep">,</span>').join(parts)

    def _note(self, number: int, source_id: str, anchor: str) -> Markup:
        source = self.records.model(source_id, Source)
        return Markup('<span class="fn" id="{}" data-n="{}"><a href="#{}-source-{}">{}</a>, “{}”, {}.</span>'
                      ).format(note_id(anchor, number), number, self.prefix, number, source.publisher,
                               html_in(source.title, source.language), format_date(source.published))

    def listed(self, number: int, source_id: str) -> PrintSource:
        source = self.records.model(source_id, Source)
        return PrintSource(number, html_in(source.title, source.language), source.publisher,
                           ", ".join(source.authors), ", ".join(source.contributors),
                           format_date(source.published), source.url or "",
                           format_date(source.accessed) if source.accessed else "", source.reliability or "")


def page_citations(page: str, records: Reader) -> Citations[SourceNote]:
    """Citations for one page of the site."""
    return Citations(PageCitations(page, records))


def footnotes(records: Reader, brief_id: str,
              plan: Mapping[str, frozenset[int]] | None = None) -> tuple[Citations[PrintSource], Footnotes]:
    """Citations for one printed brief: its footnotes, and the style, which
    keeps the calls made."""
    style = Footnotes(records, brief_id, plan)
    return Citations(style), style
