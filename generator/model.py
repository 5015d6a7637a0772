"""The record model: the one source of truth for what a record may hold.

Validation (``validate``) and the editors' JSON Schema (``schema``) are both
derived from these classes. Each record is one YAML file,
``briefings/<folder>/<id>.yaml``; the file name is the id.

Claims are records of their own (``briefings/claims/``), not nested inside
events: a claim is cited by briefs, grouped into disputes with claims from
other sources, and revised over time, so it needs a stable id and a page of
its own. An event lists the claims about it by id.

References to other records are marked with :class:`RefTo`, so the link
stage finds every reference by reading the model, not by hand-kept lists.
Reading the model (fields by key, canonical order, references) is
``generator.fields``' job.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, ClassVar, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, Strict, StringConstraints, model_validator

from generator.dates import PartialDate
from generator.fields import Prose, RefTo, Term
from generator.prose import cited
from generator.slugs import SLUG_MAX, SLUG_PATTERN

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=SLUG_MAX)]
# Text must say something: surrounding blanks are trimmed, nothing else is.
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
LangCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")]
Url = Annotated[str, StringConstraints(pattern=r"^https?://[^\s/$.?#][^\s]*$")]
# A file in the corpus' archive folder: relative, forward slashes, never up (..).
def _archive_path(value: str) -> str:
    if any(part in ("", ".", "..") for part in value.split("/")):
        raise ValueError(f"{value!r}: a file in the archive folder, as a/b.txt: no leading /, no . or .. parts")
    return value


ArchivePath = Annotated[str, StringConstraints(pattern=r'^[^\\:*?"<>|\s/][^\\:*?"<>|]*$'),
                        AfterValidator(_archive_path)]


_ID = StringConstraints(pattern=SLUG_PATTERN, max_length=SLUG_MAX)
ActorRef = Annotated[str, _ID, RefTo(("actor",))]
PlaceRef = Annotated[str, _ID, RefTo(("place",))]
SourceRef = Annotated[str, _ID, RefTo(("source",))]
ClaimRef = Annotated[str, _ID, RefTo(("claim",))]
EventRef = Annotated[str, _ID, RefTo(("event",))]
BriefRef = Annotated[str, _ID, RefTo(("brief",))]
CitableRef = Annotated[str, _ID, RefTo(("claim", "event", "quote"))]
AnyRef = Annotated[str, _ID, RefTo(("source", "actor", "place", "event", "claim", "quote", "brief"))]
# Terms of the corpus' vocabularies (generator.vocabulary), checked by the link stage.
Topic = Annotated[str, _ID, Term("topics")]
SubjectTerm = Annotated[str, _ID, Term("subjects")]
# An analyst's prose: citations and links in it are references (generator.prose).
ProseText = Annotated[Text, Prose()]


# Strict models accept only enum members; records give enum values as text.
_TEXT = Strict(False)


class _Strict(BaseModel):
    # strict: no coercion ("5" is not 5, "no" is not False); forbid: typos in
    # field names are errors, not silently dropped data.
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, populate_by_name=False)


class Record(_Strict):
    # Where the fields every record has go in a canonical file (generator.fields.field_order):
    # the publication flags first, seen at a glance; the editorial fields last.
    HEAD_FIELDS: ClassVar[tuple[str, ...]] = ("id", "draft", "embargo_until")
    TAIL_FIELDS: ClassVar[tuple[str, ...]] = ("reader_note", "notes", "reviewed", "review_by")

    id: Slug | None = Field(
        default=None,
        description="Optional: the file name is the id. If given, it must equal the file name.",
    )
    # Publication control: a draft or embargoed record is checked like any
    # other but never reaches the site, the PDFs, the search index or an
    # export, and neither does any mention of it (generator.publish).
    draft: bool = Field(default=False, description="Work in progress: checked, never published.")
    embargo_until: PartialDate | None = Field(
        default=None, description="Not published before this moment, e.g. 2023-09-21T09:00+04:00.")
    reader_note: Text | None = Field(
        default=None, description="A note for readers, shown on the record's page as \"Note\".")
    # Private: checked, never published (generator.publish drops it like a draft).
    notes: Text | None = Field(default=None, description="Private editorial notes: never published.")
    reviewed: PartialDate | None = Field(default=None, description="When an editor last checked the record.")
    review_by: PartialDate | None = Field(
        default=None, description="When the record is due for review again; `check` warns after that.")


class NameUse(_Strict):
    """A name and who uses it: Stepanakert (Armenian usage), Khankendi (Azerbaijani)."""

    name: Text
    lang: LangCode | None = Field(default=None, description="BCP 47 language code, e.g. hy, az, ru.")
    script: Text | None = Field(default=None, description="The name in its own script, e.g. Ստեփանակերտ.")
    used_by: list[ActorRef] = Field(default_factory=list, description="Actors that use this name.")
    note: Text | None = None


# --- sources -------------------------------------------------------------


class Source(Record):
    """A document that carries claims and quotes."""

    title: Text
    publisher: Text
    authors: list[Text] = Field(default_factory=list)
    contributors: list[Text] = Field(default_factory=list, description='e.g. "Reuters contributed".')
    published: PartialDate
    url: Url | None = None
    accessed: PartialDate | None = Field(
        default=None, description="When the editors last opened url and found the text there.")
    kind: Annotated[str, _ID, Term("source_kinds")]
    reliability: Literal["A", "B", "C", "D", "E", "F"] | None = Field(
        default=None, description="Admiralty source reliability: A reliable ... E unreliable, F cannot be judged."
    )
    credibility: Literal[1, 2, 3, 4, 5, 6] | None = Field(
        default=None, description="Admiralty information credibility: 1 confirmed ... 6 cannot be judged."
    )
    language: LangCode = "en"
    summary: Text | None = None
    retracted: PartialDate | None = Field(
        default=None, description="When the publisher retracted or withdrew it; say why in reader_note.")
    archive: ArchivePath | None = Field(
        default=None, description="Its archived text: a file in the archive folder mkdocs.yml names (the "
        "plugin's archive setting), against which its quotes are checked.")

    @model_validator(mode="after")
    def _accessed(self) -> Source:
        if self.accessed is not None and self.url is None:
            raise ValueError("accessed is when the url was opened: give the url too")
        return self


# --- actors --------------------------------------------------------------


class Role(_Strict):
    title: Text = Field(description='e.g. "President of Azerbaijan".')
    of: ActorRef | None = Field(default=None, description="The actor in which the role is held.")
    start: PartialDate | None = None
    end: PartialDate | None = None
    note: Text | None = None


class Relation(_Strict):
    type: Annotated[str, _ID, Term("relation_types")]
    actor: ActorRef | None = Field(default=None, description="The actor related to; or give a place.")
    place: PlaceRef | None = Field(default=None, description="The place related to (seat-in ...); or an actor.")
    start: PartialDate | None = None
    end: PartialDate | None = None
    note: Text | None = None

    @model_validator(mode="after")
    def _one_target(self) -> Relation:
        if (self.actor is None) == (self.place is None):
            raise ValueError("a relation names one actor or one place")
        return self


class Actor(Record):
    """A state, body, group or person."""

    name: Text
    type: Annotated[str, _ID, Term("actor_types")]
    names: list[NameUse] = Field(default_factory=list, description="Other names, by language or by party.")
    roles: list[Role] = Field(default_factory=list)
    relations: list[Relation] = Field(default_factory=list)
    summary: Text | None = None


# --- places --------------------------------------------------------------


class Coordinates(_Strict):
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)


_Position = Annotated[list[float], Field(min_length=2, max_length=2, description="[longitude, latitude]")]
_SHAPE_DEPTH = {"LineString": 1, "MultiLineString": 2, "Polygon": 2, "MultiPolygon": 3}


class Shape(_Strict):
    """A place's shape as a GeoJSON geometry (RFC 7946): a line (a road, a
    corridor) or an area (a region), its positions [longitude, latitude].
    A map draws it instead of a dot."""

    type: Literal["LineString", "MultiLineString", "Polygon", "MultiPolygon"]
    coordinates: list[_Position] | list[list[_Position]] | list[list[list[_Position]]]

    @model_validator(mode="after")
    def _geometry(self) -> Shape:
        parts = self._parts()
        if parts is None:
            nesting = {1: "[[lon, lat], ...]", 2: "[[[lon, lat], ...], ...]", 3: "[[[[lon, lat], ...], ...], ...]"}
            raise ValueError(f"a {self.type}'s coordinates are {nesting[_SHAPE_DEPTH[self.type]]}")
        for part in parts:
            for lon, lat in part:
                if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                    raise ValueError(f"[{lon:g}, {lat:g}] is not [longitude, latitude]: longitude is -180 to 180, "
                                     "latitude -90 to 90 (GeoJSON gives longitude first)")
            if "Polygon" in self.type and (len(part) < 4 or part[0] != part[-1]):
                raise ValueError("a ring of a Polygon has at least 4 positions and ends where it starts")
            if len(part) < 2:
                raise ValueError("a line has at least 2 positions")
        return self

    def _parts(self) -> list[list[list[float]]] | None:
        """Every line or ring, whatever the nesting; None when the nesting
        is not the type's."""
        def depth(value: object) -> int:
            return 1 + depth(value[0]) if isinstance(value, list) and value and isinstance(value[0], list) else 0

        coordinates: Any = self.coordinates  # its nesting is known once depth is checked
        if depth(coordinates) != _SHAPE_DEPTH[self.type]:
            return None
        if self.type == "LineString":
            return [coordinates]
        if self.type == "MultiPolygon":
            return [ring for polygon in coordinates for ring in polygon]
        return list(coordinates)

    def lines(self) -> tuple[tuple[tuple[float, float], ...], ...]:
        if "Polygon" in self.type:
            return ()
        return tuple(tuple((p[0], p[1]) for p in part) for part in self._parts() or [])

    def areas(self) -> tuple[tuple[tuple[float, float], ...], ...]:
        """The outer ring of each polygon (a locator map draws no holes)."""
        coordinates: Any = self.coordinates
        polygons = [coordinates] if self.type == "Polygon" else coordinates if self.type == "MultiPolygon" else []
        return tuple(tuple((p[0], p[1]) for p in polygon[0]) for polygon in polygons)


class Place(Record):
    """A place, with the names each side uses for it."""

    name: Text
    type: Annotated[str, _ID, Term("place_types")]
    names: list[NameUse] = Field(default_factory=list)
    coordinates: Coordinates | None = None
    shape: Shape | None = Field(default=None, description="Its shape, as a GeoJSON geometry: a line or an area.")
    part_of: PlaceRef | None = None
    summary: Text | None = None


# --- events --------------------------------------------------------------


class Participant(_Strict):
    actor: ActorRef
    role: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1), Term("roles")] = Field(
        description='What the actor did: a term of the roles vocabulary ("mediator"), or words of your own.')


class Event(Record):
    """Something that happened, dated as precisely as the sources allow."""

    title: Text
    date: PartialDate
    end: PartialDate | None = Field(default=None, description="For events that last: when it ended.")
    sequence: Annotated[int, Field(ge=1, le=999)] | None = Field(
        default=None, description="Where the event falls among events that share its date (1, 2 ...): the war "
                                  "before the ceasefire that ended it, when both are dated to the year.")
    summary: Text
    actors: list[Participant] = Field(default_factory=list)
    places: list[PlaceRef] = Field(default_factory=list)
    topics: list[Topic] = Field(default_factory=list)
    claims: list[ClaimRef] = Field(default_factory=list)
    related: list[EventRef] = Field(default_factory=list)
    sources: list[SourceRef] = Field(min_length=1, description="Sources reporting the event.")


# --- claims --------------------------------------------------------------


class Qualifier(StrEnum):
    EXACT = "exact"
    ABOUT = "about"
    AT_LEAST = "at-least"
    MORE_THAN = "more-than"
    AT_MOST = "at-most"
    FEWER_THAN = "fewer-than"
    ALMOST = "almost"  # just short of the figure ("almost 2,000"): within 10% below it


# Figures stay within what every JSON reader (JavaScript's among them) keeps
# exactly, and are finite: a count of 1e400 or .nan is a typo, not a figure.
MAX_NUMBER = 2**53 - 1
Number = (Annotated[int, Field(ge=-MAX_NUMBER, le=MAX_NUMBER)]
          | Annotated[float, Field(ge=-MAX_NUMBER, le=MAX_NUMBER, allow_inf_nan=False)])


class Scale(StrEnum):
    THOUSAND = "thousand"
    MILLION = "million"
    BILLION = "billion"
    TRILLION = "trillion"


class Claim(Record):
    """An assertion, who makes it, and the sources that carry it.

    Claims sharing a ``subject`` answer the same question; the link stage
    compares them (``generator.compare``): figures whose ranges overlap are
    compatible, one asserter's claims over time are a revision series, and
    only claims that cannot all be true are a dispute.
    """

    statement: Text = Field(description="What is asserted, in the project's own words.")
    asserted_by: Text = Field(description='Attribution as printed: "Armenian officials".')
    actors: list[ActorRef] = Field(default_factory=list, description="Actors making the claim.")
    subject: SubjectTerm | None = Field(
        default=None, description="The question the claim answers: a subject of the vocabulary, shared by "
                                  "every claim on the same question.")
    value: Number | Text | None = Field(default=None, description="A figure, or a short position for non-figures.")
    low: Number | None = Field(default=None, description="Low end of a range.")
    high: Number | None = Field(default=None, description="High end of a range.")
    qualifier: Annotated[Qualifier, _TEXT] = Qualifier.EXACT
    scale: Annotated[Scale, _TEXT] | None = Field(
        default=None, description="The figure is in thousands, millions ...: value 5, scale million is 5,000,000.")
    unit: Text | None = Field(
        default=None, description="What the figure counts or measures: an ISO 4217 currency (USD, or its name: "
                                  "US dollars), a physical unit (km), or what is counted (people).")
    date: PartialDate | None = Field(default=None, description="When the claim was made.")
    supersedes: ClaimRef | None = Field(
        default=None, description="An earlier claim on the same subject that this one revises.")
    topics: list[Topic] = Field(default_factory=list)
    sources: list[SourceRef] = Field(min_length=1)

    @model_validator(mode="after")
    def _figure(self) -> Claim:
        if (self.low is None) != (self.high is None):
            raise ValueError("a range needs both low and high")
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError(f"low ({self.low}) is above high ({self.high})")
        if self.value is not None and self.low is not None:
            raise ValueError("give either a value or a range (low, high), not both")
        if self.scale is not None and not isinstance(self.value, int | float) and self.low is None:
            raise ValueError("a scale multiplies a figure: give a number as value, or low and high")
        return self


# --- quotes --------------------------------------------------------------


class Quote(Record):
    """Words said by an actor, verbatim as the source prints them."""

    text: Text = Field(description="Verbatim, as printed by the source.")
    speaker: ActorRef
    said: PartialDate
    source: SourceRef
    event: EventRef | None = None
    language: LangCode = Field(default="en", description="Language of the text as recorded.")
    said_in: LangCode | None = Field(
        default=None, description="When text is a translation: the language the words were said in (ar, az ...).")
    original: Text | None = Field(default=None, description="The words as said, in the language of said_in.")
    translated_by: Literal["source", "editors"] | None = Field(
        default=None, description="When text is a translation: who translated it, the source or the editors.")
    context: Text | None = Field(default=None, description="Where and to whom, in the project's own words.")
    topics: list[Topic] = Field(default_factory=list)

    @model_validator(mode="after")
    def _translation(self) -> Quote:
        if self.original is not None and self.said_in is None:
            raise ValueError("an original needs its language: said_in: ar (or az, hy ...)")
        if (self.said_in is None) != (self.translated_by is None):
            raise ValueError("a translated quote gives both said_in (the language said in) and translated_by "
                             "(source or editors)")
        if self.said_in is not None and self.said_in == self.language:
            raise ValueError(f"said_in is the quote's own language ({self.language}): a translation is into "
                             "another language")
        return self


# --- briefs --------------------------------------------------------------

RecordKind = Literal["source", "actor", "place", "event", "claim", "quote", "brief"]


def _default_kinds() -> list[RecordKind]:
    return ["event", "claim", "quote"]


class Selection(_Strict):
    """Which records a section shows: listed ids, plus every record of
    ``kinds`` that matches all the other criteria given."""

    ids: list[AnyRef] = Field(default_factory=list)
    kinds: list[RecordKind] = Field(default_factory=_default_kinds)
    topics: list[Topic] = Field(default_factory=list)
    actors: list[ActorRef] = Field(default_factory=list)
    places: list[PlaceRef] = Field(default_factory=list)
    from_: PartialDate | None = Field(default=None, alias="from")
    to: PartialDate | None = None

    @property
    def has_criteria(self) -> bool:
        return bool(self.topics or self.actors or self.places or self.from_ or self.to)

    @model_validator(mode="after")
    def _something(self) -> Selection:
        if not self.ids and not self.has_criteria:
            raise ValueError("a selection needs ids, or at least one of: topics, actors, places, from, to")
        return self


class KeyPoint(_Strict):
    text: Text
    cites: list[CitableRef] = Field(min_length=1)


class Section(_Strict):
    """A part of a brief: the analyst's prose, the records it selects, or
    both. With prose, the selected records are the evidence under it on the
    site; without, they are the section, on the site and in print."""

    title: Text
    summary: Text | None = None
    text: ProseText | None = Field(default=None, description="The section's prose: paragraphs, with citations "
                                                              "and links (README: Writing a brief).")
    select: Selection | None = None

    @model_validator(mode="after")
    def _something(self) -> Section:
        if self.text is None and self.select is None:
            raise ValueError("a section needs text (prose), select (records), or both")
        return self


class Brief(Record):
    """A briefing document: a site page and a PDF."""

    title: Text
    subtitle: Text | None = None
    as_of: PartialDate = Field(description="Date and time with UTC offset, e.g. 2023-09-20T18:00+04:00.")
    bottom_line: ProseText = Field(description="The answer first, in a sentence or two (prose: it may cite).")
    whats_new: ProseText | None = Field(default=None, description="What's new: prose, as in sections.")
    why_it_matters: ProseText | None = Field(default=None, description="Why it matters: prose.")
    what_to_watch: ProseText | None = Field(default=None, description="What to watch next: prose.")
    key_figures: list[SubjectTerm] = Field(
        default_factory=list, description="Subjects whose figures the brief's key figures box shows, in order.")
    key_points: list[KeyPoint] = Field(default_factory=list)
    sections: list[Section] = Field(min_length=1)
    related: list[BriefRef] = Field(default_factory=list)
    handling: Text | None = Field(default=None, description='Handling line, e.g. "For internal use".')

    # The prose fields before the sections, with the heading each has.
    FRONT: ClassVar[tuple[tuple[str, str], ...]] = (
        ("whats_new", "What's new"), ("why_it_matters", "Why it matters"), ("what_to_watch", "What to watch"))

    @model_validator(mode="after")
    def _says_something(self) -> Brief:
        if not self.key_points and not any(s.text for s in self.sections):
            raise ValueError("a brief needs key_points, or sections with text")
        return self

    def prose(self) -> list[tuple[tuple[str | int, ...], str]]:
        """Every prose field that is set, with its path, in reading order."""
        out: list[tuple[tuple[str | int, ...], str]] = [(("bottom_line",), self.bottom_line)]
        out += [((key,), text) for key, _ in self.FRONT if (text := getattr(self, key))]
        out += [(("sections", i, "text"), s.text) for i, s in enumerate(self.sections) if s.text]
        return out

    def cited(self) -> list[str]:
        """What the brief cites (key points and prose), in reading order."""
        ids = [r for point in self.key_points for r in point.cites]
        ids += [r for _, text in self.prose() for r in cited(text)]
        return list(dict.fromkeys(ids))


# --- the registry ----------------------------------------------------------

KINDS: dict[str, type[Record]] = {
    "source": Source,
    "actor": Actor,
    "place": Place,
    "event": Event,
    "claim": Claim,
    "quote": Quote,
    "brief": Brief,
}
# The folder a kind lives in, under briefings/.
FOLDERS: dict[str, str] = {kind: kind + "s" for kind in KINDS}
KIND_OF_FOLDER: dict[str, str] = {folder: kind for kind, folder in FOLDERS.items()}

