"""Citation numbers on the site's pages: the sources a page cites, numbered
in order of first citation, as links to the sources' pages and the list
that closes the page."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from markupsafe import Markup

from generator.model import Source
from generator.reader import Reader
from generator.site_paths import page_path, rel
from generator.text import md_text
from generator.views import Link, SourceNote
from generator.wording import format_date


@dataclass(slots=True)
class Citations:
    """Numbers the sources a page cites, in order of first citation."""

    page: str
    records: Reader  # read through it: a page depends on the sources it lists
    numbers: dict[str, int] = field(default_factory=dict)

    def cite(self, source_ids: Iterable[str]) -> Markup:
        numbered = sorted((self.numbers.setdefault(sid, len(self.numbers) + 1), sid)
                          for sid in dict.fromkeys(source_ids))
        return Markup("".join(f"[\\[{n}\\]]({rel(self.page, page_path('source', sid))}){{.cite}}"
                              for n, sid in numbered))

    def notes(self) -> list[SourceNote]:
        out = []
        for sid, n in sorted(self.numbers.items(), key=lambda item: item[1]):
            source = self.records.model(sid, Source)
            out.append(SourceNote(n, Link(md_text(source.title), rel(self.page, page_path("source", sid))),
                                  source.publisher, format_date(source.published),
                                  format_date(source.retracted) if source.retracted else ""))
        return out
