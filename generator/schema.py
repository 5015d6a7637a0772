"""The JSON Schema editors use, generated from the record model.

One schema per kind, in ``schema/<kind>.schema.json``; yaml-language-server
(VS Code's YAML extension and others) maps each to its folder. The files are
committed so editors work without running anything; a test fails when they
are stale.
"""

from __future__ import annotations

import json
from pathlib import Path

from generator.model import FOLDERS, KINDS

SCHEMA_DIR = "schema"
BASE_ID = "https://briefing.invalid/schema/"


def schemas() -> dict[str, str]:
    """{file name: JSON text} for every kind, deterministic."""
    out = {}
    for kind, cls in KINDS.items():
        schema = cls.model_json_schema(by_alias=True)
        schema = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"{BASE_ID}{kind}.schema.json",
            **schema,
            "title": f"briefing {kind} record (briefings/{FOLDERS[kind]}/<id>.yaml)",
        }
        out[f"{kind}.schema.json"] = json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    return out


def write_schemas(root: Path) -> list[Path]:
    folder = root / SCHEMA_DIR
    folder.mkdir(exist_ok=True)
    written = []
    for name, text in schemas().items():
        path = folder / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written


def stale_schemas(root: Path) -> list[str]:
    folder = root / SCHEMA_DIR
    return [name for name, text in schemas().items()
            if not (folder / name).exists() or (folder / name).read_text(encoding="utf-8") != text]


def vscode_settings() -> dict[str, dict[str, list[str]]]:
    """yaml.schemas for .vscode/settings.json: each schema on its folder."""
    return {"yaml.schemas": {f"./{SCHEMA_DIR}/{kind}.schema.json": [f"briefings/{folder}/*.yaml"]
                             for kind, folder in FOLDERS.items()}}
