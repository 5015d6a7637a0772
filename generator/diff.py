"""Changes between two states of a corpus, as records, not lines.

What an editor or a reader asks of a new edition: which events were added
or removed, which claims changed their figure (the death toll revised from
25 to 32), which sources were added, re-graded or retracted, which quotes
are new. Compared field by field on the validated records, so reordering
fields or requoting a value is no change at all. Review dates are
bookkeeping, not news, and are not compared.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from generator.model import Claim, Record
from generator.validate import Entry

# The order a change report is read in: what was reported, then who said what.
KIND_ORDER = ("source", "event", "claim", "quote", "actor", "place", "brief")
KIND_HEADINGS = {"source": "Sources", "event": "Events", "claim": "Claims", "quote": "Quotes", "actor": "Actors",
                 "place": "Places", "brief": "Briefs"}
IGNORED = frozenset({"reviewed", "review_by", "notes"})  # editorial, never published
_FIGURE = ("value", "low", "high", "qualifier", "scale", "unit")
_VERB_ORDER = {"added": 0, "changed": 1, "removed": 2}


@dataclass(frozen=True, slots=True)
class FieldChange:
    path: str  # "value", "sources", "roles[0].title"
    old: Any  # None when the field was not set
    new: Any


@dataclass(frozen=True, slots=True)
class RecordChange:
    kind: str
    id: str
    change: str  # added, changed or removed
    title: str
    fields: tuple[FieldChange, ...] = ()
    labels: tuple[str, ...] = ()  # revised, re-graded, retracted, sources added, ...

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["fields"] = [asdict(f) for f in self.fields]
        out["labels"] = list(self.labels)
        return out


@dataclass(frozen=True, slots=True)
class Changes:
    old: str  # what was compared: "edition-1 (abc1234)"
    new: str
    records: tuple[RecordChange, ...]

    def restricted(self, ids: Iterable[str]) -> Changes:
        keep = set(ids)
        return Changes(self.old, self.new, tuple(r for r in self.records if r.id in keep))

    def counts(self) -> dict[str, int]:
        out = {"added": 0, "changed": 0, "removed": 0}
        for r in self.records:
            out[r.change] += 1
        return out


Titler = Callable[[Entry], str]


def diff(old: Mapping[str, Entry], new: Mapping[str, Entry], title: Titler, old_label: str = "old",
         new_label: str = "new") -> Changes:
    """Every record added, removed or changed from ``old`` to ``new``."""
    out: list[RecordChange] = []
    for rid in sorted(old.keys() | new.keys()):
        before, after = old.get(rid), new.get(rid)
        if before is None and after is not None:
            out.append(RecordChange(after.kind, rid, "added", title(after), (), _added_labels(after.model)))
        elif after is None and before is not None:
            out.append(RecordChange(before.kind, rid, "removed", title(before)))
        elif before is not None and after is not None:
            if before.kind != after.kind:
                out.append(RecordChange(before.kind, rid, "removed", title(before)))
                out.append(RecordChange(after.kind, rid, "added", title(after)))
                continue
            fields = tuple(_fields(_data(before.model), _data(after.model), ""))
            if fields:
                out.append(RecordChange(after.kind, rid, "changed", title(after), fields,
                                        _labels(after.model, fields)))
    out.sort(key=lambda r: (KIND_ORDER.index(r.kind), _VERB_ORDER[r.change], r.id))
    return Changes(old_label, new_label, tuple(out))


def _data(model: Record) -> dict[str, Any]:
    data = model.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    return {k: v for k, v in data.items() if k not in IGNORED and k != "id"}


def _fields(old: Any, new: Any, path: str) -> Iterable[FieldChange]:
    if old == new:
        return
    if isinstance(old, dict) and isinstance(new, dict):
        for key in [*old, *(k for k in new if k not in old)]:
            yield from _fields(old.get(key), new.get(key), f"{path}.{key}" if path else key)
        return
    yield FieldChange(path, old, new)


def _added_labels(model: Record) -> tuple[str, ...]:
    return tuple(_status(model)) + (("retracted",) if getattr(model, "retracted", None) is not None else ())


def _status(model: Record) -> list[str]:
    """Whether readers see the record (for `diff --all`)."""
    if model.draft:
        return ["draft"]
    if model.embargo_until is not None:
        return [f"embargoed until {model.embargo_until}"]
    return []


def _labels(model: Record, fields: tuple[FieldChange, ...]) -> tuple[str, ...]:
    names = {f.path.split(".")[0].split("[")[0] for f in fields}
    labels = _status(model)
    if "draft" in names and not model.draft:
        labels.append("no longer a draft")
    if isinstance(model, Claim) and names.intersection(_FIGURE):
        labels.append("revised")
    if names & {"reliability", "credibility"}:
        labels.append("re-graded")
    retraction = next((f for f in fields if f.path == "retracted"), None)
    if retraction is not None:
        labels.append("retracted" if retraction.new is not None else "retraction withdrawn")
    sources = next((f for f in fields if f.path in ("sources", "source")), None)
    if sources is not None:
        added, removed = _list_delta(sources.old, sources.new)
        labels += ["sources added"] * bool(added) + ["sources removed"] * bool(removed)
    return tuple(labels)


def _list_delta(old: Any, new: Any) -> tuple[list[Any], list[Any]]:
    before = old if isinstance(old, list) else ([] if old is None else [old])
    after = new if isinstance(new, list) else ([] if new is None else [new])
    return [x for x in after if x not in before], [x for x in before if x not in after]


# --- describing a change in words -------------------------------------------------------


def describe_field(f: FieldChange) -> str:
    """One field's change, for people: "value: 25 → 32", "sources: + x, − y"."""
    if isinstance(f.old, list) or isinstance(f.new, list):
        added, removed = _list_delta(f.old, f.new)
        if all(_scalar(x) for x in added + removed):
            parts = [f"+ {_show(x)}" for x in added] + [f"− {_show(x)}" for x in removed]
            if parts:
                return f"{f.path}: " + ", ".join(parts)
            return f"{f.path}: reordered"
        return f"{f.path}: {_count(f.old)} → {_count(f.new)} items" if _count(f.old) != _count(f.new) else \
            f"{f.path}: edited"
    if f.old is None:
        return f"{f.path}: set to {_show(f.new)}"
    if f.new is None:
        return f"{f.path}: removed (was {_show(f.old)})"
    return f"{f.path}: {_show(f.old)} → {_show(f.new)}"


def describe(r: RecordChange) -> str:
    """The whole change in a line, without the record's title."""
    if r.change == "added":
        return "added" + (f" ({', '.join(r.labels)})" if r.labels else "")
    if r.change == "removed":
        return "removed"
    head = ", ".join(r.labels) if r.labels else "edited"
    return f"{head}: " + "; ".join(describe_field(f) for f in r.fields)


def _scalar(x: Any) -> bool:
    return isinstance(x, str | int | float | bool) or x is None


def _count(x: Any) -> int:
    return len(x) if isinstance(x, list) else 0


def _show(x: Any) -> str:
    if isinstance(x, str):
        text = " ".join(x.split())
        return text if len(text) <= 80 else text[:77] + "…"
    if isinstance(x, dict | list):
        return json.dumps(x, ensure_ascii=False)
    return str(x)


# --- reports ------------------------------------------------------------------------------


def grouped(changes: Changes) -> list[tuple[str, list[RecordChange]]]:
    """(kind heading, changes) in reading order, kinds without changes left out."""
    return [(KIND_HEADINGS[k], [r for r in changes.records if r.kind == k]) for k in KIND_ORDER
            if any(r.kind == k for r in changes.records)]


def summary_line(changes: Changes) -> str:
    c = changes.counts()
    return (f"{changes.old} → {changes.new}: {c['added']} added, {c['changed']} changed, "
            f"{c['removed']} removed")


def changes_text(changes: Changes) -> str:
    lines = [summary_line(changes)]
    for heading, records in grouped(changes):
        lines += ["", heading]
        for r in records:
            mark = {"added": "+", "removed": "-", "changed": "~"}[r.change]
            lines.append(f"  {mark} {r.id} ({r.title}): {describe(r)}")
    return "\n".join(lines)


def changes_markdown(changes: Changes) -> str:
    """For a pull request or an edition note. Titles and values are record
    text: their Markdown is escaped."""
    from generator.text import md_text

    lines = [f"## Changes: {md_text(changes.old)} → {md_text(changes.new)}", "",
             md_text(summary_line(changes).split(": ", 1)[1]) + "."]
    for heading, records in grouped(changes):
        lines += ["", f"### {heading}", ""]
        for r in records:
            lines.append(f"- **{md_text(r.title)}** (`{r.id}`): {md_text(describe(r))}")
    return "\n".join(lines) + "\n"


def changes_json(changes: Changes) -> str:
    return json.dumps({"old": changes.old, "new": changes.new, "counts": changes.counts(),
                       "changes": [r.to_json() for r in changes.records]}, ensure_ascii=False, indent=2)
