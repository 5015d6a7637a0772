"""The vocabularies records draw their terms from, and the subjects claims
answer: the defaults shipped with the package, merged with the corpus' own
``briefings/vocabulary.yaml``.

Each vocabulary maps a term (a slug, what a record writes) to a label (what a
reader sees) and a description (what the term means, for editors and the
JSON Schema). A corpus adds terms, or relabels the defaults, in its
vocabulary file; it never has to edit the package. Subjects are the
questions claims answer: a label (the question), what is measured, and the
unit a figure is given in (``generator.quantities``).

Two kinds of vocabulary:

* **closed** (actor types, place types, relation types, source kinds): a
  term that is neither a default nor in the corpus' file is an error;
* **open** (topics, roles, subjects): an undefined term is a warning and
  is shown with a label made from its slug; a role may also be free text
  (``"party; accepted the terms"``), shown as written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

from pydantic import Field, field_validator

from generator.model import Slug, Text, _Strict
from generator.slugs import RESERVED

VOCABULARY_FILE = "vocabulary.yaml"  # in the corpus folder, beside the kind folders
CLOSED = ("actor_types", "place_types", "relation_types", "source_kinds")
OPEN = ("topics", "roles")
NAMES = (*CLOSED, *OPEN)


class Term(_Strict):
    """One term: what readers see, and what it means."""

    label: Text = Field(description="What readers see, as it reads in a sentence: 'international organisation'.")
    description: Text | None = Field(default=None, description="What the term means, for editors.")


class Subject(_Strict):
    """A question claims answer: defined once, referred to by claims' ``subject``."""

    label: Text = Field(description="The question, as readers see it: 'How many people were killed?'")
    measures: Text | None = Field(default=None, description="What is measured or asked, and over what period.")
    unit: Text | None = Field(
        default=None, description="For figures: the unit every claim's figure is given in or converted to "
                                  "(an ISO 4217 currency code such as USD, a physical unit such as km, "
                                  "or what is counted: people).")
    answer: Literal["figure", "position"] | None = Field(
        default=None, description="figure (a number) or position (a short answer in words); "
                                  "a subject with a unit takes figures.")

    @property
    def kind(self) -> str:
        return self.answer or ("figure" if self.unit else "")


class VocabularyFile(_Strict):
    """briefings/vocabulary.yaml: the corpus' own terms and subjects."""

    actor_types: dict[Slug, Term] = Field(default_factory=dict, description="What an actor is: state, vessel ...")
    place_types: dict[Slug, Term] = Field(default_factory=dict, description="What a place is: city, lake ...")
    relation_types: dict[Slug, Term] = Field(default_factory=dict,
                                             description="How an actor relates to another: member-of, owner-of ...")
    roles: dict[Slug, Term] = Field(default_factory=dict, description="What an actor did in an event: mediator ...")
    source_kinds: dict[Slug, Term] = Field(default_factory=dict, description="What a source is: news-report ...")
    topics: dict[Slug, Term] = Field(default_factory=dict, description="What records are about.")
    subjects: dict[Slug, Subject] = Field(default_factory=dict, description="The questions claims answer.")

    @field_validator("topics")
    @classmethod
    def _not_a_page_name(cls, topics: dict[str, Term]) -> dict[str, Term]:
        # Each topic has a page, topics/<topic>.md: topics/index.md lists them.
        if taken := RESERVED & topics.keys():
            raise ValueError(f"'{min(taken)}' cannot be a topic: it is the name of the page that lists the topics, "
                             "which would replace the topic's page; choose another")
        return topics


def _terms(*rows: tuple[str, str, str]) -> dict[str, Term]:
    return {slug: Term(label=label, description=description) for slug, label, description in rows}


# The defaults. Labels read in a sentence ("a vessel", "owner of"); pages
# capitalise them where a sentence starts.
DEFAULTS: Mapping[str, Mapping[str, Term]] = MappingProxyType({
    "actor_types": _terms(
        ("state", "state", "A sovereign state, recognised or not, as a whole."),
        ("de-facto-authority", "de facto authority", "A body governing territory without general recognition."),
        ("person", "person", "A named individual."),
        ("government-body", "government body", "A ministry, agency, parliament or office of a government."),
        ("military", "armed forces", "A state's armed forces or one of their units."),
        ("armed-group", "armed group", "An armed force not under a recognised state."),
        ("organisation", "organisation", "A non-governmental body: a charity, a party, an association."),
        ("international-organisation", "international organisation",
         "A body whose members are states: the UN, the EU, the OSCE."),
        ("alliance", "alliance", "A military or political alliance of states."),
        ("court", "court", "A court or tribunal, national or international."),
        ("authority", "regulator", "A public authority that licenses, inspects or sanctions."),
        ("population", "population", "A people or community, spoken of as a whole."),
        ("company", "company", "A business: a shipowner, an insurer, a manufacturer."),
        ("media", "news organisation", "A newspaper, broadcaster, news agency or other publisher of news."),
        ("vessel", "vessel", "A ship or boat, named by its registered name."),
    ),
    "place_types": _terms(
        ("country", "country", "A state's territory."),
        ("region", "region", "An area within or across countries: a province, a disputed territory."),
        ("district", "district", "An administrative district within a region."),
        ("city", "city", "A city."),
        ("town", "town", "A town."),
        ("village", "village", "A village or settlement."),
        ("corridor", "corridor", "A route linking two areas: a road corridor, a shipping lane."),
        ("border", "border", "A border or line of contact, or a crossing on it."),
        ("site", "site", "A building, base, facility or other point of interest."),
        ("port", "port", "A seaport, river port or terminal."),
        ("waterway", "waterway", "A river, canal or strait used for navigation."),
        ("lake", "lake", "A lake or reservoir."),
        ("sea", "sea", "A sea, gulf or ocean area."),
        ("other", "place", "Any other place."),
    ),
    "relation_types": _terms(
        ("member-of", "member of", "Belongs to an organisation, alliance or body as a member."),
        ("part-of", "part of", "A component of a larger body."),
        ("subordinate-to", "subordinate to", "Under the command or authority of."),
        ("allied-with", "allied with", "Bound by an alliance or a declared partnership."),
        ("supported-by", "supported by", "Receives political, military or material support from."),
        ("opposed-to", "opposed to", "In conflict or open opposition with."),
        ("deployed-by", "deployed by", "Sent to where it operates by."),
        ("owner-of", "owner of", "Owns (a vessel, a company, an asset)."),
        ("operator-of", "operator of", "Runs or manages day to day (a vessel, a site, a service)."),
        ("insurer-of", "insurer of", "Insures (a vessel, a cargo, a company's liability)."),
        ("charterer-of", "charterer of", "Hires a vessel from its owner."),
        ("flag-state-of", "flag state of", "The state under whose flag a vessel is registered."),
        ("employed-by", "employed by", "Works for."),
        ("spokesperson-for", "spokesperson for", "Speaks officially on behalf of."),
        ("seat-in", "seated in", "Has its seat or headquarters in (a place)."),
        ("other", "related to", "Any other relation: say which in the note."),
    ),
    "roles": _terms(
        ("attacker", "attacker", "Carried out an attack or offensive."),
        ("defender", "defender", "Was attacked and resisted."),
        ("belligerent", "belligerent", "A party to armed conflict."),
        ("party", "party", "A party to an agreement, talks or proceedings."),
        ("signatory", "signatory", "Signed an agreement."),
        ("mediator", "mediator", "Brokered or mediated between the parties."),
        ("guarantor", "guarantor", "Guarantees an agreement's terms."),
        ("host", "host", "Hosted the event."),
        ("target", "target", "Was the object of the action."),
        ("victim", "victim", "Suffered harm."),
        ("witness", "witness", "Saw the events and reported them."),
        ("speaker", "speaker", "Spoke at the event."),
        ("claimant", "claimant", "Brings a claim, a complaint or a suit."),
        ("respondent", "respondent", "Answers a claim, a complaint or a suit."),
        ("owner", "owner", "Owns the asset at the centre of the event."),
        ("operator", "operator", "Operated the asset at the centre of the event."),
        ("insurer", "insurer", "Insured the asset or liability at stake."),
        ("regulator", "regulator", "Investigated, licensed or sanctioned."),
    ),
    "source_kinds": _terms(
        ("news-report", "news report", "An article or broadcast by a news organisation."),
        ("official-statement", "official statement", "A statement by a government or body, in its own name."),
        ("press-release", "press release", "A release issued to the press by its subject."),
        ("transcript", "transcript", "A record of what was said, word for word."),
        ("testimony", "testimony", "Evidence given by a witness."),
        ("report", "report", "A report by an organisation, a commission or an inquiry."),
        ("court-document", "court document", "A filing, judgment or order of a court."),
        ("company-filing", "company filing", "An annual report, a regulatory filing, a prospectus."),
        ("interview", "interview", "An interview, published or conducted by the editors."),
        ("social-media", "social media post", "A post on a social network."),
        ("dataset", "dataset", "Data published as such."),
        ("book", "book", "A book."),
        ("academic", "academic work", "A journal article, a thesis, a working paper."),
        ("other", "document", "Any other document."),
    ),
    "topics": {},
})


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The merged vocabulary of one corpus: the defaults with its own terms."""

    terms: Mapping[str, Mapping[str, Term]]
    subjects: Mapping[str, Subject] = field(default_factory=dict)
    own: frozenset[tuple[str, str]] = frozenset()  # (vocabulary, slug) the corpus added or relabelled

    def of(self, vocabulary: str) -> Mapping[str, Term | Subject]:
        """One vocabulary's terms by slug; "subjects" gives the subjects."""
        return self.subjects if vocabulary == "subjects" else self.terms.get(vocabulary, {})

    def has(self, vocabulary: str, slug: str) -> bool:
        return slug in self.of(vocabulary)

    def label(self, vocabulary: str, value: str) -> str:
        """A term's label; an undefined slug read as words ("lachin-corridor"
        -> "lachin corridor"); free text (a role) as written."""
        term = self.terms.get(vocabulary, {}).get(value)
        if term is not None:
            return term.label
        return value.replace("-", " ") if _slug_like(value) else value

    def description(self, vocabulary: str, slug: str) -> str:
        term = self.terms.get(vocabulary, {}).get(slug)
        return (term.description or "") if term is not None else ""

    def subject(self, slug: str) -> Subject | None:
        return self.subjects.get(slug)

    def subject_label(self, slug: str) -> str:
        subject = self.subjects.get(slug)
        return subject.label if subject is not None else ""


def _slug_like(value: str) -> bool:
    return bool(value) and all(c.islower() or c.isdigit() or c == "-" for c in value)


def merged(own: VocabularyFile | None) -> Vocabulary:
    """The defaults, with the corpus' terms added and its relabellings applied
    (a relabelled term keeps the default description unless it gives one)."""
    if own is None:
        return DEFAULT
    terms: dict[str, dict[str, Term]] = {name: dict(DEFAULTS.get(name, {})) for name in NAMES}
    mine: set[tuple[str, str]] = set()
    for name in NAMES:
        for slug, given in getattr(own, name).items():
            default = terms[name].get(slug)
            keep = default is not None and given.description is None
            terms[name][slug] = Term(label=given.label, description=default.description) if keep and default else given
            mine.add((name, slug))
    return Vocabulary(MappingProxyType({k: MappingProxyType(v) for k, v in terms.items()}),
                      MappingProxyType(dict(own.subjects)), frozenset(mine))


DEFAULT = Vocabulary(MappingProxyType({name: MappingProxyType(dict(DEFAULTS.get(name, {}))) for name in NAMES}))


def listing(vocabulary: Vocabulary) -> str:
    """Every term a corpus may use, by vocabulary, for `briefing vocabulary`:
    slug, label, description, and whether the corpus defines it."""
    lines: list[str] = []
    for name in NAMES:
        rule = "closed: another term is an error" if name in CLOSED else "open: another term is a warning"
        lines.append(f"{name} ({rule})")
        terms = vocabulary.terms.get(name, {})
        width = max((len(slug) for slug in terms), default=0)
        for slug, term in sorted(terms.items()):
            mine = f"  [{VOCABULARY_FILE}]" if (name, slug) in vocabulary.own else ""
            about = f" — {term.description}" if term.description else ""
            lines.append(f"  {slug:<{width}}  {term.label}{about}{mine}")
        if not terms:
            lines.append(f"  (none: add them in briefings/{VOCABULARY_FILE})")
    lines.append("subjects")
    width = max((len(slug) for slug in vocabulary.subjects), default=0)
    for slug, subject in sorted(vocabulary.subjects.items()):
        answer = f"unit: {subject.unit}" if subject.unit else f"answer: {subject.kind or 'any'}"
        lines.append(f"  {slug:<{width}}  {subject.label} ({answer})")
    if not vocabulary.subjects:
        lines.append(f"  (none: add them in briefings/{VOCABULARY_FILE})")
    return "\n".join(lines)
