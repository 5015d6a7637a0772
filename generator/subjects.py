"""Claims grouped by subject and compared (``generator.compare``): what each
subject's claims come to, the disputes among them, and what is wrong with
a claim that only shows beside the others (a unit that does not convert, a
``supersedes`` that points elsewhere).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from generator.compare import Finding, compare
from generator.dates import PartialDate
from generator.model import Claim, Source
from generator.problems import Problem, Severity
from generator.quantities import looks_like_figure
from generator.validate import Entry, problem_at
from generator.vocabulary import Vocabulary


@dataclass(frozen=True, slots=True)
class Dispute:
    """Claims on one subject that cannot all be true: the latest claim of
    each asserter, in date order."""

    subject: str
    claims: tuple[str, ...]


def claim_date(claim: Claim, records: dict[str, Entry]) -> PartialDate | None:
    """When a claim was made; else when the first of its sources was published."""
    if claim.date is not None:
        return claim.date
    published = [m.published for s in claim.sources
                 if (e := records.get(s)) is not None and isinstance(m := e.model, Source)]
    return min(published, key=lambda d: d.sort_key) if published else None


_UNDATED = PartialDate.parse("9999")


def compare_subjects(records: dict[str, Entry], claim_ids: list[str],
                     vocabulary: Vocabulary) -> tuple[dict[str, Finding], list[Dispute], list[Problem]]:
    """Every subject's finding, the disputes in date order, and the problems."""
    groups: dict[str, list[tuple[str, Claim]]] = defaultdict(list)
    problems: list[Problem] = []
    for cid in claim_ids:
        claim = records[cid].model
        assert isinstance(claim, Claim)
        if claim.subject is not None:
            groups[claim.subject].append((cid, claim))
        problems += _own_problems(records[cid], claim, records)

    def dated(cid: str) -> PartialDate:
        model = records[cid].model
        assert isinstance(model, Claim)
        return claim_date(model, records) or _UNDATED

    findings = {}
    for subject in sorted(groups):
        finding = compare(subject, groups[subject], vocabulary.subject(subject), dated)
        findings[subject] = finding
        problems += [problem_at(records[i.claim], (i.field,), i.code, i.message, i.hint) for i in finding.issues]
    disputes = [Dispute(s, f.current) for s, f in findings.items() if f.verdict == "dispute"]
    disputes.sort(key=lambda d: (min(dated(c).sort_key for c in d.claims), d.subject))
    return findings, disputes, problems


def _own_problems(entry: Entry, claim: Claim, records: dict[str, Entry]) -> Iterator[Problem]:
    if isinstance(claim.value, str) and looks_like_figure(claim.value):
        yield problem_at(entry, ("value",), "figure-as-text",
                         f"the value '{claim.value}' is a figure written as text: it is compared as words",
                         "write the number, with a scale if you like: value: 5, scale: million", Severity.WARNING)
    if claim.supersedes is None:
        return
    earlier = records.get(claim.supersedes)
    if earlier is None or not isinstance(earlier.model, Claim):
        return  # reported by the reference check
    if earlier.model.subject != claim.subject:
        yield problem_at(entry, ("supersedes",), "bad-supersedes",
                         f"'{claim.supersedes}' is a claim on {_on(earlier.model.subject)}, this one on "
                         f"{_on(claim.subject)}: a revision answers the same question",
                         "give both claims the same subject, or remove supersedes")
    mine, theirs = claim_date(claim, records), claim_date(earlier.model, records)
    if mine is not None and theirs is not None and mine.surely_before(theirs):
        yield problem_at(entry, ("supersedes",), "date-order",
                         f"this claim ({mine}) is dated before '{claim.supersedes}' ({theirs}), which it supersedes",
                         "a revision comes after what it revises: check both dates, or swap supersedes")


def _on(subject: str | None) -> str:
    return f"'{subject}'" if subject else "no subject"
