"""Records as the views read them, for the site and the PDF alike: typed,
in the order every list uses, and noted, so that a page knows which records
it shows (``generator.incremental`` renders a page again when one changes).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from markupsafe import Markup

from generator.compare import Finding
from generator.dates import PartialDate
from generator.link import Corpus
from generator.maps import Spot
from generator.model import Actor, Brief, Claim, Event, Place, Quote, Record, Source
from generator.quantities import figure
from generator.ranking import Ranking
from generator.record_facts import sources_of
from generator.subjects import Dispute, claim_date
from generator.validate import Entry
from generator.views import FigureLine, KeyFigure
from generator.wording import capital, format_date, in_sentence, subject_title, title_of

R = TypeVar("R", bound=Record)

# What a subject's claims come to, in a key figures box.
_STANDING = {"agree": "The sources agree.", "compatible": "The figures differ but can all be true.",
             "dispute": "Disputed: the figures cannot all be true."}


class Reader:
    """Reads a corpus' records; with ``reads`` set, notes each one read."""

    def __init__(self, corpus: Corpus, ranking: Ranking | None = None) -> None:
        self.corpus = corpus
        self.reads: set[str] | None = None  # the records the page being rendered has read
        self._ranking = ranking  # the order of every list: ``corpus``'s, when given

    def get(self, rid: str) -> Entry:
        """Every record a page shows is read through here, so that a page
        knows what it depends on."""
        if self.reads is not None:
            self.reads.add(rid)
        return self.corpus.get(rid)

    def model(self, rid: str, cls: type[R]) -> R:
        """A record's model, of the kind the caller knows it to be."""
        model = self.get(rid).model
        assert isinstance(model, cls), (rid, cls)
        return model

    def sorted_ids(self, ids: Iterable[str]) -> list[str]:
        """Chronological (undated last), then by id: the order of every list.
        Each record's place in it is found once, for the whole corpus: the
        listings and the reverse relations sort ten thousand records
        several times a rendering."""
        chosen = list(ids)
        if self.reads is not None:
            self.reads.update(chosen)  # each one's date is read
        return sorted(chosen, key=self.ranks().__getitem__)

    def date_at(self, rid: str) -> PartialDate | None:
        """The date a record is placed at (``when``), read off once per
        rendering: the listings cut tens of thousands of rows by date."""
        if self.reads is not None:
            self.reads.add(rid)
        return self.ranking().dates[rid]

    def ranks(self) -> dict[str, int]:
        """Each record's place in the order of every list."""
        return self.ranking().ranks

    def ranking(self) -> Ranking:
        """The order of every list, made once per rendering (or patched from
        the rendering before's, when given)."""
        if self._ranking is None:
            self._ranking = Ranking.of({rid: entry.model for rid, entry in self.corpus.records.items()})
        return self._ranking

    def sources_of(self, rid: str) -> list[str]:
        """The sources a record cites: an event's or claim's, a quote's one."""
        return sources_of(self.get(rid).model)

    def dispute_title(self, dispute: Dispute) -> str:
        return self.subject_title(dispute.subject, dispute.claims)

    def subject_title(self, subject: str, claims: Iterable[str]) -> str:
        """The subject's label (its question); for a subject the vocabulary
        does not define, words read off its slug."""
        label = self.corpus.vocabulary.subject_label(subject)
        return label or subject_title(subject, (self.model(c, Claim).statement for c in claims))

    def term(self, vocabulary: str, value: str) -> str:
        """What readers see for a term: its label."""
        return self.corpus.vocabulary.label(vocabulary, value)

    def about(self, rid: str) -> str:
        """A few words that place a record for a reader, in place of its
        kind: an actor's latest role or its type, a place's type, a source's
        publisher and date, when an event happened or a brief stands."""
        model = self.get(rid).model
        if isinstance(model, Actor):
            return model.roles[-1].title if model.roles else capital(self.term("actor_types", model.type))
        if isinstance(model, Place):
            return capital(self.term("place_types", model.type))
        if isinstance(model, Source):
            return f"{model.publisher}, {format_date(model.published)}"
        if isinstance(model, Brief):
            return f"brief as of {format_date(model.as_of)}"
        if isinstance(model, Claim):
            return f"according to {in_sentence(model.asserted_by)}"
        if isinstance(model, Quote):
            return f"{title_of(self.get(model.speaker))}, {format_date(model.said)}"
        if isinstance(model, Event):
            return format_date(model.date)
        return ""

    def figure(self, cid: str) -> str:
        """A claim's figure as readers see it, in its subject's unit when it names none."""
        claim = self.model(cid, Claim)
        subject = self.corpus.vocabulary.subject(claim.subject) if claim.subject else None
        return figure(claim, subject.unit if subject else None)

    def finding(self, cid: str) -> Finding | None:
        """What the claims on this claim's subject come to; None without a subject."""
        subject = self.model(cid, Claim).subject
        return self.corpus.findings.get(subject) if subject else None

    def revision(self, cid: str) -> str:
        """Where a claim stands in its asserter's revision series: what it
        revises, or when and to what it was revised; '' outside a series."""
        finding = self.finding(cid)
        series = finding.series_of(cid) if finding is not None else ()
        if not series:
            return ""
        if series[0] == cid:
            earlier = series[1]
            return f"revises {self.figure(earlier) or 'an earlier claim'} ({self.claim_when(earlier)})"
        later = series[series.index(cid) - 1]
        return f"revised {self.claim_when(later)}: {self.figure(later) or 'see the later claim'}"

    def key_figure(self, subject: str, cite: Callable[[list[str]], Markup]) -> KeyFigure | None:
        """A subject in a brief's key figures box: each asserter's latest
        figure with its citation (``cite`` makes it, in the page's style)."""
        finding = self.corpus.findings.get(subject)
        if finding is None:
            return None
        lines = []
        for cid in finding.current:
            claim = self.model(cid, Claim)
            lines.append(FigureLine(capital(self.figure(cid) or claim.statement), capital(claim.asserted_by),
                                    self.claim_when(cid), self.revision(cid), cite(claim.sources)))
        return KeyFigure(self.subject_title(subject, finding.current), _STANDING.get(finding.verdict, ""),
                         finding.verdict == "dispute", tuple(lines))

    def claim_when(self, cid: str) -> str:
        """When a claim was made; else "reported" and its first source's date."""
        claim = self.model(cid, Claim)
        if claim.date is not None:
            return format_date(claim.date)
        for sid in claim.sources:
            self.get(sid)  # the page depends on the sources' dates
        reported = claim_date(claim, self.corpus.records)
        return f"reported {format_date(reported)}" if reported is not None else ""

    def places_of(self, ids: Iterable[str]) -> list[str]:
        """The places a set of records is at: places themselves, and events' places; by name."""
        out: set[str] = set()
        for rid in ids:
            model = self.get(rid).model
            if isinstance(model, Place):
                out.add(rid)
            elif isinstance(model, Event):
                out.update(model.places)
        return sorted(out, key=lambda pid: (title_of(self.get(pid)).casefold(), pid))

    def spots(self, places: Sequence[str]) -> tuple[Spot, ...]:
        """The places a map can show: those with coordinates or a shape."""
        return tuple(spot for pid in places if (spot := spot_of(self.model(pid, Place))) is not None)


def spot_of(place: Place) -> Spot | None:
    """A place as a map marks it: at its coordinates, or, with a shape and
    none, at the middle of its line or of its area's extent."""
    lines, areas = (place.shape.lines(), place.shape.areas()) if place.shape else ((), ())
    if place.coordinates is not None:
        lat, lon = place.coordinates.lat, place.coordinates.lon
    elif lines:
        lon, lat = lines[0][len(lines[0]) // 2]
    elif areas:
        lons, lats = [p[0] for a in areas for p in a], [p[1] for a in areas for p in a]
        lon, lat = (min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2
    else:
        return None
    return Spot(place.name, lat, lon, lines, areas)
