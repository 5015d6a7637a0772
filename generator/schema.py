"""The JSON Schema editors use, generated from the record model and the
corpus' vocabulary.

One schema per kind, in ``schema/<kind>.schema.json``, and one for the
vocabulary file; yaml-language-server (VS Code's YAML extension and others)
maps each to its files. Fields that take a vocabulary's term list the
corpus' own terms (the defaults merged with ``briefings/vocabulary.yaml``):
a closed vocabulary as the only values allowed, an open one (topics, roles,
subjects) as suggestions. The files are committed so editors work without
running anything; ``briefing schema --check`` (and a test) fails when they
are stale, after a change to the model or to the vocabulary file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from generator.discover import CORPUS_FOLDER
from generator.errors import BriefingError
from generator.model import FOLDERS, KINDS
from generator.problems import format_text
from generator.terms import corpus_vocabulary_file, read_vocabulary
from generator.vocabulary import CLOSED, DEFAULT, VOCABULARY_FILE, Vocabulary, VocabularyFile

SCHEMA_DIR = "schema"
BASE_ID = "https://briefing.invalid/schema/"
VOCABULARY_SCHEMA = "vocabulary.schema.json"


class SchemaError(BriefingError):
    """The vocabulary file the schemas are made from is invalid."""


def corpus_vocabulary(root: Path) -> Vocabulary:
    """The merged vocabulary of the corpus at ``root``; an invalid vocabulary
    file stops the command (its problems are what `check` reports)."""
    vocabulary, problems = read_vocabulary(corpus_vocabulary_file(root))
    errors = [p for p in problems if p.is_error]
    if errors:
        raise SchemaError("the vocabulary file is invalid; `briefing check` reports the same:\n"
                          + format_text(errors))
    return vocabulary


def schemas(vocabulary: Vocabulary = DEFAULT) -> dict[str, str]:
    """{file name: JSON text} for every kind and the vocabulary file, deterministic."""
    out = {}
    for kind in KINDS:
        schema = kind_schema(kind, vocabulary)
        out[f"{kind}.schema.json"] = _document(schema, f"{kind}.schema.json",
                                               f"briefing {kind} record (briefings/{FOLDERS[kind]}/<id>.yaml)")
    out[VOCABULARY_SCHEMA] = _document(VocabularyFile.model_json_schema(by_alias=True), VOCABULARY_SCHEMA,
                                       f"briefing vocabulary (briefings/{VOCABULARY_FILE})")
    return out


def kind_schema(kind: str, vocabulary: Vocabulary = DEFAULT) -> dict[str, Any]:
    """The JSON Schema of one kind's records, with the vocabulary's terms."""
    schema: dict[str, Any] = _with_terms(KINDS[kind].model_json_schema(by_alias=True), vocabulary)
    return schema


def _document(schema: dict[str, Any], name: str, title: str) -> str:
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": f"{BASE_ID}{name}", **schema,
              "title": title}
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def _with_terms(node: Any, vocabulary: Vocabulary) -> Any:
    """The schema with each vocabulary field's terms listed."""
    if isinstance(node, list):
        return [_with_terms(item, vocabulary) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _with_terms(value, vocabulary) for key, value in node.items() if key != "x-vocabulary"}
    name = node.get("x-vocabulary")
    if isinstance(name, str):
        terms = sorted(vocabulary.of(name))
        if name in CLOSED:
            out["enum"] = terms
            out.pop("pattern", None)
        elif terms:
            out["examples"] = terms
    return out


def write_schemas(root: Path) -> list[Path]:
    folder = root / SCHEMA_DIR
    folder.mkdir(exist_ok=True)
    written = []
    for name, text in schemas(corpus_vocabulary(root)).items():
        path = folder / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written


def stale_schemas(root: Path) -> list[str]:
    folder = root / SCHEMA_DIR
    return [name for name, text in schemas(corpus_vocabulary(root)).items()
            if not (folder / name).exists() or (folder / name).read_text(encoding="utf-8") != text]


def vscode_settings() -> dict[str, dict[str, list[str]]]:
    """yaml.schemas for .vscode/settings.json: each schema on its files."""
    out = {f"./{SCHEMA_DIR}/{kind}.schema.json": [f"{CORPUS_FOLDER}/{folder}/*.yaml"]
           for kind, folder in FOLDERS.items()}
    out[f"./{SCHEMA_DIR}/{VOCABULARY_SCHEMA}"] = [f"{CORPUS_FOLDER}/{VOCABULARY_FILE}"]
    return {"yaml.schemas": out}
