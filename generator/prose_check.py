"""Checks of a brief's prose and key figures that need the linked corpus.

References in prose are checked with every other reference (the link
stage reads them through ``generator.fields``); here is what is particular
to prose: brackets that are neither a citation nor a link, a disputed
figure stated without citing the claims it comes from, and a key figure
no claim answers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator import prose
from generator.compare import Finding
from generator.model import Brief, Claim
from generator.problems import Problem, Severity
from generator.subjects import Dispute
from generator.validate import Entry, problem_at

# A figure as written in prose: 25, 2,000, 3.5 (not part of a word or id).
_NUMBER = re.compile(r"(?<![\w.])\d+(?:,\d{3})*(?:\.\d+)?(?!\w)")


def check_briefs(records: dict[str, Entry], disputes: list[Dispute],
                 findings: dict[str, Finding]) -> Iterator[Problem]:
    figures = _disputed_figures(records, disputes)
    for entry in records.values():
        if not isinstance(entry.model, Brief):
            continue
        for path, text in entry.model.prose():
            for written in prose.stray(text):
                yield problem_at(entry, path, "prose-syntax", f"'{written}' is neither a citation nor a link",
                                 "cite with [@id] or [@id; @other], link with [words](@id)", at=written)
            for paragraph in prose.parse(text):
                yield from _uncited(entry, path, paragraph, figures, records)
        for i, subject in enumerate(entry.model.key_figures):
            if subject not in findings:
                yield problem_at(entry, ("key_figures", i), "empty-key-figure",
                                 f"no claim answers the subject '{subject}'",
                                 "give a claim this subject, or remove it from key_figures", Severity.WARNING)


def _disputed_figures(records: dict[str, Entry], disputes: list[Dispute]) -> dict[str, set[float]]:
    """Subject of each dispute -> the numbers its claims give, as written."""
    out: dict[str, set[float]] = {}
    for dispute in disputes:
        numbers = out.setdefault(dispute.subject, set())
        for cid in dispute.claims:
            claim = records[cid].model
            assert isinstance(claim, Claim)
            numbers.update(n for n in (claim.value, claim.low, claim.high)
                           if isinstance(n, int | float) and not isinstance(n, bool))
    return {subject: numbers for subject, numbers in out.items() if numbers}


def _uncited(entry: Entry, path: tuple[str | int, ...], paragraph: prose.Paragraph,
             figures: dict[str, set[float]], records: dict[str, Entry]) -> Iterator[Problem]:
    """A paragraph giving a disputed figure must cite a claim on its subject."""
    if not figures:
        return
    written = {float(m[0].replace(",", "")): m[0] for m in _NUMBER.finditer(prose.plain(paragraph))}
    cited_subjects = {m.subject for t in paragraph if isinstance(t, prose.Cite) for rid in t.ids
                      if (e := records.get(rid)) and isinstance(m := e.model, Claim)}
    for subject, numbers in sorted(figures.items()):
        stated = [written[n] for n in sorted(numbers) if n in written]
        if stated and subject not in cited_subjects:
            yield problem_at(entry, path, "uncited-figure",
                             f"'{stated[0]}' is a disputed figure ({subject}) but the paragraph cites no claim "
                             "on it", "cite the claims it comes from, so readers see who gives it: [@claim-id]",
                             Severity.WARNING, at=stated[0])
