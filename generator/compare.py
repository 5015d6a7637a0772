"""Claims on one subject, compared: do they agree, fit together, revise one
another, or conflict?

The rules (the README gives them with examples):

* a figure is a range: ``25`` is 25 to 25, ``at least 25`` is 25 and up,
  ``about 2,000`` is within 10% of it, ``low``/``high`` bound it; a
  position (``value`` in words) is compared as written, ignoring case;
* figures are compared in the subject's unit: "5 million USD" and
  "5000000 US dollars" are one figure, 6 weeks is 42 days;
* claims by one asserter (the same actors, or the same ``asserted_by``) made
  at different times form a *revision series*, and so do claims linked by
  ``supersedes``: only the latest of a series is compared with the others;
* the latest claims are *in agreement* when they say the same, *compatible*
  when their ranges overlap (at least 25 and at least 32: both can be true),
  and a *dispute* only when they cannot all be true at once (ranges with
  nothing in common, different positions).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from generator.dates import PartialDate
from generator.grouping import connected
from generator.model import Claim, Qualifier
from generator.quantities import factor, scaled, unit_of
from generator.vocabulary import Subject

# "about" a figure: within this share of it, either way.
ABOUT = 0.10


@dataclass(frozen=True, slots=True)
class Span:
    """The values a figure allows: from ``low`` to ``high``, each end included or not."""

    low: float
    high: float
    low_open: bool = False
    high_open: bool = False


def span(claim: Claim, to_subject: float = 1.0) -> Span | None:
    """The range a figure claim allows, in the subject's unit; None for a position."""
    if claim.low is not None and claim.high is not None:
        low, high = scaled(claim, claim.low) * to_subject, scaled(claim, claim.high) * to_subject
    elif isinstance(claim.value, int | float):
        low = high = scaled(claim, claim.value) * to_subject
    else:
        return None
    q = claim.qualifier
    if q is Qualifier.ABOUT:
        return Span(low - abs(low) * ABOUT, high + abs(high) * ABOUT)
    if q is Qualifier.AT_LEAST:
        return Span(low, math.inf)
    if q is Qualifier.MORE_THAN:
        return Span(low, math.inf, low_open=True)
    if q is Qualifier.AT_MOST:
        return Span(-math.inf, high)
    if q is Qualifier.FEWER_THAN:
        return Span(-math.inf, high, high_open=True)
    if q is Qualifier.ALMOST:  # as "about" is ±10%, "almost" is the 10% below
        return Span(high - abs(high) * ABOUT, high, high_open=True)
    return Span(low, high)


def overlap(spans: Sequence[Span]) -> bool:
    """Whether one value lies in every span."""
    low = max(spans, key=lambda s: (s.low, s.low_open))
    high = min(spans, key=lambda s: (s.high, not s.high_open))
    if low.low < high.high:
        return True
    return low.low == high.high and not low.low_open and not high.high_open


def position(claim: Claim) -> str | None:
    return " ".join(claim.value.split()).casefold() if isinstance(claim.value, str) else None


@dataclass(frozen=True, slots=True)
class Issue:
    """Something wrong with a claim found while comparing: becomes a problem."""

    claim: str
    field: str
    code: str
    message: str
    hint: str


@dataclass(frozen=True, slots=True)
class Finding:
    """What the claims on one subject come to."""

    subject: str
    verdict: str  # "single", "agree", "compatible" or "dispute"
    current: tuple[str, ...]  # the latest claim of each asserter, by date: what is compared
    series: tuple[tuple[str, ...], ...]  # revision series (two claims or more), each latest first
    issues: tuple[Issue, ...] = field(default=())

    def series_of(self, cid: str) -> tuple[str, ...]:
        """The revision series a claim belongs to, latest first; () when none."""
        return next((s for s in self.series if cid in s), ())


Dated = Callable[[str], PartialDate]


def compare(subject: str, claims: Sequence[tuple[str, Claim]], definition: Subject | None,
            dated: Dated) -> Finding:
    """Claims sharing a subject, compared by the rules above. ``dated`` gives
    a claim's date: when it was made, or else when its first source was
    published."""
    by_id = dict(claims)
    when = {cid: dated(cid).sort_key for cid in by_id}  # each claim's date, worked out once
    order = sorted(by_id, key=lambda cid: (when[cid], cid))
    issues: list[Issue] = []
    factors = _factors(subject, order, by_id, definition, issues)
    series, superseded = _series(order, by_id, when)
    current = tuple(cid for cid in order if cid not in superseded)
    if definition is not None and definition.kind:
        issues += _answers(order, by_id, definition)
    verdict = _verdict(current, by_id, factors)
    return Finding(subject, verdict, current, series, tuple(issues))


def _factors(subject: str, order: list[str], by_id: dict[str, Claim], definition: Subject | None,
             issues: list[Issue]) -> dict[str, float]:
    """Each figure's factor into the subject's unit (or the first figure's,
    when the subject names none); a unit that does not convert is an issue."""
    target = definition.unit if definition is not None else None
    if target is None:
        target = next((by_id[c].unit for c in order if by_id[c].unit and span(by_id[c]) is not None), None)
    out: dict[str, float] = {}
    for cid in order:
        claim = by_id[cid]
        if span(claim) is None:
            continue
        if target is None or claim.unit is None:
            out[cid] = 1.0
            continue
        f = factor(unit_of(claim.unit), unit_of(target))
        if f is None:
            whose = f"subject '{subject}'" if definition is not None and definition.unit else "the other claims"
            issues.append(Issue(cid, "unit", "unit-mismatch",
                                f"unit '{claim.unit}' cannot be compared with '{target}', the unit of {whose}",
                                f"give the figure in {target} (or a unit that converts to it), or put the claim "
                                "under a subject of its own"))
            continue
        out[cid] = f
    return out


def _answers(order: Sequence[str], by_id: dict[str, Claim], definition: Subject) -> list[Issue]:
    out = []
    for cid in order:
        claim = by_id[cid]
        is_figure = span(claim) is not None
        if definition.kind == "figure" and not is_figure and claim.value is not None:
            out.append(Issue(cid, "value", "answer-mismatch",
                             f"the subject asks for a figure, and the claim gives words ('{claim.value}')",
                             "write the figure as a number (value: 25, qualifier: at-least), or put the claim "
                             "under a subject whose answer is a position"))
        elif definition.kind == "position" and is_figure:
            out.append(Issue(cid, "value", "answer-mismatch",
                             "the subject asks for a position in words, and the claim gives a figure",
                             "write the position in words, or give the subject a unit"))
    return out


def _asserter(claim: Claim) -> tuple[str, ...]:
    return tuple(sorted(claim.actors)) if claim.actors else (" ".join(claim.asserted_by.split()).casefold(),)


def _series(order: list[str], by_id: dict[str, Claim],
            when: dict[str, tuple[datetime, int]]) -> tuple[tuple[tuple[str, ...], ...], set[str]]:
    """Revision series (each latest first) and the claims a later one revises."""
    first: dict[tuple[str, ...], str] = {}
    pairs = [(cid, first.setdefault(_asserter(by_id[cid]), cid)) for cid in order]
    superseded: set[str] = set()
    for cid in order:
        earlier = by_id[cid].supersedes
        if earlier in by_id:
            pairs.append((earlier, cid))
            superseded.add(earlier)
    series = []
    for members in connected(order, pairs):
        latest = max(when[c] for c in members)
        superseded.update(c for c in members if when[c] < latest)
        if len(members) > 1 and any(c in superseded for c in members):
            series.append(tuple(reversed(members)))
    series.sort(key=lambda s: (when[s[0]], s[0]))
    return tuple(series), superseded


def _verdict(current: tuple[str, ...], by_id: dict[str, Claim], factors: dict[str, float]) -> str:
    if len(current) < 2:
        return "single"
    positions = {position(by_id[c]) for c in current if position(by_id[c]) is not None}
    spans = [s for c in current if c in factors and (s := span(by_id[c], factors[c])) is not None]
    unknown = [c for c in current if by_id[c].value is None and by_id[c].low is None]
    if len(positions) > 1 or (positions and spans):
        return "dispute"
    if spans and not overlap(spans):
        return "dispute"
    if len(set(spans)) <= 1 and len(positions) <= 1 and not unknown:
        return "agree"
    return "compatible"
