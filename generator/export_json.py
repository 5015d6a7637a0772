"""The JSON export: the whole published corpus in one document, and the JSON
Schema it validates against, generated from the record model.

Each record is ``{"id", "kind", "url", "title", "data", "references"}``:
``data`` is the record as its YAML gives it (published: never its private
notes), so it validates against that kind's editors' schema; ``references``
lists every record it refers to, by id and by URL, with the field that
refers. Disputes list their claims the same way.
"""

from __future__ import annotations

import json
from typing import Any

from generator import __version__
from generator.export_context import ExportContext, links
from generator.model import FOLDERS, KINDS
from generator.schema import kind_schema

DOCUMENT = "briefing.json"
_NOT_DATA = {"id", "draft", "notes"}  # given beside data, always false, never published
SCHEMA = "briefing.schema.json"


def export_json(ctx: ExportContext) -> dict[str, bytes]:
    return {DOCUMENT: _dump(document(ctx)), SCHEMA: _dump(json_schema(ctx))}


def document(ctx: ExportContext) -> dict[str, Any]:
    refs: dict[str, list[dict[str, str]]] = {}
    for link in links(ctx):
        refs.setdefault(link.source, []).append(
            {"field": link.field, "id": link.target, "kind": ctx.corpus.get(link.target).kind,
             "url": ctx.url(link.target)})
    records: dict[str, list[dict[str, Any]]] = {folder: [] for folder in FOLDERS.values()}
    for entry in ctx.entries():
        records[FOLDERS[entry.kind]].append({
            "id": entry.id, "kind": entry.kind, "url": ctx.url(entry.id), "title": ctx.title(entry.id),
            "data": entry.model.model_dump(mode="json", by_alias=True, exclude_none=True, exclude=_NOT_DATA),
            "references": refs.get(entry.id, []),
        })
    vocabulary = ctx.corpus.vocabulary
    disputes = [{"subject": d.subject, "question": vocabulary.subject_label(d.subject),
                 "url": ctx.disputes_url(d.subject),
                 "claims": [{"id": c, "url": ctx.url(c)} for c in d.claims]} for d in ctx.corpus.disputes]
    return {"$schema": SCHEMA, "generator": f"briefing {__version__}",
            "site": {"name": ctx.site_name, "url": ctx.site_url or None},
            "records": records, "disputes": disputes}


def json_schema(ctx: ExportContext) -> dict[str, Any]:
    """The document's schema: each kind's records' ``data`` by that kind's
    editors' schema (the model's, with the corpus' terms)."""
    defs: dict[str, Any] = {}
    kinds: dict[str, Any] = {}
    for kind in KINDS:
        schema = kind_schema(kind, ctx.corpus.vocabulary)
        defs.update(schema.pop("$defs", {}))
        name = f"{KINDS[kind].__name__}Record"
        defs[name] = schema
        kinds[FOLDERS[kind]] = {"type": "array", "items": _wrapper(kind, name)}
    ref = {"type": "object", "additionalProperties": False, "required": ["field", "id", "kind", "url"],
           "properties": {"field": {"type": "string"}, "id": {"type": "string"},
                          "kind": {"enum": list(KINDS)}, "url": {"type": "string"}}}
    link = {"type": "object", "additionalProperties": False, "required": ["id", "url"],
            "properties": {"id": {"type": "string"}, "url": {"type": "string"}}}
    dispute = {"type": "object", "additionalProperties": False, "required": ["subject", "question", "url", "claims"],
               "properties": {"subject": {"type": "string"}, "question": {"type": "string"},
                              "url": {"type": "string"}, "claims": {"type": "array", "items": link, "minItems": 2}}}
    defs["Reference"] = ref
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://briefing.invalid/schema/export.schema.json",
        "title": "briefing export: a published corpus",
        "type": "object", "additionalProperties": False,
        "required": ["generator", "site", "records", "disputes"],
        "properties": {
            "$schema": {"type": "string"},
            "generator": {"type": "string"},
            "site": {"type": "object", "required": ["name", "url"], "additionalProperties": False,
                     "properties": {"name": {"type": "string"}, "url": {"type": ["string", "null"]}}},
            "records": {"type": "object", "additionalProperties": False, "required": list(kinds),
                        "properties": kinds},
            "disputes": {"type": "array", "items": dispute},
        },
        "$defs": dict(sorted(defs.items())),
    }


def _wrapper(kind: str, data_def: str) -> dict[str, Any]:
    return {"type": "object", "additionalProperties": False,
            "required": ["id", "kind", "url", "title", "data", "references"],
            "properties": {"id": {"type": "string"}, "kind": {"const": kind}, "url": {"type": "string"},
                           "title": {"type": "string"}, "data": {"$ref": f"#/$defs/{data_def}"},
                           "references": {"type": "array", "items": {"$ref": "#/$defs/Reference"}}}}


def _dump(value: Any) -> bytes:
    return (json.dumps(value, indent=1, ensure_ascii=False, sort_keys=True) + "\n").encode()
