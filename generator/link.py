"""Stage 3, link: valid records to one cross-referenced corpus.

Checks what no single record can: ids unique across kinds, references that
resolve to a record of the right kind, dates in order across records (a
quote cannot be said after the source printing it was published), no cycles
in ``part_of``. Then computes what the pages need: brief selections,
disputes, backlinks; and warns about records nothing refers to.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from difflib import get_close_matches
from operator import is_not

from generator import prose
from generator.compare import Finding
from generator.dates import PartialDate, Precision
from generator.fields import RefSite, iter_raw_refs, iter_refs
from generator.model import (
    FOLDERS,
    KINDS,
    Actor,
    Brief,
    Claim,
    Event,
    Place,
    Quote,
    Relation,
    Role,
    Selection,
    Source,
)
from generator.problems import Problem, RecordPath, Severity
from generator.prose_check import check_briefs
from generator.record_facts import sources_of
from generator.selections import Selected, select_briefs
from generator.slugs import SLUG
from generator.subjects import Dispute, compare_subjects
from generator.terms import TermsFound, check_terms, terms_of
from generator.text import with_article
from generator.validate import Entry, Invalid, problem_at
from generator.vocabulary import DEFAULT, Vocabulary


@dataclass(slots=True)
class Corpus:
    records: dict[str, Entry]
    by_kind: dict[str, list[str]]  # kind -> ids, sorted
    disputes: list[Dispute]  # in date order
    # brief id -> one list of record ids per section, in display order
    selections: dict[str, list[list[str]]]
    # record id -> ids of records that refer to it, sorted
    backlinks: dict[str, list[str]] = field(default_factory=dict)
    vocabulary: Vocabulary = DEFAULT
    findings: dict[str, Finding] = field(default_factory=dict)  # subject -> what its claims come to
    # What the selections were made of, for the next linking to start from (serve).
    selected: Selected | None = field(default=None, repr=False, compare=False)
    # What each record's checks found, for the next linking (serve).
    checks: Checks | None = field(default=None, repr=False, compare=False)

    def get(self, record_id: str) -> Entry:
        return self.records[record_id]

    def of_kind(self, kind: str) -> list[Entry]:
        return [self.records[i] for i in self.by_kind.get(kind, [])]


@dataclass(frozen=True, slots=True)
class RefsFound:
    """What checking one record's references found: its problems, and the
    records it refers to (for their backlinks)."""

    item: Entry | Invalid  # the record checked: a record unchanged on disk is the same object
    problems: tuple[Problem, ...]
    targets: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Checks:
    """What the per-record checks of one linking found, for the next in the
    same process (`serve`): a record that is the same object is not checked
    again while every id keeps its kind (a reference's check reads only the
    kind of what it names, and a dangling one's hint the ids of its kinds)
    and the vocabulary is the same."""

    kinds: dict[str, str]  # every record's id (valid or not) -> its kind
    refs: dict[str, RefsFound]
    vocabulary: Vocabulary
    terms: TermsFound
    backlinks: dict[str, list[str]]  # as the corpus holds them
    dates: dict[str, DatesFound]


@dataclass(frozen=True, slots=True)
class DatesFound:
    """What checking a record's dates found, and what the check read: the
    record, then a claim's or quote's sources (None where there is none)."""

    read: tuple[Entry | None, ...]
    problems: tuple[Problem, ...]


def link(entries: Iterable[Entry], invalid: Iterable[Invalid] = (), vocabulary: Vocabulary = DEFAULT,
         before: Selected | None = None, checked: Checks | None = None) -> tuple[Corpus, list[Problem]]:
    """Cross-check valid records; ``invalid`` ones (already reported) only
    hold their ids and have their references checked. Terms are checked
    against ``vocabulary``, the corpus' merged vocabulary. ``before``: the
    selections of the linking before in this process (``Corpus.selected``),
    where briefs' selections start from; ``checked``: what its per-record
    checks found (``Corpus.checks``), kept for the records unchanged."""
    problems: list[Problem] = []
    records, known = _index(entries, invalid, problems)
    by_kind: dict[str, list[str]] = {kind: [] for kind in FOLDERS}
    for rid in sorted(records):
        by_kind[records[rid].kind].append(rid)
    kinds = {rid: item.file.kind for rid, item in known.items()}
    if checked is not None and (checked.kinds != kinds or checked.vocabulary != vocabulary):
        checked = None  # a record added, gone or of another kind, or new terms: every record is checked
    refs = _check_refs(known, kinds, problems, checked.refs if checked is not None else {})
    backlinks = _backlinks(refs, checked)
    dates, found = _check_dates(records, checked.dates if checked is not None else {})
    problems += found
    problems += _check_places(records)
    terms_found = terms_of(known.values(), checked.terms if checked is not None else {}, vocabulary)
    problems += check_terms(terms_found, vocabulary)
    findings, disputes, found = compare_subjects(records, by_kind["claim"], vocabulary)
    problems += found
    problems += check_briefs(records, disputes, findings)
    selected = select_briefs(records, by_kind["brief"], backlinks, problems, before)
    corpus = Corpus(
        records=records,
        by_kind=by_kind,
        disputes=disputes,
        selections=selected.selections,
        backlinks=backlinks,
        vocabulary=vocabulary,
        findings=findings,
        selected=selected,
        checks=Checks(kinds, refs, vocabulary, terms_found, backlinks, dates),
    )
    problems += _unused(corpus)
    return corpus, problems




def _index(entries: Iterable[Entry], invalid: Iterable[Invalid],
           problems: list[Problem]) -> tuple[dict[str, Entry], dict[str, Entry | Invalid]]:
    """Valid records by id, and every record (valid or not) by id."""
    records: dict[str, Entry] = {}
    known: dict[str, Entry | Invalid] = {}
    items: list[Entry | Invalid] = [*entries, *invalid]
    for item in sorted(items, key=lambda e: e.file.rel):
        first = known.get(item.file.id)
        if first is not None:
            problems.append(Problem(item.file.rel, 0, 0, "", "duplicate-id",
                                    f"id '{item.file.id}' is already used by {first.file.rel}",
                                    "ids are unique across all kinds: rename one of the files"))
            continue
        known[item.file.id] = item
        if isinstance(item, Entry):
            records[item.id] = item
    return records, known


# --- references ------------------------------------------------------------------


def _check_refs(known: dict[str, Entry | Invalid], kinds: dict[str, str], problems: list[Problem],
                before: dict[str, RefsFound]) -> dict[str, RefsFound]:
    """Every record's references checked (a record ``before`` checked as the
    same object keeps what was found), its problems added to ``problems``."""
    out: dict[str, RefsFound] = {}
    ids_by_kind = _IdsByKind(kinds)
    for rid, item in known.items():
        was = before.get(rid)
        found = was if was is not None and was.item is item else _refs_of(rid, item, known, ids_by_kind)
        out[rid] = found
        problems += found.problems
    return out


def _refs_of(rid: str, item: Entry | Invalid, known: dict[str, Entry | Invalid], ids_by_kind: _IdsByKind) -> RefsFound:
    if isinstance(item, Entry):
        sites = iter_refs(item.model)
    elif item.data is not None:
        sites = iter_raw_refs(KINDS[item.file.kind], item.data)
    else:
        return RefsFound(item, (), ())
    problems: list[Problem] = []
    targets: list[str] = []
    for site in sites:
        if not SLUG.match(site.target) and not site.written:
            continue  # reported by validate as a bad id (prose is not: its ids are checked here)
        target = known.get(site.target)
        if target is None:
            problems.append(_dangling(item, site, ids_by_kind.get()))
        elif target.file.kind not in site.kinds:
            is_a = with_article(target.file.kind)
            problems.append(problem_at(item, site.path, "wrong-kind-ref",
                                       f"'{site.target}' is {is_a}, not {_either(site.kinds)}",
                                       f"refer to {_either(site.kinds)} here", at=site.written, nth=site.nth))
        elif site.target == rid and not _self_allowed(site.path):
            problems.append(problem_at(item, site.path, "self-ref", f"'{rid}' refers to itself",
                                       "remove the reference", at=site.written, nth=site.nth))
        else:
            targets.append(site.target)
    return RefsFound(item, tuple(problems), tuple(targets))


def _backlinks(refs: dict[str, RefsFound], checked: Checks | None) -> dict[str, list[str]]:
    """Each record's referrers, sorted, by record id, sorted. With what the
    linking before found (the same ids), only the referrers of what a record
    checked again referred to before or does now can have changed."""
    if checked is None:
        backrefs: dict[str, set[str]] = defaultdict(set)
        for rid, found in refs.items():
            for target in found.targets:
                backrefs[target].add(rid)
        return {k: sorted(v) for k, v in sorted(backrefs.items())}
    out = dict(checked.backlinks)
    touched: dict[str, set[str]] = {}
    for rid, found in refs.items():
        was = checked.refs[rid]  # the same ids: every record was checked before
        if was is found:
            continue
        for target in {*was.targets, *found.targets}:
            referrers = touched.setdefault(target, set(out.get(target, ())))
            if target in found.targets:
                referrers.add(rid)
            else:
                referrers.discard(rid)
    for target, referrers in touched.items():
        if referrers:
            out[target] = sorted(referrers)
        else:
            out.pop(target, None)
    # A record referred to for the first time comes last: put back in order.
    added = any(referrers and target not in checked.backlinks for target, referrers in touched.items())
    return dict(sorted(out.items())) if added else out


class _IdsByKind:
    """The ids of each kind, worked out once and only for a dangling reference's hint."""

    def __init__(self, kinds: dict[str, str]) -> None:
        self.kinds = kinds
        self.made: dict[str, list[str]] | None = None

    def get(self) -> dict[str, list[str]]:
        if self.made is None:
            self.made = defaultdict(list)
            for rid, kind in self.kinds.items():
                self.made[kind].append(rid)
        return self.made


def _self_allowed(path: RecordPath) -> bool:
    """A record may name itself where that means something: an actor's own
    name for itself (names[].used_by), as "Republic of Artsakh" is."""
    return len(path) >= 3 and path[0] == "names" and path[2] == "used_by"


def _dangling(entry: Entry | Invalid, site: RefSite, ids_by_kind: dict[str, list[str]]) -> Problem:
    target, kinds = site.target, site.kinds
    candidates = [i for kind in kinds for i in ids_by_kind.get(kind, [])]
    near = get_close_matches(target, candidates, n=3, cutoff=0.5)
    if near:
        hint = "did you mean " + " or ".join(f"'{n}'" for n in near) + "?"
    else:
        folders = ", ".join(f"briefings/{FOLDERS[k]}/" for k in kinds)
        hint = f"create {folders.split(', ')[0]}{target}.yaml, or use an id from {folders}"
    what = " or ".join(kinds) if len(kinds) <= 3 else "record"
    return problem_at(entry, site.path, "dangling-ref", f"no {what} has the id '{target}'", hint, at=site.written,
                      nth=site.nth)


def _either(kinds: tuple[str, ...]) -> str:
    if len(kinds) > 3:
        return "record"
    return " or ".join(with_article(k) for k in kinds)


# --- dates across fields and records ---------------------------------------------


def _check_dates(records: dict[str, Entry],
                 before: Mapping[str, DatesFound]) -> tuple[dict[str, DatesFound], list[Problem]]:
    """Each record's dates in order, and a claim's or quote's against its
    sources'. A record's check is kept from the linking before while it
    (and a claim's or quote's sources) are the same objects (`serve`: 0.035 s
    an edit at 10,000 records, when all were checked again); a brief's reads
    what it cites, and is made again."""
    found: dict[str, DatesFound] = {}
    problems: list[Problem] = []
    for rid, entry in records.items():
        model, was = entry.model, before.get(rid)
        if isinstance(model, Claim | Quote):
            read = (entry, *map(records.get, sources_of(model)))
            if was is None or len(was.read) != len(read) or any(map(is_not, was.read, read)):
                was = DatesFound(read, tuple(_dates_of(entry, records)))
        elif was is None or was.read[0] is not entry or isinstance(model, Brief):
            was = DatesFound((entry,), tuple(_dates_of(entry, records)))
        found[rid] = was
        problems += was.problems
    return found, problems


def _dates_of(entry: Entry, records: dict[str, Entry]) -> Iterator[Problem]:
    model = entry.model
    if isinstance(model, Event) and model.end is not None and model.end.surely_before(model.date):
        yield _order(entry, ("end",), model.end, "date", model.date)
    if isinstance(model, Actor):
        spans: list[Role | Relation] = [*model.roles, *model.relations]
        for i, span in enumerate(spans):
            yield from _span(entry, i, span, len(model.roles))
    if isinstance(model, Brief):
        if model.as_of.precision is not Precision.MINUTE:
            yield problem_at(entry, ("as_of",), "invalid-date",
                             f"as_of '{model.as_of}' needs a time and its UTC offset",
                             f"write the moment the brief stands at, e.g. {_day_of(model.as_of)}T18:00+04:00")
        for i, section in enumerate(model.sections):
            if section.select is not None:
                yield from _selection_dates(entry, i, section.select)
        yield from _cites_later(entry, model, records)
    if isinstance(model, Quote):
        yield from _printed_before_said(entry, ("said",), model.said, [model.source], records)
    if isinstance(model, Claim) and model.date is not None:
        yield from _printed_before_said(entry, ("date",), model.date, model.sources, records)


def _day_of(d: PartialDate) -> str:
    return f"{d.text[:4]}-01-01" if len(d.text) == 4 else (d.text + "-01")[:10]


def _span(entry: Entry, i: int, span: Role | Relation, n_roles: int) -> Iterator[Problem]:
    if span.start is not None and span.end is not None and span.end.surely_before(span.start):
        base = ("roles", i) if i < n_roles else ("relations", i - n_roles)
        yield _order(entry, (*base, "end"), span.end, "start", span.start)


def _selection_dates(entry: Entry, i: int, select: Selection) -> Iterator[Problem]:
    if select.from_ is not None and select.to is not None and select.to.local_end <= select.from_.local_start:
        yield _order(entry, ("sections", i, "select", "to"), select.to, "from", select.from_)


def _order(entry: Entry, path: RecordPath, end: PartialDate, start_name: str, start: PartialDate) -> Problem:
    return problem_at(entry, path, "date-order", f"{path[-1]} {end} is before {start_name} {start}",
                      f"{path[-1]} must not come before {start_name}: check for swapped or mistyped dates")


def _printed_before_said(entry: Entry, path: RecordPath, said: PartialDate, sources: list[str],
                         records: dict[str, Entry]) -> Iterator[Problem]:
    for sid in sources:
        source = records.get(sid)
        if source is None or not isinstance(source.model, Source):
            continue
        if source.model.published.surely_before(said):
            yield problem_at(entry, path, "date-order",
                             f"{path[-1]} {said} is after {sid} was published ({source.model.published})",
                             "a source cannot carry what was said after it was published: check both dates")


def _cites_later(entry: Entry, brief: Brief, records: dict[str, Entry]) -> Iterator[Problem]:
    """A brief stands at its as_of: what it cites must rest on at least one
    source published by then."""
    cited: list[tuple[RecordPath, str]] = [
        (("key_points", i, "cites", j), rid) for i, point in enumerate(brief.key_points)
        for j, rid in enumerate(point.cites)]
    cited += [(("sections", i, "select", "ids", j), rid) for i, section in enumerate(brief.sections)
              if section.select is not None for j, rid in enumerate(section.select.ids)]
    cited += [(path, rid) for path, text in brief.prose() for rid in prose.cited(text)]
    for path, rid in cited:
        later = _later_sources(records.get(rid), brief.as_of, records)
        if later:
            shown = ", ".join(f"'{sid}' ({published})" for sid, published in later)
            in_prose = isinstance(path[-1], str) and path[-1] in _PROSE_KEYS
            yield problem_at(entry, path, "cites-later-source",
                             f"'{rid}' rests only on sources published after the brief's as_of {brief.as_of}: {shown}",
                             "move as_of to when the brief was written, add a source published by then, or cite it "
                             "in a later brief", at="@" + rid if in_prose else "")


# The keys of a brief's prose fields: a reference in them is located in the text.
_PROSE_KEYS = frozenset(["text", "bottom_line", *(key for key, _ in Brief.FRONT)])


def _later_sources(cited: Entry | None, as_of: PartialDate,
                   records: dict[str, Entry]) -> list[tuple[str, PartialDate]]:
    """The sources a record rests on, when every one was published after ``as_of``."""
    if cited is None:
        return []
    dates = [(sid, m.published) for sid in sources_of(cited.model)
             if (e := records.get(sid)) and isinstance(m := e.model, Source)]
    if dates and all(as_of.surely_before(published) for _, published in dates):
        return dates
    return []


def _check_places(records: dict[str, Entry]) -> Iterator[Problem]:
    """part_of must not loop: a place cannot contain itself."""
    reported: set[str] = set()
    for rid, entry in records.items():
        seen = [rid]
        current: object = entry.model
        while isinstance(current, Place) and current.part_of is not None:
            nxt = current.part_of
            if nxt in seen:
                loop = seen[seen.index(nxt):]
                if not reported.intersection(loop):
                    reported.update(loop)
                    yield problem_at(entry, ("part_of",), "cycle",
                                     "part_of goes round in a circle: " + " -> ".join([*loop, nxt]),
                                     "one of these places must not be part of the next")
                break
            seen.append(nxt)
            target = records.get(nxt)
            current = target.model if target is not None else None


# --- what nothing refers to -----------------------------------------------------------


def _unused(corpus: Corpus) -> Iterator[Problem]:
    selected = {rid for sections in corpus.selections.values() for ids in sections for rid in ids}
    for rid, entry in corpus.records.items():
        if entry.kind == "brief" or rid in corpus.backlinks or rid in selected:
            continue
        if entry.kind == "source":
            yield Problem(entry.file.rel, 0, 0, "", "unused-source", f"no record cites source '{rid}'",
                          "cite it from a claim, quote or event, or remove it", Severity.WARNING)
        else:
            yield Problem(entry.file.rel, 0, 0, "", "unreferenced",
                          f"no brief or record refers to {entry.kind} '{rid}'",
                          "refer to it from another record or select it in a brief's section", Severity.WARNING)
