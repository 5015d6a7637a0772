"""Citation numbers: the sources a page or a brief cites, numbered in order
of first citation, for the site and the PDF alike.

``Citations`` does the numbering; a style presents it. On the site
(``PageCitations``) a citation is a row of Markdown links to the sources'
pages, ``[1][2]``, and the list closes the page; in a PDF (``Footnotes``)
a citation is a footnote naming each source by its number in the list at the
brief's end.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

from markupsafe import Markup

from generator.languages import html_in, md_in
from generator.model import Source
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
    """The PDF's style: a footnote naming each source by its number, linked
    to its entry in the source list."""

    records: Reader
    prefix: str  # anchors are per brief: a briefing book holds several

    def mark(self, cited: Sequence[tuple[int, str]]) -> Markup:
        parts = []
        for n, sid in cited:
            source = self.records.model(sid, Source)
            parts.append(Markup('<a href="#{}-source-{}">[{}]</a> {}, {}').format(
                self.prefix, n, n, source.publisher, format_date(source.published)))
        return Markup('<span class="fn">{}</span>').format(Markup("; ").join(parts))

    def listed(self, number: int, source_id: str) -> PrintSource:
        source = self.records.model(source_id, Source)
        return PrintSource(number, html_in(source.title, source.language), source.publisher,
                           ", ".join(source.authors), ", ".join(source.contributors),
                           format_date(source.published), source.url or "",
                           format_date(source.accessed) if source.accessed else "", source.reliability or "")


def page_citations(page: str, records: Reader) -> Citations[SourceNote]:
    """Citations for one page of the site."""
    return Citations(PageCitations(page, records))


def footnotes(records: Reader, brief_id: str) -> Citations[PrintSource]:
    """Citations for one printed brief: its footnotes."""
    return Citations(Footnotes(records, brief_id))
