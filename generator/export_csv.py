"""The CSV export: tables a spreadsheet opens, one per kind and one per link.

``<kind folder>.csv`` (``actors.csv`` ...) has a row per record and a column
per field, in the canonical order: a reference as its id with the page's URL
beside it (``speaker``, ``speaker_url``), a list of ids or terms joined with
"; ", a nested record (``coordinates``) in columns of its own, and anything
deeper (a brief's sections, a place's shape) as JSON in one cell. Every
many-to-many link has a table of its own with both ends, as ids and URLs:
``links.csv`` (every reference any record makes, with its field),
``claim_sources.csv``, ``relations.csv``, ``event_actors.csv``,
``names.csv`` and ``disputes.csv``.

Files are UTF-8 with a byte-order mark (what makes Excel read them as
UTF-8), with a header row. A text cell that a spreadsheet would run as a
formula (one that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return) is prefixed with an apostrophe, as OWASP advises.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from typing import Any

from generator.export_context import ExportContext, links
from generator.fields import Shape, ordered_fields, shape_of
from generator.model import FOLDERS, KINDS, Actor, Claim, Event, NameUse, Place, Source

FOLDER = "csv"
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
Row = Sequence[object]


def export_csv(ctx: ExportContext) -> dict[str, bytes]:
    files = {f"{FOLDER}/{FOLDERS[kind]}.csv": _table(*_records(ctx, kind)) for kind in KINDS}
    files[f"{FOLDER}/links.csv"] = _table(
        ["from_id", "from_kind", "from_url", "field", "to_id", "to_kind", "to_url"],
        ([ln.source, _kind(ctx, ln.source), ctx.url(ln.source), ln.field, ln.target, _kind(ctx, ln.target),
          ctx.url(ln.target)] for ln in links(ctx)))
    files[f"{FOLDER}/claim_sources.csv"] = _table(
        ["claim_id", "claim_url", "source_id", "source_url", "source_title", "published", "reliability",
         "credibility"], _claim_sources(ctx))
    files[f"{FOLDER}/relations.csv"] = _table(
        ["actor_id", "actor_url", "type", "type_label", "to_id", "to_kind", "to_url", "start", "end", "note"],
        _relations(ctx))
    files[f"{FOLDER}/event_actors.csv"] = _table(
        ["event_id", "event_url", "actor_id", "actor_url", "role", "role_label"], _participants(ctx))
    files[f"{FOLDER}/names.csv"] = _table(
        ["record_id", "record_kind", "record_url", "name", "lang", "script", "used_by", "note"], _names(ctx))
    files[f"{FOLDER}/disputes.csv"] = _table(
        ["subject", "question", "dispute_url", "claim_id", "claim_url", "asserted_by", "statement"],
        ([d.subject, ctx.corpus.vocabulary.subject_label(d.subject), ctx.disputes_url(d.subject), cid,
          ctx.url(cid), claim.asserted_by, claim.statement]
         for d in ctx.corpus.disputes for cid in d.claims
         if isinstance(claim := ctx.corpus.get(cid).model, Claim)))
    return files


def _records(ctx: ExportContext, kind: str) -> tuple[list[str], list[list[object]]]:
    # Each field's shape read once: not once for each of 10,000 records.
    fields = {key: shape_of(info) for key, info in ordered_fields(KINDS[kind]).items()
              if key not in ("id", "draft", "notes")}
    header = ["id", "page_url", *(name for key, shape in fields.items() for name in _columns(key, shape))]
    rows = []
    for entry in ctx.corpus.of_kind(kind):
        data = entry.model.model_dump(mode="json", by_alias=True)
        row: list[object] = [entry.id, ctx.url(entry.id)]
        for key, shape in fields.items():
            row += _cells(ctx, key, shape, data.get(key))
        rows.append(row)
    return header, rows


def _columns(key: str, shape: Shape) -> list[str]:
    if shape.base == "ref":
        return [key, f"{key}_urls" if shape.many else f"{key}_url"]
    if shape.base == "model" and not shape.many and key == "coordinates":
        return ["lat", "lon"]
    return [key]


def _cells(ctx: ExportContext, key: str, shape: Shape, value: Any) -> list[object]:
    if shape.base == "ref":
        ids = value if shape.many else ([value] if value else [])
        return ["; ".join(ids), "; ".join(ctx.url(i) for i in ids)]
    if shape.base == "model" and not shape.many and key == "coordinates":
        return [value["lat"], value["lon"]] if value else ["", ""]
    if value is None:
        return [""]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ["; ".join(value)]
    if isinstance(value, list | dict):
        return [json.dumps(value, ensure_ascii=False, sort_keys=True)]
    return [value]


def _kind(ctx: ExportContext, rid: str) -> str:
    return ctx.corpus.get(rid).kind


def _claim_sources(ctx: ExportContext) -> Iterable[Row]:
    for entry in ctx.corpus.of_kind("claim"):
        assert isinstance(entry.model, Claim)
        for sid in entry.model.sources:
            source = ctx.corpus.get(sid).model
            assert isinstance(source, Source)
            yield [entry.id, ctx.url(entry.id), sid, ctx.url(sid), source.title, str(source.published),
                   source.reliability or "", source.credibility or ""]


def _relations(ctx: ExportContext) -> Iterable[Row]:
    for entry in ctx.corpus.of_kind("actor"):
        assert isinstance(entry.model, Actor)
        for rel in entry.model.relations:
            target = rel.actor or rel.place or ""
            yield [entry.id, ctx.url(entry.id), rel.type, ctx.corpus.vocabulary.label("relation_types", rel.type),
                   target, _kind(ctx, target), ctx.url(target), _date(rel.start), _date(rel.end), rel.note or ""]


def _participants(ctx: ExportContext) -> Iterable[Row]:
    for entry in ctx.corpus.of_kind("event"):
        assert isinstance(entry.model, Event)
        for p in entry.model.actors:
            yield [entry.id, ctx.url(entry.id), p.actor, ctx.url(p.actor), p.role,
                   ctx.corpus.vocabulary.label("roles", p.role)]


def _names(ctx: ExportContext) -> Iterable[Row]:
    for entry in ctx.entries():
        if isinstance(entry.model, Actor | Place):
            for name in entry.model.names:
                yield [entry.id, entry.kind, ctx.url(entry.id), *_name(name)]


def _name(name: NameUse) -> list[object]:
    return [name.name, name.lang or "", name.script or "", "; ".join(name.used_by), name.note or ""]


def _date(value: object) -> str:
    return "" if value is None else str(value)


def _table(header: list[str], rows: Iterable[Row]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([_safe(cell) for cell in row] for row in rows)
    return out.getvalue().encode("utf-8-sig")


def _safe(cell: object) -> object:
    """A text cell as data, never a formula; numbers and flags as they are."""
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, str) and cell.startswith(_FORMULA):
        return "'" + cell
    return cell
